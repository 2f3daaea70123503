/** The benchmark is not a test, but it must keep working: one round, end to end. */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, it } from '@jest/globals'
import { ROOT } from '../emulator/runner.js'
import { node24 } from '../scripts/node24.mjs'

it('npm run bench runs end to end with one round', async () => {
  const args = ['run', '--silent', 'bench', '--', '--rounds', '1', '--previous-cap-seconds', '2']
  const { stdout } = await promisify(execFile)('npm', args, { cwd: ROOT, timeout: 100_000 })
  // Timed on the Node the action runs on (the global setup's ACTION_NODE, which npm run bench inherits).
  expect(stdout).toContain(`measured on Node ${node24().version} `)
  expect(stdout).toMatch(/^\| floor \(node -e ""\) \| [\d.]+ ms .*\| 0 \|$/m)
  expect(stdout).toMatch(/^\| this action \(dist\/index\.js\) \| [\d.]+ ms .*\| [\d.]+ MB .*\| 2 \|$/m)
  expect(stdout).toMatch(/^\| peer \(docusign-esign SDK\) \| [\d.]+ ms .*\| 2 \|$/m)
  expect(stdout).toMatch(
    /^\| requests: full \/ skip-account-lookup \/ invalid input \| 2 \/ 1 \/ 0 \(2 \/ 1 \/ 0\) \| yes \|$/m
  )
  expect(stdout).toMatch(
    /^\| dist\/index\.js size, with its chunks \| [\d.]+ KB \(at most 640 KB; index\.js [\d.]+ KB/m
  )
  // docusign-jwt api against the curl loop: three pages, one connection on the slow link.
  expect(stdout).toMatch(
    /^\| slow link \(25 ms each way\) \| docusign-jwt api --paginate \| [\d.]+ ms .*\| 3 \| 1 \|$/m
  )
  expect(stdout).toMatch(/^\| slow link: fewer connections \(round trips\) than the curl loop \| 1 vs 3 \| yes \|$/m)
  // --paginate on long lists, merged as text, against the previous merge (stopped after 2 s).
  expect(stdout).toMatch(/^\| 1,000 pages of 10,000 small items \| as text \(now\) \| [\d.]+ s \| \d+ MB \| 1000 \|$/m)
  expect(stdout).toMatch(
    /^\| 1,000 pages of 10,000 small items \| objects, copied per page \(before\) \| .*stopped after 2 s/m
  )
}, 160_000)
