type Env = Record<string, string | undefined>

/** The CI systems whose setup steps a message can name. */
type CiSystem = 'github' | 'gitlab' | 'azure'

/**
 * The CI system this run is on, from the variable each sets in every job: GITHUB_ACTIONS=true,
 * GITLAB_CI=true, TF_BUILD=True (Azure Pipelines); undefined at a terminal or on another system.
 */
export function ciSystem(env: Env): CiSystem | undefined {
  if (env.GITHUB_ACTIONS === 'true') return 'github'
  if (env.GITLAB_CI === 'true') return 'gitlab'
  if ((env.TF_BUILD ?? '').toLowerCase() === 'true') return 'azure'
  return undefined
}

/** A job of some CI system, named or not: secrets and variables fill its settings, not a person. */
export const inCi = (env: Env): boolean => ciSystem(env) !== undefined || env.CI === 'true'

/**
 * The text for the CI system this run is on, `other` elsewhere: a setup fix names the steps of the
 * system the user is on, not GitHub's everywhere.
 */
export const forCiSystem = (env: Env, texts: Record<CiSystem | 'other', string>): string =>
  texts[ciSystem(env) ?? 'other']
