import { run } from './main.js'

/**
 * The task's entry, what task.json's Node24 and Node20_1 handlers run. stdout only: the agent reads
 * both streams for commands, and one stream keeps them in order. As the action's entry does, it
 * exits after a short grace once done, so a socket nobody can cancel never outlives the step.
 */
const GRACE_MS = 1000

void run(process.env, { write: text => process.stdout.write(text) }, __dirname).then(code => {
  process.exitCode = code
  setTimeout(() => process.exit(), GRACE_MS).unref()
})
