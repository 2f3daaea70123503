import { createWriteStream, readFileSync, renameSync, rmSync } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ActionError, NetworkError } from '../../core/errors.js'
import { isLoopback } from '../../core/environment.js'
import { Http, VISIBLE_ASCII, type OpenResponse } from '../../core/http.js'
import { GUID } from '../../core/identifiers.js'
import { DEFAULTS, derivedSecrets, parseInputs } from '../../core/inputs.js'
import { fieldsToJson } from '../../core/rest/body.js'
import { paginate } from '../../core/rest/paginate.js'
import { sendRest, type RestCall, type RestPolicy } from '../../core/rest/send.js'
import { restUrl, type RestSession } from '../../core/rest/target.js'
import { signIn } from '../../core/sign-in.js'
import { rawSetting } from '../settings.js'
import { UsageError } from '../usage-error.js'
import type { Context } from './context.js'

/** The variables `export-env: true` and `token --format shell` set: with all three, no sign-in. */
const SESSION_VARS = ['DOCUSIGN_ACCESS_TOKEN', 'DOCUSIGN_BASE_PATH', 'DOCUSIGN_ACCOUNT_ID'] as const
/** Flags that mean "sign in with these", whatever the environment holds. */
const SIGN_IN_FLAGS = [
  'integration-key',
  'user-id',
  'private-key-file',
  'environment',
  'scopes',
  'consent-redirect-uri'
]
/** Variables a sign-in is made of: with none of them set, there is nothing to sign in with. */
const SIGN_IN_VARS = [
  'DOCUSIGN_INTEGRATION_KEY',
  'DOCUSIGN_USER_ID',
  'DOCUSIGN_PRIVATE_KEY',
  'DOCUSIGN_PRIVATE_KEY_FILE'
]
/** Why only the token is missing after the Azure Pipelines task: a secret variable reaches a script only through env. */
const SECRET_NOT_MAPPED =
  "On Azure Pipelines, DocuSignJwt@1's DOCUSIGN_ACCESS_TOKEN is a secret variable, which reaches a script only when the step maps it: 'env: DOCUSIGN_ACCESS_TOKEN: $(DOCUSIGN_ACCESS_TOKEN)'."
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']

const strings = (value: unknown): string[] => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : [])

/** A session from the three exported variables, checked as a sign-in's answer would be. */
function exportedSession(env: Context['env'], accountFlag: string | undefined): RestSession {
  const token = env.DOCUSIGN_ACCESS_TOKEN!.trim()
  const basePath = env.DOCUSIGN_BASE_PATH!.trim().replace(/\/+$/, '')
  const accountId = (accountFlag ?? env.DOCUSIGN_ACCOUNT_ID!).trim()
  if (!VISIBLE_ASCII.test(token)) {
    throw new UsageError('DOCUSIGN_ACCESS_TOKEN holds spaces or control characters; it is not an access token.', 'api')
  }
  let url: URL | undefined
  try {
    url = new URL(basePath)
  } catch {
    url = undefined
  }
  const loopbackHttp = url?.protocol === 'http:' && isLoopback(url.hostname)
  if (!url || !(url.protocol === 'https:' || loopbackHttp) || url.username || url.password || url.search || url.hash) {
    throw new UsageError(
      'DOCUSIGN_BASE_PATH is not an https:// base path (such as https://demo.docusign.net/restapi; http:// only on a loopback host, for local tests).',
      'api'
    )
  }
  if (!GUID.test(accountId)) throw new UsageError('DOCUSIGN_ACCOUNT_ID (or --account-id) is not a GUID.', 'api')
  return { accessToken: token, basePath: url.href.replace(/\/+$/, ''), accountId: accountId.toLowerCase() }
}

/** Where the token comes from: sign-in flags, else the three exported variables, else a sign-in. */
async function session(context: Context): Promise<RestSession> {
  const { flags, env, read, term } = context
  const given = SESSION_VARS.filter(name => env[name]?.trim())
  const signInFlag = SIGN_IN_FLAGS.some(flag => flags[flag] !== undefined)
  if (!signInFlag && given.length === SESSION_VARS.length) {
    const exported = exportedSession(env, typeof flags['account-id'] === 'string' ? flags['account-id'] : undefined)
    term.secrets.add(exported.accessToken)
    return exported
  }
  if (!signInFlag && given.length > 0 && !SIGN_IN_VARS.some(name => env[name]?.trim())) {
    const missing = SESSION_VARS.filter(name => !given.includes(name))
    throw new UsageError(
      `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, while ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'}: give all three (the action's outputs access-token, base-path, account-id, or export-env: true), or the sign-in settings (DOCUSIGN_INTEGRATION_KEY, DOCUSIGN_USER_ID, DOCUSIGN_PRIVATE_KEY_FILE).${missing.length === 1 && missing[0] === 'DOCUSIGN_ACCESS_TOKEN' ? ` ${SECRET_NOT_MAPPED}` : ''}`,
      'api'
    )
  }
  // The REST API needs the account: a sign-in for api always looks it up.
  const config = parseInputs(name => (name === 'skip-account-lookup' ? 'false' : read(name)), env)
  derivedSecrets(config).forEach(secret => term.secrets.add(secret))
  const { token, account } = await signIn(config, term.io())
  return { accessToken: token.accessToken, basePath: account!.basePath, accountId: account!.accountId }
}

/** `Name: value` headers, never Authorization (the token goes only as this command sends it). */
function headers(values: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*)$/.exec(value)
    if (!match || /[\r\n\0]/.test(match[2])) {
      throw new UsageError("A --header is not 'Name: value' on one line.", 'api')
    }
    if (/^(authorization|host|content-length|transfer-encoding)$/i.test(match[1])) {
      throw new UsageError(`--header ${match[1]} is refused: this command sets it itself.`, 'api')
    }
    out[match[1]] = match[2]
  }
  return out
}

/** The request body: --input FILE or - (stdin), or --field values as one JSON object. */
async function body(context: Context): Promise<Buffer | undefined> {
  const { flags, stdin } = context
  const input = typeof flags.input === 'string' ? flags.input : undefined
  const fields = strings(flags.field)
  if (input !== undefined && fields.length) throw new UsageError('Give --input or --field, not both.', 'api')
  if (fields.length) return Buffer.from(JSON.stringify(fieldsToJson(fields)))
  if (input === undefined) return undefined
  if (input === '-') return stdin ? stdin() : Buffer.alloc(0)
  try {
    return readFileSync(input)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageError(
      `--input: cannot read the file given (${code === 'ENOENT' ? 'there is no such file' : (code ?? 'unreadable')}).`,
      'api'
    )
  }
}

function method(context: Context, hasBody: boolean): string {
  const given = typeof context.flags.method === 'string' ? context.flags.method.toUpperCase() : undefined
  if (given !== undefined && !METHODS.includes(given)) {
    throw new UsageError(`-X/--method must be one of ${METHODS.join(', ')}.`, 'api')
  }
  return given ?? (hasBody ? 'POST' : 'GET')
}

/** What curl -i shows: the status line and the headers as received, then a blank line. */
function head(res: OpenResponse): string {
  const lines = [`HTTP/${res.message.httpVersion} ${res.status} ${res.message.statusMessage ?? ''}`.trimEnd()]
  const raw = res.message.rawHeaders
  for (let i = 0; i < raw.length; i += 2) lines.push(`${raw[i]}: ${raw[i + 1]}`)
  return `${lines.join('\r\n')}\r\n\r\n`
}

/** A streamed body must keep coming: at least this much in every --timeout-seconds (2 KiB/s at the default 30 s). */
const MIN_BYTES_PER_WINDOW = 64 * 1024

/**
 * The body, passed on as it arrives, ended with an error when it slows below MIN_BYTES_PER_WINDOW in
 * any window of timeoutMs: the socket's idle limit alone lets a server drip a byte at a time for ever.
 */
function keepsComing(source: NodeJS.ReadableStream, timeoutMs: number): Readable {
  let received = 0
  const watch = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length
      done(null, chunk)
    },
    flush(done) {
      clearInterval(timer)
      done()
    }
  })
  const timer = setInterval(() => {
    if (received < MIN_BYTES_PER_WINDOW) {
      clearInterval(timer)
      const error = new Error(`the answer slowed below ${MIN_BYTES_PER_WINDOW / 1024} KiB in ${timeoutMs / 1000} s`)
      ;(source as Readable).destroy?.(error)
      watch.destroy(error)
    }
    received = 0
  }, timeoutMs)
  watch.on('close', () => clearInterval(timer))
  // A failing source fails the watch, so whoever reads the watch sees the error.
  pipeline(source, watch).catch(() => undefined)
  return watch
}

/** Streams the body into FILE: written under another name and renamed once whole, so a failure leaves nothing. */
async function toFile(source: NodeJS.ReadableStream, file: string): Promise<void> {
  const partial = `${file}.partial-${process.pid}`
  try {
    await pipeline(source, createWriteStream(partial, { mode: 0o600 }))
    renameSync(partial, file)
  } catch (error) {
    rmSync(partial, { force: true })
    throw broken(error)
  }
}

function broken(error: unknown): NetworkError {
  return new NetworkError(
    `The answer broke off mid-body (${Http.describe(error)}).`,
    'Try again; for a large download, check the network and raise --timeout-seconds.'
  )
}

/**
 * `api`: one authenticated call to the eSignature REST API, the answer's body on stdout (or in
 * --output) byte for byte. Messages, DocuSign's error text included, go to stderr through the border
 * and the scrubber; the token is never shown.
 */
export async function api(context: Context): Promise<number> {
  const { flags, args, term } = context
  if (/^true$/i.test(rawSetting('application-token', flags, context.env))) {
    throw new UsageError(
      "An application-access token (--application-token, DOCUSIGN_APPLICATION_TOKEN) is for DocuSign's Admin API, another host with its own paths; the eSignature API refuses it. Use docusign-jwt token --application-token and call the Admin API with it, or sign in as a user for api.",
      'api'
    )
  }
  const payload = await body(context)
  const verb = method(context, payload !== undefined)
  if (flags.paginate && verb !== 'GET') throw new UsageError('--paginate goes with GET.', 'api')
  const extra = headers(strings(flags.header))
  const query = strings(flags.query).map(pair => {
    const at = pair.indexOf('=')
    if (at < 1) throw new UsageError("A --query is not 'name=value'.", 'api')
    return [pair.slice(0, at), pair.slice(at + 1)] as [string, string]
  })
  const rest = await session(context)
  const call: RestCall = {
    method: verb,
    url: restUrl(args[0], rest, query),
    headers: {
      Accept: 'application/json',
      ...(payload !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...extra,
      // Byte for byte, as DocuSign sends it: no compression to undo.
      'Accept-Encoding': 'identity',
      Authorization: `Bearer ${rest.accessToken}`
    },
    body: payload
  }
  const timeoutMs = Number(flags['timeout-seconds'] ?? DEFAULTS['timeout-seconds']) * 1000
  const maxAttempts = Number(flags['max-attempts'] ?? DEFAULTS['max-attempts'])
  if (!(timeoutMs >= 1000 && timeoutMs <= 600_000) || !(maxAttempts >= 1 && maxAttempts <= 10)) {
    throw new UsageError('--timeout-seconds must be 1 to 600 and --max-attempts 1 to 10.', 'api')
  }
  const io = term.io()
  const http = new Http({ timeoutMs, maxAttempts, debug: io.debug })
  const policy: RestPolicy = { timeoutMs, maxAttempts, warn: line => term.error(line), debug: io.debug, now: Date.now }
  const output = typeof flags.output === 'string' ? flags.output : undefined
  try {
    if (flags.paginate) {
      const merged = await paginate(http, call, rest, policy)
      if (output) await toFile(Readable.from([merged]), output)
      else await term.write(merged)
      return 0
    }
    const res = await sendRest(http, call, policy)
    if (flags.include) await term.write(Buffer.from(head(res)))
    const body = keepsComing(res.message, timeoutMs)
    if (output) await toFile(body, output)
    else
      await term.write(body).catch((error: unknown) => {
        if (error instanceof ActionError) throw error
        throw broken(error)
      })
    return 0
  } finally {
    http.close()
  }
}
