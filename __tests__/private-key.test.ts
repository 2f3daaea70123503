import { createHash, createPublicKey } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/core/errors.js'
import { readPrivateKey } from '../src/core/private-key.js'
import { keyObject, pkcs1, refusedKeys, shapes } from './helpers/keys.js'

const fingerprint = createHash('sha256')
  .update(createPublicKey(keyObject).export({ type: 'spki', format: 'der' }))
  .digest('hex')

describe('readPrivateKey', () => {
  it.each(Object.entries(shapes))('reads %s as the same RSA key', (_name, text) => {
    const key = readPrivateKey(text)
    expect(key.bits).toBe(2048)
    expect(key.fingerprint).toBe(fingerprint)
    expect(key.key.asymmetricKeyType).toBe('rsa')
  })

  it('reports the decoded PEM only when it differs from the input', () => {
    expect(readPrivateKey(pkcs1.trim()).decoded).toBeUndefined()
    const decoded = readPrivateKey(Buffer.from(pkcs1).toString('base64')).decoded
    expect(decoded).toBe(pkcs1.trim())
    expect(readPrivateKey(pkcs1.replace(/\n/g, '\r\n')).decoded).toBe(pkcs1.trim())
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
})
