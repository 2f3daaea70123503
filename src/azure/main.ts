import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeLauncher } from '../cli/launcher.js'
import { failureSummary, successSummary } from '../action/summary.js'
import { troubleshootingUrl } from '../core/docs.js'
import { ActionError, ConsentRequiredError } from '../core/errors.js'
import { settingsError } from '../core/empty-settings.js'
import { derivedSecrets, parseInputs } from '../core/inputs.js'
import type { Io } from '../core/io.js'
import { normaliseProxyEnv } from '../core/proxy-env.js'
import { Secrets } from '../core/secrets.js'
import { signIn } from '../core/sign-in.js'
import { taskReader, taskSpelling, undefinedVariables } from './settings.js'
import { setVariableLines } from './variables.js'
import { vso } from './vso.js'

type Env = Record<string, string | undefined>

/** Shown with every consent failure: Azure Pipelines masks secret variables wherever they appear. */
const MASKED_HINT =
  'If a link shows client_id=***, the integration key is stored as a secret variable, and Azure Pipelines masks it wherever it appears: store it as a plain variable (it is an identifier, not a secret).'

interface TaskOutput {
  write: (text: string) => void
}

/**
 * The Azure Pipelines door: inputs from the agent's INPUT_* variables, `##vso[` commands on stdout.
 * Every line passes the scrubber; the token appears only in the setvariable lines that make it a
 * secret. A failure is told by commands alone (task.logissue, task.complete result=Failed).
 */
export async function run(env: Env, out: TaskOutput, entryDir: string): Promise<void> {
  normaliseProxyEnv(env)
  const secrets = new Secrets()
  const line = (text: string): void => out.write(`${secrets.scrub(text)}\n`)
  const io: Io = {
    env,
    secret: value => secrets.add(value),
    info: line,
    debug: message => out.write(vso('task.debug', {}, secrets.scrub(message))),
    now: Date.now
  }
  const spelling = taskSpelling(env)
  const temp = env.AGENT_TEMPDIRECTORY || tmpdir()
  try {
    const undefinedError = settingsError([], undefinedVariables(env), env)
    if (undefinedError) throw undefinedError
    const config = parseInputs(taskReader(env, secrets), env)
    derivedSecrets(config).forEach(io.secret)
    const result = await signIn(config, io)
    // The step's name (system.taskInstanceName) is what the agent prefixes output variables with.
    out.write(setVariableLines(result, Boolean(env.SYSTEM_TASKINSTANCENAME), text => secrets.scrub(text)))
    const bin = join(temp, 'docusign-jwt-bin')
    try {
      writeLauncher(bin, process.execPath, join(entryDir, 'cli.js'))
      out.write(vso('task.prependpath', {}, bin))
      line('Later steps can call the DocuSign REST API with: docusign-jwt api PATH')
    } catch (error) {
      io.debug(`Could not put the docusign-jwt command on PATH: ${(error as Error).message}`)
    }
    uploadSummary(secrets.scrub(successSummary(config, result)), temp, out, io)
  } catch (error) {
    fail(error, { env, out, io, secrets, temp, spelling })
  }
}

/**
 * The Markdown file the agent attaches to the run (task.uploadsummary), shown in its Extensions tab
 * under the file's name: a folder of its own keeps that name free for each run of the task.
 */
function uploadSummary(markdown: string, temp: string, out: TaskOutput, io: Io): void {
  try {
    const file = join(mkdtempSync(join(temp, 'docusign-jwt-summary-')), 'DocuSign sign-in.md')
    writeFileSync(file, markdown)
    out.write(vso('task.uploadsummary', {}, file))
  } catch (error) {
    io.debug(`Could not write the summary: ${(error as Error).message}`)
  }
}

/** The build's results page, where a person re-runs it. */
function runUrl(env: Env): string | undefined {
  const { SYSTEM_COLLECTIONURI: server, SYSTEM_TEAMPROJECT: project, BUILD_BUILDID: id } = env
  if (!server || !project || !id || !/^https:\/\//.test(server)) return undefined
  return `${server.replace(/\/*$/, '/')}${encodeURIComponent(project)}/_build/results?buildId=${encodeURIComponent(id)}`
}

interface Failing {
  env: Env
  out: TaskOutput
  io: Io
  secrets: Secrets
  temp: string
  spelling: ReturnType<typeof taskSpelling>
}

/** One error issue (the message, consent links whole), the summary tab, and the task failed. */
function fail(error: unknown, { env, out, io, secrets, temp, spelling }: Failing): void {
  if (!(error instanceof ActionError)) {
    io.debug((error as Error)?.stack ?? String(error))
    const message = `Unexpected error: ${(error as Error)?.message ?? String(error)}. Please report this.`
    out.write(vso('task.logissue', { type: 'error' }, secrets.scrub(message)))
    out.write(vso('task.complete', { result: 'Failed' }, 'DocuSign sign-in failed'))
    return
  }
  const docs = troubleshootingUrl(error.topic, env)
  const hint = error instanceof ConsentRequiredError ? `\n${MASKED_HINT}` : ''
  const message = `${error.shown(spelling).message}${hint}\nTroubleshooting: ${docs}`
  out.write(vso('task.logissue', { type: 'error' }, secrets.scrub(message)))
  const door = { run: 'pipeline run', maskedHint: MASKED_HINT, spelling }
  uploadSummary(secrets.scrub(failureSummary(error, docs, runUrl(env), door)), temp, out, io)
  out.write(vso('task.complete', { result: 'Failed' }, 'DocuSign sign-in failed'))
}
