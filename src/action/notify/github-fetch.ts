import { Http } from '../../core/http.js'

/**
 * A fetch for Octokit built on the project's HTTP client: proxies from HTTPS_PROXY/NO_PROXY, the
 * same TLS trust, and a time limit per request (Octokit has none of its own), so a GitHub that
 * hangs costs at most timeout-seconds. One attempt: the GitHub side is best effort, and a create
 * that timed out must not be sent twice.
 */
export function githubFetch(
  apiUrl: string,
  timeoutMs: number,
  debug: (message: string) => void
): { fetch: typeof fetch; close: () => void } {
  const http = new Http({ timeoutMs, maxAttempts: 1, debug })
  const fetchOnce = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = String(input instanceof Request ? input.url : input)
    // The token goes only where GITHUB_API_URL points: a Link header naming another host is not followed.
    if (new URL(url).origin !== new URL(apiUrl).origin)
      throw new Error(`refused to send the token to ${new URL(url).origin}`)
    const method = (init.method ?? 'GET').toUpperCase()
    if (method !== 'GET' && method !== 'POST' && method !== 'PATCH') throw new Error(`unsupported method ${method}`)
    const headers = Object.fromEntries(new Headers(init.headers).entries())
    const body = typeof init.body === 'string' ? init.body : undefined
    const res = await http.send({ method, url, headers, body: body === undefined ? undefined : async () => body })
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
