/** dist/index.js is what users run: one CommonJS script, which Node starts faster than an ES module. */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'

const dist = (file: string): string => readFileSync(join(ROOT, 'dist', file), 'utf8')

describe('dist/', () => {
  it('is marked CommonJS, overriding the root package.json', () => {
    expect(JSON.parse(dist('package.json'))).toEqual({ type: 'commonjs' })
  })

  it('holds a script with no ES-module syntax, so Node never needs its ESM loader', () => {
    const code = dist('index.js')
    expect(code).not.toMatch(/\bimport\.meta\b/)
    expect(code).not.toMatch(/(^|[;}])\s*(import\s*[{*\w]|export\s)/)
    expect(code).toMatch(/\brequire\("https"\)/)
  })
})
