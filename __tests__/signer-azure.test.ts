/**
 * signing-key: azure-key-vault:… through the built action and CLI: Azure Key Vault holds the key,
 * DocuSign's integration key knows only its public half, and the step signs in with no private key.
 * Entra ID and the vaults are reached by their fixed names through the CONNECT proxy (HTTPS_PROXY)
 * with the test CA (NODE_EXTRA_CA_CERTS); DocuSign and GitHub's OIDC endpoint stay on loopback http.
 */
import { createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto'
import { execFileSync, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { AzureEmulator, CLIENT_ASSERTION_TYPE, FEDERATION_AUDIENCE, type AzureApp } from '../emulator/azure.js'
import { cloudPki, routes } from '../emulator/hosts.js'
import { GitHubOidcEmulator } from '../emulator/oidc.js'
import { ConnectProxy } from '../emulator/proxy.js'
import type { RunResult } from '../emulator/runner.js'
import { DEFAULT_SCOPES, startSandbox, type Sandbox } from '../emulator/setup.js'
import { cli } from './helpers/cli.js'
import { runChecked } from './helpers/leaks.js'

let rsa: KeyObject
let oidc: GitHubOidcEmulator
/** A GitLab job's id_tokens issuer, whose token reaches the step in AZURE_FEDERATED_TOKEN_FILE. */
let gitlab: GitHubOidcEmulator
let azure: AzureEmulator
let proxy: ConnectProxy
let sandbox: Sandbox
let integrationKey: string
let tenant: string
let govTenant: string
let app: AzureApp
let lonely: AzureApp
let otherBranch: AzureApp
let govApp: AzureApp
let vault: string
let policyVault: string
let govVault: string
let govVersion: string
let retiredVersion: string
let jwtVersion: string
let dir: string
let caFile: string

const now = () => Math.floor(Date.now() / 1000)

beforeAll(async () => {
  rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
  const pki = cloudPki()
  dir = mkdtempSync(join(tmpdir(), 'signer-azure-'))
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, pki.caCert)

  oidc = await GitHubOidcEmulator.start({ repository: 'octo-org/octo-repo' })
  gitlab = await GitHubOidcEmulator.start({ issuer: 'https://gitlab.com' })
  azure = await AzureEmulator.start({ pki, issuers: [oidc.trusted] })
  tenant = azure.addTenant({ domains: ['contoso.onmicrosoft.com'] })
  govTenant = azure.addTenant({ cloud: 'usgov' })
  const trust = [{ issuer: oidc.issuer, subject: oidc.subject }]
  app = azure.addApp({ tenant, federatedCredentials: trust })
  lonely = azure.addApp({ tenant, displayName: 'no-roles', federatedCredentials: trust })
  otherBranch = azure.addApp({
    tenant,
    displayName: 'release-only',
    federatedCredentials: [{ issuer: oidc.issuer, subject: 'repo:octo-org/octo-repo:ref:refs/heads/release' }]
  })
  govApp = azure.addApp({ tenant: govTenant, federatedCredentials: trust })
  vault = azure.addVault({ name: 'docusign-kv', tenant })
  policyVault = azure.addVault({ name: 'legacy-kv', tenant, authorization: 'accessPolicy' })
  govVault = azure.addVault({ name: 'docusign-gov', tenant: govTenant, cloud: 'usgov' })
  jwtVersion = azure.addKey(vault, 'docusign-jwt', { privateKey: rsa }).version
  azure.addKey(vault, 'docusign-ec', { kty: 'EC', privateKey: ec })
  retiredVersion = azure.addKey(vault, 'retired', { privateKey: rsa, enabled: false }).version
  azure.addKey(policyVault, 'docusign-jwt', { privateKey: rsa })
  govVersion = azure.addKey(govVault, 'docusign-jwt', { kty: 'RSA-HSM', privateKey: rsa }).version
  azure.addKey(govVault, 'docusign-jwt', { kty: 'RSA-HSM' }) // a newer version, of another key
  azure.grant(vault, app.clientId, ['get', 'sign'])
  azure.grant(policyVault, app.clientId, ['get'])
  azure.grant(govVault, govApp.clientId, ['get', 'sign'])
  proxy = await ConnectProxy.start(routes(azure))

  // DocuSign knows the Key Vault key's public half only.
  sandbox = await startSandbox()
  integrationKey = sandbox.emulator.addIntegrationKey([createPublicKey(rsa)])
  sandbox.emulator.grantConsent(integrationKey, sandbox.userId, DEFAULT_SCOPES)
})
afterAll(async () => {
  await Promise.all([oidc?.close(), gitlab?.close(), azure?.close(), proxy?.close(), sandbox?.emulator.close()])
  if (dir) rmSync(dir, { recursive: true, force: true })
})

// ---- helpers ----

const network = (): Record<string, string> => ({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile })
const keyUrl = (name = 'docusign-jwt', at = vault) => `${at}/keys/${name}`
const federated = (who: AzureApp = app): Record<string, string> => ({
  AZURE_CLIENT_ID: who.clientId,
  AZURE_TENANT_ID: who.tenant,
  ...oidc.env
})

function tokenFile(token: string): string {
  const path = join(dir, `federated-${Math.random().toString(16).slice(2)}.jwt`)
  writeFileSync(path, `${token}\n`, { mode: 0o600 })
  return path
}

const inputs = (url = keyUrl(), extra: Record<string, string> = {}) => ({
  'integration-key': integrationKey,
  'private-key': '',
  'signing-key': `azure-key-vault:${url}`,
  ...extra
})

const cliEnv = (url: string, env: Record<string, string>): Record<string, string> => ({
  DOCUSIGN_INTEGRATION_KEY: integrationKey,
  DOCUSIGN_USER_ID: sandbox.userId,
  DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
  DOCUSIGN_SIGNING_KEY: `azure-key-vault:${url}`,
  ...network(),
  ...env
})

/** Every credential the cloud side has seen or issued so far. */
const credentials = (): string[] => [oidc.requestToken, ...oidc.issued, ...gitlab.issued, ...azure.issuedTokens]

/** No credential anywhere a person or a log reads; on stdout only inside an add-mask command (the action). */
function expectNoCredentials(run: { stdout: string; stderr: string } & Partial<RunResult>): void {
  for (const secret of credentials()) {
    const leaked = (text = '') => text.includes(secret)
    expect({ stderr: leaked(run.stderr) }).toEqual({ stderr: false })
    expect({ log: leaked(run.log), transcript: leaked(run.transcript) }).toEqual({ log: false, transcript: false })
    expect({ summary: leaked(run.summary), raw: leaked(run.rawSummary) }).toEqual({ summary: false, raw: false })
    const lines = run.stdout.split('\n').filter(line => line.includes(secret))
    expect(lines.filter(line => !line.startsWith('::add-mask::'))).toEqual([])
  }
}

/** The hosts a secret was sent to, across every emulator. */
function sentTo(secret: string): string[] {
  const text = (r: { headers: unknown; body: string; path: string }) => JSON.stringify([r.headers, r.body, r.path])
  const hosts = [
    ...azure.requests.filter(r => text(r).includes(secret)).map(r => r.host),
    ...oidc.requests.filter(r => text(r).includes(secret)).map(() => 'github-oidc'),
    ...sandbox.emulator.requests.filter(r => text(r).includes(secret)).map(() => 'docusign')
  ]
  return [...new Set(hosts)].sort()
}

/** The add-mask line of a secret comes before the first debug line matching `request`. */
function maskedBefore(stdout: string, secret: string, request: RegExp): void {
  const lines = stdout.split('\n')
  const mask = lines.indexOf(`::add-mask::${secret}`)
  const sent = lines.findIndex(line => line.startsWith('::debug::') && request.test(line))
  expect(mask).toBeGreaterThanOrEqual(0)
  expect(sent).toBeGreaterThan(mask)
}

/** The assertion DocuSign got last verifies with the vault's key: Key Vault signed it. */
function expectSignedByKeyVault(): void {
  const assertion = new URLSearchParams(sandbox.emulator.requestsTo('/oauth/token').at(-1)!.body).get('assertion')!
  const [header, payload, signature] = assertion.split('.')
  expect(verify('sha256', Buffer.from(`${header}.${payload}`), rsa, Buffer.from(signature, 'base64url'))).toBe(true)
}

const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token').length

// ---- sign-in ----

describe('azure-key-vault: a full sign-in with no private key', () => {
  it("the action, federated with the job's OIDC token (AZURE_CLIENT_ID, AZURE_TENANT_ID, id-token: write)", async () => {
    const before = azure.requests.length
    const run = await runChecked(sandbox, inputs(), { env: { ...network(), ...federated(), RUNNER_DEBUG: '1' } })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expect(run.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))
    expectSignedByKeyVault()
    expect(run.log).toContain(`Azure Key Vault key ${keyUrl()}: RSA 2048-bit`)

    const requests = azure.requests.slice(before)
    expect(requests.map(r => `${r.method} ${r.host}${r.path}`)).toEqual([
      `POST login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
      'GET docusign-kv.vault.azure.net/keys/docusign-jwt',
      expect.stringMatching(/^POST docusign-kv\.vault\.azure\.net\/keys\/docusign-jwt\/[0-9a-f]{32}\/sign$/)
    ])
    expect(requests.map(r => r.status)).toEqual([200, 200, 200])
    expect(requests.slice(1).map(r => r.query.get('api-version'))).toEqual(['7.4', '7.4'])
    const assertion = oidc.issued.at(-1)!
    expect(oidc.requests.at(-1)!.query.get('audience')).toBe(FEDERATION_AUDIENCE)
    expect(Object.fromEntries(new URLSearchParams(requests[0].body))).toEqual({
      client_id: app.clientId,
      scope: 'https://vault.azure.net/.default',
      client_assertion_type: CLIENT_ASSERTION_TYPE,
      client_assertion: assertion,
      grant_type: 'client_credentials'
    })
    expect(JSON.parse(requests[2].body)).toEqual({ alg: 'RS256', value: expect.stringMatching(/^[\w-]{43}$/) })

    // Each credential went to its own service only, never to DocuSign.
    const accessToken = azure.issuedTokens.at(-1)!
    expect(sentTo(oidc.requestToken)).toEqual(['github-oidc'])
    expect(sentTo(assertion)).toEqual(['login.microsoftonline.com'])
    expect(sentTo(accessToken)).toEqual(['docusign-kv.vault.azure.net'])
    maskedBefore(run.stdout, oidc.requestToken, /ID token url is/)
    maskedBefore(run.stdout, assertion, /POST https:\/\/login\.microsoftonline\.com/)
    maskedBefore(run.stdout, accessToken, /GET https:\/\/docusign-kv\.vault\.azure\.net/)
    expectNoCredentials(run)
  })

  it('the action, with a Key Vault access token in AZURE_ACCESS_TOKEN', async () => {
    const token = await azure.issueAccessToken({ app, resource: 'https://vault.azure.net' })
    const before = azure.requests.length
    const run = await runChecked(sandbox, inputs(), {
      env: { ...network(), AZURE_ACCESS_TOKEN: token, RUNNER_DEBUG: '1' }
    })
    expect(run.exitCode).toBe(0)
    expectSignedByKeyVault()
    expect(azure.requests.slice(before).map(r => r.host)).toEqual([
      'docusign-kv.vault.azure.net',
      'docusign-kv.vault.azure.net'
    ])
    expect(sentTo(token)).toEqual(['docusign-kv.vault.azure.net'])
    maskedBefore(run.stdout, token, /GET https:\/\/docusign-kv\.vault\.azure\.net/)
    expectNoCredentials(run)
  })

  it('the CLI, federated with ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN', async () => {
    const oidcRequests = oidc.requests.length
    const run = await cli(sandbox, ['token'], {
      env: cliEnv(keyUrl(), federated()),
      tokenOnStdout: true,
      keys: credentials()
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(run.stdout.trim()).toBe(sandbox.emulator.issuedTokens.at(-1))
    expectSignedByKeyVault()
    const request = oidc.requests.slice(oidcRequests)
    expect(request).toHaveLength(1)
    expect(request[0].query.get('audience')).toBe(FEDERATION_AUDIENCE)
    expect(request[0].headers.authorization).toBe(`Bearer ${oidc.requestToken}`)
    expect(sentTo(oidc.issued.at(-1)!)).toEqual(['login.microsoftonline.com'])
    expect(sentTo(azure.issuedTokens.at(-1)!)).toEqual(['docusign-kv.vault.azure.net'])
    expectNoCredentials(run)
  })

  it('the CLI, with AZURE_FEDERATED_TOKEN_FILE (no OIDC request)', async () => {
    const token = await oidc.mint(FEDERATION_AUDIENCE)
    const oidcRequests = oidc.requests.length
    const clientOnly = { AZURE_CLIENT_ID: app.clientId, AZURE_TENANT_ID: tenant }
    const run = await cli(sandbox, ['token'], {
      env: cliEnv(keyUrl(), { ...clientOnly, AZURE_FEDERATED_TOKEN_FILE: tokenFile(token) }),
      tokenOnStdout: true,
      keys: credentials()
    })
    expect(run.exitCode).toBe(0)
    expectSignedByKeyVault()
    expect(oidc.requests.length).toBe(oidcRequests)
    expect(sentTo(token)).toEqual(['login.microsoftonline.com'])
    expectNoCredentials(run)
  })

  it('Azure US Government: the scope and the authority follow the vault host; a version named stays that version', async () => {
    const before = azure.requests.length
    const url = `${keyUrl('docusign-jwt', govVault)}/${govVersion}`
    const run = await runChecked(sandbox, inputs(url), { env: { ...network(), ...federated(govApp) } })
    expect(run.errors).toEqual([])
    expectSignedByKeyVault()
    const requests = azure.requests.slice(before)
    expect(requests.map(r => `${r.host}${r.path}`)).toEqual([
      `login.microsoftonline.us/${govTenant}/oauth2/v2.0/token`,
      `docusign-gov.vault.usgovcloudapi.net/keys/docusign-jwt/${govVersion}`,
      `docusign-gov.vault.usgovcloudapi.net/keys/docusign-jwt/${govVersion}/sign`
    ])
    expect(new URLSearchParams(requests[0].body).get('scope')).toBe('https://vault.usgovcloudapi.net/.default')
    // AZURE_AUTHORITY_HOST wins: here the public cloud, which knows no government tenant.
    const term = await cli(sandbox, ['token'], {
      env: cliEnv(url, { ...federated(govApp), AZURE_AUTHORITY_HOST: 'https://login.microsoftonline.com/' }),
      keys: credentials()
    })
    expect(term.exitCode).toBe(4)
    expect(term.stderr).toMatch(
      /Microsoft Entra ID \(login\.microsoftonline\.com\) refused .*AADSTS90002: Tenant '[-0-9a-f]+' not found/
    )
    expectNoCredentials(term)
  })
})

// ---- failures ----

interface Failure {
  title: string
  url?: () => string
  env: () => Record<string, string> | Promise<Record<string, string>>
  message: RegExp
  exit: number
}

const FAILURES: Failure[] = [
  {
    title: 'no credentials: which variables, azure/login, id-token: write',
    env: () => ({}),
    message:
      /No Azure credentials for .*AZURE_ACCESS_TOKEN.*AZURE_CLIENT_ID with AZURE_TENANT_ID.*id-token: write.*azure\/login/s,
    exit: 2
  },
  {
    title: 'AZURE_CLIENT_ID without AZURE_TENANT_ID',
    env: () => ({ AZURE_CLIENT_ID: app.clientId }),
    message: /AZURE_TENANT_ID is not set, for Azure Key Vault key/,
    exit: 2
  },
  {
    title: 'federated, but no OIDC token (the job lacks id-token: write)',
    env: () => ({ AZURE_CLIENT_ID: app.clientId, AZURE_TENANT_ID: tenant }),
    message:
      /No GitHub OIDC token for the federated sign-in to Microsoft Entra ID .*ACTIONS_ID_TOKEN_REQUEST_URL.*permissions: id-token: write/s,
    exit: 2
  },
  {
    title: 'no federated credential for this branch (AADSTS700213, quoted inert)',
    env: () => federated(otherBranch),
    message: new RegExp(
      `Microsoft Entra ID \\(login\\.microsoftonline\\.com\\) refused the federated sign-in of the app AZURE_CLIENT_ID \\([-0-9a-f]{36}\\).*AADSTS700213: No matching federated identity record found for presented assertion subject 'repo:octo-org/octo-repo:ref:refs/heads/main'.*Trace ID [-0-9a-f]{36}.*Add a federated credential`,
      's'
    ),
    exit: 4
  },
  {
    // A GitHub-shaped fix (issuer token.actions.githubusercontent.com, repo:… subject) would send a GitLab user astray.
    title:
      'a GitLab token in AZURE_FEDERATED_TOKEN_FILE that no federated credential names (AADSTS700211): its own claims',
    env: async () => ({
      AZURE_CLIENT_ID: app.clientId,
      AZURE_TENANT_ID: tenant,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile(
        await gitlab.mint(FEDERATION_AUDIENCE, { sub: 'project_path:YOUR_ORG/YOUR_REPO:ref_type:branch:ref:main' })
      )
    }),
    message:
      /AADSTS700211: No matching federated identity record found for presented assertion issuer 'https:\/\/gitlab\.com'.*Add a federated credential to the app registration [-0-9a-f]{36} matching this token exactly \(case included\): issuer https:\/\/gitlab\.com, subject project_path:YOUR_ORG\/YOUR_REPO:ref_type:branch:ref:main, audience api:\/\/AzureADTokenExchange \(this token's claims/s,
    exit: 4
  },
  {
    title: 'an expired token in AZURE_FEDERATED_TOKEN_FILE (AADSTS700024)',
    env: async () => ({
      AZURE_CLIENT_ID: app.clientId,
      AZURE_TENANT_ID: tenant,
      AZURE_FEDERATED_TOKEN_FILE: tokenFile(
        await oidc.mint(FEDERATION_AUDIENCE, { iat: now() - 900, nbf: now() - 900, exp: now() - 60 })
      )
    }),
    message:
      /AADSTS700024: Client assertion is not within its valid time range.*a token file written earlier is stale/s,
    exit: 4
  },
  {
    title: 'an expired AZURE_ACCESS_TOKEN',
    env: async () => ({
      AZURE_ACCESS_TOKEN: await azure.issueAccessToken({ app, resource: 'https://vault.azure.net', lifetime: -60 })
    }),
    message:
      /Azure Key Vault \(docusign-kv\.vault\.azure\.net\) refused the access token from AZURE_ACCESS_TOKEN .*HTTP 401 Unauthorized: Token validation failed\. The token is expired\..*az account get-access-token --resource https:\/\/vault\.azure\.net/s,
    exit: 4
  },
  {
    title: 'an AZURE_ACCESS_TOKEN for Azure Resource Manager, not Key Vault (AKV10022)',
    env: async () => ({
      AZURE_ACCESS_TOKEN: await azure.issueAccessToken({ app, resource: 'https://management.azure.com' })
    }),
    message:
      /AKV10022: Invalid audience\. Expected https:\/\/vault\.azure\.net.*The vault belongs to tenant [-0-9a-f]{36}/s,
    exit: 4
  },
  {
    title: 'no role on the vault: the get permission, Key Vault Crypto User',
    env: () => federated(lonely),
    message:
      /denied the app AZURE_CLIENT_ID \([-0-9a-f]+\) the key permission get on Azure Key Vault key .*\(HTTP 403 Forbidden \(ForbiddenByRbac\).*Key Vault Crypto User.*get and sign.*az role assignment create --role "Key Vault Crypto User"/s,
    exit: 4
  },
  {
    title: 'a key that does not exist',
    url: () => keyUrl('missing-key'),
    env: () => federated(),
    message:
      /keys\/missing-key was not found in the vault \(HTTP 404 KeyNotFound: A key with \(name\/id\) missing-key was not found.*az keyvault key list-versions --vault-name docusign-kv --name missing-key/s,
    exit: 4
  },
  {
    // Key Vault reads a disabled key (attributes.enabled: false) and refuses only to sign with it:
    // the step sees it before asking, in the key it read.
    title: 'a disabled key (enabled: false), named with the command that enables it',
    url: () => keyUrl('retired'),
    env: () => federated(),
    message:
      /Azure Key Vault key https:\/\/docusign-kv\.vault\.azure\.net\/keys\/retired is disabled \(version [0-9a-f]{32}\)\..*Enable it: az keyvault key set-attributes --vault-name docusign-kv --name retired --version [0-9a-f]{32} --enabled true/s,
    exit: 4
  },
  {
    title: 'an EC key',
    url: () => keyUrl('docusign-ec'),
    env: () => federated(),
    message:
      /is an elliptic-curve key \(EC\); DocuSign signs JWTs with RSA keys only.*az keyvault key create --vault-name docusign-kv --name docusign-ec --kty RSA --size 2048 --ops sign verify/s,
    exit: 4
  }
]

describe("azure-key-vault failures: named as Azure's, with cause and fix; DocuSign never asked", () => {
  for (const failure of FAILURES) {
    it(`${failure.title}: one error (action), exit ${failure.exit} (CLI)`, async () => {
      const url = failure.url?.() ?? keyUrl()
      const before = tokenRequests()
      const run = await runChecked(sandbox, inputs(url), { env: { ...network(), ...(await failure.env()) } })
      expect(run.exitCode).toBe(1)
      expect(run.errors).toHaveLength(1)
      expect(run.errors[0]).toMatch(failure.message)
      expect(run.errors[0]).toContain(url)
      expect(run.errors[0]).toContain('troubleshooting.md#signing-key')
      expect(run.errors[0]).not.toMatch(/DocuSign (answered|refused|is unavailable)|oauth\/token|consent/i)
      expectNoCredentials(run)

      const term = await cli(sandbox, ['token'], { env: cliEnv(url, await failure.env()), keys: credentials() })
      expect(term.exitCode).toBe(failure.exit)
      expect(term.stdout).toBe('')
      expect(term.stderr).toMatch(failure.message)
      expectNoCredentials(term)
      expect(tokenRequests()).toBe(before)
    })
  }

  it('get but not sign (an access policy): the signing request is denied, and DocuSign is never asked', async () => {
    const before = tokenRequests()
    const url = keyUrl('docusign-jwt', policyVault)
    const signs = () => azure.requests.filter(r => r.host === 'legacy-kv.vault.azure.net' && r.path.endsWith('/sign'))
    const seen = signs().length
    const run = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(url, federated()),
      keys: credentials()
    })
    expect(run.exitCode).not.toBe(0)
    expect(run.stderr).toContain('the key permission sign')
    expect(
      signs()
        .slice(seen)
        .map(r => r.status)
    ).toEqual([403])
    expect(tokenRequests()).toBe(before)
    expectNoCredentials(run)
  })

  it("get but not sign: ForbiddenByPolicy named as Azure's, with the access policy to add, exit 4", async () => {
    const run = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(keyUrl('docusign-jwt', policyVault), federated()),
      keys: credentials()
    })
    expect(run.stderr).toMatch(
      /denied the app AZURE_CLIENT_ID \([-0-9a-f]+\) the key permission sign on Azure Key Vault key https:\/\/legacy-kv\.vault\.azure\.net\/keys\/docusign-jwt \(HTTP 403 Forbidden \(ForbiddenByPolicy\).*az keyvault set-policy --name legacy-kv --spn [-0-9a-f]+ --key-permissions get sign/s
    )
    expect(run.stderr).not.toMatch(/oauth\/token|OAuth server/)
    expect(run.exitCode).toBe(4)
  })

  it('a disabled key: read (200, enabled: false), never sent to sign, and DocuSign never asked', async () => {
    const before = tokenRequests()
    const seen = azure.requests.length
    const run = await cli(sandbox, ['token'], { env: cliEnv(keyUrl('retired'), federated()), keys: credentials() })
    expect(run.exitCode).toBe(4)
    expect(run.stderr).toContain(`is disabled (version ${retiredVersion}).`)
    expect(run.stderr).toContain(`--name retired --version ${retiredVersion} --enabled true`)
    const vaultRequests = azure.requests.slice(seen).filter(r => r.host === 'docusign-kv.vault.azure.net')
    expect(vaultRequests.map(r => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /keys/retired 200'])
    expect(tokenRequests()).toBe(before)
  })

  it('a key disabled between the read and the sign: 403 KeyDisabled named with the version and the command, exit 4', async () => {
    const before = tokenRequests()
    // Key Vault's answer to a sign with a disabled key (Azure/azure-sdk-for-python #45342).
    azure.failNext(`docusign-kv.vault.azure.net/keys/docusign-jwt/${jwtVersion}/sign`, {
      status: 403,
      body: '{"error":{"code":"Forbidden","message":"Operation sign is not allowed on a disabled key.","innererror":{"code":"KeyDisabled"}}}'
    })
    const run = await cli(sandbox, ['token'], { env: cliEnv(keyUrl(), federated()), keys: credentials() })
    expect(run.stderr).toMatch(
      new RegExp(
        `Azure Key Vault key https://docusign-kv\\.vault\\.azure\\.net/keys/docusign-jwt is disabled \\(HTTP 403 Forbidden \\(KeyDisabled\\): Operation sign is not allowed on a disabled key\\.\\).*az keyvault key set-attributes --vault-name docusign-kv --name docusign-jwt --version ${jwtVersion} --enabled true`,
        's'
      )
    )
    expect(run.exitCode).toBe(4)
    expect(tokenRequests()).toBe(before)
    expectNoCredentials(run)
  })

  it('a hostile error answer is quoted inert: no workflow command, no setting mark, one line', async () => {
    azure.failNext(`login.microsoftonline.com/${tenant}/oauth2/v2.0/token`, {
      status: 400,
      body: JSON.stringify({
        error: 'invalid_client',
        error_description:
          'AADSTS700213: no\n::error::injected\r##[warning]legacy ##vso[task.setvariable variable=X]1 {{private-key}}'
      })
    })
    const run = await runChecked(sandbox, inputs(), { env: { ...network(), ...federated() } })
    expect(run.errors).toHaveLength(1)
    expect(run.warnings).toEqual([])
    expect(run.errors[0]).toContain(
      'AADSTS700213: no ::error::injected # #[warning]legacy # #vso[task.setvariable variable=X]1 { {private-key}}'
    )
    expect(run.errors[0]).toContain('Add a federated credential')
    expect(run.exportedEnv).toEqual({})
  })

  it('Key Vault answering 503, Entra ID 429, on every attempt: unavailable (exit 5)', async () => {
    const before = tokenRequests()
    const target = 'docusign-kv.vault.azure.net/keys/docusign-jwt'
    const busy = {
      status: 503,
      body: '{"error":{"code":"ServiceUnavailable","message":"The service is unavailable."}}',
      headers: { 'Retry-After': '0' }
    }
    azure.failNext(target, busy, busy)
    const run = await runChecked(sandbox, inputs(keyUrl(), { 'max-attempts': '2' }), {
      env: {
        ...network(),
        AZURE_ACCESS_TOKEN: await azure.issueAccessToken({ app, resource: 'https://vault.azure.net' })
      }
    })
    expect(run.errors[0]).toMatch(
      /Azure Key Vault \(docusign-kv\.vault\.azure\.net\) answered the key request for .* with HTTP 503 ServiceUnavailable: The service is unavailable\., after every attempt/
    )
    expect(
      azure
        .requestsTo(target)
        .slice(-2)
        .map(r => r.status)
    ).toEqual([503, 503])
    azure.failNext(`login.microsoftonline.com/${tenant}/oauth2/v2.0/token`, {
      status: 429,
      body: '{"error":"temporarily_unavailable","error_description":"AADSTS50196: The server terminated an operation because it encountered a client request loop."}',
      headers: { 'Retry-After': '0' }
    })
    const term = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(keyUrl(), federated()),
      keys: credentials()
    })
    expect(term.exitCode).toBe(5)
    expect(term.stderr).toMatch(/Microsoft Entra ID \(login\.microsoftonline\.com\) answered HTTP 429 .*AADSTS50196/)
    expect(tokenRequests()).toBe(before)
  })

  it('a vault no one answers for: unreachable (exit 5), named as the vault', async () => {
    const before = tokenRequests()
    const url = 'https://no-such-kv.vault.azure.net/keys/docusign-jwt'
    const term = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: cliEnv(url, {
        AZURE_ACCESS_TOKEN: await azure.issueAccessToken({ app, resource: 'https://vault.azure.net' })
      }),
      keys: credentials()
    })
    expect(term.exitCode).toBe(5)
    expect(term.stderr).toMatch(
      /Reading Azure Key Vault key https:\/\/no-such-kv\.vault\.azure\.net\/keys\/docusign-jwt failed: Could not get an answer from https:\/\/no-such-kv\.vault\.azure\.net\/keys\/docusign-jwt .*Check that this machine can reach no-such-kv\.vault\.azure\.net/s
    )
    expect(term.stderr).not.toMatch(/OAuth server/)
    expect(tokenRequests()).toBe(before)
  })
})

// ---- Managed HSM ----

describe('azure-key-vault: a Managed HSM (NAME.managedhsm.azure.net), the same keys API with its own scope and roles', () => {
  let hsm: string
  let govHsm: string
  beforeAll(() => {
    hsm = azure.addVault({ name: 'docusign-hsm', tenant, managedHsm: true })
    govHsm = azure.addVault({ name: 'docusign-gov-hsm', tenant: govTenant, cloud: 'usgov', managedHsm: true })
    azure.addKey(hsm, 'docusign-jwt', { kty: 'RSA-HSM', privateKey: rsa })
    azure.addKey(govHsm, 'docusign-jwt', { kty: 'RSA-HSM', privateKey: rsa })
    // Managed HSM Crypto User on the whole HSM (--scope /): a missing key is then a 404, not a 403.
    azure.grant(hsm, app.clientId, ['get', 'sign'])
    azure.grant(govHsm, govApp.clientId, ['get', 'sign'], 'docusign-jwt')
  })

  it('the action signs in: a token for https://managedhsm.azure.net, the key read and used on the HSM', async () => {
    const before = azure.requests.length
    const run = await runChecked(sandbox, inputs(keyUrl('docusign-jwt', hsm)), {
      env: { ...network(), ...federated() }
    })
    expect(run.errors).toEqual([])
    expect(run.exitCode).toBe(0)
    expectSignedByKeyVault()
    expect(run.log).toContain(`Azure Managed HSM key ${hsm}/keys/docusign-jwt: RSA 2048-bit`)
    const requests = azure.requests.slice(before)
    expect(requests.map(r => `${r.method} ${r.host}${r.path}`)).toEqual([
      `POST login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
      'GET docusign-hsm.managedhsm.azure.net/keys/docusign-jwt',
      expect.stringMatching(/^POST docusign-hsm\.managedhsm\.azure\.net\/keys\/docusign-jwt\/[0-9a-f]{32}\/sign$/)
    ])
    expect(new URLSearchParams(requests[0].body).get('scope')).toBe('https://managedhsm.azure.net/.default')
    expect(sentTo(azure.issuedTokens.at(-1)!)).toEqual(['docusign-hsm.managedhsm.azure.net'])
    expectNoCredentials(run)
  })

  it('the CLI, on a US Government Managed HSM: the authority and the scope follow its host', async () => {
    const before = azure.requests.length
    const url = keyUrl('docusign-jwt', govHsm)
    const run = await cli(sandbox, ['token'], {
      env: cliEnv(url, federated(govApp)),
      tokenOnStdout: true,
      keys: credentials()
    })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expectSignedByKeyVault()
    const token = azure.requests.slice(before)[0]
    expect(`${token.host}${token.path}`).toBe(`login.microsoftonline.us/${govTenant}/oauth2/v2.0/token`)
    expect(new URLSearchParams(token.body).get('scope')).toBe('https://managedhsm.usgovcloudapi.net/.default')
    expectNoCredentials(run)
  })

  it('no role on the HSM: Managed HSM Crypto User scoped to the key, assigned on the HSM (exit 4, one error)', async () => {
    const url = keyUrl('docusign-jwt', hsm)
    const message =
      /Azure Managed HSM \(docusign-hsm\.managedhsm\.azure\.net\) denied the app AZURE_CLIENT_ID \([-0-9a-f]{36}\) the key permission get on Azure Managed HSM key .*HTTP 403 Forbidden.*Managed HSM Crypto User role scoped to the key.*az keyvault role assignment create --hsm-name docusign-hsm --role "Managed HSM Crypto User" --assignee [-0-9a-f]{36} --scope \/keys\/docusign-jwt/s
    const before = tokenRequests()
    const run = await runChecked(sandbox, inputs(url), { env: { ...network(), ...federated(lonely) } })
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(message)
    expect(run.errors[0]).toContain('troubleshooting.md#signing-key')
    const term = await cli(sandbox, ['token'], { env: cliEnv(url, federated(lonely)), keys: credentials() })
    expect(term.exitCode).toBe(4)
    expect(term.stderr).toMatch(message)
    expect(tokenRequests()).toBe(before)
    expectNoCredentials(run)
    expectNoCredentials(term)
  })

  it('a token for Key Vault is refused by the HSM (another resource), with the command for an HSM token', async () => {
    const url = keyUrl('docusign-jwt', hsm)
    const token = await azure.issueAccessToken({ app, resource: 'https://vault.azure.net' })
    const term = await cli(sandbox, ['token'], { env: cliEnv(url, { AZURE_ACCESS_TOKEN: token }), keys: credentials() })
    expect(term.exitCode).toBe(4)
    expect(term.stderr).toMatch(
      /Azure Managed HSM \(docusign-hsm\.managedhsm\.azure\.net\) refused the access token from AZURE_ACCESS_TOKEN .*AKV10022: Invalid audience\. Expected https:\/\/managedhsm\.azure\.net.*az account get-access-token --resource https:\/\/managedhsm\.azure\.net/s
    )
    expectNoCredentials(term)
  })

  it('a Managed HSM key that does not exist: the az command names --hsm-name', async () => {
    const url = keyUrl('missing-key', hsm)
    const term = await cli(sandbox, ['token'], { env: cliEnv(url, federated()), keys: credentials() })
    expect(term.exitCode).toBe(4)
    expect(term.stderr).toMatch(/az keyvault key list-versions --hsm-name docusign-hsm --name missing-key/)
    expectNoCredentials(term)
  })
})

describe('credentials that must not leave, and files that must not hang', () => {
  it('never sends the OIDC request token to plain http on another host: exit 2 naming ACTIONS_ID_TOKEN_REQUEST_URL', async () => {
    const before = oidc.requests.length
    const url = new URL(oidc.env.ACTIONS_ID_TOKEN_REQUEST_URL)
    // A logging proxy that would carry the request to the OIDC endpoint, by a name that is not loopback.
    const logging = await ConnectProxy.start({ 'token.actions.example': Number(url.port) })
    try {
      url.hostname = 'token.actions.example'
      const env = { ...federated(), ACTIONS_ID_TOKEN_REQUEST_URL: url.href, HTTP_PROXY: logging.url }
      const run = await cli(sandbox, ['token'], { env: cliEnv(keyUrl(), env), keys: credentials() })
      expect(run).toMatchObject({ exitCode: 2, stdout: '' })
      expect(run.stderr).toMatch(
        /^docusign-jwt: ACTIONS_ID_TOKEN_REQUEST_URL is not an https:\/\/ URL \(http:\/\/ only on a loopback host\)/
      )
      expect(logging.tunnels).toEqual([])
      expect(oidc.requests.length).toBe(before)
    } finally {
      await logging.close()
    }
  })

  /** A FIFO whose writer opens it and then never writes (nor closes it) until killed. */
  function silentWriter(fifo: string): () => void {
    const writer = spawn('sh', ['-c', `exec 3>'${fifo}'; sleep 30`], { stdio: 'ignore' })
    return () => writer.kill()
  }

  it.each([
    ['a FIFO with no writer', (path: string) => execFileSync('mkfifo', [path]), /holds no token/],
    [
      'a FIFO whose writer never writes',
      (path: string) => execFileSync('mkfifo', [path]),
      /cannot be read, for .*: nothing complete arrived from it within 2 s/
    ],
    ['a device that never ends (/dev/zero)', (path: string) => symlinkSync('/dev/zero', path), /more than 64 KiB/],
    ['a directory', (path: string) => mkdirSync(path), /it is a directory/],
    ['a loop of symbolic links', (path: string) => symlinkSync(path, path), /loop of symbolic links/]
  ])('AZURE_FEDERATED_TOKEN_FILE naming %s: exit 2 within --timeout-seconds', async (name, make, message) => {
    const path = join(dir, `token-${Math.random().toString(16).slice(2)}`)
    make(path)
    const stop = name.includes('never writes') ? silentWriter(path) : () => undefined
    try {
      const clientOnly = { AZURE_CLIENT_ID: app.clientId, AZURE_TENANT_ID: tenant, AZURE_FEDERATED_TOKEN_FILE: path }
      const started = Date.now()
      const run = await cli(sandbox, ['token', '--timeout-seconds', '2'], {
        env: cliEnv(keyUrl(), clientOnly),
        keys: credentials(),
        killAfterMs: 20_000
      })
      expect(Date.now() - started).toBeLessThan(2000 + 2500)
      expect(run).toMatchObject({ exitCode: 2, stdout: '' })
      expect(run.stderr).toMatch(/AZURE_FEDERATED_TOKEN_FILE/)
      expect(run.stderr).toMatch(message)
    } finally {
      stop()
    }
  })
})
