/**
 * Small project trees for the release tools (npm run set-repository, npm run release-check): built
 * at run time, because a fixture on disk that spelled the identity placeholder would itself be
 * renamed by set-repository. The scripts run as `npm run` runs them: plain Node, the tree as cwd.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { ROOT, runProcess, type ProcessResult } from '../../emulator/runner.js'
import { PLACEHOLDER_REPOSITORY, repositoryFields } from '../../scripts/identity.mjs'

/** Writes files (path → content) under a folder. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
}

/** Writes files under a new temporary folder and returns it. */
function tree(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tree-'))
  writeFiles(dir, files)
  return dir
}

/** A copy of a tree in a new temporary folder. */
export function copyOf(dir: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'tree-copy-'))
  cpSync(dir, copy, { recursive: true })
  return copy
}

/**
 * A project as it is before its first release: the identity placeholder in package.json, a README,
 * an example and a doc; the user's placeholders beside it; a CHANGELOG whose history links stay.
 */
export function placeholderProject(version = '1.2.3'): string {
  const pkg = { name: 'docusign-jwt', version, ...repositoryFields(PLACEHOLDER_REPOSITORY), type: 'module' }
  return tree({
    'package.json': `${JSON.stringify(pkg, null, 2)}\n`,
    'README.md': [
      '# Sign in',
      `uses: ${PLACEHOLDER_REPOSITORY}@RELEASE_SHA # v${version}`,
      `npx --yes --package=github:${PLACEHOLDER_REPOSITORY}#RELEASE_SHA -- docusign-jwt check`,
      `npx --yes docusign-jwt@${version} token`,
      'Trust "repo:YOUR_ORG/YOUR_REPO:ref:refs/heads/main".',
      ''
    ].join('\n'),
    'docs/verify.md': `gh attestation verify dist/cli.js -R ${PLACEHOLDER_REPOSITORY}\n`,
    'CHANGELOG.md': `# Changelog\n\n## [${version}] - 2026-12-01\n\n- First.\n\n[${version}]: https://github.com/your-org/docusign-jwt-auth-action/releases/tag/v${version}\n`
  })
}

/** Runs scripts/NAME.mjs of this repository in a tree, with only the environment given (and PATH). */
export function runScript(
  name: 'set-repository' | 'release-check',
  cwd: string,
  args: string[] = [],
  env: Record<string, string> = {}
): Promise<ProcessResult> {
  return runProcess(
    process.execPath,
    [join(ROOT, 'scripts', `${name}.mjs`), ...args],
    { PATH: process.env.PATH ?? '', ...env },
    { cwd }
  )
}

/**
 * Runs `npm run --silent NAME ARGS` in a tree as a maintainer types it, the script being this
 * repository's scripts/NAME.mjs: npm keeps flags it knows (--package, --tag) written before `--` as
 * its own settings, which the scripts must take over. HOME is the tree: no user .npmrc.
 */
export function npmRun(
  name: 'set-repository' | 'release-check',
  cwd: string,
  args: string[],
  env: Record<string, string> = {}
): Promise<ProcessResult> {
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'))
  pkg.scripts = { ...pkg.scripts, [name]: `node ${JSON.stringify(join(ROOT, 'scripts', `${name}.mjs`))}` }
  writeFiles(cwd, { 'package.json': `${JSON.stringify(pkg, null, 2)}\n` })
  const base = { PATH: process.env.PATH ?? '', HOME: cwd }
  return runProcess('npm', ['run', '--silent', name, ...args], { ...base, ...env }, { cwd })
}
