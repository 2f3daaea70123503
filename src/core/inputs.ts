import { InputError } from './errors.js'
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

/** What each identifier is, and where DocuSign shows it. */
const IDENTIFIERS = {
  'integration-key': ['the Integration Key', 'Apps and Keys page'],
  'user-id': ['the User ID of the user to impersonate', 'DocuSign Admin, Users; Apps and Keys shows only your own'],
  'account-id': ['an API Account ID', 'Apps and Keys page, "API Account ID"']
} as const

/** How to fill an identifier in: what it is and where DocuSign shows it. */
export function whatToSet(input: keyof typeof IDENTIFIERS): string {
  const [what, where] = IDENTIFIERS[input]
  return `Set it to ${what} (${where}).`
}

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
 * Validates every input before anything touches the network. Throws InputError naming the
 * input and the fix; messages never repeat the private key.
 */
export function parseInputs(read: InputReader): Config {
  const get = withDefaults(read)
  const config: Omit<Config, 'privateKey'> = {
    ...parseConsentSettings(read),
    userId: guid('user-id', get('user-id')),
    accountId: get('account-id') ? guid('account-id', get('account-id')) : undefined,
    skipAccountLookup: boolean('skip-account-lookup', get('skip-account-lookup')),
    exportEnv: boolean('export-env', get('export-env')),
    timeoutMs: count('timeout-seconds', get('timeout-seconds')) * 1000,
    maxAttempts: count('max-attempts', get('max-attempts'))
  }
  // The key last: its check is the costliest, and every cheaper mistake is reported first.
  return { ...config, privateKey: readPrivateKey(read('private-key')) }
}
