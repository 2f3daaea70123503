import type { IncomingHttpHeaders } from 'node:http'
import { supportIds, type Json } from '../answer.js'
import { DocuSignError, type Topic } from '../errors.js'
import { inert } from '../outside.js'

/** DocuSign's eSignature error body, `{"errorCode": "…", "message": "…"}`, made inert; {} when it is not one. */
export function restErrorBody(body: Buffer): { errorCode?: string; message?: string; json?: Json } {
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    return {}
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) return {}
  const { errorCode, message } = json as Json
  return {
    errorCode: typeof errorCode === 'string' && errorCode ? inert(errorCode, 80) : undefined,
    message: typeof message === 'string' && message ? inert(message) : undefined,
    json: json as Json
  }
}

/** The limits DocuSign names in an error (it has answered them with 400 as well as 429). */
const RATE_LIMITED = /^(HOURLY|BURST)_APIINVOCATION_LIMIT_EXCEEDED$|_POLLING_LIMIT_EXCEEDED$/i

export function isRateLimited(status: number, errorCode?: string): boolean {
  return status === 429 || (errorCode !== undefined && RATE_LIMITED.test(errorCode))
}

interface Entry {
  kind: 'refused' | 'unavailable'
  topic: Topic
  fix: string
}

const TOKEN_REFUSED: Entry = {
  kind: 'refused',
  topic: 'rest-token-refused',
  fix: 'DocuSign no longer accepts the access token: it has expired (tokens last about an hour: see expires-at), it was issued in the other environment, or it is an application-access token, which the eSignature API does not take. Sign in again (in a workflow, run the sign-in step again in this job).'
}

const NO_PERMISSION: Entry = {
  kind: 'refused',
  topic: 'rest-refused',
  fix: "The impersonated user may not do this in this account: check the user's permission profile in DocuSign Admin > Users, and that the account ID is one of the user's accounts."
}

/** What to do about DocuSign's eSignature error codes; any other code gets DocuSign's own message. */
const CATALOG: Record<string, Entry> = {
  USER_AUTHENTICATION_FAILED: TOKEN_REFUSED,
  AUTHORIZATION_INVALID_TOKEN: TOKEN_REFUSED,
  PARTNER_AUTHENTICATION_FAILED: TOKEN_REFUSED,
  USER_LACKS_PERMISSIONS: NO_PERMISSION,
  ACCOUNT_LACKS_PERMISSIONS: NO_PERMISSION,
  USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT: {
    kind: 'refused',
    topic: 'rest-refused',
    fix: "The account ID is not one of the impersonated user's accounts: use the account-id the sign-in gave (DOCUSIGN_ACCOUNT_ID)."
  }
}

const RATE_LIMIT_FIX =
  "Wait until the limit resets (X-RateLimit-Reset), spread the calls out, and use DocuSign Connect webhooks instead of polling an envelope's status (DocuSign allows one poll per envelope every 15 minutes)."

/**
 * A REST answer that is not a success, as one error: DocuSign's errorCode and message (inert), what to
 * do, and the trace token for support. 4xx is the request's or the setup's to fix (exit 4); 429, a
 * limit DocuSign names, and 5xx are DocuSign's to clear (exit 5); a 3xx is never followed.
 */
export function restError(
  what: string,
  status: number,
  headers: IncomingHttpHeaders,
  body: Buffer,
  detail: { attempts: number; resetAt?: Date }
): DocuSignError {
  const { errorCode, message, json } = restErrorBody(body)
  const said = [errorCode, message].filter(Boolean).join(': ')
  const problem = `DocuSign answered ${what} with HTTP ${status}${said ? ` (${said})` : body.length ? '' : ' and an empty body'}${detail.attempts > 1 ? ` after ${detail.attempts} attempts` : ''}.`
  const support = supportIds({ status, headers, body: '' }, json)
  const options = (topic: Topic) => ({ topic, support })
  if (status >= 300 && status < 400) {
    return new DocuSignError(
      'malformed',
      problem,
      'Redirects are never followed (the token would go with them): check the base path and the PATH.',
      status,
      errorCode,
      options('rest-refused')
    )
  }
  if (isRateLimited(status, errorCode)) {
    const reset = detail.resetAt ? ` The hourly limit resets at ${detail.resetAt.toISOString()}.` : ''
    return new DocuSignError(
      'unavailable',
      problem,
      `${RATE_LIMIT_FIX}${reset}`,
      status,
      errorCode,
      options('rest-rate-limited')
    )
  }
  if (status >= 500) {
    return new DocuSignError(
      'unavailable',
      problem,
      'DocuSign is unavailable; try again later. A call that creates or changes something (POST, PUT, DELETE) is not repeated after a 5xx: check whether it took effect before sending it again.',
      status,
      errorCode,
      options('unavailable')
    )
  }
  if (status === 404 && !errorCode) {
    return new DocuSignError(
      'refused',
      problem,
      "DocuSign sent no error with this 404: there is nothing at this URL. Check the PATH (relative to the account: /envelopes/ID; or from the version: /v2.1/accounts/{accountId}/…) and the base path (DOCUSIGN_BASE_PATH ends in /restapi: the action's base-path output, not base-uri).",
      status,
      undefined,
      options('rest-refused')
    )
  }
  const entry = errorCode ? CATALOG[errorCode.toUpperCase()] : undefined
  return new DocuSignError(
    entry?.kind ?? 'refused',
    problem,
    entry?.fix ??
      (status === 401
        ? TOKEN_REFUSED.fix
        : "DocuSign refused the request: its message says what to change (see DocuSign's eSignature REST API reference for the call)."),
    status,
    errorCode,
    options(entry?.topic ?? (status === 401 ? 'rest-token-refused' : 'rest-refused'))
  )
}
