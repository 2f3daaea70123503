import { InputError } from '../errors.js'
import { ciSystem } from '../ci-system.js'
import type { SigningKeySpec } from './signer.js'

const KEYLESS = 'docs/keyless.md'
const FORMS =
  'aws-kms:ARN (or aws-kms:alias/NAME, aws-kms:KEY-ID with AWS_REGION), vault-transit:[MOUNT/]KEY, gcp-kms:projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V, or azure-key-vault:https://NAME.vault.azure.net/keys/KEY[/VERSION] (or NAME.managedhsm.azure.net)'

function fail(problem: string, fix = `Use one of: ${FORMS} (see ${KEYLESS}).`): never {
  throw new InputError('signing-key', problem, fix)
}

const AWS_ARN = /^arn:aws(?:-[a-z]+)*:kms:([a-z0-9-]+):(\d{12}):(key\/[A-Za-z0-9-]+|alias\/[A-Za-z0-9/_-]+)$/
const AWS_KEY_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/i
const AWS_ALIAS = /^alias\/[A-Za-z0-9/_-]+$/
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/
const VAULT_NAME = /^[A-Za-z0-9_.-]+$/
const GCP_VERSION =
  /^projects\/[a-z0-9-]+\/locations\/[a-z0-9-]+\/keyRings\/[A-Za-z0-9_-]+\/cryptoKeys\/[A-Za-z0-9_-]+\/cryptoKeyVersions\/\d+$/
/** Key Vault's and Managed HSM's hosts in Azure's public and sovereign clouds (the same keys API). */
const AZURE_VAULT_HOST =
  /^([a-z0-9](?:[a-z0-9-]{1,22}[a-z0-9])?)\.(vault\.azure\.net|vault\.azure\.cn|vault\.usgovcloudapi\.net|vault\.microsoftazure\.de|managedhsm\.azure\.net|managedhsm\.azure\.cn|managedhsm\.usgovcloudapi\.net)$/i

function awsKms(rest: string, env: Record<string, string | undefined>): SigningKeySpec {
  const arn = AWS_ARN.exec(rest)
  if (arn) return { backend: 'aws-kms', keyId: rest, region: arn[1] }
  if (!AWS_ALIAS.test(rest) && !AWS_KEY_ID.test(rest)) {
    fail('names no AWS KMS key: after aws-kms: give a key ARN, an alias ARN, alias/NAME or a key ID.')
  }
  const region = (env.AWS_REGION || env.AWS_DEFAULT_REGION || '').trim()
  if (!region) {
    fail(
      `names the AWS KMS key ${rest} without a region.`,
      `Give the key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), or set AWS_REGION${ciSystem(env) === 'github' ? ': aws-actions/configure-aws-credentials sets it from its aws-region input' : ' in the environment'}.`
    )
  }
  if (!AWS_REGION.test(region)) fail('names an AWS region (AWS_REGION) that is not one, such as us-east-1.')
  return { backend: 'aws-kms', keyId: rest, region }
}

function vaultTransit(rest: string): SigningKeySpec {
  const parts = rest.split('/')
  const key = parts.pop() ?? ''
  const mount = parts.length ? parts.join('/') : 'transit'
  if (!VAULT_NAME.test(key) || !mount.split('/').every(p => VAULT_NAME.test(p))) {
    fail('names no Vault transit key: after vault-transit: give KEY, or MOUNT/KEY (letters, digits, _ . -).')
  }
  return { backend: 'vault-transit', mount, key }
}

function azureKeyVault(rest: string): SigningKeySpec {
  let url: URL | undefined
  try {
    url = new URL(rest)
  } catch {
    url = undefined
  }
  const path = url ? /^\/keys\/([A-Za-z0-9-]{1,127})(?:\/([0-9a-f]{32}))?\/?$/i.exec(url.pathname) : null
  if (!url || url.protocol !== 'https:' || !AZURE_VAULT_HOST.test(url.hostname) || url.port || url.search || !path) {
    fail(
      'names no Azure Key Vault key: after azure-key-vault: give https://NAME.vault.azure.net/keys/KEY or .../keys/KEY/VERSION (a Managed HSM: https://NAME.managedhsm.azure.net/keys/KEY).'
    )
  }
  return { backend: 'azure-key-vault', vault: url.origin, key: path[1], version: path[2]?.toLowerCase() }
}

/**
 * `signing-key`: where the RSA private key lives, instead of `private-key`. Checked before any
 * request; messages name the form, never the credentials (there are none in it).
 */
export function parseSigningKey(value: string, env: Record<string, string | undefined>): SigningKeySpec {
  const at = value.indexOf(':')
  const backend = at > 0 ? value.slice(0, at) : ''
  const rest = value.slice(at + 1).trim()
  switch (backend) {
    case 'aws-kms':
      return awsKms(rest, env)
    case 'vault-transit':
      return vaultTransit(rest)
    case 'gcp-kms':
      if (!GCP_VERSION.test(rest)) {
        fail(
          'names no Google Cloud KMS key version: after gcp-kms: give projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V.'
        )
      }
      return { backend: 'gcp-kms', name: rest }
    case 'azure-key-vault':
      return azureKeyVault(rest)
    default:
      if (value.includes('-----BEGIN')) {
        fail(
          'holds a PEM key; it names where a key lives.',
          'Put the key itself in private-key, or a key vault reference here.'
        )
      }
      return fail('does not start with aws-kms:, vault-transit:, gcp-kms: or azure-key-vault:.')
  }
}

/** A Managed HSM (NAME.managedhsm.azure.net and its sovereign twins) rather than a Key Vault. */
export function isManagedHsm(vault: string): boolean {
  return /\.managedhsm\./i.test(new URL(vault).hostname)
}

/** How messages, logs and summaries name a key in a key vault. */
export function describeSpec(spec: SigningKeySpec): string {
  switch (spec.backend) {
    case 'aws-kms':
      return `AWS KMS key ${spec.keyId} (${spec.region})`
    case 'vault-transit':
      return `Vault transit key ${spec.mount}/${spec.key}`
    case 'gcp-kms':
      return `Google Cloud KMS key ${spec.name}`
    case 'azure-key-vault':
      return `Azure ${isManagedHsm(spec.vault) ? 'Managed HSM' : 'Key Vault'} key ${spec.vault}/keys/${spec.key}${spec.version ? `/${spec.version}` : ''}`
  }
}
