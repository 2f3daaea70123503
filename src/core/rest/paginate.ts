import { DocuSignError } from '../errors.js'
import type { Http } from '../http.js'
import { readAll, sendRest, type RestCall, type RestPolicy } from './send.js'
import { objectMembers, type Member } from './json-members.js'
import { nextUrl, shownPath, type RestSession } from './target.js'

/** At most this many pages: DocuSign serves up to 1,000 items a page, so a million items. */
export const MAX_PAGES = 1000
/** A page of JSON is at most a few MB. */
const PAGE_MAX_BYTES = 64 * 1024 * 1024
/** The whole list, every page's text together, is held in memory to print one document: bounded. */
const LIST_MAX_BYTES = 256 * 1024 * 1024

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

/** A top-level member of the merged list, as text: a list's items (each page's, between its brackets), or a value. */
interface Held {
  key: Buffer
  items?: Buffer[]
  value?: Buffer
}

const text = (page: Buffer, start: number, end: number): string => page.toString('utf8', start, end)

/** A list's items, as text: what lies between its brackets, spaces trimmed; undefined for an empty list. */
function itemsOf(page: Buffer, m: Member): Buffer | undefined {
  const inner = text(page, m.valueStart + 1, m.valueEnd - 1).trim()
  return inner ? Buffer.from(inner) : undefined
}

/**
 * Every page of a list, as one JSON document: the first page's fields with every array concatenated
 * across pages, resultSetSize the total, endPosition the last page's, nextUri and previousUri dropped.
 * Pages follow DocuSign's nextUri until it is absent or empty, on the client's one kept-alive connection.
 * Each page is merged as it arrives and kept as text, never as objects: linear time, and memory of the
 * bytes held (at most LIST_MAX_BYTES) plus one page. The document comes back in pieces, for streaming.
 */
export async function paginate(
  http: Http,
  first: RestCall,
  session: RestSession,
  policy: RestPolicy
): Promise<Buffer[]> {
  let call = first
  const merged = new Map<string, Held>()
  let items = 0
  let held = 0
  for (let page = 1; ; page++) {
    const what = `${call.method} ${shownPath(call.url)}`
    const res = await sendRest(http, call, policy)
    let body: Buffer
    try {
      body = await readAll(res.message, PAGE_MAX_BYTES, policy.timeoutMs)
    } catch (error) {
      throw malformed(what, `could not be read whole (${(error as Error).message})`)
    }
    const members = objectMembers(body)
    if (typeof members === 'string') throw malformed(what, members)
    let next: unknown
    for (const m of members) {
      const name = JSON.parse(text(body, m.keyStart, m.keyEnd)) as string
      const raw = (): Buffer => Buffer.from(body.subarray(m.valueStart, m.valueEnd))
      const known = merged.get(name)
      // A list on one page and something else (null aside) on another cannot be merged: dropping either is losing data.
      const isNull = (): boolean => text(body, m.valueStart, m.valueEnd) === 'null'
      const unmergeable = () =>
        malformed(what, `has ${name} as a list on one page and not on another: the pages cannot be merged`)
      if (m.array) {
        const list = itemsOf(body, m)
        held += list?.length ?? 0
        if (known?.items) {
          if (list) known.items.push(list)
        } else if (known && known.value?.toString() !== 'null') throw unmergeable()
        else merged.set(name, { key: Buffer.from(body.subarray(m.keyStart, m.keyEnd)), items: list ? [list] : [] })
        continue
      }
      if (known?.items && !isNull()) throw unmergeable()
      if (name === 'nextUri') next = JSON.parse(text(body, m.valueStart, m.valueEnd))
      if (name === 'resultSetSize') items += Number(JSON.parse(text(body, m.valueStart, m.valueEnd))) || 0
      if (page === 1 || name === 'endPosition') {
        const value = raw()
        held += value.length + m.keyEnd - m.keyStart
        merged.set(name, { key: Buffer.from(body.subarray(m.keyStart, m.keyEnd)), value })
      }
    }
    if (held > LIST_MAX_BYTES) {
      throw new DocuSignError(
        'malformed',
        `The list is larger than ${LIST_MAX_BYTES / 1024 / 1024} MiB after ${page} pages: too much to print as one document.`,
        'Narrow it (from_date, to_date, status, count), or page through it yourself with start_position.',
        200,
        undefined,
        { topic: 'rest-refused' }
      )
    }
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
  merged.delete('nextUri')
  merged.delete('previousUri')
  const size = merged.get('resultSetSize')
  if (size?.value) size.value = Buffer.from(JSON.stringify(size.value[0] === 0x22 ? String(items) : items))
  return printed(merged)
}

/** The merged members as one JSON object, in pieces: `{"key":value,"list":[items,items],…}`. */
function printed(merged: Map<string, Held>): Buffer[] {
  const out: Buffer[] = []
  const piece = (s: string): number => out.push(Buffer.from(s))
  piece('{')
  let first = true
  for (const { key, items, value } of merged.values()) {
    if (!first) piece(',')
    first = false
    out.push(key)
    piece(':')
    if (value) {
      out.push(value)
      continue
    }
    piece('[')
    items!.forEach((list, n) => (n ? out.push(Buffer.from(','), list) : out.push(list)))
    piece(']')
  }
  piece('}')
  return out
}
