import { VISIBLE_ASCII } from '../http.js'
import { quote } from '../outside.js'
import { endpointUrl, requireHeaderSafe, type Service } from './key-vault-http.js'
import { SignerError, type SignerContext } from './signer.js'
import { forCiSystem } from '../ci-system.js'

/**
 * The AWS SDKs' default credential chain, in their order, as far as a CI job meets it: environment
 * variables; web identity (a token file and a role, STS AssumeRoleWithWebIdentity); container
 * credentials (ECS, EKS Pod Identity); the EC2 instance role (IMDSv2). The first step that is
 * configured answers; a configured step that fails ends the chain with its own error (the SDKs do
 * the same), naming the step, the role or endpoint, and the fix. Each step past the first is loaded
 * only when reached. Every secret (the secret access key, the session token, the tokens read or
 * fetched on the way) is masked before anything could show it.
 */

interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

export interface AwsSession extends AwsCredentials {
  /** The chain's step that gave them, for messages: "web identity (role arn:…)". */
  source: string
  /** What to do when KMS does not know them (or says they expired, unless `expired` says otherwise). */
  renew: string
  expired?: string
}

/** What every step gets: the run's context, the key's region, and how messages name the key. */
export interface ChainContext {
  context: SignerContext
  region: string
  key: string
}

const GITHUB_LOGIN =
  'aws-actions/configure-aws-credentials before this step, with role-to-assume (a role allowed kms:Sign and kms:GetPublicKey on the key) and aws-region, and give the job permissions: id-token: write'

/** Where AWS credentials come from on the CI system this run is on (docs/keyless.md has each). */
const awsSetup = (env: Record<string, string | undefined>): string =>
  forCiSystem(env, {
    github: `Add ${GITHUB_LOGIN} (see docs/keyless.md).`,
    gitlab:
      "In this GitLab job, write an id_tokens: token with aud: sts.amazonaws.com to a file (mode 0600), and set AWS_WEB_IDENTITY_TOKEN_FILE to that file and AWS_ROLE_ARN to a role allowed kms:Sign and kms:GetPublicKey on the key that trusts GitLab's issuer for this project (docs/keyless.md, 'GitLab CI').",
    azure:
      "On Azure Pipelines, give this step AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, in its env: (a secret variable reaches a step only that way); a self-hosted agent on EKS or EC2 can use its pod's or instance's role instead (docs/keyless.md, 'Kubernetes runners' and 'Self-hosted EC2 runners').",
    other: `On GitHub Actions, add ${GITHUB_LOGIN}. Elsewhere, export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (aws configure export-credentials --format env prints them), or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (GitLab id_tokens, Kubernetes IRSA). See docs/keyless.md.`
  })

/** The failure of a step of the chain: "The AWS credential chain's STEP step failed for KEY: PROBLEM". */
export function stepError(
  kind: 'input' | 'refused' | 'unavailable' | 'malformed',
  chain: ChainContext,
  step: string,
  problem: string,
  fix: string
): SignerError {
  return new SignerError(kind, `The AWS credential chain's ${step} step failed for ${chain.key}: ${problem}`, fix)
}

/** Registers the secret parts of credentials before anything could show them. */
export function masked(chain: ChainContext, credentials: AwsCredentials): AwsCredentials {
  for (const secret of [credentials.secretAccessKey, credentials.sessionToken])
    if (secret) chain.context.io.secret(secret)
  return credentials
}

/** An STS or metadata answer's credentials, or undefined when a field is missing or not a credential's shape. */
export function credentialsOf(
  fields: Record<string, unknown>,
  token: 'SessionToken' | 'Token'
): AwsCredentials | undefined {
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string).trim() : '')
  const accessKeyId = text('AccessKeyId')
  const secretAccessKey = text('SecretAccessKey')
  const sessionToken = text(token)
  const headerSafe = (value: string) => VISIBLE_ASCII.test(value) && value.length >= 16
  if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId) || !headerSafe(secretAccessKey) || !headerSafe(sessionToken))
    return undefined
  return { accessKeyId, secretAccessKey, sessionToken }
}

/** When credentials from a step expire, for a debug line: " (valid until …)", or ''. */
export function expiry(value: unknown): string {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? ` (valid until ${quote(value, 40)})` : ''
}

/** An AWS service's endpoint as the SDKs pick it: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, else the region's. */
export function serviceEndpoint(
  env: Record<string, string | undefined>,
  service: 'KMS' | 'STS',
  region: string,
  what: Omit<Service, 'endpointVariable'>
): { url: URL; variable: string } {
  const value = (name: string): string => (env[name] ?? '').trim()
  const variable =
    value('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS').toLowerCase() === 'true'
      ? ''
      : ([`AWS_ENDPOINT_URL_${service}`, 'AWS_ENDPOINT_URL'].find(name => value(name)) ?? '')
  // kms.REGION.amazonaws.com, sts.REGION.amazonaws.com (amazonaws.com.cn in the China regions).
  const fallback = `https://${service.toLowerCase()}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`
  if (!variable)
    return {
      url: new URL(fallback),
      variable: `the ${service} endpoint ${fallback} (AWS_ENDPOINT_URL_${service} unset)`
    }
  return { url: endpointUrl(value(variable), variable, { ...what, endpointVariable: variable }), variable }
}

/** STS for the web identity step, in the key's region. */
export function stsEndpoint(chain: ChainContext): { url: URL; variable: string } {
  return serviceEndpoint(chain.context.env, 'STS', chain.region, { name: 'AWS STS', key: chain.key })
}

const set = (env: Record<string, string | undefined>, name: string): string => (env[name] ?? '').trim()

const GITHUB_DURATION =
  "role-duration-seconds on aws-actions/configure-aws-credentials (up to the role's maximum session duration)"
const RELOGIN =
  "Get the temporary credentials right before this step, or for longer (up to the role's maximum session duration)."

/** The credentials of the first configured step of the chain. */
export async function awsCredentials(chain: ChainContext, service: Service): Promise<AwsSession> {
  const { env } = chain.context
  const accessKeyId = set(env, 'AWS_ACCESS_KEY_ID')
  const secretAccessKey = set(env, 'AWS_SECRET_ACCESS_KEY')
  const sessionToken = set(env, 'AWS_SESSION_TOKEN')
  // Registered before anything could show them, whatever else is missing.
  for (const secret of [secretAccessKey, sessionToken]) if (secret) chain.context.io.secret(secret)
  if (accessKeyId || secretAccessKey) {
    if (!accessKeyId || !secretAccessKey) {
      throw stepError(
        'input',
        chain,
        'environment variables',
        `${accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not set, and AWS credentials in the environment need both.`,
        awsSetup(env)
      )
    }
    requireHeaderSafe(
      [
        ['AWS_ACCESS_KEY_ID', accessKeyId],
        ['AWS_SESSION_TOKEN', sessionToken]
      ],
      service
    )
    return {
      accessKeyId,
      secretAccessKey,
      sessionToken: sessionToken || undefined,
      source: 'the login step',
      renew: `AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN must come together from one login, not from secrets set one by one. ${awsSetup(env)}`,
      expired: forCiSystem(env, {
        github: `Raise ${GITHUB_DURATION}, or run the login step right before this one.`,
        gitlab: RELOGIN,
        azure: RELOGIN,
        other: `On GitHub Actions, raise ${GITHUB_DURATION}. Elsewhere: ${RELOGIN}`
      })
    }
  }
  if (set(env, 'AWS_WEB_IDENTITY_TOKEN_FILE') || set(env, 'AWS_ROLE_ARN')) {
    return (await import('./aws-web-identity.js')).webIdentity(chain)
  }
  if (set(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI') || set(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')) {
    return (await import('./aws-metadata.js')).containerCredentials(chain)
  }
  const found =
    set(env, 'AWS_EC2_METADATA_DISABLED').toLowerCase() === 'true'
      ? undefined
      : await (await import('./aws-metadata.js')).instanceRole(chain)
  if (found && 'accessKeyId' in found) return found
  throw new SignerError(
    'input',
    `${chain.key} needs AWS credentials, and the AWS credential chain found none: no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, no AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, no AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, and ${found ? found.absent : 'the EC2 instance metadata service is turned off (AWS_EC2_METADATA_DISABLED)'}.`,
    `${awsSetup(env)} On a self-hosted EC2 runner, attach an instance profile whose role may use the key.`
  )
}
