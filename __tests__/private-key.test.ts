import { createHash, createPublicKey } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/core/errors.js'
import { readPrivateKey } from '../src/core/private-key.js'
import { keyObject, pkcs1, pkcs8, refusedKeys, shapes } from './helpers/keys.js'

const fingerprint = createHash('sha256')
  .update(createPublicKey(keyObject).export({ type: 'spki', format: 'der' }))
  .digest('hex')

describe('readPrivateKey', () => {
  it.each(Object.entries(shapes))('reads %s as the same RSA key', (_name, text) => {
    const key = readPrivateKey(text)
    expect(key.public.bits).toBe(2048)
    expect(key.public.fingerprint).toBe(fingerprint)
    expect(key.key.asymmetricKeyType).toBe('rsa')
  })

  it('reports the decoded PEM only when it differs from the input', () => {
    expect(readPrivateKey(pkcs1.trim()).decoded).toBeUndefined()
    const decoded = readPrivateKey(Buffer.from(pkcs1).toString('base64')).decoded
    expect(decoded).toBe(pkcs1.trim())
    expect(readPrivateKey(pkcs1.replace(/\n/g, '\r\n')).decoded).toBe(pkcs1.trim())
  })

  it('re-lines a PEM whose line breaks were turned into spaces or indented, as OpenSSL writes it', () => {
    for (const pem of [pkcs1, pkcs8]) {
      expect(readPrivateKey(pem.trim().replace(/\n/g, ' ')).decoded).toBe(pem.trim())
      expect(readPrivateKey(pem.replace(/^/gm, '    ')).decoded).toBe(pem.trim())
      expect(readPrivateKey(`"${pem.trim()}"`).decoded).toBe(pem.trim())
    }
  })

  it.each(Object.entries(refusedKeys()))(
    'refuses %s with a typed error that names the input',
    (_name, [text, word]) => {
      let error: unknown
      try {
        readPrivateKey(text)
      } catch (e) {
        error = e
      }
      expect(error).toBeInstanceOf(InputError)
      const message = (error as InputError).message
      expect((error as InputError).input).toBe('private-key')
      expect(message).toMatch(/^Input 'private-key' /)
      expect(message).toMatch(word)
      // Never a line of the key in the message.
      for (const line of text.split('\n').filter(l => l.trim().length > 12 && !l.startsWith('-----'))) {
        expect(message).not.toContain(line.trim())
      }
    }
  )

  describe('never guesses at a damaged key in those shapes', () => {
    const lines = pkcs1.trim().split('\n')
    const lines8 = pkcs8.trim().split('\n')
    const spaced = (ls: string[]) => ls.join(' ')
    const indented = (ls: string[]) => ls.map(l => `    ${l}`).join('\n')
    const without = (ls: string[], i: number) => [...ls.slice(0, i), ...ls.slice(i + 1)]
    const cases: Record<string, [key: string, word: RegExp]> = {
      'spaces for line breaks, a line lost': [spaced(without(lines, 5)), /damaged or truncated/],
      'spaces for line breaks, a line lost (PKCS#8)': [spaced(without(lines8, 5)), /damaged or truncated/],
      'spaces for line breaks, one character lost': [
        spaced(lines.map((l, i) => (i === 3 ? l.slice(1) : l))),
        /damaged or truncated/
      ],
      'spaces for line breaks, a character typed in': [
        spaced(lines.map((l, i) => (i === 3 ? `${l.slice(0, 9)}*${l.slice(9)}` : l))),
        /damaged or truncated/
      ],
      'spaces for line breaks, four characters typed in': [
        spaced(lines.map((l, i) => (i === 3 ? `${l.slice(0, 9)}AAAA${l.slice(9)}` : l))),
        /damaged or truncated/
      ],
      'spaces for line breaks, cut off before the footer': [spaced(lines.slice(0, -4)), /looks truncated/],
      'spaces for line breaks, the wrong footer': [
        spaced([...lines.slice(0, -1), '-----END PRIVATE KEY-----']),
        /ends with/
      ],
      'line breaks removed, a line lost': [without(lines, 7).join(''), /damaged or truncated/],
      'indented, a line lost': [indented(without(lines, 9)), /damaged or truncated/],
      'indented, a line lost (PKCS#8)': [indented(without(lines8, 9)), /damaged or truncated/],
      'indented, with a YAML comment inside': [
        indented([...lines.slice(0, 4), '# rotated 2026-01', ...lines.slice(4)]),
        /damaged or truncated/
      ],
      'spaces for line breaks, an encrypted PKCS#1 key': [
        spaced(
          keyObject
            .export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' })
            .toString()
            .trim()
            .split('\n')
        ),
        /encrypted/
      ],
      'only armour and base64 that is no key': [
        `-----BEGIN RSA PRIVATE KEY----- ${'QUJD'.repeat(100)} -----END RSA PRIVATE KEY-----`,
        /damaged or truncated/
      ],
      'an empty body': ['-----BEGIN RSA PRIVATE KEY----- -----END RSA PRIVATE KEY-----', /damaged or truncated/],
      'quotes around nothing': ['""', /empty/]
    }

    it.each(Object.entries(cases))('refuses %s', (_name, [text, word]) => {
      expect(() => readPrivateKey(text)).toThrow(InputError)
      expect(() => readPrivateKey(text)).toThrow(word)
    })
  })
})
