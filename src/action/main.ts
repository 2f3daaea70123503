import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import { troubleshootingUrl } from '../core/docs.js'
import { ActionError, ConsentRequiredError, InputError } from '../core/errors.js'
import { boolean, derivedSecrets, parseInputs, type Config } from '../core/inputs.js'
import { describeSpec } from '../core/signers/spec.js'
import type { Io } from '../core/io.js'
import { normaliseProxyEnv } from '../core/proxy-env.js'
import { Secrets } from '../core/secrets.js'
import { signIn, type SignInResult } from '../core/sign-in.js'
import { installLauncher } from './launcher.js'
import type { NotifyOptions } from './notify/index.js'
import { failureSummary, MASKED_LINK_HINT, successSummary } from './summary.js'

/** Failures a person must fix: the only ones open-issue reports (not input errors, not outages). */
const FOR_A_PERSON = new Set(['consent', 'refused'])

/** The runner side: inputs from the environment, masking, outputs, summary, failure. */
export async function run(): Promise<void> {
  normaliseProxyEnv(process.env)
  const secrets = new Secrets()
  /** Masked in the runner's log, and scrubbed from every text this step writes itself. */
  const secret = (value: string): void => {
    core.setSecret(value)
    secrets.add(value)
  }
  const io: Io = {
    env: process.env,
    idToken: audience => core.getIDToken(audience),
    secret,
    info: message => core.info(secrets.scrub(message)),
    debug: message => core.debug(secrets.scrub(message)),
    now: Date.now
  }
  let notify: NotifyOptions | undefined
  try {
    // Mask before parsing, so no later message or debug line could show the key or the token.
    for (const name of ['private-key', 'github-token']) {
      const value = core.getInput(name)
      if (value) secret(value)
    }
    const config = parseInputs(name => core.getInput(name), process.env)
    derivedSecrets(config).forEach(secret)
    notify = notifyOptions(config, io, secrets)

    const result = await signIn(config, io)
    writeOutputs(config, result, secrets)
    if (installLauncher(io.debug, message => core.warning(secrets.scrub(message))))
      io.info('Later steps can call the DocuSign REST API with: docusign-jwt api PATH')
    writeSummary(secrets.scrub(successSummary(config, result)), io)
    if (notify) await onGitHub(notify, io, async gh => gh.reportSuccess(notify!))
  } catch (error) {
    report(error, secrets, io)
    if (notify && error instanceof ActionError && FOR_A_PERSON.has(error.kind)) {
      const docsUrl = troubleshootingUrl(error.topic, process.env)
      await onGitHub(notify, io, async gh => gh.reportFailure({ ...notify!, docsUrl }, error))
    }
  }
}

/** How an issue names the signing key: the local key's fingerprint, or the key vault's key. */
function keyRow({ signingKey }: Config): { label: string; value: string } {
  return 'privateKey' in signingKey
    ? { label: 'Key (public-key SHA-256)', value: signingKey.privateKey.public.fingerprint }
    : { label: 'Signing key', value: describeSpec(signingKey.spec) }
}

/** With open-issue, what the GitHub side needs; undefined without it. */
function notifyOptions(config: Config, io: Io, secrets: Secrets): NotifyOptions | undefined {
  if (!boolean('open-issue', core.getInput('open-issue') || 'false')) return undefined
  const token = core.getInput('github-token')
  if (!token) {
    throw new InputError(
      'github-token',
      "is empty while open-issue is 'true'.",
      "Leave github-token out (it defaults to the job's token, github.token) or pass a token that may write issues."
    )
  }
  return {
    token,
    subject: {
      integrationKey: config.integrationKey,
      userId: config.userId,
      environment: config.environment,
      key: keyRow(config)
    },
    timeoutMs: config.timeoutMs,
    debug: io.debug,
    warn: message => core.warning(secrets.scrub(message)),
    scrub: text => secrets.scrub(text)
  }
}

/**
 * Loads the GitHub side (Octokit stays out of every run that does not ask for it), runs one step of
 * it, and sets issue-url. It never changes the step's outcome: any failure is one warning.
 */
async function onGitHub(
  notify: NotifyOptions,
  io: Io,
  step: (gh: typeof import('./notify/index.js')) => Promise<string | undefined>
): Promise<void> {
  const gh = await import('./notify/index.js')
  try {
    const url = await step(gh)
    if (url) core.setOutput('issue-url', url)
  } catch (error) {
    // Name and status only: an Octokit error carries GitHub's whole answer, and bodies are never logged.
    const { name, status } = (error ?? {}) as { name?: string; status?: number }
    io.debug(`open-issue: ${name ?? 'error'}${status ? ` (HTTP ${status})` : ''}`)
    core.warning(notify.scrub(gh.gitHubWarning(error)))
  }
}

function writeOutputs(config: Config, { token, account }: SignInResult, secrets: Secrets): void {
  const outputs: Record<string, string> = {
    'access-token': token.accessToken,
    'token-type': token.tokenType,
    'expires-in': String(token.expiresIn),
    'expires-at': token.expiresAt.toISOString()
  }
  if (account) {
    Object.assign(outputs, {
      'account-id': account.accountId,
      'account-name': account.accountName,
      'base-uri': account.baseUri,
      'base-path': account.basePath
    })
  }
  // The runner masks the token; any other output that quotes a secret (a server may echo one) is scrubbed.
  for (const [name, value] of Object.entries(outputs)) {
    core.setOutput(name, name === 'access-token' ? value : secrets.scrub(value))
  }
  if (config.exportEnv) {
    core.exportVariable('DOCUSIGN_ACCESS_TOKEN', token.accessToken)
    if (account) {
      core.exportVariable('DOCUSIGN_ACCOUNT_ID', account.accountId)
      core.exportVariable('DOCUSIGN_BASE_PATH', account.basePath)
    }
  }
}

function runUrl(): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined
}

/**
 * The job summary is an append to the file the runner names. Synchronous: the step ends right after,
 * and core.summary's asynchronous write cost ~2 ms of thread-pool round trips for nothing.
 */
function writeSummary(markdown: string, io: Io): void {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) return
  try {
    appendFileSync(file, markdown)
  } catch (error) {
    io.debug(`Could not write the job summary: ${(error as Error).message}`)
  }
}

function report(error: unknown, secrets: Secrets, io: Io): void {
  if (!(error instanceof ActionError)) {
    io.debug((error as Error)?.stack ?? String(error))
    core.setFailed(
      secrets.scrub(`Unexpected error: ${(error as Error)?.message ?? String(error)}. Please report this.`)
    )
    return
  }
  let message = error.message
  if (error instanceof ConsentRequiredError) {
    core.setOutput('consent-url', error.consentUrl)
    core.setOutput('admin-consent-url', error.adminConsentUrl)
    message += `\n${MASKED_LINK_HINT}`
  }
  const docs = troubleshootingUrl(error.topic, process.env)
  core.setFailed(secrets.scrub(`${message}\nTroubleshooting: ${docs}`))
  writeSummary(secrets.scrub(failureSummary(error, docs, runUrl())), io)
}
