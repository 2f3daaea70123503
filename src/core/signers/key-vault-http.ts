import { ActionError } from '../errors.js'
import { VISIBLE_ASCII, type Http, type HttpRequest, type HttpResponse } from '../http.js'
import { isLoopback } from '../environment.js'
import { quote } from '../outside.js'
import { setting } from '../settings.js'
import { SignerError } from './signer.js'

/**
 * What the AWS KMS and Vault transit signers share: where a key vault may be reached, its requests
 * through the run's Http (proxies, time limits, attempts) with failures named as the key vault's, and
 * the one way its answers reach a message.
 */

/** What a key vault is called in messages, and the variable that points at it. */
export interface Service {
  /** "AWS KMS", "Vault". */
  name: string
  /** The setting's environment variable(s), for a fix: "AWS_ENDPOINT_URL_KMS". */
  endpointVariable: string
  /** How the key is named in messages (the signer's description). */
  key: string
}

/**
 * A key vault's address from the environment: https, or http on loopback only (a credential must
 * not cross a network in clear). No user info, query or fragment; the path, if any, is kept.
 */
export function endpointUrl(value: string, variable: string, service: Service): URL {
  let url: URL | undefined
  try {
    url = new URL(value.trim())
  } catch {
    url = undefined
  }
  // The value itself is never quoted: a mistyped variable may hold anything, a credential included.
  const bad = (why: string): never => {
    throw new SignerError(
      'input',
      `${variable} ${why}, so ${service.name} cannot be reached for ${service.key}.`,
      `Set ${variable} to the ${service.name} address, such as ${variable === 'VAULT_ADDR' ? 'https://vault.example.com:8200' : `https://${variable.includes('STS') ? 'sts' : 'kms'}.us-east-1.amazonaws.com`} (see docs/keyless.md).`
    )
  }
  if (!url || !/^https?:$/.test(url.protocol) || !url.hostname) return bad('is not an http(s) URL')
  if (url.username || url.password) return bad('carries a user name or password')
  if (url.search || url.hash) return bad('has a query or a fragment')
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    return bad(
      `is a plain http address (${url.origin}), which would send the credentials unencrypted; only this machine (localhost, 127.0.0.1, [::1]) may be reached over http`
    )
  }
  return url
}

/** Refuses (never shows) credentials that no header can carry, naming only their variables. */
export function requireHeaderSafe(values: [variable: string, value: string][], service: Service): void {
  const bad = values.filter(([, value]) => value && !VISIBLE_ASCII.test(value)).map(([variable]) => variable)
  if (bad.length) {
    throw new SignerError(
      'input',
      `${bad.join(' and ')} ${bad.length > 1 ? 'hold' : 'holds'} spaces or control characters, so ${service.name} cannot be asked for ${service.key}.`,
      `Let the login step set ${bad.length > 1 ? 'them' : 'it'} (see docs/keyless.md), or set ${bad.length > 1 ? 'them' : 'it'} without quotes, spaces or line breaks.`
    )
  }
}

/** A URL as messages show it: scheme, host, port and path, nothing else. */
export function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname === '/' ? '' : url.pathname}`
}

/**
 * One request through the run's Http (5xx, 429 and network errors retried there), counting the
 * attempts it took. A failure to get any answer becomes the key vault's error: Http's own words name
 * the URL and what failed; the fix names the key vault's settings, never DocuSign's.
 */
export async function send(
  http: Http,
  req: HttpRequest,
  service: Service
): Promise<{ res: HttpResponse; attempts: number }> {
  // Http calls a request's body once per attempt: that is where attempts are counted (requests with a body).
  let attempts = 0
  const body = req.body
  const counted: HttpRequest = body
    ? {
        ...req,
        body: () => {
          attempts++
          return body()
        }
      }
    : req
  try {
    return { res: await http.send(counted), attempts }
  } catch (error) {
    if (!(error instanceof ActionError)) throw error
    const problem = `${service.name} could not be reached for ${service.key}: ${error.problem}`
    if (error.topic === 'tls-untrusted') throw new SignerError('unavailable', problem, error.fix)
    if (error.topic === 'malformed-answer') {
      throw new SignerError(
        'malformed',
        problem,
        `This is not an answer of ${service.name}: check ${service.endpointVariable} and HTTPS_PROXY/NO_PROXY.`
      )
    }
    throw new SignerError(
      'unavailable',
      problem,
      `Check that this machine can reach ${service.name} (${service.endpointVariable}, and the proxy settings HTTPS_PROXY/NO_PROXY), and raise ${setting('timeout-seconds')} or ${setting('max-attempts')} if the network is slow.`
    )
  }
}

/** An answer that is not the key vault's JSON (a proxy's page, another server): no guess at its meaning. */
export function notTheService(res: HttpResponse, what: string, service: Service): SignerError {
  const type = String(res.headers['content-type'] ?? 'no content type').split(';')[0]
  return new SignerError(
    'malformed',
    `${service.name} answered ${what} for ${service.key} with HTTP ${res.status} and ${res.body ? `a ${quote(type, 60)} body` : 'an empty body'}, not ${service.name}'s JSON.`,
    `Check ${service.endpointVariable} (it should name ${service.name} itself) and HTTPS_PROXY/NO_PROXY; if it persists, try again later.`
  )
}
