/**
 * examples/gitlab-ci.yml: its job mints a token with the CLI and calls the eSignature API, and never
 * shows the token. Checked in its structure, and run: the job's script in bash as GitLab's shell
 * executor runs it (`set -eo pipefail`, one shell for all lines), with the CLI from this working tree
 * through npx and DocuSign as the emulator plus a REST stand-in that wants the issued token.
 */
import { spawn } from 'node:child_process'
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { ROOT } from '../emulator/runner.js'
import { DEFAULT_SCOPES, startSandbox, type Sandbox } from '../emulator/setup.js'
import { cliNode, scratch } from './helpers/cli.js'
import { secretsOf } from './helpers/leaks.js'

const FILE = join(ROOT, 'examples', 'gitlab-ci.yml')
const text = readFileSync(FILE, 'utf8')
const pipeline = parse(text) as Record<string, unknown>

interface Job {
  image?: string
  variables?: Record<string, string>
  script: string[]
  artifacts?: unknown
  cache?: unknown
}
const jobs = Object.entries(pipeline).filter(([, v]) => v && typeof v === 'object' && 'script' in v) as [string, Job][]
const [[jobName, job]] = jobs

describe('examples/gitlab-ci.yml, as written', () => {
  it('has one job, which mints the token with the CLI from a pinned commit of this repository', () => {
    expect(jobs).toHaveLength(1)
    expect(job.variables?.DOCUSIGN_JWT_CLI).toMatch(/^github:your-org\/docusign-jwt-auth-action#[0-9a-f]{40}$/)
    expect(job.script.join('\n')).toMatch(/npx --yes --package="\$DOCUSIGN_JWT_CLI" -- docusign-jwt token/)
    expect(job.script.join('\n')).toContain('/v2.1/accounts/$DOCUSIGN_ACCOUNT_ID/envelopes')
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
    const script = job.script.join('\n')
    expect(script).not.toMatch(/\becho\b|\btee\b/)
    // The token goes to curl on stdin only: never on a command line, into a file, or into the log.
    const uses = job.script.filter(line => line.includes('DOCUSIGN_ACCESS_TOKEN'))
    expect(uses).toHaveLength(1)
    expect(uses[0]).toMatch(/^printf 'Authorization: Bearer %s\\n' "\$DOCUSIGN_ACCESS_TOKEN" \|\s*curl .*-H @- /)
  })
})

describe('examples/gitlab-ci.yml, run', () => {
  let sandbox: Sandbox
  let rest: Server
  const restCalls: { url: string; authorization?: string }[] = []
  const ACCOUNT = '11111111-2222-4333-8444-555555555555'

  beforeAll(async () => {
    rest = createServer((req, res) => {
      restCalls.push({ url: req.url ?? '', authorization: req.headers.authorization })
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ resultSetSize: '2', envelopes: [{ envelopeId: 'e1' }, { envelopeId: 'e2' }] }))
    })
    await new Promise<void>(resolve => rest.listen(0, '127.0.0.1', resolve))
    sandbox = await startSandbox()
  })
  afterAll(async () => {
    await sandbox.emulator.close()
    await new Promise(resolve => rest.close(resolve))
  })

  /** A user whose account's REST base is the stand-in, with consent granted unless said otherwise. */
  function user(consent = true): string {
    const base = `http://127.0.0.1:${(rest.address() as AddressInfo).port}`
    const accounts = [{ account_id: ACCOUNT, account_name: 'Local', is_default: true, base_uri: base }]
    const id = sandbox.emulator.addUser({ accounts })
    if (consent) sandbox.emulator.grantConsent(sandbox.integrationKey, id, DEFAULT_SCOPES)
    return id
  }

  /** The job's script in one bash, as GitLab's shell executor runs it, with the variables GitLab would set. */
  async function runJob(
    userId: string
  ): Promise<{ exitCode: number | null; stdout: string; stderr: string; dir: string }> {
    const dir = scratch()
    const env = {
      PATH: `${dirname(cliNode())}:${process.env.PATH ?? ''}`,
      HOME: dir,
      npm_config_cache: join(dir, '.npm'),
      npm_config_update_notifier: 'false',
      ...job.variables,
      // A local run: the CLI from this working tree, DocuSign as the emulator.
      DOCUSIGN_JWT_CLI: ROOT,
      DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
      DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
      DOCUSIGN_USER_ID: userId,
      DOCUSIGN_PRIVATE_KEY: Buffer.from(sandbox.privateKey).toString('base64')
    }
    const child = spawn('bash', ['-eo', 'pipefail', '-c', job.script.join('\n')], { cwd: dir, env })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const exitCode = await new Promise<number | null>(done => child.on('close', done))
    return { exitCode, stdout, stderr, dir }
  }

  /** No token, assertion or key (as given or base64) in the log or in any file the job left. */
  function expectNothingShown(run: { stdout: string; stderr: string; dir: string }): void {
    const base64Key = Buffer.from(sandbox.privateKey).toString('base64')
    const secrets = [...secretsOf(sandbox.emulator, sandbox.privateKey), base64Key]
    const files = readdirSync(run.dir, { recursive: true, encoding: 'utf8' })
      .filter(f => !f.startsWith('.npm'))
      .map(f => join(run.dir, f))
      .filter(f => lstatSync(f).isFile())
    const left = files.map(f => readFileSync(f, 'utf8')).join('\n')
    for (const secret of secrets) {
      for (const part of secret.split('\n').filter(p => p.trim().length >= 8 && !p.startsWith('-----'))) {
        expect({ leaked: [run.stdout, run.stderr, left].some(t => t.includes(part)) }).toEqual({ leaked: false })
      }
    }
  }

  it(`${jobName}: mints a token and lists envelopes with it, showing it nowhere`, async () => {
    const run = await runJob(user())
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/^2 envelope\(s\) changed since \d{4}-\d\d-\d\dT/)
    expect(restCalls).toHaveLength(1)
    expect(restCalls[0].url).toMatch(new RegExp(`^/restapi/v2.1/accounts/${ACCOUNT}/envelopes\\?from_date=`))
    expect(restCalls[0].authorization).toBe(`Bearer ${sandbox.emulator.issuedTokens.at(-1)}`)
    expectNothingShown(run)
  })

  it(`${jobName}: fails with exit code 3 and the consent URL when consent is missing, calling no API`, async () => {
    restCalls.length = 0
    const run = await runJob(user(false))
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toMatch(/^docusign-jwt: Consent required/)
    expect(run.stderr).toContain(`${sandbox.emulator.url}/oauth/auth?response_type=code`)
    expect(restCalls).toHaveLength(0)
    expectNothingShown(run)
  })
})
