/**
 * node scripts/tsx.mjs SCRIPT.ts [ARGS]: runs one of the repository's TypeScript scripts with tsx, a
 * dev dependency (npm run demo, emulator, local-action). Plain Node, so that before `npm ci` it says
 * what to run instead of the shell's "tsx: not found".
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/[\\/]$/, '')
let tsx
try {
  tsx = createRequire(`${root}/package.json`).resolve('tsx/cli')
} catch {
  const command = process.env.npm_lifecycle_event ? `npm run ${process.env.npm_lifecycle_event}` : 'this command'
  console.error(
    `The development dependencies are not installed (tsx is missing): run npm ci in ${root} first (about a minute), then ${command} again.`
  )
  process.exit(1)
}
const child = spawn(process.execPath, [tsx, ...process.argv.slice(2)], { stdio: 'inherit' })
// Ctrl-C reaches both processes; a signal sent to this one alone (kill PID) is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
