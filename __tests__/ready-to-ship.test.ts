/**
 * What a first user and a first release read: the user's placeholders spelled one way each and apart
 * from the project's, a newcomer's two commands on the README's first screen, the npm name decided
 * before the first release, and how to check a published version before trusting it.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'
import { readIdentity, textFiles } from '../scripts/identity.mjs'

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
/** A Markdown section by its heading line: up to the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length
  const lines = text.split('\n')
  const start = lines.indexOf(heading)
  if (start < 0) return ''
  let fenced = false
  const end = lines.findIndex((line, i) => {
    if (line.startsWith('```')) fenced = !fenced
    return i > start && !fenced && new RegExp(`^#{1,${level}} `).test(line)
  })
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n')
}

describe("the user's placeholders", () => {
  // Every doc, example and workflow a user reads or copies (the CHANGELOG is history).
  const files = textFiles(ROOT).filter(f => /\.(md|ya?ml)$/.test(f.path))

  it('are YOUR_ORG/YOUR_REPO and RELEASE_SHA: no other spelling, no made-up SHA', () => {
    const others = /your-org|your-repo|my-org\/|COMMIT_SHA|OWNER\/REPO\b|\b0123456789abcdef/i
    const found = files.flatMap(({ path, text }) =>
      text.split('\n').flatMap((line, i) => (others.test(line) ? [`${path}:${i + 1}`] : []))
    )
    expect(found).toEqual([])
  })

  it('pin this action at RELEASE_SHA, wherever a doc or example names it', () => {
    const { repository } = readIdentity(ROOT)
    const refs = files.flatMap(({ path, text }) =>
      // Not a scoped package that shares the name (@acme/docusign-jwt@1.0.0).
      [...text.matchAll(new RegExp(`(?<![@\\w.-])${repository}@(\\S+)`, 'g'))].map(([, ref]) => ({ path, ref }))
    )
    expect(refs.length).toBeGreaterThan(5)
    expect(refs.filter(({ ref }) => ref !== 'RELEASE_SHA')).toEqual([])
    expect(read('docs/keyless.md')).toContain('repo:YOUR_ORG/YOUR_REPO:ref:refs/heads/main')
  })
})

describe('a newcomer', () => {
  const readme = read('README.md')
  const firstScreen = readme.slice(0, readme.indexOf('\n## '))

  it('reads on the first screen how to try it locally and how to run the tests', () => {
    expect(firstScreen).toContain('`npm ci && npm run demo`')
    expect(firstScreen).toMatch(/bundled DocuSign emulator/)
    expect(firstScreen).toContain('`npm test`')
  })

  it("starts docs/cli.md's emulator walkthrough with npm ci", () => {
    const walkthrough = section(read('docs/cli.md'), '## Trying it against the emulator')
    expect(/```sh\n([^\n]*)/.exec(walkthrough)?.[1]).toBe('npm ci')
  })

  it('is told every npm run script that runs TypeScript goes through the plain-Node check for npm ci', () => {
    const scripts = readIdentity(ROOT).pkg.scripts as Record<string, string>
    expect(Object.entries(scripts).filter(([, command]) => /^tsx\b/.test(command))).toEqual([])
    expect(scripts.demo).toBe('node scripts/tsx.mjs scripts/demo.ts')
  })
})

describe('the npm package', () => {
  it("CONTRIBUTING's release section starts with the name decision and the first version", () => {
    const publishing = section(read('CONTRIBUTING.md'), '## Publishing')
    const first = section(publishing, '### Before the first release: the names')
    expect(publishing.trimStart().startsWith('### Before the first release')).toBe(true)
    expect(first).toMatch(/unscoped `docusign-jwt` carries DocuSign's trademark/)
    expect(first).toContain('`@OWNER/docusign-jwt`')
    expect(first).toContain('npm run set-repository OWNER/NAME')
    expect(first).toContain('--package @OWNER/docusign-jwt')
    expect(first).toMatch(/Publish the first version by hand/)
  })

  it('docs for other CI systems say each release publishes it and how to check a version first', () => {
    const cli = read('docs/cli.md')
    expect(section(cli, '## Running it')).toMatch(/Each\s+release publishes it/)
    const check = section(cli, '### Checking a version')
    expect(check).toContain(`npm install --ignore-scripts --save-exact ${readIdentity(ROOT).packageName}@`)
    expect(check).toContain('npm audit signatures')
    // npm's own words (lib/utils/verify-signatures.js of npm 11): what a good version prints.
    expect(check).toContain('`1 package has a verified registry signature`')
    expect(check).toContain('`1 package has a verified attestation`')
    expect(read('README.md')).toContain('(docs/cli.md#checking-a-version)')
    expect(read('examples/gitlab-ci.yml')).toMatch(/^\s*#.*npm audit signatures/m)
    expect(read('docs/azure-pipelines.md')).toMatch(/published with each release: check the version you pin/)
    expect(read('docs/azure-pipelines.md')).toContain('(cli.md#checking-a-version)')
  })
})

it('finds the docs it reads', () => {
  expect(readdirSync(join(ROOT, 'docs'))).toEqual(expect.arrayContaining(['cli.md', 'keyless.md']))
})
