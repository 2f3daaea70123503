/**
 * A stand-in for the GitHub Actions OIDC token service: what ACTIONS_ID_TOKEN_REQUEST_URL and
 * ACTIONS_ID_TOKEN_REQUEST_TOKEN point a job at when it has `permissions: id-token: write`.
 *
 * The request is the one @actions/core's OidcClient makes (node_modules/@actions/core/lib/oidc-utils.js):
 * GET `${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(aud)}` with
 * `Authorization: Bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}`, answered `{"value": "<JWT>"}`.
 * google-github-actions/auth writes that same URL (audience set with URLSearchParams) into the
 * credentials file's credential_source (src/client/workload_identity_federation.ts).
 *
 * Tokens are RS256 JWTs with GitHub's claims (docs.github.com, "OpenID Connect reference": iss
 * https://token.actions.githubusercontent.com, aud by default the owner's URL https://github.com/OWNER,
 * sub repo:OWNER/REPO:ref:REF or repo:OWNER/REPO:environment:ENV, header alg/kid/typ). The cloud
 * emulators trust it through `trusted` (issuer + JWKS), as Google and Entra trust GitHub's JWKS.
 */
import { createPublicKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto'
import type { Server } from 'node:http'
import { calculateJwkThumbprint, exportJWK, SignJWT, type JSONWebKeySet, type JWK } from 'jose'
import { CloudServer, hex, bearer, type Answer, type CloudRequest } from './hosts.js'
import { listen, type ServeOptions } from './server.js'

export const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'

/** What a cloud emulator needs to trust an OIDC issuer: its `iss` and its public keys. */
export interface TrustedIssuer {
  issuer: string
  jwks: JSONWebKeySet
}

export interface OidcOptions extends ServeOptions {
  /** OWNER/REPO of the job (default octo-org/octo-repo). */
  repository?: string
  /** The job's ref (default refs/heads/main). */
  ref?: string
  /** A deployment environment: the subject becomes repo:OWNER/REPO:environment:ENV. */
  environment?: string
  /** Extra or replaced claims in every token. */
  claims?: Record<string, unknown>
  /** Token lifetime in seconds (default 300; see `mint`). */
  tokenLifetime?: number
  /** The `iss` claim (default GitHub's); a GitHub Enterprise Server one is https://HOST/_services/token. */
  issuer?: string
  /** Sign with this RSA key instead of a fresh one. */
  privateKey?: KeyObject
  /** Host name in the request URL (default 127.0.0.1); another one must be routed to this port. */
  hostname?: string
}

/** Claims a token may override when minted directly. */
export type OidcClaims = Record<string, unknown> & { iat?: number; exp?: number; nbf?: number }

export class GitHubOidcEmulator extends CloudServer {
  /** Every token handed out (by the endpoint or `mint`), in order. */
  readonly issued: string[] = []
  /** ACTIONS_ID_TOKEN_REQUEST_URL: a job-specific URL that already has a query (api-version). */
  readonly requestUrl: string
  /** ACTIONS_ID_TOKEN_REQUEST_TOKEN: the job's runtime token the endpoint requires. */
  readonly requestToken = `eyJ0eXAiOiJKV1QifQ.${hex(48)}`
  readonly issuer: string
  /** The issuer and its JWKS, to hand to the cloud emulators. */
  readonly trusted: TrustedIssuer
  /** The public key its tokens verify with. */
  readonly publicKey: KeyObject

  private constructor(
    server: Server,
    port: number,
    private readonly options: OidcOptions,
    private readonly origin: string,
    private readonly key: KeyObject,
    private readonly kid: string,
    jwk: JWK
  ) {
    super(server, port)
    this.issuer = options.issuer ?? GITHUB_ISSUER
    // The real URL is …/_apis/distributedtask/hubs/Actions/plans/PLAN/jobs/JOB/idtoken?api-version=2.0.
    this.requestUrl = `${origin}/${hex(16)}/00000000-0000-0000-0000-000000000000/_apis/distributedtask/hubs/Actions/plans/${randomUUID()}/jobs/${randomUUID()}/idtoken?api-version=2.0`
    this.trusted = { issuer: this.issuer, jwks: { keys: [{ ...jwk, kid, use: 'sig', alg: 'RS256' }] } }
    this.publicKey = createPublicKey(key)
  }

  static async start(options: OidcOptions = {}): Promise<GitHubOidcEmulator> {
    const key = options.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    const jwk = await exportJWK(key)
    const publicJwk: JWK = { kty: jwk.kty, n: jwk.n, e: jwk.e }
    const kid = await calculateJwkThumbprint(publicJwk)
    const { server, port } = await listen(options)
    const origin = `${options.tls ? 'https' : 'http'}://${options.hostname ?? '127.0.0.1'}:${port}`
    return new GitHubOidcEmulator(server, port, options, origin, key, kid, publicJwk)
  }

  get hosts(): Record<string, number> {
    return this.options.hostname ? { [this.options.hostname]: this.port } : {}
  }

  /** The job's environment variables for requesting tokens. */
  get env(): Record<string, string> {
    return { ACTIONS_ID_TOKEN_REQUEST_URL: this.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: this.requestToken }
  }

  get repository(): string {
    return this.options.repository ?? 'octo-org/octo-repo'
  }

  /** The `sub` GitHub gives this job's tokens. */
  get subject(): string {
    const env = this.options.environment
    return `repo:${this.repository}:${env ? `environment:${env}` : `ref:${this.options.ref ?? 'refs/heads/main'}`}`
  }

  /**
   * Signs a token as the endpoint would, with claims overridden (an expired `exp`, another `sub`,
   * an `iss`…) and optionally another key (a forged token). GitHub's own tokens have nbf = iat - 300
   * (the claims github/actions-oidc-debugger prints); their lifetime varies, 300 s by default here.
   */
  async mint(audience?: string, overrides: OidcClaims = {}, key: KeyObject = this.key): Promise<string> {
    const now = Math.floor(Date.now() / 1000)
    const [owner] = this.repository.split('/')
    const ref = this.options.ref ?? 'refs/heads/main'
    const workflowRef = `${this.repository}/.github/workflows/ci.yml@${ref}`
    const sha = hex(20)
    const claims: OidcClaims = {
      jti: randomUUID(),
      sub: this.subject,
      aud: audience ?? `https://github.com/${owner}`,
      ref,
      sha,
      repository: this.repository,
      repository_owner: owner,
      repository_owner_id: '65',
      repository_id: '74',
      repository_visibility: 'private',
      run_id: '1234567890',
      run_number: '10',
      run_attempt: '1',
      actor: 'octocat',
      actor_id: '12',
      workflow: 'CI',
      head_ref: '',
      base_ref: '',
      event_name: 'push',
      ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
      ref_protected: 'false',
      workflow_ref: workflowRef,
      workflow_sha: sha,
      job_workflow_ref: workflowRef,
      job_workflow_sha: sha,
      runner_environment: 'github-hosted',
      ...(this.options.environment ? { environment: this.options.environment } : {}),
      iss: this.issuer,
      nbf: now - 300,
      iat: now,
      exp: now + (this.options.tokenLifetime ?? 300),
      ...this.options.claims,
      ...overrides
    }
    const jwt = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: this.kid, typ: 'JWT' }).sign(key)
    this.issued.push(jwt)
    return jwt
  }

  protected async answer(request: CloudRequest): Promise<Answer> {
    // The issuer's discovery document and keys, as token.actions.githubusercontent.com serves them.
    if (request.path === '/.well-known/openid-configuration') {
      return {
        status: 200,
        body: {
          issuer: this.issuer,
          jwks_uri: `${this.origin}/.well-known/jwks`,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'environment']
        }
      }
    }
    if (request.path === '/.well-known/jwks') return { status: 200, body: this.trusted.jwks }
    if (request.path !== new URL(this.requestUrl).pathname || request.method !== 'GET') {
      return { status: 404, body: { message: 'Not Found' } }
    }
    // The runtime token is required; what the real service answers without it is not documented.
    if (bearer(request) !== this.requestToken) return { status: 401, body: { message: 'Unauthorized' } }
    if (!request.query.get('api-version')) return { status: 400, body: { message: 'api-version is required' } }
    return { status: 200, body: { value: await this.mint(request.query.get('audience') ?? undefined) } }
  }
}
