import { troubleshootingLine } from '../core/docs.js'
import { ActionError } from '../core/errors.js'
import { settingsError } from '../core/empty-settings.js'
import { normaliseProxyEnv } from '../core/proxy-env.js'
import type { Spelling } from '../core/settings.js'
import { parseCommandLine, type Command } from './args.js'
import { api } from './commands/api.js'
import { check } from './commands/check.js'
import { consentUrlCommand } from './commands/consent-url.js'
import type { Context } from './commands/context.js'
import { token } from './commands/token.js'
import { EXIT, exitCodeOf } from './exit-codes.js'
import { helpText, VERSION } from './help.js'
import { cliReader, cliSpelling, keySource, undefinedVariables, type Env } from './settings.js'
import { Terminal, type Streams } from './terminal.js'
import { UsageError } from './usage-error.js'

const RUN: Record<Command, (context: Context) => Promise<number> | number> = {
  token,
  check,
  'consent-url': consentUrlCommand,
  api
}

/** One message on stderr, settings spelled the terminal's way, and the exit code for it. */
function report(error: unknown, term: Terminal, spelling: Spelling): number {
  if (error instanceof UsageError) {
    const help = error.command ? `docusign-jwt ${error.command} --help` : 'docusign-jwt --help'
    term.error(`docusign-jwt: ${error.message}\nSee '${help}'.`)
    return EXIT.usage
  }
  if (error instanceof ActionError) {
    term.error(`docusign-jwt: ${error.shown(spelling).message}\n${troubleshootingLine(error.topic)}`)
    return exitCodeOf(error.kind)
  }
  // No stack trace: it helps nobody at a terminal, and the message says what to report.
  const message = error instanceof Error ? error.message : String(error)
  term.error(`docusign-jwt: Unexpected error: ${message}. Please report this.`)
  return EXIT.unexpected
}

/** The terminal's door: a command line and an environment in, text on two streams and an exit code out. */
export async function main(argv: string[], env: Env, streams: Streams): Promise<number> {
  normaliseProxyEnv(env)
  const term = new Terminal(streams, env)
  let spelling = cliSpelling()
  try {
    const line = parseCommandLine(argv)
    if (line.kind === 'version') {
      term.product(`${VERSION}\n`)
      return EXIT.ok
    }
    if (line.kind === 'help') {
      term.product(helpText(line.command))
      return EXIT.ok
    }
    const { command, flags, args } = line
    term.verbose = flags.verbose === true
    const source = command === 'consent-url' ? ({ from: 'none' } as const) : keySource(flags, env)
    spelling = cliSpelling(source)
    const macros = settingsError([], undefinedVariables(flags, env, source), env)
    if (macros) throw macros
    const read = cliReader(flags, env, source, term.secrets)
    return await RUN[command]({ flags, env, read, keySource: source, term, args, stdin: streams.stdin })
  } catch (error) {
    return report(error, term, spelling)
  }
}
