import { notDocuSign, supportIds, tryJson } from './answer.js'
import { adminConsentUrl, consentUrl } from './consent.js'
import { describeEnvironment, type Environment } from './environment.js'
import { ConsentRequiredError, DocuSignError, type SupportIds, type Topic } from './errors.js'
import type { HttpResponse } from './http.js'
import { USER_ID_PLACE } from './identifiers.js'
import { inert } from './outside.js'
import { setting } from './settings.js'

/** What a DocuSign error message may mention about this run (nothing secret). */
export interface ErrorContext {
  environment: Environment
  integrationKey: string
  userId: string
  /** An application-access token: no user, no consent link; an administrator authorizes the app. */
  applicationToken?: boolean
  scopes: string[]
  consentRedirectUri: string
  keyFingerprint: string
  /** What signs: "the private key", or a key vault's key as describeSpec names it. */
  keyDescription: string
}

interface Entry {
  /** Who can act on it; a person fixes the setup unless said otherwise. */
  kind?: 'bug'
  topic: Topic
  cause: (c: ErrorContext) => string
  fix: (c: ErrorContext) => string
}

function otherEnvironment(c: ErrorContext): string {
  const other = c.environment.name === 'demo' ? 'production' : c.environment.name === 'production' ? 'demo' : ''
  return other ? ` A value from the ${other} environment does not work in ${c.environment.name}.` : ''
}

const CALLER_BUG: Entry = {
  kind: 'bug',
  topic: 'malformed-request',
  cause: () => 'DocuSign says the token request is malformed.',
  fix: () => 'This is a bug in docusign-jwt-auth-action: please report it with the log (it contains no secrets).'
}

const USER_NOT_FOUND: Entry = {
  topic: 'user-not-found',
  cause: c => `User ${c.userId} is not an active user in ${describeEnvironment(c.environment)}.`,
  fix: c =>
    `Set ${setting('user-id')} to the user's User ID GUID (${USER_ID_PLACE}): not an email, not the API Account ID. The user must be active (not closed, not pending activation) in this environment.${otherEnvironment(c)}`
}

/** Every cause DocuSign folds into a bare invalid_grant, the ones the rows below tell apart. */
const INVALID_GRANT: Entry = {
  topic: 'invalid-grant',
  cause: () => 'DocuSign refused the assertion without saying why.',
  fix: c =>
    [
      'Check each of the causes DocuSign folds into this answer:',
      `- ${c.keyDescription} (public-key SHA-256 ${c.keyFingerprint}) is not a keypair of integration key ${c.integrationKey} in ${describeEnvironment(c.environment)};`,
      `- the integration key is not known in this environment (${setting('integration-key')}, ${setting('environment')});`,
      `- ${setting('user-id')} is not an active user's User ID GUID in this environment (${USER_ID_PLACE});`,
      "- this machine's clock is far off (ahead or behind)."
    ].join('\n')
}

/** One row per DocuSign answer: `error` or `error/error_description`, as the shared reference lists them. */
const CATALOG = new Map<string, Entry>([
  [
    'invalid_grant/no_valid_keys_or_signatures',
    {
      topic: 'no-valid-keys-or-signatures',
      cause: c =>
        `DocuSign could not verify the assertion's signature with any RSA key registered on integration key ${c.integrationKey} in ${describeEnvironment(c.environment)}.`,
      fix: c =>
        `Check that ${c.keyDescription} (public-key SHA-256 ${c.keyFingerprint}) is a keypair of this integration key on its Apps and Keys page, in this environment (keys are not copied to production on go-live), and not deleted or regenerated${c.keyDescription === 'the private key' ? '' : ": upload the key vault key's public half there (Upload RSA; docs/keyless.md says how to export it)"}.${otherEnvironment(c)} A clock far off on this machine (ahead or behind) also causes this.`
    }
  ],
  [
    'invalid_grant/issuer_not_found',
    {
      topic: 'issuer-not-found',
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
      topic: 'expired-grant',
      cause: () => 'DocuSign says the assertion has expired: its exp claim is in the past by its clock.',
      fix: () => "Check this machine's clock (NTP); every sign-in signs a fresh assertion valid for an hour."
    }
  ],
  ['invalid_grant/', INVALID_GRANT],
  ['invalid_grant/unsupported_grant_type', CALLER_BUG],
  ['unsupported_grant_type', CALLER_BUG],
  ['invalid_request', CALLER_BUG]
])

interface ErrorBody {
  error?: unknown
  error_description?: unknown
}

/** DocuSign's own words for an error answer: `error / error_description`, those that are strings, made inert. */
function errorLabel(body: ErrorBody): string {
  return [body.error, body.error_description]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .map(v => inert(v))
    .join(' / ')
}

/** Maps a failed token answer to one readable error with its cause and fix. */
export function tokenError(res: HttpResponse, c: ErrorContext): DocuSignError {
  const body = tryJson(res)
  if (!body)
    return res.status >= 500 || res.status === 429
      ? unexpectedAnswer('token request', res)
      : notDocuSign(res, 'token request')
  const support = supportIds(res, body)
  const code = typeof body.error === 'string' ? body.error : undefined
  const description = typeof body.error_description === 'string' ? body.error_description : undefined
  if (c.applicationToken && (code === 'consent_required' || (code === 'invalid_grant' && !description))) {
    return applicationNotAuthorized(res.status, code, c, support)
  }
  if (code === 'consent_required') return consentRequired(c, support)
  const entry = CATALOG.get(`${code}/${description ?? ''}`) ?? CATALOG.get(code ?? '')
  const label = errorLabel(body)
  if (entry) {
    return new DocuSignError(
      entry.kind ?? 'refused',
      `DocuSign refused the token (${label}): ${entry.cause(c)}`,
      entry.fix(c),
      res.status,
      code,
      { topic: entry.topic, support }
    )
  }
  return unexpectedAnswer('token request', res)
}

/**
 * A refused /oauth/userinfo call, right after DocuSign issued the token it refuses. DocuSign answers
 * an expired or refused token there with 401 {"error":"internal_server_error","reference_id":"…"}.
 */
export function userinfoError(res: HttpResponse, what: string): DocuSignError {
  const body = tryJson(res)
  if (res.status !== 401 && res.status !== 403) {
    return body || res.status >= 500 || res.status === 429 ? unexpectedAnswer(what, res) : notDocuSign(res, what)
  }
  const label = body ? errorLabel(body) : ''
  return new DocuSignError(
    'refused',
    `DocuSign refused the access token it had just issued when asked for the user's accounts (HTTP ${res.status}${label ? `, ${label}` : ''}).`,
    [
      "Likely causes: the user's membership is closed or not yet activated in this environment (DocuSign Admin > Users), consent was revoked at that moment, or the account lookup reached another DocuSign server than the one that issued the token (a proxy, or a custom environment URL).",
      `Try again; if it persists, check the user in DocuSign Admin > Users. If you only need the token (not the account ID and base path), set ${setting('skip-account-lookup')} to 'true'.`
    ].join('\n'),
    res.status,
    typeof body?.error === 'string' ? body.error : undefined,
    { topic: 'userinfo-refused', support: supportIds(res, body) }
  )
}

/**
 * An application-access token refused. No public record shows DocuSign's answer for an app no
 * administrator authorized (see __tests__/fixtures/docusign-answers.json); consent_required, or a
 * bare invalid_grant, are taken to mean it, and the message lists the other causes too.
 */
function applicationNotAuthorized(status: number, code: string, c: ErrorContext, support: SupportIds): DocuSignError {
  return new DocuSignError(
    'consent',
    `DocuSign refused the application-access token (${code}): integration key ${c.integrationKey} is not authorized by an organization administrator for the scopes '${c.scopes.join(' ')}' in ${describeEnvironment(c.environment)}.`,
    [
      `An organization administrator authorizes the app in DocuSign Admin > Connected Apps > Authorize Application: choose the app (integration key ${c.integrationKey}) and list exactly these scopes, space-separated: ${c.scopes.join(' ')}. No consent link applies to an application-access token.`,
      `Also check that ${c.keyDescription} (public-key SHA-256 ${c.keyFingerprint}) is a keypair of this integration key in this environment, and that ${setting('scopes')} are Admin API scopes.`
    ].join('\n'),
    status,
    code,
    { topic: 'application-not-authorized', support }
  )
}

/** Consent is missing: the two ways to grant it, each with when it applies, and the traps on the way. */
function consentRequired(c: ErrorContext, support?: SupportIds): ConsentRequiredError {
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
      `If you accepted and DocuSign still says consent is required: your email may have several DocuSign memberships; sign in to the one whose User ID is ${c.userId} (switch users on the DocuSign page) and accept again.`,
      ...CONSENT_PAGE_ERRORS(c)
    ].join('\n'),
    url,
    adminUrl,
    c.userId,
    support
  )
}

/** What DocuSign's consent page can show instead of the Accept button, each with its cause. */
function CONSENT_PAGE_ERRORS(c: ErrorContext): string[] {
  return [
    'If the consent page shows an error instead of Accept:',
    `- "The redirect URI is not registered properly with DocuSign", or "There are no redirect URIs registered with DocuSign": add ${c.consentRedirectUri} under Additional settings > Redirect URIs on its Apps and Keys page (or set ${setting('consent-redirect-uri')} to one that is registered);`,
    '- "Invalid authentication request: The response type is not supported": the integration key does not allow the Authorization Code Grant the link uses; on Apps and Keys, under User Application, choose Authorization Code Grant;',
    '- on the organization link, an error saying you are not an organization administrator: only an administrator of the organization (with a claimed domain) can use it; the user can use their own link instead.'
  ]
}

/** An answer the catalog does not know: still name the status and DocuSign's words. */
function unexpectedAnswer(what: string, res: HttpResponse): DocuSignError {
  const body = tryJson(res)
  const label = body ? errorLabel(body) : ''
  const outage = res.status >= 500 || res.status === 429
  return new DocuSignError(
    outage ? 'unavailable' : 'malformed',
    `DocuSign answered the ${what} with HTTP ${res.status}${label ? ` (${label})` : res.body.trim() ? '' : ' and an empty body'}.`,
    outage
      ? 'DocuSign is unavailable or rate-limiting; try again later (DocuSign shows incidents at status.docusign.com).'
      : 'This answer is not one DocuSign documents for this request; try again, and if it persists report it with this message.',
    res.status,
    label || undefined,
    { topic: outage ? 'unavailable' : 'malformed-answer', support: supportIds(res, body) }
  )
}
