/**
 * Exactly once: after DocuSign says yes, nothing is lost, repeated or broken (issue 22). The built
 * `docusign-jwt api`, as a child process, against the emulator and hostile servers of the test's own:
 * what can be checked locally fails before anything is sent (exit 2); a request DocuSign accepted is
 * never one to try again (exit 6); -o writes its own file and nothing else; --paginate in linear time
 * and bounded memory; waits that a server's headers cannot make immediate; --log-safe fences stdout.
 */
import { execFile, spawn, spawnSync } from 'node:child_process'
import {
  chmodSync,
  chownSync,
  lchownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import type http from 'node:http'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ACTION_NODE, ROOT, startJob } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { CLI, cli, restUser, scratch } from './helpers/cli.js'
import { pkcs1 } from './helpers/keys.js'
import { restServer, type RestServer } from './helpers/rest-server.js'

let sandbox: Sandbox
let userId: string
const accountId = '4c1d2e3f-0000-4000-8000-00000000a022'
let exported: Record<string, string>
const ENVELOPE_ID = '1b2c3d4e-0000-4000-8000-000000000022'
/** mknod needs root (CI runs the tests as root); elsewhere those tests are skipped, their names say why. */
const asRoot = process.getuid?.() === 0
const itAsRoot = asRoot ? it : it.skip
/** A mount namespace of its own (root, and a kernel and container that allow unshare). */
const canIsolate = asRoot && spawnSync('unshare', ['-m', 'true']).status === 0
const itIsolated = canIsolate ? it : it.skip

const restRequests = () => sandbox.emulator.esign.requests
const envelopes = () => sandbox.emulator.esign.envelopes(accountId)

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: pkcs1 })
  ;({ userId, exported } = await restUser(sandbox, accountId, 'Once'))
})
afterAll(() => sandbox.emulator.close())
beforeEach(() => {
  sandbox.emulator.esign.requests.length = 0
})

const run = (args: string[], env: Record<string, string> = exported, input?: string) =>
  cli(sandbox, args, { env, input })
const envelope = (subject = 'Please sign') =>
  JSON.stringify({
    emailSubject: subject,
    status: 'sent',
    documents: [{ documentBase64: Buffer.from('%PDF-1.4 test').toString('base64'), name: 'a.pdf', documentId: '1' }],
    recipients: { signers: [{ email: 'signer@example.com', name: 'Signer', recipientId: '1' }] }
  })

/** A shell command line as a workflow step runs it (`bash -eo pipefail`, GitHub's default shell). */
async function bash(
  script: string,
  env: Record<string, string>
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const result = await promisify(execFile)('bash', ['--norc', '--noprofile', '-eo', 'pipefail', '-c', script], {
    env: { PATH: process.env.PATH ?? '', HOME: scratch(), NODE: ACTION_NODE, CLI, ...env },
    maxBuffer: 64 * 1024 * 1024
  }).then(
    ({ stdout, stderr }) => ({ exitCode: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ exitCode: e.code, stdout: e.stdout, stderr: e.stderr })
  )
  return result
}

/** The CLI with its stdout closed by the reader before the answer arrives: the next write is EPIPE. */
async function withStdoutClosed(
  args: string[],
  env: Record<string, string>
): Promise<{ exitCode: number | null; stderr: string }> {
  const child = spawn(ACTION_NODE, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env } })
  child.stdout.destroy()
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exitCode = await new Promise<number | null>(done => child.on('close', done))
  return { exitCode, stderr }
}

/** A 201 answer whose body is cut after its first bytes (Content-Length says more). */
const cutAfter =
  (location: string, first: string): http.RequestListener =>
  (req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': '4096', Location: location })
      res.write(first)
      setTimeout(() => res.socket?.destroy(), 50)
    })
  }
const createdThenCut = cutAfter(
  `http://127.0.0.1/restapi/v2.1/accounts/${accountId}/envelopes/${ENVELOPE_ID}`,
  `{"envelopeId":"${ENVELOPE_ID}","uri":"/envelopes/${ENVELOPE_ID}","status":"sent"`
)

/** A 2xx answer of several MB, so a reader that stops early meets the writer. */
const large =
  (status: number): http.RequestListener =>
  (req, res) => {
    req.resume()
    req.on('end', () => {
      res.writeHead(status, { 'Content-Type': 'application/json' })
      res.end(`{"envelopeId":"${ENVELOPE_ID}","pad":"${'x'.repeat(4 * 1024 * 1024)}"}`)
    })
  }

async function withServer<T>(handler: http.RequestListener, body: (s: RestServer) => Promise<T>): Promise<T> {
  const s = await restServer(handler, exported)
  try {
    return await body(s)
  } finally {
    await s.close()
  }
}

const expectAnswerLost = (stderr: string) => {
  expect(stderr).toMatch(/DocuSign accepted POST \S+ \(HTTP 201/)
  expect(stderr).toMatch(/Do not send it again/)
  expect(stderr).toMatch(/troubleshooting\.md#rest-answer-lost/)
  expect(stderr).not.toMatch(/Try again/i)
}

describe('exit code 6 is listed wherever exit codes are', () => {
  it('in --help, docs/cli.md, docs/api.md, troubleshooting, the README and the GitLab example', async () => {
    const help = await run(['api', '--help'])
    expect(help.stdout).toMatch(/^ {2}6 {2}\(api\) DocuSign accepted the request; its answer was lost/m)
    const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')
    expect(read('docs/cli.md')).toMatch(/^\| `6` +\| \(`api`\) DocuSign accepted the request; its answer was lost/m)
    expect(read('docs/api.md')).toMatch(/^- `6`: DocuSign accepted the request; its answer was lost/m)
    const meaning = 'DocuSign accepted the request; its answer was lost'
    expect(read('docs/troubleshooting.md')).toMatch(/^### REST answer lost$/m)
    expect(read('docs/troubleshooting.md').replace(/\s+/g, ' ')).toContain(`(exit 6, "${meaning}")`)
    expect(read('README.md').replace(/\s+/g, ' ')).toContain(`Exit code \`6\`: ${meaning}`)
    expect(read('examples/gitlab-ci.yml')).toMatch(/^#.* 6 DocuSign accepted the request; its answer/m)
  })
})

describe('the -o target is checked before anything is sent', () => {
  it.each([
    ['a folder that does not exist', (dir: string) => join(dir, 'missing-dir', 'created.json'), /does not exist/],
    ['an existing directory', (dir: string) => dir, /is a directory/],
    [
      'a name ending in a slash, where a file of that name exists',
      (dir: string) => {
        writeFileSync(join(dir, 'out.json'), 'old')
        return `${dir}/out.json/`
      },
      /ends in a slash/
    ],
    ['a name ending in a slash, where nothing is', (dir: string) => `${dir}/new/`, /ends in a slash/]
  ])('%s: exit 2, no envelope created, no request', async (_name, target, message) => {
    const before = envelopes().length
    const r = await run(['api', '/envelopes', '--input', '-', '-o', target(scratch())], exported, envelope())
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(restRequests()).toHaveLength(0)
    expect(envelopes()).toHaveLength(before)
  })
})

describe('accepted means accepted: exit 6, never "try again"', () => {
  it('a 201 cut mid-body with -o: exit 6, FILE.incomplete (0600) holds what arrived, FILE is not there', async () => {
    const dir = scratch()
    const file = join(dir, 'created.json')
    const r = await withServer(createdThenCut, s => run(['api', '/envelopes', '--field', 'a=b', '-o', file], s.env))
    expect(r.exitCode).toBe(6)
    expectAnswerLost(r.stderr)
    expect(r.stderr).toContain(`envelopeId ${ENVELOPE_ID}`)
    expect(r.stderr).toContain(`Location: http://127.0.0.1/restapi/v2.1/accounts/${accountId}/envelopes/${ENVELOPE_ID}`)
    expect(r.stderr).toContain(`docusign-jwt api /envelopes/${ENVELOPE_ID}`)
    expect(r.stderr).toContain(`${file}.incomplete`)
    expect(existsSync(file)).toBe(false)
    expect(readFileSync(`${file}.incomplete`, 'utf8')).toContain(ENVELOPE_ID)
    expect(statSync(`${file}.incomplete`).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir).sort()).toEqual(['created.json.incomplete'])
  })

  it('a 201 cut mid-body on stdout: exit 6, once', async () => {
    await withServer(createdThenCut, async s => {
      const r = await run(['api', '/envelopes', '--field', 'a=b'], s.env)
      expect(r.exitCode).toBe(6)
      expectAnswerLost(r.stderr)
      expect(s.hits).toHaveLength(1)
    })
  })

  it('a created envelope whose reader closed stdout early (EPIPE): exit 6, the envelope exists once', async () => {
    const before = envelopes().length
    const file = join(scratch(), 'envelope.json')
    writeFileSync(file, envelope('Closed early'))
    const closed = await withStdoutClosed(['api', '/envelopes', '--input', file], exported)
    expect(closed.exitCode).toBe(6)
    expectAnswerLost(closed.stderr)
    expect(closed.stderr).toMatch(/stdout could not be written \(EPIPE/)
    expect(envelopes()).toHaveLength(before + 1)
    expect(closed.stderr).toContain(`envelopeId ${envelopes().at(-1)!.envelopeId}`)
  })

  it('-i -o FILE with stdout closed early: the body still reaches FILE (a GET left the old file and said 0; a POST lost it)', async () => {
    const file = join(scratch(), 'out.json')
    writeFileSync(file, 'stale')
    const get = await withStdoutClosed(['api', '/envelopes?from_date=2020-01-01', '-i', '-o', file], exported)
    expect(get).toEqual({ exitCode: 0, stderr: '' })
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('resultSetSize')
    const input = join(scratch(), 'envelope.json')
    writeFileSync(input, envelope('Head closed'))
    const before = envelopes().length
    const post = await withStdoutClosed(['api', '/envelopes', '--input', input, '-i', '-o', file], exported)
    expect(post).toEqual({ exitCode: 0, stderr: '' })
    expect(envelopes()).toHaveLength(before + 1)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('envelopeId', envelopes().at(-1)!.envelopeId)
  })

  itAsRoot(
    '-i -o FILE with stdout on a full disk (a /dev/full node of its own): exit 6 naming FILE, which holds the body (needs root for mknod)',
    async () => {
      const dir = scratch()
      await bash(`mknod "${dir}/full" c 1 7`, {})
      writeFileSync(join(dir, 'envelope.json'), envelope('Head on a full disk'))
      const r = await bash(
        `"$NODE" "$CLI" api /envelopes --input "${dir}/envelope.json" -i -o "${dir}/out.json" > "${dir}/full"`,
        exported
      )
      expect(r.exitCode).toBe(6)
      expectAnswerLost(r.stderr)
      expect(r.stderr).toMatch(/stdout could not be written \(ENOSPC/)
      expect(r.stderr).toContain(`What arrived is in ${dir}/out.json.`)
      expect(JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'))).toHaveProperty(
        'envelopeId',
        envelopes().at(-1)!.envelopeId
      )
    }
  )

  it("-o's folder removed while the POST was on its way: exit 6 with the envelope ID read from the answer", async () => {
    const dir = join(scratch(), 'out')
    await bash(`mkdir "${dir}"`, {})
    const removing: http.RequestListener = (req, res) => {
      rmSync(dir, { recursive: true })
      large(201)(req, res)
    }
    const r = await withServer(removing, s =>
      run(['api', '/envelopes', '--field', 'a=b', '-o', join(dir, 'x.json')], s.env)
    )
    expect(r.exitCode).toBe(6)
    expectAnswerLost(r.stderr)
    expect(r.stderr).toContain(`envelopeId ${ENVELOPE_ID}`)
    expect(r.stderr).toContain(`docusign-jwt api /envelopes/${ENVELOPE_ID}`)
  })

  it('-o FILE (mode 0644) made a folder while the POST was on its way: exit 6, FILE.incomplete holds the answer, mode 0600', async () => {
    const dir = scratch()
    const file = join(dir, 'out.json')
    writeFileSync(file, 'old')
    chmodSync(file, 0o644)
    const replacing: http.RequestListener = (req, res) => {
      rmSync(file)
      mkdirSync(file)
      large(201)(req, res)
    }
    const r = await withServer(replacing, s => run(['api', '/envelopes', '--field', 'a=b', '-o', file], s.env))
    expect(r.exitCode).toBe(6)
    expectAnswerLost(r.stderr)
    expect(r.stderr).toContain(`What arrived is in ${file}.incomplete.`)
    expect(readFileSync(`${file}.incomplete`, 'utf8')).toContain(ENVELOPE_ID)
    expect(statSync(`${file}.incomplete`).mode & 0o777).toBe(0o600)
  })

  it('exit 6 quotes into its look-up command only a GUID envelope ID and a Location without a quote (a hostile answer is no command to paste)', async () => {
    const hostile = cutAfter("/x';touch pwned;'", '{"envelopeId":"$(touch pwned)"')
    const r = await withServer(hostile, s => run(['api', '/envelopes', '--field', 'a=b'], s.env))
    expect(r.exitCode).toBe(6)
    expectAnswerLost(r.stderr)
    expect(r.stderr).not.toMatch(/api \/envelopes\/\$\(|api '\/x'/)
    expect(r.stderr).toContain("Look it up with docusign-jwt api '/envelopes?from_date=…'")
  })

  it('a POST answered 303 See Other (carried out, result elsewhere): exit 6 with the Location, sent once; a GET redirected stays exit 5', async () => {
    const seeOther: http.RequestListener = (req, res) => {
      req.resume()
      res.writeHead(303, { Location: `/restapi/v2.1/accounts/${accountId}/envelopes/${ENVELOPE_ID}` })
      res.end()
    }
    await withServer(seeOther, async s => {
      const post = await run(['api', '/envelopes', '--field', 'a=b', '--max-attempts', '3'], s.env)
      expect(post.exitCode).toBe(6)
      expect(post.stderr).toContain(
        `(HTTP 303, Location: /restapi/v2.1/accounts/${accountId}/envelopes/${ENVELOPE_ID}), but its answer was lost`
      )
      expect(post.stderr).toMatch(/Do not send it again/)
      expect(s.hits).toHaveLength(1)
      const get = await run(['api', '/envelopes/x', '--max-attempts', '1'], s.env)
      expect(get.exitCode).toBe(5)
      expect(get.stderr).toMatch(/Redirects are never followed/)
    })
  })

  it('a created envelope piped into | head: exit 6 under pipefail', async () => {
    await withServer(large(201), async s => {
      const r = await bash('"$NODE" "$CLI" api /envelopes --field a=b | head -c 10', s.env)
      expect(r.exitCode).toBe(6)
      expectAnswerLost(r.stderr)
      expect(s.hits).toHaveLength(1)
    })
  })

  it('a GET whose reader stops early (| head): exit 0 and nothing on stderr', async () => {
    await withServer(large(200), async s => {
      const r = await bash('"$NODE" "$CLI" api "/envelopes/x" | head -c 10', s.env)
      expect({ exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr }).toEqual({
        exitCode: 0,
        stdout: '{"envelope',
        stderr: ''
      })
    })
  })

  itAsRoot(
    'a created envelope written to a full disk (a /dev/full node of its own): exit 6 (needs root for mknod)',
    async () => {
      const dir = scratch()
      const full = join(dir, 'full')
      await bash(`mknod "${full}" c 1 7`, {})
      await withServer(large(201), async s => {
        const r = await run(['api', '/envelopes', '--field', 'a=b', '-o', full], s.env)
        expect(r.exitCode).toBe(6)
        expect(r.stderr).toMatch(/could not be written \(ENOSPC/)
        expectAnswerLost(r.stderr)
      })
      expect(lstatSync(full).isCharacterDevice()).toBe(true)
    }
  )
})

describe('-o writes what is there, and only that', () => {
  itAsRoot(
    'a character device of its own (as /dev/null): written in place, still that device, same mode and owner (needs root for mknod)',
    async () => {
      const dir = scratch()
      const device = join(dir, 'null')
      await bash(`mknod -m 0620 "${device}" c 1 3`, {})
      const before = lstatSync(device)
      const r = await run(['api', '/envelopes?from_date=2020-01-01', '-o', device])
      expect(r.exitCode).toBe(0)
      const after = lstatSync(device)
      expect(after.isCharacterDevice()).toBe(true)
      expect({ mode: after.mode, uid: after.uid, gid: after.gid, rdev: after.rdev }).toEqual({
        mode: before.mode,
        uid: before.uid,
        gid: before.gid,
        rdev: before.rdev
      })
      expect(readdirSync(dir)).toEqual(['null'])
    }
  )

  it('a FIFO made for the test: written in place, still a FIFO, its reader gets the answer', async () => {
    const dir = scratch()
    const fifo = join(dir, 'fifo')
    await bash(`mkfifo -m 0640 "${fifo}"`, {})
    const before = lstatSync(fifo)
    const r = await bash(
      `timeout 20 cat "${fifo}" > "${dir}/read" & "$NODE" "$CLI" api '/envelopes?from_date=2020-01-01' -o "${fifo}"; wait`,
      exported
    )
    expect(r.exitCode).toBe(0)
    const after = lstatSync(fifo)
    expect(after.isFIFO()).toBe(true)
    expect({ mode: after.mode, uid: after.uid }).toEqual({ mode: before.mode, uid: before.uid })
    expect(JSON.parse(readFileSync(join(dir, 'read'), 'utf8'))).toHaveProperty('resultSetSize')
  })

  it('a FIFO with no reader: the command waits before sending, not after DocuSign took the envelope', async () => {
    const fifo = join(scratch(), 'fifo')
    await bash(`mkfifo "${fifo}"`, {})
    const r = await bash(`timeout 3 "$NODE" "$CLI" api /envelopes --input - -o "${fifo}" <<< '${envelope()}'`, exported)
    expect(r.exitCode).toBe(124)
    expect(restRequests()).toHaveLength(0)
  })

  it('/dev/fd/3 and /proc/self/fd/1: written where they are', async () => {
    const dir = scratch()
    const list = `"$NODE" "$CLI" api '/envelopes?from_date=2020-01-01'`
    const r = await bash(`${list} -o /dev/fd/3 3> "${dir}/three"; ${list} -o /proc/self/fd/1 > "${dir}/one"`, exported)
    expect(r.exitCode).toBe(0)
    for (const name of ['three', 'one']) {
      expect(JSON.parse(readFileSync(join(dir, name), 'utf8'))).toHaveProperty('resultSetSize')
    }
  })

  it('a link to the process stdout (out.json -> /proc/self/fd/1): written in place, a POST is not lost to the pipe', async () => {
    const dir = scratch()
    symlinkSync('/proc/self/fd/1', join(dir, 'out.json'))
    writeFileSync(join(dir, 'envelope.json'), envelope('Through a link'))
    const before = envelopes().length
    const piped = await bash(
      `"$NODE" "$CLI" api /envelopes --input "${dir}/envelope.json" -o "${dir}/out.json" | cat`,
      exported
    )
    expect(piped.stderr).toBe('')
    expect(piped.exitCode).toBe(0)
    expect(envelopes()).toHaveLength(before + 1)
    expect(JSON.parse(piped.stdout)).toHaveProperty('envelopeId', envelopes().at(-1)!.envelopeId)
    // stdout on a file: that file is written where it is (the same inode), not replaced by another.
    const list = `"$NODE" "$CLI" api '/envelopes?from_date=2020-01-01' -o "${dir}/out.json"`
    const inFile = await bash(
      `: > "${dir}/log"; stat -c %i "${dir}/log"; ${list} >> "${dir}/log"; stat -c %i "${dir}/log"`,
      exported
    )
    expect(inFile.exitCode).toBe(0)
    const [inodeBefore, inodeAfter] = inFile.stdout.trim().split('\n')
    expect(inodeAfter).toBe(inodeBefore)
    expect(JSON.parse(readFileSync(join(dir, 'log'), 'utf8'))).toHaveProperty('resultSetSize')
    expect(lstatSync(join(dir, 'out.json')).isSymbolicLink()).toBe(true)
  })

  // Never the machine's own /dev/stdout: a regression would replace it for every process (as the
  // previous code did, as root). A mount namespace gives the command a /dev of its own.
  itIsolated(
    '/dev/stdout, in a /dev of its own: written where it is, still the link it was (needs root and unshare)',
    async () => {
      const dir = scratch()
      const r = await bash(
        `unshare -m --propagation private sh -c 'mount -t tmpfs none /dev && ln -s /proc/self/fd/1 /dev/stdout && "$NODE" "$CLI" api "/envelopes?from_date=2020-01-01" -o /dev/stdout > "${dir}/out" && ls -l /dev > "${dir}/dev"'`,
        exported
      )
      expect(r.exitCode).toBe(0)
      expect(JSON.parse(readFileSync(join(dir, 'out'), 'utf8'))).toHaveProperty('resultSetSize')
      const dev = readFileSync(join(dir, 'dev'), 'utf8').trim().split('\n').slice(1)
      expect(dev).toEqual([expect.stringMatching(/^l.* stdout -> \/proc\/self\/fd\/1$/)])
    }
  )

  it('a symbolic link is written through; an existing file keeps its mode; no temporary file is left', async () => {
    const dir = scratch()
    const real = join(dir, 'real.json')
    writeFileSync(real, 'old')
    chmodSync(real, 0o640)
    symlinkSync(real, join(dir, 'link.json'))
    const r = await run(['api', '/envelopes?from_date=2020-01-01', '-o', join(dir, 'link.json')])
    expect(r.exitCode).toBe(0)
    expect(lstatSync(join(dir, 'link.json')).isSymbolicLink()).toBe(true)
    expect(JSON.parse(readFileSync(real, 'utf8'))).toHaveProperty('resultSetSize')
    expect(statSync(real).mode & 0o777).toBe(0o640)
    expect(readdirSync(dir).sort()).toEqual(['link.json', 'real.json'])
  })

  itAsRoot(
    "in a shared folder (sticky, world-writable, as /tmp), another user's link, file or FIFO is refused before sending, as the kernel's protected_symlinks, protected_regular and protected_fifos would (needs root for chown)",
    async () => {
      const shared = scratch()
      chmodSync(shared, 0o1777)
      const victim = join(scratch(), 'victim')
      writeFileSync(victim, 'precious')
      symlinkSync(victim, join(shared, 'link.json'))
      lchownSync(join(shared, 'link.json'), 65534, 65534)
      writeFileSync(join(shared, 'theirs.json'), 'theirs')
      chmodSync(join(shared, 'theirs.json'), 0o666)
      chownSync(join(shared, 'theirs.json'), 65534, 65534)
      await bash(`mkfifo -m 0666 "${shared}/fifo.json"`, {})
      chownSync(join(shared, 'fifo.json'), 65534, 65534)
      for (const [name, message] of [
        ['link.json', /is a symbolic link another user made in a shared folder/],
        ['theirs.json', /is a file another user owns in a shared folder/],
        ['fifo.json', /is a file another user owns in a shared folder/]
      ] as const) {
        const r = await run(['api', '/envelopes?from_date=2020-01-01', '-o', join(shared, name)])
        expect(r.exitCode).toBe(2)
        expect(r.stderr).toMatch(message)
      }
      expect(restRequests()).toHaveLength(0)
      expect(readFileSync(victim, 'utf8')).toBe('precious')
      expect(statSync(join(shared, 'theirs.json')).uid).toBe(65534)
      expect(readFileSync(join(shared, 'theirs.json'), 'utf8')).toBe('theirs')
      // The user's own link there is followed as before.
      symlinkSync(victim, join(shared, 'mine.json'))
      expect((await run(['api', '/envelopes?from_date=2020-01-01', '-o', join(shared, 'mine.json')])).exitCode).toBe(0)
      expect(JSON.parse(readFileSync(victim, 'utf8'))).toHaveProperty('resultSetSize')
    }
  )

  it('a file name of 255 bytes (the most a name may have): written, not exit 6 for a temporary name too long', async () => {
    const dir = scratch()
    const file = join(dir, `${'é'.repeat(125)}.json`)
    const r = await run(['api', '/envelopes', '--field', 'a=b', '-o', file])
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toHaveProperty('envelopeId')
    expect(readdirSync(dir)).toHaveLength(1)
  })

  it('a new file is created 0600', async () => {
    const file = join(scratch(), 'new.json')
    const r = await run(['api', '/envelopes?from_date=2020-01-01', '-o', file])
    expect(r.exitCode).toBe(0)
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })
})

describe('checked before sending: exit 2, nothing sent', () => {
  it.each([
    ['a header value with a control character (GET)', ['-H', 'X-Note: a\u0001b'], undefined, /--header is not/],
    [
      'a header value with a control character (POST)',
      ['--field', 'a=b', '-H', 'X-Note: a\u007fb'],
      undefined,
      /--header is not/
    ],
    ['a header name with a space', ['-H', 'X Note: a'], undefined, /--header is not/],
    ['a body that is not JSON', ['--input', '-'], Buffer.from('emailSubject=hello'), /The body .* is not JSON/],
    [
      'a body that is not UTF-8',
      ['--input', '-'],
      Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]),
      /is not UTF-8/
    ]
  ])('%s', async (_name, args, input, message) => {
    const r = await cli(sandbox, ['api', '/envelopes', ...args], { env: exported, input })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(restRequests()).toHaveLength(0)
  })

  it.each([
    ['/dev/fd/1 on a socket (a stdout Node or systemd gives)', '/dev/fd/1', /-o \/dev\/fd\/1 is a socket/],
    ['/dev/fd/57, not open', '/dev/fd/57', /-o \/dev\/fd\/57 is not an open file, FIFO or terminal/]
  ])('-o %s: exit 2, nothing sent, not exit 6 after the POST', async (_name, target, message) => {
    const r = await run(['api', '/envelopes', '--input', '-', '-o', target], exported, envelope())
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(restRequests()).toHaveLength(0)
  })

  it('a body with a byte-order mark is sent without it; an empty body is sent; another Content-Type skips the check', async () => {
    const seen: { type?: string; body: string }[] = []
    await withServer(
      (req, res) => {
        let body = ''
        req.on('data', (d: Buffer) => (body += d.toString('latin1')))
        req.on('end', () => {
          seen.push({ type: req.headers['content-type'], body })
          res.writeHead(200, { 'Content-Type': 'application/json' })
          res.end('{}')
        })
      },
      async s => {
        const bom = await cli(sandbox, ['api', '/envelopes', '-X', 'PUT', '--input', '-'], {
          env: s.env,
          input: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}')])
        })
        const empty = await run(['api', '/envelopes/x', '-X', 'PUT', '--input', '-'], s.env, '')
        const csv = await run(
          ['api', '/envelopes', '-X', 'PUT', '--input', '-', '-H', 'Content-Type: text/csv'],
          s.env,
          'a,b\n'
        )
        expect([bom.exitCode, empty.exitCode, csv.exitCode]).toEqual([0, 0, 0])
      }
    )
    expect(seen).toEqual([
      { type: 'application/json', body: '{"a":1}' },
      { type: 'application/json', body: '' },
      { type: 'text/csv', body: 'a,b\n' }
    ])
  })

  it.each([
    ['the base URI instead of the base path', (o: string) => o, (o: string) => `set it to ${o}/restapi`],
    ['a base path ending in /v2.1', (o: string) => `${o}/restapi/v2.1`, (o: string) => `set it to ${o}/restapi `],
    ['a base path ending in /v2', (o: string) => `${o}/restapi/v2/`, (o: string) => `set it to ${o}/restapi `]
  ])('%s: refused with the corrected value', async (_name, given, corrected) => {
    const origin = new URL(exported.DOCUSIGN_BASE_PATH).origin
    const r = await run(['api', '/envelopes'], { ...exported, DOCUSIGN_BASE_PATH: given(origin) })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain(corrected(origin))
    expect(restRequests()).toHaveLength(0)
  })

  it('a base path on a host that is neither DocuSign, loopback nor the custom environment: exit 2; with that environment it is tried', async () => {
    const env = { ...exported, DOCUSIGN_BASE_PATH: 'https://rest.attacker.invalid/restapi' }
    const refused = await run(['api', '/envelopes', '--max-attempts', '1'], env)
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toMatch(/names rest\.attacker\.invalid, not a DocuSign host/)
    const custom = await run(['api', '/envelopes', '--max-attempts', '1'], {
      ...env,
      DOCUSIGN_ENVIRONMENT: 'https://rest.attacker.invalid'
    })
    // Accepted as the step's own server: tried, and that name resolves nowhere.
    expect(custom.exitCode).toBe(5)
    expect(custom.stderr).toMatch(/got no answer/)
  })

  it('a PATH copied with /restapi/v2.1/accounts/ID/… goes to that one URL, not doubled', async () => {
    const r = await run(['api', `/restapi/v2.1/accounts/${accountId}/envelopes?from_date=2020-01-01`])
    expect(r.exitCode).toBe(0)
    expect(restRequests()[0].path).toBe(`/restapi/v2.1/accounts/${accountId}/envelopes`)
  })

  it('a 404 with no DocuSign error body says DocuSign sent none, and points at the PATH and the base path', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(404, { 'Content-Type': 'text/html' })
        res.end('<html>Not Found</html>')
      },
      async s => {
        const r = await run(['api', '/envelopes/x'], s.env)
        expect(r.exitCode).toBe(4)
        expect(r.stderr).toMatch(/DocuSign sent no error with this 404/)
        expect(r.stderr).toMatch(/base path \(DOCUSIGN_BASE_PATH ends in \/restapi/)
        expect(r.stderr).not.toMatch(/its message says what to change/)
      }
    )
  })
})

describe('retries never come at once on a hostile header', () => {
  it.each([
    ['Retry-After: -5', { 'Retry-After': '-5' }],
    ['Retry-After: 2.5', { 'Retry-After': '2.5' }],
    ['Retry-After: a past date', { 'Retry-After': 'Sat, 01 Jan 2000 00:00:00 GMT' }],
    ['Retry-After: not a number', { 'Retry-After': 'soon' }],
    [
      'X-RateLimit-Reset in the past',
      { 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '946684800' }
    ]
  ])('%s waits as the backoff would (at least half a second)', async (_name, headers) => {
    await withServer(
      (_req, res) => {
        res.writeHead(429, { 'Content-Type': 'application/json', ...headers })
        res.end('{"errorCode":"HOURLY_APIINVOCATION_LIMIT_EXCEEDED","message":"limit"}')
      },
      async s => {
        const r = await run(['api', '/envelopes?from_date=2020-01-01', '--max-attempts', '2'], s.env)
        expect(r.exitCode).toBe(5)
        expect(s.hits).toHaveLength(2)
        expect(s.hits[1] - s.hits[0]).toBeGreaterThanOrEqual(450)
      }
    )
  })
})

describe('--paginate in linear time and bounded memory', () => {
  /** `count` pages of `perPage` items each (`same`: one item text for all, built once), each naming the next. */
  const pages = (count: number, item: (n: number) => string, perPage: number, same = false): http.RequestListener => {
    const list = (page: number) => Array.from({ length: perPage }, (_, k) => item(page * perPage + k)).join(',')
    const fixed = same ? Buffer.from(list(0)) : undefined
    return (req, res) => {
      const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page') ?? 0)
      const next = page + 1 < count ? `,"nextUri":"/accounts/${accountId}/envelopes?page=${page + 1}"` : ''
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.write(`{"resultSetSize":"${perPage}","envelopes":[`)
      res.write(fixed ?? list(page))
      res.end(`]${next}}`)
    }
  }

  it('merges 400 pages of 10,000 small items quickly (the previous merge copied the list per page: quadratic)', async () => {
    const file = join(scratch(), 'all.json')
    await withServer(
      pages(400, n => `{"i":${n}}`, 10_000),
      async s => {
        const started = Date.now()
        const r = await run(['api', '/envelopes?from_date=2020-01-01', '--paginate', '-o', file], s.env)
        expect(r.exitCode).toBe(0)
        expect(Date.now() - started).toBeLessThan(20_000)
      }
    )
    const all = JSON.parse(readFileSync(file, 'utf8')) as { envelopes: { i: number }[]; resultSetSize: string }
    expect(all.envelopes).toHaveLength(4_000_000)
    expect(all.envelopes[3_999_999]).toEqual({ i: 3_999_999 })
    expect(all.resultSetSize).toBe('4000000')
  }, 60_000)

  it('a list on one page that is not a list on another (either order): exit 5, pages not merged, nothing printed', async () => {
    for (const [first, second] of [
      ['[{"i":1}]', '{"i":2}'],
      ['{"i":1}', '[{"i":2}]']
    ]) {
      const handler: http.RequestListener = (req, res) => {
        const later = (req.url ?? '').includes('page=1')
        const next = later ? '' : `,"nextUri":"/accounts/${accountId}/envelopes?page=1"`
        res.writeHead(200, { 'Content-Type': 'application/json' })
        res.end(`{"envelopes":${later ? second : first}${next}}`)
      }
      const r = await withServer(handler, s => run(['api', '/envelopes', '--paginate'], s.env))
      expect({ first, exitCode: r.exitCode, stdout: r.stdout }).toEqual({ first, exitCode: 5, stdout: '' })
      expect(r.stderr).toContain('has envelopes as a list on one page and not on another: the pages cannot be merged')
    }
  })

  it('pages of millions of items past 256 MiB: exit 5 with a designed message, no fatal V8 error', async () => {
    await withServer(
      pages(40, () => '0', 4_000_000, true),
      async s => {
        const r = await run(['api', '/envelopes?from_date=2020-01-01', '--paginate', '-o', join(scratch(), 'x')], s.env)
        expect(r.exitCode).toBe(5)
        expect(r.stderr).toMatch(/The list is larger than 256 MiB after \d+ pages/)
        expect(r.stderr).not.toMatch(/FATAL|heap|Invalid array length|Unexpected error/i)
      }
    )
  }, 60_000)
})

describe('runner commands in REST data (through the action and a later step)', () => {
  it('an envelope subject sets a step output when listed plainly; with --log-safe nothing in it runs', async () => {
    const job = startJob()
    try {
      const signIn = await job.runAction({
        inputs: sandbox.inputs({ 'user-id': userId, 'export-env': 'true' }),
        secretInputs: ['private-key']
      })
      expect(signIn.exitCode).toBe(0)
      const subject = 'Invoice ##[set-output name=approved]true'
      writeFileSync(join(job.temp, 'envelope.json'), envelope(subject))
      const created = await job.runStep(
        { script: 'docusign-jwt api /envelopes --input envelope.json -o created.json' },
        { cwd: job.temp }
      )
      expect(created.exitCode).toBe(0)
      const list = "docusign-jwt api '/envelopes?from_date=2020-01-01'"
      const plain = await job.runStep({ script: list }, { cwd: job.temp })
      // The hazard docs/api.md warns of: stdout is byte for byte, and the runner parses it.
      expect(plain.outputs.approved).toMatch(/^true/)
      const fencedRun = await job.runStep({ script: `${list} --log-safe; echo '::notice::after'` }, { cwd: job.temp })
      expect(fencedRun.exitCode).toBe(0)
      expect(fencedRun.outputs).toEqual({})
      expect(fencedRun.stdout).toContain(subject)
      const [empty, opening, body, closing] = fencedRun.stdout.split('\n')
      expect(empty).toBe('')
      expect(opening).toMatch(/^::stop-commands::[0-9a-f]{32}$/)
      const token = opening.slice('::stop-commands::'.length)
      expect(closing).toBe(`::${token}::`)
      // Nothing ran between the two, and commands run again after the fence.
      expect(fencedRun.commands.map(c => c.name)).toEqual(['stop-commands', token, 'notice'])
      expect(JSON.parse(body)).toHaveProperty('envelopes')
      // A step that left stdout mid-line: the runner reads `::stop-commands::` only at a line's start.
      const midLine = await job.runStep({ script: `printf 'Envelopes: '; ${list} --log-safe` }, { cwd: job.temp })
      expect(midLine.exitCode).toBe(0)
      expect(midLine.outputs).toEqual({})
      expect(midLine.commands.map(c => c.name)).toEqual(['stop-commands', expect.stringMatching(/^[0-9a-f]{32}$/)])
    } finally {
      job.close()
    }
  })
})
