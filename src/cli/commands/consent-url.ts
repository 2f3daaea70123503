import { adminConsentUrl, consentUrl } from '../../core/consent.js'
import { resolveEnvironment } from '../../core/environment.js'
import { DEFAULTS, parseInputs, parseScopes } from '../../core/inputs.js'
import type { Setting } from '../../core/settings.js'
import { rawSetting } from '../settings.js'
import type { Context } from './context.js'

/** Stands in for the key, which a consent URL does not need: the core reads it after every other setting. */
class KeyNotNeeded extends Error {}

/** Any valid GUID: the user is not part of a consent URL (consent is granted by whoever opens it). */
const ANY_USER = '00000000-0000-4000-8000-000000000000'
const USED: Setting[] = ['integration-key', 'environment', 'scopes', 'consent-redirect-uri']

/**
 * `consent-url`: the individual (or, with --admin, the admin) consent URL from the integration key,
 * scopes, environment and redirect URI alone. No key, no request. The settings are validated by the
 * core's parseInputs, with the same messages as every other command.
 */
export function consentUrlCommand({ flags, env, term }: Context): number {
  const get = (setting: Setting): string =>
    rawSetting(setting, flags, env).trim() || (DEFAULTS as Record<string, string>)[setting] || ''
  try {
    parseInputs(setting => {
      if (setting === 'private-key') throw new KeyNotNeeded()
      if (setting === 'user-id') return ANY_USER
      return USED.includes(setting) ? rawSetting(setting, flags, env) : ''
    })
  } catch (error) {
    if (!(error instanceof KeyNotNeeded)) throw error
  }
  const args = [
    resolveEnvironment(get('environment')).oauthBase,
    parseScopes(get('scopes')),
    get('integration-key').toLowerCase(),
    new URL(get('consent-redirect-uri')).href
  ] as const
  term.product(`${flags.admin ? adminConsentUrl(...args) : consentUrl(...args)}\n`)
  return 0
}
