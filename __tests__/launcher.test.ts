/**
 * The command on the runner: after the action signs in, a later `run:` step of the same job calls
 * `docusign-jwt` by name (GITHUB_PATH, RUNNER_TEMP kept across steps, as the runner keeps them), on
 * the Node that ran the action, with the outputs or export-env's variables and nothing else.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { ACTION_NODE, startJob, type Job } from '../emulator/runner.js'
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
    expect(cmd).toMatch(/^@".+" ".+cli\.js" %\*\r\n$/)
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
