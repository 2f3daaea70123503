/**
 * A local DocuSign OAuth server for tests and the demo. It holds integration keys with their
 * public keys, users with accounts, and granted consents, and checks JWT Grant assertions the way
 * DocuSign does, answering in DocuSign's shapes. Faults can be queued to test retries and timeouts.
 */
import { randomBytes, randomUUID, type KeyObject } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import { EsignApi } from './esign.js'
import { EmulatorServer, listen, type Fault as CommonFault, type RecordedBase, type ServeOptions } from './server.js'

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
export const DEFAULT_REDIRECT_URI = 'https://developers.docusign.com/platform/auth/consent'

export interface Account {
  account_id: string
  account_name: string
  is_default: boolean
  base_uri: string
}

export interface User {
  id: string
  name: string
  email: string
  /** Raw, so tests can serve malformed entries as DocuSign never should. */
  accounts: unknown[]
}

/** A canned answer that replaces the next request to a path: a common one, or a 200 with a huge token. */
export type Fault = CommonFault | HugeBody
type HugeBody = { hugeBody: number }

export interface RecordedRequest extends RecordedBase {
  /** The assertion's claims, for token requests that carried one. */
  claims?: JWTPayload
  /** The status answered, once the token request is answered. */
  status?: number
}

export interface EmulatorOptions extends ServeOptions {
  /** Hostname in the URL and expected `aud` (default 127.0.0.1); it must resolve to loopback. */
  hostname?: string
  /** The `aud` to expect, when it is not host:port (DocuSign's: the bare host, behind a proxy). */
  audience?: string
  /** Lifetime of issued tokens in seconds (DocuSign: 3600). */
  tokenLifetime?: number
}

interface IntegrationKey {
  publicKeys: KeyObject[]
  redirectUris: string[]
  /** Whether the key allows the Authorization Code Grant the consent link uses (Apps and Keys, User Application). */
  authorizationCodeGrant: boolean
}

interface IssuedToken {
  userId: string
  expiresAt: number
}

type OAuthError = [status: number, body: { error: string; error_description?: string }]

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** How far in the future an iat may be before the emulator takes the signer's clock to run ahead. */
const IAT_LEEWAY_S = 30

const invalidGrant = (description: string): OAuthError => [
  400,
  { error: 'invalid_grant', error_description: description }
]

export class DocuSignEmulator extends EmulatorServer<RecordedRequest, HugeBody> {
  /** Every access token issued, in order. */
  readonly issuedTokens: string[] = []
  private readonly integrationKeys = new Map<string, IntegrationKey>()
  private readonly users = new Map<string, User>()
  private readonly consents = new Map<string, Set<string>>()
  /** Apps an organization administrator authorized, with the scopes: application-access tokens. */
  private readonly authorizedApps = new Map<string, Set<string>>()
  private readonly tokens = new Map<string, IssuedToken>()
  /** Organizations: their administrators and the users of their claimed domains. */
  private readonly organizations: { admins: Set<string>; users: Set<string> }[] = []
  private browserUser?: string
  /** The eSignature REST API on the same server (/restapi/…), for the tokens this server issued. */
  readonly esign = new EsignApi({
    tokenInfo: token => this.tokens.get(token),
    accountsOf: userId => {
      const accounts = this.users.get(userId)?.accounts ?? []
      return accounts.map(a => String((a as { account_id?: unknown })?.account_id ?? '').toLowerCase())
    }
  })

  private constructor(
    server: Server,
    readonly url: string,
    /** What `aud` must be: host[:port]. */
    readonly audience: string,
    private readonly tokenLifetime: number
  ) {
    super(server, 'application/json')
  }

  static async start(options: EmulatorOptions = {}): Promise<DocuSignEmulator> {
    const { server, port } = await listen(options)
    const host = `${options.hostname ?? (options.listen === '::1' ? '[::1]' : '127.0.0.1')}:${port}`
    return new DocuSignEmulator(
      server,
      `${options.tls ? 'https' : 'http'}://${host}`,
      options.audience ?? host,
      options.tokenLifetime ?? 3600
    )
  }

  addIntegrationKey(
    publicKeys: KeyObject[],
    redirectUris = [DEFAULT_REDIRECT_URI],
    id: string = randomUUID(),
    authorizationCodeGrant = true
  ): string {
    this.integrationKeys.set(id, { publicKeys, redirectUris, authorizationCodeGrant })
    return id
  }

  addUser(user: Partial<User> = {}): string {
    const id = user.id ?? randomUUID()
    const accounts = user.accounts ?? [
      {
        account_id: randomUUID(),
        account_name: 'Demo Account',
        is_default: true,
        base_uri: 'https://demo.docusign.net'
      }
    ]
    this.users.set(id, {
      id,
      name: user.name ?? 'Test User',
      email: user.email ?? `${id.slice(0, 8)}@example.com`,
      accounts
    })
    this.browserUser ??= id
    return id
  }

  /** The user "signed in" in the browser that opens consent URLs (default: the first user added). */
  signInBrowserAs(userId: string): void {
    this.browserUser = userId
  }

  grantConsent(integrationKey: string, userId: string, scopes: string[]): void {
    const key = `${integrationKey}/${userId}`
    const granted = this.consents.get(key) ?? new Set<string>()
    scopes.forEach(s => granted.add(s))
    this.consents.set(key, granted)
  }

  /** An organization with a claimed domain: its administrators can grant consent for all its users. */
  addOrganization(admins: string[], users: string[]): void {
    this.organizations.push({ admins: new Set(admins), users: new Set([...admins, ...users]) })
  }

  // Faults are queued, and requests looked up, by path (e.g. '/oauth/token').

  protected record(req: IncomingMessage, body: Buffer): RecordedRequest {
    return {
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://emulator').pathname,
      headers: req.headers,
      body: body.toString('utf8'),
      at: Date.now()
    }
  }

  protected async respond(
    req: IncomingMessage,
    res: ServerResponse,
    recorded: RecordedRequest,
    body: Buffer
  ): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator')
    if (url.pathname.startsWith('/restapi/')) return this.esign.handle(req, res, url, body)

    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      const [status, answer] = await this.token(recorded)
      recorded.status = status
      return json(res, status, answer)
    }
    if (url.pathname === '/oauth/userinfo' && req.method === 'GET') return this.userinfo(req, res)
    if (url.pathname === '/oauth/auth' && req.method === 'GET') return this.consent(url, res)
    json(res, 404, { error: 'not_found' })
  }

  protected applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse, recorded: RecordedRequest): void {
    if (!('hugeBody' in fault)) return super.applyFault(fault, req, res, recorded)
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(`{"access_token":"${'x'.repeat(fault.hugeBody)}"}`)
  }

  /** POST /oauth/token: the checks DocuSign makes, in its order and with its answers. */
  private async token(recorded: RecordedRequest): Promise<[number, object]> {
    const form = new URLSearchParams(recorded.body)
    if (form.get('grant_type') !== JWT_BEARER) return invalidGrant('unsupported_grant_type')
    const assertion = form.get('assertion') ?? ''
    let claims: JWTPayload
    let alg: string | undefined
    try {
      claims = decodeJwt(assertion)
      alg = decodeProtectedHeader(assertion).alg
    } catch {
      return [400, { error: 'invalid_request' }]
    }
    recorded.claims = claims
    const key = this.integrationKeys.get(String(claims.iss))
    // A malformed aud (a scheme, a path, a trailing slash) fails as a signature DocuSign cannot verify;
    // a well-formed host that is not this server's (the other environment) as an unknown issuer.
    // Source: DocuSign's JWT troubleshooting (developers.docusign.com, "no_valid_keys_or_signatures"):
    // see __tests__/fixtures/docusign-answers.json for the answers as quoted.
    const aud = String(claims.aud ?? '')
    if (!/^[a-z0-9.-]+(:\d+)?$/i.test(aud) && aud !== this.audience) return invalidGrant('no_valid_keys_or_signatures')
    if (!key || aud !== this.audience) return invalidGrant('issuer_not_found')
    if (alg !== 'RS256' || !(await verifiesWithAny(assertion, key.publicKeys))) {
      return invalidGrant('no_valid_keys_or_signatures')
    }
    const now = Math.floor(Date.now() / 1000)
    const { exp, iat, nbf } = claims
    if (typeof exp !== 'number') return invalidGrant('no_valid_keys_or_signatures')
    if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now)) return invalidGrant('no_valid_keys_or_signatures')
    // A machine whose clock runs ahead signs an iat in DocuSign's future: refused like a bad signature.
    if (typeof iat === 'number' && iat > now + IAT_LEEWAY_S) return invalidGrant('no_valid_keys_or_signatures')
    if (exp <= now) return invalidGrant('expired_grant')
    if (exp - (typeof iat === 'number' ? iat : now) > 3600) return invalidGrant('no_valid_keys_or_signatures')
    if (claims.sub === undefined) return this.applicationToken(String(claims.iss), String(claims.scope ?? ''))
    const user = this.users.get(String(claims.sub))
    // Not a GUID at all (an email, say) is an invalid subject; a GUID of no user here, not found.
    if (!user) return invalidGrant(GUID.test(String(claims.sub ?? '')) ? 'user_not_found' : 'invalid_subject')
    const requested = String(claims.scope ?? '')
      .split(' ')
      .filter(Boolean)
    const granted = this.consents.get(`${claims.iss}/${user.id}`)
    if (requested.length === 0 || !requested.every(s => granted?.has(s))) return [400, { error: 'consent_required' }]

    const accessToken = `eyJ0eXAiOiJNVCJ9.${randomBytes(96).toString('base64url')}`
    this.tokens.set(accessToken, { userId: user.id, expiresAt: Date.now() + this.tokenLifetime * 1000 })
    this.issuedTokens.push(accessToken)
    return [200, { access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenLifetime }]
  }

  /**
   * An assertion without sub: a token for the app itself (the Admin API), once an organization
   * administrator authorized the app for every scope asked (DocuSign Admin > Connected Apps).
   * No public record shows DocuSign's answer otherwise: consent_required is assumed (see the fixture
   * app-token-not-authorized-connected-apps).
   */
  private applicationToken(integrationKey: string, scope: string): [number, object] {
    const requested = scope.split(' ').filter(Boolean)
    const authorized = this.authorizedApps.get(integrationKey)
    if (requested.length === 0 || requested.includes('impersonation') || !requested.every(s => authorized?.has(s))) {
      return [400, { error: 'consent_required' }]
    }
    const accessToken = `eyJ0eXAiOiJNVCJ9.${randomBytes(96).toString('base64url')}`
    this.tokens.set(accessToken, { userId: '', expiresAt: Date.now() + this.tokenLifetime * 1000 })
    this.issuedTokens.push(accessToken)
    return [200, { access_token: accessToken, token_type: 'Bearer', expires_in: this.tokenLifetime }]
  }

  /** An organization administrator authorizes the app for scopes: DocuSign Admin > Connected Apps > Authorize Application. */
  authorizeApplication(integrationKey: string, scopes: string[]): void {
    const granted = this.authorizedApps.get(integrationKey) ?? new Set<string>()
    scopes.forEach(s => granted.add(s))
    this.authorizedApps.set(integrationKey, granted)
  }

  /** GET /oauth/userinfo: who the token's user is, and their accounts. */
  private userinfo(req: IncomingMessage, res: ServerResponse): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? ''
    const issued = this.tokens.get(token)
    const user = issued && issued.expiresAt > Date.now() ? this.users.get(issued.userId) : undefined
    // DocuSign's answer to an expired or refused token here (see __tests__/fixtures/docusign-answers.json).
    if (!user) return json(res, 401, { error: 'internal_server_error', reference_id: randomUUID() })
    const [given, ...family] = user.name.split(' ')
    json(res, 200, {
      sub: user.id,
      name: user.name,
      given_name: given,
      family_name: family.join(' '),
      created: '2024-01-01T00:00:00.000Z',
      email: user.email,
      accounts: user.accounts
    })
  }

  /** GET /oauth/auth: the consent page; opening it counts as the signed-in user clicking Accept. */
  private consent(url: URL, res: ServerResponse): void {
    const q = url.searchParams
    const key = this.integrationKeys.get(q.get('client_id') ?? '')
    const redirect = q.get('redirect_uri') ?? ''
    // The consent page's own errors, in DocuSign's words (see __tests__/fixtures/docusign-answers.json):
    // shown as a page, not a redirect, so the browser stays on DocuSign.
    const problem =
      q.get('response_type') !== 'code' || (key && !key.authorizationCodeGrant)
        ? 'Invalid authentication request: The response type is not supported.'
        : !key
          ? 'Invalid authentication request: The client id provided is not registered with DocuSign.'
          : key.redirectUris.length === 0
            ? 'There are no redirect URIs registered with DocuSign'
            : !key.redirectUris.includes(redirect)
              ? 'Login Error: The redirect URI is not registered properly with DocuSign'
              : !this.browserUser
                ? 'nobody is signed in'
                : ''
    if (problem) return errorPage(res, problem)
    const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean)
    const adminScopes = q.get('admin_consent_scope')
    if (adminScopes !== null) {
      // Admin consent: scope=openid signs the administrator in; the users get admin_consent_scope.
      const org = this.organizations.find(o => o.admins.has(this.browserUser!))
      // The wording is inferred (no public record of this page): see the fixture's note.
      if (!scopes.includes('openid') || !org) {
        return errorPage(res, 'You do not have permission to grant consent on behalf of your organization.')
      }
      for (const user of org.users) this.grantConsent(q.get('client_id')!, user, adminScopes.split(' ').filter(Boolean))
    } else {
      this.grantConsent(q.get('client_id')!, this.browserUser!, scopes)
    }
    res.writeHead(302, { Location: `${redirect}?code=${randomBytes(16).toString('hex')}` })
    res.end()
  }
}

async function verifiesWithAny(jwt: string, keys: KeyObject[]): Promise<boolean> {
  for (const key of keys) {
    try {
      await compactVerify(jwt, key, { algorithms: ['RS256'] })
      return true
    } catch {
      // try the next registered key
    }
  }
  return false
}

/** A consent-page error as DocuSign shows it: a page (no status of its own is recorded), not a redirect. */
function errorPage(res: ServerResponse, problem: string): void {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', ...traceHeaders() })
  res.end(
    `<!DOCTYPE html><html><head><title>DocuSign</title></head><body><div class="error">${problem}</div></body></html>`
  )
}

/** DocuSign sends a trace token on its answers; support asks for it. */
function traceHeaders(): Record<string, string> {
  return { 'X-DocuSign-TraceToken': randomUUID() }
}

function json(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...traceHeaders() })
  res.end(JSON.stringify(body))
}
