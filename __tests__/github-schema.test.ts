/**
 * GitHub's own schemas, read by GitHub's own parser (@actions/workflow-parser, the library behind
 * GitHub's language service and editor checks; pinned): action.yml under the strict action schema
 * that Marketplace publishing applies, every workflow we ship or run and every complete workflow in
 * the docs parsed and converted with zero errors, and the `with:` keys this action is given read
 * from the parser's tree. Offline: no file provider is given, so no `uses:` is fetched.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import {
  convertWorkflowTemplate,
  isMapping,
  isSequence,
  isString,
  NoOperationTraceWriter,
  parseWorkflow
} from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/action-parser'
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token'
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token'
import { ROOT } from '../emulator/runner.js'
import { readIdentity } from '../scripts/identity.mjs'

const trace = new NoOperationTraceWriter()
const { repository } = readIdentity(ROOT)
const isThisAction = (uses: string) => /^\.\/?$/.test(uses) || uses.startsWith(`${repository}@`)

function errorsOf(result: { context: { errors: { getErrors(): { message: string }[] } } }): string[] {
  return result.context.errors.getErrors().map(e => e.message)
}

/** A mapping's keys, and its value under a key, from the parser's token tree. */
const keysOf = (token: TemplateToken | undefined) =>
  token && isMapping(token) ? [...token].map(pair => (isString(pair.key) ? pair.key.value : String(pair.key))) : []
const find = (token: TemplateToken | undefined, key: string) =>
  token && isMapping(token) ? (token as MappingToken).find(key) : undefined

const actionYml = readFileSync(join(ROOT, 'action.yml'), 'utf8')
const parseActionYml = (content: string) => parseAction({ name: 'action.yml', content }, trace)

/** Workflows: the repository's, the GitHub examples, and each complete workflow (on: and jobs:) in the docs. */
const files = ['.github/workflows', 'examples'].flatMap(dir =>
  readdirSync(join(ROOT, dir))
    .filter(f => f.endsWith('.yml') && f !== 'gitlab-ci.yml') // GitLab's format, not GitHub's
    .map(f => ({ name: `${dir}/${f}`, content: readFileSync(join(ROOT, dir, f), 'utf8') }))
)
const docs = ['README.md', ...readdirSync(join(ROOT, 'docs')).map(f => `docs/${f}`)].flatMap(doc =>
  [...readFileSync(join(ROOT, doc), 'utf8').matchAll(/^```ya?ml\n([^]*?)^```$/gm)]
    .map(([, content], i) => ({ name: `${doc} (YAML block ${i + 1})`, content }))
    .filter(({ content }) => /^on:/m.test(content) && /^jobs:/m.test(content))
)
const workflows = [...files, ...docs]

describe('action.yml under GitHub’s strict action schema', () => {
  it('has no errors', () => {
    const result = parseActionYml(actionYml)
    expect(errorsOf(result)).toEqual([])
    expect(keysOf(result.value)).toEqual(
      expect.arrayContaining(['name', 'description', 'inputs', 'outputs', 'runs', 'branding'])
    )
  })

  it('is read strictly: an icon outside GitHub’s list (pen-tool, as before) and an unknown key are errors', () => {
    const branding = /^ {2}icon: [\w-]+$/m
    expect(actionYml).toMatch(branding)
    expect(errorsOf(parseActionYml(actionYml.replace(branding, '  icon: pen-tool')))).toEqual([
      "action.yml (Line: 7, Col: 9): Unexpected value 'pen-tool'"
    ])
    expect(errorsOf(parseActionYml(`${actionYml}\nextra: true\n`))).toEqual([
      expect.stringMatching(/Unexpected value 'extra'/)
    ])
  })
})

describe.each(workflows.map(w => [w.name, w] as const))('%s', (name, file) => {
  it('parses and converts with zero errors, offline', async () => {
    const parsed = parseWorkflow({ name, content: file.content }, trace)
    expect(errorsOf(parsed)).toEqual([])
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!)
    expect(template.errors ?? []).toEqual([])
    expect(template.jobs.length).toBeGreaterThan(0)
  })

  it('gives this action only inputs action.yml declares, and every required one', () => {
    const inputs = find(parseActionYml(actionYml).value, 'inputs')
    const declared = keysOf(inputs)
    const required = declared.filter(input => String(find(find(inputs, input), 'required')) === 'true')
    const jobs = find(parseWorkflow({ name, content: file.content }, trace).value, 'jobs')
    let checked = 0
    for (const job of keysOf(jobs)) {
      const steps = find(find(jobs, job), 'steps')
      for (const step of steps && isSequence(steps) ? [...steps] : []) {
        const uses = find(step, 'uses')
        if (!uses || !isString(uses) || !isThisAction(uses.value)) continue
        const given = keysOf(find(step, 'with'))
        expect({ job, unknown: given.filter(k => !declared.includes(k)) }).toEqual({ job, unknown: [] })
        expect({ job, missing: required.filter(k => !given.includes(k)) }).toEqual({ job, missing: [] })
        checked++
      }
    }
    if (!name.startsWith('.github/')) expect(checked).toBeGreaterThan(0)
  })
})

it('finds the workflows: the repository’s, the examples and the docs’ complete ones', () => {
  expect(files.map(f => f.name)).toEqual(
    expect.arrayContaining(['.github/workflows/release.yml', 'examples/send-envelope.yml'])
  )
  expect(docs.some(d => d.name.startsWith('README.md'))).toBe(true)
})
