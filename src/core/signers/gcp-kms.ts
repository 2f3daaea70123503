import { createHash, createPublicKey, type KeyObject } from 'node:crypto'
import type { HttpResponse } from '../http.js'
import { setting } from '../settings.js'
import { ciSystem } from '../ci-system.js'
import { GoogleCredentials, type GoogleToken } from './gcp-credentials.js'
import { described, googleError, serviceDisabled } from './gcp-errors.js'
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
 * Google Cloud KMS: the key version's public key (GET …/publicKey) and RS256 signatures of a SHA-256
 * digest (POST …:asymmetricSign), with the CRC32C checks the KMS reference asks clients to make.
 */

const KMS = 'https://cloudkms.googleapis.com/v1'
const SERVICE = 'Google Cloud KMS (cloudkms.googleapis.com)'
const RS256 = /^RSA_SIGN_PKCS1_(2048|3072|4096)_SHA256$/
const ROLES =
  'roles/cloudkms.signerVerifier on the key (or roles/cloudkms.signer with roles/cloudkms.publicKeyViewer), which hold cloudkms.cryptoKeyVersions.useToSign and cloudkms.cryptoKeyVersions.viewPublicKey'

const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC32C (Castagnoli), as KMS computes its integrity fields. */
export function crc32c(data: Buffer): number {
  let crc = 0xffffffff
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** An int64 field as proto3 JSON writes it (a decimal string), or a number. */
const int64 = (value: unknown): number | undefined =>
  typeof value === 'string' && /^\d{1,20}$/.test(value) ? Number(value) : typeof value === 'number' ? value : undefined

interface VersionName {
  project: string
  location: string
  keyRing: string
  key: string
  version: string
}

function parts(name: string): VersionName {
  const [, project, location, keyRing, key, version] =
    /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)\/cryptoKeyVersions\/([^/]+)$/.exec(
      name
    ) ?? []
  return { project, location, keyRing, key, version }
}

export class GcpKmsSigner implements Signer {
  readonly description: string
  private readonly name: string
  private readonly at: VersionName
  private readonly credentials: GoogleCredentials
  private info?: PublicKeyInfo

  constructor(
    spec: Extract<SigningKeySpec, { backend: 'gcp-kms' }>,
    private readonly context: SignerContext
  ) {
    this.description = describeSpec(spec)
    this.name = spec.name
    this.at = parts(spec.name)
    this.credentials = new GoogleCredentials(context, this.description)
  }

  async publicKey(): Promise<PublicKeyInfo> {
    if (this.info) return this.info
    const token = await this.credentials.get()
    const res = await callService(this.context, `Reading the public key of ${this.description}`, {
      method: 'GET',
      url: `${KMS}/${this.name}/publicKey`,
      headers: { Accept: 'application/json', Authorization: `Bearer ${token.value}` }
    })
    if (res.status !== 200) throw this.failure(res, 'viewPublicKey', token)
    const json = jsonOf(res, SERVICE, `the public key request for ${this.description}`)
    const pem = typeof json.pem === 'string' ? json.pem : ''
    const algorithm =
      typeof json.algorithm === 'string' && /^[A-Z0-9_]{1,64}$/.test(json.algorithm) ? json.algorithm : ''
    const pemCrc = int64(json.pemCrc32c)
    if (pemCrc !== undefined && pemCrc !== crc32c(Buffer.from(pem))) throw this.corrupted('the public key')
    this.checkAlgorithm(algorithm)
    let key: KeyObject
    try {
      key = createPublicKey(pem)
    } catch {
      throw new SignerError(
        'malformed',
        `${SERVICE} answered the public key request for ${this.description} without a PEM public key.`,
        'Try again; if it persists, report the message. DocuSign was not asked yet.'
      )
    }
    this.info = requireRsa(this.description, publicKeyInfo(key))
    return this.info
  }

  async sign(input: Buffer): Promise<Buffer> {
    const token = await this.credentials.get()
    const digest = createHash('sha256').update(input).digest()
    const res = await callService(this.context, `Signing with ${this.description}`, {
      method: 'POST',
      url: `${KMS}/${this.name}:asymmetricSign`,
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        Authorization: `Bearer ${token.value}`
      },
      body: () =>
        Promise.resolve(
          JSON.stringify({ digest: { sha256: digest.toString('base64') }, digestCrc32c: String(crc32c(digest)) })
        )
    })
    if (res.status !== 200) throw this.failure(res, 'useToSign', token)
    const json = jsonOf(res, SERVICE, `the signing request for ${this.description}`)
    const signature = typeof json.signature === 'string' ? Buffer.from(json.signature, 'base64') : Buffer.alloc(0)
    if (json.verifiedDigestCrc32c !== true) throw this.corrupted('the digest sent')
    if (int64(json.signatureCrc32c) !== crc32c(signature) || signature.length === 0)
      throw this.corrupted('the signature')
    if (typeof json.name === 'string' && json.name !== this.name) {
      throw new SignerError(
        'malformed',
        `${SERVICE} answered the signing request for ${this.description} with a signature of another key version.`,
        'Report the message. DocuSign was not asked yet.'
      )
    }
    return signature
  }

  private checkAlgorithm(algorithm: string): void {
    if (RS256.test(algorithm)) return
    const make = `Make a key version with the algorithm rsa-sign-pkcs1-2048-sha256 (gcloud kms keys create --purpose asymmetric-signing --default-algorithm rsa-sign-pkcs1-2048-sha256), register its public key on the integration key, and name that version in ${setting('signing-key')} (docs/keyless.md).`
    const shown = algorithm || 'an unknown algorithm'
    let problem: string
    if (algorithm.startsWith('RSA_SIGN_PSS_')) {
      problem = `${this.description} signs with RSASSA-PSS (${shown}); DocuSign verifies RS256 only (RSASSA-PKCS1-v1_5 with SHA-256).`
    } else if (algorithm.startsWith('EC_SIGN_')) {
      problem = `${this.description} is an elliptic-curve key (${shown}); DocuSign signs JWTs with RSA keys only (RS256).`
    } else if (algorithm.startsWith('RSA_SIGN_')) {
      problem = `${this.description} signs with ${shown}, not RS256 (RSASSA-PKCS1-v1_5 with SHA-256).`
    } else {
      problem = `${this.description} is not an RSA signing key (${shown}).`
    }
    throw new SignerError('refused', problem, make)
  }

  private corrupted(what: string): SignerError {
    return new SignerError(
      'unavailable',
      `${SERVICE}: the CRC32C checksum of ${what} does not match for ${this.description}; the data was corrupted in transit.`,
      'Try again; if it persists, check what sits between this machine and Google (a proxy that rewrites traffic). DocuSign was not asked yet.'
    )
  }

  private failure(res: HttpResponse, permission: 'viewPublicKey' | 'useToSign', token: GoogleToken): SignerError {
    const error = googleError(res)
    const answer = described(res, error)
    const what = permission === 'useToSign' ? 'the signing request' : 'the public key request'
    const { project, location, keyRing, key, version } = this.at
    const where = `--key ${key} --keyring ${keyRing} --location ${location} --project ${project}`
    if (isOutage(res.status)) {
      return new SignerError(
        'unavailable',
        `${SERVICE} answered ${what} for ${this.description} with ${answer}, after every attempt.`,
        `Google Cloud KMS is unavailable or rate-limiting (cryptographic requests have a per-minute quota): try again later; ${setting('timeout-seconds')} and ${setting('max-attempts')} apply to it as to DocuSign. DocuSign was not asked yet.`
      )
    }
    if (res.status === 401) {
      return new SignerError(
        'refused',
        `${SERVICE} refused the access token from ${token.source} for ${this.description} (${answer}).`,
        `The token expired or is not a Google access token. ${token.renew}`
      )
    }
    if (res.status === 403 && (error.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || /scope/i.test(error.message))) {
      return new SignerError(
        'refused',
        `The access token from ${token.source} lacks a Cloud KMS scope, for ${this.description} (${answer}).`,
        `Ask for the scope https://www.googleapis.com/auth/cloud-platform${ciSystem(this.context.env) === 'github' ? " (google-github-actions/auth's access_token_scopes default)" : ''}. ${token.renew}`
      )
    }
    const disabled = serviceDisabled(res, error, { api: 'cloudkms.googleapis.com', project, key: this.description })
    if (disabled) return disabled
    if (res.status === 403) {
      return new SignerError(
        'refused',
        `${SERVICE} denied ${token.who} the permission cloudkms.cryptoKeyVersions.${permission} on ${this.description} (${answer}).`,
        `Grant ${token.who} ${ROLES}: gcloud kms keys add-iam-policy-binding ${key} --keyring ${keyRing} --location ${location} --project ${project} --member ${token.member ?? 'PRINCIPAL'} --role roles/cloudkms.signerVerifier. IAM changes take a few minutes to apply. Google gives this answer for a key that does not exist, too: check the name.`
      )
    }
    if (res.status === 404) {
      return new SignerError(
        'refused',
        `${SERVICE} has no key version ${this.name} (${answer}).`,
        `Check the project, location, key ring, key and version in ${setting('signing-key')}: gcloud kms keys versions list ${where}.`
      )
    }
    if (error.status === 'FAILED_PRECONDITION') {
      const state =
        /current state is:?\s*([A-Z_]+)/.exec(error.message)?.[1] ??
        error.violations.map(v => v.replace(/^KEY_/, '')).find(Boolean) ??
        'not ENABLED'
      const fix =
        state === 'DISABLED'
          ? `Enable it: gcloud kms keys versions enable ${version} ${where}, or name an enabled version.`
          : state === 'DESTROY_SCHEDULED'
            ? `It is scheduled for destruction: gcloud kms keys versions restore ${version} ${where}, then enable it; or make a new version and register its public key.`
            : state === 'PENDING_GENERATION'
              ? 'It is still being generated: try again in a minute.'
              : `A destroyed version cannot sign again: make a new version (gcloud kms keys versions create ${where}), register its public key on the integration key, and name it in ${setting('signing-key')}.`
      return new SignerError('refused', `${this.description} cannot sign: its state is ${state} (${answer}).`, fix)
    }
    return new SignerError(
      res.status >= 400 && res.status < 500 ? 'refused' : 'malformed',
      `${SERVICE} refused ${what} for ${this.description} (${answer}).`,
      'Check the key version and its algorithm (RSA_SIGN_PKCS1_2048_SHA256 or larger, SHA-256); if it persists, report the message. DocuSign was not asked yet.'
    )
  }
}
