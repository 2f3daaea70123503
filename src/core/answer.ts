import { DocuSignError, type SupportIds } from './errors.js'
import { inert } from './outside.js'
import { setting } from './settings.js'
import type { HttpResponse } from './http.js'

export type Json = Record<string, unknown>

/** The JSON object in a response body, or undefined; bodies are never quoted (they may hold tokens). */
export function tryJson(res: HttpResponse): Json | undefined {
  try {
    const value: unknown = JSON.parse(res.body)
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
  } catch {
    return undefined
  }
}

/** An identifier a server sent, as a message may show it: inert, short, or absent. */
function shownId(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? inert(value.trim(), 80) : undefined
}

/**
 * What DocuSign support asks for: the X-DocuSign-TraceToken header of the answer and, in some error
 * bodies (userinfo's `{"error":"internal_server_error","reference_id":"…"}`), a reference_id.
 */
export function supportIds(res: HttpResponse, json = tryJson(res)): SupportIds {
  const header = res.headers['x-docusign-tracetoken']
  return {
    traceToken: shownId(Array.isArray(header) ? header[0] : header),
    referenceId: shownId(json?.reference_id)
  }
}

/** The media type an answer declared, as a message may show it. */
export function contentType(res: HttpResponse): string {
  return inert(
    String(res.headers['content-type'] ?? 'no content type')
      .split(';')[0]
      .trim(),
    60
  )
}

/**
 * An answer that is not DocuSign's OAuth JSON (an HTML error page, an empty body, a proxy's page):
 * whatever its status, it did not come from DocuSign's OAuth service as configured.
 */
export function notDocuSign(res: HttpResponse, what: string): DocuSignError {
  const body = res.body.trim() ? `a ${contentType(res)} body` : 'an empty body'
  return new DocuSignError(
    res.status >= 500 ? 'unavailable' : 'malformed',
    `DocuSign answered the ${what} with HTTP ${res.status} and ${body}, not DocuSign's OAuth JSON: the answer did not come from DocuSign's OAuth service.`,
    `Check that ${setting('environment')} points at a DocuSign OAuth server (demo: account-d.docusign.com, production: account.docusign.com), and that no proxy (HTTPS_PROXY) or firewall intercepts or rewrites the request.`,
    res.status,
    undefined,
    { topic: res.status >= 500 ? 'unavailable' : 'not-docusign', support: supportIds(res, undefined) }
  )
}

export function requireJson(res: HttpResponse, what: string): Json {
  const json = tryJson(res)
  if (json) return json
  throw notDocuSign(res, what)
}

/** A malformed success answer: name the field, never its value. */
export function malformed(what: string, problem: string, res?: HttpResponse): DocuSignError {
  return new DocuSignError(
    'malformed',
    `DocuSign's answer to the ${what} is malformed: ${problem}.`,
    `Check that ${setting('environment')} points at a DocuSign OAuth server; if it does, try again, and report it if it persists.`,
    200,
    undefined,
    { topic: 'malformed-answer', support: res && supportIds(res) }
  )
}
