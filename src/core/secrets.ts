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
      if (trimmed.length < 8) continue
      for (const form of [trimmed, ...encodedForms(trimmed)]) if (form.length >= 8) this.parts.add(form)
    }
  }

  /** Whether the text holds a registered secret, or any encoded form of one. */
  holds(text: string): boolean {
    return [...this.parts].some(part => text.includes(part))
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

/**
 * The forms a secret takes when something encodes it, as the runner's masker registers them with
 * each secret (actions/runner src/Runner.Common/HostContext.cs: AddValueEncoder with
 * ValueEncoders.Base64StringEscape, Base64StringEscapeShift1 and 2, JsonStringEscape, UriDataEscape;
 * src/Sdk/DTLogging/Logging/ValueEncoders.cs). Base64 at byte shifts 0, 1 and 2 (a secret after
 * `user:` in base64(user:secret) starts mid-group), a shift only where the secret is longer than it,
 * as the runner does; each cut to the characters the secret's own bytes decide (no padding, no last
 * character shared with what follows), so it is found inside a longer Base64 text too. Percent-encoded
 * as Uri.EscapeDataString does (only A-Z a-z 0-9 - _ . ~ left as they are) and as
 * encodeURIComponent does; JSON-escaped without the quotes.
 */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const base64 = [0, 1, 2]
    .filter(shift => shift === 0 || bytes.length > shift)
    .map(shift => {
      const shifted = bytes.subarray(shift)
      return shifted.toString('base64').slice(0, Math.floor((shifted.length * 4) / 3))
    })
  const uri = encodeURIComponent(secret)
  const dataEscape = uri.replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return [...base64, uri, dataEscape, JSON.stringify(secret).slice(1, -1)]
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
