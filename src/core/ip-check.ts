import { isIP } from 'node:net'
import { setFlagsFromString } from 'node:v8'

const UNOPTIMISED = ['--no-regexp-optimization', '--no-regexp-tier-up']
const DEFAULTS = ['--regexp-optimization', '--regexp-tier-up']

/**
 * Node checks every HTTPS host name with net.isIP, and the first check compiles its IPv6 pattern,
 * on which V8's regexp optimiser spends ~9 ms (a tenth of this action's run). Compiles it once
 * without the optimiser (same matches, <1 ms), then puts V8's defaults back at once: other code
 * compiles as usual, and Node's built-in modules keep loading from their code cache.
 */
export function precompileIpCheck(): void {
  for (const flag of UNOPTIMISED) setFlagsFromString(flag)
  try {
    isIP('docusign.net')
  } finally {
    for (const flag of DEFAULTS) setFlagsFromString(flag)
  }
}
