import { DocuSignError } from './errors.js'
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

export function requireJson(res: HttpResponse, what: string): Json {
  const json = tryJson(res)
  if (json) return json
  const type = inert(String(res.headers['content-type'] ?? 'no content type').split(';')[0], 60)
  throw new DocuSignError(
    'malformed',
    `DocuSign answered the ${what} with HTTP ${res.status} but the body is not a JSON object (${type}).`,
    `Check that ${setting('environment')} points at a DocuSign OAuth server, and that no proxy rewrites the answer.`,
    res.status
  )
}

/** A malformed success answer: name the field, never its value. */
export function malformed(what: string, problem: string): DocuSignError {
  return new DocuSignError(
    'malformed',
    `DocuSign's answer to the ${what} is malformed: ${problem}.`,
    `Check that ${setting('environment')} points at a DocuSign OAuth server; if it does, try again, and report it if it persists.`,
    200
  )
}
