/**
 * A key-vault signer's setup fix names the steps of the CI system the run is on (GitLab CI/CD:
 * GITLAB_CI=true; Azure Pipelines: TF_BUILD=True), not GitHub's: the built CLI, failing before any
 * request, with the credentials it was given kept out of every line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { cli } from './helpers/cli.js'

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ consent: true })
})
afterAll(() => sandbox.emulator.close())

const GITHUB_STEPS = /id-token: write|aws-actions|azure\/login|google-github-actions|hashicorp\/vault-action/
const SYSTEMS = {
  gitlab: { GITLAB_CI: 'true', CI: 'true' },
  azure: { TF_BUILD: 'True' }
}

interface Case {
  title: string
  signingKey: string
  env: Record<string, string>
  /** A credential given that no line may show. */
  secret?: string
  problem: RegExp
  fix: Record<keyof typeof SYSTEMS, RegExp[]>
}

const SPACED = 'ya29.a0AfB_given-0123456789abcdef with a space'
const CASES: Case[] = [
  {
    title: 'AWS KMS, half of the environment credentials',
    signingKey: 'aws-kms:arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    env: { AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_EC2_METADATA_DISABLED: 'true' },
    secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    problem: /AWS_ACCESS_KEY_ID is not set/,
    fix: {
      gitlab: [
        /id_tokens: token with aud: sts\.amazonaws\.com/,
        /AWS_WEB_IDENTITY_TOKEN_FILE/,
        /docs\/keyless\.md, 'GitLab CI'/
      ],
      azure: [/On Azure Pipelines, give this step AWS_ACCESS_KEY_ID/, /in its env:/, /'Self-hosted EC2 runners'/]
    }
  },
  {
    title: 'Azure Key Vault, an access token with a space in it',
    signingKey: 'azure-key-vault:https://docusign-kv.vault.azure.net/keys/docusign-jwt',
    env: { AZURE_ACCESS_TOKEN: SPACED },
    secret: SPACED,
    problem: /AZURE_ACCESS_TOKEN does not hold an access token/,
    fix: {
      gitlab: [/aud: api:\/\/AzureADTokenExchange/, /AZURE_FEDERATED_TOKEN_FILE/, /'GitLab CI'/],
      azure: [
        /AzureCLI@2 step with an Azure Resource Manager service connection/,
        /az account get-access-token --resource https:\/\/vault\.azure\.net /,
        /env: AZURE_ACCESS_TOKEN: \$\(AZURE_ACCESS_TOKEN\)/,
        /docs\/azure-pipelines\.md/
      ]
    }
  },
  {
    title: 'Azure Key Vault, federated with no token file',
    signingKey: 'azure-key-vault:https://docusign-kv.vault.azure.net/keys/docusign-jwt',
    env: { AZURE_CLIENT_ID: '11111111-2222-3333-4444-555555555555', AZURE_TENANT_ID: 'contoso.onmicrosoft.com' },
    problem: /ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set/,
    fix: {
      gitlab: [/aud: api:\/\/AzureADTokenExchange/, /AZURE_FEDERATED_TOKEN_FILE/],
      azure: [/service connection/, /AZURE_ACCESS_TOKEN from an AzureCLI@2 step/]
    }
  },
  {
    title: 'Google Cloud KMS, an access token with a space in it',
    signingKey: 'gcp-kms:projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1',
    env: { GOOGLE_OAUTH_ACCESS_TOKEN: SPACED },
    secret: SPACED,
    problem: /GOOGLE_OAUTH_ACCESS_TOKEN does not hold an access token/,
    fix: {
      gitlab: [/id_tokens: token/, /credential_source\.file/, /GOOGLE_APPLICATION_CREDENTIALS/, /'GitLab CI'/],
      azure: [/On Azure Pipelines, give this step GOOGLE_APPLICATION_CREDENTIALS/, /in its env:/]
    }
  },
  {
    title: 'HashiCorp Vault, no token',
    signingKey: 'vault-transit:transit/docusign',
    env: { VAULT_ADDR: 'https://vault.example.com' },
    problem: /needs VAULT_TOKEN, which is not set/,
    fix: {
      gitlab: [/vault write -field=token auth\/gitlab\/login/, /id_tokens: token/],
      azure: [/VAULT_TOKEN: \$\(VAULT_TOKEN\)/]
    }
  }
]

describe.each(Object.keys(SYSTEMS) as (keyof typeof SYSTEMS)[])('on %s, the CLI', system => {
  it.each(CASES.map(c => [c.title, c] as const))('%s: the fix is this CI system’s, exit 2', async (_title, c) => {
    const before = sandbox.emulator.requestsTo('/oauth/token').length
    const run = await cli(sandbox, ['token'], {
      env: {
        DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
        DOCUSIGN_USER_ID: sandbox.userId,
        DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
        DOCUSIGN_SIGNING_KEY: c.signingKey,
        ...SYSTEMS[system],
        ...c.env
      },
      keys: c.secret ? [c.secret, ...c.secret.split(' ')] : []
    })
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(c.problem)
    for (const pattern of c.fix[system]) expect(run.stderr).toMatch(pattern)
    expect(run.stderr).not.toMatch(GITHUB_STEPS)
    expect(run.stderr).not.toMatch(system === 'gitlab' ? /Azure Pipelines/ : /GitLab/)
    expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(before)
  })
})
