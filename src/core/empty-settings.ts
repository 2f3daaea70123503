import { readFileSync } from 'node:fs'
import { ciSystem, inCi } from './ci-system.js'
import { ActionError, InputError } from './errors.js'
import { whatToSet } from './identifiers.js'
import { PASTE_FIX } from './private-key.js'
import { setting, subjects, type Setting } from './settings.js'

/**
 * The settings a CI job fills from secrets and variables, which arrive empty when those never reach
 * the job. Every door asks here, with the job's environment: why they are empty is read from the run's
 * context (GitHub's event, GitLab's protected-ref flag, Azure's fork flag), not guessed.
 */
export const REQUIRED = ['integration-key', 'user-id', 'private-key'] as const

type Env = Record<string, string | undefined>

interface PullRequestEvent {
  pull_request?: { head?: { repo?: { fork?: boolean; full_name?: string } | null } }
}

function event(env: Env): PullRequestEvent {
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH ?? '', 'utf8')) as PullRequestEvent
  } catch {
    return {}
  }
}

const SKIP =
  "To skip the DocuSign steps cleanly where the secret cannot arrive, see 'Skipping when the secrets are absent' in the README."

/**
 * Azure Pipelines (Microsoft's docs: "Define variables", secret variables and macro syntax; "Add and use
 * variable groups"; "Build GitHub repositories", contributions from forks; System.PullRequest.IsFork).
 */
function azureCause(env: Env): string {
  if ((env.SYSTEM_PULLREQUEST_ISFORK ?? '').toLowerCase() === 'true') {
    return "This run builds a pull request from a fork: Azure Pipelines gives such builds no secret variables unless the pipeline's pull request trigger has 'Make secrets available to builds of forks' on (which lets the fork's code read them). To skip the DocuSign steps there instead, give them condition: and(succeeded(), ne(variables['System.PullRequest.IsFork'], 'True'))."
  }
  return "On Azure Pipelines a secret variable is not in a script step's environment unless the step maps it (env: DOCUSIGN_PRIVATE_KEY: $(DOCUSIGN_PRIVATE_KEY)); a task gets it through its inputs ($(NAME)). A variable group's variables arrive only when the pipeline links the group (variables: - group: NAME) and the group allows this pipeline (Library > the group > Pipeline permissions). Check that each name matches exactly: for a variable this run does not have, $[variables.NAME] is empty ($(NAME) is passed on as written)."
}

/** Why secrets and variables did not reach this job, read from the run's context. */
function likelyCause(env: Env): string {
  const system = ciSystem(env)
  if (system === 'azure') return azureCause(env)
  if (system === 'gitlab') {
    if (env.CI_COMMIT_REF_PROTECTED === 'false') {
      return `This GitLab pipeline runs on ${env.CI_COMMIT_REF_NAME ? `'${env.CI_COMMIT_REF_NAME}', ` : ''}a branch or tag that is not protected: GitLab gives variables marked Protected only to pipelines on protected branches and tags. Run the job on a protected branch (rules: - if: $CI_COMMIT_REF_PROTECTED == "true"), protect this branch, or clear Protected on the variables (Settings > CI/CD > Variables).`
    }
    return 'Check that the variable names in Settings > CI/CD > Variables match exactly, that their environment scope includes this job, and that a group variable is visible to this project.'
  }
  if (system !== 'github') {
    return 'Check that this CI system gives the job its secrets and variables under the names the step reads: many withhold secrets from pull requests from forks, and some from branches that are not protected.'
  }
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

/** How to fill one in: what it is and where DocuSign shows it. */
function guidance(name: (typeof REQUIRED)[number]): string {
  return name === 'private-key'
    ? `${setting('private-key')} (or ${setting('signing-key')}, a key in a key vault: docs/keyless.md): ${PASTE_FIX}`
    : `${setting(name)}: ${whatToSet(name)}`
}

/**
 * Every unusable setting in one error: the empty ones with their likely cause first, then each other
 * problem with its fix. `empty` are the required settings that arrived empty; `others` the rest.
 */
export function settingsError(empty: Setting[], others: InputError[], env: Env): ActionError | undefined {
  const required = REQUIRED.filter(name => empty.includes(name))
  const rest = others.filter(e => !required.includes(e.input as (typeof REQUIRED)[number]))
  if (required.length === 0) {
    if (rest.length <= 1) return rest[0]
    return new ActionError(
      'input',
      `${rest.length} settings cannot be used:`,
      rest.map(e => `- ${e.template.problem} ${e.template.fix}`).join('\n'),
      rest[0].topic
    )
  }
  const verb = required.length > 1 ? 'are' : 'is'
  // In a CI job the values come from secrets and variables; at a terminal, from the person.
  const ci = inCi(env)
  return new ActionError(
    'input',
    `${subjects([...required])} ${verb} empty${ci ? `: the secret${required.length > 1 ? 's or variables they are' : ' or variable it is'} set from did not reach this job` : ''}.`,
    [
      ...(ci ? [likelyCause(env)] : []),
      ...required.map(guidance),
      ...(rest.length ? ['Also:', ...rest.map(e => `- ${e.template.problem} ${e.template.fix}`)] : [])
    ].join('\n'),
    'empty-settings'
  )
}
