/**
 * The emulator misbehaves on purpose, on the token and the userinfo call. Each run has its own
 * emulator, so runs go in parallel; debug logging is on, and every run is checked for leaks.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import type { Fault } from '../emulator/docusign.js'
import type { RunResult } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { BACKOFF_BASE_MS } from '../src/core/retry.js'
import { pkcs1 } from './helpers/keys.js'
import { expectOneError, runChecked } from './helpers/leaks.js'

const A1 = 'a1a1a1a1-0000-4000-8000-000000000001'
const A2 = 'a2a2a2a2-0000-4000-8000-000000000002'

const TOKEN = '/oauth/token'
const USERINFO = '/oauth/userinfo'
const sandboxes: Sandbox[] = []
afterAll(() => Promise.all(sandboxes.map(s => s.emulator.close())))

interface Scenario {
  faults: Fault[]
  inputs?: Record<string, string>
}

/** Runs the action against a fresh emulator with faults queued on one path. */
async function scenario(
  path: string,
  { faults, inputs = {} }: Scenario
): Promise<{ run: RunResult; sent: number; sandbox: Sandbox }> {
  const sandbox = await startSandbox({ privateKey: pkcs1, consent: true })
  sandboxes.push(sandbox)
  sandbox.emulator.failNext(path, ...faults)
  const run = await runChecked(sandbox, inputs, { env: { RUNNER_DEBUG: '1' } })
  return { run, sent: sandbox.emulator.requestsTo(path).length, sandbox }
}

/** max-attempts × (timeout-seconds + the largest backoff), plus start-up slack. */
function bound(attempts: number, timeoutS: number): number {
  return attempts * (timeoutS * 1000 + BACKOFF_BASE_MS * 2 ** (attempts - 2)) + 2500
}

const html = (status: number): Fault => ({
  status,
  body: '<html><body>Bad gateway</body></html>',
  headers: { 'Content-Type': 'text/html' }
})
const inAMoment = () => new Date(Date.now() + 3000).toUTCString()

describe.each([TOKEN, USERINFO])('%s', path => {
  describe('a retry wins', () => {
    it.concurrent.each<[string, () => Scenario]>([
      ['HTTP 500', () => ({ faults: [{ status: 500 }] })],
      ['HTTP 502 with an HTML body', () => ({ faults: [html(502)] })],
      ['HTTP 503', () => ({ faults: [{ status: 503 }] })],
      ['HTTP 504', () => ({ faults: [{ status: 504 }] })],
      ['500 then 503', () => ({ faults: [{ status: 500 }, { status: 503 }] })],
      ['HTTP 429 with Retry-After in seconds', () => ({ faults: [{ status: 429, headers: { 'Retry-After': '1' } }] })],
      [
        'HTTP 429 with Retry-After as an HTTP date',
        () => ({ faults: [{ status: 429, headers: { 'Retry-After': inAMoment() } }] })
      ],
      ['a connection reset', () => ({ faults: [{ reset: true }] })],
      ['a server that never answers', () => ({ faults: [{ hang: true }], inputs: { 'timeout-seconds': '1' } })]
    ])('%s, then success', async (_name, make) => {
      const s = make()
      const { run, sent, sandbox } = await scenario(path, s)
      expect(run.exitCode).toBe(0)
      expect(run.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))
      expect(run.outputs['account-id']).toBe(sandbox.accountId)
      expect(sent).toBe(s.faults.length + 1)
      const retryAfter = s.faults[0] && 'headers' in s.faults[0] ? s.faults[0].headers?.['Retry-After'] : undefined
      if (retryAfter) {
        const [first, second] = sandbox.emulator.requestsTo(path)
        expect(second.at - first.at).toBeGreaterThanOrEqual(900)
      }
    })
  })

  describe('a permanent answer is sent exactly once', () => {
    it.concurrent.each<[string, Fault, RegExp]>([
      [
        'HTTP 400 consent_required',
        { status: 400, body: '{"error":"consent_required"}' },
        path === TOKEN ? /Consent required/ : /HTTP 400/
      ],
      [
        'HTTP 400 invalid_grant',
        { status: 400, body: '{"error":"invalid_grant","error_description":"user_not_found"}' },
        path === TOKEN ? /User ID GUID/ : /HTTP 400/
      ],
      ['HTTP 401', { status: 401 }, /HTTP 401/],
      ['HTTP 403', { status: 403 }, /HTTP 403/],
      ['HTTP 404 with HTML', html(404), /HTTP 404/],
      [
        'HTTP 429 with a Retry-After of an hour',
        { status: 429, headers: { 'Retry-After': '3600' } },
        /HTTP 429.*try again later/s
      ]
    ])('%s', async (_name, fault, pattern) => {
      const { run, sent } = await scenario(path, { faults: [fault] })
      expectOneError(run, pattern)
      expect(sent).toBe(1)
    })
  })

  describe('a broken answer fails clearly', () => {
    const bodies: [string, string, RegExp][] =
      path === TOKEN
        ? [
            ['HTML', '<html>portal</html>', /not DocuSign's OAuth JSON/],
            ['not JSON', 'access_token=abc', /not DocuSign's OAuth JSON/],
            ['a JSON array', '[]', /not DocuSign's OAuth JSON/],
            ['no access_token', '{"token_type":"Bearer","expires_in":3600}', /access_token is missing or not a string/],
            [
              'a non-string token',
              '{"access_token":12345,"expires_in":3600}',
              /access_token is missing or not a string/
            ],
            ['a negative expires_in', '{"access_token":"abcdefghijklmnop","expires_in":-1}', /expires_in/],
            ['no expires_in', '{"access_token":"abcdefghijklmnop"}', /expires_in/]
          ]
        : [
            ['HTML', '<html>portal</html>', /not DocuSign's OAuth JSON/],
            ['no accounts list', '{"sub":"x"}', /accounts is missing/],
            ['no accounts', '{"accounts":[]}', /no usable DocuSign account/],
            [
              'no default account among several',
              JSON.stringify({
                accounts: [
                  { account_id: A1, account_name: 'One', is_default: false, base_uri: 'https://na1.docusign.net' },
                  { account_id: A2, account_name: 'Two', is_default: false, base_uri: 'https://na2.docusign.net' }
                ]
              }),
              new RegExp(`none is marked default.*${A1} \\(One\\), ${A2} \\(Two\\)`, 's')
            ],
            ['a malformed account', '{"accounts":[{"account_id":"a1"},"junk"]}', /2 malformed account entries ignored/]
          ]
    it.concurrent.each(bodies)('a 200 with %s', async (_name, body, pattern) => {
      const { run, sent } = await scenario(path, { faults: [{ status: 200, body }] })
      expectOneError(run, pattern)
      expect(sent).toBe(1)
    })

    it.concurrent('a huge body is cut off at 1 MiB and not retried', async () => {
      const { run, sent } = await scenario(path, { faults: [{ hugeBody: 8 * 1024 * 1024 }] })
      expectOneError(run, /larger than 1024 KiB/)
      expect(sent).toBe(1)
    })
  })

  describe('a fault that lasts ends in one error within the bound', () => {
    it.concurrent('HTTP 503 on every attempt', async () => {
      const { run, sent } = await scenario(path, { faults: [{ status: 503 }, { status: 503 }, { status: 503 }] })
      expectOneError(run, /HTTP 503.*try again later/s)
      expect(sent).toBe(3)
      expect(run.durationMs).toBeLessThan(bound(3, 30))
    })

    it.concurrent('a server that never answers', async () => {
      const { run, sent } = await scenario(path, {
        faults: [{ hang: true }, { hang: true }],
        inputs: { 'timeout-seconds': '1', 'max-attempts': '2' }
      })
      expectOneError(run, /after 2 attempts: no complete answer within 1 s/)
      expect(sent).toBe(2)
      expect(run.durationMs).toBeLessThan(bound(2, 1))
    })

    it.concurrent('connection resets on every attempt', async () => {
      const { run, sent } = await scenario(path, {
        faults: [{ reset: true }, { reset: true }],
        inputs: { 'max-attempts': '2' }
      })
      expectOneError(run, /after 2 attempts: ECONNRESET/)
      expect(sent).toBe(2)
    })
  })
})

it.concurrent('nothing listening: one error after the attempts, within the bound', async () => {
  const sandbox = await startSandbox({ privateKey: pkcs1, consent: true })
  await sandbox.emulator.close()
  const run = await runChecked(sandbox, { 'max-attempts': '2', 'timeout-seconds': '2' })
  expectOneError(run, /Could not get an answer from .*\/oauth\/token after 2 attempts: ECONNREFUSED/)
  expect(run.durationMs).toBeLessThan(bound(2, 2))
})
