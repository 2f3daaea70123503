/**
 * Application-access tokens: an assertion without sub, for the Admin API, once an organization
 * administrator authorized the app (DocuSign Admin > Connected Apps), through the built action and CLI.
 */
import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { cli, sandboxEnv } from './helpers/cli.js'
import { pkcs1 } from './helpers/keys.js'
import { expectOneError, runChecked } from './helpers/leaks.js'

const SCOPES = 'user_read organization_read'
let sandbox: Sandbox
const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token')
const inputs = (overrides: Record<string, string> = {}) => ({
  'application-token': 'true',
  'user-id': '',
  scopes: SCOPES,
  ...overrides
})

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
})
afterAll(() => sandbox.emulator.close())

describe('the action', () => {
  it('is refused until an administrator authorizes the app, with the Connected Apps fix and no consent link', async () => {
    const result = await runChecked(sandbox, inputs())
    expectOneError(result, /^DocuSign refused the application-access token \(consent_required\)/)
    expect(result.errors[0]).toMatch(
      /DocuSign Admin > Connected Apps > Authorize Application[^\n]*these scopes, space-separated: user_read organization_read/
    )
    expect(result.errors[0]).toMatch(/troubleshooting\.md#application-not-authorized/)
    expect(result.outputs['consent-url']).toBeUndefined()
    expect(result.errors[0]).not.toContain('/oauth/auth')
  })

  it('gets a token without a user once authorized: no sub, no impersonation, no account lookup', async () => {
    sandbox.emulator.authorizeApplication(sandbox.integrationKey, SCOPES.split(' '))
    const result = await runChecked(sandbox, inputs())
    expect(result.exitCode).toBe(0)
    const claims = tokenRequests().at(-1)!.claims!
    expect(claims.sub).toBeUndefined()
    expect(claims.scope).toBe(SCOPES)
    expect(decodeJwt(new URLSearchParams(tokenRequests().at(-1)!.body).get('assertion')!).sub).toBeUndefined()
    expect(sandbox.emulator.requestsTo('/oauth/userinfo')).toHaveLength(0)
    expect(result.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))
    expect(Object.keys(result.outputs).sort()).toEqual(['access-token', 'expires-at', 'expires-in', 'token-type'])
    expect(result.log).toMatch(/as the application itself \(an application-access token, for the Admin API only\)/)
    expect(result.summary).toMatch(/an application-access token: no user, for the Admin API only/)
  })

  it.each([
    [{ 'user-id': sandbox_user() }, /Input 'user-id' is set while application-token is on/],
    [{ scopes: 'signature impersonation' }, /Input 'scopes' asks for 'impersonation'/]
  ])('refuses %j before any request', async (overrides, message) => {
    const before = tokenRequests().length
    const result = await runChecked(sandbox, inputs(overrides))
    expectOneError(result, message)
    expect(tokenRequests()).toHaveLength(before)
  })

  it('reports both mistakes in one message: a user ID and the default scopes', async () => {
    const result = await runChecked(sandbox, { 'application-token': 'true' })
    expectOneError(
      result,
      /^2 settings cannot be used:\n- Input 'scopes' asks for 'impersonation'[\s\S]*\n- Input 'user-id' is set/
    )
  })
})

describe('the command', () => {
  const env = () => ({ ...sandboxEnv(sandbox), DOCUSIGN_USER_ID: '', DOCUSIGN_SCOPES: SCOPES })

  it('docusign-jwt token --application-token prints the token', async () => {
    sandbox.emulator.authorizeApplication(sandbox.integrationKey, SCOPES.split(' '))
    const run = await cli(sandbox, ['token', '--application-token'], { env: env(), tokenOnStdout: true })
    expect(run.exitCode).toBe(0)
    expect(run.stdout.trim()).toBe(sandbox.emulator.issuedTokens.at(-1))
  })

  it('exits 3 for an app no administrator authorized for these scopes', async () => {
    const run = await cli(sandbox, ['token', '--application-token', '--scopes', 'user_write'], { env: env() })
    expect(run.exitCode).toBe(3)
    expect(run.stderr).toMatch(/Connected Apps > Authorize Application/)
  })

  it('docusign-jwt api refuses it: exit 2, nothing sent', async () => {
    const before = tokenRequests().length
    const run = await cli(sandbox, ['api', '/envelopes'], { env: { ...env(), DOCUSIGN_APPLICATION_TOKEN: 'true' } })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(/is for DocuSign's Admin API, another host/)
    expect(tokenRequests()).toHaveLength(before)
  })
})

function sandbox_user(): string {
  return '5e6f7a8b-1111-4111-9111-abcdefabcdef'
}
