/**
 * The built action against a hostile or careless world: answers that try to inject workflow commands
 * or redirect the token, summaries that must stay inert, and the real runner's masking of secrets.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { ConnectProxy } from '../emulator/proxy.js'
import type { RunOptions, RunResult } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { createTestPki } from '../emulator/tls.js'
import { pkcs1 } from './helpers/keys.js'
import { expectOneError, runChecked } from './helpers/leaks.js'

let sandbox: Sandbox
const emulator = () => sandbox.emulator
const run = (inputs: Record<string, string> = {}, options: Partial<RunOptions> = {}): Promise<RunResult> =>
  runChecked(sandbox, inputs, options)

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
})
afterAll(() => emulator().close())
beforeEach(() => {
  emulator().requests.length = 0
  sandbox.grantConsent()
})

const ACCOUNT = '9f5a1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b'
const account = (fields: Record<string, unknown>) => ({
  account_id: ACCOUNT,
  account_name: 'Acme',
  is_default: true,
  base_uri: 'https://na3.docusign.net',
  ...fields
})
const userinfo = (...accounts: unknown[]) => ({ status: 200, body: JSON.stringify({ sub: 'x', accounts }) })
const b64 = (text: string) => Buffer.from(text).toString('base64')
const tokenAnswer = (fields: Record<string, unknown>) => ({
  status: 200,
  body: JSON.stringify({ access_token: 'eyJ0eXAiOiJNVCJ9.hostile-token-value', expires_in: 3600, ...fields })
})

/** Commands on stdout other than the masks, debug lines and the one error the action sends itself. */
const foreign = (result: RunResult) =>
  result.commands.filter(c => !['add-mask', 'debug', 'error'].includes(c.name)).map(c => `${c.name}: ${c.data}`)

describe('the consent link and GitHub masking', () => {
  beforeEach(() => {
    // A fresh user with no consent, so each run fails with the consent URLs.
    emulator().requests.length = 0
  })
  const noConsent = async (options: Partial<RunOptions>) => {
    const user = emulator().addUser({ name: 'No Consent' })
    return run({ 'user-id': user }, options)
  }

  it('shows both links, clickable, when the integration key is a variable', async () => {
    const result = await noConsent({})
    expect(result.exitCode).toBe(1)
    const individual = result.outputs['consent-url']
    const admin = result.outputs['admin-consent-url']
    expect(individual).toContain(`client_id=${sandbox.integrationKey}`)
    expect(admin).toContain(`client_id=${sandbox.integrationKey}`)
    expect(admin).toMatch(/scope=openid&.*admin_consent_scope=signature%20impersonation$/)
    for (const url of [individual, admin]) {
      expect(result.log).toContain(url)
      expect(result.summary).toContain(`(${url})`)
    }
    expect(result.summary).toMatch(/DocuSign Admin/)
    expect(result.log).toMatch(/client_id=\*\*\*.*store it as a configuration variable/)
  })

  it('says why the link reads client_id=*** when the integration key is a secret', async () => {
    const result = await noConsent({ secretInputs: ['integration-key'] })
    expect(result.exitCode).toBe(1)
    expect(result.log).not.toContain(sandbox.integrationKey)
    expect(result.log).toContain('client_id=***')
    expect(result.summary).toContain('client_id=***')
    expect(result.summary).not.toContain(sandbox.integrationKey)
    expect(result.log).toMatch(/If a link shows client_id=\*\*\*, the integration key is stored as a secret/)
    expect(result.summary).toMatch(/store it as a configuration variable/)
  })
})

describe('values from the server cannot become workflow commands', () => {
  const injections = [
    'Acme\n::warning::x',
    'Acme\r::set-output name=consent-url::https://evil.example',
    'Acme\r\n::add-mask::Acme',
    'x\u2028::stop-commands::abc',
    '::error::forged',
    // The runner's legacy form anywhere in a line (actions/runner ActionCommand.cs TryParse), the new
    // form after leading whitespace (TryParseV2), Azure Pipelines' and TeamCity's anywhere.
    'Acme ##[error]Rotate your key at https://evil.example',
    '##[set-env name=X;]1',
    'Acme ##[add-mask]Acme',
    '   ::warning::after leading spaces',
    'Acme ##vso[task.setvariable variable=X]1',
    'Acme ##VSO[task.prependpath]/tmp',
    'Acme ##teamcity[buildStatus text=x]'
  ]

  it.each(injections)('account_name %j is logged and output as one inert line', async name => {
    emulator().failNext('/oauth/userinfo', userinfo(account({ account_name: name })))
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(foreign(result)).toEqual([])
    expect(result.outputs['account-name']).not.toMatch(/[\r\n\u2028]/)
    expect(result.outputs['account-name']).not.toMatch(/##(vso|teamcity)?\[|^\s*::/i)
    expect(result.stdout).not.toMatch(/##(vso|teamcity)?\[/i)
    expect(result.log).toMatch(/Account: .*(::|# #)/)
  })

  it.each(injections)('error_description %j ends in the one error, inert', async description => {
    emulator().failNext('/oauth/token', {
      status: 400,
      body: JSON.stringify({ error: 'invalid_grant', error_description: description })
    })
    const result = await run()
    expectOneError(result, /DocuSign answered the token request with HTTP 400/)
    expect(foreign(result)).toEqual([])
  })

  it.each(['Bearer\n::warning::x', 'MAC', 'bearer ', 42])('refuses token_type %j as malformed', async tokenType => {
    emulator().failNext('/oauth/token', tokenAnswer({ token_type: tokenType }))
    const result = await run()
    expectOneError(result, /token_type is not 'Bearer'/)
    expect(foreign(result)).toEqual([])
  })

  it.each([undefined, 'bearer', 'BEARER'])('normalises token_type %j to Bearer', async tokenType => {
    emulator().failNext('/oauth/token', tokenAnswer({ token_type: tokenType }))
    const result = await run({ 'skip-account-lookup': 'true' })
    expect(result.exitCode).toBe(0)
    expect(result.outputs['token-type']).toBe('Bearer')
  })

  it('refuses an access_token with a line break as malformed, never showing it', async () => {
    emulator().failNext('/oauth/token', tokenAnswer({ access_token: 'eyJabc.def\n::warning::x' }))
    const result = await run()
    expectOneError(result, /access_token holds spaces or control characters/)
    expect(foreign(result)).toEqual([])
  })
})

describe('base-path cannot send the token elsewhere', () => {
  it.each([
    ['http://evil.example', /is not https/],
    ['https://demo.docusign.net@evil.example', /carries credentials/],
    ['https://user:pass@na3.docusign.net', /carries credentials/],
    ['https://evil.example#', /has a path, query or fragment/],
    ['https://na3.docusign.net/restapi', /has a path, query or fragment/],
    ['https://na3.docusign.net?x=1', /has a path, query or fragment/],
    ['https://na3.docusign.net\n', /spaces or control characters/],
    ['https://na3 .docusign.net', /spaces or control characters/],
    ['ftp://na3.docusign.net', /is not https/],
    ['https://$({touch,x})x.docusign.net', /host name that is not made of DNS labels/],
    ['https://na3_x.docusign.net', /host name that is not made of DNS labels/],
    ['not a url', /spaces or control characters|is not a URL/]
  ])('refuses base_uri %j, naming it', async (baseUri, why) => {
    emulator().failNext('/oauth/userinfo', userinfo(account({ base_uri: baseUri })))
    const result = await run()
    expectOneError(result, why)
    expect(result.errors[0]).toContain(`the base_uri '${baseUri.replace(/\n/g, ' ')}'`)
    expect(result.outputs['base-path']).toBeUndefined()
    expect(result.outputs['access-token']).toBeUndefined()
  })

  it.each([
    ['https://na3.docusign.net/', 'https://na3.docusign.net/restapi'],
    ['https://NA3.docusign.net', 'https://na3.docusign.net/restapi'],
    ['https://na3.docusign.net:443', 'https://na3.docusign.net/restapi']
  ])('outputs the parsed origin of %j', async (baseUri, basePath) => {
    emulator().failNext('/oauth/userinfo', userinfo(account({ base_uri: baseUri })))
    const result = await run()
    expect(result.exitCode).toBe(0)
    expect(result.outputs['base-path']).toBe(basePath)
  })

  it('accepts a loopback http base_uri only because the environment itself is loopback http', async () => {
    emulator().failNext('/oauth/userinfo', userinfo(account({ base_uri: 'http://127.0.0.1:9' })))
    const result = await run()
    expect(result.outputs['base-path']).toBe('http://127.0.0.1:9/restapi')
  })

  it('refuses a bad base_uri only when its account is the one chosen', async () => {
    const other = 'aaaaaaaa-0000-4000-8000-000000000001'
    emulator().failNext(
      '/oauth/userinfo',
      userinfo(account({}), account({ account_id: other, is_default: false, base_uri: 'http://evil.example' }))
    )
    expect((await run()).outputs['base-path']).toBe('https://na3.docusign.net/restapi')
  })
})

describe('the DocuSign host rule, through a proxy as on a real runner', () => {
  const HOST = 'account-d.docusign.com'
  let demo: Sandbox
  let proxy: ConnectProxy
  let caFile: string
  beforeAll(async () => {
    const pki = createTestPki([HOST])
    caFile = join(mkdtempSync(join(tmpdir(), 'pki-')), 'ca.pem')
    writeFileSync(caFile, pki.caCert)
    demo = await startSandbox({
      privateKey: pkcs1,
      consent: true,
      hostname: HOST,
      audience: HOST,
      tls: { key: pki.key, cert: pki.cert }
    })
    proxy = await ConnectProxy.start({ [HOST]: Number(new URL(demo.emulator.url).port) })
  })
  afterAll(() => Promise.all([demo.emulator.close(), proxy.close()]))
  const env = () => ({ HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile })

  it('signs in to environment demo (account-d.docusign.com:443) and takes a docusign.net base_uri', async () => {
    const result = await runChecked(demo, { environment: 'demo' }, { env: env() })
    expect(result.exitCode).toBe(0)
    expect(proxy.tunnels).toContain(`${HOST}:443`)
    expect(result.outputs['base-path']).toBe('https://demo.docusign.net/restapi')
  })

  it.each(['https://evil.example', 'https://docusign.net.evil.example', 'https://127.0.0.1'])(
    'refuses base_uri %s in the demo environment',
    async baseUri => {
      demo.emulator.failNext('/oauth/userinfo', userinfo(account({ base_uri: baseUri })))
      const result = await runChecked(demo, { environment: 'https://account-d.docusign.com/' }, { env: env() })
      expectOneError(
        result,
        /is not a DocuSign host \(\*\.docusign\.net or \*\.docusign\.com\) in the demo environment/
      )
      expect(result.errors[0]).toContain(baseUri)
    }
  )
})

describe('the job summary', () => {
  it('never holds a secret DocuSign echoes, even before the runner masks it', async () => {
    const assertionEcho = async () => {
      // The error text quotes whatever the action sent: the assertion.
      emulator().failNext('/oauth/token', { status: 400, body: '' })
      return run()
    }
    const result = await assertionEcho()
    expect(result.exitCode).toBe(1)
    const token = 'eyJ0eXAiOiJNVCJ9.hostile-token-value'
    emulator().failNext('/oauth/token', tokenAnswer({ access_token: token }))
    emulator().failNext('/oauth/userinfo', userinfo(account({ account_name: token })))
    const echoed = await run()
    expect(echoed.exitCode).toBe(0)
    expect(echoed.rawSummary).not.toContain(token)
    expect(echoed.rawSummary).toContain('***')
  })

  it('escapes markup from DocuSign in every cell', async () => {
    emulator().failNext(
      '/oauth/userinfo',
      userinfo(account({ account_name: 'Acme\n## [Sign in again](https://evil.example) <img src=x> | `x`' }))
    )
    const result = await run()
    expect(result.exitCode).toBe(0)
    const row = result.rawSummary.split('\n').find(l => l.startsWith('| Account'))!
    expect(row).toContain('\\[Sign in again\\]')
    expect(row).toContain('\\<img src=x\\>')
    expect(row).toContain('\\| \\`x\\`')
    expect(row.split(/(?<!\\)\|/)).toHaveLength(4) // | Account | value |: no extra cell
    expect(result.rawSummary).not.toMatch(/^## /m)
  })

  it('stays small with huge names and many accounts', async () => {
    const huge = (n: number, i: number) =>
      account({
        account_id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`,
        account_name: 'N'.repeat(n),
        is_default: false
      })
    emulator().failNext('/oauth/userinfo', userinfo(huge(480_000, 1), huge(480_000, 2)))
    const two = await run()
    expectOneError(two, /none is marked default/)
    expect(two.rawSummary.length).toBeLessThan(4000)

    emulator().failNext('/oauth/userinfo', userinfo(...Array.from({ length: 500 }, (_, i) => huge(100, i))))
    const many = await run()
    expect(many.errors[0]).toMatch(/, and 480 more\.\nTroubleshooting: \S+#accounts$/)
    expect(many.rawSummary.length).toBeLessThan(12000)
  })
})

describe('found by an independent attack on the built action', () => {
  it('never links or mentions what DocuSign names, and drops invisible reordering characters', async () => {
    const name = 'Acme: re-consent at https://evil.example or www.evil.example cc @octocat #1 \u202Eevil\u200B'
    emulator().failNext('/oauth/userinfo', userinfo(account({ account_name: name })))
    const result = await run()
    const row = result.rawSummary.split('\n').find(l => l.startsWith('| Account'))!
    for (const inert of ['https://evil.example', 'www.evil.example', '@octocat', '#1']) {
      expect(row).toContain(`\`${inert}\``) // a code span: GitHub neither links nor notifies there
    }
    expect(result.outputs['account-name']).not.toMatch(/[\u202e\u200b]/)
  })

  it('scrubs a long secret echoed back and cut at the border, in the log, summary and outputs', async () => {
    const token = `eyJ0eXAiOiJNVCJ9.${'a'.repeat(400)}`
    emulator().failNext('/oauth/token', tokenAnswer({ access_token: token }))
    emulator().failNext('/oauth/userinfo', userinfo(account({ account_name: token })))
    const result = await run()
    expect(result.exitCode).toBe(0)
    const prefix = token.slice(0, 60)
    expect(result.transcript).not.toContain(prefix)
    expect(result.rawSummary).not.toContain(prefix)
    expect(result.outputs['account-name']).not.toContain(prefix)
  })

  it.each([
    ['Base64', (t: string) => b64(t)],
    ['Base64 after one byte (shift 1)', (t: string) => b64(`x${t}`)],
    ['Base64 after two bytes (shift 2)', (t: string) => b64(`Bearer:${t}`)],
    ['Base64 inside a longer Base64 text', (t: string) => b64(`user:${t}:and more after it`)],
    ['percent-encoded', (t: string) => encodeURIComponent(t)],
    [
      'percent-encoded as .NET does',
      (t: string) => encodeURIComponent(t).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    ],
    ['JSON-escaped', (t: string) => JSON.stringify(t).slice(1, -1)]
  ])(
    'scrubs the token echoed back %s, as the runner masks it, from the log, summary and outputs',
    async (_how, encode) => {
      const token = `eyJ0eXAiOiJNVCJ9.hostile+token/value="it's"\\(done)!`
      const echoed = encode(token)
      emulator().failNext('/oauth/token', tokenAnswer({ access_token: token }))
      emulator().failNext('/oauth/userinfo', userinfo(account({ account_name: `Acme ${echoed}` })))
      const result = await run()
      expect(result.exitCode).toBe(0)
      const middle = echoed.slice(4, -4)
      expect(middle.length).toBeGreaterThanOrEqual(16)
      for (const [where, text] of Object.entries({
        transcript: result.transcript,
        summary: result.rawSummary,
        output: result.outputs['account-name']
      })) {
        expect({ where, leaked: text.includes(middle) }).toEqual({ where, leaked: false })
      }
      expect(result.outputs['account-name']).toMatch(/^Acme \S*\*\*\*/)
    }
  )

  it('registers no masks from a token it refuses', async () => {
    emulator().failNext('/oauth/token', tokenAnswer({ access_token: 'xxxxxxxx\nDocuSign\nmalformed' }))
    const result = await run()
    expectOneError(result, /^DocuSign's answer to the token request is malformed/)
    expect(result.masks).not.toContain('xxxxxxxx\nDocuSign\nmalformed')
  })

  it('keeps consent links whole when the redirect URI holds parentheses', async () => {
    const user = emulator().addUser({ name: 'No Consent' })
    const result = await run({ 'user-id': user, 'consent-redirect-uri': 'https://app.example/cb?next=)' })
    expect(result.outputs['consent-url']).toContain('redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fnext%3D%29')
    expect(result.rawSummary).toContain(`(${result.outputs['admin-consent-url']})`)
    expect(result.outputs['admin-consent-url']).toMatch(/admin_consent_scope=signature%20impersonation$/)
  })

  it('ends the step soon after its time limit when a proxy tunnel never answers', async () => {
    const silent = net.createServer(() => undefined) // accepts, never answers, never closes
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    const proxy = await ConnectProxy.start({ 'account-d.docusign.com': (silent.address() as net.AddressInfo).port })
    try {
      const started = Date.now()
      const result = await runChecked(
        sandbox,
        { environment: 'demo', 'timeout-seconds': '2', 'max-attempts': '1' },
        { env: { HTTPS_PROXY: proxy.url }, killAfterMs: 20_000 }
      )
      expectOneError(result, /no complete answer within 2 s/)
      expect(Date.now() - started).toBeLessThan(2000 + 1000 + 3000)
    } finally {
      await proxy.close()
      silent.close()
    }
  })
})

describe('smaller seams', () => {
  it("keeps references, e-mail addresses and math from DocuSign out of GitHub's rendering", async () => {
    const name = 'Acme see acme/app#1 or GH-12, mail ops@acme.example, pay $5$ now'
    emulator().failNext('/oauth/userinfo', userinfo(account({ account_name: name })))
    const result = await run()
    const row = result.rawSummary.split('\n').find(l => l.startsWith('| Account'))!
    for (const inert of ['acme/app#1', 'GH-12', 'ops@acme.example']) expect(row).toContain(`\`${inert}\``)
    expect(row).toContain('\\$5\\$')
  })

  it('keeps the full stop of a sentence outside the code span of a URL (custom environment)', async () => {
    const user = emulator().addUser({ name: 'No Consent' })
    const result = await run({ 'user-id': user })
    expect(result.rawSummary).toMatch(/in the OAuth server `http:\/\/127\.0\.0\.1:\d+`\./)
  })
})

describe('smaller defects', () => {
  it.each([1e13, 604801, '99999999999999999999'])('treats expires_in %j as a malformed answer', async expiresIn => {
    emulator().failNext('/oauth/token', tokenAnswer({ expires_in: expiresIn }))
    expectOneError(await run(), /expires_in is missing or not a number of seconds from 1 to 604800/)
  })

  it('signs in to an IPv6 loopback environment, http://[::1]:PORT', async () => {
    const v6 = await startSandbox({ privateKey: pkcs1, consent: true, listen: '::1' })
    try {
      expect(v6.emulator.url).toMatch(/^http:\/\/\[::1\]:\d+$/)
      const result = await runChecked(v6, {})
      expect(result.exitCode).toBe(0)
      expect(result.outputs['access-token']).toBe(v6.emulator.issuedTokens.at(-1))
    } finally {
      await v6.emulator.close()
    }
  })

  it('puts the parsed consent-redirect-uri in the consent URL, not a raw line break', async () => {
    const user = emulator().addUser({ name: 'No Consent' })
    const result = await run({ 'user-id': user, 'consent-redirect-uri': 'https://app.example/cb\n?x=1' })
    expect(result.outputs['consent-url']).toContain(`redirect_uri=${encodeURIComponent('https://app.example/cb?x=1')}`)
    expect(foreign(result)).toEqual([])
  })
})

describe('fuzzed answers', () => {
  const field = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: fc.constantFrom('\n', '\r', '::', 'x', '%', '|', '[', '`', '\u2028', ' ') }),
    fc.constantFrom('\n::warning::x', '\r::add-mask::x', '::set-env name=X::y')
  )
  it('never lets a string from DocuSign start a line on stdout, and keeps outputs and summary well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({ token_type: field, account_name: field, account_id: field, base_uri: field, error: field }),
        async f => {
          if (f.error.length % 2) {
            emulator().failNext('/oauth/token', {
              status: 400,
              body: JSON.stringify({ error: f.error, error_description: f.account_name })
            })
          } else {
            emulator().failNext('/oauth/token', tokenAnswer({ token_type: f.token_type }))
            emulator().failNext(
              '/oauth/userinfo',
              userinfo(
                account({ account_name: f.account_name, base_uri: f.base_uri }),
                account({ account_id: f.account_id })
              )
            )
          }
          const result = await run()
          expect(foreign(result)).toEqual([])
          for (const value of Object.values(result.outputs)) expect(value).not.toMatch(/[\r\n]/)
          expect(result.rawSummary).toMatch(/^### DocuSign /)
          for (const line of result.rawSummary.split('\n').filter(l => l.startsWith('|'))) {
            expect(line.split(/(?<!\\)\|/)).toHaveLength(4)
          }
        }
      ),
      { numRuns: 25 }
    )
  }, 120_000)
})
