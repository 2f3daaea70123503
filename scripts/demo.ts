/**
 * The whole story on the local emulator: no consent yet, so the action fails with the consent
 * URL; "open" the URL (as the user clicking Accept); run again and get the token and account.
 */
import { startSandbox } from '../emulator/setup.js'
import { maskLine, runAction, type RunResult } from '../emulator/runner.js'

const line = (text = ''): void => console.log(text)

function show(title: string, run: RunResult): void {
  line(`\n=== ${title}: exit code ${run.exitCode} ===`)
  line('--- step log, as the runner shows it (masked) ---')
  line(run.log.trim())
  const outputs = Object.entries(run.outputs)
  if (outputs.length) {
    line('--- step outputs ---')
    // The runner masks the token in anything it prints; show the outputs the same way.
    for (const [name, value] of outputs) line(`${name}: ${maskLine(value, run.masks)}`)
  }
  line('--- job summary, as GitHub shows it (secrets masked) ---')
  line(run.summary.trim())
}

const sandbox = await startSandbox()
try {
  line(`DocuSign emulator listening at ${sandbox.emulator.url}`)
  line(`integration key ${sandbox.integrationKey}, user ${sandbox.userId}, a fresh 2048-bit RSA key`)

  const first = await runAction({ inputs: sandbox.inputs() })
  show('Run 1 (no consent yet; the integration key a configuration variable, as it should be)', first)
  // The same failure with the integration key stored as a secret: GitHub masks it in the links.
  const masked = await runAction({ inputs: sandbox.inputs(), secretInputs: ['integration-key', 'private-key'] })
  show('Run 1 again, the integration key stored as a secret (what not to do)', masked)
  const url = first.outputs['consent-url']
  if (first.exitCode === 0 || !url) throw new Error('expected the first run to fail with a consent URL')

  line(`\n=== Opening the consent URL, signed in as the user, and clicking Accept ===\n${url}`)
  const answer = await fetch(url, { redirect: 'manual' })
  line(`HTTP ${answer.status}, redirected to ${answer.headers.get('location')}`)

  const second = await runAction({ inputs: sandbox.inputs() })
  show('Run 2 (after consent)', second)
  if (second.exitCode !== 0) throw new Error('expected the second run to succeed')
  const count = (path: string): number => sandbox.emulator.requestsTo(path).length
  line(
    `\nRequests the two runs made: /oauth/token x${count('/oauth/token')}, /oauth/userinfo x${count('/oauth/userinfo')}.`
  )
} finally {
  await sandbox.emulator.close()
}
