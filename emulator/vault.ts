/**
 * A local HashiCorp Vault for tests: the HTTP API of the transit secrets engine as a key-vault signer uses it
 * (sign, read key, rotate), with tokens, ACL policies, namespaces and a sealed state. Answers follow Vault's own
 * code: the response envelope, `{"errors": [...]}` bodies and the status codes its logical layer maps errors to.
 * Faults can be queued per path to test retries and timeouts.
 *
 * Sources followed (hashicorp/vault, cited again next to each behaviour):
 * - builtin/logical/transit/path_sign_verify.go (sign parameters, "signing key not found", key_version in data)
 * - sdk/helper/keysutil/policy.go SignWithOptions (RSA default "pss", salt "auto", version checks, vault:vN: prefix)
 * - builtin/logical/transit/path_keys.go formatKeyPolicy (GET keys/:name fields), path_rotate.go
 * - website/content/api-docs/secret/transit.mdx (Read Key, Rotate Key, Sign Data)
 * - sdk/logical/response_util.go RespondErrorCommon/RespondError (status codes, `{"errors":[...]}`, 503 when sealed)
 * - vault/request_handling.go (token from X-Vault-Token or Authorization: Bearer, ACL before routing, multierror text)
 * - vault/router.go ("no handler for route %q. route entry not found.")
 * - website/content/docs/concepts/policies.mdx (glob `*`, segment `+`, priority matching)
 * - website/content/docs/concepts/tokens.mdx "Error Responses" (invalid token vs. policy denial)
 */
import { createHash, randomUUID, type KeyObject } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { EmulatorServer, listen, type RecordedBase, type ServeOptions } from './server.js'
import { hasShape, newSigningKey, publicKeyPem, signDigest, type DigestName } from './signing.js'

export type { Fault } from './server.js'

export type VaultKeyType = 'rsa-2048' | 'rsa-3072' | 'rsa-4096' | 'ecdsa-p256' | 'aes256-gcm96'
export type Capability = 'create' | 'read' | 'update' | 'patch' | 'delete' | 'list' | 'sudo' | 'deny'

export interface PolicyRule {
  /** An exact path, a glob ending in `*` (prefix) or with `+` segments, e.g. 'transit/sign/mykey/*'. */
  path: string
  capabilities: Capability[]
}

export interface VaultTokenOptions {
  token: string
  /** The namespace the token was created in ('' = root); valid there and in its child namespaces. */
  namespace?: string
  policies: PolicyRule[]
  /** Past its TTL (or revoked). */
  expired?: boolean
}

export interface VaultKeyOptions {
  mount?: string
  namespace?: string
  name: string
  type: VaultKeyType
  /** How many versions to create (default 1), as if rotated versions - 1 times. */
  versions?: number
  /** Key pairs to use for versions 1.. instead of generating them (keeps test files fast). */
  privateKeys?: KeyObject[]
}

export interface VaultKeyVersion {
  version: number
  created: Date
  /** Asymmetric types. */
  privateKey?: KeyObject
  publicKeyPem?: string
}

export interface VaultKey {
  namespace: string
  mount: string
  name: string
  type: VaultKeyType
  versions: VaultKeyVersion[]
}

export interface VaultRecordedRequest extends RecordedBase {
  /** URL path, e.g. /v1/transit/sign/mykey/sha2-256 */
  path: string
  token?: string
  namespace?: string
}

export type VaultEmulatorOptions = Omit<ServeOptions, 'listen'>

interface Answer {
  status: number
  body?: object
}

/** `{"errors":[...]}` is how Vault answers every error (sdk/logical/response_util.go RespondError). */
const errors = (status: number, ...messages: string[]): Answer => ({ status, body: { errors: messages } })
/**
 * Errors that travel through Vault's core as a go-multierror print as "1 error occurred:\n\t* …\n\n"
 * (vault/request_handling.go: `retErr = multierror.Append(retErr, …)`), seen by users as
 * `{"errors":["1 error occurred:\n\t* permission denied\n\n"]}` (hashicorp/vault#6554, #17246, nodevault/node-vault#166).
 */
const multierror = (...messages: string[]): string =>
  `${messages.length === 1 ? '1 error occurred' : `${messages.length} errors occurred`}:\n${messages.map(m => `\t* ${m}`).join('\n')}\n\n`

const HASHES: Record<string, DigestName> = {
  sha1: 'sha1',
  'sha2-224': 'sha224',
  'sha2-256': 'sha256',
  'sha2-384': 'sha384',
  'sha2-512': 'sha512',
  'sha3-224': 'sha3-224',
  'sha3-256': 'sha3-256',
  'sha3-384': 'sha3-384',
  'sha3-512': 'sha3-512'
}
/** keysutil KeyType.SigningSupported(): ECDSA, ED25519 and RSA types, not AES. */
const SIGNING_TYPES = new Set<VaultKeyType>(['rsa-2048', 'rsa-3072', 'rsa-4096', 'ecdsa-p256'])
/** transit GenericNameRegex: \w(([\w-.@]+)?\w)? */
const NAME = String.raw`\w(?:[\w\-.@]*\w)?`

interface StoredToken {
  namespace: string
  rules: Map<string, Set<Capability>>
  expired: boolean
}

export class VaultEmulator extends EmulatorServer<VaultRecordedRequest> {
  private readonly keys = new Map<string, VaultKey>()
  private readonly mounts = new Set<string>()
  private readonly tokens = new Map<string, StoredToken>()
  private sealed = false

  private constructor(
    server: Server,
    readonly url: string
  ) {
    super(server, 'application/json')
  }

  static async start(options: VaultEmulatorOptions = {}): Promise<VaultEmulator> {
    const { server, port } = await listen({ tls: options.tls, port: options.port })
    return new VaultEmulator(server, `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`)
  }

  addKey(options: VaultKeyOptions): VaultKey {
    const namespace = normalizeNamespace(options.namespace)
    const mount = trimSlashes(options.mount ?? 'transit')
    const key: VaultKey = { namespace, mount, name: options.name, type: options.type, versions: [] }
    for (let v = 1; v <= (options.versions ?? 1); v++)
      key.versions.push(newVersion(key, v, options.privateKeys?.[v - 1]))
    this.mounts.add(`${namespace}|${mount}`)
    this.keys.set(keyId(namespace, mount, options.name), key)
    return key
  }

  /** Rotates a key as POST {mount}/keys/{name}/rotate does; returns the new version. */
  rotate(mount: string, name: string, options: { namespace?: string; privateKey?: KeyObject } = {}): number {
    const key = this.keys.get(keyId(normalizeNamespace(options.namespace), trimSlashes(mount), name))
    if (!key) throw new Error(`no key ${mount}/${name}`)
    key.versions.push(newVersion(key, key.versions.length + 1, options.privateKey))
    return key.versions.length
  }

  addToken(options: VaultTokenOptions): void {
    // Rules for the same path from several policies merge into one (union of capabilities), as Vault's ACL does.
    const rules = new Map<string, Set<Capability>>()
    for (const rule of options.policies) {
      const path = rule.path.replace(/^\/+/, '')
      const caps = rules.get(path) ?? new Set<Capability>()
      rule.capabilities.forEach(c => caps.add(c))
      rules.set(path, caps)
    }
    this.tokens.set(options.token, {
      namespace: normalizeNamespace(options.namespace),
      rules,
      expired: options.expired ?? false
    })
  }

  seal(): void {
    this.sealed = true
  }

  unseal(): void {
    this.sealed = false
  }

  // Faults are queued, and requests looked up, by URL path (e.g. '/v1/transit/sign/mykey/sha2-256').

  protected record(req: IncomingMessage, body: Buffer): VaultRecordedRequest {
    const url = new URL(req.url ?? '/', 'http://vault')
    // The client token comes from X-Vault-Token, or else from "Authorization: Bearer <token>"
    // (vault/request_handling.go: logical.ClientTokenFromVaultHeader / ClientTokenFromAuthzHeader).
    const bearer = /^Bearer\s+(.+)$/i.exec(headerValue(req, 'authorization') ?? '')?.[1]
    return {
      method: req.method ?? '',
      path: url.pathname,
      token: headerValue(req, 'x-vault-token') ?? bearer,
      namespace: headerValue(req, 'x-vault-namespace'),
      headers: req.headers,
      body: body.toString('utf8'),
      at: Date.now()
    }
  }

  protected respond(_req: IncomingMessage, res: ServerResponse, recorded: VaultRecordedRequest): void {
    const answer = this.answer(recorded)
    recorded.status = answer.status
    if (answer.body === undefined) {
      res.writeHead(answer.status)
      res.end()
      return
    }
    res.writeHead(answer.status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    res.end(`${JSON.stringify(answer.body)}\n`)
  }

  private answer(request: VaultRecordedRequest): Answer {
    if (!request.path.startsWith('/v1/')) return errors(404)
    // Sealed: the core refuses every request with consts.ErrSealed, which RespondError turns into 503
    // (sdk/logical/response_util.go AdjustErrorStatusCode; vault/request_handling.go switchedLockHandleRequest).
    if (this.sealed) return errors(503, 'Vault is sealed')
    const method = request.method.toUpperCase()
    const operation = method === 'GET' ? 'read' : method === 'DELETE' ? 'delete' : method === 'LIST' ? 'list' : 'update'
    const namespace = normalizeNamespace(request.namespace)
    const path = request.path.slice('/v1/'.length).replace(/\/+$/, '')

    // Token checks come before routing (vault/request_handling.go handleRequest → checkToken).
    if (!request.token) return errors(403, 'permission denied')
    const token = this.tokens.get(request.token)
    // A revoked, expired or unknown token: 403 with both "permission denied" and "invalid token"
    // (website/content/docs/concepts/tokens.mdx "Error Responses"; hashicorp/vault#26687).
    if (!token || token.expired) return errors(403, multierror('permission denied', 'invalid token'))
    // A token acts in its own namespace and that namespace's children; ACL paths are relative to its namespace.
    const relative = relativeNamespace(token.namespace, namespace)
    if (relative === undefined || !allowed(token.rules, relative + path, operation)) {
      // A policy denial: "1 error occurred:\n\t* permission denied\n\n" (tokens.mdx; hashicorp/vault#17246).
      return errors(403, multierror('permission denied'))
    }

    const mount = [...this.mounts]
      .filter(m => m.startsWith(`${namespace}|`))
      .map(m => m.slice(namespace.length + 1))
      .filter(m => path === m || path.startsWith(`${m}/`))
      .sort((a, b) => b.length - a.length)[0]
    // vault/router.go: `no handler for route %q. route entry not found.` with 404 (ErrUnsupportedPath).
    if (mount === undefined) return errors(404, `no handler for route "${path}". route entry not found.`)
    const rest = path.slice(mount.length + 1)

    const sign = new RegExp(`^sign/(${NAME})(?:/(.+))?$`).exec(rest)
    if (sign) {
      if (method !== 'POST' && method !== 'PUT') return unsupportedOperation()
      return this.sign(namespace, mount, sign[1], sign[2], request.body)
    }
    const rotate = new RegExp(`^keys/(${NAME})/rotate$`).exec(rest)
    if (rotate) {
      if (method !== 'POST' && method !== 'PUT') return unsupportedOperation()
      // builtin/logical/transit/path_rotate.go: "key not found" (400); current Vault answers with the key as
      // formatKeyPolicy renders it (older versions answered 204 with no body).
      const key = this.keys.get(keyId(namespace, mount, rotate[1]))
      if (!key) return errors(400, 'key not found')
      this.rotate(mount, key.name, { namespace })
      return envelope(formatKey(key))
    }
    const read = new RegExp(`^keys/(${NAME})$`).exec(rest)
    if (read) {
      // Creating keys over HTTP (POST keys/:name) is not modelled: keys come from addKey().
      if (method !== 'GET') return unsupportedOperation()
      const key = this.keys.get(keyId(namespace, mount, read[1]))
      // pathPolicyRead returns (nil, nil) for a missing key; a read with no response is 404 `{"errors":[]}`
      // (path_keys.go; response_util.go RespondErrorCommon: ReadOperation && resp == nil).
      if (!key) return errors(404)
      return envelope(formatKey(key))
    }
    // A path no transit route matches: the backend answers logical.ErrUnsupportedPath (404) through the core.
    return errors(404, multierror('unsupported path'))
  }

  /** POST {mount}/sign/:name(/:hash_algorithm), after builtin/logical/transit/path_sign_verify.go pathSignWrite. */
  private sign(
    namespace: string,
    mount: string,
    name: string,
    urlAlgorithm: string | undefined,
    rawBody: string
  ): Answer {
    let body: Record<string, unknown>
    try {
      body = rawBody.trim() === '' ? {} : (JSON.parse(rawBody) as Record<string, unknown>)
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object')
    } catch (e) {
      return errors(400, `error parsing JSON: ${(e as Error).message}`)
    }
    // Hash: the URL segment, else hash_algorithm, else the deprecated algorithm, default sha2-256
    // (getHashAlgorithmFromArgs); "invalid hash algorithm %q" with ErrInvalidRequest → 400.
    const hashName = urlAlgorithm ?? str(body.hash_algorithm) ?? str(body.algorithm) ?? 'sha2-256'
    const hash = HASHES[hashName]
    if (!hash) return errors(400, `invalid hash algorithm "${hashName}"`)
    const marshaling = str(body.marshaling_algorithm) ?? 'asn1'
    if (marshaling !== 'asn1' && marshaling !== 'jws') return errors(400, `invalid marshaling type "${marshaling}"`)
    const saltLength = parseSaltLength(body.salt_length)
    if (typeof saltLength === 'string' && saltLength.startsWith('salt length')) return errors(400, saltLength)

    const key = this.keys.get(keyId(namespace, mount, name))
    // Current text; Vault before the sign/verify split said "encryption key not found" (same status, 400).
    if (!key) return errors(400, 'signing key not found')
    if (!SIGNING_TYPES.has(key.type)) return errors(400, `key type ${key.type} does not support signing`)

    // "use empty string if input is missing - not an error"; base64 errors say "unable to decode input: …".
    const input = str(body.input) ?? ''
    const badByte = firstInvalidBase64Byte(input)
    if (badByte !== undefined)
      return errors(400, `unable to decode input: illegal base64 data at input byte ${badByte}`)
    let digest = Buffer.from(input, 'base64')
    // RSA and ECDSA hash the input unless prehashed (HashSignatureInput()).
    if (body.prehashed !== true) digest = createHash(hash).update(digest).digest()

    // SignWithOptions: version 0 = latest; the rest are errutil.UserError that the sign path returns as (nil, err),
    // i.e. HTTP 500 through the core's multierror (hashicorp/vault#20713, open PR #32108 to make them 400).
    const requested = typeof body.key_version === 'number' ? body.key_version : Number(body.key_version ?? 0)
    const latest = key.versions.length
    if (!Number.isInteger(requested)) return errors(400, `key_version: expected an integer`)
    if (requested < 0) return errors(500, multierror('requested version for signing is negative'))
    if (requested > latest) {
      return errors(500, multierror('requested version for signing is higher than the latest key version'))
    }
    const version = key.versions[(requested || latest) - 1]

    let signature: Buffer
    try {
      if (key.type === 'ecdsa-p256') {
        signature = signDigest(version.privateKey!, digest, hash, {
          padding: 'ecdsa',
          encoding: marshaling === 'jws' ? 'ieee-p1363' : 'der'
        })
      } else {
        // RSA: "if sigAlgorithm == \"\" { sigAlgorithm = \"pss\" }" — PSS is the default, pkcs1v15 must be asked
        // for (sdk/helper/keysutil/policy.go SignWithOptions; transit.mdx: `signature_algorithm (string: "pss")`).
        const algorithm = str(body.signature_algorithm) || 'pss'
        if (algorithm !== 'pss' && algorithm !== 'pkcs1v15') {
          return errors(500, multierror(`unsupported rsa signature algorithm ${algorithm}`))
        }
        const hLen = createHash(hash).digest().length
        // Go's crypto/rsa refuses a digest of the wrong size (prehashed input): returned raw → 500.
        if (digest.length !== hLen) {
          return errors(
            500,
            multierror(
              algorithm === 'pss'
                ? 'crypto/rsa: input must be hashed with given hash'
                : 'crypto/rsa: input must be hashed message'
            )
          )
        }
        if (algorithm === 'pkcs1v15') {
          signature = signDigest(version.privateKey!, digest, hash, { padding: 'pkcs1v15' })
        } else {
          // salt_length "auto" (default) = rsa.PSSSaltLengthAuto: as large as possible when signing.
          const modBits = version.privateKey!.asymmetricKeyDetails?.modulusLength ?? 0
          const max = Math.ceil((modBits - 1) / 8) - 2 - hLen
          const sLen = saltLength === 'auto' ? max : saltLength === 'hash' ? hLen : saltLength
          // validRSAPSSSaltLength → UserError "requested salt length %d is invalid" (→ 500 on the sign path).
          if (typeof sLen !== 'number' || sLen < 0 || sLen > max) {
            return errors(500, multierror(`requested salt length ${String(sLen)} is invalid`))
          }
          signature = signDigest(version.privateKey!, digest, hash, { padding: 'pss', saltLength: sLen })
        }
      }
    } catch (e) {
      return errors(500, multierror((e as Error).message))
    }
    // "vault:v<N>:" + base64 (std for asn1, raw URL for jws); data.key_version since Vault 1.5 (hashicorp/vault#9100).
    const encoded = marshaling === 'jws' ? signature.toString('base64url') : signature.toString('base64')
    return envelope({ signature: `vault:v${version.version}:${encoded}`, key_version: version.version })
  }
}

function unsupportedOperation(): Answer {
  // logical.ErrUnsupportedOperation → 405 (response_util.go), wrapped by the core's multierror.
  return errors(405, multierror('unsupported operation'))
}

/** Vault's success envelope (every logical response: request_id … auth, mount_type). */
function envelope(data: object): Answer {
  return {
    status: 200,
    body: {
      request_id: randomUUID(),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data,
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: 'transit'
    }
  }
}

/** GET keys/:name data, after path_keys.go formatKeyPolicy. */
function formatKey(key: VaultKey): object {
  const asymmetric = key.type !== 'aes256-gcm96'
  const keys: Record<string, unknown> = {}
  for (const v of key.versions) {
    keys[String(v.version)] = asymmetric
      ? {
          // asymKey: public_key (PKIX PEM), certificate_chain, creation_time, name (the curve or rsa-N).
          certificate_chain: '',
          creation_time: v.created.toISOString(),
          name: key.type === 'ecdsa-p256' ? 'P-256' : key.type,
          public_key: v.publicKeyPem
        }
      : // Symmetric keys list each version's creation time in Unix seconds (transit.mdx Read Key).
        Math.floor(v.created.getTime() / 1000)
  }
  return {
    allow_plaintext_backup: false,
    auto_rotate_period: 0,
    deletion_allowed: false,
    derived: false,
    exportable: false,
    imported_key: false,
    keys,
    latest_version: key.versions.length,
    min_available_version: 0,
    min_decryption_version: 1,
    min_encryption_version: 0,
    name: key.name,
    supports_decryption: key.type !== 'ecdsa-p256',
    supports_derivation: !asymmetric,
    supports_encryption: key.type !== 'ecdsa-p256',
    supports_signing: SIGNING_TYPES.has(key.type),
    type: key.type
  }
}

function newVersion(key: VaultKey, version: number, privateKey: KeyObject | undefined): VaultKeyVersion {
  const created = new Date()
  // Symmetric material never leaves Vault and plays no part in signing, so none is kept.
  if (key.type === 'aes256-gcm96') return { version, created }
  const shape = key.type === 'ecdsa-p256' ? 'P-256' : Number(key.type.slice(4))
  const pair = privateKey ?? newSigningKey(shape)
  if (!hasShape(pair, shape)) throw new Error(`the private key does not match ${key.type}`)
  return { version, created, privateKey: pair, publicKeyPem: publicKeyPem(pair) }
}

/**
 * Does the most specific matching rule grant `operation`? Exact paths win; among globs the priority rules of
 * policies.mdx "Priority matching" apply: a later first wildcard wins, then not ending in `*`, then fewer `+`
 * segments, then the longer path, then the lexicographically larger. `deny` overrides everything on that rule.
 */
function allowed(rules: Map<string, Set<Capability>>, path: string, operation: Capability): boolean {
  const exact = rules.get(path)
  let caps = exact && !/[*+]/.test(path) ? exact : undefined
  if (!caps) {
    const matching = [...rules.keys()].filter(p => /[*+]/.test(p) && globMatches(p, path)).sort(comparePriority)
    caps = matching.length ? rules.get(matching[matching.length - 1]) : undefined
  }
  return !!caps && !caps.has('deny') && caps.has(operation)
}

function globMatches(pattern: string, path: string): boolean {
  const glob = pattern.endsWith('*')
  const segments = (glob ? pattern.slice(0, -1) : pattern).split('/')
  const source = segments.map(s => (s === '+' ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')
  return new RegExp(`^${source}${glob ? '.*' : ''}$`).test(path)
}

/** Ascending priority, per policies.mdx "Priority matching". */
function comparePriority(p1: string, p2: string): number {
  const firstWildcard = (p: string) => {
    const i = p.search(/[*+]/)
    return i === -1 ? Infinity : i
  }
  if (firstWildcard(p1) !== firstWildcard(p2)) return firstWildcard(p1) - firstWildcard(p2)
  if (p1.endsWith('*') !== p2.endsWith('*')) return p1.endsWith('*') ? -1 : 1
  const plus = (p: string) => p.split('/').filter(s => s === '+').length
  if (plus(p1) !== plus(p2)) return plus(p2) - plus(p1)
  if (p1.length !== p2.length) return p1.length - p2.length
  return p1 < p2 ? -1 : p1 > p2 ? 1 : 0
}

/** The request namespace relative to the token's ("" or "child/"), or undefined when the token cannot act there. */
function relativeNamespace(tokenNamespace: string, requestNamespace: string): string | undefined {
  if (tokenNamespace === requestNamespace) return ''
  if (tokenNamespace === '') return `${requestNamespace}/`
  return requestNamespace.startsWith(`${tokenNamespace}/`)
    ? `${requestNamespace.slice(tokenNamespace.length + 1)}/`
    : undefined
}

function parseSaltLength(value: unknown): 'auto' | 'hash' | number | string {
  // getSaltLength: "auto" (default), "hash", or an integer ≥ PSSSaltLengthEqualsHash.
  if (value === undefined || value === null) return 'auto'
  const s = String(value).toLowerCase()
  if (s === 'auto' || s === 'hash') return s
  if (!/^-?\d+$/.test(s)) return `salt length neither 'auto', 'hash', nor an int: ${String(value)}`
  const n = Number(s)
  return n < -1 ? `salt length is invalid: ${n}` : n
}

function firstInvalidBase64Byte(s: string): number | undefined {
  // Go's base64.StdEncoding: padded standard alphabet only.
  const m = /[^A-Za-z0-9+/=]/.exec(s)
  if (m) return m.index
  const pad = s.indexOf('=')
  if (pad !== -1 && !/^={1,2}$/.test(s.slice(pad))) return pad
  if (s.length % 4 !== 0) return s.length - (s.length % 4)
  return undefined
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

function normalizeNamespace(namespace: string | undefined): string {
  return trimSlashes(namespace ?? '')
}

function trimSlashes(s: string): string {
  return s.replace(/^\/+|\/+$/g, '')
}

function keyId(namespace: string, mount: string, name: string): string {
  return `${namespace}|${mount}|${name}`
}

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value[0] : value
}
