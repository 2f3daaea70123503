import type { Config } from '../inputs.js'
import { LocalSigner } from './local.js'
import type { Signer, SignerContext } from './signer.js'

/**
 * The signer for this run: the local key, or the key vault's backend, each loaded only when used so
 * the private-key path carries none of them.
 */
export async function openSigner(config: Config, context: SignerContext): Promise<Signer> {
  const source = config.signingKey
  if ('privateKey' in source) return new LocalSigner(source.privateKey)
  const { spec } = source
  switch (spec.backend) {
    case 'aws-kms':
      return new (await import('./aws-kms.js')).AwsKmsSigner(spec, context)
    case 'vault-transit':
      return new (await import('./vault-transit.js')).VaultTransitSigner(spec, context)
    case 'gcp-kms':
      return new (await import('./gcp-kms.js')).GcpKmsSigner(spec, context)
    case 'azure-key-vault':
      return new (await import('./azure-key-vault.js')).AzureKeyVaultSigner(spec, context)
  }
}
