import { run } from './main.js'

/**
 * Once the step's work is done, a socket the HTTP client cannot cancel (a proxy tunnel to a peer that
 * never closes) must not keep the step alive past its time limit: exit after a short grace. The timer
 * is unref'd, so a step with nothing left open exits at once, as before.
 */
const GRACE_MS = 1000

void run().finally(() => setTimeout(() => process.exit(), GRACE_MS).unref())
