/** The built dist/index.js, run as the Actions runner runs it, against the DocuSign emulator. */
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { decodeJwt, decodeProtectedHeader } from 'jose'
import type { RunOptions, RunResult } from '../emulator/runner.js'
import { newPrivateKeyPem, startSandbox, type Sandbox } from '../emulator/setup.js'
import { pkcs1, shapes } from './helpers/keys.js'
import { expectOneError, runChecked } from './helpers/leaks.js'

let sandbox: Sandbox
const emulator = () => sandbox.emulator
const tokenRequests = () => emulator().requestsTo('/oauth/token')
const userinfoRequests = () => emulator().requestsTo('/oauth/userinfo')

const run = (inputs: Record<string, string> = {}, options: Partial<RunOptions> = {}): Promise<RunResult> =>
  runChecked(sandbox, inputs, options)

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
})
afterAll(() => emulator().close())
beforeEach(() => {
  emulator().requests.length = 0
  sandbox.grantConsent()
})

describe('success', () => {
  it.each(Object.keys(shapes))('signs in with the key as %s, and sets every output', async shape => {
    const started = Date.now()
    const result = await run({ 'private-key': shapes[shape] })
    expect(result.exitCode).toBe(0)
    expect(result.errors).toEqual([])
    expect(result.stderr).toBe('') // no warnings either, e.g. from V8 on a flag it does not know
    const token = emulator().issuedTokens.at(-1)!
    expect(result.outputs).toMatchObject({
      'access-token': token,
      'token-type': 'Bearer',
      'expires-in': '3600',
      'account-id': sandbox.accountId,
      'account-name': 'Acme Demo',
      'base-uri': 'https://demo.docusign.net',
      'base-path': 'https://demo.docusign.net/restapi'
    })
    const expiresAt = Date.parse(result.outputs['expires-at'])
    expect(expiresAt).toBeGreaterThanOrEqual(started + 3600_000 - 1000)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000)
    expect(result.masks).toContain(token)
    expect(tokenRequests()).toHaveLength(1)
    expect(userinfoRequests()).toHaveLength(1)
    expect(userinfoRequests()[0].headers.authorization).toBe(`Bearer ${token}`)
    expect(result.summary).toMatch(/DocuSign sign-in succeeded/)
    expect(result.summary).toContain('https://demo.docusign.net/restapi')
    expect(result.summary).not.toContain(token)
  })

  it('sends the assertion DocuSign documents, as the documented form', async () => {
    const before = Math.floor(Date.now() / 1000)
    await run()
    const [request] = tokenRequests()
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const form = new URLSearchParams(request.body)
    expect(form.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer')
    const assertion = form.get('assertion')!
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'RS256', typ: 'JWT' })
    const claims = decodeJwt(assertion)
    expect(Object.keys(claims).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'scope', 'sub'])
    expect(claims).toMatchObject({
      iss: sandbox.integrationKey,
      sub: sandbox.userId,
      aud: emulator().audience,
      scope: 'signature impersonation'
    })
    expect(claims.iat).toBeGreaterThanOrEqual(before - 61)
    expect(claims.iat).toBeLessThanOrEqual(before - 59 + 5)
    expect(claims.exp! - claims.iat!).toBe(3600)
  })

  it('logs what helps and masks the decoded key, also with debug logging on', async () => {
    const key = shapes['base64 of the PEM']
    const result = await run({ 'private-key': key }, { env: { RUNNER_DEBUG: '1' } })
    expect(result.exitCode).toBe(0)
    expect(result.masks).toEqual(expect.arrayContaining([key, pkcs1.trim()]))
    const fingerprint = /public-key SHA-256 ([0-9a-f]{64})/.exec(result.log)?.[1]
    expect(fingerprint).toHaveLength(64)
    expect(result.log).toContain(sandbox.integrationKey)
    expect(result.log).toContain(sandbox.userId)
    expect(result.log).toMatch(/##\[debug\]POST .*\/oauth\/token \(attempt 1 of 3\)/)
    expect(result.log).toMatch(/Account: Acme Demo/)
  })

  it('with skip-account-lookup makes one request and sets the token outputs only', async () => {
    const result = await run({ 'skip-account-lookup': 'true' })
    expect(result.exitCode).toBe(0)
    expect(Object.keys(result.outputs).sort()).toEqual(['access-token', 'expires-at', 'expires-in', 'token-type'])
    expect(emulator().requests).toHaveLength(1)
  })

  it('with export-env sets DOCUSIGN_* variables for later steps', async () => {
    const result = await run({ 'export-env': 'true' })
    expect(result.exportedEnv).toEqual({
      DOCUSIGN_ACCESS_TOKEN: emulator().issuedTokens.at(-1),
      DOCUSIGN_ACCOUNT_ID: sandbox.accountId,
      DOCUSIGN_BASE_PATH: 'https://demo.docusign.net/restapi'
    })
    expect((await run()).exportedEnv).toEqual({})
  })

  it('still succeeds when the job summary cannot be written, and says why in the debug log', async () => {
    const result = await run({}, { env: { GITHUB_STEP_SUMMARY: '/nonexistent-dir/summary.md', RUNNER_DEBUG: '1' } })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['access-token']).toBe(emulator().issuedTokens.at(-1))
    expect(result.log).toMatch(/##\[debug\]Could not write the job summary: ENOENT/)
    expect(result.summary).toBe('')
  })
})

it('reports the token lifetime DocuSign gives, whatever it is', async () => {
  const eightHours = await startSandbox({ privateKey: pkcs1, consent: true, tokenLifetime: 28800 })
  try {
    const started = Date.now()
    const result = await runChecked(eightHours, { 'skip-account-lookup': 'true' })
    expect(result.outputs['expires-in']).toBe('28800')
    expect(Date.parse(result.outputs['expires-at']) - started).toBeGreaterThanOrEqual(28800_000 - 1000)
    expect(result.summary).toContain('(in 28800 s)')
  } finally {
    await eightHours.emulator.close()
  }
})

describe('consent', () => {
  it('fails with the consent URL in the error, the output and the summary; consent then makes it pass', async () => {
    const ik = emulator().addIntegrationKey([createPublicKey(createPrivateKey(pkcs1))])
    const env = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/app', GITHUB_RUN_ID: '42' }
    const failed = await run({ 'integration-key': ik, scopes: 'signature,click.manage' }, { env })
    const url = failed.outputs['consent-url']
    expect(url).toBe(
      `${emulator().url}/oauth/auth?response_type=code&scope=signature%20click.manage%20impersonation&client_id=${ik}&redirect_uri=https%3A%2F%2Fdevelopers.docusign.com%2Fplatform%2Fauth%2Fconsent`
    )
    expectOneError(
      failed,
      /^Consent required: user .* has not granted integration key .* consent for the scopes 'signature click.manage impersonation'/
    )
    expect(failed.errors[0]).toContain(`\n${url}\n`)
    expect(failed.errors[0]).toMatch(/signed in to DocuSign as that user/)
    expect(failed.errors[0]).toMatch(/several DocuSign memberships[\s\S]*not registered properly with DocuSign/)
    expect(failed.errors[0]).toMatch(/organization administrator/)
    expect(failed.summary).toContain(`](${url})`)
    expect(failed.summary).toContain('[re-run this workflow run](https://github.com/acme/app/actions/runs/42)')
    expect(tokenRequests()).toHaveLength(1) // deterministic: never retried

    const page = await fetch(url, { redirect: 'manual' })
    expect(page.status).toBe(302)
    const passed = await run({ 'integration-key': ik, scopes: 'signature,click.manage' })
    expect(passed.exitCode).toBe(0)
    expect(passed.outputs['consent-url']).toBeUndefined()
  })

  it('grants every user of the organization consent through the admin link, opened by an administrator', async () => {
    const admin = emulator().addUser({ name: 'Org Admin' })
    const member = emulator().addUser({ name: 'Never Consented' })
    emulator().addOrganization([admin], [member])
    const failed = await run({ 'user-id': member })
    const adminUrl = failed.outputs['admin-consent-url']
    expect(adminUrl).toContain('scope=openid&')
    expect(failed.summary).toContain(`](${adminUrl})`)

    // Opened by a user who is not an administrator, it grants nothing.
    emulator().signInBrowserAs(member)
    expect((await fetch(adminUrl, { redirect: 'manual' })).status).toBe(200) // DocuSign's error page, no redirect: nothing granted
    expect((await run({ 'user-id': member })).exitCode).toBe(1)

    emulator().signInBrowserAs(admin)
    expect((await fetch(adminUrl, { redirect: 'manual' })).status).toBe(302)
    const passed = await run({ 'user-id': member })
    expect(passed.exitCode).toBe(0)
    expect(passed.outputs['admin-consent-url']).toBeUndefined()
    emulator().signInBrowserAs(sandbox.userId)
  })

  it('puts the configured redirect URI in the consent URL', async () => {
    const ik = emulator().addIntegrationKey([createPublicKey(createPrivateKey(pkcs1))], ['https://app.example.test/cb'])
    const failed = await run({ 'integration-key': ik, 'consent-redirect-uri': 'https://app.example.test/cb' })
    expect(failed.outputs['consent-url']).toMatch(/&redirect_uri=https%3A%2F%2Fapp\.example\.test%2Fcb$/)
  })
})

describe('DocuSign errors: one message with cause and fix, never retried', () => {
  it.each<[string, () => Record<string, string>, RegExp]>([
    [
      'a key not registered on the integration key',
      () => ({ 'private-key': otherKey }),
      /no_valid_keys_or_signatures.*keypair of this integration key/s
    ],
    [
      'an unknown integration key',
      () => ({ 'integration-key': '0f0f0f0f-0000-4000-8000-000000000000' }),
      /issuer_not_found.*Check integration-key and environment/s
    ],
    ['an unknown user', () => ({ 'user-id': '0f0f0f0f-0000-4000-8000-000000000000' }), /user_not_found.*User ID GUID/s],
    [
      'an aud that is not the server host',
      () => ({ environment: emulator().url.replace('127.0.0.1', 'localhost') }),
      /issuer_not_found/
    ]
  ])('%s', async (_name, inputs, pattern) => {
    const result = await run(inputs())
    expectOneError(result, pattern)
    expect(result.summary).toMatch(/DocuSign sign-in failed[\s\S]*What went wrong:[\s\S]*How to fix it:/)
    expect(tokenRequests()).toHaveLength(1)
    expect(userinfoRequests()).toHaveLength(0)
  })

  it.each<[string, object, RegExp]>([
    ['expired_grant', { error: 'invalid_grant', error_description: 'expired_grant' }, /has expired.*clock/s],
    ['invalid_request', { error: 'invalid_request' }, /bug in docusign-jwt-auth-action/],
    [
      'an unknown answer',
      { error: 'access_denied', error_description: 'blocked' },
      /HTTP 403 \(access_denied \/ blocked\)/
    ]
  ])('%s', async (_name, body, pattern) => {
    emulator().failNext('/oauth/token', {
      status: _name === 'an unknown answer' ? 403 : 400,
      body: JSON.stringify(body)
    })
    expectOneError(await run(), pattern)
    expect(tokenRequests()).toHaveLength(1)
  })
})

describe('accounts', () => {
  let multi: string
  const second = {
    account_id: 'bbbbbbbb-0000-4000-8000-000000000002',
    account_name: 'Acme EU',
    is_default: false,
    base_uri: 'https://eu.docusign.net'
  }
  beforeAll(() => {
    multi = emulator().addUser({
      accounts: [
        {
          account_id: 'aaaaaaaa-0000-4000-8000-000000000001',
          account_name: 'Acme US',
          is_default: true,
          base_uri: 'https://na4.docusign.net'
        },
        second
      ]
    })
  })
  beforeEach(() => emulator().grantConsent(sandbox.integrationKey, multi, ['signature', 'impersonation']))

  it('picks the account named by account-id', async () => {
    const result = await run({ 'user-id': multi, 'account-id': second.account_id.toUpperCase() })
    expect(result.outputs).toMatchObject({
      'account-id': second.account_id,
      'account-name': 'Acme EU',
      'base-path': 'https://eu.docusign.net/restapi'
    })
  })

  it('lists the accounts the user has when account-id is not one of them', async () => {
    const result = await run({ 'user-id': multi, 'account-id': 'cccccccc-0000-4000-8000-000000000003' })
    expectOneError(
      result,
      /not one of the user's accounts.*aaaaaaaa-0000-4000-8000-000000000001 \(Acme US\), bbbbbbbb-0000-4000-8000-000000000002 \(Acme EU\)/
    )
  })

  it('explains a user without accounts', async () => {
    const lonely = emulator().addUser({ accounts: [] })
    emulator().grantConsent(sandbox.integrationKey, lonely, ['signature', 'impersonation'])
    expectOneError(await run({ 'user-id': lonely }), /no usable DocuSign account.*skip-account-lookup/s)
  })
})

describe('network faults', () => {
  it('retries a 503 on the token request with a fresh assertion, then succeeds', async () => {
    emulator().failNext('/oauth/token', {
      status: 503,
      body: '<html>busy</html>',
      headers: { 'Content-Type': 'text/html' }
    })
    const result = await run()
    expect(result.exitCode).toBe(0)
    const [first, second] = tokenRequests()
    expect(second?.claims?.iss).toBe(sandbox.integrationKey)
    expect(second.at - first.at).toBeGreaterThanOrEqual(450) // backoff: at least half of 1 s
  })

  it('honours Retry-After on userinfo', async () => {
    emulator().failNext('/oauth/userinfo', { status: 429, headers: { 'Retry-After': '1' } })
    const result = await run()
    expect(result.exitCode).toBe(0)
    const [first, second] = userinfoRequests()
    expect(second.at - first.at).toBeGreaterThanOrEqual(950)
  })

  it('bounds a server that never answers by timeout-seconds × max-attempts', async () => {
    emulator().failNext('/oauth/token', { hang: true }, { hang: true })
    const result = await run({ 'timeout-seconds': '1', 'max-attempts': '2' })
    expectOneError(result, /after 2 attempts: no complete answer within 1 s/)
    expect(result.durationMs).toBeLessThan(1000 * 2 + 1000 + 1500)
  })

  it('fails clearly after the attempts when DocuSign keeps answering 502', async () => {
    emulator().failNext('/oauth/token', { status: 502 }, { status: 502 })
    expectOneError(await run({ 'max-attempts': '2' }), /HTTP 502.*try again later/s)
    expect(tokenRequests()).toHaveLength(2)
  })

  it('refuses a 200 that is not JSON, or has no token', async () => {
    emulator().failNext('/oauth/token', {
      status: 200,
      body: '<html>portal</html>',
      headers: { 'Content-Type': 'text/html' }
    })
    expectOneError(await run(), /HTTP 200 and a text\/html body/)
    emulator().failNext('/oauth/token', { status: 200, body: '{"token_type":"Bearer","expires_in":3600}' })
    expectOneError(await run(), /access_token is missing/)
    emulator().failNext('/oauth/token', { status: 200, body: '{"access_token":"abcdefghijkl","expires_in":-5}' })
    expectOneError(await run(), /expires_in is missing or not a number of seconds from 1 to/)
  })
})

describe('bad input', () => {
  it('fails before any request, naming the input, without echoing the key', async () => {
    const key = shapes['base64 of the PEM']
    const result = await run({ 'private-key': key.slice(0, 200), 'max-attempts': '2' })
    expectOneError(result, /^Input 'private-key' /)
    expect(emulator().requests).toHaveLength(0)
    expect(result.errors[0]).not.toContain(key.slice(0, 20))
  })

  it('names an email given as user-id', async () => {
    const result = await run({ 'user-id': 'dana@example.com' })
    expectOneError(result, /Input 'user-id' looks like an email address.*User ID/)
    expect(emulator().requests).toHaveLength(0)
  })
})

const otherKey = newPrivateKeyPem()
