import { expect } from '@jest/globals'
import type { DocuSignEmulator } from '../../emulator/docusign.js'
import { runAction, type RunOptions, type RunResult } from '../../emulator/runner.js'
import type { Sandbox } from '../../emulator/setup.js'
import { readPrivateKey } from '../../src/core/private-key.js'

/** Every secret of a run: the tokens issued, the assertions sent, the key as given and as decoded. */
export function secretsOf(emulator: DocuSignEmulator, privateKey: string): string[] {
  const assertions = emulator.requestsTo('/oauth/token').map(r => new URLSearchParams(r.body).get('assertion') ?? '')
  let decoded: string | undefined
  try {
    decoded = readPrivateKey(privateKey).decoded
  } catch {
    decoded = undefined
  }
  return [...emulator.issuedTokens, ...assertions, privateKey, decoded ?? ''].filter(Boolean)
}

/**
 * Each secret, and each line of it, may show in the log only masked: registered with ::add-mask::
 * before it was printed (the runner then prints ***), and never on stderr, which nothing masks.
 */
export function expectNoLeaks(run: RunResult, secrets: string[]): void {
  const parts = secrets.flatMap(s => [s, ...s.split(/\r?\n|\\n/)]).map(p => p.trim())
  const sensitive = parts.filter(p => p.length >= 8 && !p.startsWith('-----'))
  for (const part of sensitive) {
    expect({ where: 'log', leaked: run.transcript.includes(part) }).toEqual({ where: 'log', leaked: false })
    expect({ where: 'summary', leaked: run.rawSummary.includes(part) }).toEqual({ where: 'summary', leaked: false })
    expect({ where: 'stderr', leaked: run.stderr.includes(part) }).toEqual({ where: 'stderr', leaked: false })
  }
}

/** The workflow commands the action itself sends; anything else on stdout was injected. */
const OWN_COMMANDS = new Set(['add-mask', 'debug', 'error', 'warning'])

/** Runs the built action on a sandbox and checks what every run must hold: no leak, no stack trace, no foreign command. */
/** What Node prints on stderr for a deprecated or experimental feature: no run of ours may show it. */
export const NODE_WARNING = /\[DEP\d+\]|DeprecationWarning|ExperimentalWarning/

export async function runChecked(
  sandbox: Sandbox,
  inputs: Record<string, string> = {},
  options: Partial<RunOptions> = {}
): Promise<RunResult> {
  const all = sandbox.inputs(inputs)
  const result = await runAction({ inputs: all, ...options })
  expectNoLeaks(result, secretsOf(sandbox.emulator, all['private-key']))
  expect(result.stdout + result.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  expect(result.stderr).not.toMatch(NODE_WARNING)
  expect(result.commands.map(c => c.name).filter(name => !OWN_COMMANDS.has(name))).toEqual([])
  expect(result.errors.length).toBeLessThanOrEqual(1)
  return result
}

export function expectOneError(result: RunResult, pattern: RegExp): void {
  expect(result.exitCode).toBe(1)
  expect(result.errors).toHaveLength(1)
  expect(result.errors[0]).toMatch(pattern)
}

/**
 * Each secret of a key vault's sign-in (cloud credentials, tokens read or fetched on the way) shown
 * nowhere a person reads: not in the log, the summary or on stderr; on stdout only inside the action's
 * add-mask command (the CLI never prints one).
 */
export function expectHidden(run: { stdout: string; stderr: string } & Partial<RunResult>, secrets: string[]): void {
  for (const secret of secrets.filter(s => s.length >= 8)) {
    const shown = (text = '') => text.includes(secret)
    expect({ stderr: shown(run.stderr), log: shown(run.log), transcript: shown(run.transcript) }).toEqual({
      stderr: false,
      log: false,
      transcript: false
    })
    expect({ summary: shown(run.summary), raw: shown(run.rawSummary) }).toEqual({ summary: false, raw: false })
    const lines = run.stdout.split('\n').filter(line => line.includes(secret))
    expect(lines.filter(line => !line.startsWith('::add-mask::'))).toEqual([])
  }
}
