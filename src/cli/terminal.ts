import type { Io } from '../core/io.js'
import { Secrets } from '../core/secrets.js'

export interface Streams {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

/**
 * The two streams of a command. stdout carries only what the command is for; stderr carries
 * messages, and everything on it passes the secret scrubber (the key, each assertion, the token).
 */
export class Terminal {
  readonly secrets = new Secrets()
  verbose = false

  constructor(private readonly streams: Streams) {}

  /** The command's product, as is (the token, for `token`). */
  product(text: string): void {
    this.streams.stdout(text)
  }

  /** A report line on stdout (check, consent-url): scrubbed, since no secret belongs there either. */
  report(text = ''): void {
    this.streams.stdout(`${this.secrets.scrub(text)}\n`)
  }

  /** A message on stderr, scrubbed. */
  error(text: string): void {
    this.streams.stderr(`${this.secrets.scrub(text)}\n`)
  }

  /** What the core needs: secrets registered here; its progress lines on stderr with --verbose only. */
  io(): Io {
    const progress = (message: string): void => {
      if (this.verbose) this.error(message)
    }
    return { secret: value => this.secrets.add(value), info: progress, debug: progress, now: Date.now }
  }
}
