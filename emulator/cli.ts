/**
 * The DocuSign emulator as a program, for the repository's CI job, local debugging and trying the
 * action by hand: a sandbox with a fresh keypair, serving until stopped.
 *
 *   tsx emulator/cli.ts [--port 8765] [--consent] [--integration-key ID] [--user-id ID] [--rest-api]
 *                       [--github-output FILE] [--private-key-file FILE] [--ready-file FILE]
 */
import { appendFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startSandbox } from './setup.js'

const USAGE = `Usage: npm run emulator -- [--port 8765] [--consent] [--integration-key ID] [--user-id ID]
                       [--rest-api] [--private-key-file FILE] [--github-output FILE] [--ready-file FILE]
Serves a DocuSign OAuth emulator with one integration key, a fresh RSA keypair and one user.
--private-key-file writes the key, to sign in with the action or docusign-jwt against it.
--rest-api makes the account's base URI the emulator itself, which also serves the eSignature REST
API (/restapi): docusign-jwt api then works against it.`

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`)
  process.exit(2)
}

let values
try {
  ;({ values } = parseArgs({
    options: {
      help: { type: 'boolean', short: 'h', default: false },
      port: { type: 'string', default: '8765' },
      consent: { type: 'boolean', default: false },
      'rest-api': { type: 'boolean', default: false },
      'integration-key': { type: 'string' },
      'user-id': { type: 'string' },
      'github-output': { type: 'string' },
      'private-key-file': { type: 'string' },
      'ready-file': { type: 'string' }
    }
  }))
} catch (error) {
  fail((error as Error).message)
}
if (values.help) {
  console.log(USAGE)
  process.exit(0)
}

const sandbox = await startSandbox({
  port: Number(values.port),
  consent: values.consent,
  restApi: values['rest-api'],
  integrationKey: values['integration-key'],
  userId: values['user-id']
}).catch((error: NodeJS.ErrnoException) =>
  fail(error.code === 'EADDRINUSE' ? `Port ${values.port} is in use: pick another with --port.` : error.message)
)
const { emulator, integrationKey, userId, privateKey } = sandbox

if (values['private-key-file']) writeFileSync(values['private-key-file'], privateKey, { mode: 0o600 })
if (values['github-output']) {
  // Step outputs for the action's inputs; the key is a throwaway, but masked all the same.
  console.log(`::add-mask::${privateKey.trim().split('\n').join('%0A')}`)
  const delimiter = `EOF_${Date.now()}`
  appendFileSync(
    values['github-output'],
    [
      `environment=${emulator.url}`,
      `integration-key=${integrationKey}`,
      `user-id=${userId}`,
      `account-id=${sandbox.accountId}`,
      `private-key<<${delimiter}`,
      privateKey.trim(),
      delimiter,
      ''
    ].join('\n')
  )
}

console.log(`DocuSign emulator at ${emulator.url} (audience ${emulator.audience})`)
console.log(
  `integration key ${integrationKey}, user ${userId}, account ${sandbox.accountId}, consent ${values.consent ? 'granted' : 'not yet granted'}`
)
if (values['ready-file']) writeFileSync(values['ready-file'], emulator.url)

const stop = async (): Promise<void> => {
  await emulator.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
