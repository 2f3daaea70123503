/** What the pure core needs from its host: masking and logging. The entry wires these to the runner. */
export interface Io {
  /** Registers a value as secret; called before the value could reach any log. */
  secret: (value: string) => void
  info: (message: string) => void
  debug: (message: string) => void
  /** Milliseconds since the epoch. */
  now: () => number
}
