/**
 * `docusign-jwt api --paginate` on long lists, against the merge it had before (bench/previous-merge.cjs:
 * objects, each page copying the whole list): 250 pages of 1,000 envelope summaries (about the 256 MiB
 * cap's reach) and 1,000 pages of 10,000 small items. A local server of this process serves the pages
 * over loopback HTTP; each contender runs once as a child process, its peak RSS from bench/rss.cjs.
 * The previous merge is stopped after `capMs` (it takes minutes on the second list).
 */
import { readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { timedChild } from './child.js'

export interface PaginateBenchOptions {
  node: string
  root: string
  dir: string
  capMs: number
}

const ACCOUNT = '7a7a7a7a-0000-4000-8000-00000000c004'

const summary = (n: number): string =>
  JSON.stringify({
    envelopeId: `${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`,
    status: 'sent',
    emailSubject: `Invoice ${n}`,
    statusChangedDateTime: '2021-01-01T00:00:00.0000000Z',
    createdDateTime: '2021-01-01T00:00:00.0000000Z',
    sentDateTime: '2021-01-01T00:00:00.0000000Z',
    envelopeUri: `/envelopes/${n}`,
    documentsUri: `/envelopes/${n}/documents`,
    recipientsUri: `/envelopes/${n}/recipients`,
    sender: { userName: 'Bench Sender', email: 'sender@example.com' },
    purgeState: 'unpurged',
    is21CFRPart11: 'false'
  })
const small = (n: number): string => `{"i":${n}}`

interface Case {
  name: string
  pages: number
  perPage: number
  item: (n: number) => string
}

const CASES: Case[] = [
  { name: '250 pages of 1,000 envelope summaries', pages: 250, perPage: 1000, item: summary },
  { name: '1,000 pages of 10,000 small items', pages: 1000, perPage: 10_000, item: small }
]

/** Pages as DocuSign shapes them (resultSetSize, the list, nextUri relative to /restapi/v2.1). */
async function pageServer(c: Case): Promise<{ origin: string; bytes: () => number; close: () => Promise<void> }> {
  let bytes = 0
  const server = http.createServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 0)
    const items = Array.from({ length: c.perPage }, (_, k) => c.item(page * c.perPage + k)).join(',')
    const next = page + 1 < c.pages ? `,"nextUri":"/accounts/${ACCOUNT}/envelopes?page=${page + 1}"` : ''
    const body = `{"resultSetSize":"${c.perPage}","envelopes":[${items}]${next}}`
    if (page === 0) bytes = 0
    bytes += Buffer.byteLength(body)
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(body)
  })
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bytes: () => bytes,
    close: () => new Promise<void>(done => server.close(() => done()))
  }
}

async function measure(
  node: string,
  args: string[],
  env: Record<string, string>,
  rssFile: string
): Promise<{ ms: number; mb: number; stderr: string }> {
  const { ms, stderr } = await timedChild(node, args, { PATH: process.env.PATH ?? '', BENCH_RSS_FILE: rssFile, ...env })
  const mb = Number(readFileSync(rssFile, 'utf8')) / 1024
  rmSync(rssFile)
  return { ms, mb, stderr }
}

export async function paginateBench({ node, root, dir, capMs }: PaginateBenchOptions): Promise<void> {
  const rssFile = join(dir, 'rss-paginate')
  const probe = ['-r', join(root, 'bench', 'rss.cjs')]
  console.log('\n### docusign-jwt api --paginate: long lists, against the previous merge')
  console.log('\n| list | merge | wall time | peak RSS | pages |\n|---|---|---|---|---|')
  const verdicts: string[] = []
  for (const c of CASES) {
    const server = await pageServer(c)
    try {
      const base = `${server.origin}/restapi`
      const env = { DOCUSIGN_ACCESS_TOKEN: 'bench-token', DOCUSIGN_BASE_PATH: base, DOCUSIGN_ACCOUNT_ID: ACCOUNT }
      const ours = await measure(
        node,
        [...probe, join(root, 'dist', 'cli.js'), 'api', '/envelopes', '--paginate'],
        env,
        rssFile
      )
      const heldMb = server.bytes() / 1024 / 1024
      console.log(
        `| ${c.name} | as text (now) | ${(ours.ms / 1000).toFixed(2)} s | ${ours.mb.toFixed(0)} MB | ${c.pages} |`
      )
      const before = await measure(
        node,
        [...probe, join(root, 'bench', 'previous-merge.cjs')],
        {
          BENCH_FIRST_URL: `${base}/v2.1/accounts/${ACCOUNT}/envelopes`,
          BENCH_BASE: `${base}/v2.1`,
          BENCH_CAP_MS: String(capMs)
        },
        rssFile
      )
      const reached = JSON.parse(before.stderr) as { pages: number; done: boolean }
      const pages = reached.done ? String(c.pages) : `${reached.pages} of ${c.pages} (stopped after ${capMs / 1000} s)`
      console.log(
        `| ${c.name} | objects, copied per page (before) | ${(before.ms / 1000).toFixed(2)} s | ${before.mb.toFixed(0)} MB | ${pages} |`
      )
      const bound = 3 * heldMb + 100
      verdicts.push(
        `| ${c.name}: under 10 s | ${(ours.ms / 1000).toFixed(2)} s | ${ours.ms < 10_000 ? 'yes' : 'NO'} |`,
        `| ${c.name}: peak RSS within 3 x ${heldMb.toFixed(0)} MB held + 100 MB | ${ours.mb.toFixed(0)} MB (at most ${bound.toFixed(0)} MB) | ${ours.mb <= bound ? 'yes' : 'NO'} |`
      )
    } finally {
      await server.close()
    }
  }
  console.log(`\n| target | figure | met |\n|---|---|---|\n${verdicts.join('\n')}`)
}
