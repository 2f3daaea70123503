/**
 * The one border every string a server supplied crosses before anything shows it (log line, output,
 * summary, issue, message). What reads those lines executes commands found in them:
 * - the Actions runner (actions/runner src/Runner.Common/ActionCommand.cs): `::name::data` after leading
 *   whitespace (TryParseV2), and the legacy `##[name]data` anywhere in a line (TryParse); it ends a line
 *   at `\n`, `\r\n` or a bare `\r`;
 * - Azure Pipelines: `##vso[area.action]data` anywhere in a line of stdout or stderr;
 * - TeamCity: `##teamcity[...]` on stdout.
 * So line breaks and every other control character become spaces, those command openers are broken
 * up with a space, and the length is bounded, once, where the answer is parsed.
 */

/** Long enough for any real account name or error description; a summary stays far below 1 MiB. */
export const OUTSIDE_MAX = 200

// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: spaces.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g
// Invisible characters that reorder or hide text (bidi overrides and isolates, zero-width): removed.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g
// `##[`, `##vso[`, `##teamcity[` anywhere (any case, as the parsers compare names without case).
const HASH_COMMAND = /##(?=(?:vso|teamcity)?\[)/gi
// `::` where a line could start with it: the value's start, after any whitespace.
const LEADING_COLONS = /^(\s*):(?=:)/
// Messages are templates whose `{{setting}}` marks each door spells (settings.ts): none may come from outside.
const SETTING_MARK = /\{\{/g

/** Breaks up every workflow-command opener in one line of text, and nothing else. */
function noCommands(line: string): string {
  return line.replace(HASH_COMMAND, '# #').replace(LEADING_COLONS, '$1: ')
}

/**
 * A server-supplied string made inert: one line, no control characters, no command, no setting mark,
 * at most `max` characters.
 */
export function inert(value: string, max = OUTSIDE_MAX): string {
  const line = noCommands(value.replace(CONTROL, ' ').replace(INVISIBLE, '')).replace(SETTING_MARK, '{ {')
  const chars = [...line]
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line
}

/** Any JSON value a server sent, for a message: a string as it is, anything else as JSON; '' when absent or blank. */
export function quote(value: unknown, max = OUTSIDE_MAX): string {
  const text = typeof value === 'string' ? value.trim() : value == null ? '' : (JSON.stringify(value) ?? '')
  return text ? inert(text, max) : ''
}

/** A list for a message: at most `max` entries, then "and N more". */
export function boundedList(items: string[], max = 20): string {
  const shown = items.slice(0, max).join(', ')
  return items.length > max ? `${shown}, and ${items.length - max} more` : shown
}
