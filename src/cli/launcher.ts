import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { isAbsolute, join, relative } from 'node:path'

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
const cmdQuoted = (value: string, prefix = ''): string | undefined =>
  // eslint-disable-next-line no-control-regex
  /["\x00-\x1f]/.test(value) ? undefined : `"${prefix}${value.replace(/%/g, '%%')}"`

/**
 * A path for the .cmd beside `dir`. cmd.exe reads a batch file's bytes in the console's OEM code page
 * (437, 850…), not UTF-8 (stackoverflow.com/q/735617): a path with a character beyond ASCII (a runner
 * under C:\Users\Jörg) would name another file. Such a path is written from the launcher's own folder,
 * `%~dp0` (which cmd.exe expands from the file's real path), when what remains is ASCII; otherwise
 * undefined.
 */
function cmdPath(dir: string, target: string): string | undefined {
  const ascii = /^[\x20-\x7e]*$/
  if (ascii.test(target)) return cmdQuoted(target)
  const from = relative(dir, target)
  return !isAbsolute(from) && ascii.test(from) ? cmdQuoted(from, '%~dp0') : undefined
}

/**
 * The `docusign-jwt` command in a folder a CI system puts on PATH for later steps: it runs the bundled
 * CLI `cli` on the Node `node` that runs the step (the runner's or the agent's), not whatever `node`
 * comes first on PATH: a shell script for Linux, macOS and Git Bash, and a .cmd for PowerShell and
 * cmd on Windows (none where a path cannot be written in a .cmd line). Throws when the folder cannot be written.
 */
export function writeLauncher(dir: string, node: string, cli: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'docusign-jwt'), `#!/bin/sh\nexec ${sh(node)} ${sh(cli)} "$@"\n`)
  chmodSync(join(dir, 'docusign-jwt'), 0o755)
  const [cmdNode, cmdCli] = [cmdPath(dir, node), cmdPath(dir, cli)]
  if (cmdNode && cmdCli) {
    writeFileSync(join(dir, 'docusign-jwt.cmd'), `@setlocal DisableDelayedExpansion\r\n@${cmdNode} ${cmdCli} %*\r\n`)
  }
}
