/**
 * The npm package: `docusign-jwt` with nothing to install. Packed as `npm publish` would pack it,
 * installed offline into an empty prefix, and run on Node 20 (this one) and Node 24 (the runner's).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ACTION_NODE, ROOT, runProcess } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { repositoryOf, type PackageJson } from '../scripts/identity.mjs'
import { sandboxEnv } from './helpers/cli.js'
import { pkcs1 } from './helpers/keys.js'

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>
const dir = mkdtempSync(join(tmpdir(), 'package-'))
let tarball: string
let files: string[]
let sandbox: Sandbox
const npm = (args: string[]) =>
  execFileSync('npm', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

beforeAll(async () => {
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dir])) as [
    { filename: string; files: { path: string }[] }
  ]
  tarball = join(dir, packed.filename)
  files = packed.files.map(f => f.path).sort()
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--prefix', join(dir, 'prefix'), tarball], {
    stdio: 'ignore'
  })
  sandbox = await startSandbox({ privateKey: pkcs1, consent: true })
}, 60000)
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await sandbox.emulator.close()
})

describe('package.json', () => {
  it('is the docusign-jwt package: published, with its repository, engines and the bin', () => {
    // docusign-jwt, or a scoped @OWNER/docusign-jwt (npm run set-repository --package)
    expect(pkg.name).toMatch(/^(@[a-z0-9][\w.-]*\/)?docusign-jwt$/)
    expect(pkg.private).toBeUndefined()
    expect(pkg.bin).toEqual({ 'docusign-jwt': 'dist/cli.js' })
    expect(pkg.repository).toMatchObject({ url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\.git$/) })
    // npm shows these; set-repository writes all three from one OWNER/NAME.
    const repository = repositoryOf(pkg as PackageJson)
    expect({ homepage: pkg.homepage, bugs: pkg.bugs }).toEqual({
      homepage: `https://github.com/${repository}#readme`,
      bugs: { url: `https://github.com/${repository}/issues` }
    })
    expect(pkg.engines).toEqual({ node: '>=20' })
  })

  it('has no runtime dependencies: everything the entries need is bundled into dist/', () => {
    expect(pkg.dependencies).toBeUndefined()
    expect(pkg.devDependencies).toHaveProperty('@actions/core')
  })
})

describe('the packed tarball', () => {
  it('holds only what the command needs, under 200 KB', () => {
    expect(files).toContain('dist/cli.js')
    expect(files).toContain('dist/package.json') // the bundle is CommonJS; the root package is ES modules
    expect(
      files.filter(f => f.startsWith('dist/') && !/^dist\/(cli\.js|package\.json|[\w-]+\.cli\.js)$/.test(f))
    ).toEqual([])
    expect(files.some(f => f.startsWith('src/') || f.startsWith('__tests__/') || f === 'dist/index.js')).toBe(false)
    expect(statSync(tarball).size).toBeLessThan(200 * 1024)
  })

  it('installs offline into an empty prefix with nothing else', () => {
    const top = String(pkg.name).split('/')[0] // a scoped package installs under its @scope folder
    expect(readdirSync(join(dir, 'prefix', 'node_modules')).filter(n => !n.startsWith('.'))).toEqual([top])
  })

  it.each([
    ['Node 20', process.execPath],
    ['Node 24', ACTION_NODE]
  ])('runs docusign-jwt --version and token against the emulator on %s', async (_name, node) => {
    const bin = join(dir, 'prefix', 'node_modules', '.bin', 'docusign-jwt')
    const env = { ...sandboxEnv(sandbox), PATH: `${dirname(node)}:${process.env.PATH ?? ''}`, HOME: dir }
    const version = await runProcess(bin, ['--version'], env)
    expect(version.stdout.trim()).toBe(pkg.version)
    const token = await runProcess(bin, ['token'], env)
    expect(token.exitCode).toBe(0)
    expect(token.stdout.trim()).toBe(sandbox.emulator.issuedTokens.at(-1))
    expect(token.stderr).toBe('')
  })
})
