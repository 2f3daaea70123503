/**
 * dist/ is what users run: dist/index.js (the action) and dist/cli.js (the docusign-jwt command), each
 * one CommonJS script, which Node starts faster than an ES module, plus any chunk a build split off.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'
import { CLI_HEADER, isBundledCli } from '../src/action/bundled-cli.js'

const DIST = join(ROOT, 'dist')
const dist = (file: string): string => readFileSync(join(DIST, file), 'utf8')
const files = readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter(f => statSync(join(DIST, f)).isFile())
const ENTRIES = ['index.js', 'cli.js']
/** ncc names a chunk after its build's entry: `<id>.index.js`, `<id>.cli.js`. */
const CHUNK = /^[\w-]+\.(index|cli)\.js$/

describe('dist/', () => {
  it('is marked CommonJS, overriding the root package.json', () => {
    expect(JSON.parse(dist('package.json'))).toEqual({ type: 'commonjs' })
  })

  it('holds the two entries, package.json and chunks that an entry loads, nothing else', () => {
    expect(files).toEqual(expect.arrayContaining([...ENTRIES, 'package.json']))
    const isChunk = (file: string): boolean => {
      const [, entry] = CHUNK.exec(file) ?? []
      return entry !== undefined && dist(`${entry}.js`).includes(`".${entry}.js"`)
    }
    expect(files.filter(f => ![...ENTRIES, 'package.json'].includes(f) && !isChunk(f))).toEqual([])
  })

  it.each(files.filter(f => f.endsWith('.js')))('%s is a script with no ES-module syntax', file => {
    const code = dist(file)
    expect(code).not.toMatch(/\bimport\.meta\b/)
    expect(code).not.toMatch(/(^|[;}])\s*(import\s*[{*\w]|export\s)/)
  })

  it.each(ENTRIES)('%s reaches DocuSign through Node’s https', file => {
    expect(dist(file)).toMatch(/\brequire\("https"\)/)
  })

  it('cli.js runs as a program: a #!/usr/bin/env node line and executable mode, the package’s bin', () => {
    expect(dist('cli.js').startsWith('#!/usr/bin/env node\n')).toBe(true)
    // The header the action's launcher checks before it puts the command on PATH.
    expect(dist('cli.js').startsWith(CLI_HEADER)).toBe(true)
    expect([isBundledCli(join(DIST, 'cli.js')), isBundledCli(join(DIST, 'index.js')), isBundledCli(DIST)]).toEqual([
      true,
      false,
      false
    ])
    expect(statSync(join(DIST, 'cli.js')).mode & 0o111).toBe(0o111)
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    expect(pkg.bin).toEqual({ 'docusign-jwt': 'dist/cli.js' })
  })

  it('index.js carries none of the CLI, which would make every action run load it', () => {
    const action = dist('index.js')
    for (const cliOnly of ['DOCUSIGN_PRIVATE_KEY_FILE', 'docusign-jwt token', 'xdg-open']) {
      expect({ cliOnly, inAction: action.includes(cliOnly) }).toEqual({ cliOnly, inAction: false })
    }
  })
})
