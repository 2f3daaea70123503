import type { KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'

/** iat is set this far in the past, as DocuSign support advises, to absorb clock skew. */
const CLOCK_SKEW_S = 60
/** DocuSign accepts an exp at most one hour after iat. */
const ASSERTION_LIFETIME_S = 3600

export interface AssertionClaims {
  integrationKey: string
  userId: string
  audience: string
  scopes: string[]
  nowMs: number
}

/** The JWT Grant assertion: RS256, no kid, no nbf (it only adds clock-skew failures). */
export function signAssertion(key: KeyObject, c: AssertionClaims): Promise<string> {
  const iat = Math.floor(c.nowMs / 1000) - CLOCK_SKEW_S
  return new SignJWT({ scope: c.scopes.join(' ') })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(c.integrationKey)
    .setSubject(c.userId)
    .setAudience(c.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ASSERTION_LIFETIME_S)
    .sign(key)
}
