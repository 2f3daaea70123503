/** Keys in the shapes users paste, generated once per test file. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { newPrivateKeyPem } from '../../emulator/setup.js'

export const pkcs1 = newPrivateKeyPem()
export const keyObject: KeyObject = createPrivateKey(pkcs1)
export const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'pem' }).toString()

/** Every accepted shape of the same key, by name. */
export const shapes: Record<string, string> = {
  'PKCS#1 PEM': pkcs1,
  'PKCS#8 PEM': pkcs8,
  'base64 of the PEM': Buffer.from(pkcs1).toString('base64'),
  'PEM with literal \\n on one line': pkcs1.trim().replace(/\n/g, '\\n'),
  'PEM with CRLF line ends': pkcs1.replace(/\n/g, '\r\n'),
  'PEM with surrounding whitespace': `\n  ${pkcs1}\n\n  `
}

/** Keys that must be refused, each with a word the refusal must contain. */
export function refusedKeys(): Record<string, [key: string, word: RegExp]> {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  const ed = generateKeyPairSync('ed25519').privateKey
  const encrypt = { cipher: 'aes-256-cbc', passphrase: 'secret' }
  const [head, ...body] = pkcs1.trim().split('\n')
  return {
    'EC key (SEC1)': [ec.export({ type: 'sec1', format: 'pem' }).toString(), /EC key/],
    'EC key (PKCS#8)': [ec.export({ type: 'pkcs8', format: 'pem' }).toString(), /ec key/],
    'Ed25519 key': [ed.export({ type: 'pkcs8', format: 'pem' }).toString(), /ed25519/],
    'RSA 1024': [newPrivateKeyPem(1024), /1024-bit/],
    'public key': [createPublicKey(keyObject).export({ type: 'spki', format: 'pem' }).toString(), /public key/],
    'RSA public key': [createPublicKey(keyObject).export({ type: 'pkcs1', format: 'pem' }).toString(), /public key/],
    'encrypted PKCS#8': [keyObject.export({ type: 'pkcs8', format: 'pem', ...encrypt }).toString(), /encrypted/],
    'encrypted PKCS#1': [keyObject.export({ type: 'pkcs1', format: 'pem', ...encrypt }).toString(), /encrypted/],
    'OpenSSH private key': [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn\n-----END OPENSSH PRIVATE KEY-----\n',
      /OpenSSH/
    ],
    'OpenSSH public key': ['ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host', /OpenSSH public key/],
    'PuTTY key': ['PuTTY-User-Key-File-3: ssh-rsa\nEncryption: none\nComment: rsa-key\nPublic-Lines: 6\n', /PuTTY/],
    certificate: ['-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUW\n-----END CERTIFICATE-----\n', /certificate/],
    empty: ['', /empty/],
    'whitespace only': ['  \n\t ', /empty/],
    garbage: ['this is not a key at all!', /not a PEM/],
    'base64 of garbage': [Buffer.from('hello, world, no key here').toString('base64'), /not a PEM/],
    'truncated PEM': [[head, ...body.slice(0, 10)].join('\n'), /truncated/],
    'damaged PEM body': [[head, ...body.slice(0, 10), body[body.length - 1]].join('\n'), /damaged or truncated/],
    'wrong footer': [pkcs1.replace('END RSA PRIVATE KEY', 'END PRIVATE KEY'), /ends with/],
    'two keys pasted together': [`${pkcs1}\n${pkcs8}`, /2 PEM blocks/]
  }
}
