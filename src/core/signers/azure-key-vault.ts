import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import { tryJson } from '../answer.js'
import type { HttpResponse } from '../http.js'
import { setting } from '../settings.js'
import { quote } from '../outside.js'
import { AzureCredentials, type AzureToken } from './azure-credentials.js'
import { callService, isOutage, jsonOf } from './oidc-token.js'
import {
  publicKeyInfo,
  requireRsa,
  SignerError,
  type PublicKeyInfo,
  type Signer,
  type SignerContext,
  type SigningKeySpec
} from './signer.js'
import { describeSpec } from './spec.js'

/**
 * Azure Key Vault: the key's JWK (GET {vault}/keys/KEY[/VERSION]) and RS256 signatures of a SHA-256
 * digest (POST {kid}/sign), with the REST API version 7.4.
 */

const API_VERSION = 'api-version=7.4'
const ROLE =
  'the Key Vault Crypto User role on the vault or the key (Azure RBAC: Microsoft.KeyVault/vaults/keys/read and …/keys/sign/action), or, on a vault with access policies, the key permissions get and sign'

type Spec = Extract<SigningKeySpec, { backend: 'azure-key-vault' }>

export class AzureKeyVaultSigner implements Signer {
  readonly description: string
  private readonly spec: Spec
  private readonly service: string
  private readonly vaultName: string
  private readonly credentials: AzureCredentials
  private info?: PublicKeyInfo
  /** The key version's identifier, https://NAME.vault.azure.net/keys/KEY/VERSION: where signing requests go. */
  private kid?: string

  constructor(
    spec: Spec,
    private readonly context: SignerContext
  ) {
    this.spec = spec
    this.description = describeSpec(spec)
    const host = new URL(spec.vault).hostname
    this.service = `Azure Key Vault (${host})`
    this.vaultName = host.split('.')[0]
    this.credentials = new AzureCredentials(context, spec.vault, this.description)
  }

  async publicKey(): Promise<PublicKeyInfo> {
    if (this.info) return this.info
    const token = await this.credentials.get()
    const { vault, key, version } = this.spec
    const res = await callService(this.context, `Reading ${this.description}`, {
      method: 'GET',
      url: `${vault}/keys/${key}${version ? `/${version}` : ''}?${API_VERSION}`,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token.value}` }
    })
    if (res.status !== 200) throw this.failure(res, 'get', token)
    const json = jsonOf(res, this.service, `the key request for ${this.description}`)
    const jwk = (json.key && typeof json.key === 'object' ? json.key : {}) as Record<string, unknown>
    const attributes = (json.attributes && typeof json.attributes === 'object' ? json.attributes : {}) as Record<
      string,
      unknown
    >
    const kty = typeof jwk.kty === 'string' && /^[A-Za-z-]{1,16}$/.test(jwk.kty) ? jwk.kty : ''
    if (kty !== 'RSA' && kty !== 'RSA-HSM') {
      throw new SignerError(
        'refused',
        kty.startsWith('EC')
          ? `${this.description} is an elliptic-curve key (${kty}); DocuSign signs JWTs with RSA keys only (RS256).`
          : `${this.description} is not an RSA key (${kty || 'no key type'}); DocuSign signs JWTs with RSA keys only (RS256).`,
        `Make an RSA key (az keyvault key create --vault-name ${this.vaultName} --name ${key} --kty RSA --size 2048 --ops sign verify), register its public key on the integration key, and name it in ${setting('signing-key')} (docs/keyless.md).`
      )
    }
    this.kid = this.checkedKid(jwk.kid)
    const versionOf = this.kid.split('/').pop()!
    const at = `--vault-name ${this.vaultName} --name ${key} --version ${versionOf}`
    if (attributes.enabled === false) {
      throw new SignerError(
        'refused',
        `${this.description} is disabled (version ${versionOf}).`,
        `Enable it: az keyvault key set-attributes ${at} --enabled true; or name an enabled version.`
      )
    }
    const now = this.context.io.now() / 1000
    if (typeof attributes.exp === 'number' && attributes.exp <= now) {
      throw new SignerError(
        'refused',
        `${this.description} expired on ${new Date(attributes.exp * 1000).toISOString()} (version ${versionOf}).`,
        `Extend it (az keyvault key set-attributes ${at} --expires DATE) or make a new version and register its public key.`
      )
    }
    if (typeof attributes.nbf === 'number' && attributes.nbf > now) {
      throw new SignerError(
        'refused',
        `${this.description} is not valid before ${new Date(attributes.nbf * 1000).toISOString()} (version ${versionOf}).`,
        'Wait until then, or change its activation date (az keyvault key set-attributes --not-before).'
      )
    }
    if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('sign')) {
      throw new SignerError(
        'refused',
        `${this.description} does not allow the operation sign (its key_ops).`,
        `Allow it: az keyvault key set-attributes ${at} --ops sign verify.`
      )
    }
    let publicKey: KeyObject
    try {
      if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string') throw new Error('no n or e')
      publicKey = createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' })
    } catch {
      throw new SignerError(
        'malformed',
        `${this.service} answered the key request for ${this.description} without an RSA public key (n, e).`,
        'Try again; if it persists, report the message. DocuSign was not asked yet.'
      )
    }
    this.info = requireRsa(this.description, publicKeyInfo(publicKey))
    return this.info
  }

  async sign(input: Buffer): Promise<Buffer> {
    if (!this.kid) await this.publicKey()
    const token = await this.credentials.get()
    const digest = createHash('sha256').update(input).digest()
    const res = await callService(this.context, `Signing with ${this.description}`, {
      method: 'POST',
      url: `${this.kid}/sign?${API_VERSION}`,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: `Bearer ${token.value}`
      },
      body: () => Promise.resolve(JSON.stringify({ alg: 'RS256', value: digest.toString('base64url') }))
    })
    if (res.status !== 200) throw this.failure(res, 'sign', token)
    const json = jsonOf(res, this.service, `the signing request for ${this.description}`)
    const value = typeof json.value === 'string' && /^[A-Za-z0-9_-]+$/.test(json.value) ? json.value : ''
    if (!value) {
      throw new SignerError(
        'malformed',
        `${this.service} answered the signing request for ${this.description} without a signature (value).`,
        'Try again; if it persists, report the message. DocuSign was not asked yet.'
      )
    }
    return Buffer.from(value, 'base64url')
  }

  /** The kid of the answer: this vault, this key, a version (the one named, if one was): signing requests go there. */
  private checkedKid(value: unknown): string {
    const { vault, key, version } = this.spec
    let url: URL | undefined
    try {
      url = typeof value === 'string' ? new URL(value) : undefined
    } catch {
      url = undefined
    }
    const path = url ? /^\/keys\/([A-Za-z0-9-]{1,127})\/([0-9a-f]{32})$/i.exec(url.pathname) : null
    const ok =
      url &&
      path &&
      url.origin.toLowerCase() === vault.toLowerCase() &&
      !url.search &&
      path[1].toLowerCase() === key.toLowerCase() &&
      (!version || path[2].toLowerCase() === version)
    if (!ok) {
      throw new SignerError(
        'malformed',
        `${this.service} answered the key request for ${this.description} with a key identifier (kid) of another vault, key or version.`,
        'Check that nothing between this machine and the vault rewrites answers (HTTPS_PROXY); report the message if it persists. DocuSign was not asked yet.'
      )
    }
    return `${url!.origin}/keys/${path![1]}/${path![2].toLowerCase()}`
  }

  private failure(res: HttpResponse, operation: 'get' | 'sign', token: AzureToken): SignerError {
    const json = tryJson(res)
    const error = (json?.error && typeof json.error === 'object' ? json.error : {}) as Record<string, unknown>
    const inner = (error.innererror && typeof error.innererror === 'object' ? error.innererror : {}) as Record<
      string,
      unknown
    >
    const code = quote(error.code, 60)
    const innerCode = quote(inner.code, 60)
    const message = quote(error.message, 240)
    const answer = `HTTP ${res.status}${code ? ` ${code}` : ''}${innerCode ? ` (${innerCode})` : ''}${message ? `: ${message}` : ''}`
    const what = operation === 'sign' ? 'the signing request' : 'the key request'
    const { key, version } = this.spec
    if (isOutage(res.status)) {
      return new SignerError(
        'unavailable',
        `${this.service} answered ${what} for ${this.description} with ${answer}, after every attempt.`,
        `Azure Key Vault is unavailable or throttling (a vault allows a few thousand key operations per 10 seconds): try again later; ${setting('timeout-seconds')} and ${setting('max-attempts')} apply to it as to DocuSign. DocuSign was not asked yet.`
      )
    }
    if (res.status === 401) {
      const header = res.headers['www-authenticate']
      const challenge = Array.isArray(header) ? header[0] : (header ?? '')
      const tenant = /authorization(?:_uri)?="https:\/\/[^/"]+\/([^/"]+)"/i.exec(challenge)?.[1]
      const expects = tenant ? ` The vault belongs to tenant ${quote(tenant, 60)}.` : ''
      return new SignerError(
        'refused',
        `${this.service} refused the access token from ${token.source} for ${this.description} (${answer}).${expects}`,
        `The token expired, or is for another resource or tenant. ${token.renew}`
      )
    }
    if (res.status === 403 && innerCode === 'KeyDisabled') {
      // Key Vault reads a disabled key, and refuses it only to sign: disabled since it was read.
      const disabled = this.kid?.split('/').pop() ?? version
      return new SignerError(
        'refused',
        `${this.description} is disabled (${answer}).`,
        `Enable it: az keyvault key set-attributes --vault-name ${this.vaultName} --name ${key}${disabled ? ` --version ${disabled}` : ''} --enabled true; or name an enabled version.`
      )
    }
    const denied =
      innerCode === 'ForbiddenByRbac' || innerCode === 'ForbiddenByPolicy' || (!innerCode && code === 'Forbidden')
    if (res.status === 403 && denied) {
      const app = token.clientId ?? 'APP_ID'
      return new SignerError(
        'refused',
        `${this.service} denied ${token.who} the key permission ${operation} on ${this.description} (${answer}).`,
        innerCode === 'ForbiddenByPolicy'
          ? `Give ${token.who} the key permissions get and sign: az keyvault set-policy --name ${this.vaultName} --spn ${app} --key-permissions get sign (or move the vault to Azure RBAC and assign the Key Vault Crypto User role).`
          : `Give ${token.who} ${ROLE}: az role assignment create --role "Key Vault Crypto User" --assignee ${app} --scope "$(az keyvault show --name ${this.vaultName} --query id -o tsv)/keys/${key}". Role assignments take a few minutes to apply.`
      )
    }
    if (res.status === 403) {
      return new SignerError(
        'refused',
        `${this.service} refused ${what} for ${this.description} (${answer}).`,
        /Firewall|Connection|Network/i.test(innerCode + message)
          ? "The vault's firewall does not allow this runner's address: allow it in the vault's networking settings, or run the job on a runner inside the vault's network."
          : `Check the key's permitted operations and ${token.who}'s access (${ROLE}).`
      )
    }
    if (res.status === 404) {
      return new SignerError(
        'refused',
        `${this.description} was not found in the vault (${answer}).`,
        `Check the vault, key and version in ${setting('signing-key')}: az keyvault key list-versions --vault-name ${this.vaultName} --name ${key}.`
      )
    }
    return new SignerError(
      res.status >= 400 && res.status < 500 ? 'refused' : 'malformed',
      `${this.service} refused ${what} for ${this.description} (${answer}).`,
      'Check the key (RSA, 2048 bits or more, allowed to sign); if it persists, report the message. DocuSign was not asked yet.'
    )
  }
}
