import { createPublicKey } from 'node:crypto'
import { tryJson } from '../answer.js'
import type { Http, HttpResponse } from '../http.js'
import type { Io } from '../io.js'
import { quote } from '../outside.js'
import { setting } from '../settings.js'
import { forCiSystem } from '../ci-system.js'
import { endpointUrl, notTheService, requireHeaderSafe, send, shownUrl, type Service } from './key-vault-http.js'
import {
  checkSignature,
  publicKeyInfo,
  requireRsa,
  SignerError,
  type PublicKeyInfo,
  type Signer,
  type SignerContext,
  type SigningKeySpec
} from './signer.js'
import { describeSpec } from './spec.js'

type VaultTransitSpec = Extract<SigningKeySpec, { backend: 'vault-transit' }>
type Operation = 'read' | 'sign'

const RSA_TYPES = new Set(['rsa-2048', 'rsa-3072', 'rsa-4096'])
const SIGNATURE = /^vault:v(\d{1,9}):([A-Za-z0-9+/]+={0,2})$/
const GITHUB_LOGIN =
  "hashicorp/vault-action with exportToken: true (it sets VAULT_TOKEN; method: jwt logs in with the job's OIDC token, which needs permissions: id-token: write)"
/** The step that logs in to Vault on the CI system this run is on (docs/keyless.md has each). */
const LOGIN = {
  github: GITHUB_LOGIN,
  gitlab:
    "a line that exports VAULT_TOKEN from Vault's JWT login with an id_tokens: token for the role's audience: vault write -field=token auth/gitlab/login role=ROLE jwt=\"$VAULT_ID_TOKEN\", as docs/keyless.md shows under 'GitLab CI'",
  azure:
    'a vault login whose token reaches this step in its env: (VAULT_TOKEN: $(VAULT_TOKEN) from a secret variable: a secret reaches a step only that way)',
  other: `${GITHUB_LOGIN} on GitHub Actions, or elsewhere vault login and export VAULT_TOKEN=$(vault print token)`
}

/** Vault's `{"errors": [...]}`, each go-multierror text ("1 error occurred:\n\t* permission denied\n\n") split into its errors. */
function vaultErrors(json: Record<string, unknown> | undefined): string[] | undefined {
  if (!json || !Array.isArray(json.errors)) return undefined
  return json.errors
    .flatMap(e => String(e).split('\n'))
    .map(line => line.replace(/^\s*\*\s*/, '').trim())
    .filter(line => line && !/^\d+ errors? occurred:?$/.test(line))
}

/**
 * Signs in HashiCorp Vault's transit engine: GET {mount}/keys/{key} once (the latest version's public
 * key), POST {mount}/sign/{key}/sha2-256 with pkcs1v15 per assertion. VAULT_ADDR, VAULT_NAMESPACE and
 * VAULT_TOKEN come from the environment as hashicorp/vault-action (exportToken: true) leaves them; the
 * token is registered as a secret before anything else and goes only to Vault.
 */
export class VaultTransitSigner implements Signer {
  readonly description: string
  private readonly mount: string
  private readonly key: string
  private readonly base: string
  private readonly headers: Record<string, string>
  private readonly namespace: string
  private readonly service: Service
  private readonly http: Http
  private readonly io: Io
  /** The login step to name in fixes, for the CI system this run is on. */
  private readonly login: string
  /** Each version's public key, as the last read of the key listed them. */
  private versions = new Map<number, PublicKeyInfo>()
  private reported?: { version: number; info: PublicKeyInfo }

  constructor(spec: VaultTransitSpec, context: SignerContext) {
    this.description = describeSpec(spec)
    this.mount = spec.mount
    this.key = spec.key
    this.http = context.http
    this.io = context.io
    this.login = forCiSystem(context.env, LOGIN)
    const value = (name: string): string => (context.env[name] ?? '').trim()
    const token = value('VAULT_TOKEN')
    // Registered before anything could show it, whatever else is missing.
    if (token) context.io.secret(token)
    const addr = value('VAULT_ADDR')
    this.namespace = value('VAULT_NAMESPACE').replace(/^\/+|\/+$/g, '')
    this.service = { name: 'Vault', endpointVariable: 'VAULT_ADDR', key: this.description }

    const missing = [!addr && 'VAULT_ADDR', !token && 'VAULT_TOKEN'].filter(Boolean)
    if (missing.length) {
      throw new SignerError(
        'input',
        `${this.description} needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not set in the environment.`,
        `${addr ? '' : "Set VAULT_ADDR (the Vault's https address) in the job's env, and VAULT_NAMESPACE for a Vault Enterprise or HCP namespace. "}${token ? '' : `Before this step, add ${this.login}.`} See docs/keyless.md.`
      )
    }
    requireHeaderSafe(
      [
        ['VAULT_TOKEN', token],
        ['VAULT_NAMESPACE', this.namespace]
      ],
      this.service
    )
    const url = endpointUrl(addr, 'VAULT_ADDR', this.service)
    this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
    this.headers = { 'X-Vault-Token': token, 'X-Vault-Request': 'true', Accept: 'application/json' }
    if (this.namespace) this.headers['X-Vault-Namespace'] = this.namespace
  }

  async publicKey(): Promise<PublicKeyInfo> {
    if (this.reported) return this.reported.info
    const latest = await this.readKey()
    const info = this.versions.get(latest)
    if (!info) throw this.malformed('read', `keys holds no public key for the latest version ${latest}`)
    this.reported = { version: latest, info: requireRsa(`${this.description} (version ${latest})`, info) }
    this.io.debug(`Vault: ${this.description} version ${latest}`)
    return this.reported.info
  }

  async sign(input: Buffer): Promise<Buffer> {
    if (!this.reported) await this.publicKey()
    const path = `${this.mount}/sign/${this.key}/sha2-256`
    // Vault signs RSA with PSS unless asked otherwise; DocuSign takes PKCS#1 v1.5 only.
    const body = JSON.stringify({ input: input.toString('base64'), signature_algorithm: 'pkcs1v15' })
    const { res } = await send(
      this.http,
      {
        method: 'POST',
        url: `${this.base}/v1/${path}`,
        headers: { ...this.headers, 'Content-Type': 'application/json' },
        body: () => Promise.resolve(body)
      },
      this.service
    )
    const data = this.data(res, 'sign', path)
    const match = typeof data.signature === 'string' ? SIGNATURE.exec(data.signature) : null
    if (!match) throw this.malformed('sign', 'data.signature is not vault:vN:BASE64')
    const version = Number(match[1])
    const signature = Buffer.from(match[2], 'base64')
    // The signature is checked against the key of the version that made it (read again if new);
    // the caller then checks it against the key reported, the one registered with DocuSign.
    if (!this.versions.has(version)) await this.readKey()
    const own = this.versions.get(version)
    if (!own) {
      throw this.malformed('sign', `the signature names version ${version}, which the key does not list`)
    }
    if (version !== this.reported!.version) {
      this.io.debug(`Vault: signed with version ${version}, not version ${this.reported!.version} read before`)
    }
    checkSignature(this, own, input, signature)
    return signature
  }

  /** GET {mount}/keys/{key}: every version's public key; returns the latest version. */
  private async readKey(): Promise<number> {
    const path = `${this.mount}/keys/${this.key}`
    const { res } = await send(
      this.http,
      { method: 'GET', url: `${this.base}/v1/${path}`, headers: this.headers },
      this.service
    )
    const data = this.data(res, 'read', path)
    if (typeof data.type !== 'string' || !RSA_TYPES.has(data.type)) {
      throw new SignerError(
        'refused',
        `${this.description} is a ${quote(data.type ?? 'key of no type', 40)} key; DocuSign signs JWTs with RSA keys only (RS256).`,
        `Make an RSA key (vault write -f ${this.mount}/keys/NAME type=rsa-2048, see docs/keyless.md), register its public key on the integration key, and point ${setting('signing-key')} at it.`
      )
    }
    const latest = data.latest_version
    const keys = data.keys
    if (typeof latest !== 'number' || !Number.isInteger(latest) || latest < 1 || !keys || typeof keys !== 'object') {
      throw this.malformed('read', 'latest_version or keys is missing')
    }
    const versions = new Map<number, PublicKeyInfo>()
    for (const [name, entry] of Object.entries(keys as Record<string, unknown>)) {
      const pem = (entry as { public_key?: unknown } | null)?.public_key
      if (!/^\d+$/.test(name) || typeof pem !== 'string') continue
      try {
        versions.set(Number(name), publicKeyInfo(createPublicKey(pem)))
      } catch {
        throw this.malformed('read', `the public key of version ${name} is not a PEM public key`)
      }
    }
    this.versions = versions
    return latest
  }

  /** The `data` of a successful answer, or the error that says why there is none. */
  private data(res: HttpResponse, operation: Operation, path: string): Record<string, unknown> {
    const json = tryJson(res)
    if (res.status === 200) {
      const data = json?.data
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw notTheService(res, operation, this.service)
      return data as Record<string, unknown>
    }
    const errors = vaultErrors(json)
    if (!errors) {
      if (res.status >= 500 || res.status === 429) throw this.unavailable(res, [])
      throw notTheService(res, operation, this.service)
    }
    throw this.failure(res, errors, operation, path)
  }

  private where(): string {
    return `Vault at ${shownUrl(new URL(this.base))}${this.namespace ? ` (namespace ${quote(this.namespace, 60)})` : ''}`
  }

  private policy(): string {
    return `path "${this.mount}/sign/${this.key}/sha2-256" { capabilities = ["update"] } and path "${this.mount}/keys/${this.key}" { capabilities = ["read"] }`
  }

  /** A Vault error as its cause and fix, named as the key's, never as DocuSign's. */
  private failure(res: HttpResponse, errors: string[], operation: Operation, path: string): SignerError {
    const said = errors.length ? quote(errors.join('; ')) : 'no error text'
    const asked = operation === 'sign' ? `sign with ${this.description}` : `read ${this.description}`
    const text = errors.join('\n')
    if (res.status === 403 && /invalid token/i.test(text)) {
      return new SignerError(
        'refused',
        `${this.where()} refused the token in VAULT_TOKEN to ${asked}: it is expired, revoked or not a token of this Vault (${said}).`,
        `Log in again with ${this.login} right before this step (or raise the role's token_ttl), and check that VAULT_ADDR and VAULT_NAMESPACE name the Vault and namespace the token is from.`
      )
    }
    if (res.status === 403) {
      return new SignerError(
        'refused',
        `${this.where()} denied the token in VAULT_TOKEN the ${operation === 'sign' ? 'update' : 'read'} capability on ${path} (${said}).`,
        `Give the token a policy with ${this.policy()}, attached to the role the job logs in with${this.namespace ? '' : '; for a key in a Vault Enterprise or HCP namespace, set VAULT_NAMESPACE'}.`
      )
    }
    if (res.status === 404 && /no handler for route|route entry not found/i.test(text)) {
      return new SignerError(
        'refused',
        `${this.where()} has no secrets engine mounted at ${this.mount}/, so it has no ${this.description} (${said}).`,
        `Enable transit there (vault secrets enable -path=${this.mount} transit), or name its mount in ${setting('signing-key')} (vault-transit:MOUNT/KEY)${this.namespace ? '' : ', or set VAULT_NAMESPACE for a namespace'}.`
      )
    }
    if ((res.status === 404 && operation === 'read') || /^(signing |encryption )?key not found$/i.test(text)) {
      return new SignerError(
        'refused',
        `${this.where()} has no ${this.description} (${said}).`,
        `Create it (vault write -f ${this.mount}/keys/${this.key} type=rsa-2048) and register its public key on the integration key, or correct ${setting('signing-key')}${this.namespace ? '' : ' (or set VAULT_NAMESPACE for a namespace)'}.`
      )
    }
    if (/does not support signing/i.test(text)) {
      return new SignerError(
        'refused',
        `${this.description} cannot sign (${said}); DocuSign needs an RSA key (RS256).`,
        `Make an RSA key (vault write -f ${this.mount}/keys/NAME type=rsa-2048, see docs/keyless.md) and point ${setting('signing-key')} at it.`
      )
    }
    if (res.status >= 500 || res.status === 429 || res.status === 412) return this.unavailable(res, errors)
    return new SignerError(
      'refused',
      `${this.where()} refused to ${asked}: HTTP ${res.status} (${said}).`,
      'See docs/keyless.md for what the key and the token need.'
    )
  }

  private unavailable(res: HttpResponse, errors: string[]): SignerError {
    const said = errors.length ? ` (${quote(errors.join('; '))})` : ''
    const sealed = res.status === 503
    return new SignerError(
      'unavailable',
      `${this.where()} answered for ${this.description} with HTTP ${res.status}${said}${sealed ? ': it is sealed, or in standby' : ''}${res.status === 412 ? '' : ', on every attempt'}.`,
      `${sealed ? 'Unseal Vault, or wait for it to be, and try again' : 'Try again later'}; raise ${setting('max-attempts')} or ${setting('timeout-seconds')} to wait longer.`
    )
  }

  private malformed(operation: Operation, what: string): SignerError {
    return new SignerError(
      'malformed',
      `${this.where()} answered ${operation === 'sign' ? 'the sign request' : 'the key read'} for ${this.description} with something that is not Vault's transit answer: ${what}.`,
      'Check VAULT_ADDR (it should name Vault itself); if it persists, try again later.'
    )
  }
}
