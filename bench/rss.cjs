// Preloaded (node -r) into every measured process alike: writes its peak RSS (KiB) when it exits.
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS))
})
