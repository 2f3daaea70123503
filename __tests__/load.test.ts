/** 50 runs of the action at once against one emulator: each gets its own token and account. */
import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { runAction } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { pkcs1 } from './helpers/keys.js'
import { expectNoLeaks, secretsOf } from './helpers/leaks.js'

const RUNS = 50
let sandbox: Sandbox

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
})
afterAll(() => sandbox.emulator.close())

it(`${RUNS} concurrent runs all succeed, with no cross-talk`, async () => {
  const users = Array.from({ length: RUNS }, (_, i) => {
    const accountId = `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`
    const userId = sandbox.emulator.addUser({
      accounts: [
        {
          account_id: accountId,
          account_name: `Account ${i}`,
          is_default: true,
          base_uri: `https://na${i}.docusign.net`
        }
      ]
    })
    sandbox.emulator.grantConsent(sandbox.integrationKey, userId, ['signature', 'impersonation'])
    return { userId, accountId, i }
  })
  const runs = await Promise.all(users.map(u => runAction({ inputs: sandbox.inputs({ 'user-id': u.userId }) })))

  const tokens = new Set<string>()
  for (const [n, run] of runs.entries()) {
    const { accountId, i } = users[n]
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({
      'account-id': accountId,
      'account-name': `Account ${i}`,
      'base-path': `https://na${i}.docusign.net/restapi`
    })
    expect(sandbox.emulator.issuedTokens).toContain(run.outputs['access-token'])
    tokens.add(run.outputs['access-token'])
    expectNoLeaks(run, secretsOf(sandbox.emulator, pkcs1))
  }
  expect(tokens.size).toBe(RUNS)
  expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(RUNS)
  expect(sandbox.emulator.requestsTo('/oauth/userinfo')).toHaveLength(RUNS)
}, 120_000)
