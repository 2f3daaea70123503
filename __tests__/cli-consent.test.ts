/**
 * `docusign-jwt check --open --wait`, the fastest way to grant consent: the link opened in a browser
 * ($BROWSER stands in for one here), and the sign-in tried again until consent is granted.
 * Each test has a fresh sandbox, whose user has not consented yet.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { consentUrl } from '../src/core/consent.js'
import { cli, cliNode, sandboxEnv, scratch } from './helpers/cli.js'

let sandbox: Sandbox
const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token')
const userConsentUrl = () =>
  consentUrl(
    sandbox.emulator.url,
    ['signature', 'impersonation'],
    sandbox.integrationKey,
    'https://developers.docusign.com/platform/auth/consent'
  )

beforeEach(async () => {
  sandbox = await startSandbox()
})
afterEach(() => sandbox.emulator.close())

/** A stand-in browser: a script that records each argument it is given, one a line. */
function recordingBrowser(): { browser: string; record: string } {
  const dir = scratch()
  const record = join(dir, 'opened.txt')
  const browser = join(dir, 'browser')
  writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$@" >> '${record}'\n`)
  chmodSync(browser, 0o755)
  return { browser, record }
}

/** A stand-in browser whose user clicks Accept: it opens the URL, which the emulator takes as consent. */
function acceptingBrowser(): string {
  const browser = join(scratch(), 'browser')
  const fetch = `fetch(process.argv[1], { redirect: 'manual' }).then(r => process.exit(r.status === 302 ? 0 : 1))`
  writeFileSync(browser, `#!/bin/sh\nexec '${cliNode()}' -e "${fetch}" "$1"\n`)
  chmodSync(browser, 0o755)
  return browser
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition')
    await new Promise(resolve => setTimeout(resolve, 20))
  }
}

describe('check --open', () => {
  it('opens the user’s consent link with $BROWSER, exactly as one argument, and still exits 3', async () => {
    const { browser, record } = recordingBrowser()
    const run = await cli(sandbox, ['check', '--open'], { env: { ...sandboxEnv(sandbox), BROWSER: browser } })
    expect(run.exitCode).toBe(3)
    expect(readFileSync(record, 'utf8')).toBe(`${userConsentUrl()}\n`)
    expect(run.stdout).toContain(`  ${userConsentUrl()}\n`)
    expect(run.stdout).toMatch(/Opened the user's link in the browser/)
  })

  it.each([
    ['no $BROWSER and no opener on the PATH', {}],
    ['a $BROWSER that fails, and no opener on the PATH', { BROWSER: '/bin/false' }],
    ['a $BROWSER that does not exist', { BROWSER: '/nonexistent/browser --new-window' }]
  ])('never fails for want of a browser: %s', async (_name, browserEnv) => {
    const env = { ...sandboxEnv(sandbox), ...browserEnv, PATH: scratch() }
    const run = await cli(sandbox, ['check', '--open'], { env })
    expect(run.exitCode).toBe(3)
    expect(run.stdout).toContain(`  ${userConsentUrl()}\n`)
    expect(run.stdout).toMatch(
      /Could not open a browser \(.*xdg-open: not found\): open the user's link above yourself/
    )
  })
})

describe('check --wait', () => {
  it('succeeds once consent is granted mid-wait, and reports the account', async () => {
    const running = cli(sandbox, ['check', '--wait', '--wait-seconds', '20'], { env: sandboxEnv(sandbox) })
    // Granted once the first attempt has been refused, not while DocuSign is still checking it.
    await until(() => tokenRequests()[0]?.status === 400)
    sandbox.grantConsent()
    const run = await running
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(/Waiting for consent: trying again every 3 s for up to 20 s/)
    expect(run.stdout).toMatch(/Consent granted \(after \d+ s\)/)
    expect(run.stdout).toContain(sandbox.accountId)
    expect(tokenRequests()).toHaveLength(2)
    expect(sandbox.emulator.requestsTo('/oauth/userinfo')).toHaveLength(1)
  })

  it('gives up cleanly after --wait-seconds, with exit code 3 and the consent message', async () => {
    const started = Date.now()
    const run = await cli(sandbox, ['check', '--wait', '--wait-seconds', '1'], { env: sandboxEnv(sandbox) })
    expect(run.exitCode).toBe(3)
    expect(Date.now() - started).toBeLessThan(2500 + 1000)
    expect(run.stderr).toMatch(/^Consent was still missing after waiting 1 s\.\ndocusign-jwt: Consent required/)
    expect(run.stdout).toContain(userConsentUrl())
    expect(run.stderr).not.toContain('/oauth/auth')
    // The next try would start after the deadline: none is made.
    expect(tokenRequests()).toHaveLength(1)
  })

  it('bounds the whole wait by --wait-seconds, a first sign-in that hangs included: exit 3', async () => {
    sandbox.emulator.failNext('/oauth/token', { hang: true })
    const started = Date.now()
    const run = await cli(sandbox, ['check', '--wait', '--wait-seconds', '2'], { env: sandboxEnv(sandbox) })
    expect(run.exitCode).toBe(3)
    expect(Date.now() - started).toBeLessThan(2000 + 2500)
    expect(run.stderr).toMatch(/^docusign-jwt: Consent was not confirmed within 2 s \(--wait-seconds\)/)
    expect(run.stderr).toContain(userConsentUrl())
  })

  it('with --open, succeeds when the person accepts in the browser', async () => {
    const env = { ...sandboxEnv(sandbox), BROWSER: acceptingBrowser() }
    const run = await cli(sandbox, ['check', '--open', '--wait', '--wait-seconds', '20'], { env })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/Opened the user's link in the browser/)
    expect(run.stdout).toMatch(/Consent granted/)
    expect(sandbox.emulator.requestsTo('/oauth/auth')).toHaveLength(1)
  })

  it.each([
    [['--wait-seconds', '5'], /--wait-seconds goes with --wait/],
    [['--wait', '--wait-seconds', '0'], /--wait-seconds must be a whole number from 1 to 3600/],
    [['--wait', '--wait-seconds', '1.5'], /--wait-seconds must be a whole number from 1 to 3600/]
  ])('refuses %j as a usage error', async (args, message) => {
    const run = await cli(sandbox, ['check', ...args], { env: sandboxEnv(sandbox) })
    expect(run).toMatchObject({ exitCode: 2, stdout: '' })
    expect(run.stderr).toMatch(message)
    expect(tokenRequests()).toHaveLength(0)
  })

  it('starts the browser without the sign-in secrets in its environment, by name or by value', async () => {
    const dir = scratch()
    const record = join(dir, 'env.txt')
    const browser = join(dir, 'browser')
    writeFileSync(browser, `#!/bin/sh\nenv > '${record}'\n`)
    chmodSync(browser, 0o755)
    const secrets: Record<string, string> = {
      VAULT_TOKEN: 'hvs.CAESIvault-token-value-0123456789',
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLEKEYID0001',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      AWS_SESSION_TOKEN: 'FwoGZXIvYXdzEXAMPLEsessiontoken0123456789',
      // EKS Pod Identity's token and its file, which the credential chain reads.
      AWS_CONTAINER_AUTHORIZATION_TOKEN: 'eyJhbGciOiJSUzI1NiJ9.pod-identity-token.0123456789',
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE:
        '/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token',
      GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.a0AfH6SMBexample-google-token',
      AZURE_ACCESS_TOKEN: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.azure',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-request-token-0123456789abcdef',
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.example/idtoken',
      GITHUB_TOKEN: 'ghs_exampleGitHubToken0123456789abcdef'
    }
    // A copy of the key under a name the CLI does not know: masked, so not passed on either.
    const keyCopy = Buffer.from(sandbox.privateKey).toString('base64')
    const env = { ...sandboxEnv(sandbox, 'key-var'), ...secrets, KEY_COPY: keyCopy, BROWSER: browser, KEEP_ME: 'kept' }
    const run = await cli(sandbox, ['check', '--open'], { env })
    expect(run.exitCode).toBe(3)
    const seen = readFileSync(record, 'utf8')
    expect(seen).toMatch(/^KEEP_ME=kept$/m)
    expect(seen).toMatch(/^DOCUSIGN_INTEGRATION_KEY=/m)
    for (const name of [...Object.keys(secrets), 'DOCUSIGN_PRIVATE_KEY', 'KEY_COPY']) {
      expect({ name, passed: new RegExp(`^${name}=`, 'm').test(seen) }).toEqual({ name, passed: false })
    }
    for (const value of [...Object.values(secrets), keyCopy, ...sandbox.privateKey.split('\n').slice(1, -2)]) {
      expect(seen).not.toContain(value)
    }
  })

  it('does not open a browser without --open', async () => {
    const { browser, record } = recordingBrowser()
    const run = await cli(sandbox, ['check'], { env: { ...sandboxEnv(sandbox), BROWSER: browser } })
    expect(run.exitCode).toBe(3)
    expect(existsSync(record)).toBe(false)
  })
})
