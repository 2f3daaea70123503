import { describeEnvironment } from './environment.js'
import { Http } from './http.js'
import type { Config } from './inputs.js'
import type { Io } from './io.js'
import { requestToken, type Token } from './token.js'
import { lookUpAccount, type Account } from './userinfo.js'

export interface SignInResult {
  token: Token
  /** Absent with skip-account-lookup. */
  account?: Account
}

/** The whole JWT Grant: token, then (unless skipped) the account. Knows nothing of the runner. */
export async function signIn(config: Config, io: Io): Promise<SignInResult> {
  const { environment: env, privateKey: key } = config
  io.info(
    `Signing in to ${describeEnvironment(env)} (${env.audience}) with integration key ${config.integrationKey} as user ${config.userId}`
  )
  io.info(`Scopes: ${config.scopes.join(' ')}; RSA ${key.bits}-bit key, public-key SHA-256 ${key.fingerprint}`)

  const http = new Http({ timeoutMs: config.timeoutMs, maxAttempts: config.maxAttempts, debug: io.debug })
  try {
    const token = await requestToken(config, io, http)
    io.info(
      `Access token issued: ${token.tokenType}, expires in ${token.expiresIn} s (${token.expiresAt.toISOString()})`
    )
    if (config.skipAccountLookup) return { token }

    const account = await lookUpAccount(env, token.accessToken, config.accountId, http)
    io.info(`Account: ${account.accountName || '(no name)'} (${account.accountId}), REST base path ${account.basePath}`)
    return { token, account }
  } finally {
    http.close()
  }
}
