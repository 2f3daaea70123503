/**
 * npm run set-repository OWNER/NAME [--package NAME]: the project's identity named everywhere at
 * once, in fixture trees and in a scratch copy of this repository (never the live tree, renamed there
 * with the scoped package name CONTRIBUTING offers): no project placeholder remains, dist/ links the
 * new repository, the user's placeholders and the CHANGELOG's history stay, and the tests that read
 * the identity from package.json follow it.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ROOT, runProcess } from '../emulator/runner.js'
import { PLACEHOLDER_OWNER, placeholderLines, readIdentity } from '../scripts/identity.mjs'
import { copyOf, npmRun, placeholderProject, runScript, writeFiles } from './helpers/trees.js'

const made: string[] = []
const keep = (dir: string) => (made.push(dir), dir)
afterAll(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })))
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8')

describe('in a fixture tree', () => {
  let dir: string
  let changelog: string
  const binary = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, ...Buffer.from(PLACEHOLDER_OWNER)])

  beforeAll(async () => {
    dir = keep(placeholderProject('1.2.3'))
    // Files the command was never told about: found by what they say, not by a list.
    writeFiles(dir, {
      'docs/added-later.md': `git clone https://github.com/${PLACEHOLDER_OWNER}/docusign-jwt-auth-action.git\nScoped: @${PLACEHOLDER_OWNER}/docusign-jwt\n`,
      'images/logo.png': binary
    })
    changelog = read(dir, 'CHANGELOG.md')
    const run = await runScript('set-repository', dir, ['acme/docusign-jwt'])
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(run.stdout).toMatch(/^acme\/docusign-jwt \(npm package docusign-jwt\), was /)
  })

  it('names the repository in package.json (repository, homepage, bugs) and in every file that spelled the placeholder', () => {
    const { pkg, repository, packageName } = readIdentity(dir)
    expect({ repository, packageName }).toEqual({ repository: 'acme/docusign-jwt', packageName: 'docusign-jwt' })
    expect(pkg).toMatchObject({
      repository: { type: 'git', url: 'git+https://github.com/acme/docusign-jwt.git' },
      homepage: 'https://github.com/acme/docusign-jwt#readme',
      bugs: { url: 'https://github.com/acme/docusign-jwt/issues' },
      version: '1.2.3',
      type: 'module'
    })
    expect(Object.keys(pkg)).toEqual(['name', 'version', 'repository', 'homepage', 'bugs', 'type'])
    expect(placeholderLines(dir)).toEqual([])
    expect(read(dir, 'docs/added-later.md')).toBe(
      'git clone https://github.com/acme/docusign-jwt.git\nScoped: @acme/docusign-jwt\n'
    )
    expect(read(dir, 'docs/verify.md')).toBe('gh attestation verify dist/cli.js -R acme/docusign-jwt\n')
  })

  it("leaves the user's placeholders, the CHANGELOG's history and binary files alone", () => {
    const readme = read(dir, 'README.md')
    expect(readme).toContain('uses: acme/docusign-jwt@RELEASE_SHA # v1.2.3')
    expect(readme).toContain('--package=github:acme/docusign-jwt#RELEASE_SHA -- docusign-jwt check')
    expect(readme).toContain('repo:YOUR_ORG/YOUR_REPO:ref:refs/heads/main')
    expect(read(dir, 'CHANGELOG.md')).toBe(changelog)
    expect(readFileSync(join(dir, 'images/logo.png'))).toEqual(binary)
  })

  it('renames again from what package.json names, and --package renames the npm package but not the command', async () => {
    const again = keep(copyOf(dir))
    const run = await runScript('set-repository', again, ['octo-org/sign-in', '--package', '@octo-org/docusign-jwt'])
    expect(run.exitCode).toBe(0)
    expect(readIdentity(again)).toMatchObject({ repository: 'octo-org/sign-in', packageName: '@octo-org/docusign-jwt' })
    const readme = read(again, 'README.md')
    expect(readme).toContain('uses: octo-org/sign-in@RELEASE_SHA # v1.2.3')
    expect(readme).toContain('npx --yes @octo-org/docusign-jwt@1.2.3 token')
    expect(readme).toContain('--package=github:octo-org/sign-in#RELEASE_SHA -- docusign-jwt check')
    expect(read(again, 'docs/added-later.md')).toContain('git clone https://github.com/octo-org/sign-in.git')
  })

  it("--package leaves the tests' package names alone: they are their fixtures' own, and the tests read the project's from package.json", async () => {
    const again = keep(copyOf(dir))
    const test = "const run = await npx(['--yes', 'docusign-jwt@1.2.3', 'token'])\n// npm package docusign-jwt\n"
    writeFiles(again, { '__tests__/fixture.test.ts': test, 'docs/run.md': 'npx --yes docusign-jwt@1.2.3 token\n' })
    const run = await runScript('set-repository', again, ['octo-org/sign-in', '--package', '@octo-org/docusign-jwt'])
    expect(run.exitCode).toBe(0)
    expect(read(again, '__tests__/fixture.test.ts')).toBe(test)
    expect(read(again, 'docs/run.md')).toBe('npx --yes @octo-org/docusign-jwt@1.2.3 token\n')
  })

  it('takes --package through npm run as written, before or after --', async () => {
    for (const args of [
      ['octo-org/sign-in', '--package', '@octo-org/docusign-jwt'],
      ['--', 'octo-org/sign-in', '--package=@octo-org/docusign-jwt']
    ]) {
      const copy = keep(copyOf(dir))
      const run = await npmRun('set-repository', copy, args)
      expect({ args, exitCode: run.exitCode, stderr: run.stderr }).toEqual({ args, exitCode: 0, stderr: '' })
      expect(readIdentity(copy)).toMatchObject({
        repository: 'octo-org/sign-in',
        packageName: '@octo-org/docusign-jwt'
      })
    }
    // A --package without its value reaches the script as "true" through npm: a usage error, not a rename.
    const copy = keep(copyOf(dir))
    const run = await npmRun('set-repository', copy, ['octo-org/sign-in', '--package'])
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('--package needs the npm package name')
    expect(readIdentity(copy)).toMatchObject({ packageName: 'docusign-jwt' })
  })

  it.each([
    [[], /name the repository/],
    [['acme'], /"acme" is not a GitHub repository OWNER\/NAME/],
    [['-acme/x'], /unknown option -acme\/x/],
    [['acme/x', 'acme/y'], /one repository only/],
    [['acme/x', '--package'], /--package needs the npm package name/],
    [['acme/x', '--package', 'Docusign JWT'], /--package: "Docusign JWT" is not an npm package name/]
  ])('refuses %j with exit code 2 and changes nothing', async (args, message) => {
    const untouched = keep(copyOf(dir))
    const run = await runScript('set-repository', untouched, args)
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stderr).toContain('Usage: npm run set-repository OWNER/NAME [--package NAME]')
    expect(readIdentity(untouched).repository).toBe('acme/docusign-jwt')
  })
})

describe('in a scratch copy of this repository', () => {
  let scratch: string
  const SKIP = new Set(['node_modules', '.git', 'coverage', '.node24', '.env'])

  beforeAll(async () => {
    scratch = keep(mkdtempSync(join(tmpdir(), 'set-repository-')))
    cpSync(ROOT, scratch, { recursive: true, filter: path => path === ROOT || !SKIP.has(basename(path)) })
    symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'))
    const run = await runProcess(
      process.execPath,
      [join(scratch, 'scripts', 'set-repository.mjs'), 'acme/docusign-jwt', '--package', '@acme/docusign-jwt'],
      { PATH: process.env.PATH ?? '' },
      { cwd: scratch }
    )
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(readIdentity(scratch)).toMatchObject({ repository: 'acme/docusign-jwt', packageName: '@acme/docusign-jwt' })
  }, 240000)

  it('leaves no project placeholder in any file, dist/ included', () => {
    expect(placeholderLines(scratch)).toEqual([])
    const built = readdirSync(join(scratch, 'dist')).filter(f =>
      read(join(scratch, 'dist'), f).includes(PLACEHOLDER_OWNER)
    )
    expect(built).toEqual([])
    expect(read(scratch, 'CHANGELOG.md')).toBe(read(ROOT, 'CHANGELOG.md'))
  })

  it("rebuilds dist/: the built CLI's troubleshooting links name the repository", async () => {
    const run = await runProcess(process.execPath, [join(scratch, 'dist', 'cli.js'), 'token'], {
      PATH: process.env.PATH ?? ''
    })
    expect(run.exitCode).toBe(2)
    expect(run.stderr).toContain('Troubleshooting: https://github.com/acme/docusign-jwt/blob/v')
  })

  it('the tests that read the identity from package.json pass there', async () => {
    expect(existsSync(join(scratch, '__tests__', 'workflows.test.ts'))).toBe(true)
    const files = [
      '__tests__/workflows.test.ts',
      '__tests__/troubleshooting.test.ts',
      '__tests__/release-check.test.ts',
      '__tests__/examples-run.test.ts',
      '__tests__/ready-to-ship.test.ts',
      '__tests__/github-schema.test.ts',
      '__tests__/package.test.ts',
      '__tests__/gitlab-component.test.ts'
    ]
    const run = await runProcess(
      process.execPath,
      [join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--maxWorkers=1', '--ci', ...files],
      { ...process.env, NODE_OPTIONS: '--experimental-vm-modules', NODE_NO_WARNINGS: '1' } as Record<string, string>,
      { cwd: scratch }
    )
    expect({
      exitCode: run.exitCode,
      failed: run.stderr.match(/^FAIL \S+/gm) ?? [],
      summary: run.stderr.match(/^Tests:.*$/m)?.[0]
    }).toEqual({
      exitCode: 0,
      failed: [],
      summary: expect.stringMatching(/^Tests:\s+\d+ passed, \d+ total$/)
    })
  }, 300000)
})
