import type { IncomingMessage } from 'node:http'
import { NetworkError } from '../errors.js'
import { Http, isTlsTrustError, notSent, untrustedCertificate, type OpenResponse } from '../http.js'
import { backoffMs, retryAfterMs, RETRY_AFTER_MAX_MS, sleep } from '../retry.js'
import { answerLost } from './accepted.js'
import { isRateLimited, restError, restErrorBody } from './errors.js'
import { lowLimitWarnings, readLimits } from './limits.js'
import { shownPath } from './target.js'

export interface RestCall {
  method: string
  url: URL
  headers: Record<string, string>
  body?: Buffer
}

export interface RestPolicy {
  maxAttempts: number
  timeoutMs: number
  /** A line for the person (a limit nearly used), once per kind of line. */
  warn: (line: string) => void
  debug: (line: string) => void
  now: () => number
  sleep?: (ms: number) => Promise<void>
}

/** An error answer is a few KB; more is not read. */
const ERROR_BODY_MAX = 64 * 1024

/**
 * A whole body, at most `max` bytes, within `timeoutMs` (then an error): error answers and the
 * pages of a list. The socket's idle limit alone would let a server that drips a byte at a time
 * hold the command for ever.
 */
export function readAll(message: IncomingMessage, max: number, timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const fail = (error: Error): void => {
      clearTimeout(timer)
      message.destroy()
      reject(error)
    }
    const timer = setTimeout(
      () => fail(new Error(`the answer was not complete within ${timeoutMs / 1000} s`)),
      timeoutMs
    )
    message.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) fail(new Error(`the answer is larger than ${Math.round(max / 1024)} KiB`))
      else chunks.push(chunk)
    })
    message.on('end', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks))
    })
    message.on('error', fail)
    message.on('aborted', () => fail(new Error('the connection closed mid-answer')))
  })
}

/**
 * One REST call, tried again as its method allows: GET and HEAD after a connection failure, a
 * time-out, a 5xx or a limit; any other method only when DocuSign did not take the request (a
 * limit, or a connection refused before anything was sent), never after a 5xx or a time-out, since
 * an envelope may already exist. Waits honour Retry-After and, for limits, X-RateLimit-Reset; a wait
 * over a minute is not taken. Resolves with a 2xx answer whose body the caller streams; any other
 * answer becomes one error with DocuSign's words.
 */
export async function sendRest(http: Http, call: RestCall, policy: RestPolicy): Promise<OpenResponse> {
  const repeatable = call.method === 'GET' || call.method === 'HEAD'
  const what = `${call.method} ${shownPath(call.url)}`
  const warned = new Set<string>()
  for (let n = 1; ; n++) {
    policy.debug(`${what} (attempt ${n} of ${policy.maxAttempts})`)
    let res: OpenResponse
    try {
      res = await http.open({ method: call.method, url: call.url.href, headers: call.headers, body: call.body })
    } catch (error) {
      const why = Http.describe(error)
      policy.debug(`${what}: ${why}`)
      const again = n < policy.maxAttempts && !isTlsTrustError(why) && (repeatable || notSent(error))
      if (!again) throw unreachable(what, why, n, repeatable || notSent(error))
      await (policy.sleep ?? sleep)(backoffMs(n))
      continue
    }
    policy.debug(`${what}: HTTP ${res.status}`)
    const limits = readLimits(res.headers)
    for (const line of lowLimitWarnings(limits)) {
      const kind = line.slice(0, 40)
      if (!warned.has(kind)) policy.warn(line)
      warned.add(kind)
    }
    if (res.status >= 200 && res.status < 300) return res
    // 303 See Other answers a request the server carried out, pointing at its result (RFC 9110, 15.4.4).
    if (res.status === 303 && !repeatable) {
      res.message.resume()
      throw answerLost(what, res, Buffer.alloc(0), 'it answered 303 See Other, and redirects are never followed')
    }
    const body = await readAll(res.message, ERROR_BODY_MAX, policy.timeoutMs).catch(() => Buffer.alloc(0))
    const limited = isRateLimited(res.status, restErrorBody(body).errorCode)
    const resetAt = limits.hourly?.resetAt
    // A limit DocuSign names with a 5xx may still have taken the request: only GET and HEAD repeat it.
    const untaken = limited && res.status < 500
    if (n < policy.maxAttempts && (untaken || (repeatable && (limited || res.status >= 500)))) {
      const asked = retryAfterMs(res.headers['retry-after'] as string | undefined, policy.now())
      // A reset already past says nothing about when to try again: the backoff waits.
      const untilReset =
        limited && resetAt && resetAt.getTime() > policy.now() ? resetAt.getTime() - policy.now() : undefined
      const delay = asked ?? untilReset ?? backoffMs(n)
      if (delay <= RETRY_AFTER_MAX_MS) {
        policy.debug(`retrying in ${delay} ms`)
        await (policy.sleep ?? sleep)(delay)
        continue
      }
    }
    throw restError(what, res.status, res.headers, body, { attempts: n, resetAt })
  }
}

function unreachable(what: string, why: string, attempts: number, couldRetry: boolean): NetworkError {
  if (isTlsTrustError(why)) return untrustedCertificate(what, why)
  return new NetworkError(
    `${what} got no answer${attempts > 1 ? ` after ${attempts} attempts` : ''}: ${why}.`,
    couldRetry
      ? 'Check that this machine can reach the base path (network, HTTPS_PROXY/NO_PROXY), and raise --timeout-seconds or --max-attempts on a slow network.'
      : 'It was not repeated: DocuSign may have taken it. Check whether it took effect (for an envelope, list the envelopes) before sending it again.',
    'unreachable'
  )
}
