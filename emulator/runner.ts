/**
 * Runs the built action the way the GitHub Actions runner does: inputs (with action.yml defaults)
 * as INPUT_* variables, GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STATE /
 * GITHUB_STEP_SUMMARY files, workflow commands read from stdout and stderr, masks applied to the
 * log as the runner applies them, and jobs of several steps that share what the runner keeps.
 *
 * Every rule below is taken from actions/runner at commit 258d6c857db3519913f7deb6004b60172f8043ae
 * (cited as `runner:<path>`), unless it says otherwise.
 *
 * Known differences, deliberate:
 * - The runner's TryParseV2/TryParse find `::` and `##[` with String.StartsWith/IndexOf(string),
 *   which compare with the current culture (ICU): code points ICU ignores (U+00AD, U+200B, NUL...)
 *   may then sit inside a marker. This stand-in compares ordinally. The parsers take the command
 *   name at a fixed offset after the marker, so an ignorable code point inside an opening marker
 *   never makes a command; only `::name:<ignorable>:data` (inside the separator) is read
 *   differently.
 * - The runner's secret masker also masks encoded forms of each secret (base64 at three byte
 *   offsets, JSON, URI and XML escaping...: runner:src/Sdk/DTLogging/Logging/ValueEncoders.cs).
 *   This stand-in masks only the values and their lines, so it shows more than GitHub would: leak
 *   checks on the transcript are stricter here, never weaker.
 * - Problem matchers (add-matcher) are loaded, as the runner loads them (a missing or unreadable
 *   file fails the step), but not applied to the output.
 * - `notice` is processed as on github.com, where the server enables DistributedTask.EnhancedAnnotations;
 *   `set-output` and `save-state` warn as deprecated, as DistributedTask.DeprecateStepOutputCommands does there.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The Node that runs the built action: ACTION_NODE (the runner's node24, see scripts/) or this one. */
export const ACTION_NODE = process.env.ACTION_NODE || process.execPath

export interface ActionYml {
  inputs: Record<string, { description: string; required?: boolean; default?: string }>
  outputs: Record<string, { description: string }>
  runs: { using: string; main: string }
}

export function readActionYml(): ActionYml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml
}

/** What `${{ github.token }}` evaluates to here: a made-up installation token, masked like the real one. */
export const GITHUB_TOKEN = `ghs_${'T'.repeat(4)}${Buffer.from('runner-stand-in-token').toString('hex')}`

export interface RunOptions {
  inputs: Record<string, string>
  /**
   * Inputs whose values come from the `secrets` context: the runner masks them in the log and in
   * the job summary from the start, whatever the action does.
   */
  secretInputs?: string[]
  /** Extra environment (the step's `env:`), e.g. RUNNER_DEBUG, HTTPS_PROXY. */
  env?: Record<string, string>
  /** Kill the action after this long (a runner has its own step timeout). */
  killAfterMs?: number
  /** Options for node itself, before the script (the benchmark's memory probe). */
  nodeArgs?: string[]
}

/** The options of a later `run:`-style step of a job. */
export interface StepOptions {
  /** The step's `env:`. */
  env?: Record<string, string>
  killAfterMs?: number
  /** The working directory (the runner's GITHUB_WORKSPACE); this process's by default. */
  cwd?: string
}

export type Stream = 'stdout' | 'stderr'

/** A workflow command as the runner's parsers return it (runner:src/Runner.Common/ActionCommand.cs). */
export interface ParsedCommand {
  /** The registered name it matched (names compare without case), e.g. `error` for `::ERROR::`. */
  name: string
  properties: Record<string, string>
  data: string
  /** `::name props::data` (TryParseV2) or `##[name props]data` (TryParse, the legacy form). */
  form: 'v2' | 'legacy'
}

export interface RecordedCommand extends ParsedCommand {
  /** The runner reads commands from both streams (runner:src/Runner.Worker/Handlers/NodeScriptActionHandler.cs). */
  stream: Stream
}

/** An error or warning the runner itself adds to the step (not one the action sent). */
export interface RunnerIssue {
  type: 'error' | 'warning'
  message: string
}

export interface RunResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** Every value the job's masker holds: the token, secret inputs, add-mask values, stop tokens, in order. */
  masks: string[]
  /** error command messages (either form), as sent. */
  errors: string[]
  /** warning command messages (either form), as sent. */
  warnings: string[]
  /** Every workflow command the runner processed, in order: what tests of injected commands read. */
  commands: RecordedCommand[]
  /** Errors and warnings the runner added itself: a command it could not process, a bad file command... */
  runnerIssues: RunnerIssue[]
  /**
   * Whether the step ends failed: a non-zero exit code, a command that failed (e.g. the disabled
   * set-env and add-path), an invalid stop token, or a file command the runner could not read.
   */
  stepFailed: boolean
  /** The first workflow command that failed the step, e.g. `set-env` (disabled since 2020). */
  failedByCommand?: string
  /** The step's outputs: `::set-output` values, then GITHUB_OUTPUT's over them. */
  outputs: Record<string, string>
  /** GITHUB_ENV as the step wrote it. */
  exportedEnv: Record<string, string>
  /** GITHUB_PATH as the step wrote it: each line a directory for the PATH of later steps. */
  addedPath: string[]
  /** `::save-state` values, then GITHUB_STATE's over them. */
  state: Record<string, string>
  /** The job summary as GitHub shows it: secrets masked, line by line. */
  summary: string
  /** The job summary as the action wrote it, before the runner's masking: what leak checks read. */
  rawSummary: string
  /** stdout and stderr as the runner would show them: commands consumed, secrets replaced by ***. */
  log: string
  /** Like log, but with debug lines whether or not debug logging is on: what leak checks read. */
  transcript: string
  durationMs: number
}

// ---------------------------------------------------------------------------------------------
// .NET string semantics the runner's parsers rely on

/** char.IsWhiteSpace: what String.Trim/TrimStart remove (unlike JS, U+0085 but not U+FEFF). */
const WS = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'
const LEADING_WS = new RegExp(`^[${WS}]+`)
const TRAILING_WS = new RegExp(`[${WS}]+$`)
const trimStart = (s: string) => s.replace(LEADING_WS, '')
const trim = (s: string) => trimStart(s).replace(TRAILING_WS, '')
const isNullOrWhiteSpace = (s: string) => trim(s) === ''

/**
 * StringComparer.OrdinalIgnoreCase: each character's simple uppercase mapping, except U+0131 and
 * U+017F, which .NET leaves alone (dotnet/runtime src/native/libs/System.Globalization.Native/
 * pal_casing.c, GlobalizationNative_InitOrdinalCasingPage: "Disable Turkish I behavior").
 */
function foldCase(s: string): string {
  let folded = ''
  for (const c of s) {
    const upper = c === '\u0131' || c === '\u017f' ? c : c.toUpperCase()
    folded += [...upper].length === 1 ? upper : c
  }
  return folded
}
const sameIgnoreCase = (a: string, b: string) => foldCase(a) === foldCase(b)

/** String.Split(separator, 2, StringSplitOptions.RemoveEmptyEntries), as .NET 8 implements it. */
export function splitPair(s: string, separator: string): string[] {
  const parts = s.split(separator)
  const out: string[] = []
  let i = 0
  for (; i < parts.length - 1; i++) {
    if (parts[i] !== '') {
      out.push(parts[i])
      // Once one entry is taken, empty entries before the remainder are skipped.
      for (i++; i < parts.length - 1 && parts[i] === ''; i++);
      break
    }
  }
  const rest = parts.slice(i).join(separator)
  if (rest !== '') out.push(rest)
  return out
}

/** String.Replace(string, string) is ordinal; the mappings are undone in the runner's order. */
const unescapeWith = (mappings: [string, string][]) => (value: string) =>
  mappings.reduce((text, [escaped, token]) => text.split(escaped).join(token), value)
// runner:src/Runner.Common/ActionCommand.cs, _escapeDataMappings, _escapePropertyMappings, _escapeMappings.
const unescapeData = unescapeWith([
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%25', '%']
])
const unescapeProperty = unescapeWith([
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%3A', ':'],
  ['%2C', ','],
  ['%25', '%']
])
const unescapeLegacy = unescapeWith([
  ['%3B', ';'],
  ['%0D', '\r'],
  ['%0A', '\n'],
  ['%5D', ']'],
  ['%25', '%']
])

// ---------------------------------------------------------------------------------------------
// Workflow commands

/**
 * The commands the runner registers (runner:src/Runner.Common/ExtensionManager.cs, the
 * IActionCommandExtension list, and stop-commands in runner:src/Runner.Worker/ActionCommandManager.cs).
 * internal-set-repo-path is registered only while a runner plugin runs, never for an action.
 */
export const REGISTERED_COMMANDS = [
  'set-env',
  'set-output',
  'save-state',
  'add-path',
  'add-mask',
  'add-matcher',
  'remove-matcher',
  'warning',
  'error',
  'notice',
  'debug',
  'group',
  'endgroup',
  'echo',
  'stop-commands'
] as const

/** Registered, but disabled since 2020 unless ACTIONS_ALLOW_UNSECURE_COMMANDS is true: they fail the step. */
export const DISABLED_COMMANDS = ['set-env', 'add-path'] as const

/** Commands the runner does not echo when `::echo::on` (their extensions' OmitEcho). */
const OMIT_ECHO = new Set(['add-mask', 'debug', 'error', 'warning', 'notice'])

// runner:src/Runner.Common/Constants.cs
const UNSUPPORTED_COMMAND_DISABLED = (command: string) =>
  `The \`${command}\` command is disabled. Please upgrade to using Environment Files or opt into unsecure command execution by setting the \`ACTIONS_ALLOW_UNSECURE_COMMANDS\` environment variable to \`true\`. For more information see: https://github.blog/changelog/2020-10-01-github-actions-deprecating-set-env-and-add-path-commands/`
const UNSUPPORTED_COMMAND_DEPRECATED = (command: string) =>
  `The \`${command}\` command is deprecated and will be disabled soon. Please upgrade to using Environment Files. For more information see: https://github.blog/changelog/2022-10-11-github-actions-deprecating-save-state-and-set-output-commands/`
const UNSUPPORTED_STOP_TOKEN =
  "You cannot use a endToken that is an empty string, the string 'pause-logging', or another workflow command. For more information see: https://docs.github.com/actions/learn-github-actions/workflow-commands-for-github-actions#example-stopping-and-starting-workflow-commands or opt into insecure command execution by setting the `ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS` environment variable to `true`."

/** The runner's set of registered names: compared without case, and changed by stop-commands. */
class Registered implements Iterable<string> {
  private readonly names = new Map<string, string>()
  constructor(names: Iterable<string>) {
    for (const name of names) this.add(name)
  }
  add(name: string): void {
    if (!this.names.has(foldCase(name))) this.names.set(foldCase(name), name)
  }
  delete(name: string): void {
    this.names.delete(foldCase(name))
  }
  /** The registered name `name` matches; ActionCommand's constructor refuses an empty name. */
  find(name: string): string | undefined {
    return name === '' ? undefined : this.names.get(foldCase(name))
  }
  has(name: string): boolean {
    return this.names.has(foldCase(name))
  }
  [Symbol.iterator](): Iterator<string> {
    return this.names.values()
  }
}

/** Adds a property as the runner's Dictionary(StringComparer.OrdinalIgnoreCase) does: a later key overwrites. */
function setProperty(properties: Record<string, string>, key: string, value: string): void {
  const existing = Object.keys(properties).find(k => sameIgnoreCase(k, key))
  properties[existing ?? key] = value
}

/** ActionCommand.TryParseV2: `::name k=v,k=v::data`, at the start of the line after whitespace. */
function tryParseV2(message: string, registered: Registered): ParsedCommand | undefined {
  if (message === '') return undefined
  message = trimStart(message)
  if (!message.startsWith('::')) return undefined
  const endIndex = message.indexOf('::', 2)
  if (endIndex < 0) return undefined
  const cmdInfo = message.slice(2, endIndex)
  const spaceIndex = cmdInfo.indexOf(' ')
  const name = registered.find(spaceIndex < 0 ? cmdInfo : cmdInfo.slice(0, spaceIndex))
  if (name === undefined) return undefined
  const properties: Record<string, string> = {}
  if (spaceIndex > 0) {
    for (const property of trim(cmdInfo.slice(spaceIndex + 1))
      .split(',')
      .filter(Boolean)) {
      const pair = splitPair(property, '=')
      if (pair.length === 2) setProperty(properties, pair[0], unescapeProperty(pair[1]))
    }
  }
  return { name, properties, data: unescapeData(message.slice(endIndex + 2)), form: 'v2' }
}

/** ActionCommand.TryParse: the legacy `##[name k=v;k=v]data`, found anywhere in the line. */
function tryParseLegacy(message: string, registered: Registered): ParsedCommand | undefined {
  const found = bracketCommand(message, '##[')
  if (!found) return undefined
  const { cmdInfo, rest } = found
  const spaceIndex = cmdInfo.indexOf(' ')
  const name = registered.find(spaceIndex < 0 ? cmdInfo : cmdInfo.slice(0, spaceIndex))
  if (name === undefined) return undefined
  const properties: Record<string, string> = {}
  if (spaceIndex > 0) {
    for (const property of cmdInfo
      .slice(spaceIndex + 1)
      .split(';')
      .filter(Boolean)) {
      const pair = splitPair(property, '=')
      if (pair.length === 2) setProperty(properties, pair[0], unescapeLegacy(pair[1]))
    }
  }
  return { name, properties, data: unescapeLegacy(rest), form: 'legacy' }
}

/**
 * `PREFIX info]rest` anywhere in a line: the command info up to the first `]` after the prefix, and
 * what follows. The legacy TryParse does this with `##[`, as the Azure Pipelines agent's
 * Command.TryParse, which it came from, does with `##vso[` (emulator/pipelines-agent.ts).
 */
export function bracketCommand(message: string, prefix: string): { cmdInfo: string; rest: string } | undefined {
  const prefixIndex = message.indexOf(prefix)
  if (message === '' || prefixIndex < 0) return undefined
  const rbIndex = message.indexOf(']', prefixIndex)
  if (rbIndex < 0) return undefined
  return { cmdInfo: message.slice(prefixIndex + prefix.length, rbIndex), rest: message.slice(rbIndex + 1) }
}

/**
 * One line of output as the runner's ActionCommandManager.TryProcessCommand reads it: first as
 * `::name props::data` (TryParseV2), then as `##[name props]data` anywhere in the line (TryParse).
 * Only registered names are commands. `registered` defaults to the runner's own set; a step that
 * has run stop-commands has its token registered too.
 */
export function parseCommand(
  line: string,
  registered: Iterable<string> = REGISTERED_COMMANDS
): ParsedCommand | undefined {
  const names = registered instanceof Registered ? registered : new Registered(registered)
  return tryParseV2(line, names) ?? tryParseLegacy(line, names)
}

// ---------------------------------------------------------------------------------------------
// Lines, masks, file commands

/**
 * How the runner reads a process's output (runner:src/Runner.Sdk/ProcessInvoker.cs, StartReadStream:
 * StreamReader.ReadLine): `\n`, `\r\n` and a bare `\r` each end a line, a final line needs no end,
 * and a UTF-8 byte order mark at the start is dropped.
 */
export function runnerLines(text: string): string[] {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\r|\n/)
  if (lines.at(-1) === '') lines.pop()
  return lines
}

/**
 * What the runner's masker holds for each value (runner:src/Runner.Worker/Worker.cs for secrets,
 * AddMaskCommandExtension for add-mask): the value, and each of its lines split at `\r` and `\n`,
 * trimmed, empty ones left out.
 */
function maskValues(masks: string[]): string[] {
  const values = new Set<string>()
  for (const mask of masks) {
    if (mask !== '') values.add(mask)
    for (const line of mask.split(/[\r\n]/).map(trim)) if (line !== '') values.add(line)
  }
  return [...values]
}

/**
 * Masks as the runner's SecretMasker.MaskSecrets does (runner:src/Sdk/DTLogging/Logging/SecretMasker.cs,
 * ValueSecret.cs): every occurrence of every value, overlapping or touching ones merged, each run
 * replaced by one `***`.
 */
export function maskLine(line: string, masks: string[]): string {
  const spans: { start: number; end: number }[] = []
  for (const value of maskValues(masks)) {
    for (let at = line.indexOf(value); at >= 0; at = line.indexOf(value, at + 1)) {
      spans.push({ start: at, end: at + value.length })
    }
  }
  spans.sort((a, b) => a.start - b.start)
  const merged: { start: number; end: number }[] = []
  for (const span of spans) {
    const last = merged.at(-1)
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end)
    else merged.push({ ...span })
  }
  let out = ''
  let from = 0
  for (const { start, end } of merged) {
    out += `${line.slice(from, start)}***`
    from = end
  }
  return out + line.slice(from)
}

/**
 * GITHUB_OUTPUT, GITHUB_ENV and GITHUB_STATE as the runner reads them (runner:src/Runner.Worker/
 * FileCommandManager.cs, EnvFileKeyValuePairs, on Linux): lines end at `\n` only; `NAME=VALUE`
 * unless a `<<` comes before the first `=`, then `NAME<<DELIMITER` up to a line that is exactly
 * the delimiter. A malformed file stops at the first bad line, with the runner's message: the
 * pairs before it count.
 */
export function readEnvFile(text: string): { pairs: [string, string][]; error?: string } {
  const pairs: [string, string][] = []
  let index = 0
  const readLine = (): { line?: string; newline?: string } => {
    if (index >= text.length) return {}
    const start = index
    const lf = text.indexOf('\n', index)
    if (lf < 0) {
      index = text.length
      return { line: text.slice(start) }
    }
    index = lf + 1
    return { line: text.slice(start, lf), newline: '\n' }
  }
  for (let line = readLine().line; line !== undefined; line = readLine().line) {
    if (line === '') continue
    const equalsIndex = line.indexOf('=')
    const heredocIndex = line.indexOf('<<')
    if (equalsIndex >= 0 && (heredocIndex < 0 || equalsIndex < heredocIndex)) {
      pairs.push([line.slice(0, equalsIndex), line.slice(equalsIndex + 1)])
    } else if (heredocIndex >= 0 && (equalsIndex < 0 || heredocIndex < equalsIndex)) {
      const [key, delimiter] = [line.slice(0, heredocIndex), line.slice(heredocIndex + 2)]
      if (!key || !delimiter) {
        return { pairs, error: `Invalid format '${line}'. Name must not be empty and delimiter must not be empty` }
      }
      const startIndex = index
      let endIndex = index
      for (let next = readLine(); next.line !== delimiter; next = readLine()) {
        if (next.line === undefined)
          return { pairs, error: `Invalid value. Matching delimiter not found '${delimiter}'` }
        if (next.newline === undefined) return { pairs, error: 'Invalid value. EOF marker missing new line.' }
        endIndex = index - next.newline.length
      }
      pairs.push([key, endIndex > startIndex ? text.slice(startIndex, endIndex) : ''])
    } else {
      return { pairs, error: `Invalid format '${line}'` }
    }
  }
  return { pairs }
}

/** Reads `name<<delimiter` blocks and `name=value` lines of GITHUB_OUTPUT / GITHUB_ENV, as the runner does. */
export function parseFileCommands(text: string): Record<string, string> {
  return Object.fromEntries(readEnvFile(text).pairs)
}

// ---------------------------------------------------------------------------------------------
// Processes

/** A line of output, in the order the runner would have read it. */
export interface OutputLine {
  stream: Stream
  text: string
}

/** Splits one stream into lines as they complete, as StreamReader.ReadLine would hand them over. */
class LineReader {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''
  private started = false
  private skipLf = false
  text = ''
  constructor(
    private readonly stream: Stream,
    private readonly lines: OutputLine[]
  ) {}
  write(chunk: Buffer): void {
    this.take(this.decoder.write(chunk))
  }
  end(): void {
    this.take(this.decoder.end())
    if (this.pending !== '') this.lines.push({ stream: this.stream, text: this.pending })
    this.pending = ''
  }
  private take(decoded: string): void {
    this.text += decoded
    if (!this.started && decoded !== '') {
      this.started = true
      decoded = decoded.replace(/^\ufeff/, '')
    }
    if (this.skipLf && decoded !== '') {
      this.skipLf = false
      if (decoded.startsWith('\n')) decoded = decoded.slice(1)
    }
    this.pending += decoded
    const ends = /\r\n|\r|\n/g
    let from = 0
    for (let m = ends.exec(this.pending); m; m = ends.exec(this.pending)) {
      // A `\r` at the very end may be the first half of a `\r\n` still to come.
      if (m[0] === '\r' && m.index === this.pending.length - 1) this.skipLf = true
      this.lines.push({ stream: this.stream, text: this.pending.slice(from, m.index) })
      from = m.index + m[0].length
    }
    this.pending = this.pending.slice(from)
  }
}

export interface ProcessResult {
  exitCode: number | null
  stdout: string
  stderr: string
  durationMs: number
  /** Lines of both streams, in the order they arrived. */
  lines: OutputLine[]
}

/** Runs a program as a child process, collecting its exit code and output. */
export async function runProcess(
  file: string,
  args: string[],
  env: Record<string, string>,
  options: { killAfterMs?: number; cwd?: string; input?: Buffer | string } = {}
): Promise<ProcessResult> {
  const started = performance.now()
  const child = spawn(file, args, {
    env,
    cwd: options.cwd,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
  })
  if (options.input !== undefined) child.stdin!.end(options.input)
  const lines: OutputLine[] = []
  const stdout = new LineReader('stdout', lines)
  const stderr = new LineReader('stderr', lines)
  child.stdout!.on('data', (d: Buffer) => stdout.write(d))
  child.stderr!.on('data', (d: Buffer) => stderr.write(d))
  const killer = options.killAfterMs ? setTimeout(() => child.kill('SIGKILL'), options.killAfterMs) : undefined
  const exitCode = await new Promise<number | null>((done, fail) => {
    child.on('error', fail)
    child.on('close', done)
  }).finally(() => clearTimeout(killer))
  stdout.end()
  stderr.end()
  return { exitCode, stdout: stdout.text, stderr: stderr.text, durationMs: performance.now() - started, lines }
}

/** Runs a script on ACTION_NODE as a child process, collecting its exit code and output. */
export async function runNode(
  args: string[],
  env: Record<string, string>,
  killAfterMs?: number,
  input?: Buffer | string
): Promise<ProcessResult> {
  return runProcess(ACTION_NODE, args, env, { killAfterMs, input })
}

// ---------------------------------------------------------------------------------------------
// One step's output, as the runner's OutputManager and ActionCommandManager process it

const LABELS: Record<string, string> = {
  error: 'Error: ',
  warning: 'Warning: ',
  notice: 'Notice: ',
  debug: '##[debug]'
}

/** What a job keeps from step to step. */
interface JobState {
  /** The masker is the worker's (runner:src/Runner.Common/HostContext.cs): job-wide. */
  masks: string[]
  /** Global.EnvironmentVariables: the job's env, then GITHUB_ENV (and allowed set-env) of earlier steps. */
  env: Record<string, string>
  /** Global.PrependPath: GITHUB_PATH (and allowed add-path) of earlier steps, oldest first. */
  prependPath: string[]
}

/** bool.TryParse, as SetEnvCommandExtension reads ACTIONS_ALLOW_UNSECURE_COMMANDS. */
const dotnetBool = (value: string | undefined) => trim(value ?? '').toLowerCase() === 'true'
/** StringUtil.ConvertToBoolean, as ValidateStopToken reads ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS. */
const convertToBoolean = (value: string | undefined) => ['1', 'true', '$true'].includes((value ?? '').toLowerCase())

class CommandFailure extends Error {}

/**
 * The runner's handling of one step's output. An ActionCommandManager is created per step
 * (runner:src/Runner.Worker/Handlers/Handler.cs, CreateService), so stop-commands and the registered
 * names last for the step; echo starts from ACTIONS_STEP_DEBUG each step (ExecutionContext.CreateChild).
 */
class StepOutput {
  private readonly registered = new Registered(REGISTERED_COMMANDS)
  private stopToken: string | undefined
  private stopped = false
  private echo: boolean
  /** Set when TryProcessCommand throws (an invalid stop token): the runner reads no further output. */
  private halted = false
  readonly commands: RecordedCommand[] = []
  readonly errors: string[] = []
  readonly warnings: string[] = []
  readonly runnerIssues: RunnerIssue[] = []
  readonly outputs: Record<string, string> = {}
  readonly state: Record<string, string> = {}
  readonly log: string[] = []
  readonly transcript: string[] = []
  failed = false
  failedByCommand: string | undefined

  constructor(
    private readonly job: JobState,
    /** The step's environment (the runner's env context for it). */
    private readonly env: Record<string, string>,
    private readonly debugOn: boolean
  ) {
    this.echo = debugOn
  }

  /** runner:src/Runner.Worker/Handlers/OutputManager.cs, OnDataReceived. */
  line(stream: Stream, line: string): void {
    if (this.halted) return
    if (line !== '' && (line.includes('##[') || line.includes('::'))) {
      const command = parseCommand(line, this.registered)
      if (command && this.process(stream, line, command)) return
      if (this.halted) return
    }
    // Runner-controlled markers are defused in user output.
    if (line.includes('##[start-action') || line.includes('##[end-action')) {
      line = line.replaceAll('##[start-action', '##[\\start-action').replaceAll('##[end-action', '##[\\end-action')
    }
    this.write(line)
  }

  /** ExecutionContext.Write: every line is masked with the masks registered so far. */
  write(text: string): void {
    const shown = maskLine(text, this.job.masks)
    this.log.push(shown)
    this.transcript.push(shown)
  }

  /** ExecutionContext.Debug: one `##[debug]` line per line of the message, shown only with debug logging. */
  debug(message: string): void {
    for (const line of message.replace(/\r\n/g, '\n').split('\n')) {
      const shown = maskLine(`${LABELS.debug}${line}`, this.job.masks)
      this.transcript.push(shown)
      if (this.debugOn) this.log.push(shown)
    }
  }

  /** ExecutionContext.AddIssue: the message masked and cut at 4096 characters; an empty one is not logged. */
  issue(type: 'error' | 'warning' | 'notice', message: string, byRunner = true): void {
    if (byRunner && type !== 'notice') this.runnerIssues.push({ type, message })
    const shown = maskLine(message, this.job.masks).slice(0, 4096)
    if (shown !== '') {
      const line = maskLine(`${LABELS[type]}${shown}`, this.job.masks)
      this.log.push(line)
      this.transcript.push(line)
    }
  }

  fail(command: string): void {
    this.failed = true
    this.failedByCommand ??= command
  }

  /** ActionCommandManager.TryProcessCommand: whether the line was consumed as a command. */
  private process(stream: Stream, input: string, command: ParsedCommand): boolean {
    if (this.stopped) {
      if (this.stopToken && sameIgnoreCase(command.name, this.stopToken)) {
        this.commands.push({ ...command, stream })
        this.write(input)
        this.debug('Resume processing commands')
        this.registered.delete(this.stopToken)
        this.stopped = false
        this.stopToken = undefined
        return true
      }
      this.debug(`Process commands has been stopped and waiting for '##[${this.stopToken}]' to resume.`)
      return false
    }
    this.commands.push({ ...command, stream })
    if (command.name === 'stop-commands') {
      // ValidateStopToken throws out of TryProcessCommand: the step fails, nothing more is read.
      const token = command.data
      const invalid = this.registered.has(token) || token === '' || sameIgnoreCase(token, 'pause-logging')
      const allowed =
        convertToBoolean(process.env.ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS) ||
        convertToBoolean(this.env.ACTIONS_ALLOW_UNSECURE_STOPCOMMAND_TOKENS)
      if (invalid && !allowed) {
        this.issue('error', UNSUPPORTED_STOP_TOKEN)
        this.fail('stop-commands')
        this.halted = true
        return false
      }
      this.stopToken = token
      this.stopped = true
      this.registered.add(token)
      if (token.length > 6) this.job.masks.push(token)
      this.write(input)
      this.debug('Paused processing commands until the token you called ::stopCommands:: with is received')
      return true
    }
    if (this.echo && !OMIT_ECHO.has(command.name)) this.write(input)
    try {
      this.extension(command)
    } catch (error) {
      if (!(error instanceof CommandFailure)) throw error
      this.issue(
        'error',
        `Unable to process command '${OMIT_ECHO.has(command.name) ? command.name : input}' successfully.`
      )
      this.issue('error', error.message)
      this.fail(command.name)
    }
    return true
  }

  /** The IActionCommandExtension of each registered command (runner:src/Runner.Worker/ActionCommandManager.cs). */
  private extension({ name, properties, data }: ParsedCommand): void {
    const property = (key: string) => Object.entries(properties).find(([k]) => sameIgnoreCase(k, key))?.[1]
    const unsecureAllowed = () =>
      dotnetBool(process.env.ACTIONS_ALLOW_UNSECURE_COMMANDS) || dotnetBool(this.env.ACTIONS_ALLOW_UNSECURE_COMMANDS)
    switch (name) {
      case 'add-mask':
        if (isNullOrWhiteSpace(data)) {
          this.issue('warning', "Can't add secret mask for empty string in ##[add-mask] command.")
        } else {
          if (this.echo) this.write('::add-mask::***')
          this.job.masks.push(data)
        }
        return
      case 'debug':
        this.debug(data)
        return
      case 'error':
      case 'warning':
      case 'notice':
        if (name === 'error') this.errors.push(data)
        if (name === 'warning') this.warnings.push(data)
        this.issue(name, data, false)
        return
      case 'group':
        this.write(`##[group]${data}`)
        return
      case 'endgroup':
        this.write('##[endgroup]')
        return
      case 'set-output':
      case 'save-state': {
        this.issue('warning', UNSUPPORTED_COMMAND_DEPRECATED(name))
        const key = property('name')
        if (!key) throw new CommandFailure(`Required field 'name' is missing in ##[${name}] command.`)
        if (name === 'set-output') {
          this.outputs[key] = data
          this.debug(`steps.<id>.outputs.${key}='${data}'`)
        } else {
          this.state[key] = data
          this.debug(`Save intra-action state ${key} = ${data}`)
        }
        return
      }
      case 'set-env': {
        if (!unsecureAllowed()) throw new CommandFailure(UNSUPPORTED_COMMAND_DISABLED(name))
        const key = property('name')
        if (!key) throw new CommandFailure("Required field 'name' is missing in ##[set-env] command.")
        if (sameIgnoreCase(key, 'NODE_OPTIONS')) {
          this.issue('error', "Can't update NODE_OPTIONS environment variable using ::set-env:: command.")
          return
        }
        this.job.env[key] = data
        this.debug(`${key}='${data}'`)
        return
      }
      case 'add-path':
        if (!unsecureAllowed()) throw new CommandFailure(UNSUPPORTED_COMMAND_DISABLED(name))
        if (data === '') throw new CommandFailure("Value cannot be null. (Parameter 'path')")
        prependPath(this.job.prependPath, data)
        return
      case 'echo':
        if (data === '') throw new CommandFailure("Value cannot be null. (Parameter 'value')")
        if (trim(data).toUpperCase() === 'ON') this.echo = true
        else if (trim(data).toUpperCase() === 'OFF') this.echo = false
        else {
          throw new CommandFailure(
            `Invalid echo command value. Possible values can be: 'on', 'off'. Current value is: '${data}'.`
          )
        }
        this.debug(`Setting echo command value to '${this.echo ? 'on' : 'off'}'`)
        return
      case 'add-matcher':
        if (data === '') this.issue('warning', 'File path must be specified.')
        else this.loadMatchers(data)
        return
      case 'remove-matcher': {
        const owner = property('owner')
        if (owner && data) {
          this.issue(
            'warning',
            'Either specify an owner name or a file path in ##[remove-matcher] command. Both values cannot be set.'
          )
        } else if (!owner && !data) {
          this.issue('warning', 'Either an owner name or a file path must be specified in ##[remove-matcher] command.')
        } else if (data) this.loadMatchers(data)
        return
      }
      default:
        this.issue('warning', `Can't find command extension for ##[${name}.command].`)
    }
  }

  /** IOUtil.LoadObject of a matcher file, rooted at the workspace: what cannot be read fails the step. */
  private loadMatchers(file: string): void {
    const path = isAbsolute(file) ? file : join(this.env.GITHUB_WORKSPACE ?? process.cwd(), file)
    try {
      JSON.parse(readFileSync(path, 'utf8'))
    } catch (error) {
      throw new CommandFailure(
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? `Could not find file '${path}'.` : String(error)
      )
    }
  }
}

/** Global.PrependPath.RemoveAll(same) then Add: a directory added again moves to the end (the front of PATH). */
function prependPath(list: string[], directory: string): void {
  for (let i = list.indexOf(directory); i >= 0; i = list.indexOf(directory)) list.splice(i, 1)
  list.push(directory)
}

/**
 * Handler.AddPrependPathToEnvironment with PathUtil.PrependPath: the added directories, newest
 * first, before the step's PATH, unless the PATH already starts with them.
 */
function withPrependedPath(env: Record<string, string>, list: string[]): void {
  if (list.length === 0) return
  const prepend = [...list].reverse().join(':')
  const current = env.PATH ?? ''
  env.PATH = current === '' ? prepend : current.startsWith(`${prepend}:`) ? current : `${prepend}:${current}`
}

/** Any test may point a file elsewhere (e.g. an unwritable summary): what is not there reads as ''. */
const readText = (path: string | undefined) =>
  path && existsSync(path) ? readFileSync(path, 'utf8').replace(/^\ufeff/, '') : ''

// ---------------------------------------------------------------------------------------------
// Jobs

export interface JobOptions {
  /** The job's `env:`. */
  env?: Record<string, string>
}

/** A job as the runner keeps it: one RUNNER_TEMP, one masker, GITHUB_ENV and GITHUB_PATH for later steps. */
export interface Job {
  /** RUNNER_TEMP for every step of the job. */
  readonly temp: string
  /** The job-wide masker's values. */
  readonly masks: string[]
  /** The environment later steps start from: the job's env, then GITHUB_ENV of earlier steps. */
  readonly env: Record<string, string>
  /** GITHUB_PATH of earlier steps, in the order the runner keeps them (the last added is first in PATH). */
  readonly prependPath: string[]
  /** Runs the built action as the next step. */
  runAction(options: RunOptions): Promise<RunResult>
  /**
   * Runs a `run:`-style step: a script as the runner runs `run:` without `shell:` on Linux
   * (`bash -e {file}`, the file in RUNNER_TEMP: runner:src/Runner.Worker/Handlers/ScriptHandler.cs),
   * or a program and its arguments.
   */
  runStep(command: string[] | { script: string }, options?: StepOptions): Promise<RunResult>
  /** Removes RUNNER_TEMP. */
  close(): void
}

const FILE_COMMANDS = {
  GITHUB_PATH: 'add_path_',
  GITHUB_ENV: 'set_env_',
  GITHUB_STEP_SUMMARY: 'step_summary_',
  GITHUB_STATE: 'save_state_',
  GITHUB_OUTPUT: 'set_output_'
} as const

export function startJob(options: JobOptions = {}): Job {
  const temp = mkdtempSync(join(tmpdir(), 'runner-'))
  const state: JobState = { masks: [GITHUB_TOKEN], env: { ...options.env }, prependPath: [] }

  async function step(
    start: (env: Record<string, string>) => Promise<ProcessResult>,
    stepEnv: (env: Record<string, string>) => void
  ): Promise<RunResult> {
    // runner:src/Runner.Worker/FileCommandManager.cs, InitializeFiles: fresh, empty files per step.
    const folder = join(temp, '_runner_file_commands')
    mkdirSync(folder, { recursive: true })
    const suffix = randomUUID()
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? temp,
      GITHUB_ACTIONS: 'true',
      RUNNER_TEMP: temp,
      ...state.env
    }
    for (const [name, prefix] of Object.entries(FILE_COMMANDS)) {
      env[name] = join(folder, `${prefix}${suffix}`)
      writeFileSync(env[name], '')
    }
    stepEnv(env)
    withPrependedPath(env, state.prependPath)
    // runner:src/Runner.Sdk/ProcessInvoker.cs sets CI unless something already did.
    env.CI ??= process.env.CI ?? 'true'

    const output = new StepOutput(state, env, env.RUNNER_DEBUG === '1')
    const run = await start(env)
    for (const line of run.lines) output.line(line.stream, line.text)

    // runner:src/Runner.Worker/ActionRunner.cs: ProcessFiles after the step, in the extensions' order.
    const fileCommand = (contextName: string, error: string | undefined) => {
      if (error === undefined) return
      output.issue('error', `Unable to process file command '${contextName}' successfully.`)
      output.issue('error', error)
      output.failed = true
    }
    const addedPath = runnerLines(readText(env.GITHUB_PATH)).filter(line => line !== '')
    for (const directory of addedPath) prependPath(state.prependPath, directory)
    const envFile = readEnvFile(readText(env.GITHUB_ENV))
    for (const [name, value] of envFile.pairs) {
      if (sameIgnoreCase(name, 'NODE_OPTIONS')) {
        output.issue('error', "Can't store NODE_OPTIONS output parameter using '$GITHUB_ENV' command.")
      } else state.env[name] = value
    }
    fileCommand('env', envFile.error)
    const rawSummary = readText(env.GITHUB_STEP_SUMMARY)
    const summaryBytes = existsSync(env.GITHUB_STEP_SUMMARY) ? statSync(env.GITHUB_STEP_SUMMARY).size : 0
    let summary = ''
    if (summaryBytes > 1024 * 1024) {
      const kib = Math.floor(summaryBytes / 1024)
      output.issue(
        'error',
        `$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got ${kib}k. For more information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary`
      )
    } else {
      // CreateStepSummaryCommand: masked line by line (ReadLine), each written with WriteLine.
      summary = runnerLines(rawSummary)
        .map(line => `${maskLine(line, state.masks)}\n`)
        .join('')
    }
    const stateFile = readEnvFile(readText(env.GITHUB_STATE))
    Object.assign(output.state, Object.fromEntries(stateFile.pairs))
    fileCommand('state', stateFile.error)
    const outputFile = readEnvFile(readText(env.GITHUB_OUTPUT))
    Object.assign(output.outputs, Object.fromEntries(outputFile.pairs))
    fileCommand('output', outputFile.error)

    return {
      exitCode: run.exitCode,
      stdout: run.stdout,
      stderr: run.stderr,
      masks: [...state.masks],
      errors: output.errors,
      warnings: output.warnings,
      commands: output.commands,
      runnerIssues: output.runnerIssues,
      stepFailed: run.exitCode !== 0 || output.failed,
      failedByCommand: output.failedByCommand,
      outputs: output.outputs,
      exportedEnv: Object.fromEntries(envFile.pairs),
      addedPath,
      state: output.state,
      summary,
      rawSummary,
      log: output.log.join('\n'),
      transcript: output.transcript.join('\n'),
      durationMs: run.durationMs
    }
  }

  return {
    temp,
    masks: state.masks,
    env: state.env,
    prependPath: state.prependPath,

    runAction(options) {
      const yml = readActionYml()
      for (const name of Object.keys(options.inputs)) {
        if (!(name in yml.inputs)) throw new Error(`action.yml has no input '${name}'`)
      }
      return step(
        env => runNode([...(options.nodeArgs ?? []), join(ROOT, yml.runs.main)], env, options.killAfterMs),
        env => {
          for (const [name, spec] of Object.entries(yml.inputs)) {
            // The one expression a default of ours uses; the runner evaluates it before the step starts.
            const value = options.inputs[name] ?? spec.default?.replace('${{ github.token }}', GITHUB_TOKEN)
            if (value !== undefined) env[`INPUT_${name.toUpperCase()}`] = value
            if (value && options.secretInputs?.includes(name)) state.masks.push(value)
          }
          Object.assign(env, options.env)
        }
      )
    },

    runStep(command, options = {}) {
      return step(
        env => {
          if (Array.isArray(command)) {
            return runProcess(command[0], command.slice(1), env, { killAfterMs: options.killAfterMs, cwd: options.cwd })
          }
          const file = join(temp, `${randomUUID()}.sh`)
          writeFileSync(file, command.script)
          return runProcess('bash', ['-e', file], env, { killAfterMs: options.killAfterMs, cwd: options.cwd })
        },
        env => Object.assign(env, options.env)
      )
    },

    close() {
      rmSync(temp, { recursive: true, force: true })
    }
  }
}

/** Runs the built action as the one step of a job of its own. */
export async function runAction(options: RunOptions): Promise<RunResult> {
  const job = startJob()
  try {
    return await job.runAction(options)
  } finally {
    job.close()
  }
}
