/**
 * What the cloud emulators (oidc.ts, gcp.ts, azure.ts) share: the fixed host names they answer for,
 * one test CA for all of them, HTTPS on loopback with recorded requests and queued faults, a live
 * host→port routing table for the CONNECT proxy, a client that tunnels through that proxy, and
 * signing a precomputed digest (what Cloud KMS and Key Vault both do; node:crypto only signs data).
 *
 * Routing: proxy.ts already maps several names to several ports, but reads its table on every
 * CONNECT and takes it once, at start. `routes()` hands it a live view of the emulators' names, so a
 * vault added after the proxy started is reachable too. proxy.ts itself is unchanged.
 */
import { constants, createHash, privateEncrypt, randomBytes, randomInt, type KeyObject } from 'node:crypto'
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import tls from 'node:tls'
import { createTestPki, type TestPki } from './tls.js'

/** Google's fixed API hosts the emulators answer for. */
export const GOOGLE_HOSTS = [
  'sts.googleapis.com',
  'iamcredentials.googleapis.com',
  'oauth2.googleapis.com',
  'cloudkms.googleapis.com'
] as const

/** Microsoft Entra authorities and Key Vault DNS suffixes, per cloud (Azure public, Azure US Government). */
export const AZURE_CLOUDS = {
  public: { authority: 'login.microsoftonline.com', vaultDomain: 'vault.azure.net' },
  usgov: { authority: 'login.microsoftonline.us', vaultDomain: 'vault.usgovcloudapi.net' }
} as const
export type AzureCloud = keyof typeof AZURE_CLOUDS

/**
 * One test CA and one server certificate for every fixed cloud host name (vaults by wildcard), to
 * share between the emulators: trust `caCert` (NODE_EXTRA_CA_CERTS) and all of them are trusted.
 */
export function cloudPki(extraHosts: string[] = []): TestPki {
  return createTestPki([
    ...GOOGLE_HOSTS,
    ...Object.values(AZURE_CLOUDS).flatMap(c => [c.authority, `*.${c.vaultDomain}`]),
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

/** A canned answer that replaces the next request to a target. */
export type Fault =
  { status: number; body?: string; headers?: Record<string, string> } | { hang: true } | { reset: true }

export interface CloudRequest {
  method: string
  /** The Host header's name, without the port. */
  host: string
  /** The decoded path, without the query. */
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
  /** When it arrived (ms since the epoch). */
  at: number
  /** The status answered. */
  status?: number
}

/** What a route answers: JSON (any value but a string) or a raw string body. */
export interface Answer {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface ServeOptions {
  /** Serve HTTPS with this certificate (for the fixed names, one from `cloudPki()`). */
  tls?: { key: string; cert: string }
  port?: number
}

/**
 * The HTTP(S) server under each cloud emulator: records every request, answers queued faults,
 * and hands the rest to `answer()`.
 */
export abstract class CloudServer implements Routable {
  readonly requests: CloudRequest[] = []
  private readonly faults = new Map<string, Fault[]>()

  protected constructor(
    private readonly server: http.Server,
    /** The loopback port it listens on; the proxy sends its names here. */
    readonly port: number
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res))
  }

  protected static async listen(options: ServeOptions): Promise<{ server: http.Server; port: number }> {
    const server = options.tls ? https.createServer(options.tls) : http.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', resolve)
    })
    return { server, port: (server.address() as AddressInfo).port }
  }

  /** The host names this emulator answers for, each to its port (for `routes()`). */
  abstract get hosts(): Record<string, number>

  protected abstract answer(request: CloudRequest): Promise<Answer> | Answer

  /** Queues faults for the next requests to a target: a path ('/v1/token') or host and path ('sts.googleapis.com/v1/token'). */
  failNext(target: string, ...faults: Fault[]): void {
    this.faults.set(target, [...(this.faults.get(target) ?? []), ...faults])
  }

  /** The requests to a target (a path, or host and path). */
  requestsTo(target: string): CloudRequest[] {
    return this.requests.filter(r => r.path === target || `${r.host}${r.path}` === target)
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', 'http://emulator')
    let path = url.pathname
    try {
      path = decodeURIComponent(url.pathname)
    } catch {
      // keep the raw path: the route will not match it
    }
    const recorded: CloudRequest = {
      method: req.method ?? '',
      host: (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase(),
      path,
      query: url.searchParams,
      headers: req.headers,
      body: Buffer.concat(chunks).toString('utf8'),
      at: Date.now()
    }
    this.requests.push(recorded)

    const fault = this.faults.get(`${recorded.host}${path}`)?.shift() ?? this.faults.get(path)?.shift()
    if (fault) {
      if ('hang' in fault) return // keep the socket open and never answer
      if ('reset' in fault) return void req.socket.destroy()
      recorded.status = fault.status
      res.writeHead(fault.status, { 'Content-Type': 'application/json; charset=utf-8', ...fault.headers })
      return void res.end(fault.body ?? '')
    }
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

export interface TunnelResponse {
  status: number
  headers: IncomingHttpHeaders
  body: string
  json: () => Record<string, unknown>
}

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
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        createConnection: () => secure,
        host: target.hostname,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? 'GET',
        headers: { host: target.host, ...init.headers }
      },
      res => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          secure.destroy()
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
    req.once('error', reject)
    req.end(init.body)
  })
}

// ---------------------------------------------------------------------------------------------
// Signing a precomputed digest, as Cloud KMS asymmetricSign and Key Vault sign do.

export type DigestName = 'sha256' | 'sha384' | 'sha512'
export const DIGEST_LENGTH: Record<DigestName, number> = { sha256: 32, sha384: 48, sha512: 64 }

/** DER DigestInfo prefixes of RFC 8017 §9.2 note 1, which PKCS #1 v1.5 signs ahead of the digest. */
const DIGEST_INFO: Record<DigestName, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440'
}

/** RSASSA-PKCS1-v1_5 over a digest: privateEncrypt pads with block type 1, which is exactly that. */
export function signPkcs1(key: KeyObject, hash: DigestName, digest: Buffer): Buffer {
  return privateEncrypt(
    { key, padding: constants.RSA_PKCS1_PADDING },
    Buffer.concat([Buffer.from(DIGEST_INFO[hash], 'hex'), digest])
  )
}

function mgf1(seed: Buffer, length: number, hash: DigestName): Buffer {
  const out: Buffer[] = []
  for (let counter = 0; out.length * DIGEST_LENGTH[hash] < length; counter++) {
    const c = Buffer.alloc(4)
    c.writeUInt32BE(counter)
    out.push(createHash(hash).update(seed).update(c).digest())
  }
  return Buffer.concat(out).subarray(0, length)
}

/** RSASSA-PSS over a digest (EMSA-PSS of RFC 8017 §9.1.1, MGF1 with the same hash, salt as long as the hash). */
export function signPss(key: KeyObject, hash: DigestName, digest: Buffer): Buffer {
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 2048
  const k = Math.ceil(modBits / 8)
  const emBits = modBits - 1
  const emLen = Math.ceil(emBits / 8)
  const hLen = digest.length
  const salt = randomBytes(hLen)
  const h = createHash(hash)
    .update(Buffer.concat([Buffer.alloc(8), digest, salt]))
    .digest()
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt])
  const mask = mgf1(h, db.length, hash)
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i]
  db[0] &= 0xff >> (8 * emLen - emBits)
  const em = Buffer.concat([Buffer.alloc(k - emLen), db, h, Buffer.from([0xbc])])
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, em)
}

// ECDSA on P-256 (FIPS 186-4 §6.4) in BigInt, because node:crypto hashes whatever it signs.
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n
const G: Point = {
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n
}
type Point = { x: bigint; y: bigint } | null

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m
function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, m), m, 1n, 0n]
  while (r1 !== 0n) {
    const q = r0 / r1
    ;[r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1]
  }
  return mod(s0, m)
}
function add(p1: Point, p2: Point): Point {
  if (!p1) return p2
  if (!p2) return p1
  if (p1.x === p2.x && mod(p1.y + p2.y, P) === 0n) return null
  const l =
    p1.x === p2.x
      ? mod((3n * p1.x * p1.x - 3n) * inverse(2n * p1.y, P), P)
      : mod((p2.y - p1.y) * inverse(p2.x - p1.x, P), P)
  const x = mod(l * l - p1.x - p2.x, P)
  return { x, y: mod(l * (p1.x - x) - p1.y, P) }
}
function multiply(k: bigint, point: Point): Point {
  let result: Point = null
  for (let addend = point; k > 0n; k >>= 1n, addend = add(addend, addend)) if (k & 1n) result = add(result, addend)
  return result
}
const toBig = (b: Buffer): bigint => BigInt(`0x${b.toString('hex') || '0'}`)
const toBytes = (n: bigint, length: number): Buffer => Buffer.from(n.toString(16).padStart(length * 2, '0'), 'hex')

/** ECDSA P-256 over a digest: the signature as r and s, 32 bytes each. */
export function signP256(key: KeyObject, digest: Buffer): { r: Buffer; s: Buffer } {
  const d = toBig(Buffer.from(String(key.export({ format: 'jwk' }).d), 'base64url'))
  const z = toBig(digest.subarray(0, 32))
  for (;;) {
    const k = (toBig(randomBytes(40)) % (N - 1n)) + 1n
    const r = mod(multiply(k, G)!.x, N)
    const s = mod(inverse(k, N) * (z + r * d), N)
    if (r !== 0n && s !== 0n) return { r: toBytes(r, 32), s: toBytes(s, 32) }
  }
}

/** An ECDSA signature as ASN.1 DER (Ecdsa-Sig-Value), as Cloud KMS returns it. */
export function derSignature({ r, s }: { r: Buffer; s: Buffer }): Buffer {
  const integer = (v: Buffer): Buffer => {
    let i = 0
    while (i < v.length - 1 && v[i] === 0) i++
    const trimmed = v.subarray(i)
    const body = trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed
    return Buffer.concat([Buffer.from([0x02, body.length]), body])
  }
  const seq = Buffer.concat([integer(r), integer(s)])
  return Buffer.concat([Buffer.from([0x30, seq.length]), seq])
}

/** A random lowercase hex string (version IDs, request IDs). */
export const hex = (bytes: number): string => randomBytes(bytes).toString('hex')
/** A random decimal string of a given length (project numbers, unique IDs). */
export const digits = (length: number): string =>
  Array.from({ length }, (_, i) => String(randomInt(i === 0 ? 1 : 0, 10))).join('')
