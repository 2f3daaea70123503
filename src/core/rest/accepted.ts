import type { IncomingHttpHeaders } from 'node:http'
import { ActionError } from '../errors.js'
import { inert } from '../outside.js'

/**
 * A 2xx answer to a request that creates or changes something: DocuSign took it. Whatever happens to
 * the answer afterwards (cut off, stdout closed, disk full) is never a failure to try again: the
 * eSignature API has no idempotency key, so a second send is a second envelope.
 */
export function isAccepted(method: string, status: number): boolean {
  return status >= 200 && status < 300 && method !== 'GET' && method !== 'HEAD'
}

/** DocuSign's envelope IDs are GUIDs: anything else is not quoted into a command to paste. */
const ENVELOPE_ID = /"envelopeId"\s*:\s*"([0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12})"/

/** The envelope ID in what arrived of an answer; undefined when none arrived. */
function envelopeIdIn(head: Buffer): string | undefined {
  return ENVELOPE_ID.exec(head.toString('utf8'))?.[1]
}

/**
 * Exit 6: DocuSign accepted the request; its answer was lost. The message gives what identifies the
 * result (status, Location, envelope ID), says not to send it again, and how to look it up.
 */
export function answerLost(
  what: string,
  answer: { status: number; headers: IncomingHttpHeaders },
  arrived: Buffer,
  why: string,
  kept?: string
): ActionError {
  const location = answer.headers.location ? inert(String(answer.headers.location)) : undefined
  const envelopeId = envelopeIdIn(arrived)
  const seen = [`HTTP ${answer.status}`, location && `Location: ${location}`, envelopeId && `envelopeId ${envelopeId}`]
  const lookUp = envelopeId
    ? `docusign-jwt api /envelopes/${envelopeId}`
    : location && !location.includes("'")
      ? `docusign-jwt api '${location}'`
      : "docusign-jwt api '/envelopes?from_date=…' (the envelopes since just before the call)"
  return new ActionError(
    'accepted',
    `DocuSign accepted ${what} (${seen.filter(Boolean).join(', ')}), but its answer was lost: ${why}.`,
    `Do not send it again: it took effect, and a second send is a second envelope. ${kept ? `What arrived is in ${inert(kept)}. ` : ''}Look it up with ${lookUp}.`,
    'rest-answer-lost'
  )
}
