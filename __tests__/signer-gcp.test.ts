/**
 * signing-key: gcp-kms:… through the built action and CLI: Google Cloud KMS holds the key, DocuSign's
 * integration key knows only its public half, and the step signs in with no private key. Google's
 * fixed hosts are reached through the CONNECT proxy (HTTPS_PROXY) with the test CA
 * (NODE_EXTRA_CA_CERTS); DocuSign and GitHub's OIDC endpoint stay on loopback http.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  ACCESS_TOKEN_TYPE,
  CLOUD_PLATFORM,
  GcpEmulator,
  JWT_TOKEN_TYPE,
  serviceAccountResource,
  TOKEN_EXCHANGE,
  writeCredentialsFile,
  type ServiceAccount,
  type WorkloadIdentityProvider
} from '../emulator/gcp.js'
import { cloudPki, routes, viaProxy } from '../emulator/hosts.js'
import { GitHubOidcEmulator } from '../emulator/oidc.js'
import { ConnectProxy } from '../emulator/proxy.js'
import type { RunResult } from '../emulator/runner.js'
import { DEFAULT_SCOPES, startSandbox, type Sandbox } from '../emulator/setup.js'
import { cli } from './helpers/cli.js'
import { expectHidden, runChecked } from './helpers/leaks.js'

const PROJECT = 'signing-project'
const RING = `projects/${PROJECT}/locations/global/keyRings/docusign`
const KEY = `${RING}/cryptoKeys/jwt-rs256`
const RS256 = `${KEY}/cryptoKeyVersions/1`
const DISABLED = `${KEY}/cryptoKeyVersions/2`
const DESTROYED = `${KEY}/cryptoKeyVersions/3`
const MISSING = `${KEY}/cryptoKeyVersions/9`
const PSS = `${RING}/cryptoKeys/jwt-ps256/cryptoKeyVersions/1`
const EC = `${RING}/cryptoKeys/jwt-es256/cryptoKeyVersions/1`
const VIEW_ONLY = `${RING}/cryptoKeys/view-only/cryptoKeyVersions/1`
const FORBIDDEN = `projects/${PROJECT}/locations/global/keyRings/other/cryptoKeys/k/cryptoKeyVersions/1`
const SIGNER = `docusign-signer@${PROJECT}.iam.gserviceaccount.com`
const UNTRUSTED = `untrusted@${PROJECT}.iam.gserviceaccount.com`
const KEY_FILE_SIGNER = `ci-key@${PROJECT}.iam.gserviceaccount.com`

let rsa: KeyObject
let oidc: GitHubOidcEmulator
let gcp: GcpEmulator
let proxy: ConnectProxy
let sandbox: Sandbox
let provider: WorkloadIdentityProvider
let keyFileAccount: ServiceAccount
let integrationKey: string
let dir: string
let caFile: string

beforeAll(async () => {
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const saKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  const pki = cloudPki()
  dir = mkdtempSync(join(tmpdir(), 'signer-gcp-'))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, pki.caCert)

  oidc = await GitHubOidcEmulator.start({ repository: 'octo-org/octo-repo' })
  gcp = await GcpEmulator.start({ pki })
  provider = gcp.addWorkloadIdentityProvider({
    projectNumber: '123456789012',
    pool: 'github',
    provider: 'octo-org',
    issuer: oidc.trusted,
    attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' }
  })
  gcp.addServiceAccount(SIGNER, saKey)
  gcp.addServiceAccount(UNTRUSTED, saKey)
  keyFileAccount = gcp.addServiceAccount(KEY_FILE_SIGNER, saKey)
  gcp.addKeyVersion(RS256, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa })
  gcp.addKeyVersion(DISABLED, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa, state: 'DISABLED' })
  gcp.addKeyVersion(DESTROYED, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa, state: 'DESTROYED' })
  gcp.addKeyVersion(PSS, 'RSA_SIGN_PSS_2048_SHA256', { privateKey: rsa })
  gcp.addKeyVersion(EC, 'EC_SIGN_P256_SHA256', { privateKey: ec })
  gcp.addKeyVersion(VIEW_ONLY, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa })
  gcp.addKeyVersion(FORBIDDEN, 'RSA_SIGN_PKCS1_2048_SHA256', { privateKey: rsa })
  gcp.grant(
    serviceAccountResource(SIGNER),
    provider.principalSet('repository', 'octo-org/octo-repo'),
    'roles/iam.workloadIdentityUser'
  )
  for (const member of [`serviceAccount:${SIGNER}`, `serviceAccount:${KEY_FILE_SIGNER}`]) {
    gcp.grant(KEY, member, 'roles/cloudkms.signerVerifier')
    gcp.grant(`${RING}/cryptoKeys/jwt-ps256`, member, 'roles/cloudkms.signerVerifier')
    gcp.grant(`${RING}/cryptoKeys/jwt-es256`, member, 'roles/cloudkms.signerVerifier')
    gcp.grant(`${RING}/cryptoKeys/view-only`, member, 'roles/cloudkms.publicKeyViewer')
  }
  proxy = await ConnectProxy.start(routes(gcp))

  // DocuSign knows the KMS key's public half only.
  sandbox = await startSandbox()
  integrationKey = sandbox.emulator.addIntegrationKey([createPublicKey(rsa)])
  sandbox.emulator.grantConsent(integrationKey, sandbox.userId, DEFAULT_SCOPES)
})
afterAll(async () => {
  await Promise.all([oidc?.close(), gcp?.close(), proxy?.close(), sandbox?.emulator.close()])
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// ---- helpers ----

const network = (): Record<string, string> => ({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile })

/** google-github-actions/auth's credentials file for this job (Workload Identity Federation). */
function wifFile(serviceAccount: string | undefined = SIGNER, providerName = provider.name): string {
  return writeCredentialsFile(dir, {
    requestUrl: oidc.requestUrl,
    requestToken: oidc.requestToken,
    workloadIdentityProvider: providerName,
    serviceAccount
  })
}

function keyFile(): string {
  const path = join(dir, `sa-${Math.random().toString(16).slice(2)}.json`)
  writeFileSync(path, JSON.stringify(keyFileAccount.keyFile), { mode: 0o600 })
  return path
}

/** An access token for SIGNER, as google-github-actions/auth's access_token output would hold it. */
async function accessToken(): Promise<string> {
  const call = (url: string, init: Parameters<typeof viaProxy>[3]) => viaProxy(proxy.url, gcp.caCert, url, init)
  const federated = await call('https://sts.googleapis.com/v1/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE,
      audience: provider.audience,
      scope: CLOUD_PLATFORM,
      requested_token_type: ACCESS_TOKEN_TYPE,
      subject_token: await oidc.mint(provider.oidcAudience),
      subject_token_type: JWT_TOKEN_TYPE
    }).toString()
  })
  const impersonated = await call(
    `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${SIGNER}:generateAccessToken`,
    {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${federated.json().access_token}` },
      body: JSON.stringify({ scope: [CLOUD_PLATFORM] })
    }
  )
  return String(impersonated.json().accessToken)
}

const inputs = (name = RS256, extra: Record<string, string> = {}) => ({
  'integration-key': integrationKey,
  'private-key': '',
  'signing-key': `gcp-kms:${name}`,
  ...extra
})

const cliEnv = (name: string, env: Record<string, string>): Record<string, string> => ({
  DOCUSIGN_INTEGRATION_KEY: integrationKey,
  DOCUSIGN_USER_ID: sandbox.userId,
  DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
  DOCUSIGN_SIGNING_KEY: `gcp-kms:${name}`,
  ...network(),
  ...env
})

/** Every credential the cloud side has seen or issued so far, and the service account key. */
function credentials(): string[] {
  const assertions = gcp
    .requestsTo('oauth2.googleapis.com/token')
    .map(r => new URLSearchParams(r.body).get('assertion') ?? '')
  const pem = String(keyFileAccount.keyFile.private_key)
  const pemLines = pem.split('\n').filter(line => line.length >= 40 && !line.startsWith('-----'))
  return [oidc.requestToken, ...oidc.issued, ...gcp.issuedTokens, ...assertions, ...pemLines].filter(Boolean)
}

/** No credential anywhere a person or a log reads; on stdout only inside an add-mask command (the action). */
function expectNoCredentials(run: { stdout: string; stderr: string } & Partial<RunResult>): void {
  for (const secret of credentials()) {
    const leaked = (text = '') => text.includes(secret)
    expect({ stderr: leaked(run.stderr) }).toEqual({ stderr: false })
    expect({ log: leaked(run.log), transcript: leaked(run.transcript) }).toEqual({ log: false, transcript: false })
    expect({ summary: leaked(run.summary), raw: leaked(run.rawSummary) }).toEqual({ summary: false, raw: false })
    const lines = run.stdout.split('\n').filter(line => line.includes(secret))
    expect(lines.filter(line => !line.startsWith('::add-mask::'))).toEqual([])
  }
}

/** The request labels (host + path) a secret appeared in, across every emulator. */
function sentTo(secret: string): string[] {
  const text = (r: { headers: unknown; body: string; path: string }) => JSON.stringify([r.headers, r.body, r.path])
  return [
    ...gcp.requests.filter(r => text(r).includes(secret)).map(r => `${r.host}${r.path.replace(/\/v1\/.*/, '/v1/…')}`),
    ...oidc.requests.filter(r => text(r).includes(secret)).map(() => 'github-oidc'),
    ...sandbox.emulator.requests.filter(r => text(r).includes(secret)).map(() => 'docusign')
  ]
}

const uniq = (values: string[]) => [...new Set(values)].sort()

/** The add-mask line of a secret comes before the first debug line matching `request`. */
function maskedBefore(stdout: string, secret: string, request: RegExp): void {
  const lines = stdout.split('\n')
  const mask = lines.indexOf(`::add-mask::${secret}`)
  const sent = lines.findIndex(line => line.startsWith('::debug::') && request.test(line))
  expect(mask).toBeGreaterThanOrEqual(0)
  expect(sent).toBeGreaterThan(mask)
}

/** The assertion DocuSign got last verifies with the KMS key: KMS signed it. */
function expectSignedByKms(): void {
  const assertion = new URLSearchParams(sandbox.emulator.requestsTo('/oauth/token').at(-1)!.body).get('assertion')!
  const [header, payload, signature] = assertion.split('.')
  expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' })
  expect(verify('sha256', Buffer.from(`${header}.${payload}`), rsa, Buffer.from(signature, 'base64url'))).toBe(true)
}

const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token').length

// ---- sign-in ----

describe('gcp-kms: a full sign-in with no private key', () => {
  it('the action, with the external_account file of google-github-actions/auth (impersonation)', async () => {
    const before = { kms: gcp.requests.length, oidc: oidc.issued.length }
    const file = wifFile()
    const run = await runChecked(sandbox, inputs(), {
      env: {
        ...network(),
        GOOGLE_APPLICATION_CREDENTIALS: file,
        RUNNER_DEBUG: '1',
        GITHUB_REPOSITORY: 'octo-org/octo-repo'
      }
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))
    expectSignedByKms()
    expect(run.log).toContain(`Google Cloud KMS key ${RS256}: RSA 2048-bit`)

    // The path: OIDC token → STS → generateAccessToken → KMS publicKey, asymmetricSign.
    const requests = gcp.requests.slice(before.kms)
    expect(requests.map(r => `${r.method} ${r.host}${r.path}`)).toEqual([
      'POST sts.googleapis.com/v1/token',
      `POST iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${SIGNER}:generateAccessToken`,
      `GET cloudkms.googleapis.com/v1/${RS256}/publicKey`,
      `POST cloudkms.googleapis.com/v1/${RS256}:asymmetricSign`
    ])
    expect(requests.map(r => r.status)).toEqual([200, 200, 200, 200])
    const subjectToken = oidc.issued.at(-1)!
    expect(oidc.issued.length).toBe(before.oidc + 1)
    const federated = gcp.issuedTokens.at(-2)!
    const impersonated = gcp.issuedTokens.at(-1)!
    expect(gcp.describeToken(impersonated)?.principal).toBe(`serviceAccount:${SIGNER}`)

    // Each credential went to its own service only, never to DocuSign.
    expect(uniq(sentTo(oidc.requestToken))).toEqual(['github-oidc'])
    expect(uniq(sentTo(subjectToken))).toEqual(['sts.googleapis.com/v1/…'])
    expect(uniq(sentTo(federated))).toEqual(['iamcredentials.googleapis.com/v1/…'])
    expect(uniq(sentTo(impersonated))).toEqual(['cloudkms.googleapis.com/v1/…'])
    // Masked before it was sent.
    maskedBefore(run.stdout, oidc.requestToken, /GET http:\/\/127\.0\.0\.1:\d+\/.*idtoken/)
    maskedBefore(run.stdout, subjectToken, /POST https:\/\/sts\.googleapis\.com/)
    maskedBefore(run.stdout, federated, /POST https:\/\/iamcredentials\.googleapis\.com/)
    maskedBefore(run.stdout, impersonated, /GET https:\/\/cloudkms\.googleapis\.com/)
    expectNoCredentials(run)
  })

  it('the action, with an access token in GOOGLE_OAUTH_ACCESS_TOKEN', async () => {
    const token = await accessToken()
    const before = gcp.requests.length
    const run = await runChecked(sandbox, inputs(), {
      env: { ...network(), GOOGLE_OAUTH_ACCESS_TOKEN: token, RUNNER_DEBUG: '1' }
    })
    expect(run.exitCode).toBe(0)
    expectSignedByKms()
    expect(gcp.requests.slice(before).map(r => r.host)).toEqual(['cloudkms.googleapis.com', 'cloudkms.googleapis.com'])
    expect(uniq(sentTo(token))).toEqual(['cloudkms.googleapis.com/v1/…'])
    maskedBefore(run.stdout, token, /GET https:\/\/cloudkms\.googleapis\.com/)
    expectNoCredentials(run)
  })

  it('the action, with a service_account key file (a JWT exchanged at its token_uri)', async () => {
    const before = gcp.requests.length
    const run = await runChecked(sandbox, inputs(), {
      env: { ...network(), GOOGLE_APPLICATION_CREDENTIALS: keyFile(), RUNNER_DEBUG: '1' }
    })
    expect(run.exitCode).toBe(0)
    expectSignedByKms()
    const requests = gcp.requests.slice(before)
    expect(requests.map(r => `${r.host}${r.path.startsWith('/v1/') ? '' : r.path}`)).toEqual([
      'oauth2.googleapis.com/token',
      'cloudkms.googleapis.com',
      'cloudkms.googleapis.com'
    ])
    const assertion = new URLSearchParams(requests[0].body).get('assertion')!
    expect(JSON.parse(Buffer.from(assertion.split('.')[1], 'base64url').toString())).toMatchObject({
      iss: KEY_FILE_SIGNER,
      aud: 'https://oauth2.googleapis.com/token',
      scope: CLOUD_PLATFORM
    })
    const token = gcp.issuedTokens.at(-1)!
    expect(gcp.describeToken(token)?.principal).toBe(`serviceAccount:${KEY_FILE_SIGNER}`)
    expect(uniq(sentTo(assertion))).toEqual(['oauth2.googleapis.com/token'])
    expect(uniq(sentTo(token))).toEqual(['cloudkms.googleapis.com/v1/…'])
    maskedBefore(run.stdout, assertion, /POST https:\/\/oauth2\.googleapis\.com/)
    expectNoCredentials(run)
  })

  it('the CLI, with the external_account file (ACTIONS_ID_TOKEN_REQUEST_TOKEN inside it)', async () => {
    const run = await cli(sandbox, ['token'], {
      env: cliEnv(RS256, { GOOGLE_APPLICATION_CREDENTIALS: wifFile() }),
      tokenOnStdout: true,
      keys: credentials()
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout.trim()).toBe(sandbox.emulator.issuedTokens.at(-1))
    expectSignedByKms()
    expectNoCredentials(run)
  })

  it('the CLI check, with GOOGLE_OAUTH_ACCESS_TOKEN: the key, its size and fingerprint', async () => {
    const token = await accessToken()
    const run = await cli(sandbox, ['check'], {
      env: cliEnv(RS256, { GOOGLE_OAUTH_ACCESS_TOKEN: token }),
      keys: [token]
    })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain(`Google Cloud KMS key ${RS256}: RSA 2048-bit`)
    expectNoCredentials(run)
  })
})

// ---- failures ----

interface Failure {
  title: string
  name?: string
  env: () => Record<string, string> | Promise<Record<string, string>>
  message: RegExp
  exit: number
  /** An API turned off in a project for this case, as in a fresh project. */
  apiOff?: { service: string; project: string }
}

const FAILURES: Failure[] = [
  {
    title: 'no credentials: which login step, and id-token: write',
    env: () => ({}),
    message:
      /No Google Cloud credentials for .*GOOGLE_OAUTH_ACCESS_TOKEN.*GOOGLE_APPLICATION_CREDENTIALS.*google-github-actions\/auth.*id-token: write/s,
    exit: 2
  },
  {
    title: 'an access token KMS does not know',
    env: () => ({ GOOGLE_OAUTH_ACCESS_TOKEN: 'ya29.a0AfB_not-issued-by-google-0123456789' }),
    message:
      /Google Cloud KMS .* refused the access token from GOOGLE_OAUTH_ACCESS_TOKEN .*HTTP 401 UNAUTHENTICATED \(ACCESS_TOKEN_TYPE_UNSUPPORTED\).*token_format: access_token/s,
    exit: 4
  },
  {
    title: 'an expired access token',
    env: async () => {
      const token = await accessToken()
      gcp.expireTokens()
      return { GOOGLE_OAUTH_ACCESS_TOKEN: token }
    },
    message: /refused the access token from GOOGLE_OAUTH_ACCESS_TOKEN .*ACCESS_TOKEN_EXPIRED.*lives an hour/s,
    exit: 4
  },
  {
    title: 'STS refuses the job: an unknown workload identity provider',
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: wifFile(SIGNER, provider.name.replace(/octo-org$/, 'nobody')) }),
    message:
      /Security Token Service \(sts\.googleapis\.com\) refused the job's OIDC token .*invalid_target.*workload_identity_provider/s,
    exit: 4
  },
  {
    title: 'a service account the repository may not impersonate',
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: wifFile(UNTRUSTED), GITHUB_REPOSITORY: 'octo-org/octo-repo' }),
    message: new RegExp(
      `did not let this job's federated identity impersonate service account ${UNTRUSTED}.*iam\\.serviceAccounts\\.getAccessToken.*roles/iam\\.workloadIdentityUser.*principalSet://iam\\.googleapis\\.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute\\.repository/octo-org/octo-repo`,
      's'
    ),
    exit: 4
  },
  {
    // A fresh project: the pool's project has not enabled IAM Service Account Credentials.
    title: 'IAM Service Account Credentials not enabled (SERVICE_DISABLED): the API and the command, not a role',
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: wifFile(), GITHUB_REPOSITORY: 'octo-org/octo-repo' }),
    apiOff: { service: 'iamcredentials.googleapis.com', project: '123456789012' },
    message:
      /The IAM Service Account Credentials API \(iamcredentials\.googleapis\.com\) is not enabled in the Google Cloud project 123456789012, for Google Cloud KMS key .*HTTP 403 PERMISSION_DENIED \(SERVICE_DISABLED\): IAM Service Account Credentials API has not been used in project 123456789012 before or it is disabled.*Enable it: gcloud services enable iamcredentials\.googleapis\.com --project 123456789012.*cloudkms\.googleapis\.com, iamcredentials\.googleapis\.com, sts\.googleapis\.com/s,
    exit: 4
  },
  {
    title: "Cloud KMS not enabled in the service account's project (SERVICE_DISABLED)",
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
    apiOff: { service: 'cloudkms.googleapis.com', project: PROJECT },
    message: new RegExp(
      `The Cloud Key Management Service \\(KMS\\) API \\(cloudkms\\.googleapis\\.com\\) is not enabled in the Google Cloud project ${PROJECT}, for Google Cloud KMS key .*SERVICE_DISABLED.*Enable it: gcloud services enable cloudkms\\.googleapis\\.com --project ${PROJECT}`,
      's'
    ),
    exit: 4
  },
  {
    title: 'no permission on the key: viewPublicKey, and the role',
    name: FORBIDDEN,
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
    message: new RegExp(
      `denied service account ${KEY_FILE_SIGNER} the permission cloudkms\\.cryptoKeyVersions\\.viewPublicKey on Google Cloud KMS key ${FORBIDDEN}.*roles/cloudkms\\.signerVerifier.*roles/cloudkms\\.signer with roles/cloudkms\\.publicKeyViewer.*cloudkms\\.cryptoKeyVersions\\.useToSign`,
      's'
    ),
    exit: 4
  },
  {
    title: 'a key version that does not exist',
    name: MISSING,
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
    message: new RegExp(
      `has no key version ${MISSING} \\(HTTP 404 NOT_FOUND.*gcloud kms keys versions list --key jwt-rs256 --keyring docusign --location global --project ${PROJECT}`,
      's'
    ),
    exit: 4
  },
  {
    title: 'a disabled version (FAILED_PRECONDITION)',
    name: DISABLED,
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
    message:
      /cannot sign: its state is DISABLED \(HTTP 400 FAILED_PRECONDITION.*gcloud kms keys versions enable 2 --key jwt-rs256/s,
    exit: 4
  },
  {
    title: 'a destroyed version',
    name: DESTROYED,
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
    message: /cannot sign: its state is DESTROYED.*A destroyed version cannot sign again/s,
    exit: 4
  },
  {
    title: 'a PSS key',
    name: PSS,
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
    message: /signs with RSASSA-PSS \(RSA_SIGN_PSS_2048_SHA256\).*rsa-sign-pkcs1-2048-sha256/s,
    exit: 4
  },
  {
    title: 'an EC key',
    name: EC,
    env: () => ({ GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
    message: /is an elliptic-curve key \(EC_SIGN_P256_SHA256\)/,
    exit: 4
  }
]

describe("gcp-kms failures: named as Google's, with cause and fix; DocuSign never asked", () => {
  // Every API back on after each case, passed or failed.
  afterEach(() => {
    for (const { apiOff } of FAILURES) if (apiOff) gcp.enableService(apiOff.service, apiOff.project)
  })

  for (const failure of FAILURES) {
    it(`${failure.title}: one error (action), exit ${failure.exit} (CLI)`, async () => {
      const name = failure.name ?? RS256
      const env = await failure.env()
      const before = tokenRequests()
      if (failure.apiOff) gcp.disableService(failure.apiOff.service, failure.apiOff.project)
      const run = await runChecked(sandbox, inputs(name), { env: { ...network(), ...env } })
      expect(run.exitCode).toBe(1)
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(failure.message)
      expect(run.errors[0]).toContain(name)
      expect(run.errors[0]).toContain('troubleshooting.md#signing-key')
      expect(run.errors[0]).not.toMatch(/DocuSign (answered|refused|is unavailable)|oauth\/token|consent/i)
      if (failure.apiOff) expect(run.errors[0]).not.toMatch(/roles\/|add-iam-policy-binding/)
      expectNoCredentials(run)

      const term = await cli(sandbox, ['token'], { env: cliEnv(name, await failure.env()), keys: credentials() })
      expect(term.exitCode).toBe(failure.exit)
      expect(term.stdout).toBe('')
      expect(term.stderr).toMatch(failure.message)
      expectNoCredentials(term)
      expect(tokenRequests()).toBe(before)
    })
  }

  // Signing runs inside the token request's body callback (a fresh assertion per attempt); a failure
  // there must not reach DocuSign, whatever the HTTP client makes of it.
  it('permission to view but not to sign: the signing request is denied, and DocuSign is never asked', async () => {
    const before = tokenRequests()
    const signs = gcp.requestsTo(`cloudkms.googleapis.com/v1/${VIEW_ONLY}:asymmetricSign`).length
    const run = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(VIEW_ONLY, { GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
      keys: credentials()
    })
    expect(run.exitCode).not.toBe(0)
    expect(run.stderr).toContain('cloudkms.cryptoKeyVersions.useToSign')
    expect(
      gcp
        .requestsTo(`cloudkms.googleapis.com/v1/${VIEW_ONLY}:asymmetricSign`)
        .slice(signs)
        .map(r => r.status)
    ).toEqual([403])
    expect(tokenRequests()).toBe(before)
    expectNoCredentials(run)
  })

  it("permission to view but not to sign: useToSign named as Google's, exit 4", async () => {
    const run = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(VIEW_ONLY, { GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
      keys: credentials()
    })
    expect(run.stderr).toMatch(
      new RegExp(
        `denied service account ${KEY_FILE_SIGNER} the permission cloudkms\\.cryptoKeyVersions\\.useToSign on Google Cloud KMS key ${VIEW_ONLY}.*roles/cloudkms\\.signerVerifier`,
        's'
      )
    )
    expect(run.stderr).not.toMatch(/oauth\/token|OAuth server/)
    expect(run.exitCode).toBe(4)
  })

  it("SERVICE_DISABLED in Google's newer shape (ErrorInfo first, more metadata): the project Google names, not the key's", async () => {
    const activation =
      'https://console.developers.google.com/apis/api/cloudkms.googleapis.com/overview?project=987654321098'
    // The shape google-gemini/gemini-cli issue #1343 quotes, for the Cloud KMS API.
    gcp.failNext(`cloudkms.googleapis.com/v1/${RS256}/publicKey`, {
      status: 403,
      body: JSON.stringify({
        error: {
          code: 403,
          message: `Cloud Key Management Service (KMS) API has not been used in project 987654321098 before or it is disabled. Enable it by visiting ${activation} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
          status: 'PERMISSION_DENIED',
          details: [
            {
              '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
              reason: 'SERVICE_DISABLED',
              domain: 'googleapis.com',
              metadata: {
                serviceTitle: 'Cloud Key Management Service (KMS) API',
                consumer: 'projects/987654321098',
                containerInfo: '987654321098',
                service: 'cloudkms.googleapis.com',
                activationUrl: activation
              }
            },
            {
              '@type': 'type.googleapis.com/google.rpc.Help',
              links: [{ description: 'Google developers console API activation', url: activation }]
            }
          ]
        }
      })
    })
    const run = await cli(sandbox, ['check'], {
      env: cliEnv(RS256, { GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
      keys: credentials()
    })
    expect(run.exitCode).toBe(4)
    expect(run.stderr).toContain(
      'The Cloud Key Management Service (KMS) API (cloudkms.googleapis.com) is not enabled in the Google Cloud project 987654321098'
    )
    expect(run.stderr).toContain('gcloud services enable cloudkms.googleapis.com --project 987654321098')
    expect(run.stderr).not.toMatch(/roles\/cloudkms|add-iam-policy-binding/)
    expectNoCredentials(run)
  })

  it('a hostile error answer is quoted inert: no workflow command, no setting mark, one line', async () => {
    const target = `cloudkms.googleapis.com/v1/${RS256}/publicKey`
    const message = 'denied\n::error::injected\r##[warning]legacy ##vso[task.setvariable variable=X]1 {{private-key}}'
    gcp.failNext(target, {
      status: 403,
      body: JSON.stringify({ error: { code: 403, status: 'PERMISSION_DENIED', message } })
    })
    const run = await runChecked(sandbox, inputs(), {
      env: { ...network(), GOOGLE_APPLICATION_CREDENTIALS: keyFile() }
    })
    expect(run.errors).toHaveLength(1)
    expect(run.warnings).toEqual([])
    expect(run.errors[0]).toContain(
      'denied ::error::injected # #[warning]legacy # #vso[task.setvariable variable=X]1 { {private-key}}'
    )
    expect(run.errors[0].split('\n')[0]).toContain('HTTP 403 PERMISSION_DENIED: denied')
    expect(run.exportedEnv).toEqual({})
  })

  it('KMS answering 503 on every attempt: unavailable (exit 5), after max-attempts', async () => {
    const before = tokenRequests()
    const target = `cloudkms.googleapis.com/v1/${RS256}/publicKey`
    const busy = {
      status: 503,
      body: '{"error":{"code":503,"message":"The service is currently unavailable.","status":"UNAVAILABLE"}}',
      headers: { 'Retry-After': '0' }
    }
    gcp.failNext(target, busy, busy)
    const run = await runChecked(sandbox, inputs(RS256, { 'max-attempts': '2' }), {
      env: { ...network(), GOOGLE_APPLICATION_CREDENTIALS: keyFile() }
    })
    expect(run.errors[0]).toMatch(
      /answered the public key request for Google Cloud KMS key .* with HTTP 503 UNAVAILABLE: The service is currently unavailable\., after every attempt/
    )
    expect(
      gcp
        .requestsTo(target)
        .slice(-2)
        .map(r => r.status)
    ).toEqual([503, 503])
    gcp.failNext(target, { ...busy, status: 429 })
    const term = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(RS256, { GOOGLE_APPLICATION_CREDENTIALS: keyFile() }),
      keys: credentials()
    })
    expect(term.exitCode).toBe(5)
    expect(term.stderr).toMatch(/HTTP 429/)
    expect(tokenRequests()).toBe(before)
  })

  it("KMS unreachable (the proxy refuses the tunnel): unavailable (exit 5), named as Google's", async () => {
    const before = tokenRequests()
    const closed = await ConnectProxy.start({})
    await closed.close()
    const term = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(RS256, { GOOGLE_OAUTH_ACCESS_TOKEN: await accessToken(), HTTPS_PROXY: closed.url }),
      keys: credentials()
    })
    expect(term.exitCode).toBe(5)
    expect(term.stderr).toMatch(
      /Reading the public key of Google Cloud KMS key .* failed: Could not get an answer from https:\/\/cloudkms\.googleapis\.com\/v1\/.*publicKey/
    )
    expect(term.stderr).toMatch(
      /Check that this machine can reach cloudkms\.googleapis\.com .*DocuSign was not asked yet/
    )
    expect(tokenRequests()).toBe(before)
  })
})

// ---- credential_source.file: a GitLab job or a Kubernetes pod ----

describe('gcp-kms: an external_account file whose token is in a file (credential_source.file, text or json)', () => {
  let gitlab: GitHubOidcEmulator
  let gitlabProvider: WorkloadIdentityProvider
  beforeAll(async () => {
    gitlab = await GitHubOidcEmulator.start({ issuer: 'https://gitlab.com' })
    gitlabProvider = gcp.addWorkloadIdentityProvider({
      projectNumber: '123456789012',
      pool: 'gitlab',
      provider: 'gitlab-com',
      issuer: gitlab.trusted,
      attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.project_path': 'assertion.project_path' },
      attributeCondition: claims => claims.project_path === 'YOUR_ORG/YOUR_REPO'
    })
    gcp.grant(
      serviceAccountResource(SIGNER),
      gitlabProvider.principalSet('project_path', 'YOUR_ORG/YOUR_REPO'),
      'roles/iam.workloadIdentityUser'
    )
  })
  afterAll(async () => gitlab?.close())

  /** A GitLab job's id_tokens value (aud: the provider), as its claims say: sub project_path:…:ref_type:branch:ref:main. */
  const gitlabToken = (project = 'YOUR_ORG/YOUR_REPO') =>
    gitlab.mint(gitlabProvider.oidcAudience, {
      sub: `project_path:${project}:ref_type:branch:ref:main`,
      project_path: project
    })

  /** The token file, and the credentials file gcloud iam workload-identity-pools create-cred-config writes for it. */
  function fileCredentials(
    token: string,
    format: 'text' | 'json',
    options: { tokenPath?: string; serviceAccount?: string } = {}
  ): string {
    const tokenPath = options.tokenPath ?? join(dir, `gitlab-id-token-${Math.random().toString(16).slice(2)}`)
    if (!options.tokenPath)
      writeFileSync(tokenPath, format === 'json' ? JSON.stringify({ id_token: token }) : token, { mode: 0o600 })
    const path = join(dir, `cred-config-${Math.random().toString(16).slice(2)}.json`)
    writeFileSync(
      path,
      JSON.stringify({
        type: 'external_account',
        audience: gitlabProvider.audience,
        subject_token_type: JWT_TOKEN_TYPE,
        token_url: 'https://sts.googleapis.com/v1/token',
        service_account_impersonation_url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${options.serviceAccount ?? SIGNER}:generateAccessToken`,
        credential_source: {
          file: tokenPath,
          format: format === 'json' ? { type: 'json', subject_token_field_name: 'id_token' } : { type: 'text' }
        }
      }),
      { mode: 0o600 }
    )
    return path
  }

  const secrets = () => [...credentials(), ...gitlab.issued]

  it('the action, format text: the file token exchanged at STS, then the service account impersonated; no OIDC request', async () => {
    const token = await gitlabToken()
    const before = [gcp.requests.length, oidc.requests.length]
    const run = await runChecked(sandbox, inputs(), {
      env: { ...network(), GOOGLE_APPLICATION_CREDENTIALS: fileCredentials(token, 'text'), RUNNER_DEBUG: '1' }
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expectSignedByKms()
    expect(oidc.requests.length).toBe(before[1])
    const requests = gcp.requests.slice(before[0])
    expect(requests.map(r => r.host)).toEqual([
      'sts.googleapis.com',
      'iamcredentials.googleapis.com',
      'cloudkms.googleapis.com',
      'cloudkms.googleapis.com'
    ])
    expect(new URLSearchParams(requests[0].body).get('subject_token')).toBe(token)
    expect(new URLSearchParams(requests[0].body).get('audience')).toBe(gitlabProvider.audience)
    expect(uniq(sentTo(token))).toEqual(['sts.googleapis.com/v1/…'])
    maskedBefore(run.stdout, token, /POST https:\/\/sts\.googleapis\.com/)
    expectHidden(run, secrets())
  })

  it('the CLI, format json with subject_token_field_name', async () => {
    const token = await gitlabToken()
    const run = await cli(sandbox, ['token'], {
      env: cliEnv(RS256, { GOOGLE_APPLICATION_CREDENTIALS: fileCredentials(token, 'json') }),
      tokenOnStdout: true,
      keys: secrets()
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expectSignedByKms()
    expect(new URLSearchParams(gcp.requestsTo('sts.googleapis.com/v1/token').at(-1)!.body).get('subject_token')).toBe(
      token
    )
    expectHidden(run, secrets())
  })

  const FILE_FAILURES: { title: string; file: () => Promise<string>; exit: number; message: RegExp }[] = [
    {
      title: 'the token file does not exist',
      file: async () => fileCredentials('', 'text', { tokenPath: join(dir, 'no-such-token') }),
      exit: 2,
      message:
        /GOOGLE_APPLICATION_CREDENTIALS \(\S+\) names in credential_source\.file \(\S+no-such-token\) a file that does not exist\..*id_tokens/s
    },
    {
      title: 'the token file is a directory',
      file: async () => fileCredentials('', 'text', { tokenPath: dir }),
      exit: 2,
      message: /names in credential_source\.file \(\S+\) a file that cannot be read: it is a directory\./
    },
    {
      title: 'format json, and the field is not in the file',
      file: async () => {
        const tokenPath = join(dir, `other-field-${Math.random().toString(16).slice(2)}`)
        writeFileSync(tokenPath, JSON.stringify({ token: await gitlabToken() }), { mode: 0o600 })
        return fileCredentials('', 'json', { tokenPath })
      },
      exit: 2,
      message: /a file without a token in its JSON field id_token \(subject_token_field_name\)/
    },
    {
      title: "STS refuses a project the provider's attribute condition does not accept: the issuer and subject named",
      file: async () => fileCredentials(await gitlabToken('OTHER_GROUP/OTHER_PROJECT'), 'text'),
      exit: 4,
      message:
        /Google's Security Token Service \(sts\.googleapis\.com\) refused the job's OIDC token .*unauthorized_client.*its issuer https:\/\/gitlab\.com \(this token's\).*the subject project_path:OTHER_GROUP\/OTHER_PROJECT:ref_type:branch:ref:main/s
    },
    {
      // No repository claim in a GitLab token: the binding names the principal of its own subject.
      title: "a service account the GitLab project may not impersonate: the binding for this token's subject",
      file: async () => fileCredentials(await gitlabToken(), 'text', { serviceAccount: UNTRUSTED }),
      exit: 4,
      message: new RegExp(
        `did not let this job's federated identity impersonate service account ${UNTRUSTED}.*gcloud iam service-accounts add-iam-policy-binding ${UNTRUSTED} --role roles/iam\\.workloadIdentityUser --member principal://iam\\.googleapis\\.com/projects/123456789012/locations/global/workloadIdentityPools/gitlab/subject/project_path:YOUR_ORG/YOUR_REPO:ref_type:branch:ref:main \\(the provider maps google\\.subject=assertion\\.sub\\)`,
        's'
      )
    }
  ]

  for (const failure of FILE_FAILURES) {
    it(`${failure.title}: one error (action), exit ${failure.exit} (CLI)`, async () => {
      const before = tokenRequests()
      const file = await failure.file()
      const run = await runChecked(sandbox, inputs(), { env: { ...network(), GOOGLE_APPLICATION_CREDENTIALS: file } })
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(failure.message)
      expect(run.errors[0]).toContain('troubleshooting.md#signing-key')
      expectHidden(run, secrets())
      const term = await cli(sandbox, ['token'], {
        env: cliEnv(RS256, { GOOGLE_APPLICATION_CREDENTIALS: file }),
        keys: secrets()
      })
      expect(term.exitCode).toBe(failure.exit)
      expect(term.stderr).toMatch(failure.message)
      expectHidden(term, secrets())
      expect(tokenRequests()).toBe(before)
    })
  }
})

describe('a credentials file that is not a file', () => {
  it.each([
    ['a FIFO with no writer', (path: string) => execFileSync('mkfifo', [path]), /is not a JSON credentials file/],
    [
      'a device that never ends (/dev/zero)',
      (path: string) => symlinkSync('/dev/zero', path),
      /larger than a credentials file/
    ]
  ])('GOOGLE_APPLICATION_CREDENTIALS naming %s: exit 2 within --timeout-seconds', async (_name, make, message) => {
    const path = join(dir, `credentials-${Math.random().toString(16).slice(2)}`)
    make(path)
    const started = Date.now()
    const run = await cli(sandbox, ['token', '--timeout-seconds', '2'], {
      env: cliEnv(RS256, { GOOGLE_APPLICATION_CREDENTIALS: path }),
      keys: credentials(),
      killAfterMs: 20_000
    })
    expect(Date.now() - started).toBeLessThan(2000 + 2500)
    expect(run).toMatchObject({ exitCode: 2, stdout: '' })
    expect(run.stderr).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/)
    expect(run.stderr).toMatch(message)
  })
})
