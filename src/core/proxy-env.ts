/** The proxy variables @actions/http-client reads, lower case first, as it does. */
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']

/**
 * `HTTPS_PROXY=proxy.corp:3128` (no scheme) is what curl accepts as http://proxy.corp:3128, but the
 * URL parser reads `proxy.corp:` as a scheme, and @actions/http-client then uses no proxy at all,
 * silently. Each door calls this once at start, on its own environment: such a value gets http://.
 */
export function normaliseProxyEnv(env: Record<string, string | undefined>): void {
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim()
    if (value && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) env[name] = `http://${value}`
  }
}
