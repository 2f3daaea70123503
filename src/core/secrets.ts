import { OUTSIDE_MAX } from './outside.js'

/**
 * What must never be shown (the key as given and as decoded, each assertion, the token, the GitHub
 * token), and the scrubber every text leaving the process passes: job summary, issue and comment
 * bodies, CLI stderr. The runner masks its log too, but not issue bodies, and other CI systems and
 * terminals mask nothing: scrubbing here is what holds everywhere.
 */
export class Secrets {
  private readonly parts = new Set<string>()

  /** Registers a secret and each of its lines (a PEM is shown a line at a time, too). */
  add(value: string): void {
    for (const part of [value, ...value.split(/\r?\n|\\n/)]) {
      const trimmed = part.trim()
      // A PEM's armour lines are the same in every key: nothing secret, and messages quote them.
      if (/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(trimmed)) continue
      // A line this short (a PEM's last, or a stray brace) says nothing, and scrubbing it would mangle text.
      if (trimmed.length >= 8) this.parts.add(trimmed)
      // A server that echoes a secret gets it cut to this length at the border (outside.ts).
      const chars = [...trimmed]
      if (chars.length > OUTSIDE_MAX) this.parts.add(chars.slice(0, OUTSIDE_MAX - 1).join(''))
    }
  }

  /** The text with every registered secret, and every line of one, replaced by ***. */
  scrub(text: string): string {
    if (this.parts.size === 0) return text
    // Longest first, so a whole secret is replaced before any line of it.
    const parts = [...this.parts].sort((a, b) => b.length - a.length)
    return parts.reduce((out, part) => (out.includes(part) ? out.split(part).join('***') : out), text)
  }
}
