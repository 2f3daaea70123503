import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Io } from '../core/io.js'
import { Secrets } from '../core/secrets.js'

export interface Streams {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** stdout as a stream, for bytes written as they arrive (api's answers, with back-pressure). */
  stdoutStream?: NodeJS.WritableStream
  /** All of standard input. */
  stdin?: () => Promise<Buffer>
}

/**
 * The two streams of a command. stdout carries only what the command is for; stderr carries
 * messages, and everything on it passes the secret scrubber (the key, each assertion, the token).
 */
export class Terminal {
  readonly secrets = new Secrets()
  verbose = false

  constructor(
    private readonly streams: Streams,
    /** The environment the command runs in: credentials a key vault's login step left. */
    private readonly env: Record<string, string | undefined> = {}
  ) {}

  /** The command's product, as is (the token, for `token`). */
  product(text: string): void {
    this.streams.stdout(text)
  }

  /** Bytes for stdout as they are (an API answer): streamed when stdout is a stream, never scrubbed (it is data). */
  async write(data: Buffer | NodeJS.ReadableStream): Promise<void> {
    const source = Buffer.isBuffer(data) ? Readable.from([data]) : data
    if (this.streams.stdoutStream) {
      await pipeline(source, this.streams.stdoutStream, { end: false })
      return
    }
    const chunks: Buffer[] = []
    for await (const chunk of source) chunks.push(Buffer.from(chunk as Buffer))
    this.streams.stdout(Buffer.concat(chunks).toString('utf8'))
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
    return { env: this.env, secret: value => this.secrets.add(value), info: progress, debug: progress, now: Date.now }
  }
}
