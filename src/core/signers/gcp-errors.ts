import { tryJson } from '../answer.js'
import type { HttpResponse } from '../http.js'
import { quote } from '../outside.js'
import { SignerError } from './signer.js'

/** Google's error body, `{ error: { code, message, status, details } }`, as far as messages use it. */
export interface GoogleError {
  /** UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, FAILED_PRECONDITION…, or '' */
  status: string
  /** Google's message, inert and bounded, or '' */
  message: string
  /** The first ErrorInfo reason (ACCESS_TOKEN_EXPIRED, IAM_PERMISSION_DENIED, SERVICE_DISABLED…), or '' */
  reason: string
  /** PreconditionFailure violation types (KEY_DISABLED, KEY_DESTROYED…) */
  violations: string[]
  /** The ErrorInfo's metadata.service (iamcredentials.googleapis.com…), or '' */
  service: string
  /** The project of the ErrorInfo's metadata.consumer (projects/PROJECT), or '' */
  consumer: string
}

const NAME = /^[A-Z][A-Z0-9_]{1,63}$/
const SERVICE = /^[a-z][a-z0-9-]{0,62}\.googleapis\.com$/
// A project ID (6 to 30 characters) or number.
const PROJECT = /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})$/

export function googleError(res: HttpResponse): GoogleError {
  const error = tryJson(res)?.error
  const body = error && typeof error === 'object' ? (error as Record<string, unknown>) : {}
  const details = Array.isArray(body.details) ? (body.details as unknown[]) : []
  let reason = ''
  let service = ''
  let consumer = ''
  const violations: string[] = []
  for (const detail of details) {
    if (!detail || typeof detail !== 'object') continue
    const d = detail as Record<string, unknown>
    if (!reason && typeof d.reason === 'string' && NAME.test(d.reason)) {
      reason = d.reason
      const metadata = (d.metadata && typeof d.metadata === 'object' ? d.metadata : {}) as Record<string, unknown>
      if (typeof metadata.service === 'string' && SERVICE.test(metadata.service)) service = metadata.service
      const project = typeof metadata.consumer === 'string' ? metadata.consumer.replace(/^projects\//, '') : ''
      if (PROJECT.test(project)) consumer = project
    }
    if (Array.isArray(d.violations)) {
      for (const v of d.violations as unknown[]) {
        const type = (v as Record<string, unknown> | null)?.type
        if (typeof type === 'string' && NAME.test(type)) violations.push(type)
      }
    }
  }
  const status = typeof body.status === 'string' && NAME.test(body.status) ? body.status : ''
  return { status, message: quote(body.message, 240), reason, violations, service, consumer }
}

/** "HTTP 403 PERMISSION_DENIED: message" for a message. */
export function described(res: HttpResponse, error: GoogleError): string {
  const head = [`HTTP ${res.status}`, error.status, error.reason && `(${error.reason})`].filter(Boolean).join(' ')
  return error.message ? `${head}: ${error.message}` : head
}

/** An OAuth error body `{ error, error_description }` (STS, oauth2.googleapis.com), for a message. */
export function oauthError(res: HttpResponse): string {
  const json = tryJson(res)
  const code = quote(json?.error, 60)
  const description = quote(json?.error_description, 240)
  if (!code && !description) return `HTTP ${res.status}`
  return `HTTP ${res.status} ${code}${description ? `: ${description}` : ''}`
}

/** The APIs a job signing with Cloud KMS calls, by the titles Google's messages give them. */
const APIS: Record<string, string> = {
  'cloudkms.googleapis.com': 'Cloud Key Management Service (KMS) API',
  'iamcredentials.googleapis.com': 'IAM Service Account Credentials API',
  'sts.googleapis.com': 'Security Token Service API'
}

/**
 * A disabled API's answer (403 PERMISSION_DENIED with an ErrorInfo whose reason is SERVICE_DISABLED,
 * metadata.service the API and metadata.consumer the project; older answers say only "… API has not
 * been used in project P before or it is disabled"), as the refusal that names the API and the
 * command that enables it; undefined for any other answer.
 * `api` and `project` stand in for what the answer leaves out: the API called, the key's project.
 */
export function serviceDisabled(
  res: HttpResponse,
  error: GoogleError,
  called: { api: string; project?: string; key: string }
): SignerError | undefined {
  const legacy = /API has not been used in project (\S+) before or it is disabled/.exec(error.message)
  if (res.status !== 403 || (error.reason !== 'SERVICE_DISABLED' && !legacy)) return undefined
  const api = error.service || called.api
  const named = legacy && PROJECT.test(legacy[1]) ? legacy[1] : undefined
  const project = error.consumer || named || called.project || 'PROJECT'
  return new SignerError(
    'refused',
    `The ${APIS[api] ?? 'API'} (${api}) is not enabled in the Google Cloud project ${project}, for ${called.key} (${described(res, error)}).`,
    `Enable it: gcloud services enable ${api} --project ${project}, and wait a few minutes for the change to reach Google's systems. A new project needs ${Object.keys(APIS).join(', ')} (docs/keyless.md).`
  )
}
