/**
 * Runs the built action the way the GitHub Actions runner does: inputs (with action.yml defaults)
 * as INPUT_* variables, GITHUB_OUTPUT / GITHUB_ENV / GITHUB_STEP_SUMMARY files, and workflow
 * commands read from stdout, masks applied to the log as the runner applies them.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
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
  /** Extra environment, e.g. RUNNER_DEBUG, HTTPS_PROXY. */
  env?: Record<string, string>
  /** Kill the action after this long (a runner has its own step timeout). */
  killAfterMs?: number
  /** Options for node itself, before the script (the benchmark's memory probe). */
  nodeArgs?: string[]
}

export interface RunResult {
  exitCode: number | null
  stdout: string
  stderr: string
  /** Values registered with ::add-mask::, in order. */
  masks: string[]
  /** ::error:: messages. */
  errors: string[]
  /** Every workflow command the runner saw, in order: what tests of injected commands read. */
  commands: { name: string; data: string }[]
  outputs: Record<string, string>
  exportedEnv: Record<string, string>
  /** The job summary as GitHub shows it: secrets masked. */
  summary: string
  /** The job summary as the action wrote it, before the runner's masking: what leak checks read. */
  rawSummary: string
  /** stdout as the runner would show it: commands consumed, secrets replaced by ***. */
  log: string
  /** Like log, but with debug lines whether or not debug logging is on: what leak checks read. */
  transcript: string
  durationMs: number
}

const LABELS: Record<string, string> = {
  error: 'Error: ',
  warning: 'Warning: ',
  notice: 'Notice: ',
  debug: '##[debug]'
}

/** The runner's decoding of a command's data (the reverse of @actions/core's escaping). */
function unescapeData(value: string): string {
  return value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** Reads `name<<delimiter` blocks (and plain `name=value` lines) of GITHUB_OUTPUT / GITHUB_ENV. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i])
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1)
      result[heredoc[1]] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (lines[i].includes('=')) {
      const at = lines[i].indexOf('=')
      result[lines[i].slice(0, at)] = lines[i].slice(at + 1)
    }
  }
  return result
}

/**
 * How the runner reads an action's stdout: as .NET's ReadLine does, `\n`, `\r\n` and a bare `\r`
 * each end a line, and any line may be a workflow command.
 */
export function runnerLines(stdout: string): string[] {
  return stdout.split(/\r\n|\r|\n/)
}

/** Masks each registered secret and each of its lines, as the runner does. */
export function maskLine(line: string, masks: string[]): string {
  const parts = masks.flatMap(m => [m, ...m.split(/\r?\n/)]).filter(p => p.trim().length > 0)
  parts.sort((a, b) => b.length - a.length)
  return parts.reduce((text, part) => text.split(part).join('***'), line)
}

/** Runs a script on ACTION_NODE as a child process, collecting its exit code and output. */
export async function runNode(
  args: string[],
  env: Record<string, string>,
  killAfterMs?: number
): Promise<{ exitCode: number | null; stdout: string; stderr: string; durationMs: number }> {
  const started = performance.now()
  const child = spawn(ACTION_NODE, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const killer = killAfterMs ? setTimeout(() => child.kill('SIGKILL'), killAfterMs) : undefined
  const exitCode = await new Promise<number | null>(done => child.on('close', done))
  clearTimeout(killer)
  return { exitCode, stdout, stderr, durationMs: performance.now() - started }
}

export async function runAction(options: RunOptions): Promise<RunResult> {
  const yml = readActionYml()
  const dir = mkdtempSync(join(tmpdir(), 'runner-'))
  const files = { GITHUB_OUTPUT: 'output', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary' }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: dir
  }
  for (const [name, file] of Object.entries(files)) {
    env[name] = join(dir, file)
    writeFileSync(env[name], '')
  }
  const masks: string[] = [GITHUB_TOKEN]
  for (const [name, spec] of Object.entries(yml.inputs)) {
    // The one expression a default of ours uses; the runner evaluates it before the step starts.
    const value = options.inputs[name] ?? spec.default?.replace('${{ github.token }}', GITHUB_TOKEN)
    if (value !== undefined) env[`INPUT_${name.toUpperCase()}`] = value
    if (value && options.secretInputs?.includes(name)) masks.push(value)
  }
  for (const name of Object.keys(options.inputs)) {
    if (!(name in yml.inputs)) throw new Error(`action.yml has no input '${name}'`)
  }
  Object.assign(env, options.env)

  const { exitCode, stdout, stderr, durationMs } = await runNode(
    [...(options.nodeArgs ?? []), join(ROOT, yml.runs.main)],
    env,
    options.killAfterMs
  )

  const errors: string[] = []
  const commands: { name: string; data: string }[] = []
  const log: string[] = []
  const transcript: string[] = []
  const debug = env.RUNNER_DEBUG === '1'
  for (const line of runnerLines(stdout)) {
    const [, name, rawData] = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line) ?? []
    const data = unescapeData(rawData ?? '')
    if (name) commands.push({ name, data })
    if (name === 'add-mask') {
      masks.push(data)
      continue
    }
    if (name === 'error') errors.push(data)
    const shown = maskLine(name ? `${LABELS[name] ?? `##[${name}]`}${data}` : line, masks)
    transcript.push(shown)
    if (name !== 'debug' || debug) log.push(shown)
  }
  // A test may point a file elsewhere (e.g. an unwritable summary): what is not there reads as ''.
  const read = (name: string): string => (existsSync(env[name]) ? readFileSync(env[name], 'utf8') : '')
  const result: RunResult = {
    exitCode,
    stdout,
    stderr,
    masks,
    errors,
    commands,
    outputs: parseFileCommands(read('GITHUB_OUTPUT')),
    exportedEnv: parseFileCommands(read('GITHUB_ENV')),
    summary: maskLine(read('GITHUB_STEP_SUMMARY'), masks),
    rawSummary: read('GITHUB_STEP_SUMMARY'),
    log: log.join('\n'),
    transcript: transcript.join('\n'),
    durationMs
  }
  rmSync(dir, { recursive: true, force: true })
  return result
}
