/**
 * @actions/workflow-parser imports its two schema files without `with { type: 'json' }`, which Jest
 * warns will become an error; jest.config.js maps those imports to the modules beside this one,
 * which read the same files.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dist = new URL('../../../node_modules/@actions/workflow-parser/dist/', import.meta.url)

export const readSchema = (file: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(file, dist)), 'utf8'))
