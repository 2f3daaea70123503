/**
 * npm run release-check, against fixture trees (never the live tree, whose identity is a placeholder
 * until the maintainers name it): one with the placeholder, one after set-repository acme/docusign-jwt.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { PLACEHOLDER_OWNER } from '../scripts/identity.mjs'
import { copyOf, npmRun, placeholderProject, runScript } from './helpers/trees.js'

const REPOSITORY = 'acme/docusign-jwt'
const READY = { GITHUB_REPOSITORY: REPOSITORY }
let placeholder: string
let named: string
const made: string[] = []
/** A copy of the named tree with one change, so each case starts from a tree that passes. */
function namedWith(change: (dir: string) => void): string {
  const dir = copyOf(named)
  made.push(dir)
  change(dir)
  return dir
}

beforeAll(async () => {
  placeholder = placeholderProject('1.2.3')
  named = copyOf(placeholder)
  made.push(placeholder, named)
  const set = await runScript('set-repository', named, [REPOSITORY])
  expect(set.exitCode).toBe(0)
})
afterAll(() => made.forEach(dir => rmSync(dir, { recursive: true, force: true })))

describe('release-check', () => {
  it('refuses the placeholder identity, naming package.json, each line that spells it, and the fix', async () => {
    const run = await runScript('release-check', placeholder, [], READY)
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(/package\.json's repository is still the placeholder/)
    expect(run.stderr).toContain('README.md:2, README.md:3, docs/verify.md:1')
    expect(run.stderr).toContain('npm run set-repository OWNER/NAME')
    expect(run.stdout).toBe('')
  })

  it('passes after set-repository acme/docusign-jwt, in acme/docusign-jwt, for the tag v1.2.3', async () => {
    const tag = { ...READY, GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v1.2.3' }
    const run = await runScript('release-check', named, [], tag)
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' })
    expect(run.stdout).toBe('release-check: ready: acme/docusign-jwt, npm package docusign-jwt 1.2.3, tag v1.2.3.\n')
    expect((await runScript('release-check', named, ['--tag', 'v1.2.3'], READY)).exitCode).toBe(0)
    // The user's placeholders are the user's: they stay, and they are no reason to refuse.
    const readme = readFileSync(join(named, 'README.md'), 'utf8')
    expect(readme).toContain(`uses: ${REPOSITORY}@RELEASE_SHA # v1.2.3`)
    expect(readme).toContain('repo:YOUR_ORG/YOUR_REPO:')
  })

  it('refuses a repository other than the one that publishes (GITHUB_REPOSITORY), with the command that fixes it', async () => {
    const run = await runScript('release-check', named, [], { GITHUB_REPOSITORY: 'acme/fork' })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain("package.json's repository is acme/docusign-jwt, but this runs in acme/fork")
    expect(run.stderr).toContain('E422')
    expect(run.stderr).toContain('npm run set-repository acme/fork')
  })

  it.each([
    ['a tag of another version', ['--tag', 'v1.2.4'], {}, /The tag v1\.2\.4 is not v1\.2\.3/],
    ['a tag without its v', ['--tag', '1.2.3'], {}, /The tag 1\.2\.3 is not v1\.2\.3/],
    [
      'the runner’s tag of another version',
      [],
      { GITHUB_REF_TYPE: 'tag', GITHUB_REF_NAME: 'v2.0.0' },
      /v2\.0\.0 is not/
    ]
  ])('refuses %s', async (_name, args, env, message) => {
    const run = await runScript('release-check', named, args, { ...READY, ...env })
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toMatch(message)
  })

  it('takes --tag through npm run as written, before or after --; a dist-tag of an .npmrc is not a release tag', async () => {
    for (const args of [['--tag', 'v1.2.4'], ['--', '--tag', 'v1.2.4'], ['--tag=v1.2.4']]) {
      const run = await npmRun(
        'release-check',
        namedWith(() => {}),
        args,
        READY
      )
      expect({ args, exitCode: run.exitCode }).toEqual({ args, exitCode: 1 })
      expect(run.stderr).toContain('The tag v1.2.4 is not v1.2.3')
    }
    const bare = await npmRun(
      'release-check',
      namedWith(() => {}),
      ['--tag'],
      READY
    )
    expect(bare.exitCode).toBe(2)
    expect(bare.stderr).toContain('Usage: npm run release-check [-- --tag vX.Y.Z]')
    const dir = namedWith(d => writeFileSync(join(d, '.npmrc'), 'tag=next\n'))
    const run = await npmRun('release-check', dir, [], READY)
    expect({ exitCode: run.exitCode, stdout: run.stdout }).toEqual({
      exitCode: 0,
      stdout: 'release-check: ready: acme/docusign-jwt, npm package docusign-jwt 1.2.3.\n'
    })
  })

  it("refuses a tag whose version has no section in the CHANGELOG (a branch's run does not ask)", async () => {
    const dir = namedWith(d => writeFileSync(join(d, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n- Next.\n'))
    const run = await runScript('release-check', dir, ['--tag', 'v1.2.3'], READY)
    expect(run.exitCode).toBe(1)
    expect(run.stderr).toContain('CHANGELOG.md has no section "## [1.2.3]"')
    expect((await runScript('release-check', dir, [], { ...READY, GITHUB_REF_TYPE: 'branch' })).exitCode).toBe(0)
  })

  it('refuses a file added later that spells the placeholder, and a homepage that names another repository', async () => {
    const dir = namedWith(d => {
      writeFileSync(join(d, 'docs', 'later.md'), `See ${PLACEHOLDER_OWNER}/docusign-jwt-auth-action.\n`)
      const pkg = JSON.parse(readFileSync(join(d, 'package.json'), 'utf8'))
      writeFileSync(join(d, 'package.json'), JSON.stringify({ ...pkg, homepage: 'https://github.com/else/where' }))
    })
    const run = await runScript('release-check', dir, [], { ...READY, GITHUB_ACTIONS: 'true' })
    expect(run.exitCode).toBe(1)
    const lines = run.stderr.trim().split('\n')
    expect(lines).toEqual([
      expect.stringMatching(/^::error::release-check: package\.json's homepage does not name acme\/docusign-jwt/),
      expect.stringMatching(/^::error::release-check: 1 line\(s\) still spell .*: docs\/later\.md:1\. /)
    ])
  })

  it.each([[['--tag']], [['--tag', 'v1.2.3', 'extra']], [['--bogus']]])(
    'refuses the usage %j with exit code 2',
    async args => {
      const run = await runScript('release-check', named, args, READY)
      expect(run.exitCode).toBe(2)
      expect(run.stderr).toContain('Usage: npm run release-check [-- --tag vX.Y.Z]')
    }
  )
})
