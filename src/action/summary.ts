import { describeEnvironment } from '../core/environment.js'
import { ConsentRequiredError, supportLine, type ActionError } from '../core/errors.js'
import type { Config } from '../core/inputs.js'
import { INPUT_SPELLING, type Spelling } from '../core/settings.js'
import type { SignInResult } from '../core/sign-in.js'
import { md, paragraph } from './markdown.js'

/**
 * Job summary texts (Markdown), every value escaped (markdown.ts). main.ts scrubs every registered
 * secret from them before writing: the runner masks summaries too, other runners may not.
 */

/** Shown with every consent failure: the runner masks secrets in the log and in summaries alike. */
export const MASKED_LINK_HINT =
  'If a link shows client_id=***, the integration key is stored as a secret, and GitHub masks it wherever it appears: store it as a configuration variable instead (Settings > Secrets and variables > Actions > Variables, or gh variable set DOCUSIGN_INTEGRATION_KEY) and pass vars.DOCUSIGN_INTEGRATION_KEY.'

export function successSummary(config: Config, result: SignInResult): string {
  const rows: [string, string][] = [
    ['Environment', `${describeEnvironment(config.environment)} (${config.environment.audience})`]
  ]
  if (result.account) {
    rows.push(
      ['Account', `${result.account.accountName || '(no name)'} (${result.account.accountId})`],
      ['Base path', result.account.basePath]
    )
  }
  if (config.applicationToken) {
    rows.push(['Token', 'an application-access token: no user, for the Admin API only (not the eSignature API)'])
  }
  rows.push(['Signing key', `${result.key.description}, public-key SHA-256 ${result.key.fingerprint}`])
  rows.push(['Token expires', `${result.token.expiresAt.toISOString()} (in ${result.token.expiresIn} s)`])
  return [
    '### DocuSign sign-in succeeded',
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([k, v]) => `| ${md(k)} | ${md(v)} |`),
    ''
  ].join('\n')
}

/** What differs between the CI systems a summary is written for: their words for a run, masking and settings. */
interface SummaryDoor {
  /** What a person re-runs: 'workflow run', 'pipeline run'. */
  run: string
  /** Why a consent link could show client_id=***, and what to do. */
  maskedHint: string
  spelling: Spelling
}

const GITHUB: SummaryDoor = { run: 'workflow run', maskedHint: MASKED_LINK_HINT, spelling: INPUT_SPELLING }

export function failureSummary(error: ActionError, docsUrl: string, runUrl?: string, door = GITHUB): string {
  const rerun = runUrl ? `[re-run this ${door.run}](${runUrl})` : `re-run this ${door.run}`
  if (error instanceof ConsentRequiredError) {
    return [
      '### DocuSign consent required',
      '',
      md(error.shown(door.spelling).problem),
      '',
      `#### [➡️ Grant consent as the impersonated user](${error.consentUrl})`,
      '',
      'For one user: open the link in a browser, signed in to DocuSign as that user, review the requested permissions and click **Accept**. The page you land on afterwards needs no action.',
      '',
      `#### [Grant consent for the whole organization (administrators)](${error.adminConsentUrl})`,
      '',
      "For every user of your organization's claimed email domains: an organization administrator opens this link instead (it needs DocuSign's Organization feature and a claimed domain). If your organization owns this app, an administrator grants consent in DocuSign Admin, under the app's connected-app settings, instead; no link exists for that.",
      '',
      `Then ${rerun}. Consent is given once per user and integration key in each environment.`,
      '',
      `**Accepted, and still asked for consent?** ${md(`One email can have several DocuSign memberships, each with its own User ID: sign in to the one whose User ID is ${error.userId}, and accept again.`)}`,
      '',
      `**The consent page shows an error instead of Accept?** ${md('"The redirect URI is not registered properly" or "There are no redirect URIs registered": register the link\'s redirect URI on the integration key. "The response type is not supported": the integration key must allow the Authorization Code Grant. Each is explained in')} [Troubleshooting: consent](${docsUrl}).`,
      '',
      `> ${md(door.maskedHint)}`,
      ...(supportLine(error.support) ? ['', md(supportLine(error.support))] : []),
      ''
    ].join('\n')
  }
  const { problem, fix } = error.shown(door.spelling)
  return [
    '### DocuSign sign-in failed',
    '',
    `**What went wrong:** ${paragraph(problem)}`,
    '',
    `**How to fix it:** ${paragraph(fix)}`,
    '',
    `[Troubleshooting: this message explained](${docsUrl})`,
    '',
    runUrl ? `After fixing it: ${rerun}.` : '',
    ''
  ].join('\n')
}
