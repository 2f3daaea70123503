/** The built CLI, dist/cli.js, run as a child process against the DocuSign emulator over real HTTP. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { adminConsentUrl, consentUrl } from '../src/core/consent.js'
import { readPrivateKey } from '../src/core/private-key.js'
import { cli, runCli, sandboxEnv, scratch } from './helpers/cli.js'

let sandbox: Sandbox
const emulator = () => sandbox.emulator
const lastToken = () => emulator().issuedTokens.at(-1)!
const requestCount = () => emulator().requests.length
const OTHER_GUID = '0f0f0f0f-1111-4222-8333-444455556666'
const DEFAULT_REDIRECT = 'https://developers.docusign.com/platform/auth/consent'
const SCOPES = ['signature', 'impersonation']

/** A user the sandbox's integration key may impersonate only once a test grants consent. */
const userWithoutConsent = (): string => emulator().addUser()

beforeAll(async () => {
  sandbox = await startSandbox()
})
afterAll(() => emulator().close())
beforeEach(() => {
  emulator().requests.length = 0
  sandbox.grantConsent()
})

describe('docusign-jwt token', () => {
  it('prints exactly the access token and a newline on stdout, and nothing on stderr', async () => {
    const run = await cli(sandbox, ['token'], { env: sandboxEnv(sandbox), tokenOnStdout: true })
    expect(run).toEqual({ exitCode: 0, stdout: `${lastToken()}\n`, stderr: '' })
    expect(emulator().requestsTo('/oauth/token')).toHaveLength(1)
    expect(emulator().requestsTo('/oauth/userinfo')).toHaveLength(1)
  })

  it('reads the key from DOCUSIGN_PRIVATE_KEY, and from --private-key-file', async () => {
    const fromVar = await cli(sandbox, ['token'], { env: sandboxEnv(sandbox, 'key-var'), tokenOnStdout: true })
    expect(fromVar).toMatchObject({ exitCode: 0, stdout: `${lastToken()}\n` })
    const file = join(scratch(), 'key.pem')
    writeFileSync(file, sandbox.privateKey)
    const env = sandboxEnv(sandbox)
    delete env.DOCUSIGN_PRIVATE_KEY_FILE
    const fromFlag = await cli(sandbox, ['token', '--private-key-file', file], { env, tokenOnStdout: true })
    expect(fromFlag).toMatchObject({ exitCode: 0, stdout: `${lastToken()}\n` })
  })

  it('takes every setting from flags, each winning over its environment variable', async () => {
    const wrong = {
      DOCUSIGN_INTEGRATION_KEY: OTHER_GUID,
      DOCUSIGN_USER_ID: OTHER_GUID,
      DOCUSIGN_ENVIRONMENT: 'production',
      DOCUSIGN_SCOPES: 'click.manage',
      DOCUSIGN_ACCOUNT_ID: OTHER_GUID,
      DOCUSIGN_PRIVATE_KEY: 'not a key'
    }
    const key = join(scratch(), 'key.pem')
    writeFileSync(key, sandbox.privateKey)
    const flags = [
      ...['--integration-key', sandbox.integrationKey, '--user-id', sandbox.userId],
      ...['--environment', emulator().url, '--scopes', 'signature', '--account-id', sandbox.accountId],
      ...['--private-key-file', key, '--timeout-seconds', '5', '--max-attempts', '2'],
      ...['--consent-redirect-uri', DEFAULT_REDIRECT]
    ]
    const run = await cli(sandbox, ['token', '--format', 'json', ...flags], { env: wrong, tokenOnStdout: true })
    expect(run.stderr).toBe('')
    expect(run.exitCode).toBe(0)
    expect(JSON.parse(run.stdout)).toMatchObject({ account_id: sandbox.accountId })
    const [request] = emulator().requestsTo('/oauth/token')
    expect(request.claims).toMatchObject({
      iss: sandbox.integrationKey,
      sub: sandbox.userId,
      scope: 'signature impersonation'
    })
  })

  it('--format json prints one JSON object with the token and the account', async () => {
    const started = Date.now()
    const run = await cli(sandbox, ['token', '--format', 'json'], { env: sandboxEnv(sandbox), tokenOnStdout: true })
    expect(run.exitCode).toBe(0)
    expect(run.stdout.endsWith('}\n')).toBe(true)
    expect(run.stdout.trim().split('\n')).toHaveLength(1)
    const json = JSON.parse(run.stdout) as Record<string, unknown>
    expect(json).toEqual({
      access_token: lastToken(),
      token_type: 'Bearer',
      expires_in: 3600,
      expires_at: expect.any(String),
      account_id: sandbox.accountId,
      account_name: 'Acme Demo',
      base_uri: 'https://demo.docusign.net',
      base_path: 'https://demo.docusign.net/restapi'
    })
    const expiresAt = Date.parse(json.expires_at as string)
    expect(expiresAt).toBeGreaterThanOrEqual(started + 3600_000 - 1000)
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 3600_000)
  })

  it('--format json with --skip-account-lookup has no account fields, and makes no userinfo call', async () => {
    const args = ['token', '--format', 'json', '--skip-account-lookup']
    const run = await cli(sandbox, args, { env: sandboxEnv(sandbox), tokenOnStdout: true })
    expect(run.exitCode).toBe(0)
    expect(Object.keys(JSON.parse(run.stdout)).sort()).toEqual([
      'access_token',
      'expires_at',
      'expires_in',
      'token_type'
    ])
    expect(emulator().requestsTo('/oauth/userinfo')).toHaveLength(0)
  })

  it('--format shell prints export lines that a real sh evaluates to the right values', async () => {
    const run = await cli(sandbox, ['token', '--format', 'shell'], { env: sandboxEnv(sandbox), tokenOnStdout: true })
    expect(run.exitCode).toBe(0)
    expect(
      run.stdout
        .split('\n')
        .filter(Boolean)
        .map(l => l.split('=')[0])
    ).toEqual(['export DOCUSIGN_ACCESS_TOKEN', 'export DOCUSIGN_ACCOUNT_ID', 'export DOCUSIGN_BASE_PATH'])
    const script = `eval "$1"; printf '%s\\n' "$DOCUSIGN_ACCESS_TOKEN" "$DOCUSIGN_ACCOUNT_ID" "$DOCUSIGN_BASE_PATH"`
    const shown = execFileSync('sh', ['-c', script, 'sh', run.stdout], { encoding: 'utf8', env: {} })
    expect(shown).toBe(`${lastToken()}\n${sandbox.accountId}\nhttps://demo.docusign.net/restapi\n`)
  })

  it('--format shell with --skip-account-lookup prints only the token line', async () => {
    const args = ['token', '--format', 'shell', '--skip-account-lookup']
    const run = await cli(sandbox, args, { env: sandboxEnv(sandbox), tokenOnStdout: true })
    expect(run.stdout).toBe(`export DOCUSIGN_ACCESS_TOKEN='${lastToken()}'\n`)
  })

  it('--verbose shows the progress on stderr, never a secret', async () => {
    const run = await cli(sandbox, ['token', '--verbose'], { env: sandboxEnv(sandbox), tokenOnStdout: true })
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe(`${lastToken()}\n`)
    expect(run.stderr).toMatch(/Signing in to/)
    expect(run.stderr).toMatch(/POST .*\/oauth\/token/)
  })
})

describe('docusign-jwt check', () => {
  it('reports the settings, the fingerprint, the account and the expiry on stdout, never the token', async () => {
    const run = await cli(sandbox, ['check'], { env: sandboxEnv(sandbox) })
    expect(run.exitCode).toBe(0)
    expect(run.stderr).toBe('')
    const { fingerprint } = readPrivateKey(sandbox.privateKey).public
    for (const shown of [
      emulator().url,
      sandbox.integrationKey,
      sandbox.userId,
      'signature impersonation',
      fingerprint,
      'Acme Demo',
      sandbox.accountId,
      'https://demo.docusign.net/restapi',
      'in 3600 s'
    ]) {
      expect(run.stdout).toContain(shown)
    }
  })

  it('on missing consent prints both consent links, and exits 3', async () => {
    const user = userWithoutConsent()
    const run = await cli(sandbox, ['check'], { env: sandboxEnv(sandbox, 'key-file', { DOCUSIGN_USER_ID: user }) })
    expect(run.exitCode).toBe(3)
    const args: Parameters<typeof consentUrl> = [emulator().url, SCOPES, sandbox.integrationKey, DEFAULT_REDIRECT]
    // Each link once: on stdout in the report; stderr refers to it.
    expect(run.stdout.split(consentUrl(...args))).toHaveLength(2)
    expect(run.stdout.split(adminConsentUrl(...args))).toHaveLength(2)
    expect(run.stderr).not.toContain('/oauth/auth')
    expect(run.stderr).toMatch(/Open one of the consent links above/)
    expect(run.stderr).toMatch(/^docusign-jwt: Consent required/)
    expect(run.stdout).toContain('--consent-redirect-uri')
    expect(run.stdout).toMatch(/several DocuSign memberships/)
  })
})

describe('docusign-jwt consent-url', () => {
  const settings = () => ({ DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey, DOCUSIGN_ENVIRONMENT: emulator().url })

  it('prints the individual consent URL (--admin: the admin one), with no key and no request', async () => {
    const args: Parameters<typeof consentUrl> = [emulator().url, SCOPES, sandbox.integrationKey, DEFAULT_REDIRECT]
    const individual = await cli(sandbox, ['consent-url'], { env: settings() })
    expect(individual).toEqual({ exitCode: 0, stdout: `${consentUrl(...args)}\n`, stderr: '' })
    const admin = await cli(sandbox, ['consent-url', '--admin'], { env: settings() })
    expect(admin).toEqual({ exitCode: 0, stdout: `${adminConsentUrl(...args)}\n`, stderr: '' })
    expect(requestCount()).toBe(0)
  })

  it('takes the scopes, environment and redirect URI from flags, and needs no network', async () => {
    const run = await cli(sandbox, [
      'consent-url',
      ...['--integration-key', sandbox.integrationKey.toUpperCase(), '--environment', 'production'],
      ...['--scopes', 'signature,click.manage', '--consent-redirect-uri', 'https://example.com/cb']
    ])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toBe(
      `${consentUrl('https://account.docusign.com', ['signature', 'click.manage', 'impersonation'], sandbox.integrationKey, 'https://example.com/cb')}\n`
    )
  })

  it('ignores the sign-in settings it does not need, even invalid ones', async () => {
    const env = {
      ...settings(),
      DOCUSIGN_USER_ID: 'dana@example.com',
      DOCUSIGN_ACCOUNT_ID: 'x',
      DOCUSIGN_PRIVATE_KEY: 'y'
    }
    expect(await cli(sandbox, ['consent-url'], { env })).toMatchObject({ exitCode: 0 })
  })

  it('refuses an invalid integration key, naming its flag and variable', async () => {
    const run = await cli(sandbox, ['consent-url'], { env: { DOCUSIGN_INTEGRATION_KEY: '{' + OTHER_GUID + '}' } })
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/^docusign-jwt: --integration-key \(DOCUSIGN_INTEGRATION_KEY\) is wrapped in braces/)
  })
})

describe('the private key is never taken from the command line', () => {
  it.each([
    ['--private-key VALUE', (key: string) => ['token', '--private-key', key]],
    ['--private-key=VALUE', (key: string) => ['token', `--private-key=${key}`]],
    ['--private-key=VALUE before the command', (key: string) => [`--private-key=${key}`, 'check']]
  ])('%s is refused, saying why and what works, without a request', async (_name, args) => {
    const run = await cli(sandbox, args(sandbox.privateKey), { env: sandboxEnv(sandbox) })
    expect(run.exitCode).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toMatch(/shell history/)
    expect(run.stderr).toMatch(/process lists/)
    expect(run.stderr).toMatch(/--private-key-file PATH/)
    expect(run.stderr).toMatch(/DOCUSIGN_PRIVATE_KEY\b/)
    expect(requestCount()).toBe(0)
  })
})

describe('a key pasted where its path belongs', () => {
  it.each([
    ['--private-key-file "$(cat key)"', (key: string) => ({ args: ['token', '--private-key-file', key], env: {} })],
    ['--private-key-file', (key: string) => ({ args: ['token', `--private-key-file=${key}`], env: {} })],
    ['DOCUSIGN_PRIVATE_KEY_FILE', (key: string) => ({ args: ['check'], env: { DOCUSIGN_PRIVATE_KEY_FILE: key } })],
    [
      'base64 in DOCUSIGN_PRIVATE_KEY_FILE',
      (key: string) => ({ args: ['check'], env: { DOCUSIGN_PRIVATE_KEY_FILE: Buffer.from(key).toString('base64') } })
    ]
  ])('in %s is refused without repeating it', async (_name, given) => {
    const { args, env } = given(sandbox.privateKey)
    const base = { DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey, DOCUSIGN_USER_ID: sandbox.userId }
    const keys = [Buffer.from(sandbox.privateKey).toString('base64')]
    const run = await cli(sandbox, args, { env: { ...base, ...env }, keys })
    expect(run).toMatchObject({ exitCode: 2, stdout: '' })
    expect(run.stderr).toMatch(
      /(--private-key-file takes|DOCUSIGN_PRIVATE_KEY_FILE holds) the path of a key file, and was given the key itself \(not repeated here\)\. Put the key in DOCUSIGN_PRIVATE_KEY, or write it to a file and give that file's path/
    )
    // Never the advice that puts the key on a command line.
    expect(run.stderr).not.toMatch(/=VALUE|--private-key-file=/)
    expect(requestCount()).toBe(0)
  })

  it.each(['/home/dana/keys/docusign.pem', './docusign.key', '~/.ssh/docusign.pem', 'C:\\keys\\docusign.pem'])(
    'a path in DOCUSIGN_PRIVATE_KEY (%s) names DOCUSIGN_PRIVATE_KEY_FILE',
    async path => {
      const base = { DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey, DOCUSIGN_USER_ID: sandbox.userId }
      const run = await cli(sandbox, ['check'], { env: { ...base, DOCUSIGN_PRIVATE_KEY: path } })
      expect(run).toMatchObject({ exitCode: 2, stdout: '' })
      expect(run.stderr).toMatch(
        /^docusign-jwt: DOCUSIGN_PRIVATE_KEY holds the key itself, and was given what looks like a file's path\. Put the path in DOCUSIGN_PRIVATE_KEY_FILE \(or give --private-key-file PATH\)/
      )
      expect(requestCount()).toBe(0)
    }
  )
})

describe('messages that point the right way', () => {
  it.each([
    ['a loop of symbolic links', (path: string) => symlinkSync(path, path), /: it is a loop of symbolic links\./],
    ['a folder', (path: string) => mkdirSync(path), /: it is a directory\./],
    ['a path too long to be one', (path: string) => path, /: the path is too long to be a path\./]
  ])('a key file that is %s: exit 2, the reason in words', async (name, make, message) => {
    const dir = scratch()
    const path = name.includes('too long') ? join(dir, 'k'.repeat(5000)) : join(dir, 'key.pem')
    make(path)
    const run = await cli(sandbox, ['token'], {
      env: sandboxEnv(sandbox, 'key-file', { DOCUSIGN_PRIVATE_KEY_FILE: path })
    })
    expect(run).toMatchObject({ exitCode: 2, stdout: '' })
    expect(run.stderr).toMatch(/^docusign-jwt: DOCUSIGN_PRIVATE_KEY_FILE: cannot read /)
    expect(run.stderr).toMatch(message)
    expect(requestCount()).toBe(0)
  })

  it.each([
    ['prod', 'production'],
    ['PRD', 'production'],
    ['live', 'production'],
    ['sandbox', 'demo'],
    ['dev', 'demo']
  ])('--environment %s asks "did you mean %s"', async (given, meant) => {
    const run = await cli(sandbox, ['token', '--environment', given], { env: sandboxEnv(sandbox) })
    expect(run).toMatchObject({ exitCode: 2, stdout: '' })
    expect(run.stderr).toMatch(
      new RegExp(`^docusign-jwt: --environment \\(DOCUSIGN_ENVIRONMENT\\) [^\\n]*did you mean '${meant}'\\?`)
    )
    expect(requestCount()).toBe(0)
  })

  it.each([
    ['a port no one listens on', 'http://127.0.0.1:1'],
    ['a host no one can resolve', 'https://no-such-host.invalid']
  ])('says the cause of a network failure once (%s)', async (_name, environment) => {
    const run = await cli(sandbox, ['token', '--max-attempts', '1', '--timeout-seconds', '5'], {
      env: sandboxEnv(sandbox, 'key-file', { DOCUSIGN_ENVIRONMENT: environment })
    })
    expect(run.exitCode).toBe(5)
    expect(run.stderr).toMatch(/after 1 attempt: \S/)
    expect(run.stderr).not.toMatch(/\b(E[A-Z_]{3,})\b.*\b\1\b/)
  })
})

describe('exit codes', () => {
  const env = (overrides: Record<string, string> = {}) => sandboxEnv(sandbox, 'key-file', overrides)

  it.each([
    [
      'an integration key that is not a GUID',
      ['token'],
      { DOCUSIGN_INTEGRATION_KEY: 'abc' },
      /--integration-key \(DOCUSIGN_INTEGRATION_KEY\) is not a GUID/
    ],
    [
      'an email as the user ID',
      ['token'],
      { DOCUSIGN_USER_ID: 'dana@example.com' },
      /--user-id \(DOCUSIGN_USER_ID\) looks like an email/
    ],
    [
      'an unknown environment',
      ['check'],
      { DOCUSIGN_ENVIRONMENT: 'staging' },
      /--environment \(DOCUSIGN_ENVIRONMENT\) is neither/
    ],
    ['a timeout out of range', ['token', '--timeout-seconds', '0'], {}, /--timeout-seconds must be a whole number/],
    [
      'a key that is not a key',
      ['token'],
      { DOCUSIGN_PRIVATE_KEY_FILE: '', DOCUSIGN_PRIVATE_KEY: 'hello' },
      /^docusign-jwt: DOCUSIGN_PRIVATE_KEY is not a PEM/
    ],
    [
      'no key at all',
      ['token'],
      { DOCUSIGN_PRIVATE_KEY_FILE: '' },
      /The private key \(--private-key-file PATH, DOCUSIGN_PRIVATE_KEY_FILE or DOCUSIGN_PRIVATE_KEY\) is empty\./
    ],
    [
      'both key variables',
      ['token'],
      { DOCUSIGN_PRIVATE_KEY: 'x' },
      /Both DOCUSIGN_PRIVATE_KEY and DOCUSIGN_PRIVATE_KEY_FILE are set/
    ],
    [
      'a key file that does not exist',
      ['token'],
      { DOCUSIGN_PRIVATE_KEY_FILE: '/nonexistent/key.pem' },
      /DOCUSIGN_PRIVATE_KEY_FILE: cannot read \/nonexistent\/key.pem: there is no such file/
    ],
    [
      'a device for a key file (/dev/zero): read no further than 64 KiB',
      ['token'],
      { DOCUSIGN_PRIVATE_KEY_FILE: '/dev/zero' },
      /DOCUSIGN_PRIVATE_KEY_FILE: \/dev\/zero holds more than 64 KiB, too much for a private key file/
    ],
    [
      'a FIFO with no writer for a key file: never block',
      ['token'],
      { DOCUSIGN_PRIVATE_KEY_FILE: 'FIFO' },
      /DOCUSIGN_PRIVATE_KEY_FILE: cannot read \S+: (nothing arrived from it within 2 s|the private key|.*is empty)|The key in \S+ \(DOCUSIGN_PRIVATE_KEY_FILE\) is empty/
    ],
    [
      'every unusable setting at once',
      ['token', '--timeout-seconds', '0', '--scopes', 'a!b'],
      { DOCUSIGN_USER_ID: '' },
      /--user-id \(DOCUSIGN_USER_ID\) is empty\.[\s\S]*Also:\n- --scopes \(DOCUSIGN_SCOPES\) holds[^\n]*\n- --timeout-seconds must be/
    ],
    ['an unknown option', ['token', '--user', 'x'], {}, /'--user' is not an option of 'token'/],
    ['an option of another command', ['token', '--open'], {}, /'--open' is not an option of 'token'/],
    ['an unknown format', ['token', '--format', 'yaml'], {}, /--format must be one of: token, json, shell/],
    ['an unknown command', ['tokens'], {}, /unknown command 'tokens'/],
    ['no command', [], {}, /Give a command/]
  ])('2 for %s, before any request', async (_name, args, given, message) => {
    let overrides: Record<string, string> = given
    if (overrides.DOCUSIGN_PRIVATE_KEY_FILE === 'FIFO') {
      overrides = { ...overrides, DOCUSIGN_PRIVATE_KEY_FILE: join(scratch(), 'key.fifo') }
      execFileSync('mkfifo', [overrides.DOCUSIGN_PRIVATE_KEY_FILE])
    }
    const started = Date.now()
    const run = await cli(sandbox, args, { env: env(overrides), killAfterMs: 20000 })
    expect(Date.now() - started).toBeLessThan(10000)
    expect(run).toMatchObject({ exitCode: 2, stdout: '' })
    expect(run.stderr).toMatch(message)
    expect(run.stderr).not.toMatch(/Input '/)
    expect(requestCount()).toBe(0)
  })

  it('3 when consent is missing (token)', async () => {
    const run = await cli(sandbox, ['token'], { env: env({ DOCUSIGN_USER_ID: userWithoutConsent() }) })
    expect(run).toMatchObject({ exitCode: 3, stdout: '' })
    expect(run.stderr).toMatch(/^docusign-jwt: Consent required/)
  })

  it('4 when DocuSign refuses the user', async () => {
    const run = await cli(sandbox, ['token'], { env: env({ DOCUSIGN_USER_ID: OTHER_GUID }) })
    expect(run).toMatchObject({ exitCode: 4, stdout: '' })
    expect(run.stderr).toMatch(/user_not_found/)
    expect(run.stderr).toMatch(/Set --user-id to the user's User ID GUID \(DocuSign Admin > Users/)
  })

  it('4 when the account asked for is not the user’s, spelled --account-id', async () => {
    const run = await cli(sandbox, ['token', '--account-id', OTHER_GUID], { env: env() })
    expect(run).toMatchObject({ exitCode: 4, stdout: '' })
    expect(run.stderr).toMatch(/--account-id \(DOCUSIGN_ACCOUNT_ID\) 0f0f0f0f-.* is not one of the user's accounts/)
    expect(run.stderr).toMatch(/Set --account-id to one of/)
  })

  it('5 when DocuSign fails after every attempt', async () => {
    emulator().failNext('/oauth/token', { status: 503 }, { status: 503 })
    const run = await cli(sandbox, ['token', '--max-attempts', '2'], { env: env() })
    expect(run).toMatchObject({ exitCode: 5, stdout: '' })
    expect(run.stderr).toMatch(/HTTP 503/)
    expect(emulator().requestsTo('/oauth/token')).toHaveLength(2)
  })

  it('5 when nothing answers', async () => {
    const run = await cli(sandbox, ['token', '--max-attempts', '1'], {
      env: env({ DOCUSIGN_ENVIRONMENT: 'http://127.0.0.1:9' })
    })
    expect(run).toMatchObject({ exitCode: 5, stdout: '' })
    expect(run.stderr).toMatch(/Could not get an answer/)
    expect(run.stderr).toMatch(/raise --timeout-seconds or --max-attempts/)
  })

  it('5 when the answer is malformed', async () => {
    emulator().failNext('/oauth/token', {
      status: 200,
      body: '<html>portal</html>',
      headers: { 'Content-Type': 'text/html' }
    })
    const run = await cli(sandbox, ['token'], { env: env() })
    expect(run).toMatchObject({ exitCode: 5, stdout: '' })
    expect(run.stderr).toMatch(/not DocuSign's OAuth JSON/)
  })

  it('1 when DocuSign says the request is malformed (a bug)', async () => {
    emulator().failNext('/oauth/token', { status: 400, body: '{"error":"invalid_request"}' })
    const run = await cli(sandbox, ['token'], { env: env() })
    expect(run).toMatchObject({ exitCode: 1, stdout: '' })
    expect(run.stderr).toMatch(/malformed/)
  })
})

describe('help and version', () => {
  it('--help describes the commands, the settings and the exit codes', async () => {
    const run = await runCli(['--help'])
    expect(run.exitCode).toBe(0)
    for (const text of ['token', 'check', 'consent-url', 'DOCUSIGN_PRIVATE_KEY_FILE', '--private-key-file']) {
      expect(run.stdout).toContain(text)
    }
    for (const code of [0, 1, 2, 3, 4, 5]) expect(run.stdout).toMatch(new RegExp(`^ {2}${code} {2}\\S`, 'm'))
  })

  it.each(['token', 'check', 'consent-url'])('%s --help lists its options and the exit codes', async command => {
    const run = await runCli([command, '--help'])
    expect(run).toMatchObject({ exitCode: 0, stderr: '' })
    expect(run.stdout).toMatch(new RegExp(`^Usage: docusign-jwt ${command}`))
    expect(run.stdout).toMatch(/Exit codes:/)
    expect(run.stdout).toContain('--integration-key')
  })

  it("every list of signing-key's forms names the Managed HSM form too: CLI help, action.yml, README, task.json", async () => {
    const help = (await runCli(['token', '--help'])).stdout
    const read = (file: string) => readFileSync(join(ROOT, file), 'utf8').replace(/\s+/g, ' ')
    const places: Record<string, string> = {
      'token --help': help.replace(/\s+/g, ' '),
      'action.yml': read('action.yml'),
      'README.md': read('README.md'),
      'task.json': read('azure-pipelines/DocuSignJwtV1/task.json')
    }
    for (const [place, text] of Object.entries(places)) {
      const forms =
        /azure-key-vault:https:\/\/NAME\.vault\.azure\.net\/keys\/KEY\S* \(a Managed HSM: `?NAME\.managedhsm\.azure\.net/
      expect({ place, managedHsm: forms.test(text) }).toEqual({ place, managedHsm: true })
    }
  })

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(await runCli(['--version'])).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' })
  })
})
