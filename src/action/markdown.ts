/**
 * Markdown for texts people trust (the job summary, issues and comments): every value is escaped, so
 * a name from DocuSign cannot start a block, a link, an HTML tag, a mention or an extra table cell.
 */

/**
 * What GitHub turns into a link or a notification even in plain text: URLs (autolinks; a sentence's
 * closing punctuation stays outside), e-mail addresses, @mentions, #references, owner/repo#N and
 * GH-N references. Inside a code span it turns them into nothing, and they still copy as they are.
 */
const LINKABLE = new RegExp(
  [
    /(?:[a-z][a-z0-9+.-]*:\/\/|\bwww\.)[^\s|`]*[^\s|`.,;:!?'")\]]/.source,
    /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.source,
    /\b[\w.-]+\/[\w.-]+#\d+/.source,
    /\bGH-\d+\b/.source,
    /(?<![\w@#])[@#]\w[\w./-]*/.source
  ].join('|'),
  'gi'
)

/**
 * One Markdown-inert line: no line breaks, punctuation that could open markup backslash-escaped, and
 * anything GitHub would link or notify in a code span.
 */
export function md(text: string): string {
  const line = text.replace(/\r\n?|\n/g, ' ')
  let out = ''
  let at = 0
  for (const match of line.matchAll(LINKABLE)) {
    out += escape(line.slice(at, match.index)) + `\`${match[0]}\``
    at = match.index + match[0].length
  }
  return out + escape(line.slice(at))
}

/** Markdown punctuation, and `$`, which opens GitHub's math. */
function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|~&$]/g, c => `\\${c}`)
}

/** Lines of text, each escaped; a line that is a URL we built becomes a link to itself. */
export function paragraph(text: string): string {
  return text
    .split('\n')
    .map(line => (/^https?:\/\/\S+$/.test(line) ? `<${line}>` : md(line)))
    .join('  \n')
}
