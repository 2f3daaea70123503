import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto'
import { ActionError, type ErrorKind } from '../errors.js'
import type { Http } from '../http.js'
import type { Io } from '../io.js'

/**
 * Where the RSA private key lives, as `signing-key` names it (or the private key itself). The core
 * parses it before any request; the backend that uses it is loaded only when needed.
 */
export type SigningKeySpec =
  | { backend: 'aws-kms'; keyId: string; region: string }
  | { backend: 'vault-transit'; mount: string; key: string }
  | { backend: 'gcp-kms'; name: string }
  | { backend: 'azure-key-vault'; vault: string; key: string; version?: string }

/** The public half of the signing key: what logs, summaries and checks show, never a secret. */
export interface PublicKeyInfo {
  key: KeyObject
  bits: number
  /** SHA-256 of the public key (SPKI DER), hex: compared with the key registered on the integration key. */
  fingerprint: string
}

/**
 * Signs JWT Grant assertions with RS256 (RSASSA-PKCS1-v1_5, SHA-256): the local PEM key, or a key
 * vault that holds the key and signs on request. Every signature is checked against the public key
 * before the token request, so a wrong key version or algorithm fails with its own message.
 */
export interface Signer {
  /** What messages call the key: "the private key", "AWS KMS key arn:…" (never a credential). */
  readonly description: string
  publicKey(): Promise<PublicKeyInfo>
  /** The RS256 signature of the JWT's signing input. */
  sign(input: Buffer): Promise<Buffer>
}

/** What a backend gets: the job's environment (credentials as the login steps leave them), the run's Io, HTTP policy. */
export interface SignerContext {
  env: Record<string, string | undefined>
  io: Io
  http: Http
}

export const MIN_BITS = 2048

export function publicKeyInfo(key: KeyObject): PublicKeyInfo {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key
  const der = publicKey.export({ type: 'spki', format: 'der' })
  return {
    key: publicKey,
    bits: publicKey.asymmetricKeyDetails?.modulusLength ?? 0,
    fingerprint: createHash('sha256').update(der).digest('hex')
  }
}

/** A key vault's failure: named as the key vault's, never as DocuSign's. */
export class SignerError extends ActionError {
  constructor(kind: Exclude<ErrorKind, 'consent' | 'bug'>, problem: string, fix: string) {
    super(kind, problem, fix, 'signing-key')
  }
}

/** The signature checked against the public key: RS256 or nothing. */
export function checkSignature(signer: Signer, info: PublicKeyInfo, input: Buffer, signature: Buffer): void {
  if (!verify('sha256', input, info.key, signature)) {
    throw new SignerError(
      'refused',
      `The signature from ${signer.description} does not verify with its public key (public-key SHA-256 ${info.fingerprint}) as RS256 (RSASSA-PKCS1-v1_5 with SHA-256).`,
      'The key signed with another algorithm (PSS, ECDSA) or another key version answered: use an RSA key of at least 2048 bits that signs with PKCS#1 v1.5 and SHA-256; DocuSign refuses anything else.'
    )
  }
}

/** An RSA key of at least 2048 bits, or the error that says what it is instead. */
export function requireRsa(description: string, info: PublicKeyInfo): PublicKeyInfo {
  if (info.key.asymmetricKeyType !== 'rsa') {
    throw new SignerError(
      'refused',
      `${description} is an ${(info.key.asymmetricKeyType ?? 'non-RSA').toUpperCase()} key; DocuSign signs JWTs with RSA keys only (RS256).`,
      'Make an RSA signing key of at least 2048 bits (see docs/keyless.md) and register its public key on the integration key.'
    )
  }
  if (info.bits < MIN_BITS) {
    throw new SignerError(
      'refused',
      `${description} is a ${info.bits}-bit RSA key; at least ${MIN_BITS} bits are required.`,
      'Make an RSA signing key of at least 2048 bits.'
    )
  }
  return info
}
