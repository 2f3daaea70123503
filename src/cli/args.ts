import { parseArgs } from 'node:util'
import { KEY_FILE_FLAG, KEY_FILE_VAR, KEY_VAR, keyWherePathBelongs, looksLikeKey, type FlagValues } from './settings.js'
import { UsageError } from './usage-error.js'

/**
 * The command line, read with Node's own util.parseArgs: a command, then its options. Messages about
 * a bad command line name the option, never the value given (it may be a secret pasted in the wrong
 * place).
 */
export const COMMANDS = ['token', 'check', 'consent-url', 'api'] as const
export type Command = (typeof COMMANDS)[number]
export const FORMATS = ['token', 'json', 'shell', 'azure-pipelines'] as const
export type Format = (typeof FORMATS)[number]

type OptionSpec = { type: 'string' | 'boolean'; short?: string; multiple?: boolean }

const HELP: Record<string, OptionSpec> = { help: { type: 'boolean', short: 'h' } }
const string: OptionSpec = { type: 'string' }
const boolean: OptionSpec = { type: 'boolean' }

/** The settings that say which consent to ask for: all consent-url needs. */
const CONSENT_SETTINGS = {
  'integration-key': string,
  environment: string,
  scopes: string,
  'consent-redirect-uri': string
}

/** Everything a sign-in needs, as the action's inputs, and the key's file. */
const SIGN_IN_SETTINGS = {
  ...CONSENT_SETTINGS,
  'user-id': string,
  'signing-key': string,
  'application-token': boolean,
  'account-id': string,
  'skip-account-lookup': boolean,
  'timeout-seconds': string,
  'max-attempts': string,
  'private-key-file': string,
  verbose: boolean
}

const many: OptionSpec = { type: 'string', multiple: true }

/** `api`'s own options, with gh api's and curl's short forms where they have them. */
const API_OPTIONS = {
  method: { type: 'string', short: 'X' },
  header: { type: 'string', short: 'H', multiple: true },
  include: { type: 'boolean', short: 'i' },
  output: { type: 'string', short: 'o' },
  input: string,
  field: many,
  query: many,
  paginate: boolean,
  'log-safe': boolean
} satisfies Record<string, OptionSpec>

const OPTIONS: Record<Command, Record<string, OptionSpec>> = {
  token: { ...HELP, ...SIGN_IN_SETTINGS, format: string },
  check: { ...HELP, ...SIGN_IN_SETTINGS, open: boolean, wait: boolean, 'wait-seconds': string },
  'consent-url': { ...HELP, ...CONSENT_SETTINGS, admin: boolean },
  api: { ...HELP, ...SIGN_IN_SETTINGS, ...API_OPTIONS }
}

/** Commands that take words besides their options: how many. */
const POSITIONALS: Partial<Record<Command, { name: string; count: number }>> = { api: { name: 'PATH', count: 1 } }

export const WAIT_SECONDS_DEFAULT = 300
/** How often --wait tries again: one token request each time, cheap for DocuSign and quick for the person. */
export const WAIT_INTERVAL_MS = 3000
const WAIT_SECONDS_MAX = 3600

export type CommandLine =
  | { kind: 'help'; command?: Command }
  | { kind: 'version' }
  | { kind: 'run'; command: Command; flags: FlagValues; args: string[] }

export const KEY_REFUSED =
  `--private-key is refused: a private key is never taken from the command line, because command lines end up in shell history and in process lists (ps), where other users and logs can read them. ` +
  `Give the key's file with ${KEY_FILE_FLAG} PATH (or ${KEY_FILE_VAR}=PATH), or the key itself in the environment variable ${KEY_VAR}.`

/** An option as a message may show it: its name when it reads like one (a secret does not), else nothing. */
function shown(rawName: string): string {
  return /^--?[a-z][a-z-]{0,29}$/.test(rawName) ? `'${rawName}'` : 'an option'
}

function isCommand(word: string): word is Command {
  return (COMMANDS as readonly string[]).includes(word)
}

/** Refuses --private-key VALUE and --private-key=VALUE anywhere before a `--`, before any other check. */
function refuseKeyOnCommandLine(argv: string[]): void {
  for (const arg of argv) {
    if (arg === '--') return
    if (arg === '--private-key' || arg.startsWith('--private-key=')) {
      throw new UsageError(KEY_REFUSED, isCommand(argv[0]) ? argv[0] : undefined)
    }
  }
}

/** Checks the tokens util.parseArgs read, with messages that name options and never echo values. */
function checkTokens(command: Command, args: string[]): { flags: FlagValues; positionals: string[] } {
  const options = OPTIONS[command]
  const words = POSITIONALS[command]
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true })
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (words) continue
      throw new UsageError(`'${command}' takes no arguments besides its options; remove the extra word.`, command)
    }
    if (token.kind === 'option-terminator') continue
    const spec = options[token.name]
    if (!spec) throw new UsageError(`${shown(token.rawName)} is not an option of '${command}'.`, command)
    if (spec.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`--${token.name} takes no value.`, command)
    }
    if (
      spec.type === 'string' &&
      (token.value === undefined || (!token.inlineValue && token.value.startsWith('-') && token.value !== '-'))
    ) {
      // `--private-key-file "$(cat key)"`: a PEM starts with '-', and the =VALUE advice would put it on the command line.
      const next = token.value ?? args[token.index + 1]
      if (token.name === 'private-key-file' && next !== undefined && looksLikeKey(next)) {
        throw new UsageError(keyWherePathBelongs('flag'), command)
      }
      throw new UsageError(
        `--${token.name} needs a value (for a value that starts with '-', write --${token.name}=VALUE).`,
        command
      )
    }
  }
  const { values, positionals } = parseArgs({ args, options, strict: true, allowPositionals: words !== undefined })
  if (words && !values.help && positionals.length !== words.count) {
    throw new UsageError(
      positionals.length < words.count
        ? `'${command}' needs its ${words.name}: e.g. docusign-jwt ${command} '/envelopes?from_date=2026-01-01'`
        : `'${command}' takes one ${words.name}; quote a PATH that holds spaces or & (e.g. '/envelopes?a=1&b=2').`,
      command
    )
  }
  return { flags: values as FlagValues, positionals }
}

function checkValues(command: Command, flags: FlagValues): void {
  const format = flags.format
  if (typeof format === 'string' && !(FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of: ${FORMATS.join(', ')}.`, command)
  }
  const waitSeconds = flags['wait-seconds']
  if (typeof waitSeconds === 'string') {
    if (!flags.wait) throw new UsageError('--wait-seconds goes with --wait.', command)
    const n = /^\d+$/.test(waitSeconds) ? Number(waitSeconds) : NaN
    if (!(n >= 1 && n <= WAIT_SECONDS_MAX)) {
      throw new UsageError(`--wait-seconds must be a whole number from 1 to ${WAIT_SECONDS_MAX}.`, command)
    }
  }
}

/** Reads argv (without node and the script): `<command> [options]`, `--help`, `--version`, `help [command]`. */
export function parseCommandLine(argv: string[]): CommandLine {
  refuseKeyOnCommandLine(argv)
  const [first, ...rest] = argv
  if (first === undefined) throw new UsageError('Give a command: token, check, consent-url or api.')
  if (first === '--help' || first === '-h') return { kind: 'help' }
  if (first === '--version' || first === '-V') return { kind: 'version' }
  if (first === 'help') {
    if (rest.length === 0) return { kind: 'help' }
    if (rest.length === 1 && isCommand(rest[0])) return { kind: 'help', command: rest[0] }
    throw new UsageError('help takes one command name: token, check, consent-url or api.')
  }
  if (!isCommand(first)) {
    const what = first.startsWith('-')
      ? `${shown(first)} before a command`
      : /^[a-z][a-z-]{0,19}$/.test(first)
        ? `the unknown command '${first}'`
        : 'an unknown command'
    throw new UsageError(`Got ${what}; the commands are token, check, consent-url and api.`)
  }
  const { flags, positionals } = checkTokens(first, rest)
  if (flags.help) return { kind: 'help', command: first }
  checkValues(first, flags)
  return { kind: 'run', command: first, flags, args: positionals }
}
