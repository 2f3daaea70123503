import type { InputReader } from '../../core/inputs.js'
import type { Env, FlagValues, KeySource } from '../settings.js'
import type { Terminal } from '../terminal.js'

/** What a command gets: its flags, the environment, the core's reader over both, and the terminal. */
export interface Context {
  flags: FlagValues
  env: Env
  read: InputReader
  keySource: KeySource
  term: Terminal
  /** The words besides the options (api's PATH). */
  args: string[]
  /** All of standard input, for --input - . */
  stdin?: () => Promise<Buffer>
}
