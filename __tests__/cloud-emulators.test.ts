/**
 * The cloud key vault emulators on their own: the GitHub OIDC token endpoint, Google (STS, IAM
 * Credentials, OAuth 2.0, Cloud KMS) and Azure (Entra ID, Key Vault), reached by their fixed host
 * names through the CONNECT proxy with the test CA, as the action will reach them.
 */
import {
  constants,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  verify,
  type KeyObject
} from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, SignJWT, type JWK } from 'jose'
import { AzureEmulator, CLIENT_ASSERTION_TYPE, FEDERATION_AUDIENCE, type AzureApp } from '../emulator/azure.js'
import {
  ACCESS_TOKEN_TYPE,
  CLOUD_PLATFORM,
  crc32c,
  GcpEmulator,
  JWT_BEARER,
  JWT_TOKEN_TYPE,
  serviceAccountResource,
  TOKEN_EXCHANGE,
  writeCredentialsFile,
  type ServiceAccount,
  type WorkloadIdentityProvider
} from '../emulator/gcp.js'
import { cloudPki, routes, viaProxy, type TunnelResponse } from '../emulator/hosts.js'
import { GITHUB_ISSUER, GitHubOidcEmulator } from '../emulator/oidc.js'
import { ConnectProxy } from '../emulator/proxy.js'

const PROJECT = 'signing-project'
const KEY_RING = `projects/${PROJECT}/locations/global/keyRings/docusign`
const RS256_KEY = `${KEY_RING}/cryptoKeys/jwt-rs256/cryptoKeyVersions/1`
const DISABLED_KEY = `${KEY_RING}/cryptoKeys/jwt-rs256/cryptoKeyVersions/2`
const PS256_KEY = `${KEY_RING}/cryptoKeys/jwt-ps256/cryptoKeyVersions/1`
const ES256_KEY = `${KEY_RING}/cryptoKeys/jwt-es256/cryptoKeyVersions/1`
const OTHER_KEY = `projects/${PROJECT}/locations/global/keyRings/other/cryptoKeys/k/cryptoKeyVersions/1`
const SIGNER = `docusign-signer@${PROJECT}.iam.gserviceaccount.com`
const KEY_FILE_SIGNER = `ci-key@${PROJECT}.iam.gserviceaccount.com`

let rsa: KeyObject // the DocuSign key, in KMS and Key Vault alike
let ec: KeyObject
let saKey: KeyObject
let oidc: GitHubOidcEmulator
let gcp: GcpEmulator
let azure: AzureEmulator
let proxy: ConnectProxy
let provider: WorkloadIdentityProvider
let keyFileAccount: ServiceAccount
let tenant: string
let govTenant: string
let app: AzureApp
let lonely: AzureApp
let govApp: AzureApp
let vault: string
let policyVault: string
let govVault: string

const now = () => Math.floor(Date.now() / 1000)
const call = (url: string, init?: Parameters<typeof viaProxy>[3]): Promise<TunnelResponse> =>
  viaProxy(proxy.url, gcp.caCert, url, init)
const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString()
})
const json = (body: unknown, token?: string) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body)
})
const auth = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } })

/** What the action signs: a JWT's header.payload, and its SHA-256. */
const signingInput = Buffer.from('eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJpbnRlZ3JhdGlvbi1rZXkifQ')
const digest = createHash('sha256').update(signingInput).digest()

beforeAll(async () => {
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  saKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  const pki = cloudPki()
  oidc = await GitHubOidcEmulator.start({ repository: 'octo-org/octo-repo' })

  gcp = await GcpEmulator.start({ pki })
  provider = gcp.addWorkloadIdentityProvider({
    projectNumber: '123456789012',
    pool: 'github',
    provider: 'octo-org',
    issuer: oidc.trusted,
    attributeMapping: {
      'google.subject': 'assertion.sub',
      'attribute.repository': 'assertion.repository',
      'attribute.repository_owner': 'assertion.repository_owner'
    },
    attributeCondition: (_claims, attributes) => attributes['attribute.repository_owner'] === 'octo-org'
  })
  gcp.addServiceAccount(SIGNER, saKey)
  keyFileAccount = gcp.addServiceAccount(KEY_FILE_SIGNER, saKey)
  gcp.addKeyVersion(RS256_KEY, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa })
  gcp.addKeyVersion(DISABLED_KEY, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa, state: 'DISABLED' })
  gcp.addKeyVersion(PS256_KEY, 'RSA_SIGN_PSS_2048_SHA256', { privateKey: rsa, protectionLevel: 'HSM' })
  gcp.addKeyVersion(ES256_KEY, 'EC_SIGN_P256_SHA256', { privateKey: ec })
  gcp.addKeyVersion(OTHER_KEY, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa })
  // Jobs of octo-org/octo-repo may impersonate SIGNER, which may sign with the jwt-rs256 key.
  gcp.grant(
    serviceAccountResource(SIGNER),
    provider.principalSet('repository', 'octo-org/octo-repo'),
    'roles/iam.workloadIdentityUser'
  )
  gcp.grant(`${KEY_RING}/cryptoKeys/jwt-rs256`, `serviceAccount:${SIGNER}`, 'roles/cloudkms.signerVerifier')
  gcp.grant(KEY_RING, `serviceAccount:${KEY_FILE_SIGNER}`, 'roles/cloudkms.signerVerifier')
  // Direct Workload Identity Federation: the job's own principal on the EC key, sign-only on PS256.
  gcp.grant(`${KEY_RING}/cryptoKeys/jwt-es256`, provider.principal(oidc.subject), 'roles/cloudkms.signerVerifier')
  gcp.grant(`${KEY_RING}/cryptoKeys/jwt-ps256`, provider.principal(oidc.subject), 'roles/cloudkms.signer')

  azure = await AzureEmulator.start({ pki, issuers: [oidc.trusted] })
  tenant = azure.addTenant({ domains: ['contoso.onmicrosoft.com'] })
  govTenant = azure.addTenant({ cloud: 'usgov' })
  const trust = [{ issuer: oidc.issuer, subject: oidc.subject }]
  app = azure.addApp({ tenant, federatedCredentials: trust })
  lonely = azure.addApp({ tenant, displayName: 'no-roles', federatedCredentials: trust })
  govApp = azure.addApp({ tenant: govTenant, federatedCredentials: trust })
  vault = azure.addVault({ name: 'docusign-kv', tenant })
  policyVault = azure.addVault({ name: 'legacy-kv', tenant, authorization: 'accessPolicy' })
  govVault = azure.addVault({ name: 'docusign-gov', tenant: govTenant, cloud: 'usgov' })
  azure.addKey(vault, 'docusign-jwt', { privateKey: rsa })
  azure.addKey(vault, 'docusign-ec', { kty: 'EC', privateKey: ec })
  azure.addKey(vault, 'retired', { privateKey: rsa, enabled: false })
  azure.addKey(policyVault, 'docusign-jwt', { privateKey: rsa })
  azure.addKey(govVault, 'docusign-jwt', { kty: 'RSA-HSM', privateKey: rsa })
  azure.grant(vault, app.clientId, ['get', 'sign'])
  azure.grant(policyVault, app.clientId, ['get'])
  azure.grant(govVault, govApp.clientId, ['get', 'sign'])

  proxy = await ConnectProxy.start(routes(gcp, azure))
})
afterAll(() => Promise.all([oidc?.close(), gcp?.close(), azure?.close(), proxy?.close()]))

/** A GitHub OIDC token as @actions/core's getIDToken gets it. */
async function githubToken(audience?: string): Promise<string> {
  const url = audience ? `${oidc.requestUrl}&audience=${encodeURIComponent(audience)}` : oidc.requestUrl
  const res = await fetch(url, { headers: { Authorization: `Bearer ${oidc.requestToken}` } })
  expect(res.status).toBe(200)
  return ((await res.json()) as { value: string }).value
}

// ---- Google helpers ----

/** STS as google-auth-library-nodejs sends it: form-encoded, snake_case. */
const sts = (subjectToken: string, audience = provider.audience, scope = CLOUD_PLATFORM) =>
  call(
    'https://sts.googleapis.com/v1/token',
    form({
      grant_type: TOKEN_EXCHANGE,
      audience,
      scope,
      requested_token_type: ACCESS_TOKEN_TYPE,
      subject_token: subjectToken,
      subject_token_type: JWT_TOKEN_TYPE
    })
  )

async function federatedToken(scope = CLOUD_PLATFORM): Promise<string> {
  const res = await sts(await githubToken(provider.oidcAudience), provider.audience, scope)
  expect(res.status).toBe(200)
  return String(res.json().access_token)
}

const impersonate = (token: string | undefined, email = SIGNER) =>
  call(
    `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${email}:generateAccessToken`,
    json({ scope: [CLOUD_PLATFORM], lifetime: '3600s' }, token)
  )

async function signerToken(): Promise<string> {
  const res = await impersonate(await federatedToken())
  expect(res.status).toBe(200)
  return String(res.json().accessToken)
}

const kmsSign = (
  token: string,
  name: string,
  body: unknown = { digest: { sha256: digest.toString('base64') }, digestCrc32c: String(crc32c(digest)) }
) => call(`https://cloudkms.googleapis.com/v1/${name}:asymmetricSign`, json(body, token))
const kmsPublicKey = (token: string, name: string) =>
  call(`https://cloudkms.googleapis.com/v1/${name}/publicKey`, auth(token))

/** A Google error body: { error: { code, message, status, details? } }. */
const googleError = (res: TunnelResponse) =>
  res.json().error as { code: number; message: string; status: string; details?: unknown[] }

describe('the GitHub OIDC token endpoint', () => {
  it('answers {value} with an RS256 JWT for the audience asked, which its JWKS verifies', async () => {
    const jwt = await githubToken('api://AzureADTokenExchange')
    const request = oidc.requests.at(-1)!
    expect(request.headers.authorization).toBe(`Bearer ${oidc.requestToken}`)
    expect(request.query.get('audience')).toBe('api://AzureADTokenExchange')
    const { payload, protectedHeader } = await compactVerify(jwt, createLocalJWKSet(oidc.trusted.jwks))
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: oidc.trusted.jwks.keys[0].kid })
    const claims = JSON.parse(Buffer.from(payload).toString()) as Record<string, unknown>
    expect(claims).toMatchObject({
      iss: GITHUB_ISSUER,
      sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
      aud: 'api://AzureADTokenExchange',
      repository: 'octo-org/octo-repo',
      ref: 'refs/heads/main'
    })
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300)
    expect(Number(claims.exp)).toBeGreaterThan(now())
    expect(oidc.issued.at(-1)).toBe(jwt)
    await expect(compactVerify(jwt, oidc.publicKey)).resolves.toBeDefined()
  })

  it('defaults the audience to the owner, refuses a wrong request token, and serves queued faults', async () => {
    expect(decodeJwt(await githubToken()).aud).toBe('https://github.com/octo-org')
    const wrong = await fetch(`${oidc.requestUrl}&audience=x`, { headers: { Authorization: 'Bearer nope' } })
    expect(wrong.status).toBe(401)
    oidc.failNext(new URL(oidc.requestUrl).pathname, { status: 503, body: '{"message":"busy"}' })
    const busy = await fetch(oidc.requestUrl, { headers: { Authorization: `Bearer ${oidc.requestToken}` } })
    expect(busy.status).toBe(503)
    expect(decodeJwt(await githubToken('again')).aud).toBe('again')
  })
})

describe('Google Cloud through the proxy', () => {
  it('computes CRC32C as KMS does (RFC 3720 B.4 test vectors)', () => {
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa)
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43)
    expect(crc32c('123456789')).toBe(0xe3069283)
  })

  it('OIDC token → STS → impersonation → KMS getPublicKey and asymmetricSign: the signature verifies', async () => {
    proxy.tunnels.length = 0
    const stsAnswer = await sts(await githubToken(provider.oidcAudience))
    expect(stsAnswer.status).toBe(200)
    expect(stsAnswer.json()).toMatchObject({
      issued_token_type: ACCESS_TOKEN_TYPE,
      token_type: 'Bearer',
      expires_in: 3599
    })
    const federated = String(stsAnswer.json().access_token)
    expect(gcp.describeToken(federated)?.principal).toBe(provider.principal(oidc.subject))

    const impersonated = await impersonate(federated)
    expect(impersonated.status).toBe(200)
    const { accessToken, expireTime } = impersonated.json() as { accessToken: string; expireTime: string }
    expect(expireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    expect(Date.parse(expireTime) - Date.now()).toBeGreaterThan(3500_000)
    expect(gcp.describeToken(accessToken)?.principal).toBe(`serviceAccount:${SIGNER}`)

    const publicKey = await kmsPublicKey(accessToken, RS256_KEY)
    expect(publicKey.status).toBe(200)
    const pk = publicKey.json() as Record<string, string>
    expect(pk).toEqual({
      pem: createPublicKey(rsa).export({ type: 'spki', format: 'pem' }),
      algorithm: 'RSA_SIGN_PKCS1_2048_SHA256',
      pemCrc32c: String(crc32c(pk.pem)),
      name: RS256_KEY,
      protectionLevel: 'SOFTWARE'
    })

    const signed = await kmsSign(accessToken, RS256_KEY)
    expect(signed.status).toBe(200)
    const answer = signed.json() as Record<string, unknown>
    const signature = Buffer.from(String(answer.signature), 'base64')
    expect(answer).toEqual({
      signature: answer.signature,
      signatureCrc32c: String(crc32c(signature)),
      verifiedDigestCrc32c: true,
      name: RS256_KEY,
      verifiedDataCrc32c: false,
      protectionLevel: 'SOFTWARE'
    })
    expect(verify('sha256', signingInput, createPublicKey(pk.pem), signature)).toBe(true)
    expect(verify('sha256', Buffer.from('something else'), createPublicKey(pk.pem), signature)).toBe(false)
    expect(proxy.tunnels).toEqual([
      'sts.googleapis.com:443',
      'iamcredentials.googleapis.com:443',
      'cloudkms.googleapis.com:443',
      'cloudkms.googleapis.com:443'
    ])
  })

  it('writes the credentials file as google-github-actions/auth does, and a client following it gets a signature', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'workspace-'))
    const path = writeCredentialsFile(dir, {
      requestUrl: oidc.requestUrl,
      requestToken: oidc.requestToken,
      workloadIdentityProvider: provider.name,
      serviceAccount: SIGNER
    })
    expect(path).toMatch(/\/gha-creds-[0-9a-f]{16}\.json$/)
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, never>
    expect(file).toEqual({
      type: 'external_account',
      audience: `//iam.googleapis.com/${provider.name}`,
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
      token_url: 'https://sts.googleapis.com/v1/token',
      credential_source: {
        url: `${oidc.requestUrl}&audience=${encodeURIComponent(`https://iam.googleapis.com/${provider.name}`)}`,
        headers: { Authorization: `Bearer ${oidc.requestToken}` },
        format: { type: 'json', subject_token_field_name: 'value' }
      },
      service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${SIGNER}:generateAccessToken`
    })

    // As google-auth-library's IdentityPoolClient reads it: the URL, the field, STS, impersonation.
    const source = file.credential_source as {
      url: string
      headers: Record<string, string>
      format: { subject_token_field_name: string }
    }
    const subject = await fetch(source.url, { headers: source.headers })
    const subjectToken = ((await subject.json()) as Record<string, string>)[source.format.subject_token_field_name]
    const exchanged = await call(
      file.token_url,
      form({
        grant_type: TOKEN_EXCHANGE,
        audience: file.audience,
        scope: CLOUD_PLATFORM,
        requested_token_type: ACCESS_TOKEN_TYPE,
        subject_token: subjectToken,
        subject_token_type: file.subject_token_type
      })
    )
    expect(exchanged.status).toBe(200)
    const impersonated = await call(
      file.service_account_impersonation_url,
      json({ scope: [CLOUD_PLATFORM], lifetime: '3600s' }, String(exchanged.json().access_token))
    )
    expect(impersonated.status).toBe(200)
    const signed = await kmsSign(String(impersonated.json().accessToken), RS256_KEY)
    expect(verify('sha256', signingInput, rsa, Buffer.from(String(signed.json().signature), 'base64'))).toBe(true)
  })

  it('takes STS as JSON in camelCase (the auth action) and lets the federated principal sign with EC directly', async () => {
    const res = await call(
      'https://sts.googleapis.com/v1/token',
      json({
        audience: provider.audience,
        grantType: TOKEN_EXCHANGE,
        requestedTokenType: ACCESS_TOKEN_TYPE,
        scope: CLOUD_PLATFORM,
        subjectTokenType: JWT_TOKEN_TYPE,
        subjectToken: await githubToken(provider.oidcAudience)
      })
    )
    expect(res.status).toBe(200)
    const signed = await kmsSign(String(res.json().access_token), ES256_KEY, {
      digest: { sha256: digest.toString('base64') }
    })
    expect(signed.status).toBe(200)
    expect(signed.json().verifiedDigestCrc32c).toBe(false)
    const signature = Buffer.from(String(signed.json().signature), 'base64')
    expect(signature[0]).toBe(0x30) // DER
    expect(verify('sha256', signingInput, createPublicKey(ec), signature)).toBe(true)
  })

  it('signs for a service account key file (JWT bearer at oauth2.googleapis.com, or a self-signed JWT), PSS verifying', async () => {
    const keyFile = keyFileAccount.keyFile
    const iat = now()
    const assertion = await new SignJWT({
      iss: keyFile.client_email,
      scope: CLOUD_PLATFORM,
      aud: keyFile.token_uri,
      iat,
      exp: iat + 3600
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keyFile.private_key_id })
      .sign(createPrivateKey(keyFile.private_key))
    const res = await call(keyFile.token_uri, form({ grant_type: JWT_BEARER, assertion }))
    expect(res.status).toBe(200)
    expect(res.json()).toMatchObject({ expires_in: 3599, token_type: 'Bearer' })
    const signed = await kmsSign(String(res.json().access_token), PS256_KEY)
    expect(signed.json().protectionLevel).toBe('HSM')
    const signature = Buffer.from(String(signed.json().signature), 'base64')
    const pss = { key: createPublicKey(rsa), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    expect(verify('sha256', signingInput, pss, signature)).toBe(true)
    expect(verify('sha256', signingInput, rsa, signature)).toBe(false) // not PKCS #1 v1.5

    const selfSigned = await new SignJWT({
      iss: keyFile.client_email,
      sub: keyFile.client_email,
      aud: 'https://cloudkms.googleapis.com/',
      iat,
      exp: iat + 3600
    })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keyFile.private_key_id })
      .sign(createPrivateKey(keyFile.private_key))
    expect((await kmsSign(selfSigned, RS256_KEY)).status).toBe(200)
  })
})

describe('Google errors, in Google shapes', () => {
  const stsRefusal = async (subjectToken: string | Promise<string>, audience?: string) => {
    const res = await sts(await subjectToken, audience)
    expect(res.status).toBe(400)
    return res.json()
  }

  it('STS: a pool instead of a provider, an unknown provider', async () => {
    const token = githubToken(provider.oidcAudience)
    expect(await stsRefusal(token, provider.audience.replace(/\/providers\/.*$/, ''))).toEqual({
      error: 'invalid_request',
      error_description:
        'Invalid value for "audience". This value should be the full resource name of the Identity Provider. See https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the list of possible formats.'
    })
    expect(await stsRefusal(token, provider.audience.replace(/octo-org$/, 'nobody'))).toMatchObject({
      error: 'invalid_target',
      error_description: expect.stringContaining(
        'This might either be because the pool or provider is disabled or deleted'
      )
    })
  })

  it("STS: a token for another audience, another issuer, GitHub's key forged, expired, or outside the condition", async () => {
    expect(await stsRefusal(githubToken())).toEqual({
      error: 'invalid_grant',
      error_description: 'The audience in ID Token [https://github.com/octo-org] does not match the expected audience.'
    })
    const ghes = 'https://github.example.com/_services/token'
    expect(await stsRefusal(oidc.mint(provider.oidcAudience, { iss: ghes }))).toEqual({
      error: 'invalid_grant',
      error_description: `The issuer in ID Token ${ghes} does not match the expected ones: https://token.actions.githubusercontent.com/`
    })
    expect(await stsRefusal(oidc.mint(provider.oidcAudience, {}, rsa))).toMatchObject({ error: 'invalid_grant' })
    expect(await stsRefusal(oidc.mint(provider.oidcAudience, { iat: now() - 900, exp: now() - 60 }))).toEqual({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/^ID Token issued at \d+ is stale to sign-in\.$/)
    })
    const evil = oidc.mint(provider.oidcAudience, { repository: 'evil-org/octo-repo', repository_owner: 'evil-org' })
    expect(await stsRefusal(evil)).toEqual({
      error: 'unauthorized_client',
      error_description: 'The given credential is rejected by the attribute condition.'
    })
  })

  it('IAM Credentials: 401 without a token, 403 for a repository the service account does not trust', async () => {
    const none = await impersonate(undefined)
    expect(none.status).toBe(401)
    expect(none.headers['www-authenticate']).toBe('Bearer realm="https://accounts.google.com/"')
    expect(googleError(none)).toMatchObject({
      code: 401,
      status: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^Request is missing required authentication credential\./),
      details: [expect.objectContaining({ reason: 'CREDENTIALS_MISSING' })]
    })
    const other = await sts(await oidc.mint(provider.oidcAudience, { repository: 'octo-org/other-repo' }))
    const denied = await impersonate(String(other.json().access_token))
    expect(denied.status).toBe(403)
    expect(googleError(denied)).toEqual({
      code: 403,
      message: "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
      status: 'PERMISSION_DENIED',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason: 'IAM_PERMISSION_DENIED',
          domain: 'iam.googleapis.com',
          metadata: { permission: 'iam.serviceAccounts.getAccessToken' }
        }
      ]
    })
  })

  it("IAM Credentials and KMS: SERVICE_DISABLED in the token's project (the pool's; the service account's), until enabled", async () => {
    const federated = await federatedToken()
    gcp.disableService('iamcredentials.googleapis.com', '123456789012')
    try {
      const off = await impersonate(federated)
      expect(off.status).toBe(403)
      const activation =
        'https://console.developers.google.com/apis/api/iamcredentials.googleapis.com/overview?project=123456789012'
      // As iamcredentials answered a GitHub job (TWiStErRob/net.twisterrob.cinema, planner/docs/github-to-appengine_oidc-setup.md).
      expect(googleError(off)).toEqual({
        code: 403,
        message: `IAM Service Account Credentials API has not been used in project 123456789012 before or it is disabled. Enable it by visiting ${activation} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.Help',
            links: [{ description: 'Google developers console API activation', url: activation }]
          },
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'SERVICE_DISABLED',
            domain: 'googleapis.com',
            metadata: { consumer: 'projects/123456789012', service: 'iamcredentials.googleapis.com' }
          }
        ]
      })
    } finally {
      gcp.enableService('iamcredentials.googleapis.com', '123456789012')
    }
    const token = await signerToken()
    gcp.disableService('cloudkms.googleapis.com', PROJECT)
    try {
      const kms = await kmsPublicKey(token, RS256_KEY)
      expect(kms.status).toBe(403)
      expect(googleError(kms).details).toContainEqual(
        expect.objectContaining({
          reason: 'SERVICE_DISABLED',
          metadata: { consumer: `projects/${PROJECT}`, service: 'cloudkms.googleapis.com' }
        })
      )
    } finally {
      gcp.enableService('cloudkms.googleapis.com', PROJECT)
    }
    expect((await kmsPublicKey(token, RS256_KEY)).status).toBe(200)
  })

  it('KMS: 401 for an unknown token, 403 without the permission, 404 for a version that does not exist', async () => {
    const unknown = await kmsSign('ya29.not-a-token', RS256_KEY)
    expect(unknown.status).toBe(401)
    expect(googleError(unknown)).toMatchObject({
      status: 'UNAUTHENTICATED',
      details: [expect.objectContaining({ reason: 'ACCESS_TOKEN_TYPE_UNSUPPORTED' })]
    })

    const token = await signerToken()
    const denied = await kmsSign(token, OTHER_KEY)
    expect(denied.status).toBe(403)
    expect(googleError(denied)).toMatchObject({
      code: 403,
      status: 'PERMISSION_DENIED',
      message: `Permission 'cloudkms.cryptoKeyVersions.useToSign' denied on resource '${OTHER_KEY}' (or it may not exist).`
    })
    const signOnly = await kmsPublicKey(await federatedToken(), PS256_KEY)
    expect(googleError(signOnly).message).toBe(
      `Permission 'cloudkms.cryptoKeyVersions.viewPublicKey' denied on resource '${PS256_KEY}' (or it may not exist).`
    )
    const missing = RS256_KEY.replace(/\/1$/, '/9')
    const notFound = await kmsSign(token, missing)
    expect(notFound.status).toBe(404)
    expect(googleError(notFound)).toMatchObject({
      code: 404,
      status: 'NOT_FOUND',
      message: expect.stringContaining(missing)
    })
  })

  it('KMS: FAILED_PRECONDITION for a disabled version, INVALID_ARGUMENT for a digest of another algorithm or a bad CRC32C', async () => {
    const token = await signerToken()
    const disabled = await kmsSign(token, DISABLED_KEY)
    expect(disabled.status).toBe(400)
    expect(googleError(disabled)).toEqual({
      code: 400,
      message: `${DISABLED_KEY} is not enabled, current state is: DISABLED.`,
      status: 'FAILED_PRECONDITION',
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.PreconditionFailure',
          violations: [{ type: 'KEY_DISABLED', subject: DISABLED_KEY }]
        }
      ]
    })
    const sha384 = createHash('sha384').update(signingInput).digest('base64')
    const wrongHash = await kmsSign(token, RS256_KEY, { digest: { sha384 } })
    expect(wrongHash.status).toBe(400)
    expect(googleError(wrongHash)).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: expect.stringContaining('SHA384')
    })
    const badCrc = await kmsSign(token, RS256_KEY, {
      digest: { sha256: digest.toString('base64') },
      digestCrc32c: String(crc32c(digest) ^ 1)
    })
    expect(googleError(badCrc)).toMatchObject({
      status: 'INVALID_ARGUMENT',
      message: 'The checksum in field digest_crc32c did not match the data in field digest.'
    })
  })

  it('KMS: 403 for a token without a cloud-platform scope, 401 once tokens expire', async () => {
    const narrow = await kmsSign(await federatedToken('https://www.googleapis.com/auth/userinfo.email'), ES256_KEY)
    expect(narrow.status).toBe(403)
    expect(googleError(narrow)).toMatchObject({
      message: 'Request had insufficient authentication scopes.',
      details: [expect.objectContaining({ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' })]
    })
    const token = await signerToken()
    gcp.expireTokens()
    const expired = await kmsSign(token, RS256_KEY)
    expect(expired.status).toBe(401)
    expect(expired.headers['www-authenticate']).toContain('error="invalid_token"')
    expect(googleError(expired).details).toEqual([expect.objectContaining({ reason: 'ACCESS_TOKEN_EXPIRED' })])
  })

  it('OAuth 2.0: a key that is not the registered one, a JWT living over an hour', async () => {
    const keyFile = keyFileAccount.keyFile
    const iat = now()
    const assertion = (key: KeyObject, exp: number) =>
      new SignJWT({ iss: keyFile.client_email, scope: CLOUD_PLATFORM, aud: keyFile.token_uri, iat, exp })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keyFile.private_key_id })
        .sign(key)
    const forged = await call(
      keyFile.token_uri,
      form({ grant_type: JWT_BEARER, assertion: await assertion(rsa, iat + 3600) })
    )
    expect(forged.status).toBe(400)
    expect(forged.json()).toEqual({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' })
    const long = await call(
      keyFile.token_uri,
      form({ grant_type: JWT_BEARER, assertion: await assertion(saKey, iat + 7200) })
    )
    expect(long.json()).toEqual({
      error: 'invalid_grant',
      error_description:
        'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.'
    })
  })

  it('answers a queued fault once, per host and path', async () => {
    gcp.failNext('sts.googleapis.com/v1/token', { status: 503, body: '{"error":"backend_error"}' })
    const token = await githubToken(provider.oidcAudience)
    expect((await sts(token)).status).toBe(503)
    expect((await sts(token)).status).toBe(200)
    expect(
      gcp
        .requestsTo('sts.googleapis.com/v1/token')
        .slice(-2)
        .map(r => r.status)
    ).toEqual([503, 200])
  })
})

// ---- Azure helpers ----

/** The token request @azure/identity's ClientAssertionCredential makes (through MSAL). */
const entraToken = (
  assertion: string,
  options: { tenant?: string; clientId?: string; scope?: string; authority?: string } = {}
) =>
  call(
    `https://${options.authority ?? 'login.microsoftonline.com'}/${options.tenant ?? tenant}/oauth2/v2.0/token`,
    form({
      grant_type: 'client_credentials',
      client_id: options.clientId ?? app.clientId,
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      scope: options.scope ?? 'https://vault.azure.net/.default'
    })
  )

async function vaultToken(who: AzureApp = app, scope = 'https://vault.azure.net/.default'): Promise<string> {
  const res = await entraToken(await githubToken(FEDERATION_AUDIENCE), { clientId: who.clientId, scope })
  expect(res.status).toBe(200)
  return String(res.json().access_token)
}

const kvSign = (url: string, token: string, alg = 'RS256', value = digest.toString('base64url')) =>
  call(`${url}/sign?api-version=7.4`, json({ alg, value }, token))
const kvError = (res: TunnelResponse) =>
  res.json().error as { code: string; message: string; innererror?: { code: string } }

/** An Entra error body, checked for its shape; returns the description. */
function entraRefusal(res: TunnelResponse, status: number, error: string, code: number): string {
  expect(res.status).toBe(status)
  const body = res.json()
  expect(body).toEqual({
    error,
    error_description: expect.stringMatching(
      new RegExp(
        `^AADSTS${code}: .* Trace ID: [-0-9a-f]{36} Correlation ID: [-0-9a-f]{36} Timestamp: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$`
      )
    ),
    error_codes: [code],
    timestamp: expect.any(String),
    trace_id: expect.any(String),
    correlation_id: expect.any(String),
    error_uri: `https://login.microsoftonline.com/error?code=${code}`
  })
  return String(body.error_description)
}

describe('Azure through the proxy', () => {
  it('challenge → OIDC token → Entra client assertion → Key Vault get and sign, as the SDK goes: RS256, PS256, ES256 verify', async () => {
    proxy.tunnels.length = 0
    // The SDK's first request has no token: the challenge names the tenant and the resource.
    const challenged = await call(`${vault}/keys/docusign-jwt/?api-version=7.4`)
    expect(challenged.status).toBe(401)
    expect(challenged.headers['www-authenticate']).toBe(
      `Bearer authorization="https://login.microsoftonline.com/${tenant}", resource="https://vault.azure.net"`
    )
    expect(kvError(challenged)).toEqual({
      code: 'Unauthorized',
      message: 'AKV10000: Request is missing a Bearer or PoP token.'
    })
    const [, authorization, resource] = /authorization="([^"]+)", resource="([^"]+)"/.exec(
      String(challenged.headers['www-authenticate'])
    )!
    expect(new URL(vault).hostname.endsWith(`.${new URL(resource).hostname}`)).toBe(true) // the SDK's verifyChallengeResource

    const granted = await entraToken(await githubToken(FEDERATION_AUDIENCE), {
      tenant: new URL(authorization).pathname.slice(1),
      scope: `${resource}/.default`
    })
    expect(granted.status).toBe(200)
    expect(granted.json()).toMatchObject({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 })
    const token = String(granted.json().access_token)
    expect(decodeJwt(token)).toMatchObject({
      aud: 'https://vault.azure.net',
      iss: `https://sts.windows.net/${tenant}/`,
      appid: app.clientId,
      oid: app.objectId,
      tid: tenant,
      idtyp: 'app'
    })
    expect(decodeProtectedHeader(token).alg).toBe('RS256')

    const got = await call(`${vault}/keys/docusign-jwt/?api-version=7.4`, auth(token))
    expect(got.status).toBe(200)
    const { key, attributes } = got.json() as {
      key: JWK & { kid: string; key_ops: string[] }
      attributes: Record<string, unknown>
    }
    expect(key.kid).toMatch(new RegExp(`^${vault}/keys/docusign-jwt/[0-9a-f]{32}$`))
    expect(key).toMatchObject({ kty: 'RSA', e: 'AQAB', key_ops: expect.arrayContaining(['sign', 'verify']) })
    expect(attributes).toMatchObject({ enabled: true, recoveryLevel: 'Recoverable+Purgeable' })
    const publicKey = createPublicKey({ key: { kty: 'RSA', n: key.n, e: key.e }, format: 'jwk' })

    const rs256 = await kvSign(key.kid, token)
    expect(rs256.status).toBe(200)
    expect(rs256.json().kid).toBe(key.kid)
    expect(verify('sha256', signingInput, publicKey, Buffer.from(String(rs256.json().value), 'base64url'))).toBe(true)
    const ps256 = await kvSign(key.kid, token, 'PS256')
    const pss = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }
    expect(verify('sha256', signingInput, pss, Buffer.from(String(ps256.json().value), 'base64url'))).toBe(true)

    const ecKey = (await call(`${vault}/keys/docusign-ec?api-version=7.4`, auth(token))).json().key as JWK & {
      kid: string
    }
    expect(ecKey).toMatchObject({ kty: 'EC', crv: 'P-256' })
    const es256 = await kvSign(ecKey.kid, token, 'ES256')
    const signature = Buffer.from(String(es256.json().value), 'base64url')
    expect(signature).toHaveLength(64) // JOSE r‖s
    const ecPublic = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: ecKey.x, y: ecKey.y }, format: 'jwk' })
    expect(verify('sha256', signingInput, { key: ecPublic, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true)

    expect(new Set(proxy.tunnels)).toEqual(
      new Set(['docusign-kv.vault.azure.net:443', 'login.microsoftonline.com:443'])
    )
  })

  it('serves Azure US Government: login.microsoftonline.us, vault.usgovcloudapi.net, RSA-HSM', async () => {
    const challenged = await call(`${govVault}/keys/docusign-jwt?api-version=7.4`)
    expect(challenged.headers['www-authenticate']).toBe(
      `Bearer authorization="https://login.microsoftonline.us/${govTenant}", resource="https://vault.usgovcloudapi.net"`
    )
    const assertion = await githubToken(FEDERATION_AUDIENCE)
    const granted = await entraToken(assertion, {
      authority: 'login.microsoftonline.us',
      tenant: govTenant,
      clientId: govApp.clientId,
      scope: 'https://vault.usgovcloudapi.net/.default'
    })
    expect(granted.status).toBe(200)
    const token = String(granted.json().access_token)
    const key = (await call(`${govVault}/keys/docusign-jwt?api-version=7.4`, auth(token))).json().key as {
      kid: string
      kty: string
    }
    expect(key.kty).toBe('RSA-HSM')
    const signed = await kvSign(key.kid, token)
    expect(verify('sha256', signingInput, rsa, Buffer.from(String(signed.json().value), 'base64url'))).toBe(true)
    // The public cloud knows neither the government tenant nor, for its own tenants, the government vault resource.
    entraRefusal(
      await entraToken(assertion, { tenant: govTenant, clientId: govApp.clientId }),
      400,
      'invalid_request',
      90002
    )
    const wrongCloud = entraRefusal(
      await entraToken(assertion, { scope: 'https://vault.usgovcloudapi.net/.default' }),
      400,
      'invalid_resource',
      500011
    )
    expect(wrongCloud).toContain('The resource principal named https://vault.usgovcloudapi.net was not found')
  })

  it('reaches a vault added after the proxy started', async () => {
    const late = azure.addVault({ name: 'late-kv', tenant })
    const res = await call(`${late}/keys/k?api-version=7.4`)
    expect(res.status).toBe(401)
    expect(proxy.tunnels.at(-1)).toBe('late-kv.vault.azure.net:443')
  })
})

describe('Azure errors, in Entra and Key Vault shapes', () => {
  it('Entra: an unknown tenant or application', async () => {
    const assertion = await githubToken(FEDERATION_AUDIENCE)
    expect(
      entraRefusal(await entraToken(assertion, { tenant: 'nobody.onmicrosoft.com' }), 400, 'invalid_request', 90002)
    ).toMatch(/^AADSTS90002: Tenant 'nobody\.onmicrosoft\.com' not found\./)
    const stranger = '00000000-0000-0000-0000-000000000001'
    expect(
      entraRefusal(await entraToken(assertion, { clientId: stranger }), 400, 'unauthorized_client', 700016)
    ).toMatch(
      new RegExp(
        `^AADSTS700016: Application with identifier '${stranger}' was not found in the directory 'contoso\\.onmicrosoft\\.com'\\.`
      )
    )
  })

  it('Entra: no federated identity record for the issuer, the subject or the audience', async () => {
    const slash = `${GITHUB_ISSUER}/`
    expect(
      entraRefusal(
        await entraToken(await oidc.mint(FEDERATION_AUDIENCE, { iss: slash })),
        401,
        'invalid_client',
        700211
      )
    ).toContain(`No matching federated identity record found for presented assertion issuer '${slash}'.`)
    const feature = 'repo:octo-org/octo-repo:ref:refs/heads/feature'
    expect(
      entraRefusal(
        await entraToken(await oidc.mint(FEDERATION_AUDIENCE, { sub: feature })),
        401,
        'invalid_client',
        700213
      )
    ).toContain(
      `No matching federated identity record found for presented assertion subject '${feature}'. Please check your federated identity credential Subject, Audience and Issuer against the presented assertion.`
    )
    expect(entraRefusal(await entraToken(await githubToken()), 401, 'invalid_client', 700212)).toContain(
      "presented assertion audience 'https://github.com/octo-org'"
    )
  })

  it('Entra: an expired or forged assertion, a scope without /.default, no assertion', async () => {
    const expired = await oidc.mint(FEDERATION_AUDIENCE, { iat: now() - 900, nbf: now() - 900, exp: now() - 60 })
    expect(entraRefusal(await entraToken(expired), 401, 'invalid_client', 700024)).toMatch(
      /^AADSTS700024: Client assertion is not within its valid time range\. Current time: \S+Z, assertion valid from \S+Z, expiry time of assertion \S+Z\./
    )
    entraRefusal(await entraToken(await oidc.mint(FEDERATION_AUDIENCE, {}, rsa)), 401, 'invalid_client', 700027)
    const assertion = await githubToken(FEDERATION_AUDIENCE)
    expect(
      entraRefusal(
        await entraToken(assertion, { scope: 'https://vault.azure.net/keys.sign' }),
        400,
        'invalid_scope',
        1002012
      )
    ).toContain('Client credential flows must have a scope value with /.default suffixed')
    entraRefusal(await entraToken(''), 401, 'invalid_client', 7000218)
  })

  it('Key Vault: 401 for a token of another resource (AKV10022) or another tenant, with the challenge', async () => {
    const management = await vaultToken(app, 'https://management.azure.com/.default')
    const res = await call(`${vault}/keys/docusign-jwt?api-version=7.4`, auth(management))
    expect(res.status).toBe(401)
    expect(res.headers['www-authenticate']).toContain('resource="https://vault.azure.net"')
    expect(kvError(res)).toEqual({
      code: 'Unauthorized',
      message: 'AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://management.azure.com.'
    })
    const elsewhere = azure.addApp({
      tenant: azure.addTenant(),
      federatedCredentials: [{ issuer: oidc.issuer, subject: oidc.subject }]
    })
    const res2 = await entraToken(await githubToken(FEDERATION_AUDIENCE), {
      tenant: elsewhere.tenant,
      clientId: elsewhere.clientId
    })
    expect(res2.status).toBe(200)
    azure.grant(vault, elsewhere.clientId, ['get'])
    const foreign = await call(`${vault}/keys/docusign-jwt?api-version=7.4`, auth(String(res2.json().access_token)))
    expect(foreign.status).toBe(401)
    expect(kvError(foreign).message).toMatch(/^AKV10032: Invalid issuer\./)
    expect(foreign.headers['www-authenticate']).toContain(`authorization="https://login.microsoftonline.com/${tenant}"`)
  })

  it('Key Vault: 403 ForbiddenByRbac without a role, ForbiddenByPolicy without an access policy', async () => {
    const rbac = await call(`${vault}/keys/docusign-jwt?api-version=7.4`, auth(await vaultToken(lonely)))
    expect(rbac.status).toBe(403)
    const error = kvError(rbac)
    expect(error).toMatchObject({ code: 'Forbidden', innererror: { code: 'ForbiddenByRbac' } })
    expect(error.message).toMatch(/^Caller is not authorized to perform action on resource\.\r\n/)
    expect(error.message).toContain(
      `Caller: appid=${lonely.clientId};oid=${lonely.objectId};iss=https://sts.windows.net/${tenant}/\r\n`
    )
    expect(error.message).toContain("Action: 'Microsoft.KeyVault/vaults/keys/read'")
    expect(error.message).toContain('Vault: docusign-kv;location=eastus')

    const token = await vaultToken()
    const key = (await call(`${policyVault}/keys/docusign-jwt?api-version=7.4`, auth(token))).json().key as {
      kid: string
    }
    const policy = await kvSign(key.kid, token)
    expect(policy.status).toBe(403)
    expect(kvError(policy)).toEqual({
      code: 'Forbidden',
      message: `The user, group or application 'appid=${app.clientId};oid=${app.objectId};iss=https://sts.windows.net/${tenant}/' does not have keys sign permission on key vault 'legacy-kv;location=eastus'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
      innererror: { code: 'ForbiddenByPolicy' }
    })
  })

  it('Key Vault: 404 KeyNotFound, a disabled key read (enabled: false) but not used to sign (403 KeyDisabled), 400 for a digest of the wrong length, 401 once tokens expire', async () => {
    const token = await vaultToken()
    const missing = await call(`${vault}/keys/missing-key?api-version=7.4`, auth(token))
    expect(missing.status).toBe(404)
    expect(kvError(missing)).toEqual({
      code: 'KeyNotFound',
      message:
        'A key with (name/id) missing-key was not found in this key vault. If you recently deleted this key you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182'
    })
    const read = await call(`${vault}/keys/retired?api-version=7.4`, auth(token))
    expect(read.status).toBe(200)
    expect(read.json().attributes).toMatchObject({ enabled: false })
    const disabled = await kvSign(`${vault}/keys/retired`, token)
    expect(disabled.status).toBe(403)
    expect(kvError(disabled)).toEqual({
      code: 'Forbidden',
      message: 'Operation sign is not allowed on a disabled key.',
      innererror: { code: 'KeyDisabled' }
    })
    const short = await kvSign(
      `${vault}/keys/docusign-jwt`,
      token,
      'RS256',
      digest.subarray(0, 20).toString('base64url')
    )
    expect(short.status).toBe(400)
    expect(kvError(short).code).toBe('BadParameter')
    azure.expireTokens()
    const expired = await call(`${vault}/keys/docusign-jwt?api-version=7.4`, auth(token))
    expect(expired.status).toBe(401)
    expect(expired.headers['www-authenticate']).toContain(`authorization="https://login.microsoftonline.com/${tenant}"`)
  })
})
