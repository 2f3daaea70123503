/**
 * The emulator as a program, as the repository's CI workflow starts it (npm run emulator, through
 * scripts/tsx.mjs, which passes SIGTERM on): its step outputs drive the action.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from '@jest/globals'
import { parseFileCommands, ROOT, runAction } from '../emulator/runner.js'

it('starts on a port, writes step outputs the action signs in with, and stops on SIGTERM', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'))
  const [output, ready] = [join(dir, 'output'), join(dir, 'ready')]
  const cli = spawn(
    process.execPath,
    [
      join('scripts', 'tsx.mjs'),
      'emulator/cli.ts',
      '--port',
      '0',
      '--consent',
      '--github-output',
      output,
      '--ready-file',
      ready
    ],
    {
      cwd: ROOT,
      stdio: 'ignore'
    }
  )
  let url: string | undefined
  try {
    for (let i = 0; i < 150 && !existsSync(ready); i++) await new Promise(r => setTimeout(r, 100))
    const outputs = parseFileCommands(readFileSync(output, 'utf8'))
    url = outputs.environment
    expect(outputs.environment).toBe(readFileSync(ready, 'utf8'))
    const run = await runAction({
      inputs: {
        'integration-key': outputs['integration-key'],
        'user-id': outputs['user-id'],
        'private-key': outputs['private-key'],
        environment: outputs.environment
      }
    })
    expect(run.errors).toEqual([])
    expect(run.outputs['account-id']).toBe(outputs['account-id'])
  } finally {
    cli.kill('SIGTERM')
  }
  await new Promise(done => cli.on('close', done))
  await expect(fetch(`${url}/oauth/userinfo`)).rejects.toThrow()
}, 30_000)
