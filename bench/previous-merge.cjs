// The --paginate merge before issue 22, for comparison: every page parsed into objects, and each
// page's arrays appended by copying the whole list again ([...merged, ...page]): quadratic time, and
// memory of every item as an object. It fetches the same pages over one kept-alive connection, and
// stops after BENCH_CAP_MS, printing how many pages it reached, so a bench run stays short.
const http = require('node:http')

const started = performance.now()
const cap = Number(process.env.BENCH_CAP_MS)
const agent = new http.Agent({ keepAlive: true })

function get(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent }, res => {
        const chunks = []
        res.on('data', c => chunks.push(c))
        res.on('end', () => resolve(Buffer.concat(chunks)))
        res.on('error', reject)
      })
      .on('error', reject)
  })
}

function mergePage(merged, page) {
  const out = { ...merged }
  for (const [key, value] of Object.entries(page)) {
    if (Array.isArray(value)) out[key] = Array.isArray(out[key]) ? [...out[key], ...value] : value
  }
  if ('endPosition' in page) out.endPosition = page.endPosition
  return out
}

async function main() {
  let url = process.env.BENCH_FIRST_URL
  let merged
  let pages = 0
  while (url) {
    const page = JSON.parse((await get(url)).toString('utf8'))
    merged = merged ? mergePage(merged, page) : { ...page }
    pages++
    url = page.nextUri ? `${process.env.BENCH_BASE}${page.nextUri}` : undefined
    if (url && performance.now() - started > cap) break
  }
  const done = !url
  if (done) {
    delete merged.nextUri
    process.stdout.write(JSON.stringify(merged))
  }
  process.stderr.write(JSON.stringify({ pages, done }))
  agent.destroy()
}

main().catch(error => {
  process.stderr.write(String(error))
  process.exitCode = 1
})
