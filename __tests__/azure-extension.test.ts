/**
 * The Azure DevOps extension as Microsoft's own tools see it: task.json against the task library's
 * schema, the task under the task library's MockTestRunner, and the .vsix that tfx-cli packs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import AjvDraft04 from 'ajv-draft-04'
import { MockTestRunner } from 'azure-pipelines-task-lib/mock-test.js'
import { commandFromString, type TaskCommand } from 'azure-pipelines-task-lib/taskcommand.js'
import JSZip from 'jszip'
import { ACTION_NODE, parseFileCommands, ROOT } from '../emulator/runner.js'
import { readTaskJson, TASK_DIR } from '../emulator/pipelines-agent.js'
import { adminConsentUrl, consentUrl } from '../src/core/consent.js'
import { DEFAULTS } from '../src/core/inputs.js'
import { KEY_FILE_INPUT, TASK_INPUTS } from '../src/azure/settings.js'
import { scratch } from './helpers/cli.js'

describe('task.json', () => {
  it('is valid against the task library’s tasks.schema.json, the first version that knows Node24', () => {
    // microsoft/azure-pipelines-task-lib tasks.schema.json at 1b6318cff0a8624f6c309da61d8a3948162558d2
    // ("Updated mock test to support test cases for Node24 in task", #1132), unchanged since.
    const schema = JSON.parse(readFileSync(join(ROOT, '__tests__/fixtures/tasks.schema.json'), 'utf8'))
    const validate = new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false }).compile(schema)
    const valid = validate(readTaskJson())
    expect(validate.errors ?? []).toEqual([])
    expect(valid).toBe(true)
    // The schema is the one that judges Node24: an unknown handler is refused.
    expect(validate({ ...readTaskJson(), execution: { Node25: { target: 'index.js' } } })).toBe(false)
  })

  it('runs index.js on Node24, falling back to Node20_1, and names the action’s settings in camelCase with their defaults', () => {
    const task = readTaskJson()
    expect(task.execution).toEqual({
      Node24: { target: 'index.js', argumentFormat: '' },
      Node20_1: { target: 'index.js', argumentFormat: '' }
    })
    // The first agent with the Node20_1 handler (microsoft/azure-pipelines-tasks docs/migrateNode20.md,
    // "Specify minimumAgentVersion"): an older one has neither handler, and must not be given the job.
    expect(task.minimumAgentVersion).toBe('3.232.1')
    const inputs = Object.fromEntries(task.inputs.map(i => [i.name, String(i.defaultValue ?? '')]))
    expect(Object.keys(inputs).sort()).toEqual([...Object.values(TASK_INPUTS), KEY_FILE_INPUT].sort())
    for (const [setting, name] of Object.entries(TASK_INPUTS)) {
      const expected = (DEFAULTS as Record<string, string>)[setting] ?? ''
      expect({ name, default: inputs[name!] }).toEqual({ name, default: expected })
    }
  })
})

describe('the task under azure-pipelines-task-lib’s MockTestRunner', () => {
  /** A sandbox's settings: the emulator runs as its own program, since MockTestRunner blocks this process. */
  type Emulated = Record<'environment' | 'integration-key' | 'user-id' | 'private-key', string>
  let emulator: ChildProcess | undefined
  afterEach(async () => {
    emulator?.kill('SIGTERM')
    if (emulator?.exitCode === null) await new Promise(done => emulator!.on('close', done))
  })

  async function startEmulator(consent: boolean): Promise<Emulated> {
    const dir = scratch()
    const [output, ready] = [join(dir, 'output'), join(dir, 'ready')]
    const args = ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', '--github-output', output, '--ready-file', ready]
    emulator = spawn(process.execPath, consent ? [...args, '--consent'] : args, { cwd: ROOT, stdio: 'ignore' })
    for (let i = 0; i < 150 && !existsSync(ready); i++) await new Promise(r => setTimeout(r, 100))
    return parseFileCommands(readFileSync(output, 'utf8')) as Emulated
  }

  /**
   * MockTestRunner on the pinned Node 24 (given a nodePath, it downloads no Node of its own), running
   * a test script as the task library's own tests do: TaskMockRunner sets each input as the agent
   * would (INPUT_<NAME>) and requires the task's built entry. The task does not use the task library,
   * so nothing is mocked (run(true)). The script carries its inputs: MockTestRunner spawns it with
   * the Jest worker's real environment, not the test's.
   */
  async function mockRun(s: Emulated): Promise<MockTestRunner> {
    const dir = scratch()
    const inputs = {
      integrationKey: s['integration-key'],
      userId: s['user-id'],
      privateKey: s['private-key'],
      environment: s.environment
    }
    const script = join(dir, 'run.cjs')
    writeFileSync(
      script,
      [
        `process.env.AGENT_TEMPDIRECTORY = ${JSON.stringify(dir)}`,
        `const { TaskMockRunner } = require(${JSON.stringify(join(ROOT, 'node_modules/azure-pipelines-task-lib/mock-run.js'))})`,
        `const runner = new TaskMockRunner(${JSON.stringify(join(TASK_DIR, 'index.js'))})`,
        `for (const [name, value] of Object.entries(${JSON.stringify(inputs)})) runner.setInput(name, value)`,
        'runner.run(true)\n'
      ].join('\n')
    )
    const runner = new MockTestRunner(script, join(TASK_DIR, 'task.json'))
    runner.nodePath = ACTION_NODE
    await runner.runAsync()
    return runner
  }

  /** The stdout commands as the task library reads them (taskcommand.ts commandFromString). */
  const commands = (runner: MockTestRunner): TaskCommand[] =>
    runner.stdout
      .split('\n')
      .filter(line => line.includes('##vso['))
      .map(line => commandFromString(line.slice(line.indexOf('##vso['))))

  it('succeeds and sets the variables, the token secret', async () => {
    const runner = await mockRun(await startEmulator(true))
    expect({ succeeded: runner.succeeded, errors: runner.errorIssues, stderr: runner.stderr }).toEqual({
      succeeded: true,
      errors: [],
      stderr: ''
    })
    // MockTestRunner counts task.issue only in errorIssues; the task writes its alias task.logissue.
    expect(commands(runner).filter(c => c.command === 'task.logissue')).toEqual([])
    const set = commands(runner).filter(c => c.command === 'task.setvariable')
    expect(set.map(c => [c.properties.variable, c.properties.issecret, c.properties.isreadonly])).toEqual([
      ['DOCUSIGN_ACCESS_TOKEN', 'true', 'true'],
      ['DOCUSIGN_ACCOUNT_ID', 'false', 'true'],
      ['DOCUSIGN_BASE_PATH', 'false', 'true'],
      ['DOCUSIGN_TOKEN_EXPIRES_AT', 'false', 'true']
    ])
    expect(set[0].message).toMatch(/^\S{20,}$/)
    expect(runner.stdout.split(set[0].message)).toHaveLength(2)
  })

  it('fails when consent is missing, both consent links whole in the error issue', async () => {
    const sandbox = await startEmulator(false)
    const runner = await mockRun(sandbox)
    expect(runner.failed).toBe(true)
    const issues = commands(runner).filter(c => c.command === 'task.logissue' && c.properties.type === 'error')
    expect(issues).toHaveLength(1)
    const scopes = ['signature', 'impersonation']
    for (const url of [consentUrl, adminConsentUrl]) {
      const link = url(sandbox.environment, scopes, sandbox['integration-key'], DEFAULTS['consent-redirect-uri'])
      expect(issues[0].message.split('\n')).toContain(link)
    }
  })
})

describe('the .vsix', () => {
  it('is packed by tfx-cli, and holds the task: task.json, its entry, the CLI and every chunk they load', async () => {
    const out = scratch()
    const tfx = spawnSync(
      join(ROOT, 'node_modules/.bin/tfx'),
      ['extension', 'create', '--manifest-globs', 'vss-extension.json', '--output-path', out, '--no-prompt', '--json'],
      { cwd: join(ROOT, 'azure-pipelines'), encoding: 'utf8', timeout: 60_000 }
    )
    expect({ status: tfx.status, stderr: tfx.stderr }).toEqual({ status: 0, stderr: '' })
    const { path } = JSON.parse(tfx.stdout) as { path: string }
    const zip = await JSZip.loadAsync(readFileSync(path))
    const built = readdirSync(TASK_DIR)
    for (const file of built) {
      const packed = await zip.file(`DocuSignJwtV1/${file}`)?.async('nodebuffer')
      expect({ file, same: packed?.equals(readFileSync(join(TASK_DIR, file))) }).toEqual({ file, same: true })
    }
    expect(built).toEqual(expect.arrayContaining(['task.json', 'index.js', 'cli.js', 'icon.png', 'package.json']))
    const manifest = JSON.parse(await zip.file('extension.vsomanifest')!.async('string'))
    expect(manifest.contributions).toEqual([
      expect.objectContaining({ type: 'ms.vss-distributed-task.task', properties: { name: 'DocuSignJwtV1' } })
    ])
  })
})
