/**
 * open-issue: the built action against the DocuSign emulator and the GitHub issues API emulator.
 * A failure a person must fix opens (or updates) one issue; a later success closes it; the GitHub
 * side never changes the step's outcome; nothing secret reaches GitHub.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { GitHubEmulator } from '../emulator/github.js'
import { GITHUB_TOKEN, ROOT, type RunOptions, type RunResult } from '../emulator/runner.js'
import { newPrivateKeyPem, startSandbox, type Sandbox } from '../emulator/setup.js'
import { readIdentity } from '../scripts/identity.mjs'
import { pkcs1 } from './helpers/keys.js'
import { expectOneError, runChecked, secretsOf } from './helpers/leaks.js'

const identity = readIdentity(ROOT)

const REPO = 'acme/app'
let sandbox: Sandbox
let github: GitHubEmulator
const dir = mkdtempSync(join(tmpdir(), 'notify-'))

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
})
afterAll(() => sandbox.emulator.close())
beforeEach(async () => {
  github = await GitHubEmulator.start(REPO, GITHUB_TOKEN)
  sandbox.grantConsent()
})
afterEach(() => github.close())

const runEnv = (runId = '7') => ({
  GITHUB_API_URL: github.apiUrl,
  GITHUB_SERVER_URL: 'https://github.example',
  GITHUB_REPOSITORY: REPO,
  GITHUB_RUN_ID: runId
})

/** Runs the action; every issue body and comment written to GitHub is checked for secrets too. */
async function run(inputs: Record<string, string> = {}, options: Partial<RunOptions> = {}): Promise<RunResult> {
  const result = await runChecked(
    sandbox,
    { 'open-issue': 'true', ...inputs },
    { ...options, env: { ...runEnv(), ...options.env } }
  )
  const written = github.issues.flatMap(i => [i.title, i.body, ...i.comments]).join('\n')
  const secrets = [...secretsOf(sandbox.emulator, inputs['private-key'] ?? sandbox.privateKey), GITHUB_TOKEN]
  for (const part of secrets.flatMap(s => s.split('\n')).filter(p => p.trim().length >= 8 && !p.startsWith('-----'))) {
    expect(written.includes(part)).toBe(false)
  }
  return result
}

const newUser = () => sandbox.emulator.addUser({ name: 'Nightly Bot' })
const warnings = (result: RunResult) => result.commands.filter(c => c.name === 'warning').map(c => c.data)

describe('a failure a person must fix', () => {
  it('opens one labelled issue naming the problem, the environment and the fix, with both consent links', async () => {
    const user = newUser()
    const result = await run({ 'user-id': user })
    expectOneError(result, /^Consent required/)
    expect(github.issues).toHaveLength(1)
    const [issue] = github.issues
    expect(issue.labels.map(l => l.name)).toEqual(['docusign-sign-in'])
    expect(issue.title).toBe(`DocuSign sign-in failed (${sandbox.emulator.url}): consent required`)
    expect(issue.body).toContain(`integration-key=${sandbox.integrationKey} user-id=${user}`)
    expect(issue.body).toContain(`(${result.outputs['consent-url']})`)
    expect(issue.body).toContain(`(${result.outputs['admin-consent-url']})`)
    // Each link once, as a link: not again as a raw line of the fix.
    expect(issue.body.split(result.outputs['consent-url'])).toHaveLength(2)
    expect(issue.body.split(result.outputs['admin-consent-url'])).toHaveLength(2)
    expect(issue.body).toMatch(/several DocuSign memberships/)
    expect(issue.body).toContain(
      `(https://github.com/${identity.repository}/blob/v${identity.pkg.version}/docs/troubleshooting.md#consent-required)`
    )
    expect(issue.body).toContain('https://github.example/acme/app/actions/runs/7')
    expect(issue.body).toMatch(/\| Key \(public-key SHA-256\) \| [0-9a-f]{64} \|/)
    expect(result.outputs['issue-url']).toBe(issue.html_url)
    expect(github.requests.every(r => r.authorization === `token ${GITHUB_TOKEN}`)).toBe(true)
    expect(result.log).not.toContain(GITHUB_TOKEN)
    expect(warnings(result)).toEqual([])
  })

  it('updates the same issue when the cause changes, and closes it after a successful run', async () => {
    const user = newUser()
    await run({ 'user-id': user })
    // Consent given; then the key is rotated away on DocuSign's side: a different person-fixable cause.
    sandbox.emulator.grantConsent(sandbox.integrationKey, user, ['signature', 'impersonation'])
    const rotated = newPrivateKeyPem()
    const again = await run({ 'user-id': user, 'private-key': rotated }, { env: { GITHUB_RUN_ID: '8' } })
    expectOneError(again, /no_valid_keys_or_signatures/)
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0].comments).toHaveLength(1)
    expect(github.issues[0].comments[0]).toMatch(
      /Failed again in \[this run\]\(https:\/\/github.example\/acme\/app\/actions\/runs\/8\)/
    )
    expect(github.issues[0].comments[0]).toMatch(/no\\_valid\\_keys\\_or\\_signatures|could not verify/)
    expect(again.outputs['issue-url']).toBe(github.issues[0].html_url)

    const fixed = await run({ 'user-id': user }, { env: { GITHUB_RUN_ID: '9' } })
    expect(fixed.exitCode).toBe(0)
    expect(github.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect(github.issues[0].comments.at(-1)).toMatch(/Signed in again in \[this run\]\(.*\/runs\/9\)/)
    expect(fixed.outputs['issue-url']).toBe(github.issues[0].html_url)
  })

  it('keeps one issue per integration key, user and environment, found across pages among others and pull requests', async () => {
    const user = newUser()
    for (let i = 0; i < 130; i++) {
      github.seed({
        title: `other ${i}`,
        body: `<!-- docusign-jwt-auth-action: other ${i} -->`,
        labels: [{ name: 'docusign-sign-in' }]
      })
    }
    github.seed({ title: 'a pull request', labels: [{ name: 'docusign-sign-in' }], pull_request: { url: 'x' } })
    await run({ 'user-id': user })
    const ours = github.issues.at(-1)!
    for (let i = 0; i < 60; i++) github.seed({ title: `newer ${i}`, labels: [{ name: 'docusign-sign-in' }] })
    const again = await run({ 'user-id': user })
    expect(again.outputs['issue-url']).toBe(ours.html_url)
    expect(ours.comments).toHaveLength(1)
    expect(github.open('docusign-sign-in').filter(i => i.body.includes(`user-id=${user}`))).toHaveLength(1)
    const pages = github.requests.filter(r => r.method === 'GET').map(r => r.query.get('page') ?? '1')
    expect(pages).toEqual(expect.arrayContaining(['1', '2']))
  })

  it('ends with exactly one open issue when 20 jobs of a matrix fail at once', async () => {
    const user = newUser()
    github.writeDelayMs = 30
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => run({ 'user-id': user }, { env: { GITHUB_RUN_ID: String(100 + i) } }))
    )
    expect(results.every(r => r.exitCode === 1)).toBe(true)
    const open = github.open('docusign-sign-in')
    expect(open).toHaveLength(1)
    expect(github.issues.filter(i => i.state === 'closed').every(i => i.state_reason === 'not_planned')).toBe(true)
    expect(new Set(results.map(r => r.outputs['issue-url']))).toEqual(new Set([open[0].html_url]))
  }, 60_000)

  it("opens one for an account-id that is not the user's", async () => {
    const result = await run({ 'account-id': '11111111-2222-4333-8444-555555555555' })
    expectOneError(result, /is not one of the user's accounts/)
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0].title).toMatch(/Input 'account-id' .* is not one of the user's accounts/)
  })
})

describe('failures no person must fix open nothing', () => {
  it.each([
    ['an invalid input', { 'user-id': 'dana@example.com' }, () => undefined, /Input 'user-id' looks like an email/],
    [
      'DocuSign failing after every attempt',
      { 'max-attempts': '2' },
      () => sandbox.emulator.failNext('/oauth/token', { status: 503 }, { status: 503 }),
      /HTTP 503/
    ],
    [
      'a malformed answer',
      {},
      () => sandbox.emulator.failNext('/oauth/token', { status: 200, body: '<html>' }),
      /not DocuSign's OAuth JSON/
    ]
  ])('%s', async (_name, inputs, arrange, error) => {
    arrange()
    const result = await run(inputs as Record<string, string>)
    expectOneError(result, error)
    expect(github.requests).toEqual([])
    expect(result.outputs['issue-url']).toBeUndefined()
  })

  it('without open-issue, even a consent failure never loads the GitHub side', async () => {
    const loaded = join(dir, 'loaded.json')
    const probe = join(dir, 'probe.cjs')
    writeFileSync(
      probe,
      `process.on('exit', () => require('fs').writeFileSync(${JSON.stringify(loaded)}, JSON.stringify(Object.keys(require.cache))))`
    )
    const result = await run({ 'user-id': newUser(), 'open-issue': 'false' }, { nodeArgs: ['--require', probe] })
    expectOneError(result, /^Consent required/)
    expect(github.requests).toEqual([])
    const files = JSON.parse(readFileSync(loaded, 'utf8')) as string[]
    expect(files.some(f => f.endsWith('/dist/index.js'))).toBe(true)
    expect(files.filter(f => /\/dist\/\d+\.index\.js$/.test(f))).toEqual([])
  })
})

describe('the GitHub side never makes things worse', () => {
  it.each([
    [
      '403 (a read-only token)',
      { status: 403 },
      /HTTP 403: Resource not accessible by integration.*permissions: issues: write/
    ],
    ['404', { status: 404 }, /HTTP 404.*issues: write/],
    ['500', { status: 500 }, /HTTP 500.*reach the GitHub API/]
  ])(
    "GitHub answering %s: one warning, the sign-in failure stays the step's outcome",
    async (_name, fault, warning) => {
      github.failNext('GET', '/repos/', fault)
      const result = await run({ 'user-id': newUser() })
      expectOneError(result, /^Consent required/)
      expect(warnings(result)).toHaveLength(1)
      expect(warnings(result)[0]).toMatch(warning)
      expect(result.outputs['issue-url']).toBeUndefined()
    }
  )

  it('a read-only token on a successful run: still succeeds, with one warning', async () => {
    github.failNext('GET', '/repos/', { status: 403 })
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))
    expect(warnings(result)).toHaveLength(1)
  })

  it('a GitHub that hangs costs at most timeout-seconds', async () => {
    github.failNext('GET', '/repos/', { hang: true })
    const started = Date.now()
    const result = await run({ 'user-id': newUser(), 'timeout-seconds': '2' })
    expectOneError(result, /^Consent required/)
    expect(warnings(result)[0]).toMatch(/could not be reached: .*no complete answer within 2 s/)
    expect(Date.now() - started).toBeLessThan(2000 + 3000)
  })

  it('refuses an empty github-token with open-issue, before any request', async () => {
    const result = await run({ 'github-token': '' })
    expectOneError(result, /Input 'github-token' is empty while open-issue is 'true'/)
    expect(sandbox.emulator.requests.filter(r => r.at > Date.now() - 2000)).toEqual([])
  })
})

describe('empty secrets explain themselves', () => {
  const eventFile = (payload: object) => {
    const file = join(dir, `event-${Math.random()}.json`)
    writeFileSync(file, JSON.stringify(payload))
    return file
  }
  const fork = { pull_request: { head: { repo: { fork: true, full_name: 'someone/app' } } } }

  it.each([
    [
      'a pull request from a fork',
      { GITHUB_EVENT_NAME: 'pull_request' },
      fork,
      /Inputs 'integration-key', 'private-key' are empty.*pull request from a fork \(someone\/app\): GitHub passes neither repository secrets nor configuration variables/s
    ],
    [
      'Dependabot',
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_ACTOR: 'dependabot[bot]' },
      {},
      /triggered by Dependabot, whose runs get Dependabot secrets/
    ],
    ['anything else', { GITHUB_EVENT_NAME: 'push' }, {}, /misspelt secrets.NAME.*environment:.*organization secret/s]
  ])('%s', async (_name, env, payload, message) => {
    const result = await runChecked(
      sandbox,
      { 'integration-key': '', 'private-key': '' },
      { env: { ...env, GITHUB_EVENT_PATH: eventFile(payload) } }
    )
    expectOneError(result, message)
    if (env.GITHUB_EVENT_NAME === 'pull_request')
      expect(result.errors[0]).toMatch(/Skipping when the secrets are absent/)
    expect(sandbox.emulator.requestsTo('/oauth/token').filter(r => r.at > Date.now() - 1500)).toEqual([])
  })

  it('names the one empty input', async () => {
    expectOneError(await runChecked(sandbox, { 'user-id': ' ' }), /^Input 'user-id' is empty: the secret or variable/)
  })
})

it('opens an issue for a deleted integration key too, keyed on the key that failed', async () => {
  const ik = sandbox.emulator.addIntegrationKey([createPublicKey(createPrivateKey(newPrivateKeyPem()))])
  const result = await run({ 'integration-key': ik })
  expectOneError(result, /no_valid_keys_or_signatures/)
  expect(github.issues[0].body).toContain(`integration-key=${ik}`)
  expect(github.issues[0].title).toMatch(/invalid_grant \/ no_valid_keys_or_signatures/)
})

describe('a hostile or broken GitHub', () => {
  it('reads at most 10 pages, whatever Link headers say', async () => {
    github.linkHeader = page =>
      `<${github.apiUrl}/repos/${REPO}/issues?labels=docusign-sign-in&state=open&per_page=100&page=${page + 1}>; rel="next"`
    const result = await run({ 'user-id': newUser() })
    expectOneError(result, /^Consent required/)
    // Before creating: 10 labelled pages, then 3 of the newest open issues (none was labelled); after: 10.
    expect(github.requests.filter(r => r.method === 'GET')).toHaveLength(10 + 3 + 10)
    expect(github.issues).toHaveLength(1)
  })

  it('never sends the token to a host a Link header names', async () => {
    const other = await GitHubEmulator.start(REPO, GITHUB_TOKEN)
    try {
      github.linkHeader = () =>
        `<${other.apiUrl.replace('127.0.0.1', 'localhost')}/repos/${REPO}/issues?page=2>; rel="next"`
      const result = await run({ 'user-id': newUser() })
      expectOneError(result, /^Consent required/)
      expect(other.requests).toEqual([])
      expect(warnings(result)[0]).toMatch(/refused to send the token to http:\/\/localhost:\d+/)
    } finally {
      await other.close()
    }
  })

  it('labels the issue itself when GitHub drops the label, so the next run finds it', async () => {
    github.dropLabels = true
    const user = newUser()
    await run({ 'user-id': user })
    expect(github.issues[0].labels.map(l => l.name)).toEqual(['docusign-sign-in'])
    await run({ 'user-id': user })
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0].comments).toHaveLength(1)
  })

  it('keeps one open issue when the label does not stick: a warning, and the next runs find the issue by its marker', async () => {
    github.dropLabels = true
    github.refuseLabels = true
    const user = newUser()
    const first = await run({ 'user-id': user })
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0].labels).toEqual([])
    expect(warnings(first)).toEqual([
      expect.stringMatching(/did not keep the label 'docusign-sign-in' on issue #1; later runs still find/)
    ])
    await run({ 'user-id': user })
    expect(github.issues).toHaveLength(1)
    expect(github.issues[0].comments).toHaveLength(1)
    sandbox.emulator.grantConsent(sandbox.integrationKey, user, ['signature', 'impersonation'])
    const fixed = await run({ 'user-id': user })
    expect(fixed.exitCode).toBe(0)
    expect(github.issues[0].state).toBe('closed')
  })

  it('a slow GitHub with endless pages costs at most timeout-seconds in total', async () => {
    github.readDelayMs = 600
    github.linkHeader = page =>
      `<${github.apiUrl}/repos/${REPO}/issues?labels=docusign-sign-in&state=open&per_page=100&page=${page + 1}>; rel="next"`
    const started = Date.now()
    const result = await run({ 'user-id': newUser(), 'timeout-seconds': '2' })
    expectOneError(result, /^Consent required/)
    expect(warnings(result)[0]).toMatch(
      /no complete answer within 2 s \(timeout-seconds, for the whole GitHub side\)|ran out of its 2 s/
    )
    // The sign-in's own requests, then at most 2 s for GitHub, and the exit grace.
    expect(Date.now() - started).toBeLessThan(2000 + 3000)
    expect(github.requests.length).toBeLessThanOrEqual(4)
  })

  it.each([
    [
      410,
      'Issues has been disabled in this repository.',
      /HTTP 410.*Issues are disabled in this repository: turn them on/
    ],
    [307, undefined, /HTTP 307: a redirect, not followed\).*Check GITHUB_API_URL/]
  ])('GitHub answering %s: one warning that says what to do', async (status, message, warning) => {
    github.failNext('GET', '/repos/', { status, message })
    const result = await run({ 'user-id': newUser() })
    expectOneError(result, /^Consent required/)
    expect(warnings(result)).toEqual([expect.stringMatching(warning)])
    expect(github.issues).toHaveLength(0)
  })

  it('uses GITHUB_API_URL only when it is an http(s) URL', async () => {
    const result = await run({ 'user-id': newUser() }, { env: { ...runEnv(), GITHUB_API_URL: 'file:///etc/passwd' } })
    expectOneError(result, /^Consent required/)
    expect(warnings(result)).toEqual([
      expect.stringMatching(/GITHUB_API_URL is not an http\(s\) URL \(scheme 'file:'\)/)
    ])
    expect(github.requests).toHaveLength(0)
  })

  it("writes nothing of GitHub's to stderr (deprecation notices) or to the debug log (error bodies)", async () => {
    github.extraHeaders = {
      Deprecation: 'true',
      Sunset: 'Wed, 01 Jan 2031 00:00:00 GMT',
      Link: '<https://evil.example/phish>; rel="deprecation"'
    }
    const noisy = await run({ 'user-id': newUser() })
    expect(noisy.stderr).toBe('')
    github.extraHeaders = {}
    github.failNext('GET', '/repos/', { status: 500, text: 'RAW-GITHUB-BODY '.repeat(100) })
    const failed = await run({ 'user-id': newUser() }, { env: { RUNNER_DEBUG: '1' } })
    expect(failed.transcript).not.toContain('RAW-GITHUB-BODY')
    expect(failed.transcript).toMatch(/##\[debug\]open-issue: HttpError \(HTTP 500\)/)
  })

  it('keeps the marker even when a server echoes an identifier as the token, so runs still converge', async () => {
    sandbox.emulator.failNext('/oauth/token', {
      status: 200,
      body: JSON.stringify({ access_token: sandbox.integrationKey, expires_in: 3600 })
    })
    sandbox.emulator.failNext('/oauth/userinfo', { status: 200, body: JSON.stringify({ accounts: [] }) })
    await run()
    expect(github.issues[0].body).toContain(`integration-key=${sandbox.integrationKey}`)
  })
})
