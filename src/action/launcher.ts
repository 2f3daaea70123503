import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import * as core from '@actions/core'
import { isBundledCli } from './bundled-cli.js'

/** A path in single quotes for sh: literal whatever it holds. */
const sh = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`

/**
 * A path in double quotes for a line of a .cmd file, or undefined where none holds it. cmd.exe expands
 * `%…%` in a batch line before anything else, inside quotes too: `%` is written `%%`. Inside double
 * quotes `& | < > ( ) ^` are literal, and `!` is while delayed expansion is off (the launcher's
 * setlocal turns it off, whatever the registry says). A `"` cannot be quoted, and a line break or
 * Ctrl-Z ends the line: Windows allows none of them in a path. Rules: the batch line parser's phases
 * (stackoverflow.com/q/4094699, dbenham's and jeb's answer) and `setlocal`/`cmd /v` in Microsoft's
 * Windows Commands reference.
 */
const cmdQuoted = (value: string): string | undefined =>
  // eslint-disable-next-line no-control-regex
  /["\x00-\x1f]/.test(value) ? undefined : `"${value.replace(/%/g, '%%')}"`

/**
 * Puts the `docusign-jwt` command on PATH for the job's later steps: a launcher in a folder under
 * RUNNER_TEMP, added with the GITHUB_PATH file command (`::add-path::` is disabled on the runner). It
 * runs the bundled CLI beside this entry on the Node that runs this step (the runner's node24), not
 * whatever `node` comes first on PATH: a shell script for Linux, macOS and Git Bash, and a .cmd for
 * PowerShell and cmd on Windows. Returns the folder, or undefined off a runner or when the file beside
 * the entry is not the bundled CLI (another entry runs this code, as @github/local-action does).
 */
export function installLauncher(debug: (message: string) => void, warn: (message: string) => void): string | undefined {
  const temp = process.env.RUNNER_TEMP
  const entry = process.argv[1]
  // Without the GITHUB_PATH file, core.addPath falls back to ::add-path::, which fails the step.
  if (!temp || !entry || !process.env.GITHUB_PATH) return undefined
  const cli = join(dirname(entry), 'cli.js')
  if (!isBundledCli(cli)) {
    warn(
      `The docusign-jwt command is not put on PATH: ${cli} is not the bundled CLI (this step does not run the action's dist/index.js). Later steps can run node dist/cli.js from a checkout of the action.`
    )
    return undefined
  }
  const node = process.execPath
  const dir = join(temp, 'docusign-jwt-bin')
  try {
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'docusign-jwt'), `#!/bin/sh\nexec ${sh(node)} ${sh(cli)} "$@"\n`)
    chmodSync(join(dir, 'docusign-jwt'), 0o755)
    const [cmdNode, cmdCli] = [cmdQuoted(node), cmdQuoted(cli)]
    if (cmdNode && cmdCli) {
      writeFileSync(join(dir, 'docusign-jwt.cmd'), `@setlocal DisableDelayedExpansion\r\n@${cmdNode} ${cmdCli} %*\r\n`)
    }
  } catch (error) {
    debug(`Could not put the docusign-jwt command on PATH: ${(error as Error).message}`)
    return undefined
  }
  core.addPath(dir)
  return dir
}
