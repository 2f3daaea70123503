import { createPrivateKey, type KeyObject } from 'node:crypto'
import { InputError } from './errors.js'
import { MIN_BITS, publicKeyInfo, type PublicKeyInfo } from './signers/signer.js'

const INPUT = 'private-key' as const
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END ([A-Z0-9 ]+)-----/g
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
const QUOTED = /^(["'])([\s\S]*)\1$/

export interface PrivateKey {
  key: KeyObject
  /** The PEM actually parsed, when it differs from the input (decoded or re-lined): a secret too. */
  decoded?: string
  /** Its public half, size and fingerprint (safe to log: identifies the keypair), derived once, here. */
  public: PublicKeyInfo
}

function fail(problem: string, fix: string): never {
  throw new InputError(INPUT, problem, fix)
}

export const PASTE_FIX =
  'Use the whole RSA private key of the keypair (from -----BEGIN RSA PRIVATE KEY----- to -----END RSA PRIVATE KEY-----), as its file holds it.'

/**
 * Secrets arrive as real PEM, PEM with literal "\n", base64 of the PEM, with CRLF line ends, with a
 * UTF-8 byte-order mark (trim() drops it), or in the quotes of a .env or JSON file.
 */
function toPemText(input: string): string {
  let text = input.trim()
  const quoted = QUOTED.exec(text)
  if (quoted) text = quoted[2].trim()
  if (!text) fail('is empty.', PASTE_FIX)
  if (!text.includes('-----BEGIN')) {
    const compact = text.replace(/\s+/g, '')
    const decoded = BASE64.test(compact) ? Buffer.from(compact, 'base64').toString('latin1') : ''
    if (!decoded.includes('-----BEGIN')) {
      if (/^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-)/.test(text)) {
        fail('is an OpenSSH public key, not a private key.', text.startsWith('ssh-rsa') ? PASTE_FIX : NEW_RSA_KEY)
      }
      fail('is not a PEM private key, nor base64 of one.', PASTE_FIX)
    }
    text = decoded.trim()
  }
  if (!text.includes('\n') && text.includes('\\n')) text = text.replace(/\\r\\n|\\n/g, '\n')
  return text.replace(/\r\n?/g, '\n')
}

/** An RSA key is made anew; no tool converts an Ed25519 or EC key into one. */
const NEW_RSA_KEY =
  'DocuSign signs JWTs with RSA keys only (RS256), and no tool turns this key into one: make an RSA keypair on the integration key (Apps and Keys: Generate RSA), or with openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out docusign.key and Upload RSA of its public key (openssl pkey -in docusign.key -pubout).'

const ENCRYPTED: [string, string] = [
  'is encrypted with a passphrase.',
  'Store it unencrypted: openssl pkey -in key.pem -out plain.pem (asks for the passphrase), or use the key DocuSign generated.'
]

const PUBLIC: [string, string] = ['is a public key; signing needs the private half of the keypair.', PASTE_FIX]

/** PEM labels that are something other than an RSA private key: what it is, and what to do. */
const WRONG_KIND: Record<string, [string, string]> = {
  'PUBLIC KEY': PUBLIC,
  'RSA PUBLIC KEY': PUBLIC,
  CERTIFICATE: ['is a certificate, not a private key.', PASTE_FIX],
  'EC PRIVATE KEY': ['is an EC key, not an RSA key.', NEW_RSA_KEY],
  'ENCRYPTED PRIVATE KEY': ENCRYPTED,
  'OPENSSH PRIVATE KEY': [
    'is an RSA key in OpenSSH format.',
    'Convert a copy of it to PEM (ssh-keygen rewrites the file it is given): cp id_rsa docusign.key && ssh-keygen -p -N "" -m PEM -f docusign.key; or use the key DocuSign generated.'
  ]
}

/**
 * The key type an OpenSSH private key names (openssh-key-v1: magic, cipher, KDF, KDF options, key
 * count, then the public key blob, which starts with its type string): 'ssh-rsa', 'ssh-ed25519'…
 */
function openSshKeyType(body: string): string | undefined {
  const bytes = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('latin1')
  return /(ssh-rsa|ssh-ed25519|ssh-dss|ecdsa-sha2-nistp\d+|sk-[a-z0-9@.-]+)/.exec(bytes.slice(0, 200))?.[1]
}

const DAMAGED = 'could not be read: the PEM body is damaged or truncated.'

/**
 * The block as OpenSSL writes it: the body in lines of 64. Whitespace is not data in a PEM body, so
 * this only undoes what pasting does to line breaks: turned into spaces, removed, or every line
 * indented (YAML, .env files). A body that is not whole base64 once its whitespace is gone is
 * damaged, and refused: nothing is guessed.
 */
function canonicalPem(label: string, body: string): string {
  const base64 = body.replace(/\s+/g, '')
  if (!BASE64.test(base64) || base64.length % 4 !== 0) fail(DAMAGED, PASTE_FIX)
  const lines = base64.match(/.{1,64}/g) ?? []
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join('\n')
}

/** Reads the private key secret, accepting the shapes users store and rejecting the rest clearly. */
export function readPrivateKey(input: string): PrivateKey {
  if (input.trimStart().startsWith('PuTTY-User-Key-File')) {
    fail(
      'is a PuTTY key.',
      'Convert it to PEM with: puttygen key.ppk -O private-openssh -o key.pem, or use the key DocuSign generated.'
    )
  }
  const text = toPemText(input)
  const blocks = [...text.matchAll(PEM_BLOCK)]
  if (blocks.length === 0) {
    fail('has a -----BEGIN line but no matching -----END line: it looks truncated.', PASTE_FIX)
  }
  if (blocks.length > 1) {
    fail(`holds ${blocks.length} PEM blocks.`, 'Keep only the one RSA private key block.')
  }
  const [, label, body, endLabel] = blocks[0]
  if (label !== endLabel) {
    fail(`begins with '${label}' but ends with '${endLabel}'.`, PASTE_FIX)
  }
  if (label === 'OPENSSH PRIVATE KEY') {
    const type = openSshKeyType(body)
    if (type && type !== 'ssh-rsa') fail(`is an OpenSSH ${type.replace(/^ssh-/, '')} key, not an RSA key.`, NEW_RSA_KEY)
  }
  if (WRONG_KIND[label]) fail(...WRONG_KIND[label])
  if (label !== 'RSA PRIVATE KEY' && label !== 'PRIVATE KEY') {
    fail(`is a PEM '${label}' block, not an RSA private key.`, PASTE_FIX)
  }
  if (/Proc-Type:\s*4,ENCRYPTED/.test(body)) fail(...ENCRYPTED)

  const pem = canonicalPem(label, body)
  let key: KeyObject
  try {
    key = createPrivateKey({ key: pem, format: 'pem' })
  } catch {
    fail(DAMAGED, PASTE_FIX)
  }
  if (key.asymmetricKeyType !== 'rsa') {
    fail(`is an ${(key.asymmetricKeyType ?? 'non-RSA').toUpperCase()} key, not an RSA key.`, NEW_RSA_KEY)
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0
  if (bits < MIN_BITS) {
    fail(
      `is a ${bits}-bit RSA key; at least ${MIN_BITS} bits are required.`,
      'Make a new keypair of at least 2048 bits on the integration key (Apps and Keys: Generate RSA, or Upload RSA for one made with openssl genpkey).'
    )
  }
  const info = publicKeyInfo(key)
  return { key, decoded: pem === input ? undefined : pem, public: info }
}
