/**
 * Every workflow we ship or run is valid (actionlint), uses only this action's real inputs and outputs,
 * pins every action to a commit SHA, asks for the least permissions, keeps no credentials it does not
 * need, puts no expression inside a script, and signs in with secrets only where secrets can be.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { NpmRegistryEmulator } from '../emulator/npm-registry.js'
import { readActionYml, ROOT, runProcess } from '../emulator/runner.js'
import { readIdentity } from '../scripts/identity.mjs'
import { scratch } from './helpers/cli.js'
import { actionlint, type Contexts, runs } from './helpers/workflows.js'

const dirs = ['examples', '.github/workflows']
const files = dirs.flatMap(d =>
  readdirSync(join(ROOT, d))
    // GitHub workflows only: examples/gitlab-ci.yml is GitLab's format, run by gitlab-component.test.ts.
    .filter(f => f.endsWith('.yml') && f !== 'gitlab-ci.yml')
    .map(f => join(ROOT, d, f))
)
/** This repository's own name (package.json's, as npm run set-repository sets it). */
const { repository: REPOSITORY } = readIdentity(ROOT)
const THIS_ACTION = /^\.\/?$/
const isThisRef = (ref: string) => THIS_ACTION.test(ref) || ref.startsWith(`${REPOSITORY}@`)
/** How the examples name this action: the repository at RELEASE_SHA, the commit a user pins. */
const PINNED_BY_USER = `${REPOSITORY}@RELEASE_SHA`

interface Step {
  id?: string
  name?: string
  if?: unknown
  uses?: string
  run?: string
  shell?: string
  env?: Record<string, string>
  with?: Record<string, unknown>
}
interface Job {
  if?: unknown
  uses?: string
  needs?: string | string[]
  'runs-on'?: unknown
  permissions?: unknown
  environment?: unknown
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> }
  defaults?: { run?: { shell?: string } }
  steps?: Step[]
}
interface Workflow {
  on: unknown
  permissions?: unknown
  jobs: Record<string, Job>
}

const workflows = files.map(file => {
  const text = readFileSync(file, 'utf8')
  return { name: relative(ROOT, file), file, text, workflow: parse(text) as Workflow }
})
const byName = (name: string) => workflows.find(w => w.name === name)!
const each = workflows.map(w => [w.name, w] as const)

const stepsOf = (job: Job) => job.steps ?? []
const usesAction = (step: Step, action: string) => step.uses?.split('@')[0] === action
const isThisAction = (step: Step) => Boolean(step.uses && isThisRef(step.uses))
const pushes = (job: Job) => stepsOf(job).some(step => /\bgit\s+push\b/.test(step.run ?? ''))
const withValue = (step: Step, input: string) => String(step.with?.[input] ?? '').trim()
const signsInWithSecrets = (step: Step) =>
  isThisAction(step) && Object.values(step.with ?? {}).some(v => /\bsecrets\./.test(String(v)))
const PUBLISH = /^\s*npm\s+publish\b/m
const publishes = (step: Step) => PUBLISH.test(step.run ?? '')
/** Whether a step runs the docusign-jwt command by name (the launcher the action puts on PATH), comments aside. */
const callsCli = (step: Step) => /(?:^|[|;(!&=])[ \t]*docusign-jwt\s/m.test((step.run ?? '').replace(/^\s*#.*$/gm, ''))
const jobNeeds = (job: Job) => [job.needs ?? []].flat()

/** The events a workflow runs on, from the string, list or map forms of `on:`. */
function events(on: unknown): string[] {
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  return Object.keys(on as object)
}

/** A job's permissions as a map, or undefined when it declares none or a string (read-all, write-all). */
const permissionsOf = (job: Job) =>
  job.permissions && typeof job.permissions === 'object' ? (job.permissions as Record<string, string>) : undefined

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

  it.each(each)('%s passes actionlint', async (_name, { text, file }) => {
    expect(await actionlint(text, file)).toEqual([])
  })

  it('actionlint is a current one: it knows attestations and vars, and still finds errors', async () => {
    const workflow = (permission: string, expression: string) =>
      `on: push\npermissions:\n  ${permission}: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n` +
      `      - run: echo "$X"\n        env:\n          X: \${{ ${expression} }}\n`
    expect(await actionlint(workflow('attestations', 'vars.NAME'), 'ok.yml')).toEqual([])
    const errors = await actionlint(workflow('attestation', 'github.nope'), 'bad.yml')
    expect(errors).toEqual([
      expect.stringMatching(/unknown permission scope "attestation"/),
      expect.stringMatching(/property "nope" is not defined/)
    ])
  })

  it.each(each)(
    '%s passes this action only inputs it has, and reads only outputs it sets',
    (name, { text, workflow }) => {
      const ours = Object.values(workflow.jobs).flatMap(stepsOf).filter(isThisAction)
      for (const step of ours) {
        for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input)
        for (const [input, spec] of Object.entries(action.inputs)) {
          if (spec.required) expect(Object.keys(step.with ?? {})).toContain(input)
        }
        if (!step.id) continue
        for (const [, output] of text.matchAll(new RegExp(`steps\\.${step.id}\\.outputs\\.([\\w-]+)`, 'g'))) {
          expect(Object.keys(action.outputs)).toContain(output)
        }
      }
      if (name.startsWith('examples/')) expect(ours.length).toBeGreaterThan(0)
    }
  )

  describe('pins', () => {
    /** Every `uses:` line: the reference and its trailing comment. */
    const pins = (text: string) =>
      [...text.matchAll(/^[ \t]*(?:-[ \t]+)?uses:[ \t]*['"]?([^\s'"#]+)['"]?[ \t]*(?:#[ \t]*(.*?))?[ \t]*$/gm)].map(
        ([, ref, comment]) => ({ ref, comment })
      )

    it.each(each)(
      '%s pins every action to a full commit SHA, with its version in a comment',
      (name, { text, workflow }) => {
        const found = pins(text)
        // Every `uses:` the YAML holds is on a line the pattern reads.
        const uses = Object.values(workflow.jobs).flatMap(job => [job.uses, ...stepsOf(job).map(s => s.uses)])
        expect(found.map(p => p.ref).sort()).toEqual(uses.filter(u => u !== undefined).sort())
        for (const { ref, comment } of found) {
          if (ref.startsWith('./')) continue
          if (ref.startsWith('docker://')) {
            expect({ ref, pinned: /@sha256:[0-9a-f]{64}$/.test(ref) }).toEqual({ ref, pinned: true })
            continue
          }
          // The examples name this action as users will pin it: owner/name@RELEASE_SHA # vX.Y.Z.
          if (isThisRef(ref)) expect({ name, ref }).toEqual({ name, ref: PINNED_BY_USER })
          expect({ ref, comment }).toEqual({
            ref: isThisRef(ref) ? ref : expect.stringMatching(/^[\w.-]+\/[\w.-]+(\/[^@]+)?@[0-9a-f]{40}$/),
            comment: expect.stringMatching(/^v\d+\.\d+\.\d+(\s|$)/)
          })
        }
      }
    )

    it('every file pins an action at the same commit and version', () => {
      const seen = new Map<string, Set<string>>()
      for (const { text } of workflows) {
        for (const { ref, comment } of pins(text)) {
          if (ref.startsWith('./')) continue
          const [name, sha] = ref.split('@')
          seen.set(name, (seen.get(name) ?? new Set()).add(`${sha} # ${comment?.split(/\s/)[0]}`))
        }
      }
      expect(Object.fromEntries([...seen].filter(([, v]) => v.size > 1).map(([k, v]) => [k, [...v]]))).toEqual({})
      expect([...seen.keys()]).toEqual(expect.arrayContaining(['actions/checkout', 'actions/setup-node']))
    })
  })

  describe('permissions', () => {
    /** Why a job may hold each write permission. */
    const needs: Record<string, { why: string; has: (job: Job) => boolean }> = {
      contents: { why: 'a step that runs git push', has: pushes },
      'id-token': {
        why: 'an attestation step, or npm publish (trusted publishing and provenance)',
        has: job => stepsOf(job).some(s => attests(s) || publishes(s))
      },
      attestations: { why: 'an attestation step', has: job => stepsOf(job).some(attests) },
      issues: { why: 'this action with open-issue: true', has: job => stepsOf(job).some(opensIssues) }
    }
    function attests(step: Step) {
      return usesAction(step, 'actions/attest-build-provenance') || usesAction(step, 'actions/attest')
    }
    function opensIssues(step: Step) {
      return isThisAction(step) && withValue(step, 'open-issue').toLowerCase() === 'true'
    }

    it.each(each)('%s declares least permissions, for the workflow and for every job', (_name, { workflow }) => {
      // Nothing for the whole workflow: each job says what it needs.
      expect(workflow.permissions).toEqual({})
      for (const [id, job] of Object.entries(workflow.jobs)) {
        const granted = permissionsOf(job)
        expect({ job: id, permissions: job.permissions }).toEqual({ job: id, permissions: expect.any(Object) })
        for (const [scope, level] of Object.entries(granted ?? {})) {
          if (level !== 'write') continue
          const need = needs[scope]
          expect({ job: id, scope, justified: Boolean(need?.has(job)) }).toEqual({ job: id, scope, justified: true })
        }
      }
    })

    it.each(each)('%s grants each job the permissions its steps need', (_name, { workflow }) => {
      for (const [id, job] of Object.entries(workflow.jobs)) {
        const granted = permissionsOf(job) ?? {}
        const steps = stepsOf(job)
        const want: Record<string, string[]> = {}
        if (steps.some(s => usesAction(s, 'actions/checkout'))) want.contents = ['read', 'write']
        if (steps.some(attests)) Object.assign(want, { 'id-token': ['write'], attestations: ['write'] })
        if (steps.some(publishes)) want['id-token'] = ['write']
        if (steps.some(opensIssues)) want.issues = ['write']
        if (steps.some(s => /\bgh\s+run\s+(list|view)\b/.test(s.run ?? ''))) want.actions = ['read', 'write']
        for (const [scope, levels] of Object.entries(want)) {
          expect({ job: id, scope, level: granted[scope] }).toEqual({
            job: id,
            scope,
            level: expect.stringMatching(new RegExp(`^(${levels.join('|')})$`))
          })
        }
      }
    })

    it.each(each)('%s: actions/checkout keeps no credentials, unless its job pushes', (_name, { workflow }) => {
      for (const [id, job] of Object.entries(workflow.jobs)) {
        if (pushes(job)) continue
        for (const step of stepsOf(job).filter(s => usesAction(s, 'actions/checkout'))) {
          expect({ job: id, 'persist-credentials': withValue(step, 'persist-credentials') }).toEqual({
            job: id,
            'persist-credentials': 'false'
          })
        }
      }
    })
  })

  it.each(each)('%s puts no ${{ }} expression inside a run: script (values go through env:)', (_name, { workflow }) => {
    for (const [id, job] of Object.entries(workflow.jobs)) {
      for (const step of stepsOf(job)) {
        const found = (step.run ?? '').match(/\$\{\{[^}]*\}\}/g) ?? []
        expect({ job: id, step: step.name ?? step.run, expressions: found }).toEqual({
          job: id,
          step: step.name ?? step.run,
          expressions: []
        })
      }
    }
  })

  describe('secrets', () => {
    /** Events whose runs never come from a fork or from Dependabot. */
    const TRUSTED = new Set(['push', 'schedule', 'workflow_dispatch', 'release', 'repository_dispatch'])
    const REPO = 'octo-org/app'
    function contexts(event: string, who: 'fork' | 'dependabot' | 'member'): Contexts {
      const actor = { fork: 'stranger', dependabot: 'dependabot[bot]', member: 'maintainer' }[who]
      const head = who === 'fork' ? { fork: true, full_name: 'stranger/app' } : { fork: false, full_name: REPO }
      const pull_request = {
        head: { repo: head, ref: 'topic' },
        base: { repo: { full_name: REPO } },
        user: { login: actor }
      }
      return {
        github: {
          event_name: event,
          repository: REPO,
          repository_owner: 'octo-org',
          actor,
          triggering_actor: actor,
          event: { pull_request, repository: { full_name: REPO } }
        },
        vars: {},
        secrets: {},
        env: {},
        inputs: {},
        matrix: {},
        steps: {},
        needs: {}
      }
    }

    it.each(each)('%s: a job that signs in with secrets never runs for a fork or Dependabot', (_name, { workflow }) => {
      const untrusted = events(workflow.on).filter(e => !TRUSTED.has(e))
      for (const [id, job] of Object.entries(workflow.jobs)) {
        for (const step of stepsOf(job).filter(signsInWithSecrets)) {
          for (const event of untrusted) {
            for (const who of ['fork', 'dependabot'] as const) {
              const ctx = contexts(event, who)
              expect({ job: id, event, who, runs: runs(job.if, ctx) && runs(step.if, ctx) }).toEqual({
                job: id,
                event,
                who,
                runs: false
              })
            }
            // The guard keeps the job for the repository's own branches.
            expect({ job: id, event, runs: runs(job.if, contexts(event, 'member')) }).toEqual({
              job: id,
              event,
              runs: true
            })
          }
        }
      }
    })

    it('the guard evaluator tells a guard from its inverse', () => {
      const guard =
        "github.event_name != 'pull_request' || (github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]')"
      const inverse = "${{ github.event.pull_request.head.repo.fork || github.actor == 'dependabot[bot]' }}"
      const outcome = (condition: string) =>
        (['fork', 'dependabot', 'member'] as const).map(who => runs(condition, contexts('pull_request', who)))
      expect(outcome(guard)).toEqual([false, false, true])
      expect(outcome(`\${{ ${guard} }}`)).toEqual([false, false, true])
      expect(outcome(inverse)).toEqual([true, true, false])
      expect(outcome("${{ github.event.pull_request.head.repo.fork }} == 'false'")).toEqual([true, true, true])
      expect(outcome('!github.event.pull_request.head.repo.fork')).toEqual([false, true, true])
    })

    const signIns = workflows
      .filter(w => w.name.startsWith('examples/') || w.name === '.github/workflows/e2e.yml')
      .flatMap(w =>
        Object.values(w.workflow.jobs)
          .flatMap(stepsOf)
          .filter(isThisAction)
          .map(s => [w.name, s] as const)
      )

    it.each(signIns)('%s: identifiers are configuration variables, the key the one secret', (_name, step) => {
      expect(step.with).toEqual(
        expect.objectContaining({
          'integration-key': '${{ vars.DOCUSIGN_INTEGRATION_KEY }}',
          'user-id': '${{ vars.DOCUSIGN_USER_ID }}',
          'private-key': '${{ secrets.DOCUSIGN_PRIVATE_KEY }}'
        })
      )
      if (step.with?.['account-id'] !== undefined)
        expect(step.with['account-id']).toBe('${{ vars.DOCUSIGN_ACCOUNT_ID }}')
    })

    it.each(workflows.map(w => [w.name, w.text]))('%s reads no identifier from secrets', (_name, text) => {
      expect(text.match(/secrets\.DOCUSIGN_(INTEGRATION_KEY|USER_ID|ACCOUNT_ID)\b/g) ?? []).toEqual([])
    })

    it.each(signIns.map(([name]) => [name, byName(name).text]))(
      '%s says why the identifiers are not secrets (a masked client_id)',
      (_name, text) => {
        expect(text).toMatch(/^\s*#.*\bmask.*client_id=\*\*\*/m)
      }
    )
  })

  describe('scripts', () => {
    it.each(each)('%s installs dependencies before a sign-in exports the token to the environment', (_name, w) => {
      for (const [id, job] of Object.entries(w.workflow.jobs)) {
        const steps = stepsOf(job)
        const signIn = steps.findIndex(s => isThisAction(s) && withValue(s, 'export-env').toLowerCase() === 'true')
        if (signIn < 0) continue
        const installs = steps
          .slice(signIn + 1)
          .filter(s => /\b(npm\s+(ci|install|i)|yarn|pnpm\s+(install|i))\b/.test(s.run ?? ''))
        expect({ job: id, installsAfterSignIn: installs.map(s => s.run) }).toEqual({ job: id, installsAfterSignIn: [] })
      }
    })

    it.each(each)('%s gives node --test files, not a directory (Node 21+ loads a directory as a module)', (_n, w) => {
      for (const step of Object.values(w.workflow.jobs).flatMap(stepsOf)) {
        for (const [, args] of (step.run ?? '').matchAll(/\bnode\s+--test\b([^\n;&|]*)/g)) {
          for (const arg of args.split(/\s+/).filter(a => a && !a.startsWith('-'))) {
            const dir = arg.endsWith('/') || (existsSync(join(ROOT, arg)) && statSync(join(ROOT, arg)).isDirectory())
            expect({ arg, directory: dir }).toEqual({ arg, directory: false })
          }
        }
      }
    })
  })

  describe('the examples', () => {
    it('integration tests: need docusign-esign in the package.json, and run on maintained Node versions', () => {
      const { text, workflow } = byName('examples/integration-tests.yml')
      expect(text).toMatch(/^#.*docusign-esign/m)
      expect(text).toMatch(/^#.*package\.json/m)
      expect(workflow.jobs.test.strategy?.matrix?.node).toEqual(expect.arrayContaining([22, 24]))
      expect(workflow.jobs.test.strategy?.matrix?.node).not.toContain(20)
    })

    it('scheduled report: lists every page with docusign-jwt api --paginate, escapes table cells, opens an issue', () => {
      const { workflow } = byName('examples/scheduled-report.yml')
      const steps = workflow.jobs.report.steps ?? []
      const signIn = steps.findIndex(isThisAction)
      expect(steps[signIn].with?.['open-issue']).toBe(true)
      const list = steps.find(callsCli)!
      expect(steps.indexOf(list)).toBeGreaterThan(signIn)
      const run = list.run ?? ''
      // One command, every page, one JSON document: no paging loop of its own, no curl.
      expect(run).toMatch(/docusign-jwt api '\/envelopes\?[^'\n]*'[^\n]*from_date=\$FROM[^\n]*--paginate/)
      expect(run).not.toMatch(/\bcurl\b|start_position|\bwhile\b/)
      // The answer goes to a file and into the summary, never to the log.
      expect(run).not.toMatch(/\bcat\b/)
      // The sign-in's outputs, under the names docusign-jwt api reads.
      expect(list.env).toMatchObject({
        DOCUSIGN_ACCESS_TOKEN: '${{ steps.docusign.outputs.access-token }}',
        DOCUSIGN_BASE_PATH: '${{ steps.docusign.outputs.base-path }}',
        DOCUSIGN_ACCOUNT_ID: '${{ steps.docusign.outputs.account-id }}'
      })
      expect(list.shell).toBe('bash') // -o pipefail
      expect(run).toContain('gsub("\\\\|"; "\\\\|")')
      expect(run).toContain('gsub("[\\r\\n]+"; " ")')
    })

    it('scheduled report: runs in an environment without reviewers, the rule the README states', () => {
      const { text, workflow } = byName('examples/scheduled-report.yml')
      const environment = workflow.jobs.report.environment
      // A schedule cannot wait for a reviewer: its environment is its own, not the reviewed production one.
      expect(environment).toBe('docusign-scheduled')
      expect(text).toMatch(/^\s*#.*cannot wait for a reviewer/m)
      expect(text).toMatch(/^\s*#.*no required\s*(#\s*)?reviewers/m)
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
      const production = readme.split('\n### Production and go-live\n')[1]?.split('\n## ')[0] ?? ''
      expect(production).toMatch(/cannot wait for a reviewer/)
      expect(production).toMatch(/without\s+required\s+reviewers\*\*,\s+such\s+as\s+`docusign-scheduled`/)
      // Public repositories show summaries to anyone: the example says where to keep it.
      expect(text).toMatch(/^#.*public\s+repository[^]*private\s+repository/m)
    })

    it("send envelope: runs in an environment with reviewers, posts jq's envelope with docusign-jwt api, shows none of the answer", () => {
      const { text, workflow } = byName('examples/send-envelope.yml')
      const job = workflow.jobs.send
      expect(job.environment).toBe('docusign')
      expect(text).toMatch(/^\s*#.*reviewers/m)
      const steps = stepsOf(job)
      const check = steps.findIndex(s => /\[ ! -s contracts\/agreement\.pdf \]/.test(s.run ?? ''))
      const signIn = steps.findIndex(isThisAction)
      expect(check).toBeGreaterThanOrEqual(0)
      expect(check).toBeLessThan(signIn)
      expect(withValue(steps[signIn], 'export-env')).toBe('true')
      const send = steps.find(s => s.id === 'envelope')!
      const run = send.run ?? ''
      // jq's envelope on stdin, the envelope ID read from the answer with jq: no file, no curl.
      expect(run).toMatch(/jq -n [^]*\}' \| docusign-jwt api \/envelopes --input - \| jq -r '\.envelopeId \/\/ empty'/)
      expect(run).not.toMatch(/\bcurl\b|envelope\.json|response\.json|\bcat\b/)
      // pipefail, so a refusal fails the step with the command's own message; an empty ID is refused.
      expect(send.shell).toBe('bash')
      expect(run).toMatch(/if \[ -z "\$envelope_id" \]; then\s+echo "::error::[^"]*"\s+exit 1\s+fi/)
      expect(run).toContain('echo "envelope-id=$envelope_id" >> "$GITHUB_OUTPUT"')
      // The token reaches the step through export-env only.
      expect(JSON.stringify(send.env ?? {})).not.toMatch(/access-token|base-path/)
    })

    it.each(each.filter(([name]) => name.startsWith('examples/')))(
      '%s calls docusign-jwt only in steps after the sign-in of the same job',
      (_name, { workflow }) => {
        for (const [id, job] of Object.entries(workflow.jobs)) {
          const steps = stepsOf(job)
          const signIn = steps.findIndex(isThisAction)
          for (const [i, step] of steps.entries()) {
            if (callsCli(step))
              expect({ job: id, step: step.name, afterSignIn: signIn >= 0 && i > signIn }).toEqual({
                job: id,
                step: step.name,
                afterSignIn: true
              })
          }
        }
      }
    )
  })

  describe('the GitLab component, templates/docusign-jwt.yml', () => {
    const [, jobs] = readFileSync(join(ROOT, 'templates', 'docusign-jwt.yml'), 'utf8')
      .split(/^---$/m)
      .map(doc => parse(doc) as Record<string, { rules?: Record<string, unknown>[] }>)
    const RULE = '$CI_COMMIT_REF_PROTECTED == "true"'

    it('runs its jobs only where the protected variables arrive, protected branches and tags, unless told', () => {
      expect(jobs['.docusign-jwt'].rules).toEqual([{ if: `${RULE} || "$[[ inputs.protected-only ]]" == "false"` }])
    })

    it('does what the troubleshooting page advises for empty settings on GitLab', () => {
      const troubleshooting = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8')
      const empty = troubleshooting.split('\n### Empty settings\n')[1]?.split('\n### ')[0] ?? ''
      expect(empty).toContain(`rules: - if: ${RULE}`)
      expect(empty).toContain('as the component `templates/docusign-jwt.yml`')
    })
  })

  it('CI runs lint, typecheck and the tests on Node 24 and on Node 20', () => {
    const job = byName('.github/workflows/ci.yml').workflow.jobs.test
    expect(job.strategy?.matrix?.node).toEqual(expect.arrayContaining([24, 20]))
    const setup = stepsOf(job).find(s => usesAction(s, 'actions/setup-node'))
    expect(setup?.with?.['node-version']).toBe('${{ matrix.node }}')
    const runsOf = stepsOf(job).map(s => s.run)
    expect(runsOf).toEqual(expect.arrayContaining(['npm run typecheck', 'npm run lint', 'npm test']))
  })

  it('the release attests the build provenance of dist/, after checking it is the dist/ the tag holds', () => {
    const { workflow } = byName('.github/workflows/release.yml')
    const [id, job] = Object.entries(workflow.jobs).find(([, j]) =>
      stepsOf(j).some(s => usesAction(s, 'actions/attest-build-provenance'))
    )!
    const steps = stepsOf(job)
    const attest = steps.findIndex(s => usesAction(s, 'actions/attest-build-provenance'))
    expect(String(steps[attest].with?.['subject-path'])).toMatch(/^dist\//)
    const bundle = steps.findIndex(s => s.run === 'npm run bundle')
    const compare = steps.findIndex(s => /git status --porcelain -- dist/.test(s.run ?? ''))
    expect([bundle, compare].every(i => i >= 0 && i < attest) && bundle < compare).toBe(true)
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write', attestations: 'write' })
    // The major tag moves only once the release is checked, dist/ attested and the tests pass.
    const mover = Object.values(workflow.jobs).find(pushes)!
    const testJobs = Object.entries(workflow.jobs).filter(([, j]) => stepsOf(j).some(s => s.run === 'npm test'))
    expect(testJobs.length).toBeGreaterThan(0)
    expect(jobNeeds(mover)).toEqual(expect.arrayContaining([id, 'release-check', ...testJobs.map(([name]) => name)]))
    // Not on the npm publish, which fails for the first tag (CONTRIBUTING.md: that version is published by hand).
    const [publisher] = Object.entries(workflow.jobs).find(([, j]) => stepsOf(j).some(publishes))!
    expect(jobNeeds(mover)).not.toContain(publisher)
  })

  it('the release runs npm run release-check on its tag before any attestation, publish or tag move', () => {
    const { workflow } = byName('.github/workflows/release.yml')
    const check = stepsOf(workflow.jobs['release-check']).find(s => /^npm run release-check\b/.test(s.run ?? ''))!
    expect(check.run).toBe('npm run release-check -- --tag "$TAG"')
    expect(check.env?.TAG).toBe('${{ github.event.release.tag_name }}')
    const acting = Object.entries(workflow.jobs).filter(([, job]) =>
      stepsOf(job).some(s => publishes(s) || usesAction(s, 'actions/attest-build-provenance') || pushes({ steps: [s] }))
    )
    expect(acting.map(([name]) => name).sort()).toEqual(['attest', 'move-major-tag', 'publish'])
    for (const [name, job] of acting)
      expect({ name, needs: jobNeeds(job) }).toEqual({ name, needs: expect.arrayContaining(['release-check']) })
  })

  it('CI runs the action from the repository on Linux, macOS and Windows, then docusign-jwt by name in bash and pwsh', () => {
    const job = byName('.github/workflows/ci.yml').workflow.jobs.launcher
    expect(job.strategy?.matrix?.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest'])
    expect(job['runs-on']).toBe('${{ matrix.os }}')
    expect(job.strategy?.['fail-fast']).toBe(false)
    const steps = stepsOf(job)
    const emulator = steps.findIndex(s => /\bnpm run emulator\b/.test(s.run ?? ''))
    const signIn = steps.findIndex(s => s.uses === './')
    expect(emulator).toBeGreaterThanOrEqual(0)
    expect(signIn).toBeGreaterThan(emulator)
    expect(steps[signIn].with?.environment).toBe(`\${{ steps.${steps[emulator].id}.outputs.environment }}`)
    expect(withValue(steps[signIn], 'export-env')).toBe('true')
    // Later steps, on every OS (no if:), call the command by name, not node dist/cli.js: --version and api.
    const shellOf = (step: Step) => step.shell ?? job.defaults?.run?.shell
    const later = steps.slice(signIn + 1).filter(callsCli)
    for (const step of later) {
      const run = step.run ?? ''
      expect({ step: step.name, if: step.if }).toEqual({ step: step.name, if: undefined })
      expect(run).toMatch(/^\s*docusign-jwt --version\s*$/m)
      expect(run).toMatch(/(?:^|[|=])\s*docusign-jwt api\s/m)
      expect(run).not.toMatch(/dist\/cli\.js/)
    }
    expect(later.map(shellOf).sort()).toEqual(['bash', 'pwsh'])
    // PowerShell goes on after a failing native command: each call is followed by a check of its exit code.
    const pwsh = later.find(step => shellOf(step) === 'pwsh')!.run!.split('\n')
    for (const [i, line] of pwsh.entries()) {
      if (/(?:^|=)\s*docusign-jwt\s/.test(line.trim())) expect(pwsh[i + 1]).toMatch(/\$LASTEXITCODE -ne 0/)
    }
  })

  describe('the release publishes the npm package', () => {
    const { text, workflow } = byName('.github/workflows/release.yml')
    const jobs = Object.entries(workflow.jobs)
    const publishing = jobs.filter(([, job]) => stepsOf(job).some(publishes))
    const [id, job] = publishing[0] ?? []
    const steps = stepsOf(job ?? {})
    const publish = steps.findIndex(publishes)

    it('from one job, with provenance, with trusted publishing rather than a token', () => {
      expect(publishing).toHaveLength(1)
      expect(steps[publish].run).toMatch(/^npm publish --provenance --access public --tag "\$tag"$/m)
      expect(text).toMatch(/^\s*#.*trusted publishing/m)
      expect(text).not.toMatch(/\bsecrets\./)
    })

    it('after the tests pass on the tag, and after dist/ is checked and attested', () => {
      const testJobs = jobs.filter(([, j]) => stepsOf(j).some(s => s.run === 'npm test')).map(([name]) => name)
      expect(testJobs.length).toBeGreaterThan(0)
      expect(testJobs).not.toContain(id)
      const attesting = jobs.find(([, j]) => stepsOf(j).some(s => usesAction(s, 'actions/attest-build-provenance')))!
      expect(jobNeeds(job!)).toEqual(expect.arrayContaining([...testJobs, attesting[0]]))
      for (const name of testJobs) {
        const runsOf = stepsOf(workflow.jobs[name]).map(s => s.run)
        expect(runsOf).toEqual(expect.arrayContaining(['npm ci', 'npm run lint', 'npm test']))
      }
    })

    it.each([
      ['1.2.3', 'latest'],
      ['1.3.0-rc.1', 'next']
    ])(
      'publishes %s under the dist-tag %s, as npm itself takes it (a dry run, npm 11 refuses a prerelease without one)',
      async (version, tag) => {
        const dir = scratch()
        writeFileSync(
          join(dir, 'package.json'),
          JSON.stringify({ name: '@acme/docusign-jwt', version, files: ['a.js'] })
        )
        writeFileSync(join(dir, 'a.js'), '\n')
        const registry = await NpmRegistryEmulator.start([])
        try {
          const env = {
            PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
            HOME: dir,
            npm_config_registry: `${registry.url}/`,
            npm_config_dry_run: 'true'
          }
          const run = await runProcess('bash', ['-eo', 'pipefail', '-c', steps[publish].run!], env, { cwd: dir })
          expect({ exitCode: run.exitCode, stderr: run.stderr }).toMatchObject({
            exitCode: 0,
            stderr: expect.stringContaining(`with tag ${tag} and public access (dry-run)`)
          })
        } finally {
          await registry.close()
        }
      }
    )

    it('grants id-token: write to the publishing job (and the attesting one), never to the workflow or the tests', () => {
      expect(workflow.permissions).toEqual({})
      expect(job?.permissions).toEqual({ contents: 'read', 'id-token': 'write' })
      const withIdToken = jobs.filter(([, j]) => permissionsOf(j)?.['id-token'] === 'write')
      for (const [name, j] of withIdToken) {
        const why = stepsOf(j).some(s => publishes(s) || usesAction(s, 'actions/attest-build-provenance'))
        expect({ job: name, why }).toEqual({ job: name, why: true })
      }
      expect(withIdToken.filter(([, j]) => stepsOf(j).some(publishes)).map(([name]) => name)).toEqual([id])
    })
  })

  it('dependabot keeps npm and the SHA pins of GitHub Actions up to date, in the workflows and the examples', () => {
    const config = parse(readFileSync(join(ROOT, '.github/dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string; directories?: string[]; ignore?: { 'dependency-name': string }[] }[]
    }
    expect(config.updates.map(u => u['package-ecosystem']).sort()).toEqual(['github-actions', 'npm'])
    const actions = config.updates.find(u => u['package-ecosystem'] === 'github-actions')!
    expect(actions.directories).toEqual(expect.arrayContaining(['/', '/examples']))
    expect(actions.ignore?.map(i => i['dependency-name'])).toContain(REPOSITORY)
  })
})
