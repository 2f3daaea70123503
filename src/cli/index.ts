import { main } from './main.js'

// The exit code is set, not forced: stdout and stderr drain before Node exits.
void main(process.argv.slice(2), process.env, {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text)
}).then(code => {
  process.exitCode = code
})
