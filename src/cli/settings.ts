import { readFileSync, statSync } from 'node:fs'
import { InputError } from '../core/errors.js'
import type { InputReader } from '../core/inputs.js'
import type { Secrets } from '../core/secrets.js'
import type { Setting, Spelling } from '../core/settings.js'
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
  'account-id': 'DOCUSIGN_ACCOUNT_ID'
}
export const KEY_VAR = 'DOCUSIGN_PRIVATE_KEY'
export const KEY_FILE_VAR = 'DOCUSIGN_PRIVATE_KEY_FILE'
export const KEY_FILE_FLAG = '--private-key-file'

/** A key file is a few KB; anything much larger is not one, and is not read whole. */
const KEY_FILE_MAX_BYTES = 64 * 1024

/** Where the private key comes from, as a message names it. */
export type KeySource =
  { from: 'flag'; path: string } | { from: 'file-var'; path: string } | { from: 'var' } | { from: 'none' }

/** Flag values as parsed: strings for settings, true for a boolean flag given. */
export type FlagValues = Record<string, string | boolean | undefined>
export type Env = Record<string, string | undefined>

/**
 * A key file's path as messages show it. A key pasted where its path belongs (the flag's value, the
 * variable) would otherwise be repeated: so only something shaped like a path is shown.
 */
export function shownPath(path: string): string {
  const pathLike = path.length <= 200 && !/[\r\n\t]/.test(path) && !path.includes('-----')
  return pathLike ? path : 'the path given (which does not look like a path)'
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
      return 'The private key'
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

function readKeyFile(path: string, source: KeySource): string {
  const where = source.from === 'flag' ? KEY_FILE_FLAG : KEY_FILE_VAR
  try {
    const size = statSync(path).size
    if (size > KEY_FILE_MAX_BYTES) {
      throw new UsageError(
        `${where}: ${path} is ${size} bytes, too large for a private key file (a key is about 2 KB).`
      )
    }
    return readFileSync(path, 'utf8')
  } catch (error) {
    if (error instanceof UsageError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const why =
      code === 'ENOENT'
        ? 'there is no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : code === 'EISDIR'
            ? 'it is a directory'
            : (code ?? 'unreadable')
    throw new UsageError(`${where}: cannot read ${shownPath(path)}: ${why}.`)
  }
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
    else if (source.from === 'var') key = env[KEY_VAR] ?? ''
    else {
      throw new InputError(
        'private-key',
        'is not set.',
        `Give the key's file with ${KEY_FILE_FLAG} PATH or ${KEY_FILE_VAR}, or the key itself in ${KEY_VAR}.`
      )
    }
    secrets.add(key)
    return key
  }
}
