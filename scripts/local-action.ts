/**
 * npm run local-action: src/action/main.ts under @github/local-action, against the emulator on the port
 * and with the IDs that .env.example names. Writes .env (the example plus a fresh private key).
 */
import { spawn } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'dotenv'
import { ROOT } from '../emulator/runner.js'
import { startSandbox } from '../emulator/setup.js'

const example = readFileSync(join(ROOT, '.env.example'), 'utf8')
const vars = parse(example)
const sandbox = await startSandbox({
  port: Number(new URL(vars['INPUT_ENVIRONMENT']).port),
  integrationKey: vars['INPUT_INTEGRATION-KEY'],
  userId: vars['INPUT_USER-ID'],
  consent: true
})
try {
  const key = Buffer.from(sandbox.privateKey).toString('base64')
  writeFileSync(join(ROOT, '.env'), `${example}INPUT_PRIVATE-KEY=${key}\n`, { mode: 0o600 })
  // Asynchronously: the emulator in this process must keep answering while the action runs.
  const child = spawn('npx', ['local-action', 'run', '.', 'src/action/main.ts', '.env'], {
    cwd: ROOT,
    stdio: 'inherit'
  })
  process.exitCode = (await new Promise<number | null>(done => child.on('close', done))) ?? 1
} finally {
  await sandbox.emulator.close()
}
