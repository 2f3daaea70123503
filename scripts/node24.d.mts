/** Types of scripts/node24.mjs, for the TypeScript that imports it (the tests, the benchmark). */
export declare const NODE24_VERSION: string

export interface ActionNode {
  /** The Node binary to run the built action with. */
  node: string
  /** What it reports with --version, e.g. v24.22.3. */
  version: string
  /** Set when it is not the pinned Node 24: which Node it is instead, and why. */
  note?: string
}

export declare function node24(options?: { log?: (message: string) => void }): ActionNode

export default function globalSetup(): void
