import { base64url } from 'jose'
import type { Signer } from './signers/signer.js'

/** iat is set this far in the past, as DocuSign support advises, to absorb clock skew. */
const CLOCK_SKEW_S = 60
/** DocuSign accepts an exp at most one hour after iat. */
const ASSERTION_LIFETIME_S = 3600

export interface AssertionClaims {
  integrationKey: string
  /** The user to impersonate; absent for an application-access token (the Admin API). */
  userId?: string
  audience: string
  scopes: string[]
  nowMs: number
}

/** The JWT's header and claims as DocuSign reads them: RS256, no kid, no nbf (it only adds clock-skew failures). */
export function signingInput(c: AssertionClaims): string {
  const iat = Math.floor(c.nowMs / 1000) - CLOCK_SKEW_S
  const header = { alg: 'RS256', typ: 'JWT' }
  const claims = {
    iss: c.integrationKey,
    ...(c.userId ? { sub: c.userId } : {}),
    aud: c.audience,
    iat,
    exp: iat + ASSERTION_LIFETIME_S,
    scope: c.scopes.join(' ')
  }
  return `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(claims))}`
}

/**
 * The JWT Grant assertion, a compact JWS whose signature comes from the signer: the local key or a
 * key vault (which is why jose's SignJWT, which needs the key itself, is not used). `check` verifies
 * the signature against the public key before it is sent.
 */
export async function signAssertion(
  signer: Signer,
  claims: AssertionClaims,
  check: (input: Buffer, signature: Buffer) => void
): Promise<string> {
  const input = signingInput(claims)
  const signature = await signer.sign(Buffer.from(input))
  check(Buffer.from(input), signature)
  return `${input}.${base64url.encode(signature)}`
}
