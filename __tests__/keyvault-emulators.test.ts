/**
 * The key-vault emulators on their own, over real HTTP(S) with real clients: AWS KMS requests signed with
 * Signature Version 4 by the `aws4` package, Vault requests with a token header. Signatures are checked with
 * node:crypto against the public keys the emulators publish, the way the action will check them.
 */
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  verify,
  type KeyObject,
  type VerifyKeyObjectInput
} from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import aws4 from 'aws4'
import { AwsKmsEmulator, throttlingFault, type KmsCredentials, type KmsKey } from '../emulator/aws-kms.js'
import { request as send, type Reply } from '../emulator/server.js'
import { createTestPki, type TestPki } from '../emulator/tls.js'
import { VaultEmulator } from '../emulator/vault.js'

const MESSAGE = Buffer.from('eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJpbnRlZ3JhdGlvbi1rZXkifQ')
let rsa: KeyObject
let rsaRotated: KeyObject
let ec: KeyObject
let pki: TestPki

beforeAll(() => {
  // Key pairs are made once for the whole file and handed to both emulators.
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  rsaRotated = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  pki = createTestPki(['127.0.0.1'])
})

const pkcs1Verifies = (key: KeyObject | VerifyKeyObjectInput, signature: Buffer, hash = 'sha256', data = MESSAGE) =>
  verify(hash, data, key, signature)
const pssVerifies = (key: KeyObject, signature: Buffer, saltLength: number, hash = 'sha256') =>
  verify(hash, MESSAGE, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature)

describe('AWS KMS emulator', () => {
  let kms: AwsKmsEmulator
  let signing: KmsKey
  let p256: KmsKey
  const creds = { accessKeyId: 'AKIAEMULATOREXAMPLE1', secretAccessKey: 'kms-secret-never-on-the-wire' }
  const session = {
    accessKeyId: 'ASIAEMULATOREXAMPLE2',
    secretAccessKey: 'session-secret-never-on-the-wire',
    sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN'
  }

  beforeAll(async () => {
    kms = await AwsKmsEmulator.start()
    signing = kms.addKey({ keySpec: 'RSA_2048', privateKey: rsa, aliases: ['docusign-jwt'] })
    p256 = kms.addKey({ keySpec: 'ECC_NIST_P256', privateKey: ec })
    kms.addCredentials(creds)
    kms.addCredentials(session)
    kms.addCredentials({
      accessKeyId: 'ASIAEXPIREDEXAMPLE03',
      secretAccessKey: 's3',
      sessionToken: 'old',
      expired: true
    })
    kms.addCredentials({ accessKeyId: 'AKIAPUBLICKEYONLY004', secretAccessKey: 's4', allow: ['kms:GetPublicKey'] })
  })
  afterAll(() => kms.close())

  /** Signs a KMS JSON 1.1 call with aws4 and sends it; `tamper` edits the signed request before it goes. */
  function call(
    target: string,
    payload: object,
    credentials: Partial<KmsCredentials> = creds,
    options: { region?: string; headers?: Record<string, string>; tamper?: (r: aws4.Request) => void } = {}
  ): Promise<Reply> {
    const request: aws4.Request = {
      host: kms.host,
      path: '/',
      method: 'POST',
      service: 'kms',
      region: options.region ?? 'us-east-1',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target, ...options.headers },
      body: JSON.stringify(payload)
    }
    aws4.sign(request, credentials)
    options.tamper?.(request)
    return send(`${kms.url}/`, { method: 'POST', headers: request.headers, body: String(request.body) })
  }

  const sign = (payload: object, credentials?: Partial<KmsCredentials>, options?: Parameters<typeof call>[3]) =>
    call(
      'TrentService.Sign',
      {
        KeyId: signing.keyId,
        Message: MESSAGE.toString('base64'),
        MessageType: 'RAW',
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
        ...payload
      },
      credentials,
      options
    )

  async function publicKey(keyId: string): Promise<KeyObject> {
    const reply = await call('TrentService.GetPublicKey', { KeyId: keyId })
    expect(reply.status).toBe(200)
    return createPublicKey({ key: Buffer.from(String(reply.json().PublicKey), 'base64'), format: 'der', type: 'spki' })
  }

  it('signs RS256 input whose signature verifies against GetPublicKey’s key', async () => {
    const reply = await sign({})
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('application/x-amz-json-1.1')
    expect(reply.headers['x-amzn-requestid']).toMatch(/^[0-9a-f-]{36}$/)
    expect(reply.json()).toEqual({
      KeyId: signing.arn,
      Signature: expect.any(String),
      SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256'
    })
    const signature = Buffer.from(String(reply.json().Signature), 'base64')
    expect(pkcs1Verifies(await publicKey(signing.keyId), signature)).toBe(true)
    expect(pkcs1Verifies(await publicKey(signing.keyId), signature, 'sha256', Buffer.from('other'))).toBe(false)
  })

  it('answers GetPublicKey with the DER SPKI and the key’s specs', async () => {
    const reply = await call('TrentService.GetPublicKey', { KeyId: 'alias/docusign-jwt' })
    expect(reply.json()).toEqual({
      KeyId: signing.arn,
      PublicKey: createPublicKey(rsa).export({ type: 'spki', format: 'der' }).toString('base64'),
      CustomerMasterKeySpec: 'RSA_2048',
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: [
        'RSASSA_PKCS1_V1_5_SHA_256',
        'RSASSA_PKCS1_V1_5_SHA_384',
        'RSASSA_PKCS1_V1_5_SHA_512',
        'RSASSA_PSS_SHA_256',
        'RSASSA_PSS_SHA_384',
        'RSASSA_PSS_SHA_512'
      ]
    })
  })

  it.each([
    ['key ARN', () => signing.arn],
    ['alias name', () => 'alias/docusign-jwt'],
    ['alias ARN', () => `arn:aws:kms:us-east-1:111122223333:alias/docusign-jwt`]
  ])('finds the key by %s and answers with its ARN', async (_name, keyId) => {
    const reply = await sign({ KeyId: keyId() })
    expect(reply.status).toBe(200)
    expect(reply.json().KeyId).toBe(signing.arn)
  })

  it('signs a DIGEST the client hashed itself, verifiable as a signature of the message', async () => {
    const digest = createHash('sha256').update(MESSAGE).digest()
    const reply = await sign({ Message: digest.toString('base64'), MessageType: 'DIGEST' })
    expect(reply.status).toBe(200)
    expect(pkcs1Verifies(createPublicKey(rsa), Buffer.from(String(reply.json().Signature), 'base64'))).toBe(true)
  })

  it('signs with PSS when the client asks for PSS, which does not verify as PKCS#1 v1.5', async () => {
    const reply = await sign({ SigningAlgorithm: 'RSASSA_PSS_SHA_256' })
    expect(reply.json().SigningAlgorithm).toBe('RSASSA_PSS_SHA_256')
    const signature = Buffer.from(String(reply.json().Signature), 'base64')
    expect(pkcs1Verifies(createPublicKey(rsa), signature)).toBe(false)
    expect(pssVerifies(createPublicKey(rsa), signature, 32)).toBe(true)
  })

  it('signs with an ECC_NIST_P256 key (RAW and DIGEST) and refuses RSA algorithms for it', async () => {
    for (const [message, type] of [
      [MESSAGE, 'RAW'],
      [createHash('sha256').update(MESSAGE).digest(), 'DIGEST']
    ] as const) {
      const reply = await sign({
        KeyId: p256.keyId,
        Message: message.toString('base64'),
        MessageType: type,
        SigningAlgorithm: 'ECDSA_SHA_256'
      })
      expect(reply.status).toBe(200)
      expect(
        verify('sha256', MESSAGE, createPublicKey(ec), Buffer.from(String(reply.json().Signature), 'base64'))
      ).toBe(true)
    }
    const wrong = await sign({ KeyId: p256.keyId })
    expect(wrong.json()).toEqual({
      __type: 'InvalidKeyUsageException',
      message: 'Algorithm RSASSA_PKCS1_V1_5_SHA_256 is incompatible with key spec ECC_NIST_P256.'
    })
  })

  describe('answers as AWS does', () => {
    let disabled: KmsKey
    let deleting: KmsKey
    let encrypting: KmsKey

    beforeAll(() => {
      disabled = kms.addKey({ keySpec: 'RSA_2048', privateKey: rsa, state: 'Disabled' })
      deleting = kms.addKey({ keySpec: 'RSA_2048', privateKey: rsa, state: 'PendingDeletion' })
      encrypting = kms.addKey({ keySpec: 'RSA_2048', privateKey: rsa, keyUsage: 'ENCRYPT_DECRYPT' })
    })

    const tenMinutesAgo = () =>
      new Date(Date.now() - 10 * 60_000)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}/, '')

    it.each<[string, () => Promise<Reply>, string, string | RegExp]>([
      [
        'a body changed after signing (same length: another key id)',
        () => sign({}, creds, { tamper: r => (r.body = String(r.body).replace(signing.keyId, p256.keyId)) }),
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
      ],
      [
        'a wrong secret',
        () => sign({}, { ...creds, secretAccessKey: 'not-the-secret' }),
        'InvalidSignatureException',
        /^The request signature we calculated does not match/
      ],
      [
        'an unknown access key',
        () => sign({}, { accessKeyId: 'AKIAUNKNOWNEXAMPLE99', secretAccessKey: 'x' }),
        'UnrecognizedClientException',
        'The security token included in the request is invalid.'
      ],
      [
        'an expired session token',
        () => sign({}, { accessKeyId: 'ASIAEXPIREDEXAMPLE03', secretAccessKey: 's3', sessionToken: 'old' }),
        'ExpiredTokenException',
        'The security token included in the request is expired'
      ],
      [
        'temporary credentials without their session token',
        () => sign({}, { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey }),
        'UnrecognizedClientException',
        'The security token included in the request is invalid.'
      ],
      [
        'a credential scoped to another region',
        () => sign({}, creds, { region: 'eu-west-1' }),
        'InvalidSignatureException',
        "Credential should be scoped to a valid region, not 'eu-west-1'. "
      ],
      [
        'a signature more than 5 minutes old',
        () => sign({}, creds, { headers: { 'X-Amz-Date': tenMinutesAgo() } }),
        'InvalidSignatureException',
        /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/
      ],
      [
        'no Authorization header',
        () => sign({}, creds, { tamper: r => delete r.headers!.Authorization }),
        'MissingAuthenticationTokenException',
        'Missing Authentication Token'
      ],
      [
        'an unknown key id',
        () => sign({ KeyId: '00000000-0000-4000-8000-000000000000' }),
        'NotFoundException',
        "Key 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000' does not exist"
      ],
      [
        'a malformed key id',
        () => sign({ KeyId: 'docusign-jwt' }),
        'NotFoundException',
        "Invalid keyId 'docusign-jwt'"
      ],
      [
        'an unknown alias',
        () => sign({ KeyId: 'alias/missing' }),
        'NotFoundException',
        'Alias arn:aws:kms:us-east-1:111122223333:alias/missing is not found.'
      ],
      [
        'a principal without kms:Sign',
        () => sign({}, { accessKeyId: 'AKIAPUBLICKEYONLY004', secretAccessKey: 's4' }),
        'AccessDeniedException',
        /^User: arn:aws:iam::111122223333:user\/\S+ is not authorized to perform: kms:Sign on resource: arn:aws:kms:us-east-1:111122223333:key\/\S+ because no identity-based policy allows the kms:Sign action$/
      ],
      [
        'a disabled key',
        () => sign({ KeyId: disabled.keyId }),
        'DisabledException',
        /^arn:aws:kms:us-east-1:111122223333:key\/\S+ is disabled\.$/
      ],
      [
        'a key pending deletion',
        () => sign({ KeyId: deleting.keyId }),
        'KMSInvalidStateException',
        /^arn:aws:kms:\S+ is pending deletion\.$/
      ],
      [
        'an ENCRYPT_DECRYPT key',
        () => sign({ KeyId: encrypting.arn }),
        'InvalidKeyUsageException',
        /^arn:aws:kms:\S+ key usage is ENCRYPT_DECRYPT which is not valid for Sign\.$/
      ],
      [
        'a JWS algorithm name instead of a KMS one',
        () => sign({ SigningAlgorithm: 'RS256' }),
        'ValidationException',
        /^1 validation error detected: Value 'RS256' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: \[.*RSASSA_PKCS1_V1_5_SHA_256.*\]$/
      ],
      [
        'a DIGEST of the wrong length',
        () => sign({ MessageType: 'DIGEST' }),
        'ValidationException',
        'Digest is invalid length for algorithm RSASSA_PKCS1_V1_5_SHA_256.'
      ]
    ])('refuses %s', async (_name, request, type, message) => {
      const reply = await request()
      expect(reply.status).toBe(400)
      expect(reply.headers['x-amzn-errortype']).toBe(type)
      expect(reply.headers['x-amzn-requestid']).toBeTruthy()
      expect(reply.json().__type).toBe(type)
      if (typeof message === 'string') expect(reply.json().message).toBe(message)
      else expect(reply.json().message).toMatch(message)
    })

    it('accepts temporary credentials with their session token, and records who called', async () => {
      const before = kms.requests.length
      expect((await sign({}, session)).status).toBe(200)
      const [recorded] = kms.requests.slice(before)
      expect(recorded).toMatchObject({
        target: 'TrentService.Sign',
        keyId: signing.keyId,
        accessKeyId: session.accessKeyId,
        sessionToken: session.sessionToken,
        status: 200
      })
      expect(recorded.at).toBeGreaterThan(Date.now() - 60_000)
    })
  })

  it('never sees a secret access key: only signatures travel', () => {
    const wire = JSON.stringify(kms.requests)
    expect(kms.requests.length).toBeGreaterThan(10)
    expect(wire).not.toContain(creds.secretAccessKey)
    expect(wire).not.toContain(session.secretAccessKey)
    const known = [creds, session].map(c => c.accessKeyId)
    const others = ['AKIAUNKNOWNEXAMPLE99', 'ASIAEXPIREDEXAMPLE03', 'AKIAPUBLICKEYONLY004']
    for (const r of kms.requests) expect([undefined, ...known, ...others]).toContain(r.accessKeyId)
  })

  it('plays queued faults in order: throttling, a reset, a hang, then the real answer', async () => {
    kms.failNext('TrentService.Sign', throttlingFault(), { reset: true }, { hang: true })
    const throttled = await sign({})
    expect(throttled.status).toBe(400)
    expect(throttled.json()).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' })
    await expect(sign({})).rejects.toThrow(/socket hang up|ECONNRESET/)
    const request: aws4.Request = {
      host: kms.host,
      path: '/',
      service: 'kms',
      region: 'us-east-1',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.Sign' },
      body: '{}'
    }
    aws4.sign(request, creds)
    await expect(
      send(`${kms.url}/`, { method: 'POST', headers: request.headers, body: '{}', timeoutMs: 300 })
    ).rejects.toThrow('timed out')
    expect((await sign({})).status).toBe(200)
  })

  it('serves HTTPS with the given certificate', async () => {
    const secure = await AwsKmsEmulator.start({ tls: { key: pki.key, cert: pki.cert } })
    try {
      const key = secure.addKey({ keySpec: 'RSA_2048', privateKey: rsa })
      secure.addCredentials(creds)
      const body = JSON.stringify({
        KeyId: key.keyId,
        Message: MESSAGE.toString('base64'),
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256'
      })
      const request: aws4.Request = {
        host: secure.host,
        path: '/',
        service: 'kms',
        region: 'us-east-1',
        headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'TrentService.Sign' },
        body
      }
      aws4.sign(request, creds)
      expect(secure.url).toMatch(/^https:/)
      const reply = await send(`${secure.url}/`, { method: 'POST', headers: request.headers, body, ca: pki.caCert })
      expect(reply.status).toBe(200)
      expect(pkcs1Verifies(createPublicKey(rsa), Buffer.from(String(reply.json().Signature), 'base64'))).toBe(true)
    } finally {
      await secure.close()
    }
  })
})

describe('Vault emulator (transit)', () => {
  let vault: VaultEmulator
  const input = MESSAGE.toString('base64')

  beforeAll(async () => {
    vault = await VaultEmulator.start()
    vault.addKey({ name: 'docusign', type: 'rsa-2048', privateKeys: [rsa] })
    vault.addKey({ name: 'p256', type: 'ecdsa-p256', privateKeys: [ec] })
    vault.addKey({ name: 'aes', type: 'aes256-gcm96' })
    vault.addKey({ name: 'docusign', type: 'rsa-2048', namespace: 'team-a', privateKeys: [rsa] })
    vault.addToken({
      token: 'hvs.signer',
      policies: [
        { path: 'transit/sign/docusign/*', capabilities: ['update'] },
        { path: 'transit/sign/p256/*', capabilities: ['update'] },
        { path: 'transit/sign/aes/*', capabilities: ['update'] },
        { path: 'transit/sign/missing/*', capabilities: ['update'] },
        { path: 'transit/keys/+', capabilities: ['read'] },
        { path: 'nowhere/*', capabilities: ['update'] },
        { path: 'transit/sign/docusign/sha1', capabilities: ['deny'] }
      ]
    })
    vault.addToken({ token: 'hvs.reader', policies: [{ path: 'transit/sign/docusign/*', capabilities: ['read'] }] })
    vault.addToken({ token: 'hvs.expired', policies: [{ path: '*', capabilities: ['update'] }], expired: true })
    vault.addToken({
      token: 'hvs.team-a',
      namespace: 'team-a',
      policies: [{ path: 'transit/sign/docusign/sha2-256', capabilities: ['update'] }]
    })
  })
  afterAll(() => vault.close())

  const post = (path: string, body: object, token = 'hvs.signer', headers: Record<string, string> = {}) =>
    send(`${vault.url}/v1/${path}`, {
      method: 'POST',
      headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body)
    })
  const signature = (reply: Reply) => {
    const [, version, b64] = /^vault:v(\d+):(.+)$/.exec(String((reply.json().data as { signature: string }).signature))!
    return { version: Number(version), bytes: Buffer.from(b64, 'base64') }
  }

  it('signs with pkcs1v15 when asked; the signature verifies against the key’s published public key', async () => {
    const reply = await post('transit/sign/docusign/sha2-256', { input, signature_algorithm: 'pkcs1v15' })
    expect(reply.status).toBe(200)
    expect(reply.json()).toEqual({
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      lease_id: '',
      renewable: false,
      lease_duration: 0,
      data: { signature: expect.stringMatching(/^vault:v1:/), key_version: 1 },
      wrap_info: null,
      warnings: null,
      auth: null,
      mount_type: 'transit'
    })
    const read = await send(`${vault.url}/v1/transit/keys/docusign`, { headers: { 'X-Vault-Token': 'hvs.signer' } })
    const published = (read.json().data as { keys: Record<string, { public_key: string }> }).keys['1'].public_key
    expect(pkcs1Verifies(createPublicKey(published), signature(reply).bytes)).toBe(true)
  })

  it('signs with PSS by default, as Vault does for RSA keys: that signature does not verify as PKCS#1 v1.5', async () => {
    const { bytes } = signature(await post('transit/sign/docusign/sha2-256', { input }))
    expect(pkcs1Verifies(createPublicKey(rsa), bytes)).toBe(false)
    // Go's PSSSaltLengthAuto: the largest salt, 256 - 32 - 2 bytes for a 2048-bit key and SHA-256.
    expect(pssVerifies(createPublicKey(rsa), bytes, 222)).toBe(true)
  })

  it('takes the hash from the body on /sign/:name, and signs prehashed input', async () => {
    // The policy's glob 'transit/sign/docusign/*' does not cover 'transit/sign/docusign' itself.
    expect((await post('transit/sign/docusign', { input }, 'hvs.signer')).status).toBe(403)
    vault.addToken({ token: 'hvs.bare', policies: [{ path: 'transit/sign/docusign', capabilities: ['update'] }] })
    const sha512 = await post(
      'transit/sign/docusign',
      { input, hash_algorithm: 'sha2-512', signature_algorithm: 'pkcs1v15' },
      'hvs.bare'
    )
    expect(pkcs1Verifies(createPublicKey(rsa), signature(sha512).bytes, 'sha512')).toBe(true)
    const digest = createHash('sha256').update(MESSAGE).digest().toString('base64')
    const prehashed = await post('transit/sign/docusign/sha2-256', {
      input: digest,
      prehashed: true,
      signature_algorithm: 'pkcs1v15'
    })
    expect(pkcs1Verifies(createPublicKey(rsa), signature(prehashed).bytes)).toBe(true)
  })

  it('reads a key as GET transit/keys/:name answers', async () => {
    const reply = await send(`${vault.url}/v1/transit/keys/docusign`, {
      headers: { Authorization: 'Bearer hvs.signer' }
    })
    expect(reply.status).toBe(200)
    expect(reply.json().data).toEqual({
      allow_plaintext_backup: false,
      auto_rotate_period: 0,
      deletion_allowed: false,
      derived: false,
      exportable: false,
      imported_key: false,
      keys: {
        '1': {
          certificate_chain: '',
          creation_time: expect.any(String),
          name: 'rsa-2048',
          public_key: createPublicKey(rsa).export({ type: 'spki', format: 'pem' })
        }
      },
      latest_version: 1,
      min_available_version: 0,
      min_decryption_version: 1,
      min_encryption_version: 0,
      name: 'docusign',
      supports_decryption: true,
      supports_derivation: false,
      supports_encryption: true,
      supports_signing: true,
      type: 'rsa-2048'
    })
    expect(vault.requests.at(-1)).toMatchObject({ path: '/v1/transit/keys/docusign', token: 'hvs.signer' })
  })

  it('signs with an ecdsa-p256 key in ASN.1 or JWS form', async () => {
    const asn1 = await post('transit/sign/p256/sha2-256', { input })
    expect(verify('sha256', MESSAGE, createPublicKey(ec), signature(asn1).bytes)).toBe(true)
    const jws = await post('transit/sign/p256/sha2-256', { input, marshaling_algorithm: 'jws' })
    const raw = Buffer.from(String((jws.json().data as { signature: string }).signature).slice(9), 'base64url')
    expect(raw).toHaveLength(64)
    expect(verify('sha256', MESSAGE, { key: createPublicKey(ec), dsaEncoding: 'ieee-p1363' }, raw)).toBe(true)
  })

  it.each<[string, () => Promise<Reply>, number, string[]]>([
    ['no token', () => post('transit/sign/docusign/sha2-256', { input }, ''), 403, ['permission denied']],
    [
      'a token whose policies do not cover the path',
      () => post('transit/sign/other/sha2-256', { input }),
      403,
      ['1 error occurred:\n\t* permission denied\n\n']
    ],
    [
      'a token with read but not update on the sign path',
      () => post('transit/sign/docusign/sha2-256', { input }, 'hvs.reader'),
      403,
      ['1 error occurred:\n\t* permission denied\n\n']
    ],
    [
      'a path the policy denies explicitly',
      () => post('transit/sign/docusign/sha1', { input }),
      403,
      ['1 error occurred:\n\t* permission denied\n\n']
    ],
    [
      'an expired token',
      () => post('transit/sign/docusign/sha2-256', { input }, 'hvs.expired'),
      403,
      ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n']
    ],
    [
      'an unknown token',
      () => post('transit/sign/docusign/sha2-256', { input }, 'hvs.nobody'),
      403,
      ['2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n']
    ],
    ['an unknown key', () => post('transit/sign/missing/sha2-256', { input }), 400, ['signing key not found']],
    [
      'a key type that cannot sign',
      () => post('transit/sign/aes/sha2-256', { input }),
      400,
      ['key type aes256-gcm96 does not support signing']
    ],
    [
      'an unknown hash',
      () => post('transit/sign/docusign/sha2-999', { input }),
      400,
      ['invalid hash algorithm "sha2-999"']
    ],
    [
      'a mount that does not exist',
      () => post('nowhere/sign/docusign', { input }),
      404,
      ['no handler for route "nowhere/sign/docusign". route entry not found.']
    ],
    [
      'a key version beyond the latest',
      () => post('transit/sign/docusign/sha2-256', { input, key_version: 7 }),
      500,
      ['1 error occurred:\n\t* requested version for signing is higher than the latest key version\n\n']
    ],
    [
      'an unknown signature algorithm',
      () => post('transit/sign/docusign/sha2-256', { input, signature_algorithm: 'rs256' }),
      500,
      ['1 error occurred:\n\t* unsupported rsa signature algorithm rs256\n\n']
    ]
  ])('refuses %s', async (_name, request, status, errors) => {
    const reply = await request()
    expect(reply.status).toBe(status)
    expect(reply.json()).toEqual({ errors })
  })

  it('answers 404 with no errors for a key that is not there', async () => {
    const reply = await send(`${vault.url}/v1/transit/keys/absent`, { headers: { 'X-Vault-Token': 'hvs.signer' } })
    expect(reply.status).toBe(404)
    expect(reply.json()).toEqual({ errors: [] })
  })

  it('keeps a namespace token to its namespace', async () => {
    const ok = await post('transit/sign/docusign/sha2-256', { input }, 'hvs.team-a', { 'X-Vault-Namespace': 'team-a' })
    expect(ok.status).toBe(200)
    expect(vault.requests.at(-1)).toMatchObject({ token: 'hvs.team-a', namespace: 'team-a' })
    for (const headers of [{ 'X-Vault-Namespace': 'team-b' }, {}] as Record<string, string>[]) {
      const denied = await post('transit/sign/docusign/sha2-256', { input }, 'hvs.team-a', headers)
      expect(denied.status).toBe(403)
    }
    // A root-namespace token reaches team-a only through policy paths that name it.
    const rootToken = 'hvs.root-ns'
    vault.addToken({ token: rootToken, policies: [{ path: 'team-a/transit/sign/*', capabilities: ['update'] }] })
    expect(
      (await post('transit/sign/docusign/sha2-256', { input }, rootToken, { 'X-Vault-Namespace': 'team-a' })).status
    ).toBe(200)
    expect((await post('transit/sign/docusign/sha2-256', { input }, rootToken)).status).toBe(403)
  })

  it('signs with the new version after rotation, and with an older one on request', async () => {
    const rotating = vault.addKey({ name: 'rotating', type: 'rsa-2048', privateKeys: [rsa] })
    vault.addToken({ token: 'hvs.rotating', policies: [{ path: 'transit/*', capabilities: ['read', 'update'] }] })
    expect(vault.rotate('transit', 'rotating', { privateKey: rsaRotated })).toBe(2)
    const v2 = await post('transit/sign/rotating/sha2-256', { input, signature_algorithm: 'pkcs1v15' }, 'hvs.rotating')
    expect(String((v2.json().data as { signature: string }).signature)).toMatch(/^vault:v2:/)
    expect((v2.json().data as { key_version: number }).key_version).toBe(2)
    expect(pkcs1Verifies(createPublicKey(rsaRotated), signature(v2).bytes)).toBe(true)
    expect(pkcs1Verifies(createPublicKey(rsa), signature(v2).bytes)).toBe(false)
    const v1 = await post(
      'transit/sign/rotating/sha2-256',
      { input, signature_algorithm: 'pkcs1v15', key_version: 1 },
      'hvs.rotating'
    )
    expect(signature(v1).version).toBe(1)
    expect(pkcs1Verifies(createPublicKey(rsa), signature(v1).bytes)).toBe(true)
    const read = await send(`${vault.url}/v1/transit/keys/rotating`, { headers: { 'X-Vault-Token': 'hvs.rotating' } })
    expect(read.json().data).toMatchObject({ latest_version: 2, keys: { '1': {}, '2': {} } })
    expect(rotating.versions).toHaveLength(2)
    const rotated = await post('transit/keys/rotating/rotate', {}, 'hvs.rotating')
    expect(rotated.status).toBe(200)
    expect(rotated.json().data).toMatchObject({ name: 'rotating', latest_version: 3 })
    const v3 = await post('transit/sign/rotating/sha2-256', { input }, 'hvs.rotating')
    expect(signature(v3).version).toBe(3)
    expect((await post('transit/keys/absent/rotate', {}, 'hvs.rotating')).json()).toEqual({ errors: ['key not found'] })
  })

  it('answers 503 while sealed', async () => {
    vault.seal()
    try {
      const reply = await post('transit/sign/docusign/sha2-256', { input })
      expect(reply.status).toBe(503)
      expect(reply.json()).toEqual({ errors: ['Vault is sealed'] })
    } finally {
      vault.unseal()
    }
    expect((await post('transit/sign/docusign/sha2-256', { input })).status).toBe(200)
  })

  it('plays queued faults for a path in order, then answers normally', async () => {
    const path = '/v1/transit/sign/docusign/sha2-256'
    vault.failNext(path, { status: 502, body: 'bad gateway' }, { reset: true })
    expect((await post('transit/sign/docusign/sha2-256', { input })).status).toBe(502)
    await expect(post('transit/sign/docusign/sha2-256', { input })).rejects.toThrow(/socket hang up|ECONNRESET/)
    expect((await post('transit/sign/docusign/sha2-256', { input })).status).toBe(200)
    expect(vault.requestsTo(path).length).toBeGreaterThan(3)
  })

  it('serves HTTPS with the given certificate', async () => {
    const secure = await VaultEmulator.start({ tls: { key: pki.key, cert: pki.cert } })
    try {
      secure.addKey({ name: 'docusign', type: 'rsa-2048', privateKeys: [rsa] })
      secure.addToken({ token: 't', policies: [{ path: 'transit/sign/docusign/sha2-256', capabilities: ['update'] }] })
      const reply = await send(`${secure.url}/v1/transit/sign/docusign/sha2-256`, {
        method: 'POST',
        headers: { 'X-Vault-Token': 't' },
        body: JSON.stringify({ input, signature_algorithm: 'pkcs1v15' }),
        ca: pki.caCert
      })
      expect(reply.status).toBe(200)
      expect(pkcs1Verifies(createPublicKey(rsa), signature(reply).bytes)).toBe(true)
    } finally {
      await secure.close()
    }
  })
})
