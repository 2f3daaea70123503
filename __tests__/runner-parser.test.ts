/**
 * The runner stand-in reads workflow commands as actions/runner does. The examples come from the
 * runner's own tests at commit 258d6c857db3519913f7deb6004b60172f8043ae:
 * src/Test/L0/Worker/ActionCommandL0.cs (CommandParserTest, CommandParserV2Test) and
 * src/Test/L0/Worker/ActionCommandManagerL0.cs (StopProcessCommand, EchoProcessCommand...,
 * AddMaskWithMultilineValue, IssueCommandInvalidColumns).
 */
import { existsSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { parseCommand, startJob, type Job, type RunResult } from '../emulator/runner.js'

describe('parseCommand: the legacy ##[name props]data (ActionCommandL0.cs, CommandParserTest)', () => {
  const parse = (line: string) => parseCommand(line, ['do-something'])
  it.each([
    ['##[do-something k1=v1;]msg', { k1: 'v1' }, 'msg'],
    ['##[do-something]', {}, ''],
    ['##[do-something k1=%3B=%0D=%0A=%5D;]%3B-%0D-%0A-%5D', { k1: ';=\r=\n=]' }, ';-\r-\n-]'],
    [
      '##[do-something k1=%253B=%250D=%250A=%255D;]%253B-%250D-%250A-%255D',
      { k1: '%3B=%0D=%0A=%5D' },
      '%3B-%0D-%0A-%5D'
    ],
    ['##[do-something k1=;k2=;]', {}, ''],
    ['>>>   ##[do-something k1=v1;]msg', { k1: 'v1' }, 'msg']
  ])('%j', (line, properties, data) => {
    expect(parse(line)).toEqual({ name: 'do-something', properties, data, form: 'legacy' })
  })
})

describe('parseCommand: ::name props::data (ActionCommandL0.cs, CommandParserV2Test)', () => {
  const parse = (line: string) => parseCommand(line, ['do-something'])
  it.each([
    ['::do-something k1=v1,::msg', { k1: 'v1' }, 'msg'],
    ['::do-something::', {}, ''],
    ['::do-something k1=;=%2C=%0D=%0A=]=%3A,::;-%0D-%0A-]-:-,', { k1: ';=,=\r=\n=]=:' }, ';-\r-\n-]-:-,'],
    [
      '::do-something k1=;=%252C=%250D=%250A=]=%253A,::;-%250D-%250A-]-:-,',
      { k1: ';=%2C=%0D=%0A=]=%3A' },
      ';-%0D-%0A-]-:-,'
    ],
    ['::do-something k1=,k2=,::', {}, ''],
    ['::do-something k1=v1::', { k1: 'v1' }, ''],
    ['   ::do-something k1=v1,::msg', { k1: 'v1' }, 'msg']
  ])('%j', (line, properties, data) => {
    expect(parse(line)).toEqual({ name: 'do-something', properties, data, form: 'v2' })
  })

  it('is not a command after other text: "   >>>   ::do-something k1=v1,::msg"', () => {
    expect(parse('   >>>   ::do-something k1=v1,::msg')).toBeUndefined()
  })

  it('reads the properties of an annotation (ActionCommandManagerL0.cs, IssueCommandInvalidColumns)', () => {
    expect(parseCommand('::warning line=1,endLine=2,col=1,endColumn=2::this is a warning')).toEqual({
      name: 'warning',
      properties: { line: '1', endLine: '2', col: '1', endColumn: '2' },
      data: 'this is a warning',
      form: 'v2'
    })
  })
})

describe('parseCommand: registered names, where the runner looks for them', () => {
  it('finds ##[error] in the middle of a line', () => {
    expect(parseCommand('Acme ##[error]text')).toEqual({ name: 'error', properties: {}, data: 'text', form: 'legacy' })
  })
  it('finds ::warning:: after leading whitespace, .NET whitespace included (U+0085)', () => {
    expect(parseCommand('  ::warning::x')).toMatchObject({ name: 'warning', data: 'x', form: 'v2' })
    expect(parseCommand('\u0085\t::warning::x')).toMatchObject({ name: 'warning', data: 'x' })
    expect(parseCommand('\ufeff::warning::x')).toBeUndefined() // String.TrimStart keeps U+FEFF
  })
  it('knows only registered names, compared without case (but not Turkish ı)', () => {
    expect(parseCommand('##[unknown]x')).toBeUndefined()
    expect(parseCommand('::unknown::x')).toBeUndefined()
    expect(parseCommand('::ERROR::x')).toMatchObject({ name: 'error', data: 'x' })
    expect(parseCommand('::warn\u0131ng::x')).toBeUndefined()
  })
  it('tries the legacy form when the line is not a ::command::', () => {
    expect(parseCommand('::unknown::x ##[warning]y')).toMatchObject({ name: 'warning', data: 'y', form: 'legacy' })
    // Only the first ##[ counts.
    expect(parseCommand('##[unknown]x ##[error]y')).toBeUndefined()
  })
  it('reads set-env, a registered (disabled) command', () => {
    expect(parseCommand('::set-env name=A::1')).toEqual({
      name: 'set-env',
      properties: { name: 'A' },
      data: '1',
      form: 'v2'
    })
  })
  it("splits properties as .NET's Split(..., 2, RemoveEmptyEntries) does; later keys win without case", () => {
    expect(parseCommand('::error k=v=w,=a=b,x==y,k2=,K=last::d')?.properties).toEqual({ k: 'last', a: 'b', x: 'y' })
  })
})

describe('a step, as the runner processes its output', () => {
  let job: Job
  beforeEach(() => {
    job = startJob()
  })
  afterEach(() => job.close())
  /** A step whose program writes exactly `stdout` (and `stderr`). */
  const step = (stdout: string, stderr = '', env: Record<string, string> = {}): Promise<RunResult> => {
    const script = `process.stdout.write(${JSON.stringify(stdout)}); process.stderr.write(${JSON.stringify(stderr)})`
    return job.runStep([process.execPath, '-e', script], { env })
  }

  it('takes Acme ##[error]text as an error, and "  ::warning::x" as a warning', async () => {
    const result = await step('Acme ##[error]text\n  ::warning::x\n##[unknown]x\n')
    expect(result.errors).toEqual(['text'])
    expect(result.warnings).toEqual(['x'])
    expect(result.commands.map(c => [c.name, c.form])).toEqual([
      ['error', 'legacy'],
      ['warning', 'v2']
    ])
    expect(result.log).toBe('Error: text\nWarning: x\n##[unknown]x')
    expect(result.stepFailed).toBe(false)
  })

  it('ends lines at a bare \\r, as at \\n and \\r\\n', async () => {
    const result = await step('ok\r::error::one\r\n::warning::two\r##[error]three')
    expect(result.errors).toEqual(['one', 'three'])
    expect(result.warnings).toEqual(['two'])
    expect(result.log.split('\n')).toEqual(['ok', 'Error: one', 'Warning: two', 'Error: three'])
  })

  it('fails the step on ::set-env and ##[add-path], which are disabled, and applies neither', async () => {
    const setEnv = await step('::set-env name=A::1\nstill running\n')
    expect(setEnv.exitCode).toBe(0)
    expect(setEnv.stepFailed).toBe(true)
    expect(setEnv.failedByCommand).toBe('set-env')
    expect(setEnv.runnerIssues).toEqual([
      { type: 'error', message: "Unable to process command '::set-env name=A::1' successfully." },
      { type: 'error', message: expect.stringMatching(/^The `set-env` command is disabled\./) }
    ])
    expect(setEnv.log).toContain('still running')
    const addPath = await step('##[add-path]/opt/evil\n')
    expect(addPath.failedByCommand).toBe('add-path')
    expect(job.env).toEqual({})
    expect(job.prependPath).toEqual([])
  })

  it('applies set-env and add-path when ACTIONS_ALLOW_UNSECURE_COMMANDS is true', async () => {
    const result = await step('::set-env name=A::1\n::add-path::/opt/tools\n', '', {
      ACTIONS_ALLOW_UNSECURE_COMMANDS: 'true'
    })
    expect(result.stepFailed).toBe(false)
    expect(job.env).toEqual({ A: '1' })
    expect(job.prependPath).toEqual(['/opt/tools'])
  })

  it('registers masks from ##[add-mask] as from ::add-mask::, each line of them too, for the whole job', async () => {
    const first = await step(
      '##[add-mask]hunter2-secret\n::add-mask::line-one%0A  line-two  \nhunter2-secret line-two\n'
    )
    expect(first.masks).toEqual(expect.arrayContaining(['hunter2-secret', 'line-one\n  line-two  ']))
    expect(first.log).toBe('*** ***')
    const second = await step('again: hunter2-secret, line-one\n')
    expect(second.log).toBe('again: ***, ***')
  })

  it('masks overlapping secrets as one run (AddMaskWithMultilineValue, SecretMasker)', async () => {
    const result = await step('::add-mask::abc%0Ddef\n::add-mask:: %0D  \nabcdef xdefx\n')
    expect(result.log).toBe("Warning: Can't add secret mask for empty string in ##[add-mask] command.\n*** x***x")
  })

  it('processes no command between stop-commands and its token, and masks the token', async () => {
    const result = await step(
      '::stop-commands::pause-token-1\n::error::not a command\n::PAUSE-TOKEN-1::\n::error::a command\n'
    )
    expect(result.errors).toEqual(['a command'])
    expect(result.commands.map(c => c.name)).toEqual(['stop-commands', 'pause-token-1', 'error'])
    // The masker is ordinal: the token is masked as registered, the resume shows as typed.
    expect(result.log).toBe('::stop-commands::***\n::error::not a command\n::PAUSE-TOKEN-1::\nError: a command')
    expect(result.stepFailed).toBe(false)
  })

  it('fails the step on a stop token that is a command, and reads no further (StopProcessCommand__FailOnInvalidStopTokens)', async () => {
    const result = await step('::stop-commands::set-env\n::error::never read\n')
    expect(result.stepFailed).toBe(true)
    expect(result.failedByCommand).toBe('stop-commands')
    expect(result.errors).toEqual([])
    expect(result.log).not.toContain('never read')
  })

  it('echoes commands after ::echo::on, and fails the step on an invalid value (EchoProcessCommandInvalid)', async () => {
    const result = await step('::echo::on\n::group::g\n::echo::Off   \n::group::h\n')
    expect(result.log).toBe('::group::g\n##[group]g\n::echo::Off   \n##[group]h')
    expect(result.stepFailed).toBe(false)
    const invalid = await step('::echo::invalid\n')
    expect(invalid.failedByCommand).toBe('echo')
  })

  it('reads commands on stderr too, as the runner does', async () => {
    const result = await step('', '::error::from stderr\n')
    expect(result.errors).toEqual(['from stderr'])
    expect(result.commands).toEqual([
      { name: 'error', properties: {}, data: 'from stderr', form: 'v2', stream: 'stderr' }
    ])
  })

  it('sets outputs from ::set-output, with a deprecation warning; GITHUB_OUTPUT wins', async () => {
    const script = `console.log('::set-output name=a::from-command'); console.log('::set-output name=b::kept');
require('fs').appendFileSync(process.env.GITHUB_OUTPUT, 'a=from-file\\n')`
    const result = await job.runStep([process.execPath, '-e', script])
    expect(result.outputs).toEqual({ a: 'from-file', b: 'kept' })
    expect(result.runnerIssues[0].message).toMatch(/^The `set-output` command is deprecated/)
  })
})

describe('a job of several steps', () => {
  it('gives later steps GITHUB_ENV and GITHUB_PATH of earlier ones, in one RUNNER_TEMP', async () => {
    const job = startJob({ env: { JOB_LEVEL: 'j' } })
    try {
      // Step 1: a tiny "action" that writes the file commands.
      const write = `const fs = require('fs');
fs.appendFileSync(process.env.GITHUB_PATH, '/opt/first\\n/opt/second\\n');
fs.appendFileSync(process.env.GITHUB_ENV, 'GREETING=hello\\nMULTI<<EOF\\nline 1\\nline 2\\nEOF\\n');
console.log(process.env.RUNNER_TEMP)`
      const first = await job.runStep([process.execPath, '-e', write])
      expect(first.stepFailed).toBe(false)
      expect(first.addedPath).toEqual(['/opt/first', '/opt/second'])
      expect(first.exportedEnv).toEqual({ GREETING: 'hello', MULTI: 'line 1\nline 2' })

      // Step 2: a run: step sees them; the directory added last comes first.
      const second = await job.runStep({
        script:
          'echo "$RUNNER_TEMP"\necho "$PATH"\necho "$GREETING|$MULTI|$JOB_LEVEL"\necho /opt/first >> "$GITHUB_PATH"'
      })
      expect(first.stdout).toBe(`${job.temp}\n`)
      expect(second.stdout).toBe(`${job.temp}\n/opt/second:/opt/first:${process.env.PATH}\nhello|line 1\nline 2|j\n`)

      // Step 3: a directory added again moves to the front.
      const third = await job.runStep({ script: 'echo "$PATH"' })
      expect(third.stdout.trim()).toBe(`/opt/first:/opt/second:${process.env.PATH}`)
    } finally {
      job.close()
    }
    expect(existsSync(job.temp)).toBe(false)
  })

  it("fails a step on a malformed GITHUB_ENV, keeping the pairs before the runner's error", async () => {
    const job = startJob()
    try {
      const bad = await job.runStep({ script: 'printf "A=1\\nB<<EOF\\nno end\\n" >> "$GITHUB_ENV"' })
      expect(bad.exitCode).toBe(0)
      expect(bad.stepFailed).toBe(true)
      expect(bad.runnerIssues.map(i => i.message)).toEqual([
        "Unable to process file command 'env' successfully.",
        "Invalid value. Matching delimiter not found 'EOF'"
      ])
      expect(job.env).toEqual({ A: '1' })
    } finally {
      job.close()
    }
  })
})
