import { malformed, requireJson } from './answer.js'
import { signAssertion } from './assertion.js'
import { tokenError, type ErrorContext } from './docusign-errors.js'
import { VISIBLE_ASCII, type Http } from './http.js'
import type { Config } from './inputs.js'
import type { Io } from './io.js'
import { checkSignature, type PublicKeyInfo, type Signer } from './signers/signer.js'

export interface Token {
  accessToken: string
  /** Always 'Bearer': DocuSign's answer is checked, then normalised. */
  tokenType: 'Bearer'
  /** Seconds, as DocuSign returned it. */
  expiresIn: number
  expiresAt: Date
}

const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:jwt-bearer'
const WHAT = 'token request'
/** DocuSign documents an hour (older answers said 8 hours); beyond a week is no real answer. */
const MAX_EXPIRES_IN_S = 7 * 24 * 3600

function errorContext(config: Config, key: PublicKeyInfo, signer: Signer): ErrorContext {
  return {
    environment: config.environment,
    integrationKey: config.integrationKey,
    userId: config.userId,
    applicationToken: config.applicationToken,
    scopes: config.scopes,
    consentRedirectUri: config.consentRedirectUri,
    keyFingerprint: key.fingerprint,
    keyDescription: signer.description
  }
}

/** Swaps a signed assertion for an access token: POST {oauth base}/oauth/token. */
export async function requestToken(
  config: Config,
  signer: Signer,
  key: PublicKeyInfo,
  io: Io,
  http: Http
): Promise<Token> {
  const res = await http.send({
    method: 'POST',
    url: `${config.environment.oauthBase}/oauth/token`,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: async () => {
      const claims = {
        integrationKey: config.integrationKey,
        userId: config.applicationToken ? undefined : config.userId,
        audience: config.environment.audience,
        scopes: config.scopes,
        nowMs: io.now()
      }
      const assertion = await signAssertion(signer, claims, (input, signature) =>
        checkSignature(signer, key, input, signature)
      )
      io.secret(assertion)
      return new URLSearchParams({ grant_type: GRANT_TYPE, assertion }).toString()
    }
  })
  if (res.status !== 200) throw tokenError(res, errorContext(config, key, signer))

  const json = requireJson(res, WHAT)
  const token = json.access_token
  if (typeof token !== 'string' || !token) throw malformed(WHAT, 'access_token is missing or not a string')
  // Checked before it is registered: a secret's every line becomes a mask for the rest of the job.
  if (!VISIBLE_ASCII.test(token)) throw malformed(WHAT, 'access_token holds spaces or control characters')
  io.secret(token)
  const type = json.token_type
  if (type != null && type !== '' && (typeof type !== 'string' || type.toLowerCase() !== 'bearer')) {
    throw malformed(WHAT, "token_type is not 'Bearer'")
  }
  const raw = json.expires_in
  const expiresIn = typeof raw === 'number' || (typeof raw === 'string' && /^\d+$/.test(raw)) ? Number(raw) : NaN
  if (!Number.isInteger(expiresIn) || expiresIn <= 0 || expiresIn > MAX_EXPIRES_IN_S) {
    throw malformed(WHAT, `expires_in is missing or not a number of seconds from 1 to ${MAX_EXPIRES_IN_S} (a week)`)
  }
  return {
    accessToken: token,
    tokenType: 'Bearer',
    expiresIn,
    expiresAt: new Date(io.now() + expiresIn * 1000)
  }
}
