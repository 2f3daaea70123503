/** The runner stand-in and the leak check must themselves be right, or the action tests prove nothing. */
import { describe, expect, it } from '@jest/globals'
import { maskLine, parseFileCommands, readEnvFile, runnerLines, type RunResult } from '../emulator/runner.js'
import { expectNoLeaks } from './helpers/leaks.js'

const run = (transcript: string, stderr = ''): RunResult => ({ transcript, stderr, rawSummary: '' }) as RunResult

describe('runner stand-in', () => {
  it('masks a secret and each of its lines', () => {
    expect(maskLine('token abcdefgh and line2-of-key', ['abcdefgh', 'line1-of-key\nline2-of-key'])).toBe(
      'token *** and ***'
    )
  })

  it('masks overlapping and touching secrets as one run, and the trimmed lines of a secret, as SecretMasker does', () => {
    expect(maskLine('abcd abcabc', ['abc', 'bcd'])).toBe('*** ***')
    expect(maskLine('key: line2 ', ['  line1\r\n  line2  '])).toBe('key: *** ')
  })

  it('ends a line at \\n, \\r\\n and a bare \\r, as the runner does', () => {
    expect(runnerLines('a\nb\r\nc\rd')).toEqual(['a', 'b', 'c', 'd'])
  })

  it('reads lines as StreamReader.ReadLine does: no empty line after the last end, a leading BOM dropped', () => {
    expect(runnerLines('\ufeffa\n\nb\r')).toEqual(['a', '', 'b'])
    expect(runnerLines('')).toEqual([])
  })

  it('reads heredoc and plain file commands as @actions/core writes them', () => {
    expect(parseFileCommands('a<<ghadelimiter_1\nx\ny\nghadelimiter_1\nb=2\n')).toEqual({ a: 'x\ny', b: '2' })
  })

  it('reads file commands as the runner does: = before << is a plain value, \\r stays, a bad line stops', () => {
    expect(readEnvFile('a=b<<c\nd<<E=F\nx\nE=F\ne=1\r\n')).toEqual({
      pairs: [
        ['a', 'b<<c'],
        ['d', 'x'],
        ['e', '1\r']
      ]
    })
    expect(readEnvFile('a=1\njunk\nb=2\n')).toEqual({ pairs: [['a', '1']], error: "Invalid format 'junk'" })
    expect(readEnvFile('a<<EOF\nx')).toEqual({ pairs: [], error: 'Invalid value. EOF marker missing new line.' })
  })
})

describe('expectNoLeaks', () => {
  const secret = 'eyJ0eXAiOiJNVCJ9.secret-token-value'
  it('passes a masked log', () => {
    expect(() => expectNoLeaks(run('token: ***'), [secret])).not.toThrow()
  })
  it('catches a secret in the log, a line of a multi-line secret, and a secret on stderr', () => {
    expect(() => expectNoLeaks(run(`token: ${secret}`), [secret])).toThrow()
    expect(() =>
      expectNoLeaks(run('MIIEowIBAAKCAQEAx'), ['-----BEGIN X-----\nMIIEowIBAAKCAQEAx\n-----END X-----'])
    ).toThrow()
    expect(() => expectNoLeaks(run('', secret), [secret])).toThrow()
  })
  it('catches a secret in the summary as written, before the runner masks it', () => {
    expect(() => expectNoLeaks({ ...run(''), rawSummary: `| ${secret} |` }, [secret])).toThrow()
  })
})
