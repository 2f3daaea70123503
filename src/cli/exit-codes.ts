import type { ErrorKind } from '../core/errors.js'

/** The exit codes, a contract for scripts: documented in --help, docs/cli.md and the README. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  consent: 3,
  refused: 4,
  unavailable: 5,
  accepted: 6
} as const

const BY_KIND: Record<ErrorKind, number> = {
  input: EXIT.usage,
  consent: EXIT.consent,
  refused: EXIT.refused,
  unavailable: EXIT.unavailable,
  malformed: EXIT.unavailable,
  bug: EXIT.unexpected,
  accepted: EXIT.accepted
}

/** The exit code for an expected failure, by who can act on it. */
export function exitCodeOf(kind: ErrorKind): number {
  return BY_KIND[kind] ?? EXIT.unexpected
}

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  2  usage or invalid input (nothing was sent)
  3  consent required (also when --wait runs out)
  4  DocuSign refused the credentials or the account (key, integration key, user,
     account ID, no usable or no default account)
  5  DocuSign unreachable, failing after all attempts, or answering malformed
  6  (api) DocuSign accepted the request; its answer was lost: do not send it again
  1  anything unexpected`
