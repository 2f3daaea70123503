/**
 * A local AWS KMS for tests: the JSON 1.1 protocol (POST /, `X-Amz-Target: TrentService.<Operation>`) for the
 * two operations a key-vault signer needs, Sign and GetPublicKey. Every request's Signature Version 4 is verified
 * by re-signing it with the stored secret (@smithy/signature-v4, the signer of the AWS SDK for JavaScript v3), and
 * errors come back as KMS sends them: HTTP 400, `{"__type": "...", "message": "..."}`, `x-amzn-ErrorType` and
 * `x-amzn-RequestId`. Faults can be queued per target to test retries and timeouts.
 *
 * Sources followed (cited again next to each behaviour):
 * - Wire shapes: aws/aws-sdk-js-v3 clients/client-kms/src/protocols/Aws_json1_1.ts (`sharedHeaders`:
 *   `content-type: application/x-amz-json-1.1`, `x-amz-target: TrentService.${operation}`, POST "/", blobs as base64).
 * - API reference: https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html, API_GetPublicKey.html,
 *   CommonErrors.html; key states: https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html.
 * - Exact error texts recorded against real AWS in localstack/localstack
 *   tests/aws/services/kms/test_kms.snapshot.json (marked `aws.validated`), and quoted from real AWS answers in
 *   GitHub issues (links next to each message).
 */
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  randomUUID,
  timingSafeEqual,
  type KeyObject
} from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'

export type KmsKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'ECC_NIST_P256'
export type KmsKeyUsage = 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT'
export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion'
export type KmsAction = 'kms:Sign' | 'kms:GetPublicKey'
export type KmsTarget = 'TrentService.Sign' | 'TrentService.GetPublicKey'

/** A canned answer that replaces the next request to a target. */
export type Fault =
  { status: number; body?: string; headers?: Record<string, string> } | { hang: true } | { reset: true }

export interface KmsKeyOptions {
  keySpec: KmsKeySpec
  keyUsage?: KmsKeyUsage
  state?: KmsKeyState
  /** Alias names, with or without the `alias/` prefix. */
  aliases?: string[]
  /** The owning account (default 111122223333). */
  account?: string
  /** Use this key pair instead of generating one (keeps test files fast); it must match keySpec. */
  privateKey?: KeyObject
  keyId?: string
}

export interface KmsKey {
  keyId: string
  arn: string
  account: string
  keySpec: KmsKeySpec
  keyUsage: KmsKeyUsage
  state: KmsKeyState
  aliases: string[]
  privateKey: KeyObject
  publicKeyPem: string
}

export interface KmsCredentials {
  accessKeyId: string
  secretAccessKey: string
  /** Temporary credentials (ASIA…) carry a session token in X-Amz-Security-Token. */
  sessionToken?: string
  /** The session token has expired. */
  expired?: boolean
  /** What IAM allows this principal (default: both actions). */
  allow?: KmsAction[]
  /** The account the principal lives in; bare key ids and alias names resolve there (default 111122223333). */
  account?: string
  /** The principal ARN named in AccessDeniedException. */
  principal?: string
}

export interface KmsRecordedRequest {
  method: string
  path: string
  /** X-Amz-Target as sent. */
  target: string
  headers: http.IncomingHttpHeaders
  body: string
  /** The KeyId in the body, as sent. */
  keyId?: string
  /** The access key id named in the Authorization header's credential scope. */
  accessKeyId?: string
  sessionToken?: string
  at: number
  status?: number
  /** `__type` of the error answered, if any. */
  errorType?: string
}

export interface AwsKmsEmulatorOptions {
  tls?: { key: string; cert: string }
  region?: string
  port?: number
}

/** ThrottlingException as KMS answers it (HTTP 400, retryable), for `failNext`. */
export function throttlingFault(message = 'Rate exceeded'): Fault {
  return {
    status: 400,
    headers: { 'Content-Type': JSON_11, 'x-amzn-ErrorType': 'ThrottlingException', 'x-amzn-RequestId': randomUUID() },
    body: JSON.stringify({ __type: 'ThrottlingException', message })
  }
}

const JSON_11 = 'application/x-amz-json-1.1'
const DEFAULT_ACCOUNT = '111122223333'
const ALL_ACTIONS: KmsAction[] = ['kms:Sign', 'kms:GetPublicKey']
/** SigV4 clock skew AWS tolerates ("Signature expired: … (… - 5 min.)", aws/aws-sdk-js#254, remind101/logspout-kinesis#21). */
const MAX_SKEW_MS = 5 * 60_000

const RSA_SIGNING = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512'
]
/** The SigningAlgorithmSpec enum (API_Sign.html), for the ValidationException text. */
const SIGNING_ALGORITHM_ENUM = [
  ...RSA_SIGNING,
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256'
]
const MESSAGE_TYPE_ENUM = ['RAW', 'DIGEST', 'EXTERNAL_MU']

interface KmsError {
  status: number
  type: string
  message?: string
}
type Answer = { status: 200; body: object } | KmsError

const err = (type: string, message?: string, status = 400): KmsError => ({ status, type, message })

interface StoredCredentials extends Required<Omit<KmsCredentials, 'sessionToken'>> {
  sessionToken?: string
}

export class AwsKmsEmulator {
  readonly requests: KmsRecordedRequest[] = []
  private readonly keys = new Map<string, KmsKey>()
  private readonly credentials = new Map<string, StoredCredentials>()
  private readonly faults = new Map<string, Fault[]>()

  private constructor(
    private readonly server: http.Server,
    /** Base URL, e.g. http://127.0.0.1:PORT */
    readonly url: string,
    /** host:port, what a SigV4 client signs as the Host header. */
    readonly host: string,
    readonly region: string
  ) {}

  static async start(options: AwsKmsEmulatorOptions = {}): Promise<AwsKmsEmulator> {
    const server = options.tls ? https.createServer(options.tls) : http.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, '127.0.0.1', resolve)
    })
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`
    const emulator = new AwsKmsEmulator(
      server,
      `${options.tls ? 'https' : 'http'}://${host}`,
      host,
      options.region ?? 'us-east-1'
    )
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void emulator.handle(req, res))
    return emulator
  }

  addKey(options: KmsKeyOptions): KmsKey {
    const keyUsage = options.keyUsage ?? 'SIGN_VERIFY'
    if (options.keySpec === 'ECC_NIST_P256' && keyUsage !== 'SIGN_VERIFY') {
      // "You cannot create an elliptic curve key pair for encryption and decryption." (asymm-create-key.html)
      throw new Error('ECC_NIST_P256 keys can only be SIGN_VERIFY')
    }
    const privateKey = options.privateKey ?? generateKey(options.keySpec)
    checkKeyMatchesSpec(privateKey, options.keySpec)
    const account = options.account ?? DEFAULT_ACCOUNT
    const keyId = options.keyId ?? randomUUID()
    const key: KmsKey = {
      keyId,
      arn: `arn:aws:kms:${this.region}:${account}:key/${keyId}`,
      account,
      keySpec: options.keySpec,
      keyUsage,
      state: options.state ?? 'Enabled',
      aliases: (options.aliases ?? []).map(a => (a.startsWith('alias/') ? a : `alias/${a}`)),
      privateKey,
      publicKeyPem: publicKeyOf(privateKey).export({ type: 'spki', format: 'pem' }).toString()
    }
    this.keys.set(key.arn, key)
    return key
  }

  setKeyState(keyIdOrArn: string, state: KmsKeyState): void {
    const key = [...this.keys.values()].find(k => k.keyId === keyIdOrArn || k.arn === keyIdOrArn)
    if (!key) throw new Error(`no key ${keyIdOrArn}`)
    key.state = state
  }

  addCredentials(credentials: KmsCredentials): void {
    const account = credentials.account ?? DEFAULT_ACCOUNT
    this.credentials.set(credentials.accessKeyId, {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      expired: credentials.expired ?? false,
      allow: credentials.allow ?? ALL_ACTIONS,
      account,
      principal:
        credentials.principal ??
        (credentials.sessionToken
          ? `arn:aws:sts::${account}:assumed-role/docusign-jwt-signer/${credentials.accessKeyId}`
          : `arn:aws:iam::${account}:user/docusign-jwt-signer`)
    })
  }

  /** Queues faults for the next requests to a target (e.g. 'TrentService.Sign'), answered in order. */
  failNext(target: KmsTarget | string, ...faults: Fault[]): void {
    this.faults.set(target, [...(this.faults.get(target) ?? []), ...faults])
  }

  requestsTo(target: KmsTarget | string): KmsRecordedRequest[] {
    return this.requests.filter(r => r.target === target)
  }

  async close(): Promise<void> {
    this.server.closeAllConnections()
    await new Promise<void>(resolve => this.server.close(() => resolve()))
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const target = String(req.headers['x-amz-target'] ?? '')
    const recorded: KmsRecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      target,
      headers: req.headers,
      body,
      accessKeyId: parseAuthorization(req.headers.authorization)?.accessKeyId,
      sessionToken: header(req, 'x-amz-security-token'),
      at: Date.now()
    }
    try {
      const keyId = (JSON.parse(body) as { KeyId?: unknown }).KeyId
      if (typeof keyId === 'string') recorded.keyId = keyId
    } catch {
      // not JSON: answered below
    }
    this.requests.push(recorded)

    const fault = this.faults.get(target)?.shift()
    if (fault) return applyFault(fault, req, res)

    const answer = await this.answer(req, body, target)
    recorded.status = answer.status
    const requestId = randomUUID()
    if (!('type' in answer)) {
      res.writeHead(200, { 'Content-Type': JSON_11, 'x-amzn-RequestId': requestId })
      res.end(JSON.stringify(answer.body))
      return
    }
    recorded.errorType = answer.type
    // JSON 1.1 errors: `__type` names the error, the SDK also reads x-amzn-ErrorType (Aws_json1_1.ts, loadRestJsonErrorCode).
    res.writeHead(answer.status, {
      'Content-Type': JSON_11,
      'x-amzn-RequestId': requestId,
      'x-amzn-ErrorType': answer.type
    })
    res.end(
      JSON.stringify(
        answer.message === undefined ? { __type: answer.type } : { __type: answer.type, message: answer.message }
      )
    )
  }

  private async answer(req: IncomingMessage, body: string, target: string): Promise<Answer> {
    const auth = await this.authenticate(req, body)
    if ('type' in auth) return auth
    if (req.method !== 'POST' || (req.url ?? '/') !== '/') return err('UnknownOperationException')
    let input: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(body)
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      input = parsed as Record<string, unknown>
    } catch {
      return err('SerializationException')
    }
    // Only the two operations a signer needs are modelled; real KMS has ~50 more targets.
    if (target === 'TrentService.Sign') return this.sign(input, auth)
    if (target === 'TrentService.GetPublicKey') return this.getPublicKey(input, auth)
    return err('UnknownOperationException')
  }

  /** Checks the request's Signature Version 4 the way AWS's front end does, in its order. */
  private async authenticate(req: IncomingMessage, body: string): Promise<StoredCredentials | KmsError> {
    const authorization = header(req, 'authorization')
    // No Authorization header at all: "Missing Authentication Token" (CommonErrors.html: MissingAuthenticationToken).
    if (!authorization) return err('MissingAuthenticationTokenException', 'Missing Authentication Token')
    const parsed = parseAuthorization(authorization)
    if (!parsed) {
      return err(
        'IncompleteSignatureException',
        `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${authorization}`
      )
    }
    const creds = this.credentials.get(parsed.accessKeyId)
    // Unknown access key id: "The security token included in the request is invalid." (aws/aws-sdk-php#2444,
    // callstats-io/fluentd-kubernetes-cloudwatch#14; JSON services answer UnrecognizedClientException, 400).
    const invalidToken = err('UnrecognizedClientException', 'The security token included in the request is invalid.')
    if (!creds) return invalidToken
    const token = header(req, 'x-amz-security-token')
    // Temporary credentials must present their own session token; a wrong or missing one is an invalid token.
    if (creds.sessionToken !== undefined && token !== creds.sessionToken) return invalidToken
    if (creds.sessionToken === undefined && token !== undefined) return invalidToken
    // "ExpiredTokenException: The security token included in the request is expired", status 400 on KMS
    // (getsops/sops#621, boto/boto3#1127).
    if (creds.expired) return err('ExpiredTokenException', 'The security token included in the request is expired')

    const amzDate = header(req, 'x-amz-date')
    const signingDate = amzDate ? parseAmzDate(amzDate) : undefined
    if (!amzDate || !signingDate) {
      return err(
        'IncompleteSignatureException',
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."
      )
    }
    const now = Date.now()
    if (signingDate.getTime() < now - MAX_SKEW_MS) {
      // "Signature expired: 20151120T200815Z is now earlier than 20151120T201846Z (20151120T202346Z - 5 min.)"
      // (remind101/logspout-kinesis#21, awslabs/amazon-kinesis-producer#222).
      return err(
        'InvalidSignatureException',
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 5 min.)`
      )
    }
    if (signingDate.getTime() > now + MAX_SKEW_MS) {
      // "Signature not yet current: … is still later than … (… + 5 min.)" (aws/aws-sdk-go#2194).
      return err(
        'InvalidSignatureException',
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 5 min.)`
      )
    }
    // "Credential should be scoped to a valid region, not 'us-east-2'. " (aws/aws-sdk-ruby#508, JuliaCloud/AWS.jl#565).
    if (parsed.region !== this.region) {
      return err('InvalidSignatureException', `Credential should be scoped to a valid region, not '${parsed.region}'. `)
    }
    if (parsed.service !== 'kms') {
      return err('InvalidSignatureException', `Credential should be scoped to correct service: 'kms'. `)
    }
    if (parsed.date !== amzDate.slice(0, 8) || parsed.terminator !== 'aws4_request') return signatureMismatch()

    // Re-sign exactly the headers the client signed, with the stored secret, and compare.
    const headers: Record<string, string> = {}
    for (const name of parsed.signedHeaders) {
      const value = req.headers[name]
      if (value === undefined) return signatureMismatch()
      headers[name] = Array.isArray(value) ? value.join(',') : value
    }
    // A client-supplied payload hash must be the hash of the body that arrived.
    const payloadHash = createHash('sha256').update(body).digest('hex')
    if (headers['x-amz-content-sha256'] !== undefined && headers['x-amz-content-sha256'] !== payloadHash) {
      return signatureMismatch()
    }
    const url = new URL(req.url ?? '/', 'http://kms')
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: creds.accessKeyId,
        secretAccessKey: creds.secretAccessKey,
        // Only when the client signed the token header; otherwise smithy would add it to the signature.
        sessionToken: parsed.signedHeaders.includes('x-amz-security-token') ? creds.sessionToken : undefined
      },
      region: this.region,
      service: 'kms',
      sha256: Hash.bind(null, 'sha256'),
      applyChecksum: false
    })
    const resigned = await signer.sign(
      {
        method: req.method ?? 'POST',
        protocol: 'https:',
        hostname: url.hostname,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers,
        body
      },
      { signingDate, signableHeaders: new Set(parsed.signedHeaders) }
    )
    const expected = parseAuthorization(resigned.headers.authorization)
    if (
      !expected ||
      expected.signedHeaders.join(';') !== parsed.signedHeaders.join(';') ||
      !sameHex(expected.signature, parsed.signature)
    ) {
      return signatureMismatch()
    }
    return creds
  }

  private sign(input: Record<string, unknown>, caller: StoredCredentials): Answer {
    const invalid = validate([
      ['keyId', input.KeyId, 'string'],
      ['message', input.Message, 'string'],
      ['signingAlgorithm', input.SigningAlgorithm, 'string']
    ])
    if (invalid) return invalid
    const algorithm = String(input.SigningAlgorithm)
    // Enum validation text as KMS words it, e.g. "1 validation error detected: Value 'INVALID' at 'macAlgorithm'
    // failed to satisfy constraint: Member must satisfy enum value set: [...]" (localstack test_kms.snapshot.json).
    if (!SIGNING_ALGORITHM_ENUM.includes(algorithm))
      return enumError(algorithm, 'signingAlgorithm', SIGNING_ALGORITHM_ENUM)
    const messageType = input.MessageType === undefined ? 'RAW' : String(input.MessageType)
    if (!MESSAGE_TYPE_ENUM.includes(messageType)) return enumError(messageType, 'messageType', MESSAGE_TYPE_ENUM)
    const message = Buffer.from(String(input.Message), 'base64')
    // Message: 1 to 4096 bytes (API_Sign.html); text as for Encrypt's plaintext in the localstack AWS snapshot.
    if (message.length === 0 || message.length > 4096) {
      const bound = message.length === 0 ? 'greater than or equal to 1' : 'less than or equal to 4096'
      return err(
        'ValidationException',
        `1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length ${bound}`
      )
    }

    const resolved = this.resolveKey(String(input.KeyId), caller)
    if ('type' in resolved) return resolved
    const key = resolved
    const denied = authorize(caller, 'kms:Sign', key)
    if (denied) return denied
    const unusable = stateError(key)
    if (unusable) return unusable
    // "<key-arn> key usage is ENCRYPT_DECRYPT which is not valid for Sign." (localstack AWS snapshot,
    // test_error_messaging_for_invalid_keys; jonathankeebler/jwt-kms#4 for the Encrypt twin).
    if (key.keyUsage !== 'SIGN_VERIFY') {
      return err('InvalidKeyUsageException', `${key.arn} key usage is ${key.keyUsage} which is not valid for Sign.`)
    }
    // A valid algorithm the key spec cannot do: InvalidKeyUsageException "Algorithm X is incompatible with key
    // spec Y." (InvalidKeyUsageException docs; text in the localstack AWS snapshot for MAC keys and in
    // JackOfMostTrades/aws-kms-pkcs11#18 for Sign).
    if (!signingAlgorithmsFor(key).includes(algorithm)) {
      return err('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${key.keySpec}.`)
    }
    if (messageType === 'EXTERNAL_MU') {
      return err('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with message type EXTERNAL_MU.`)
    }
    const hash = hashOf(algorithm)
    let digest = message
    if (messageType === 'RAW') digest = createHash(hash).update(message).digest()
    // "Digest is invalid length for algorithm RSASSA_PSS_SHA_256." (localstack AWS snapshot, test_sign_verify).
    else if (message.length !== createHash(hash).digest().length) {
      return err('ValidationException', `Digest is invalid length for algorithm ${algorithm}.`)
    }
    const signature = signDigest(
      key.privateKey,
      digest,
      hash,
      algorithm.startsWith('RSASSA_PSS')
        ? // KMS PSS: MGF1 with the same hash, salt as long as the digest ("… along with a 256-bit salt",
          // developerguide/asymmetric-key-specs.html#key-spec-rsa-sign; localstack uses PSS.DIGEST_LENGTH).
          { padding: 'pss', saltLength: digest.length }
        : algorithm.startsWith('RSASSA_PKCS1')
          ? { padding: 'pkcs1v15' }
          : { padding: 'ecdsa', encoding: 'der' }
    )
    // Response KeyId is the key ARN even when the request named an alias (API_Sign.html, Response Elements).
    return {
      status: 200,
      body: { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm }
    }
  }

  private getPublicKey(input: Record<string, unknown>, caller: StoredCredentials): Answer {
    const invalid = validate([['keyId', input.KeyId, 'string']])
    if (invalid) return invalid
    const resolved = this.resolveKey(String(input.KeyId), caller)
    if ('type' in resolved) return resolved
    const key = resolved
    const denied = authorize(caller, 'kms:GetPublicKey', key)
    if (denied) return denied
    // key-state.html lists GetPublicKey as failing for Disabled (DisabledException) and PendingDeletion
    // (KMSInvalidStateException) keys. (localstack's provider comments that AWS in fact allows Disabled here.)
    const unusable = stateError(key)
    if (unusable) return unusable
    // Response elements (API_GetPublicKey.html): KeyId is the ARN (asserted against AWS in localstack
    // test_get_public_key), PublicKey the DER SubjectPublicKeyInfo, CustomerMasterKeySpec the deprecated twin of KeySpec.
    const body: Record<string, unknown> = {
      KeyId: key.arn,
      PublicKey: publicKeyOf(key.privateKey).export({ type: 'spki', format: 'der' }).toString('base64'),
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage
    }
    if (key.keyUsage === 'SIGN_VERIFY') body.SigningAlgorithms = signingAlgorithmsFor(key)
    else body.EncryptionAlgorithms = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']
    return { status: 200, body }
  }

  /**
   * KeyId may be a key id, key ARN, alias name or alias ARN (API_Sign.html, KeyId). Not-found texts from the
   * localstack AWS snapshot (test_get_key_does_not_exist, test_get_key_invalid_uuid, test_get_key_in_different_region)
   * and sigstore/cosign#1474 ("Alias arn:aws:kms:us-east-1:…:alias/cosign_key_test is not found.").
   */
  private resolveKey(id: string, caller: StoredCredentials): KmsKey | KmsError {
    const arn = /^arn:aws:kms:([^:]*):(\d{12}):(key|alias)\/(.+)$/.exec(id)
    if (arn) {
      const [, region, account, kind, name] = arn
      if (region !== this.region) return err('NotFoundException', `Invalid arn ${region}`)
      return kind === 'key'
        ? (this.keys.get(id) ?? err('NotFoundException', `Key '${id}' does not exist`))
        : this.byAlias(`alias/${name}`, account)
    }
    if (id.startsWith('arn:')) return err('NotFoundException', `Invalid arn ${id}`)
    if (id.startsWith('alias/')) return this.byAlias(id, caller.account)
    if (/^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/.test(id)) {
      const keyArn = `arn:aws:kms:${this.region}:${caller.account}:key/${id}`
      return this.keys.get(keyArn) ?? err('NotFoundException', `Key '${keyArn}' does not exist`)
    }
    return err('NotFoundException', `Invalid keyId '${id}'`)
  }

  private byAlias(alias: string, account: string): KmsKey | KmsError {
    const key = [...this.keys.values()].find(k => k.account === account && k.aliases.includes(alias))
    return key ?? err('NotFoundException', `Alias arn:aws:kms:${this.region}:${account}:${alias} is not found.`)
  }
}

function signatureMismatch(): KmsError {
  // The JSON-protocol text (teralytics/prometheus-ecs-discovery#7: status 400; smithy545/aws-apps-scripts#12).
  return err(
    'InvalidSignatureException',
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
  )
}

/** IAM denial: "User: arn:aws:iam::…:user/signatory is not authorized to perform: kms:GetPublicKey on resource:
 * arn:aws:kms:…:key/… because no identity-based policy allows the kms:GetPublicKey action" (ecadlabs/signatory#388). */
function authorize(caller: StoredCredentials, action: KmsAction, key: KmsKey): KmsError | undefined {
  if (caller.allow.includes(action)) return undefined
  return err(
    'AccessDeniedException',
    `User: ${caller.principal} is not authorized to perform: ${action} on resource: ${key.arn} because no identity-based policy allows the ${action} action`
  )
}

/** "<arn> is disabled." (hashicorp/terraform#14029, localstack AWS snapshot) and "<arn> is pending deletion."
 * (hashicorp/terraform-provider-aws#17889). */
function stateError(key: KmsKey): KmsError | undefined {
  if (key.state === 'Disabled') return err('DisabledException', `${key.arn} is disabled.`)
  if (key.state === 'PendingDeletion') return err('KMSInvalidStateException', `${key.arn} is pending deletion.`)
  return undefined
}

function signingAlgorithmsFor(key: KmsKey): string[] {
  // GetPublicKey's SigningAlgorithms per key spec (asymmetric-key-specs.html; same lists in localstack models.py).
  return key.keySpec === 'ECC_NIST_P256' ? ['ECDSA_SHA_256'] : RSA_SIGNING
}

function hashOf(algorithm: string): DigestName {
  return algorithm.endsWith('_512') ? 'sha512' : algorithm.endsWith('_384') ? 'sha384' : 'sha256'
}

/** Missing members: "1 validation error detected: Value null at 'signingAlgorithm' failed to satisfy constraint:
 * Member must not be null" (the AWS JSON validation form, as in the localstack AWS snapshot). */
function validate(members: [name: string, value: unknown, type: 'string'][]): KmsError | undefined {
  const problems = members
    .filter(([, value, type]) => typeof value !== type)
    .map(([name]) => `Value null at '${name}' failed to satisfy constraint: Member must not be null`)
  if (problems.length === 0) return undefined
  const count = problems.length === 1 ? '1 validation error' : `${problems.length} validation errors`
  return err('ValidationException', `${count} detected: ${problems.join('; ')}`)
}

function enumError(value: string, member: string, values: string[]): KmsError {
  return err(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`
  )
}

interface ParsedAuthorization {
  accessKeyId: string
  date: string
  region: string
  service: string
  terminator: string
  signedHeaders: string[]
  signature: string
}

function parseAuthorization(value: string | undefined): ParsedAuthorization | undefined {
  const m =
    /^AWS4-HMAC-SHA256\s+Credential=([^/\s,]+)\/(\d{8})\/([^/\s,]+)\/([^/\s,]+)\/([^/\s,]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-f]+)\s*$/.exec(
      value ?? ''
    )
  if (!m) return undefined
  const [, accessKeyId, date, region, service, terminator, signedHeaders, signature] = m
  return { accessKeyId, date, region, service, terminator, signedHeaders: signedHeaders.split(';'), signature }
}

function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  if (!m) return undefined
  const [, y, mo, d, h, mi, s] = m
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`)
  return Number.isNaN(date.getTime()) ? undefined : date
}

function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name]
  return Array.isArray(value) ? value.join(',') : value
}

function applyFault(fault: Fault, req: IncomingMessage, res: ServerResponse): void {
  if ('hang' in fault) return // keep the socket open and never answer
  if ('reset' in fault) return void req.socket.destroy()
  res.writeHead(fault.status, { 'Content-Type': JSON_11, ...fault.headers })
  res.end(fault.body ?? '')
}

function generateKey(spec: KmsKeySpec): KeyObject {
  if (spec === 'ECC_NIST_P256') return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  return generateKeyPairSync('rsa', { modulusLength: Number(spec.slice(4)) }).privateKey
}

function checkKeyMatchesSpec(key: KeyObject, spec: KmsKeySpec): void {
  const details = key.asymmetricKeyDetails
  const ok =
    spec === 'ECC_NIST_P256'
      ? key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1'
      : key.asymmetricKeyType === 'rsa' && details?.modulusLength === Number(spec.slice(4))
  if (key.type !== 'private' || !ok) throw new Error(`the private key does not match ${spec}`)
}

function publicKeyOf(privateKey: KeyObject): KeyObject {
  return createPublicKey(privateKey)
}

// ----------------------------------------------------------------------------------------------------------------
// Signing a digest (shared with the Vault emulator). node:crypto's sign() always hashes its input, but KMS
// (MessageType DIGEST) and Vault (prehashed: true) sign a digest the client computed, so the encodings are applied
// here: EMSA-PKCS1-v1_5 and EMSA-PSS from RFC 8017 §9, and ECDSA over P-256 from FIPS 186-4 §6.4.
// ----------------------------------------------------------------------------------------------------------------

export type DigestName =
  'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'sha3-224' | 'sha3-256' | 'sha3-384' | 'sha3-512'

export type DigestSigning =
  | { padding: 'pkcs1v15' }
  | { padding: 'pss'; saltLength: number | 'max' }
  | { padding: 'ecdsa'; encoding: 'der' | 'ieee-p1363' }

/** DER of each hash's AlgorithmIdentifier OID (RFC 8017 §9.2 note 1; NIST CSOR for SHA-3). */
const HASH_OIDS: Record<DigestName, string> = {
  sha1: '2b0e03021a',
  sha224: '608648016503040204',
  sha256: '608648016503040201',
  sha384: '608648016503040202',
  sha512: '608648016503040203',
  'sha3-224': '608648016503040207',
  'sha3-256': '608648016503040208',
  'sha3-384': '608648016503040209',
  'sha3-512': '60864801650304020a'
}

/** Signs an already computed digest with an RSA or P-256 private key. */
export function signDigest(key: KeyObject, digest: Buffer, hash: DigestName, scheme: DigestSigning): Buffer {
  // ECDSA takes a digest of any length and uses its leftmost bits (FIPS 186-4 §6.4, as Go's crypto/ecdsa).
  if (scheme.padding === 'ecdsa') return ecdsaP256Sign(key, digest, scheme.encoding)
  const hLen = createHash(hash).digest().length
  if (digest.length !== hLen) throw new Error(`digest is ${digest.length} bytes, ${hash} needs ${hLen}`)
  if (key.asymmetricKeyType !== 'rsa') throw new Error('RSA padding needs an RSA key')
  if (scheme.padding === 'pkcs1v15') {
    // EMSA-PKCS1-v1_5: DigestInfo; privateEncrypt with PKCS#1 padding applies the 00 01 FF.. 00 block type 1.
    const oid = Buffer.from(HASH_OIDS[hash], 'hex')
    const algorithm = Buffer.concat([Buffer.from([0x06, oid.length]), oid, Buffer.from([0x05, 0x00])])
    const algorithmSeq = Buffer.concat([Buffer.from([0x30, algorithm.length]), algorithm])
    const octets = Buffer.concat([Buffer.from([0x04, digest.length]), digest])
    const body = Buffer.concat([algorithmSeq, octets])
    const digestInfo = Buffer.concat([Buffer.from([0x30, body.length]), body])
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo)
  }
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 0
  const k = Math.ceil(modBits / 8)
  const emBits = modBits - 1
  const emLen = Math.ceil(emBits / 8)
  const sLen = scheme.saltLength === 'max' ? emLen - hLen - 2 : scheme.saltLength
  if (sLen < 0 || emLen < hLen + sLen + 2) throw new Error('encoding error: salt too long for the key')
  const salt = randomBytes(sLen)
  const h = createHash(hash)
    .update(Buffer.concat([Buffer.alloc(8), digest, salt]))
    .digest()
  const db = Buffer.concat([Buffer.alloc(emLen - sLen - hLen - 2), Buffer.from([0x01]), salt])
  const mask = mgf1(h, emLen - hLen - 1, hash)
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i]
  db[0] &= 0xff >> (8 * emLen - emBits)
  const em = Buffer.concat([db, h, Buffer.from([0xbc])])
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.concat([Buffer.alloc(k - emLen), em]))
}

function mgf1(seed: Buffer, length: number, hash: DigestName): Buffer {
  const parts: Buffer[] = []
  for (let counter = 0, total = 0; total < length; counter++) {
    const c = Buffer.alloc(4)
    c.writeUInt32BE(counter)
    const block = createHash(hash).update(seed).update(c).digest()
    parts.push(block)
    total += block.length
  }
  return Buffer.concat(parts).subarray(0, length)
}

// P-256 domain parameters (FIPS 186-4 D.1.2.3 / SEC 2).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n
const A = P - 3n
const G: [bigint, bigint] = [
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n
]
type Point = [bigint, bigint] | null

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m

function invert(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m]
  let [s0, s1] = [1n, 0n]
  while (r1 !== 0n) {
    const q = r0 / r1
    ;[r0, r1] = [r1, r0 - q * r1]
    ;[s0, s1] = [s1, s0 - q * s1]
  }
  return mod(s0, m)
}

function add(p1: Point, p2: Point): Point {
  if (!p1) return p2
  if (!p2) return p1
  const [x1, y1] = p1
  const [x2, y2] = p2
  let slope: bigint
  if (x1 === x2) {
    if (mod(y1 + y2, P) === 0n) return null
    slope = mod((3n * x1 * x1 + A) * invert(2n * y1, P), P)
  } else {
    slope = mod((y2 - y1) * invert(x2 - x1, P), P)
  }
  const x3 = mod(slope * slope - x1 - x2, P)
  return [x3, mod(slope * (x1 - x3) - y1, P)]
}

function multiply(k: bigint, point: Point): Point {
  let result: Point = null
  let addend = point
  for (let n = k; n > 0n; n >>= 1n) {
    if (n & 1n) result = add(result, addend)
    addend = add(addend, addend)
  }
  return result
}

const toBigInt = (b: Buffer): bigint => BigInt(`0x${b.toString('hex') || '0'}`)

function ecdsaP256Sign(key: KeyObject, digest: Buffer, encoding: 'der' | 'ieee-p1363'): Buffer {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('ECDSA here supports P-256 keys only')
  }
  const d = toBigInt(Buffer.from(String(key.export({ format: 'jwk' }).d), 'base64url'))
  // FIPS 186-4 §6.4: e = the leftmost min(N bits, hash bits) of the digest.
  let e = toBigInt(digest)
  if (digest.length * 8 > 256) e >>= BigInt(digest.length * 8 - 256)
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), N - 1n) + 1n
    const r = mod(multiply(k, G)![0], N)
    if (r === 0n) continue
    const s = mod(invert(k, N) * (e + r * d), N)
    if (s === 0n) continue
    const raw = [r, s].map(v => Buffer.from(v.toString(16).padStart(64, '0'), 'hex'))
    if (encoding === 'ieee-p1363') return Buffer.concat(raw)
    const ints = raw.map(b => {
      let i = 0
      while (i < b.length - 1 && b[i] === 0) i++
      const v = b.subarray(i)
      const body = v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v
      return Buffer.concat([Buffer.from([0x02, body.length]), body])
    })
    const seq = Buffer.concat(ints)
    return Buffer.concat([Buffer.from([0x30, seq.length]), seq])
  }
}
