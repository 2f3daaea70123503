import http from 'node:http'
import https from 'node:https'
import { tryJson } from '../answer.js'
import type { HttpResponse } from '../http.js'
import { inert, quote } from '../outside.js'
import { sleep } from '../retry.js'
import { credentialsOf, expiry, masked, stepError, type AwsSession, type ChainContext } from './aws-credentials.js'
import { tokenShape } from './oidc-token.js'
import { shownFile } from '../credential-file.js'
import { readTokenFile } from './token-file.js'

/**
 * The chain's two steps that ask an endpoint on the machine or the task for credentials, with the
 * AWS SDKs' rules (aws-sdk-js-v3 packages/credential-provider-http, credential-provider-imds):
 *
 * - Container credentials (ECS task roles, EKS Pod Identity): GET AWS_CONTAINER_CREDENTIALS_FULL_URI,
 *   or http://169.254.170.2 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN
 *   (or the content of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read for each request) as Authorization.
 *   Only https, or http to loopback, 169.254.170.2, 169.254.170.23 or [fd00:ec2::23] (checkUrl.ts).
 *   1 s per attempt, 4 attempts 1 s apart (fromHttp.ts, retry-wrapper.ts). The answer is JSON with
 *   AccessKeyId, SecretAccessKey, Token, Expiration (requestHelpers.ts).
 * - EC2 instance metadata, IMDSv2: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds: 21600),
 *   then with X-aws-ec2-metadata-token GET /latest/meta-data/iam/security-credentials/ (the role's
 *   name) and …/ROLE (AccessKeyId, SecretAccessKey, Token, Expiration, Code "Success"). At
 *   http://169.254.169.254 (AWS_EC2_METADATA_SERVICE_ENDPOINT, or [fd00:ec2::254] with
 *   AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6), AWS_METADATA_SERVICE_TIMEOUT seconds per request
 *   (1) and AWS_METADATA_SERVICE_NUM_ATTEMPTS (1), as the SDKs' "IMDS client" settings define them.
 *
 * These requests never go through HTTP(S)_PROXY (the SDKs do not send them there either: a proxy
 * cannot reach a link-local address, and the credentials must not cross it).
 */

const CONTAINER_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]'])
const ECS_HOST = 'http://169.254.170.2'
const IMDS = { IPv4: 'http://169.254.169.254', IPv6: 'http://[fd00:ec2::254]' }
const MAX_ANSWER_BYTES = 64 * 1024

type Answer = HttpResponse

/** One request straight to the endpoint (no proxy), bounded in time and size. */
function ask(url: URL, method: 'GET' | 'PUT', headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const req = client.request(url, { method, headers, agent: false }, res => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`an answer larger than ${MAX_ANSWER_BYTES / 1024} KiB`))
        else chunks.push(chunk)
      })
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') })
      )
      res.on('error', reject)
    })
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs)
    req.on('close', () => clearTimeout(timer))
    req.on('error', error => reject(new Error(inert((error as NodeJS.ErrnoException).code ?? error.message, 120))))
    req.end()
  })
}

/** Up to `attempts` tries `delayMs` apart; a 4xx answer is final (it is deterministic). */
async function tries(
  chain: ChainContext,
  attempts: number,
  delayMs: number,
  request: () => Promise<Answer>,
  what: string
): Promise<Answer | Error> {
  let last: Answer | Error = new Error('not asked')
  for (let n = 1; n <= attempts; n++) {
    chain.context.io.debug(`AWS credential chain: ${what} (attempt ${n} of ${attempts})`)
    try {
      last = await request()
      if (last.status < 500) return last
    } catch (error) {
      last = error as Error
    }
    if (n < attempts) await sleep(delayMs)
  }
  return last
}

const said = (answer: Answer | Error): string =>
  answer instanceof Error
    ? answer.message
    : `HTTP ${answer.status}${answer.body ? `: ${quote(tryJson(answer)?.Message ?? answer.body, 200)}` : ''}`

// ---- container credentials ----

export async function containerCredentials(chain: ChainContext): Promise<AwsSession> {
  const { env } = chain.context
  const step = 'container credentials'
  const full = (env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '').trim()
  const relative = (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? '').trim()
  const variable = full ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI' : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI'
  let url: URL | undefined
  try {
    url = new URL(full || `${ECS_HOST}${relative.startsWith('/') ? '' : '/'}${relative}`)
  } catch {
    url = undefined
  }
  const allowed = (u: URL) =>
    u.protocol === 'https:' ||
    (u.protocol === 'http:' &&
      (CONTAINER_HOSTS.has(u.hostname) ||
        u.hostname === 'localhost' ||
        u.hostname === '[::1]' ||
        /^127(\.\d{1,3}){3}$/.test(u.hostname)))
  if (!url || url.username || url.password || !allowed(url)) {
    throw stepError(
      'input',
      chain,
      step,
      `${variable} is not a URL the AWS SDKs accept: https, or http to this machine (127.0.0.0/8, [::1]), the ECS host 169.254.170.2 or the EKS Pod Identity host 169.254.170.23 / [fd00:ec2::23].`,
      'Leave it as ECS or the EKS Pod Identity Agent set it; an endpoint of your own must be https.'
    )
  }
  const endpoint = `${url.origin}${url.pathname}`
  const headers: Record<string, string> = { Accept: 'application/json' }
  const given = (env.AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '').trim()
  const file = (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ?? '').trim()
  if (given || file) {
    let value = given
    if (!value) {
      const shown = shownFile(file)
      try {
        value = readTokenFile(file, chain.context.http.timeoutMs)
      } catch (error) {
        throw stepError(
          'input',
          chain,
          step,
          `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (${shown}) ${(error as Error).message}.`,
          "On EKS Pod Identity the agent mounts it at /var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token: check the pod's service account has a Pod Identity association, and that the path is mounted in this container."
        )
      }
    }
    const token = tokenShape(value)
    if (!token) {
      throw stepError(
        'input',
        chain,
        step,
        `${given ? 'AWS_CONTAINER_AUTHORIZATION_TOKEN' : 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'} holds no token (it is empty, or has spaces or line breaks inside).`,
        'Leave it as ECS or the EKS Pod Identity Agent set it.'
      )
    }
    chain.context.io.secret(token)
    headers.Authorization = token
  }
  const answer = await tries(chain, 4, 1000, () => ask(url, 'GET', headers, 1000), `GET ${endpoint}`)
  if (answer instanceof Error || answer.status >= 500) {
    throw stepError(
      'unavailable',
      chain,
      step,
      `the endpoint ${endpoint} (${variable}) gave no credentials after 4 attempts (${said(answer)}).`,
      relative && !full
        ? "ECS serves it at 169.254.170.2 inside the task only: run this step in the task whose role may use the key, or in a container of its network (awsvpc, bridge with the ECS agent's route)."
        : 'Check that the EKS Pod Identity Agent (or the endpoint named) runs and answers on this node; try again later.'
    )
  }
  if (answer.status !== 200) {
    throw stepError(
      'refused',
      chain,
      step,
      `the endpoint ${endpoint} (${variable}) refused the request (${said(answer)}).`,
      headers.Authorization
        ? "The authorization token was refused: on EKS check the pod's Pod Identity association (aws eks list-pod-identity-associations) and that the token file is the mounted one, not a copy."
        : 'This endpoint wants AWS_CONTAINER_AUTHORIZATION_TOKEN or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: keep what ECS or the EKS Pod Identity Agent set.'
    )
  }
  const json = tryJson(answer) ?? {}
  const credentials = credentialsOf(json, 'Token')
  if (!credentials) {
    throw stepError(
      'malformed',
      chain,
      step,
      `the endpoint ${endpoint} (${variable}) answered without AccessKeyId, SecretAccessKey and Token.`,
      `Check that ${variable} names the container credentials endpoint itself.`
    )
  }
  masked(chain, credentials)
  const role = quote(json.RoleArn, 200)
  chain.context.io.debug(
    `AWS credential chain: container credentials from ${endpoint}${role ? ` for ${role}` : ''}${expiry(json.Expiration)}`
  )
  return {
    ...credentials,
    source: `container credentials (${endpoint}${role ? `, role ${role}` : ''})`,
    renew:
      'Container credentials are renewed by ECS or the EKS Pod Identity Agent: run the step again; if it recurs, check the clock of this machine.'
  }
}

// ---- EC2 instance metadata (IMDSv2) ----

/** The instance role's credentials; or, when no instance metadata service answers, what was found instead. */
export async function instanceRole(chain: ChainContext): Promise<AwsSession | { absent: string }> {
  const { env, io } = chain.context
  const step = 'EC2 instance metadata (IMDSv2)'
  const configured = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? '').trim()
  const mode = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE ?? '').trim()
  let base: URL | undefined
  try {
    base = new URL(configured || (mode.toLowerCase() === 'ipv6' ? IMDS.IPv6 : IMDS.IPv4))
  } catch {
    base = undefined
  }
  if (!base || base.username || base.password || !/^https?:$/.test(base.protocol)) {
    throw stepError(
      'input',
      chain,
      step,
      'AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http(s) URL.',
      'Unset it (the instance metadata service is http://169.254.169.254), or set it to http://[fd00:ec2::254] on an IPv6-only instance.'
    )
  }
  const seconds = Number((env.AWS_METADATA_SERVICE_TIMEOUT ?? '').trim() || 1)
  const attempts = Math.trunc(Number((env.AWS_METADATA_SERVICE_NUM_ATTEMPTS ?? '').trim() || 1))
  const timeoutMs = Number.isFinite(seconds) && seconds > 0 && seconds <= 60 ? seconds * 1000 : 1000
  const count = attempts >= 1 && attempts <= 10 ? attempts : 1
  const origin = base.origin
  const at = (path: string) => new URL(`${base!.pathname.replace(/\/+$/, '')}${path}`, origin)

  const tokenAnswer = await tries(
    chain,
    count,
    1000,
    () => ask(at('/latest/api/token'), 'PUT', { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' }, timeoutMs),
    `PUT ${origin}/latest/api/token`
  )
  const token = tokenAnswer instanceof Error || tokenAnswer.status !== 200 ? undefined : tokenShape(tokenAnswer.body)
  if (!token) {
    // Not an EC2 instance (or IMDS off, or a container the token's answer cannot reach): the chain found nothing.
    return {
      absent: `no EC2 instance metadata service answered a token request at ${origin} (${said(tokenAnswer)}; from a container on EC2, the instance needs --http-put-response-hop-limit 2)`
    }
  }
  io.secret(token)
  const headers = { 'X-aws-ec2-metadata-token': token }
  const path = '/latest/meta-data/iam/security-credentials/'
  const listed = await tries(chain, count, 1000, () => ask(at(path), 'GET', headers, timeoutMs), `GET ${origin}${path}`)
  if (listed instanceof Error || listed.status >= 500) {
    throw stepError(
      'unavailable',
      chain,
      step,
      `the instance metadata service at ${origin} did not name the instance's role (${said(listed)}).`,
      'Try again; raise AWS_METADATA_SERVICE_TIMEOUT or AWS_METADATA_SERVICE_NUM_ATTEMPTS if the instance is busy.'
    )
  }
  const role = listed.status === 200 ? listed.body.split('\n')[0].trim() : ''
  if (!role) {
    throw stepError(
      'input',
      chain,
      step,
      `this EC2 instance has no IAM role (${origin}${path} answered ${said(listed)}).`,
      'Attach an instance profile whose role may use the key: aws ec2 associate-iam-instance-profile --instance-id INSTANCE_ID --iam-instance-profile Name=PROFILE (see docs/keyless.md, self-hosted EC2 runners).'
    )
  }
  const shownRole = quote(role, 128)
  if (!/^[\w+=,.@-]{1,128}$/.test(role)) {
    throw stepError(
      'malformed',
      chain,
      step,
      `the instance metadata service named a role that is not a role name (${shownRole}).`,
      `Check AWS_EC2_METADATA_SERVICE_ENDPOINT (unset it for ${IMDS.IPv4}).`
    )
  }
  const answer = await tries(
    chain,
    count,
    1000,
    () => ask(at(`${path}${role}`), 'GET', headers, timeoutMs),
    `GET ${origin}${path}${role}`
  )
  const json = answer instanceof Error ? undefined : tryJson(answer)
  const credentials =
    !(answer instanceof Error) && answer.status === 200 && json?.Code === 'Success'
      ? credentialsOf(json, 'Token')
      : undefined
  if (!credentials) {
    const refused = json?.Code !== undefined && json.Code !== 'Success'
    // The body of this answer may hold credentials: only IMDS's own Code and Message are quoted.
    const problem = refused
      ? `Code ${quote(json.Code, 60)}${json.Message ? `: ${quote(json.Message, 200)}` : ''}`
      : answer instanceof Error
        ? answer.message
        : `HTTP ${answer.status}`
    throw stepError(
      answer instanceof Error || answer.status >= 500 ? 'unavailable' : refused ? 'refused' : 'malformed',
      chain,
      step,
      `the instance metadata service at ${origin} gave no credentials for the instance role ${shownRole} (${problem}).`,
      `Check the instance profile's role ${shownRole} (aws iam get-role --role-name ${shownRole}): it must exist and trust ec2.amazonaws.com; then try again.`
    )
  }
  masked(chain, credentials)
  io.debug(`AWS credential chain: the instance role ${shownRole}${expiry(json?.Expiration)}`)
  return {
    ...credentials,
    source: `the EC2 instance role ${shownRole}`,
    renew: `The instance metadata service renews the role's credentials: run the step again; if it recurs, check this machine's clock.`
  }
}
