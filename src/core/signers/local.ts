import { sign } from 'node:crypto'
import type { PrivateKey } from '../private-key.js'
import type { PublicKeyInfo, Signer } from './signer.js'

/** The private key given as a secret: the one signer that needs no request. */
export class LocalSigner implements Signer {
  readonly description = 'the private key'
  private readonly info: PublicKeyInfo

  constructor(private readonly privateKey: PrivateKey) {
    this.info = privateKey.public
  }

  publicKey(): Promise<PublicKeyInfo> {
    return Promise.resolve(this.info)
  }

  sign(input: Buffer): Promise<Buffer> {
    return Promise.resolve(sign('sha256', input, this.privateKey.key))
  }
}
