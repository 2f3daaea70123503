import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A path in single quotes for sh: literal whatever it holds. */
const sh = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`

/**
 * The `docusign-jwt` command in a folder a CI system puts on PATH for later steps: it runs the bundled
 * CLI `cli` on the Node `node` that runs the step (the runner's or the agent's), not whatever `node`
 * comes first on PATH: a shell script for Linux, macOS and Git Bash, and a .cmd for PowerShell and
 * cmd on Windows. Throws when the folder cannot be written.
 */
export function writeLauncher(dir: string, node: string, cli: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'docusign-jwt'), `#!/bin/sh\nexec ${sh(node)} ${sh(cli)} "$@"\n`)
  chmodSync(join(dir, 'docusign-jwt'), 0o755)
  writeFileSync(join(dir, 'docusign-jwt.cmd'), `@"${node}" "${cli}" %*\r\n`)
}
