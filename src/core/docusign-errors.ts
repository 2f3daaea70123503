import { adminConsentUrl, consentUrl } from './consent.js'
import { describeEnvironment, type Environment } from './environment.js'
import { ConsentRequiredError, DocuSignError } from './errors.js'
import { inert } from './outside.js'
import { setting } from './settings.js'

/** What a DocuSign error message may mention about this run (nothing secret). */
export interface ErrorContext {
  environment: Environment
  integrationKey: string
  userId: string
  scopes: string[]
  consentRedirectUri: string
  keyFingerprint: string
}

interface Entry {
  /** Who can act on it; a person fixes the setup unless said otherwise. */
  kind?: 'bug'
  cause: (c: ErrorContext) => string
  fix: (c: ErrorContext) => string
}

function otherEnvironment(c: ErrorContext): string {
  const other = c.environment.name === 'demo' ? 'production' : c.environment.name === 'production' ? 'demo' : ''
  return other ? ` A value from the ${other} environment does not work in ${c.environment.name}.` : ''
}

const CALLER_BUG: Entry = {
  kind: 'bug',
  cause: () => 'DocuSign says the token request is malformed.',
  fix: () => 'This is a bug in docusign-jwt-auth-action: please report it with the log (it contains no secrets).'
}

const USER_NOT_FOUND: Entry = {
  cause: c => `User ${c.userId} is not an active user in ${describeEnvironment(c.environment)}.`,
  fix: c =>
    `Set ${setting('user-id')} to the User ID GUID on the Apps and Keys page (not an email, not the API Account ID) of the user in this environment.${otherEnvironment(c)}`
}

/** One row per DocuSign answer: `error` or `error/error_description`, as the shared reference lists them. */
const CATALOG = new Map<string, Entry>([
  [
    'invalid_grant/no_valid_keys_or_signatures',
    {
      cause: c =>
        `DocuSign could not verify the assertion's signature with any RSA key registered on integration key ${c.integrationKey} in ${describeEnvironment(c.environment)}.`,
      fix: c =>
        `Check that the private key (public-key SHA-256 ${c.keyFingerprint}) is a keypair of this integration key on its Apps and Keys page, in this environment (keys are not copied to production on go-live), and not deleted or regenerated.${otherEnvironment(c)} A clock far off on this machine also causes this.`
    }
  ],
  [
    'invalid_grant/issuer_not_found',
    {
      cause: c => `Integration key ${c.integrationKey} is not known in ${describeEnvironment(c.environment)}.`,
      fix: c =>
        `Check ${setting('integration-key')} and ${setting('environment')}: a demo integration key works in production only after go-live, under the same ID.${otherEnvironment(c)}`
    }
  ],
  ['invalid_grant/user_not_found', USER_NOT_FOUND],
  ['invalid_grant/invalid_subject', USER_NOT_FOUND],
  [
    'invalid_grant/expired_grant',
    {
      cause: () => 'DocuSign says the assertion has expired: its exp claim is in the past by its clock.',
      fix: () => "Check this machine's clock (NTP); every sign-in signs a fresh assertion valid for an hour."
    }
  ],
  ['invalid_grant/unsupported_grant_type', CALLER_BUG],
  ['unsupported_grant_type', CALLER_BUG],
  ['invalid_request', CALLER_BUG]
])

export interface ErrorBody {
  error?: unknown
  error_description?: unknown
}

/** DocuSign's own words for an error answer: `error / error_description`, those that are strings, made inert. */
export function errorLabel(body: ErrorBody): string {
  return [body.error, body.error_description]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map(v => inert(v))
    .join(' / ')
}

/** Maps a failed token answer to one readable error with its cause and fix. */
export function tokenError(status: number, body: ErrorBody, c: ErrorContext): DocuSignError {
  const code = typeof body.error === 'string' ? body.error : undefined
  const description = typeof body.error_description === 'string' ? body.error_description : undefined
  if (code === 'consent_required') return consentRequired(c)
  const entry = CATALOG.get(`${code}/${description}`) ?? CATALOG.get(code ?? '')
  const label = errorLabel(body)
  if (entry) {
    return new DocuSignError(
      entry.kind ?? 'refused',
      `DocuSign refused the token (${label}): ${entry.cause(c)}`,
      entry.fix(c),
      status,
      code
    )
  }
  return unexpectedAnswer('token request', status, label)
}

/** Consent is missing: the two ways to grant it, each with when it applies. */
function consentRequired(c: ErrorContext): ConsentRequiredError {
  const args = [c.environment.oauthBase, c.scopes, c.integrationKey, c.consentRedirectUri] as const
  const url = consentUrl(...args)
  const adminUrl = adminConsentUrl(...args)
  return new ConsentRequiredError(
    `Consent required: user ${c.userId} has not granted integration key ${c.integrationKey} consent for the scopes '${c.scopes.join(' ')}' in ${describeEnvironment(c.environment)}.`,
    [
      'To grant it for this user, open this URL in a browser while signed in to DocuSign as that user, click Accept, then run again:',
      url,
      "To grant it for every user of your organization's claimed email domains, an organization administrator opens this URL instead (needs DocuSign's Organization feature and a claimed domain):",
      adminUrl,
      "If your organization owns this app, an administrator grants it in DocuSign Admin instead, under the app's connected-app settings (no link exists for that).",
      'Consent is given once per user and integration key in each environment (demo consent does not carry to production).',
      `The redirect URI ${c.consentRedirectUri} must be registered on the integration key, or DocuSign shows an error instead of the consent page (set ${setting('consent-redirect-uri')} to one that is).`
    ].join('\n'),
    url,
    adminUrl
  )
}

/** An answer the catalog does not know: still name the status and DocuSign's words. */
export function unexpectedAnswer(what: string, status: number, label?: string): DocuSignError {
  return new DocuSignError(
    status >= 500 || status === 429 ? 'unavailable' : 'malformed',
    `DocuSign answered the ${what} with HTTP ${status}${label ? ` (${label})` : ''}.`,
    status >= 500 || status === 429
      ? 'DocuSign is unavailable or rate-limiting; try again later.'
      : 'Check the inputs; if they are right, report this answer.',
    status,
    label
  )
}
