/**
 * The example workflows' REST steps, run: examples/send-envelope.yml and examples/scheduled-report.yml
 * call `docusign-jwt api` by name after the sign-in. Each runs here as the runner runs it: the built
 * action signs in against the emulator (which also serves the eSignature REST API), then the example's
 * own `run:` script runs as a later step of the same job, with its `env:` evaluated and the runner's
 * shell for it (`shell: bash` adds pipefail). The scripts use GNU base64 and jq, as on ubuntu-latest:
 * elsewhere this file skips.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT, startJob, type Job, type RunResult } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { readIdentity } from '../scripts/identity.mjs'
import { scratch } from './helpers/cli.js'

interface Step {
  id?: string
  name?: string
  uses?: string
  run?: string
  shell?: string
  env?: Record<string, string>
  with?: Record<string, unknown>
}
const stepsOf = (file: string, job: string): Step[] =>
  (parse(readFileSync(join(ROOT, 'examples', file), 'utf8')) as { jobs: Record<string, { steps: Step[] }> }).jobs[job]
    .steps
// The examples pin this action by the repository package.json names (npm run set-repository renames both).
const { repository } = readIdentity(ROOT)
const isSignIn = (step: Step) => (step.uses ?? '').startsWith(`${repository}@`)

/** A step's `env:` with each `${{ context.path }}` looked up in `contexts` (`steps.since.outputs.from`...). */
function evaluateEnv(step: Step, contexts: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(step.env ?? {}).map(([name, value]) => {
      const expression = /^\$\{\{\s*([\w.-]+)\s*\}\}$/.exec(value)?.[1]
      if (expression === undefined) return [name, value]
      if (!(expression in contexts)) throw new Error(`The test has no value for ${expression} (${name})`)
      return [name, contexts[expression]]
    })
  )
}

/** The step's script as the runner's shell runs it: `shell: bash` is `bash -eo pipefail`, the default `bash -e`. */
const scriptOf = (step: Step) => (step.shell === 'bash' ? `set -o pipefail\n${step.run}` : step.run!)

const runnable =
  process.platform === 'linux' &&
  spawnSync('jq', ['--version']).status === 0 &&
  spawnSync('base64', ['-w0'], { input: 'x' }).status === 0

let sandbox: Sandbox
let job: Job

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => sandbox.emulator.close())
afterEach(() => job?.close())

/** A user of its own account, whose REST base path is the emulator's eSignature API. */
function user(accountId: string): string {
  const userId = sandbox.emulator.addUser({
    accounts: [{ account_id: accountId, account_name: 'Examples', is_default: true, base_uri: sandbox.emulator.url }]
  })
  sandbox.emulator.grantConsent(sandbox.integrationKey, userId, ['signature', 'impersonation'])
  return userId
}

/** Signs in as the example's sign-in step does, with the emulator's settings instead of vars and secrets. */
async function signIn(step: Step, userId: string): Promise<RunResult> {
  const exportEnv = String(step.with?.['export-env'] ?? 'false')
  const run = await job.runAction({
    inputs: sandbox.inputs({ 'user-id': userId, 'export-env': exportEnv }),
    secretInputs: ['private-key']
  })
  expect(run.exitCode).toBe(0)
  return run
}

/** The raw output of a step (before the runner masks anything) must not hold the token. */
function expectNoToken(step: RunResult): void {
  for (const token of sandbox.emulator.issuedTokens) {
    expect({ leaked: (step.stdout + step.stderr + step.rawSummary).includes(token) }).toEqual({ leaked: false })
  }
}

/** A DocuSign error answer with a detail the log must not show: only errorCode and message may appear. */
const refusal = (errorCode: string) => ({
  status: 400,
  body: JSON.stringify({ errorCode, message: `Refused: ${errorCode}.`, detail: 'PRIVATE-ANSWER-DETAIL' })
})

;(runnable ? describe : describe.skip)('examples/send-envelope.yml, run', () => {
  const steps = stepsOf('send-envelope.yml', 'send')
  const check = steps.find(s => /contracts\/agreement\.pdf/.test(s.run ?? ''))!
  const signInStep = steps.find(isSignIn)!
  const send = steps.find(s => s.id === 'envelope')!
  const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n(/sn1/)\n%%EOF\n', 'latin1')
  const inputs = { 'inputs.signer-email': 'signer@example.com', 'inputs.signer-name': 'Sam Signer' }
  const ACCOUNT = '6a7b8c9d-0000-4000-8000-00000000e5e5'
  let userId: string
  beforeAll(() => {
    userId = user(ACCOUNT)
  })

  /** A checkout with the PDF (unless `pdf` is false). */
  function workspace(pdf = true): string {
    const dir = scratch()
    mkdirSync(join(dir, 'contracts'))
    if (pdf) writeFileSync(join(dir, 'contracts', 'agreement.pdf'), PDF)
    return dir
  }

  async function sendStep(dir: string): Promise<RunResult> {
    job = startJob()
    expect((await job.runStep({ script: scriptOf(check) }, { cwd: dir })).exitCode).toBe(0)
    await signIn(signInStep, userId)
    return job.runStep({ script: scriptOf(send) }, { cwd: dir, env: evaluateEnv(send, inputs) })
  }

  it('signs in with export-env, posts the envelope from jq on stdin, and sets envelope-id from the answer', async () => {
    expect(signInStep.with?.['export-env']).toBe(true)
    const dir = workspace()
    const before = sandbox.emulator.esign.envelopes(ACCOUNT).length
    const step = await sendStep(dir)
    expect(step.stderr).toBe('')
    expect(step.exitCode).toBe(0)
    const created = sandbox.emulator.esign.envelopes(ACCOUNT).slice(before)
    expect(created).toHaveLength(1)
    expect(step.outputs).toEqual({ 'envelope-id': created[0].envelopeId })
    expect(created[0]).toMatchObject({ status: 'sent', emailSubject: 'Please sign the agreement' })
    expect(created[0].documents[0].bytes.equals(PDF)).toBe(true)
    expect(created[0].recipients).toMatchObject({ signers: [{ email: 'signer@example.com', name: 'Sam Signer' }] })
    // Nothing of the answer in the log, and no file left behind: the body went on stdin.
    expect(step.stdout).toBe('')
    expect(readdirSync(dir, { recursive: true })).toEqual(['contracts', join('contracts', 'agreement.pdf')])
    expectNoToken(step)
  })

  it("fails with DocuSign's errorCode and message when DocuSign refuses, never its whole answer", async () => {
    sandbox.emulator.esign.failNext(refusal('ENVELOPE_IS_INCOMPLETE'))
    const step = await sendStep(workspace())
    expect(step.exitCode).toBe(4) // the CLI's code: pipefail carries it out of the pipe
    expect(step.stderr).toContain('ENVELOPE_IS_INCOMPLETE')
    expect(step.stdout + step.stderr).not.toContain('PRIVATE-ANSWER-DETAIL')
    expect(step.errors.join('\n')).not.toMatch(/no envelope ID/)
    expect(step.outputs).toEqual({})
    expectNoToken(step)
  })

  it('fails on an answer without an envelope ID, printing nothing of it', async () => {
    sandbox.emulator.esign.failNext({ status: 201, body: JSON.stringify({ status: 'sent', uri: 'PRIVATE-URI' }) })
    const step = await sendStep(workspace())
    expect(step.exitCode).toBe(1)
    expect(step.errors).toEqual([expect.stringMatching(/no envelope ID/)])
    expect(step.stdout + step.stderr).not.toContain('PRIVATE-URI')
    expect(step.outputs).toEqual({})
  })

  it('stops before the sign-in when the PDF is missing', async () => {
    job = startJob()
    const step = await job.runStep({ script: scriptOf(check) }, { cwd: workspace(false) })
    expect(step.exitCode).toBe(1)
    expect(step.errors).toEqual([expect.stringMatching(/agreement\.pdf is missing or empty/)])
  })
})

;(runnable ? describe : describe.skip)('examples/scheduled-report.yml, run', () => {
  const steps = stepsOf('scheduled-report.yml', 'report')
  const signInStep = steps.find(isSignIn)!
  const list = steps.find(s => /docusign-jwt api/.test(s.run ?? ''))!
  const FROM = '2023-03-01T00:00:00Z'
  const TOTAL = 1005 // more than one page: DocuSign's pages hold at most 1,000 envelopes
  const ACCOUNT = '6a7b8c9d-0000-4000-8000-00000000f6f6'
  let userId: string

  beforeAll(() => {
    userId = user(ACCOUNT)
    sandbox.emulator.esign.seedEnvelopes(ACCOUNT, TOTAL, new Date('2023-03-01T00:00:01Z'))
    // Changed before FROM: not listed.
    sandbox.emulator.esign.seedEnvelopes(ACCOUNT, 2, new Date('2023-01-01T00:00:00Z'))
    sandbox.emulator.esign.envelopes(ACCOUNT).find(e => e.emailSubject === 'Seeded envelope 7')!.emailSubject =
      'Terms | v2\r\nsee C:\\contracts'
  })

  async function listStep(): Promise<RunResult> {
    job = startJob()
    const outputs = (await signIn(signInStep, userId)).outputs
    const contexts = {
      ...Object.fromEntries(Object.entries(outputs).map(([k, v]) => [`steps.docusign.outputs.${k}`, v])),
      'steps.since.outputs.from': FROM
    }
    return job.runStep({ script: scriptOf(list) }, { env: evaluateEnv(list, contexts) })
  }

  it('lists every page of the envelopes changed since the last run into the summary, cells escaped', async () => {
    const calls = sandbox.emulator.esign.requests.length
    const step = await listStep()
    expect(step.stderr).toBe('')
    expect(step.exitCode).toBe(0)
    expect(step.stdout).toBe('')
    const requests = sandbox.emulator.esign.requests.slice(calls)
    expect(requests).toHaveLength(2)
    const query = new URLSearchParams(requests[0].query)
    expect([query.get('from_date'), query.get('from_to_status')]).toEqual([FROM, 'changed'])
    const lines = step.rawSummary.split('\n')
    expect(lines.slice(0, 4)).toEqual([
      `### Envelopes changed since ${FROM} (Examples)`,
      '',
      '| Subject | Status | Changed |',
      '|---|---|---|'
    ])
    const rows = lines.filter(l => l.startsWith('| ') && !l.startsWith('| Subject'))
    expect(rows).toHaveLength(TOTAL)
    expect(rows).toContainEqual(expect.stringMatching(/^\| Terms \\\| v2 see C:\\\\contracts \| sent \| 2023-03-01T/))
    expect(lines.filter(Boolean).at(-1)).toBe(`${TOTAL} envelope(s).`)
    expectNoToken(step)
  })

  it("fails with its own ::error:: and DocuSign's errorCode when DocuSign refuses, never the answer", async () => {
    sandbox.emulator.esign.failNext(refusal('USER_LACKS_PERMISSIONS'))
    const step = await listStep()
    expect(step.exitCode).toBe(1)
    expect(step.errors).toEqual([expect.stringMatching(/envelope list failed/)])
    expect(step.stderr).toContain('USER_LACKS_PERMISSIONS')
    expect(step.stdout + step.stderr + step.rawSummary).not.toContain('PRIVATE-ANSWER-DETAIL')
    expect(step.rawSummary).toBe('')
    expectNoToken(step)
  })
})
