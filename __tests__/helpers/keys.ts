/** Keys in the shapes users paste, generated once per test file. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { newPrivateKeyPem } from '../../emulator/setup.js'

export const pkcs1 = newPrivateKeyPem()
export const keyObject: KeyObject = createPrivateKey(pkcs1)
export const pkcs8 = keyObject.export({ type: 'pkcs8', format: 'pem' }).toString()

/** The ways people store a PEM: in a file, or pasted through a web form, YAML, a .env file or JSON. */
const stored: Record<string, (pem: string) => string> = {
  PEM: pem => pem,
  'base64 of the PEM': pem => Buffer.from(pem).toString('base64'),
  'PEM with literal \\n on one line': pem => pem.trim().replace(/\n/g, '\\n'),
  'PEM with CRLF line ends': pem => pem.replace(/\n/g, '\r\n'),
  'PEM with surrounding whitespace': pem => `\n  ${pem}\n\n  `,
  'PEM with its line breaks turned into spaces': pem => pem.trim().replace(/\n/g, ' '),
  'PEM with its line breaks removed': pem => pem.trim().replace(/\n/g, ''),
  'PEM with every line indented (YAML, .env)': pem => pem.replace(/^/gm, '    '),
  'PEM with every line indented by a tab': pem => pem.replace(/^/gm, '\t'),
  'PEM with a UTF-8 byte-order mark': pem => `\uFEFF${pem}`,
  'PEM in double quotes': pem => `"${pem.trim()}"`,
  "PEM in single quotes, after a BOM (a .env file's line)": pem => `\uFEFF'${pem.trim()}'`,
  'PEM with literal \\n, in double quotes (JSON, .env)': pem => `"${pem.trim().replace(/\n/g, '\\n')}"`,
  'base64 of the PEM, in double quotes': pem => `"${Buffer.from(pem).toString('base64')}"`
}

/**
 * Every accepted shape of the same key, by name: each way of storing it, of the PKCS#1 PEM DocuSign
 * generates ('PKCS#1 PEM', 'base64 of the PEM'...) and of its PKCS#8 form ('... (PKCS#8)').
 */
export const shapes: Record<string, string> = Object.fromEntries(
  Object.entries(stored).flatMap(([how, store]) => [
    [how === 'PEM' ? 'PKCS#1 PEM' : how, store(pkcs1)],
    [how === 'PEM' ? 'PKCS#8 PEM' : `${how} (PKCS#8)`, store(pkcs8)]
  ])
)

/** An OpenSSH (openssh-key-v1) Ed25519 private key's PEM: what ssh-keygen -t ed25519 writes, unencrypted. */
function openSshEd25519(): string {
  const string = (value: Buffer | string): Buffer => {
    const bytes = Buffer.from(value)
    const length = Buffer.alloc(4)
    length.writeUInt32BE(bytes.length)
    return Buffer.concat([length, bytes])
  }
  const publicKey = string(Buffer.concat([string('ssh-ed25519'), string(Buffer.alloc(32, 7))]))
  const one = Buffer.from([0, 0, 0, 1])
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0'),
    string('none'),
    string('none'),
    string(''),
    one,
    publicKey
  ])
  const lines = blob.toString('base64').match(/.{1,70}/g) ?? []
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines, '-----END OPENSSH PRIVATE KEY-----', ''].join('\n')
}

/** Keys that must be refused, each with a word the refusal must contain. */
export function refusedKeys(): Record<string, [key: string, word: RegExp]> {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  const ed = generateKeyPairSync('ed25519').privateKey
  const encrypt = { cipher: 'aes-256-cbc', passphrase: 'secret' }
  const [head, ...body] = pkcs1.trim().split('\n')
  return {
    'EC key (SEC1)': [ec.export({ type: 'sec1', format: 'pem' }).toString(), /EC key/],
    'EC key (PKCS#8)': [ec.export({ type: 'pkcs8', format: 'pem' }).toString(), /an EC key/],
    'Ed25519 key': [ed.export({ type: 'pkcs8', format: 'pem' }).toString(), /an ED25519 key/],
    'RSA 1024': [newPrivateKeyPem(1024), /1024-bit/],
    'public key': [createPublicKey(keyObject).export({ type: 'spki', format: 'pem' }).toString(), /public key/],
    'RSA public key': [createPublicKey(keyObject).export({ type: 'pkcs1', format: 'pem' }).toString(), /public key/],
    'encrypted PKCS#8': [keyObject.export({ type: 'pkcs8', format: 'pem', ...encrypt }).toString(), /encrypted/],
    'encrypted PKCS#1': [keyObject.export({ type: 'pkcs1', format: 'pem', ...encrypt }).toString(), /encrypted/],
    'OpenSSH private key': [
      '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn\n-----END OPENSSH PRIVATE KEY-----\n',
      /OpenSSH/
    ],
    'OpenSSH Ed25519 private key': [openSshEd25519(), /OpenSSH ed25519 key, not an RSA key/],
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
