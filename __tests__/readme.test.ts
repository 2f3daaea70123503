/**
 * The README is part of the contract: its lists and figures must match the action and the tests, it
 * stays a manual of a readable size, and every link between the Markdown pages lands on a heading.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { readActionYml, ROOT } from '../emulator/runner.js'
import { EXIT, EXIT_CODES_HELP } from '../src/cli/exit-codes.js'
import { badInputs } from './helpers/bad-inputs.js'

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')
const readme = read('README.md')

/** The Markdown pages people read: the README, the contributor and security pages, docs/. */
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  'SECURITY.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter(f => f.endsWith('.md'))
    .map(f => `docs/${f}`)
]

/** A page without its fenced code blocks (a `# comment` in a shell block is not a heading). */
const prose = (text: string) => text.replace(/^```[^\n]*\n[^]*?^```$/gm, '')

/** The text of a `## heading` section, up to the next heading of level 2. */
const section = (text: string, heading: string) => text.split(`\n## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''

/** The items of a list of `- \`name\` (note): meaning` or `- \`name\`: meaning`: name → note ('' when none). */
function items(heading: string): Map<string, string> {
  const lines = section(readme, heading)
    .split('\n')
    .filter(l => l.startsWith('- '))
  return new Map(
    lines.map(l => {
      const [, name, note] = /^- `([\w-]+)`(?: \(([^)]*)\))?:/.exec(l) ?? [l, l, '']
      return [name, note ?? '']
    })
  )
}

/** GitHub's anchors of a page's headings, duplicates numbered as GitHub numbers them. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>()
  const result = new Set<string>()
  for (const [, heading] of prose(text).matchAll(/^#+ (.+)$/gm)) {
    const slug = heading
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, '')
      .replace(/ /g, '-')
    const n = seen.get(slug) ?? 0
    seen.set(slug, n + 1)
    result.add(n ? `${slug}-${n}` : slug)
  }
  return result
}

describe('README', () => {
  const yml = readActionYml()

  it('lists every input of action.yml, with its default', () => {
    const inputs = items('Inputs')
    expect([...inputs.keys()].sort()).toEqual(Object.keys(yml.inputs).sort())
    for (const [name, spec] of Object.entries(yml.inputs)) {
      const want = spec.required ? 'required' : spec.default ? `default \`${spec.default}\`` : 'optional'
      expect({ name, shown: inputs.get(name) }).toEqual({ name, shown: want })
    }
  })

  it('lists every output of action.yml', () => {
    expect([...items('Outputs').keys()].sort()).toEqual(Object.keys(yml.outputs).sort())
  })

  it('is a manual of a readable size: under 34 KB, no line over 300 characters (docs and policies too)', () => {
    expect(Buffer.byteLength(readme)).toBeLessThan(34 * 1024)
    for (const page of PAGES) {
      const long = read(page)
        .split('\n')
        .map((line, i) => ({ page, line: i + 1, length: line.length }))
        .filter(l => l.length > 300)
      expect(long).toEqual([])
    }
  })

  it('links only to files and headings that exist, from every page', () => {
    for (const page of PAGES) {
      const text = prose(read(page))
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue
        const [path, anchor] = target.split('#')
        const file = path ? normalize(join(dirname(page), path)) : page
        expect({ page, target, exists: existsSync(join(ROOT, file)) }).toEqual({ page, target, exists: true })
        if (anchor !== undefined && file.endsWith('.md')) {
          expect({ page, target, found: anchors(read(file)).has(anchor) }).toEqual({ page, target, found: true })
        }
      }
    }
  })

  it('keeps the anchors that code and workflows link to', () => {
    const sources = ['src', 'examples', '.github', 'emulator'].flatMap(dir =>
      readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter(f => /\.(ts|yml|yaml|md)$/.test(f))
        .map(f => join(dir, f))
    )
    const headings = anchors(readme)
    for (const file of sources) {
      for (const [, anchor] of read(file).matchAll(/README\.md#([\w-]+)/g)) {
        expect({ file, anchor, found: headings.has(anchor) }).toEqual({ file, anchor, found: true })
      }
    }
    // The empty-settings message names this section in words.
    expect(read('src/core/empty-settings.ts')).toContain("'Skipping when the secrets are absent' in the README")
    expect(headings).toContain('skipping-when-the-secrets-are-absent')
  })

  it('has no <placeholder> in any command or code: pasted into a shell, < and > are redirections', () => {
    for (const page of PAGES) {
      const text = read(page)
      const code = [
        ...[...text.matchAll(/^```[^\n]*\n([^]*?)^```$/gm)].map(([, block]) => block),
        // A code span may run over a line break, never over a blank line.
        ...[...prose(text).matchAll(/`((?:[^`\n]|\n(?!\n))+)`/g)].map(([, span]) => span)
      ]
      const placeholders = code.flatMap(c => c.match(/<[A-Za-z][^<>]*>/g) ?? [])
      expect({ page, placeholders }).toEqual({ page, placeholders: [] })
    }
  })

  it('tells people to keep the public key that the troubleshooting fingerprint check needs', () => {
    const setup = section(readme, 'Setting it up, step by step')
    expect(setup).toContain('openssl pkey -in docusign-private.key -pubout -out docusign-public.pem')
    expect(setup).toMatch(/keep its public key/i)
    expect(read('docs/troubleshooting.md')).toContain(
      'openssl pkey -pubin -in docusign-public.pem -outform DER | sha256sum'
    )
  })

  it('says that logs and job summaries of public repositories are public, and what to do', () => {
    expect(section(readme, 'Security')).toMatch(/\*\*Public repositories:\*\*[^]*private\s+repository/)
  })

  it('states the release files to verify once, in SECURITY.md: every file the release attests', () => {
    expect(readme).not.toContain('gh attestation verify')
    expect(readme).toContain('](SECURITY.md#verifying-a-release)')
    const security = read('SECURITY.md')
    expect(security.match(/gh attestation verify/g)).toHaveLength(1)
    const verifying = section(security, 'Verifying a release')
    expect(verifying).toContain('for f in dist/*; do gh attestation verify "$f"')
    // The release attests dist/*: the same files.
    const release = parse(read('.github/workflows/release.yml')) as {
      jobs: Record<string, { steps: { with?: Record<string, string> }[] }>
    }
    const subjects = Object.values(release.jobs).flatMap(j => j.steps.map(s => s.with?.['subject-path']))
    expect(subjects).toContain('dist/*')
    for (const file of readdirSync(join(ROOT, 'dist'))) {
      const listed =
        verifying.includes(`\`dist/${file}\``) ||
        (/^\d+\.(index|cli)\.js$/.test(file) && verifying.includes(`\`dist/NNN.${file.split('.')[1]}.js\``))
      expect({ file, listed }).toEqual({ file, listed: true })
    }
  })

  it('moves contributor material out, keeping a short section and a link', () => {
    for (const [heading, link] of [
      ['Reliability', 'docs/reliability.md'],
      ['Performance', 'docs/performance.md'],
      ['Development', 'CONTRIBUTING.md']
    ]) {
      const text = section(readme, heading)
      expect({ heading, link: text.includes(`](${link})`) }).toEqual({ heading, link: true })
      expect({ heading, short: text.length < 600 }).toEqual({ heading, short: true })
    }
  })
})

describe('the exit codes', () => {
  /** What each code means, in the words every list uses. */
  const MEANING: Record<number, RegExp> = {
    0: /^success$/,
    1: /^anything unexpected\b/,
    2: /^usage or invalid input\b/,
    3: /^consent required\b/,
    4: /^DocuSign refused the credentials or the account\b/,
    5: /^DocuSign unreachable, failing after all attempts, or answering malformed$/,
    6: /^\(`?api`?\) DocuSign accepted the request; its answer was lost\b/
  }
  const codes = Object.values(EXIT).sort()

  it('are listed whole, 0 to 6 with one meaning each, in --help and in docs/cli.md', () => {
    expect(codes).toEqual([0, 1, 2, 3, 4, 5, 6])
    const lists = {
      help: [...EXIT_CODES_HELP.matchAll(/^ {2}(\d) {2}(.+)$/gm)],
      'docs/cli.md': [...section(read('docs/cli.md'), 'Exit codes').matchAll(/^\| `(\d)` +\| (.+?) *\|$/gm)]
    }
    for (const [list, rows] of Object.entries(lists)) {
      expect({ list, codes: rows.map(([, code]) => Number(code)).sort() }).toEqual({ list, codes })
      for (const [, code, meaning] of rows) {
        expect({ list, code, meaning, right: MEANING[Number(code)].test(meaning) }).toEqual({
          list,
          code,
          meaning,
          right: true
        })
      }
    }
  })
})

describe('docs/reliability.md', () => {
  it('states the number of bad-input cases the tests try', () => {
    const cases = badInputs()
    const keys = cases.filter(c => c.input === 'private-key').length
    expect(read('docs/reliability.md')).toContain(
      `**${cases.length} cases** (${cases.length - keys} of the other inputs, ${keys} key shapes refused)`
    )
  })
})
