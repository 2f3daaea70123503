/** The README is part of the contract: its tables and figures must match the action and the tests. */
import { existsSync, readFileSync } from 'node:fs'
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

  it('links only to headings and files that exist', () => {
    const slug = (heading: string) =>
      heading
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-')
    const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map(([, h]) => slug(h)))
    for (const [, anchor] of readme.matchAll(/\]\(#([^)]+)\)/g)) expect(anchors).toContain(anchor)
    for (const [, file] of readme.matchAll(/\]\(((?:examples|\.github)\/[^)#]+|[A-Z]+\.md|LICENSE)\)/g)) {
      expect({ file, exists: existsSync(join(ROOT, file)) }).toEqual({ file, exists: true })
    }
  })

  it('states the number of bad-input cases the tests try', () => {
    expect(readme).toContain(`**${badInputs().length} cases**`)
  })
})
