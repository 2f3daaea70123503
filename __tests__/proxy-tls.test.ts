/** HTTPS with a test CA, a CONNECT proxy, NO_PROXY, and certificates the action must not trust. */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ConnectProxy } from '../emulator/proxy.js'
import { ROOT } from '../emulator/runner.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { createTestPki } from '../emulator/tls.js'
import { pkcs1 } from './helpers/keys.js'
import { cli, sandboxEnv } from './helpers/cli.js'
import { expectOneError, NODE_WARNING, runChecked } from './helpers/leaks.js'

const HOST = 'account-d.docusign.test'
let remote: Sandbox // reachable by its name only through the proxy
let local: Sandbox // https://localhost, reachable directly
let proxy: ConnectProxy
let caFile: string
let otherCaFile: string

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pki-'))
  const pki = createTestPki([HOST, 'localhost'])
  caFile = join(dir, 'ca.pem')
  writeFileSync(caFile, pki.caCert)
  otherCaFile = join(dir, 'other-ca.pem')
  writeFileSync(otherCaFile, createTestPki(['elsewhere.test']).caCert)
  const tls = { key: pki.key, cert: pki.cert }
  remote = await startSandbox({ privateKey: pkcs1, consent: true, hostname: HOST, tls })
  local = await startSandbox({ privateKey: pkcs1, consent: true, hostname: 'localhost', tls })
  const port = Number(new URL(remote.emulator.url).port)
  proxy = await ConnectProxy.start({ [HOST]: port })
})
afterAll(() => Promise.all([remote.emulator.close(), local.emulator.close(), proxy.close()]))

const attempts = (transcript: string) => transcript.match(/\(attempt \d+ of \d+\)/g) ?? []

describe('HTTPS', () => {
  it('succeeds against a certificate from a CA given in NODE_EXTRA_CA_CERTS', async () => {
    const run = await runChecked(local, {}, { env: { NODE_EXTRA_CA_CERTS: caFile } })
    expect(run.exitCode).toBe(0)
    expect(run.outputs['access-token']).toBe(local.emulator.issuedTokens.at(-1))
  })

  it('fails at once, without retrying, against a certificate it does not trust', async () => {
    const run = await runChecked(local, {}, { env: { RUNNER_DEBUG: '1' } })
    expectOneError(
      run,
      /TLS certificate presented for https:\/\/localhost:\d+\/oauth\/token is not trusted.*NODE_EXTRA_CA_CERTS/s
    )
    expect(attempts(run.transcript)).toHaveLength(1)
  })

  it('fails at once on a certificate from another CA', async () => {
    const run = await runChecked(local, {}, { env: { RUNNER_DEBUG: '1', NODE_EXTRA_CA_CERTS: otherCaFile } })
    expectOneError(run, /is not trusted/)
    expect(attempts(run.transcript)).toHaveLength(1)
  })

  it('has no code that turns certificate checks off', () => {
    const files = readdirSync(join(ROOT, 'src'), { recursive: true, encoding: 'utf8' }).filter(f => f.endsWith('.ts'))
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) {
      expect(readFileSync(join(ROOT, 'src', file), 'utf8')).not.toMatch(
        /rejectUnauthorized|NODE_TLS_REJECT_UNAUTHORIZED|ignoreSslError/
      )
    }
  })
})

describe('proxies', () => {
  it('takes HTTPS_PROXY without a scheme (proxy:port) as http://proxy:port, as curl does', async () => {
    proxy.tunnels.length = 0
    const run = await runChecked(
      remote,
      {},
      { env: { HTTPS_PROXY: new URL(proxy.url).host, NODE_EXTRA_CA_CERTS: caFile } }
    )
    expect(run.exitCode).toBe(0)
    expect(proxy.tunnels).toContain(new URL(remote.emulator.url).host)
  })

  it('goes through HTTPS_PROXY with CONNECT, to a host only the proxy can reach', async () => {
    proxy.tunnels.length = 0
    const run = await runChecked(
      remote,
      {},
      { env: { HTTPS_PROXY: proxy.url, NODE_EXTRA_CA_CERTS: caFile, RUNNER_DEBUG: '1' } }
    )
    expect(run.exitCode).toBe(0)
    expect(run.outputs['account-id']).toBe(remote.accountId)
    const target = new URL(remote.emulator.url).host
    expect(proxy.tunnels).toEqual([target, target])
    expect(run.transcript).toContain(`through the proxy ${new URL(proxy.url).host}`)
  })

  it('keeps certificate checks through the proxy', async () => {
    const run = await runChecked(remote, {}, { env: { HTTPS_PROXY: proxy.url } })
    expectOneError(
      run,
      /presented for https:\/\/account-d\.docusign\.test:\d+\/oauth\/token through the proxy [\d.:]+ is not trusted/
    )
  })

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    proxy.tunnels.length = 0
    const run = await runChecked(
      remote,
      { 'max-attempts': '1', 'timeout-seconds': '5' },
      { env: { HTTPS_PROXY: proxy.url, NO_PROXY: `example.com,${HOST}`, NODE_EXTRA_CA_CERTS: caFile } }
    )
    expectOneError(
      run,
      /Could not get an answer from https:\/\/account-d\.docusign\.test:\d+\/oauth\/token after 1 attempt:/
    )
    expect(run.errors[0]).not.toContain('through the proxy')
    expect(proxy.tunnels).toEqual([])
  })

  it('sends a proxy its credentials with no Node warning on stderr (DEP0005 came from the bundled tunnel)', async () => {
    proxy.authorizations.length = 0
    const env = { HTTPS_PROXY: `http://ci-bot:pa55%21word@${new URL(proxy.url).host}`, NODE_EXTRA_CA_CERTS: caFile }
    const action = await runChecked(remote, {}, { env })
    expect(action.exitCode).toBe(0)
    const term = await cli(remote, ['token'], { env: { ...sandboxEnv(remote), ...env }, tokenOnStdout: true })
    expect(term).toMatchObject({ exitCode: 0, stderr: '' })
    // The user and password percent-decoded, as curl sends them.
    const basic = `Basic ${Buffer.from('ci-bot:pa55!word').toString('base64')}`
    expect(proxy.authorizations.length).toBeGreaterThanOrEqual(3)
    expect(new Set(proxy.authorizations)).toEqual(new Set([basic]))
    for (const text of [action.stderr, action.transcript, term.stderr]) {
      expect(text).not.toMatch(NODE_WARNING)
    }
  })

  it('explains an unreachable proxy, naming it without its credentials', async () => {
    const dead = await ConnectProxy.start({})
    const url = new URL(dead.url)
    await dead.close()
    const run = await runChecked(
      remote,
      { 'max-attempts': '2' },
      { env: { HTTPS_PROXY: `http://user:hunter22@${url.host}`, NODE_EXTRA_CA_CERTS: caFile } }
    )
    expectOneError(run, new RegExp(`through the proxy ${url.host} after 2 attempts: .*ECONNREFUSED.*HTTPS_PROXY`, 's'))
    expect(run.stdout + run.stderr).not.toContain('hunter22')
    expect(run.durationMs).toBeLessThan(6000)
  })
})
