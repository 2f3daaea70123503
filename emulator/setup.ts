/** A ready DocuSign sandbox on the emulator: one integration key with a fresh keypair, one user. */
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto'
import { DocuSignEmulator, type EmulatorOptions } from './docusign.js'

export const DEFAULT_SCOPES = ['signature', 'impersonation']

/** A new RSA keypair's private half as DocuSign's "Generate RSA" gives it: PKCS#1 PEM. */
export function newPrivateKeyPem(bits = 2048): string {
  return generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' }
  }).privateKey
}

export interface Sandbox {
  emulator: DocuSignEmulator
  privateKey: string
  integrationKey: string
  userId: string
  accountId: string
  /** The action's inputs for this sandbox, with overrides. */
  inputs: (overrides?: Record<string, string>) => Record<string, string>
  grantConsent: (scopes?: string[]) => void
}

export interface SandboxOptions extends EmulatorOptions {
  privateKey?: string
  consent?: boolean
  /** The account's base_uri is the emulator itself, which serves the eSignature REST API (/restapi). */
  restApi?: boolean
  /** Fixed IDs, for a sandbox that a committed .env file points at. */
  integrationKey?: string
  userId?: string
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const emulator = await DocuSignEmulator.start(options)
  const privateKey = options.privateKey ?? newPrivateKeyPem()
  const publicKey = createPublicKey(createPrivateKey(privateKey))
  const integrationKey = emulator.addIntegrationKey([publicKey], undefined, options.integrationKey)
  const accountId = '9f5a1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b'
  const userId = emulator.addUser({
    id: options.userId,
    name: 'Dana Signer',
    email: 'dana@example.com',
    accounts: [
      {
        account_id: accountId,
        account_name: 'Acme Demo',
        is_default: true,
        base_uri: options.restApi ? emulator.url : 'https://demo.docusign.net'
      }
    ]
  })
  const sandbox: Sandbox = {
    emulator,
    privateKey,
    integrationKey,
    userId,
    accountId,
    inputs: overrides => ({
      'integration-key': integrationKey,
      'user-id': userId,
      'private-key': privateKey,
      environment: emulator.url,
      ...overrides
    }),
    grantConsent: (scopes = DEFAULT_SCOPES) => emulator.grantConsent(integrationKey, userId, scopes)
  }
  if (options.consent) sandbox.grantConsent()
  return sandbox
}
