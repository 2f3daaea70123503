import { describeEnvironment } from './environment.js'
import { Http } from './http.js'
import type { Config } from './inputs.js'
import type { Io } from './io.js'
import { openSigner } from './signers/open.js'
import type { PublicKeyInfo } from './signers/signer.js'
import { requestToken, type Token } from './token.js'
import { lookUpAccount, type Account } from './userinfo.js'

export interface SignInResult {
  token: Token
  /** Absent with skip-account-lookup, and for an application-access token. */
  account?: Account
  /** The signing key's public half and what it is called: for logs, summaries and checks. */
  key: PublicKeyInfo & { description: string }
}

/** The whole JWT Grant: the signer, the token, then (unless skipped) the account. Knows nothing of the runner. */
export async function signIn(config: Config, io: Io): Promise<SignInResult> {
  const { environment: env } = config
  const who = config.applicationToken
    ? 'as the application itself (an application-access token, for the Admin API only)'
    : `as user ${config.userId}`
  io.info(
    `Signing in to ${describeEnvironment(env)} (${env.audience}) with integration key ${config.integrationKey} ${who}`
  )

  const http = new Http({ timeoutMs: config.timeoutMs, maxAttempts: config.maxAttempts, debug: io.debug })
  try {
    const signer = await openSigner(config, { env: io.env, io, http })
    const publicKey = await signer.publicKey()
    const key = { ...publicKey, description: signer.description }
    io.info(
      `Scopes: ${config.scopes.join(' ')}; ${signer.description}: RSA ${key.bits}-bit, public-key SHA-256 ${key.fingerprint}`
    )
    const token = await requestToken(config, signer, publicKey, io, http)
    io.info(
      `Access token issued: ${token.tokenType}, expires in ${token.expiresIn} s (${token.expiresAt.toISOString()})${config.applicationToken ? '; an application-access token: it calls the Admin API only, not the eSignature API' : ''}`
    )
    if (config.skipAccountLookup) return { token, key }

    const account = await lookUpAccount(env, token.accessToken, config.accountId, http)
    io.info(`Account: ${account.accountName || '(no name)'} (${account.accountId}), REST base path ${account.basePath}`)
    return { token, account, key }
  } finally {
    http.close()
  }
}
