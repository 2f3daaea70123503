/**
 * templates/docusign-jwt.yml, the GitLab CI/CD component, and examples/gitlab-ci.yml, which includes
 * it: checked in their structure, and run by gitlab-ci-local, a GitLab CI interpreter no one here wrote
 * (its rules, `spec: inputs:`, `include: local:`/`remote:`, `extends:` merging, `!reference` and
 * variable precedence are GitLab's as that tool implements them), on its shell executor, with Node 24.
 * The jobs install the docusign-jwt package as from the registry: `npm install` fetches the packument
 * and the tarball `npm pack` makes of this tree from a registry stand-in on loopback
 * (emulator/npm-registry.ts), named to npm by `npm_config_registry`, a CI/CD variable of the project.
 * DocuSign is the emulator (OAuth and the eSignature REST API).
 */
import { execFileSync } from 'node:child_process'
import { createPublicKey } from 'node:crypto'
import { lstatSync, readdirSync, readFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse, stringify } from 'yaml'
import { NpmRegistryEmulator } from '../emulator/npm-registry.js'
import { ROOT } from '../emulator/runner.js'
import { closeServer, listen } from '../emulator/server.js'
import { newPrivateKeyPem, startSandbox, type Sandbox } from '../emulator/setup.js'
import { scratch } from './helpers/cli.js'
import { gitlabProject, runPipeline, type PipelineRun } from './helpers/gitlab-ci-local.js'
import { secretsOf } from './helpers/leaks.js'

const COMPONENT = readFileSync(join(ROOT, 'templates', 'docusign-jwt.yml'), 'utf8')
const EXAMPLE = readFileSync(join(ROOT, 'examples', 'gitlab-ci.yml'), 'utf8')
/** The package the component installs: package.json's name (npm run set-repository --package renames it). */
const { name: packageName, version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string
  version: string
}
/** The component's two documents: the `spec:` header and the jobs. */
const [header, jobs] = COMPONENT.split(/^---$/m).map(doc => parse(doc) as Record<string, unknown>)
interface Input {
  type?: string
  default?: unknown
  regex?: string
}
const inputs = (header.spec as { inputs: Record<string, Input> }).inputs
const hidden = jobs['.docusign-jwt'] as {
  rules: { if: string }[]
  variables: Record<string, string>
  before_script: string[]
}
/** Where the example includes the component from, placeholders and all. */
const REMOTE =
  'https://raw.githubusercontent.com/PROJECT_OWNER/docusign-jwt-auth-action/RELEASE_SHA/templates/docusign-jwt.yml'
const keysOf = (value: unknown): string[] =>
  value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [k, ...keysOf(v)]) : []

describe('templates/docusign-jwt.yml, as written', () => {
  it('takes the environment, the scopes, the package version and protected-only, by default yes', () => {
    expect(Object.keys(inputs).sort()).toEqual(['environment', 'protected-only', 'scopes', 'version'])
    expect(inputs.environment.default).toBe('demo')
    expect(inputs.scopes.default).toBe('signature impersonation')
    // The component at a release's commit runs the package of that release, by default.
    expect(inputs.version.default).toBe(version)
    expect(new RegExp(inputs.version.regex!).test(version)).toBe(true)
    for (const loose of ['latest', '^1.0.0', '1', '1.0.0 || 2'])
      expect(new RegExp(inputs.version.regex!).test(loose)).toBe(false)
    expect(inputs['protected-only']).toMatchObject({ type: 'boolean', default: true })
  })

  it('has one hidden job, .docusign-jwt, that signs in in its before_script and keeps nothing', () => {
    expect(Object.keys(jobs)).toEqual(['.docusign-jwt'])
    expect(hidden.before_script[0]).toBe('set +x')
    const script = hidden.before_script.join('\n')
    expect(script).toContain('DOCUSIGN_EXPORTS="$(docusign-jwt token --format shell)"')
    // eval on its own line: in an && list its failure would not end the job (errexit skips it).
    expect(hidden.before_script).toEqual(expect.arrayContaining(['eval "$DOCUSIGN_EXPORTS"', 'unset DOCUSIGN_EXPORTS']))
    expect(script).toMatch(/npm install --global --prefix "\$DOCUSIGN_JWT_PREFIX" .*"\S+@\$DOCUSIGN_JWT_VERSION"/)
    expect(script).toContain(`"${packageName}@$DOCUSIGN_JWT_VERSION"`)
    expect(script).not.toMatch(/\becho\b|\btee\b|\$\{?DOCUSIGN_ACCESS_TOKEN/)
    for (const text of [COMPONENT, EXAMPLE]) {
      expect(keysOf(parse(text.split(/^---$/m).at(-1)!))).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^(artifacts|cache|reports|dotenv|CI_DEBUG_TRACE)$/)])
      )
      expect(text.replace(/^\s*#.*$/gm, '')).not.toMatch(/set -x|dotenv|artifacts|CI_DEBUG_TRACE/)
    }
    expect(hidden.variables).toEqual({
      DOCUSIGN_ENVIRONMENT: '$[[ inputs.environment ]]',
      DOCUSIGN_SCOPES: '$[[ inputs.scopes ]]',
      DOCUSIGN_JWT_VERSION: '$[[ inputs.version ]]'
    })
  })

  it('says how a job with a before_script of its own keeps the sign-in: !reference', () => {
    expect(COMPONENT).toMatch(/^\s*# .*`- !reference \[\.docusign-jwt, before_script\]`/m)
  })
})

describe('examples/gitlab-ci.yml, as written', () => {
  const pipeline = parse(EXAMPLE) as Record<string, unknown>
  const job = pipeline['send-agreement'] as {
    extends: string
    script: string[]
    rules?: unknown
    before_script?: unknown
  }

  it('includes the component by remote: at a commit, and extends its hidden job', () => {
    expect(pipeline.include).toEqual([{ remote: REMOTE, inputs: { environment: 'demo' } }])
    expect(job.extends).toBe('.docusign-jwt')
    // The component's rules and before_script serve: nothing of the job's own replaces them.
    expect(job.rules).toBeUndefined()
    expect(job.before_script).toBeUndefined()
    expect(job.script.join('\n')).toMatch(/\| docusign-jwt api \/envelopes --input - > envelope\.json/)
  })

  it('lists every exit code the job can end with', () => {
    const codes = /^# Exit codes of the job: ([^]*?)\n(?!#)/m.exec(EXAMPLE)?.[1] ?? ''
    expect([...codes.matchAll(/(\d) [A-Za-z]/g)].map(m => m[1])).toEqual(['0', '2', '3', '4', '5', '6', '1'])
    expect(codes.replace(/\n# /g, ' ')).toContain('6 DocuSign accepted the request; its answer was lost')
  })
})

describe('run by gitlab-ci-local', () => {
  let sandbox: Sandbox
  let registry: NpmRegistryEmulator
  /** An integration key whose registered public key is not the sandbox's: the key is the wrong one. */
  let otherIntegrationKey: string
  const base64Key = () => Buffer.from(sandbox.privateKey).toString('base64')

  beforeAll(async () => {
    const packed = scratch()
    const [{ filename }] = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', packed], { cwd: ROOT, encoding: 'utf8' })
    ) as { filename: string }[]
    registry = await NpmRegistryEmulator.start([join(packed, filename)])
    sandbox = await startSandbox({ restApi: true, consent: true })
    otherIntegrationKey = sandbox.emulator.addIntegrationKey([createPublicKey(newPrivateKeyPem())])
  }, 60_000)
  afterAll(async () => {
    await registry.close()
    await sandbox.emulator.close()
  })

  /** The scopes users consent to: those of the scopes input below, and what the CLI adds for a user. */
  const GRANTED = ['signature', 'extended', 'impersonation']

  /** A user of the sandbox's account, with consent for `integrationKey` unless said otherwise. */
  function user(consent = true, integrationKey = sandbox.integrationKey): string {
    const accounts = [
      { account_id: sandbox.accountId, account_name: 'Acme', is_default: true, base_uri: sandbox.emulator.url }
    ]
    const id = sandbox.emulator.addUser({ accounts })
    if (consent) sandbox.emulator.grantConsent(integrationKey, id, GRANTED)
    return id
  }

  /** The project's CI/CD variables: the key (masked in GitLab), and npm's registry. */
  const projectVariables = (more: Record<string, string> = {}) => ({
    DOCUSIGN_PRIVATE_KEY: base64Key(),
    npm_config_registry: `${registry.url}/`,
    ...more
  })

  /** No token, assertion or key in gitlab-ci-local's output or in any file of the project, its logs included. */
  function expectNothingShown(run: PipelineRun, project: string): void {
    const files = readdirSync(project, { recursive: true, encoding: 'utf8' })
      .map(f => join(project, f))
      .filter(f => !f.includes('/.git/') && lstatSync(f).isFile())
    const texts = [run.stdout, run.stderr, ...files.map(f => readFileSync(f, 'latin1'))]
    const secrets = [...secretsOf(sandbox.emulator, sandbox.privateKey), base64Key()]
    for (const part of secrets
      .flatMap(s => s.split('\n'))
      .filter(p => p.trim().length >= 8 && !p.startsWith('-----'))) {
      expect({ leaked: texts.some(t => t.includes(part)) }).toEqual({ leaked: false })
    }
  }

  /** A loopback port nothing listens on. */
  async function closedPort(): Promise<number> {
    const { server, port } = await listen()
    await closeServer(server)
    return port
  }

  describe('the component through include: local:, with inputs, on a protected branch', () => {
    let run: PipelineRun
    let project: string
    const users: Record<string, string> = {}
    let tokenRequests: { sub: string; scope: string }[]
    /** The tokens DocuSign issued to the pipeline's jobs. */
    let issued: string[]

    beforeAll(async () => {
      users.ok = user()
      users.own = user()
      users.consent = user(false)
      users.wrongKey = user(true, otherIntegrationKey)
      const unreachable = `http://127.0.0.1:${await closedPort()}`
      const job = (userId: string, more: Record<string, unknown> = {}) => ({
        extends: '.docusign-jwt',
        variables: { DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey, DOCUSIGN_USER_ID: userId },
        script: [
          'docusign-jwt api "/envelopes?from_date=2020-01-01" > envelopes.json',
          'echo "listed: $(wc -c < envelopes.json) bytes"'
        ],
        ...more
      })
      const pipeline = [
        `include:\n  - local: templates/docusign-jwt.yml\n    inputs:\n      environment: ${sandbox.emulator.url}\n      scopes: signature extended\n`,
        stringify({ 'signs-in': job(users.ok) }),
        // GitLab replaces arrays on extends: the job's own before_script runs the component's by !reference.
        // It traces commands first, as CI_DEBUG_TRACE makes the runner's bash do (set -o xtrace).
        `own-before-script:\n  extends: .docusign-jwt\n  variables: ${JSON.stringify({ DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey, DOCUSIGN_USER_ID: users.own })}\n` +
          `  before_script:\n    - set -x\n    - echo "own step first, on node $(node --version)"\n    - !reference [.docusign-jwt, before_script]\n    - 'echo "own step last, account $DOCUSIGN_ACCOUNT_ID"'\n` +
          `  script:\n    - docusign-jwt api "/envelopes?from_date=2020-01-01" > envelopes.json\n`,
        stringify({ 'consent-missing': job(users.consent) }),
        stringify({
          'wrong-key': job(users.wrongKey, {
            variables: { DOCUSIGN_INTEGRATION_KEY: otherIntegrationKey, DOCUSIGN_USER_ID: users.wrongKey }
          })
        }),
        // Job variables merge with the hidden job's on extends, and win: DocuSign at a port no one answers.
        stringify({
          unreachable: job(users.ok, {
            variables: {
              DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
              DOCUSIGN_USER_ID: users.ok,
              DOCUSIGN_ENVIRONMENT: unreachable
            }
          })
        })
      ].join('\n')
      project = gitlabProject({ '.gitlab-ci.yml': pipeline, 'templates/docusign-jwt.yml': COMPONENT })
      const before = sandbox.emulator.requestsTo('/oauth/token').length
      const tokensBefore = sandbox.emulator.issuedTokens.length
      run = await runPipeline(project, { variables: projectVariables(), protectedRef: true })
      issued = sandbox.emulator.issuedTokens.slice(tokensBefore)
      tokenRequests = sandbox.emulator
        .requestsTo('/oauth/token')
        .slice(before)
        .map(r => ({ sub: String(r.claims?.sub), scope: String(r.claims?.scope) }))
    }, 180_000)

    it('installs the package from the registry, signs in once per job and calls the API, showing the token nowhere', () => {
      expect(Object.keys(run.jobs).sort()).toEqual([
        'consent-missing',
        'own-before-script',
        'signs-in',
        'unreachable',
        'wrong-key'
      ])
      expect(run.jobs['signs-in']).toMatchObject({ exitCode: 0 })
      expect(run.jobs['signs-in'].log).toMatch(/^listed: [1-9]\d* bytes$/m)
      expect(registry.requests).toEqual(
        expect.arrayContaining([{ method: 'GET', path: NpmRegistryEmulator.tarballPath(packageName, version) }])
      )
      // The scopes input reached the sign-in; one token request per job that got as far.
      expect(tokenRequests.filter(r => r.sub === users.ok)).toEqual([{ sub: users.ok, scope: GRANTED.join(' ') }])
      // Two jobs signed in (signs-in, own-before-script), and each called the API with its token.
      expect(issued).toHaveLength(2)
      for (const token of issued) {
        expect(sandbox.emulator.esign.requests.filter(r => r.headers.authorization === `Bearer ${token}`)).toHaveLength(
          1
        )
      }
      expectNothingShown(run, project)
    })

    it("runs a job's own before_script around the component's, kept by !reference, on Node 24, untraced from its start", () => {
      const { exitCode, log } = run.jobs['own-before-script']
      expect(exitCode).toBe(0)
      // Tracing was on when the component's lines began, and they turned it off (the token is in no log).
      expect(log).toMatch(/^\++ set \+x$/m)
      expect(log).not.toMatch(/^\++ (export|eval|DOCUSIGN_EXPORTS)/m)
      const first = log.indexOf('own step first, on node v24.')
      const install = log.indexOf('npm install --global')
      const last = log.indexOf(`own step last, account ${sandbox.accountId}`)
      expect([first >= 0, first < install, install < last]).toEqual([true, true, true])
    })

    it('fails with exit code 3 and both consent links when consent is missing, before the script', () => {
      const { exitCode, log } = run.jobs['consent-missing']
      expect(exitCode).toBe(3)
      expect(log).toMatch(/docusign-jwt: Consent required/)
      const scopes = GRANTED.join('%20')
      expect(log).toContain(`${sandbox.emulator.url}/oauth/auth?response_type=code&scope=${scopes}&client_id=`)
      expect(log).toMatch(
        new RegExp(`/oauth/auth\\?response_type=code&scope=openid&client_id=\\S+&admin_consent_scope=${scopes}\n`)
      )
      expect(log).not.toContain('listed:')
    })

    it('fails with exit code 4 for a key the integration key does not know, 5 when DocuSign is unreachable', () => {
      expect(run.jobs['wrong-key'].exitCode).toBe(4)
      expect(run.jobs['wrong-key'].log).toMatch(/no_valid_keys_or_signatures/)
      expect(run.jobs.unreachable.exitCode).toBe(5)
      expect(run.jobs.unreachable.log).toMatch(/ECONNREFUSED/)
      expect(run.exitCode).not.toBe(0)
    })
  })

  describe('examples/gitlab-ci.yml, its include: remote: served on loopback', () => {
    const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\n(/sn1/)\n%%EOF\n', 'latin1')
    let server: Server
    let served: string[]
    let example: string
    /** The component's URL on loopback, for REMOTE. */
    let local: string

    beforeAll(async () => {
      // The component at the URL's path, so the rewritten URL keeps owner, repository, commit and file.
      const started = await listen()
      server = started.server
      served = []
      server.on('request', (req, res) => {
        served.push(req.url ?? '')
        const ok = req.url === new URL(REMOTE).pathname
        res.writeHead(ok ? 200 : 404, { 'Content-Type': 'text/plain' })
        res.end(ok ? COMPONENT : 'Not found')
      })
      local = `http://127.0.0.1:${started.port}${new URL(REMOTE).pathname}`
      example = EXAMPLE.replace(REMOTE, local)
      expect(example).not.toBe(EXAMPLE)
    })
    afterAll(() => closeServer(server))

    /** The example's project; DocuSign's settings as CI/CD variables (DOCUSIGN_ENVIRONMENT wins over the input). */
    async function runExample(userId: string, protectedRef: boolean, args: string[] = []) {
      const project = gitlabProject({ '.gitlab-ci.yml': example, 'contracts/agreement.pdf': PDF })
      const variables = projectVariables({
        DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
        DOCUSIGN_USER_ID: userId,
        DOCUSIGN_ENVIRONMENT: sandbox.emulator.url
      })
      return { project, run: await runPipeline(project, { variables, protectedRef, args }) }
    }

    it('sends the envelope on a protected branch, its ID in the log and the token nowhere', async () => {
      const userId = user()
      const before = sandbox.emulator.esign.envelopes(sandbox.accountId).length
      const { project, run } = await runExample(userId, true)
      expect(Object.keys(run.jobs)).toEqual(['send-agreement'])
      expect(run.jobs['send-agreement'].exitCode).toBe(0)
      const created = sandbox.emulator.esign.envelopes(sandbox.accountId).slice(before)
      expect(created).toHaveLength(1)
      expect(created[0]).toMatchObject({ status: 'sent', emailSubject: 'Please sign the agreement' })
      expect(created[0].documents[0].bytes.equals(PDF)).toBe(true)
      expect(created[0].recipients).toMatchObject({ signers: [{ email: 'signer@example.com', name: 'Sam Signer' }] })
      expect(run.jobs['send-agreement'].log).toContain(`Sent envelope ${created[0].envelopeId} for signature.`)
      expect(served).toEqual([new URL(REMOTE).pathname])
      expectNothingShown(run, project)
    }, 120_000)

    it("runs the README's GitLab CI/CD block as written: envelopes.json written, the token nowhere", async () => {
      const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
      const section = readme.split('\n## GitLab CI/CD\n')[1]?.split('\n## ')[0] ?? ''
      const block = /^```yaml\n([^]*?)^```$/m.exec(section)?.[1] ?? ''
      expect(block).toContain(REMOTE)
      const project = gitlabProject({ '.gitlab-ci.yml': block.replace(REMOTE, local) })
      const variables = projectVariables({
        DOCUSIGN_INTEGRATION_KEY: sandbox.integrationKey,
        DOCUSIGN_USER_ID: user(),
        DOCUSIGN_ENVIRONMENT: sandbox.emulator.url
      })
      const tokens = sandbox.emulator.requestsTo('/oauth/token').length
      const run = await runPipeline(project, { variables, protectedRef: true })
      expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(tokens + 1)
      expect(Object.keys(run.jobs)).toEqual(['envelopes'])
      expect(run.jobs.envelopes.exitCode).toBe(0)
      const written = readdirSync(project, { recursive: true, encoding: 'utf8' }).filter(f =>
        f.endsWith('envelopes.json')
      )
      expect(written).toHaveLength(1)
      expect(JSON.parse(readFileSync(join(project, written[0]), 'utf8'))).toHaveProperty('totalSetSize')
      expectNothingShown(run, project)
    }, 120_000)

    it('does not run on a branch that is not protected, where the protected variables would be empty', async () => {
      const userId = user()
      const tokens = sandbox.emulator.requestsTo('/oauth/token').length
      const downloads = registry.requests.length
      const { run } = await runExample(userId, false)
      // The pipeline was read (the component fetched) and finished, with no job in it.
      expect(run.stderr).toMatch(/^downloaded http:\/\/127\.0\.0\.1:\d+\/PROJECT_OWNER\/.*\n[^]*^pipeline finished/m)
      expect(run.exitCode).toBe(0)
      expect(run.jobs).toEqual({})
      expect(run.stdout).not.toContain('send-agreement')
      expect(sandbox.emulator.requestsTo('/oauth/token')).toHaveLength(tokens)
      expect(registry.requests).toHaveLength(downloads)
    }, 60_000)

    it('is in the pipeline there with protected-only: false', async () => {
      /** The jobs gitlab-ci-local lists for a pipeline of a branch that is not protected. */
      const listed = async (pipeline: string) => {
        const project = gitlabProject({ '.gitlab-ci.yml': pipeline, 'contracts/agreement.pdf': PDF })
        const run = await runPipeline(project, { variables: projectVariables(), args: ['--list'] })
        expect(run.exitCode).toBe(0)
        return run.stdout
          .split('\n')
          .slice(1)
          .filter(Boolean)
          .map(line => line.split(/\s+/)[0])
      }
      const anyRef = example.replace(
        '      environment: demo\n',
        '      environment: demo\n      protected-only: false\n'
      )
      expect(anyRef).not.toBe(example)
      expect(await listed(anyRef)).toEqual(['send-agreement'])
      expect(await listed(example)).toEqual([])
    }, 60_000)
  })
})
