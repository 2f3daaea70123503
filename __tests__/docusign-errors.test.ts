import { describe, expect, it } from '@jest/globals'
import { consentUrl } from '../src/core/consent.js'
import { tokenError, type ErrorContext } from '../src/core/docusign-errors.js'
import { resolveEnvironment } from '../src/core/environment.js'
import { ConsentRequiredError, DocuSignError } from '../src/core/errors.js'
import type { HttpResponse } from '../src/core/http.js'

/** An answer as the HTTP client hands it over. */
function res(status: number, body: object | string, headers: Record<string, string> = {}): HttpResponse {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) }
}

const context: ErrorContext = {
  environment: resolveEnvironment('demo'),
  integrationKey: '1a2b3c4d-0000-4000-8000-0123456789ab',
  userId: '5e6f7a8b-1111-4111-9111-abcdefabcdef',
  scopes: ['signature', 'impersonation'],
  consentRedirectUri: 'https://example.test/callback?x=1',
  keyFingerprint: 'ab'.repeat(32),
  keyDescription: 'the private key'
}

describe('consentUrl', () => {
  it('builds the first leg of the Authorization Code Grant with %20 between scopes', () => {
    expect(
      consentUrl('https://account-d.docusign.com', ['signature', 'impersonation'], 'ik', 'https://a.test/cb?x=1')
    ).toBe(
      'https://account-d.docusign.com/oauth/auth?response_type=code&scope=signature%20impersonation&client_id=ik&redirect_uri=https%3A%2F%2Fa.test%2Fcb%3Fx%3D1'
    )
  })
})

describe('tokenError', () => {
  it('turns consent_required into the consent URL with the exact scopes asked for', () => {
    const error = tokenError(res(400, { error: 'consent_required' }), context)
    expect(error).toBeInstanceOf(ConsentRequiredError)
    const url = (error as ConsentRequiredError).consentUrl
    expect(url).toBe(
      consentUrl('https://account-d.docusign.com', context.scopes, context.integrationKey, context.consentRedirectUri)
    )
    expect(error.message).toContain(url)
    expect(error.message).toMatch(/signed in to DocuSign as that user/)
    expect(error.message).toMatch(/once per user and integration key in each environment/)
    expect(error.message).toMatch(/several DocuSign memberships[\s\S]*not registered properly with DocuSign/)
    const admin = (error as ConsentRequiredError).adminConsentUrl
    expect(admin).toBe(
      'https://account-d.docusign.com/oauth/auth?response_type=code&scope=openid&client_id=1a2b3c4d-0000-4000-8000-0123456789ab&redirect_uri=https%3A%2F%2Fexample.test%2Fcallback%3Fx%3D1&admin_consent_scope=signature%20impersonation'
    )
    expect(error.message).toContain(admin)
    expect(error.message).toMatch(/organization administrator opens this URL instead/)
    expect(error.message).toMatch(/DocuSign Admin/)
    expect(error.kind).toBe('consent')
  })

  it('spells settings the way each door does', () => {
    const error = tokenError(res(400, { error: 'invalid_grant', error_description: 'issuer_not_found' }), context)
    expect(error.fix).toMatch(/^Check integration-key and environment:/)
    const cli = error.shown({ name: s => `--${s}`, subject: s => `--${s}` })
    expect(cli.fix).toMatch(/^Check --integration-key and --environment:/)
    expect(cli.message).toContain(cli.fix)
    expect(error.kind).toBe('refused')
  })

  it.each([
    ['no_valid_keys_or_signatures', /could not verify the assertion's signature/, /keypair of this integration key/],
    ['issuer_not_found', /is not known in the demo environment/, /Check integration-key and environment/],
    ['user_not_found', /is not an active user in the demo environment/, /User ID GUID/],
    ['invalid_subject', /is not an active user/, /not an email/],
    ['expired_grant', /has expired/, /clock/],
    ['unsupported_grant_type', /malformed/, /bug in docusign-jwt-auth-action/]
  ])('invalid_grant / %s gives its cause and fix', (description, cause, fix) => {
    const error = tokenError(res(400, { error: 'invalid_grant', error_description: description }), context)
    expect(error).toBeInstanceOf(DocuSignError)
    expect(error.problem).toMatch(cause)
    expect(error.fix).toMatch(fix)
    expect(error.message).toContain(`invalid_grant / ${description}`)
  })

  it('names the other environment where a mix-up is likely', () => {
    const error = tokenError(res(400, { error: 'invalid_grant', error_description: 'user_not_found' }), context)
    expect(error.fix).toMatch(/from the production environment does not work in demo/)
  })

  it('still gives status and DocuSign words for an unknown answer', () => {
    const error = tokenError(res(403, { error: 'access_denied', error_description: 'nope' }), context)
    expect(error.message).toMatch(/HTTP 403 \(access_denied \/ nope\)/)
    expect(tokenError(res(418, {}), context).message).toMatch(/HTTP 418\./)
    expect(tokenError(res(418, ''), context).message).toMatch(/HTTP 418 and an empty body, not DocuSign's OAuth JSON/)
    expect(tokenError(res(400, { error: '__proto__', error_description: 'constructor' }), context).message).toMatch(
      /HTTP 400 \(__proto__ \/ constructor\)/
    )
    expect(tokenError(res(400, { error: 'constructor' }), context).message).toMatch(/HTTP 400 \(constructor\)/)
  })
})
