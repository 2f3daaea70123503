import { describe, expect, it } from '@jest/globals'
import { ActionError, InputError } from '../src/core/errors.js'
import { DEFAULTS, parseInputs, parseScopes } from '../src/core/inputs.js'
import { readActionYml } from '../emulator/runner.js'
import { pkcs1 } from './helpers/keys.js'

const IK = '1a2b3c4d-0000-4000-8000-0123456789ab'
const USER = '5e6f7a8b-1111-4111-9111-abcdefabcdef'
const base = { 'integration-key': IK, 'user-id': USER, 'private-key': pkcs1 }

const parse = (inputs: Record<string, string>) => parseInputs(name => inputs[name] ?? '')

/** The one error for unusable settings: an InputError for one, an input-kind ActionError for several or for empty ones. */
function inputError(inputs: Record<string, string>): ActionError {
  try {
    parse({ ...base, ...inputs })
  } catch (e) {
    if (e instanceof ActionError && e.kind === 'input') return e
    throw e
  }
  throw new Error('expected an input error')
}

describe('parseInputs', () => {
  it('applies the defaults of action.yml', () => {
    const yml = readActionYml()
    for (const [name, value] of Object.entries(DEFAULTS)) expect(yml.inputs[name].default).toBe(value)
    const config = parse(base)
    expect(config.environment).toEqual({
      name: 'demo',
      oauthBase: 'https://account-d.docusign.com',
      audience: 'account-d.docusign.com'
    })
    expect(config.scopes).toEqual(['signature', 'impersonation'])
    expect(config).toMatchObject({
      skipAccountLookup: false,
      exportEnv: false,
      timeoutMs: 30000,
      maxAttempts: 3,
      accountId: undefined
    })
    expect(config.consentRedirectUri).toBe('https://developers.docusign.com/platform/auth/consent')
  })

  it('accepts GUIDs with surrounding spaces and any case, and lower-cases them', () => {
    const config = parse({ ...base, 'integration-key': `  ${IK.toUpperCase()} `, 'account-id': ` ${USER} ` })
    expect(config.integrationKey).toBe(IK)
    expect(config.accountId).toBe(USER)
  })

  it.each([
    ['production', 'https://account.docusign.com', 'account.docusign.com'],
    ['Demo', 'https://account-d.docusign.com', 'account-d.docusign.com'],
    ['https://oauth.example.test:8443', 'https://oauth.example.test:8443', 'oauth.example.test:8443'],
    ['https://oauth.example.test/', 'https://oauth.example.test', 'oauth.example.test'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000', '127.0.0.1:3000'],
    ['http://localhost:3000', 'http://localhost:3000', 'localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000', '[::1]:3000']
  ])('environment %s → %s, aud %s', (environment, oauthBase, audience) => {
    expect(parse({ ...base, environment }).environment).toMatchObject({ oauthBase, audience })
  })

  it.each([
    [{ 'integration-key': '' }, 'integration-key', /is empty/],
    [{ 'integration-key': 'not-a-guid' }, 'integration-key', /is not a GUID/],
    [{ 'user-id': 'dana@example.com' }, 'user-id', /email address/],
    [{ 'user-id': `{${USER}}` }, 'user-id', /braces/],
    [{ 'account-id': '12345678' }, 'account-id', /is not a GUID/],
    [{ environment: 'staging' }, 'environment', /neither a known environment nor a URL.*'demo'/],
    [{ environment: 'prod' }, 'environment', /did you mean 'production'\?.*'demo'/],
    [{ environment: '__proto__' }, 'environment', /neither a known environment nor a URL/],
    [{ environment: 'http://oauth.example.test' }, 'environment', /not loopback/],
    [{ environment: 'https://oauth.example.test/oauth' }, 'environment', /path/],
    [{ environment: 'https://oauth.example.test?x=1' }, 'environment', /query/],
    [{ environment: 'https://u:p@oauth.example.test' }, 'environment', /credentials/],
    [{ environment: 'ftp://oauth.example.test' }, 'environment', /scheme/],
    [{ scopes: 'signature; drop' }, 'scopes', /characters/],
    [{ scopes: ' , ' }, 'scopes', /signature impersonation/],
    [{ 'skip-account-lookup': 'yes' }, 'skip-account-lookup', /'true' or 'false'/],
    [{ 'export-env': '1' }, 'export-env', /'true' or 'false'/],
    [{ 'timeout-seconds': '0' }, 'timeout-seconds', /1 to 600/],
    [{ 'timeout-seconds': '-5' }, 'timeout-seconds', /1 to 600/],
    [{ 'timeout-seconds': '2.5' }, 'timeout-seconds', /1 to 600/],
    [{ 'timeout-seconds': '99999999' }, 'timeout-seconds', /1 to 600/],
    [{ 'max-attempts': 'three' }, 'max-attempts', /1 to 10/],
    [{ 'consent-redirect-uri': 'not a url' }, 'consent-redirect-uri', /absolute/],
    [{ 'private-key': 'nope' }, 'private-key', /not a PEM/]
  ])('%j is refused, naming %s', (inputs, input, why) => {
    const error = inputError(inputs as Record<string, string>)
    if (error instanceof InputError) expect(error.input).toBe(input)
    expect(error.message).toContain(`Input '${input}'`)
    expect(error.message).toMatch(why)
  })

  it('reports every empty and unusable setting in one message, the empty ones first', () => {
    const error = inputError({ 'user-id': '', 'private-key': '', scopes: 'a!b', 'max-attempts': '0' })
    expect(error.message).toMatch(/^Inputs 'user-id', 'private-key' are empty\./)
    expect(error.message).toMatch(
      /Also:\n- Input 'scopes' holds a scope[^\n]*\n- Input 'max-attempts' must be a whole number/
    )
    expect(error.topic).toBe('empty-settings')
  })

  it('reports several unusable settings in one message', () => {
    const error = inputError({ scopes: 'a!b', 'max-attempts': '0', environment: 'nowhere' })
    expect(error.message).toMatch(
      /^3 settings cannot be used:\n- Input 'environment'[^\n]*\n- Input 'scopes'[^\n]*\n- Input 'max-attempts'/
    )
  })

  it("explains empty settings from the job's context: a GitLab pipeline on an unprotected branch", () => {
    const env = { GITLAB_CI: 'true', CI: 'true', CI_COMMIT_REF_PROTECTED: 'false', CI_COMMIT_REF_NAME: 'feature/x' }
    let message = ''
    try {
      const values: Record<string, string> = { ...base, 'private-key': '' }
      parseInputs(name => values[name] ?? '', env)
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(
      /^Input 'private-key' is empty: the secret or variable it is set from did not reach this job\./
    )
    expect(message).toMatch(
      /on 'feature\/x', a branch or tag that is not protected: GitLab gives variables marked Protected only/
    )
    expect(message).toContain('$CI_COMMIT_REF_PROTECTED == "true"')
  })

  it('explains empty settings on a CI system it does not know (CI=true) without naming GitHub', () => {
    let message = ''
    try {
      const values: Record<string, string> = { ...base, 'private-key': '' }
      parseInputs(name => values[name] ?? '', { CI: 'true', GITHUB_EVENT_NAME: 'pull_request' })
    } catch (e) {
      message = (e as Error).message
    }
    expect(message).toMatch(/did not reach this job\.\nCheck that this CI system gives the job its secrets/)
    expect(message).not.toMatch(/GitHub|GitLab|Azure|Dependabot/)
  })
})

describe('parseScopes', () => {
  it('splits on spaces and commas, deduplicates, and adds impersonation', () => {
    expect(parseScopes('signature')).toEqual(['signature', 'impersonation'])
    expect(parseScopes('signature, click.manage  click.send,signature')).toEqual([
      'signature',
      'click.manage',
      'click.send',
      'impersonation'
    ])
    expect(parseScopes('impersonation signature')).toEqual(['impersonation', 'signature'])
  })
})
