import { INPUT_SPELLING, spell, subject, type Setting, type Spelling } from './settings.js'

/** One message from what went wrong and how to fix it. */
function join(problem: string, fix: string): string {
  return fix ? `${problem}${fix.includes('\n') ? '\n' : ' '}${fix}` : problem
}

/**
 * Who can act on a failure, which decides how each door reacts (exit code, whether to open an issue):
 * - input: a setting is unusable (nothing was sent);
 * - consent: the user has not consented (a person opens a link);
 * - refused: DocuSign refused the key, integration key, user or account (a person fixes the setup);
 * - unavailable: DocuSign unreachable, timing out, or 429/5xx after every attempt (try later);
 * - malformed: an answer that is not DocuSign's (wrong server, proxy page, unknown answer);
 * - bug: DocuSign says our request is malformed.
 */
export type ErrorKind = 'input' | 'consent' | 'refused' | 'unavailable' | 'malformed' | 'bug'

/**
 * Expected failures. Each carries what went wrong and how to fix it, so a door can print one
 * message and a summary can show the two apart. Both name settings by marks (see settings.ts):
 * `message` spells them as action inputs; `shown()` as a given door does.
 */
export class ActionError extends Error {
  /** What went wrong and how to fix it, settings spelled as action inputs. */
  readonly problem: string
  readonly fix: string

  constructor(
    readonly kind: ErrorKind,
    private readonly problemTemplate: string,
    private readonly fixTemplate: string
  ) {
    const problem = spell(problemTemplate, INPUT_SPELLING)
    const fix = spell(fixTemplate, INPUT_SPELLING)
    super(join(problem, fix))
    this.name = new.target.name
    this.problem = problem
    this.fix = fix
  }

  /** The problem, the fix and the whole message, with settings spelled the door's way. */
  shown(spelling: Spelling): { problem: string; fix: string; message: string } {
    const problem = spell(this.problemTemplate, spelling)
    const fix = spell(this.fixTemplate, spelling)
    return { problem, fix, message: join(problem, fix) }
  }
}

/** An input that cannot be used; raised before any network request. */
export class InputError extends ActionError {
  constructor(
    readonly input: Setting,
    problem: string,
    fix: string
  ) {
    super('input', `${subject(input)} ${problem}`, fix)
  }
}

/** DocuSign answered, but not with what we need. */
export class DocuSignError extends ActionError {
  constructor(
    kind: 'consent' | 'refused' | 'unavailable' | 'malformed' | 'bug',
    problem: string,
    fix: string,
    readonly status: number,
    readonly code?: string
  ) {
    super(kind, problem, fix)
  }
}

/** The user has not consented; the consent URLs are the way out. */
export class ConsentRequiredError extends DocuSignError {
  constructor(
    problem: string,
    fix: string,
    /** For the impersonated user. */
    readonly consentUrl: string,
    /** For an organization administrator, for every user of the claimed domains. */
    readonly adminConsentUrl: string
  ) {
    super('consent', problem, fix, 400, 'consent_required')
  }
}

/** DocuSign could not be reached, or did not answer in time, on any attempt. */
export class NetworkError extends ActionError {
  constructor(problem: string, fix: string) {
    super('unavailable', problem, fix)
  }
}
