import { tryJson, type Json } from '../answer.js'
import { ActionError, NetworkError } from '../errors.js'
import type { HttpRequest, HttpResponse } from '../http.js'
import { isLoopback } from '../environment.js'
import { setting } from '../settings.js'
import { quote } from '../outside.js'
import { SignerError, type SignerContext } from './signer.js'
import { forCiSystem } from '../ci-system.js'

/**
 * What the keyless backends share: requests to a service that is not DocuSign (the job's OIDC token
 * endpoint, a cloud's token exchange, a key vault), failures named after that service, and the job's
 * OIDC token itself.
 */

/** Visible ASCII, long enough to be a token: what may be masked and put in a header or a form. */
const TOKEN = /^[\x21-\x7e]{16,}$/

/** A credential as a header or form can carry it, or undefined (shown nowhere: the value is a secret). */
export function tokenShape(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed && TOKEN.test(trimmed) ? trimmed : undefined
}

/** What an OIDC token says of itself, for a trust policy or a provider's conditions in a message (inert, bounded). */
export interface TokenClaims {
  issuer?: string
  audience?: string
  subject?: string
}

/** The issuer, first audience and subject of a JWT; none of them when it is not one. Nothing is verified. */
export function tokenClaims(token: string): TokenClaims {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >
    const one = (value: unknown) => (Array.isArray(value) ? value[0] : value)
    const text = (value: unknown, max: number) =>
      typeof value === 'string' ? quote(value, max) || undefined : undefined
    return { issuer: text(payload.iss, 200), audience: text(one(payload.aud), 200), subject: text(payload.sub, 300) }
  } catch {
    return {}
  }
}

/** Masks a credential (and, for "Bearer X", X alone too) before anything could send or show it. */
export function mask(context: SignerContext, value: string): void {
  context.io.secret(value)
  const bearer = /^Bearer\s+(\S+)$/i.exec(value.trim())?.[1]
  if (bearer) context.io.secret(bearer)
}

/**
 * One request to a service that is not DocuSign, with the run's time limit, attempts and proxy. A
 * network failure after the attempts names the service and what it was for, and says DocuSign was
 * not asked: never the DocuSign-worded fix the HTTP client gives its own failures.
 */
export async function callService(context: SignerContext, what: string, req: HttpRequest): Promise<HttpResponse> {
  try {
    return await context.http.send(req)
  } catch (error) {
    if (!(error instanceof ActionError)) throw error
    const problem = `${what} failed: ${error.template.problem}`
    if (error.topic === 'tls-untrusted') throw new NetworkError(problem, error.template.fix, 'tls-untrusted')
    if (error.topic === 'malformed-answer') {
      throw new SignerError(
        'malformed',
        problem,
        'This is not an answer of the service: check HTTPS_PROXY/NO_PROXY. DocuSign was not asked yet.'
      )
    }
    const host = new URL(req.url).host
    throw new NetworkError(
      problem,
      `Check that this machine can reach ${host} (network, HTTPS_PROXY/NO_PROXY, TLS trust with NODE_EXTRA_CA_CERTS), and raise ${setting('timeout-seconds')} or ${setting('max-attempts')} if the network is slow. DocuSign was not asked yet.`,
      'signing-key'
    )
  }
}

/** The JSON object of an answer, or the error that says the service answered something else. */
export function jsonOf(res: HttpResponse, service: string, what: string): Json {
  const json = tryJson(res)
  if (!json) {
    throw new SignerError(
      res.status >= 500 ? 'unavailable' : 'malformed',
      `${service} answered ${what} with HTTP ${res.status} and a body that is not its JSON.`,
      'A proxy or firewall may have answered instead (check HTTPS_PROXY/NO_PROXY); try again, and report the message if it persists. DocuSign was not asked yet.'
    )
  }
  return json
}

/** 429 and 5xx, once the HTTP client's attempts are spent: the service is busy or down. */
export function isOutage(status: number): boolean {
  return status === 429 || status >= 500
}

export const OIDC_AUDIENCE_AZURE = 'api://AzureADTokenExchange'
/** What gives a job an OIDC token on the CI system this run is on, for `audience`. */
const noOidcFix = (env: Record<string, string | undefined>, audience: string): string =>
  forCiSystem(env, {
    github:
      'Give the job `permissions: id-token: write` (GitHub Actions then sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN; pull requests from forks never get them).',
    gitlab: `GitLab gives its token as a variable instead: write an id_tokens: token with aud: ${audience} to a file (mode 0600) and name that file in the cloud's token-file variable (AZURE_FEDERATED_TOKEN_FILE for Azure), as docs/keyless.md shows under 'GitLab CI'.`,
    azure:
      "Azure Pipelines has no GitHub OIDC token: get the cloud's credentials through a service connection and give them to this step in its env: (for Azure Key Vault, AZURE_ACCESS_TOKEN from an AzureCLI@2 step, as docs/azure-pipelines.md shows).",
    other:
      "On GitHub Actions, give the job `permissions: id-token: write` (GitHub Actions then sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN; pull requests from forks never get them). Elsewhere, give the cloud's credentials in the environment instead (see docs/keyless.md)."
  })

/**
 * A token from GitHub's OIDC endpoint: GET the URL with the job's request token as a bearer token,
 * the JWT in `value` (what @actions/core getIDToken does). The request token goes to this URL only.
 */
export async function requestOidcToken(
  context: SignerContext,
  options: { url: string; headers: Record<string, string>; field?: string; forWhat: string }
): Promise<string> {
  const what = `Requesting the job's OIDC token (${options.forWhat})`
  const res = await callService(context, what, {
    method: 'GET',
    url: options.url,
    headers: { Accept: 'application/json', ...options.headers }
  })
  if (res.status !== 200) {
    const kind = isOutage(res.status)
      ? 'unavailable'
      : res.status === 401 || res.status === 403
        ? 'refused'
        : 'malformed'
    throw new SignerError(
      kind,
      `GitHub's OIDC token endpoint answered HTTP ${res.status} for ${options.forWhat}.`,
      kind === 'refused'
        ? 'The request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN, also written into the credentials file of google-github-actions/auth) is valid only in the job that got it: run the login step in this job, and give it `permissions: id-token: write`.'
        : 'Try again later; GitHub Actions may be degraded (githubstatus.com).'
    )
  }
  let token: string | undefined
  if (options.field === undefined) {
    token = tokenShape(res.body)
  } else {
    const json = jsonOf(res, "GitHub's OIDC token endpoint", `the token request for ${options.forWhat}`)
    token = tokenShape(typeof json[options.field] === 'string' ? (json[options.field] as string) : undefined)
  }
  if (!token) {
    throw new SignerError(
      'malformed',
      `GitHub's OIDC token endpoint answered without a token for ${options.forWhat}.`,
      'Try again; if it persists, report the message.'
    )
  }
  mask(context, token)
  return token
}

/**
 * ACTIONS_ID_TOKEN_REQUEST_URL, where the request token is about to go: https, or http on a loopback
 * host (a local stand-in); plain http elsewhere would hand the token to anyone on the way.
 */
function oidcRequestUrl(value: string, forWhat: string, fix: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new SignerError('input', `ACTIONS_ID_TOKEN_REQUEST_URL is not a URL, for ${forWhat}.`, fix)
  }
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return url
  throw new SignerError(
    'input',
    `ACTIONS_ID_TOKEN_REQUEST_URL is not an https:// URL (http:// only on a loopback host), for ${forWhat}: the request token would travel unencrypted. Nothing was sent.`,
    "Leave ACTIONS_ID_TOKEN_REQUEST_URL as the GitHub runner sets it (https://); outside GitHub Actions, unset it and ACTIONS_ID_TOKEN_REQUEST_TOKEN and give the cloud's credentials in the environment instead."
  )
}

/**
 * The job's GitHub OIDC token for `audience`: the runner's (@actions/core getIDToken) in the action,
 * or requested with ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN elsewhere.
 */
export async function githubOidcToken(context: SignerContext, audience: string, forWhat: string): Promise<string> {
  const { env, io } = context
  const url = env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim()
  const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim()
  if (!url || !requestToken) {
    throw new SignerError(
      'input',
      `No GitHub OIDC token for ${forWhat}: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.`,
      noOidcFix(env, audience)
    )
  }
  mask(context, requestToken)
  const tokenUrl = oidcRequestUrl(url, forWhat, noOidcFix(env, audience))
  if (io.idToken) {
    let token: string
    try {
      token = await io.idToken(audience)
    } catch (error) {
      const text = (error as Error)?.message ?? String(error)
      const code = /Error Code\s*:\s*(\d{3})/.exec(text)?.[1]
      const refused = code === '401' || code === '403'
      throw new SignerError(
        refused ? 'refused' : 'unavailable',
        `GitHub's OIDC token endpoint gave no token for ${forWhat}${code ? ` (HTTP ${code})` : ''}: ${quote(text.replace(/\s+/g, ' '), 160)}`,
        refused ? noOidcFix(env, audience) : 'Try again later; GitHub Actions may be degraded (githubstatus.com).'
      )
    }
    const shaped = tokenShape(token)
    if (!shaped) {
      throw new SignerError(
        'malformed',
        `GitHub's OIDC token endpoint answered without a token for ${forWhat}.`,
        'Try again.'
      )
    }
    mask(context, shaped)
    return shaped
  }
  tokenUrl.searchParams.set('audience', audience)
  return requestOidcToken(context, {
    url: tokenUrl.toString(),
    headers: { Authorization: `Bearer ${requestToken}` },
    field: 'value',
    forWhat
  })
}
