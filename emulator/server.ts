/**
 * The HTTP plumbing the emulators share: an HTTP(S) server on loopback, every request recorded with its
 * body, faults queued per target (a path, an X-Amz-Target, a host and path) and answered before the
 * emulator's own handling, `requestsTo` and `close()`; and a plain client that reads a whole answer.
 * Each emulator keeps its own answer shapes and any fault kinds of its own.
 */
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse
} from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/** A canned answer that replaces the next request to a target. */
export type Fault =
  { status: number; body?: string; headers?: Record<string, string> } | { hang: true } | { reset: true }

export interface ServeOptions {
  /** Serve HTTPS with this certificate. */
  tls?: { key: string; cert: string }
  port?: number
  /** The loopback address to listen on (default 127.0.0.1; '::1' for IPv6). */
  listen?: string
}

/** What every emulator records of a request. */
export interface RecordedBase {
  method: string
  path: string
  headers: IncomingHttpHeaders
  /** The body as UTF-8 text. */
  body: string
  /** When it arrived (ms since the epoch). */
  at: number
  /** The status answered, once answered. */
  status?: number
}

/** Starts an HTTP(S) server on loopback (no handler yet); rejects when the port is taken. */
export async function listen(options: ServeOptions = {}): Promise<{ server: http.Server; port: number }> {
  const server = options.tls ? https.createServer(options.tls) : http.createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.listen ?? '127.0.0.1', resolve)
  })
  return { server, port: (server.address() as AddressInfo).port }
}

/** Drops every connection (a hanging one too) and stops listening. */
export async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>(resolve => server.close(() => resolve()))
}

/** The whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** Answers a fault: never (the socket stays open), a reset connection, or the canned status and body. */
export function answerFault(fault: Fault, req: IncomingMessage, res: ServerResponse, contentType: string): void {
  if ('hang' in fault) return // keep the socket open and never answer
  if ('reset' in fault) return void req.socket.destroy()
  res.writeHead(fault.status, { 'Content-Type': contentType, ...fault.headers })
  res.end(fault.body ?? '')
}

/**
 * An emulator's server: records each request (`record`), answers a fault queued for one of its targets,
 * else hands it to `respond`. `Extra` is the emulator's own fault kinds, which its `applyFault` answers.
 */
export abstract class EmulatorServer<Recorded extends RecordedBase, Extra extends object = never> {
  readonly requests: Recorded[] = []
  private readonly faults = new Map<string, (Fault | Extra)[]>()

  protected constructor(
    private readonly server: http.Server,
    /** The Content-Type of a canned answer whose headers name none. */
    private readonly faultContentType: string
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.receive(req, res))
  }

  /** Queues faults for the next requests to a target, answered in order before normal handling. */
  failNext(target: string, ...faults: (Fault | Extra)[]): void {
    this.faults.set(target, [...(this.faults.get(target) ?? []), ...faults])
  }

  /** The requests recorded for a target. */
  requestsTo(target: string): Recorded[] {
    return this.requests.filter(r => this.targetsOf(r).includes(target))
  }

  async close(): Promise<void> {
    await closeServer(this.server)
  }

  /** What a request is recorded as, once its body has arrived. */
  protected abstract record(req: IncomingMessage, body: Buffer): Recorded

  /** Answers a request no fault took. */
  protected abstract respond(
    req: IncomingMessage,
    res: ServerResponse,
    recorded: Recorded,
    body: Buffer
  ): Promise<void> | void

  /** The targets `failNext` and `requestsTo` know a request by, the first fault queued for the first one first. */
  protected targetsOf(request: Recorded): string[] {
    return [request.path]
  }

  /** Answers a fault; an emulator with fault kinds of its own answers those and hands the rest here. */
  protected applyFault(fault: Fault | Extra, req: IncomingMessage, res: ServerResponse, _recorded: Recorded): void {
    answerFault(fault as Fault, req, res, this.faultContentType)
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req)
    const recorded = this.record(req, body)
    this.requests.push(recorded)
    for (const target of this.targetsOf(recorded)) {
      const fault = this.faults.get(target)?.shift()
      if (fault) return this.applyFault(fault, req, res, recorded)
    }
    await this.respond(req, res, recorded, body)
  }
}

// ---------------------------------------------------------------------------------------------
// A client for tests: one request, the whole answer read.

export interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
  /** The body as a JSON object (throws when it is not JSON). */
  json: () => Record<string, unknown>
}

export interface RequestInit {
  method?: string
  headers?: OutgoingHttpHeaders
  body?: string
  /** Trust this CA for HTTPS. */
  ca?: string
  timeoutMs?: number
  /** Send over this connection (a tunnel through a proxy) instead of a new one. */
  createConnection?: () => Socket
}

/** An HTTP(S) request to `url`, resolved with the whole answer. */
export function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: init.method ?? 'GET',
        headers: init.headers,
        ca: init.ca,
        timeout: init.timeoutMs,
        createConnection: init.createConnection
      },
      res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8')
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body) as Record<string, unknown>
          })
        })
      }
    )
    req.on('timeout', () => req.destroy(new Error('timed out')))
    req.on('error', reject)
    req.end(init.body)
  })
}
