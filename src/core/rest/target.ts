import { ActionError } from '../errors.js'
import { inert } from '../outside.js'

/** What every REST call needs: the token and where the account's API is. */
export interface RestSession {
  accessToken: string
  /** The account's base_uri + /restapi, e.g. https://demo.docusign.net/restapi */
  basePath: string
  accountId: string
}

/** `v2.1/…`, `v2/…`: a path relative to the base path, not to the account. */
const VERSIONED = /^v\d+(\.\d+)?(\/|$)/
const SCHEME = /^[a-z][a-z0-9+.-]*:/i

function usage(problem: string, fix: string): ActionError {
  return new ActionError('input', problem, fix, 'api-usage')
}

/**
 * The URL a PATH names. Relative to the account (`/envelopes?from_date=…` means
 * {base path}/v2.1/accounts/{account ID}/envelopes?…); a path that starts with a version is relative
 * to the base path, `{accountId}` replaced, and so is one that starts with /restapi/ when the base path
 * ends in /restapi; a full URL only on the base path's origin, since the
 * token goes with it. The leading slash is optional (Git Bash on Windows rewrites `/envelopes`).
 * `query` pairs are appended, encoded; the path's own query is kept as given.
 */
export function restUrl(path: string, session: RestSession, query: [string, string][] = []): URL {
  const base = new URL(session.basePath)
  let url: URL
  if (SCHEME.test(path)) {
    try {
      url = new URL(path)
    } catch {
      throw usage(
        'The URL given is not a valid URL.',
        'Give a path such as /envelopes?from_date=2026-01-01, or a full URL on the base path.'
      )
    }
  } else {
    const relative = path.replace(/^\/+/, '')
    const account = encodeURIComponent(session.accountId)
    // /restapi/v2.1/… copied from DocuSign's reference, on a base path that ends in /restapi: the one URL it means.
    const underBase = session.basePath.endsWith('/restapi') && relative.startsWith('restapi/')
    const fromBase = underBase ? relative.slice('restapi/'.length) : VERSIONED.test(relative) ? relative : undefined
    url = new URL(
      fromBase !== undefined
        ? `${session.basePath}/${fromBase.replaceAll('{accountId}', account)}`
        : `${session.basePath}/v2.1/accounts/${account}/${relative}`
    )
  }
  if (url.origin !== base.origin || url.username || url.password) {
    throw usage(
      `The URL's origin ${url.origin} is not the base path's (${base.origin}): the token is sent nowhere else.`,
      'Give a path (relative to the account, or starting with /v2.1/), or a URL on the base path.'
    )
  }
  if (query.length) {
    const extra = new URLSearchParams(query).toString()
    url.search = url.search ? `${url.search}&${extra}` : `?${extra}`
  }
  return url
}

/** A DocuSign `nextUri` (relative to {base path}/v2.1) as a URL on the base path. */
export function nextUrl(nextUri: string, session: RestSession): URL {
  return restUrl(`v2.1/${nextUri.replace(/^\/+/, '')}`, session)
}

/** What a message shows of a URL: its path and query (the user's, made inert), never more (the origin is the base path's). */
export function shownPath(url: URL): string {
  return inert(`${url.pathname}${url.search}`)
}
