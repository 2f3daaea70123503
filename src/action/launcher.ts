import { dirname, join } from 'node:path'
import * as core from '@actions/core'
import { isBundledCli } from './bundled-cli.js'
import { writeLauncher } from '../cli/launcher.js'

/**
 * Puts the `docusign-jwt` command on PATH for the job's later steps: a launcher in a folder under
 * RUNNER_TEMP, added with the GITHUB_PATH file command (`::add-path::` is disabled on the runner). It
 * runs the bundled CLI beside this entry on the Node that runs this step (the runner's node24). Returns the folder, or undefined off a runner or when the file beside
 * the entry is not the bundled CLI (another entry runs this code, as @github/local-action does).
 */
export function installLauncher(debug: (message: string) => void, warn: (message: string) => void): string | undefined {
  const temp = process.env.RUNNER_TEMP
  const entry = process.argv[1]
  // Without the GITHUB_PATH file, core.addPath falls back to ::add-path::, which fails the step.
  if (!temp || !entry || !process.env.GITHUB_PATH) return undefined
  const cli = join(dirname(entry), 'cli.js')
  if (!isBundledCli(cli)) {
    warn(
      `The docusign-jwt command is not put on PATH: ${cli} is not the bundled CLI (this step does not run the action's dist/index.js). Later steps can run node dist/cli.js from a checkout of the action.`
    )
    return undefined
  }
  const dir = join(temp, 'docusign-jwt-bin')
  try {
    writeLauncher(dir, process.execPath, cli)
  } catch (error) {
    debug(`Could not put the docusign-jwt command on PATH: ${(error as Error).message}`)
    return undefined
  }
  core.addPath(dir)
  return dir
}
