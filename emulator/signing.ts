/**
 * Signing a digest the client computed, as AWS KMS (MessageType DIGEST), Vault (prehashed: true), Cloud KMS
 * asymmetricSign and Key Vault sign all do. node:crypto's sign() always hashes its input, so the encodings are
 * applied here: EMSA-PKCS1-v1_5 and EMSA-PSS from RFC 8017 §9, and ECDSA over P-256 from FIPS 186-4 §6.4.
 * Also the key pairs the key-vault emulators hold: RSA of a size, or P-256.
 */
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
  type KeyObject
} from 'node:crypto'

export type DigestName =
  'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512' | 'sha3-224' | 'sha3-256' | 'sha3-384' | 'sha3-512'

/** The SHA-2 digests the cloud key services sign, with their lengths in bytes. */
export type Sha2Name = 'sha256' | 'sha384' | 'sha512'
export const DIGEST_LENGTH: Record<Sha2Name, number> = { sha256: 32, sha384: 48, sha512: 64 }

export type DigestSigning =
  | { padding: 'pkcs1v15' }
  | { padding: 'pss'; saltLength: number | 'max' }
  /** der: ASN.1 Ecdsa-Sig-Value (Cloud KMS, AWS KMS, Vault asn1); ieee-p1363: r‖s (JOSE: Key Vault, Vault jws). */
  | { padding: 'ecdsa'; encoding: 'der' | 'ieee-p1363' }

/**
 * The schemes the key services name: PKCS#1 v1.5; PSS with MGF1 over the same hash and a salt as long as the
 * digest (AWS KMS, Cloud KMS and Key Vault all sign so); ECDSA with its signature in `ecdsa` encoding.
 */
export function schemeOf(kind: 'pkcs1' | 'pss' | 'ecdsa', digest: Buffer, ecdsa: 'der' | 'ieee-p1363'): DigestSigning {
  if (kind === 'pkcs1') return { padding: 'pkcs1v15' }
  return kind === 'pss' ? { padding: 'pss', saltLength: digest.length } : { padding: 'ecdsa', encoding: ecdsa }
}

/** DER of each hash's AlgorithmIdentifier OID (RFC 8017 §9.2 note 1; NIST CSOR for SHA-3). */
const HASH_OIDS: Record<DigestName, string> = {
  sha1: '2b0e03021a',
  sha224: '608648016503040204',
  sha256: '608648016503040201',
  sha384: '608648016503040202',
  sha512: '608648016503040203',
  'sha3-224': '608648016503040207',
  'sha3-256': '608648016503040208',
  'sha3-384': '608648016503040209',
  'sha3-512': '60864801650304020a'
}

/** Signs an already computed digest with an RSA or P-256 private key. */
export function signDigest(key: KeyObject, digest: Buffer, hash: DigestName, scheme: DigestSigning): Buffer {
  // ECDSA takes a digest of any length and uses its leftmost bits (FIPS 186-4 §6.4, as Go's crypto/ecdsa).
  if (scheme.padding === 'ecdsa') return ecdsaP256Sign(key, digest, scheme.encoding)
  const hLen = createHash(hash).digest().length
  if (digest.length !== hLen) throw new Error(`digest is ${digest.length} bytes, ${hash} needs ${hLen}`)
  if (key.asymmetricKeyType !== 'rsa') throw new Error('RSA padding needs an RSA key')
  if (scheme.padding === 'pkcs1v15') {
    // EMSA-PKCS1-v1_5: DigestInfo; privateEncrypt with PKCS#1 padding applies the 00 01 FF.. 00 block type 1.
    const oid = Buffer.from(HASH_OIDS[hash], 'hex')
    const algorithm = Buffer.concat([Buffer.from([0x06, oid.length]), oid, Buffer.from([0x05, 0x00])])
    const digestInfo = derSequence(derSequence(algorithm), Buffer.from([0x04, digest.length]), digest)
    return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo)
  }
  // EMSA-PSS (RFC 8017 §9.1.1) with MGF1 over the same hash.
  const modBits = key.asymmetricKeyDetails?.modulusLength ?? 0
  const k = Math.ceil(modBits / 8)
  const emBits = modBits - 1
  const emLen = Math.ceil(emBits / 8)
  const sLen = scheme.saltLength === 'max' ? emLen - hLen - 2 : scheme.saltLength
  if (sLen < 0 || emLen < hLen + sLen + 2) throw new Error('encoding error: salt too long for the key')
  const salt = randomBytes(sLen)
  const h = createHash(hash)
    .update(Buffer.concat([Buffer.alloc(8), digest, salt]))
    .digest()
  const db = Buffer.concat([Buffer.alloc(emLen - sLen - hLen - 2), Buffer.from([0x01]), salt])
  const mask = mgf1(h, emLen - hLen - 1, hash)
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i]
  db[0] &= 0xff >> (8 * emLen - emBits)
  const em = Buffer.concat([db, h, Buffer.from([0xbc])])
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, Buffer.concat([Buffer.alloc(k - emLen), em]))
}

function mgf1(seed: Buffer, length: number, hash: DigestName): Buffer {
  const parts: Buffer[] = []
  for (let counter = 0, total = 0; total < length; counter++) {
    const c = Buffer.alloc(4)
    c.writeUInt32BE(counter)
    const block = createHash(hash).update(seed).update(c).digest()
    parts.push(block)
    total += block.length
  }
  return Buffer.concat(parts).subarray(0, length)
}

/** A DER SEQUENCE of the parts (short-form length: under 128 bytes, all this module needs). */
function derSequence(...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from([0x30, body.length]), body])
}

// P-256 domain parameters (FIPS 186-4 D.1.2.3 / SEC 2).
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n
const A = P - 3n
const G: [bigint, bigint] = [
  0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n
]
type Point = [bigint, bigint] | null

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m

function invert(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m]
  let [s0, s1] = [1n, 0n]
  while (r1 !== 0n) {
    const q = r0 / r1
    ;[r0, r1] = [r1, r0 - q * r1]
    ;[s0, s1] = [s1, s0 - q * s1]
  }
  return mod(s0, m)
}

function add(p1: Point, p2: Point): Point {
  if (!p1) return p2
  if (!p2) return p1
  const [x1, y1] = p1
  const [x2, y2] = p2
  let slope: bigint
  if (x1 === x2) {
    if (mod(y1 + y2, P) === 0n) return null
    slope = mod((3n * x1 * x1 + A) * invert(2n * y1, P), P)
  } else {
    slope = mod((y2 - y1) * invert(x2 - x1, P), P)
  }
  const x3 = mod(slope * slope - x1 - x2, P)
  return [x3, mod(slope * (x1 - x3) - y1, P)]
}

function multiply(k: bigint, point: Point): Point {
  let result: Point = null
  let addend = point
  for (let n = k; n > 0n; n >>= 1n) {
    if (n & 1n) result = add(result, addend)
    addend = add(addend, addend)
  }
  return result
}

const toBigInt = (b: Buffer): bigint => BigInt(`0x${b.toString('hex') || '0'}`)

function ecdsaP256Sign(key: KeyObject, digest: Buffer, encoding: 'der' | 'ieee-p1363'): Buffer {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('ECDSA here supports P-256 keys only')
  }
  const d = toBigInt(Buffer.from(String(key.export({ format: 'jwk' }).d), 'base64url'))
  // FIPS 186-4 §6.4: e = the leftmost min(N bits, hash bits) of the digest.
  let e = toBigInt(digest)
  if (digest.length * 8 > 256) e >>= BigInt(digest.length * 8 - 256)
  for (;;) {
    const k = mod(toBigInt(randomBytes(40)), N - 1n) + 1n
    const r = mod(multiply(k, G)![0], N)
    if (r === 0n) continue
    const s = mod(invert(k, N) * (e + r * d), N)
    if (s === 0n) continue
    const raw = [r, s].map(v => Buffer.from(v.toString(16).padStart(64, '0'), 'hex'))
    if (encoding === 'ieee-p1363') return Buffer.concat(raw)
    // Ecdsa-Sig-Value: SEQUENCE of two INTEGERs, minimal and positive.
    const ints = raw.map(b => {
      let i = 0
      while (i < b.length - 1 && b[i] === 0) i++
      const v = b.subarray(i)
      const body = v[0] & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v
      return Buffer.concat([Buffer.from([0x02, body.length]), body])
    })
    return derSequence(...ints)
  }
}

// ---------------------------------------------------------------------------------------------
// Key pairs.

/** What a signing key is: RSA with a modulus of this many bits, or EC on P-256. */
export type KeyShape = number | 'P-256'

/** A fresh private key of that shape. */
export function newSigningKey(shape: KeyShape): KeyObject {
  return shape === 'P-256'
    ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
    : generateKeyPairSync('rsa', { modulusLength: shape }).privateKey
}

/** Whether a key is of that shape (its type and curve, or its type and modulus size). */
export function hasShape(key: KeyObject, shape: KeyShape): boolean {
  const details = key.asymmetricKeyDetails
  return shape === 'P-256'
    ? key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1'
    : key.asymmetricKeyType === 'rsa' && details?.modulusLength === shape
}

/** The public half as SPKI PEM, as the key services publish it. */
export function publicKeyPem(privateKey: KeyObject): string {
  return createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()
}
