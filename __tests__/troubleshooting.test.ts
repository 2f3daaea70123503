/**
 * Every failure links its entry in docs/troubleshooting.md: each topic the catalog can name has a
 * heading there, and the action links the docs of the version that ran.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'
import { readIdentity } from '../scripts/identity.mjs'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { troubleshootingUrl } from '../src/core/docs.js'
import { TOPICS } from '../src/core/errors.js'
import { pkcs1 } from './helpers/keys.js'
import { runChecked } from './helpers/leaks.js'

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-')

const page = readFileSync(join(ROOT, 'docs', 'troubleshooting.md'), 'utf8')
const headings = [...page.matchAll(/^#{1,4} (.+)$/gm)].map(m => slug(m[1]))
const anchors = new Set(headings)

describe('docs/troubleshooting.md', () => {
  it.each([...TOPICS])('has the entry %s', topic => {
    expect(anchors.has(topic)).toBe(true)
  })

  it('has no two headings with one anchor (GitHub would suffix the second, and a link would land on the first)', () => {
    expect(headings.filter((h, i) => headings.indexOf(h) !== i)).toEqual([])
  })

  it('is the only place the topics point to, and every topic is used by some source file', () => {
    const sources = [
      'core/errors.ts',
      'core/docusign-errors.ts',
      'core/answer.ts',
      'core/http.ts',
      'core/rest/errors.ts'
    ]
      .map(f => readFileSync(join(ROOT, 'src', f), 'utf8'))
      .join('\n')
    for (const topic of TOPICS) expect(sources).toContain(`'${topic}'`)
  })
})

describe('the link', () => {
  it('opens the docs of the version that ran, from the runner’s GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF', () => {
    const env = {
      GITHUB_SERVER_URL: 'https://ghe.example',
      GITHUB_ACTION_REPOSITORY: 'acme/docusign-jwt-auth-action',
      GITHUB_ACTION_REF: 'v1.2.3'
    }
    expect(troubleshootingUrl('consent-required', env)).toBe(
      'https://ghe.example/acme/docusign-jwt-auth-action/blob/v1.2.3/docs/troubleshooting.md#consent-required'
    )
  })

  it("falls back to package.json's repository at the package version", () => {
    const { pkg, repository } = readIdentity(ROOT)
    expect(troubleshootingUrl('unreachable', {})).toBe(
      `https://github.com/${repository}/blob/v${pkg.version}/docs/troubleshooting.md#unreachable`
    )
  })

  describe('through the built action', () => {
    let sandbox: Sandbox
    beforeAll(async () => {
      sandbox = await startSandbox({ privateKey: pkcs1, consent: true })
    })
    afterAll(() => sandbox.emulator.close())

    it('in the error and in the summary', async () => {
      const result = await runChecked(
        sandbox,
        { 'user-id': '0f0f0f0f-1111-4222-8333-444455556666' },
        {
          env: {
            GITHUB_SERVER_URL: 'https://github.com',
            GITHUB_ACTION_REPOSITORY: 'acme/docusign-jwt-auth-action',
            GITHUB_ACTION_REF: '0123456789abcdef0123456789abcdef01234567'
          }
        }
      )
      const link =
        'https://github.com/acme/docusign-jwt-auth-action/blob/0123456789abcdef0123456789abcdef01234567/docs/troubleshooting.md#user-not-found'
      expect(result.errors[0]).toMatch(new RegExp(`\\nTroubleshooting: ${link.replace(/[.?]/g, '\\$&')}$`))
      expect(result.summary).toContain(`(${link})`)
    })
  })
})
