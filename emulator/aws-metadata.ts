/**
 * The two endpoints on a machine or in a task that hand AWS credentials to the AWS SDKs' default chain,
 * on loopback http (tests point AWS_EC2_METADATA_SERVICE_ENDPOINT and AWS_CONTAINER_CREDENTIALS_FULL_URI
 * here, as the SDKs allow). The AWS SDK for JavaScript v3's own providers (fromHttp,
 * fromInstanceMetadata) get their credentials from it in aws-credential-emulators.test.ts.
 *
 *   EC2 instance metadata, IMDSv2 (docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-instance-metadata-service.html,
 *   instancedata-data-retrieval.html, iam-roles-for-amazon-ec2.html "Retrieve security credentials from
 *   instance metadata"):
 *     PUT /latest/api/token, header X-aws-ec2-metadata-token-ttl-seconds (1 to 21600) → the token, text/plain;
 *       without the header 400; a request with X-Forwarded-For is refused (403), as IMDS refuses proxied ones
 *     GET /latest/meta-data/iam/security-credentials/ with X-aws-ec2-metadata-token → the role's name,
 *       404 when the instance has no instance profile; a missing or unknown token → 401
 *     GET /latest/meta-data/iam/security-credentials/ROLE → { Code: "Success", LastUpdated, Type: "AWS-HMAC",
 *       AccessKeyId, SecretAccessKey, Token, Expiration }
 *   Container credentials, the ECS task role and EKS Pod Identity (docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html,
 *   docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html; aws-sdk-js-v3
 *   packages/credential-provider-http/src/fromHttp/requestHelpers.ts):
 *     GET PATH (ECS: /v2/credentials/ID; EKS: /v1/credentials with Authorization: the pod's token) →
 *       { AccessKeyId, SecretAccessKey, Token, Expiration, RoleArn }; a wrong token → 4xx with
 *       { Code, Message } as the SDK reads it (the exact code is not verified)
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { CloudServer, type Answer, type CloudRequest } from './hosts.js'
import { listen } from './server.js'

export interface MetadataCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION, for the KMS emulator's AccessDeniedException. */
  principal: string
}

export interface MetadataOptions {
  /** The instance profile's role (none: the instance has no IAM role). */
  instanceRole?: string
  /** The container credentials path, and the Authorization it requires (EKS Pod Identity) if any. */
  container?: { path: string; authorization?: string; roleArn: string }
  /** Called with every set of credentials handed out (e.g. kms.addCredentials). */
  onIssue?: (credentials: MetadataCredentials) => void
}

const ACCOUNT = '111122223333'
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

export class AwsMetadataEmulator extends CloudServer {
  readonly url: string
  /** Every credential handed out and every IMDS session token, in order. */
  readonly issued: MetadataCredentials[] = []
  readonly imdsTokens: string[] = []

  private constructor(
    server: Server,
    port: number,
    private readonly options: MetadataOptions
  ) {
    super(server, port)
    this.url = `http://127.0.0.1:${port}`
  }

  static async start(options: MetadataOptions = {}): Promise<AwsMetadataEmulator> {
    const { server, port } = await listen()
    return new AwsMetadataEmulator(server, port, options)
  }

  get hosts(): Record<string, number> {
    return {}
  }

  private issue(roleName: string, session: string): MetadataCredentials {
    const credentials: MetadataCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`,
      principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`
    }
    this.issued.push(credentials)
    this.options.onIssue?.(credentials)
    return credentials
  }

  protected answer(request: CloudRequest): Answer {
    if (request.path.startsWith('/latest/')) return this.imds(request)
    const container = this.options.container
    if (container && request.path === container.path && request.method === 'GET') {
      if (container.authorization && request.headers.authorization !== container.authorization) {
        return {
          status: 403,
          body: { Code: 'AccessDeniedException', Message: 'Unable to validate the pod identity token' }
        } // (not verified)
      }
      const role = container.roleArn.split('/').pop() ?? 'role'
      const c = this.issue(role, randomUUID())
      return {
        status: 200,
        body: {
          RoleArn: container.roleArn,
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          Token: c.sessionToken,
          Expiration: iso(Date.now() + 6 * 3600_000)
        }
      }
    }
    return { status: 404, body: 'Not Found' }
  }

  private imds(request: CloudRequest): Answer {
    const text = (status: number, body: string): Answer => ({ status, body, headers: { 'Content-Type': 'text/plain' } })
    if (request.headers['x-forwarded-for']) return text(403, 'Forbidden')
    if (request.path === '/latest/api/token') {
      if (request.method !== 'PUT') return text(405, 'Method Not Allowed')
      const ttl = Number(request.headers['x-aws-ec2-metadata-token-ttl-seconds'])
      if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return text(400, 'Bad Request')
      const token = `AQAEA${randomBytes(36).toString('base64url')}==`
      this.imdsTokens.push(token)
      return text(200, token)
    }
    const token = request.headers['x-aws-ec2-metadata-token']
    if (typeof token !== 'string' || !this.imdsTokens.includes(token)) return text(401, 'Unauthorized')
    const base = '/latest/meta-data/iam/security-credentials/'
    const role = this.options.instanceRole
    if (request.path === base && request.method === 'GET') return role ? text(200, role) : text(404, 'Not Found')
    if (role && request.path === `${base}${role}` && request.method === 'GET') {
      const c = this.issue(role, `i-${randomBytes(8).toString('hex').slice(0, 17)}`)
      return {
        status: 200,
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify(
          {
            Code: 'Success',
            LastUpdated: iso(Date.now()),
            Type: 'AWS-HMAC',
            AccessKeyId: c.accessKeyId,
            SecretAccessKey: c.secretAccessKey,
            Token: c.sessionToken,
            Expiration: iso(Date.now() + 6 * 3600_000)
          },
          null,
          2
        )
      }
    }
    return text(404, 'Not Found')
  }
}
