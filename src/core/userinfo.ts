import { malformed, requireJson } from './answer.js'
import { userinfoError } from './docusign-errors.js'
import { describeEnvironment, restBase, type Environment } from './environment.js'
import { DocuSignError } from './errors.js'
import { boundedList, inert } from './outside.js'
import { GUID } from './identifiers.js'
import { setting, subject } from './settings.js'
import type { Http } from './http.js'

export interface Account {
  accountId: string
  /** Inert (see outside.ts): it is shown in logs and summaries. */
  accountName: string
  /** The parsed origin of the account's base_uri, e.g. https://demo.docusign.net */
  baseUri: string
  /** baseUri + /restapi: where eSignature REST calls go. */
  basePath: string
  isDefault: boolean
}

/** An account as listed, before one is chosen: a bad base_uri is refused only if its account is. */
interface Candidate extends Account {
  baseUriProblem?: string
  rawBaseUri: string
}

const WHAT = 'account lookup (/oauth/userinfo)'

function toAccount(raw: unknown, env: Environment): Candidate | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const a = raw as Record<string, unknown>
  if (typeof a.account_id !== 'string' || !GUID.test(a.account_id) || typeof a.base_uri !== 'string') return undefined
  const base = restBase(env, a.base_uri)
  const origin = 'origin' in base ? base.origin : ''
  return {
    accountId: a.account_id.toLowerCase(),
    accountName: typeof a.account_name === 'string' ? inert(a.account_name) : '',
    baseUri: origin,
    basePath: origin && `${origin}/restapi`,
    isDefault: a.is_default === true || a.is_default === 'true',
    baseUriProblem: 'problem' in base ? base.problem : undefined,
    rawBaseUri: a.base_uri
  }
}

function list(accounts: Account[]): string {
  return boundedList(accounts.map(a => `${a.accountId}${a.accountName ? ` (${a.accountName})` : ''}`))
}

/** The chosen account, if DocuSign named a base_uri later steps may send the token to. */
function usable(candidate: Candidate, env: Environment): Account {
  const { baseUriProblem, rawBaseUri, ...account } = candidate
  if (!baseUriProblem) return account
  throw new DocuSignError(
    'malformed',
    `DocuSign's account lookup gave account ${account.accountId} the base_uri '${inert(rawBaseUri)}', which ${baseUriProblem}: later steps would send the token there.`,
    `Check that ${setting('environment')} points at DocuSign (${describeEnvironment(env)}) and that no proxy rewrites its answers; set ${setting('account-id')} to another account, or turn on ${setting('skip-account-lookup')} if you only need the token.`,
    200,
    undefined,
    { topic: 'base-uri-refused' }
  )
}

/** The account to use: the one asked for, else the user's default, else the only one. */
export function chooseAccount(rawAccounts: unknown, wanted: string | undefined, env: Environment): Account {
  if (!Array.isArray(rawAccounts)) throw malformed(WHAT, 'accounts is missing or not a list')
  const accounts = rawAccounts.map(a => toAccount(a, env)).filter((a): a is Candidate => a !== undefined)
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
    const match = accounts.find(a => a.accountId === wanted)
    if (match) return usable(match, env)
    throw new DocuSignError(
      'refused',
      `${subject('account-id')} ${wanted} is not one of the user's accounts in ${describeEnvironment(env)}${note}.`,
      `Set ${setting('account-id')} to one of: ${list(accounts)}; or leave it empty for the default account.`,
      200
    )
  }
  const chosen = accounts.find(a => a.isDefault) ?? (accounts.length === 1 ? accounts[0] : undefined)
  if (chosen) return usable(chosen, env)
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
  if (res.status !== 200) throw userinfoError(res, WHAT)
  return chooseAccount(requireJson(res, WHAT).accounts, wanted, env)
}
