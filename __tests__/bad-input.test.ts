/** Every bad input, through the built action as the runner runs it: one clear error, no request, no echo. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { badInputs } from './helpers/bad-inputs.js'
import { pkcs1 } from './helpers/keys.js'
import { runChecked } from './helpers/leaks.js'

let sandbox: Sandbox
const table = badInputs()

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1, consent: true })
})
afterAll(() => sandbox.emulator.close())

/** The parts of a value that must never be echoed: the value, and each long line of it. */
function partsOf(value: string): string[] {
  return [value, ...value.split(/\r?\n/)].map(p => p.trim()).filter(p => p.length >= 6 && !p.startsWith('-----'))
}

describe('bad input', () => {
  it('has at least 30 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(30)
  })

  it.each(table.map(c => [c.name, c] as const))('%s', async (_name, c) => {
    const run = await runChecked(sandbox, { [c.input]: c.value })
    expect(run.exitCode).not.toBe(0)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(new RegExp(`^Input '${c.input}' `))
    expect(run.errors[0]).toMatch(c.fix)
    expect(sandbox.emulator.requests).toHaveLength(0)
    expect(run.stderr).toBe('')
    for (const part of partsOf(c.value)) {
      expect(run.transcript).not.toContain(part)
      expect(run.stderr).not.toContain(part)
    }
  })

  it('accepts GUIDs with surrounding spaces (trimmed) and upper case', async () => {
    const run = await runChecked(sandbox, {
      'user-id': `  ${sandbox.userId.toUpperCase()}  `,
      'skip-account-lookup': 'True'
    })
    expect(run.exitCode).toBe(0)
    expect(sandbox.emulator.requests[0].claims?.sub).toBe(sandbox.userId)
  })
})
