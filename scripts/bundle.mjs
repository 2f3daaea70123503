/**
 * npm run bundle: src/ into one CommonJS file, dist/index.js (what action.yml runs), with ncc.
 * CommonJS because Node starts it about 12 ms sooner than the same bundle as an ES module: no ESM
 * loader to set up, no module graph to link (measured with `npm run bench`). The source stays ESM
 * (@actions/core and @actions/http-client are ESM-only); the bundler turns it into one script, and
 * dist/package.json tells Node that file is CommonJS (the root package.json says "module").
 * Plain JavaScript: ncc type-checks the project it bundles, and ships no types of its own. No build
 * cache: ncc's cache is shared by every ncc build on the machine, and an ES-module build left in it
 * changed this output.
 */
import ncc from '@vercel/ncc'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const { code } = await ncc(`${root}src/action/index.ts`, { esm: false, minify: true, quiet: true, cache: false })
rmSync(`${root}dist`, { recursive: true, force: true })
mkdirSync(`${root}dist`)
writeFileSync(`${root}dist/index.js`, code)
writeFileSync(`${root}dist/package.json`, '{ "type": "commonjs" }\n')
console.log(`dist/index.js: ${(Buffer.byteLength(code) / 1000).toFixed(1)} KB, CommonJS`)
