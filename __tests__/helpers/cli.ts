/**
 * Runs the built CLI, dist/cli.js, as a person or a CI job does: a child process with its own
 * environment (nothing of the test's own), against the DocuSign emulator over real HTTP; and checks
 * what every run must hold: no secret on stderr, none on stdout but the token `token` prints, no
 * stack trace.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect } from '@jest/globals'
import { ACTION_NODE, ROOT, runNode } from '../../emulator/runner.js'
import type { Sandbox } from '../../emulator/setup.js'
import { NODE_WARNING, secretsOf } from './leaks.js'

export const CLI = join(ROOT, 'dist', 'cli.js')

/** The Node that runs the built entries (the pinned Node 24 under Jest, see scripts/node24.mjs). */
export const cliNode = (): string => ACTION_NODE

export interface CliRun {
  exitCode: number | null
  stdout: string
  stderr: string
}

export interface CliOptions {
  env?: Record<string, string>
  killAfterMs?: number
  /** Standard input (otherwise none). */
  input?: Buffer | string
}

const scratchDirs: string[] = []
afterAll(() => scratchDirs.forEach(dir => rmSync(dir, { recursive: true, force: true })))

/** A scratch folder for key files, browser stand-ins and records, removed after the test file. */
export function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'))
  scratchDirs.push(dir)
  return dir
}

export async function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const env = { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...options.env }
  const { exitCode, stdout, stderr } = await runNode([CLI, ...args], env, options.killAfterMs, options.input)
  return { exitCode, stdout, stderr }
}

/** The settings of a sandbox as the environment variables a CI job sets, the key in a file or a variable. */
export function sandboxEnv(
  sandbox: Sandbox,
  how: 'key-file' | 'key-var' = 'key-file',
  overrides: Record<string, string> = {}
): Record<string, string> {
  const env: Record<string, string> = {
    DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
    DOCUSIGN_USER_ID: sandbox.userId,
    DOCUSIGN_ENVIRONMENT: sandbox.emulator.url
  }
  if (how === 'key-var') env.DOCUSIGN_PRIVATE_KEY = sandbox.privateKey
  else {
    const file = join(scratch(), 'docusign.key')
    writeFileSync(file, sandbox.privateKey, { mode: 0o600 })
    env.DOCUSIGN_PRIVATE_KEY_FILE = file
  }
  return { ...env, ...overrides }
}

/** Every secret of the sandbox so far, and each line of one, as leak checks look for them. */
function sensitiveParts(sandbox: Sandbox, extraKeys: string[]): string[] {
  const secrets = [...secretsOf(sandbox.emulator, sandbox.privateKey), ...extraKeys]
  return secrets
    .flatMap(s => [s, ...s.split(/\r?\n|\\n/)])
    .map(p => p.trim())
    .filter(p => p.length >= 8 && !p.startsWith('-----'))
}

/**
 * A CLI run on a sandbox, checked: no secret on stderr, ever; on stdout only the tokens when
 * `tokenOnStdout` (the `token` command), never the key or an assertion; no stack trace.
 */
export async function cli(
  sandbox: Sandbox,
  args: string[],
  options: CliOptions & { tokenOnStdout?: boolean; keys?: string[] } = {}
): Promise<CliRun> {
  const run = await runCli(args, options)
  const tokens = new Set(sandbox.emulator.issuedTokens)
  for (const part of sensitiveParts(sandbox, options.keys ?? [])) {
    expect({ where: 'stderr', leaked: run.stderr.includes(part) }).toEqual({ where: 'stderr', leaked: false })
    const allowed = options.tokenOnStdout === true && tokens.has(part)
    if (!allowed) {
      expect({ where: 'stdout', leaked: run.stdout.includes(part) }).toEqual({ where: 'stdout', leaked: false })
    }
  }
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(run.stderr).not.toMatch(NODE_WARNING)
  return run
}

/** A user whose account's REST API is the emulator itself (base_uri = its loopback URL), signed in once: the three exported variables. */
export async function restUser(
  sandbox: Sandbox,
  accountId: string,
  name: string
): Promise<{ userId: string; exported: Record<string, string> }> {
  const userId = sandbox.emulator.addUser({
    name: `${name} User`,
    accounts: [{ account_id: accountId, account_name: name, is_default: true, base_uri: sandbox.emulator.url }]
  })
  sandbox.emulator.grantConsent(sandbox.integrationKey, userId, ['signature', 'impersonation'])
  const env = sandboxEnv(sandbox, 'key-file', { DOCUSIGN_USER_ID: userId })
  const signedIn = await cli(sandbox, ['token', '--format', 'json'], { env, tokenOnStdout: true })
  const json = JSON.parse(signedIn.stdout) as Record<string, string>
  const exported = {
    DOCUSIGN_ACCESS_TOKEN: json.access_token,
    DOCUSIGN_BASE_PATH: json.base_path,
    DOCUSIGN_ACCOUNT_ID: json.account_id
  }
  return { userId, exported }
}
