"use strict";
exports.id = 569;
exports.ids = [569];
exports.modules = {

/***/ 569:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gitHubWarning: () => (/* binding */ gitHubWarning),
  reportFailure: () => (/* binding */ reportFailure),
  reportSuccess: () => (/* binding */ reportSuccess)
});

// EXTERNAL MODULE: ./node_modules/@actions/github/lib/github.js + 25 modules
var github = __webpack_require__(542);
// EXTERNAL MODULE: ./src/core/outside.ts
var outside = __webpack_require__(328);
// EXTERNAL MODULE: ./src/core/http.ts + 1 modules
var core_http = __webpack_require__(302);
;// CONCATENATED MODULE: ./src/action/notify/github-fetch.ts

/** A GitHub answer the GitHub side does not act on; its status reaches the warning. */
class GitHubAnswerError extends Error {
    status;
    constructor(status, message) {
        super(message);
        this.status = status;
    }
}
/**
 * A fetch for Octokit built on the project's HTTP client: proxies from HTTPS_PROXY/NO_PROXY, the
 * same TLS trust, and one time limit for the whole GitHub side (Octokit has none of its own): each
 * request gets what is left of timeout-seconds, so however many requests and pages it takes, a
 * GitHub that is slow or hangs costs at most timeout-seconds in total. One attempt: the GitHub side
 * is best effort, and a create that timed out must not be sent twice.
 */
function githubFetch(apiUrl, timeoutMs, debug, now = Date.now) {
    const deadline = now() + timeoutMs;
    const http = new core_http/* Http */.lw({ timeoutMs, maxAttempts: 1, debug });
    const fetchOnce = async (input, init = {}) => {
        const left = deadline - now();
        if (left <= 0)
            throw new Error(`the GitHub side ran out of its ${timeoutMs / 1000} s (timeout-seconds)`);
        const url = String(input instanceof Request ? input.url : input);
        // The token goes only where GITHUB_API_URL points: a Link header naming another host is not followed.
        if (new URL(url).origin !== new URL(apiUrl).origin)
            throw new Error(`refused to send the token to ${new URL(url).origin}`);
        const method = (init.method ?? 'GET').toUpperCase();
        if (method !== 'GET' && method !== 'POST' && method !== 'PATCH')
            throw new Error(`unsupported method ${method}`);
        const headers = Object.fromEntries(new Headers(init.headers).entries());
        const body = typeof init.body === 'string' ? init.body : undefined;
        const res = await http
            .send({ method, url, headers, body: body === undefined ? undefined : async () => body, timeoutMs: left })
            .catch((error) => {
            if (now() < deadline)
                throw error;
            throw new Error(`no complete answer within ${timeoutMs / 1000} s (timeout-seconds, for the whole GitHub side)`);
        });
        // Octokit takes a 3xx other than 304 for success with an empty answer: never followed, it is a failure here.
        if (res.status >= 300 && res.status < 400 && res.status !== 304) {
            throw new GitHubAnswerError(res.status, `GitHub answered HTTP ${res.status} (a redirect, not followed)`);
        }
        const answer = new Response(res.status === 204 || res.status === 304 ? null : res.body, {
            status: res.status,
            headers: Object.entries(res.headers).flatMap(([name, value]) => value === undefined ? [] : (Array.isArray(value) ? value : [value]).map(v => [name, v]))
        });
        // Octokit reads the answer's URL; a constructed Response has none.
        Object.defineProperty(answer, 'url', { value: url });
        return answer;
    };
    return { fetch: fetchOnce, close: () => http.close() };
}

// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(296);
// EXTERNAL MODULE: ./src/core/settings.ts
var settings = __webpack_require__(922);
// EXTERNAL MODULE: ./src/action/markdown.ts
var markdown = __webpack_require__(37);
;// CONCATENATED MODULE: ./src/action/notify/issue-text.ts



const LABEL = 'docusign-sign-in';
/** demo, production, or the custom OAuth server's origin. */
function environmentName(env) {
    return env.name === 'custom' ? env.oauthBase : env.name;
}
/** The hidden line that identifies the issue; the label only makes it easy to list. */
function marker(s) {
    return `<!-- docusign-jwt-auth-action: integration-key=${s.integrationKey} user-id=${s.userId} environment=${environmentName(s.environment)} -->`;
}
/** A few words for the title: what a person must fix. */
function headline(error) {
    if (error instanceof errors/* ConsentRequiredError */.er)
        return 'consent required';
    const problem = error.shown(settings/* INPUT_SPELLING */.an).problem;
    const words = /^DocuSign refused the token \(([^)]*)\)/.exec(problem)?.[1] ?? problem.replace(/[.:].*$/s, '');
    return words.length > 100 ? `${words.slice(0, 99)}…` : words;
}
function title(error, s) {
    return `DocuSign sign-in failed (${environmentName(s.environment)}): ${headline(error)}`;
}
/** What went wrong and the fix; a consent failure's links once, as links, not again as the fix's raw lines. */
function whatAndFix(error, docsUrl) {
    const { problem, fix } = error.shown(settings/* INPUT_SPELLING */.an);
    const links = error instanceof errors/* ConsentRequiredError */.er
        ? [
            `- [Grant consent as the impersonated user](${error.consentUrl}): open it signed in to DocuSign as that user.`,
            `- [Grant consent for the whole organization](${error.adminConsentUrl}): an organization administrator opens it (claimed domain required).`,
            ''
        ]
        : [];
    const urls = error instanceof errors/* ConsentRequiredError */.er ? [error.consentUrl, error.adminConsentUrl] : [];
    const text = fix
        .split('\n')
        .filter(line => !urls.includes(line))
        .join('\n');
    return [
        '### What went wrong',
        '',
        (0,markdown/* paragraph */.F)(problem),
        '',
        '### How to fix it',
        '',
        ...links,
        (0,markdown/* paragraph */.F)(text),
        ...(docsUrl ? ['', `[Troubleshooting: this message explained](${docsUrl})`] : [])
    ];
}
/** The issue's body after its marker line (see marker()). */
function body(error, s, runUrl, docsUrl) {
    return [
        `A workflow run could not sign in to DocuSign, for a reason a person must fix: [the failed run](${runUrl}).`,
        '',
        ...whatAndFix(error, docsUrl),
        '',
        '### Sign-in',
        '',
        '| | |',
        '|---|---|',
        `| Integration key | ${s.integrationKey} |`,
        `| User ID | ${s.userId} |`,
        `| Environment | ${(0,markdown.md)(environmentName(s.environment))} |`,
        `| ${s.key.label} | ${(0,markdown.md)(s.key.value)} |`,
        '',
        'Later failures of this sign-in comment here; the action closes this issue when a run signs in again.',
        ''
    ].join('\n');
}
function failedAgain(error, runUrl, docsUrl) {
    return [`Failed again in [this run](${runUrl}).`, '', ...whatAndFix(error, docsUrl), ''].join('\n');
}
function signedInAgain(runUrl) {
    return `Signed in again in [this run](${runUrl}). Closing.`;
}

;// CONCATENATED MODULE: ./src/action/notify/index.ts
/**
 * The GitHub side, loaded only when open-issue is true: one open issue per integration key, user and
 * environment, opened or commented on when a person must fix the sign-in, closed when it works again.
 */




/** Octokit's own log writes GitHub's deprecation texts to stderr, unscrubbed: the action reports itself. */
const SILENT = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
/** Pages of open labelled issues read at most: 1,000 issues, whatever Link headers GitHub sends. */
const MAX_PAGES = 10;
/** Where the GitHub API is: GITHUB_API_URL (GitHub Enterprise Server: https://host/api/v3), http(s) only. */
function apiUrl() {
    const value = process.env.GITHUB_API_URL || 'https://api.github.com';
    let url;
    try {
        url = new URL(value);
    }
    catch {
        url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
        throw new Error(`GITHUB_API_URL is not an http(s) URL (${url ? `scheme '${(0,outside/* inert */.tJ)(url.protocol, 20)}'` : 'unparsable'})`);
    }
    return value;
}
async function withGitHub(options, work) {
    const { fetch, close } = githubFetch(apiUrl(), options.timeoutMs, options.debug);
    try {
        return await work((0,github/* getOctokit */.Q)(options.token, { request: { fetch, retries: 0, log: SILENT }, log: SILENT }));
    }
    finally {
        close();
    }
}
/** Open issues read at most when the label is missing: 300, newest first (an unlabelled one is recent). */
const MAX_UNLABELLED_PAGES = 3;
/**
 * The open issues of this sign-in, oldest first: listed by label (consistent after writes), matched
 * by marker. When none carries the label (GitHub dropped it, and adding it failed), the newest open
 * issues are read too, so a later run finds and reuses the unlabelled one instead of opening another.
 */
async function openIssues(octokit, subject) {
    const mark = marker(subject);
    const list = async (labels, maxPages) => {
        let pages = 0;
        const all = await octokit.paginate(octokit.rest.issues.listForRepo, {
            ...github/* context */._.repo,
            ...(labels ? { labels } : { sort: 'created', direction: 'desc' }),
            state: 'open',
            per_page: 100
        }, (response, done) => {
            if (++pages >= maxPages)
                done();
            return response.data;
        });
        return all
            .filter(issue => !issue.pull_request && (issue.body ?? '').startsWith(mark))
            .sort((a, b) => a.number - b.number);
    };
    const labelled = await list(LABEL, MAX_PAGES);
    return labelled.length ? labelled : list(undefined, MAX_UNLABELLED_PAGES);
}
/** The run's page; the repository's Actions page when the run's ID is unknown (not on a runner). */
function runUrl() {
    const actions = `${github/* context */._.serverUrl}/${github/* context */._.repo.owner}/${github/* context */._.repo.repo}/actions`;
    return Number.isFinite(github/* context */._.runId) ? `${actions}/runs/${github/* context */._.runId}` : actions;
}
/**
 * A person must fix the sign-in: comment on its open issue, or open one. Concurrent runs (a matrix
 * failing at once) may each open one; each then lists again, and every run whose issue is not the
 * oldest closes its own as a duplicate. The oldest is never closed by anyone, so exactly one stays.
 */
async function reportFailure(options, error) {
    const { subject, scrub } = options;
    return withGitHub(options, async (octokit) => {
        const [existing] = await openIssues(octokit, subject);
        if (existing) {
            await octokit.rest.issues.createComment({
                ...github/* context */._.repo,
                issue_number: existing.number,
                body: scrub(failedAgain(error, runUrl(), options.docsUrl))
            });
            return existing.html_url;
        }
        const { data: created } = await octokit.rest.issues.create({
            ...github/* context */._.repo,
            title: scrub(title(error, subject)),
            // The marker is not scrubbed: it must match on the next run, and holds identifiers only.
            body: `${marker(subject)}\n${scrub(body(error, subject, runUrl(), options.docsUrl))}`,
            labels: [LABEL]
        });
        // GitHub may drop a label the token cannot create. The issue exists either way, so a failure to
        // label it is a warning, not allowed to hide its URL; later runs still find it by its marker.
        const labels = Array.isArray(created.labels) ? created.labels : [LABEL];
        if (!labels.some(l => (typeof l === 'string' ? l : l?.name) === LABEL)) {
            await octokit.rest.issues
                .addLabels({ ...github/* context */._.repo, issue_number: created.number, labels: [LABEL] })
                .catch(() => options.warn(`open-issue: GitHub did not keep the label '${LABEL}' on issue #${created.number}; later runs still find the issue by its hidden marker. Create the label once (gh label create ${LABEL}), or give the token push access.`));
        }
        const [oldest] = await openIssues(octokit, subject);
        if (!oldest || oldest.number === created.number)
            return created.html_url;
        await octokit.rest.issues.createComment({
            ...github/* context */._.repo,
            issue_number: oldest.number,
            body: scrub(failedAgain(error, runUrl(), options.docsUrl))
        });
        await octokit.rest.issues.update({
            ...github/* context */._.repo,
            issue_number: created.number,
            state: 'closed',
            state_reason: 'not_planned'
        });
        return oldest.html_url;
    });
}
/** The sign-in works again: comment on its open issue and close it, if there is one. */
async function reportSuccess(options) {
    return withGitHub(options, async (octokit) => {
        const issues = await openIssues(octokit, options.subject);
        for (const issue of issues) {
            await octokit.rest.issues.createComment({
                ...github/* context */._.repo,
                issue_number: issue.number,
                body: signedInAgain(runUrl())
            });
            await octokit.rest.issues.update({
                ...github/* context */._.repo,
                issue_number: issue.number,
                state: 'closed',
                state_reason: 'completed'
            });
        }
        return issues[0]?.html_url;
    });
}
/** One warning for any failure of the GitHub side: what GitHub said, and the permission to add. */
function gitHubWarning(error) {
    const failure = error;
    // Octokit reports a fetch that threw (our time limit, a refused connection, a redirect) as status 500, with the cause.
    const answer = failure?.cause instanceof GitHubAnswerError ? failure.cause : undefined;
    const status = answer
        ? answer.status
        : typeof failure?.status === 'number' && !(failure.cause instanceof Error)
            ? failure.status
            : undefined;
    const message = answer ? 'a redirect, not followed' : failure?.response?.data?.message;
    const said = status !== undefined
        ? `GitHub answered HTTP ${status}${typeof message === 'string' ? `: ${(0,outside/* inert */.tJ)(message)}` : ''}`
        : `GitHub could not be reached: ${(0,outside/* inert */.tJ)(failure?.cause instanceof Error ? failure.cause.message : String(error))}`;
    const permission = status === 410
        ? ' Issues are disabled in this repository: turn them on (Settings > General > Features > Issues), or set open-issue to false.'
        : status === 403 || status === 404 || status === 401
            ? " Give the job's token the permission it needs: permissions: issues: write (pull requests from forks get a read-only token)."
            : status !== undefined && status >= 300 && status < 400
                ? ' Check GITHUB_API_URL: it should name the API itself (GitHub Enterprise Server: https://HOST/api/v3), not a page that redirects.'
                : ' Check that the runner can reach the GitHub API (GITHUB_API_URL, proxy settings).';
    return `open-issue: could not open, update or close the DocuSign sign-in issue (${said}).${permission} The step's outcome is the sign-in's own.`;
}


/***/ })

};
;