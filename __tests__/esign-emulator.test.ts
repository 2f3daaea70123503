import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { EsignApi, type TokenInfo } from '../emulator/esign.js'

const ACCOUNT = '9f5a1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b'
const OTHER_ACCOUNT = '11111111-2222-4333-8444-555555555555'
const USER = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
const tokens = new Map<string, TokenInfo>()
tokens.set('good', { userId: USER, expiresAt: Date.now() + 3_600_000 })
tokens.set('expired', { userId: USER, expiresAt: Date.now() - 1000 })

let api: EsignApi
let server: http.Server
let base: string
const ROOT = () => `${base}/restapi/v2.1/accounts/${ACCOUNT}`

function newApi(options: Partial<ConstructorParameters<typeof EsignApi>[0]> = {}): EsignApi {
  return new EsignApi({
    tokenInfo: t => tokens.get(t),
    accountsOf: u => (u === USER ? [ACCOUNT] : []),
    ...options
  })
}

beforeAll(async () => {
  // What the OAuth emulator's server will do: read the body, hand /restapi/ to EsignApi.
  server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://emulator')
    if (url.pathname.startsWith('/restapi/')) return api.handle(req, res, url, Buffer.concat(chunks))
    res.writeHead(404).end()
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})
beforeEach(() => {
  api = newApi()
})

const auth = (token = 'good') => ({ Authorization: `Bearer ${token}` })

async function call(
  path: string,
  init: RequestInit = {}
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(path.startsWith('http') ? path : `${ROOT()}${path}`, {
    ...init,
    headers: { ...auth(), ...(init.headers as Record<string, string>) }
  })
  const text = await res.text()
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}

const envelope = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    emailSubject: 'Please sign the agreement',
    documents: [
      {
        documentBase64: Buffer.from('%PDF-1.4 agreement').toString('base64'),
        name: 'Agreement',
        fileExtension: 'pdf',
        documentId: '1'
      }
    ],
    recipients: { signers: [{ email: 'dana@example.com', name: 'Dana', recipientId: '1', routingOrder: '1' }] },
    status: 'sent',
    ...overrides
  })

const post = (body: string, headers: Record<string, string> = {}) =>
  call('/envelopes', { method: 'POST', body, headers: { 'Content-Type': 'application/json', ...headers } })

describe('eSignature emulator: envelopes', () => {
  it('creates an envelope, gets it, and serves its combined PDF', async () => {
    const created = await post(envelope())
    expect(created.status).toBe(201)
    const id = String(created.body.envelopeId)
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(created.body).toEqual({
      envelopeId: id,
      uri: `/envelopes/${id}`,
      statusDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/),
      status: 'sent'
    })
    expect(api.envelopes(ACCOUNT)[0].documents[0].bytes.toString()).toBe('%PDF-1.4 agreement')

    const got = await call(`/envelopes/${id}`)
    expect(got.status).toBe(200)
    expect(got.body).toMatchObject({
      envelopeId: id,
      status: 'sent',
      emailSubject: 'Please sign the agreement',
      envelopeUri: `/envelopes/${id}`,
      documentsCombinedUri: `/envelopes/${id}/documents/combined`,
      sender: { userId: USER, accountId: ACCOUNT }
    })
    expect(got.body.recipients).toBeUndefined()
    const withRecipients = await call(`/envelopes/${id}?include=recipients`)
    expect(withRecipients.body.recipients).toMatchObject({ signers: [{ email: 'dana@example.com' }] })

    const pdf = await fetch(`${ROOT()}/envelopes/${id}/documents/combined`, { headers: auth() })
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(pdf.headers.get('content-disposition')).toBe('file; filename="Please sign the agreement.pdf"')
    const bytes = Buffer.from(await pdf.arrayBuffer())
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    expect(bytes.toString('latin1')).toContain('(Document 1: Agreement) Tj')
    expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true)
    expect(Number(pdf.headers.get('content-length'))).toBe(bytes.length)
  })

  it('saves a draft without documents, and refuses to send one', async () => {
    const draft = await post(JSON.stringify({ emailSubject: 'Draft', status: 'created' }))
    expect(draft.status).toBe(201)
    expect(draft.body.status).toBe('created')
    const incomplete = await post(envelope({ documents: [] }))
    expect(incomplete.status).toBe(400)
    expect(incomplete.body).toEqual({
      errorCode: 'ENVELOPE_IS_INCOMPLETE',
      message:
        'The Envelope is not Complete. A Complete Envelope Requires Documents, Recipients, Tabs, and a Subject Line.'
    })
    expect(api.envelopes(ACCOUNT)).toHaveLength(1)
  })

  it('refuses a body that is not JSON', async () => {
    const bad = await post('{"emailSubject": ')
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({
      errorCode: 'INVALID_REQUEST_BODY',
      message: 'The request body is missing or improperly formatted.'
    })
    expect(api.envelopes(ACCOUNT)).toHaveLength(0)
  })

  it('answers ENVELOPE_DOES_NOT_EXIST for an unknown envelope, and a bad ID as an invalid parameter', async () => {
    const unknown = await call('/envelopes/0b6e1c6a-9d9e-4f2e-8b1a-3c4d5e6f7a8b')
    expect(unknown.status).toBe(404)
    expect(unknown.body.errorCode).toBe('ENVELOPE_DOES_NOT_EXIST')
    const combined = await call('/envelopes/0b6e1c6a-9d9e-4f2e-8b1a-3c4d5e6f7a8b/documents/combined')
    expect(combined.status).toBe(404)
    expect((await call('/envelopes/%E0%A4%A')).body.errorCode).toBe('INVALID_REQUEST_PARAMETER')
    const malformed = await call('/envelopes/not-a-guid')
    expect(malformed.status).toBe(400)
    expect(malformed.body).toEqual({
      errorCode: 'INVALID_REQUEST_PARAMETER',
      message: 'The request contained at least one invalid parameter. Invalid value specified for envelopeId.'
    })
  })

  it('streams a large combined PDF', async () => {
    api.seedEnvelopes(ACCOUNT, 1)
    const [seeded] = api.envelopes(ACCOUNT)
    seeded.combinedSize = 40 * 1024 * 1024 + 123
    const res = await fetch(`${ROOT()}/envelopes/${seeded.envelopeId}/documents/combined`, { headers: auth() })
    expect(res.status).toBe(200)
    const length = Number(res.headers.get('content-length'))
    let received = 0
    let first = ''
    let last = Buffer.alloc(0)
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      if (!first) first = Buffer.from(chunk.subarray(0, 5)).toString()
      received += chunk.length
      last = Buffer.concat([last, Buffer.from(chunk)]).subarray(-600)
    }
    expect(first).toBe('%PDF-')
    expect(received).toBe(length)
    expect(received).toBeGreaterThan(40 * 1024 * 1024)
    // The xref offset points at the xref table, past the padding.
    const tail = last.toString('latin1')
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(tail)?.[1])
    expect(received - startxref).toBe(tail.length - tail.indexOf('xref\n0 '))
  })
})

describe('eSignature emulator: listStatusChanges paging', () => {
  it('pages through three pages following nextUri exactly as given', async () => {
    api.seedEnvelopes(ACCOUNT, 25, new Date('2026-01-10T00:00:00Z'))
    const fromDate = '2026-01-01T00:00:00%2B00:00'
    let next = `${ROOT()}/envelopes?from_date=${fromDate}&count=10`
    const pages: Record<string, unknown>[] = []
    while (next) {
      const page = await call(next)
      expect(page.status).toBe(200)
      pages.push(page.body)
      const nextUri = String(page.body.nextUri)
      next = nextUri ? `${base}/restapi/v2.1${nextUri}` : ''
    }
    expect(pages.map(p => [p.resultSetSize, p.startPosition, p.endPosition, p.totalSetSize])).toEqual([
      ['10', '0', '9', '25'],
      ['10', '10', '19', '25'],
      ['5', '20', '24', '25']
    ])
    expect(pages[0].nextUri).toBe(`/accounts/${ACCOUNT}/envelopes?start_position=10&count=10&from_date=${fromDate}`)
    expect(pages[0].previousUri).toBe('')
    expect(pages[2].previousUri).toBe(`/accounts/${ACCOUNT}/envelopes?start_position=10&count=10&from_date=${fromDate}`)
    expect(pages[2].nextUri).toBe('')
    const ids = pages.flatMap(p => (p.envelopes as { envelopeId: string }[]).map(e => e.envelopeId))
    expect(ids).toEqual(api.envelopes(ACCOUNT).map(e => e.envelopeId))
  })

  it('filters by from_date and status, returns at most 1,000, and needs from_date', async () => {
    api.seedEnvelopes(ACCOUNT, 1005, new Date('2026-01-10T00:00:00Z'))
    const all = await call('/envelopes?from_date=2026-01-01')
    expect(all.body).toMatchObject({ resultSetSize: '1000', totalSetSize: '1005', endPosition: '999' })
    const later = await call(`/envelopes?from_date=${encodeURIComponent('2026-01-10T00:16:00Z')}`)
    expect(later.body.totalSetSize).toBe('45')
    const none = await call('/envelopes?from_date=2026-01-01&status=completed')
    expect(none.body).toMatchObject({ resultSetSize: '0', totalSetSize: '0', endPosition: '-1', nextUri: '' })
    expect(none.body.envelopes).toBeUndefined()

    const missing = await call('/envelopes')
    expect(missing.status).toBe(400)
    expect(missing.body.errorCode).toBe('INVALID_REQUEST_PARAMETER')
    expect(String(missing.body.message)).toContain("Query parameter 'from_date' must be set to a valid DateTime")
    expect((await call('/envelopes?from_date=yesterday')).status).toBe(400)
  })
})

describe('eSignature emulator: authentication', () => {
  it.each([
    ['no token', {}, 'PARTNER_AUTHENTICATION_FAILED'],
    ['an unknown token', auth('forged'), 'USER_AUTHENTICATION_FAILED'],
    ['an expired token', auth('expired'), 'AUTHORIZATION_INVALID_TOKEN'],
    ['a Basic header', { Authorization: 'Basic Z29vZDo=' }, 'PARTNER_AUTHENTICATION_FAILED']
  ])('answers 401 to %s', async (_name, headers, errorCode) => {
    const res = await fetch(`${ROOT()}/envelopes?from_date=2026-01-01`, { headers })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { errorCode: string }).errorCode).toBe(errorCode)
    expect(res.headers.get('x-ratelimit-remaining')).toBe('2999')
  })

  it('refuses an account the user does not belong to', async () => {
    const res = await call(`${base}/restapi/v2.1/accounts/${OTHER_ACCOUNT}/envelopes?from_date=2026-01-01`)
    expect(res.status).toBe(400)
    expect(res.body.errorCode).toBe('USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT')
  })

  it('answers 404 with a JSON error to an unknown resource', async () => {
    for (const [method, path] of [
      ['GET', `${ROOT()}/templates`],
      ['DELETE', `${ROOT()}/envelopes`],
      ['GET', `${base}/restapi/v2/accounts/${ACCOUNT}/envelopes`],
      ['GET', `${ROOT()}/envelopes/%E0%A4%A/documents/certificate`]
    ]) {
      const res = await call(path, { method })
      expect([method, path, res.status, res.body.errorCode]).toEqual([method, path, 404, 'RESOURCE_NOT_FOUND'])
      expect(res.headers.get('x-docusign-tracetoken')).toBeTruthy()
    }
  })
})

describe('eSignature emulator: limits and headers', () => {
  it('puts the limit headers and a trace token on every answer, counting down per account', async () => {
    const answers = [
      await post(envelope(), { 'Accept-Encoding': 'gzip, deflate, br' }),
      await call('/envelopes?from_date=2026-01-01'),
      await call('/envelopes'),
      await call('/envelopes/not-a-guid'),
      await call(`${ROOT()}/envelopes?from_date=2026-01-01`, { headers: auth('forged') })
    ]
    expect(answers.map(a => a.status)).toEqual([201, 200, 400, 400, 401])
    expect(answers.map(a => a.headers.get('x-ratelimit-remaining'))).toEqual(['2999', '2998', '2997', '2996', '2995'])
    expect(answers.map(a => a.headers.get('x-burstlimit-remaining'))).toEqual(['199', '198', '197', '196', '195'])
    const traces = new Set<string>()
    for (const { headers } of answers) {
      expect(headers.get('x-ratelimit-limit')).toBe('3000')
      expect(headers.get('x-burstlimit-limit')).toBe('200')
      const reset = Number(headers.get('x-ratelimit-reset'))
      expect(reset % 3600).toBe(0) // the top of the hour
      expect(reset * 1000).toBeGreaterThan(Date.now())
      expect(reset * 1000 - Date.now()).toBeLessThanOrEqual(3_600_000)
      expect(headers.get('content-encoding')).toBeNull()
      expect(headers.get('retry-after')).toBeNull()
      traces.add(String(headers.get('x-docusign-tracetoken')))
    }
    expect([...traces].every(t => /^[0-9a-f-]{36}$/.test(t))).toBe(true)
    expect(traces.size).toBe(5)
    // Another account has its own counts.
    const other = await call(`${base}/restapi/v2.1/accounts/${OTHER_ACCOUNT}/envelopes?from_date=2026-01-01`)
    expect(other.headers.get('x-ratelimit-remaining')).toBe('2999')
    expect(api.requests.map(r => r.status)).toEqual([201, 200, 400, 400, 401, 400])
    expect(api.requests[1]).toMatchObject({ method: 'GET', path: `/restapi/v2.1/accounts/${ACCOUNT}/envelopes` })
    expect(api.requests[1].query).toBe('from_date=2026-01-01')
  })

  it('answers over the hourly limit on demand until the reset, without Retry-After', async () => {
    api.failNext({ rateLimited: 'hourly', resetInSeconds: 1 })
    const limited = await call('/envelopes?from_date=2026-01-01')
    expect(limited.status).toBe(429)
    expect(limited.body).toEqual({
      errorCode: 'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
      message: 'The maximum number of hourly API invocations has been exceeded. The hourly limit is 3000.'
    })
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0')
    const reset = Number(limited.headers.get('x-ratelimit-reset'))
    expect(reset).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000))
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 2)
    expect(limited.headers.get('retry-after')).toBeNull()
    expect((await call('/envelopes?from_date=2026-01-01')).status).toBe(429)
    // Waiting until X-RateLimit-Reset is enough.
    await new Promise(resolve => setTimeout(resolve, reset * 1000 - Date.now() + 5))
    const after = await call('/envelopes?from_date=2026-01-01')
    expect(after.status).toBe(200)
    expect(after.headers.get('x-ratelimit-remaining')).toBe('2999')
  })

  it('answers over the burst limit, on demand and when the calls run out; 400 when configured', async () => {
    api = newApi({ burstLimit: 3 })
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await call('/envelopes?from_date=2026-01-01')).status)
    expect(statuses).toEqual([200, 200, 200, 429])
    const burst = await call('/envelopes?from_date=2026-01-01')
    expect(burst.body.errorCode).toBe('BURST_APIINVOCATION_LIMIT_EXCEEDED')
    expect(burst.headers.get('x-burstlimit-remaining')).toBe('0')
    expect(burst.headers.get('x-ratelimit-remaining')).toBe('2997')

    api = newApi({ limitStatus: 400 })
    api.failNext({ rateLimited: 'burst', resetInSeconds: 60 })
    const onDemand = await call('/envelopes?from_date=2026-01-01')
    expect([onDemand.status, onDemand.body.errorCode]).toEqual([400, 'BURST_APIINVOCATION_LIMIT_EXCEEDED'])
  })

  it('serves canned faults: a status, a reset connection, a hang', async () => {
    api.failNext({ status: 503, body: '<html>Service Unavailable</html>', headers: { 'Content-Type': 'text/html' } })
    const canned = await fetch(`${ROOT()}/envelopes?from_date=2026-01-01`, { headers: auth() })
    expect(canned.status).toBe(503)
    expect(canned.headers.get('content-type')).toBe('text/html')
    expect(canned.headers.get('x-ratelimit-remaining')).toBe('2999')
    expect(await canned.text()).toBe('<html>Service Unavailable</html>')

    api.failNext({ reset: true })
    await expect(fetch(`${ROOT()}/envelopes?from_date=2026-01-01`, { headers: auth() })).rejects.toThrow()

    api.failNext({ hang: true })
    const hung = fetch(`${ROOT()}/envelopes?from_date=2026-01-01`, {
      headers: auth(),
      signal: AbortSignal.timeout(200)
    })
    await expect(hung).rejects.toThrow()
    expect((await call('/envelopes?from_date=2026-01-01')).status).toBe(200)
  })
})
