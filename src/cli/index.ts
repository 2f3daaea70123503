import { main } from './main.js'

// The exit code is set, not forced: stdout and stderr drain before Node exits.
void main(process.argv.slice(2), process.env, {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
  stdoutStream: process.stdout,
  stdin: async () => {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks)
  }
}).then(code => {
  process.exitCode = code
  // A socket the HTTP client cannot cancel (a proxy tunnel that never closes) must not keep the
  // command alive: exit after a short grace; unref'd, so it costs nothing when nothing is left open.
  setTimeout(() => process.exit(), 1000).unref()
})
