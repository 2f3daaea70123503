/**
 * `npm run demo` tells the whole story against the emulator, and writes each job summary as Markdown
 * and as HTML rendered with GitHub-flavoured Markdown, printing the HTML files' paths at the end.
 */
import { spawn } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'

const out = mkdtempSync(join(tmpdir(), 'demo-test-'))
let run: { exitCode: number | null; stdout: string; stderr: string }

beforeAll(async () => {
  // npm's own test settings (NODE_OPTIONS for Jest's ES modules) are not the demo's.
  const env = { ...process.env }
  delete env.NODE_OPTIONS
  const child = spawn('npm', ['run', '--silent', 'demo', '--', '--out', out], { cwd: ROOT, env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exitCode = await new Promise<number | null>(done => child.on('close', done))
  run = { exitCode, stdout, stderr }
}, 20_000)
afterAll(() => rmSync(out, { recursive: true, force: true }))

describe('npm run demo', () => {
  it('succeeds, and ends with the paths of the HTML summaries it wrote', () => {
    expect({ exitCode: run.exitCode, stderr: run.stderr }).toEqual({ exitCode: 0, stderr: '' })
    const last = run.stdout.trimEnd().split('\n').slice(-3)
    expect(last.map(l => l.trim())).toEqual(
      ['run-1.html', 'run-1-key-as-secret.html', 'run-2.html'].map(name => join(out, name))
    )
    for (const html of last.map(l => l.trim()))
      expect({ html, exists: existsSync(html) }).toEqual({ html, exists: true })
  })

  it('renders the successful run summary as GitHub does: the heading and the table', () => {
    const html = readFileSync(join(out, 'run-2.html'), 'utf8')
    expect(html).toContain('<h3>DocuSign sign-in succeeded</h3>')
    expect(html).toMatch(/<table>[^]*<td>Account<\/td>\s*<td>Acme Demo \([0-9a-f-]{36}\)<\/td>[^]*<\/table>/)
    expect(html).not.toContain('### ')
    // The Markdown beside it is what the action wrote, as GitHub shows it.
    expect(readFileSync(join(out, 'run-2.md'), 'utf8')).toMatch(/^### DocuSign sign-in succeeded\n/)
  })

  it('renders the consent summaries with working links, and the masked one as GitHub masks it', () => {
    const html = readFileSync(join(out, 'run-1.html'), 'utf8')
    expect(html).toContain('<h3>DocuSign consent required</h3>')
    expect(html).toMatch(
      /<a href="http:\/\/127\.0\.0\.1:\d+\/oauth\/auth\?response_type=code&amp;[^"]*client_id=[0-9a-f-]{36}&amp;/
    )
    const masked = readFileSync(join(out, 'run-1-key-as-secret.html'), 'utf8')
    expect(masked).toContain('client_id=***')
  })
})

describe('npm run demo before npm ci', () => {
  it('says to run npm ci first, instead of the shell\'s "tsx: not found"', async () => {
    // A copy of package.json and scripts/ with no node_modules: a fresh clone.
    const clone = mkdtempSync(join(tmpdir(), 'demo-clone-'))
    try {
      cpSync(join(ROOT, 'package.json'), join(clone, 'package.json'))
      cpSync(join(ROOT, 'scripts'), join(clone, 'scripts'), { recursive: true })
      const env = { ...process.env }
      delete env.NODE_OPTIONS
      const child = spawn('npm', ['run', '--silent', 'demo'], { cwd: clone, env })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
      const exitCode = await new Promise<number | null>(done => child.on('close', done))
      expect(exitCode).toBe(1)
      expect(stderr).toBe(
        `The development dependencies are not installed (tsx is missing): run npm ci in ${clone} first (about a minute), then npm run demo again.\n`
      )
    } finally {
      rmSync(clone, { recursive: true, force: true })
    }
  })
})
