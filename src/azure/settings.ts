import { InputError } from '../core/errors.js'
import type { InputReader } from '../core/inputs.js'
import type { Secrets } from '../core/secrets.js'
import type { Setting, Spelling } from '../core/settings.js'
import { undefinedVariable } from '../core/pipeline-macro.js'
import {
  KEY_FILE_TOO_LARGE,
  KEY_FILE_WAIT_MS,
  readCredentialFile,
  UnreadableFileError
} from '../core/credential-file.js'
import { shownPath } from '../cli/settings.js'

/**
 * The task's inputs (task.json): the action's settings in camelCase. The agent passes each as
 * INPUT_<NAME>, upper-cased (microsoft/azure-pipelines-agent src/Agent.Worker/Handlers/Handler.cs,
 * VarUtil.ConvertToEnvVariableFormat). privateKeyFile is the task's own: a secure file's path
 * (DownloadSecureFile@1's secureFilePath), read here as the CLI reads --private-key-file.
 */
export const TASK_INPUTS: Partial<Record<Setting, string>> = {
  'integration-key': 'integrationKey',
  'user-id': 'userId',
  'private-key': 'privateKey',
  'signing-key': 'signingKey',
  'application-token': 'applicationToken',
  environment: 'environment',
  scopes: 'scopes',
  'account-id': 'accountId',
  'skip-account-lookup': 'skipAccountLookup',
  'consent-redirect-uri': 'consentRedirectUri',
  'timeout-seconds': 'timeoutSeconds',
  'max-attempts': 'maxAttempts'
}
export const KEY_FILE_INPUT = 'privateKeyFile'

type Env = Record<string, string | undefined>

/** An input's value as the agent passes it. */
const taskInput = (env: Env, name: string): string => env[`INPUT_${name.toUpperCase()}`] ?? ''

/** Settings in messages as task.json names them: Input 'integrationKey'. */
export function taskSpelling(env: Env): Spelling {
  const name = (setting: Setting): string =>
    setting === 'private-key' && !taskInput(env, 'privateKey') && taskInput(env, KEY_FILE_INPUT)
      ? KEY_FILE_INPUT
      : (TASK_INPUTS[setting] ?? setting)
  return {
    name,
    subject: setting => `Input '${name(setting)}'`,
    subjects: settings =>
      settings.length > 1 ? `Inputs ${settings.map(s => `'${name(s)}'`).join(', ')}` : `Input '${name(settings[0])}'`
  }
}

/** The key from a file: through the one bounded, never-blocking reader of credential files. */
function readKeyFile(path: string): string {
  try {
    return readCredentialFile(path, { waitMs: KEY_FILE_WAIT_MS }).toString('utf8')
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error
    const problem = error.code === 'EFBIG' ? KEY_FILE_TOO_LARGE : `cannot be read: ${error.why}.`
    throw new InputError('private-key', `(the file ${shownPath(path)}) ${problem}`, FILE_FIX)
  }
}

const FILE_FIX =
  "Download the secure file in a DownloadSecureFile@1 step named e.g. docusignKey, and pass privateKeyFile: '$(docusignKey.secureFilePath)'."

/** Each input that names a variable this run does not have, before the inputs are read for their values. */
export function undefinedVariables(env: Env): InputError[] {
  const inputs: [Setting, string][] = [
    ...(Object.entries(TASK_INPUTS) as [Setting, string][]),
    ['private-key', KEY_FILE_INPUT]
  ]
  return inputs.flatMap(([setting, name]) => undefinedVariable(setting, taskInput(env, name)) ?? [])
}

/** The core's reader over the task's inputs; the key, from privateKey or privateKeyFile, is a secret from the start. */
export function taskReader(env: Env, secrets: Secrets): InputReader {
  return setting => {
    if (setting !== 'private-key') {
      const name = TASK_INPUTS[setting]
      return name ? taskInput(env, name) : ''
    }
    const given = taskInput(env, 'privateKey')
    const file = taskInput(env, KEY_FILE_INPUT).trim()
    if (given.trim() && file) {
      throw new InputError(
        'private-key',
        `and '${KEY_FILE_INPUT}' are both set; the key must come from one place.`,
        `Keep '${KEY_FILE_INPUT}' (a secure file) or 'privateKey' (a secret variable), not both.`
      )
    }
    const key = file ? readKeyFile(file) : given
    if (key) secrets.add(key)
    return key
  }
}
