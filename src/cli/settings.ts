import {
  KEY_FILE_TOO_LARGE,
  KEY_FILE_WAIT_MS,
  readCredentialFile,
  UnreadableFileError
} from '../core/credential-file.js'
import type { InputReader } from '../core/inputs.js'
import { inert } from '../core/outside.js'
import type { Secrets } from '../core/secrets.js'
import type { Setting, Spelling } from '../core/settings.js'
import { ciSystem } from '../core/ci-system.js'
import type { InputError } from '../core/errors.js'
import { undefinedVariable } from '../core/pipeline-macro.js'
import { UsageError } from './usage-error.js'

/**
 * The terminal's spelling of the action's settings: each has a flag, and some an environment
 * variable; a flag wins over its variable. The private key is the exception: it comes from a file
 * (--private-key-file, DOCUSIGN_PRIVATE_KEY_FILE) or DOCUSIGN_PRIVATE_KEY, never from a flag's value.
 */
export const ENV_VARS: Partial<Record<Setting, string>> = {
  'integration-key': 'DOCUSIGN_INTEGRATION_KEY',
  'user-id': 'DOCUSIGN_USER_ID',
  environment: 'DOCUSIGN_ENVIRONMENT',
  scopes: 'DOCUSIGN_SCOPES',
  'account-id': 'DOCUSIGN_ACCOUNT_ID',
  'signing-key': 'DOCUSIGN_SIGNING_KEY',
  'application-token': 'DOCUSIGN_APPLICATION_TOKEN'
}
export const KEY_VAR = 'DOCUSIGN_PRIVATE_KEY'
export const KEY_FILE_VAR = 'DOCUSIGN_PRIVATE_KEY_FILE'
export const KEY_FILE_FLAG = '--private-key-file'

/** Where the private key comes from, as a message names it. */
export type KeySource =
  { from: 'flag'; path: string } | { from: 'file-var'; path: string } | { from: 'var' } | { from: 'none' }

/** Flag values as parsed: strings for settings, true for a boolean flag given. */
export type FlagValues = Record<string, string | boolean | string[] | undefined>
export type Env = Record<string, string | undefined>

/**
 * A key file's path as messages show it. A key pasted where its path belongs (the flag's value, the
 * variable) would otherwise be repeated: so only something shaped like a path is shown.
 */
export function shownPath(path: string): string {
  const pathLike = path.length <= 200 && !/[\r\n\t]/.test(path) && !path.includes('-----')
  return pathLike ? inert(path) : 'the path given (which does not look like a path)'
}

export function keySource(flags: FlagValues, env: Env): KeySource {
  const flagPath = flags['private-key-file']
  if (typeof flagPath === 'string') {
    if (!flagPath) throw new UsageError(`${KEY_FILE_FLAG} needs the path of the key file.`)
    return { from: 'flag', path: flagPath }
  }
  const filePath = env[KEY_FILE_VAR] ?? ''
  const key = env[KEY_VAR] ?? ''
  if (filePath && key) {
    throw new UsageError(
      `Both ${KEY_VAR} and ${KEY_FILE_VAR} are set; the key must come from one place. Unset one of them (or give ${KEY_FILE_FLAG}, which wins over both).`
    )
  }
  if (filePath) return { from: 'file-var', path: filePath }
  return key ? { from: 'var' } : { from: 'none' }
}

function describeKeySource(source: KeySource): string {
  switch (source.from) {
    case 'flag':
      return `The key in ${KEY_FILE_FLAG} ${shownPath(source.path)}`
    case 'file-var':
      return `The key in ${shownPath(source.path)} (${KEY_FILE_VAR})`
    case 'var':
      return KEY_VAR
    default:
      return `The private key (${KEY_FILE_FLAG} PATH, ${KEY_FILE_VAR} or ${KEY_VAR})`
  }
}

/** Settings in messages: `--account-id`; a message about one setting starts `--account-id (DOCUSIGN_ACCOUNT_ID)`. */
export function cliSpelling(source: KeySource = { from: 'none' }): Spelling {
  return {
    name: setting => (setting === 'private-key' ? 'the private key' : `--${setting}`),
    subject: setting => {
      if (setting === 'private-key') return describeKeySource(source)
      const variable = ENV_VARS[setting]
      return variable ? `--${setting} (${variable})` : `--${setting}`
    },
    subjects(settings) {
      return settings
        .map((s, i) =>
          i > 0 && s === 'private-key' ? describeKeySource(source).replace(/^The/, 'the') : this.subject(s)
        )
        .join(', ')
    }
  }
}

/** A setting's raw value: its flag if given (even empty), else its variable, else '' (the core's default). */
export function rawSetting(setting: Setting, flags: FlagValues, env: Env): string {
  const flag = flags[setting]
  if (typeof flag === 'string') return flag
  if (flag === true) return 'true'
  const variable = ENV_VARS[setting]
  return (variable && env[variable]) || ''
}

/**
 * On Azure Pipelines, each setting that arrived as `$(NAME)`: a script step's env: mapping of a
 * variable the run does not have, passed on as written. Named as such before anything is read.
 */
export function undefinedVariables(flags: FlagValues, env: Env, source: KeySource): InputError[] {
  if (ciSystem(env) !== 'azure') return []
  const key = source.from === 'file-var' ? source.path : source.from === 'var' ? (env[KEY_VAR] ?? '') : ''
  return [
    ...(Object.keys(ENV_VARS) as Setting[]).map(setting => undefinedVariable(setting, rawSetting(setting, flags, env))),
    undefinedVariable('private-key', key)
  ].filter(error => error !== undefined)
}

/** A PEM key (its armour, or its lines), the Base64 of one, or its DER body (MII…): a key, wherever it was given. */
export function looksLikeKey(value: string): boolean {
  const text = value.trim()
  return (
    /-----BEGIN|PRIVATE KEY-----|[\r\n]/.test(text) ||
    /^LS0tLS1CRUdJT/.test(text) ||
    /^MII[A-Za-z0-9+/=]{200,}$/.test(text)
  )
}

/**
 * A path where the key belongs (a single line shaped like a file's path, no key's words): the key
 * file was meant, whose path goes in DOCUSIGN_PRIVATE_KEY_FILE.
 */
function looksLikePath(value: string): boolean {
  const text = value.trim()
  return (
    text.length <= 1024 &&
    !looksLikeKey(text) &&
    (/^(~|\.{1,2})?[/\\]/.test(text) || /^[a-z]:[/\\]/i.test(text) || /\.(pem|key|p8|der|txt)$/i.test(text))
  )
}

/** The message for a key given where its path belongs: it names where a key goes, never a command line. */
export function keyWherePathBelongs(given: 'flag' | 'file-var'): string {
  const where = given === 'flag' ? `${KEY_FILE_FLAG} takes` : `${KEY_FILE_VAR} holds`
  return `${where} the path of a key file, and was given the key itself (not repeated here). Put the key in ${KEY_VAR}, or write it to a file and give that file's path (${KEY_FILE_FLAG} key.pem or ${KEY_FILE_VAR}=key.pem).`
}

function readKeyFile(path: string, source: KeySource): string {
  const where = source.from === 'flag' ? KEY_FILE_FLAG : KEY_FILE_VAR
  if (looksLikeKey(path)) throw new UsageError(keyWherePathBelongs(source.from === 'flag' ? 'flag' : 'file-var'))
  try {
    return readCredentialFile(path, { waitMs: KEY_FILE_WAIT_MS }).toString('utf8')
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error
    if (error.code === 'EFBIG') {
      throw new UsageError(`${where}: ${shownPath(path)} ${KEY_FILE_TOO_LARGE}`)
    }
    throw new UsageError(`${where}: cannot read ${shownPath(path)}: ${error.why}.`)
  }
}

/** The key variable holding a path: the file's variable was meant. */
function pathWhereKeyBelongs(): UsageError {
  return new UsageError(
    `${KEY_VAR} holds the key itself, and was given what looks like a file's path. Put the path in ${KEY_FILE_VAR} (or give ${KEY_FILE_FLAG} PATH) and unset ${KEY_VAR}.`
  )
}

/**
 * The core's input reader for this command line and environment. Reading the private key registers
 * it as a secret at once, before anything could show it.
 */
export function cliReader(flags: FlagValues, env: Env, source: KeySource, secrets: Secrets): InputReader {
  return setting => {
    if (setting !== 'private-key') return rawSetting(setting, flags, env)
    let key: string
    if (source.from === 'flag' || source.from === 'file-var') key = readKeyFile(source.path, source)
    else if (source.from === 'var') {
      key = env[KEY_VAR] ?? ''
      if (looksLikePath(key)) throw pathWhereKeyBelongs()
    } else return '' // reported as empty, with every other unusable setting
    secrets.add(key)
    return key
  }
}
