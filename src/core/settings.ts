/**
 * The settings a user gives, named by their action input names. Core messages refer to a setting
 * through `setting()` / `subject()`, never by a spelled name: each door spells it its own way
 * (input `account-id`, flag `--account-id`, variable `DOCUSIGN_ACCOUNT_ID`) when it shows the message.
 */
export type Setting =
  | 'integration-key'
  | 'user-id'
  | 'private-key'
  | 'signing-key'
  | 'application-token'
  | 'environment'
  | 'scopes'
  | 'account-id'
  | 'skip-account-lookup'
  | 'consent-redirect-uri'
  | 'export-env'
  | 'timeout-seconds'
  | 'max-attempts'
  | 'open-issue'
  | 'github-token'

export interface Spelling {
  /** The setting in running text: `account-id`, `--account-id`. */
  name: (setting: Setting) => string
  /** A message about one setting starts with this: "Input 'account-id'", "--account-id". */
  subject: (setting: Setting) => string
  /** A message about several settings starts with this: "Inputs 'a', 'b'"; by default their subjects, listed. */
  subjects?: (settings: Setting[]) => string
}

/** The canonical spelling: action inputs. Errors read this way until a door spells them. */
export const INPUT_SPELLING: Spelling = {
  name: setting => setting,
  subject: setting => `Input '${setting}'`,
  subjects: settings =>
    settings.length > 1 ? `Inputs ${settings.map(s => `'${s}'`).join(', ')}` : `Input '${settings[0]}'`
}

const MARK = /\{\{(subjects?:)?([a-z,-]+)\}\}/g

export const setting = (name: Setting): string => `{{${name}}}`
export const subject = (name: Setting): string => `{{subject:${name}}}`
/** Several settings as the subject of one message. */
export const subjects = (names: Setting[]): string => `{{subjects:${names.join(',')}}}`

/** Replaces the setting marks in a message with a door's spelling. */
export function spell(text: string, spelling: Spelling): string {
  return text.replace(MARK, (_, kind: string | undefined, name: string) => {
    if (kind === 'subjects:') {
      const names = name.split(',') as Setting[]
      return spelling.subjects ? spelling.subjects(names) : names.map(spelling.subject).join(', ')
    }
    return kind ? spelling.subject(name as Setting) : spelling.name(name as Setting)
  })
}
