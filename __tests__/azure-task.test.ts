/**
 * The Azure Pipelines task, DocuSignJwt@1, run as the agent runs it (emulator/pipelines-agent.ts): the
 * built entry on Node 24 (the Node24 handler) and Node 20 (the Node20_1 fallback), its inputs as
 * INPUT_* variables, its output read for `##vso[` commands on both streams, against the DocuSign
 * emulator over real HTTP.
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { ACTION_NODE, runProcess } from '../emulator/runner.js'
import {
  readAgentLines,
  runTask,
  TASK_DIR,
  type AgentVariable,
  type TaskRun,
  type TaskRunOptions
} from '../emulator/pipelines-agent.js'
import { newPrivateKeyPem, startSandbox, type Sandbox } from '../emulator/setup.js'
import { consentUrl, adminConsentUrl } from '../src/core/consent.js'
import { cli, sandboxEnv, scratch } from './helpers/cli.js'
import { secretsOf } from './helpers/leaks.js'

const NODES: [string, string][] = [
  ['Node24', ACTION_NODE],
  ['Node20_1', process.execPath]
]
const REDIRECT = 'https://developers.docusign.com/platform/auth/consent'

let sandbox: Sandbox | undefined
afterEach(() => sandbox?.emulator.close())

const inputsOf = (s: Sandbox, overrides: Record<string, string> = {}): Record<string, string> => ({
  integrationKey: s.integrationKey,
  userId: s.userId,
  privateKey: s.privateKey,
  environment: s.emulator.url,
  ...overrides
})

/**
 * A task run, checked as every run must be: no secret in any line but the setvariable line that
 * registers it as a secret, no stack trace, and only the commands the task sends.
 */
async function task(s: Sandbox, options: Partial<TaskRunOptions> & { key?: string } = {}): Promise<TaskRun> {
  const run = await runTask({ tempDir: scratch(), ...options, inputs: inputsOf(s, options.inputs) })
  const key = options.key ?? s.privateKey
  const parts = secretsOf(s.emulator, key)
    .flatMap(v => [v, ...v.split(/\r?\n/)])
    .map(p => p.trim())
    .filter(p => p.length >= 8 && !p.startsWith('-----'))
  for (const { text } of run.lines) {
    const command = run.commands.find(c => c.line === text)
    const registers = command?.name === 'task.setvariable' && command.properties.issecret === 'true'
    for (const part of parts) {
      if (text.includes(part))
        expect({ line: text.slice(0, 60), registers }).toEqual({ line: text.slice(0, 60), registers: true })
    }
  }
  for (const summary of run.summaries) for (const part of parts) expect(summary.includes(part)).toBe(false)
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m)
  const own = [
    'task.setvariable',
    'task.prependpath',
    'task.uploadsummary',
    'task.logissue',
    'task.complete',
    'task.debug'
  ]
  expect(run.commands.map(c => c.name).filter(name => !own.includes(name))).toEqual([])
  return run
}

describe.each(NODES)('the task on %s', (_handler, node) => {
  it('signs in: four read-only variables, the token secret, each also an output of the named step', async () => {
    sandbox = await startSandbox({ consent: true })
    const run = await task(sandbox, { node, stepName: 'docusign' })
    expect({ exitCode: run.exitCode, failed: run.failed, errors: run.errors }).toEqual({
      exitCode: 0,
      failed: false,
      errors: []
    })
    const token = sandbox.emulator.issuedTokens[0]
    const expected = {
      DOCUSIGN_ACCESS_TOKEN: { value: token, secret: true, readOnly: true },
      DOCUSIGN_ACCOUNT_ID: { value: sandbox.accountId, secret: false, readOnly: true },
      DOCUSIGN_BASE_PATH: { value: 'https://demo.docusign.net/restapi', secret: false, readOnly: true },
      DOCUSIGN_TOKEN_EXPIRES_AT: {
        value: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
        secret: false,
        readOnly: true
      }
    }
    expect(run.variables).toEqual({
      ...expected,
      ...Object.fromEntries(Object.entries(expected).map(([name, v]) => [`docusign.${name}`, v]))
    })
    // A later step printing REST data replaces none of them, by its plain name or its output's.
    const hostile = ['DOCUSIGN_BASE_PATH', 'DOCUSIGN_BASE_PATH;isoutput=true', 'docusign.DOCUSIGN_BASE_PATH'].map(
      variable => ({
        stream: 'stdout' as const,
        text: `##vso[task.setvariable variable=${variable}]https://attacker.example`
      })
    )
    const later = readAgentLines(hostile, 'later', structuredClone(run.variables))
    expect(later.errors).toHaveLength(3)
    expect(later.variables).toEqual(run.variables)
    // The token shows in the log only masked; the launcher's folder is on PATH for later steps.
    expect(run.log).not.toContain(token)
    expect(run.prependPath).toHaveLength(1)
    const launched = await runProcess(join(run.prependPath[0], 'docusign-jwt'), ['--version'], {
      PATH: '/usr/bin:/bin'
    })
    expect(launched).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) })
    expect(run.summaries[0]).toMatch(/### DocuSign sign-in succeeded[\s\S]*Acme Demo/)
  })

  it('fails with the consent links whole, the summary tab and result=Failed when consent is missing', async () => {
    sandbox = await startSandbox()
    const run = await task(sandbox, { node })
    const scopes = ['signature', 'impersonation']
    const links = [consentUrl, adminConsentUrl].map(f =>
      f(sandbox!.emulator.url, scopes, sandbox!.integrationKey, REDIRECT)
    )
    expect({ exitCode: run.exitCode, failed: run.failed }).toEqual({ exitCode: 0, failed: true })
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/^Consent required: user /)
    for (const link of links) {
      expect(run.errors[0].split('\n')).toContain(link)
      expect(run.summaries[0]).toContain(`](${link})`)
    }
    expect(run.errors[0]).toMatch(/Troubleshooting: \S+#consent-required$/)
    expect(run.commands.at(-1)).toMatchObject({ name: 'task.complete', properties: { result: 'Failed' } })
    expect(run.variables).toEqual({})
  })

  it('fails with the key message, spelled as the task’s input, when the key is not the registered one', async () => {
    sandbox = await startSandbox({ consent: true })
    const other = newPrivateKeyPem()
    const run = await task(sandbox, { node, inputs: { privateKey: other }, key: other })
    expect({ exitCode: run.exitCode, failed: run.failed }).toEqual({ exitCode: 0, failed: true })
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/no_valid_keys_or_signatures|not registered|public key/i)
    expect(run.errors[0]).toMatch(/#no-valid-keys-or-signatures$/)
    expect(run.summaries[0]).toMatch(/### DocuSign sign-in failed/)
    expect(run.variables).toEqual({})
  })
})

describe('the task', () => {
  it('breaks up a ##vso[ command an account name carries: it reaches no variable and runs nothing', async () => {
    sandbox = await startSandbox()
    const hostile = 'Acme ##vso[task.setvariable variable=DOCUSIGN_BASE_PATH]https://attacker.example/restapi'
    const userId = sandbox.emulator.addUser({
      accounts: [
        {
          account_id: sandbox.accountId,
          account_name: hostile,
          is_default: true,
          base_uri: 'https://demo.docusign.net'
        }
      ]
    })
    sandbox.emulator.grantConsent(sandbox.integrationKey, userId, ['signature', 'impersonation'])
    const run = await task(sandbox, { inputs: { userId } })
    expect(run.failed).toBe(false)
    expect(run.variables.DOCUSIGN_BASE_PATH.value).toBe('https://demo.docusign.net/restapi')
    expect(run.commands.filter(c => c.name === 'task.setvariable').map(c => c.properties.variable)).toEqual([
      'DOCUSIGN_ACCESS_TOKEN',
      'DOCUSIGN_ACCOUNT_ID',
      'DOCUSIGN_BASE_PATH',
      'DOCUSIGN_TOKEN_EXPIRES_AT'
    ])
    expect(run.log).toContain('Acme # #vso[task.setvariable')
    expect(run.summaries[0]).not.toMatch(/##vso\[/)
  })

  it('keeps an error DocuSign describes with ; ] % and line breaks in its one issue, as text', async () => {
    sandbox = await startSandbox({ consent: true })
    const description =
      'a;b]c %0A d %AZP25 e\r\n##vso[task.setvariable variable=DOCUSIGN_BASE_PATH]https://attacker.example'
    sandbox.emulator.failNext('/oauth/token', {
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: description })
    })
    const run = await task(sandbox, { stepName: 'docusign' })
    expect(run.failed).toBe(true)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toContain(
      'a;b]c %0A d %AZP25 e  # #vso[task.setvariable variable=DOCUSIGN_BASE_PATH]https://attacker.example'
    )
    expect(run.commands.map(c => c.name).filter(name => name !== 'task.debug')).toEqual([
      'task.logissue',
      'task.uploadsummary',
      'task.complete'
    ])
    expect(run.variables).toEqual({})
  })

  it('names an input that came as $(NAME), a variable the run does not have, and the fix, before any request', async () => {
    sandbox = await startSandbox({ consent: true })
    const run = await task(sandbox, {
      inputs: {
        integrationKey: '$(DOCUSIGN_INTEGRATION_KEY)',
        privateKey: '',
        privateKeyFile: '$(docusignKey.secureFilePath)'
      }
    })
    expect(run.failed).toBe(true)
    expect(run.errors).toHaveLength(1)
    const [error] = run.errors
    expect(error).toMatch(/^2 settings cannot be used:/)
    expect(error).toContain(
      "Input 'integrationKey' is '$(DOCUSIGN_INTEGRATION_KEY)': this run has no variable DOCUSIGN_INTEGRATION_KEY, so Azure Pipelines passed the macro on as written. Define DOCUSIGN_INTEGRATION_KEY for this run"
    )
    expect(error).toContain(
      "Input 'privateKeyFile' is '$(docusignKey.secureFilePath)': this run has no variable docusignKey.secureFilePath, so Azure Pipelines passed the macro on as written. Run the step named docusignKey that sets secureFilePath (a DownloadSecureFile@1 step sets secureFilePath) earlier in this job"
    )
    expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(0)
  })

  it('reports every unusable input by its task.json name, before any request', async () => {
    sandbox = await startSandbox()
    const run = await task(sandbox, { inputs: { userId: 'dana@example.com', privateKey: '', timeoutSeconds: '0' } })
    expect(run.exitCode).toBe(0)
    expect(run.errors).toHaveLength(1)
    expect(run.errors[0]).toMatch(/'userId'/)
    expect(run.errors[0]).toMatch(/'privateKey'/)
    expect(run.errors[0]).toMatch(/'timeoutSeconds'/)
    expect(run.errors[0]).not.toMatch(/user-id|private-key/)
    expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(0)
  })

  it('explains an empty input as Azure Pipelines causes it: a fork’s pull request, else mapping, group and names', async () => {
    sandbox = await startSandbox()
    const fork = await task(sandbox, { inputs: { privateKey: '' }, env: { SYSTEM_PULLREQUEST_ISFORK: 'True' } })
    expect(fork.errors).toHaveLength(1)
    expect(fork.errors[0]).toMatch(
      /^Input 'privateKey' is empty: the secret or variable it is set from did not reach this job\.\nThis run builds a pull request from a fork: Azure Pipelines gives such builds no secret variables unless the pipeline's pull request trigger has 'Make secrets available to builds of forks' on/
    )
    expect(fork.errors[0]).toContain("ne(variables['System.PullRequest.IsFork'], 'True')")
    const own = await task(sandbox, { inputs: { privateKey: '' }, env: { SYSTEM_PULLREQUEST_ISFORK: 'False' } })
    expect(own.errors[0]).toContain('env: DOCUSIGN_PRIVATE_KEY: $(DOCUSIGN_PRIVATE_KEY)')
    expect(own.errors[0]).toContain('variables: - group: NAME')
    expect(own.errors[0]).toContain('$[variables.NAME] is empty')
    expect(own.errors[0]).not.toMatch(/GitHub|GitLab|Dependabot|README/)
    expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(0)
  })

  it('reads the key from a secure file’s path (privateKeyFile), and names a missing file', async () => {
    sandbox = await startSandbox({ consent: true })
    const { writeFileSync } = await import('node:fs')
    const file = join(scratch(), 'docusign.key')
    writeFileSync(file, sandbox.privateKey, { mode: 0o600 })
    const ok = await task(sandbox, { inputs: { privateKey: '', privateKeyFile: file } })
    expect(ok.failed).toBe(false)
    const missing = await task(sandbox, { inputs: { privateKey: '', privateKeyFile: `${file}.absent` } })
    expect(missing.errors[0]).toMatch(/^Input 'privateKeyFile' \(the file .*\) cannot be read: there is no such file\./)
  })

  it('is its own bundle in the task folder, beside the CLI it puts on PATH, with nothing of the action or the CLI', async () => {
    const { existsSync, readFileSync } = await import('node:fs')
    const files = ['index.js', 'cli.js', 'package.json', 'task.json', 'icon.png']
    expect(files.filter(f => !existsSync(join(TASK_DIR, f)))).toEqual([])
    // @actions/core's file commands and masking, and the CLI's command-line parser.
    expect(readFileSync(join(TASK_DIR, 'index.js'), 'utf8')).not.toMatch(
      /GITHUB_OUTPUT|add-mask|parseCommandLine|KEY_REFUSED/
    )
  })
})

describe('docusign-jwt token --format azure-pipelines', () => {
  /** The CLI's stdout read as the agent reads a script step's: setvariable lines only, each taken. */
  function variablesOf(stdout: string, stepName?: string): Record<string, AgentVariable> {
    const lines = stdout.split('\n').filter(Boolean)
    const reading = readAgentLines(
      lines.map(text => ({ stream: 'stdout' as const, text })),
      stepName
    )
    expect({ errors: reading.errors, failed: reading.failed }).toEqual({ errors: [], failed: false })
    expect(reading.commands.map(c => c.name)).toEqual(lines.map(() => 'task.setvariable'))
    return reading.variables
  }

  it.each([
    ['a step without a name', undefined],
    ['a named step', 'docusign']
  ])('prints the task’s setvariable lines only, in %s', async (_name, stepName) => {
    sandbox = await startSandbox({ consent: true })
    const env = { ...sandboxEnv(sandbox), ...(stepName ? { SYSTEM_TASKINSTANCENAME: stepName } : {}) }
    const run = await cli(sandbox, ['token', '--format', 'azure-pipelines'], { env, tokenOnStdout: true })
    expect(run).toMatchObject({ exitCode: 0, stderr: '' })
    const fromCli = variablesOf(run.stdout, stepName)
    const fromTask = (await task(sandbox, { stepName })).variables
    const expires = (v: Record<string, AgentVariable>) => v.DOCUSIGN_TOKEN_EXPIRES_AT.value
    expect(Object.keys(fromCli)).toEqual(Object.keys(fromTask))
    expect(fromCli.DOCUSIGN_ACCESS_TOKEN).toEqual({
      value: sandbox.emulator.issuedTokens[0],
      secret: true,
      readOnly: true
    })
    for (const [name, variable] of Object.entries(fromTask)) {
      if (name.endsWith('DOCUSIGN_ACCESS_TOKEN') || name.endsWith('DOCUSIGN_TOKEN_EXPIRES_AT')) continue
      expect({ name, ...fromCli[name] }).toEqual({ name, ...variable })
    }
    expect(new Date(expires(fromCli)).getTime()).toBeGreaterThan(Date.now())
  })
})

describe('docusign-jwt in an Azure Pipelines script step (TF_BUILD=True)', () => {
  it('explains a secret that is not in the environment: the env: mapping, the linked group, the names', async () => {
    sandbox = await startSandbox()
    const env = sandboxEnv(sandbox, 'key-file', { DOCUSIGN_PRIVATE_KEY_FILE: '', TF_BUILD: 'True' })
    const run = await cli(sandbox, ['token'], { env })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(
      /is empty: the secret or variable it is set from did not reach this job\.\nOn Azure Pipelines a secret variable is not in a script step's environment unless the step maps it \(env: DOCUSIGN_PRIVATE_KEY: \$\(DOCUSIGN_PRIVATE_KEY\)\)/
    )
    expect(run.stderr).toContain('(variables: - group: NAME) and the group allows this pipeline')
    expect(run.stderr).not.toMatch(/GitHub|GitLab|Dependabot/)
    const fork = await cli(sandbox, ['token'], { env: { ...env, SYSTEM_PULLREQUEST_ISFORK: 'True' } })
    expect(fork.stderr).toContain("'Make secrets available to builds of forks'")
    expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(0)
  })

  it('names a setting that came as $(NAME) from the step’s env: mapping, before reading any file or asking', async () => {
    sandbox = await startSandbox()
    const env = sandboxEnv(sandbox, 'key-file', {
      DOCUSIGN_INTEGRATION_KEY: '$(DOCUSIGN_INTEGRATION_KEY)',
      DOCUSIGN_PRIVATE_KEY_FILE: '$(docusignKey.secureFilePath)'
    })
    const run = await cli(sandbox, ['token'], { env: { ...env, TF_BUILD: 'True' } })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(/^docusign-jwt: 2 settings cannot be used:/)
    expect(run.stderr).toContain(
      "--integration-key (DOCUSIGN_INTEGRATION_KEY) is '$(DOCUSIGN_INTEGRATION_KEY)': this run has no variable DOCUSIGN_INTEGRATION_KEY, so Azure Pipelines passed the macro on as written. Define DOCUSIGN_INTEGRATION_KEY for this run"
    )
    expect(run.stderr).toContain(
      "is '$(docusignKey.secureFilePath)': this run has no variable docusignKey.secureFilePath, so Azure Pipelines passed the macro on as written. Run the step named docusignKey"
    )
    expect(run.stderr).not.toMatch(/cannot read|not a GUID/)
    // Elsewhere the same values are only wrong values, said as such.
    const elsewhere = await cli(sandbox, ['token'], { env })
    expect(elsewhere.exitCode).toBe(2)
    expect(elsewhere.stderr).not.toContain('Azure Pipelines')
    expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(0)
  })
})

describe('docusign-jwt api after the task', () => {
  it('names the env: mapping when the account and base path arrived but the secret token did not', async () => {
    sandbox = await startSandbox({ consent: true, restApi: true })
    const { variables } = await task(sandbox)
    // A later script step: the agent gives it the plain variables, never the secret one.
    const env = {
      DOCUSIGN_ACCOUNT_ID: variables.DOCUSIGN_ACCOUNT_ID.value,
      DOCUSIGN_BASE_PATH: variables.DOCUSIGN_BASE_PATH.value
    }
    // The identifiers as plain pipeline variables (as docs/azure-pipelines.md sets them) reach it too.
    const identifiers = { DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey, DOCUSIGN_USER_ID: sandbox.userId }
    const runs: Record<string, string>[] = [
      env,
      { ...env, ...identifiers },
      { ...env, ...identifiers, TF_BUILD: 'True' }
    ]
    for (const given of runs) {
      const run = await cli(sandbox, ['api', '/envelopes'], { env: given })
      expect(run.exitCode).toBe(2)
      expect(run.stderr).toContain("the step maps it: 'env: DOCUSIGN_ACCESS_TOKEN: $(DOCUSIGN_ACCESS_TOKEN)'")
      // On the agent, only the mapping: no GitHub advice.
      if (given.TF_BUILD) expect(run.stderr).not.toMatch(/export-env|the action's outputs/)
    }
    const mapped = await cli(sandbox, ['api', '/envelopes?from_date=2020-01-01'], {
      env: { ...env, DOCUSIGN_ACCESS_TOKEN: variables.DOCUSIGN_ACCESS_TOKEN.value }
    })
    expect({ code: mapped.exitCode, stderr: mapped.stderr }).toEqual({ code: 0, stderr: '' })
  })
})
