/**
 * The GitHub side, loaded only when open-issue is true: one open issue per integration key, user and
 * environment, opened or commented on when a person must fix the sign-in, closed when it works again.
 */
import { context, getOctokit } from '@actions/github'
import type { ActionError } from '../../core/errors.js'
import { inert } from '../../core/outside.js'
import { GitHubAnswerError, githubFetch } from './github-fetch.js'
import { body, failedAgain, LABEL, marker, signedInAgain, title, type Subject } from './issue-text.js'

export type { Subject } from './issue-text.js'

export interface NotifyOptions {
  token: string
  subject: Subject
  timeoutMs: number
  debug: (message: string) => void
  /** A warning on the run's page (a label that does not stick). */
  warn: (message: string) => void
  /** Every text sent to GitHub passes it: issue bodies are not masked by the runner. */
  scrub: (text: string) => string
  /** The failure's entry in docs/troubleshooting.md, linked from the issue. */
  docsUrl?: string
}

interface OpenIssue {
  number: number
  html_url: string
}

type Octokit = ReturnType<typeof getOctokit>

/** Octokit's own log writes GitHub's deprecation texts to stderr, unscrubbed: the action reports itself. */
const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }

/** Pages of open labelled issues read at most: 1,000 issues, whatever Link headers GitHub sends. */
const MAX_PAGES = 10

/** Where the GitHub API is: GITHUB_API_URL (GitHub Enterprise Server: https://host/api/v3), http(s) only. */
function apiUrl(): string {
  const value = process.env.GITHUB_API_URL || 'https://api.github.com'
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new Error(
      `GITHUB_API_URL is not an http(s) URL (${url ? `scheme '${inert(url.protocol, 20)}'` : 'unparsable'})`
    )
  }
  return value
}

async function withGitHub<T>(options: NotifyOptions, work: (octokit: Octokit) => Promise<T>): Promise<T> {
  const { fetch, close } = githubFetch(apiUrl(), options.timeoutMs, options.debug)
  try {
    return await work(getOctokit(options.token, { request: { fetch, retries: 0, log: SILENT }, log: SILENT }))
  } finally {
    close()
  }
}

/** Open issues read at most when the label is missing: 300, newest first (an unlabelled one is recent). */
const MAX_UNLABELLED_PAGES = 3

/**
 * The open issues of this sign-in, oldest first: listed by label (consistent after writes), matched
 * by marker. When none carries the label (GitHub dropped it, and adding it failed), the newest open
 * issues are read too, so a later run finds and reuses the unlabelled one instead of opening another.
 */
async function openIssues(octokit: Octokit, subject: Subject): Promise<OpenIssue[]> {
  const mark = marker(subject)
  const list = async (labels: string | undefined, maxPages: number): Promise<OpenIssue[]> => {
    let pages = 0
    const all = await octokit.paginate(
      octokit.rest.issues.listForRepo,
      {
        ...context.repo,
        ...(labels ? { labels } : { sort: 'created', direction: 'desc' }),
        state: 'open',
        per_page: 100
      },
      (response, done) => {
        if (++pages >= maxPages) done()
        return response.data
      }
    )
    return all
      .filter(issue => !issue.pull_request && (issue.body ?? '').startsWith(mark))
      .sort((a, b) => a.number - b.number)
  }
  const labelled = await list(LABEL, MAX_PAGES)
  return labelled.length ? labelled : list(undefined, MAX_UNLABELLED_PAGES)
}

/** The run's page; the repository's Actions page when the run's ID is unknown (not on a runner). */
function runUrl(): string {
  const actions = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions`
  return Number.isFinite(context.runId) ? `${actions}/runs/${context.runId}` : actions
}

/**
 * A person must fix the sign-in: comment on its open issue, or open one. Concurrent runs (a matrix
 * failing at once) may each open one; each then lists again, and every run whose issue is not the
 * oldest closes its own as a duplicate. The oldest is never closed by anyone, so exactly one stays.
 */
export async function reportFailure(options: NotifyOptions, error: ActionError): Promise<string> {
  const { subject, scrub } = options
  return withGitHub(options, async octokit => {
    const [existing] = await openIssues(octokit, subject)
    if (existing) {
      await octokit.rest.issues.createComment({
        ...context.repo,
        issue_number: existing.number,
        body: scrub(failedAgain(error, runUrl(), options.docsUrl))
      })
      return existing.html_url
    }
    const { data: created } = await octokit.rest.issues.create({
      ...context.repo,
      title: scrub(title(error, subject)),
      // The marker is not scrubbed: it must match on the next run, and holds identifiers only.
      body: `${marker(subject)}\n${scrub(body(error, subject, runUrl(), options.docsUrl))}`,
      labels: [LABEL]
    })
    // GitHub may drop a label the token cannot create. The issue exists either way, so a failure to
    // label it is a warning, not allowed to hide its URL; later runs still find it by its marker.
    const labels: unknown[] = Array.isArray(created.labels) ? created.labels : [LABEL]
    if (!labels.some(l => (typeof l === 'string' ? l : (l as { name?: string })?.name) === LABEL)) {
      await octokit.rest.issues
        .addLabels({ ...context.repo, issue_number: created.number, labels: [LABEL] })
        .catch(() =>
          options.warn(
            `open-issue: GitHub did not keep the label '${LABEL}' on issue #${created.number}; later runs still find the issue by its hidden marker. Create the label once (gh label create ${LABEL}), or give the token push access.`
          )
        )
    }
    const [oldest] = await openIssues(octokit, subject)
    if (!oldest || oldest.number === created.number) return created.html_url
    await octokit.rest.issues.createComment({
      ...context.repo,
      issue_number: oldest.number,
      body: scrub(failedAgain(error, runUrl(), options.docsUrl))
    })
    await octokit.rest.issues.update({
      ...context.repo,
      issue_number: created.number,
      state: 'closed',
      state_reason: 'not_planned'
    })
    return oldest.html_url
  })
}

/** The sign-in works again: comment on its open issue and close it, if there is one. */
export async function reportSuccess(options: NotifyOptions): Promise<string | undefined> {
  return withGitHub(options, async octokit => {
    const issues = await openIssues(octokit, options.subject)
    for (const issue of issues) {
      await octokit.rest.issues.createComment({
        ...context.repo,
        issue_number: issue.number,
        body: signedInAgain(runUrl())
      })
      await octokit.rest.issues.update({
        ...context.repo,
        issue_number: issue.number,
        state: 'closed',
        state_reason: 'completed'
      })
    }
    return issues[0]?.html_url
  })
}

/** One warning for any failure of the GitHub side: what GitHub said, and the permission to add. */
export function gitHubWarning(error: unknown): string {
  const failure = error as { status?: unknown; cause?: unknown; response?: { data?: { message?: unknown } } }
  // Octokit reports a fetch that threw (our time limit, a refused connection, a redirect) as status 500, with the cause.
  const answer = failure?.cause instanceof GitHubAnswerError ? failure.cause : undefined
  const status = answer
    ? answer.status
    : typeof failure?.status === 'number' && !(failure.cause instanceof Error)
      ? failure.status
      : undefined
  const message = answer ? 'a redirect, not followed' : failure?.response?.data?.message
  const said =
    status !== undefined
      ? `GitHub answered HTTP ${status}${typeof message === 'string' ? `: ${inert(message)}` : ''}`
      : `GitHub could not be reached: ${inert(failure?.cause instanceof Error ? failure.cause.message : String(error))}`
  const permission =
    status === 410
      ? ' Issues are disabled in this repository: turn them on (Settings > General > Features > Issues), or set open-issue to false.'
      : status === 403 || status === 404 || status === 401
        ? " Give the job's token the permission it needs: permissions: issues: write (pull requests from forks get a read-only token)."
        : status !== undefined && status >= 300 && status < 400
          ? ' Check GITHUB_API_URL: it should name the API itself (GitHub Enterprise Server: https://HOST/api/v3), not a page that redirects.'
          : ' Check that the runner can reach the GitHub API (GITHUB_API_URL, proxy settings).'
  return `open-issue: could not open, update or close the DocuSign sign-in issue (${said}).${permission} The step's outcome is the sign-in's own.`
}
