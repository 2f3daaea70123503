import type { Environment } from '../../core/environment.js'
import { ConsentRequiredError, type ActionError } from '../../core/errors.js'
import { INPUT_SPELLING } from '../../core/settings.js'
import { md, paragraph } from '../markdown.js'

/** Whose sign-in an issue is about: one open issue per integration key, user and environment. */
export interface Subject {
  integrationKey: string
  userId: string
  environment: Environment
  /** The signing key as the table shows it. */
  key: { label: string; value: string }
}

export const LABEL = 'docusign-sign-in'

/** demo, production, or the custom OAuth server's origin. */
export function environmentName(env: Environment): string {
  return env.name === 'custom' ? env.oauthBase : env.name
}

/** The hidden line that identifies the issue; the label only makes it easy to list. */
export function marker(s: Subject): string {
  return `<!-- docusign-jwt-auth-action: integration-key=${s.integrationKey} user-id=${s.userId} environment=${environmentName(s.environment)} -->`
}

/** A few words for the title: what a person must fix. */
function headline(error: ActionError): string {
  if (error instanceof ConsentRequiredError) return 'consent required'
  const problem = error.shown(INPUT_SPELLING).problem
  const words = /^DocuSign refused the token \(([^)]*)\)/.exec(problem)?.[1] ?? problem.replace(/[.:].*$/s, '')
  return words.length > 100 ? `${words.slice(0, 99)}…` : words
}

export function title(error: ActionError, s: Subject): string {
  return `DocuSign sign-in failed (${environmentName(s.environment)}): ${headline(error)}`
}

/** What went wrong and the fix; a consent failure's links once, as links, not again as the fix's raw lines. */
function whatAndFix(error: ActionError, docsUrl?: string): string[] {
  const { problem, fix } = error.shown(INPUT_SPELLING)
  const links =
    error instanceof ConsentRequiredError
      ? [
          `- [Grant consent as the impersonated user](${error.consentUrl}): open it signed in to DocuSign as that user.`,
          `- [Grant consent for the whole organization](${error.adminConsentUrl}): an organization administrator opens it (claimed domain required).`,
          ''
        ]
      : []
  const urls = error instanceof ConsentRequiredError ? [error.consentUrl, error.adminConsentUrl] : []
  const text = fix
    .split('\n')
    .filter(line => !urls.includes(line))
    .join('\n')
  return [
    '### What went wrong',
    '',
    paragraph(problem),
    '',
    '### How to fix it',
    '',
    ...links,
    paragraph(text),
    ...(docsUrl ? ['', `[Troubleshooting: this message explained](${docsUrl})`] : [])
  ]
}

/** The body after its marker line (see marker()). */
export function body(error: ActionError, s: Subject, runUrl: string, docsUrl?: string): string {
  return [
    `A workflow run could not sign in to DocuSign, for a reason a person must fix: [the failed run](${runUrl}).`,
    '',
    ...whatAndFix(error, docsUrl),
    '',
    '### Sign-in',
    '',
    '| | |',
    '|---|---|',
    `| Integration key | ${s.integrationKey} |`,
    `| User ID | ${s.userId} |`,
    `| Environment | ${md(environmentName(s.environment))} |`,
    `| ${s.key.label} | ${md(s.key.value)} |`,
    '',
    'Later failures of this sign-in comment here; the action closes this issue when a run signs in again.',
    ''
  ].join('\n')
}

export function failedAgain(error: ActionError, runUrl: string, docsUrl?: string): string {
  return [`Failed again in [this run](${runUrl}).`, '', ...whatAndFix(error, docsUrl), ''].join('\n')
}

export function signedInAgain(runUrl: string): string {
  return `Signed in again in [this run](${runUrl}). Closing.`
}
