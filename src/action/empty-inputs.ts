import { readFileSync } from 'node:fs'
import { ActionError } from '../core/errors.js'
import { whatToSet } from '../core/inputs.js'
import { PASTE_FIX } from '../core/private-key.js'
import type { Setting } from '../core/settings.js'

/** The inputs a workflow fills from secrets and variables, which arrive empty when those never reach the job. */
export const REQUIRED = ['integration-key', 'user-id', 'private-key'] as const

interface PullRequestEvent {
  pull_request?: { head?: { repo?: { fork?: boolean; full_name?: string } | null } }
}

function event(env: NodeJS.ProcessEnv): PullRequestEvent {
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as PullRequestEvent
  } catch {
    return {}
  }
}

const SKIP =
  "To skip the DocuSign steps cleanly where the secret cannot arrive, see 'Skipping when the secrets are absent' in the README."

/** Why secrets and variables did not reach this job, read from the run's context. */
function likelyCause(env: NodeJS.ProcessEnv): string {
  const name = env.GITHUB_EVENT_NAME ?? ''
  const head = event(env).pull_request?.head?.repo
  if (/^pull_request(_review(_comment)?)?$/.test(name) && (head?.fork || head === null)) {
    return `This run was triggered by a pull request from a fork${head?.full_name ? ` (${head.full_name})` : ''}: GitHub passes neither repository secrets nor configuration variables to workflows triggered from forks. ${SKIP}`
  }
  if (env.GITHUB_ACTOR === 'dependabot[bot]') {
    return `This run was triggered by Dependabot, whose runs get Dependabot secrets, a separate store: add the secret there too (gh secret set --app dependabot), or skip the DocuSign steps for Dependabot. ${SKIP}`
  }
  return 'Check that the names in the workflow match the secret and the variables exactly (a misspelt secrets.NAME is silently empty), that a GitHub environment secret or variable is used by a job that names the environment in environment:, and that an organization secret or variable is shared with this repository.'
}

/** The inputs that arrived empty, as one error with the likely cause; undefined when none did. */
export function emptyInputsError(read: (name: Setting) => string, env = process.env): ActionError | undefined {
  const empty = REQUIRED.filter(name => !read(name).trim())
  if (empty.length === 0) return undefined
  const names = empty.map(n => `'${n}'`).join(', ')
  const guidance = empty.map(n => `${n}: ${n === 'private-key' ? PASTE_FIX : whatToSet(n)}`)
  return new ActionError(
    'input',
    `${empty.length > 1 ? 'Inputs' : 'Input'} ${names} ${empty.length > 1 ? 'are' : 'is'} empty: the secret or variable it is set from did not reach this job.`,
    [likelyCause(env), ...guidance].join('\n')
  )
}
