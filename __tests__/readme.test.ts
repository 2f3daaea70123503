/** The README is part of the contract: its tables and figures must match the action and the tests. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { readActionYml, ROOT } from '../emulator/runner.js'
import { badInputs } from './helpers/bad-inputs.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** Rows of the Markdown table under a heading: first cell (unquoted) → second cell. */
function table(heading: string): Map<string, string> {
  const section = readme.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  const rows = section.split('\n').filter(l => /^\| `/.test(l))
  return new Map(
    rows.map(r => r.split('|').map(c => c.trim())).map(([, name, second]) => [name.replace(/`/g, ''), second])
  )
}

describe('README', () => {
  const yml = readActionYml()

  it('lists every input of action.yml, with its default', () => {
    const inputs = table('Inputs')
    expect([...inputs.keys()].sort()).toEqual(Object.keys(yml.inputs).sort())
    for (const [name, spec] of Object.entries(yml.inputs)) {
      const shown = inputs.get(name)!.replace(/`/g, '')
      expect({ name, shown }).toEqual({ name, shown: spec.required ? 'required' : spec.default || 'empty' })
    }
  })

  it('lists every output of action.yml', () => {
    expect([...table('Outputs').keys()].sort()).toEqual(Object.keys(yml.outputs).sort())
  })

  it('states the number of bad-input cases the tests try', () => {
    expect(readme).toContain(`**${badInputs().length} cases**`)
  })
})
