/** A throwaway certificate authority and a server certificate it signs, for HTTPS on loopback. */
import { generateKeyPairSync } from 'node:crypto'
import forge from 'node-forge'

export interface TestPki {
  /** The CA certificate (PEM): what NODE_EXTRA_CA_CERTS points at. */
  caCert: string
  /** The server's certificate and key (PEM), for the given host names. */
  cert: string
  key: string
}

function keyPair(): { pem: string; forgeKey: forge.pki.rsa.PrivateKey; forgePublic: forge.pki.rsa.PublicKey } {
  // Node generates the key (fast); forge only builds and signs the certificates.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' }
  })
  const forgeKey = forge.pki.privateKeyFromPem(privateKey)
  return { pem: privateKey, forgeKey, forgePublic: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) }
}

function certificate(
  subject: string,
  publicKey: forge.pki.rsa.PublicKey,
  issuer: { name: string; key: forge.pki.rsa.PrivateKey },
  extensions: object[]
): string {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  cert.serialNumber = `0${forge.util.bytesToHex(forge.random.getBytesSync(8))}`
  cert.validity.notBefore = new Date(Date.now() - 3600_000)
  cert.validity.notAfter = new Date(Date.now() + 7 * 24 * 3600_000)
  cert.setSubject([{ name: 'commonName', value: subject }])
  cert.setIssuer([{ name: 'commonName', value: issuer.name }])
  cert.setExtensions(extensions)
  cert.sign(issuer.key, forge.md.sha256.create())
  return forge.pki.certificateToPem(cert)
}

export function createTestPki(hostnames: string[]): TestPki {
  const ca = keyPair()
  const caName = 'DocuSign emulator test CA'
  const caCert = certificate(caName, ca.forgePublic, { name: caName, key: ca.forgeKey }, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
  ])
  const server = keyPair()
  const cert = certificate(hostnames[0], server.forgePublic, { name: caName, key: ca.forgeKey }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hostnames.map(h => (/^[\d.]+$/.test(h) ? { type: 7, ip: h } : { type: 2, value: h }))
    }
  ])
  return { caCert, cert, key: server.pem }
}
