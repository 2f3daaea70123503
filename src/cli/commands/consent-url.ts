import { adminConsentUrl, consentUrl } from '../../core/consent.js'
import { parseConsentSettings } from '../../core/inputs.js'
import { rawSetting } from '../settings.js'
import type { Context } from './context.js'

/**
 * `consent-url`: the individual (or, with --admin, the admin) consent URL from the integration key,
 * scopes, environment and redirect URI alone. No key, no request; the core validates the settings,
 * with the same messages as every other command.
 */
export function consentUrlCommand({ flags, env, term }: Context): number {
  const s = parseConsentSettings(setting => rawSetting(setting, flags, env))
  const args = [s.environment.oauthBase, s.scopes, s.integrationKey, s.consentRedirectUri] as const
  term.product(`${flags.admin ? adminConsentUrl(...args) : consentUrl(...args)}\n`)
  return 0
}
