import { readCredentialFile, shownFile, UnreadableFileError } from '../credential-file.js'
import { tryJson } from '../answer.js'
import { inert, quote } from '../outside.js'
import {
  callService,
  githubOidcToken,
  isOutage,
  jsonOf,
  mask,
  OIDC_AUDIENCE_AZURE,
  tokenClaims,
  tokenShape
} from './oidc-token.js'
import { SignerError, type SignerContext } from './signer.js'
import { forCiSystem } from '../ci-system.js'

/**
 * An access token for Azure Key Vault: given (AZURE_ACCESS_TOKEN), or from Microsoft Entra ID's
 * client credentials grant with a federated client assertion (AZURE_CLIENT_ID, AZURE_TENANT_ID, and
 * AZURE_FEDERATED_TOKEN_FILE or the job's GitHub OIDC token), the documented REST call.
 */

const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
/** Entra's authority per Key Vault or Managed HSM DNS suffix: a vault's tenant lives in the vault's cloud. */
const AUTHORITIES: Record<string, string> = {
  'vault.azure.net': 'https://login.microsoftonline.com',
  'managedhsm.azure.net': 'https://login.microsoftonline.com',
  'vault.usgovcloudapi.net': 'https://login.microsoftonline.us',
  'managedhsm.usgovcloudapi.net': 'https://login.microsoftonline.us',
  'vault.azure.cn': 'https://login.chinacloudapi.cn',
  'managedhsm.azure.cn': 'https://login.chinacloudapi.cn',
  'vault.microsoftazure.de': 'https://login.microsoftonline.de'
}
const GUID_OR_DOMAIN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/

const GET_TOKEN = '`az account get-access-token --resource RESOURCE --query accessToken -o tsv`'
const GITHUB_LOGIN = `Set AZURE_CLIENT_ID and AZURE_TENANT_ID (the app registration with a federated credential for this repository) and give the job \`permissions: id-token: write\`; or, after azure/login, put ${GET_TOKEN} in AZURE_ACCESS_TOKEN.`

/** Where the Entra token comes from on the CI system this run is on (docs/keyless.md, docs/azure-pipelines.md). */
const LOGIN = {
  github: GITHUB_LOGIN,
  gitlab:
    "In this GitLab job, write an id_tokens: token with aud: api://AzureADTokenExchange to a file (mode 0600) and set AZURE_FEDERATED_TOKEN_FILE to it, with AZURE_CLIENT_ID and AZURE_TENANT_ID of the app registration whose federated credential names GitLab's issuer and this project (docs/keyless.md, 'GitLab CI').",
  azure: `On Azure Pipelines, get the token in an AzureCLI@2 step with an Azure Resource Manager service connection (${GET_TOKEN}), set it as a secret variable, and give it to this step as env: AZURE_ACCESS_TOKEN: $(AZURE_ACCESS_TOKEN) (docs/azure-pipelines.md, 'Azure Key Vault through a service connection').`,
  other: `On GitHub Actions: ${GITHUB_LOGIN} Elsewhere, put the token of ${GET_TOKEN} in AZURE_ACCESS_TOKEN, or set AZURE_FEDERATED_TOKEN_FILE (a federated token's file: GitLab id_tokens, Kubernetes workload identity) with AZURE_CLIENT_ID and AZURE_TENANT_ID (see docs/keyless.md).`
}

/** The client assertion: the token, where it came from (for messages), and whether a file held it. */
interface Assertion {
  value: string
  from: string
  file: boolean
}

export interface AzureToken {
  value: string
  /** Where it came from, for messages. */
  source: string
  /** Who it stands for: "the app AZURE_CLIENT_ID (ID)", or the token's owner. */
  who: string
  /** The app's client ID, when known (for commands in messages). */
  clientId?: string
  /** How to get a fresh one. */
  renew: string
}

/**
 * Key Vault's resource (the scope's base) for a vault: https://vault.azure.net for
 * https://NAME.vault.azure.net, https://managedhsm.azure.net for a Managed HSM.
 */
function vaultResource(vault: string): string {
  return `https://${new URL(vault).hostname.split('.').slice(1).join('.').toLowerCase()}`
}

export class AzureCredentials {
  private token?: Promise<AzureToken>
  private readonly resource: string

  constructor(
    private readonly context: SignerContext,
    private readonly vault: string,
    /** The key, as messages name it. */
    private readonly key: string
  ) {
    this.resource = vaultResource(vault)
  }

  get(): Promise<AzureToken> {
    this.token ??= this.obtain()
    return this.token
  }

  private login(): string {
    return forCiSystem(this.context.env, LOGIN).replace(/RESOURCE/g, this.resource)
  }

  private async obtain(): Promise<AzureToken> {
    const { env } = this.context
    const given = env.AZURE_ACCESS_TOKEN
    if (given?.trim()) {
      const value = tokenShape(given)
      if (!value) {
        throw new SignerError(
          'input',
          `AZURE_ACCESS_TOKEN does not hold an access token (it has spaces or control characters, or is too short), for ${this.key}.`,
          this.login()
        )
      }
      mask(this.context, value)
      return {
        value,
        source: 'AZURE_ACCESS_TOKEN',
        who: 'the identity whose token AZURE_ACCESS_TOKEN holds',
        renew: `Get it in the same job, shortly before this step: az account get-access-token --resource ${this.resource} --query accessToken -o tsv (a token for Key Vault, not for management.azure.com; it lives about an hour).`
      }
    }
    const clientId = env.AZURE_CLIENT_ID?.trim()
    const tenant = env.AZURE_TENANT_ID?.trim()
    if (!clientId && !tenant) {
      throw new SignerError(
        'input',
        `No Azure credentials for ${this.key}: none of AZURE_ACCESS_TOKEN, or AZURE_CLIENT_ID with AZURE_TENANT_ID, is set.`,
        this.login()
      )
    }
    if (!clientId || !tenant) {
      throw new SignerError(
        'input',
        `${clientId ? 'AZURE_TENANT_ID' : 'AZURE_CLIENT_ID'} is not set, for ${this.key}; the federated sign-in needs both.`,
        this.login()
      )
    }
    if (!GUID_OR_DOMAIN.test(clientId) || !GUID_OR_DOMAIN.test(tenant)) {
      throw new SignerError(
        'input',
        `AZURE_CLIENT_ID and AZURE_TENANT_ID must be an application (client) ID and a tenant ID or domain, for ${this.key}.`,
        'Copy both from the app registration Overview page in the Azure portal.'
      )
    }
    const authority = this.authority()
    const assertion = await this.assertion()
    return this.exchange(authority, tenant, clientId, assertion)
  }

  private authority(): string {
    const given = this.context.env.AZURE_AUTHORITY_HOST?.trim()
    if (!given) {
      const suffix = new URL(this.vault).hostname.split('.').slice(1).join('.').toLowerCase()
      return AUTHORITIES[suffix] ?? AUTHORITIES['vault.azure.net']
    }
    let url: URL | undefined
    try {
      url = new URL(given)
    } catch {
      url = undefined
    }
    if (
      !url ||
      url.protocol !== 'https:' ||
      url.username ||
      url.password ||
      url.search ||
      url.pathname.replace(/\/+$/, '')
    ) {
      throw new SignerError(
        'input',
        `AZURE_AUTHORITY_HOST is not an https origin such as https://login.microsoftonline.com, for ${this.key}.`,
        "Set it to your cloud's Microsoft Entra authority, or leave it unset for the vault's cloud default."
      )
    }
    return url.origin
  }

  private async assertion(): Promise<Assertion> {
    const file = this.context.env.AZURE_FEDERATED_TOKEN_FILE?.trim()
    if (!file) {
      const value = await githubOidcToken(
        this.context,
        OIDC_AUDIENCE_AZURE,
        `the federated sign-in to Microsoft Entra ID for ${this.key}`
      )
      return { value, from: "the job's GitHub OIDC token", file: false }
    }
    const shown = shownFile(file)
    let text: string
    try {
      text = readCredentialFile(file, { waitMs: this.context.http.timeoutMs }).toString('utf8')
    } catch (error) {
      if (!(error instanceof UnreadableFileError)) throw error
      throw new SignerError(
        'input',
        `AZURE_FEDERATED_TOKEN_FILE (${shown}) cannot be read, for ${this.key}: ${error.why}.`,
        "Write the federated token (a JWT for the audience api://AzureADTokenExchange) to that file before this step, or unset the variable to use the job's GitHub OIDC token."
      )
    }
    const value = tokenShape(text)
    if (!value) {
      throw new SignerError(
        'input',
        `AZURE_FEDERATED_TOKEN_FILE (${shown}) holds no token, for ${this.key}.`,
        'Write the federated token (a JWT for the audience api://AzureADTokenExchange) to that file before this step.'
      )
    }
    mask(this.context, value)
    return { value, from: `the token in AZURE_FEDERATED_TOKEN_FILE (${shown})`, file: true }
  }

  private async exchange(
    authority: string,
    tenant: string,
    clientId: string,
    assertion: Assertion
  ): Promise<AzureToken> {
    const service = `Microsoft Entra ID (${new URL(authority).host})`
    const scope = `${this.resource}/.default`
    const res = await callService(this.context, `The federated sign-in at ${service} for ${this.key}`, {
      method: 'POST',
      url: `${authority}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: () =>
        Promise.resolve(
          new URLSearchParams({
            client_id: clientId,
            scope,
            client_assertion_type: CLIENT_ASSERTION_TYPE,
            client_assertion: assertion.value,
            grant_type: 'client_credentials'
          }).toString()
        )
    })
    const app = `the app AZURE_CLIENT_ID (${inert(clientId, 100)}) in tenant ${inert(tenant, 100)}`
    if (res.status !== 200) {
      const json = isOutage(res.status) ? tryJson(res) : jsonOf(res, service, `the federated sign-in for ${this.key}`)
      const description = typeof json?.error_description === 'string' ? json.error_description : ''
      const text = description.split(/\s+Trace ID:/)[0]
      const code = /^AADSTS(\d{4,7})\b/.exec(text)?.[1] ?? ''
      const quoted = quote(text, 300) || quote(json?.error, 60) || 'no error description'
      const traceId = quote(json?.trace_id, 40)
      const correlationId = quote(json?.correlation_id, 40)
      const ids = [traceId && `Trace ID ${traceId}`, correlationId && `Correlation ID ${correlationId}`].filter(Boolean)
      const support = ids.length ? ` (${ids.join(', ')})` : ''
      if (isOutage(res.status)) {
        throw new SignerError(
          'unavailable',
          `${service} answered HTTP ${res.status} to the federated sign-in for ${this.key}, after every attempt: ${quoted}${support}.`,
          'Microsoft Entra ID is unavailable or throttling: try again later. DocuSign was not asked yet.'
        )
      }
      throw new SignerError(
        'refused',
        `${service} refused the federated sign-in of ${app} with ${assertion.from}, for ${this.key}: ${quoted}${support}`,
        this.entraFix(code, clientId, assertion)
      )
    }
    const json = jsonOf(res, service, `the federated sign-in for ${this.key}`)
    const value = tokenShape(typeof json.access_token === 'string' ? json.access_token : undefined)
    if (!value) {
      throw new SignerError(
        'malformed',
        `${service} answered the federated sign-in for ${this.key} without an access token.`,
        'Try again; if it persists, report the message. DocuSign was not asked yet.'
      )
    }
    mask(this.context, value)
    return {
      value,
      source: `Microsoft Entra ID (${app})`,
      who: `the app AZURE_CLIENT_ID (${inert(clientId, 100)})`,
      clientId: inert(clientId, 100),
      renew: 'Check that AZURE_TENANT_ID is the tenant of the vault.'
    }
  }

  private entraFix(code: string, clientId: string, assertion: Assertion): string {
    const id = inert(clientId, 100)
    switch (code) {
      case '700211':
      case '700212':
      case '700213':
      case '70021':
        return assertion.file
          ? this.credentialFor(assertion.value, id)
          : `Add a federated credential to the app registration ${id} matching this job exactly (case included): issuer https://token.actions.githubusercontent.com, the subject quoted (repo:YOUR_ORG/YOUR_REPO:ref:refs/heads/BRANCH, :environment:NAME or :pull_request), audience api://AzureADTokenExchange (az ad app federated-credential create --id ${id} --parameters credential.json).`
      case '700016':
        return 'AZURE_CLIENT_ID names no app in this tenant: check AZURE_CLIENT_ID (the application (client) ID) and AZURE_TENANT_ID.'
      case '90002':
        return "AZURE_TENANT_ID names no tenant in this cloud: check it, and AZURE_AUTHORITY_HOST for a sovereign cloud (unset, it follows the vault's host)."
      case '700024':
        return "The assertion expired or is not yet valid: GitHub OIDC tokens live minutes, so a token file written earlier is stale; check this machine's clock."
      case '500011':
      case '1002012':
      case '70011':
        return `The vault's resource (${this.resource}) is not available in this tenant or cloud: check the vault URL and AZURE_AUTHORITY_HOST.`
      case '7000215':
      case '7000222':
      case '700027':
        return 'Entra ID did not accept the assertion: use a GitHub OIDC token for the audience api://AzureADTokenExchange, or a fresh token file.'
      default:
        return `Check AZURE_CLIENT_ID, AZURE_TENANT_ID and the app's federated credentials (see the AADSTS code in Microsoft's error reference). DocuSign was not asked yet.`
    }
  }

  /** The federated credential a token from a file (GitLab id_tokens, a Kubernetes projected token) needs: its own claims. */
  private credentialFor(token: string, id: string): string {
    const { issuer, subject, audience } = tokenClaims(token)
    return `Add a federated credential to the app registration ${id} matching this token exactly (case included): issuer ${issuer ?? 'ISSUER'}, subject ${subject ?? 'SUBJECT'}, audience ${audience ?? OIDC_AUDIENCE_AZURE} (this token's claims; az ad app federated-credential create --id ${id} --parameters credential.json; see docs/keyless.md).`
  }
}
