import { Writable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'
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

  /**
   * stdout for bytes as they are (an API answer), never scrubbed (it is data): the stream itself when
   * there is one (back-pressure, EPIPE seen), else one that hands on text as it comes.
   */
  answerStream(): Writable {
    if (this.streams.stdoutStream) return this.streams.stdoutStream as Writable
    const text = new StringDecoder('utf8')
    return new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        this.streams.stdout(text.write(chunk))
        done()
      }
    })
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
