import { isUtf8 } from 'node:buffer'

/** One member of a JSON object, as byte offsets into the text: the key (quotes included) and the value. */
export interface Member {
  keyStart: number
  keyEnd: number
  valueStart: number
  valueEnd: number
  /** The value is an array: its items are the text between its brackets. */
  array: boolean
}

/** Deeper than any eSignature answer, and than jq reads (its parser stops at 10,000). */
const MAX_DEPTH = 10_000

/** Byte classes, looked up per byte: this loop is where --paginate spends its time. */
const table = (chars: string): Uint8Array => {
  const t = new Uint8Array(256)
  for (const c of chars) t[c.charCodeAt(0)] = 1
  return t
}
const WS = table(' \t\n\r')
const ESCAPES = table('"\\/bfnrtu')
const LITERALS = ['true', 'false', 'null'].map(word => Buffer.from(word))

/**
 * The members of the JSON object `text` holds, checked as JSON.parse would (UTF-8, grammar), without
 * building a single object: a page of millions of items costs its bytes and a few numbers, not
 * millions of objects. Returns a reason instead when the text is not one JSON object.
 */
export function objectMembers(text: Buffer): Member[] | string {
  if (!isUtf8(text)) return 'is not UTF-8'
  const members: Member[] = []
  const stack: number[] = [] // 0x7b { or 0x5b [
  let i = skip(text, 0)
  if (text[i] !== 0x7b) return 'is not a JSON object'
  let expect: 'value' | 'key' | 'after' = 'value'
  let member: Partial<Member> | undefined
  const fail = (): string => `is not JSON (at byte ${i})`
  for (;;) {
    i = skip(text, i)
    const c = text[i]
    if (expect === 'value') {
      if (stack.length === 1) member!.valueStart = i
      if (c === 0x7b || c === 0x5b) {
        if (stack.length >= MAX_DEPTH) return `is nested deeper than ${MAX_DEPTH} levels`
        if (stack.length === 1) member!.array = c === 0x5b
        stack.push(c)
        i = skip(text, i + 1)
        // `c + 2`: the closing bracket or brace of `c`.
        if (text[i] !== c + 2) {
          expect = c === 0x7b ? 'key' : 'value'
          continue
        }
        stack.pop()
        i++
      } else {
        const end = scalarEnd(text, i)
        if (end < 0) return fail()
        i = end
      }
      expect = 'after'
    } else if (expect === 'key') {
      if (c !== 0x22) return fail()
      const keyEnd = stringEnd(text, i)
      if (keyEnd < 0) return fail()
      if (stack.length === 1) member = { keyStart: i, keyEnd, array: false }
      i = keyEnd
      i = skip(text, i)
      if (text[i] !== 0x3a) return fail()
      i++
      expect = 'value'
      continue
    } else {
      if (stack.length === 0) return skip(text, i) === text.length ? members : fail()
      const top = stack[stack.length - 1]
      if (c === 0x2c) {
        i++
        expect = top === 0x7b ? 'key' : 'value'
        continue
      }
      if (c !== top + 2) return fail()
      stack.pop()
      i++
    }
    // A value ended: one at the top level completes a member.
    if (stack.length === 1 && member && expect === 'after') {
      member.valueEnd = i
      members.push(member as Member)
      member = undefined
    }
  }
}

function skip(text: Buffer, from: number): number {
  let i = from
  while (i < text.length && WS[text[i]]) i++
  return i
}

/** Where a string, a number or a literal starting at `i` ends; -1 when none starts there. */
function scalarEnd(text: Buffer, i: number): number {
  const c = text[i]
  if (c === 0x22) return stringEnd(text, i)
  for (const word of LITERALS) {
    if (c === word[0]) return text.subarray(i, i + word.length).equals(word) ? i + word.length : -1
  }
  // A number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?
  let j = c === 0x2d ? i + 1 : i
  if (text[j] === 0x30) j++
  else if (isDigit(text[j])) j = digits(text, j)
  else return -1
  if (text[j] === 0x2e) {
    if (!isDigit(text[j + 1])) return -1
    j = digits(text, j + 1)
  }
  if (text[j] === 0x65 || text[j] === 0x45) {
    j++
    if (text[j] === 0x2b || text[j] === 0x2d) j++
    if (!isDigit(text[j])) return -1
    j = digits(text, j)
  }
  return j
}

const isDigit = (c: number | undefined): boolean => c !== undefined && c >= 0x30 && c <= 0x39

function digits(text: Buffer, from: number): number {
  let j = from
  while (isDigit(text[j])) j++
  return j
}

/** Where a string starting at `i` (its opening quote) ends, past its closing quote; -1 when it is not one. */
function stringEnd(text: Buffer, from: number): number {
  for (let i = from + 1; i < text.length; i++) {
    const c = text[i]
    if (c === 0x22) return i + 1
    if (c < 0x20) return -1
    if (c === 0x5c) {
      const escaped = text[++i]
      if (!ESCAPES[escaped]) return -1
      if (escaped === 0x75 && !/^[0-9a-f]{4}$/i.test(text.toString('latin1', i + 1, i + 5))) return -1
    }
  }
  return -1
}
