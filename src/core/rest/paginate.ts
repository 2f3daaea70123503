import { DocuSignError } from '../errors.js'
import type { Http } from '../http.js'
import { readAll, sendRest, type RestCall, type RestPolicy } from './send.js'
import { nextUrl, shownPath, type RestSession } from './target.js'

/** At most this many pages: DocuSign serves up to 1,000 items a page, so a million items. */
export const MAX_PAGES = 1000
/** A page of JSON is at most a few MB. */
const PAGE_MAX_BYTES = 64 * 1024 * 1024
/** The whole list, every page together, is held in memory to print one document: bounded. */
const LIST_MAX_BYTES = 256 * 1024 * 1024

type Page = Record<string, unknown>

function malformed(what: string, problem: string): DocuSignError {
  return new DocuSignError(
    'malformed',
    `DocuSign's answer to ${what} ${problem}.`,
    '--paginate follows lists that DocuSign pages with nextUri (envelopes, users, templates…); call it without --paginate to see the answer as it is.',
    200,
    undefined,
    { topic: 'rest-refused' }
  )
}

/**
 * Every page of a list, as one JSON document: the first page's fields with every array concatenated
 * across pages, resultSetSize the total, endPosition the last page's, nextUri and previousUri dropped.
 * Pages follow DocuSign's nextUri until it is absent or empty, on the client's one kept-alive connection.
 */
export async function paginate(http: Http, first: RestCall, session: RestSession, policy: RestPolicy): Promise<Buffer> {
  let call = first
  let merged: Page | undefined
  let items = 0
  let total = 0
  for (let page = 1; ; page++) {
    const what = `${call.method} ${shownPath(call.url)}`
    const res = await sendRest(http, call, policy)
    let body: Buffer
    try {
      body = await readAll(res.message, PAGE_MAX_BYTES, policy.timeoutMs)
    } catch (error) {
      throw malformed(what, `could not be read whole (${(error as Error).message})`)
    }
    total += body.length
    if (total > LIST_MAX_BYTES) {
      throw new DocuSignError(
        'malformed',
        `The list is larger than ${LIST_MAX_BYTES / 1024 / 1024} MiB after ${page} pages: too much to print as one document.`,
        'Narrow it (from_date, to_date, status, count), or page through it yourself with start_position.',
        200,
        undefined,
        { topic: 'rest-refused' }
      )
    }
    let json: unknown
    try {
      json = JSON.parse(body.toString('utf8'))
    } catch {
      throw malformed(what, 'is not JSON')
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw malformed(what, 'is not a JSON object')
    const current = json as Page
    items += Number(current.resultSetSize ?? 0) || 0
    merged = merged ? mergePage(merged, current) : { ...current }
    const next = current.nextUri
    if (typeof next !== 'string' || next.trim() === '') break
    if (page >= MAX_PAGES) {
      throw new DocuSignError(
        'malformed',
        `The list has more than ${MAX_PAGES} pages (nextUri still set after page ${MAX_PAGES}).`,
        'Narrow it (from_date, to_date, status, count) and call again.',
        200,
        undefined,
        { topic: 'rest-refused' }
      )
    }
    call = { method: 'GET', url: nextUrl(next, session), headers: first.headers }
  }
  const rest: Page = { ...merged }
  delete rest.nextUri
  delete rest.previousUri
  if ('resultSetSize' in rest) rest.resultSetSize = typeof rest.resultSetSize === 'string' ? String(items) : items
  try {
    return Buffer.from(JSON.stringify(rest))
  } catch {
    // Nested deeper than the stack allows, or longer than a string may be.
    throw malformed(`${first.method} ${shownPath(first.url)}`, 'cannot be put together as one JSON document')
  }
}

function mergePage(merged: Page, page: Page): Page {
  const out: Page = { ...merged }
  for (const [key, value] of Object.entries(page)) {
    if (Array.isArray(value)) out[key] = Array.isArray(out[key]) ? [...(out[key] as unknown[]), ...value] : value
  }
  if ('endPosition' in page) out.endPosition = page.endPosition
  return out
}
