/**
 * The command on the runner: after the action signs in, a later `run:` step of the same job calls
 * `docusign-jwt` by name (GITHUB_PATH, RUNNER_TEMP kept across steps, as the runner keeps them), on
 * the Node that ran the action, with the outputs or export-env's variables and nothing else.
 */
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, normalize } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ACTION_NODE, ROOT, startJob, type Job } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { pkcs1 } from './helpers/keys.js'

let sandbox: Sandbox
let userId: string
const accountId = '4c1d2e3f-0000-4000-8000-00000000b002'
let job: Job

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
  userId = sandbox.emulator.addUser({
    accounts: [{ account_id: accountId, account_name: 'Launch', is_default: true, base_uri: sandbox.emulator.url }]
  })
  sandbox.emulator.grantConsent(sandbox.integrationKey, userId, ['signature', 'impersonation'])
  sandbox.emulator.esign.seedEnvelopes(accountId, 3, new Date('2022-01-01T00:00:00Z'))
})
afterAll(() => sandbox.emulator.close())
afterEach(() => job?.close())

/**
 * What cmd.exe runs for a .cmd launcher, by its batch line parser (stackoverflow.com/q/4094699, the
 * answer by dbenham and jeb): percent expansion first, quotes or not (`%%` is one `%`, `%*` the
 * arguments, any other `%` expands something); then, outside double quotes, `& | < > ( ) ^` are
 * operators and escapes; `!` expands unless delayed expansion is off; `%~dp0` is the folder of the
 * .cmd itself, `dir`, with a trailing separator. Returns the program and its arguments, or throws
 * where a path would be read as anything but itself.
 */
function cmdLauncher(text: string, dir?: string): { program: string; args: string[] } {
  const lines = text.split('\r\n')
  expect(lines).toHaveLength(3)
  expect(lines[0]).toBe('@setlocal DisableDelayedExpansion')
  expect(lines[2]).toBe('')
  let line = lines[1]
  expect(line.startsWith('@')).toBe(true)
  line = line.slice(1)
  const words: string[] = []
  let word = ''
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (c === '%') {
      const next = line[i + 1]
      if (next === '%') word += '%'
      else if (next === '*' && !quoted) word += '%*'
      else if (dir && line.startsWith('%~dp0', i)) {
        word += `${dir}/`
        i += 3
      } else throw new Error(`an unescaped % expands: ${line.slice(i, i + 20)}`)
      i++
    } else if (c === '"') quoted = !quoted
    else if (!quoted && '&|<>()^!'.includes(c)) throw new Error(`'${c}' outside quotes: ${line}`)
    else if (!quoted && c === ' ') {
      if (word) words.push(word)
      word = ''
    } else word += c
  }
  expect(quoted).toBe(false)
  if (word) words.push(word)
  const path = (w: string) => (dir && w.startsWith(`${dir}/`) ? normalize(w) : w)
  return { program: path(words[0]), args: words.slice(1).map(path) }
}

describe('docusign-jwt on a later step', () => {
  it('calls the REST API by name with export-env: true, and nothing else', async () => {
    job = startJob()
    const signIn = await job.runAction({
      inputs: sandbox.inputs({ 'user-id': userId, 'export-env': 'true' }),
      secretInputs: ['private-key']
    })
    expect(signIn.exitCode).toBe(0)
    expect(job.prependPath).toEqual([join(job.temp, 'docusign-jwt-bin')])
    const step = await job.runStep(
      { script: "docusign-jwt api '/envelopes?from_date=2022-01-01' > out.json" },
      { cwd: job.temp }
    )
    expect(step.exitCode).toBe(0)
    const listed = JSON.parse(readFileSync(join(job.temp, 'out.json'), 'utf8')) as { envelopes: unknown[] }
    expect(listed.envelopes.length).toBeGreaterThanOrEqual(3)
    // No second sign-in: the step used the exported token.
    expect(sandbox.emulator.requestsTo('/oauth/token').filter(r => r.claims?.sub === userId)).toHaveLength(1)
    expect(step.log).not.toContain(signIn.outputs['access-token'])
  })

  it("takes the action's outputs through a step's env:", async () => {
    job = startJob()
    const signIn = await job.runAction({ inputs: sandbox.inputs({ 'user-id': userId }), secretInputs: ['private-key'] })
    const step = await job.runStep(
      { script: "docusign-jwt api '/envelopes?from_date=2022-01-01' --paginate | wc -c" },
      {
        env: {
          DOCUSIGN_ACCESS_TOKEN: signIn.outputs['access-token'],
          DOCUSIGN_BASE_PATH: signIn.outputs['base-path'],
          DOCUSIGN_ACCOUNT_ID: signIn.outputs['account-id']
        }
      }
    )
    expect(step.exitCode).toBe(0)
    expect(Number(step.stdout.trim())).toBeGreaterThan(100)
  })

  it('runs on the Node that ran the action, whatever node comes first on PATH', async () => {
    job = startJob()
    const fake = join(job.temp, 'fake-bin')
    mkdirSync(fake)
    writeFileSync(join(fake, 'node'), '#!/bin/sh\necho "wrong node" >&2\nexit 97\n')
    chmodSync(join(fake, 'node'), 0o755)
    await job.runAction({
      inputs: sandbox.inputs({ 'user-id': userId, 'export-env': 'true' }),
      secretInputs: ['private-key']
    })
    const launcher = readFileSync(join(job.temp, 'docusign-jwt-bin', 'docusign-jwt'), 'utf8')
    expect(launcher).toContain(`exec '${ACTION_NODE}'`)
    const step = await job.runStep(
      { script: 'docusign-jwt --version' },
      { env: { PATH: `${fake}:${job.env.PATH ?? process.env.PATH}` } }
    )
    expect(step.exitCode).toBe(0)
    expect(step.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    const cmd = readFileSync(join(job.temp, 'docusign-jwt-bin', 'docusign-jwt.cmd'), 'utf8')
    expect(cmdLauncher(cmd)).toEqual({ program: ACTION_NODE, args: [join(ROOT, 'dist', 'cli.js'), '%*'] })
  })

  it.each([
    '50% off',
    '%PATH%',
    '%~dp0 %1 %*',
    'R&D',
    'a^b',
    'bang!x!',
    'Program Files (x86)',
    'a|b',
    'a<b>c',
    "it's; a,b=c",
    '`tick` $(x) $HOME'
  ])('writes each path so that cmd.exe reads it as itself, in a folder named %j', async folder => {
    job = startJob()
    const dist = join(job.temp, folder, 'dist')
    cpSync(join(ROOT, 'dist'), dist, { recursive: true })
    const inputs = sandbox.inputs({ 'user-id': userId, 'export-env': 'true' })
    const env = Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    )
    const signIn = await job.runStep([ACTION_NODE, join(dist, 'index.js')], { env })
    expect(signIn.exitCode).toBe(0)
    const cmd = readFileSync(join(job.temp, 'docusign-jwt-bin', 'docusign-jwt.cmd'), 'utf8')
    expect(cmdLauncher(cmd)).toEqual({ program: ACTION_NODE, args: [join(dist, 'cli.js'), '%*'] })
    // The sh launcher, from the same folder, runs too.
    const step = await job.runStep({ script: 'docusign-jwt --version' })
    expect(step.exitCode).toBe(0)
    expect(step.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it("writes a path beyond ASCII from the .cmd's own folder (%~dp0): cmd.exe reads the file in the OEM code page", async () => {
    // A self-hosted runner under C:\\Users\\Jörg: RUNNER_TEMP and the action's folder share that part.
    const root = join(mkdtempSync(join(tmpdir(), 'runner-root-')), 'Jörg é 中')
    const temp = join(root, '_work', '_temp')
    const dist = join(root, '_work', '_actions', 'OWNER', 'REPO', 'v1', 'dist')
    mkdirSync(temp, { recursive: true })
    cpSync(join(ROOT, 'dist'), dist, { recursive: true })
    try {
      job = startJob({ env: { RUNNER_TEMP: temp } })
      const inputs = sandbox.inputs({ 'user-id': userId, 'export-env': 'true' })
      const env = Object.fromEntries(
        Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
      )
      expect((await job.runStep([ACTION_NODE, join(dist, 'index.js')], { env })).exitCode).toBe(0)
      const bin = join(temp, 'docusign-jwt-bin')
      const bytes = readFileSync(join(bin, 'docusign-jwt.cmd'))
      expect(bytes.every(b => b < 0x80)).toBe(true)
      expect(cmdLauncher(bytes.toString('utf8'), bin)).toEqual({
        program: ACTION_NODE,
        args: [join(dist, 'cli.js'), '%*']
      })
      const step = await job.runStep({ script: 'docusign-jwt --version' })
      expect(step.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  })

  it('writes no .cmd for a path no cmd.exe line can hold (a double quote, a line break), and keeps the sh launcher', async () => {
    job = startJob()
    const dist = join(job.temp, 'say "hi"\nthere', 'dist')
    cpSync(join(ROOT, 'dist'), dist, { recursive: true })
    const inputs = sandbox.inputs({ 'user-id': userId, 'export-env': 'true' })
    const env = Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    )
    expect((await job.runStep([ACTION_NODE, join(dist, 'index.js')], { env })).exitCode).toBe(0)
    expect(existsSync(join(job.temp, 'docusign-jwt-bin', 'docusign-jwt.cmd'))).toBe(false)
    const step = await job.runStep({ script: 'docusign-jwt --version' })
    expect(step.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('installs nothing when the sign-in fails', async () => {
    job = startJob()
    const failed = await job.runAction({
      inputs: sandbox.inputs({ 'user-id': sandbox.emulator.addUser() }),
      secretInputs: ['private-key']
    })
    expect(failed.exitCode).toBe(1)
    expect(job.prependPath).toEqual([])
  })
})

describe('under another entry, as @github/local-action runs the action (process.argv[1] is its own file)', () => {
  let elsewhere: string
  beforeAll(() => {
    elsewhere = mkdtempSync(join(tmpdir(), 'local-action-'))
    // Preloaded into the built action: argv[1] names a file that is not dist/index.js.
    writeFileSync(
      join(elsewhere, 'argv.cjs'),
      `process.argv[1] = ${JSON.stringify(join(elsewhere, 'local-action.js'))}\n`
    )
  })
  afterAll(() => rmSync(elsewhere, { recursive: true, force: true }))

  it.each([
    ['no cli.js beside it', undefined],
    ['a cli.js that is not the bundled CLI', '#!/usr/bin/env node\nconsole.log("someone else")\n']
  ])('with %s: signs in, warns, writes no launcher and says nothing about the command', async (_name, other) => {
    rmSync(join(elsewhere, 'cli.js'), { force: true })
    if (other) writeFileSync(join(elsewhere, 'cli.js'), other)
    job = startJob()
    const signIn = await job.runAction({
      inputs: sandbox.inputs({ 'user-id': userId }),
      secretInputs: ['private-key'],
      nodeArgs: ['--require', join(elsewhere, 'argv.cjs')]
    })
    expect(signIn.exitCode).toBe(0)
    expect(signIn.outputs['access-token']).toBeTruthy()
    expect(signIn.warnings).toEqual([
      expect.stringMatching(/^The docusign-jwt command is not put on PATH: .*cli\.js is not the bundled CLI/)
    ])
    expect(job.prependPath).toEqual([])
    expect(existsSync(join(job.temp, 'docusign-jwt-bin'))).toBe(false)
    expect(signIn.stdout).not.toMatch(/docusign-jwt api PATH/)
  })
})
