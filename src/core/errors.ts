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
 * - bug: DocuSign says our request is malformed;
 * - accepted: DocuSign accepted a request that creates or changes something, and its answer was lost
 *   afterwards (never to be sent again).
 */
export type ErrorKind = 'input' | 'consent' | 'refused' | 'unavailable' | 'malformed' | 'bug' | 'accepted'

/**
 * Where docs/troubleshooting.md explains a failure: the anchor of its entry (a heading's GitHub slug).
 * A test keeps every topic here equal to a heading there. One entry may serve a family of messages.
 */
export type Topic =
  | 'empty-settings'
  | 'identifiers'
  | 'private-key'
  | 'environment'
  | 'other-settings'
  | 'github-token'
  | 'consent-required'
  | 'no-valid-keys-or-signatures'
  | 'issuer-not-found'
  | 'user-not-found'
  | 'expired-grant'
  | 'invalid-grant'
  | 'malformed-request'
  | 'userinfo-refused'
  | 'accounts'
  | 'base-uri-refused'
  | 'not-docusign'
  | 'malformed-answer'
  | 'unavailable'
  | 'unreachable'
  | 'tls-untrusted'
  | 'signing-key'
  | 'application-not-authorized'
  | 'api-usage'
  | 'rest-token-refused'
  | 'rest-refused'
  | 'rest-rate-limited'
  | 'rest-answer-lost'
  | 'unexpected'

/** Every topic, in the order docs/troubleshooting.md lists them. */
export const TOPICS: readonly Topic[] = [
  'empty-settings',
  'identifiers',
  'private-key',
  'environment',
  'other-settings',
  'github-token',
  'consent-required',
  'no-valid-keys-or-signatures',
  'issuer-not-found',
  'user-not-found',
  'expired-grant',
  'invalid-grant',
  'malformed-request',
  'userinfo-refused',
  'accounts',
  'base-uri-refused',
  'not-docusign',
  'malformed-answer',
  'unavailable',
  'unreachable',
  'tls-untrusted',
  'signing-key',
  'application-not-authorized',
  'api-usage',
  'rest-token-refused',
  'rest-refused',
  'rest-rate-limited',
  'rest-answer-lost',
  'unexpected'
]

const TOPIC_OF_KIND: Record<ErrorKind, Topic> = {
  input: 'other-settings',
  consent: 'consent-required',
  refused: 'accounts',
  unavailable: 'unavailable',
  malformed: 'malformed-answer',
  bug: 'malformed-request',
  accepted: 'rest-answer-lost'
}

const TOPIC_OF_SETTING: Partial<Record<Setting, Topic>> = {
  'integration-key': 'identifiers',
  'user-id': 'identifiers',
  'account-id': 'identifiers',
  'private-key': 'private-key',
  'signing-key': 'signing-key',
  environment: 'environment',
  'github-token': 'github-token'
}

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
    private readonly fixTemplate: string,
    /** Its entry in docs/troubleshooting.md. */
    readonly topic: Topic = TOPIC_OF_KIND[kind]
  ) {
    const problem = spell(problemTemplate, INPUT_SPELLING)
    const fix = spell(fixTemplate, INPUT_SPELLING)
    super(join(problem, fix))
    this.name = new.target.name
    this.problem = problem
    this.fix = fix
  }

  /** The problem and the fix as written, settings still marked: for a message that quotes this one. */
  get template(): { problem: string; fix: string } {
    return { problem: this.problemTemplate, fix: this.fixTemplate }
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
    super('input', `${subject(input)} ${problem}`, fix, TOPIC_OF_SETTING[input])
  }
}

/** What DocuSign support asks for to find one answer in its logs: the trace token header and the body's reference_id. */
export interface SupportIds {
  traceToken?: string
  referenceId?: string
}

/** The line that quotes them, labelled, for every door's message; '' when DocuSign sent neither. */
export function supportLine(ids: SupportIds = {}): string {
  const parts = [
    ids.traceToken && `X-DocuSign-TraceToken ${ids.traceToken}`,
    ids.referenceId && `reference_id ${ids.referenceId}`
  ].filter(Boolean)
  return parts.length ? `If you contact DocuSign support, quote: ${parts.join(', ')}.` : ''
}

/** DocuSign answered, but not with what we need. */
export class DocuSignError extends ActionError {
  constructor(
    kind: 'consent' | 'refused' | 'unavailable' | 'malformed' | 'bug',
    problem: string,
    fix: string,
    readonly status: number,
    readonly code?: string,
    options: { topic?: Topic; support?: SupportIds } = {}
  ) {
    const support = supportLine(options.support)
    super(kind, problem, support ? `${fix}\n${support}` : fix, options.topic)
    this.support = options.support ?? {}
  }

  readonly support: SupportIds
}

/** The user has not consented; the consent URLs are the way out. */
export class ConsentRequiredError extends DocuSignError {
  constructor(
    problem: string,
    fix: string,
    /** For the impersonated user. */
    readonly consentUrl: string,
    /** For an organization administrator, for every user of the claimed domains. */
    readonly adminConsentUrl: string,
    /** Whose consent is missing. */
    readonly userId: string,
    support?: SupportIds
  ) {
    super('consent', problem, fix, 400, 'consent_required', { topic: 'consent-required', support })
  }
}

/** DocuSign could not be reached, or did not answer in time, on any attempt. */
export class NetworkError extends ActionError {
  constructor(problem: string, fix: string, topic: Topic = 'unreachable') {
    super('unavailable', problem, fix, topic)
  }
}
