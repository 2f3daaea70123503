import { expect } from '@jest/globals'
import type { DocuSignEmulator } from '../../emulator/docusign.js'
import type { RunResult } from '../../emulator/runner.js'
import { readPrivateKey } from '../../src/private-key.js'

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
  expect(sensitive.length).toBeGreaterThan(0)
  for (const part of sensitive) {
    expect({ where: 'log', leaked: run.transcript.includes(part) }).toEqual({ where: 'log', leaked: false })
    expect({ where: 'stderr', leaked: run.stderr.includes(part) }).toEqual({ where: 'stderr', leaked: false })
  }
}
