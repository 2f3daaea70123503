import { derivedSecrets, parseInputs } from '../../core/inputs.js'
import { signIn } from '../../core/sign-in.js'
import type { Format } from '../args.js'
import { formatResult } from '../formats.js'
import type { Context } from './context.js'

/** `token`: signs in, and prints the token (or the JSON object, the export lines, the setvariable lines) on stdout. */
export async function token({ flags, env, read, term }: Context): Promise<number> {
  const config = parseInputs(read, env)
  derivedSecrets(config).forEach(secret => term.secrets.add(secret))
  const result = await signIn(config, term.io())
  term.product(formatResult(result, (flags.format as Format | undefined) ?? 'token', env))
  return 0
}
