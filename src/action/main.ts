import { appendFileSync } from 'node:fs'
import * as core from '@actions/core'
import { ActionError, ConsentRequiredError } from '../core/errors.js'
import { parseInputs, type Config } from '../core/inputs.js'
import type { Io } from '../core/io.js'
import { Secrets } from '../core/secrets.js'
import { signIn, type SignInResult } from '../core/sign-in.js'
import { failureSummary, MASKED_LINK_HINT, successSummary } from './summary.js'

/** The runner side: inputs from the environment, masking, outputs, summary, failure. */
export async function run(): Promise<void> {
  const secrets = new Secrets()
  /** Masked in the runner's log, and scrubbed from every text this step writes itself. */
  const secret = (value: string): void => {
    core.setSecret(value)
    secrets.add(value)
  }
  const io: Io = {
    secret,
    info: message => core.info(secrets.scrub(message)),
    debug: message => core.debug(secrets.scrub(message)),
    now: Date.now
  }
  try {
    // Mask before parsing, so no later message or debug line could show the key.
    const rawKey = core.getInput('private-key')
    if (rawKey) secret(rawKey)
    const config = parseInputs(name => core.getInput(name))
    if (config.privateKey.decoded) secret(config.privateKey.decoded)

    const result = await signIn(config, io)
    writeOutputs(config, result)
    writeSummary(secrets.scrub(successSummary(config, result)), io)
  } catch (error) {
    report(error, secrets, io)
  }
}

function writeOutputs(config: Config, { token, account }: SignInResult): void {
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
  for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
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
  core.setFailed(secrets.scrub(message))
  writeSummary(secrets.scrub(failureSummary(error, runUrl())), io)
}
