/**
 * The AWS credential emulators (aws-sts.ts, aws-metadata.ts) against the AWS SDK for JavaScript v3's own
 * credential providers, in this process: the real web identity provider (fromTokenFile, STS through the
 * SDK's Query protocol client), the real container credentials provider (fromHttp) and the real
 * instance metadata provider (fromInstanceMetadata, IMDSv2) each get the credentials the emulators hand
 * out. What the product sends them is checked in signer-aws-chain.test.ts; this shows the emulators
 * answer as AWS does for the SDKs themselves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { fromHttp } from '@aws-sdk/credential-provider-http'
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity'
import { fromInstanceMetadata } from '@smithy/credential-provider-imds'
import { AwsMetadataEmulator } from '../emulator/aws-metadata.js'
import { AwsStsEmulator } from '../emulator/aws-sts.js'
import { GitHubOidcEmulator } from '../emulator/oidc.js'

const SUBJECT = 'project_path:YOUR_ORG/YOUR_REPO:ref_type:branch:ref:main'
const POD_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJl'

let sts: AwsStsEmulator
let metadata: AwsMetadataEmulator
let gitlab: GitHubOidcEmulator
let roleArn: string
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'aws-credential-emulators-'))
  gitlab = await GitHubOidcEmulator.start({ issuer: 'https://gitlab.com' })
  sts = await AwsStsEmulator.start()
  sts.addProvider(gitlab.trusted, ['sts.amazonaws.com'])
  roleArn = sts.addRole({
    name: 'docusign-jwt-signer',
    trust: { issuer: 'https://gitlab.com', audience: 'sts.amazonaws.com', subject: 'project_path:YOUR_ORG/YOUR_REPO:*' }
  })
  metadata = await AwsMetadataEmulator.start({
    instanceRole: 'docusign-runner',
    container: { path: '/v1/credentials', authorization: POD_TOKEN, roleArn }
  })
})

afterAll(async () => {
  await Promise.all([sts?.close(), metadata?.close(), gitlab?.close()])
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function tokenFile(claims: Record<string, unknown> = {}): Promise<string> {
  const path = join(dir, `token-${Math.random().toString(16).slice(2)}`)
  writeFileSync(path, await gitlab.mint('sts.amazonaws.com', { sub: SUBJECT, ...claims }), { mode: 0o600 })
  return path
}

const sdkSts = (file: string) =>
  fromTokenFile({
    webIdentityTokenFile: file,
    roleArn,
    roleSessionName: 'sdk-check',
    clientConfig: { region: 'us-east-1', endpoint: sts.url }
  })()

describe('STS AssumeRoleWithWebIdentity, as the AWS SDK for JavaScript v3 calls it', () => {
  it("fromTokenFile gets the role's credentials, parsed from the emulator's XML", async () => {
    const credentials = await sdkSts(await tokenFile())
    const issued = sts.issued.at(-1)!
    expect(credentials).toMatchObject({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken
    })
    expect(credentials.expiration!.getTime()).toBeGreaterThan(Date.now() + 3000_000)
    // The SDK does not sign it either: the request carries the token and no Authorization.
    const request = sts.requests.at(-1)!
    expect(request.headers.authorization).toBeUndefined()
    expect(new URLSearchParams(request.body).get('Action')).toBe('AssumeRoleWithWebIdentity')
  })

  it('its errors reach the SDK as the documented error codes and messages', async () => {
    await expect(
      sdkSts(await tokenFile({ sub: 'project_path:OTHER/REPO:ref_type:branch:ref:main' }))
    ).rejects.toMatchObject({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      $metadata: { httpStatusCode: 403 }
    })
    await expect(sdkSts(await tokenFile({ aud: 'other' }))).rejects.toMatchObject({
      name: 'InvalidIdentityTokenException',
      message: 'Incorrect token audience'
    })
    const now = Math.floor(Date.now() / 1000)
    await expect(sdkSts(await tokenFile({ iat: now - 900, exp: now - 60 }))).rejects.toMatchObject({
      name: 'ExpiredTokenException',
      message: expect.stringMatching(
        /^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/
      )
    })
  })
})

describe('container credentials and IMDSv2, as the AWS SDK for JavaScript v3 asks them', () => {
  it('fromHttp (EKS Pod Identity: full URI, token file) gets the credentials', async () => {
    const file = join(dir, 'eks-pod-identity-token')
    writeFileSync(file, POD_TOKEN, { mode: 0o600 })
    const credentials = await fromHttp({
      awsContainerCredentialsFullUri: `${metadata.url}/v1/credentials`,
      awsContainerAuthorizationTokenFile: file
    })()
    const issued = metadata.issued.at(-1)!
    expect(credentials).toMatchObject({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken
    })
    expect(metadata.requests.at(-1)!.headers.authorization).toBe(POD_TOKEN)
  })

  it('fromInstanceMetadata gets the instance role through IMDSv2 (token first, legacy credentials path)', async () => {
    const saved = process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
    process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = metadata.url
    const before = metadata.requests.length
    try {
      const credentials = await fromInstanceMetadata({ timeout: 1000, maxRetries: 0 })()
      const issued = metadata.issued.at(-1)!
      expect(credentials).toMatchObject({
        accessKeyId: issued.accessKeyId,
        secretAccessKey: issued.secretAccessKey,
        sessionToken: issued.sessionToken
      })
    } finally {
      if (saved === undefined) delete process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT
      else process.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = saved
    }
    const requests = metadata.requests.slice(before)
    expect(requests[0]).toMatchObject({ method: 'PUT', path: '/latest/api/token' })
    const token = metadata.imdsTokens.at(-1)
    expect(requests.slice(1).every(r => r.headers['x-aws-ec2-metadata-token'] === token)).toBe(true)
    expect(requests.at(-1)!.path).toBe('/latest/meta-data/iam/security-credentials/docusign-runner')
  })
})
