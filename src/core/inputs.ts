import { settingsError, REQUIRED } from './empty-settings.js'
import { InputError } from './errors.js'
import { GUID, IDENTIFIERS, whatToSet } from './identifiers.js'
import { resolveEnvironment, type Environment } from './environment.js'
import { readPrivateKey, type PrivateKey } from './private-key.js'
import type { SigningKeySpec } from './signers/signer.js'
import { parseSigningKey } from './signers/spec.js'
import { setting, type Setting } from './settings.js'

/** Defaults, as in action.yml (a test keeps the two equal); used when an input is absent. */
export const DEFAULTS = {
  environment: 'demo',
  scopes: 'signature impersonation',
  'account-id': '',
  'skip-account-lookup': 'false',
  'consent-redirect-uri': 'https://developers.docusign.com/platform/auth/consent',
  'export-env': 'false',
  'timeout-seconds': '30',
  'max-attempts': '3',
  'application-token': 'false'
} as const

const LIMITS = {
  'timeout-seconds': 600,
  'max-attempts': 10
} as const

/** The key that signs: the private key given, or a key vault's (`signing-key`). */
export type SigningKeySource = { privateKey: PrivateKey } | { spec: SigningKeySpec }

export interface Config {
  integrationKey: string
  /** The user to impersonate; '' for an application-access token. */
  userId: string
  signingKey: SigningKeySource
  /** An application-access token (no user, the Admin API only): no sub, no impersonation, no account. */
  applicationToken: boolean
  environment: Environment
  scopes: string[]
  accountId?: string
  skipAccountLookup: boolean
  consentRedirectUri: string
  exportEnv: boolean
  timeoutMs: number
  maxAttempts: number
}

/** Reads a raw input by its action.yml name; '' when absent (as core.getInput does). */
export type InputReader = (name: Setting) => string

const SCOPE = /^[A-Za-z0-9_.:-]+$/

function guid(input: keyof typeof IDENTIFIERS, value: string): string {
  const [what, where] = IDENTIFIERS[input]
  if (!value) throw new InputError(input, 'is empty.', whatToSet(input))
  if (GUID.test(value)) return value.toLowerCase()
  const fix = `Set it to ${what} (${where}), a GUID like 1a2b3c4d-0000-4000-8000-0123456789ab.`
  if (value.includes('@')) {
    throw new InputError(input, 'looks like an email address; DocuSign needs a GUID here.', fix)
  }
  if (/^\{.*\}$/.test(value) && GUID.test(value.slice(1, -1))) {
    throw new InputError(input, 'is wrapped in braces.', `Remove the { and }. ${fix}`)
  }
  throw new InputError(input, `is not a GUID (${value.length} characters).`, fix)
}

/** A boolean setting, as YAML 1.2 core spells one (what core.getBooleanInput accepts). */
export function boolean(input: Setting, value: string): boolean {
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new InputError(input, 'is not a boolean.', "Use 'true' or 'false'.")
}

function count(input: keyof typeof LIMITS, value: string): number {
  const max = LIMITS[input]
  const n = /^\d+$/.test(value) ? Number(value) : NaN
  if (!(n >= 1 && n <= max)) {
    throw new InputError(input, `must be a whole number from 1 to ${max}.`, `Set it to e.g. ${DEFAULTS[input]}.`)
  }
  return n
}

/**
 * Space- or comma-separated, deduplicated; `impersonation` is required by the JWT Grant for a user,
 * so it is added. An application-access token may not ask for it: it impersonates nobody.
 */
export function parseScopes(value: string, applicationToken = false): string[] {
  const scopes = [...new Set(value.split(/[\s,]+/).filter(Boolean))]
  const bad = scopes.find(s => !SCOPE.test(s))
  if (bad !== undefined || scopes.length === 0) {
    throw new InputError(
      'scopes',
      bad === undefined ? 'lists no scope.' : 'holds a scope with characters other than letters, digits and _ . : -.',
      "List scopes separated by spaces or commas, e.g. 'signature impersonation'."
    )
  }
  if (applicationToken) {
    if (scopes.includes('impersonation')) {
      throw new InputError(
        'scopes',
        "asks for 'impersonation' (the default does), which an application-access token cannot: it acts for no user.",
        "Give the Admin API scopes an organization administrator authorized the app for, e.g. 'user_read organization_read'."
      )
    }
    return scopes
  }
  if (!scopes.includes('impersonation')) scopes.push('impersonation')
  return scopes
}

function redirectUri(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || !['https:', 'http:'].includes(url.protocol) || url.username || url.password) {
    throw new InputError(
      'consent-redirect-uri',
      'is not an absolute http(s) URL.',
      `Use a redirect URI registered on the integration key, e.g. ${DEFAULTS['consent-redirect-uri']}.`
    )
  }
  // The parsed form: the URL parser drops stray line breaks and tabs, and percent-encodes the rest.
  return url.href
}

/** What a consent URL is made of: no user, no key (consent is granted by whoever opens the URL). */
export type ConsentSettings = Pick<Config, 'integrationKey' | 'environment' | 'scopes' | 'consentRedirectUri'>

/** Reads a setting, its default when absent. */
function withDefaults(read: InputReader): (name: Setting) => string {
  return name => read(name).trim() || (DEFAULTS as Record<string, string>)[name] || ''
}

/** Validates the settings of a consent URL alone; the same messages as parseInputs. */
export function parseConsentSettings(read: InputReader): ConsentSettings {
  const get = withDefaults(read)
  return {
    integrationKey: guid('integration-key', get('integration-key')),
    environment: resolveEnvironment(get('environment')),
    scopes: parseScopes(get('scopes')),
    consentRedirectUri: redirectUri(get('consent-redirect-uri'))
  }
}

/**
 * Validates every input before anything touches the network, and reports every unusable one in one
 * error (InputError for one, an ActionError listing them for several). Messages never repeat the
 * private key. `env` is the job's environment: it tells why required settings arrived empty.
 */
export function parseInputs(read: InputReader, env: Record<string, string | undefined> = {}): Config {
  const get = withDefaults(read)
  const problems: InputError[] = []
  function take<T>(parse: () => T): T {
    try {
      return parse()
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      problems.push(error)
      return undefined as T
    }
  }
  const applicationToken = take(() => boolean('application-token', get('application-token'))) ?? false
  const config: Omit<Config, 'signingKey'> = {
    integrationKey: take(() => guid('integration-key', get('integration-key'))),
    environment: take(() => resolveEnvironment(get('environment'))),
    scopes: take(() => parseScopes(get('scopes'), applicationToken)),
    consentRedirectUri: take(() => redirectUri(get('consent-redirect-uri'))),
    userId: applicationToken ? take(() => noUser(get('user-id'))) : take(() => guid('user-id', get('user-id'))),
    applicationToken,
    accountId: take(() => (get('account-id') ? guid('account-id', get('account-id')) : undefined)),
    // An application-access token has no user, so no account to look up.
    skipAccountLookup: take(() => boolean('skip-account-lookup', get('skip-account-lookup'))) || applicationToken,
    exportEnv: take(() => boolean('export-env', get('export-env'))),
    timeoutMs: take(() => count('timeout-seconds', get('timeout-seconds')) * 1000),
    maxAttempts: take(() => count('max-attempts', get('max-attempts')))
  }
  // The key last: its check is the costliest. Exactly one of private-key and signing-key.
  const rawKey = take(() => read('private-key'))
  const vaultKey = get('signing-key')
  let signingKey: SigningKeySource | undefined
  if (rawKey?.trim() && vaultKey) {
    take(() => {
      throw new InputError(
        'signing-key',
        `and ${setting('private-key')} are both set; the key must come from one place.`,
        `Keep ${setting('signing-key')} (a key in a key vault, see docs/keyless.md) or ${setting('private-key')} (the key itself), not both.`
      )
    })
  } else if (vaultKey) {
    const spec = take(() => parseSigningKey(vaultKey, env))
    if (spec) signingKey = { spec }
  } else if (rawKey?.trim()) {
    const privateKey = take(() => readPrivateKey(rawKey))
    if (privateKey) signingKey = { privateKey }
  }
  const empty = REQUIRED.filter(name =>
    name === 'private-key'
      ? !vaultKey && (rawKey === '' || rawKey?.trim() === '')
      : !(name === 'user-id' && applicationToken) && !get(name)
  )
  const error = settingsError(empty, problems, env)
  if (error) throw error
  return { ...config, signingKey: signingKey! }
}

/** Secrets the parsed settings hold besides the raw inputs (a key decoded from base64 or re-lined): each door masks them. */
export function derivedSecrets(config: Config): string[] {
  const decoded = 'privateKey' in config.signingKey ? config.signingKey.privateKey.decoded : undefined
  return decoded ? [decoded] : []
}

/** An application-access token acts for no user: a user ID given is a mistake, not ignored. */
function noUser(value: string): string {
  if (value) {
    throw new InputError(
      'user-id',
      `is set while ${setting('application-token')} is on; an application-access token acts for no user.`,
      `Leave ${setting('user-id')} empty for an application-access token, or turn ${setting('application-token')} off to impersonate the user.`
    )
  }
  return ''
}
