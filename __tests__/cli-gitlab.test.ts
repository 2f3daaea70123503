/**
 * examples/gitlab-ci.yml: its job signs in once with the CLI (`npx --yes docusign-jwt@VERSION token
 * --format shell`), makes several `docusign-jwt api` calls with the exported variables, and never
 * shows the token. Checked in its structure, and run: the job's script in bash as GitLab's shell
 * executor runs it (`set -eo pipefail`, one shell for all lines), against the DocuSign emulator (OAuth
 * and the eSignature REST API). The registry is out of reach here, so an `npx` stand-in first on PATH
 * checks that it is asked for exactly `--yes docusign-jwt@<package.json's version>`, records the
 * subcommand, and runs the built dist/cli.js of this working tree in its place.
 */
import { spawn } from 'node:child_process'
import { chmodSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { beforeAll, afterAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT } from '../emulator/runner.js'
import { DEFAULT_SCOPES, startSandbox, type Sandbox } from '../emulator/setup.js'
import { CLI, cliNode, scratch } from './helpers/cli.js'
import { secretsOf } from './helpers/leaks.js'

const FILE = join(ROOT, 'examples', 'gitlab-ci.yml')
const text = readFileSync(FILE, 'utf8')
const pipeline = parse(text) as Record<string, unknown>
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }

interface Job {
  image?: string
  variables?: Record<string, string>
  script: string[]
  artifacts?: unknown
  cache?: unknown
}
const jobs = Object.entries(pipeline).filter(([, v]) => v && typeof v === 'object' && 'script' in v) as [string, Job][]
const [[jobName, job]] = jobs
const script = job.script.join('\n')
/** How the job runs the CLI: the package at the pinned version, from the registry, through npx. */
const NPX = 'npx --yes "docusign-jwt@$DOCUSIGN_JWT_VERSION"'

describe('examples/gitlab-ci.yml, as written', () => {
  it("has one job, which runs the docusign-jwt package at package.json's version through npx", () => {
    expect(jobs).toHaveLength(1)
    expect(job.variables?.DOCUSIGN_JWT_VERSION).toBe(version)
    // Every npx runs the pinned package, and nothing else; no other way to reach DocuSign.
    const npx = script.match(/\bnpx\b[^\n;]*/g) ?? []
    expect(npx.length).toBeGreaterThan(0)
    for (const call of npx) expect(call.startsWith(`${NPX} `)).toBe(true)
    expect(script).not.toMatch(/\bcurl\b|\bwget\b|--package\b/)
  })

  it('signs in once with token --format shell (eval of the captured output), then makes the api calls', () => {
    const calls = [...script.matchAll(new RegExp(`${NPX.replace(/[$"]/g, '\\$&')} (\\w[\\w-]*)`, 'g'))].map(m => m[1])
    expect(calls[0]).toBe('token')
    expect(calls.filter(c => c === 'token')).toHaveLength(1)
    expect(calls.slice(1).every(c => c === 'api')).toBe(true)
    expect(calls.filter(c => c === 'api').length).toBeGreaterThanOrEqual(2)
    expect(script).toContain(`DOCUSIGN_EXPORTS="$(${NPX} token --format shell)"`)
    expect(script).toContain('eval "$DOCUSIGN_EXPORTS" && unset DOCUSIGN_EXPORTS')
    // The api calls sign in with nothing of their own: no sign-in flag, so the exported variables serve.
    expect(script).not.toMatch(/\sapi\s[^\n]*--(integration-key|user-id|private-key-file|environment|scopes)\b/)
    // Why: DocuSign limits the userinfo calls each sign-in makes, per hour.
    expect(text).toMatch(/^#.*\bonce\b[^]*userinfo[^]*per\s+(#\s*)?hour/im)
  })

  it('takes the three settings from protected CI/CD variables, the key masked, never from the file', () => {
    for (const name of ['DOCUSIGN_INTEGRATION_KEY', 'DOCUSIGN_USER_ID', 'DOCUSIGN_PRIVATE_KEY']) {
      expect(job.variables).not.toHaveProperty(name)
      expect(pipeline.variables ?? {}).not.toHaveProperty(name)
      expect(text).toMatch(new RegExp(`^#\\s+${name}\\s`, 'm'))
    }
    expect(text).toMatch(/"Protect variable" ticked/)
    expect(text).toMatch(/"Mask variable" on the private key only/)
    expect(text).toMatch(/The token itself cannot be masked/)
  })

  it('never echoes the token, traces no command, and keeps nothing: no artifact, cache or dotenv report', () => {
    const keys = (value: unknown): string[] =>
      value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]) : []
    expect(
      keys(pipeline).filter(k => ['artifacts', 'cache', 'reports', 'dotenv', 'CI_DEBUG_TRACE'].includes(k))
    ).toEqual([])
    expect(text.replace(/^\s*#.*$/gm, '')).not.toMatch(/set -x|dotenv|artifacts|CI_DEBUG_TRACE/)
    expect(job.script[0]).toBe('set +x')
    expect(script).not.toMatch(/\becho\b|\btee\b/)
    // The token stays in the environment the CLI reads: the script never expands it.
    expect(script).not.toMatch(/\$\{?DOCUSIGN_ACCESS_TOKEN/)
  })
})

describe('examples/gitlab-ci.yml, run', () => {
  let sandbox: Sandbox
  const ACCOUNT = '11111111-2222-4333-8444-555555555555'
  /** The envelopes completed within the job's 30 days, whose PDFs it must download. */
  let completed: string[]

  beforeAll(async () => {
    sandbox = await startSandbox()
    // Five envelopes changed in the last minutes: three completed, two still out for signature.
    sandbox.emulator.esign.seedEnvelopes(ACCOUNT, 5)
    const envelopes = sandbox.emulator.esign.envelopes(ACCOUNT)
    envelopes.slice(0, 3).forEach(e => (e.status = 'completed'))
    completed = envelopes.slice(0, 3).map(e => e.envelopeId)
  })
  afterAll(() => sandbox.emulator.close())

  /** A user of the account, whose REST base path is the emulator's eSignature API, with consent unless said otherwise. */
  function user(consent = true): string {
    const accounts = [{ account_id: ACCOUNT, account_name: 'Local', is_default: true, base_uri: sandbox.emulator.url }]
    const id = sandbox.emulator.addUser({ accounts })
    if (consent) sandbox.emulator.grantConsent(sandbox.integrationKey, id, DEFAULT_SCOPES)
    return id
  }

  /**
   * A folder with the `npx` stand-in: it accepts only `npx --yes docusign-jwt@VERSION ...` with
   * package.json's version, appends the subcommand to `log`, and runs this tree's dist/cli.js.
   */
  function npxStandIn(log: string): string {
    const bin = scratch()
    const sh = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`
    writeFileSync(
      join(bin, 'npx'),
      [
        '#!/bin/sh',
        `if [ "$1" != --yes ] || [ "$2" != ${sh(`docusign-jwt@${version}`)} ]; then`,
        '  echo "npx stand-in: not the pinned docusign-jwt: $1 $2" >&2',
        '  exit 99',
        'fi',
        'shift 2',
        `printf '%s\\n' "$1" >> ${sh(log)}`,
        `exec ${sh(cliNode())} ${sh(CLI)} "$@"`,
        ''
      ].join('\n')
    )
    chmodSync(join(bin, 'npx'), 0o755)
    return bin
  }

  interface JobRun {
    exitCode: number | null
    stdout: string
    stderr: string
    dir: string
    /** The subcommands npx ran, in order. */
    npx: string[]
  }

  /** The job's script in one bash, as GitLab's shell executor runs it, with the variables GitLab would set. */
  async function runJob(userId: string): Promise<JobRun> {
    const dir = scratch()
    const log = join(scratch(), 'npx.log')
    writeFileSync(log, '')
    const env = {
      PATH: `${npxStandIn(log)}:${dirname(cliNode())}:${process.env.PATH ?? ''}`,
      HOME: dir,
      ...job.variables,
      // A local run: DocuSign as the emulator.
      DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
      DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
      DOCUSIGN_USER_ID: userId,
      DOCUSIGN_PRIVATE_KEY: Buffer.from(sandbox.privateKey).toString('base64')
    }
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], { cwd: dir, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exitCode = await new Promise<number | null>(done => child.on('close', done))
    const npx = readFileSync(log, 'utf8').split('\n').filter(Boolean)
    return { exitCode, stdout, stderr, dir, npx }
  }

  /** No token, assertion or key (as given or base64) in the log or in any file the job left. */
  function expectNothingShown(run: JobRun): void {
    const base64Key = Buffer.from(sandbox.privateKey).toString('base64')
    const secrets = [...secretsOf(sandbox.emulator, sandbox.privateKey), base64Key]
    const files = readdirSync(run.dir, { recursive: true, encoding: 'utf8' })
      .map(f => join(run.dir, f))
      .filter(f => lstatSync(f).isFile())
    const left = files.map(f => readFileSync(f, 'latin1')).join('\n')
    for (const secret of secrets) {
      for (const part of secret.split('\n').filter(p => p.trim().length >= 8 && !p.startsWith('-----'))) {
        expect({ leaked: [run.stdout, run.stderr, left].some(t => t.includes(part)) }).toEqual({ leaked: false })
      }
    }
  }

  /** What the emulator saw during `during`: token and userinfo requests of the user, and REST calls. */
  async function observe<T>(userId: string, during: () => Promise<T>) {
    const { emulator } = sandbox
    const rest = emulator.esign.requests.length
    const userinfo = emulator.requestsTo('/oauth/userinfo').length
    const result = await during()
    return {
      result,
      tokenRequests: emulator.requestsTo('/oauth/token').filter(r => r.claims?.sub === userId).length,
      userinfoRequests: emulator.requestsTo('/oauth/userinfo').length - userinfo,
      restCalls: emulator.esign.requests.slice(rest)
    }
  }

  it(`${jobName}: signs in once, then makes every api call with the exported variables, showing the token nowhere`, async () => {
    const userId = user()
    const { result: run, tokenRequests, userinfoRequests, restCalls } = await observe(userId, () => runJob(userId))
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(
      /^3 envelope\(s\) completed since \d{4}-\d\d-\d\dT[^;]+; their signed PDFs are in signed\/\n$/
    )
    // One sign-in (one token request, one account lookup) for one list and three downloads.
    expect(run.npx).toEqual(['token', 'api', 'api', 'api', 'api'])
    expect(tokenRequests).toBe(1)
    expect(userinfoRequests).toBe(1)
    expect(restCalls).toHaveLength(4)
    const token = sandbox.emulator.issuedTokens.at(-1)
    for (const call of restCalls) {
      expect({ path: call.path, authorization: call.headers.authorization, status: call.status }).toEqual({
        path: call.path,
        authorization: `Bearer ${token}`,
        status: 200
      })
    }
    const [list, ...downloads] = restCalls
    expect(list.path).toBe(`/restapi/v2.1/accounts/${ACCOUNT}/envelopes`)
    expect(new URLSearchParams(list.query).get('status')).toBe('completed')
    expect(new URLSearchParams(list.query).get('from_date')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(downloads.map(d => d.path).sort()).toEqual(
      completed.map(id => `/restapi/v2.1/accounts/${ACCOUNT}/envelopes/${id}/documents/combined`).sort()
    )
    const pdfs = readdirSync(join(run.dir, 'signed')).sort()
    expect(pdfs).toEqual(completed.map(id => `${id}.pdf`).sort())
    for (const pdf of pdfs) expect(readFileSync(join(run.dir, 'signed', pdf), 'latin1')).toMatch(/^%PDF-/)
    expectNothingShown(run)
  })

  it(`${jobName}: fails with exit code 3 and the consent URL when consent is missing, calling no API`, async () => {
    const userId = user(false)
    const { result: run, restCalls } = await observe(userId, () => runJob(userId))
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toMatch(/^docusign-jwt: Consent required/)
    expect(run.stderr).toContain(`${sandbox.emulator.url}/oauth/auth?response_type=code`)
    expect(run.npx).toEqual(['token'])
    expect(restCalls).toHaveLength(0)
    expectNothingShown(run)
  })

  it('the npx stand-in refuses any other package or version', async () => {
    const log = join(scratch(), 'npx.log')
    const bin = npxStandIn(log)
    const child = spawn(join(bin, 'npx'), ['--yes', 'docusign-jwt@0.0.0', '--version'])
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    expect(await new Promise(done => child.on('close', done))).toBe(99)
    expect(stderr).toContain('not the pinned docusign-jwt')
  })
})
