/** The CLI's modules in-process: the command line, spelling, exit codes, shell quoting, openers, the door itself. */
import { execFileSync } from 'node:child_process'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { InputError, type ErrorKind } from '../src/core/errors.js'
import { parseCommandLine } from '../src/cli/args.js'
import { EXIT, exitCodeOf } from '../src/cli/exit-codes.js'
import { shellQuote } from '../src/cli/formats.js'
import { main } from '../src/cli/main.js'
import { openers } from '../src/cli/open-browser.js'
import { cliSpelling } from '../src/cli/settings.js'
import { UsageError } from '../src/cli/usage-error.js'

const SECRET = 'MIIEowIBAAKCAQEAsecretsecretsecret'

function usageError(argv: string[]): UsageError {
  try {
    parseCommandLine(argv)
  } catch (error) {
    if (error instanceof UsageError) return error
    throw error
  }
  throw new Error(`no usage error for ${JSON.stringify(argv)}`)
}

describe('the command line', () => {
  it('reads a command and its flags', () => {
    expect(parseCommandLine(['token', '--format', 'json', '--skip-account-lookup', '--user-id=abc'])).toEqual({
      kind: 'run',
      command: 'token',
      flags: { format: 'json', 'skip-account-lookup': true, 'user-id': 'abc' },
      args: []
    })
    expect(parseCommandLine(['check', '-h'])).toEqual({ kind: 'help', command: 'check' })
    expect(parseCommandLine(['help', 'consent-url'])).toEqual({ kind: 'help', command: 'consent-url' })
    expect(parseCommandLine(['-V'])).toEqual({ kind: 'version' })
  })

  it("reads api's PATH, short forms and repeated flags", () => {
    expect(
      parseCommandLine([
        'api',
        '-X',
        'post',
        'envelopes',
        '-H',
        'A: b',
        '-H',
        'C: d',
        '--field',
        'x=1',
        '-i',
        '--input',
        '-'
      ])
    ).toEqual({
      kind: 'run',
      command: 'api',
      flags: { method: 'post', header: ['A: b', 'C: d'], field: ['x=1'], include: true, input: '-' },
      args: ['envelopes']
    })
    expect(() => parseCommandLine(['api'])).toThrow(/'api' needs its PATH/)
    expect(() => parseCommandLine(['api', '/a', '/b'])).toThrow(/'api' takes one PATH/)
    expect(parseCommandLine(['api', '--help'])).toEqual({ kind: 'help', command: 'api' })
  })

  it.each([
    [['token', '--user-id'], /--user-id needs a value/],
    [['token', '--user-id', '--scopes', 'signature'], /--user-id needs a value.*--user-id=VALUE/],
    [['token', '--skip-account-lookup=yes'], /--skip-account-lookup takes no value/],
    [['token', SECRET], /takes no arguments besides its options/],
    [['token', `--${SECRET}`], /^an option is not an option of 'token'/],
    [['token', `-----BEGIN RSA PRIVATE KEY-----\n${SECRET}`], /^an option is not an option/],
    [[SECRET], /^Got an unknown command;/],
    [['token', '--private-key', SECRET], /--private-key is refused/],
    [['consent-url', `--private-key=${SECRET}`], /--private-key is refused/],
    [['consent-url', '--user-id', 'x'], /'--user-id' is not an option of 'consent-url'/]
  ])('refuses %j without repeating a value', (argv, message) => {
    const error = usageError(argv)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('secretsecret')
  })

  it('leaves --private-key-file alone, and refuses --private-key only before `--`', () => {
    expect(parseCommandLine(['token', '--private-key-file', 'k.pem'])).toMatchObject({ kind: 'run' })
    expect(usageError(['token', '--', '--private-key']).message).toMatch(/takes no arguments/)
  })
})

describe('spelling', () => {
  it('names settings as flags, and a message about one by its flag and variable', () => {
    const error = new InputError('account-id', 'is not a GUID.', 'Set {{account-id}} to an API Account ID.')
    expect(error.shown(cliSpelling()).message).toBe(
      '--account-id (DOCUSIGN_ACCOUNT_ID) is not a GUID. Set --account-id to an API Account ID.'
    )
    expect(new InputError('max-attempts', 'is 0.', '').shown(cliSpelling()).message).toBe('--max-attempts is 0.')
  })

  it('names the key by where it came from', () => {
    const error = new InputError('private-key', 'is encrypted.', '')
    expect(error.shown(cliSpelling({ from: 'flag', path: 'k.pem' })).problem).toBe(
      'The key in --private-key-file k.pem is encrypted.'
    )
    expect(error.shown(cliSpelling({ from: 'file-var', path: 'k.pem' })).problem).toBe(
      'The key in k.pem (DOCUSIGN_PRIVATE_KEY_FILE) is encrypted.'
    )
    expect(error.shown(cliSpelling({ from: 'var' })).problem).toBe('DOCUSIGN_PRIVATE_KEY is encrypted.')
  })
})

describe('exit codes', () => {
  it.each([
    ['input', 2],
    ['consent', 3],
    ['refused', 4],
    ['unavailable', 5],
    ['malformed', 5],
    ['accepted', 6],
    ['bug', 1]
  ] as [ErrorKind, number][])('%s → %d', (kind, code) => {
    expect(exitCodeOf(kind)).toBe(code)
  })
})

/** What a real sh makes of `eval "V=<quoted>"`. */
const evaluated = (quoted: string): string =>
  execFileSync('sh', ['-c', 'eval "V=$1"; printf %s "$V"', 'sh', quoted], { encoding: 'utf8', env: {} })

describe('shell quoting', () => {
  it('keeps quotes, $, backquotes and line breaks literal', () => {
    const value = `it's $(touch /tmp/pwned) \`id\` "x"\n\\n ;& |`
    expect(evaluated(shellQuote(value))).toBe(value)
  })

  it('survives eval by a real sh for any string', () => {
    const values = fc.string({ unit: 'binary', maxLength: 40 }).filter(s => !s.includes('\0'))
    fc.assert(
      fc.property(values, value => {
        expect(evaluated(shellQuote(value))).toBe(value)
      }),
      { numRuns: 60 }
    )
  })
})

describe('openers', () => {
  it('tries each $BROWSER entry, then the platform opener', () => {
    expect(openers({ BROWSER: 'firefox:chromium --new-window %s' }, 'linux')).toEqual([
      ['firefox'],
      ['chromium', '--new-window', '%s'],
      ['xdg-open']
    ])
    expect(openers({}, 'darwin')).toEqual([['open']])
    expect(openers({ BROWSER: '' }, 'win32')).toEqual([['rundll32', 'url.dll,FileProtocolHandler']])
  })
})

describe('the door', () => {
  it('reports an unexpected error with exit code 1, one line, no stack trace, scrubbed', async () => {
    let stderr = ''
    const code = await main(
      ['consent-url'],
      { DOCUSIGN_INTEGRATION_KEY: '1a2b3c4d-0000-4000-8000-0123456789ab' },
      {
        stdout: () => {
          throw new Error('EPIPE: broken pipe')
        },
        stderr: text => (stderr += text)
      }
    )
    expect(code).toBe(EXIT.unexpected)
    expect(stderr).toBe('docusign-jwt: Unexpected error: EPIPE: broken pipe. Please report this.\n')
  })
})

describe('the scrubber', () => {
  it("leaves a PEM's armour lines (the same in every key) and scrubs the body", async () => {
    const { Secrets } = await import('../src/core/secrets.js')
    const { PASTE_FIX } = await import('../src/core/private-key.js')
    const { pkcs1 } = await import('./helpers/keys.js')
    const secrets = new Secrets()
    secrets.add(pkcs1)
    expect(secrets.scrub(PASTE_FIX)).toBe(PASTE_FIX)
    const body = pkcs1.split('\n')[1]
    expect(secrets.scrub(`x ${body} y`)).toBe('x *** y')
  })
})
