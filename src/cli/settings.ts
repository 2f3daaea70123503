import { closeSync, constants, openSync, readSync } from 'node:fs'
import type { InputReader } from '../core/inputs.js'
import { inert } from '../core/outside.js'
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
  'account-id': 'DOCUSIGN_ACCOUNT_ID',
  'signing-key': 'DOCUSIGN_SIGNING_KEY',
  'application-token': 'DOCUSIGN_APPLICATION_TOKEN'
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

/** A synchronous pause: the key is read before anything else happens, and reading it is synchronous. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** How long a pipe (`--private-key-file <(…)`) may take to deliver its first bytes. */
const PIPE_WAIT_MS = 2000

/**
 * At most KEY_FILE_MAX_BYTES + 1 bytes, without blocking: a file's size says nothing for a device
 * (/dev/zero) or a pipe, and a FIFO with no writer would block a plain read for ever. Opened
 * non-blocking, a pipe that has nothing yet is waited for briefly, then refused.
 */
export function readBounded(path: string): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK)
  try {
    const buffer = Buffer.alloc(KEY_FILE_MAX_BYTES + 1)
    let length = 0
    let waited = 0
    while (length < buffer.length) {
      let read: number
      try {
        read = readSync(fd, buffer, length, buffer.length - length, null)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || waited >= PIPE_WAIT_MS) throw error
        pause(50)
        waited += 50
        continue
      }
      if (read === 0) break
      length += read
    }
    return buffer.subarray(0, length)
  } finally {
    closeSync(fd)
  }
}

function readKeyFile(path: string, source: KeySource): string {
  const where = source.from === 'flag' ? KEY_FILE_FLAG : KEY_FILE_VAR
  let bytes: Buffer
  try {
    bytes = readBounded(path)
  } catch (error) {
    throw new UsageError(`${where}: cannot read ${shownPath(path)}: ${whyUnreadable(error)}.`)
  }
  if (tooLarge(bytes)) throw new UsageError(`${where}: ${shownPath(path)} ${TOO_LARGE}`)
  return bytes.toString('utf8')
}

/** What a key file larger than KEY_FILE_MAX_BYTES is told. */
export const TOO_LARGE = `holds more than ${KEY_FILE_MAX_BYTES / 1024} KiB, too much for a private key file (a key is about 2 KB).`

/** Why readBounded failed, in words. */
export function whyUnreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  return code === 'ENOENT'
    ? 'there is no such file'
    : code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EISDIR'
        ? 'it is a directory'
        : code === 'EAGAIN'
          ? `nothing arrived from it within ${PIPE_WAIT_MS / 1000} s (a pipe or device with no data)`
          : (code ?? 'unreadable')
}

/** At most KEY_FILE_MAX_BYTES + 1 bytes: what readBounded read said too much. */
export const tooLarge = (bytes: Buffer): boolean => bytes.length > KEY_FILE_MAX_BYTES

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
    else return '' // reported as empty, with every other unusable setting
    secrets.add(key)
    return key
  }
}
