/**
 * The whole story on the local emulator: no consent yet, so the action fails with the consent
 * URL; "open" the URL (as the user clicking Accept); run again and get the token and account.
 *
 * Each job summary is also written to a folder, as the Markdown the action wrote (secrets masked, as
 * GitHub shows it) and as HTML rendered with GitHub-flavoured Markdown, to open in a browser.
 * `npm run demo -- --out DIR` chooses the folder; by default a new one under the system's temp folder.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { marked } from 'marked'
import { startSandbox } from '../emulator/setup.js'
import { maskLine, ROOT, runAction, runNode, type RunResult } from '../emulator/runner.js'

const line = (text = ''): void => console.log(text)

function outputFolder(): string {
  const at = process.argv.indexOf('--out')
  if (at < 0) return mkdtempSync(join(tmpdir(), 'docusign-demo-'))
  const dir = process.argv[at + 1]
  if (!dir) throw new Error('--out needs a folder')
  mkdirSync(resolve(dir), { recursive: true })
  return resolve(dir)
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

/**
 * A page close to what GitHub shows for a job summary. GitHub also sanitizes the HTML; marked does
 * not, which is fine here: the summaries come from the action run against the local emulator.
 */
function page(title: string, markdown: string): string {
  const body = marked.parse(markdown, { gfm: true, async: false })
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", Helvetica, Arial, sans-serif; font-size: 14px;
         line-height: 1.5; color: #1f2328; max-width: 980px; margin: 2em auto; padding: 0 1em; }
  .run { color: #59636e; border-bottom: 1px solid #d1d9e0; padding-bottom: .5em; }
  table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
  code { background: #818b981f; padding: .2em .4em; border-radius: 6px; font-size: 85%; }
  blockquote { color: #59636e; border-left: .25em solid #d1d9e0; margin: 0; padding: 0 1em; }
  a { color: #0969da; }
</style>
</head>
<body>
<p class="run">Job summary of the demo's step: ${escapeHtml(title)}</p>
${body}</body>
</html>
`
}

const out = outputFolder()
/** The HTML files written, in order; each has its Markdown beside it. */
const written: string[] = []

function show(title: string, file: string, run: RunResult): void {
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
  const markdown = join(out, `${file}.md`)
  const html = join(out, `${file}.html`)
  writeFileSync(markdown, run.summary)
  writeFileSync(html, page(title, run.summary))
  written.push(html)
}

const sandbox = await startSandbox({ restApi: true })
sandbox.emulator.esign.seedEnvelopes(sandbox.accountId, 3, new Date('2026-01-05T09:00:00Z'))
try {
  line(`DocuSign emulator listening at ${sandbox.emulator.url}`)
  line(`integration key ${sandbox.integrationKey}, user ${sandbox.userId}, a fresh 2048-bit RSA key`)

  const first = await runAction({ inputs: sandbox.inputs() })
  show('Run 1 (no consent yet; the integration key a configuration variable, as it should be)', 'run-1', first)
  // The same failure with the integration key stored as a secret: GitHub masks it in the links.
  const masked = await runAction({ inputs: sandbox.inputs(), secretInputs: ['integration-key', 'private-key'] })
  show('Run 1 again, the integration key stored as a secret (what not to do)', 'run-1-key-as-secret', masked)
  const url = first.outputs['consent-url']
  if (first.exitCode === 0 || !url) throw new Error('expected the first run to fail with a consent URL')

  line(`\n=== Opening the consent URL, signed in as the user, and clicking Accept ===\n${url}`)
  const answer = await fetch(url, { redirect: 'manual' })
  line(`HTTP ${answer.status}, redirected to ${answer.headers.get('location')}`)

  const second = await runAction({ inputs: sandbox.inputs() })
  show('Run 2 (after consent)', 'run-2', second)
  if (second.exitCode !== 0) throw new Error('expected the second run to succeed')
  const count = (path: string): number => sandbox.emulator.requestsTo(path).length
  line(
    `\nRequests the three runs made: /oauth/token x${count('/oauth/token')}, /oauth/userinfo x${count('/oauth/userinfo')}.`
  )

  // A later step of the job: the docusign-jwt command with the outputs, as the README shows it.
  line('\n=== A later step: docusign-jwt api with the outputs (export-env sets the same variables) ===')
  line("$ docusign-jwt api '/envelopes?from_date=2026-01-01' --paginate")
  const call = await runNode([join(ROOT, 'dist', 'cli.js'), 'api', '/envelopes?from_date=2026-01-01', '--paginate'], {
    PATH: process.env.PATH ?? '',
    DOCUSIGN_ACCESS_TOKEN: second.outputs['access-token'],
    DOCUSIGN_BASE_PATH: second.outputs['base-path'],
    DOCUSIGN_ACCOUNT_ID: second.outputs['account-id']
  })
  if (call.exitCode !== 0) throw new Error(`docusign-jwt api exited ${call.exitCode}: ${call.stderr}`)
  // The command prints DocuSign's JSON as it came; the demo lists what it holds.
  const listed = JSON.parse(call.stdout) as {
    resultSetSize: string
    envelopes?: { envelopeId: string; status: string }[]
  }
  line(`(it printed DocuSign's JSON as it came, ${call.stdout.length} bytes; what it holds:)`)
  line(`${listed.resultSetSize} envelope(s):`)
  for (const e of listed.envelopes ?? []) line(`  ${e.envelopeId}  ${e.status}`)
  line(`\nThe job summaries, each as Markdown (.md) and as HTML rendered as GitHub renders it (.html), in ${out}.`)
  line('Open the HTML in a browser:')
  for (const html of written) line(`  ${html}`)
} finally {
  await sandbox.emulator.close()
}
