/**
 * signing-key: aws-kms:… with the AWS SDKs' default credential chain beyond the environment, through the
 * built action and the built CLI: web identity (a GitLab-style id_tokens file and AWS_ROLE_ARN, STS
 * AssumeRoleWithWebIdentity at the key region's STS host through the CONNECT proxy, or at
 * AWS_ENDPOINT_URL_STS), container credentials (EKS Pod Identity's full URI and token file, ECS's
 * relative URI), and the EC2 instance role (IMDSv2). The temporary credentials each step hands out are
 * accepted by the KMS emulator (SigV4 verified); every one of them, and every token read or fetched on
 * the way, is a secret: masked, and shown nowhere.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { AwsKmsEmulator, type KmsKey } from '../emulator/aws-kms.js'
import { AwsMetadataEmulator } from '../emulator/aws-metadata.js'
import { AwsStsEmulator } from '../emulator/aws-sts.js'
import { cloudPki, routes } from '../emulator/hosts.js'
import { GitHubOidcEmulator } from '../emulator/oidc.js'
import { ConnectProxy } from '../emulator/proxy.js'
import type { RunResult } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { cli, type CliRun } from './helpers/cli.js'
import { expectHidden, runChecked } from './helpers/leaks.js'

const registered: KeyObject = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
const GITLAB = 'https://gitlab.com'
const SUBJECT = 'project_path:YOUR_ORG/YOUR_REPO:ref_type:branch:ref:main'
const AUDIENCE = 'sts.amazonaws.com'
const POD_TOKEN = `eyJhbGciOiJSUzI1NiJ9.${randomBytes(48).toString('base64url')}.${randomBytes(64).toString('base64url')}`

let sandbox: Sandbox
let kms: AwsKmsEmulator
let key: KmsKey
let sts: AwsStsEmulator
let plainSts: AwsStsEmulator
let proxy: ConnectProxy
let gitlab: GitHubOidcEmulator
let github: GitHubOidcEmulator
let metadata: AwsMetadataEmulator
let bareInstance: AwsMetadataEmulator
let roleArn: string
let noKmsRole: string
let dir: string
let caFile: string
let podTokenFile: string
let fifo: string
let loop: string

/** Credentials a step handed out become KMS's; the role no-kms may do nothing with the key. */
const accept = (c: { accessKeyId: string; secretAccessKey: string; sessionToken: string; principal: string }) =>
  kms.addCredentials({ ...c, allow: c.principal.includes('/no-kms/') ? [] : undefined })

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'signer-aws-chain-'))
  const pki = cloudPki(['sts.us-east-1.amazonaws.com'])
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, pki.caCert)
  fifo = join(dir, 'token-fifo')
  execFileSync('mkfifo', [fifo])
  loop = join(dir, 'token-loop')
  symlinkSync(loop, loop)
  podTokenFile = join(dir, 'eks-pod-identity-token')
  writeFileSync(podTokenFile, POD_TOKEN, { mode: 0o600 })

  sandbox = await startSandbox({ privateKey: registered.export({ type: 'pkcs1', format: 'pem' }).toString() })
  kms = await AwsKmsEmulator.start()
  key = kms.addKey({ keySpec: 'RSA_2048', privateKey: registered })
  ;[sts, plainSts] = await Promise.all([
    AwsStsEmulator.start({ pki, onIssue: accept }),
    AwsStsEmulator.start({ onIssue: accept })
  ])
  gitlab = await GitHubOidcEmulator.start({ issuer: GITLAB })
  github = await GitHubOidcEmulator.start()
  for (const s of [sts, plainSts]) {
    s.addProvider(gitlab.trusted, [AUDIENCE])
    roleArn = s.addRole({
      name: 'docusign-jwt-signer',
      trust: { issuer: GITLAB, audience: AUDIENCE, subject: SUBJECT }
    })
    noKmsRole = s.addRole({ name: 'no-kms', trust: { issuer: GITLAB, audience: AUDIENCE, subject: SUBJECT } })
  }
  proxy = await ConnectProxy.start(routes(sts))
  metadata = await AwsMetadataEmulator.start({
    instanceRole: 'docusign-runner',
    container: {
      path: '/v1/credentials',
      authorization: POD_TOKEN,
      roleArn: 'arn:aws:iam::111122223333:role/docusign-pod'
    },
    onIssue: accept
  })
  bareInstance = await AwsMetadataEmulator.start()
})

afterAll(async () => {
  await Promise.all(
    [sandbox?.emulator, kms, sts, plainSts, proxy, gitlab, github, metadata, bareInstance].map(e => e?.close())
  )
  if (dir) rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => {
  sandbox.grantConsent()
})

// ---- helpers ----

/** A GitLab job's id_tokens value written to a 0600 file, as docs/keyless.md tells. */
async function tokenFile(claims: Record<string, unknown> = {}, from: GitHubOidcEmulator = gitlab): Promise<string> {
  const token = await from.mint(AUDIENCE, { sub: SUBJECT, ...claims })
  const path = join(dir, `id-token-${randomBytes(6).toString('hex')}`)
  writeFileSync(path, token, { mode: 0o600 })
  return path
}

/** No AWS credentials in the environment; KMS on loopback; a dead HTTP proxy the metadata requests must not use. */
const base = (): Record<string, string> => ({
  AWS_REGION: 'us-east-1',
  AWS_ENDPOINT_URL_KMS: kms.url,
  HTTP_PROXY: 'http://127.0.0.1:9',
  AWS_EC2_METADATA_DISABLED: 'true'
})
const webIdentity = async (extra: Record<string, string> = {}): Promise<Record<string, string>> => ({
  ...base(),
  HTTPS_PROXY: proxy.url,
  NODE_EXTRA_CA_CERTS: caFile,
  AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile(),
  AWS_ROLE_ARN: roleArn,
  ...extra
})
const podIdentity = (): Record<string, string> => ({
  ...base(),
  AWS_CONTAINER_CREDENTIALS_FULL_URI: `${metadata.url}/v1/credentials`,
  AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: podTokenFile
})
const instance = (at: AwsMetadataEmulator = metadata): Record<string, string> => ({
  ...base(),
  AWS_EC2_METADATA_DISABLED: '',
  AWS_EC2_METADATA_SERVICE_ENDPOINT: at.url
})

/** Every secret the cloud side has handed out or read so far. */
const secrets = (): string[] => [
  POD_TOKEN,
  ...gitlab.issued,
  ...github.issued,
  ...metadata.imdsTokens,
  ...bareInstance.imdsTokens,
  ...[...sts.issued, ...plainSts.issued, ...metadata.issued].flatMap(c => [c.secretAccessKey, c.sessionToken])
]

function action(env: Record<string, string>, inputs: Record<string, string> = {}): Promise<RunResult> {
  return runChecked(sandbox, { 'private-key': '', 'signing-key': `aws-kms:${key.arn}`, ...inputs }, { env })
}

function check(env: Record<string, string>, args: string[] = []): Promise<CliRun> {
  return cli(sandbox, ['check', ...args], {
    env: {
      DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
      DOCUSIGN_USER_ID: sandbox.userId,
      DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
      DOCUSIGN_SIGNING_KEY: `aws-kms:${key.arn}`,
      ...env
    },
    keys: secrets()
  })
}

/** The KMS requests since `from` were signed with these credentials (and nothing else reached KMS). */
function kmsSignedWith(from: number, c: { accessKeyId: string; sessionToken: string }): void {
  const requests = kms.requests.slice(from)
  expect(requests.map(r => [r.target, r.accessKeyId, r.sessionToken, r.status])).toEqual([
    ['TrentService.GetPublicKey', c.accessKeyId, c.sessionToken, 200],
    ['TrentService.Sign', c.accessKeyId, c.sessionToken, 200]
  ])
  for (const r of requests)
    expect(JSON.stringify(r)).not.toContain(secrets().find(s => s === c.sessionToken + 'x') ?? '\0')
}

const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token').length

// ---- sign-in ----

describe('the AWS credential chain beyond the environment: a full sign-in with no private key and no static keys', () => {
  it('web identity (a GitLab id_tokens file, AWS_ROLE_ARN): STS AssumeRoleWithWebIdentity at sts.REGION.amazonaws.com, unsigned', async () => {
    const env = await webIdentity({ RUNNER_DEBUG: '1' })
    const [stsBefore, kmsBefore] = [sts.requests.length, kms.requests.length]
    const run = await action(env)
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))

    const [assume, ...more] = sts.requests.slice(stsBefore)
    expect(more).toEqual([])
    expect(`${assume.method} ${assume.host}${assume.path}`).toBe('POST sts.us-east-1.amazonaws.com/')
    expect(assume.headers.authorization).toBeUndefined()
    expect(String(assume.headers['content-type'])).toMatch(/^application\/x-www-form-urlencoded/)
    const form = Object.fromEntries(new URLSearchParams(assume.body))
    expect(form).toEqual({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: roleArn,
      RoleSessionName: expect.stringMatching(/^docusign-jwt-\d{13}$/),
      WebIdentityToken: gitlab.issued.at(-1)
    })
    const issued = sts.issued.at(-1)!
    kmsSignedWith(kmsBefore, issued)
    expect(run.masks).toEqual(
      expect.arrayContaining([gitlab.issued.at(-1), issued.secretAccessKey, issued.sessionToken])
    )
    expect(run.log).toContain(`AWS credential chain: web identity, ${issued.principal}`)
    expectHidden(run, secrets())
  })

  it('web identity with the CLI, at AWS_ENDPOINT_URL_STS, with AWS_ROLE_SESSION_NAME', async () => {
    const before = plainSts.requests.length
    const run = await check(
      await webIdentity({ AWS_ENDPOINT_URL_STS: plainSts.url, AWS_ROLE_SESSION_NAME: 'gitlab-pipeline-42' })
    )
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    const requests = plainSts.requests.slice(before)
    expect(requests).toHaveLength(1)
    expect(new URLSearchParams(requests[0].body).get('RoleSessionName')).toBe('gitlab-pipeline-42')
    expect(plainSts.issued.at(-1)!.principal).toBe(
      'arn:aws:sts::111122223333:assumed-role/docusign-jwt-signer/gitlab-pipeline-42'
    )
    expectHidden(run, secrets())
  })

  it('container credentials (EKS Pod Identity: the full URI and the token file), never through HTTP_PROXY', async () => {
    const before = [metadata.requests.length, kms.requests.length]
    const run = await action({ ...podIdentity(), RUNNER_DEBUG: '1' })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const [get, ...more] = metadata.requests.slice(before[0])
    expect(more).toEqual([])
    expect([get.method, get.path, get.headers.authorization]).toEqual(['GET', '/v1/credentials', POD_TOKEN])
    kmsSignedWith(before[1], metadata.issued.at(-1)!)
    expect(run.masks).toEqual(expect.arrayContaining([POD_TOKEN, metadata.issued.at(-1)!.sessionToken]))
    expect(run.log).toContain('container credentials from')
    expectHidden(run, secrets())
  })

  it('container credentials with the CLI and AWS_CONTAINER_AUTHORIZATION_TOKEN', async () => {
    const run = await check({
      ...podIdentity(),
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: POD_TOKEN
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(metadata.requests.at(-1)!.headers.authorization).toBe(POD_TOKEN)
    expectHidden(run, secrets())
  })

  it('the EC2 instance role, IMDSv2: the token first, then the role, then its credentials, each with the token', async () => {
    const before = [metadata.requests.length, kms.requests.length]
    const run = await action({ ...instance(), RUNNER_DEBUG: '1' })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    const requests = metadata.requests.slice(before[0])
    expect(requests.map(r => `${r.method} ${r.path}`)).toEqual([
      'PUT /latest/api/token',
      'GET /latest/meta-data/iam/security-credentials/',
      'GET /latest/meta-data/iam/security-credentials/docusign-runner'
    ])
    expect(requests[0].headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600')
    const token = metadata.imdsTokens.at(-1)!
    expect(requests.slice(1).map(r => r.headers['x-aws-ec2-metadata-token'])).toEqual([token, token])
    kmsSignedWith(before[1], metadata.issued.at(-1)!)
    expect(run.log).toContain('AWS credential chain: the instance role docusign-runner')
    expectHidden(run, secrets())

    const term = await check(instance())
    expect(term.exitCode).toBe(0)
    expectHidden(term, secrets())
  })

  it('the environment comes first: with AWS_ACCESS_KEY_ID set, no other step is asked', async () => {
    const own = {
      accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64')
    }
    kms.addCredentials(own)
    const stsBefore = sts.requests.length
    const run = await check({
      ...(await webIdentity()),
      ...podIdentity(),
      AWS_ACCESS_KEY_ID: own.accessKeyId,
      AWS_SECRET_ACCESS_KEY: own.secretAccessKey
    })
    expect(run.exitCode).toBe(0)
    expect(sts.requests.length).toBe(stsBefore)
    expect(kms.requests.at(-1)!.accessKeyId).toBe(own.accessKeyId)
    expectHidden(run, [...secrets(), own.secretAccessKey])
  })
})

// ---- failures ----

interface Failure {
  title: string
  env: () => Promise<Record<string, string>> | Record<string, string>
  exit: number
  message: RegExp
  before?: () => void
}

const FAILURES: Failure[] = [
  {
    title: 'web identity: AWS_ROLE_ARN without AWS_WEB_IDENTITY_TOKEN_FILE',
    env: () => ({ ...base(), AWS_ROLE_ARN: roleArn }),
    exit: 2,
    message:
      /The AWS credential chain's web identity step failed for AWS KMS key \S+ \(us-east-1\): AWS_WEB_IDENTITY_TOKEN_FILE is not set; web identity needs both\..*0600 file/s
  },
  {
    title: 'web identity: a token file that does not exist',
    env: async () => ({ ...(await webIdentity()), AWS_WEB_IDENTITY_TOKEN_FILE: join(dir, 'missing') }),
    exit: 2,
    message: /web identity step failed .*AWS_WEB_IDENTITY_TOKEN_FILE \(\S+missing\) does not exist\./s
  },
  {
    title: 'web identity: a token file that is a directory',
    env: async () => ({ ...(await webIdentity()), AWS_WEB_IDENTITY_TOKEN_FILE: dir }),
    exit: 2,
    message: /AWS_WEB_IDENTITY_TOKEN_FILE \(\S+\) cannot be read: it is a directory\./
  },
  {
    title: 'web identity: a token file that is a FIFO with no writer (read without blocking: empty)',
    env: async () => ({ ...(await webIdentity()), AWS_WEB_IDENTITY_TOKEN_FILE: fifo }),
    exit: 2,
    message: /AWS_WEB_IDENTITY_TOKEN_FILE \(\S+\) holds no token/
  },
  {
    title: 'web identity: a token file that is a symlink loop',
    env: async () => ({ ...(await webIdentity()), AWS_WEB_IDENTITY_TOKEN_FILE: loop }),
    exit: 2,
    message: /AWS_WEB_IDENTITY_TOKEN_FILE \(\S+\) cannot be read: it is a loop of symbolic links\./
  },
  {
    title: 'web identity: AWS_ROLE_ARN that is no role ARN',
    env: async () => webIdentity({ AWS_ROLE_ARN: 'docusign-jwt-signer' }),
    exit: 2,
    message: /web identity step failed .*AWS_ROLE_ARN is not an IAM role ARN\..*arn:aws:iam::111122223333:role\//s
  },
  {
    title: "web identity: no OIDC provider for the token's issuer (InvalidIdentityToken)",
    env: async () => webIdentity({ AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile({}, github) }),
    exit: 4,
    message:
      /AWS STS at https:\/\/sts\.us-east-1\.amazonaws\.com refused the token from AWS_WEB_IDENTITY_TOKEN_FILE for the role arn:aws:iam::111122223333:role\/docusign-jwt-signer \(InvalidIdentityToken: No OpenIDConnect provider found in your account for https:\/\/token\.actions\.githubusercontent\.com\)\..*aws iam create-open-id-connect-provider --url https:\/\/token\.actions\.githubusercontent\.com --client-id-list sts\.amazonaws\.com/s
  },
  {
    title: 'web identity: a token for another audience (InvalidIdentityToken)',
    env: async () => webIdentity({ AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile({ aud: 'https://gitlab.com' }) }),
    exit: 4,
    message:
      /\(InvalidIdentityToken: Incorrect token audience\)\..*add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn arn:aws:iam::111122223333:oidc-provider\/gitlab\.com --client-id https:\/\/gitlab\.com/s
  },
  {
    title: "web identity: a branch the role's trust policy does not name (AccessDenied): the trust policy to write",
    env: async () =>
      webIdentity({
        AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile({
          sub: 'project_path:YOUR_ORG/YOUR_REPO:ref_type:branch:ref:feature'
        })
      }),
    exit: 4,
    message:
      /\(AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity\)\. The trust policy of arn:aws:iam::111122223333:role\/docusign-jwt-signer must allow sts:AssumeRoleWithWebIdentity to the Federated principal arn:aws:iam::111122223333:oidc-provider\/gitlab\.com, with the conditions StringEquals "gitlab\.com:aud": "sts\.amazonaws\.com" and StringLike "gitlab\.com:sub": "project_path:YOUR_ORG\/YOUR_REPO:ref_type:branch:ref:feature"/
  },
  {
    title: 'web identity: an expired token (ExpiredTokenException)',
    env: async () => {
      const now = Math.floor(Date.now() / 1000)
      return webIdentity({
        AWS_WEB_IDENTITY_TOKEN_FILE: await tokenFile({ iat: now - 900, nbf: now - 900, exp: now - 60 })
      })
    },
    exit: 4,
    message:
      /\(ExpiredTokenException: Token expired: current date\/time \d+ must be before the expiration date\/time \d+\)\..*write it right before this step/s
  },
  {
    title: 'web identity: STS answering 503 on every attempt',
    env: async () => webIdentity({ AWS_ENDPOINT_URL_STS: plainSts.url }),
    before: () =>
      plainSts.failNext('/', {
        status: 503,
        headers: { 'Content-Type': 'text/xml' },
        body: '<ErrorResponse><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>Service is unavailable</Message></Error></ErrorResponse>'
      }),
    exit: 5,
    message:
      /web identity step failed .*AWS STS at http:\/\/127\.0\.0\.1:\d+ answered AssumeRoleWithWebIdentity for the role \S+ with HTTP 503 \(ServiceUnavailable: Service is unavailable\)/s
  },
  {
    title: 'web identity: STS unreachable',
    env: async () => webIdentity({ AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9' }),
    exit: 5,
    message:
      /web identity step failed .*assuming the role \S+: AWS STS could not be reached .*ECONNREFUSED.*AWS_ENDPOINT_URL_STS/s
  },
  {
    title: 'web identity: the role may not use the key (KMS AccessDenied names the assumed role)',
    env: async () => webIdentity({ AWS_ROLE_ARN: noKmsRole }),
    exit: 4,
    message:
      /AWS KMS denied kms:GetPublicKey on AWS KMS key \S+ \(us-east-1\) to arn:aws:sts::111122223333:assumed-role\/no-kms\/docusign-jwt-\d+.*to the role of web identity \(the role arn:aws:iam::111122223333:role\/no-kms/s
  },
  {
    title: 'container credentials: a plain http endpoint off this machine',
    env: () => ({
      ...podIdentity(),
      AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://credentials.example.com/v1/credentials'
    }),
    exit: 2,
    message:
      /container credentials step failed .*AWS_CONTAINER_CREDENTIALS_FULL_URI is not a URL the AWS SDKs accept: https, or http to this machine .*169\.254\.170\.2.*169\.254\.170\.23/s
  },
  {
    title: 'container credentials: a token the endpoint refuses',
    env: () => ({
      ...podIdentity(),
      AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: '',
      AWS_CONTAINER_AUTHORIZATION_TOKEN: `${POD_TOKEN}x`
    }),
    exit: 4,
    message:
      /container credentials step failed .*the endpoint http:\/\/127\.0\.0\.1:\d+\/v1\/credentials \(AWS_CONTAINER_CREDENTIALS_FULL_URI\) refused the request \(HTTP 403: Unable to validate the pod identity token\).*list-pod-identity-associations/s
  },
  {
    title: 'container credentials: the token file is missing',
    env: () => ({ ...podIdentity(), AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: join(dir, 'no-token') }),
    exit: 2,
    message: /AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(\S+no-token\) does not exist\..*Pod Identity association/s
  },
  {
    title: 'the instance has no IAM role (IMDSv2 answers, no instance profile)',
    env: () => instance(bareInstance),
    exit: 2,
    message:
      /EC2 instance metadata \(IMDSv2\) step failed .*this EC2 instance has no IAM role .*aws ec2 associate-iam-instance-profile --instance-id INSTANCE_ID --iam-instance-profile Name=PROFILE/s
  },
  {
    title:
      "the instance role's credentials refused by IMDS (Code AssumeRoleUnauthorizedAccess), the answer's body never quoted",
    env: () => instance(),
    before: () =>
      metadata.failNext('/latest/meta-data/iam/security-credentials/docusign-runner', {
        status: 200,
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({
          Code: 'AssumeRoleUnauthorizedAccess',
          Message: 'EC2 cannot assume the role docusign-runner.',
          LastUpdated: '2026-12-06T07:00:00Z'
        })
      }),
    exit: 4,
    message:
      /EC2 instance metadata \(IMDSv2\) step failed .*gave no credentials for the instance role docusign-runner \(Code AssumeRoleUnauthorizedAccess: EC2 cannot assume the role docusign-runner\.\)\..*aws iam get-role --role-name docusign-runner.*trust ec2\.amazonaws\.com/s
  },
  {
    title: "an instance metadata service that never answers: the SDKs' 1 s limit, then no source found",
    env: () => instance(),
    before: () => metadata.failNext('/latest/api/token', { hang: true }),
    exit: 2,
    message:
      /found none: .*no EC2 instance metadata service answered a token request at http:\/\/127\.0\.0\.1:\d+ \(no answer within 1 s/s
  },
  {
    title: 'STS answering 200 with a page that is not its XML',
    env: async () => webIdentity({ AWS_ENDPOINT_URL_STS: plainSts.url }),
    before: () =>
      plainSts.failNext('/', { status: 200, headers: { 'Content-Type': 'text/html' }, body: '<html>portal</html>' }),
    exit: 5,
    message:
      /AWS STS at http:\/\/127\.0\.0\.1:\d+ answered AssumeRoleWithWebIdentity for the role \S+ without credentials\..*AWS_ENDPOINT_URL_STS/s
  },
  {
    title: 'nothing configured and no instance metadata service: every step named',
    env: () => ({ ...instance(), AWS_EC2_METADATA_SERVICE_ENDPOINT: 'http://127.0.0.1:9' }),
    exit: 2,
    message:
      /needs AWS credentials, and the AWS credential chain found none: no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, no AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, no AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, and no EC2 instance metadata service answered a token request at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED.*hop-limit 2\).*configure-aws-credentials/s
  }
]

describe('AWS credential chain failures: the step, the role or endpoint, the fix; DocuSign never asked', () => {
  for (const failure of FAILURES) {
    it(`${failure.title}: one error (action), exit ${failure.exit} (CLI)`, async () => {
      const before = tokenRequests()
      failure.before?.()
      const run = await action(await failure.env(), { 'max-attempts': '1' })
      expect(run.exitCode).toBe(1)
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(failure.message)
      expect(run.errors[0]).toContain('troubleshooting.md#signing-key')
      expectHidden(run, secrets())

      failure.before?.()
      const term = await check(await failure.env(), ['--max-attempts', '1'])
      expect(term.exitCode).toBe(failure.exit)
      expect(term.stderr).toMatch(failure.message)
      expect(term.stderr).not.toMatch(/DocuSign (refused|answered)/)
      expectHidden(term, secrets())
      expect(tokenRequests()).toBe(before)
    })
  }

  it("container credentials: ECS's relative URI is asked at 169.254.170.2, never through HTTP_PROXY", async () => {
    // Nothing here serves ECS's link-local address: it times out, or the sandbox's network refuses it.
    const run = await check({
      ...base(),
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7'
    })
    expect([4, 5]).toContain(run.exitCode)
    expect(run.stderr).toMatch(
      /The AWS credential chain's container credentials step failed for AWS KMS key \S+ \(us-east-1\): the endpoint http:\/\/169\.254\.170\.2\/v2\/credentials\/0f1e2d3c-4b5a-6978-8091-a2b3c4d5e6f7 \(AWS_CONTAINER_CREDENTIALS_RELATIVE_URI\) (gave no credentials after 4 attempts|refused the request)/
    )
    expect(run.stderr).not.toMatch(/127\.0\.0\.1:9/)
  }, 30_000)

  it('a hostile STS error is quoted inert: no workflow command, one line', async () => {
    plainSts.failNext('/', {
      status: 403,
      headers: { 'Content-Type': 'text/xml' },
      body: '<ErrorResponse><Error><Code>AccessDenied</Code><Message>no\n::error::injected ##vso[task.setvariable variable=X]1</Message></Error></ErrorResponse>'
    })
    const run = await action(await webIdentity({ AWS_ENDPOINT_URL_STS: plainSts.url }))
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain('AccessDenied: no ::error::injected # #vso[task.setvariable variable=X]1')
    expect(run.exportedEnv).toEqual({})
  })
})
