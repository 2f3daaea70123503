import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ActionError, NetworkError } from '../../core/errors.js'
import { isDocuSignHost, isLoopback, resolveEnvironment } from '../../core/environment.js'
import { inert } from '../../core/outside.js'
import { Http, VISIBLE_ASCII, type OpenResponse } from '../../core/http.js'
import { GUID } from '../../core/identifiers.js'
import { DEFAULTS, derivedSecrets, parseInputs } from '../../core/inputs.js'
import { answerLost, isAccepted } from '../../core/rest/accepted.js'
import { checkJsonBody, fieldsToJson } from '../../core/rest/body.js'
import { deliver, DeliveryError, openInPlace, outputTarget, type OutputTarget } from '../../core/rest/output.js'
import { paginate } from '../../core/rest/paginate.js'
import { sendRest, type RestCall, type RestPolicy } from '../../core/rest/send.js'
import { restUrl, shownPath, type RestSession } from '../../core/rest/target.js'
import { signIn } from '../../core/sign-in.js'
import { ciSystem } from '../../core/ci-system.js'
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
/**
 * What a sign-in signs with: with none of them set there is nothing to sign in with, even where the
 * identifiers are (plain pipeline or project variables reach every step's environment).
 */
const SIGN_IN_VARS = ['DOCUSIGN_PRIVATE_KEY', 'DOCUSIGN_PRIVATE_KEY_FILE', 'DOCUSIGN_SIGNING_KEY']
/** Why only the token is missing after the Azure Pipelines task: a secret variable reaches a script only through env. */
const SECRET_NOT_MAPPED =
  "On Azure Pipelines, DocuSignJwt@1's DOCUSIGN_ACCESS_TOKEN is a secret variable, which reaches a script only when the step maps it: 'env: DOCUSIGN_ACCESS_TOKEN: $(DOCUSIGN_ACCESS_TOKEN)'."
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']

const strings = (value: unknown): string[] => (Array.isArray(value) ? value : typeof value === 'string' ? [value] : [])

/** A base path given with a version (…/restapi/v2.1): the version belongs to the PATH. */
const VERSION_END = /\/v2(\.1)?$/

/**
 * DOCUSIGN_BASE_PATH, checked before the token goes there: its shape (a base URI without /restapi, a
 * version at the end: refused with the corrected value) and its host. Since any step may set the
 * variable, the token goes only to a DocuSign REST host (the rule the sign-in applies to base_uri),
 * a loopback host, or the host of a custom DOCUSIGN_ENVIRONMENT given to the step.
 */
function basePathOf(value: string, env: Context['env']): URL {
  let url: URL | undefined
  try {
    url = new URL(value)
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
  const path = url.pathname.replace(/\/+$/, '')
  if (!path || VERSION_END.test(path)) {
    const corrected = `${url.origin}${path.replace(VERSION_END, '') || '/restapi'}`
    throw new UsageError(
      `DOCUSIGN_BASE_PATH ${path ? 'ends in a version' : 'is a base URI without the REST path'}: set it to ${inert(corrected)} (the action's base-path output, not base-uri; the version goes in the PATH).`,
      'api'
    )
  }
  let custom: string | undefined
  try {
    const environment = env.DOCUSIGN_ENVIRONMENT?.trim()
      ? resolveEnvironment(env.DOCUSIGN_ENVIRONMENT.trim())
      : undefined
    custom = environment?.name === 'custom' ? new URL(environment.oauthBase).hostname : undefined
  } catch {
    custom = undefined
  }
  if (!isDocuSignHost(url.hostname) && !isLoopback(url.hostname) && url.hostname !== custom) {
    throw new UsageError(
      `DOCUSIGN_BASE_PATH names ${inert(url.hostname)}, not a DocuSign host (*.docusign.net, *.docusign.com): the token is sent nowhere else. Use the base-path the sign-in gave; for a server of your own, give its URL in DOCUSIGN_ENVIRONMENT too.`,
      'api'
    )
  }
  return url
}

/** A session from the three exported variables, checked as a sign-in's answer would be. */
function exportedSession(env: Context['env'], accountFlag: string | undefined): RestSession {
  const token = env.DOCUSIGN_ACCESS_TOKEN!.trim()
  const url = basePathOf(env.DOCUSIGN_BASE_PATH!.trim(), env)
  const accountId = (accountFlag ?? env.DOCUSIGN_ACCOUNT_ID!).trim()
  if (!VISIBLE_ASCII.test(token)) {
    throw new UsageError('DOCUSIGN_ACCESS_TOKEN holds spaces or control characters; it is not an access token.', 'api')
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
    const tokenOnly = missing.length === 1 && missing[0] === 'DOCUSIGN_ACCESS_TOKEN'
    const state = `${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, while ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'}`
    // On Azure Pipelines the one likely cause is the unmapped secret: GitHub's advice would mislead.
    if (tokenOnly && ciSystem(env) === 'azure') throw new UsageError(`${state}. ${SECRET_NOT_MAPPED}`, 'api')
    throw new UsageError(
      `${state}: give all three (the action's outputs access-token, base-path, account-id, or export-env: true), or the sign-in settings (DOCUSIGN_INTEGRATION_KEY, DOCUSIGN_USER_ID, DOCUSIGN_PRIVATE_KEY_FILE).${tokenOnly ? ` ${SECRET_NOT_MAPPED}` : ''}`,
      'api'
    )
  }
  // The REST API needs the account: a sign-in for api always looks it up.
  const config = parseInputs(name => (name === 'skip-account-lookup' ? 'false' : read(name)), env)
  derivedSecrets(config).forEach(secret => term.secrets.add(secret))
  const { token, account } = await signIn(config, term.io())
  return { accessToken: token.accessToken, basePath: account!.basePath, accountId: account!.accountId }
}

/** A header value HTTP allows (RFC 9110 field-value): visible characters, spaces, tabs, no control character. */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/

/** `Name: value` headers, never Authorization (the token goes only as this command sends it). */
function headers(values: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const value of values) {
    const match = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/s.exec(value)
    if (!match || !HEADER_VALUE.test(match[2])) {
      throw new UsageError(
        "A --header is not 'Name: value' with a name and a value HTTP allows (no control characters, no line breaks).",
        'api'
      )
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

/**
 * The answer fenced for the Actions runner: between `::stop-commands::TOKEN` and `::TOKEN::`, with a
 * token no answer can guess, nothing in it runs as a workflow command (the runner's documented way
 * to print untrusted text). Both start a line of their own: the runner reads `::` only at a line's
 * start, and what ran before in the step (`printf 'List: '`) may have left stdout mid-line.
 */
async function* fenced(parts: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const token = randomBytes(16).toString('hex')
  yield Buffer.from(`\n::stop-commands::${token}\n`)
  let last = 0x0a
  for await (const chunk of parts) {
    if (chunk.length) last = chunk[chunk.length - 1]
    yield chunk
  }
  yield Buffer.from(`${last === 0x0a ? '' : '\n'}::${token}::\n`)
}

async function* joined(...parts: AsyncIterable<Buffer>[]): AsyncGenerator<Buffer> {
  for (const part of parts) for await (const chunk of part) yield Buffer.from(chunk)
}

/** What the command does with an answer that could not be delivered whole, by whether DocuSign took the request. */
function undelivered(
  error: DeliveryError,
  what: string,
  target: OutputTarget | undefined,
  res: OpenResponse | undefined,
  accepted: boolean,
  /** Where the body went whole when only -i's head was lost. */
  saved?: string
): ActionError | 'quiet' {
  const code = (error.cause as NodeJS.ErrnoException)?.code
  const where = target ? `-o ${target.shown}` : 'stdout'
  const why =
    error.side === 'read'
      ? `it broke off after ${error.arrived.bytes} bytes (${Http.describe(error.cause)})`
      : `${where} could not be written (${Http.describe(error.cause)})`
  if (accepted && res) return answerLost(what, res, error.arrived.head, why, error.kept ?? saved)
  // A reader that closed early (| head) wanted no more: as any command in a pipe, say nothing.
  if (error.side === 'write' && !target && code === 'EPIPE') return 'quiet'
  if (error.side === 'read') {
    return new NetworkError(
      `The answer to ${what} ${why}.`,
      'Try again; for a large download, check the network and raise --timeout-seconds.'
    )
  }
  return new ActionError(
    'unavailable',
    `The answer to ${what} arrived, but ${why}.`,
    `Make room, or name another file with -o, then run it again: a ${what.split(' ')[0]} changes nothing.`,
    'api-usage'
  )
}

/**
 * `api`: one authenticated call to the eSignature REST API, the answer's body on stdout (or in
 * --output) byte for byte. Messages, DocuSign's error text included, go to stderr through the border
 * and the scrubber; the token is never shown. Everything that can be checked here is checked before
 * anything is sent; a request DocuSign accepted is never reported as one to try again (exit 6).
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
  const sent = payload === undefined ? undefined : checkJsonBody(payload, extra)
  const query = strings(flags.query).map(pair => {
    const at = pair.indexOf('=')
    if (at < 1) throw new UsageError("A --query is not 'name=value'.", 'api')
    return [pair.slice(0, at), pair.slice(at + 1)] as [string, string]
  })
  const timeoutMs = Number(flags['timeout-seconds'] ?? DEFAULTS['timeout-seconds']) * 1000
  const maxAttempts = Number(flags['max-attempts'] ?? DEFAULTS['max-attempts'])
  if (!(timeoutMs >= 1000 && timeoutMs <= 600_000) || !(maxAttempts >= 1 && maxAttempts <= 10)) {
    throw new UsageError('--timeout-seconds must be 1 to 600 and --max-attempts 1 to 10.', 'api')
  }
  const target = typeof flags.output === 'string' ? outputTarget(flags.output) : undefined
  const logSafe = flags['log-safe'] === true
  if (logSafe && target)
    throw new UsageError('--log-safe fences what goes to stdout: leave out -o, or --log-safe.', 'api')
  if (target) await openInPlace(target)
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
    body: sent
  }
  const what = `${verb} ${shownPath(call.url)}`
  const io = term.io()
  const http = new Http({ timeoutMs, maxAttempts, debug: io.debug })
  const policy: RestPolicy = { timeoutMs, maxAttempts, warn: line => term.error(line), debug: io.debug, now: Date.now }
  let res: OpenResponse | undefined
  const parts: [AsyncIterable<Buffer>, OutputTarget | undefined][] = []
  try {
    if (flags.paginate) parts.push([Readable.from(await paginate(http, call, rest, policy)), target])
    else {
      res = await sendRest(http, call, policy)
      const body = keepsComing(res.message, timeoutMs)
      const shownHead = flags.include ? [Readable.from([Buffer.from(head(res))])] : []
      if (target) parts.push(...shownHead.map(h => [h, undefined] as [Readable, undefined]), [body, target])
      else parts.push([joined(...shownHead, body), undefined])
    }
    const accepted = res !== undefined && isAccepted(verb, res.status)
    let headLost: DeliveryError | undefined
    for (const [source, to] of parts) {
      const fencedSource = Readable.from(logSafe && !to ? fenced(source) : source)
      try {
        await deliver(fencedSource, to, term.answerStream(), accepted)
      } catch (error) {
        if (!(error instanceof DeliveryError)) throw error
        // -i's head on stdout failing still leaves the body its -o file: deliver that, then tell.
        if (!to && target) {
          headLost = error
          continue
        }
        const outcome = undelivered(error, what, to, res, accepted)
        if (outcome === 'quiet') return 0
        throw outcome
      }
    }
    if (headLost && (headLost.cause as NodeJS.ErrnoException)?.code !== 'EPIPE') {
      const outcome = undelivered(headLost, what, undefined, res, accepted, target?.shown)
      if (outcome !== 'quiet') throw outcome
    }
    return 0
  } finally {
    http.close()
  }
}
