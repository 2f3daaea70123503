import { createPrivateKey } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { SignJWT } from 'jose'
import { JWT_BEARER } from '../emulator/docusign.js'
import { newPrivateKeyPem, startSandbox, type Sandbox } from '../emulator/setup.js'
import { consentUrl } from '../src/core/consent.js'
import { pkcs1 } from './helpers/keys.js'

let sandbox: Sandbox
const now = () => Math.floor(Date.now() / 1000)

interface Claims {
  iss?: string
  sub?: string
  aud?: string
  iat?: number
  exp?: number
  nbf?: number
  scope?: string
}

function assertion(claims: Claims, key = pkcs1, alg = 'RS256'): Promise<string> {
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
  return new SignJWT(clean).setProtectedHeader({ alg, typ: 'JWT' }).sign(createPrivateKey(key))
}

async function token(jwt: string, grantType = JWT_BEARER): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${sandbox.emulator.url}/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: grantType, assertion: jwt })
  })
  return { status: res.status, body: (await res.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1, consent: true })
})
afterAll(() => sandbox.emulator.close())

describe('DocuSign emulator /oauth/token', () => {
  it('issues a Bearer token for a valid assertion, and userinfo for it', async () => {
    const { status, body } = await token(await assertion({}))
    expect(status).toBe(200)
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 })
    const info = await fetch(`${sandbox.emulator.url}/oauth/userinfo`, {
      headers: { Authorization: `Bearer ${String(body.access_token)}` }
    })
    expect(info.status).toBe(200)
    expect(await info.json()).toMatchObject({
      sub: sandbox.userId,
      accounts: [{ account_id: sandbox.accountId, is_default: true }]
    })
  })

  it.each<[string, Claims, string | undefined]>([
    ['an unknown integration key', { iss: '00000000-0000-4000-8000-000000000000' }, 'issuer_not_found'],
    ['an aud that is another host', { aud: 'account-d.docusign.com' }, 'issuer_not_found'],
    ['an aud with a scheme', { aud: 'https://account-d.docusign.com' }, 'no_valid_keys_or_signatures'],
    ['an aud with a trailing slash', { aud: 'account-d.docusign.com/' }, 'no_valid_keys_or_signatures'],
    [
      'an iat in the future (a clock running ahead)',
      { iat: now() + 300, exp: now() + 900 },
      'no_valid_keys_or_signatures'
    ],
    ['no exp', { exp: undefined }, 'no_valid_keys_or_signatures'],
    ['an nbf in the future', { nbf: now() + 600 }, 'no_valid_keys_or_signatures'],
    ['an exp more than an hour after iat', { iat: now() - 10, exp: now() + 3600 }, 'no_valid_keys_or_signatures'],
    ['an exp in the past', { iat: now() - 600, exp: now() - 60 }, 'expired_grant'],
    ['an unknown user', { sub: '00000000-0000-4000-8000-000000000000' }, 'user_not_found'],
    ['an email as the user', { sub: 'dana@example.com' }, 'invalid_subject']
  ])('refuses %s', async (_name, claims, description) => {
    expect(await token(await assertion(claims))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: description }
    })
  })

  it('refuses a signature by a key not registered on the integration key', async () => {
    const { body } = await token(await assertion({}, newPrivateKeyPem()))
    expect(body.error_description).toBe('no_valid_keys_or_signatures')
  })

  it('refuses another algorithm, a wrong grant type and a malformed assertion', async () => {
    expect((await token(await assertion({}, pkcs1, 'PS256'))).body.error_description).toBe(
      'no_valid_keys_or_signatures'
    )
    expect((await token(await assertion({}), 'client_credentials')).body.error_description).toBe(
      'unsupported_grant_type'
    )
    expect(await token('not.a.jwt')).toEqual({ status: 400, body: { error: 'invalid_request' } })
  })

  it('answers consent_required for scopes never consented to', async () => {
    expect(await token(await assertion({ scope: 'signature impersonation click.manage' }))).toEqual({
      status: 400,
      body: { error: 'consent_required' }
    })
  })

  it('rejects userinfo without a valid token', async () => {
    const res = await fetch(`${sandbox.emulator.url}/oauth/userinfo`, { headers: { Authorization: 'Bearer nope' } })
    expect(res.status).toBe(401)
  })
})

describe('DocuSign emulator /oauth/auth', () => {
  it('grants consent as the signed-in user clicking Accept, then redirects with a code', async () => {
    const scopes = ['signature', 'impersonation', 'click.manage']
    expect((await token(await assertion({ scope: scopes.join(' ') }))).body.error).toBe('consent_required')
    const url = consentUrl(
      sandbox.emulator.url,
      scopes,
      sandbox.integrationKey,
      'https://developers.docusign.com/platform/auth/consent'
    )
    const res = await fetch(url, { redirect: 'manual' })
    expect(res.status).toBe(302)
    expect(res.headers.get('location')).toMatch(
      /^https:\/\/developers\.docusign\.com\/platform\/auth\/consent\?code=[0-9a-f]+$/
    )
    expect((await token(await assertion({ scope: scopes.join(' ') }))).status).toBe(200)
  })

  it('grants consent to whoever is signed in to the browser, not to the user in the assertion', async () => {
    const other = sandbox.emulator.addUser()
    const scopes = ['signature', 'impersonation', 'rooms.read']
    sandbox.emulator.signInBrowserAs(other)
    try {
      const url = consentUrl(
        sandbox.emulator.url,
        scopes,
        sandbox.integrationKey,
        'https://developers.docusign.com/platform/auth/consent'
      )
      expect((await fetch(url, { redirect: 'manual' })).status).toBe(302)
      expect((await token(await assertion({ scope: scopes.join(' ') }))).body.error).toBe('consent_required')
      expect((await token(await assertion({ sub: other, scope: scopes.join(' ') }))).status).toBe(200)
    } finally {
      sandbox.emulator.signInBrowserAs(sandbox.userId)
    }
  })

  it('shows an error page for a redirect URI not registered on the integration key', async () => {
    const res = await fetch(
      consentUrl(sandbox.emulator.url, ['signature'], sandbox.integrationKey, 'https://evil.test/'),
      {
        redirect: 'manual'
      }
    )
    expect(res.status).toBe(200) // a page, not a redirect: DocuSign shows the error where the person is
    expect(await res.text()).toMatch(/redirect URI is not registered properly with DocuSign/)
  })
})
