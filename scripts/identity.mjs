/**
 * The project's identity: the GitHub repository and the npm package that package.json names. Until a
 * maintainer runs `npm run set-repository OWNER/NAME`, the repository is a placeholder whose owner is
 * PLACEHOLDER_OWNER. The user's own placeholders (YOUR_ORG/YOUR_REPO, RELEASE_SHA) are another
 * kind: nothing here reads or replaces them.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'

// Spelled in two parts so that set-repository, which replaces it in every file, leaves this one alone.
export const PLACEHOLDER_OWNER = ['PROJECT', 'OWNER'].join('_')
export const PLACEHOLDER_REPOSITORY = `${PLACEHOLDER_OWNER}/docusign-jwt-auth-action`

/** owner/name of the GitHub repository package.json's `repository` names, or undefined. */
export function repositoryOf(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url
  return /^(?:git\+)?https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(url ?? '')?.[1]
}

/** package.json of a tree, with the repository and the package name it names. */
export function readIdentity(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
  return { pkg, repository: repositoryOf(pkg), packageName: pkg.name }
}

/** The package.json fields that name the repository: npm's provenance check reads `repository`. */
export function repositoryFields(repository) {
  const url = `https://github.com/${repository}`
  return {
    repository: { type: 'git', url: `git+${url}.git` },
    homepage: `${url}#readme`,
    bugs: { url: `${url}/issues` }
  }
}

/** A regular expression matching `text` only where it is not part of a longer name or path segment. */
export function whole(text) {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?<![\\w.@-])${escaped}(?![\\w-]|\\.(?!git\\b)\\w)`, 'g')
}

// Not the project's text: tools, output that is rebuilt (dist/), history (CHANGELOG.md), local secrets.
const SKIP_DIRS = new Set(['.git', 'node_modules', 'coverage', '.node24', 'dist'])
const SKIP_FILES = new Set(['CHANGELOG.md', 'package-lock.json', '.env'])

/**
 * Every text file of a tree (paths relative to it) that may spell the identity: found by walking the
 * tree, so a file added later is covered too.
 */
export function textFiles(root, dir = root) {
  const found = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) found.push(...textFiles(root, path))
    else if (entry.isFile() && !SKIP_FILES.has(entry.name)) {
      const bytes = readFileSync(path)
      if (!bytes.includes(0)) found.push({ path: relative(root, path), text: bytes.toString('utf8') })
    }
  }
  return found
}

/** Where a tree still spells the identity placeholder, as "file:line". */
export function placeholderLines(root) {
  return textFiles(root).flatMap(({ path, text }) =>
    text.split('\n').flatMap((line, i) => (line.includes(PLACEHOLDER_OWNER) ? [`${path}:${i + 1}`] : []))
  )
}
