/**
 * signing-key: vault-transit:… through the built action and the built CLI, against the Vault emulator
 * (transit) and the DocuSign emulator, whose integration key holds only the Vault key's public half:
 * no private key is given. Every failure is the vault's, named as such, before DocuSign is asked.
 */
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { RunOptions, RunResult } from '../emulator/runner.js'
import { closeServer, listen, readBody, request } from '../emulator/server.js'
import { startSandbox, type Sandbox } from '../emulator/setup.js'
import { VaultEmulator } from '../emulator/vault.js'
import { publicKeyInfo } from '../src/core/signers/signer.js'
import { cli, type CliRun } from './helpers/cli.js'
import { expectOneError, runChecked } from './helpers/leaks.js'

const rsa = (): KeyObject => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
/** Version 1 of transit/docusign, the key registered on the integration key. */
const registered = rsa()
const rotatedTo = rsa()
const fingerprint = (key: KeyObject) => publicKeyInfo(key).fingerprint
const pem = (key: KeyObject) => createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString()

const vaultToken = () => `hvs.${randomBytes(24).toString('base64url')}`
const TOKEN = vaultToken()
const EXPIRED = vaultToken()
const READ_ONLY = vaultToken()
const SIGN_ONLY = vaultToken()
const TEAM_A = vaultToken()
const TOKENS = [TOKEN, EXPIRED, READ_ONLY, SIGN_ONLY, TEAM_A]

let sandbox: Sandbox
let vault: VaultEmulator
/** A stand-in in front of Vault that edits what it is asked (the body of sign requests). */
let relay: { url: string; server: Server; edit?: (body: Record<string, unknown>) => Record<string, unknown> }

beforeAll(async () => {
  sandbox = await startSandbox({ privateKey: registered.export({ type: 'pkcs1', format: 'pem' }).toString() })
  vault = await VaultEmulator.start()
  vault.addKey({ name: 'docusign', type: 'rsa-2048', privateKeys: [registered] })
  vault.addKey({ name: 'rotating', type: 'rsa-2048', privateKeys: [registered, rotatedTo], versions: 2 })
  vault.addKey({ name: 'p256', type: 'ecdsa-p256' })
  vault.addKey({ name: 'aes', type: 'aes256-gcm96' })
  vault.addKey({ name: 'docusign', type: 'rsa-2048', namespace: 'team-a', privateKeys: [registered] })
  const everything = [
    { path: 'transit/sign/+/sha2-256', capabilities: ['update' as const] },
    { path: 'transit/keys/+', capabilities: ['read' as const] },
    { path: 'nowhere/*', capabilities: ['read' as const, 'update' as const] }
  ]
  vault.addToken({ token: TOKEN, policies: everything })
  vault.addToken({ token: EXPIRED, policies: everything, expired: true })
  vault.addToken({ token: READ_ONLY, policies: [{ path: 'transit/keys/docusign', capabilities: ['read'] }] })
  vault.addToken({
    token: SIGN_ONLY,
    policies: [{ path: 'transit/sign/docusign/sha2-256', capabilities: ['update'] }]
  })
  vault.addToken({
    token: TEAM_A,
    namespace: 'team-a',
    policies: [
      { path: 'transit/sign/docusign/sha2-256', capabilities: ['update'] },
      { path: 'transit/keys/docusign', capabilities: ['read'] }
    ]
  })
  const { server, port } = await listen()
  relay = { url: `http://127.0.0.1:${port}`, server }
  server.on('request', (req: IncomingMessage, res: ServerResponse) => void forward(req, res))
})

afterAll(async () => {
  await Promise.all([sandbox.emulator.close(), vault.close(), closeServer(relay.server)])
})

beforeEach(() => {
  sandbox.emulator.requests.length = 0
  vault.requests.length = 0
  relay.edit = undefined
  sandbox.grantConsent()
})

async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
  let body = (await readBody(req)).toString('utf8')
  if (relay.edit && req.url?.includes('/sign/')) body = JSON.stringify(relay.edit(JSON.parse(body)))
  const headers = { ...req.headers, 'content-length': String(Buffer.byteLength(body)) }
  const reply = await request(`${vault.url}${req.url}`, { method: req.method, headers, body: body || undefined })
  res.writeHead(reply.status, { 'Content-Type': String(reply.headers['content-type'] ?? 'application/json') })
  res.end(reply.body)
}

const tokenRequests = () => sandbox.emulator.requestsTo('/oauth/token')
const vaultEnv = (overrides: Record<string, string> = {}): Record<string, string> => ({
  VAULT_ADDR: vault.url,
  VAULT_TOKEN: TOKEN,
  ...overrides
})

function action(signingKey: string, env: Record<string, string> = {}, inputs: Record<string, string> = {}) {
  const options: Partial<RunOptions> = { env: vaultEnv(env) }
  return runChecked(sandbox, { 'private-key': '', 'signing-key': signingKey, ...inputs }, options)
}

function check(signingKey: string, env: Record<string, string> = {}, args: string[] = []): Promise<CliRun> {
  return cli(sandbox, ['check', ...args], {
    env: {
      DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
      DOCUSIGN_USER_ID: sandbox.userId,
      DOCUSIGN_ENVIRONMENT: sandbox.emulator.url,
      DOCUSIGN_SIGNING_KEY: signingKey,
      ...vaultEnv(env)
    },
    keys: TOKENS
  })
}

/** No Vault token anywhere a person or another program reads, and none sent to DocuSign. */
function expectNoTokens(run: RunResult | CliRun): void {
  const docusign = JSON.stringify(sandbox.emulator.requests)
  for (const token of TOKENS) {
    expect(docusign).not.toContain(token)
    expect(run.stderr).not.toContain(token)
    if ('transcript' in run) {
      for (const text of [run.transcript, run.log, run.summary, run.rawSummary]) expect(text).not.toContain(token)
      // On the action's stdout a credential appears only in the command that masks it.
      const lines = run.stdout.split('\n').filter(line => line.includes(token))
      expect(lines.every(line => line.startsWith('::add-mask::'))).toBe(true)
    } else {
      expect(run.stdout).not.toContain(token)
    }
  }
}

describe('signing in with a Vault transit key', () => {
  it('signs in end to end through the action, with no private key', async () => {
    const result = await action('vault-transit:docusign')
    expect(result.exitCode).toBe(0)
    expect(result.errors).toEqual([])
    expect(result.outputs['access-token']).toBe(sandbox.emulator.issuedTokens.at(-1))
    expect(result.masks).toContain(TOKEN)
    expect(result.log).toContain(
      `Vault transit key transit/docusign: RSA 2048-bit, public-key SHA-256 ${fingerprint(registered)}`
    )
    const [read, sign, ...more] = vault.requests
    expect(more).toEqual([])
    expect(read).toMatchObject({ method: 'GET', path: '/v1/transit/keys/docusign', token: TOKEN })
    expect(sign).toMatchObject({ method: 'POST', path: '/v1/transit/sign/docusign/sha2-256', token: TOKEN })
    expect(sign.namespace).toBeUndefined()
    const body = JSON.parse(sign.body) as { input: string; signature_algorithm: string }
    expect(body.signature_algorithm).toBe('pkcs1v15')
    // The assertion DocuSign got is the input Vault signed, with Vault's signature.
    const assertion = new URLSearchParams(tokenRequests()[0].body).get('assertion')!
    const [header, payload, signature] = assertion.split('.')
    expect(Buffer.from(body.input, 'base64').toString()).toBe(`${header}.${payload}`)
    expect(verify('sha256', Buffer.from(`${header}.${payload}`), registered, Buffer.from(signature, 'base64url'))).toBe(
      true
    )
    expectNoTokens(result)
  })

  it('docusign-jwt check shows the backend and the key, never the token', async () => {
    const run = await check('vault-transit:docusign')
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toMatch(/signing key +Vault transit key transit\/docusign \(its public key is read/)
    expect(run.stdout).toContain(
      `Vault transit key transit/docusign: RSA 2048-bit, public-key SHA-256 ${fingerprint(registered)}`
    )
    expect(tokenRequests()).toHaveLength(1)
    expectNoTokens(run)
  })

  it('sends VAULT_NAMESPACE as X-Vault-Namespace', async () => {
    const run = await check('vault-transit:transit/docusign', { VAULT_TOKEN: TEAM_A, VAULT_NAMESPACE: 'team-a' })
    expect(run.exitCode).toBe(0)
    expect(vault.requests.map(r => [r.namespace, r.token])).toEqual([
      ['team-a', TEAM_A],
      ['team-a', TEAM_A]
    ])
    expectNoTokens(run)
  })
})

describe('Vault failures: the vault named, the fix given, DocuSign never asked', () => {
  const cases: [string, string, Record<string, string>, number, RegExp[]][] = [
    [
      'no VAULT_TOKEN',
      'vault-transit:docusign',
      { VAULT_TOKEN: '' },
      2,
      [/needs VAULT_TOKEN/, /hashicorp\/vault-action/, /exportToken: true/, /permissions: id-token: write/]
    ],
    ['no VAULT_ADDR', 'vault-transit:docusign', { VAULT_ADDR: '' }, 2, [/needs VAULT_ADDR/, /Set VAULT_ADDR/]],
    [
      'a plain http VAULT_ADDR off this machine',
      'vault-transit:docusign',
      { VAULT_ADDR: 'http://vault.example.com:8200' },
      2,
      [/VAULT_ADDR is a plain http address \(http:\/\/vault\.example\.com:8200\)/, /https:\/\/vault\.example\.com/]
    ],
    [
      'a VAULT_TOKEN pasted with a line break',
      'vault-transit:docusign',
      { VAULT_TOKEN: `${TOKEN}\nhvs.second-line` },
      2,
      [
        /VAULT_TOKEN holds spaces or control characters, so Vault cannot be asked for Vault transit key transit\/docusign/
      ]
    ],
    [
      'an expired token',
      'vault-transit:docusign',
      { VAULT_TOKEN: EXPIRED },
      4,
      [/refused the token in VAULT_TOKEN to read Vault transit key transit\/docusign/, /invalid token/, /vault-action/]
    ],
    [
      'a token that may not sign',
      'vault-transit:docusign',
      { VAULT_TOKEN: READ_ONLY },
      4,
      [
        /denied the token in VAULT_TOKEN the update capability on transit\/sign\/docusign\/sha2-256/,
        /path "transit\/sign\/docusign\/sha2-256" \{ capabilities = \["update"\] \}/,
        /path "transit\/keys\/docusign" \{ capabilities = \["read"\] \}/
      ]
    ],
    [
      'a token that may not read the key',
      'vault-transit:docusign',
      { VAULT_TOKEN: SIGN_ONLY },
      4,
      [/denied the token in VAULT_TOKEN the read capability on transit\/keys\/docusign/, /capabilities = \["read"\]/]
    ],
    [
      'a key that is not there',
      'vault-transit:absent',
      {},
      4,
      [/has no Vault transit key transit\/absent/, /vault write -f transit\/keys\/absent type=rsa-2048/]
    ],
    [
      'a mount that is not there',
      'vault-transit:nowhere/docusign',
      {},
      4,
      [/no secrets engine mounted at nowhere\//, /vault secrets enable -path=nowhere transit/]
    ],
    [
      'an ECDSA key',
      'vault-transit:p256',
      {},
      4,
      [/Vault transit key transit\/p256 is a ecdsa-p256 key; DocuSign signs JWTs with RSA keys only/]
    ],
    ['an AES key', 'vault-transit:aes', {}, 4, [/is a aes256-gcm96 key/]],
    [
      'a Vault that does not answer',
      'vault-transit:docusign',
      { VAULT_ADDR: 'http://127.0.0.1:9' },
      5,
      [/Vault could not be reached for Vault transit key transit\/docusign/, /ECONNREFUSED/, /max-attempts/]
    ]
  ]

  it.each(cases)('%s: the CLI exits with its code', async (_name, key, env, code, patterns) => {
    const run = await check(key, env, ['--max-attempts', '1'])
    expect(run.exitCode).toBe(code)
    for (const pattern of patterns) expect(run.stderr).toMatch(pattern)
    expect(run.stderr).not.toMatch(/DocuSign (refused|answered)/)
    expect(tokenRequests()).toEqual([])
    expectNoTokens(run)
  })

  it.each(cases)('%s: the action fails with one error', async (_name, key, env, _code, patterns) => {
    const result = await action(key, env, { 'max-attempts': '1' })
    expectOneError(result, patterns[0])
    for (const pattern of patterns.slice(1)) expect(result.errors[0]).toMatch(pattern)
    expect(result.errors[0]).toMatch(/Troubleshooting: .*#signing-key/)
    expect(tokenRequests()).toEqual([])
    expectNoTokens(result)
  })

  it('a sealed Vault: unavailable after every attempt (exit 5)', async () => {
    vault.seal()
    try {
      const run = await check('vault-transit:docusign', {}, ['--max-attempts', '2'])
      expect(run.exitCode).toBe(5)
      expect(run.stderr).toMatch(/answered for Vault transit key transit\/docusign with HTTP 503 \(Vault is sealed\)/)
      expect(run.stderr).toMatch(/Unseal Vault/)
      expect(vault.requestsTo('/v1/transit/keys/docusign')).toHaveLength(2)
    } finally {
      vault.unseal()
    }
    expect(tokenRequests()).toEqual([])
  })

  it("makes Vault's error text inert before showing it", async () => {
    vault.failNext('/v1/transit/keys/docusign', {
      status: 400,
      body: JSON.stringify({ errors: ['bad request\n::warning::injected\r##[error]also injected'] })
    })
    const result = await action('vault-transit:docusign')
    expectOneError(result, /refused to read Vault transit key transit\/docusign: HTTP 400 \(bad request/)
    expect(result.warnings).toEqual([])
    expect(result.errors[0]).toContain('# #[error]also injected')
  })

  it('refuses private-key and signing-key together, naming both', async () => {
    const result = await action('vault-transit:docusign', {}, { 'private-key': sandbox.privateKey })
    expectOneError(result, /signing-key' and private-key are both set/)
    expect(vault.requests).toEqual([])
    expect(tokenRequests()).toEqual([])
  })
})

describe('every signature checked before DocuSign sees it', () => {
  const checkMessage = (key: KeyObject) =>
    new RegExp(
      `signature from Vault transit key transit/\\w+ does not verify with its public key \\(public-key SHA-256 ${fingerprint(key)}\\) as RS256`
    )

  it('a PSS signature (Vault asked with its default algorithm) fails with its own message', async () => {
    relay.edit = ({ signature_algorithm: _dropped, ...rest }) => rest
    const run = await check('vault-transit:docusign', { VAULT_ADDR: relay.url })
    expect(run.exitCode).toBe(4)
    expect(run.stderr).toMatch(checkMessage(registered))
    expect(run.stderr).toMatch(/another algorithm \(PSS, ECDSA\)/)
    expect(JSON.parse(vault.requestsTo('/v1/transit/sign/docusign/sha2-256')[0].body)).not.toHaveProperty(
      'signature_algorithm'
    )
    expect(tokenRequests()).toEqual([])
    expectNoTokens(run)
  })

  it('a signature by a newer version than the key read fails the same way (the new version read again)', async () => {
    // The key as read before a rotation: version 1 only. Vault then signs with version 2, its latest.
    const before = { type: 'rsa-2048', latest_version: 1, keys: { '1': { public_key: pem(registered) } } }
    vault.failNext('/v1/transit/keys/rotating', { status: 200, body: JSON.stringify({ data: before }) })
    const result = await action('vault-transit:rotating')
    expectOneError(result, checkMessage(registered))
    expect(vault.requests.map(r => r.path)).toEqual([
      '/v1/transit/keys/rotating',
      '/v1/transit/sign/rotating/sha2-256',
      '/v1/transit/keys/rotating'
    ])
    expect(tokenRequests()).toEqual([])
  })

  it("an older version's signature is checked against that version's key, then against the key read", async () => {
    // Version 2 is read; Vault is made to sign with version 1: first with PSS, then with PKCS#1 v1.5.
    relay.edit = ({ signature_algorithm: _dropped, ...rest }) => ({ ...rest, key_version: 1 })
    const pss = await check('vault-transit:rotating', { VAULT_ADDR: relay.url })
    expect(pss.exitCode).toBe(4)
    expect(pss.stderr).toMatch(checkMessage(registered))

    relay.edit = body => ({ ...body, key_version: 1 })
    const pkcs1 = await check('vault-transit:rotating', { VAULT_ADDR: relay.url })
    expect(pkcs1.exitCode).toBe(4)
    expect(pkcs1.stderr).toMatch(checkMessage(rotatedTo))
    expect(tokenRequests()).toEqual([])
  })
})
