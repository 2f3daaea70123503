/**
 * What the cloud emulators (oidc.ts, gcp.ts, azure.ts) share: the fixed host names they answer for,
 * one test CA for all of them, a server (server.ts's, faults also per host and path) answering
 * JSON or raw bodies, a live host→port routing table for the CONNECT proxy, and a client that
 * tunnels through that proxy.
 *
 * Routing: proxy.ts already maps several names to several ports, but reads its table on every
 * CONNECT and takes it once, at start. `routes()` hands it a live view of the emulators' names, so a
 * vault added after the proxy started is reachable too. proxy.ts itself is unchanged.
 */
import { randomBytes, randomInt } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import tls from 'node:tls'
import { EmulatorServer, request, type Fault, type RecordedBase, type Reply } from './server.js'
import { createTestPki, type TestPki } from './tls.js'

export type { Fault } from './server.js'

/** Google's fixed API hosts the emulators answer for. */
export const GOOGLE_HOSTS = [
  'sts.googleapis.com',
  'iamcredentials.googleapis.com',
  'oauth2.googleapis.com',
  'cloudkms.googleapis.com'
] as const

/**
 * Microsoft Entra authorities, Key Vault and Managed HSM DNS suffixes, per cloud (Azure public, Azure
 * US Government), as azure-sdk-for-go's sdk/azcore/cloud and the az CLI's cloud definitions name them.
 */
export const AZURE_CLOUDS = {
  public: { authority: 'login.microsoftonline.com', vaultDomain: 'vault.azure.net', hsmDomain: 'managedhsm.azure.net' },
  usgov: {
    authority: 'login.microsoftonline.us',
    vaultDomain: 'vault.usgovcloudapi.net',
    hsmDomain: 'managedhsm.usgovcloudapi.net'
  }
} as const
export type AzureCloud = keyof typeof AZURE_CLOUDS

/**
 * One test CA and one server certificate for every fixed cloud host name (vaults by wildcard), to
 * share between the emulators: trust `caCert` (NODE_EXTRA_CA_CERTS) and all of them are trusted.
 */
export function cloudPki(extraHosts: string[] = []): TestPki {
  return createTestPki([
    ...GOOGLE_HOSTS,
    ...Object.values(AZURE_CLOUDS).flatMap(c => [c.authority, `*.${c.vaultDomain}`, `*.${c.hsmDomain}`]),
    ...extraHosts
  ])
}

/** Anything that answers for host names on a loopback port. */
export interface Routable {
  readonly hosts: Record<string, number>
}

/**
 * A live host→port table for `ConnectProxy.start()`: it always shows the emulators' current names
 * (a vault added later included). The proxy looks names up with Object.hasOwn and indexing only.
 */
export function routes(...emulators: Routable[]): Record<string, number> {
  const lookup = (name: string | symbol): number | undefined =>
    typeof name === 'string' ? emulators.map(e => e.hosts[name]).find(p => p !== undefined) : undefined
  return new Proxy({} as Record<string, number>, {
    get: (_t, name) => lookup(name),
    has: (_t, name) => lookup(name) !== undefined,
    ownKeys: () => [...new Set(emulators.flatMap(e => Object.keys(e.hosts)))],
    getOwnPropertyDescriptor: (_t, name) => {
      const port = lookup(name)
      return port === undefined ? undefined : { value: port, enumerable: true, configurable: true, writable: false }
    }
  })
}

export interface CloudRequest extends RecordedBase {
  /** The Host header's name, without the port. */
  host: string
  /** The decoded path, without the query. */
  path: string
  query: URLSearchParams
}

/** What a route answers: JSON (any value but a string) or a raw string body. */
export interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/**
 * The HTTP(S) server under each cloud emulator: records every request, answers queued faults (by
 * host and path, then by path), and hands the rest to `answer()`.
 */
export abstract class CloudServer extends EmulatorServer<CloudRequest> implements Routable {
  protected constructor(
    server: http.Server,
    /** The loopback port it listens on; the proxy sends its names here. */
    readonly port: number
  ) {
    super(server, 'application/json; charset=utf-8')
  }

  /** The host names this emulator answers for, each to its port (for `routes()`). */
  abstract get hosts(): Record<string, number>

  protected abstract answer(request: CloudRequest): Promise<Answer> | Answer

  /** Targets: a path ('/v1/token') or host and path ('sts.googleapis.com/v1/token'). */
  protected targetsOf(request: CloudRequest): string[] {
    return [`${request.host}${request.path}`, request.path]
  }

  protected record(req: IncomingMessage, body: Buffer): CloudRequest {
    const url = new URL(req.url ?? '/', 'http://emulator')
    let path = url.pathname
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      // keep the raw path: the route will not match it
    }
    return {
      method: req.method ?? '',
      host: (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase(),
      path,
      query: url.searchParams,
      headers: req.headers,
      body: body.toString('utf8'),
      at: Date.now()
    }
  }

  protected applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse, recorded: CloudRequest): void {
    if ('status' in fault) recorded.status = fault.status
    super.applyFault(fault, req, res, recorded)
  }

  protected async respond(_req: IncomingMessage, res: ServerResponse, recorded: CloudRequest): Promise<void> {
    let answer: Answer
    try {
      answer = await this.answer(recorded)
    } catch (error) {
      answer = { status: 500, body: { error: `emulator bug: ${(error as Error).message}` } }
    }
    recorded.status = answer.status
    const raw = typeof answer.body === 'string'
    res.writeHead(answer.status, {
      ...(answer.body === undefined ? {} : { 'Content-Type': raw ? 'text/plain' : 'application/json; charset=utf-8' }),
      ...answer.headers
    })
    res.end(answer.body === undefined ? '' : raw ? answer.body : JSON.stringify(answer.body))
  }
}

/** A request's body as form fields or JSON fields (both snake_case and camelCase are looked up). */
export function fields(request: CloudRequest): Record<string, unknown> {
  if (/json/i.test(String(request.headers['content-type'] ?? ''))) {
    try {
      const parsed: unknown = JSON.parse(request.body)
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {}
    } catch {
      return {}
    }
  }
  return Object.fromEntries(new URLSearchParams(request.body))
}

/** The bearer token of a request, if any. */
export function bearer(request: CloudRequest): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(String(request.headers.authorization ?? ''))?.[1]
}

export type TunnelResponse = Reply

/**
 * An HTTPS request to `url` through a CONNECT proxy, trusting `ca` (as a client with HTTPS_PROXY and
 * NODE_EXTRA_CA_CERTS would): the way tests reach the emulators by their fixed host names.
 */
export async function viaProxy(
  proxyUrl: string,
  ca: string,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {}
): Promise<TunnelResponse> {
  const target = new URL(url)
  const port = Number(target.port || 443)
  const proxy = new URL(proxyUrl)
  const socket = await new Promise<Socket>((resolve, reject) => {
    const connect = http.request({
      host: proxy.hostname,
      port: proxy.port,
      method: 'CONNECT',
      path: `${target.hostname}:${port}`
    })
    connect.once('connect', (res, sock) =>
      res.statusCode === 200 ? resolve(sock) : reject(new Error(`proxy answered ${res.statusCode}`))
    )
    connect.once('error', reject)
    connect.end()
  })
  const secure = tls.connect({ socket, servername: target.hostname, ca })
  await new Promise<void>((resolve, reject) => {
    secure.once('secureConnect', resolve)
    secure.once('error', reject)
  })
  try {
    return await request(url, {
      ...init,
      headers: { host: target.host, ...init.headers },
      createConnection: () => secure
    })
  } finally {
    secure.destroy()
  }
}

/** A random lowercase hex string (version IDs, request IDs). */
export const hex = (bytes: number): string => randomBytes(bytes).toString('hex')
/** A random decimal string of a given length (project numbers, unique IDs). */
export const digits = (length: number): string =>
  Array.from({ length }, (_, i) => String(randomInt(i === 0 ? 1 : 0, 10))).join('')
