import type { HttpResponse } from '../http.js'
import { quote } from '../outside.js'
import { setting } from '../settings.js'
import {
  credentialsOf,
  expiry,
  masked,
  stepError,
  stsEndpoint,
  type AwsSession,
  type ChainContext
} from './aws-credentials.js'
import { send, shownUrl, type Service } from './key-vault-http.js'
import { tokenClaims, tokenShape, type TokenClaims } from './oidc-token.js'
import { SignerError } from './signer.js'
import { shownFile } from '../credential-file.js'
import { readTokenFile } from './token-file.js'

/**
 * The chain's web identity step, as every AWS SDK reads it: the token in AWS_WEB_IDENTITY_TOKEN_FILE
 * (a GitLab job's id_tokens written to a file, a Kubernetes projected service-account token) swapped
 * for the role AWS_ROLE_ARN's temporary credentials with STS AssumeRoleWithWebIdentity: an unsigned
 * Query API call (POST, form-encoded Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn&
 * RoleSessionName&WebIdentityToken) answered in XML (docs.aws.amazon.com/STS/latest/APIReference/
 * API_AssumeRoleWithWebIdentity.html; errors: CommonErrors.html, the Query API's ErrorResponse).
 */

const STEP = 'web identity'
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/
/** STS errors a later request may not meet (besides 5xx and 429, which Http retries). */
const BUSY = new Set(['Throttling', 'IDPCommunicationError', 'ServiceUnavailable', 'InternalFailure'])

/** STS's XML answer: the text of a tag, entities decoded (the answer is never shown unquoted). */
function tag(xml: string, name: string): string | undefined {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1]
  return text
    ?.replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&')
}

export async function webIdentity(chain: ChainContext): Promise<AwsSession> {
  const { env, io } = chain.context
  const file = (env.AWS_WEB_IDENTITY_TOKEN_FILE ?? '').trim()
  const roleArn = (env.AWS_ROLE_ARN ?? '').trim()
  const fail = (kind: 'input' | 'refused' | 'unavailable' | 'malformed', problem: string, fix: string) =>
    stepError(kind, chain, STEP, problem, fix)
  const both =
    'Set AWS_WEB_IDENTITY_TOKEN_FILE to the file that holds the OIDC token (GitLab: write the id_tokens variable to a 0600 file; Kubernetes IRSA sets both) and AWS_ROLE_ARN to the role to assume (see docs/keyless.md).'
  if (!file || !roleArn) {
    throw fail(
      'input',
      `${file ? 'AWS_ROLE_ARN' : 'AWS_WEB_IDENTITY_TOKEN_FILE'} is not set; web identity needs both.`,
      both
    )
  }
  const account = ROLE_ARN.exec(roleArn)?.[1]
  if (!account) {
    throw fail(
      'input',
      'AWS_ROLE_ARN is not an IAM role ARN.',
      'Set it to the role to assume, such as arn:aws:iam::111122223333:role/docusign-jwt-signer.'
    )
  }
  const sessionName = (env.AWS_ROLE_SESSION_NAME ?? '').trim() || `docusign-jwt-${io.now()}`
  if (!SESSION_NAME.test(sessionName)) {
    throw fail(
      'input',
      'AWS_ROLE_SESSION_NAME is not a role session name (2 to 64 letters, digits and _+=,.@-).',
      'Set a name such as docusign-jwt, or unset it.'
    )
  }
  const shown = shownFile(file)
  let text: string
  try {
    text = readTokenFile(file, chain.context.http.timeoutMs)
  } catch (error) {
    throw fail('input', `AWS_WEB_IDENTITY_TOKEN_FILE (${shown}) ${(error as Error).message}.`, both)
  }
  const token = tokenShape(text)
  if (!token) {
    throw fail(
      'input',
      `AWS_WEB_IDENTITY_TOKEN_FILE (${shown}) holds no token (it is empty, or has spaces or line breaks inside).`,
      'Write the OIDC token alone to that file before this step (GitLab: printf %s "$ID_TOKEN" > file).'
    )
  }
  io.secret(token)

  const endpoint = stsEndpoint(chain)
  const service: Service = { name: 'AWS STS', endpointVariable: endpoint.variable, key: chain.key }
  const role = `the role ${roleArn}`
  let res: HttpResponse
  try {
    ;({ res } = await send(
      chain.context.http,
      {
        method: 'POST',
        url: endpoint.url.href,
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: () =>
          Promise.resolve(
            new URLSearchParams({
              Action: 'AssumeRoleWithWebIdentity',
              Version: '2011-06-15',
              RoleArn: roleArn,
              RoleSessionName: sessionName,
              WebIdentityToken: token
            }).toString()
          )
      },
      service
    ))
  } catch (error) {
    if (!(error instanceof SignerError)) throw error
    throw fail(error.kind as 'unavailable', `assuming ${role}: ${error.template.problem}`, error.template.fix)
  }
  const sts = `AWS STS at ${shownUrl(endpoint.url)}`
  const xml = /^\s*</.test(res.body) ? res.body : ''
  if (res.status === 200) {
    const result = xml.includes('<AssumeRoleWithWebIdentityResult>')
      ? credentialsOf(
          {
            AccessKeyId: tag(xml, 'AccessKeyId'),
            SecretAccessKey: tag(xml, 'SecretAccessKey'),
            SessionToken: tag(xml, 'SessionToken')
          },
          'SessionToken'
        )
      : undefined
    if (!result) {
      throw fail(
        'malformed',
        `${sts} answered AssumeRoleWithWebIdentity for ${role} without credentials.`,
        `Check ${endpoint.variable} (it should name AWS STS itself) and HTTPS_PROXY/NO_PROXY; if it persists, try again later.`
      )
    }
    masked(chain, result)
    const assumed = quote(tag(xml, 'Arn'), 200)
    io.debug(`AWS credential chain: web identity, ${assumed || role}${expiry(tag(xml, 'Expiration'))}`)
    return {
      ...result,
      source: `web identity (${role}, the token in AWS_WEB_IDENTITY_TOKEN_FILE)`,
      renew: `The session of ${role} from web identity has ended: run the job again, or write a fresh token to AWS_WEB_IDENTITY_TOKEN_FILE right before this step.`
    }
  }
  const code = quote(tag(xml, 'Code'), 60)
  const message = quote(tag(xml, 'Message'), 300)
  const said = code ? `${code}${message ? `: ${message}` : ''}` : `HTTP ${res.status}`
  if (res.status >= 500 || res.status === 429 || BUSY.has(code)) {
    throw fail(
      'unavailable',
      `${sts} answered AssumeRoleWithWebIdentity for ${role} with HTTP ${res.status} (${said}).`,
      `Try again later; raise ${setting('max-attempts')} to wait longer.`
    )
  }
  if (!code) {
    throw fail(
      'malformed',
      `${sts} answered AssumeRoleWithWebIdentity for ${role} with HTTP ${res.status} and no STS error.`,
      `Check ${endpoint.variable} (it should name AWS STS itself) and HTTPS_PROXY/NO_PROXY.`
    )
  }
  throw fail(
    'refused',
    `${sts} refused the token from AWS_WEB_IDENTITY_TOKEN_FILE for ${role} (${said}).`,
    fixFor(code, message, tokenClaims(token), roleArn, account)
  )
}

/** What the role's trust policy, the account's OIDC provider or the token needs, per STS error. */
function fixFor(code: string, message: string, claims: TokenClaims, roleArn: string, account: string): string {
  const host = claims.issuer?.replace(/^https:\/\//, '').replace(/\/$/, '') ?? 'ISSUER_HOST'
  // The role's partition (aws, aws-cn, aws-us-gov) and account hold the provider.
  const provider = `arn:${roleArn.split(':')[1]}:iam::${account}:oidc-provider/${host}`
  const audience = claims.audience ?? 'AUDIENCE'
  const subject = claims.subject ?? 'SUBJECT'
  const trust = `The trust policy of ${roleArn} must allow sts:AssumeRoleWithWebIdentity to the Federated principal ${provider}, with the conditions StringEquals "${host}:aud": "${audience}" and StringLike "${host}:sub": "${subject}" (this token's audience and subject; see docs/keyless.md).`
  if (code === 'InvalidIdentityToken' && /No OpenIDConnect provider/i.test(message)) {
    return `Create the account's OIDC provider for this token's issuer: aws iam create-open-id-connect-provider --url https://${host} --client-id-list ${audience}. ${trust}`
  }
  if (code === 'InvalidIdentityToken' && /audience/i.test(message)) {
    return `Add the token's audience ${audience} to the OIDC provider ${provider} (aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider} --client-id ${audience}), or issue the token for an audience the provider lists (GitLab: id_tokens: …: aud:).`
  }
  if (code === 'InvalidIdentityToken') {
    return `STS could not verify the token with its issuer's keys: check that https://${host}/.well-known/openid-configuration is reachable from AWS, and that the file holds the token itself. ${trust}`
  }
  if (code === 'ExpiredTokenException') {
    return 'The token in AWS_WEB_IDENTITY_TOKEN_FILE has expired: write it right before this step (GitLab id_tokens live as long as the job; a Kubernetes projected token is refreshed by the kubelet, so point at its mounted path, not a copy).'
  }
  if (code === 'AccessDenied' || code === 'IDPRejectedClaim') return trust
  if (code === 'RegionDisabledException') {
    return 'STS is not active in this region for the account: activate it (IAM > Account settings > Security Token Service regions) or point AWS_ENDPOINT_URL_STS at an active region.'
  }
  if (code === 'ValidationError' || code === 'InvalidParameterValue') {
    return 'Check AWS_ROLE_ARN (an IAM role ARN) and AWS_ROLE_SESSION_NAME (2 to 64 letters, digits and _+=,.@-).'
  }
  return trust
}
