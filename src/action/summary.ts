import { describeEnvironment } from '../core/environment.js'
import { ConsentRequiredError, type ActionError } from '../core/errors.js'
import type { Config } from '../core/inputs.js'
import { INPUT_SPELLING } from '../core/settings.js'
import type { SignInResult } from '../core/sign-in.js'

/** Job summary texts (Markdown). Never a secret: the summary is not masked like the log. */

function escape(text: string): string {
  return text.replace(/[|<>[\]]/g, c => `\\${c}`)
}

export function successSummary(config: Config, result: SignInResult): string {
  const rows: [string, string][] = [
    ['Environment', `${describeEnvironment(config.environment)} (${config.environment.audience})`]
  ]
  if (result.account) {
    rows.push(
      ['Account', `${escape(result.account.accountName || '(no name)')} (${result.account.accountId})`],
      ['Base path', result.account.basePath]
    )
  }
  rows.push(['Token expires', `${result.token.expiresAt.toISOString()} (in ${result.token.expiresIn} s)`])
  return [
    '### DocuSign sign-in succeeded',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${k} | ${v} |`),
    ''
  ].join('\n')
}

export function failureSummary(error: ActionError, runUrl?: string): string {
  const { problem, fix } = error.shown(INPUT_SPELLING)
  if (error instanceof ConsentRequiredError) {
    return [
      '### DocuSign consent required',
      '',
      escape(problem),
      '',
      `## [➡️ Grant consent in DocuSign](${error.consentUrl})`,
      '',
      '1. Open the link above in a browser, signed in to DocuSign as the impersonated user.',
      '2. Review the requested permissions and click **Accept**. The page you land on afterwards needs no action.',
      `3. ${runUrl ? `[Re-run this workflow run](${runUrl})` : 'Re-run this workflow run'}.`,
      '',
      'Consent is given once per user and integration key in each environment. The redirect URI in the link must be registered on the integration key. An organization administrator can grant consent for all users of the claimed domains instead.',
      ''
    ].join('\n')
  }
  return [
    '### DocuSign sign-in failed',
    '',
    `**What went wrong:** ${escape(problem)}`,
    '',
    `**How to fix it:** ${escape(fix)}`,
    ''
  ].join('\n')
}
