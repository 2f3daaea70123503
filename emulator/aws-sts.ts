/**
 * AWS STS, AssumeRoleWithWebIdentity only: what a job with a web identity token (a GitLab job's
 * id_tokens, a Kubernetes projected service-account token, GitHub's OIDC token) calls to get a role's
 * temporary credentials. On loopback, http, or https for the regional host names (sts.REGION.amazonaws.com)
 * reached through the CONNECT proxy with `cloudPki()`'s CA.
 *
 * The AWS SDK for JavaScript v3's own web identity provider (fromTokenFile, its STS Query client) gets
 * credentials and the documented errors from it in aws-credential-emulators.test.ts.
 *
 * Sources followed:
 * - The request: docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html (Query
 *   API: POST /, form-encoded Action=AssumeRoleWithWebIdentity, Version=2011-06-15, RoleArn,
 *   RoleSessionName, WebIdentityToken, optional DurationSeconds; the call is not signed), and
 *   aws-sdk-js-v3 clients/client-sts/src/protocols/Aws_query.ts (se_AssumeRoleWithWebIdentityCommand:
 *   `content-type: application/x-www-form-urlencoded`, no Authorization).
 * - The answer: the same page's example, <AssumeRoleWithWebIdentityResponse xmlns=
 *   "https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult> with
 *   SubjectFromWebIdentityToken, Audience, AssumedRoleUser (Arn, AssumedRoleId), Credentials
 *   (SessionToken, SecretAccessKey, Expiration, AccessKeyId), Provider; ResponseMetadata/RequestId.
 * - Errors: the Query API's <ErrorResponse><Error><Type>Sender</Type><Code/><Message/></Error>
 *   <RequestId/></ErrorResponse> (CommonErrors.html; Aws_query.ts loadQueryErrorCode reads Error.Code).
 *   mozilla-iam/mozilla-aws-cli#146 quotes one such answer of STS whole. Texts as AWS answers them:
 *   "Not authorized to perform sts:AssumeRoleWithWebIdentity" (AccessDenied, 403;
 *   aws-actions/configure-aws-credentials#318, aws/aws-sdk-net#1522), "No OpenIDConnect provider found in
 *   your account for https://…" (InvalidIdentityToken, 400; configure-aws-credentials#280, #721), "Incorrect
 *   token audience" (InvalidIdentityToken, 400; quoted in IRSA and GitLab troubleshooting notes), "Token
 *   expired: current date/time N must be before the expiration date/time N" (ExpiredTokenException, 400;
 *   aws/aws-sdk-java-v2#5709, awslabs/aws-orbit-workbench#771). Others are marked "(not verified)".
 * - Trust policies: IAM's condition keys for OIDC providers, HOST:aud and HOST:sub
 *   (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html), StringLike
 *   with * and ? wildcards.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { Server } from 'node:http'
import { compactVerify, createLocalJWKSet, decodeJwt, type JWTPayload } from 'jose'
import { CloudServer, fields, type Answer, type CloudRequest } from './hosts.js'
import type { TrustedIssuer } from './oidc.js'
import { listen } from './server.js'
import type { TestPki } from './tls.js'

const XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/'
const DEFAULT_ACCOUNT = '111122223333'

export interface WebIdentityRole {
  /** The role's name; its ARN is arn:aws:iam::ACCOUNT:role/NAME. */
  name: string
  account?: string
  /** The trust policy: one Allow statement, Federated oidc-provider/HOST, StringEquals HOST:aud, StringLike HOST:sub. */
  trust: { issuer: string; audience: string; subject: string }
}

/** Temporary credentials STS handed out, for the KMS emulator to accept. */
export interface IssuedCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  /** arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION */
  principal: string
  account: string
}

export interface StsOptions {
  region?: string
  /** Serve HTTPS for sts.REGION.amazonaws.com with this PKI (reached through the proxy). */
  pki?: TestPki
  /** Called with every set of credentials issued (e.g. kms.addCredentials). */
  onIssue?: (credentials: IssuedCredentials) => void
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** IAM's StringLike: * any run of characters, ? one character. */
const like = (pattern: string, value: string): boolean =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`
  ).test(value)

export class AwsStsEmulator extends CloudServer {
  /** Every set of credentials issued, in order. */
  readonly issued: IssuedCredentials[] = []
  /** The host name it answers for: sts.REGION.amazonaws.com. */
  readonly host: string
  private readonly providers: (TrustedIssuer & { audiences: string[]; account: string })[] = []
  private readonly roles = new Map<string, WebIdentityRole & { account: string }>()

  private constructor(
    server: Server,
    port: number,
    /** http://127.0.0.1:PORT, or https://sts.REGION.amazonaws.com through the proxy. */
    readonly url: string,
    readonly region: string,
    private readonly options: StsOptions
  ) {
    super(server, port)
    this.host = `sts.${region}.amazonaws.com`
  }

  static async start(options: StsOptions = {}): Promise<AwsStsEmulator> {
    const region = options.region ?? 'us-east-1'
    const { server, port } = await listen({ tls: options.pki })
    const url = options.pki ? `https://sts.${region}.amazonaws.com` : `http://127.0.0.1:${port}`
    return new AwsStsEmulator(server, port, url, region, options)
  }

  get hosts(): Record<string, number> {
    return { [this.host]: this.port }
  }

  /** An IAM OIDC identity provider in the account: the issuer, its keys, its client IDs (audiences). */
  addProvider(issuer: TrustedIssuer, audiences: string[], account = DEFAULT_ACCOUNT): void {
    this.providers.push({ ...issuer, audiences, account })
  }

  /** A role web identities may assume; returns its ARN. */
  addRole(role: WebIdentityRole): string {
    const account = role.account ?? DEFAULT_ACCOUNT
    const arn = `arn:aws:iam::${account}:role/${role.name}`
    this.roles.set(arn, { ...role, account })
    return arn
  }

  private error(status: number, code: string, message: string): Answer {
    return {
      status,
      headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() },
      body: `<ErrorResponse xmlns="${XMLNS}">\n  <Error>\n    <Type>Sender</Type>\n    <Code>${code}</Code>\n    <Message>${escape(message)}</Message>\n  </Error>\n  <RequestId>${randomUUID()}</RequestId>\n</ErrorResponse>\n`
    }
  }

  protected async answer(request: CloudRequest): Promise<Answer> {
    if (request.method !== 'POST' || request.path !== '/') return this.error(404, 'NotFound', 'Not Found') // (not verified)
    if (request.headers.authorization) {
      // The web identity call is unsigned; a signed one would name the caller's own credentials.
      return this.error(400, 'InvalidRequest', 'AssumeRoleWithWebIdentity is not signed') // (not verified)
    }
    const f = fields(request) as Record<string, string | undefined>
    if (f.Action !== 'AssumeRoleWithWebIdentity' || f.Version !== '2011-06-15') {
      return this.error(
        400,
        'InvalidAction',
        `Could not find operation ${f.Action ?? ''} for version ${f.Version ?? ''}`
      )
    }
    const arn = f.RoleArn ?? ''
    if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) {
      return this.error(400, 'ValidationError', `${arn} is invalid`) // (not verified)
    }
    if (!/^[\w+=,.@-]{2,64}$/.test(f.RoleSessionName ?? '')) {
      return this.error(
        400,
        'ValidationError',
        "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*"
      )
    }
    let claims: JWTPayload
    try {
      claims = decodeJwt(f.WebIdentityToken ?? '')
    } catch {
      return this.error(
        400,
        'InvalidIdentityToken',
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'
      ) // (not verified)
    }
    const iss = String(claims.iss ?? '')
    const provider = this.providers.find(p => p.issuer === iss && p.account === arn.split(':')[4])
    if (!provider)
      return this.error(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`)
    const audiences = Array.isArray(claims.aud) ? claims.aud : [String(claims.aud ?? '')]
    if (!audiences.some(a => provider.audiences.includes(a)))
      return this.error(400, 'InvalidIdentityToken', 'Incorrect token audience')
    try {
      await compactVerify(f.WebIdentityToken!, createLocalJWKSet(provider.jwks), { algorithms: ['RS256'] })
    } catch {
      return this.error(400, 'InvalidIdentityToken', 'Signature verification failed') // (not verified)
    }
    const now = Math.floor(Date.now() / 1000)
    if (typeof claims.exp !== 'number' || claims.exp <= now) {
      return this.error(
        400,
        'ExpiredTokenException',
        `Token expired: current date/time ${now} must be before the expiration date/time ${claims.exp ?? 0}`
      )
    }
    const role = this.roles.get(arn)
    const host = iss.replace(/^https:\/\//, '')
    const trusted =
      role &&
      role.trust.issuer === iss &&
      audiences.includes(role.trust.audience) &&
      like(role.trust.subject, String(claims.sub ?? ''))
    if (!role || !trusted)
      return this.error(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity')
    const session = f.RoleSessionName!
    const issued: IssuedCredentials = {
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: `IQoJb3JpZ2luX2VjE${randomBytes(96).toString('base64')}`,
      principal: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${session}`,
      account: role.account
    }
    this.issued.push(issued)
    this.options.onIssue?.(issued)
    const expiration = new Date((now + Number(f.DurationSeconds ?? 3600)) * 1000)
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z')
    const roleId = `AROA${randomBytes(8).toString('hex').toUpperCase()}`
    return {
      status: 200,
      headers: { 'Content-Type': 'text/xml', 'x-amzn-RequestId': randomUUID() },
      body: `<AssumeRoleWithWebIdentityResponse xmlns="${XMLNS}">
  <AssumeRoleWithWebIdentityResult>
    <Audience>${escape(audiences[0])}</Audience>
    <AssumedRoleUser>
      <AssumedRoleId>${roleId}:${escape(session)}</AssumedRoleId>
      <Arn>${escape(issued.principal)}</Arn>
    </AssumedRoleUser>
    <Provider>${escape(host)}</Provider>
    <Credentials>
      <AccessKeyId>${issued.accessKeyId}</AccessKeyId>
      <SecretAccessKey>${issued.secretAccessKey}</SecretAccessKey>
      <SessionToken>${issued.sessionToken}</SessionToken>
      <Expiration>${expiration}</Expiration>
    </Credentials>
    <SubjectFromWebIdentityToken>${escape(String(claims.sub ?? ''))}</SubjectFromWebIdentityToken>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>${randomUUID()}</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`
    }
  }
}
