/** Property-based tests: whatever users paste, the readers return a result or a typed error that quotes nothing. */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { ActionError, InputError } from '../src/core/errors.js'
import { parseInputs } from '../src/core/inputs.js'
import { readPrivateKey } from '../src/core/private-key.js'
import { objectMembers } from '../src/core/rest/json-members.js'
import { pkcs1, pkcs8 } from './helpers/keys.js'

const RUNS = 300

/** Long pieces of the input that must never come back in an error. */
function secretParts(text: string): string[] {
  return text
    .split(/\r?\n|\\n/)
    .map(l => l.trim())
    .filter(l => l.length >= 16 && !l.includes('-----') && !l.includes('PRIVATE KEY')) // armour is not secret
}

/** Calls fn; it must return, or throw an InputError for `input` that quotes none of `value`. */
/** The value, or the input error it raised (one InputError, or one ActionError listing several). */
function outcome<T>(fn: () => T, input: string | undefined, value: string): T | ActionError {
  const started = Date.now()
  try {
    return fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ActionError)
    expect((error as ActionError).kind).toBe('input')
    if (input) expect((error as InputError).input).toBe(input)
    for (const part of secretParts(value)) expect((error as Error).message).not.toContain(part)
    return error as ActionError
  } finally {
    expect(Date.now() - started).toBeLessThan(1000)
  }
}

/** A PEM mangled the ways copy and paste mangle them. */
const mangledPem = fc
  .tuple(fc.constantFrom(pkcs1, pkcs8), fc.nat(), fc.nat(), fc.string({ maxLength: 40 }), fc.nat(5))
  .map(([pem, a, b, insert, how]) => {
    const [i, j] = [a % pem.length, b % pem.length].sort((x, y) => x - y)
    const variants = [
      pem.slice(0, i) + pem.slice(j), // a piece cut out
      pem.slice(0, i) + insert + pem.slice(i), // something typed into it
      pem.slice(0, i) + pem.slice(i, j) + pem.slice(i), // a piece pasted twice
      pem.slice(i), // the start lost
      Buffer.from(pem.slice(0, j)).toString('base64'), // base64 of a truncated key
      pem.slice(0, i).replace(/\n/g, '\\n') + pem.slice(i) // half escaped
    ]
    return variants[how]
  })

describe('readPrivateKey, fuzzed', () => {
  it('returns an RSA key of at least 2048 bits or an InputError for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 3000 }), fc.string({ unit: 'binary', maxLength: 500 })), text => {
        const result = outcome(() => readPrivateKey(text), 'private-key', text)
        if (!(result instanceof ActionError)) expect(result.public.bits).toBeGreaterThanOrEqual(2048)
      }),
      { numRuns: RUNS }
    )
  })

  it('returns the key or an InputError that quotes no line of it, for mangled PEMs', () => {
    fc.assert(
      fc.property(mangledPem, text => {
        const result = outcome(() => readPrivateKey(text), 'private-key', `${text}\n${pkcs1}`)
        if (!(result instanceof ActionError)) expect(result.key.asymmetricKeyType).toBe('rsa')
      }),
      { numRuns: RUNS }
    )
  })
})

describe('parseInputs, fuzzed', () => {
  const guid = fc.uuid()
  const input = (valid: fc.Arbitrary<string>) => fc.oneof(valid, valid, fc.string({ maxLength: 60 }))
  const inputs = fc.record({
    'integration-key': input(guid),
    'user-id': input(guid),
    'private-key': fc.oneof(fc.constant(pkcs1), mangledPem, fc.string()),
    environment: input(fc.constantFrom('demo', 'production', 'https://oauth.example.test', 'http://127.0.0.1:8080')),
    scopes: input(fc.constantFrom('signature', 'signature impersonation', 'click.manage,click.send')),
    'account-id': input(fc.oneof(fc.constant(''), guid)),
    'skip-account-lookup': input(fc.constantFrom('true', 'false')),
    'export-env': input(fc.constantFrom('true', 'false')),
    'timeout-seconds': input(fc.integer({ min: 1, max: 600 }).map(String)),
    'max-attempts': input(fc.integer({ min: 1, max: 10 }).map(String)),
    'consent-redirect-uri': input(fc.webUrl())
  })

  it('returns a config or an InputError that quotes no input value', () => {
    fc.assert(
      fc.property(inputs, values => {
        const all = Object.values(values).join('\n')
        const result = outcome(() => parseInputs(name => values[name as keyof typeof values] ?? ''), undefined, all)
        if (result instanceof ActionError) {
          for (const value of Object.values(values)
            .map(v => v.trim())
            .filter(v => v.length >= 8)) {
            expect(result.message).not.toContain(value)
          }
        } else {
          expect(result.maxAttempts).toBeGreaterThanOrEqual(1)
          expect(result.scopes).toContain('impersonation')
        }
      }),
      { numRuns: RUNS }
    )
  })
})

describe("--paginate's JSON scanner (src/core/rest/json-members.ts)", () => {
  /** JSON.parse's verdict: the top-level object's members as key and value, or undefined when it is not one. */
  const parsed = (text: string): [string, string][] | undefined => {
    try {
      const value = JSON.parse(text) as unknown
      if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
      return Object.entries(value).map(([k, v]) => [k, JSON.stringify(v)])
    } catch {
      return undefined
    }
  }
  const scanned = (text: string): [string, string][] | undefined => {
    const bytes = Buffer.from(text)
    const members = objectMembers(bytes)
    if (typeof members === 'string') return undefined
    const slice = (a: number, b: number) => bytes.subarray(a, b).toString('utf8')
    const entries = members.map(m => {
      const value = slice(m.valueStart, m.valueEnd)
      expect(m.array).toBe(value.startsWith('['))
      return [JSON.parse(slice(m.keyStart, m.keyEnd)) as string, JSON.stringify(JSON.parse(value))] as [string, string]
    })
    // Duplicate keys: JSON.parse keeps the last value, in the first one's place.
    return [...new Map(entries)]
  }

  it('agrees with JSON.parse on valid and broken JSON, and finds each member', () => {
    const json = fc.jsonValue().map(v => JSON.stringify(v))
    const object = fc.dictionary(fc.string(), fc.jsonValue()).map(o => JSON.stringify(o, null, 1))
    const broken = fc
      .tuple(object, fc.nat(), fc.constantFrom('', ',', ']', '}', '"', '\\', '-', '0', ' ', '\u0001', 'e'))
      .map(
        ([text, at, piece]) => text.slice(0, at % (text.length + 1)) + piece + text.slice((at % (text.length + 1)) + 1)
      )
    fc.assert(
      fc.property(fc.oneof(json, object, broken), text => {
        expect(scanned(text)).toEqual(parsed(text))
      }),
      { numRuns: 2000 }
    )
  })
})
