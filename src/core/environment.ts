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

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname)
}

/** A hostname later steps can put in a shell command safely: DNS labels (letters, digits, hyphens), or an IP address. */
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i
const IPV6 = /^\[[0-9a-f:.]+\]$/i

/** Where every DocuSign eSignature account lives today (na1..na4, eu, au, ca, demo...). */
const DOCUSIGN_HOST = /(^|\.)docusign\.(net|com)$/

export function isDocuSignHost(hostname: string): boolean {
  return DOCUSIGN_HOST.test(hostname)
}

/**
 * The REST base an account's base_uri names, or why it is refused: later steps send the token
 * there, so it must be https, carry no credentials, path, query or fragment, and, for demo and
 * production, be DocuSign's. The parsed origin is returned, never the raw string.
 */
export function restBase(env: Environment, baseUri: string): { origin: string } | { problem: string } {
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(baseUri)) return { problem: 'holds spaces or control characters' }
  let url: URL
  try {
    url = new URL(baseUri)
  } catch {
    return { problem: 'is not a URL' }
  }
  const localTest = env.oauthBase.startsWith('http:') && url.protocol === 'http:' && isLoopback(url.hostname)
  if (url.protocol !== 'https:' && !localTest) return { problem: 'is not https' }
  if (url.username || url.password) return { problem: 'carries credentials' }
  if (!DNS_NAME.test(url.hostname) && !IPV6.test(url.hostname)) {
    return { problem: 'has a host name that is not made of DNS labels (letters, digits, hyphens)' }
  }
  if (url.pathname !== '/' || url.search || url.hash || /[?#]/.test(baseUri)) {
    return { problem: 'has a path, query or fragment' }
  }
  if (env.name !== 'custom' && !isDocuSignHost(url.hostname)) {
    return { problem: `is not a DocuSign host (*.docusign.net or *.docusign.com) in the ${env.name} environment` }
  }
  return { origin: url.origin }
}

export function describeEnvironment(env: Environment): string {
  return env.name === 'custom' ? `the OAuth server ${env.oauthBase}` : `the ${env.name} environment`
}

function named(name: 'demo' | 'production'): Environment {
  const oauthBase = NAMED.get(name)!
  return { name, oauthBase, audience: new URL(oauthBase).host }
}

/** Names people give the two environments, and the one each means. */
const MEANT = new Map<string, 'demo' | 'production'>([
  ['prod', 'production'],
  ['prd', 'production'],
  ['live', 'production'],
  ['sandbox', 'demo'],
  ['dev', 'demo'],
  ['developer', 'demo'],
  ['development', 'demo']
])

export function resolveEnvironment(value: string): Environment {
  const name = value.toLowerCase()
  if (name === 'demo' || name === 'production') return named(name)
  const meant = MEANT.get(name)
  if (meant) fail(`is not an environment's name: did you mean '${meant}'?`)
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
  // DocuSign's own OAuth servers given as URLs are the named environments, with their REST host rule.
  for (const [known, base] of NAMED) if (url.origin === base) return named(known as 'demo' | 'production')
  return { name: 'custom', oauthBase: url.origin, audience: url.host }
}

function fail(problem: string): never {
  throw new InputError('environment', problem, FIX)
}
