import { createPublicKey } from 'node:crypto'
import aws4 from 'aws4'
import { tryJson } from '../answer.js'
import type { Http, HttpResponse } from '../http.js'
import type { Io } from '../io.js'
import { quote } from '../outside.js'
import { backoffMs, sleep } from '../retry.js'
import { setting } from '../settings.js'
import { awsCredentials, serviceEndpoint, type AwsSession } from './aws-credentials.js'
import { notTheService, send, shownUrl, type Service } from './key-vault-http.js'
import {
  publicKeyInfo,
  requireRsa,
  SignerError,
  type PublicKeyInfo,
  type Signer,
  type SignerContext,
  type SigningKeySpec
} from './signer.js'
import { describeSpec } from './spec.js'

type AwsKmsSpec = Extract<SigningKeySpec, { backend: 'aws-kms' }>
type Operation = 'GetPublicKey' | 'Sign'

const JSON_11 = 'application/x-amz-json-1.1'
const ALGORITHM = 'RSASSA_PKCS1_V1_5_SHA_256'
const RSA_SPECS = new Set(['RSA_2048', 'RSA_3072', 'RSA_4096'])
const ACTIONS = 'kms:Sign and kms:GetPublicKey'

/** KMS error types that mean the request's credentials or signature were not accepted. */
const CREDENTIALS_REFUSED = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId'
])
/** KMS error types that a later attempt may not meet (besides 5xx and 429, which Http retries). */
const UNAVAILABLE = new Set([
  'ThrottlingException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'KeyUnavailableException',
  'ServiceUnavailableException',
  'InternalFailure'
])

interface KmsFailure {
  type: string
  /** As KMS sent it: quoted (made inert) where a message shows it. */
  message: string
}

/**
 * Signs in AWS KMS: TrentService.GetPublicKey once, TrentService.Sign per assertion (JSON 1.1, POST /,
 * Signature Version 4 by aws4), with the credentials of the AWS SDKs' default chain (aws-credentials.ts):
 * the environment aws-actions/configure-aws-credentials leaves, web identity, container credentials
 * or the EC2 instance role. The secret access key and session token are registered as secrets before
 * anything else and go only to KMS.
 */
export class AwsKmsSigner implements Signer {
  readonly description: string
  private readonly keyId: string
  private readonly region: string
  private readonly url: URL
  private readonly context: SignerContext
  private credentials?: Promise<AwsSession>
  private readonly service: Service
  private readonly http: Http
  private readonly io: Io
  private info?: PublicKeyInfo

  constructor(spec: AwsKmsSpec, context: SignerContext) {
    this.description = describeSpec(spec)
    this.keyId = spec.keyId
    this.region = spec.region
    this.http = context.http
    this.io = context.io
    this.context = context
    const endpoint = serviceEndpoint(context.env, 'KMS', this.region, { name: 'AWS KMS', key: this.description })
    this.service = { name: 'AWS KMS', endpointVariable: endpoint.variable, key: this.description }
    this.url = endpoint.url
  }

  private chain() {
    return { context: this.context, region: this.region, key: this.description }
  }

  async publicKey(): Promise<PublicKeyInfo> {
    if (this.info) return this.info
    const answer = await this.call('GetPublicKey', { KeyId: this.keyId })
    const refuse = (problem: string): never => {
      throw new SignerError(
        'refused',
        `${this.description} ${problem}`,
        `Make an RSA signing key (aws kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY, see docs/keyless.md), register its public key on the integration key, and point ${setting('signing-key')} at it.`
      )
    }
    const spec = answer.KeySpec ?? answer.CustomerMasterKeySpec
    if (typeof spec !== 'string' || !RSA_SPECS.has(spec)) {
      refuse(
        `is a ${quote(spec ?? 'key of no key spec', 40)} key; DocuSign signs JWTs with RSA keys only (RS256): RSA_2048, RSA_3072 or RSA_4096.`
      )
    }
    if (answer.KeyUsage !== 'SIGN_VERIFY') {
      refuse(`has the key usage ${quote(answer.KeyUsage ?? 'none', 40)}, not SIGN_VERIFY: it cannot sign.`)
    }
    const algorithms = Array.isArray(answer.SigningAlgorithms) ? answer.SigningAlgorithms : []
    if (!algorithms.includes(ALGORITHM)) {
      refuse(`does not offer ${ALGORITHM} (RS256), the only signature DocuSign accepts.`)
    }
    let info: PublicKeyInfo
    try {
      const der = Buffer.from(String(answer.PublicKey ?? ''), 'base64')
      info = publicKeyInfo(createPublicKey({ key: der, format: 'der', type: 'spki' }))
    } catch {
      throw this.malformed('GetPublicKey', 'PublicKey is not a DER SubjectPublicKeyInfo in base64')
    }
    if (typeof answer.KeyId === 'string') this.io.debug(`AWS KMS: ${this.description} is ${quote(answer.KeyId)}`)
    this.info = requireRsa(this.description, info)
    return this.info
  }

  async sign(input: Buffer): Promise<Buffer> {
    const answer = await this.call('Sign', {
      KeyId: this.keyId,
      Message: input.toString('base64'),
      MessageType: 'RAW',
      SigningAlgorithm: ALGORITHM
    })
    const signature = typeof answer.Signature === 'string' ? Buffer.from(answer.Signature, 'base64') : undefined
    if (!signature?.length) throw this.malformed('Sign', 'Signature is missing or empty')
    // Checked against the public key by the caller before DocuSign sees it (PSS, another key: refused there).
    return signature
  }

  /**
   * One KMS operation, signed afresh for each try. Http retries 5xx, 429 and network errors; a
   * ThrottlingException (HTTP 400) is retried here with the same backoff, within max-attempts.
   */
  private async call(operation: Operation, payload: object): Promise<Record<string, unknown>> {
    // The chain is asked once, when the key is first used (an environment's credentials need no request).
    this.credentials ??= awsCredentials(this.chain(), this.service)
    const session = await this.credentials
    const body = JSON.stringify(payload)
    const limit = this.http.maxAttempts
    let used = 0
    for (;;) {
      const request: aws4.Request = {
        host: this.url.host,
        path: this.url.pathname,
        method: 'POST',
        service: 'kms',
        region: this.region,
        headers: { 'Content-Type': JSON_11, 'X-Amz-Target': `TrentService.${operation}` },
        body
      }
      aws4.sign(request, {
        accessKeyId: session.accessKeyId,
        secretAccessKey: session.secretAccessKey,
        sessionToken: session.sessionToken
      })
      const headers: Record<string, string> = {}
      for (const [name, value] of Object.entries(request.headers ?? {})) {
        // Http sets Content-Length itself (the same value, still signed).
        if (value !== undefined && name.toLowerCase() !== 'content-length') headers[name] = String(value)
      }
      const { res, attempts } = await send(
        this.http,
        { method: 'POST', url: this.url.href, headers, body: () => Promise.resolve(body) },
        this.service
      )
      used += attempts
      const json = tryJson(res)
      if (res.status === 200) {
        if (!json) throw notTheService(res, operation, this.service)
        return json
      }
      const failure = kmsFailure(res, json)
      if (!failure) {
        if (res.status < 500 && res.status !== 429) throw notTheService(res, operation, this.service)
        throw this.failure(operation, res, { type: `HTTP ${res.status}`, message: '' }, used, session)
      }
      if (failure.type === 'ThrottlingException' && used < limit) {
        const delay = backoffMs(used)
        this.io.debug(`AWS KMS ${operation}: ThrottlingException; retrying in ${delay} ms`)
        await sleep(delay)
        continue
      }
      throw this.failure(operation, res, failure, used, session)
    }
  }

  private malformed(operation: Operation, what: string): SignerError {
    return new SignerError(
      'malformed',
      `AWS KMS answered ${operation} for ${this.description} with something that is not KMS's answer: ${what}.`,
      `Check ${this.service.endpointVariable} (it should name AWS KMS itself); if it persists, try again later.`
    )
  }

  /** A KMS error as its cause and fix, named as the key's, never as DocuSign's. */
  private failure(
    operation: Operation,
    res: HttpResponse,
    { type, message }: KmsFailure,
    used: number,
    session: AwsSession
  ): SignerError {
    const said = `${type}${message ? `: ${quote(message)}` : ''}`
    const asked = `AWS KMS refused ${operation} for ${this.description} (${said}).`
    const keyArn = /arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+/.exec(message)?.[0] ?? this.keyId
    const cli = `--key-id ${keyArn} --region ${this.region}`
    if (type === 'ExpiredTokenException') {
      return new SignerError(
        'refused',
        `AWS KMS refused the credentials for ${this.description}: the session from ${session.source} has expired (${said}).`,
        session.expired ?? session.renew
      )
    }
    if (type === 'InvalidSignatureException' && /^Signature (expired|not yet current)/.test(message)) {
      return new SignerError(
        'refused',
        `AWS KMS refused the request for ${this.description}: this machine's clock is more than 5 minutes off (${said}).`,
        "Set this machine's clock right (NTP); Signature Version 4 allows 5 minutes of difference."
      )
    }
    if (type === 'InvalidSignatureException' && /scoped to a valid region/.test(message)) {
      return new SignerError(
        'refused',
        `AWS KMS at ${shownUrl(this.url)} is not in ${this.region}, the region of ${this.description} (${said}).`,
        `Give the key ARN of the region the key is in, and leave ${this.service.endpointVariable} unset or pointing at that region's KMS.`
      )
    }
    if (CREDENTIALS_REFUSED.has(type)) {
      return new SignerError(
        'refused',
        `AWS KMS refused the credentials from ${session.source} for ${this.description} (${said}).`,
        session.renew
      )
    }
    if (type === 'AccessDeniedException') {
      return new SignerError(
        'refused',
        `AWS KMS denied kms:${operation} on ${this.description}${denial(message)} (${type}).`,
        `Allow ${ACTIONS} on this key to the role of ${session.source}: in the role's IAM policy (Effect Allow, Action kms:Sign and kms:GetPublicKey, Resource the key ARN) or in the key policy; an explicit Deny, a permissions boundary or a service control policy can still refuse it (see docs/keyless.md).`
      )
    }
    if (type === 'NotFoundException') {
      return new SignerError(
        'refused',
        `AWS KMS has no ${this.description} (${said}).`,
        `Check ${setting('signing-key')}: the key ARN, or the alias, and its region ${this.region}. A key ID or alias/NAME is looked up in the account of the credentials; a key of another account needs its full key ARN (an alias cannot name it).`
      )
    }
    if (type === 'DisabledException') {
      return new SignerError(
        'refused',
        `${this.description} is disabled (${said}).`,
        `Enable it (aws kms enable-key ${cli}) or point ${setting('signing-key')} at an enabled key.`
      )
    }
    if (type === 'KMSInvalidStateException') {
      const pending = /pending deletion/i.test(message)
      return new SignerError(
        'refused',
        `${this.description} cannot sign in its current state (${said}).`,
        pending
          ? `It is scheduled for deletion: cancel that (aws kms cancel-key-deletion ${cli}), then enable it (aws kms enable-key ${cli}).`
          : `Check the key's state in the KMS console (Enabled is required; see docs/keyless.md) or point ${setting('signing-key')} at an enabled key.`
      )
    }
    if (type === 'InvalidKeyUsageException') {
      return new SignerError(
        'refused',
        `${this.description} cannot sign RS256 (${said}).`,
        'Use an RSA key made for signing: aws kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY (see docs/keyless.md), and register its public key on the integration key.'
      )
    }
    if (UNAVAILABLE.has(type) || res.status >= 500 || res.status === 429) {
      return new SignerError(
        'unavailable',
        `AWS KMS answered ${operation} for ${this.description} with HTTP ${res.status}${type.startsWith('HTTP ') ? '' : ` (${said})`} after ${used} attempt${used === 1 ? '' : 's'}.`,
        type === 'ThrottlingException'
          ? `KMS limits requests per second per account and region: try again later, raise ${setting('max-attempts')} to wait longer, or ask for a higher KMS request quota (Service Quotas) if it recurs.`
          : `Try again later; raise ${setting('max-attempts')} to wait longer.`
      )
    }
    return new SignerError('refused', asked, 'See docs/keyless.md for what the key and the role need.')
  }
}

/** Whom AWS denied and why, from "User: ARN is not authorized to perform: ACTION on resource: ARN because REASON". */
function denial(message: string): string {
  const who = /^User: (\S+) is not authorized/.exec(message)?.[1]
  const why = /\bbecause (.+?)\.?$/.exec(message)?.[1]
  if (!who && !why) return message ? `: ${quote(message)}` : ''
  return `${who ? ` to ${quote(who, 160)}` : ''}${why ? `, because ${quote(why, 160)}` : ''}`
}

/** KMS's JSON 1.1 error: `__type` (maybe "namespace#Type") or x-amzn-ErrorType, and `message`. */
function kmsFailure(res: HttpResponse, json: Record<string, unknown> | undefined): KmsFailure | undefined {
  const header = res.headers['x-amzn-errortype']
  const raw = (typeof json?.__type === 'string' && json.__type) || (typeof header === 'string' && header) || ''
  const type = raw.split('#').pop()!.split(':')[0]
  if (!/^[A-Za-z0-9.]{1,80}$/.test(type)) return undefined
  const message = json?.message ?? json?.Message
  return { type, message: typeof message === 'string' ? message : '' }
}
