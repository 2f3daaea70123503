/** With debug logging on, success and failure alike: every secret masked before it could show. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { pkcs1, shapes } from './helpers/keys.js'
import { runChecked } from './helpers/leaks.js'

let sandbox: Sandbox
const debug = { env: { RUNNER_DEBUG: '1' } }

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
})
afterAll(() => sandbox.emulator.close())

describe('no secret in the log with RUNNER_DEBUG=1', () => {
  it.each(Object.keys(shapes))('success with the key as %s, export-env on', async shape => {
    sandbox.grantConsent()
    const run = await runChecked(sandbox, { 'private-key': shapes[shape], 'export-env': 'true' }, debug)
    expect(run.exitCode).toBe(0)
    expect(run.masks).toContain(run.outputs['access-token'])
  })

  it('consent missing, with every assertion masked', async () => {
    const ik = sandbox.emulator.addIntegrationKey([])
    const run = await runChecked(sandbox, { 'integration-key': ik }, debug)
    expect(run.exitCode).toBe(1)
    const assertion = new URLSearchParams(sandbox.emulator.requestsTo('/oauth/token').at(-1)!.body).get('assertion')!
    expect(run.masks).toContain(assertion)
  })

  it('a retried request: each attempt signs and masks a fresh assertion', async () => {
    sandbox.grantConsent()
    sandbox.emulator.requests.length = 0
    sandbox.emulator.failNext('/oauth/token', { status: 503, headers: { 'Retry-After': '1' } })
    const run = await runChecked(sandbox, {}, debug)
    expect(run.exitCode).toBe(0)
    const sent = sandbox.emulator.requestsTo('/oauth/token').map(r => new URLSearchParams(r.body).get('assertion')!)
    expect(sent).toHaveLength(2)
    expect(sent[0]).not.toBe(sent[1]) // a second later: a new iat, a new signature
    for (const assertion of sent) expect(run.masks).toContain(assertion)
  })
})
