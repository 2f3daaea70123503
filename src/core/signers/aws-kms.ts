import { SignerError, type PublicKeyInfo, type Signer, type SignerContext, type SigningKeySpec } from './signer.js'
import { describeSpec } from './spec.js'

/** Placeholder until the backend lands: refuses with a clear message. */
export class AwsKmsSigner implements Signer {
  readonly description: string
  constructor(spec: SigningKeySpec, _context: SignerContext) {
    this.description = describeSpec(spec)
  }
  publicKey(): Promise<PublicKeyInfo> {
    return Promise.reject(
      new SignerError('refused', `${this.description}: this backend is not available yet.`, 'Use private-key.')
    )
  }
  sign(): Promise<Buffer> {
    return this.publicKey().then(() => Buffer.alloc(0))
  }
}
