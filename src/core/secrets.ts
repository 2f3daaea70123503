/**
 * What must never be shown (the key as given and as decoded, each assertion, the token, the GitHub
 * token, key-vault credentials), and the scrubber every text leaving the process passes: job
 * summary, issue and comment bodies, CLI stderr. The runner masks its log too, but not issue bodies,
 * and other CI systems and terminals mask nothing: scrubbing here is what holds everywhere.
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
    }
  }

  /**
   * The text with every registered secret, and every line of one, replaced by ***; and a secret that
   * a server echoed and the border cut (outside.ts ends a cut value with …) replaced up to the cut,
   * wherever in the value it began.
   */
  scrub(text: string): string {
    if (this.parts.size === 0) return text
    // Longest first, so a whole secret is replaced before any line of it.
    const parts = [...this.parts].sort((a, b) => b.length - a.length)
    const whole = parts.reduce((out, part) => (out.includes(part) ? out.split(part).join('***') : out), text)
    return whole.includes('…') ? scrubCut(whole, parts) : whole
  }
}

/** A secret's first characters right before a `…`: what the border leaves of a long echoed secret. */
function scrubCut(text: string, parts: string[]): string {
  let out = ''
  let from = 0
  for (let at = text.indexOf('…'); at >= 0; at = text.indexOf('…', at + 1)) {
    let start = at
    for (const part of parts) {
      for (let k = Math.min(part.length - 1, at - from); k >= 8 && at - k < start; k--) {
        if (text.startsWith(part.slice(0, k), at - k)) {
          start = at - k
          break
        }
      }
    }
    if (start < at) {
      out += `${text.slice(from, start)}***`
      from = at
    }
  }
  return out + text.slice(from)
}
