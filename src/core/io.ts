/** What the pure core needs from its host: masking and logging. The entry wires these to the runner. */
export interface Io {
  /** The job's environment: what login steps left for a key vault (credentials, endpoints). */
  env: Record<string, string | undefined>
  /** The runner's OIDC token for an audience (GitHub Actions with id-token: write); absent elsewhere. */
  idToken?: (audience: string) => Promise<string>
  /** Registers a value as secret; called before the value could reach any log. */
  secret: (value: string) => void
  info: (message: string) => void
  debug: (message: string) => void
  /** Milliseconds since the epoch. */
  now: () => number
}
