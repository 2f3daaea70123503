import { isUtf8 } from 'node:buffer'
import { ActionError } from '../errors.js'

function usage(problem: string, fix: string): ActionError {
  return new ActionError('input', problem, fix, 'api-usage')
}

const FIELD = /^([A-Za-z0-9_$-]+(?:\.[A-Za-z0-9_$-]+)*)(:?=)([\s\S]*)$/

/**
 * A JSON object from `--field` values: `name=value` is a string, `name:=JSON` a raw JSON value
 * (number, boolean, null, object, array), and dotted names nest (`recipients.signers:=[…]`).
 * Messages name the field, never its value (it may be a secret).
 */
export function fieldsToJson(fields: string[]): Record<string, unknown> {
  const root: Record<string, unknown> = {}
  for (const field of fields) {
    const match = FIELD.exec(field)
    if (!match) {
      throw usage(
        'A --field is not name=value or name:=JSON.',
        "Write --field emailSubject='Please sign' or --field status:='\"sent\"'; dotted names nest (recipients.signers:=[...])."
      )
    }
    const [, name, operator, raw] = match
    let value: unknown = raw
    if (operator === ':=') {
      try {
        value = JSON.parse(raw)
      } catch {
        throw usage(
          `--field ${name}:= is not valid JSON.`,
          `Quote strings inside it ('"text"'), or use ${name}=text for a string.`
        )
      }
    }
    const parts = name.split('.')
    let node = root
    for (const part of parts.slice(0, -1)) {
      const next = Object.hasOwn(node, part) ? node[part] : (node[part] = {})
      if (!next || typeof next !== 'object' || Array.isArray(next)) {
        throw usage(
          `--field ${name} nests under ${part}, which another --field set to a value.`,
          'Give each name once.'
        )
      }
      node = next as Record<string, unknown>
    }
    const last = parts[parts.length - 1]
    if (Object.hasOwn(node, last)) throw usage(`--field ${name} is given twice.`, 'Give each name once.')
    Object.defineProperty(node, last, { value, enumerable: true, writable: true, configurable: true })
  }
  return root
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * The body to send, checked before anything is: UTF-8 JSON (a leading byte-order mark is dropped, an
 * empty body is sent as it is), unless a Content-Type header names another type. DocuSign answers a
 * body that is not JSON with an error only after the call counted against the hourly limit.
 */
export function checkJsonBody(body: Buffer, headers: Record<string, string>): Buffer {
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'content-type')?.[1]
  if (type !== undefined && !JSON_TYPE.test(type)) return body
  const text = body.subarray(0, 3).equals(BOM) ? body.subarray(3) : body
  if (!text.length) return text
  const fix = "Check it with jq . , or give -H 'Content-Type: TYPE' to send a body of another type."
  if (!isUtf8(text)) throw usage('The body (--input or --field) is not UTF-8 text.', fix)
  try {
    JSON.parse(text.toString('utf8'))
  } catch {
    throw usage('The body (--input or --field) is not JSON.', fix)
  }
  return text
}
