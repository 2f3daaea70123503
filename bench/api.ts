/**
 * `docusign-jwt api --paginate` against the curl loop a workflow writes by hand (curl, then sed for
 * nextUri, then curl again), for a list of three pages, with exported credentials (no sign-in): over
 * loopback, and over a slow link (25 ms each way). Both on HTTPS with the test CA; the command on
 * the Node the action runs on. Figures are medians of paired rounds; connections are counted at the
 * slow link, where each one costs a TCP and a TLS handshake.
 */
import { execFile, spawn, spawnSync } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'
import type { Sandbox } from '../emulator/setup.js'
import { SlowLink } from './relay.js'

export interface ApiBenchOptions {
  rounds: number
  node: string
  root: string
  sandbox: Sandbox
  caFile: string
}

interface Sample {
  ms: number
  requests: number
  connections: number
}

const ACCOUNT = '7a7a7a7a-0000-4000-8000-00000000c003'
const PAGE = 100
const ENVELOPES = 250 // three pages of 100

/** The loop a workflow writes with curl: each page its own curl, its own connection. */
const CURL_LOOP = `set -e
url="$DOCUSIGN_BASE_PATH/v2.1/accounts/$DOCUSIGN_ACCOUNT_ID/envelopes?from_date=2021-01-01&count=${PAGE}"
while [ -n "$url" ]; do
  page=$(printf 'Authorization: Bearer %s\\n' "$DOCUSIGN_ACCESS_TOKEN" | curl -sS --fail-with-body --cacert "$CA" -H @- "$url")
  next=$(printf '%s' "$page" | sed -n 's/.*"nextUri":"\\([^"]*\\)".*/\\1/p')
  url=\${next:+$DOCUSIGN_BASE_PATH/v2.1$next}
done`

async function timed(file: string, args: string[], env: Record<string, string>): Promise<number> {
  const started = performance.now()
  const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>(done => child.on('close', done))
  if (code !== 0) throw new Error(`${file} exited ${code}: ${stderr}`)
  return performance.now() - started
}

export async function apiBench({ rounds, node, root, sandbox, caFile }: ApiBenchOptions): Promise<void> {
  const { emulator } = sandbox
  const user = emulator.addUser({
    accounts: [{ account_id: ACCOUNT, account_name: 'Bench', is_default: true, base_uri: emulator.url }]
  })
  emulator.grantConsent(sandbox.integrationKey, user, ['signature', 'impersonation'])
  emulator.esign.seedEnvelopes(ACCOUNT, ENVELOPES, new Date('2021-01-01T00:00:00Z'))
  const port = Number(new URL(emulator.url).port)
  const slow = await SlowLink.start(port, 25)
  const cli = join(root, 'dist', 'cli.js')
  const base = { PATH: process.env.PATH ?? '', NODE_EXTRA_CA_CERTS: caFile, CA: caFile }
  // Asynchronous: the emulator answers from this very process.
  const signIn = await promisify(execFile)(node, [cli, 'token', '--format', 'json'], {
    env: {
      ...base,
      DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
      DOCUSIGN_USER_ID: user,
      DOCUSIGN_PRIVATE_KEY: sandbox.privateKey,
      DOCUSIGN_ENVIRONMENT: emulator.url
    }
  })
  const token = JSON.parse(signIn.stdout) as { access_token: string; base_path: string }
  const links = { loopback: emulator.url, 'slow link (25 ms each way)': `https://localhost:${slow.port}` }
  const hasCurl = spawnSync('curl', ['--version']).status === 0

  const contenders = (origin: string): Record<string, () => Promise<number>> => {
    const env = {
      ...base,
      DOCUSIGN_ACCESS_TOKEN: token.access_token,
      DOCUSIGN_BASE_PATH: `${origin}/restapi`,
      DOCUSIGN_ACCOUNT_ID: ACCOUNT
    }
    const run: Record<string, () => Promise<number>> = {
      'docusign-jwt api --paginate': () =>
        timed(node, [cli, 'api', `/envelopes?from_date=2021-01-01&count=${PAGE}`, '--paginate'], env)
    }
    if (hasCurl) run['curl loop (curl + sed)'] = () => timed('bash', ['-c', CURL_LOOP], env)
    return run
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  console.log(`\n### docusign-jwt api: a list of ${ENVELOPES} envelopes in pages of ${PAGE}, exported credentials`)
  if (!hasCurl) console.log('\ncurl is not installed: only the command is timed.')
  console.log('\n| link | contender | wall time, median (min-max) | requests | connections |\n|---|---|---|---|---|')
  const verdicts: string[] = []
  try {
    for (const [link, origin] of Object.entries(links)) {
      const runs = contenders(origin)
      const names = Object.keys(runs)
      const samples = new Map<string, Sample[]>(names.map(n => [n, []]))
      for (const name of names) await runs[name]() // warm-up
      for (let round = 0; round < rounds; round++) {
        for (const name of names.map((_, i) => names[(i + round) % names.length])) {
          const requests = emulator.esign.requests.length
          const connections = slow.connections
          const ms = await runs[name]()
          samples.get(name)!.push({
            ms,
            requests: emulator.esign.requests.length - requests,
            connections: slow.connections - connections
          })
        }
      }
      for (const name of names) {
        const s = samples.get(name)!
        const ms = s.map(x => x.ms)
        const conns = origin === emulator.url ? 'n/a' : String(median(s.map(x => x.connections)))
        console.log(
          `| ${link} | ${name} | ${median(ms).toFixed(1)} ms (${Math.min(...ms).toFixed(1)}-${Math.max(...ms).toFixed(1)}) | ${median(s.map(x => x.requests))} | ${conns} |`
        )
      }
      if (names.length === 2 && origin !== emulator.url) {
        const [ours, curl] = names.map(n => samples.get(n)!)
        const faster = median(ours.map((s, i) => s.ms - curl[i].ms))
        const fewer = median(ours.map(s => s.connections)) < median(curl.map(s => s.connections))
        verdicts.push(
          `| slow link: fewer connections (round trips) than the curl loop | ${median(ours.map(s => s.connections))} vs ${median(curl.map(s => s.connections))} | ${fewer ? 'yes' : 'NO'} |`,
          `| slow link: less time than the curl loop, median of paired rounds | ${faster.toFixed(1)} ms | ${faster < 0 ? 'yes' : 'NO'} |`
        )
      }
    }
    if (verdicts.length) console.log(`\n| target | figure | met |\n|---|---|---|\n${verdicts.join('\n')}`)
  } finally {
    await slow.close()
  }
}
