import { createPrivateKey, sign, type KeyObject } from 'node:crypto'
import { readCredentialFile, shownFile, UnreadableFileError } from '../credential-file.js'
import { isLoopback } from '../environment.js'
import { inert, quote } from '../outside.js'
import { described, googleError, oauthError, serviceDisabled } from './gcp-errors.js'
import {
  callService,
  isOutage,
  jsonOf,
  mask,
  requestOidcToken,
  tokenClaims,
  tokenShape,
  type TokenClaims
} from './oidc-token.js'
import { SignerError, type SignerContext } from './signer.js'
import { ciSystem, forCiSystem } from '../ci-system.js'
import { readTokenFile } from './token-file.js'

/**
 * Google credentials for Cloud KMS, as google-github-actions/auth leaves them: an access token
 * (GOOGLE_OAUTH_ACCESS_TOKEN, its `access_token` output), or the credentials file it writes
 * (GOOGLE_APPLICATION_CREDENTIALS): Workload Identity Federation (`external_account`, its subject token
 * from credential_source.url as the action writes it, or from credential_source.file as a GitLab job or a
 * Kubernetes pod has it) or a service account key (`service_account`). The token exchanges are the
 * documented REST calls.
 */

export const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform'
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange'
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token'
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token'
/** Impersonated tokens live only as long as a run needs one. */
const IMPERSONATION_LIFETIME = '600s'
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com'
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}$/

const GITHUB_AUTH =
  'Run google-github-actions/auth before this step, in the same job: with workload_identity_provider (and service_account) it writes the credentials file and sets GOOGLE_APPLICATION_CREDENTIALS; with token_format: access_token its access_token output goes in GOOGLE_OAUTH_ACCESS_TOKEN. Workload Identity Federation needs `permissions: id-token: write`.'

/** Where Google credentials come from on the CI system this run is on (docs/keyless.md has each). */
const AUTH_STEP = {
  github: GITHUB_AUTH,
  gitlab:
    "In this GitLab job, write an id_tokens: token (aud: https://iam.googleapis.com/ and the workload identity provider's full name) to the file that credential_source.file names in a credentials file from gcloud iam workload-identity-pools create-cred-config, and set GOOGLE_APPLICATION_CREDENTIALS to that credentials file (docs/keyless.md, 'GitLab CI').",
  azure:
    'On Azure Pipelines, give this step GOOGLE_APPLICATION_CREDENTIALS (a credentials file, such as a secure file from DownloadSecureFile@1) or GOOGLE_OAUTH_ACCESS_TOKEN (a secret variable) in its env: (a secret variable reaches a step only that way); see docs/keyless.md.',
  other: `On GitHub Actions: ${GITHUB_AUTH} Elsewhere, set GOOGLE_APPLICATION_CREDENTIALS to a credentials file (gcloud iam workload-identity-pools create-cred-config with a credential_source.file: GitLab id_tokens, Kubernetes), or GOOGLE_OAUTH_ACCESS_TOKEN to an access token (see docs/keyless.md).`
}

const GITHUB_SHORT_LIVED =
  "google-github-actions/auth's access_token lives an hour by default (access_token_lifetime): run it with token_format: access_token in the same job, shortly before this step, and pass its output unchanged."
const SHORT_LIVED =
  'An access token lives an hour by default: get it in the same job, shortly before this step, and pass it unchanged.'

export interface GoogleToken {
  value: string
  /** Where it came from, for messages: "GOOGLE_OAUTH_ACCESS_TOKEN", "the credentials file (…)". */
  source: string
  /** Who it stands for, when known: "service account EMAIL", "this job's Workload Identity Federation principal". */
  who: string
  /** Its IAM member, when known: serviceAccount:EMAIL. */
  member?: string
  /** How to get a fresh one, for a message about a refused token. */
  renew: string
}

type Json = Record<string, unknown>

const str = (json: Json, field: string): string | undefined =>
  typeof json[field] === 'string' && (json[field] as string).trim() ? (json[field] as string).trim() : undefined

/** An https URL on a Google API host (googleapis.com and its regional and private endpoints), or undefined. */
function googleUrl(value: string | undefined, host?: RegExp): URL | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    const ok = url.protocol === 'https:' && !url.username && !url.password && /\.googleapis\.com$/i.test(url.hostname)
    return ok && (!host || host.test(url.hostname)) ? url : undefined
  } catch {
    return undefined
  }
}

export class GoogleCredentials {
  private token?: Promise<GoogleToken>

  constructor(
    private readonly context: SignerContext,
    /** The key, as messages name it. */
    private readonly key: string
  ) {}

  /** The access token for Cloud KMS, obtained once per run. */
  get(): Promise<GoogleToken> {
    this.token ??= this.obtain()
    return this.token
  }

  private authStep(): string {
    return forCiSystem(this.context.env, AUTH_STEP)
  }

  private async obtain(): Promise<GoogleToken> {
    const { env } = this.context
    const direct = env.GOOGLE_OAUTH_ACCESS_TOKEN
    if (direct?.trim()) {
      const value = tokenShape(direct)
      if (!value) {
        throw new SignerError(
          'input',
          `GOOGLE_OAUTH_ACCESS_TOKEN does not hold an access token (it has spaces or control characters, or is too short), for ${this.key}.`,
          this.authStep()
        )
      }
      mask(this.context, value)
      return {
        value,
        source: 'GOOGLE_OAUTH_ACCESS_TOKEN',
        who: 'the identity whose access token GOOGLE_OAUTH_ACCESS_TOKEN holds',
        renew: forCiSystem(env, {
          github: GITHUB_SHORT_LIVED,
          gitlab: SHORT_LIVED,
          azure: SHORT_LIVED,
          other: `On GitHub Actions: ${GITHUB_SHORT_LIVED} Elsewhere: ${SHORT_LIVED}`
        })
      }
    }
    const path = env.GOOGLE_APPLICATION_CREDENTIALS?.trim()
    if (path) return this.fromFile(path)
    throw new SignerError(
      'input',
      `No Google Cloud credentials for ${this.key}: neither GOOGLE_OAUTH_ACCESS_TOKEN nor GOOGLE_APPLICATION_CREDENTIALS is set.`,
      this.authStep()
    )
  }

  private fileError(shown: string, problem: string, fix = this.authStep()): SignerError {
    return new SignerError('input', `GOOGLE_APPLICATION_CREDENTIALS (${shown}) ${problem}`, fix)
  }

  private async fromFile(path: string): Promise<GoogleToken> {
    const shown = shownFile(path)
    let text: string
    try {
      text = readCredentialFile(path, { waitMs: this.context.http.timeoutMs }).toString('utf8')
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error
      if (error.code === 'EFBIG') throw this.fileError(shown, 'is larger than a credentials file.')
      throw this.fileError(
        shown,
        error.code === 'ENOENT' ? 'names a file that does not exist.' : `cannot be read: ${error.why}.`,
        `${this.authStep()}${ciSystem(this.context.env) === 'github' ? ' The file is in the workspace: a later actions/checkout with clean: true removes it, so check out first.' : ''}`
      )
    }
    let json: Json
    try {
      const parsed: unknown = JSON.parse(text)
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      json = parsed as Json
    } catch {
      throw this.fileError(shown, 'is not a JSON credentials file.')
    }
    const type = str(json, 'type')
    if (type === 'external_account') return this.externalAccount(json, shown)
    if (type === 'service_account') return this.serviceAccount(json, shown)
    throw this.fileError(
      shown,
      `holds credentials of type ${quote(type, 40) || '(none)'}; this step reads external_account (Workload Identity Federation) and service_account files.`
    )
  }

  // ---- Workload Identity Federation: OIDC token → STS → (impersonation) ----

  private async externalAccount(json: Json, shown: string): Promise<GoogleToken> {
    const source =
      json.credential_source && typeof json.credential_source === 'object' ? (json.credential_source as Json) : {}
    const headers: Record<string, string> = {}
    if (source.headers && typeof source.headers === 'object') {
      for (const [name, value] of Object.entries(source.headers as Json)) {
        if (typeof value !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(name)) continue
        // The runner's OIDC request token is in here: masked before anything is sent.
        if (value.trim().length >= 8 && !/[\r\n]/.test(value)) mask(this.context, value.trim())
        headers[name] = value
      }
    }
    const audience = str(json, 'audience')
    const tokenUrl = googleUrl(str(json, 'token_url'))
    const impersonationUrl = str(json, 'service_account_impersonation_url')
    const impersonation = googleUrl(impersonationUrl, /^iamcredentials\./i)
    const named = impersonation
      ? /\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(decodeURIComponent(impersonation.pathname))?.[1]
      : undefined
    const email = named && EMAIL.test(named) ? named : undefined
    const format = source.format && typeof source.format === 'object' ? (source.format as Json) : {}
    const field = format.type === 'json' ? str(format, 'subject_token_field_name') : undefined
    const sourceFile = str(source, 'file')
    // The runner's OIDC request token goes in this request's headers: https only (http on loopback).
    const sourceUrl = sourceFile ? undefined : safeSourceUrl(str(source, 'url'))
    const known = format.type === undefined || format.type === 'text' || (format.type === 'json' && field)
    if (!audience || !tokenUrl || (impersonationUrl && !email) || (!sourceFile && !sourceUrl) || !known) {
      throw this.fileError(
        shown,
        'is an external_account file without what Workload Identity Federation needs here: audience, token_url on https://…googleapis.com (service_account_impersonation_url on iamcredentials.googleapis.com), credential_source.file or credential_source.url (https), and its format: text, or json with subject_token_field_name.'
      )
    }
    const forWhat = `Workload Identity Federation for ${this.key}`
    const subjectToken = sourceFile
      ? this.subjectFromFile(sourceFile, field, shown)
      : await requestOidcToken(this.context, { url: sourceUrl!, headers, field, forWhat })

    const federated = await this.stsExchange(tokenUrl, audience, subjectToken, str(json, 'subject_token_type'))
    const renew = sourceFile
      ? `Write a fresh token to credential_source.file (${inert(sourceFile, 200)}) right before this step: GitLab id_tokens live as long as the job, a Kubernetes projected token is refreshed where it is mounted.`
      : 'Run google-github-actions/auth in this job (it writes a fresh credentials file), with `permissions: id-token: write`.'
    if (!email) {
      return {
        value: federated,
        source: `the credentials file (${shown})`,
        who: "this job's Workload Identity Federation principal",
        renew
      }
    }
    const value = await this.impersonate(impersonation!, email, federated, audience, tokenClaims(subjectToken))
    return {
      value,
      source: `the credentials file (${shown})`,
      who: `service account ${email}`,
      member: `serviceAccount:${email}`,
      renew
    }
  }

  /**
   * The subject token from credential_source.file, as google-auth-library's FileSubjectTokenSupplier
   * reads it (src/auth/filesubjecttokensupplier.ts): format text, the file's content; format json, the
   * field subject_token_field_name of the JSON in it.
   */
  private subjectFromFile(path: string, field: string | undefined, shown: string): string {
    const named = `credential_source.file (${shownFile(path)})`
    const fix =
      'Write the OIDC token to that file before this step (GitLab: the id_tokens variable, written with printf %s to a 0600 file; Kubernetes: the projected service-account token path), or point credential_source.file at it (see docs/keyless.md).'
    let text: string
    try {
      text = readTokenFile(path, this.context.http.timeoutMs)
    } catch (error) {
      throw this.fileError(shown, `names in ${named} a file that ${(error as Error).message}.`, fix)
    }
    let value: unknown = text
    if (field) {
      try {
        value = (JSON.parse(text) as Record<string, unknown>)?.[field]
      } catch {
        value = undefined
      }
    }
    const token = tokenShape(typeof value === 'string' ? value : undefined)
    if (!token) {
      throw this.fileError(
        shown,
        field
          ? `names in ${named} a file without a token in its JSON field ${quote(field, 60)} (subject_token_field_name).`
          : `names in ${named} a file that holds no token (it is empty, or has spaces or line breaks inside).`,
        fix
      )
    }
    mask(this.context, token)
    return token
  }

  /** STS token exchange (RFC 8693), form-encoded as google-auth-library sends it. */
  private async stsExchange(url: URL, audience: string, subjectToken: string, subjectType?: string): Promise<string> {
    const service = `Google's Security Token Service (${url.host})`
    const res = await callService(this.context, `The token exchange at ${service} for ${this.key}`, {
      method: 'POST',
      url: url.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: () =>
        Promise.resolve(
          new URLSearchParams({
            grant_type: TOKEN_EXCHANGE,
            audience,
            scope: CLOUD_PLATFORM,
            requested_token_type: ACCESS_TOKEN_TYPE,
            subject_token: subjectToken,
            subject_token_type: subjectType ?? 'urn:ietf:params:oauth:token-type:jwt'
          }).toString()
        )
    })
    if (res.status !== 200) {
      if (isOutage(res.status)) {
        throw new SignerError(
          'unavailable',
          `${service} answered ${oauthError(res)} for ${this.key}, after every attempt.`,
          'Google is unavailable or rate-limiting: try again later. DocuSign was not asked yet.'
        )
      }
      const { issuer, subject } = tokenClaims(subjectToken)
      const github = !issuer || issuer === GITHUB_ISSUER
      throw new SignerError(
        'refused',
        `${service} refused the job's OIDC token for ${this.key} (${oauthError(res)}).`,
        github
          ? `Check the workload identity provider ${quote(audience.replace(/^\/\/iam\.googleapis\.com\//, ''), 200)} (google-github-actions/auth's workload_identity_provider): it must exist and be enabled, its issuer https://token.actions.githubusercontent.com, and its attribute condition must accept this repository and ref (google-github-actions/auth docs/TROUBLESHOOTING.md).`
          : `Check the workload identity provider ${quote(audience.replace(/^\/\/iam\.googleapis\.com\//, ''), 200)}: it must exist and be enabled, its issuer ${issuer} (this token's), its allowed audiences must include the token's, and its attribute condition must accept the subject ${subject ?? '(none)'} (see docs/keyless.md).`
      )
    }
    return this.accessToken(jsonOf(res, service, `the token exchange for ${this.key}`), 'access_token', service)
  }

  /** generateAccessToken: the federated identity acting as the service account. */
  private async impersonate(
    url: URL,
    email: string,
    federated: string,
    audience: string,
    claims: TokenClaims
  ): Promise<string> {
    const service = `IAM Service Account Credentials (${url.host})`
    const res = await callService(this.context, `Impersonating ${email} at ${service} for ${this.key}`, {
      method: 'POST',
      url: url.toString(),
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${federated}` },
      body: () => Promise.resolve(JSON.stringify({ scope: [CLOUD_PLATFORM], lifetime: IMPERSONATION_LIFETIME }))
    })
    if (res.status !== 200) {
      const error = googleError(res)
      if (isOutage(res.status)) {
        throw new SignerError(
          'unavailable',
          `${service} answered ${described(res, error)} for ${email}, after every attempt.`,
          'Google is unavailable or rate-limiting: try again later. DocuSign was not asked yet.'
        )
      }
      // The federated identity's project is the workload identity pool's.
      const project = /^\/\/iam\.googleapis\.com\/projects\/(\d+)\//.exec(audience)?.[1]
      const disabled = serviceDisabled(res, error, { api: 'iamcredentials.googleapis.com', project, key: this.key })
      if (disabled) throw disabled
      const pool =
        /^\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\//.exec(
          audience
        )?.[1]
      const repository = /^[\w.-]+\/[\w.-]+$/.test(this.context.env.GITHUB_REPOSITORY ?? '')
        ? this.context.env.GITHUB_REPOSITORY!
        : 'YOUR_ORG/YOUR_REPO'
      // Another issuer's token (GitLab, Kubernetes) has no repository claim: its own subject names it.
      const github = !claims.issuer || claims.issuer === GITHUB_ISSUER
      const member = !pool
        ? 'the principalSet of this repository'
        : github
          ? `principalSet://iam.googleapis.com/${pool}/attribute.repository/${repository}`
          : `principal://iam.googleapis.com/${pool}/subject/${claims.subject ?? 'SUBJECT'}`
      const mapped = github
        ? 'the provider must map attribute.repository'
        : 'the provider maps google.subject=assertion.sub'
      throw new SignerError(
        'refused',
        `${service} did not let this job's federated identity impersonate service account ${email}, for ${this.key} (${described(res, error)}).`,
        `The federated identity needs iam.serviceAccounts.getAccessToken on the service account: grant it roles/iam.workloadIdentityUser, e.g. gcloud iam service-accounts add-iam-policy-binding ${email} --role roles/iam.workloadIdentityUser --member ${member} (${mapped}). Check that the service account exists.`
      )
    }
    return this.accessToken(jsonOf(res, service, `the impersonation of ${email}`), 'accessToken', service)
  }

  // ---- A service account key: a JWT signed with it, exchanged at token_uri ----

  private async serviceAccount(json: Json, shown: string): Promise<GoogleToken> {
    const pem = str(json, 'private_key')
    if (pem) mask(this.context, pem)
    const email = str(json, 'client_email')
    const keyId = str(json, 'private_key_id')
    const tokenUri = googleUrl(str(json, 'token_uri') ?? GOOGLE_TOKEN_URI)
    let key: KeyObject | undefined
    try {
      key = pem ? createPrivateKey(pem) : undefined
    } catch {
      key = undefined
    }
    if (!key || key.asymmetricKeyType !== 'rsa' || !email || !EMAIL.test(email) || !tokenUri) {
      throw this.fileError(
        shown,
        'is a service_account file without a usable private_key (RSA PEM), client_email, or token_uri on https://…googleapis.com.'
      )
    }
    const now = Math.floor(this.context.io.now() / 1000)
    const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url')
    const header = part({ alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) })
    const claims = part({ iss: email, scope: CLOUD_PLATFORM, aud: tokenUri.toString(), iat: now, exp: now + 3600 })
    const input = `${header}.${claims}`
    const assertion = `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`
    mask(this.context, assertion)

    const service = `Google's OAuth 2.0 server (${tokenUri.host})`
    const res = await callService(this.context, `Signing in as ${email} at ${service} for ${this.key}`, {
      method: 'POST',
      url: tokenUri.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: () => Promise.resolve(new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString())
    })
    if (res.status !== 200) {
      if (isOutage(res.status)) {
        throw new SignerError(
          'unavailable',
          `${service} answered ${oauthError(res)} for service account ${email}, after every attempt.`,
          'Google is unavailable or rate-limiting: try again later. DocuSign was not asked yet.'
        )
      }
      throw new SignerError(
        'refused',
        `${service} refused the key of service account ${email} in GOOGLE_APPLICATION_CREDENTIALS (${shown}), for ${this.key} (${oauthError(res)}).`,
        `The key was deleted or disabled, or the service account was (gcloud iam service-accounts keys list --iam-account ${email}), or this machine's clock is off. Better than a key file: Workload Identity Federation, with no key to leak (docs/keyless.md).`
      )
    }
    const value = this.accessToken(jsonOf(res, service, `the sign-in of ${email}`), 'access_token', service)
    return {
      value,
      source: `the credentials file (${shown})`,
      who: `service account ${email}`,
      member: `serviceAccount:${email}`,
      renew: 'Check the key of the service account, or better, use Workload Identity Federation (docs/keyless.md).'
    }
  }

  /** A token from an answer, checked before it is masked (a mask is job-wide), then masked. */
  private accessToken(json: Json, field: string, service: string): string {
    const value = tokenShape(typeof json[field] === 'string' ? (json[field] as string) : undefined)
    if (!value) {
      throw new SignerError(
        'malformed',
        `${service} answered without an access token (${field}) for ${this.key}.`,
        'Try again; if it persists, report the message. DocuSign was not asked yet.'
      )
    }
    mask(this.context, value)
    return value
  }
}

/** credential_source.url as google-github-actions/auth writes it (the runner's token endpoint): https, or http on loopback. */
function safeSourceUrl(value: string | undefined): string | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    const ok =
      (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) &&
      !url.username &&
      !url.password
    return ok ? url.href : undefined
  } catch {
    return undefined
  }
}
