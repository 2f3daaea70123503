/**
 * signing-key: aws-kms:… through the built action and the built CLI, against the AWS KMS emulator
 * (Signature Version 4 verified) and the DocuSign emulator, whose integration key holds only the KMS
 * key's public half: no private key is given. Every failure is KMS's, named as such, before DocuSign
 * is asked; the secret access key and the session token go nowhere but into SigV4 signatures.
 */
import { constants, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { AwsKmsEmulator, throttlingFault, type KmsKey } from '../emulator/aws-kms.js'
import type { RunOptions, RunResult } from '../emulator/runner.js'
import { closeServer, listen, readBody, request } from '../emulator/server.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { publicKeyInfo } from '../src/core/signers/signer.js'
import { cli, type CliRun } from './helpers/cli.js'
import { expectOneError, runChecked } from './helpers/leaks.js'

const registered: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const FINGERPRINT = publicKeyInfo(registered).fingerprint

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex').toUpperCase()}`
const secret = () => randomBytes(30).toString('base64')
/** Temporary credentials, as aws-actions/configure-aws-credentials leaves them after role-to-assume. */
const SESSION = {
  accessKeyId: id('ASIA'),
  secretAccessKey: secret(),
  sessionToken: `IQoJb3JpZ2lu${secret()}${secret()}`
}
/** An IAM user's long-term key: no session token. */
const LONG_TERM = { accessKeyId: id('AKIA'), secretAccessKey: secret() }
const EXPIRED = { accessKeyId: id('ASIA'), secretAccessKey: secret(), sessionToken: `IQoJexpired${secret()}` }
const PUBLIC_KEY_ONLY = { accessKeyId: id('AKIA'), secretAccessKey: secret() }
const NOTHING_ALLOWED = { accessKeyId: id('AKIA'), secretAccessKey: secret() }
const CREDENTIALS = [SESSION, LONG_TERM, EXPIRED, PUBLIC_KEY_ONLY, NOTHING_ALLOWED]
const SECRET_KEYS: string[] = CREDENTIALS.map(c => c.secretAccessKey)
const SECRETS: string[] = [...SECRET_KEYS, SESSION.sessionToken, EXPIRED.sessionToken]

let sandbox: Sandbox
let kms: AwsKmsEmulator
/** A KMS in another region than the key's. */
let elsewhere: AwsKmsEmulator
const keys: Record<'signing' | 'disabled' | 'deleting' | 'encrypting' | 'ecc', KmsKey> = {} as never
/** A stand-in in front of KMS that answers Sign with an RSASSA-PSS signature of the message, by the right key. */
let pssRelay: { url: string; server: Server }

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: registered.export({ type: 'pkcs1', format: 'pem' }).toString() })
  ;[kms, elsewhere] = await Promise.all([AwsKmsEmulator.start(), AwsKmsEmulator.start({ region: 'eu-west-1' })])
  keys.signing = kms.addKey({ keySpec: 'RSA_2048', privateKey: registered, aliases: ['docusign-jwt'] })
  keys.disabled = kms.addKey({ keySpec: 'RSA_2048', privateKey: registered, state: 'Disabled' })
  keys.deleting = kms.addKey({ keySpec: 'RSA_2048', privateKey: registered, state: 'PendingDeletion' })
  keys.encrypting = kms.addKey({ keySpec: 'RSA_2048', privateKey: registered, keyUsage: 'ENCRYPT_DECRYPT' })
  keys.ecc = kms.addKey({ keySpec: 'ECC_NIST_P256' })
  for (const c of [SESSION, LONG_TERM]) [kms, elsewhere].forEach(k => k.addCredentials(c))
  kms.addCredentials({ ...EXPIRED, expired: true })
  kms.addCredentials({ ...PUBLIC_KEY_ONLY, allow: ['kms:GetPublicKey'] })
  kms.addCredentials({ ...NOTHING_ALLOWED, allow: [] })
  const { server, port } = await listen()
  pssRelay = { url: `http://127.0.0.1:${port}`, server }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void signWithPss(req, res))
})

afterAll(async () => {
  await Promise.all([sandbox.emulator.close(), kms.close(), elsewhere.close(), closeServer(pssRelay.server)])
})

beforeEach(() => {
  sandbox.emulator.requests.length = 0
  kms.requests.length = 0
  sandbox.grantConsent()
})

/** Forwards the request as signed (SigV4 still verified by KMS), then swaps a Sign answer's signature for PSS. */
async function signWithPss(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = (await readBody(req)).toString('utf8')
  const reply = await request(`${kms.url}${req.url}`, { method: req.method, headers: req.headers, body })
  let answer = reply.body
  if (req.headers['x-amz-target'] === 'TrentService.Sign' && reply.status === 200) {
    const message = Buffer.from((JSON.parse(body) as { Message: string }).Message, 'base64')
    const pss = sign('sha256', message, { key: registered, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    answer = JSON.stringify({
      ...reply.json(),
      Signature: pss.toString('base64'),
      SigningAlgorithm: 'RSASSA_PSS_SHA_256'
    })
  }
  res.writeHead(reply.status, { 'Content-Type': 'application/x-amz-json-1.1' })
  res.end(answer)
}

const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token')
const awsEnv = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = SESSION) => ({
  AWS_ACCESS_KEY_ID: credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
  AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL_KMS: kms.url
})

function action(signingKey: string, env: Record<string, string> = {}, inputs: Record<string, string> = {}) {
  const options: Partial<RunOptions> = { env: { ...awsEnv(), ...env } }
  return runChecked(sandbox, { 'private-key': '', 'signing-key': signingKey, ...inputs }, options)
}

function check(signingKey: string, env: Record<string, string> = {}, args: string[] = []): Promise<CliRun> {
  return cli(sandbox, ['check', ...args], {
    env: {
      DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
      DOCUSIGN_USER_ID: sandbox.userId,
      DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
      DOCUSIGN_SIGNING_KEY: signingKey,
      ...awsEnv(),
      ...env
    },
    keys: SECRETS
  })
}

/** No secret access key or session token anywhere a person or another program reads, none sent to DocuSign or on KMS's wire. */
function expectNoSecrets(run: RunResult | CliRun): void {
  const docusign = JSON.stringify(sandbox.emulator.requests)
  // KMS gets the session token (X-Amz-Security-Token), never the secret access key: only signatures made with it.
  const kmsWire = JSON.stringify(kms.requests)
  for (const value of SECRET_KEYS) expect(kmsWire).not.toContain(value)
  for (const value of SECRETS) {
    expect(docusign).not.toContain(value)
    expect(run.stderr).not.toContain(value)
    if ('transcript' in run) {
      for (const text of [run.transcript, run.log, run.summary, run.rawSummary]) expect(text).not.toContain(value)
      // On the action's stdout a credential appears only in the command that masks it.
      const lines = run.stdout.split('\n').filter(line => line.includes(value))
      expect(lines.every(line => line.startsWith('::add-mask::'))).toBe(true)
    } else {
      expect(run.stdout).not.toContain(value)
    }
  }
}

describe('signing in with an AWS KMS key', () => {
  it('signs in end to end through the action, with no private key', async () => {
    const result = await action(`aws-kms:${keys.signing.arn}`)
    expect(result.exitCode).toBe(0)
    expect(result.errors).toEqual([])
    expect(result.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))
    expect(result.masks).toEqual(expect.arrayContaining([SESSION.secretAccessKey, SESSION.sessionToken]))
    expect(result.log).toContain(
      `AWS KMS key ${keys.signing.arn} (us-east-1): RSA 2048-bit, public-key SHA-256 ${FINGERPRINT}`
    )
    const [getPublicKey, signing, ...more] = kms.requests
    expect(more).toEqual([])
    for (const r of [getPublicKey, signing]) {
      expect(r).toMatchObject({ method: 'POST', path: '/', accessKeyId: SESSION.accessKeyId, status: 200 })
      expect(r.sessionToken).toBe(SESSION.sessionToken)
      expect(r.headers['content-type']).toBe('application/x-amz-json-1.1')
    }
    expect(getPublicKey.target).toBe('TrentService.GetPublicKey')
    expect(JSON.parse(getPublicKey.body)).toEqual({ KeyId: keys.signing.arn })
    expect(signing.target).toBe('TrentService.Sign')
    const body = JSON.parse(signing.body) as Record<string, string>
    expect(body).toEqual({
      KeyId: keys.signing.arn,
      Message: expect.any(String),
      MessageType: 'RAW',
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256'
    })
    // The assertion DocuSign got is the message KMS signed, with KMS's signature.
    const assertion = new URLSearchParams(tokenRequests()[0].body).get('assertion')!
    const [header, payload, signature] = assertion.split('.')
    expect(Buffer.from(body.Message, 'base64').toString()).toBe(`${header}.${payload}`)
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), registered, Buffer.from(signature, 'base64url'))).toBe(
      true
    )
    expectNoSecrets(result)
  })

  it('docusign-jwt check shows the backend and the key (an alias, AWS_ENDPOINT_URL, an IAM user key), never a credential', async () => {
    const run = await check('aws-kms:alias/docusign-jwt', {
      ...awsEnv(LONG_TERM),
      AWS_ENDPOINT_URL_KMS: '',
      AWS_ENDPOINT_URL: kms.url
    })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/signing key +AWS KMS key alias\/docusign-jwt \(us-east-1\) \(its public key is read/)
    expect(run.stdout).toContain(
      `AWS KMS key alias/docusign-jwt (us-east-1): RSA 2048-bit, public-key SHA-256 ${FINGERPRINT}`
    )
    expect(kms.requests.map(r => [r.target, r.accessKeyId, r.sessionToken])).toEqual([
      ['TrentService.GetPublicKey', LONG_TERM.accessKeyId, undefined],
      ['TrentService.Sign', LONG_TERM.accessKeyId, undefined]
    ])
    expect(run.stdout + run.stderr).not.toContain(LONG_TERM.accessKeyId)
    expectNoSecrets(run)
  })

  /** A KMS of its own for a test that queues faults: one left over (when the product fails) cannot reach another test. */
  async function ownKms(test: (own: AwsKmsEmulator) => Promise<void>): Promise<void> {
    const own = await AwsKmsEmulator.start()
    try {
      own.addKey({ keySpec: 'RSA_2048', privateKey: registered, keyId: keys.signing.keyId })
      own.addCredentials(SESSION)
      await test(own)
    } finally {
      await own.close()
    }
  }

  it('retries a ThrottlingException with backoff, signing the request afresh, then signs in', async () => {
    await ownKms(async own => {
      own.failNext('TrentService.Sign', throttlingFault())
      const env = { AWS_ENDPOINT_URL_KMS: own.url }
      const result = await action(`aws-kms:${keys.signing.arn}`, env, { 'max-attempts': '2' })
      expect(result.exitCode).toBe(0)
      // The first was answered by the queued ThrottlingException, the second by KMS.
      const signs = own.requestsTo('TrentService.Sign')
      expect(signs).toHaveLength(2)
      expect(signs[1].status).toBe(200)
      expect(signs[1].at - signs[0].at).toBeGreaterThanOrEqual(450)
      expect(tokenRequests()).toHaveLength(1)
      expectNoSecrets(result)
    })
  })

  it('gives up on ThrottlingException after max-attempts (exit 5), before DocuSign', async () => {
    await ownKms(async own => {
      own.failNext('TrentService.Sign', throttlingFault(), throttlingFault())
      const run = await check(`aws-kms:${keys.signing.arn}`, { AWS_ENDPOINT_URL_KMS: own.url }, ['--max-attempts', '2'])
      expect(run.exitCode).toBe(5)
      expect(run.stderr).toMatch(
        /AWS KMS answered Sign for AWS KMS key \S+ \(us-east-1\) with HTTP 400 \(ThrottlingException: Rate exceeded\) after 2 attempts/
      )
      expect(run.stderr).toMatch(/request quota/)
      expect(own.requestsTo('TrentService.Sign')).toHaveLength(2)
      expect(tokenRequests()).toEqual([])
    })
  })

  it('a PSS signature fails with its own message, before DocuSign', async () => {
    const run = await check(`aws-kms:${keys.signing.arn}`, { AWS_ENDPOINT_URL_KMS: pssRelay.url })
    expect(run.exitCode).toBe(4)
    expect(run.stderr).toMatch(
      new RegExp(
        `signature from AWS KMS key \\S+ \\(us-east-1\\) does not verify with its public key \\(public-key SHA-256 ${FINGERPRINT}\\) as RS256`
      )
    )
    expect(run.stderr).toMatch(/another algorithm \(PSS, ECDSA\)/)
    expect(kms.requestsTo('TrentService.Sign').map(r => r.status)).toEqual([200])
    expect(tokenRequests()).toEqual([])
    expectNoSecrets(run)
  })

  it('refuses private-key and signing-key together, naming both', async () => {
    const result = await action(`aws-kms:${keys.signing.arn}`, {}, { 'private-key': sandbox.privateKey })
    expectOneError(result, /signing-key' and private-key are both set/)
    expect(kms.requests).toEqual([])
    expect(tokenRequests()).toEqual([])
  })
})

describe('AWS KMS failures: KMS named, the fix given, DocuSign never asked', () => {
  const arn = (key: keyof typeof keys) => () => `aws-kms:${keys[key].arn}`
  interface Case {
    name: string
    key: () => string
    env: () => Record<string, string>
    code: number
    patterns: RegExp[]
    before?: () => void
  }
  const table: [string, () => string, () => Record<string, string>, number, RegExp[], (() => void)?][] = [
    [
      'no credentials',
      arn('signing'),
      () => ({
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_EC2_METADATA_DISABLED: 'true'
      }),
      2,
      [
        /needs AWS credentials, and the AWS credential chain found none: no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, .*the EC2 instance metadata service is turned off \(AWS_EC2_METADATA_DISABLED\)/,
        /aws-actions\/configure-aws-credentials/,
        /role-to-assume/,
        /permissions: id-token: write/
      ]
    ],
    [
      'a plain http endpoint off this machine',
      arn('signing'),
      () => ({ AWS_ENDPOINT_URL_KMS: 'http://kms.example.com' }),
      2,
      [/AWS_ENDPOINT_URL_KMS is a plain http address/]
    ],
    [
      'a session token pasted with a space',
      arn('signing'),
      () => ({ AWS_SESSION_TOKEN: `${SESSION.sessionToken} IQoJ` }),
      2,
      [/AWS_SESSION_TOKEN holds spaces or control characters, so AWS KMS cannot be asked for AWS KMS key/]
    ],
    [
      'an access key KMS does not know',
      arn('signing'),
      () => awsEnv({ accessKeyId: id('ASIA'), secretAccessKey: secret(), sessionToken: secret() }),
      4,
      [/AWS KMS refused the credentials/, /UnrecognizedClientException/, /configure-aws-credentials/]
    ],
    [
      'a wrong secret access key',
      arn('signing'),
      () => awsEnv({ ...LONG_TERM, secretAccessKey: SESSION.secretAccessKey }),
      4,
      [/AWS KMS refused the credentials/, /InvalidSignatureException/]
    ],
    [
      'an expired session',
      arn('signing'),
      () => awsEnv(EXPIRED),
      4,
      [/session from the login step has expired/, /ExpiredTokenException/, /role-duration-seconds/]
    ],
    [
      'a role without kms:GetPublicKey',
      arn('signing'),
      () => awsEnv(NOTHING_ALLOWED),
      4,
      [
        /AWS KMS denied kms:GetPublicKey on AWS KMS key \S+ \(us-east-1\) to arn:aws:iam::111122223333:user\/docusign-jwt-signer, because no identity-based policy allows the kms:GetPublicKey action \(AccessDeniedException\)/,
        /kms:Sign and kms:GetPublicKey/
      ]
    ],
    [
      'a role without kms:Sign',
      arn('signing'),
      () => awsEnv(PUBLIC_KEY_ONLY),
      4,
      [/AWS KMS denied kms:Sign on AWS KMS key/, /key policy/]
    ],
    [
      'an alias that does not exist',
      () => 'aws-kms:alias/missing',
      () => ({}),
      4,
      [/AWS KMS has no AWS KMS key alias\/missing \(us-east-1\)/, /NotFoundException/]
    ],
    [
      'a KMS of another region',
      arn('signing'),
      () => ({ AWS_ENDPOINT_URL_KMS: elsewhere.url }),
      4,
      [/is not in us-east-1, the region of AWS KMS key/, /scoped to a valid region/]
    ],
    [
      'a disabled key',
      arn('disabled'),
      () => ({}),
      4,
      [
        /is disabled \(DisabledException/,
        /aws kms enable-key --key-id arn:aws:kms:us-east-1:\d{12}:key\/\S+ --region us-east-1/
      ]
    ],
    [
      'a key pending deletion',
      arn('deleting'),
      () => ({}),
      4,
      [/cannot sign in its current state \(KMSInvalidStateException/, /aws kms cancel-key-deletion --key-id/]
    ],
    [
      'an ENCRYPT_DECRYPT key',
      arn('encrypting'),
      () => ({}),
      4,
      [/has the key usage ENCRYPT_DECRYPT, not SIGN_VERIFY/, /--key-spec RSA_2048 --key-usage SIGN_VERIFY/]
    ],
    ['an ECC key', arn('ecc'), () => ({}), 4, [/is a ECC_NIST_P256 key; DocuSign signs JWTs with RSA keys only/]],
    [
      'KMS failing on every attempt',
      arn('signing'),
      () => ({}),
      5,
      [/AWS KMS answered GetPublicKey for AWS KMS key \S+ \(us-east-1\) with HTTP 500 \(KMSInternalException/],
      () =>
        kms.failNext('TrentService.GetPublicKey', {
          status: 500,
          body: JSON.stringify({ __type: 'KMSInternalException', message: 'internal' })
        })
    ],
    [
      'KMS unreachable',
      arn('signing'),
      () => ({ AWS_ENDPOINT_URL_KMS: 'http://127.0.0.1:9' }),
      5,
      [/AWS KMS could not be reached for AWS KMS key/, /ECONNREFUSED/, /AWS_ENDPOINT_URL_KMS/]
    ]
  ]
  const cases: Case[] = table.map(([name, key, env, code, patterns, before]) => ({
    name,
    key,
    env,
    code,
    patterns,
    before
  }))

  it.each(cases)('$name: the CLI exits with its code', async ({ key, env, code, patterns, before }) => {
    before?.()
    const run = await check(key(), env(), ['--max-attempts', '1'])
    expect(run.exitCode).toBe(code)
    for (const pattern of patterns) expect(run.stderr).toMatch(pattern)
    expect(run.stderr).not.toMatch(/DocuSign (refused|answered)/)
    expect(tokenRequests()).toEqual([])
    expectNoSecrets(run)
  })

  it.each(cases)('$name: the action fails with one error', async ({ key, env, patterns, before }) => {
    before?.()
    const result = await action(key(), env(), { 'max-attempts': '1' })
    expectOneError(result, patterns[0])
    for (const pattern of patterns.slice(1)) expect(result.errors[0]).toMatch(pattern)
    expect(result.errors[0]).toMatch(/Troubleshooting: .*#signing-key/)
    expect(tokenRequests()).toEqual([])
    expectNoSecrets(result)
  })
})
