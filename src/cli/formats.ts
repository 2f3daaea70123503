import { setVariableLines } from '../azure/variables.js'
import type { SignInResult } from '../core/sign-in.js'
import type { Format } from './args.js'

/** A value in single quotes for a POSIX shell: literal, whatever it holds; a ' becomes '\''. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/**
 * What `token` prints on stdout: the token alone, one JSON object, `export` lines for eval, or the
 * Azure Pipelines task's setvariable lines (outputs too in a named step: system.taskInstanceName).
 */
export function formatResult(
  result: SignInResult,
  format: Format,
  env: Record<string, string | undefined> = {}
): string {
  const { token, account } = result
  switch (format) {
    case 'azure-pipelines':
      return setVariableLines(result, Boolean(env.SYSTEM_TASKINSTANCENAME))
    case 'json':
      return `${JSON.stringify({
        access_token: token.accessToken,
        token_type: token.tokenType,
        expires_in: token.expiresIn,
        expires_at: token.expiresAt.toISOString(),
        ...(account && {
          account_id: account.accountId,
          account_name: account.accountName,
          base_uri: account.baseUri,
          base_path: account.basePath
        })
      })}\n`
    case 'shell': {
      const vars: [string, string][] = [['DOCUSIGN_ACCESS_TOKEN', token.accessToken]]
      if (account) vars.push(['DOCUSIGN_ACCOUNT_ID', account.accountId], ['DOCUSIGN_BASE_PATH', account.basePath])
      return vars.map(([name, value]) => `export ${name}=${shellQuote(value)}\n`).join('')
    }
    default:
      return `${token.accessToken}\n`
  }
}
