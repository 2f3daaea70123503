import { closeSync, openSync, readSync } from 'node:fs'

/** How scripts/bundle.mjs starts dist/cli.js: what tells the bundled CLI from any other cli.js. */
export const CLI_HEADER = '#!/usr/bin/env node\n// docusign-jwt: the bundled command-line interface\n'

/** Whether `path` is the bundled CLI: a readable file that starts with CLI_HEADER. */
export function isBundledCli(path: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const head = Buffer.alloc(Buffer.byteLength(CLI_HEADER))
    const read = readSync(fd, head, 0, head.length, 0)
    return head.subarray(0, read).toString('utf8') === CLI_HEADER
  } catch {
    return false // missing, a folder, unreadable
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}
