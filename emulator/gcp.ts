/**
 * Google Cloud, as a job signing with a Cloud KMS key sees it, on loopback HTTPS for Google's fixed
 * host names (reached through the CONNECT proxy with `cloudPki()`'s CA):
 *
 *   sts.googleapis.com            POST /v1/token            GitHub OIDC token → federated token
 *   iamcredentials.googleapis.com POST /v1/projects/-/serviceAccounts/EMAIL:generateAccessToken
 *   oauth2.googleapis.com         POST /token               service account key (JWT bearer) → token
 *   cloudkms.googleapis.com       GET  /v1/{version}/publicKey, POST /v1/{version}:asymmetricSign
 *
 * Sources followed (each cited again where it applies):
 * - googleapis/google-auth-library-nodejs: src/auth/stscredentials.ts (STS form fields and answer),
 *   src/auth/baseexternalclient.ts (scope cloud-platform for STS, impersonation body and answer),
 *   src/auth/urlsubjecttokensupplier.ts (credential_source.url with format json).
 * - google-github-actions/auth: src/client/workload_identity_federation.ts (STS as JSON in camelCase,
 *   the credentials file), src/client/service_account_key_json.ts (self-signed JWT as a bearer token),
 *   src/main.ts (OIDC audience https://iam.googleapis.com/PROVIDER), docs/TROUBLESHOOTING.md (errors).
 * - Cloud KMS REST reference (cryptoKeyVersions.asymmetricSign, getPublicKey, the PublicKey message).
 * - Error texts quoted in google-github-actions/auth issues #60, #161, #202, #211 and in issue
 *   threads elsewhere (hashicorp/terraform-provider-google #5895, #12701: FAILED_PRECONDITION and
 *   viewPublicKey denials in full). Texts not found anywhere are marked "(not verified)".
 * - An API not enabled (disableService): SERVICE_DISABLED as quoted at serviceDisabled, for IAM
 *   Credentials and KMS. STS is not modelled so: no recorded answer of a disabled STS was found.
 */
import { createPublicKey, type KeyObject } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import {
  bearer,
  CloudServer,
  cloudPki,
  digits,
  fields,
  GOOGLE_HOSTS,
  hex,
  type Answer,
  type CloudRequest
} from './hosts.js'
import type { TrustedIssuer } from './oidc.js'
import { listen } from './server.js'
import {
  DIGEST_LENGTH,
  hasShape,
  newSigningKey,
  publicKeyPem,
  schemeOf,
  signDigest,
  type KeyShape,
  type Sha2Name as DigestName
} from './signing.js'
import type { TestPki } from './tls.js'

export const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt'
export const ID_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:id_token'
export const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform'
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token'

// ---------------------------------------------------------------------------------------------
// CRC32C (Castagnoli, reflected polynomial 0x82F63B78): KMS's integrity fields.

const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC32C of the bytes (of a string's UTF-8), as an unsigned 32-bit number. */
export function crc32c(data: Buffer | string): number {
  let crc = 0xffffffff
  for (const byte of typeof data === 'string' ? Buffer.from(data, 'utf8') : data) {
    crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  }
  return (crc ^ 0xffffffff) >>> 0
}

// ---------------------------------------------------------------------------------------------
// Cloud KMS keys.

type AlgorithmSpec = { kind: 'pkcs1' | 'pss'; bits: number; hash: DigestName } | { kind: 'ec'; hash: 'sha256' }

/** CryptoKeyVersionAlgorithm values for ASYMMETRIC_SIGN keys this emulator can sign with. */
export const KMS_ALGORITHMS = {
  RSA_SIGN_PKCS1_2048_SHA256: { kind: 'pkcs1', bits: 2048, hash: 'sha256' },
  RSA_SIGN_PKCS1_3072_SHA256: { kind: 'pkcs1', bits: 3072, hash: 'sha256' },
  RSA_SIGN_PKCS1_4096_SHA256: { kind: 'pkcs1', bits: 4096, hash: 'sha256' },
  RSA_SIGN_PKCS1_4096_SHA512: { kind: 'pkcs1', bits: 4096, hash: 'sha512' },
  RSA_SIGN_PSS_2048_SHA256: { kind: 'pss', bits: 2048, hash: 'sha256' },
  RSA_SIGN_PSS_3072_SHA256: { kind: 'pss', bits: 3072, hash: 'sha256' },
  RSA_SIGN_PSS_4096_SHA256: { kind: 'pss', bits: 4096, hash: 'sha256' },
  EC_SIGN_P256_SHA256: { kind: 'ec', hash: 'sha256' }
} as const satisfies Record<string, AlgorithmSpec>
export type KmsAlgorithm = keyof typeof KMS_ALGORITHMS

export type KeyVersionState = 'ENABLED' | 'DISABLED' | 'DESTROYED' | 'DESTROY_SCHEDULED' | 'PENDING_GENERATION'

export interface KmsKeyVersion {
  /** projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V */
  name: string
  algorithm: KmsAlgorithm
  state: KeyVersionState
  protectionLevel: 'SOFTWARE' | 'HSM'
  privateKey: KeyObject
  /** The public key as getPublicKey serves it (SPKI PEM). */
  pem: string
}

const VERSION_NAME =
  /^projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/]+\/cryptoKeyVersions\/[^/:]+$/

// ---------------------------------------------------------------------------------------------
// IAM: roles as sets of permissions, granted to members on a resource and everything under it.

const ROLES: Record<string, string[]> = {
  'roles/cloudkms.signerVerifier': [
    'cloudkms.cryptoKeyVersions.useToSign',
    'cloudkms.cryptoKeyVersions.useToVerify',
    'cloudkms.cryptoKeyVersions.viewPublicKey'
  ],
  'roles/cloudkms.signer': ['cloudkms.cryptoKeyVersions.useToSign'],
  'roles/cloudkms.publicKeyViewer': ['cloudkms.cryptoKeyVersions.viewPublicKey'],
  'roles/iam.workloadIdentityUser': [
    'iam.serviceAccounts.get',
    'iam.serviceAccounts.getAccessToken',
    'iam.serviceAccounts.getOpenIdToken',
    'iam.serviceAccounts.list'
  ],
  'roles/iam.serviceAccountTokenCreator': [
    'iam.serviceAccounts.getAccessToken',
    'iam.serviceAccounts.getOpenIdToken',
    'iam.serviceAccounts.signBlob',
    'iam.serviceAccounts.signJwt'
  ]
}

/** A service account's IAM resource: projects/PROJECT/serviceAccounts/EMAIL. */
export function serviceAccountResource(email: string): string {
  const project = /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(email)?.[1] ?? '-'
  return `projects/${project}/serviceAccounts/${email}`
}

export interface WorkloadIdentityProviderOptions {
  projectNumber: string
  pool: string
  provider: string
  /** The OIDC issuer it trusts (oidc.ts's `trusted`): its `iss` must match and its keys must verify. */
  issuer: TrustedIssuer
  /**
   * Accepted `aud` values. Default, as Google documents for OIDC providers without allowed audiences:
   * the provider's full resource name with or without https: (//iam.googleapis.com/… , https://iam.googleapis.com/…).
   */
  allowedAudiences?: string[]
  /** google.* and attribute.* from assertion claims: { 'attribute.repository': 'assertion.repository' }. */
  attributeMapping?: Record<string, string>
  /** Stands in for the provider's CEL attribute condition. */
  attributeCondition?: (assertion: JWTPayload, attributes: Record<string, string>) => boolean
  /** A disabled (or deleted) provider: STS answers invalid_target. */
  disabled?: boolean
}

export interface WorkloadIdentityProvider extends WorkloadIdentityProviderOptions {
  /** projects/N/locations/global/workloadIdentityPools/POOL/providers/PROVIDER */
  name: string
  /** The STS audience: //iam.googleapis.com/NAME. */
  audience: string
  /** The OIDC token audience google-github-actions/auth asks GitHub for: https://iam.googleapis.com/NAME. */
  oidcAudience: string
  /** IAM member for one subject: principal://iam.googleapis.com/…/subject/SUBJECT. */
  principal: (subject: string) => string
  /** IAM member for all identities with a mapped attribute: principalSet://…/attribute.NAME/VALUE. */
  principalSet: (attribute: string, value: string) => string
}

export interface ServiceAccount {
  email: string
  privateKey: KeyObject
  /** private_key_id: the kid of JWTs signed with the key. */
  keyId: string
  /** The JSON key file as the Cloud console downloads it. */
  keyFile: Record<string, string>
}

interface IssuedToken {
  kind: 'federated' | 'service_account'
  /** Who it is: principal://… or serviceAccount:EMAIL. */
  principal: string
  /** Every IAM member it counts as. */
  members: string[]
  scopes: string[]
  expiresAt: number
}

export interface GcpOptions {
  /** The test PKI to serve Google's names with (default: a fresh `cloudPki()`). */
  pki?: TestPki
  port?: number
  /** Lifetime in seconds of the tokens STS and oauth2 issue (Google: 3599). */
  tokenLifetime?: number
}

type Checked<T> = { ok: T } | { answer: Answer }

const googleError = (
  code: number,
  status: string,
  message: string,
  details?: object[],
  headers?: Record<string, string>
): Answer => ({
  status: code,
  body: { error: { code, message, status, ...(details ? { details } : {}) } },
  headers
})
const oauthError = (error: string, description: string, status = 400): Answer => ({
  status,
  body: { error, error_description: description }
})
/** What Google's front end serves for a path no API has (google-auth-library-nodejs issue threads show it). */
const NOT_FOUND_PAGE: Answer = {
  status: 404,
  headers: { 'Content-Type': 'text/html; charset=UTF-8' },
  body: '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n  <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL was not found on this server.  <ins>That’s all we know.</ins>\n'
}
/** The titles Google's messages give the APIs served here. */
const API_TITLES: Record<string, string> = {
  'cloudkms.googleapis.com': 'Cloud Key Management Service (KMS) API',
  'iamcredentials.googleapis.com': 'IAM Service Account Credentials API',
  'sts.googleapis.com': 'Security Token Service API'
}

/**
 * An API not enabled in the caller's project: 403 PERMISSION_DENIED with a Help link to the
 * activation page and an ErrorInfo (reason SERVICE_DISABLED, domain googleapis.com, metadata.consumer
 * and metadata.service), as iamcredentials.googleapis.com answered a GitHub job's generateAccessToken
 * (TWiStErRob/net.twisterrob.cinema planner/docs/github-to-appengine_oidc-setup.md, "Missing Google
 * Cloud API"), and as google/api/error_reason.proto documents SERVICE_DISABLED. Newer answers add
 * metadata serviceTitle, containerInfo and activationUrl (google-gemini/gemini-cli issue #1343).
 */
function serviceDisabled(service: string, project: string): Answer {
  const activation = `https://console.developers.google.com/apis/api/${service}/overview?project=${project}`
  return googleError(
    403,
    'PERMISSION_DENIED',
    `${API_TITLES[service] ?? service} has not been used in project ${project} before or it is disabled. Enable it by visiting ${activation} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [{ description: 'Google developers console API activation', url: activation }]
      },
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'SERVICE_DISABLED',
        domain: 'googleapis.com',
        metadata: { consumer: `projects/${project}`, service }
      }
    ]
  )
}

/**
 * The project a token's calls count against (where an API must be enabled): a federated identity's
 * is its workload identity pool's project (the project number), a service account's its own project.
 */
function consumerOf(token: IssuedToken): string {
  return (
    /^principal(?:Set)?:\/\/iam\.googleapis\.com\/projects\/(\d+)\//.exec(token.principal)?.[1] ??
    /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(token.principal)?.[1] ??
    '-'
  )
}

const rfc3339 = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const now = (): number => Math.floor(Date.now() / 1000)

export class GcpEmulator extends CloudServer {
  /** The CA that issued the servers' certificate (NODE_EXTRA_CA_CERTS). */
  readonly caCert: string
  private readonly providers = new Map<string, WorkloadIdentityProvider>()
  private readonly serviceAccounts = new Map<string, ServiceAccount>()
  private readonly versions = new Map<string, KmsKeyVersion>()
  private readonly bindings: { resource: string; member: string; permissions: Set<string> }[] = []
  private readonly tokens = new Map<string, IssuedToken>()
  /** Every access token issued (STS, generateAccessToken, oauth2), in order. */
  readonly issuedTokens: string[] = []
  /** "PROJECT SERVICE" for each API not enabled in a project (every API is, until disableService). */
  private readonly disabledServices = new Set<string>()

  private constructor(
    server: Server,
    port: number,
    caCert: string,
    private readonly tokenLifetime: number
  ) {
    super(server, port)
    this.caCert = caCert
  }

  static async start(options: GcpOptions = {}): Promise<GcpEmulator> {
    const pki = options.pki ?? cloudPki()
    const { server, port } = await listen({ tls: pki, port: options.port })
    return new GcpEmulator(server, port, pki.caCert, options.tokenLifetime ?? 3599)
  }

  get hosts(): Record<string, number> {
    return Object.fromEntries(GOOGLE_HOSTS.map(h => [h, this.port]))
  }

  // ---- setup ----

  addWorkloadIdentityProvider(options: WorkloadIdentityProviderOptions): WorkloadIdentityProvider {
    const pool = `projects/${options.projectNumber}/locations/global/workloadIdentityPools/${options.pool}`
    const name = `${pool}/providers/${options.provider}`
    const provider: WorkloadIdentityProvider = {
      ...options,
      name,
      audience: `//iam.googleapis.com/${name}`,
      oidcAudience: `https://iam.googleapis.com/${name}`,
      principal: subject => `principal://iam.googleapis.com/${pool}/subject/${subject}`,
      principalSet: (attribute, value) => `principalSet://iam.googleapis.com/${pool}/attribute.${attribute}/${value}`
    }
    this.providers.set(name, provider)
    return provider
  }

  addServiceAccount(email: string, privateKey?: KeyObject): ServiceAccount {
    const key = privateKey ?? newSigningKey(2048)
    const keyId = hex(20)
    const project = /@([^.]+)\./.exec(email)?.[1] ?? 'project'
    const account: ServiceAccount = {
      email,
      privateKey: key,
      keyId,
      keyFile: {
        type: 'service_account',
        project_id: project,
        private_key_id: keyId,
        private_key: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
        client_email: email,
        client_id: digits(21),
        auth_uri: 'https://accounts.google.com/o/oauth2/auth',
        token_uri: GOOGLE_TOKEN_URI,
        auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
        client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
        universe_domain: 'googleapis.com'
      }
    }
    this.serviceAccounts.set(email, account)
    return account
  }

  /**
   * Adds a key version (`name` ends in /cryptoKeyVersions/V). Pass `privateKey` to reuse a key
   * (generating RSA 4096 takes seconds); its type and size must fit the algorithm.
   */
  addKeyVersion(
    name: string,
    algorithm: KmsAlgorithm,
    options: { privateKey?: KeyObject; state?: KeyVersionState; protectionLevel?: 'SOFTWARE' | 'HSM' } = {}
  ): KmsKeyVersion {
    if (!VERSION_NAME.test(name)) throw new Error(`not a CryptoKeyVersion name: ${name}`)
    const spec: AlgorithmSpec = KMS_ALGORITHMS[algorithm]
    const shape: KeyShape = spec.kind === 'ec' ? 'P-256' : spec.bits
    const privateKey = options.privateKey ?? newSigningKey(shape)
    if (!hasShape(privateKey, shape)) throw new Error(`the key does not fit ${algorithm}`)
    const version: KmsKeyVersion = {
      name,
      algorithm,
      state: options.state ?? 'ENABLED',
      protectionLevel: options.protectionLevel ?? 'SOFTWARE',
      privateKey,
      pem: publicKeyPem(privateKey)
    }
    this.versions.set(name, version)
    return version
  }

  setKeyVersionState(name: string, state: KeyVersionState): void {
    const version = this.versions.get(name)
    if (!version) throw new Error(`no key version ${name}`)
    version.state = state
  }

  /**
   * Grants `member` (serviceAccount:EMAIL, principal://…, principalSet://…) a role or permissions
   * on `resource` and, as IAM inherits, on everything under it (a key ring covers its keys' versions).
   */
  grant(resource: string, member: string, roleOrPermissions: string | string[]): void {
    const permissions =
      typeof roleOrPermissions === 'string' ? (ROLES[roleOrPermissions] ?? [roleOrPermissions]) : roleOrPermissions
    this.bindings.push({ resource: resource.replace(/\/+$/, ''), member, permissions: new Set(permissions) })
  }

  /**
   * Turns an API off in a project (a fresh project has neither iamcredentials nor cloudkms on): calls
   * whose token counts against that project (see consumerOf) answer SERVICE_DISABLED.
   */
  disableService(service: string, project: string): void {
    this.disabledServices.add(`${project} ${service}`)
  }

  enableService(service: string, project: string): void {
    this.disabledServices.delete(`${project} ${service}`)
  }

  /** Makes every token issued so far expired (as an hour passing would). */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = Date.now() - 1000
  }

  /** Who an access token stands for, and its scopes (undefined: not issued here). */
  describeToken(token: string): Readonly<IssuedToken> | undefined {
    return this.tokens.get(token)
  }

  // ---- routing ----

  protected async answer(request: CloudRequest): Promise<Answer> {
    const { host, path, method } = request
    if (host === 'sts.googleapis.com' && path === '/v1/token' && method === 'POST') return this.sts(request)
    if (host === 'oauth2.googleapis.com' && path === '/token' && method === 'POST') return this.oauth2(request)
    if (host === 'iamcredentials.googleapis.com' && method === 'POST') {
      const email = /^\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(path)?.[1]
      if (email) return this.generateAccessToken(request, email)
    }
    if (host === 'cloudkms.googleapis.com') {
      const publicKey = /^\/v1\/(.+)\/publicKey$/.exec(path)?.[1]
      if (publicKey && VERSION_NAME.test(publicKey) && method === 'GET') return this.getPublicKey(request, publicKey)
      const sign = /^\/v1\/(.+):asymmetricSign$/.exec(path)?.[1]
      if (sign && VERSION_NAME.test(sign) && method === 'POST') return this.asymmetricSign(request, sign)
    }
    return NOT_FOUND_PAGE
  }

  private issue(token: Omit<IssuedToken, 'expiresAt'>, lifetime = this.tokenLifetime): string {
    // Google access tokens are opaque ya29.… strings.
    const accessToken = `ya29.${token.kind === 'federated' ? 'd.' : ''}${Buffer.from(hex(64)).toString('base64url')}`
    this.tokens.set(accessToken, { ...token, expiresAt: Date.now() + lifetime * 1000 })
    this.issuedTokens.push(accessToken)
    return accessToken
  }

  private allowed(members: string[], resource: string, permission: string): boolean {
    return this.bindings.some(
      b =>
        members.includes(b.member) &&
        b.permissions.has(permission) &&
        (resource === b.resource || resource.startsWith(`${b.resource}/`))
    )
  }

  /**
   * The caller of a Google API: an access token issued here, or a service account's self-signed JWT
   * (aud https://SERVICE/), which google-github-actions/auth sends to iamcredentials for a key file.
   * 401 UNAUTHENTICATED otherwise, 403 when its scopes do not cover the API.
   */
  private async caller(request: CloudRequest, method: string, scopes: string[]): Promise<Checked<IssuedToken>> {
    const service = request.host
    const unauthenticated = (reason: string, message: string, challenge: string): Checked<IssuedToken> => ({
      answer: googleError(
        401,
        'UNAUTHENTICATED',
        message,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason,
            domain: 'googleapis.com',
            metadata: { method, service }
          }
        ],
        { 'WWW-Authenticate': challenge }
      )
    })
    const see =
      'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
    const token = bearer(request)
    if (!token) {
      return unauthenticated(
        'CREDENTIALS_MISSING',
        `Request is missing required authentication credential. ${see}`,
        'Bearer realm="https://accounts.google.com/"'
      )
    }
    const issued = this.tokens.get(token) ?? (await this.selfSignedJwt(token, service))
    const invalid = `Request had invalid authentication credentials. ${see}`
    const challenge = 'Bearer realm="https://accounts.google.com/", error="invalid_token"'
    if (!issued) return unauthenticated('ACCESS_TOKEN_TYPE_UNSUPPORTED', invalid, challenge)
    if (issued.expiresAt <= Date.now()) return unauthenticated('ACCESS_TOKEN_EXPIRED', invalid, challenge)
    // (not verified) whether the scope check comes before this one.
    const consumer = consumerOf(issued)
    if (this.disabledServices.has(`${consumer} ${service}`)) return { answer: serviceDisabled(service, consumer) }
    if (!issued.scopes.some(s => scopes.includes(s))) {
      return {
        answer: googleError(
          403,
          'PERMISSION_DENIED',
          'Request had insufficient authentication scopes.',
          [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
              domain: 'googleapis.com',
              metadata: { method, service }
            }
          ],
          {
            'WWW-Authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${scopes.join(' ')}"`
          }
        )
      }
    }
    return { ok: issued }
  }

  private async selfSignedJwt(jwt: string, service: string): Promise<IssuedToken | undefined> {
    try {
      const claims = decodeJwt(jwt)
      const account = this.serviceAccounts.get(String(claims.iss))
      if (!account || claims.sub !== claims.iss || decodeProtectedHeader(jwt).kid !== account.keyId) return undefined
      await compactVerify(jwt, createPublicKey(account.privateKey), { algorithms: ['RS256'] })
      const scoped = typeof claims.scope === 'string'
      if (!scoped && claims.aud !== `https://${service}/`) return undefined
      if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number' || claims.exp - claims.iat > 3600)
        return undefined
      return {
        kind: 'service_account',
        principal: `serviceAccount:${account.email}`,
        members: [`serviceAccount:${account.email}`],
        scopes: scoped ? String(claims.scope).split(' ') : [CLOUD_PLATFORM],
        expiresAt: claims.exp * 1000
      }
    } catch {
      return undefined
    }
  }

  // ---- sts.googleapis.com ----

  /**
   * POST /v1/token (RFC 8693 token exchange). google-auth-library-nodejs sends it form-encoded in
   * snake_case (stscredentials.ts); google-github-actions/auth as JSON in camelCase (getToken); both
   * are accepted. Answers { access_token, issued_token_type, token_type, expires_in } (StsSuccessfulResponse).
   */
  private async sts(request: CloudRequest): Promise<Answer> {
    const f = fields(request)
    const get = (snake: string): string | undefined => {
      const value = f[snake] ?? f[snake.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())]
      return Array.isArray(value) ? value.join(' ') : value === undefined ? undefined : String(value)
    }
    // (not verified) texts for grant and token types; the audience ones are quoted from issues #60, #202.
    if (get('grant_type') !== TOKEN_EXCHANGE) return oauthError('invalid_request', 'Invalid value for "grant_type".')
    const subjectType = get('subject_token_type')
    if (subjectType !== JWT_TOKEN_TYPE && subjectType !== ID_TOKEN_TYPE) {
      return oauthError('invalid_request', 'Invalid value for "subject_token_type".')
    }
    const requested = get('requested_token_type')
    if (requested !== undefined && requested !== ACCESS_TOKEN_TYPE) {
      return oauthError('invalid_request', 'Invalid value for "requested_token_type".')
    }
    const audience = get('audience') ?? ''
    const name =
      /^\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+)$/.exec(
        audience
      )?.[1]
    if (!name) {
      return oauthError(
        'invalid_request',
        'Invalid value for "audience". This value should be the full resource name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.'
      )
    }
    const provider = this.providers.get(name)
    if (!provider || provider.disabled) {
      return oauthError(
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.'
      )
    }
    const subjectToken = get('subject_token') ?? ''
    let claims: JWTPayload
    try {
      claims = decodeJwt(subjectToken)
    } catch {
      return oauthError('invalid_grant', 'Unable to parse the ID Token.') // (not verified)
    }
    // docs/TROUBLESHOOTING.md quotes this one, expected issuer with a trailing slash.
    if (claims.iss !== provider.issuer.issuer) {
      return oauthError(
        'invalid_grant',
        `The issuer in ID Token ${String(claims.iss)} does not match the expected ones: ${provider.issuer.issuer.replace(/\/?$/, '/')}`
      )
    }
    try {
      await compactVerify(subjectToken, createLocalJWKSet(provider.issuer.jwks), { algorithms: ['RS256'] })
    } catch {
      return oauthError('invalid_grant', 'Invalid ID Token signature.') // (not verified)
    }
    if (typeof claims.exp !== 'number' || claims.exp <= now()) {
      // gcloud quotes STS this way for an old subject token (not verified for an expired one).
      return oauthError('invalid_grant', `ID Token issued at ${String(claims.iat)} is stale to sign-in.`)
    }
    const allowed = provider.allowedAudiences ?? [provider.audience, provider.oidcAudience]
    const aud = Array.isArray(claims.aud) ? claims.aud : [String(claims.aud)]
    if (!aud.some(a => allowed.includes(a))) {
      return oauthError(
        'invalid_grant',
        `The audience in ID Token [${aud.join(', ')}] does not match the expected audience.`
      )
    }
    const mapping = provider.attributeMapping ?? { 'google.subject': 'assertion.sub' }
    const attributes: Record<string, string> = {}
    for (const [attribute, expression] of Object.entries(mapping)) {
      const claim = /^assertion\.(\w+)$/.exec(expression)?.[1]
      const value = claim ? claims[claim] : undefined
      if (value !== undefined) attributes[attribute] = String(value)
    }
    const subject = attributes['google.subject'] ?? String(claims.sub)
    if (Buffer.byteLength(subject) > 127) {
      return oauthError(
        'invalid_grant',
        'The size of mapped attribute google.subject exceeds the 127 bytes limit. Either modify your attribute mapping or the incoming assertion to produce a mapped attribute that is less than 127 bytes.'
      )
    }
    if (provider.attributeCondition && !provider.attributeCondition(claims, attributes)) {
      return oauthError('unauthorized_client', 'The given credential is rejected by the attribute condition.')
    }
    const pool = provider.name.replace(/\/providers\/[^/]+$/, '')
    const members = [
      provider.principal(subject),
      `principalSet://iam.googleapis.com/${pool}/*`,
      ...Object.entries(attributes)
        .filter(([a]) => a.startsWith('attribute.'))
        .map(([a, v]) => provider.principalSet(a.slice('attribute.'.length), v))
    ]
    const scopes = (get('scope') ?? '').split(/[\s,]+/).filter(Boolean)
    const accessToken = this.issue({ kind: 'federated', principal: members[0], members, scopes })
    return {
      status: 200,
      body: {
        access_token: accessToken,
        issued_token_type: ACCESS_TOKEN_TYPE,
        token_type: 'Bearer',
        expires_in: this.tokenLifetime
      }
    }
  }

  // ---- iamcredentials.googleapis.com ----

  /**
   * generateAccessToken: body { scope: string[], lifetime?: "3600s", delegates? } as
   * baseexternalclient.ts getImpersonatedAccessToken and auth's iamcredentials.ts send it; answers
   * { accessToken, expireTime } (RFC 3339). Needs iam.serviceAccounts.getAccessToken on the account.
   */
  private async generateAccessToken(request: CloudRequest, email: string): Promise<Answer> {
    const method = 'google.iam.credentials.v1.IAMCredentials.GenerateAccessToken'
    const caller = await this.caller(request, method, [CLOUD_PLATFORM, 'https://www.googleapis.com/auth/iam'])
    if ('answer' in caller) return caller.answer
    const account = this.serviceAccounts.get(email)
    const permission = 'iam.serviceAccounts.getAccessToken'
    if (!account || !this.allowed(caller.ok.members, serviceAccountResource(email), permission)) {
      // Quoted in several issue threads: no resource name in this one.
      return googleError(
        403,
        'PERMISSION_DENIED',
        `Permission '${permission}' denied on resource (or it may not exist).`,
        [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'IAM_PERMISSION_DENIED',
            domain: 'iam.googleapis.com',
            metadata: { permission }
          }
        ]
      )
    }
    let body: Record<string, unknown>
    try {
      body = JSON.parse(request.body || '{}') as Record<string, unknown>
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received.')
    }
    const scope = Array.isArray(body.scope) ? body.scope.map(String) : body.scope ? [String(body.scope)] : []
    if (scope.length === 0) return googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.')
    const lifetime = body.lifetime === undefined ? 3600 : Number(/^(\d+(?:\.\d+)?)s$/.exec(String(body.lifetime))?.[1])
    if (!Number.isFinite(lifetime) || lifetime <= 0) {
      return googleError(400, 'INVALID_ARGUMENT', 'Request contains an invalid argument.')
    }
    if (lifetime > 3600) {
      // Quoted by google-github-actions/auth docs/TROUBLESHOOTING.md.
      return googleError(400, 'INVALID_ARGUMENT', 'The access token lifetime cannot exceed 3600 seconds.')
    }
    const principal = `serviceAccount:${email}`
    const accessToken = this.issue(
      { kind: 'service_account', principal, members: [principal], scopes: scope },
      lifetime
    )
    return { status: 200, body: { accessToken, expireTime: rfc3339(Date.now() + lifetime * 1000) } }
  }

  // ---- oauth2.googleapis.com ----

  /**
   * POST /token with grant_type jwt-bearer and an assertion signed by a service account key:
   * claims iss (client_email), scope, aud (token_uri), iat, exp at most an hour apart; header kid
   * (private_key_id). Answers { access_token, expires_in, token_type }. Error texts as quoted in
   * issue threads ("Invalid JWT Signature.", "Invalid grant: account not found", the 60-minute one).
   */
  private async oauth2(request: CloudRequest): Promise<Answer> {
    const f = fields(request)
    if (f.grant_type !== JWT_BEARER)
      return oauthError('unsupported_grant_type', `Invalid grant_type: ${String(f.grant_type ?? '')}`)
    const assertion = String(f.assertion ?? '')
    let claims: JWTPayload
    let kid: string | undefined
    try {
      claims = decodeJwt(assertion)
      kid = decodeProtectedHeader(assertion).kid
    } catch {
      return oauthError('invalid_request', 'Invalid JWT.') // (not verified)
    }
    const account = this.serviceAccounts.get(String(claims.iss))
    if (!account) return oauthError('invalid_grant', 'Invalid grant: account not found')
    try {
      if (kid !== account.keyId) throw new Error('unknown key')
      await compactVerify(assertion, createPublicKey(account.privateKey), { algorithms: ['RS256'] })
    } catch {
      return oauthError('invalid_grant', 'Invalid JWT Signature.')
    }
    if (claims.aud !== GOOGLE_TOKEN_URI) return oauthError('invalid_grant', 'Invalid JWT: Failed audience check.')
    const t = now()
    const { iat, exp } = claims
    if (typeof iat !== 'number' || typeof exp !== 'number' || exp - iat > 3600 || exp <= t || iat > t + 300) {
      return oauthError(
        'invalid_grant',
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.'
      )
    }
    if (claims.sub !== undefined && claims.sub !== account.email) {
      // Domain-wide delegation is not modelled: as for an account without it.
      return oauthError(
        'unauthorized_client',
        'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.'
      )
    }
    if (typeof claims.scope !== 'string' || !claims.scope) {
      return oauthError('invalid_scope', 'Invalid OAuth scope or ID token audience provided.')
    }
    const principal = `serviceAccount:${account.email}`
    const accessToken = this.issue({
      kind: 'service_account',
      principal,
      members: [principal],
      scopes: claims.scope.split(' ')
    })
    return { status: 200, body: { access_token: accessToken, expires_in: this.tokenLifetime, token_type: 'Bearer' } }
  }

  // ---- cloudkms.googleapis.com ----

  /**
   * The checks every key version call makes, in order: a valid token (401), its scopes (403), the
   * IAM permission on the version or an ancestor (403 "... (or it may not exist)", which also hides a
   * version the caller may not see), the version existing (404), its state ENABLED (400
   * FAILED_PRECONDITION with a PreconditionFailure KEY_<STATE>, as terraform-provider-google #5895 quotes).
   */
  private async keyVersion(
    request: CloudRequest,
    name: string,
    permission: string,
    method: string
  ): Promise<Checked<KmsKeyVersion>> {
    const caller = await this.caller(request, `google.cloud.kms.v1.KeyManagementService.${method}`, [
      CLOUD_PLATFORM,
      'https://www.googleapis.com/auth/cloudkms'
    ])
    if ('answer' in caller) return caller
    if (!this.allowed(caller.ok.members, name, permission)) {
      return {
        answer: googleError(
          403,
          'PERMISSION_DENIED',
          `Permission '${permission}' denied on resource '${name}' (or it may not exist).`,
          [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'IAM_PERMISSION_DENIED',
              domain: 'cloudkms.googleapis.com',
              metadata: { permission, resource: name }
            }
          ]
        )
      }
    }
    const version = this.versions.get(name)
    if (!version) return { answer: googleError(404, 'NOT_FOUND', `${name} not found.`) } // (not verified)
    if (version.state !== 'ENABLED') {
      return {
        answer: googleError(400, 'FAILED_PRECONDITION', `${name} is not enabled, current state is: ${version.state}.`, [
          {
            '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
            violations: [{ type: `KEY_${version.state}`, subject: name }]
          }
        ])
      }
    }
    return { ok: version }
  }

  /** GET /v1/{name}/publicKey: { pem, algorithm, pemCrc32c, name, protectionLevel } (the PublicKey message). */
  private async getPublicKey(request: CloudRequest, name: string): Promise<Answer> {
    const checked = await this.keyVersion(request, name, 'cloudkms.cryptoKeyVersions.viewPublicKey', 'GetPublicKey')
    if ('answer' in checked) return checked.answer
    const v = checked.ok
    return {
      status: 200,
      body: {
        pem: v.pem,
        algorithm: v.algorithm,
        // int64 fields are strings in proto3 JSON.
        pemCrc32c: String(crc32c(v.pem)),
        name: v.name,
        protectionLevel: v.protectionLevel
      }
    }
  }

  /**
   * POST /v1/{name}:asymmetricSign with { digest: { sha256|sha384|sha512: base64 }, digestCrc32c? }:
   * answers { signature, signatureCrc32c, verifiedDigestCrc32c, name, verifiedDataCrc32c,
   * protectionLevel } (AsymmetricSignResponse). The digest must be of the key's algorithm; a
   * digestCrc32c that does not match is refused, as the reference says it is.
   */
  private async asymmetricSign(request: CloudRequest, name: string): Promise<Answer> {
    const checked = await this.keyVersion(request, name, 'cloudkms.cryptoKeyVersions.useToSign', 'AsymmetricSign')
    if ('answer' in checked) return checked.answer
    const version = checked.ok
    let body: Record<string, unknown>
    try {
      body = JSON.parse(request.body || '{}') as Record<string, unknown>
    } catch {
      return googleError(400, 'INVALID_ARGUMENT', 'Invalid JSON payload received. Unexpected token.')
    }
    const digest = body.digest && typeof body.digest === 'object' ? (body.digest as Record<string, unknown>) : undefined
    const kinds = Object.keys(digest ?? {}).filter((k): k is DigestName => k in DIGEST_LENGTH && Boolean(digest?.[k]))
    const spec: AlgorithmSpec = KMS_ALGORITHMS[version.algorithm]
    // (not verified) the wording of these three INVALID_ARGUMENT answers.
    if (kinds.length !== 1) {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'Exactly one of digest.sha256, digest.sha384 or digest.sha512 must be set.'
      )
    }
    const [kind] = kinds
    if (kind !== spec.hash) {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        `The digest type ${kind.toUpperCase()} does not match the algorithm ${version.algorithm} of ${name}.`
      )
    }
    const bytes = Buffer.from(String(digest?.[kind]), 'base64')
    if (bytes.length !== DIGEST_LENGTH[kind]) {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        `Digest has incorrect size (got ${bytes.length}, want ${DIGEST_LENGTH[kind]}).`
      )
    }
    const verified = body.digestCrc32c !== undefined && body.digestCrc32c !== null
    if (verified && Number(body.digestCrc32c) !== crc32c(bytes)) {
      return googleError(
        400,
        'INVALID_ARGUMENT',
        'The checksum in field digest_crc32c did not match the data in field digest.'
      )
    }
    const scheme = schemeOf(spec.kind === 'ec' ? 'ecdsa' : spec.kind, bytes, 'der') // ECDSA signatures DER-encoded
    const signature = signDigest(version.privateKey, bytes, spec.hash, scheme)
    return {
      status: 200,
      body: {
        signature: signature.toString('base64'),
        signatureCrc32c: String(crc32c(signature)),
        verifiedDigestCrc32c: verified,
        name,
        verifiedDataCrc32c: false,
        protectionLevel: version.protectionLevel
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The credentials file google-github-actions/auth writes for Workload Identity Federation.

export interface ExternalAccountOptions {
  /** The job's ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  requestUrl: string
  requestToken: string
  /** projects/N/locations/global/workloadIdentityPools/POOL/providers/PROVIDER */
  workloadIdentityProvider: string
  /** Impersonate this service account (omit for direct Workload Identity Federation). */
  serviceAccount?: string
  /** The OIDC audience (the action's `audience` input; default https://iam.googleapis.com/PROVIDER). */
  audience?: string
}

/**
 * The JSON of the credentials file, built as WorkloadIdentityFederationClient.createCredentialsFile
 * builds it (src/client/workload_identity_federation.ts): the audience set on the request URL with
 * URLSearchParams, the STS audience //iam.googleapis.com/PROVIDER, and an impersonation URL only
 * with a service account.
 */
export function externalAccountCredentials(options: ExternalAccountOptions): Record<string, unknown> {
  const requestURL = new URL(options.requestUrl)
  const params = requestURL.searchParams
  params.set('audience', options.audience ?? `https://iam.googleapis.com/${options.workloadIdentityProvider}`)
  requestURL.search = params.toString()
  const data: Record<string, unknown> = {
    type: 'external_account',
    audience: `//iam.googleapis.com/${options.workloadIdentityProvider}`,
    subject_token_type: JWT_TOKEN_TYPE,
    token_url: 'https://sts.googleapis.com/v1/token',
    credential_source: {
      url: requestURL.toString(),
      headers: { Authorization: `Bearer ${options.requestToken}` },
      format: { type: 'json', subject_token_field_name: 'value' }
    }
  }
  if (options.serviceAccount) {
    data.service_account_impersonation_url = `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${options.serviceAccount}:generateAccessToken`
  }
  return data
}

/**
 * Writes the credentials file as the action does: gha-creds-<16 hex>.json in `dir` (the workspace),
 * mode 0640, exclusive create (actions-utils writeSecureFile), compact JSON. Returns its path.
 */
export function writeCredentialsFile(dir: string, options: ExternalAccountOptions): string {
  const path = join(dir, `gha-creds-${hex(8)}.json`)
  writeFileSync(path, JSON.stringify(externalAccountCredentials(options)), { mode: 0o640, flag: 'wx' })
  return path
}
