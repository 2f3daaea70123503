/**
 * `docusign-jwt api`, built, against the emulator's eSignature REST API over real HTTP: paths,
 * credentials, bodies, output, paging, retries by method, DocuSign's errors, and no leak anywhere.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { cli, restUser, sandboxEnv, scratch, type CliRun } from './helpers/cli.js'
import { restServer } from './helpers/rest-server.js'
import { pkcs1 } from './helpers/keys.js'

let sandbox: Sandbox
/** A user whose account's REST API is the emulator itself (base_uri = its loopback URL). */
let userId: string
const accountId = '4c1d2e3f-0000-4000-8000-00000000a001'
let exported: Record<string, string>

const restRequests = () => sandbox.emulator.esign.requests
const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token')
const envelopesPath = () => `/restapi/v2.1/accounts/${accountId}/envelopes`

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
  ;({ userId, exported } = await restUser(sandbox, accountId, 'Rest'))
})
afterAll(() => sandbox.emulator.close())
beforeEach(() => {
  sandbox.emulator.esign.requests.length = 0
})

const signInEnv = (overrides: Record<string, string> = {}) =>
  sandboxEnv(sandbox, 'key-file', { DOCUSIGN_USER_ID: userId, ...overrides })
const run = (args: string[], env: Record<string, string> = exported, tokenOnStdout = false, input?: string) =>
  cli(sandbox, args, { env, tokenOnStdout, input })
const json = (r: CliRun) => JSON.parse(r.stdout) as Record<string, unknown>

const envelope = (subject = 'Please sign') => ({
  emailSubject: subject,
  status: 'sent',
  documents: [{ documentBase64: Buffer.from('%PDF-1.4 test').toString('base64'), name: 'a.pdf', documentId: '1' }],
  recipients: { signers: [{ email: 'signer@example.com', name: 'Signer', recipientId: '1' }] }
})

describe('credentials', () => {
  it('uses the three exported variables as they are: no sign-in', async () => {
    const before = tokenRequests().length
    const r = await run(['api', '/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(0)
    expect(json(r)).toHaveProperty('resultSetSize')
    expect(tokenRequests()).toHaveLength(before)
    expect(restRequests()[0].path).toBe(envelopesPath())
    expect(restRequests()[0].headers.authorization).toBe(`Bearer ${exported.DOCUSIGN_ACCESS_TOKEN}`)
  })

  it('signs in with the sign-in variables when the three are not set', async () => {
    const before = tokenRequests().length
    const r = await run(['api', 'envelopes?from_date=2020-01-01'], signInEnv())
    expect(r.exitCode).toBe(0)
    expect(tokenRequests()).toHaveLength(before + 1)
  })

  it('lets sign-in flags on the command line win over the exported variables', async () => {
    const before = tokenRequests().length
    const env = { ...signInEnv(), ...exported, DOCUSIGN_ACCESS_TOKEN: 'stale-token-value' }
    const r = await run(['api', '/envelopes?from_date=2020-01-01', '--user-id', userId], env)
    expect(r.exitCode).toBe(0)
    expect(tokenRequests()).toHaveLength(before + 1)
  })

  it('names the missing variables when some are set and nothing else to sign in with: exit 2, no request', async () => {
    const r = await run(['api', '/envelopes'], { DOCUSIGN_ACCESS_TOKEN: exported.DOCUSIGN_ACCESS_TOKEN })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/DOCUSIGN_BASE_PATH and DOCUSIGN_ACCOUNT_ID are not set, while DOCUSIGN_ACCESS_TOKEN is/)
    expect(restRequests()).toHaveLength(0)
  })

  it.each([
    [
      'a base path that is not https',
      { DOCUSIGN_BASE_PATH: 'http://evil.example/restapi' },
      /DOCUSIGN_BASE_PATH is not an https/
    ],
    [
      'an account ID that is not a GUID',
      { DOCUSIGN_ACCOUNT_ID: 'acme' },
      /DOCUSIGN_ACCOUNT_ID \(or --account-id\) is not a GUID/
    ]
  ])('refuses %s: exit 2, no request', async (_name, overrides, message) => {
    const r = await run(['api', '/envelopes'], { ...exported, ...overrides })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(restRequests()).toHaveLength(0)
  })
})

describe('paths', () => {
  it('takes a path relative to the base path when it starts with a version, {accountId} replaced', async () => {
    const r = await run(['api', '/v2.1/accounts/{accountId}/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(0)
    expect(restRequests()[0].path).toBe(envelopesPath())
  })

  it('takes a full URL on the base path origin, and encodes --query pairs', async () => {
    const url = `${exported.DOCUSIGN_BASE_PATH}/v2.1/accounts/${accountId}/envelopes`
    const r = await run(['api', url, '--query', 'from_date=2020-01-01T00:00:00+00:00', '--query', 'status=sent'])
    expect(r.exitCode).toBe(0)
    expect(restRequests()[0].query).toContain('from_date=2020-01-01T00%3A00%3A00%2B00%3A00')
    expect(restRequests()[0].query).toContain('status=sent')
  })

  it.each(['https://evil.example/restapi/v2.1/accounts', 'http://localhost:1/x', '//evil.example/x'])(
    'never sends the token to another origin (%s): exit 2, no request',
    async url => {
      const r = await run(['api', url])
      if (url.startsWith('//')) {
        // A protocol-relative path is a path on the base path, never another host.
        expect(restRequests().every(q => q.path.startsWith('/restapi/'))).toBe(true)
      } else {
        expect(r.exitCode).toBe(2)
        expect(r.stderr).toMatch(/is not the base path's .*the token is sent nowhere else/)
        expect(restRequests()).toHaveLength(0)
      }
    }
  )
})

describe('bodies', () => {
  it("POSTs the JSON from stdin (--input -) and prints DocuSign's answer byte for byte", async () => {
    const r = await run(['api', '/envelopes', '--input', '-'], exported, false, JSON.stringify(envelope('From stdin')))
    expect(r.exitCode).toBe(0)
    const answer = json(r)
    expect(answer.status).toBe('sent')
    expect(restRequests()[0].method).toBe('POST')
    const stored = sandbox.emulator.esign.envelopes(accountId).find(e => e.envelopeId === answer.envelopeId)
    expect(stored?.emailSubject).toBe('From stdin')
    expect(r.stdout.endsWith('\n')).toBe(false) // nothing added
  })

  it('builds the body from --field values: strings, raw JSON, dotted names', async () => {
    const e = envelope('From fields')
    const r = await run([
      'api',
      '/envelopes',
      '--field',
      'emailSubject=From fields',
      '--field',
      'status=sent',
      '--field',
      `documents:=${JSON.stringify(e.documents)}`,
      '--field',
      `recipients.signers:=${JSON.stringify(e.recipients.signers)}`
    ])
    expect(r.exitCode).toBe(0)
    const stored = sandbox.emulator.esign.envelopes(accountId).find(x => x.envelopeId === json(r).envelopeId)
    expect(stored?.emailSubject).toBe('From fields')
  })

  it.each([
    [['--field', 'documents:=[oops'], /--field documents:= is not valid JSON/],
    [['--field', 'a=1', '--input', '-'], /Give --input or --field, not both/],
    [['-H', 'Authorization: Bearer other'], /--header Authorization is refused/],
    [['-X', 'TRACE'], /-X\/--method must be one of/],
    [['--paginate', '-X', 'POST'], /--paginate goes with GET/]
  ])('refuses %j: exit 2, no request', async (flags, message) => {
    const r = await run(['api', '/envelopes', ...flags])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(restRequests()).toHaveLength(0)
  })
})

describe('output', () => {
  it('--include prints the status line and the headers before the body', async () => {
    const r = await run(['api', '-i', '/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(r.stdout).toMatch(/\r\nX-RateLimit-Remaining: \d+\r\n/i)
    expect(JSON.parse(r.stdout.split('\r\n\r\n')[1])).toHaveProperty('resultSetSize')
  })

  it('--output streams a large combined PDF to a file, byte for byte', async () => {
    const created = json(await run(['api', '/envelopes', '--input', '-'], exported, false, JSON.stringify(envelope())))
    const stored = sandbox.emulator.esign.envelopes(accountId).find(e => e.envelopeId === created.envelopeId)!
    stored.combinedSize = 20 * 1024 * 1024
    const file = join(scratch(), 'combined.pdf')
    const r = await run(['api', `/envelopes/${String(created.envelopeId)}/documents/combined`, '-o', file])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toBe('')
    expect(statSync(file).size).toBeGreaterThanOrEqual(20 * 1024 * 1024)
    expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-')
  })

  it('writes nothing to --output on a 4xx', async () => {
    const file = join(scratch(), 'missing.pdf')
    const r = await run(['api', '/envelopes/00000000-0000-4000-8000-000000000000/documents/combined', '-o', file])
    expect(r.exitCode).toBe(4)
    expect(existsSync(file)).toBe(false)
  })
})

describe('--paginate', () => {
  it('follows nextUri and prints one JSON document with every envelope', async () => {
    sandbox.emulator.esign.seedEnvelopes(accountId, 250, new Date('2021-01-01T00:00:00Z'))
    const r = await run(['api', '/envelopes', '--query', 'from_date=2021-01-01', '--query', 'count=100', '--paginate'])
    expect(r.exitCode).toBe(0)
    const all = json(r)
    const envelopes = all.envelopes as unknown[]
    expect(envelopes.length).toBe(Number(all.totalSetSize))
    expect(envelopes.length).toBeGreaterThanOrEqual(250)
    expect(all.resultSetSize).toBe(String(envelopes.length))
    expect(all).not.toHaveProperty('nextUri')
    expect(all).not.toHaveProperty('previousUri')
    expect(restRequests().length).toBe(Math.ceil(envelopes.length / 100))
  })
})

describe("retries by method, and DocuSign's errors", () => {
  it('retries a GET after a 503 and a 429, and succeeds', async () => {
    const before = sandbox.emulator.requestsTo(envelopesPath()).length
    sandbox.emulator.failNext(envelopesPath(), { status: 503 }, { status: 429, headers: { 'Retry-After': '0' } })
    const r = await run(['api', '/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(0)
    expect(sandbox.emulator.requestsTo(envelopesPath())).toHaveLength(before + 3)
  })

  it('never repeats a POST after a 5xx: exit 5, and says to check before sending again', async () => {
    const before = sandbox.emulator.requestsTo(envelopesPath()).length
    sandbox.emulator.failNext(envelopesPath(), { status: 500 })
    const r = await run(['api', '/envelopes', '--input', '-'], exported, false, JSON.stringify(envelope()))
    expect(r.exitCode).toBe(5)
    expect(sandbox.emulator.requestsTo(envelopesPath())).toHaveLength(before + 1)
    expect(r.stderr).toMatch(/is not repeated after a 5xx: check whether it took effect/)
  })

  it('repeats a POST that DocuSign refused with 429 (it was not taken)', async () => {
    const before = sandbox.emulator.requestsTo(envelopesPath()).length
    sandbox.emulator.failNext(envelopesPath(), { status: 429, headers: { 'Retry-After': '0' } })
    const r = await run(['api', '/envelopes', '--input', '-'], exported, false, JSON.stringify(envelope()))
    expect(r.exitCode).toBe(0)
    expect(sandbox.emulator.requestsTo(envelopesPath())).toHaveLength(before + 2)
  })

  it("treats DocuSign's hourly limit answered as 400 like a 429, and says when it resets", async () => {
    const reset = Math.floor(Date.now() / 1000) + 3000
    const limited = {
      status: 400,
      body: JSON.stringify({
        errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
        message: 'The maximum number of hourly API invocations has been exceeded. The hourly limit is 1000.'
      }),
      headers: { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) }
    }
    sandbox.emulator.failNext(envelopesPath(), limited)
    const r = await run(['api', '/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(5)
    expect(r.stderr).toMatch(/HOURLY_APIINVOCATION_LIMIT_EXCEEDED/)
    expect(r.stderr).toContain(`resets at ${new Date(reset * 1000).toISOString()}`)
    expect(r.stderr).toMatch(/troubleshooting\.md#rest-rate-limited/)
    expect(r.stderr).toMatch(/hourly API limit for this account is nearly used: 0 of 1000/)
  })

  it('says when the hourly or burst limit falls under a tenth, once', async () => {
    sandbox.emulator.failNext(envelopesPath(), {
      status: 200,
      body: '{"resultSetSize":"0"}',
      headers: {
        'X-RateLimit-Limit': '3000',
        'X-RateLimit-Remaining': '120',
        'X-BurstLimit-Limit': '200',
        'X-BurstLimit-Remaining': '5'
      }
    })
    const r = await run(['api', '/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/hourly API limit .* 120 of 3000 calls left/),
      expect.stringMatching(/30-second burst limit .* 5 of 200 calls left/)
    ])
  })

  it("a refused token: exit 4, DocuSign's errorCode, the fix, the trace token, and no token shown", async () => {
    const r = await run(['api', '/envelopes?from_date=2020-01-01'], {
      ...exported,
      DOCUSIGN_ACCESS_TOKEN: 'eyJ0eXAiOiJNVCJ9.expired-or-unknown'
    })
    expect(r.exitCode).toBe(4)
    expect(r.stderr).toMatch(/HTTP 401 \(USER_AUTHENTICATION_FAILED/)
    expect(r.stderr).toMatch(/Sign in again/)
    expect(r.stderr).toMatch(/X-DocuSign-TraceToken [0-9a-f-]{36}/)
    expect(r.stderr).toMatch(/troubleshooting\.md#rest-token-refused/)
    expect(r.stderr).not.toContain('expired-or-unknown')
  })

  it("an unknown envelope: exit 4 with DocuSign's words", async () => {
    const r = await run(['api', '/envelopes/00000000-0000-4000-8000-000000000000'])
    expect(r.exitCode).toBe(4)
    expect(r.stderr).toMatch(/ENVELOPE_DOES_NOT_EXIST/)
  })

  it('never follows a redirect: exit 5', async () => {
    sandbox.emulator.failNext(envelopesPath(), { status: 302, headers: { Location: 'https://evil.example/' } })
    const r = await run(['api', '/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(5)
    expect(r.stderr).toMatch(/HTTP 302.*Redirects are never followed/s)
  })

  it('scrubs a token DocuSign echoes, and breaks up workflow commands in its message', async () => {
    sandbox.emulator.failNext(envelopesPath(), {
      status: 400,
      body: JSON.stringify({
        errorCode: 'INVALID_REQUEST_PARAMETER',
        message: `bad ${exported.DOCUSIGN_ACCESS_TOKEN} ##[error]forged ##vso[task.setvariable variable=x]1`
      })
    })
    const r = await run(['api', '/envelopes?from_date=2020-01-01'])
    expect(r.exitCode).toBe(4)
    expect(r.stderr).not.toContain(exported.DOCUSIGN_ACCESS_TOKEN)
    expect(r.stderr).not.toMatch(/##(vso)?\[/)
    expect(r.stderr).toMatch(/# #\[error\]forged/)
  })

  it('reads the body from a file with --input FILE', async () => {
    const file = join(scratch(), 'envelope.json')
    writeFileSync(file, JSON.stringify(envelope('From a file')))
    const r = await run(['api', '/envelopes', '--input', file])
    expect(r.exitCode).toBe(0)
    expect(json(r).status).toBe('sent')
  })
})

describe('a hostile or broken REST server (found by an independent attack)', () => {
  const server = async (handler: http.RequestListener) => {
    const s = await restServer(handler, exported)
    return { ...s, hits: () => s.hits.length }
  }

  it('prints a created envelope and exits 0 whatever X-RateLimit-Reset holds', async () => {
    const s = await server((_req, res) => {
      res.writeHead(201, {
        'X-RateLimit-Limit': '1000',
        'X-RateLimit-Remaining': '1',
        'X-RateLimit-Reset': '99999999999999'
      })
      res.end('{"envelopeId":"abc"}')
    })
    try {
      const r = await run(['api', '/envelopes', '--field', 'a=b'], s.env)
      expect({ exitCode: r.exitCode, stdout: r.stdout }).toEqual({ exitCode: 0, stdout: '{"envelopeId":"abc"}' })
      expect(r.stderr).toMatch(/hourly API limit .* 1 of 1000 calls left\.$/m)
    } finally {
      await s.close()
    }
  })

  it('never repeats a POST after a 5xx, even one that names a rate limit', async () => {
    const s = await server((_req, res) => {
      res.writeHead(503, { 'Retry-After': '0', 'Content-Type': 'application/json' })
      res.end('{"errorCode":"BURST_APIINVOCATION_LIMIT_EXCEEDED","message":"slow down"}')
    })
    try {
      const r = await run(['api', '/envelopes', '--field', 'a=b'], s.env)
      expect(r.exitCode).toBe(5)
      expect(s.hits()).toBe(1)
    } finally {
      await s.close()
    }
  })

  it.each([
    ['an error body', 500, []],
    ['a page of --paginate', 200, ['--paginate']],
    ['a body streamed to stdout', 200, []]
  ])('gives up on %s that drips a byte at a time', async (_name, status, flags) => {
    const s = await server((_req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      const drip = setInterval(() => res.write(' '), 200)
      res.on('close', () => clearInterval(drip))
    })
    try {
      const started = Date.now()
      const r = await run(
        ['api', '/envelopes?from_date=2020-01-01', '--timeout-seconds', '2', '--max-attempts', '1', ...flags],
        s.env
      )
      expect(r.exitCode).toBe(5)
      expect(Date.now() - started).toBeLessThan(8000)
    } finally {
      await s.close()
    }
  })

  it('refuses a list nested deeper than a JSON document can be printed: exit 5, no stack trace', async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(`{"envelopes":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`)
    })
    try {
      const r = await run(['api', '/envelopes?from_date=2020-01-01', '--paginate'], s.env)
      expect(r.exitCode).toBe(5)
      expect(r.stderr).not.toMatch(/Unexpected error/)
    } finally {
      await s.close()
    }
  })

  it('scrubs a long token a server quotes after other words, though the border cut it', async () => {
    const s = await server((_req, res) => {
      res.writeHead(400, { 'Content-Type': 'application/json' })
      // Long enough that the border cuts it in the middle of the token.
      res.end(
        JSON.stringify({
          errorCode: 'BAD',
          message: `${'x'.repeat(100)} The token ${exported.DOCUSIGN_ACCESS_TOKEN} is bad`
        })
      )
    })
    try {
      const r = await run(['api', '/envelopes?from_date=2020-01-01'], s.env)
      expect(r.exitCode).toBe(4)
      expect(r.stderr).toMatch(/The token \*\*\*…/)
      expect(r.stderr).not.toContain(exported.DOCUSIGN_ACCESS_TOKEN.slice(0, 40))
    } finally {
      await s.close()
    }
  })
})
