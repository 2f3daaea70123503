/**
 * npm run set-repository OWNER/NAME [--package NAME]: names the project's own repository (and, with
 * --package, its npm package) everywhere at once: package.json's repository, homepage and bugs, then
 * every text file of the tree that spells the old identity (README, docs, examples, SECURITY,
 * CONTRIBUTING, .github, the tests, whatever is added later), then dist/ rebuilt, since the built
 * entries link the repository's troubleshooting page. CHANGELOG.md is history and keeps its links.
 * The old identity is the one package.json names, so the command can be run again to rename.
 * The user's placeholders (YOUR_ORG/YOUR_REPO, RELEASE_SHA) are left for the user.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PLACEHOLDER_OWNER, readIdentity, repositoryFields, textFiles, whole } from './identity.mjs'

const USAGE = 'Usage: npm run set-repository OWNER/NAME [--package NAME]'
const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/
const PACKAGE = /^(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/

function usage(message) {
  console.error(`set-repository: ${message}\n${USAGE}`)
  process.exit(2)
}

/**
 * The arguments: OWNER/NAME and the optional --package NAME (or --package=NAME). `npm run` keeps a
 * --package written before `--` as its own setting, and hands it over as npm_config_package.
 */
function parseArgs(args, env) {
  let repository
  let packageName = env.npm_lifecycle_event === 'set-repository' ? env.npm_config_package : undefined
  // npm hands over a --package written without its value as "true": a name forgotten, not a name.
  if (packageName === 'true') packageName = ''
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--package') packageName = args[++i] ?? ''
    else if (arg.startsWith('--package=')) packageName = arg.slice('--package='.length)
    else if (arg.startsWith('-')) usage(`unknown option ${arg}.`)
    else if (repository) usage(`one repository only, got ${repository} and ${arg}.`)
    else repository = arg
  }
  if (packageName === '') usage('--package needs the npm package name, e.g. --package @acme/docusign-jwt.')
  if (packageName !== undefined && (!PACKAGE.test(packageName) || packageName.length > 214)) {
    usage(
      `--package: "${packageName}" is not an npm package name (lowercase, e.g. docusign-jwt or @acme/docusign-jwt).`
    )
  }
  if (!repository) usage('name the repository that publishes the project, as OWNER/NAME.')
  if (!REPOSITORY.test(repository)) {
    usage(
      `"${repository}" is not a GitHub repository OWNER/NAME (owner: letters, digits, single hyphens; name: letters, digits, . _ -).`
    )
  }
  return { repository, packageName }
}

/** Package references by name: name@version specs, `npm view NAME` and the like, "npm package NAME". */
function packagePatterns(name) {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const end = '(?![\\w@/.-])'
  return [
    new RegExp(`(?<![\\w@/.-])${escaped}(?=@(?:[\\d^~*$]|latest\\b|next\\b|VERSION\\b|X\\b))`, 'g'),
    new RegExp(
      `(?<=\\bnpm\\s+(?:view|info|show|install|i|add|unpublish|deprecate)\\s+(?:--?[\\w-]+(?:=\\S+)?\\s+)*)${escaped}${end}`,
      'g'
    ),
    new RegExp(`(?<=\\bnpm package\\s+\`?)${escaped}${end}`, 'g')
  ]
}

const root = process.cwd()
const { repository, packageName } = parseArgs(process.argv.slice(2), process.env)
const old = readIdentity(root)
if (!old.repository) usage("package.json's repository names no GitHub repository (https://github.com/OWNER/NAME).")
const [oldOwner] = old.repository.split('/')
const [owner] = repository.split('/')
const newPackage = packageName ?? old.packageName

const rules = [[whole(old.repository), repository]]
// A placeholder owner may stand alone (a scoped package name @OWNER/...); a real one is just a word.
if (oldOwner === PLACEHOLDER_OWNER) rules.push([new RegExp(PLACEHOLDER_OWNER, 'g'), owner])
// Not in the tests: they read the project's package name from package.json, and the names they spell
// are their fixture trees' own (a fixture's `npx docusign-jwt@1.2.3` must stay as its package.json says).
const packageRules = newPackage === old.packageName ? [] : packagePatterns(old.packageName).map(p => [p, newPackage])
const TESTS = '__tests__'

const changed = []
for (const { path, text } of textFiles(root)) {
  if (path === 'package.json') continue
  const all = path.split(/[\\/]/)[0] === TESTS ? rules : [...rules, ...packageRules]
  const next = all.reduce((t, [from, to]) => t.replace(from, to), text)
  if (next !== text) {
    writeFileSync(join(root, path), next)
    changed.push(path)
  }
}

// package.json by its fields (and the lockfile's copy of the name), keeping every other field in place.
const pkg = { ...old.pkg, name: newPackage, ...repositoryFields(repository) }
const ordered = Object.fromEntries(Object.keys({ ...old.pkg, ...pkg }).map(key => [key, pkg[key]]))
writeFileSync(join(root, 'package.json'), `${JSON.stringify(ordered, null, 2)}\n`)
changed.unshift('package.json')
const lockfile = join(root, 'package-lock.json')
if (newPackage !== old.packageName && existsSync(lockfile)) {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8'))
  lock.name = newPackage
  if (lock.packages?.['']) lock.packages[''].name = newPackage
  writeFileSync(lockfile, `${JSON.stringify(lock, null, 2)}\n`)
  changed.push('package-lock.json')
}
console.log(
  `${repository} (npm package ${newPackage}), was ${old.repository} (${old.packageName}):\n  ${changed.join('\n  ')}`
)

// The built entries carry package.json's repository in every troubleshooting link.
if (existsSync(join(root, 'scripts', 'bundle.mjs'))) {
  const bundle = spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { cwd: root, stdio: 'inherit' })
  if (bundle.status !== 0) {
    console.error(
      'set-repository: the files are renamed, but rebuilding dist/ failed: run npm ci, then npm run bundle.'
    )
    process.exit(1)
  }
}
