import { InputError } from './errors.js'

export interface Environment {
  /** 'demo', 'production' or 'custom': named in messages, since demo/production mix-ups are common. */
  name: 'demo' | 'production' | 'custom'
  /** Scheme, host and port of the OAuth server, no trailing slash. */
  oauthBase: string
  /** The assertion's `aud`: host[:port] of the OAuth server. */
  audience: string
}

const NAMED = new Map([
  ['demo', 'https://account-d.docusign.com'],
  ['production', 'https://account.docusign.com']
])

const FIX =
  "Use 'demo' (account-d.docusign.com), 'production' (account.docusign.com), or an OAuth server base URL such as https://host:port."

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

export function describeEnvironment(env: Environment): string {
  return env.name === 'custom' ? `the OAuth server ${env.oauthBase}` : `the ${env.name} environment`
}

export function resolveEnvironment(value: string): Environment {
  const name = value.toLowerCase()
  const named = NAMED.get(name)
  if (named) return { name: name as 'demo' | 'production', oauthBase: named, audience: new URL(named).host }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) fail('is neither a known environment nor a URL.')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    fail('is not a valid URL.')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url.hostname))) {
    fail(
      url.protocol === 'http:'
        ? 'uses http:// for a host that is not loopback; tokens must not travel unencrypted.'
        : `uses the scheme '${url.protocol}'.`
    )
  }
  if (url.username || url.password) fail('contains credentials; an OAuth base URL takes none.')
  if (url.pathname !== '/' || url.search || url.hash) {
    fail('has a path, query or fragment; give only the scheme, host and port.')
  }
  return { name: 'custom', oauthBase: url.origin, audience: url.host }
}

function fail(problem: string): never {
  throw new InputError('environment', problem, FIX)
}
