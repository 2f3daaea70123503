/**
 * A local GitHub REST API for the issues the action opens, comments on and closes: real HTTP on
 * loopback, GitHub's paths, shapes and pagination (Link headers), one repository, one token.
 * Listing is consistent right after a write, as GitHub's issues list is (unlike its search API).
 * Faults can be queued per method and path prefix: 403 for a read-only token, 404, 500, a hang.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { closeServer, listen, readBody } from './server.js'

export interface Issue {
  number: number
  title: string
  body: string
  state: 'open' | 'closed'
  state_reason: string | null
  labels: { name: string }[]
  html_url: string
  /** Present on pull requests, which the issues list also returns. */
  pull_request?: { url: string }
  comments: string[]
}

/** POST /repos/{owner}/{repo}/issues */
interface NewIssue {
  title?: string
  body?: string
  labels?: string[]
}

/** A canned answer: JSON with a message, or a raw text body (an error page). */
export type GitHubFault = { status: number; message?: string; text?: string } | { hang: true }

export interface RecordedGitHubRequest {
  method: string
  path: string
  query: URLSearchParams
  authorization?: string
  body: unknown
}

/** GitHub's answer when the job's token lacks a permission. */
export const READ_ONLY = 'Resource not accessible by integration'

export class GitHubEmulator {
  readonly issues: Issue[] = []
  readonly requests: RecordedGitHubRequest[] = []
  private readonly faults: { method: string; prefix: string; fault: GitHubFault }[] = []
  /** Slows every write, so concurrent runs interleave as they do on GitHub. */
  writeDelayMs = 0
  /** Slows every read, so a run that pages through many answers takes long. */
  readDelayMs = 0
  /** Drops the labels of a new issue, as GitHub may when the token cannot create the label. */
  dropLabels = false
  /** Refuses to add labels (403), as for a token without push access: the label does not stick. */
  refuseLabels = false
  /** Replaces the issues list's Link header (a hostile or broken GitHub). */
  linkHeader?: (page: number) => string
  /** Extra headers on every answer (e.g. Deprecation, Sunset). */
  extraHeaders: Record<string, string> = {}

  private constructor(
    private readonly server: Server,
    /** The API base, as GITHUB_API_URL gives it (GitHub Enterprise Server style: /api/v3). */
    readonly apiUrl: string,
    readonly repository: string,
    readonly token: string
  ) {}

  static async start(repository: string, token: string): Promise<GitHubEmulator> {
    const { server, port } = await listen()
    const emulator = new GitHubEmulator(server, `http://127.0.0.1:${port}/api/v3`, repository, token)
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void emulator.handle(req, res))
    return emulator
  }

  /** Queues a fault for the next request whose method and path (after /api/v3) match. */
  failNext(method: string, pathPrefix: string, fault: GitHubFault): void {
    this.faults.push({ method, prefix: pathPrefix, fault })
  }

  /** Adds an issue (or a pull request) as if someone had opened it. */
  seed(issue: Partial<Issue> & { title: string }): Issue {
    const number = this.issues.length + 1
    const created: Issue = {
      number,
      body: '',
      state: 'open',
      state_reason: null,
      labels: [],
      html_url: `https://github.example/${this.repository}/issues/${number}`,
      comments: [],
      ...issue
    }
    this.issues.push(created)
    return created
  }

  open(label?: string): Issue[] {
    return this.issues.filter(i => i.state === 'open' && !i.pull_request && (!label || hasLabel(i, label)))
  }

  async close(): Promise<void> {
    await closeServer(this.server)
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(this.extraHeaders)) res.setHeader(name, value)
    const text = (await readBody(req)).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://github')
    const path = url.pathname.replace(/^\/api\/v3/, '')
    let body: unknown
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      return json(res, 400, { message: 'Problems parsing JSON' })
    }
    const method = req.method ?? ''
    this.requests.push({ method, path, query: url.searchParams, authorization: req.headers.authorization, body })

    const at = this.faults.findIndex(f => f.method === method && path.startsWith(f.prefix))
    if (at >= 0) {
      const [{ fault }] = this.faults.splice(at, 1)
      if ('hang' in fault) return // never answers
      if (fault.text !== undefined) {
        res.writeHead(fault.status, { 'Content-Type': 'text/plain' })
        return void res.end(fault.text)
      }
      const message = fault.message ?? (fault.status === 403 ? READ_ONLY : `fault ${fault.status}`)
      return json(res, fault.status, { message })
    }
    if (req.headers.authorization !== `token ${this.token}`) return json(res, 401, { message: 'Bad credentials' })
    const base = `/repos/${this.repository}/issues`
    if (!path.startsWith(base)) return json(res, 404, { message: 'Not Found' })
    if (method !== 'GET' && this.writeDelayMs) await new Promise(r => setTimeout(r, this.writeDelayMs))
    if (method === 'GET' && this.readDelayMs) await new Promise(r => setTimeout(r, this.readDelayMs))

    const rest = path.slice(base.length)
    if (rest === '' && method === 'GET') return this.list(path, url.searchParams, res)
    if (rest === '' && method === 'POST') return this.create(body as NewIssue, res)
    const match = /^\/(\d+)(\/comments|\/labels)?$/.exec(rest)
    const issue = match ? this.issues[Number(match[1]) - 1] : undefined
    if (!issue) return json(res, 404, { message: 'Not Found' })
    if (match![2] === '/labels' && method === 'POST') {
      if (this.refuseLabels) return json(res, 403, { message: READ_ONLY })
      for (const name of (body as { labels?: string[] })?.labels ?? [])
        if (!hasLabel(issue, name)) issue.labels.push({ name })
      return json(res, 200, issue.labels)
    }
    if (match![2] === '/comments' && method === 'POST') {
      issue.comments.push(String((body as { body?: unknown })?.body ?? ''))
      return json(res, 201, { id: issue.comments.length, html_url: `${issue.html_url}#comment` })
    }
    if (!match![2] && method === 'PATCH') {
      const patch = body as { state?: 'open' | 'closed'; state_reason?: string }
      if (patch.state) issue.state = patch.state
      if (patch.state_reason) issue.state_reason = patch.state_reason
      return json(res, 200, view(issue))
    }
    json(res, 404, { message: 'Not Found' })
  }

  /** GET /repos/{owner}/{repo}/issues?labels=&state=&per_page=&page=, newest first, with Link headers. */
  private list(path: string, q: URLSearchParams, res: ServerResponse): void {
    const labels = (q.get('labels') ?? '').split(',').filter(Boolean)
    const state = q.get('state') ?? 'open'
    const perPage = Math.min(Number(q.get('per_page') ?? 30), 100)
    const page = Number(q.get('page') ?? 1)
    const all = this.issues
      .filter(i => (state === 'all' || i.state === state) && labels.every(l => hasLabel(i, l)))
      .reverse()
    const pages = Math.max(1, Math.ceil(all.length / perPage))
    const links: string[] = []
    const link = (p: number, rel: string) => {
      const query = new URLSearchParams(q)
      query.set('page', String(p))
      query.set('per_page', String(perPage))
      links.push(`<${this.apiUrl}${path}?${query}>; rel="${rel}"`)
    }
    if (page < pages) link(page + 1, 'next')
    if (page < pages) link(pages, 'last')
    res.setHeader('Link', this.linkHeader ? this.linkHeader(page) : links.join(', '))
    json(res, 200, all.slice((page - 1) * perPage, page * perPage).map(view))
  }

  private create(body: NewIssue | undefined, res: ServerResponse): void {
    if (!body?.title) return json(res, 422, { message: 'Validation Failed' })
    const issue = this.seed({
      title: body.title,
      body: body.body ?? '',
      labels: this.dropLabels ? [] : (body.labels ?? []).map(name => ({ name }))
    })
    json(res, 201, view(issue))
  }
}

function hasLabel(issue: Issue, label: string): boolean {
  return issue.labels.some(l => l.name === label)
}

/** An issue as the API shows it: the comment count, not the comments. */
function view(issue: Issue): object {
  const { comments, ...shown } = issue
  return { ...shown, comments: comments.length }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(body))
}
