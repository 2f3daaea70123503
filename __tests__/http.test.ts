import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { DocuSignEmulator } from '../emulator/docusign.js'
import { NetworkError } from '../src/core/errors.js'
import { Http, MAX_BODY_BYTES, type HttpPolicy, type HttpRequest } from '../src/core/http.js'

let emulator: DocuSignEmulator
let slept: number[]
const PATH = '/oauth/userinfo'

function policy(overrides: Partial<HttpPolicy> = {}): HttpPolicy {
  return {
    timeoutMs: 2000,
    maxAttempts: 3,
    debug: () => undefined,
    sleep: async ms => void slept.push(ms),
    ...overrides
  }
}

/** Sends with a client of its own, closed afterwards, as a run does. */
async function send(req: HttpRequest, p: HttpPolicy = policy()) {
  const http = new Http(p)
  try {
    return await http.send(req)
  } finally {
    http.close()
  }
}

const get = (p = policy()) => send({ method: 'GET', url: `${emulator.url}${PATH}`, headers: {} }, p)

beforeAll(async () => {
  emulator = await DocuSignEmulator.start()
})
afterAll(() => emulator.close())

describe('Http.send', () => {
  beforeEach(() => {
    slept = []
    emulator.requests.length = 0
  })

  it.each([500, 502, 503, 504])('retries HTTP %i and returns the answer that follows', async status => {
    emulator.failNext(PATH, { status })
    const res = await get()
    expect(res.status).toBe(401) // the emulator's own answer without a token
    expect(emulator.requestsTo(PATH)).toHaveLength(2)
    expect(slept).toHaveLength(1)
    expect(slept[0]).toBeGreaterThanOrEqual(500)
    expect(slept[0]).toBeLessThanOrEqual(1000)
  })

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    emulator.failNext(
      PATH,
      { status: 429, headers: { 'Retry-After': '7' } },
      { status: 503, headers: { 'Retry-After': new Date(Date.now() + 20_000).toUTCString() } }
    )
    await get()
    expect(slept[0]).toBe(7000)
    expect(slept[1]).toBeGreaterThan(17_000)
    expect(slept[1]).toBeLessThanOrEqual(20_000)
  })

  it('does not wait for a Retry-After beyond a minute, and returns the answer', async () => {
    emulator.failNext(PATH, { status: 429, headers: { 'Retry-After': '3600' } })
    expect((await get()).status).toBe(429)
    expect(emulator.requestsTo(PATH)).toHaveLength(1)
  })

  it('returns the last retryable answer when attempts run out', async () => {
    emulator.failNext(PATH, { status: 503 }, { status: 503 }, { status: 503 })
    expect((await get()).status).toBe(503)
    expect(emulator.requestsTo(PATH)).toHaveLength(3)
  })

  it('never retries other 4xx', async () => {
    emulator.failNext(PATH, { status: 400, body: '{"error":"consent_required"}' })
    expect((await get()).status).toBe(400)
    expect(emulator.requestsTo(PATH)).toHaveLength(1)
  })

  it('retries a reset connection', async () => {
    emulator.failNext(PATH, { reset: true })
    expect((await get()).status).toBe(401)
    expect(emulator.requestsTo(PATH)).toHaveLength(2)
  })

  it('gives up on a server that never answers, each attempt bounded by the timeout', async () => {
    emulator.failNext(PATH, { hang: true }, { hang: true })
    const started = Date.now()
    await expect(get(policy({ timeoutMs: 300, maxAttempts: 2 }))).rejects.toThrow(
      /after 2 attempts: no complete answer within 0.3 s/
    )
    expect(Date.now() - started).toBeLessThan(2000)
  })

  it('refuses a huge body without retrying', async () => {
    emulator.failNext(PATH, { hugeBody: MAX_BODY_BYTES + 10 })
    await expect(get()).rejects.toThrow(/larger than 1024 KiB/)
    expect(emulator.requestsTo(PATH)).toHaveLength(1)
  })

  it('explains an unreachable server after the attempts', async () => {
    const closed = await DocuSignEmulator.start()
    const url = `${closed.url}${PATH}`
    await closed.close()
    const error = (await send({ method: 'GET', url, headers: {} }, policy({ maxAttempts: 2 })).catch(e => e)) as Error
    expect(error).toBeInstanceOf(NetworkError)
    expect(error.message).toMatch(/after 2 attempts: ECONNREFUSED/)
    expect(error.message).toMatch(/HTTPS_PROXY/)
  })

  it('builds the body afresh for each attempt', async () => {
    emulator.failNext('/oauth/token', { status: 502 })
    let n = 0
    await send(
      { method: 'POST', url: `${emulator.url}/oauth/token`, headers: {}, body: async () => `attempt=${++n}` },
      policy()
    )
    expect(emulator.requestsTo('/oauth/token').map(r => r.body)).toEqual(['attempt=1', 'attempt=2'])
  })
})
