/**
 * Runs a GitLab pipeline with gitlab-ci-local (a GitLab CI interpreter of firecow/gitlab-ci-local, a
 * devDependency), on its shell executor: every line of a job's before_script and script in one bash
 * with `set -eo pipefail`, as GitLab's shell executor runs them (its src/job.ts, execScripts).
 *
 * The project is a git repository in a scratch folder (gitlab-ci-local reads `include: local:` files
 * from the tracked files) with an `origin` remote, whose CI/CD variables are the `project:` entries of
 * `$HOME/.gitlab-ci-local/variables.yml` (its README, "Home file variables"): outside the project, as
 * GitLab keeps them. A protected ref is `--variable CI_COMMIT_REF_PROTECTED=true`: gitlab-ci-local
 * sets it `false` (src/predefined-variables.ts) and applies `--variable` values over the predefined
 * ones before it evaluates `rules:` (src/job.ts). `--force-shell-executor` runs jobs that name an
 * `image:` on the shell executor too. The jobs get this process's PATH: Node 24 first, as the image
 * `node:24` would give them.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { stringify } from 'yaml'
import { ROOT } from '../../emulator/runner.js'
import { cliNode, scratch } from './cli.js'

const GITLAB_CI_LOCAL = join(ROOT, 'node_modules', 'gitlab-ci-local', 'dist', 'index.js')
/** The project's remote: gitlab-ci-local matches project variables against it. */
const REMOTE = { host: 'gitlab.example.com', path: 'acme/contracts' }

/** A git repository holding `files` (path → content), committed, with its GitLab remote. */
export function gitlabProject(files: Record<string, string | Buffer>): string {
  const dir = scratch()
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'ignore' })
  git('init', '-q', '-b', 'main')
  git('config', 'user.name', 'Test')
  git('config', 'user.email', 'test@example.com')
  git('add', '-A')
  git('commit', '-q', '-m', 'pipeline')
  git('remote', 'add', 'origin', `https://${REMOTE.host}/${REMOTE.path}.git`)
  return dir
}

export interface PipelineOptions {
  /** The project's CI/CD variables (Settings > CI/CD > Variables). */
  variables: Record<string, string>
  /** A pipeline of a protected branch (CI_COMMIT_REF_PROTECTED=true); default false, as on any other. */
  protectedRef?: boolean
  /** More gitlab-ci-local arguments (`--list`). */
  args?: string[]
}

export interface JobResult {
  /** 0 when it passed, the exit code of its script when it failed, null when it did neither. */
  exitCode: number | null
  /** The job's log as gitlab-ci-local keeps it: each command, and each line of stdout and stderr. */
  log: string
}

export interface PipelineRun {
  exitCode: number | null
  stdout: string
  stderr: string
  /** The jobs that ran, by name. */
  jobs: Record<string, JobResult>
}

export async function runPipeline(dir: string, options: PipelineOptions): Promise<PipelineRun> {
  // gitlab-ci-local copies the project with rsync before every pipeline (src/utils.ts, rsyncTrackedFiles).
  if (spawnSync('rsync', ['--version']).status !== 0) {
    throw new Error('gitlab-ci-local needs rsync: apt-get install rsync (.ci/run installs it where it is missing).')
  }
  const home = scratch()
  mkdirSync(join(home, '.gitlab-ci-local'))
  writeFileSync(
    join(home, '.gitlab-ci-local', 'variables.yml'),
    stringify({ project: { [`${REMOTE.host}/${REMOTE.path}`]: options.variables } })
  )
  const protectedRef = options.protectedRef
    ? ['--variable', 'CI_COMMIT_REF_PROTECTED=true', '--ignore-predefined-vars', 'CI_COMMIT_REF_PROTECTED']
    : []
  const args = [GITLAB_CI_LOCAL, '--no-color', '--force-shell-executor', ...protectedRef, ...(options.args ?? [])]
  // The tool runs on the Node that runs the tests (20 or later); its jobs find Node 24 first on PATH.
  const child = spawn(process.execPath, args, {
    cwd: dir,
    env: { PATH: `${dirname(cliNode())}:${process.env.PATH ?? ''}`, HOME: home }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exitCode = await new Promise<number | null>(done => child.on('close', done))
  const names = [...stdout.matchAll(/^(\S+)\s+starting shell/gm)].map(m => m[1])
  const jobs = Object.fromEntries(
    names.map(name => {
      const failed = new RegExp(`^${name}\\s+finished in .* FAIL (\\d+)`, 'm').exec(stderr)
      const logFile = join(dir, '.gitlab-ci-local', 'output', `${name}.log`)
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''
      const passed = new RegExp(`^\\s*PASS\\s+${name}\\s*$`, 'm').test(stdout)
      return [name, { exitCode: failed ? Number(failed[1]) : passed ? 0 : null, log }]
    })
  )
  return { exitCode, stdout, stderr, jobs }
}
