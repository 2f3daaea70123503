import { Http } from '../../core/http.js'

/** A GitHub answer the GitHub side does not act on; its status reaches the warning. */
export class GitHubAnswerError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/**
 * A fetch for Octokit built on the project's HTTP client: proxies from HTTPS_PROXY/NO_PROXY, the
 * same TLS trust, and one time limit for the whole GitHub side (Octokit has none of its own): each
 * request gets what is left of timeout-seconds, so however many requests and pages it takes, a
 * GitHub that is slow or hangs costs at most timeout-seconds in total. One attempt: the GitHub side
 * is best effort, and a create that timed out must not be sent twice.
 */
export function githubFetch(
  apiUrl: string,
  timeoutMs: number,
  debug: (message: string) => void,
  now: () => number = Date.now
): { fetch: typeof fetch; close: () => void } {
  const deadline = now() + timeoutMs
  const http = new Http({ timeoutMs, maxAttempts: 1, debug })
  const fetchOnce = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const left = deadline - now()
    if (left <= 0) throw new Error(`the GitHub side ran out of its ${timeoutMs / 1000} s (timeout-seconds)`)
    const url = String(input instanceof Request ? input.url : input)
    // The token goes only where GITHUB_API_URL points: a Link header naming another host is not followed.
    if (new URL(url).origin !== new URL(apiUrl).origin)
      throw new Error(`refused to send the token to ${new URL(url).origin}`)
    const method = (init.method ?? 'GET').toUpperCase()
    if (method !== 'GET' && method !== 'POST' && method !== 'PATCH') throw new Error(`unsupported method ${method}`)
    const headers = Object.fromEntries(new Headers(init.headers).entries())
    const body = typeof init.body === 'string' ? init.body : undefined
    const res = await http
      .send({ method, url, headers, body: body === undefined ? undefined : async () => body, timeoutMs: left })
      .catch((error: unknown) => {
        if (now() < deadline) throw error
        throw new Error(`no complete answer within ${timeoutMs / 1000} s (timeout-seconds, for the whole GitHub side)`)
      })
    // Octokit takes a 3xx other than 304 for success with an empty answer: never followed, it is a failure here.
    if (res.status >= 300 && res.status < 400 && res.status !== 304) {
      throw new GitHubAnswerError(res.status, `GitHub answered HTTP ${res.status} (a redirect, not followed)`)
    }
    const answer = new Response(res.status === 204 || res.status === 304 ? null : res.body, {
      status: res.status,
      headers: Object.entries(res.headers).flatMap(([name, value]) =>
        value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(v => [name, v] as [string, string])
      )
    })
    // Octokit reads the answer's URL; a constructed Response has none.
    Object.defineProperty(answer, 'url', { value: url })
    return answer
  }
  return { fetch: fetchOnce as typeof fetch, close: () => http.close() }
}
