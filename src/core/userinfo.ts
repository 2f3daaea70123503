import { malformed, requireJson, tryJson } from './answer.js'
import { errorLabel, unexpectedAnswer } from './docusign-errors.js'
import { describeEnvironment, type Environment } from './environment.js'
import { DocuSignError } from './errors.js'
import { setting, subject } from './settings.js'
import type { Http } from './http.js'

export interface Account {
  accountId: string
  accountName: string
  /** The account's base_uri, e.g. https://demo.docusign.net */
  baseUri: string
  /** baseUri + /restapi: where eSignature REST calls go. */
  basePath: string
  isDefault: boolean
}

const WHAT = 'account lookup (/oauth/userinfo)'

function toAccount(raw: unknown): Account | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const a = raw as Record<string, unknown>
  if (typeof a.account_id !== 'string' || !a.account_id || typeof a.base_uri !== 'string') return undefined
  let base: URL
  try {
    base = new URL(a.base_uri)
  } catch {
    return undefined
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') return undefined
  const baseUri = a.base_uri.replace(/\/+$/, '')
  return {
    accountId: a.account_id,
    accountName: typeof a.account_name === 'string' ? a.account_name : '',
    baseUri,
    basePath: `${baseUri}/restapi`,
    isDefault: a.is_default === true || a.is_default === 'true'
  }
}

function list(accounts: Account[]): string {
  return accounts.map(a => `${a.accountId}${a.accountName ? ` (${a.accountName})` : ''}`).join(', ')
}

/** The account to use: the one asked for, else the user's default, else the only one. */
export function chooseAccount(rawAccounts: unknown, wanted: string | undefined, env: Environment): Account {
  if (!Array.isArray(rawAccounts)) throw malformed(WHAT, 'accounts is missing or not a list')
  const accounts = rawAccounts.map(toAccount).filter((a): a is Account => a !== undefined)
  const skipped = rawAccounts.length - accounts.length
  const note = skipped ? ` (${skipped} malformed account entr${skipped > 1 ? 'ies' : 'y'} ignored)` : ''
  if (accounts.length === 0) {
    throw new DocuSignError(
      'refused',
      `The user has no usable DocuSign account in ${describeEnvironment(env)}${note}.`,
      `Add the user to an account in this environment, or turn on ${setting('skip-account-lookup')} if you only need the token.`,
      200
    )
  }
  if (wanted) {
    const match = accounts.find(a => a.accountId.toLowerCase() === wanted)
    if (match) return match
    throw new DocuSignError(
      'refused',
      `${subject('account-id')} ${wanted} is not one of the user's accounts in ${describeEnvironment(env)}${note}.`,
      `Set ${setting('account-id')} to one of: ${list(accounts)}; or leave it empty for the default account.`,
      200
    )
  }
  const chosen = accounts.find(a => a.isDefault) ?? (accounts.length === 1 ? accounts[0] : undefined)
  if (chosen) return chosen
  throw new DocuSignError(
    'refused',
    `The user has ${accounts.length} accounts and none is marked default${note}.`,
    `Set ${setting('account-id')} to one of: ${list(accounts)}.`,
    200
  )
}

/** One GET /oauth/userinfo (DocuSign rate-limits it per user and hour), then the account choice. */
export async function lookUpAccount(
  env: Environment,
  accessToken: string,
  wanted: string | undefined,
  http: Http
): Promise<Account> {
  const res = await http.send({
    method: 'GET',
    url: `${env.oauthBase}/oauth/userinfo`,
    headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' }
  })
  if (res.status !== 200) {
    throw unexpectedAnswer(WHAT, res.status, errorLabel(tryJson(res) ?? {}))
  }
  return chooseAccount(requireJson(res, WHAT).accounts, wanted, env)
}
