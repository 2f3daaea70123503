/**
 * Expected failures. Each carries what went wrong and how to fix it, so the
 * entry can print one message and the job summary can show the two apart.
 */
export class ActionError extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string
  ) {
    super(fix ? `${problem}${fix.includes('\n') ? '\n' : ' '}${fix}` : problem)
    this.name = new.target.name
  }
}

/** An input that cannot be used; raised before any network request. */
export class InputError extends ActionError {
  constructor(
    readonly input: string,
    problem: string,
    fix: string
  ) {
    super(`Input '${input}' ${problem}`, fix)
  }
}

/** DocuSign answered, but not with what we need. */
export class DocuSignError extends ActionError {
  constructor(
    problem: string,
    fix: string,
    readonly status: number,
    readonly code?: string
  ) {
    super(problem, fix)
  }
}

/** The user has not consented; `consentUrl` is the way out. */
export class ConsentRequiredError extends DocuSignError {
  constructor(
    problem: string,
    fix: string,
    readonly consentUrl: string
  ) {
    super(problem, fix, 400, 'consent_required')
  }
}

/** DocuSign could not be reached, or did not answer in time, on any attempt. */
export class NetworkError extends ActionError {}
