import { run } from './main.js'

/**
 * The task's entry, what task.json's Node24 and Node20_1 handlers run. stdout only: the agent reads
 * both streams for commands, and one stream keeps them in order. It exits 0 whatever happened: the
 * Node handler takes any other code for a broken agent and adds an error issue of its own ("Exit code 3
 * returned from process…", microsoft/azure-pipelines-agent src/Agent.Worker/Handlers/NodeHandler.cs,
 * requireExitCodeZero), while the task's failure is told by task.logissue and task.complete. As the
 * action's entry does, it exits after a short grace once done, so a socket nobody can cancel never
 * outlives the step.
 */
const GRACE_MS = 1000

void run(process.env, { write: text => process.stdout.write(text) }, __dirname).then(() => {
  setTimeout(() => process.exit(0), GRACE_MS).unref()
})
