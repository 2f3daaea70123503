/**
 * Runs the built Azure Pipelines task the way the agent does, and reads its output as the agent reads
 * it. Every rule is taken from microsoft/azure-pipelines-agent at commit
 * 42bde98bea7bb3b9e186d693e3b1554249e93a38 (cited as `agent:<path>`):
 * - inputs: each task.json input, its defaultValue when not given, as INPUT_<NAME> upper-cased with
 *   `.` and ` ` as `_` (agent:src/Agent.Worker/Handlers/Handler.cs, AddInputsToEnvironment;
 *   agent:src/Microsoft.VisualStudio.Services.Agent/Util/VarUtil.cs, ConvertToEnvVariableFormat);
 *   the step's name as SYSTEM_TASKINSTANCENAME (agent:src/Agent.Worker/TaskRunner.cs);
 * - lines: both stdout and stderr (agent:src/Agent.Worker/Handlers/NodeHandler.cs, OutputDataReceived
 *   and ErrorDataReceived both go to OnDataReceived), split as StreamReader.ReadLine splits them
 *   (agent:src/Agent.Sdk/ProcessInvoker.cs, StartReadStream);
 * - commands: `##vso[` found anywhere in a line, the command info up to the first `]` after it,
 *   `area.event` then properties split at `;` and each at its first `=`, names compared without case,
 *   values and data unescaped (agent:src/Microsoft.VisualStudio.Services.Agent/Command.cs, TryParse;
 *   agent:src/Agent.Sdk/CommandStringConvertor.cs, Unescape, with the DecodePercents knob at its
 *   default, true: agent:src/Agent.Sdk/Knob/AgentKnobs.cs); `task.issue` is `task.logissue`'s alias
 *   (agent:src/Agent.Worker/TaskCommandExtension.cs, TaskIssueCommand);
 * - setvariable: issecret registers the value with the masker; isoutput sets only `STEP.NAME`, read-only
 *   (agent:src/Agent.Worker/ExecutionContext.cs, SetVariable); a set is refused when the variable as
 *   named in the command (`variable=`, not `STEP.NAME`, isoutput or not) is read-only already
 *   (TaskSetVariableCommand, Variables.IsReadOnly), with the agent.readOnlyVariables switch on: the
 *   command fails, and a failed command fails the step (agent:src/Agent.Worker/WorkerCommandManager.cs).
 * - exit code: the Node handler requires 0 ("Task failure should be communicated over STDOUT using ##
 *   commands"): any other fails the step with one more error issue, "Exit code N returned from process:
 *   file name '…', arguments '…'." (agent:src/Agent.Worker/Handlers/NodeHandler.cs, requireExitCodeZero;
 *   agent:src/Agent.Sdk/ProcessInvoker.cs, ProcessExitCodeException; StepsRunner.cs, RunStepAsync).
 * Differences, deliberate: no timeline, no attachments service (an uploadsummary's file is read here);
 * the masker replaces each secret's value only (the agent also masks encoded forms: stricter here).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ACTION_NODE, bracketCommand, ROOT, runProcess, splitPair, type Stream } from './runner.js'

export const TASK_DIR = join(ROOT, 'azure-pipelines', 'DocuSignJwtV1')

export interface VsoCommand {
  /** `area.event`, lower case; `task.issue` read as `task.logissue`. */
  name: string
  properties: Record<string, string>
  data: string
  stream: Stream
  /** The whole line the command was found in. */
  line: string
}

export interface AgentVariable {
  value: string
  secret: boolean
  readOnly: boolean
}

export interface TaskRun {
  exitCode: number | null
  stdout: string
  stderr: string
  lines: { stream: Stream; text: string }[]
  commands: VsoCommand[]
  /** The job's variables after the step, by name (output variables as STEP.NAME). */
  variables: Record<string, AgentVariable>
  /** task.logissue type=error messages, in order, then the agent's own: each command it refused, a non-zero exit. */
  errors: string[]
  /** Whether the agent records the step as failed: task.complete result=Failed, or a non-zero exit. */
  failed: boolean
  /** The Markdown of each uploadsummary file. */
  summaries: string[]
  prependPath: string[]
  /** The log as the agent shows it: commands consumed, every secret replaced by ***. */
  log: string
}

/** agent:src/Agent.Sdk/CommandStringConvertor.cs, Unescape (DecodePercents on). */
export function unescapeVso(escaped: string): string {
  const mapped = [
    [';', '%3B'],
    ['\r', '%0D'],
    ['\n', '%0A'],
    [']', '%5D']
  ].reduce((text, [token, replacement]) => text.split(replacement).join(token), escaped)
  return mapped.split('%AZP25').join('%')
}

/** agent:src/Microsoft.VisualStudio.Services.Agent/Command.cs, TryParse: the command in a line, or undefined. */
export function parseVso(line: string): Omit<VsoCommand, 'stream' | 'line'> | undefined {
  const found = bracketCommand(line, '##vso[')
  if (!found) return undefined
  const { cmdInfo: info, rest } = found
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  const areaEvent = name.split('.').filter(Boolean)
  if (areaEvent.length !== 2) return undefined
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const prop of info
      .slice(space + 1)
      .split(';')
      .filter(Boolean)) {
      const pair = splitPair(prop, '=')
      if (pair.length === 2) properties[pair[0].toLowerCase()] = unescapeVso(pair[1])
    }
  }
  const lowered = areaEvent.join('.').toLowerCase()
  return {
    name: lowered === 'task.issue' ? 'task.logissue' : lowered,
    properties,
    data: unescapeVso(rest)
  }
}

export interface TaskRunOptions {
  /** Inputs by task.json name; the others take their defaultValue. */
  inputs: Record<string, string>
  /** The step's `name:` (system.taskInstanceName). */
  stepName?: string
  /** More of the job's environment (agent variables, proxy). */
  env?: Record<string, string>
  /** The Node that runs the entry: the pinned Node 24 by default, as the Node24 handler. */
  node?: string
  tempDir: string
}

interface TaskJson {
  minimumAgentVersion: string
  inputs: { name: string; defaultValue?: string | boolean }[]
  execution: Record<string, { target: string }>
}

export const readTaskJson = (): TaskJson => JSON.parse(readFileSync(join(TASK_DIR, 'task.json'), 'utf8')) as TaskJson

const mask = (text: string, secrets: string[]): string =>
  secrets.reduce((out, secret) => (secret ? out.split(secret).join('***') : out), text)

/** What the agent makes of a step's output lines: its commands, variables, errors, and the log it shows. */
export type AgentReading = Omit<TaskRun, 'exitCode' | 'stdout' | 'stderr' | 'lines' | 'failed'> & {
  /** A command failed or asked to fail the step (task.complete result=Failed). */
  failed: boolean
}

/** Reads a step's output lines as the agent does; `variables` is the job's variables before the step. */
export function readAgentLines(
  lines: { stream: Stream; text: string }[],
  stepName: string | undefined,
  variables: Record<string, AgentVariable> = {}
): AgentReading {
  const secrets: string[] = []
  const commands: VsoCommand[] = []
  const log: string[] = []
  const refused: string[] = []
  let failed = false
  for (const { stream, text } of lines) {
    const parsed = parseVso(text)
    if (!parsed) {
      log.push(mask(text, secrets))
      continue
    }
    commands.push({ ...parsed, stream, line: text })
    const { name, properties: p, data } = parsed
    if (name === 'task.setvariable') {
      if (p.issecret === 'true' && data) secrets.push(data)
      if (variables[p.variable]?.readOnly) {
        refused.push(
          `Unable to process command '${mask(text, secrets)}' successfully. Overwriting readonly variable '${p.variable}' is not permitted.`
        )
        failed = true
        continue
      }
      const key = p.isoutput === 'true' ? `${stepName}.${p.variable}` : p.variable
      variables[key] = {
        value: data,
        secret: p.issecret === 'true',
        readOnly: p.isreadonly === 'true' || p.isoutput === 'true'
      }
    } else if (name === 'task.setsecret') {
      secrets.push(data)
    } else if (name === 'task.complete' && p.result === 'Failed') {
      failed = true
    }
  }
  return {
    commands,
    variables,
    errors: [
      ...commands.filter(c => c.name === 'task.logissue' && c.properties.type === 'error').map(c => c.data),
      ...refused
    ],
    failed,
    summaries: commands.filter(c => c.name === 'task.uploadsummary').map(c => readFileSync(c.data, 'utf8')),
    prependPath: commands.filter(c => c.name === 'task.prependpath').map(c => c.data),
    log: log.join('\n')
  }
}

/** Runs the task's entry (task.json's Node24 target) as the agent would, and reads its output. */
export async function runTask(options: TaskRunOptions): Promise<TaskRun> {
  const task = readTaskJson()
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: options.tempDir,
    AGENT_TEMPDIRECTORY: options.tempDir,
    TF_BUILD: 'True',
    ...(options.stepName ? { SYSTEM_TASKINSTANCENAME: options.stepName } : {}),
    ...options.env
  }
  for (const input of task.inputs) {
    const value = options.inputs[input.name] ?? String(input.defaultValue ?? '')
    env[`INPUT_${input.name.replace(/[. ]/g, '_').toUpperCase()}`] = value
  }
  const entry = join(TASK_DIR, task.execution.Node24.target)
  const run = await runProcess(options.node ?? ACTION_NODE, [entry], env)
  const reading = readAgentLines(run.lines, options.stepName)
  const exitError = `Exit code ${run.exitCode} returned from process: file name '${options.node ?? ACTION_NODE}', arguments '"${entry}"'.`
  return {
    ...reading,
    errors: run.exitCode === 0 ? reading.errors : [...reading.errors, exitError],
    exitCode: run.exitCode,
    stdout: run.stdout,
    stderr: run.stderr,
    lines: run.lines,
    failed: reading.failed || run.exitCode !== 0
  }
}
