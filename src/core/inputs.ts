import { settingsError, REQUIRED } from './empty-settings.js'
import { InputError } from './errors.js'
import { IDENTIFIERS, whatToSet } from './identifiers.js'
import { resolveEnvironment, type Environment } from './environment.js'
import { readPrivateKey, type PrivateKey } from './private-key.js'
import type { Setting } from './settings.js'

/** Defaults, as in action.yml (a test keeps the two equal); used when an input is absent. */
export const DEFAULTS = {
  environment: 'demo',
  scopes: 'signature impersonation',
  'account-id': '',
  'skip-account-lookup': 'false',
  'consent-redirect-uri': 'https://developers.docusign.com/platform/auth/consent',
  'export-env': 'false',
  'timeout-seconds': '30',
  'max-attempts': '3'
} as const

const LIMITS = {
  'timeout-seconds': 600,
  'max-attempts': 10
} as const

export interface Config {
  integrationKey: string
  userId: string
  privateKey: PrivateKey
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

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
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

/** Space- or comma-separated, deduplicated; `impersonation` is required by the JWT Grant, so it is added. */
export function parseScopes(value: string): string[] {
  const scopes = [...new Set(value.split(/[\s,]+/).filter(Boolean))]
  const bad = scopes.find(s => !SCOPE.test(s))
  if (bad !== undefined || scopes.length === 0) {
    throw new InputError(
      'scopes',
      bad === undefined ? 'lists no scope.' : 'holds a scope with characters other than letters, digits and _ . : -.',
      "List scopes separated by spaces or commas, e.g. 'signature impersonation'."
    )
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
  const config: Omit<Config, 'privateKey'> = {
    integrationKey: take(() => guid('integration-key', get('integration-key'))),
    environment: take(() => resolveEnvironment(get('environment'))),
    scopes: take(() => parseScopes(get('scopes'))),
    consentRedirectUri: take(() => redirectUri(get('consent-redirect-uri'))),
    userId: take(() => guid('user-id', get('user-id'))),
    accountId: take(() => (get('account-id') ? guid('account-id', get('account-id')) : undefined)),
    skipAccountLookup: take(() => boolean('skip-account-lookup', get('skip-account-lookup'))),
    exportEnv: take(() => boolean('export-env', get('export-env'))),
    timeoutMs: take(() => count('timeout-seconds', get('timeout-seconds')) * 1000),
    maxAttempts: take(() => count('max-attempts', get('max-attempts')))
  }
  // The key last: its check is the costliest.
  const rawKey = take(() => read('private-key'))
  const privateKey = rawKey?.trim() ? take(() => readPrivateKey(rawKey)) : undefined
  const empty = REQUIRED.filter(name => (name === 'private-key' ? rawKey === '' || rawKey?.trim() === '' : !get(name)))
  const error = settingsError(empty, problems, env)
  if (error) throw error
  return { ...config, privateKey: privateKey! }
}
