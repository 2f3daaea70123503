/**
 * npm run bundle: src/ into two CommonJS entries with ncc, written to dist/ with every file each build
 * returns:
 * - dist/index.js, what action.yml runs (src/action/index.ts);
 * - dist/cli.js, the `docusign-jwt` command (src/cli/index.ts): a `#!/usr/bin/env node` line, a
 *   comment line the action's launcher recognises it by (src/action/bundled-cli.ts), and
 *   executable mode, so a clone runs it as `node dist/cli.js` and npm links it as the package's bin.
 * - azure-pipelines/DocuSignJwtV1/index.js, the Azure Pipelines task's entry (src/azure/index.ts), with
 *   the CLI's build beside it (the task puts `docusign-jwt` on PATH) and the same package.json; the
 *   folder's task.json and icon are written by hand and kept.
 * Separate builds, so no entry carries another's modules: the action stays as small and as fast to
 * start as before. A dynamically imported module becomes a chunk file beside its entry
 * (`<id>.index.js`, `<id>.cli.js`: ncc names chunks after the build's filename); every such asset of
 * both builds is written, and two builds producing one name with different content is an error.
 *
 * CommonJS because Node starts it about 12 ms sooner than the same bundle as an ES module: no ESM
 * loader to set up, no module graph to link (measured with `npm run bench`). The source stays ESM
 * (@actions/core and @actions/http-client are ESM-only); the bundler turns it into one script, and
 * dist/package.json tells Node those files are CommonJS (the root package.json says "module").
 * Plain JavaScript: ncc type-checks the project it bundles, and ships no types of its own. No build
 * cache: ncc's cache is shared by every ncc build on the machine, and an ES-module build left in it
 * changed this output.
 */
import ncc from '@vercel/ncc'
import { chmodSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
// The first lines of dist/cli.js: src/action/bundled-cli.ts tells the bundled CLI by them.
const CLI_HEADER = '#!/usr/bin/env node\n// docusign-jwt: the bundled command-line interface\n'
const DIST = 'dist'
const TASK = 'azure-pipelines/DocuSignJwtV1'
/** The task folder's files written by hand, which a build keeps. */
const TASK_SOURCES = new Set(['task.json', 'icon.png'])

const BUILDS = [
  { entry: 'src/action/index.ts', file: 'index.js', options: {}, dirs: [DIST] },
  { entry: 'src/cli/index.ts', file: 'cli.js', options: { filename: 'cli.js' }, bin: true, dirs: [DIST, TASK] },
  { entry: 'src/azure/index.ts', file: 'index.js', options: {}, dirs: [TASK] }
]

/** Each output folder as file name → { content, mode }, from every build, with the names checked for clashes. */
const outputs = new Map([
  [DIST, new Map()],
  [TASK, new Map()]
])
function add(dir, name, content, mode, from) {
  const files = outputs.get(dir)
  const bytes = Buffer.from(content)
  const earlier = files.get(name)
  if (earlier && !earlier.content.equals(bytes)) {
    throw new Error(`${dir}/${name} is produced by ${earlier.from} and by ${from} with different content`)
  }
  files.set(name, { content: bytes, mode: earlier?.mode ?? mode, from })
}

/**
 * tunnel 0.0.6, the proxy agent of @actions/http-client and its last release, builds a proxy's Basic
 * credentials with `new Buffer(string)`: Node prints DEP0005 on stderr for that call outside
 * node_modules, so on every run through a proxy with credentials (actions/http-client#36,
 * koichik/node-tunnel#42). Its fix, never released (koichik/node-tunnel#44), is `Buffer.from`: the same
 * bytes for a string. It is made here, in the bundle; a Buffer constructor anywhere else fails the build.
 */
function withoutBufferConstructor(code, name) {
  const fixed = code.replace(/new Buffer\(([\w$]+\.proxyAuth)\)/g, 'Buffer.from($1)')
  const left = /(?<![\w$.])(new\s+)?Buffer\(/.exec(fixed)
  if (left)
    throw new Error(`dist/${name} calls the deprecated Buffer constructor: ${fixed.slice(left.index, left.index + 80)}`)
  return fixed
}

const sizes = []
// One build after the other: each type-checks the project, and the machine has two shared cores.
for (const build of BUILDS) {
  const { code, assets } = await ncc(`${root}${build.entry}`, {
    esm: false,
    minify: true,
    quiet: true,
    cache: false,
    ...build.options
  })
  const fixed = withoutBufferConstructor(code, build.file)
  const main = build.bin ? CLI_HEADER + fixed.replace(/^#![^\n]*\n/, '') : fixed
  for (const dir of build.dirs) {
    add(dir, build.file, main, build.bin ? 0o755 : 0o644, build.entry)
    for (const [name, asset] of Object.entries(assets ?? {})) {
      const source = name.endsWith('.js') ? withoutBufferConstructor(String(asset.source), name) : asset.source
      add(dir, name, source, asset.permissions ?? 0o644, build.entry)
    }
  }
  const where = build.dirs.join(', ')
  sizes.push(`${build.file} in ${where}: ${(Buffer.byteLength(main) / 1000).toFixed(1)} KB`)
  for (const name of Object.keys(assets ?? {})) sizes.push(`  + ${name} in ${where} (${build.entry})`)
}
for (const dir of outputs.keys()) add(dir, 'package.json', '{ "type": "commonjs" }\n', 0o644, 'scripts/bundle.mjs')

rmSync(`${root}${DIST}`, { recursive: true, force: true })
mkdirSync(`${root}${DIST}`)
mkdirSync(`${root}${TASK}`, { recursive: true })
for (const name of readdirSync(`${root}${TASK}`)) {
  if (!TASK_SOURCES.has(name)) rmSync(`${root}${TASK}/${name}`, { recursive: true, force: true })
}
for (const [dir, files] of outputs) {
  for (const [name, { content, mode }] of files) {
    const path = `${root}${dir}/${name}`
    mkdirSync(new URL('.', `file://${path}`), { recursive: true })
    writeFileSync(path, content)
    chmodSync(path, mode)
  }
}
const counts = [...outputs].map(([dir, files]) => `${files.size} files in ${dir}/`).join(', ')
console.log(`${sizes.join('\n')}\nCommonJS, ${counts}`)
