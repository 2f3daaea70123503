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
import { createHash, createPublicKey, randomUUID, timingSafeEqual, type KeyObject } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import { EmulatorServer, listen, type Fault, type RecordedBase, type ServeOptions } from './server.js'
import { hasShape, newSigningKey, publicKeyPem, schemeOf, signDigest, type DigestName } from './signing.js'

export type KmsKeySpec = 'RSA_2048' | 'RSA_3072' | 'RSA_4096' | 'ECC_NIST_P256'
export type KmsKeyUsage = 'SIGN_VERIFY' | 'ENCRYPT_DECRYPT'
export type KmsKeyState = 'Enabled' | 'Disabled' | 'PendingDeletion'
export type KmsAction = 'kms:Sign' | 'kms:GetPublicKey'
export type KmsTarget = 'TrentService.Sign' | 'TrentService.GetPublicKey'

export type { Fault } from './server.js'

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

export interface KmsRecordedRequest extends RecordedBase {
  /** X-Amz-Target as sent. */
  target: string
  /** The KeyId in the body, as sent. */
  keyId?: string
  /** The access key id named in the Authorization header's credential scope. */
  accessKeyId?: string
  sessionToken?: string
  /** `__type` of the error answered, if any. */
  errorType?: string
}

export interface AwsKmsEmulatorOptions extends Omit<ServeOptions, 'listen'> {
  region?: string
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

export class AwsKmsEmulator extends EmulatorServer<KmsRecordedRequest> {
  private readonly keys = new Map<string, KmsKey>()
  private readonly credentials = new Map<string, StoredCredentials>()

  private constructor(
    server: Server,
    /** Base URL, e.g. http://127.0.0.1:PORT */
    readonly url: string,
    /** host:port, what a SigV4 client signs as the Host header. */
    readonly host: string,
    readonly region: string
  ) {
    super(server, JSON_11)
  }

  static async start(options: AwsKmsEmulatorOptions = {}): Promise<AwsKmsEmulator> {
    const { server, port } = await listen({ tls: options.tls, port: options.port })
    const host = `127.0.0.1:${port}`
    return new AwsKmsEmulator(
      server,
      `${options.tls ? 'https' : 'http'}://${host}`,
      host,
      options.region ?? 'us-east-1'
    )
  }

  addKey(options: KmsKeyOptions): KmsKey {
    const keyUsage = options.keyUsage ?? 'SIGN_VERIFY'
    if (options.keySpec === 'ECC_NIST_P256' && keyUsage !== 'SIGN_VERIFY') {
      // "You cannot create an elliptic curve key pair for encryption and decryption." (asymm-create-key.html)
      throw new Error('ECC_NIST_P256 keys can only be SIGN_VERIFY')
    }
    const shape = options.keySpec === 'ECC_NIST_P256' ? 'P-256' : Number(options.keySpec.slice(4))
    const privateKey = options.privateKey ?? newSigningKey(shape)
    if (privateKey.type !== 'private' || !hasShape(privateKey, shape)) {
      throw new Error(`the private key does not match ${options.keySpec}`)
    }
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
      publicKeyPem: publicKeyPem(privateKey)
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

  /** Faults are queued, and requests looked up, by X-Amz-Target (a KmsTarget, e.g. 'TrentService.Sign'). */
  protected targetsOf(request: KmsRecordedRequest): string[] {
    return [request.target]
  }

  protected record(req: IncomingMessage, raw: Buffer): KmsRecordedRequest {
    const body = raw.toString('utf8')
    const recorded: KmsRecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      target: String(req.headers['x-amz-target'] ?? ''),
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
      // not JSON: answered in respond()
    }
    return recorded
  }

  protected async respond(req: IncomingMessage, res: ServerResponse, recorded: KmsRecordedRequest): Promise<void> {
    const answer = await this.answer(req, recorded.body, recorded.target)
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

    const key = this.usableKey(input, caller, 'kms:Sign')
    if ('type' in key) return key
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
    // KMS PSS: MGF1 with the same hash, salt as long as the digest ("… along with a 256-bit salt",
    // developerguide/asymmetric-key-specs.html#key-spec-rsa-sign; localstack uses PSS.DIGEST_LENGTH).
    const kind = algorithm.startsWith('RSASSA_PSS') ? 'pss' : algorithm.startsWith('RSASSA_PKCS1') ? 'pkcs1' : 'ecdsa'
    const signature = signDigest(key.privateKey, digest, hash, schemeOf(kind, digest, 'der'))
    // Response KeyId is the key ARN even when the request named an alias (API_Sign.html, Response Elements).
    return {
      status: 200,
      body: { KeyId: key.arn, Signature: signature.toString('base64'), SigningAlgorithm: algorithm }
    }
  }

  private getPublicKey(input: Record<string, unknown>, caller: StoredCredentials): Answer {
    const invalid = validate([['keyId', input.KeyId, 'string']])
    if (invalid) return invalid
    // key-state.html lists GetPublicKey as failing for Disabled (DisabledException) and PendingDeletion
    // (KMSInvalidStateException) keys. (localstack's provider comments that AWS in fact allows Disabled here.)
    const key = this.usableKey(input, caller, 'kms:GetPublicKey')
    if ('type' in key) return key
    // Response elements (API_GetPublicKey.html): KeyId is the ARN (asserted against AWS in localstack
    // test_get_public_key), PublicKey the DER SubjectPublicKeyInfo, CustomerMasterKeySpec the deprecated twin of KeySpec.
    const body: Record<string, unknown> = {
      KeyId: key.arn,
      PublicKey: createPublicKey(key.privateKey).export({ type: 'spki', format: 'der' }).toString('base64'),
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage
    }
    if (key.keyUsage === 'SIGN_VERIFY') body.SigningAlgorithms = signingAlgorithmsFor(key)
    else body.EncryptionAlgorithms = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']
    return { status: 200, body }
  }

  /** The request's key, found (404), allowed to the caller (IAM) and in a usable state, in that order. */
  private usableKey(input: Record<string, unknown>, caller: StoredCredentials, action: KmsAction): KmsKey | KmsError {
    const key = this.resolveKey(String(input.KeyId), caller)
    if ('type' in key) return key
    return authorize(caller, action, key) ?? stateError(key) ?? key
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
