/**
 * Microsoft Entra ID and Azure Key Vault, as a job signing with a Key Vault key sees them, on loopback
 * HTTPS for the fixed host names (reached through the CONNECT proxy with `cloudPki()`'s CA):
 *
 *   login.microsoftonline.com (.us)  POST /{tenant}/oauth2/v2.0/token   client_credentials with the
 *                                    GitHub OIDC token as client_assertion → access token for a vault
 *   NAME.vault.azure.net             GET  /keys/KEY[/VERSION]?api-version=7.4
 *   (NAME.vault.usgovcloudapi.net)   POST /keys/KEY[/VERSION]/sign?api-version=7.4
 *
 * Sources followed (each cited again where it applies):
 * - Azure/azure-sdk-for-js sdk/keyvault/keyvault-common/src/keyVaultAuthenticationPolicy.ts and
 *   parseWWWAuthenticate.ts: the first request goes without token nor body; the 401 challenge's
 *   `authorization` gives the tenant and `resource` the scope (RESOURCE/.default), whose host the
 *   vault's host must end with.
 * - Azure/azure-rest-api-specs specification/keyvault/data-plane/Microsoft.KeyVault/stable/7.4:
 *   examples/GetKey-example.json, sign-example.json, common.json (KeyVaultError).
 * - Recorded Key Vault answers in azure-sdk-for-js recordings (401 AKV10000 with its challenge,
 *   404 KeyNotFound text), and Entra / Key Vault errors quoted in Azure/login issues #175, #360, #461,
 *   #482, #517, MicrosoftDocs/azure-docs #97700 and other threads (AADSTS700211/700212/700213,
 *   700016, 90002, 700024, 1002012, ForbiddenByRbac, ForbiddenByPolicy, AKV10022); KeyDisabled on
 *   sign only, from a live vault (Azure/azure-sdk-for-python #45342).
 *   Texts not found anywhere are marked "(not verified)".
 */
import { randomUUID, type KeyObject } from 'node:crypto'
import type { Server } from 'node:http'
import {
  calculateJwkThumbprint,
  compactVerify,
  createLocalJWKSet,
  decodeJwt,
  exportJWK,
  SignJWT,
  type JSONWebKeySet,
  type JWK,
  type JWTPayload
} from 'jose'
import {
  AZURE_CLOUDS,
  bearer,
  CloudServer,
  cloudPki,
  fields,
  hex,
  type Answer,
  type AzureCloud,
  type CloudRequest
} from './hosts.js'
import type { TrustedIssuer } from './oidc.js'
import { listen } from './server.js'
import { DIGEST_LENGTH, newSigningKey, schemeOf, signDigest, type Sha2Name as DigestName } from './signing.js'
import type { TestPki } from './tls.js'

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
/** The audience GitHub tokens carry for Entra (azure/login's default `audience` input). */
export const FEDERATION_AUDIENCE = 'api://AzureADTokenExchange'

/** Resources an app may ask a token for, per cloud (scope RESOURCE/.default). */
export const AZURE_RESOURCES: Record<AzureCloud, { vault: string; management: string }> = {
  public: { vault: 'https://vault.azure.net', management: 'https://management.azure.com' },
  usgov: { vault: 'https://vault.usgovcloudapi.net', management: 'https://management.usgovcloudapi.net' }
}

export interface FederatedCredential {
  /** Matched exactly and case-sensitively (Entra's matching since 2025, Azure/login #517). */
  issuer: string
  subject: string
  /** Default [api://AzureADTokenExchange]. */
  audiences?: string[]
}

export interface AzureApp {
  tenant: string
  /** The application (client) ID. */
  clientId: string
  /** The service principal's object ID (the `oid` of its tokens). */
  objectId: string
  displayName: string
  federatedCredentials: FederatedCredential[]
}

export type KeyVaultPermission = 'get' | 'sign'
export type KeyVaultKeyType = 'RSA' | 'RSA-HSM' | 'EC' | 'EC-HSM'

export interface VaultKeyVersion {
  /** https://NAME.vault.azure.net/keys/KEY/VERSION */
  kid: string
  name: string
  version: string
  kty: KeyVaultKeyType
  privateKey: KeyObject
  keyOps: string[]
  enabled: boolean
  created: number
  updated: number
}

export interface VaultOptions {
  name: string
  tenant: string
  cloud?: AzureCloud
  /** Azure RBAC (the default for new vaults) or the legacy access policies: their 403s differ. */
  authorization?: 'rbac' | 'accessPolicy'
  location?: string
}

interface Vault extends Required<VaultOptions> {
  host: string
  url: string
  subscription: string
  resourceGroup: string
  keys: Map<string, VaultKeyVersion[]>
  grants: { clientId: string; permissions: Set<KeyVaultPermission>; key?: string }[]
}

interface Tenant {
  id: string
  cloud: AzureCloud
  domains: string[]
}

export interface AzureOptions {
  /** The test PKI to serve the names with (default: a fresh `cloudPki()`). */
  pki?: TestPki
  port?: number
  /** OIDC issuers Entra can verify client assertions from (oidc.ts's `trusted`). */
  issuers?: TrustedIssuer[]
  /** Lifetime in seconds of Entra's access tokens (Entra: 3599 here; real ones vary). */
  tokenLifetime?: number
}

type Checked<T> = { ok: T } | { answer: Answer }

interface Caller {
  appid: string
  oid: string
  tid: string
  iss: string
}

const now = (): number => Math.floor(Date.now() / 1000)
/** Entra's timestamps: 2024-06-13 15:40:46Z. */
const entraTime = (): string =>
  new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z')
/** .NET's round-trip format, as AADSTS700024 prints times: 2023-08-01T11:08:01.5274809Z. */
const dotnetTime = (seconds: number): string =>
  new Date(seconds * 1000).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z')
const SEE_FIC =
  'Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation'

const SIGN_ALGORITHMS: Record<string, { family: 'RSA' | 'EC'; scheme: 'pkcs1' | 'pss' | 'ecdsa'; hash: DigestName }> = {
  RS256: { family: 'RSA', scheme: 'pkcs1', hash: 'sha256' },
  RS384: { family: 'RSA', scheme: 'pkcs1', hash: 'sha384' },
  RS512: { family: 'RSA', scheme: 'pkcs1', hash: 'sha512' },
  PS256: { family: 'RSA', scheme: 'pss', hash: 'sha256' },
  PS384: { family: 'RSA', scheme: 'pss', hash: 'sha384' },
  PS512: { family: 'RSA', scheme: 'pss', hash: 'sha512' },
  ES256: { family: 'EC', scheme: 'ecdsa', hash: 'sha256' }
}

const keyVaultError = (status: number, code: string, message: string, inner?: string): Answer => ({
  status,
  body: { error: { code, message, ...(inner ? { innererror: { code: inner } } : {}) } }
})

export class AzureEmulator extends CloudServer {
  /** The CA that issued the servers' certificate (NODE_EXTRA_CA_CERTS). */
  readonly caCert: string
  /** Every access token Entra issued, in order. */
  readonly issuedTokens: string[] = []
  /** Entra's token signing keys, as /{tenant}/discovery/v2.0/keys serves them. */
  readonly jwks: JSONWebKeySet
  private readonly tenants = new Map<string, Tenant>()
  private readonly apps = new Map<string, AzureApp>()
  private readonly vaults = new Map<string, Vault>()
  private readonly issuers: TrustedIssuer[]
  private readonly tokenLifetime: number
  private expiredBefore = 0

  private constructor(
    server: Server,
    port: number,
    caCert: string,
    options: AzureOptions,
    private readonly signingKey: KeyObject,
    private readonly kid: string,
    jwk: JWK
  ) {
    super(server, port)
    this.caCert = caCert
    this.issuers = [...(options.issuers ?? [])]
    this.tokenLifetime = options.tokenLifetime ?? 3599
    this.jwks = { keys: [{ ...jwk, kid, x5t: kid, use: 'sig' }] }
  }

  static async start(options: AzureOptions = {}): Promise<AzureEmulator> {
    const pki = options.pki ?? cloudPki()
    const key = newSigningKey(2048)
    const full = await exportJWK(key)
    const jwk: JWK = { kty: full.kty, n: full.n, e: full.e }
    const kid = await calculateJwkThumbprint(jwk)
    const { server, port } = await listen({ tls: pki, port: options.port })
    return new AzureEmulator(server, port, pki.caCert, options, key, kid, jwk)
  }

  get hosts(): Record<string, number> {
    return Object.fromEntries([
      ...Object.values(AZURE_CLOUDS).map(c => [c.authority, this.port]),
      ...[...this.vaults.keys()].map(host => [host, this.port])
    ])
  }

  // ---- setup ----

  /** Trusts another OIDC issuer for client assertions. */
  trust(issuer: TrustedIssuer): void {
    this.issuers.push(issuer)
  }

  addTenant(options: { id?: string; cloud?: AzureCloud; domains?: string[] } = {}): string {
    const tenant: Tenant = {
      id: options.id ?? randomUUID(),
      cloud: options.cloud ?? 'public',
      domains: options.domains ?? []
    }
    this.tenants.set(tenant.id, tenant)
    return tenant.id
  }

  /** An app registration with its service principal, trusting `federatedCredentials`. */
  addApp(options: {
    tenant: string
    clientId?: string
    displayName?: string
    federatedCredentials?: FederatedCredential[]
  }): AzureApp {
    if (!this.tenants.has(options.tenant)) throw new Error(`no tenant ${options.tenant}`)
    const app: AzureApp = {
      tenant: options.tenant,
      clientId: options.clientId ?? randomUUID(),
      objectId: randomUUID(),
      displayName: options.displayName ?? 'docusign-signer',
      federatedCredentials: options.federatedCredentials ?? []
    }
    this.apps.set(`${app.tenant}/${app.clientId}`, app)
    return app
  }

  /** Adds a vault and returns its URL (https://NAME.vault.azure.net). */
  addVault(options: VaultOptions): string {
    if (!this.tenants.has(options.tenant)) throw new Error(`no tenant ${options.tenant}`)
    const cloud = options.cloud ?? 'public'
    const host = `${options.name.toLowerCase()}.${AZURE_CLOUDS[cloud].vaultDomain}`
    this.vaults.set(host, {
      name: options.name,
      tenant: options.tenant,
      cloud,
      authorization: options.authorization ?? 'rbac',
      location: options.location ?? 'eastus',
      host,
      url: `https://${host}`,
      subscription: randomUUID(),
      resourceGroup: 'rg-signing',
      keys: new Map(),
      grants: []
    })
    return `https://${host}`
  }

  /**
   * Adds a key, or a new version of it (the latest is what a version-less URL means). Pass
   * `privateKey` to reuse one; EC keys are P-256.
   */
  addKey(
    vaultUrl: string,
    name: string,
    options: { kty?: KeyVaultKeyType; privateKey?: KeyObject; keyOps?: string[]; enabled?: boolean } = {}
  ): VaultKeyVersion {
    const vault = this.vault(vaultUrl)
    const kty = options.kty ?? 'RSA'
    const ec = kty.startsWith('EC')
    const privateKey = options.privateKey ?? newSigningKey(ec ? 'P-256' : 2048)
    if ((privateKey.asymmetricKeyType === 'ec') !== ec) throw new Error(`the key does not fit ${kty}`)
    const version = hex(16)
    const t = now()
    const key: VaultKeyVersion = {
      kid: `${vault.url}/keys/${name}/${version}`,
      name,
      version,
      kty,
      privateKey,
      keyOps:
        options.keyOps ?? (ec ? ['sign', 'verify'] : ['sign', 'verify', 'wrapKey', 'unwrapKey', 'encrypt', 'decrypt']),
      enabled: options.enabled ?? true,
      created: t,
      updated: t
    }
    vault.keys.set(name, [...(vault.keys.get(name) ?? []), key])
    return key
  }

  /** Enables or disables a key version (default: the latest). */
  setKeyEnabled(vaultUrl: string, name: string, enabled: boolean, version?: string): void {
    const versions = this.vault(vaultUrl).keys.get(name) ?? []
    const key = version ? versions.find(v => v.version === version) : versions.at(-1)
    if (!key) throw new Error(`no key ${name}`)
    key.enabled = enabled
    key.updated = now()
  }

  /**
   * Lets an app (by client ID) get and/or sign with keys: a role assignment on the vault, or on one
   * key (`key`), for an RBAC vault; an access policy for the vault otherwise.
   */
  grant(vaultUrl: string, clientId: string, permissions: KeyVaultPermission[], key?: string): void {
    this.vault(vaultUrl).grants.push({ clientId, permissions: new Set(permissions), key })
  }

  /**
   * An access token as Entra issues it (v1 claims: aud, iss https://sts.windows.net/TENANT/, appid,
   * oid, tid, idtyp app…), for tests that need a token Entra would not give (another audience, expired).
   */
  async issueAccessToken(options: { app: AzureApp; resource: string; lifetime?: number }): Promise<string> {
    const t = now()
    const iss = `https://sts.windows.net/${options.app.tenant}/`
    const payload: JWTPayload = {
      aud: options.resource,
      iss,
      iat: t,
      nbf: t,
      exp: t + (options.lifetime ?? this.tokenLifetime),
      aio: Buffer.from(hex(24)).toString('base64url'),
      appid: options.app.clientId,
      appidacr: '2',
      idp: iss,
      idtyp: 'app',
      oid: options.app.objectId,
      rh: `0.${Buffer.from(hex(12)).toString('base64url')}.`,
      sub: options.app.objectId,
      tid: options.app.tenant,
      uti: Buffer.from(hex(12)).toString('base64url'),
      ver: '1.0'
    }
    const jwt = await new SignJWT(payload)
      .setProtectedHeader({ typ: 'JWT', alg: 'RS256', x5t: this.kid, kid: this.kid })
      .sign(this.signingKey)
    this.issuedTokens.push(jwt)
    return jwt
  }

  /** Makes every token issued so far expired for Key Vault (as an hour passing would). */
  expireTokens(): void {
    this.expiredBefore = Date.now() + 1000
  }

  private vault(urlOrName: string): Vault {
    const host = /^https?:\/\//.test(urlOrName) ? new URL(urlOrName).hostname : urlOrName
    const vault = this.vaults.get(host) ?? [...this.vaults.values()].find(v => v.name === urlOrName)
    if (!vault) throw new Error(`no vault ${urlOrName}`)
    return vault
  }

  // ---- routing ----

  protected async answer(request: CloudRequest): Promise<Answer> {
    const cloud = (Object.keys(AZURE_CLOUDS) as AzureCloud[]).find(c => AZURE_CLOUDS[c].authority === request.host)
    if (cloud) return this.entra(request, cloud)
    const vault = this.vaults.get(request.host)
    if (vault) return this.keyVault(request, vault)
    return { status: 404, body: { error: { code: 'NotFound', message: 'Unknown host' } } }
  }

  // ---- Microsoft Entra ID ----

  private entraError(request: CloudRequest, status: number, error: string, code: number, text: string): Answer {
    const timestamp = entraTime()
    const traceId = randomUUID()
    const correlationId = randomUUID()
    return {
      status,
      body: {
        error,
        error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `https://${request.host}/error?code=${code}`
      }
    }
  }

  private async entra(request: CloudRequest, cloud: AzureCloud): Promise<Answer> {
    const authority = `https://${AZURE_CLOUDS[cloud].authority}`
    if (request.path === '/common/discovery/instance' && request.method === 'GET') {
      // MSAL's instance discovery (shape as azure-sdk-for-js recordings show it).
      return {
        status: 200,
        body: {
          tenant_discovery_endpoint: `${authority}/common/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [
            {
              preferred_network: AZURE_CLOUDS[cloud].authority,
              preferred_cache: AZURE_CLOUDS[cloud].authority,
              aliases: [AZURE_CLOUDS[cloud].authority]
            }
          ]
        }
      }
    }
    const [, tenantName, rest] = /^\/([^/]+)(\/.*)$/.exec(request.path) ?? []
    const tenant = [...this.tenants.values()].find(
      t => t.cloud === cloud && (t.id === tenantName || t.domains.includes(tenantName ?? ''))
    )
    const tenantNotFound = (): Answer =>
      this.entraError(
        request,
        400,
        'invalid_request',
        90002,
        `Tenant '${tenantName}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`
      )
    if (rest === '/v2.0/.well-known/openid-configuration' && request.method === 'GET') {
      if (!tenant) return tenantNotFound()
      return {
        status: 200,
        body: {
          token_endpoint: `${authority}/${tenant.id}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          jwks_uri: `${authority}/${tenant.id}/discovery/v2.0/keys`,
          issuer: `${authority}/${tenant.id}/v2.0`,
          authorization_endpoint: `${authority}/${tenant.id}/oauth2/v2.0/authorize`,
          tenant_region_scope: cloud === 'usgov' ? 'USG' : 'NA'
        }
      }
    }
    if (rest === '/discovery/v2.0/keys' && request.method === 'GET') return { status: 200, body: this.jwks }
    if (rest !== '/oauth2/v2.0/token' || request.method !== 'POST') {
      return { status: 404, body: { error: 'not_found' } }
    }
    if (!tenant) return tenantNotFound()
    return this.token(request, tenant)
  }

  /**
   * POST /{tenant}/oauth2/v2.0/token, client credentials with a federated client assertion (what
   * @azure/identity's ClientAssertionCredential sends through MSAL): grant_type=client_credentials,
   * client_id, client_assertion_type=…jwt-bearer, client_assertion, scope=RESOURCE/.default.
   * Answers { token_type, expires_in, ext_expires_in, access_token }.
   */
  private async token(request: CloudRequest, tenant: Tenant): Promise<Answer> {
    const f = fields(request) as Record<string, string | undefined>
    const fail = (status: number, error: string, code: number, text: string): Answer =>
      this.entraError(request, status, error, code, text)
    if (f.grant_type !== 'client_credentials') {
      return fail(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${f.grant_type ?? ''}'.`
      ) // (not verified)
    }
    if (!f.client_id)
      return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.")
    const app = this.apps.get(`${tenant.id}/${f.client_id}`)
    if (!app) {
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${f.client_id}' was not found in the directory '${tenant.domains[0] ?? tenant.id}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`
      )
    }
    if (!f.scope)
      return fail(400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.")
    if (!f.scope.endsWith('/.default') || f.scope.trim().includes(' ')) {
      return fail(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${f.scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
      )
    }
    const resource = f.scope.slice(0, -'/.default'.length)
    if (!Object.values(AZURE_RESOURCES[tenant.cloud]).includes(resource.replace(/\/$/, ''))) {
      return fail(
        400,
        'invalid_resource',
        500011,
        `The resource principal named ${resource} was not found in the tenant named ${tenant.domains[0] ?? tenant.id}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`
      )
    }
    if (!f.client_assertion) {
      return fail(
        401,
        'invalid_client',
        7000218,
        "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."
      )
    }
    if (f.client_assertion_type !== CLIENT_ASSERTION_TYPE) {
      return fail(
        400,
        'invalid_request',
        900144,
        "The request body must contain the following parameter: 'client_assertion_type'."
      ) // (not verified)
    }
    let claims: JWTPayload
    try {
      claims = decodeJwt(f.client_assertion)
    } catch {
      return fail(400, 'invalid_request', 50027, 'JWT token is invalid or malformed.')
    }
    // The federated identity credential that matches issuer, then subject, then audience.
    const iss = String(claims.iss)
    const sub = String(claims.sub)
    const aud = Array.isArray(claims.aud) ? claims.aud : [String(claims.aud)]
    const byIssuer = app.federatedCredentials.filter(c => c.issuer === iss)
    if (byIssuer.length === 0) {
      return fail(
        401,
        'invalid_client',
        700211,
        `No matching federated identity record found for presented assertion issuer '${iss}'. ${SEE_FIC}`
      )
    }
    const bySubject = byIssuer.filter(c => c.subject === sub)
    if (bySubject.length === 0) {
      return fail(
        401,
        'invalid_client',
        700213,
        `No matching federated identity record found for presented assertion subject '${sub}'. ${SEE_FIC}`
      )
    }
    if (!bySubject.some(c => (c.audiences ?? [FEDERATION_AUDIENCE]).some(a => aud.includes(a)))) {
      return fail(
        401,
        'invalid_client',
        700212,
        `No matching federated identity record found for presented assertion audience '${aud.join(', ')}'. ${SEE_FIC}`
      )
    }
    const issuer = this.issuers.find(i => i.issuer === iss)
    try {
      if (!issuer) throw new Error('untrusted issuer')
      await compactVerify(f.client_assertion, createLocalJWKSet(issuer.jwks), { algorithms: ['RS256'] })
    } catch {
      return fail(401, 'invalid_client', 700027, 'Client assertion failed signature validation.') // (not verified for federated assertions)
    }
    const t = now()
    const from = typeof claims.nbf === 'number' ? claims.nbf : Number(claims.iat)
    if (typeof claims.exp !== 'number' || claims.exp <= t || from > t + 300) {
      return fail(
        401,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${dotnetTime(Date.now() / 1000)}, assertion valid from ${dotnetTime(from)}, expiry time of assertion ${dotnetTime(Number(claims.exp))}. Review the documentation at https://docs.microsoft.com/azure/active-directory/develop/active-directory-certificate-credentials .`
      )
    }
    const accessToken = await this.issueAccessToken({ app, resource: resource.replace(/\/$/, '') })
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: this.tokenLifetime,
        ext_expires_in: this.tokenLifetime,
        access_token: accessToken
      }
    }
  }

  // ---- Azure Key Vault ----

  /**
   * The 401 challenge: `Bearer authorization="https://AUTHORITY/TENANT", resource="https://vault…"`
   * (recorded by azure-sdk-for-js; older answers name login.windows.net as the authority).
   */
  private challenge(vault: Vault, message: string): Answer {
    return {
      ...keyVaultError(401, 'Unauthorized', message),
      headers: {
        'WWW-Authenticate': `Bearer authorization="https://${AZURE_CLOUDS[vault.cloud].authority}/${vault.tenant}", resource="${AZURE_RESOURCES[vault.cloud].vault}"`
      }
    }
  }

  private async vaultCaller(request: CloudRequest, vault: Vault): Promise<Checked<Caller>> {
    const token = bearer(request)
    if (!token) return { answer: this.challenge(vault, 'AKV10000: Request is missing a Bearer or PoP token.') }
    let claims: JWTPayload
    try {
      await compactVerify(token, createLocalJWKSet(this.jwks), { algorithms: ['RS256'] })
      claims = decodeJwt(token)
    } catch {
      return { answer: this.challenge(vault, 'Token validation failed.') } // (not verified)
    }
    if (typeof claims.exp !== 'number' || claims.exp <= now() || Number(claims.iat) * 1000 < this.expiredBefore) {
      return { answer: this.challenge(vault, 'Token validation failed. The token is expired.') } // (not verified)
    }
    const resource = AZURE_RESOURCES[vault.cloud].vault
    const aud = String(claims.aud).replace(/\/$/, '')
    if (aud !== resource) {
      return {
        answer: this.challenge(vault, `AKV10022: Invalid audience. Expected ${resource}, found: ${String(claims.aud)}.`)
      }
    }
    if (claims.tid !== vault.tenant) {
      return {
        answer: this.challenge(
          vault,
          `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${vault.tenant}/, found ${String(claims.iss)}.` // (not verified)
        )
      }
    }
    return {
      ok: { appid: String(claims.appid), oid: String(claims.oid), tid: String(claims.tid), iss: String(claims.iss) }
    }
  }

  private async keyVault(request: CloudRequest, vault: Vault): Promise<Answer> {
    const answer = await this.keyVaultOperation(request, vault)
    // Headers Key Vault puts on every answer.
    return {
      ...answer,
      headers: {
        'x-ms-keyvault-region': vault.location,
        'x-ms-request-id': randomUUID(),
        'x-ms-keyvault-service-version': '1.9.1000.1',
        ...answer.headers
      }
    }
  }

  private async keyVaultOperation(request: CloudRequest, vault: Vault): Promise<Answer> {
    // The SDK's first request carries neither token nor body: the challenge comes before anything else.
    const caller = await this.vaultCaller(request, vault)
    if ('answer' in caller) return caller.answer
    if (!request.query.get('api-version')) {
      return keyVaultError(400, 'BadParameter', 'The api-version query parameter is required.') // (not verified)
    }
    const path = request.path.replace(/\/+$/, '')
    const get = /^\/keys\/([0-9a-zA-Z-]+)(?:\/([0-9a-f]{32}))?$/.exec(path)
    const sign = /^\/keys\/([0-9a-zA-Z-]+)(?:\/([0-9a-f]{32}))?\/sign$/.exec(path)
    if (get && request.method === 'GET')
      return this.withKey(caller.ok, vault, get[1], get[2], 'get', key => this.getKey(key))
    if (sign && request.method === 'POST') {
      return this.withKey(caller.ok, vault, sign[1], sign[2], 'sign', key => this.sign(key, request.body))
    }
    return keyVaultError(404, 'NotFound', 'The requested resource was not found.') // (not verified)
  }

  /** Permission (403), then the key (404), then, to sign, its being enabled (403 KeyDisabled). */
  private withKey(
    caller: Caller,
    vault: Vault,
    name: string,
    version: string | undefined,
    permission: KeyVaultPermission,
    then: (key: VaultKeyVersion) => Answer
  ): Answer {
    const granted = vault.grants.some(
      g => g.clientId === caller.appid && g.permissions.has(permission) && (!g.key || g.key === name)
    )
    if (!granted) {
      const who = `appid=${caller.appid};oid=${caller.oid};iss=${caller.iss}`
      if (vault.authorization === 'accessPolicy') {
        return keyVaultError(
          403,
          'Forbidden',
          `The user, group or application '${who}' does not have keys ${permission} permission on key vault '${vault.name};location=${vault.location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
          'ForbiddenByPolicy'
        )
      }
      const action =
        permission === 'get' ? 'Microsoft.KeyVault/vaults/keys/read' : 'Microsoft.KeyVault/vaults/keys/sign/action'
      const resource = `/subscriptions/${vault.subscription}/resourcegroups/${vault.resourceGroup}/providers/microsoft.keyvault/vaults/${vault.name.toLowerCase()}/keys/${name}`
      return keyVaultError(
        403,
        'Forbidden',
        `Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\nCaller: ${who}\r\nAction: '${action}'\r\nResource: '${resource}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: null \r\nVault: ${vault.name};location=${vault.location}\r\n`,
        'ForbiddenByRbac'
      )
    }
    const versions = vault.keys.get(name) ?? []
    const key = version ? versions.find(v => v.version === version) : versions.at(-1)
    if (!key) {
      return keyVaultError(
        404,
        'KeyNotFound',
        `A key with (name/id) ${version ? `${name}/${version}` : name} was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`
      )
    }
    // A disabled key still answers get (its attributes say enabled: false); Key Vault refuses only the
    // operations that use the private key (sign, decrypt, unwrap), with this answer, as a live vault
    // showed (Azure/azure-sdk-for-python issue #45342).
    if (!key.enabled && permission === 'sign') {
      return keyVaultError(403, 'Forbidden', `Operation ${permission} is not allowed on a disabled key.`, 'KeyDisabled')
    }
    return then(key)
  }

  /** GET /keys/KEY[/VERSION]: { key: JWK with kid and key_ops, attributes } (GetKey-example.json). */
  private getKey(key: VaultKeyVersion): Answer {
    const jwk = key.privateKey.export({ format: 'jwk' })
    const material = key.kty.startsWith('EC') ? { crv: 'P-256', x: jwk.x, y: jwk.y } : { n: jwk.n, e: jwk.e }
    return {
      status: 200,
      body: {
        key: { kid: key.kid, kty: key.kty, key_ops: key.keyOps, ...material },
        attributes: {
          enabled: key.enabled,
          created: key.created,
          updated: key.updated,
          recoveryLevel: 'Recoverable+Purgeable',
          recoverableDays: 90,
          exportable: false
        }
      }
    }
  }

  /**
   * POST …/sign with { alg, value: base64url digest }: { kid, value: base64url signature }
   * (sign-example.json). RS* sign PKCS#1 v1.5, PS* PSS with a salt as long as the hash, ES256 the
   * JOSE form r‖s. Validation texts are (not verified).
   */
  private sign(key: VaultKeyVersion, rawBody: string): Answer {
    let body: { alg?: unknown; value?: unknown }
    try {
      body = JSON.parse(rawBody || 'null') as typeof body
    } catch {
      return keyVaultError(400, 'BadParameter', 'The request body is not valid JSON.')
    }
    if (!body || typeof body.alg !== 'string' || typeof body.value !== 'string') {
      return keyVaultError(400, 'BadParameter', 'Property alg and value are required.')
    }
    const alg = SIGN_ALGORITHMS[body.alg]
    if (!alg || alg.family !== (key.kty.startsWith('EC') ? 'EC' : 'RSA')) {
      return keyVaultError(400, 'BadParameter', `Invalid algorithm ${body.alg} for key type ${key.kty}.`)
    }
    if (!key.keyOps.includes('sign')) {
      return keyVaultError(
        403,
        'Forbidden',
        `Operation sign is not permitted by the key's key_ops.`,
        'KeyOperationForbidden'
      )
    }
    const digest = Buffer.from(body.value, 'base64url')
    if (digest.length !== DIGEST_LENGTH[alg.hash]) {
      return keyVaultError(
        400,
        'BadParameter',
        `Invalid digest length ${digest.length} for algorithm ${body.alg}: expected ${DIGEST_LENGTH[alg.hash]}.`
      )
    }
    const signature = signDigest(key.privateKey, digest, alg.hash, schemeOf(alg.scheme, digest, 'ieee-p1363'))
    return { status: 200, body: { kid: key.kid, value: signature.toString('base64url') } }
  }
}
