import { dirname, join } from 'node:path'
import * as core from '@actions/core'
import { writeLauncher } from '../cli/launcher.js'

/**
 * Puts the `docusign-jwt` command on PATH for the job's later steps: a launcher in a folder under
 * RUNNER_TEMP, added with the GITHUB_PATH file command (`::add-path::` is disabled on the runner), for
 * the bundled CLI beside this entry. Returns the folder, or undefined off a runner.
 */
export function installLauncher(debug: (message: string) => void): string | undefined {
  const temp = process.env.RUNNER_TEMP
  const entry = process.argv[1]
  // Without the GITHUB_PATH file, core.addPath falls back to ::add-path::, which fails the step.
  if (!temp || !entry || !process.env.GITHUB_PATH) return undefined
  const dir = join(temp, 'docusign-jwt-bin')
  try {
    writeLauncher(dir, process.execPath, join(dirname(entry), 'cli.js'))
  } catch (error) {
    debug(`Could not put the docusign-jwt command on PATH: ${(error as Error).message}`)
    return undefined
  }
  core.addPath(dir)
  return dir
}
