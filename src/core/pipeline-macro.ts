import { InputError } from './errors.js'
import type { Setting } from './settings.js'

/**
 * A setting that is only a macro, `$(NAME)` (a task's input, or a script step's env: mapping): Azure
 * Pipelines passes a macro on as written when the run
 * has no variable NAME (not defined, a variable group not linked, a secret withheld from a pull
 * request from a fork, a step's output variable when that step did not run). Said as such, not as a
 * value that is not a GUID or not a key. Microsoft's docs: "Understand variable syntax", macro syntax.
 */
const MACRO = /^\$\(([A-Za-z_][\w.-]*)\)$/

export function undefinedVariable(setting: Setting, value: string): InputError | undefined {
  const name = MACRO.exec(value.trim())?.[1]
  if (!name) return undefined
  const [step, output] = name.split('.')
  const fix = output
    ? `Run the step named ${step} that sets ${output} (a DownloadSecureFile@1 step sets secureFilePath) earlier in this job, or define ${name} for this run.`
    : `Define ${name} for this run: in the pipeline's variables (a secret one in its settings), or in a variable group the pipeline links and may use. A pull request from a fork gets no secret variables unless the pipeline allows it.`
  return new InputError(
    setting,
    `is '${value.trim()}': this run has no variable ${name}, so Azure Pipelines passed the macro on as written.`,
    fix
  )
}
