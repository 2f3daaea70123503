/**
 * The part of DocuSign's eSignature REST API (v2.1) that the examples use, for the emulator's HTTP
 * server to delegate `/restapi/` to: create an envelope, list envelopes (Envelopes: listStatusChanges,
 * with DocuSign's paging), get one, and download its combined PDF. Answers follow DocuSign's shapes:
 * numbers as strings, dates with seven fractional digits, `{errorCode, message}` errors, and the
 * rate-limit headers on every answer. Each choice cites where it comes from; "not confirmed" marks the
 * ones no public source settled.
 */
import { randomUUID } from 'node:crypto'
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http'

export interface TokenInfo {
  userId: string
  /** When the token expires (ms since the epoch). */
  expiresAt: number
}

export interface EsignOptions {
  /** Who an access token belongs to; undefined for a token never issued. */
  tokenInfo: (token: string) => TokenInfo | undefined
  /** The account IDs the user may use. */
  accountsOf: (userId: string) => string[]
  /** Calls per account per 30 seconds: 200 in the developer environment, 500 in production. */
  burstLimit?: number
  /** Calls per account per hour (DocuSign's default: 3,000). */
  hourlyLimit?: number
  /**
   * The status of an over-the-limit answer. 429 by default; DocuSign answered 400 with the same body
   * in a recorded response (SailPoint saas-conn-docusign test fixture, 2021, `statusCode: 400`), and a
   * 2025 connector (conductorone/baton-docusign, pkg/client) calls it "HTTP 400 today and
   * mid-migration to 429": 400 tests that a client keys off errorCode, not the status.
   */
  limitStatus?: 400 | 429
}

/** A canned answer for the next request, or a limit to exhaust (see failNext). */
export type EsignFault =
  | { status: number; body?: string; headers?: Record<string, string> }
  | { hang: true }
  | { reset: true }
  | { rateLimited: 'hourly' | 'burst'; resetInSeconds?: number }

export interface EsignRequest {
  method: string
  path: string
  /** The raw query string, without '?'. */
  query: string
  headers: IncomingHttpHeaders
  /** When it arrived (ms since the epoch). */
  at: number
  /** The status answered, once answered. */
  status?: number
}

export interface StoredDocument {
  documentId: string
  name: string
  fileExtension?: string
  /** The decoded documentBase64. */
  bytes: Buffer
}

export interface StoredEnvelope {
  envelopeId: string
  accountId: string
  /** The user whose token created it. */
  senderUserId: string
  emailSubject: string
  emailBlurb?: string
  status: string
  documents: StoredDocument[]
  /** The request's `recipients`, as sent. */
  recipients?: unknown
  /** Times in ms since the epoch. */
  created: number
  lastModified: number
  statusChanged: number
  sent?: number
  /** Serve the combined PDF padded to about this many bytes, streamed (for download tests). */
  combinedSize?: number
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** listStatusChanges returns at most 1,000 results per call since January 2024 (DocuSign blog,
 * "From the Trenches: API pagination"); with no `count` the emulator returns that many. */
const MAX_COUNT = 1000
const BURST_WINDOW_MS = 30_000

type ErrorAnswer = [status: number, errorCode: string, message: string]

/** No Authorization header: 401 PARTNER_AUTHENTICATION_FAILED (docusign-esign-java-client#191,
 * #101; docusign-objc-client#11: SDKs that dropped the header got exactly this). */
const NO_CREDENTIALS: ErrorAnswer = [
  401,
  'PARTNER_AUTHENTICATION_FAILED',
  'The specified Integrator Key was not found or is disabled. An Integrator key was not specified.'
]
/** A token DocuSign does not know (docusign/code-examples-php#44; Databuzz support, "OAuth Authentication Errors"). */
const UNKNOWN_TOKEN: ErrorAnswer = [
  401,
  'USER_AUTHENTICATION_FAILED',
  'One or both of Username and Password are invalid. Invalid access token'
]
/** An expired token: the code and text of DocuSign Community topic 5602 and of the Troubleshooting
 * page's list. Not confirmed: DocuSign staff also tie USER_AUTHENTICATION_FAILED to expired tokens
 * (code-examples-php#44); both are 401. */
const EXPIRED_TOKEN: ErrorAnswer = [
  401,
  'AUTHORIZATION_INVALID_TOKEN',
  'The access token provided is expired, revoked or malformed. Authentication for System Application failed.'
]
/** An account the user is not a member of: text from a recorded answer (found with the
 * template variant "... User is not a member of the template's account."). The status 400 is not
 * confirmed (the OpenAPI spec lists 400 for every error). */
const NOT_A_MEMBER: ErrorAnswer = [
  400,
  'USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT',
  'The specified User is not a member of the specified Account.'
]
/** Not confirmed: code and text of DocuSign's answer seen in third-party fixtures; 404 where the
 * OpenAPI spec lists only 400 ("Error encountered.") for Envelopes: get. */
const NO_SUCH_ENVELOPE: ErrorAnswer = [
  404,
  'ENVELOPE_DOES_NOT_EXIST',
  'The envelope specified either does not exist or you have no rights to it.'
]
/** An envelope ID that is not a GUID: recorded from the live API (a VCR cassette, and a sandbox note
 * "a 400 'Invalid value specified for envelopeId' from the live API"). */
const BAD_ENVELOPE_ID: ErrorAnswer = [
  400,
  'INVALID_REQUEST_PARAMETER',
  'The request contained at least one invalid parameter. Invalid value specified for envelopeId.'
]
/** listStatusChanges without from_date (amp-labs/connectors providers/docusign/test/error-bad-request.json;
 * the older text without folder_ids is in docusign-esign-java-client#76). */
const NO_FROM_DATE: ErrorAnswer = [
  400,
  'INVALID_REQUEST_PARAMETER',
  "The request contained at least one invalid parameter. Query parameter 'from_date' must be set to a valid DateTime or 'envelope_ids', 'folder_ids' or 'transaction_ids' must be specified."
]
/** docusign-esign-python-client#19 and docusign-esign-node-client#177 (real answers). DocuSign may
 * append the JSON parser's detail; not confirmed, so the emulator does not. */
const BAD_BODY: ErrorAnswer = [400, 'INVALID_REQUEST_BODY', 'The request body is missing or improperly formatted.']
/** A sent envelope without documents, recipients or subject (docusign/code-examples-apex#1; the
 * django-docusign#52 400 without a subject). Drafts (status "created") may lack them. */
const INCOMPLETE: ErrorAnswer = [
  400,
  'ENVELOPE_IS_INCOMPLETE',
  'The Envelope is not Complete. A Complete Envelope Requires Documents, Recipients, Tabs, and a Subject Line.'
]
/** Not confirmed: no public record of DocuSign's answer to an unknown resource under /restapi/. */
const UNKNOWN_RESOURCE: ErrorAnswer = [404, 'RESOURCE_NOT_FOUND', 'The URL provided does not resolve to a resource.']

interface Limits {
  hourlyUsed: number
  /** The top of the next hour (ms), or a reset forced by failNext. */
  hourEnds: number
  burstUsed: number
  burstEnds: number
}

export class EsignApi {
  readonly requests: EsignRequest[] = []
  private readonly store = new Map<string, StoredEnvelope[]>()
  private readonly limits = new Map<string, Limits>()
  private readonly faults: EsignFault[] = []
  private readonly burstLimit: number
  private readonly hourlyLimit: number
  private readonly limitStatus: number

  constructor(private readonly options: EsignOptions) {
    this.burstLimit = options.burstLimit ?? 200
    this.hourlyLimit = options.hourlyLimit ?? 3000
    this.limitStatus = options.limitStatus ?? 429
  }

  /**
   * Queues a fault for the next request under /restapi/: a canned answer (with the usual headers,
   * overridable), a hang, a reset connection, or `rateLimited`: that request's account runs out of its
   * hourly or burst calls until `resetInSeconds` (default: the top of the hour, or 30 seconds), so it
   * and every call after it on that account get the limit answer until then, as on DocuSign.
   */
  failNext(fault: EsignFault): void {
    this.faults.push(fault)
  }

  /** The account's envelopes, live: tests may inspect, edit or add to them. */
  envelopes(accountId: string): StoredEnvelope[] {
    const key = accountId.toLowerCase()
    let list = this.store.get(key)
    if (!list) this.store.set(key, (list = []))
    return list
  }

  /** Adds `count` sent envelopes whose status changed one second apart, from `fromDate` on. */
  seedEnvelopes(accountId: string, count: number, fromDate = new Date(Date.now() - count * 1000)): void {
    const list = this.envelopes(accountId)
    for (let i = 0; i < count; i++) {
      const at = fromDate.getTime() + i * 1000
      list.push({
        envelopeId: randomUUID(),
        accountId,
        senderUserId: '00000000-0000-0000-0000-000000000000',
        emailSubject: `Seeded envelope ${i + 1}`,
        status: 'sent',
        documents: [{ documentId: '1', name: `Seed ${i + 1}`, fileExtension: 'pdf', bytes: Buffer.from('%PDF-1.4\n') }],
        created: at,
        lastModified: at,
        statusChanged: at,
        sent: at
      })
    }
  }

  /** Handles a request whose path starts with /restapi/; `body` is the raw request body. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): void {
    const recorded: EsignRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: url.search.slice(1),
      headers: req.headers,
      at: Date.now()
    }
    this.requests.push(recorded)
    const answer = new Answer(res, recorded)
    const route = /^\/restapi\/v2\.1\/accounts\/([^/]+)\/envelopes(?:\/([^/]+)(?:\/documents\/([^/]+))?)?\/?$/.exec(
      url.pathname
    )
    const accountId = route ? decode(route[1]) : ''

    const fault = this.faults.shift()
    if (fault && 'hang' in fault) return // keep the socket open and never answer
    if (fault && 'reset' in fault) return void req.socket.destroy()
    if (fault && 'rateLimited' in fault) this.exhaust(accountId, fault.rateLimited, fault.resetInSeconds)

    const limited = this.count(accountId, answer)
    if (fault && 'status' in fault) {
      answer.headers['Content-Type'] = 'application/json; charset=utf-8'
      Object.assign(answer.headers, fault.headers)
      return answer.send(fault.status, Buffer.from(fault.body ?? ''))
    }
    if (limited) return answer.error(limited)

    const [, , envelopeId, documentId] = route ?? []
    const endpoint = route ? endpointOf(req.method ?? '', envelopeId, documentId) : undefined
    if (!endpoint) return answer.error(UNKNOWN_RESOURCE)

    const refused = this.authorize(req, accountId)
    if (typeof refused !== 'string') return answer.error(refused)
    const userId = refused

    if (endpoint === 'create') return this.create(answer, accountId, userId, body)
    if (endpoint === 'list') return this.list(answer, accountId, url)
    const id = decode(envelopeId)
    if (!GUID.test(id)) return answer.error(BAD_ENVELOPE_ID)
    const envelope = this.envelopes(accountId).find(e => e.envelopeId.toLowerCase() === id.toLowerCase())
    if (!envelope) return answer.error(NO_SUCH_ENVELOPE)
    if (endpoint === 'get') {
      const include = (url.searchParams.get('include') ?? '').split(',')
      return answer.json(200, envelopeJson(envelope, include.includes('recipients')))
    }
    return this.combined(answer, envelope)
  }

  /** The user ID of a valid token for a member of the account, or the error to answer. */
  private authorize(req: IncomingMessage, accountId: string): string | ErrorAnswer {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1]
    if (!token) return NO_CREDENTIALS
    const info = this.options.tokenInfo(token)
    if (!info) return UNKNOWN_TOKEN
    if (info.expiresAt <= Date.now()) return EXPIRED_TOKEN
    // An application-access token (no user) on the eSignature API: DocuSign answers with the text it
    // gives expired tokens, "Authentication for System Application failed" (recorded in
    // __tests__/fixtures/docusign-answers.json, rest-app-token-on-esignature).
    if (!info.userId) return EXPIRED_TOKEN
    const member = this.options.accountsOf(info.userId).some(a => a.toLowerCase() === accountId.toLowerCase())
    return member ? info.userId : NOT_A_MEMBER
  }

  /** POST …/envelopes: an EnvelopeDefinition in, an EnvelopeSummary out (201). */
  private create(answer: Answer, accountId: string, userId: string, body: Buffer): void {
    let definition: unknown
    try {
      definition = JSON.parse(body.toString('utf8'))
    } catch {
      return answer.error(BAD_BODY)
    }
    if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
      return answer.error(BAD_BODY)
    }
    const d = definition as Record<string, unknown>
    // `status`: "sent" sends, "created" (or none) saves a draft (OpenAPI spec, Envelopes_PostEnvelopes).
    const status = d.status === undefined ? 'created' : d.status
    if (status !== 'sent' && status !== 'created') return answer.error(BAD_BODY)
    if (d.documents !== undefined && !Array.isArray(d.documents)) return answer.error(BAD_BODY)
    const documents: StoredDocument[] = []
    for (const [i, doc] of ((d.documents as unknown[] | undefined) ?? []).entries()) {
      if (typeof doc !== 'object' || doc === null) return answer.error(BAD_BODY)
      const { documentBase64, name, documentId, fileExtension } = doc as Record<string, unknown>
      documents.push({
        documentId: String(documentId ?? i + 1),
        name: String(name ?? `Document ${i + 1}`),
        fileExtension: fileExtension === undefined ? undefined : String(fileExtension),
        bytes: Buffer.from(typeof documentBase64 === 'string' ? documentBase64 : '', 'base64')
      })
    }
    const subject = typeof d.emailSubject === 'string' ? d.emailSubject : ''
    if (status === 'sent' && (documents.length === 0 || !hasRecipients(d.recipients) || !subject.trim())) {
      return answer.error(INCOMPLETE)
    }
    const now = Date.now()
    const envelope: StoredEnvelope = {
      envelopeId: randomUUID(),
      accountId,
      senderUserId: userId,
      emailSubject: subject,
      emailBlurb: typeof d.emailBlurb === 'string' ? d.emailBlurb : undefined,
      status,
      documents,
      recipients: d.recipients,
      created: now,
      lastModified: now,
      statusChanged: now,
      sent: status === 'sent' ? now : undefined
    }
    this.envelopes(accountId).push(envelope)
    // EnvelopeSummary (docusign-esign src/model/EnvelopeSummary.js): uri relative to the account.
    answer.json(201, {
      envelopeId: envelope.envelopeId,
      uri: `/envelopes/${envelope.envelopeId}`,
      statusDateTime: dsDate(now),
      status
    })
  }

  /**
   * GET …/envelopes (Envelopes: listStatusChanges): EnvelopesInformation (docusign-esign
   * src/model/EnvelopesInformation.js), numbers as strings. nextUri and previousUri are relative to
   * /restapi/v2.1, start_position and count first, then the request's other parameters as sent, and ""
   * when there is no such page (amp-labs/connectors providers/docusign/test/read-envelopes-*-page.json).
   * Order: by status change, oldest first (as in those pages; DocuSign documents no default order).
   */
  private list(answer: Answer, accountId: string, url: URL): void {
    const q = url.searchParams
    const fromDate = q.get('from_date')
    const ids = q.get('envelope_ids')
    if (fromDate === null && ids === null && q.get('folder_ids') === null && q.get('transaction_ids') === null) {
      return answer.error(NO_FROM_DATE)
    }
    const from = fromDate === null ? -Infinity : Date.parse(fromDate)
    const to = q.get('to_date') === null ? Infinity : Date.parse(q.get('to_date')!)
    if (Number.isNaN(from) || Number.isNaN(to)) return answer.error(NO_FROM_DATE)
    const statuses = (q.get('status') ?? 'any').toLowerCase().split(',').filter(Boolean)
    const wanted = ids?.toLowerCase().split(',').filter(Boolean)
    const found = this.envelopes(accountId)
      .filter(e => e.statusChanged >= from && e.statusChanged <= to)
      .filter(e => statuses.includes('any') || statuses.includes(e.status))
      .filter(e => !wanted || wanted.includes(e.envelopeId.toLowerCase()))
      .sort((a, b) => a.statusChanged - b.statusChanged)
    const start = Math.max(0, Number.parseInt(q.get('start_position') ?? '0', 10) || 0)
    const asked = Number.parseInt(q.get('count') ?? '', 10)
    const count = Math.min(MAX_COUNT, asked > 0 ? asked : MAX_COUNT)
    const page = found.slice(start, start + count)
    const others = url.search
      .slice(1)
      .split('&')
      .filter(p => p && !/^(start_position|count)(=|$)/.test(p))
    const uri = (position: number) =>
      `/accounts/${accountId}/envelopes?${[`start_position=${position}`, `count=${count}`, ...others].join('&')}`
    answer.json(200, {
      resultSetSize: String(page.length),
      startPosition: String(start),
      endPosition: String(start + page.length - 1),
      totalSetSize: String(found.length),
      nextUri: start + page.length < found.length ? uri(start + page.length) : '',
      previousUri: start > 0 ? uri(Math.max(0, start - count)) : '',
      // Not confirmed: an empty page is believed to come without the array, so it is left out.
      ...(page.length > 0 ? { envelopes: page.map(e => envelopeJson(e, false)) } : {})
    })
  }

  /** GET …/documents/combined: one PDF, streamed (and padded to combinedSize when set). */
  private combined(answer: Answer, envelope: StoredEnvelope): void {
    const pages =
      envelope.documents.length === 0
        ? [[`Envelope ${envelope.envelopeId}`, 'No documents']]
        : envelope.documents.map(d => [
            `Envelope ${envelope.envelopeId}`,
            `Document ${d.documentId}: ${d.name}`,
            `${d.bytes.length} bytes`
          ])
    const pdf = buildPdf(pages, envelope.combinedSize ?? 0)
    // "file; filename=...": the form DocuSign sends for a document (docusign-esign-csharp-client#390,
    // `file; filename="Test1.docx.pdf"; documentid="1"`). The combined file's name is not confirmed.
    const name = (envelope.emailSubject || 'Combined').replace(/["\\\r\n]/g, '_')
    answer.headers['Content-Type'] = 'application/pdf'
    answer.headers['Content-Disposition'] = `file; filename="${name}.pdf"`
    answer.stream(200, pdf.head, pdf.padding, pdf.tail)
  }

  /** Makes the account's hourly or burst calls run out until the reset. */
  private exhaust(accountId: string, which: 'hourly' | 'burst', resetInSeconds?: number): void {
    const limits = this.limitsOf(accountId, Date.now())
    if (which === 'hourly') {
      limits.hourlyUsed = this.hourlyLimit
      // On a whole second, so that a client waiting until X-RateLimit-Reset finds the calls back.
      if (resetInSeconds !== undefined) limits.hourEnds = Math.ceil((Date.now() + resetInSeconds * 1000) / 1000) * 1000
    } else {
      limits.burstUsed = this.burstLimit
      limits.burstEnds = Date.now() + (resetInSeconds ?? BURST_WINDOW_MS / 1000) * 1000
    }
  }

  private limitsOf(accountId: string, now: number): Limits {
    const key = accountId.toLowerCase()
    let limits = this.limits.get(key)
    if (!limits) this.limits.set(key, (limits = { hourlyUsed: 0, hourEnds: 0, burstUsed: 0, burstEnds: 0 }))
    if (now >= limits.hourEnds) Object.assign(limits, { hourlyUsed: 0, hourEnds: nextHour(now) })
    if (now >= limits.burstEnds) Object.assign(limits, { burstUsed: 0, burstEnds: now + BURST_WINDOW_MS })
    return limits
  }

  /**
   * Counts a call against its account and sets the limit headers, which DocuSign sends on every
   * answer (Platform "API resource limits" page; a recorded 400 answer in SailPoint's
   * saas-conn-docusign tests carries all five and X-DocuSign-TraceToken): the hourly count resets at
   * the top of the hour, X-RateLimit-Reset is that time in Unix seconds (1631174400 at 07:30:49 GMT
   * there), the burst count is per 30 seconds and has no reset header. Returns the limit error when the
   * account is over a limit; a refused call does not count.
   */
  private count(accountId: string, answer: Answer): ErrorAnswer | undefined {
    const limits = this.limitsOf(accountId, Date.now())
    const overHourly = limits.hourlyUsed >= this.hourlyLimit
    const overBurst = limits.burstUsed >= this.burstLimit
    if (!overHourly && !overBurst) {
      limits.hourlyUsed++
      limits.burstUsed++
    }
    Object.assign(answer.headers, {
      'X-RateLimit-Reset': String(Math.floor(limits.hourEnds / 1000)),
      'X-RateLimit-Remaining': String(Math.max(0, this.hourlyLimit - limits.hourlyUsed)),
      'X-RateLimit-Limit': String(this.hourlyLimit),
      'X-BurstLimit-Remaining': String(Math.max(0, this.burstLimit - limits.burstUsed)),
      'X-BurstLimit-Limit': String(this.burstLimit)
    })
    // No Retry-After: the recorded over-the-limit answer has none, and DocuSign documents none.
    // Hourly text: DocuSign blog "From the Trenches: API rate limits" and the recorded answer.
    if (overHourly) {
      return [
        this.limitStatus,
        'HOURLY_APIINVOCATION_LIMIT_EXCEEDED',
        `The maximum number of hourly API invocations has been exceeded. The hourly limit is ${this.hourlyLimit}.`
      ]
    }
    // The burst code is DocuSign's (Troubleshooting page's list); its text is not confirmed, so it
    // follows the hourly one.
    if (overBurst) {
      return [
        this.limitStatus,
        'BURST_APIINVOCATION_LIMIT_EXCEEDED',
        `The maximum number of burst API invocations has been exceeded. The burst limit is ${this.burstLimit}.`
      ]
    }
    return undefined
  }
}

/** One answer: DocuSign's common headers, the status recorded, no compression, keep-alive left to Node. */
class Answer {
  readonly headers: Record<string, string> = {
    'Cache-Control': 'no-cache',
    // A GUID on every answer, as in the recorded answers (docusign-esign-python-client#19 too).
    'X-DocuSign-TraceToken': randomUUID()
  }

  constructor(
    private readonly res: ServerResponse,
    private readonly recorded: EsignRequest
  ) {}

  error([status, errorCode, message]: ErrorAnswer): void {
    this.json(status, { errorCode, message })
  }

  json(status: number, body: object): void {
    this.headers['Content-Type'] = 'application/json; charset=utf-8'
    this.send(status, Buffer.from(JSON.stringify(body)))
  }

  send(status: number, body: Buffer): void {
    this.recorded.status = status
    this.res.writeHead(status, { ...this.headers, 'Content-Length': String(body.length) })
    this.res.end(body)
  }

  /** head, then `padding` bytes of PDF comment lines made chunk by chunk, then tail. */
  stream(status: number, head: Buffer, padding: number, tail: Buffer): void {
    this.recorded.status = status
    const res = this.res
    res.writeHead(status, { ...this.headers, 'Content-Length': String(head.length + padding + tail.length) })
    res.write(head)
    let left = padding
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        const n = Math.min(left, PADDING_CHUNK.length)
        left -= n
        if (!res.write(n === PADDING_CHUNK.length ? PADDING_CHUNK : PADDING_CHUNK.subarray(0, n))) {
          res.once('drain', pump)
          return
        }
      }
      if (!res.destroyed) res.end(tail)
    }
    pump()
  }
}

/** 64 lines of 1 KiB: '%' starts a comment line in a PDF content stream. */
const PADDING_CHUNK = Buffer.from(`%${'x'.repeat(1022)}\n`.repeat(64), 'latin1')

/** A path segment decoded, or as it is when its escapes are malformed (never a thrown URIError). */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

function endpointOf(method: string, envelopeId?: string, documentId?: string) {
  if (!envelopeId) return method === 'POST' ? 'create' : method === 'GET' ? 'list' : undefined
  if (method !== 'GET') return undefined
  if (!documentId) return 'get'
  return documentId === 'combined' ? 'combined' : undefined
}

function hasRecipients(recipients: unknown): boolean {
  if (typeof recipients !== 'object' || recipients === null) return false
  return Object.values(recipients).some(v => Array.isArray(v) && v.length > 0)
}

/** DocuSign's timestamps: UTC with seven fractional digits, e.g. 2026-03-04T15:18:13.7170000Z. */
function dsDate(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '0000Z')
}

function nextHour(now: number): number {
  return (Math.floor(now / 3_600_000) + 1) * 3_600_000
}

/**
 * An Envelope (docusign-esign src/model/Envelope.js), with the fields and string-typed values of a
 * listStatusChanges answer as recorded in amp-labs/connectors providers/docusign/test/.
 */
function envelopeJson(e: StoredEnvelope, withRecipients: boolean): Record<string, unknown> {
  const base = `/envelopes/${e.envelopeId}`
  return {
    status: e.status,
    documentsUri: `${base}/documents`,
    recipientsUri: `${base}/recipients`,
    attachmentsUri: `${base}/attachments`,
    envelopeUri: base,
    emailSubject: e.emailSubject,
    ...(e.emailBlurb !== undefined ? { emailBlurb: e.emailBlurb } : {}),
    envelopeId: e.envelopeId,
    signingLocation: 'online',
    customFieldsUri: `${base}/custom_fields`,
    notificationUri: `${base}/notification`,
    allowMarkup: 'false',
    createdDateTime: dsDate(e.created),
    lastModifiedDateTime: dsDate(e.lastModified),
    ...(e.sent !== undefined ? { sentDateTime: dsDate(e.sent) } : {}),
    statusChangedDateTime: dsDate(e.statusChanged),
    documentsCombinedUri: `${base}/documents/combined`,
    certificateUri: `${base}/documents/certificate`,
    templatesUri: `${base}/templates`,
    expireEnabled: 'true',
    expireAfter: '120',
    sender: { userId: e.senderUserId, accountId: e.accountId },
    purgeState: 'unpurged',
    envelopeIdStamping: 'true',
    autoNavigation: 'true',
    isSignatureProviderEnvelope: 'false',
    anySigner: null,
    envelopeLocation: 'current_site',
    ...(withRecipients && e.recipients !== undefined ? { recipients: e.recipients } : {})
  }
}

/** Text for a PDF literal string: Latin-1 printable, with \ ( ) escaped. */
function pdfText(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, '?').replace(/[\\()]/g, c => `\\${c}`)
}

/**
 * A valid PDF 1.4 with one page of text per entry of `pages`, split where `padding` bytes of comment
 * lines go: at the end of the last page's content stream, so nothing after them needs their bytes,
 * only their count (the stream's /Length, the xref offset).
 */
function buildPdf(pages: string[][], padding: number): { head: Buffer; padding: number; tail: Buffer } {
  const out: string[] = []
  const offsets: number[] = []
  let size = 0
  const put = (s: string) => {
    out.push(s)
    size += Buffer.byteLength(s, 'latin1')
  }
  const obj = (n: number, body: string) => {
    offsets[n] = size
    put(`${n} 0 obj\n${body}\nendobj\n`)
  }
  put('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')
  const kids = pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ')
  obj(1, '<< /Type /Catalog /Pages 2 0 R >>')
  obj(2, `<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`)
  obj(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>')
  const last = pages.length - 1
  pages.forEach((lines, i) => {
    const content = `BT /F1 12 Tf 72 720 Td ${lines.map(l => `(${pdfText(l)}) Tj 0 -18 Td`).join(' ')} ET\n`
    const extra = i === last ? padding : 0
    obj(
      4 + 2 * i,
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`
    )
    offsets[5 + 2 * i] = size
    const stream = `${5 + 2 * i} 0 obj\n<< /Length ${content.length + extra} >>\nstream\n${content}`
    if (i < last) put(`${stream}\nendstream\nendobj\n`)
    else put(stream)
  })
  const head = Buffer.from(out.join(''), 'latin1')
  const objects = 4 + 2 * pages.length
  const end = '\nendstream\nendobj\n'
  const xrefAt = head.length + padding + end.length
  const xref = offsets
    .slice(1)
    .map(o => `${String(o).padStart(10, '0')} 00000 n \n`)
    .join('')
  const tail = `${end}xref\n0 ${objects}\n0000000000 65535 f \n${xref}trailer\n<< /Size ${objects} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`
  return { head, padding, tail: Buffer.from(tail, 'latin1') }
}
