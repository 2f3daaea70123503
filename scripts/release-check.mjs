/**
 * npm run release-check [-- --tag vX.Y.Z] (or --tag without --): refuses a release that would go out broken.
 * - The project's identity is still the placeholder (package.json or any file that spells it):
 *   troubleshooting links would be dead and `npm publish --provenance` refused.
 * - package.json's repository, homepage or bugs name another repository than GITHUB_REPOSITORY (the
 *   repository that publishes): npm refuses provenance whose source is not package.json's repository.
 * - For a tag (--tag, or GITHUB_REF_TYPE=tag with GITHUB_REF_NAME): the tag is not v + package.json's
 *   version, or CHANGELOG.md has no section for that version.
 * The user's placeholders (YOUR_ORG/YOUR_REPO, RELEASE_SHA) are left alone: they are for the user.
 * Plain Node, no dependencies: it runs before `npm ci`. Exit 0 ready, 1 refused, 2 usage.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PLACEHOLDER_OWNER, placeholderLines, readIdentity, repositoryFields } from './identity.mjs'

const USAGE = 'Usage: npm run release-check [-- --tag vX.Y.Z]'
const env = process.env
/** Values from the environment and the tag, shown on one line whatever they hold. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]+/g
const inert = value => String(value).replace(CONTROL, ' ').slice(0, 200)

function tagOf(args) {
  if (args.length === 0) return env.GITHUB_REF_TYPE === 'tag' ? env.GITHUB_REF_NAME || '' : undefined
  const [flag, value, ...rest] = args
  if (flag.startsWith('--tag=') && !value) return flag.slice('--tag='.length)
  if (flag === '--tag' && value && rest.length === 0) return value
  console.error(`release-check: ${args.map(inert).join(' ')}: expected at most --tag vX.Y.Z.\n${USAGE}`)
  process.exit(2)
}

/**
 * The arguments. `npm run release-check --tag vX.Y.Z` (without `--`) keeps --tag as npm's own setting
 * and hands it over as npm_config_tag; a value that starts like a version is that tag (npm's dist-tags,
 * say `tag=next` in an .npmrc, can never look like a version: npm refuses them).
 */
function argsOf(args) {
  const fromNpm = env.npm_lifecycle_event === 'release-check' ? env.npm_config_tag : undefined
  if (args.length > 0 || fromNpm === undefined) return args
  // npm hands over a --tag written without its value as "" (or "true"): the usage error of a bare --tag.
  return fromNpm === '' || fromNpm === 'true' ? ['--tag'] : /^v?\d/.test(fromNpm) ? ['--tag', fromNpm] : args
}

const root = process.cwd()
const tag = tagOf(argsOf(process.argv.slice(2)))
const { pkg, repository, packageName } = readIdentity(root)
const problems = []
const fix = 'run npm run set-repository OWNER/NAME (CONTRIBUTING.md, "Publishing") and commit'

const lines = placeholderLines(root)
if (!repository) {
  problems.push(`package.json's repository names no GitHub repository (https://github.com/OWNER/NAME): ${fix}.`)
} else if (repository.split('/')[0] === PLACEHOLDER_OWNER) {
  problems.push(`package.json's repository is still the placeholder ${repository}: ${fix}.`)
} else {
  const expected = repositoryFields(repository)
  for (const field of ['homepage', 'bugs']) {
    if (JSON.stringify(pkg[field]) !== JSON.stringify(expected[field])) {
      problems.push(`package.json's ${field} does not name ${repository} (${JSON.stringify(expected[field])}): ${fix}.`)
    }
  }
  if (env.GITHUB_REPOSITORY && env.GITHUB_REPOSITORY !== repository) {
    problems.push(
      `package.json's repository is ${repository}, but this runs in ${inert(env.GITHUB_REPOSITORY)}: npm refuses provenance for a package whose repository is another (E422). Run npm run set-repository ${inert(env.GITHUB_REPOSITORY)} and commit.`
    )
  }
}
if (lines.length > 0) {
  const shown = lines.slice(0, 10).join(', ') + (lines.length > 10 ? `, and ${lines.length - 10} more` : '')
  problems.push(
    `${lines.length} line(s) still spell the project placeholder ${PLACEHOLDER_OWNER}: ${shown}. To fix, ${fix}.`
  )
}

if (tag !== undefined) {
  const version = pkg.version
  if (!/^v\d+\.\d+\.\d+(?:-[\w.-]+)?(?:\+[\w.-]+)?$/.test(tag) || tag !== `v${version}`) {
    problems.push(
      `The tag ${inert(tag) || '(empty)'} is not v${version}, package.json's version: tag the commit whose package.json has the tag's version, as vX.Y.Z.`
    )
  }
  const changelog = join(root, 'CHANGELOG.md')
  const text = existsSync(changelog) ? readFileSync(changelog, 'utf8') : ''
  const heading = new RegExp(`^## \\[${version.replace(/[.+]/g, '\\$&')}\\]`, 'm')
  if (!heading.test(text)) {
    problems.push(
      `CHANGELOG.md has no section "## [${version}]" for package.json's version: move the Unreleased entries under it.`
    )
  }
}

const annotate = env.GITHUB_ACTIONS === 'true' ? '::error::' : ''
for (const problem of problems) console.error(`${annotate}release-check: ${problem}`)
if (problems.length > 0) process.exit(1)
const what = tag === undefined ? '' : `, tag ${tag}`
console.log(`release-check: ready: ${repository}, npm package ${packageName} ${pkg.version}${what}.`)
