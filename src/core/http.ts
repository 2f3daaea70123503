import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import { HttpClient } from '@actions/http-client'
import type { RequestHandler } from '@actions/http-client/lib/interfaces'
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { ActionError, NetworkError } from './errors.js'
import { inert } from './outside.js'
import { setting } from './settings.js'
import { backoffMs, isRetryableStatus, retryAfterMs, RETRY_AFTER_MAX_MS, sleep } from './retry.js'

/** Visible ASCII only: what a header value (a token, a credential) may hold. */
export const VISIBLE_ASCII = /^[\x21-\x7e]+$/

/** DocuSign's OAuth answers are a few KB; anything past this is not one. */
export const MAX_BODY_BYTES = 1024 * 1024
const USER_AGENT = 'docusign-jwt-auth-action'

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH'
  url: string
  headers: Record<string, string>
  /** Called once per attempt, so each attempt can carry a freshly signed assertion. */
  body?: () => Promise<string>
  /** This request's time limit per attempt, when it is not the policy's (a caller's deadline). */
  timeoutMs?: number
}

export interface HttpPolicy {
  timeoutMs: number
  maxAttempts: number
  debug: (message: string) => void
  sleep?: (ms: number) => Promise<void>
}

export interface HttpResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** Why one attempt failed; `retryable` is false where trying again cannot help. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retryable = true
  ) {
    super(message)
  }
}

function readBody(message: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    message.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new AttemptError(`the response is larger than ${MAX_BODY_BYTES / 1024} KiB`, false))
        message.destroy()
      } else chunks.push(chunk)
    })
    message.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    message.on('error', reject)
    message.on('aborted', () => reject(new AttemptError('the connection closed mid-response')))
  })
}

/** One attempt, bounded by the timeout from connect to the last byte of the body. */
async function attempt(client: HttpClient, req: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  const data = req.body ? await req.body() : null
  let timer: NodeJS.Timeout | undefined
  let message: IncomingMessage | undefined
  let timedOut = false
  const exchange = (async () => {
    const res = await client.request(req.method, req.url, data, req.headers)
    message = res.message
    if (timedOut) message.destroy()
    const body = await readBody(res.message)
    return { status: res.message.statusCode ?? 0, headers: res.message.headers, body }
  })()
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true
      message?.destroy()
      reject(new AttemptError(`no complete answer within ${timeoutMs / 1000} s`))
    }, timeoutMs)
  })
  exchange.catch(() => undefined) // settled after a timeout: nobody awaits it any more
  try {
    return await Promise.race([exchange, deadline])
  } finally {
    clearTimeout(timer)
  }
}

/** An answer whose body the caller reads (streams) itself. */
export interface OpenResponse {
  status: number
  headers: IncomingHttpHeaders
  message: IncomingMessage
}

/** A request of any method whose body is bytes already in hand (sent again as they are on a retry). */
export interface RawRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: Buffer
}

/** Errors that mean nothing reached the server: a request that failed so is safe to send again, whatever its method. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])

export function notSent(error: unknown): boolean {
  return NOT_SENT.has((error as NodeJS.ErrnoException)?.code ?? '')
}

/** Certificate errors are not passing faults: retrying them only repeats the refusal. */
const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_(GET_ISSUER|VERIFY)|ALTNAME/

export function isTlsTrustError(what: string): boolean {
  return TLS_TRUST.test(what)
}

/** The one message for a certificate this machine does not trust, whoever the server. */
export function untrustedCertificate(where: string, what: string): NetworkError {
  return new NetworkError(
    `The TLS certificate presented for ${where} is not trusted (${what}).`,
    'If a corporate proxy or a private CA signs this traffic, give Node its CA certificate with NODE_EXTRA_CA_CERTS; this action never turns certificate checks off.',
    'tls-untrusted'
  )
}

/** Why an attempt failed, made inert: a TLS error quotes the server's certificate names. */
function describe(error: unknown): string {
  if (error instanceof AttemptError) return error.message
  const e = error as NodeJS.ErrnoException
  // Node's messages often hold their code already ("connect ECONNREFUSED host:port"): the code once, first.
  const rest = e.code && e.message ? e.message.replace(new RegExp(`(^|\\s)${e.code}:?(?=\\s|$)`), '').trim() : e.message
  return inert([e.code, rest].filter(Boolean).join(': ') || String(error))
}

/**
 * @actions/http-client passes the URL's hostname to Node as the host to resolve, brackets and all
 * ("[::1]"), which no resolver knows: give Node the bare IPv6 address. A request handler is the
 * client's documented hook for adjusting each request's options.
 */
const bareIpv6: RequestHandler = {
  prepareRequest(options) {
    if (options.host?.startsWith('[')) options.host = options.host.slice(1, -1)
  },
  canHandleAuthentication: () => false,
  handleAuthentication: () => Promise.reject(new Error('not an authentication handler'))
}

/**
 * One HTTP client for a run: a kept-alive connection serves the token and the userinfo call alike
 * (one TLS handshake instead of two); close() ends it so nothing holds the process open.
 */
export class Http {
  private readonly client: HttpClient

  constructor(private readonly policy: HttpPolicy) {
    this.client = new HttpClient(USER_AGENT, [bareIpv6], {
      socketTimeout: policy.timeoutMs,
      allowRedirects: false,
      allowRetries: false,
      keepAlive: true
    })
  }

  close(): void {
    this.client.dispose()
  }

  /** The time limit of one attempt: what reading a credential file may take, too. */
  get timeoutMs(): number {
    return this.policy.timeoutMs
  }

  /** Attempts per request, for callers that retry answers of their own (a key vault's throttling). */
  get maxAttempts(): number {
    return this.policy.maxAttempts
  }

  /**
   * One attempt that stops at the answer's head: status and headers within the time limit; the body
   * is the caller's to stream, under the socket's idle limit. On the same kept-alive connection as
   * every other request of this client.
   */
  async open(req: RawRequest, timeoutMs = this.policy.timeoutMs): Promise<OpenResponse> {
    const headers = req.body ? { ...req.headers, 'Content-Length': String(req.body.length) } : req.headers
    const data = req.body ? Readable.from([req.body]) : null
    let timer: NodeJS.Timeout | undefined
    let timedOut = false
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new AttemptError(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
    })
    const exchange = this.client.request(req.method, req.url, data, headers)
    // An answer that arrives after the deadline is not read by anyone: release its connection.
    exchange.then(
      res => timedOut && res.message.destroy(),
      () => undefined
    )
    try {
      const res = await Promise.race([exchange, deadline])
      return { status: res.message.statusCode ?? 0, headers: res.message.headers, message: res.message }
    } catch (error) {
      timedOut = true
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  /** Why an attempt failed, for a message: inert, and the same words send() uses. */
  static describe(error: unknown): string {
    return describe(error)
  }

  /**
   * Sends a request, retrying network errors, timeouts, 429 and 5xx with backoff (honouring
   * Retry-After). Other answers, 4xx included, return at once: they are deterministic.
   */
  async send(req: HttpRequest): Promise<HttpResponse> {
    const { policy } = this
    const url = new URL(req.url)
    const proxy = getProxyUrl(url)
    // Name the proxy by host only: its URL may carry credentials.
    const where = `${url.origin}${url.pathname}${proxy ? ` through the proxy ${proxy.host}` : ''}`
    for (let n = 1; ; n++) {
      policy.debug(`${req.method} ${where} (attempt ${n} of ${policy.maxAttempts})`)
      let delay: number
      try {
        const res = await attempt(this.client, req, req.timeoutMs ?? policy.timeoutMs)
        policy.debug(`${req.method} ${url.pathname}: HTTP ${res.status}`)
        if (!isRetryableStatus(res.status) || n >= policy.maxAttempts) return res
        const asked = retryAfterMs(res.headers['retry-after'] as string | undefined)
        if (asked !== undefined && asked > RETRY_AFTER_MAX_MS) return res
        delay = asked ?? backoffMs(n)
      } catch (error) {
        // The request body's own failure (a key vault refusing to sign) is the caller's error: as it is, no retry.
        if (error instanceof ActionError) throw error
        policy.debug(`${req.method} ${url.pathname}: ${describe(error)}`)
        const final = finalError(error, n, policy.maxAttempts, where)
        if (final) throw final
        delay = backoffMs(n)
      }
      policy.debug(`retrying in ${delay} ms`)
      await (policy.sleep ?? sleep)(delay)
    }
  }
}

/** The error that ends the attempts after a failed one, or undefined when another may succeed. */
function finalError(error: unknown, n: number, maxAttempts: number, where: string): NetworkError | undefined {
  const what = describe(error)
  if (error instanceof AttemptError && !error.retryable) {
    return new NetworkError(
      `${where} failed: ${what}.`,
      `This is not a DocuSign OAuth server answer; check ${setting('environment')}.`,
      'malformed-answer'
    )
  }
  if (TLS_TRUST.test(what)) return untrustedCertificate(where, what)
  if (n < maxAttempts) return undefined
  return new NetworkError(
    `Could not get an answer from ${where} after ${n} attempt${n > 1 ? 's' : ''}: ${what}.`,
    `Check that this machine can reach the OAuth server (network, proxy settings in HTTPS_PROXY/NO_PROXY, TLS trust), that ${setting('environment')} is right, and raise ${setting('timeout-seconds')} or ${setting('max-attempts')} if the network is slow.`
  )
}
