import { tryJson } from '../answer.js'
import type { HttpResponse } from '../http.js'
import { quote } from '../outside.js'

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
}

const NAME = /^[A-Z][A-Z0-9_]{1,63}$/

export function googleError(res: HttpResponse): GoogleError {
  const error = tryJson(res)?.error
  const body = error && typeof error === 'object' ? (error as Record<string, unknown>) : {}
  const details = Array.isArray(body.details) ? (body.details as unknown[]) : []
  let reason = ''
  const violations: string[] = []
  for (const detail of details) {
    if (!detail || typeof detail !== 'object') continue
    const d = detail as Record<string, unknown>
    if (!reason && typeof d.reason === 'string' && NAME.test(d.reason)) reason = d.reason
    if (Array.isArray(d.violations)) {
      for (const v of d.violations as unknown[]) {
        const type = (v as Record<string, unknown> | null)?.type
        if (typeof type === 'string' && NAME.test(type)) violations.push(type)
      }
    }
  }
  const status = typeof body.status === 'string' && NAME.test(body.status) ? body.status : ''
  return { status, message: quote(body.message, 240), reason, violations }
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
