import type { SignInResult } from '../core/sign-in.js'
import { vso } from './vso.js'

/**
 * The variables a sign-in leaves for later steps, as `task.setvariable` lines: read-only
 * (`isreadonly=true`), so a later step printing REST data cannot replace them with a logging command;
 * the token secret (`issecret=true`: the agent masks it from this line on, and gives it to a script
 * only through the step's `env:`). With a step name, each is also set as an output variable
 * (`$(STEP.NAME)`, `dependencies.JOB.outputs['STEP.NAME']`): the agent keeps an output variable only
 * under that prefixed name (ExecutionContext.SetVariable), so the plain one needs its own line, and
 * comes after it: the agent refuses any set of a variable whose plain name is read-only, an output's
 * too (TaskSetVariableCommand checks `variable=` as given), and a refused command fails the step.
 * The task and `docusign-jwt token --format azure-pipelines` both write these.
 */
export function setVariableLines(
  { token, account }: SignInResult,
  withOutputs: boolean,
  /** For the values that are not secret: a server could echo a secret into one. */
  scrub: (text: string) => string = text => text
): string {
  const variables: [string, string, boolean][] = [['DOCUSIGN_ACCESS_TOKEN', token.accessToken, true]]
  if (account) {
    variables.push(['DOCUSIGN_ACCOUNT_ID', account.accountId, false], ['DOCUSIGN_BASE_PATH', account.basePath, false])
  }
  variables.push(['DOCUSIGN_TOKEN_EXPIRES_AT', token.expiresAt.toISOString(), false])
  return variables
    .flatMap(([variable, value, secret]) => {
      const props = { variable, issecret: String(secret), isreadonly: 'true' }
      const shown = secret ? value : scrub(value)
      const plain = vso('task.setvariable', props, shown)
      return withOutputs ? [vso('task.setvariable', { ...props, isoutput: 'true' }, shown), plain] : [plain]
    })
    .join('')
}
