"use strict";
exports.id = 774;
exports.ids = [774];
exports.modules = {

/***/ 774:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   containerCredentials: () => (/* binding */ containerCredentials),
/* harmony export */   instanceRole: () => (/* binding */ instanceRole)
/* harmony export */ });
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(67);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _answer_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(497);
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(328);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(253);
/* harmony import */ var _aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(77);
/* harmony import */ var _oidc_token_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(758);
/* harmony import */ var _credential_file_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(877);
/* harmony import */ var _token_file_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(777);









/**
 * The chain's two steps that ask an endpoint on the machine or the task for credentials, with the
 * AWS SDKs' rules (aws-sdk-js-v3 packages/credential-provider-http, credential-provider-imds):
 *
 * - Container credentials (ECS task roles, EKS Pod Identity): GET AWS_CONTAINER_CREDENTIALS_FULL_URI,
 *   or http://169.254.170.2 + AWS_CONTAINER_CREDENTIALS_RELATIVE_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN
 *   (or the content of AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, read for each request) as Authorization.
 *   Only https, or http to loopback, 169.254.170.2, 169.254.170.23 or [fd00:ec2::23] (checkUrl.ts).
 *   1 s per attempt, 4 attempts 1 s apart (fromHttp.ts, retry-wrapper.ts). The answer is JSON with
 *   AccessKeyId, SecretAccessKey, Token, Expiration (requestHelpers.ts).
 * - EC2 instance metadata, IMDSv2: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds: 21600),
 *   then with X-aws-ec2-metadata-token GET /latest/meta-data/iam/security-credentials/ (the role's
 *   name) and …/ROLE (AccessKeyId, SecretAccessKey, Token, Expiration, Code "Success"). At
 *   http://169.254.169.254 (AWS_EC2_METADATA_SERVICE_ENDPOINT, or [fd00:ec2::254] with
 *   AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6), AWS_METADATA_SERVICE_TIMEOUT seconds per request
 *   (1) and AWS_METADATA_SERVICE_NUM_ATTEMPTS (1), as the SDKs' "IMDS client" settings define them.
 *
 * These requests never go through HTTP(S)_PROXY (the SDKs do not send them there either: a proxy
 * cannot reach a link-local address, and the credentials must not cross it).
 */
const CONTAINER_HOSTS = new Set(['169.254.170.2', '169.254.170.23', '[fd00:ec2::23]']);
const ECS_HOST = 'http://169.254.170.2';
const IMDS = { IPv4: 'http://169.254.169.254', IPv6: 'http://[fd00:ec2::254]' };
const MAX_ANSWER_BYTES = 64 * 1024;
/** One request straight to the endpoint (no proxy), bounded in time and size. */
function ask(url, method, headers, timeoutMs) {
    return new Promise((resolve, reject) => {
        const client = url.protocol === 'https:' ? (node_https__WEBPACK_IMPORTED_MODULE_1___default()) : (node_http__WEBPACK_IMPORTED_MODULE_0___default());
        const req = client.request(url, { method, headers, agent: false }, res => {
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size > MAX_ANSWER_BYTES)
                    req.destroy(new Error(`an answer larger than ${MAX_ANSWER_BYTES / 1024} KiB`));
                else
                    chunks.push(chunk);
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
        });
        const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        req.on('close', () => clearTimeout(timer));
        req.on('error', error => reject(new Error((0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .inert */ .tJ)(error.code ?? error.message, 120))));
        req.end();
    });
}
/** Up to `attempts` tries `delayMs` apart; a 4xx answer is final (it is deterministic). */
async function tries(chain, attempts, delayMs, request, what) {
    let last = new Error('not asked');
    for (let n = 1; n <= attempts; n++) {
        chain.context.io.debug(`AWS credential chain: ${what} (attempt ${n} of ${attempts})`);
        try {
            last = await request();
            if (last.status < 500)
                return last;
        }
        catch (error) {
            last = error;
        }
        if (n < attempts)
            await (0,_retry_js__WEBPACK_IMPORTED_MODULE_8__/* .sleep */ .yy)(delayMs);
    }
    return last;
}
const said = (answer) => answer instanceof Error
    ? answer.message
    : `HTTP ${answer.status}${answer.body ? `: ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)((0,_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .tryJson */ .MR)(answer)?.Message ?? answer.body, 200)}` : ''}`;
// ---- container credentials ----
async function containerCredentials(chain) {
    const { env } = chain.context;
    const step = 'container credentials';
    const full = (env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '').trim();
    const relative = (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? '').trim();
    const variable = full ? 'AWS_CONTAINER_CREDENTIALS_FULL_URI' : 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI';
    let url;
    try {
        url = new URL(full || `${ECS_HOST}${relative.startsWith('/') ? '' : '/'}${relative}`);
    }
    catch {
        url = undefined;
    }
    const allowed = (u) => u.protocol === 'https:' ||
        (u.protocol === 'http:' &&
            (CONTAINER_HOSTS.has(u.hostname) ||
                u.hostname === 'localhost' ||
                u.hostname === '[::1]' ||
                /^127(\.\d{1,3}){3}$/.test(u.hostname)));
    if (!url || url.username || url.password || !allowed(url)) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('input', chain, step, `${variable} is not a URL the AWS SDKs accept: https, or http to this machine (127.0.0.0/8, [::1]), the ECS host 169.254.170.2 or the EKS Pod Identity host 169.254.170.23 / [fd00:ec2::23].`, 'Leave it as ECS or the EKS Pod Identity Agent set it; an endpoint of your own must be https.');
    }
    const endpoint = `${url.origin}${url.pathname}`;
    const headers = { Accept: 'application/json' };
    const given = (env.AWS_CONTAINER_AUTHORIZATION_TOKEN ?? '').trim();
    const file = (env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE ?? '').trim();
    if (given || file) {
        let value = given;
        if (!value) {
            const shown = (0,_credential_file_js__WEBPACK_IMPORTED_MODULE_5__/* .shownFile */ .G)(file);
            try {
                value = (0,_token_file_js__WEBPACK_IMPORTED_MODULE_6__/* .readTokenFile */ .O)(file, chain.context.http.timeoutMs);
            }
            catch (error) {
                throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('input', chain, step, `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (${shown}) ${error.message}.`, "On EKS Pod Identity the agent mounts it at /var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token: check the pod's service account has a Pod Identity association, and that the path is mounted in this container.");
            }
        }
        const token = (0,_oidc_token_js__WEBPACK_IMPORTED_MODULE_4__/* .tokenShape */ .j2)(value);
        if (!token) {
            throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('input', chain, step, `${given ? 'AWS_CONTAINER_AUTHORIZATION_TOKEN' : 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE'} holds no token (it is empty, or has spaces or line breaks inside).`, 'Leave it as ECS or the EKS Pod Identity Agent set it.');
        }
        chain.context.io.secret(token);
        headers.Authorization = token;
    }
    const answer = await tries(chain, 4, 1000, () => ask(url, 'GET', headers, 1000), `GET ${endpoint}`);
    if (answer instanceof Error || answer.status >= 500) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('unavailable', chain, step, `the endpoint ${endpoint} (${variable}) gave no credentials after 4 attempts (${said(answer)}).`, relative && !full
            ? "ECS serves it at 169.254.170.2 inside the task only: run this step in the task whose role may use the key, or in a container of its network (awsvpc, bridge with the ECS agent's route)."
            : 'Check that the EKS Pod Identity Agent (or the endpoint named) runs and answers on this node; try again later.');
    }
    if (answer.status !== 200) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('refused', chain, step, `the endpoint ${endpoint} (${variable}) refused the request (${said(answer)}).`, headers.Authorization
            ? "The authorization token was refused: on EKS check the pod's Pod Identity association (aws eks list-pod-identity-associations) and that the token file is the mounted one, not a copy."
            : 'This endpoint wants AWS_CONTAINER_AUTHORIZATION_TOKEN or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: keep what ECS or the EKS Pod Identity Agent set.');
    }
    const json = (0,_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .tryJson */ .MR)(answer) ?? {};
    const credentials = (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .credentialsOf */ .YN)(json, 'Token');
    if (!credentials) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('malformed', chain, step, `the endpoint ${endpoint} (${variable}) answered without AccessKeyId, SecretAccessKey and Token.`, `Check that ${variable} names the container credentials endpoint itself.`);
    }
    (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .masked */ .Iv)(chain, credentials);
    const role = (0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(json.RoleArn, 200);
    chain.context.io.debug(`AWS credential chain: container credentials from ${endpoint}${role ? ` for ${role}` : ''}${(0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .expiry */ .IC)(json.Expiration)}`);
    return {
        ...credentials,
        source: `container credentials (${endpoint}${role ? `, role ${role}` : ''})`,
        renew: 'Container credentials are renewed by ECS or the EKS Pod Identity Agent: run the step again; if it recurs, check the clock of this machine.'
    };
}
// ---- EC2 instance metadata (IMDSv2) ----
/** The instance role's credentials; or, when no instance metadata service answers, what was found instead. */
async function instanceRole(chain) {
    const { env, io } = chain.context;
    const step = 'EC2 instance metadata (IMDSv2)';
    const configured = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT ?? '').trim();
    const mode = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE ?? '').trim();
    let base;
    try {
        base = new URL(configured || (mode.toLowerCase() === 'ipv6' ? IMDS.IPv6 : IMDS.IPv4));
    }
    catch {
        base = undefined;
    }
    if (!base || base.username || base.password || !/^https?:$/.test(base.protocol)) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('input', chain, step, 'AWS_EC2_METADATA_SERVICE_ENDPOINT is not an http(s) URL.', 'Unset it (the instance metadata service is http://169.254.169.254), or set it to http://[fd00:ec2::254] on an IPv6-only instance.');
    }
    const seconds = Number((env.AWS_METADATA_SERVICE_TIMEOUT ?? '').trim() || 1);
    const attempts = Math.trunc(Number((env.AWS_METADATA_SERVICE_NUM_ATTEMPTS ?? '').trim() || 1));
    const timeoutMs = Number.isFinite(seconds) && seconds > 0 && seconds <= 60 ? seconds * 1000 : 1000;
    const count = attempts >= 1 && attempts <= 10 ? attempts : 1;
    const origin = base.origin;
    const at = (path) => new URL(`${base.pathname.replace(/\/+$/, '')}${path}`, origin);
    const tokenAnswer = await tries(chain, count, 1000, () => ask(at('/latest/api/token'), 'PUT', { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' }, timeoutMs), `PUT ${origin}/latest/api/token`);
    const token = tokenAnswer instanceof Error || tokenAnswer.status !== 200 ? undefined : (0,_oidc_token_js__WEBPACK_IMPORTED_MODULE_4__/* .tokenShape */ .j2)(tokenAnswer.body);
    if (!token) {
        // Not an EC2 instance (or IMDS off, or a container the token's answer cannot reach): the chain found nothing.
        return {
            absent: `no EC2 instance metadata service answered a token request at ${origin} (${said(tokenAnswer)}; from a container on EC2, the instance needs --http-put-response-hop-limit 2)`
        };
    }
    io.secret(token);
    const headers = { 'X-aws-ec2-metadata-token': token };
    const path = '/latest/meta-data/iam/security-credentials/';
    const listed = await tries(chain, count, 1000, () => ask(at(path), 'GET', headers, timeoutMs), `GET ${origin}${path}`);
    if (listed instanceof Error || listed.status >= 500) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('unavailable', chain, step, `the instance metadata service at ${origin} did not name the instance's role (${said(listed)}).`, 'Try again; raise AWS_METADATA_SERVICE_TIMEOUT or AWS_METADATA_SERVICE_NUM_ATTEMPTS if the instance is busy.');
    }
    const role = listed.status === 200 ? listed.body.split('\n')[0].trim() : '';
    if (!role) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('input', chain, step, `this EC2 instance has no IAM role (${origin}${path} answered ${said(listed)}).`, 'Attach an instance profile whose role may use the key: aws ec2 associate-iam-instance-profile --instance-id INSTANCE_ID --iam-instance-profile Name=PROFILE (see docs/keyless.md, self-hosted EC2 runners).');
    }
    const shownRole = (0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(role, 128);
    if (!/^[\w+=,.@-]{1,128}$/.test(role)) {
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)('malformed', chain, step, `the instance metadata service named a role that is not a role name (${shownRole}).`, `Check AWS_EC2_METADATA_SERVICE_ENDPOINT (unset it for ${IMDS.IPv4}).`);
    }
    const answer = await tries(chain, count, 1000, () => ask(at(`${path}${role}`), 'GET', headers, timeoutMs), `GET ${origin}${path}${role}`);
    const json = answer instanceof Error ? undefined : (0,_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .tryJson */ .MR)(answer);
    const credentials = !(answer instanceof Error) && answer.status === 200 && json?.Code === 'Success'
        ? (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .credentialsOf */ .YN)(json, 'Token')
        : undefined;
    if (!credentials) {
        const refused = json?.Code !== undefined && json.Code !== 'Success';
        // The body of this answer may hold credentials: only IMDS's own Code and Message are quoted.
        const problem = refused
            ? `Code ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(json.Code, 60)}${json.Message ? `: ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(json.Message, 200)}` : ''}`
            : answer instanceof Error
                ? answer.message
                : `HTTP ${answer.status}`;
        throw (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .stepError */ .hH)(answer instanceof Error || answer.status >= 500 ? 'unavailable' : refused ? 'refused' : 'malformed', chain, step, `the instance metadata service at ${origin} gave no credentials for the instance role ${shownRole} (${problem}).`, `Check the instance profile's role ${shownRole} (aws iam get-role --role-name ${shownRole}): it must exist and trust ec2.amazonaws.com; then try again.`);
    }
    (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .masked */ .Iv)(chain, credentials);
    io.debug(`AWS credential chain: the instance role ${shownRole}${(0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_3__/* .expiry */ .IC)(json?.Expiration)}`);
    return {
        ...credentials,
        source: `the EC2 instance role ${shownRole}`,
        renew: `The instance metadata service renews the role's credentials: run the step again; if it recurs, check this machine's clock.`
    };
}


/***/ }),

/***/ 758:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Iz: () => (/* binding */ requestOidcToken),
/* harmony export */   Jn: () => (/* binding */ OIDC_AUDIENCE_AZURE),
/* harmony export */   Kg: () => (/* binding */ githubOidcToken),
/* harmony export */   cb: () => (/* binding */ callService),
/* harmony export */   dK: () => (/* binding */ mask),
/* harmony export */   f: () => (/* binding */ tokenClaims),
/* harmony export */   j2: () => (/* binding */ tokenShape),
/* harmony export */   o_: () => (/* binding */ jsonOf),
/* harmony export */   uD: () => (/* binding */ isOutage)
/* harmony export */ });
/* harmony import */ var _answer_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(497);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(296);
/* harmony import */ var _environment_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(738);
/* harmony import */ var _settings_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(922);
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(328);
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(957);
/* harmony import */ var _ci_system_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(445);







/**
 * What the keyless backends share: requests to a service that is not DocuSign (the job's OIDC token
 * endpoint, a cloud's token exchange, a key vault), failures named after that service, and the job's
 * OIDC token itself.
 */
/** Visible ASCII, long enough to be a token: what may be masked and put in a header or a form. */
const TOKEN = /^[\x21-\x7e]{16,}$/;
/** A credential as a header or form can carry it, or undefined (shown nowhere: the value is a secret). */
function tokenShape(value) {
    const trimmed = value?.trim();
    return trimmed && TOKEN.test(trimmed) ? trimmed : undefined;
}
/** The issuer, first audience and subject of a JWT; none of them when it is not one. Nothing is verified. */
function tokenClaims(token) {
    try {
        const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
        const one = (value) => (Array.isArray(value) ? value[0] : value);
        const text = (value, max) => typeof value === 'string' ? (0,_outside_js__WEBPACK_IMPORTED_MODULE_5__/* .quote */ .hD)(value, max) || undefined : undefined;
        return { issuer: text(payload.iss, 200), audience: text(one(payload.aud), 200), subject: text(payload.sub, 300) };
    }
    catch {
        return {};
    }
}
/** Masks a credential (and, for "Bearer X", X alone too) before anything could send or show it. */
function mask(context, value) {
    context.io.secret(value);
    const bearer = /^Bearer\s+(\S+)$/i.exec(value.trim())?.[1];
    if (bearer)
        context.io.secret(bearer);
}
/**
 * One request to a service that is not DocuSign, with the run's time limit, attempts and proxy. A
 * network failure after the attempts names the service and what it was for, and says DocuSign was
 * not asked: never the DocuSign-worded fix the HTTP client gives its own failures.
 */
async function callService(context, what, req) {
    try {
        return await context.http.send(req);
    }
    catch (error) {
        if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .ActionError */ .lZ))
            throw error;
        const problem = `${what} failed: ${error.template.problem}`;
        if (error.topic === 'tls-untrusted')
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr(problem, error.template.fix, 'tls-untrusted');
        if (error.topic === 'malformed-answer') {
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('malformed', problem, 'This is not an answer of the service: check HTTPS_PROXY/NO_PROXY. DocuSign was not asked yet.');
        }
        const host = new URL(req.url).host;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .NetworkError */ .Dr(problem, `Check that this machine can reach ${host} (network, HTTPS_PROXY/NO_PROXY, TLS trust with NODE_EXTRA_CA_CERTS), and raise ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('timeout-seconds')} or ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('max-attempts')} if the network is slow. DocuSign was not asked yet.`, 'signing-key');
    }
}
/** The JSON object of an answer, or the error that says the service answered something else. */
function jsonOf(res, service, what) {
    const json = (0,_answer_js__WEBPACK_IMPORTED_MODULE_0__/* .tryJson */ .MR)(res);
    if (!json) {
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw(res.status >= 500 ? 'unavailable' : 'malformed', `${service} answered ${what} with HTTP ${res.status} and a body that is not its JSON.`, 'A proxy or firewall may have answered instead (check HTTPS_PROXY/NO_PROXY); try again, and report the message if it persists. DocuSign was not asked yet.');
    }
    return json;
}
/** 429 and 5xx, once the HTTP client's attempts are spent: the service is busy or down. */
function isOutage(status) {
    return status === 429 || status >= 500;
}
const OIDC_AUDIENCE_AZURE = 'api://AzureADTokenExchange';
/** What gives a job an OIDC token on the CI system this run is on, for `audience`. */
const noOidcFix = (env, audience) => (0,_ci_system_js__WEBPACK_IMPORTED_MODULE_6__/* .forCiSystem */ .L9)(env, {
    github: 'Give the job `permissions: id-token: write` (GitHub Actions then sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN; pull requests from forks never get them).',
    gitlab: `GitLab gives its token as a variable instead: write an id_tokens: token with aud: ${audience} to a file (mode 0600) and name that file in the cloud's token-file variable (AZURE_FEDERATED_TOKEN_FILE for Azure), as docs/keyless.md shows under 'GitLab CI'.`,
    azure: "Azure Pipelines has no GitHub OIDC token: get the cloud's credentials through a service connection and give them to this step in its env: (for Azure Key Vault, AZURE_ACCESS_TOKEN from an AzureCLI@2 step, as docs/azure-pipelines.md shows).",
    other: "On GitHub Actions, give the job `permissions: id-token: write` (GitHub Actions then sets ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN; pull requests from forks never get them). Elsewhere, give the cloud's credentials in the environment instead (see docs/keyless.md)."
});
/**
 * A token from GitHub's OIDC endpoint: GET the URL with the job's request token as a bearer token,
 * the JWT in `value` (what @actions/core getIDToken does). The request token goes to this URL only.
 */
async function requestOidcToken(context, options) {
    const what = `Requesting the job's OIDC token (${options.forWhat})`;
    const res = await callService(context, what, {
        method: 'GET',
        url: options.url,
        headers: { Accept: 'application/json', ...options.headers }
    });
    if (res.status !== 200) {
        const kind = isOutage(res.status)
            ? 'unavailable'
            : res.status === 401 || res.status === 403
                ? 'refused'
                : 'malformed';
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw(kind, `GitHub's OIDC token endpoint answered HTTP ${res.status} for ${options.forWhat}.`, kind === 'refused'
            ? 'The request token (ACTIONS_ID_TOKEN_REQUEST_TOKEN, also written into the credentials file of google-github-actions/auth) is valid only in the job that got it: run the login step in this job, and give it `permissions: id-token: write`.'
            : 'Try again later; GitHub Actions may be degraded (githubstatus.com).');
    }
    let token;
    if (options.field === undefined) {
        token = tokenShape(res.body);
    }
    else {
        const json = jsonOf(res, "GitHub's OIDC token endpoint", `the token request for ${options.forWhat}`);
        token = tokenShape(typeof json[options.field] === 'string' ? json[options.field] : undefined);
    }
    if (!token) {
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('malformed', `GitHub's OIDC token endpoint answered without a token for ${options.forWhat}.`, 'Try again; if it persists, report the message.');
    }
    mask(context, token);
    return token;
}
/**
 * ACTIONS_ID_TOKEN_REQUEST_URL, where the request token is about to go: https, or http on a loopback
 * host (a local stand-in); plain http elsewhere would hand the token to anyone on the way.
 */
function oidcRequestUrl(value, forWhat, fix) {
    let url;
    try {
        url = new URL(value);
    }
    catch {
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('input', `ACTIONS_ID_TOKEN_REQUEST_URL is not a URL, for ${forWhat}.`, fix);
    }
    if (url.protocol === 'https:' || (url.protocol === 'http:' && (0,_environment_js__WEBPACK_IMPORTED_MODULE_2__/* .isLoopback */ .U9)(url.hostname)))
        return url;
    throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('input', `ACTIONS_ID_TOKEN_REQUEST_URL is not an https:// URL (http:// only on a loopback host), for ${forWhat}: the request token would travel unencrypted. Nothing was sent.`, "Leave ACTIONS_ID_TOKEN_REQUEST_URL as the GitHub runner sets it (https://); outside GitHub Actions, unset it and ACTIONS_ID_TOKEN_REQUEST_TOKEN and give the cloud's credentials in the environment instead.");
}
/**
 * The job's GitHub OIDC token for `audience`: the runner's (@actions/core getIDToken) in the action,
 * or requested with ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN elsewhere.
 */
async function githubOidcToken(context, audience, forWhat) {
    const { env, io } = context;
    const url = env.ACTIONS_ID_TOKEN_REQUEST_URL?.trim();
    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN?.trim();
    if (!url || !requestToken) {
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('input', `No GitHub OIDC token for ${forWhat}: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.`, noOidcFix(env, audience));
    }
    mask(context, requestToken);
    const tokenUrl = oidcRequestUrl(url, forWhat, noOidcFix(env, audience));
    if (io.idToken) {
        let token;
        try {
            token = await io.idToken(audience);
        }
        catch (error) {
            const text = error?.message ?? String(error);
            const code = /Error Code\s*:\s*(\d{3})/.exec(text)?.[1];
            const refused = code === '401' || code === '403';
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw(refused ? 'refused' : 'unavailable', `GitHub's OIDC token endpoint gave no token for ${forWhat}${code ? ` (HTTP ${code})` : ''}: ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_5__/* .quote */ .hD)(text.replace(/\s+/g, ' '), 160)}`, refused ? noOidcFix(env, audience) : 'Try again later; GitHub Actions may be degraded (githubstatus.com).');
        }
        const shaped = tokenShape(token);
        if (!shaped) {
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('malformed', `GitHub's OIDC token endpoint answered without a token for ${forWhat}.`, 'Try again.');
        }
        mask(context, shaped);
        return shaped;
    }
    tokenUrl.searchParams.set('audience', audience);
    return requestOidcToken(context, {
        url: tokenUrl.toString(),
        headers: { Authorization: `Bearer ${requestToken}` },
        field: 'value',
        forWhat
    });
}


/***/ }),

/***/ 777:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   O: () => (/* binding */ readTokenFile)
/* harmony export */ });
/* harmony import */ var _credential_file_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(877);

/**
 * A token file (a web identity token, a container authorization token, a federated subject token)
 * as text, through the one bounded reader every credential file takes. A problem comes back as an
 * Error whose message ends a sentence that starts with the file's name (never its content).
 */
function readTokenFile(path, waitMs) {
    try {
        return (0,_credential_file_js__WEBPACK_IMPORTED_MODULE_0__/* .readCredentialFile */ .sS)(path, { waitMs }).toString('utf8');
    }
    catch (error) {
        if (!(error instanceof _credential_file_js__WEBPACK_IMPORTED_MODULE_0__/* .UnreadableFileError */ .o2))
            throw error;
        throw new Error(error.code === 'ENOENT' ? 'does not exist' : `cannot be read: ${error.why}`, { cause: error });
    }
}


/***/ })

};
;