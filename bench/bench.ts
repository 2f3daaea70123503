/**
 * npm run bench [-- --rounds N] [-- --cpu-prof DIR]: the action against the bare node floor and the DocuSign SDK peer,
 * all against the emulator over HTTPS on loopback (test CA via NODE_EXTRA_CA_CERTS), in alternating
 * rounds after a warm-up. Prints medians and min-max of wall time and peak RSS, the bundle size, the
 * requests per run, and the targets of the performance issue. With --cpu-prof, one more run of the
 * action writes a V8 CPU profile to DIR (open it in Chrome DevTools) to see where the time goes.
 * All three run on the Node the action runs on, Node 24 (scripts/node24.mjs: the pinned binary, or
 * ACTION_NODE, or where there is none this Node, with a note); the harness and the emulator run here.
 * Then bench/api.ts: `docusign-jwt api --paginate` against a curl loop, on loopback and a slow link;
 * and bench/paginate.ts: --paginate on long lists against the previous merge (stopped after
 * --previous-cap-seconds, default 30). `-- --only paginate` runs that part alone.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { startSandbox } from '../emulator/setup.js'
import { createTestPki } from '../emulator/tls.js'
import { node24 } from '../scripts/node24.mjs'
import { apiBench } from './api.js'
import { timedChild } from './child.js'
import { paginateBench } from './paginate.js'

// The runner stand-in reads ACTION_NODE when it is loaded: choose the Node first, then load it.
const measured = node24()
process.env.ACTION_NODE = measured.node
const { ROOT, runAction } = await import('../emulator/runner.js')

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '30' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
    'previous-cap-seconds': { type: 'string', default: '30' }
  }
})
const rounds = Number(args.rounds)
const dir = mkdtempSync(join(tmpdir(), 'bench-'))
const paginate = () =>
  paginateBench({ node: measured.node, root: ROOT, dir, capMs: Number(args['previous-cap-seconds']) * 1000 })
if (args.only === 'paginate') {
  await paginate()
  rmSync(dir, { recursive: true, force: true })
  process.exit(0)
}
const rssFile = join(dir, 'rss')
const probe = ['-r', join(ROOT, 'bench', 'rss.cjs')]

const pki = createTestPki(['localhost'])
const caFile = join(dir, 'ca.pem')
writeFileSync(caFile, pki.caCert)
const sandbox = await startSandbox({ consent: true, hostname: 'localhost', tls: { key: pki.key, cert: pki.cert } })
const common = { NODE_EXTRA_CA_CERTS: caFile, BENCH_RSS_FILE: rssFile }

interface Sample {
  ms: number
  rssKiB: number
  requests: number
}

function peakRss(): number {
  const kib = Number(readFileSync(rssFile, 'utf8'))
  rmSync(rssFile)
  return kib
}

/** Runs a node script as a plain child process, timed from spawn to exit. */
async function node(args: string[], env: Record<string, string>): Promise<Sample> {
  const before = sandbox.emulator.requests.length
  const { ms } = await timedChild(measured.node, [...probe, ...args], {
    PATH: process.env.PATH ?? '',
    ...common,
    ...env
  })
  return { ms, rssKiB: peakRss(), requests: sandbox.emulator.requests.length - before }
}

async function action(inputs: Record<string, string> = {}, expectExit = 0, nodeArgs: string[] = []): Promise<Sample> {
  const before = sandbox.emulator.requests.length
  const run = await runAction({ inputs: sandbox.inputs(inputs), env: common, nodeArgs: [...probe, ...nodeArgs] })
  if (run.exitCode !== expectExit) throw new Error(`the action exited ${run.exitCode}: ${run.errors.join('; ')}`)
  return { ms: run.durationMs, rssKiB: peakRss(), requests: sandbox.emulator.requests.length - before }
}

const contenders: Record<string, () => Promise<Sample>> = {
  'floor (node -e "")': () => node(['-e', ''], {}),
  'this action (dist/index.js)': () => action(),
  'peer (docusign-esign SDK)': () =>
    node([join(ROOT, 'bench', 'peer-docusign-sdk.cjs')], {
      BENCH_OAUTH_HOST: new URL(sandbox.emulator.url).host,
      BENCH_INTEGRATION_KEY: sandbox.integrationKey,
      BENCH_USER_ID: sandbox.userId,
      BENCH_PRIVATE_KEY: sandbox.privateKey
    })
}
const names = Object.keys(contenders)
const samples = new Map<string, Sample[]>(names.map(n => [n, []]))
// The emulator shares this process with the harness, whose garbage (logs, transcripts, recorded
// requests) would otherwise be collected in the middle of some timed run, slowing the emulator's
// answers by a few ms. `npm run bench` exposes gc(), to collect before each run instead.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => undefined)

try {
  for (const name of names) await contenders[name]() // warm-up: disk cache, JIT of the emulator
  for (let round = 0; round < rounds; round++) {
    // Rotate the order each round so no contender always runs first.
    const order = names.map((_, i) => names[(i + round) % names.length])
    for (const name of order) {
      collect()
      samples.get(name)!.push(await contenders[name]())
    }
  }
  const skip = await action({ 'skip-account-lookup': 'true' })
  const invalid = await action({ 'user-id': 'not-a-guid' }, 1)
  if (args['cpu-prof']) {
    await action({}, 0, ['--cpu-prof', `--cpu-prof-dir=${resolve(args['cpu-prof'])}`])
    console.log(`\nA CPU profile of one more run is in ${resolve(args['cpu-prof'])}`)
  }

  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const stats = (name: string, pick: (s: Sample) => number) => {
    const xs = samples.get(name)!.map(pick)
    return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) }
  }
  const fmt = (s: { median: number; min: number; max: number }, unit: string, scale = 1) =>
    `${(s.median / scale).toFixed(1)} ${unit} (${(s.min / scale).toFixed(1)}-${(s.max / scale).toFixed(1)})`

  console.log(
    `\n${rounds} rounds after a warm-up; ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; ` +
      `measured on Node ${measured.version} (harness and emulator on Node ${process.version})\n`
  )
  if (measured.note) console.log(`Note: ${measured.note}.\n`)
  console.log('| | wall time, median (min-max) | peak RSS, median (min-max) | requests per run |')
  console.log('|---|---|---|---|')
  for (const name of names) {
    const requests = [...new Set(samples.get(name)!.map(s => s.requests))].join('/')
    console.log(
      `| ${name} | ${fmt(
        stats(name, s => s.ms),
        'ms'
      )} | ${fmt(
        stats(name, s => s.rssKiB),
        'MB',
        1024
      )} | ${requests} |`
    )
  }
  // Compared round by round: the machine's speed drifts (a shared VM), and the three runs of one
  // round see the same speed, so paired figures are steadier than a ratio of separate medians.
  const [floors, ours, peers] = names.map(n => samples.get(n)!.map(s => s.ms))
  const overFloor = median(ours.map((ms, i) => ms - floors[i]))
  const ofPeer = median(ours.map((ms, i) => ms / peers[i]))
  const rss = stats(names[1], s => s.rssKiB).median / 1024
  // The action ships dist/index.js and the chunks ncc split off it (<id>.index.js, loaded on demand).
  const dist = join(ROOT, 'dist')
  const kb = (file: string) => statSync(join(dist, file)).size / 1000
  const chunks = readdirSync(dist).filter(f => /^\d+\.index\.js$/.test(f))
  const entry = kb('index.js')
  const size = chunks.reduce((sum, f) => sum + kb(f), entry)
  const requests = [...new Set(samples.get(names[1])!.map(s => s.requests))]
  const targets: [string, string, boolean][] = [
    ['action / peer wall time, median of rounds', `${ofPeer.toFixed(2)} (at most 0.35)`, ofPeer <= 0.35],
    ['action - floor wall time, median of rounds', `${overFloor.toFixed(1)} ms (at most 80 ms)`, overFloor <= 80],
    [
      'dist/index.js size, with its chunks',
      `${size.toFixed(1)} KB (at most 640 KB; index.js ${entry.toFixed(1)} KB, ${chunks.length} chunks)`,
      size <= 640
    ],
    ['action peak RSS', `${rss.toFixed(1)} MB (at most 70 MB)`, rss <= 70],
    [
      'requests: full / skip-account-lookup / invalid input',
      `${requests.join(',')} / ${skip.requests} / ${invalid.requests} (2 / 1 / 0)`,
      requests.length === 1 && requests[0] === 2 && skip.requests === 1 && invalid.requests === 0
    ]
  ]
  console.log('\n| target | figure | met |\n|---|---|---|')
  for (const [what, figure, met] of targets) console.log(`| ${what} | ${figure} | ${met ? 'yes' : 'NO'} |`)
  await apiBench({ rounds: Math.max(1, Math.ceil(rounds / 3)), node: measured.node, root: ROOT, sandbox, caFile })
  await paginate()
} finally {
  await sandbox.emulator.close()
  rmSync(dir, { recursive: true, force: true })
}
