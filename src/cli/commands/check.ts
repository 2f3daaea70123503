import { consentUrl } from '../../core/consent.js'
import { ActionError, ConsentRequiredError } from '../../core/errors.js'
import { derivedSecrets, parseInputs, type Config } from '../../core/inputs.js'
import { sleep } from '../../core/retry.js'
import { signIn, type SignInResult } from '../../core/sign-in.js'
import { describeSpec } from '../../core/signers/spec.js'
import { WAIT_INTERVAL_MS, WAIT_SECONDS_DEFAULT } from '../args.js'
import { openBrowser } from '../open-browser.js'
import type { Spelling } from '../../core/settings.js'
import { cliSpelling, KEY_FILE_FLAG, KEY_FILE_VAR, KEY_VAR, shownPath, type KeySource } from '../settings.js'
import type { Terminal } from '../terminal.js'
import type { Context } from './context.js'

const row = (label: string, value: string): string => `  ${label.padEnd(20)}${value}`

function keyOrigin(source: KeySource): string {
  if (source.from === 'flag') return `${KEY_FILE_FLAG} ${shownPath(source.path)}`
  if (source.from === 'file-var') return `${shownPath(source.path)} (${KEY_FILE_VAR})`
  return KEY_VAR
}

function environmentLine({ environment: env }: Config): string {
  return env.name === 'custom' ? `custom OAuth server ${env.oauthBase}` : `${env.name} (${env.audience})`
}

function reportSettings(term: Terminal, config: Config, source: KeySource): void {
  const { signingKey } = config
  term.report('DocuSign JWT Grant: the settings')
  term.report(row('environment', environmentLine(config)))
  term.report(row('integration key', config.integrationKey))
  term.report(
    row('user ID', config.applicationToken ? 'none: an application-access token (Admin API only)' : config.userId)
  )
  term.report(row('scopes', config.scopes.join(' ')))
  if ('privateKey' in signingKey) {
    const key = signingKey.privateKey.public
    term.report(row('private key', `RSA ${key.bits}-bit, from ${keyOrigin(source)}`))
    term.report(row('public-key SHA-256', key.fingerprint))
  } else {
    term.report(row('signing key', `${describeSpec(signingKey.spec)} (its public key is read when signing in)`))
  }
  term.report(row('account', config.skipAccountLookup ? 'not looked up' : (config.accountId ?? "the user's default")))
  term.report(row('redirect URI', config.consentRedirectUri))
  term.report()
}

function reportSuccess(term: Terminal, { token, account, key }: SignInResult): void {
  term.report('Signed in.')
  term.report(row('signing key', `${key.description}: RSA ${key.bits}-bit, public-key SHA-256 ${key.fingerprint}`))
  term.report(row('token', `${token.tokenType}, expires ${token.expiresAt.toISOString()} (in ${token.expiresIn} s)`))
  if (account) {
    const name = account.accountName || '(no name)'
    term.report(row('account', `${name} (${account.accountId})${account.isDefault ? ', the default account' : ''}`))
    term.report(row('base path', account.basePath))
  }
  term.report()
  term.report('All set: `docusign-jwt token` signs in with these settings.')
}

/** The links, and what can go wrong on the consent page, once, on stdout. */
function reportConsentLinks(term: Terminal, error: ConsentRequiredError, spelling: Spelling): void {
  term.report('Consent is missing: the user has not allowed this integration key to act for them yet.')
  for (const line of error.shown(spelling).fix.split('\n')) term.report(line.startsWith('http') ? `  ${line}` : line)
}

/** A sign-in that gives up at the deadline, mid-request if need be: --wait-seconds bounds the whole wait. */
async function signInBy(config: Config, term: Terminal, deadline: number, seconds: number): Promise<SignInResult> {
  let timer: NodeJS.Timeout | undefined
  const outOfTime = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(waitRanOut(config, seconds)), Math.max(0, deadline - Date.now()))
  })
  try {
    return await Promise.race([signIn(config, term.io()), outOfTime])
  } finally {
    clearTimeout(timer)
  }
}

/** The refusal for stderr once the report on stdout has shown the links: each link is shown once. */
function linksAbove(error: ConsentRequiredError): ActionError {
  return new ActionError(
    'consent',
    error.template.problem,
    'Open one of the consent links above (printed on stdout), accept, then run check again.',
    'consent-required'
  )
}

/** --wait-seconds ran out before DocuSign confirmed consent: exit 3, as for a refusal of consent. */
function waitRanOut(config: Config, seconds: number): ActionError {
  return new ActionError(
    'consent',
    `Consent was not confirmed within ${seconds} s (--wait-seconds): DocuSign had not answered the last sign-in in time, or still said consent is required.`,
    `Grant consent with this link, signed in to DocuSign as the user, then run check again (a longer --wait-seconds gives you more time):\n${consentUrl(config.environment.oauthBase, config.scopes, config.integrationKey, config.consentRedirectUri)}`,
    'consent-required'
  )
}

/** Signs in again every few seconds until consent is granted, or the deadline (then the last refusal). */
async function waitForConsent(
  term: Terminal,
  config: Config,
  seconds: number,
  deadline: number,
  first: ConsentRequiredError
): Promise<SignInResult> {
  const started = Date.now()
  term.report()
  term.report(
    `Waiting for consent: trying again every ${WAIT_INTERVAL_MS / 1000} s for up to ${seconds} s (Ctrl-C stops).`
  )
  let last = first
  while (Date.now() < deadline) {
    await sleep(Math.min(WAIT_INTERVAL_MS, deadline - Date.now()))
    if (Date.now() >= deadline) break
    try {
      const result = await signInBy(config, term, deadline, seconds)
      term.report(`Consent granted (after ${Math.round((Date.now() - started) / 1000)} s).`)
      term.report()
      return result
    } catch (error) {
      if (!(error instanceof ConsentRequiredError)) throw error
      last = error
    }
  }
  term.error(`Consent was still missing after waiting ${seconds} s.`)
  throw last
}

/**
 * `check`: for the person setting it up. Validates, shows what it will use (never a secret), signs
 * in, and reports the account and the expiry, never the token. When consent is missing it shows
 * both links, opens the user's with --open, and with --wait tries again until consent is granted.
 */
export async function check({ flags, env, read, keySource, term }: Context): Promise<number> {
  const config = parseInputs(read, env)
  derivedSecrets(config).forEach(secret => term.secrets.add(secret))
  reportSettings(term, config, keySource)

  const seconds = Number(flags['wait-seconds'] ?? WAIT_SECONDS_DEFAULT)
  // With --wait, the whole wait (the first sign-in included) ends at the deadline.
  const deadline = flags.wait ? Date.now() + seconds * 1000 : Infinity
  let result: SignInResult
  try {
    result = flags.wait ? await signInBy(config, term, deadline, seconds) : await signIn(config, term.io())
  } catch (error) {
    if (!(error instanceof ConsentRequiredError)) throw error
    reportConsentLinks(term, error, cliSpelling(keySource))
    if (flags.open) {
      const opened = await openBrowser(error.consentUrl, env, term.secrets)
      term.report(
        opened.opened
          ? `Opened the user's link in the browser (${opened.with}).`
          : `Could not open a browser (${opened.why}): open the user's link above yourself.`
      )
    }
    if (!flags.wait) throw linksAbove(error)
    result = await waitForConsent(term, config, seconds, deadline, error).catch((last: unknown) => {
      throw last instanceof ConsentRequiredError ? linksAbove(last) : last
    })
  }
  reportSuccess(term, result)
  return 0
}
