/**
 * DocuSign's real answers (__tests__/fixtures/docusign-answers.json, each with its public source):
 * the emulator gives the same answer for every situation it models, and each recorded answer, replayed
 * to the built action and the built CLI, gets its cause, its fix and its troubleshooting entry.
 */
import { createPrivateKey, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { SignJWT } from 'jose'
import { JWT_BEARER } from '../emulator/docusign.js'
import { ROOT } from '../emulator/runner.js'
import { newPrivateKeyPem, startSandbox, type Sandbox } from '../emulator/setup.js'
import { adminConsentUrl, consentUrl } from '../src/core/consent.js'
import { cli, sandboxEnv } from './helpers/cli.js'
import { pkcs1 } from './helpers/keys.js'
import { runChecked } from './helpers/leaks.js'

interface RecordedAnswer {
  id: string
  situation: string
  request: 'token' | 'userinfo' | 'consent-page' | 'rest'
  status: number
  headers?: Record<string, string>
  body: string
  cause: string
  source: string
  certainty: 'verbatim' | 'paraphrased' | 'inferred'
}

const recorded: RecordedAnswer[] = (
  JSON.parse(readFileSync(join(ROOT, '__tests__/fixtures/docusign-answers.json'), 'utf8')) as {
    answers: RecordedAnswer[]
  }
).answers
const answer = (id: string): RecordedAnswer => recorded.find(a => a.id === id)!

/** The troubleshooting entry and the CLI's exit code each recorded cause must reach. */
const EXPECTED: Record<string, { topic: string; exit: number }> = {
  consent_required: { topic: 'consent-required', exit: 3 },
  consent_wrong_membership: { topic: 'consent-required', exit: 3 },
  no_valid_keys_or_signatures: { topic: 'no-valid-keys-or-signatures', exit: 4 },
  issuer_not_found: { topic: 'issuer-not-found', exit: 4 },
  user_not_found: { topic: 'user-not-found', exit: 4 },
  expired_grant: { topic: 'expired-grant', exit: 4 },
  invalid_grant_bare: { topic: 'invalid-grant', exit: 4 },
  caller_bug: { topic: 'malformed-request', exit: 1 },
  userinfo_refused: { topic: 'userinfo-refused', exit: 4 },
  not_docusign: { topic: 'not-docusign', exit: 5 },
  unavailable: { topic: 'unavailable', exit: 5 }
}

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1, consent: true })
})
afterAll(() => sandbox.emulator.close())

it('records at least 25 situations, each with a public source and how sure it is', () => {
  expect(recorded.length).toBeGreaterThanOrEqual(25)
  for (const a of recorded) {
    expect(a.source).toMatch(/^https:\/\//)
    expect(['verbatim', 'paraphrased', 'inferred']).toContain(a.certainty)
  }
  expect(new Set(recorded.map(a => a.id)).size).toBe(recorded.length)
})

describe('each recorded OAuth answer, replayed, gets its cause and fix through both doors', () => {
  const replayable = recorded.filter(a => (a.request === 'token' || a.request === 'userinfo') && EXPECTED[a.cause])

  it.each(replayable.map(a => [a.id, a] as const))('%s', async (_id, a) => {
    const traceToken = randomUUID()
    const fault = { status: a.status, body: a.body, headers: { ...a.headers, 'X-DocuSign-TraceToken': traceToken } }
    const path = a.request === 'token' ? '/oauth/token' : '/oauth/userinfo'
    const { topic, exit } = EXPECTED[a.cause]
    const referenceId = /"reference_id"\s*:\s*"([^"]+)"/.exec(a.body)?.[1]

    sandbox.emulator.failNext(path, fault)
    const action = await runChecked(sandbox, { 'max-attempts': '1' })
    expect(action.exitCode).toBe(1)
    expect(action.errors).toHaveLength(1)
    expect(action.errors[0]).toContain(`docs/troubleshooting.md#${topic}`)
    expect(action.errors[0]).toContain(`X-DocuSign-TraceToken ${traceToken}`)
    if (referenceId) expect(action.errors[0]).toContain(`reference_id ${referenceId}`)
    expect(action.errors[0]).not.toMatch(/Check the inputs; if they are right/)
    expect(action.summary).toContain(traceToken)

    sandbox.emulator.failNext(path, fault)
    const run = await cli(sandbox, ['token', '--max-attempts', '1'], { env: sandboxEnv(sandbox) })
    expect(run.exitCode).toBe(exit)
    expect(run.stderr).toContain(`docs/troubleshooting.md#${topic}`)
    expect(run.stderr).toContain(`X-DocuSign-TraceToken ${traceToken}`)
  })

  it('a 401 at userinfo says DocuSign refused the token it had just issued, and how to avoid the call', async () => {
    sandbox.emulator.failNext('/oauth/userinfo', {
      status: 401,
      body: answer('userinfo-401-internal-server-error-java').body
    })
    const result = await runChecked(sandbox, {})
    expect(result.errors[0]).toMatch(/^DocuSign refused the access token it had just issued/)
    expect(result.errors[0]).toMatch(/skip-account-lookup/)
    expect(result.errors[0]).toMatch(/reference_id 58c96d39-20db-42d7-b789-4628c0511d68/)
  })

  it('a bare invalid_grant lists the family of causes', async () => {
    sandbox.emulator.failNext('/oauth/token', { status: 400, body: answer('invalid-grant-bare-java-example').body })
    const result = await runChecked(sandbox, {})
    expect(result.errors[0]).toMatch(
      /not a keypair of integration key[\s\S]*not known in this environment[\s\S]*User ID GUID[\s\S]*clock is far off/
    )
  })

  it('an HTML page at the token endpoint says the answer did not come from DocuSign', async () => {
    sandbox.emulator.failNext('/oauth/token', {
      status: 400,
      body: answer('not-docusign-html-bad-request').body,
      headers: { 'Content-Type': 'text/html' }
    })
    const result = await runChecked(sandbox, {})
    expect(result.errors[0]).toMatch(
      /HTTP 400 and a text\/html body, not DocuSign's OAuth JSON: the answer did not come from DocuSign's OAuth service/
    )
  })
})

describe('the emulator answers as DocuSign did', () => {
  const now = () => Math.floor(Date.now() / 1000)
  function assertion(claims: Record<string, unknown>, key = pkcs1): Promise<string> {
    const payload = {
      iss: sandbox.integrationKey,
      sub: sandbox.userId,
      aud: sandbox.emulator.audience,
      iat: now() - 60,
      exp: now() + 3000,
      scope: 'signature impersonation',
      ...claims
    }
    const clean = Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined))
    return new SignJWT(clean).setProtectedHeader({ alg: 'RS256', typ: 'JWT' }).sign(createPrivateKey(key))
  }
  async function post(form: Record<string, string>): Promise<Response> {
    return fetch(`${sandbox.emulator.url}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form)
    })
  }
  /** Same status, same JSON fields and values (a reference_id is any GUID), and a trace token. */
  async function expectLike(res: Response, id: string): Promise<void> {
    const real = answer(id)
    expect(res.status).toBe(real.status)
    expect(res.headers.get('x-docusign-tracetoken')).toMatch(/^[0-9a-f-]{36}$/)
    const ours = (await res.json()) as Record<string, unknown>
    const theirs = JSON.parse(real.body) as Record<string, unknown>
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort())
    for (const [key, value] of Object.entries(theirs)) {
      if (key === 'reference_id') expect(ours[key]).toMatch(/^[0-9a-f-]{36}$/)
      else expect(ours[key]).toBe(value)
    }
  }
  const token = async (claims: Record<string, unknown>, key?: string) =>
    post({ grant_type: JWT_BEARER, assertion: await assertion(claims, key) })
  const otherKey = newPrivateKeyPem()

  it.each<[string, () => Promise<Response>]>([
    ['consent-required-never-granted-java-sdk', async () => token({ sub: sandbox.emulator.addUser() })],
    ['no-valid-keys-key-not-registered', async () => token({}, otherKey)],
    ['no-valid-keys-clock-wrong', async () => token({ iat: now() + 600, exp: now() + 1200 })],
    ['no-valid-keys-aud-with-https-prefix', async () => token({ aud: `https://${sandbox.emulator.audience}` })],
    ['no-valid-keys-exp-missing', async () => token({ exp: undefined })],
    ['no-valid-keys-nbf-in-future', async () => token({ nbf: now() + 600 })],
    ['issuer-not-found-php-sdk', async () => token({ iss: randomUUID() })],
    ['issuer-not-found-aud-other-environment', async () => token({ aud: 'account.docusign.com' })],
    ['user-not-found-community', async () => token({ sub: randomUUID() })],
    ['invalid-subject-email-as-sub', async () => token({ sub: 'dana@example.com' })],
    ['expired-grant-exp-in-past', async () => token({ iat: now() - 900, exp: now() - 300 })],
    ['caller-bug-unsupported-grant-type', async () => post({ grant_type: 'password', assertion: 'x' })],
    ['caller-bug-invalid-request', async () => post({ grant_type: JWT_BEARER, assertion: 'not a jwt' })],
    [
      'userinfo-401-expired-token',
      async () => fetch(`${sandbox.emulator.url}/oauth/userinfo`, { headers: { Authorization: 'Bearer expired' } })
    ]
  ])('%s', async (id, request) => {
    await expectLike(await request(), id)
  })

  describe('the consent page', () => {
    const page = async (url: string) => {
      const res = await fetch(url, { redirect: 'manual' })
      return { status: res.status, text: await res.text() }
    }
    const visible = (html: string) => /<div class="error">([^<]*)<\/div>/.exec(html)?.[1]
    const scopes = ['signature', 'impersonation']

    it('an unregistered redirect URI', async () => {
      const shown = await page(consentUrl(sandbox.emulator.url, scopes, sandbox.integrationKey, 'https://evil.test/'))
      expect(visible(shown.text)).toBe(visible(answer('consent-page-redirect-uri-not-registered').body))
    })

    it('no redirect URIs at all', async () => {
      const key = sandbox.emulator.addIntegrationKey([], [])
      const shown = await page(consentUrl(sandbox.emulator.url, scopes, key, 'https://a.test/'))
      expect(visible(shown.text)).toBe(visible(answer('consent-page-no-redirect-uris').body))
    })

    it('an integration key without the Authorization Code Grant', async () => {
      const key = sandbox.emulator.addIntegrationKey([], undefined, randomUUID(), false)
      const shown = await page(
        consentUrl(sandbox.emulator.url, scopes, key, 'https://developers.docusign.com/platform/auth/consent')
      )
      expect(visible(shown.text)).toBe(visible(answer('consent-page-response-type-not-supported').body))
    })

    it('the organization link opened by someone who is not an administrator', async () => {
      const shown = await page(
        adminConsentUrl(
          sandbox.emulator.url,
          scopes,
          sandbox.integrationKey,
          'https://developers.docusign.com/platform/auth/consent'
        )
      )
      expect(visible(shown.text)).toBe(visible(answer('consent-page-admin-consent-not-admin').body))
    })

    it('several memberships under one email: consent accepted as the other one leaves consent_required', async () => {
      const wanted = sandbox.emulator.addUser({ email: 'pat@example.com' })
      const other = sandbox.emulator.addUser({ email: 'pat@example.com' })
      sandbox.emulator.signInBrowserAs(other)
      try {
        await page(
          consentUrl(
            sandbox.emulator.url,
            scopes,
            sandbox.integrationKey,
            'https://developers.docusign.com/platform/auth/consent'
          )
        )
        await expectLike(await token({ sub: wanted }), 'consent-required-wrong-membership')
      } finally {
        sandbox.emulator.signInBrowserAs(sandbox.userId)
      }
    })
  })
})
