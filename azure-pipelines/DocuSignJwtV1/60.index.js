"use strict";
exports.id = 60;
exports.ids = [60];
exports.modules = {

/***/ 60:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   webIdentity: () => (/* binding */ webIdentity)
/* harmony export */ });
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(328);
/* harmony import */ var _settings_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(922);
/* harmony import */ var _aws_credentials_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(77);
/* harmony import */ var _key_vault_http_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(174);
/* harmony import */ var _oidc_token_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(758);
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(957);
/* harmony import */ var _credential_file_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(877);
/* harmony import */ var _token_file_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(777);








/**
 * The chain's web identity step, as every AWS SDK reads it: the token in AWS_WEB_IDENTITY_TOKEN_FILE
 * (a GitLab job's id_tokens written to a file, a Kubernetes projected service-account token) swapped
 * for the role AWS_ROLE_ARN's temporary credentials with STS AssumeRoleWithWebIdentity: an unsigned
 * Query API call (POST, form-encoded Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn&
 * RoleSessionName&WebIdentityToken) answered in XML (docs.aws.amazon.com/STS/latest/APIReference/
 * API_AssumeRoleWithWebIdentity.html; errors: CommonErrors.html, the Query API's ErrorResponse).
 */
const STEP = 'web identity';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** STS errors a later request may not meet (besides 5xx and 429, which Http retries). */
const BUSY = new Set(['Throttling', 'IDPCommunicationError', 'ServiceUnavailable', 'InternalFailure']);
/** STS's XML answer: the text of a tag, entities decoded (the answer is never shown unquoted). */
function tag(xml, name) {
    const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
    return text
        ?.replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&apos;/g, "'")
        .replace(/&amp;/g, '&');
}
async function webIdentity(chain) {
    const { env, io } = chain.context;
    const file = (env.AWS_WEB_IDENTITY_TOKEN_FILE ?? '').trim();
    const roleArn = (env.AWS_ROLE_ARN ?? '').trim();
    const fail = (kind, problem, fix) => (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .stepError */ .hH)(kind, chain, STEP, problem, fix);
    const both = 'Set AWS_WEB_IDENTITY_TOKEN_FILE to the file that holds the OIDC token (GitLab: write the id_tokens variable to a 0600 file; Kubernetes IRSA sets both) and AWS_ROLE_ARN to the role to assume (see docs/keyless.md).';
    if (!file || !roleArn) {
        throw fail('input', `${file ? 'AWS_ROLE_ARN' : 'AWS_WEB_IDENTITY_TOKEN_FILE'} is not set; web identity needs both.`, both);
    }
    const account = ROLE_ARN.exec(roleArn)?.[1];
    if (!account) {
        throw fail('input', 'AWS_ROLE_ARN is not an IAM role ARN.', 'Set it to the role to assume, such as arn:aws:iam::111122223333:role/docusign-jwt-signer.');
    }
    const sessionName = (env.AWS_ROLE_SESSION_NAME ?? '').trim() || `docusign-jwt-${io.now()}`;
    if (!SESSION_NAME.test(sessionName)) {
        throw fail('input', 'AWS_ROLE_SESSION_NAME is not a role session name (2 to 64 letters, digits and _+=,.@-).', 'Set a name such as docusign-jwt, or unset it.');
    }
    const shown = (0,_credential_file_js__WEBPACK_IMPORTED_MODULE_5__/* .shownFile */ .G)(file);
    let text;
    try {
        text = (0,_token_file_js__WEBPACK_IMPORTED_MODULE_6__/* .readTokenFile */ .O)(file, chain.context.http.timeoutMs);
    }
    catch (error) {
        throw fail('input', `AWS_WEB_IDENTITY_TOKEN_FILE (${shown}) ${error.message}.`, both);
    }
    const token = (0,_oidc_token_js__WEBPACK_IMPORTED_MODULE_3__/* .tokenShape */ .j2)(text);
    if (!token) {
        throw fail('input', `AWS_WEB_IDENTITY_TOKEN_FILE (${shown}) holds no token (it is empty, or has spaces or line breaks inside).`, 'Write the OIDC token alone to that file before this step (GitLab: printf %s "$ID_TOKEN" > file).');
    }
    io.secret(token);
    const endpoint = (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .stsEndpoint */ .u1)(chain);
    const service = { name: 'AWS STS', endpointVariable: endpoint.variable, key: chain.key };
    const role = `the role ${roleArn}`;
    let res;
    try {
        ;
        ({ res } = await (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_2__/* .send */ .tN)(chain.context.http, {
            method: 'POST',
            url: endpoint.url.href,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
            body: () => Promise.resolve(new URLSearchParams({
                Action: 'AssumeRoleWithWebIdentity',
                Version: '2011-06-15',
                RoleArn: roleArn,
                RoleSessionName: sessionName,
                WebIdentityToken: token
            }).toString())
        }, service));
    }
    catch (error) {
        if (!(error instanceof _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw))
            throw error;
        throw fail(error.kind, `assuming ${role}: ${error.template.problem}`, error.template.fix);
    }
    const sts = `AWS STS at ${(0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_2__/* .shownUrl */ .zA)(endpoint.url)}`;
    const xml = /^\s*</.test(res.body) ? res.body : '';
    if (res.status === 200) {
        const result = xml.includes('<AssumeRoleWithWebIdentityResult>')
            ? (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .credentialsOf */ .YN)({
                AccessKeyId: tag(xml, 'AccessKeyId'),
                SecretAccessKey: tag(xml, 'SecretAccessKey'),
                SessionToken: tag(xml, 'SessionToken')
            }, 'SessionToken')
            : undefined;
        if (!result) {
            throw fail('malformed', `${sts} answered AssumeRoleWithWebIdentity for ${role} without credentials.`, `Check ${endpoint.variable} (it should name AWS STS itself) and HTTPS_PROXY/NO_PROXY; if it persists, try again later.`);
        }
        (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .masked */ .Iv)(chain, result);
        const assumed = (0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(tag(xml, 'Arn'), 200);
        io.debug(`AWS credential chain: web identity, ${assumed || role}${(0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_1__/* .expiry */ .IC)(tag(xml, 'Expiration'))}`);
        return {
            ...result,
            source: `web identity (${role}, the token in AWS_WEB_IDENTITY_TOKEN_FILE)`,
            renew: `The session of ${role} from web identity has ended: run the job again, or write a fresh token to AWS_WEB_IDENTITY_TOKEN_FILE right before this step.`
        };
    }
    const code = (0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(tag(xml, 'Code'), 60);
    const message = (0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(tag(xml, 'Message'), 300);
    const said = code ? `${code}${message ? `: ${message}` : ''}` : `HTTP ${res.status}`;
    if (res.status >= 500 || res.status === 429 || BUSY.has(code)) {
        throw fail('unavailable', `${sts} answered AssumeRoleWithWebIdentity for ${role} with HTTP ${res.status} (${said}).`, `Try again later; raise ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_0__/* .setting */ .Pe)('max-attempts')} to wait longer.`);
    }
    if (!code) {
        throw fail('malformed', `${sts} answered AssumeRoleWithWebIdentity for ${role} with HTTP ${res.status} and no STS error.`, `Check ${endpoint.variable} (it should name AWS STS itself) and HTTPS_PROXY/NO_PROXY.`);
    }
    throw fail('refused', `${sts} refused the token from AWS_WEB_IDENTITY_TOKEN_FILE for ${role} (${said}).`, fixFor(code, message, (0,_oidc_token_js__WEBPACK_IMPORTED_MODULE_3__/* .tokenClaims */ .f)(token), roleArn, account));
}
/** What the role's trust policy, the account's OIDC provider or the token needs, per STS error. */
function fixFor(code, message, claims, roleArn, account) {
    const host = claims.issuer?.replace(/^https:\/\//, '').replace(/\/$/, '') ?? 'ISSUER_HOST';
    // The role's partition (aws, aws-cn, aws-us-gov) and account hold the provider.
    const provider = `arn:${roleArn.split(':')[1]}:iam::${account}:oidc-provider/${host}`;
    const audience = claims.audience ?? 'AUDIENCE';
    const subject = claims.subject ?? 'SUBJECT';
    const trust = `The trust policy of ${roleArn} must allow sts:AssumeRoleWithWebIdentity to the Federated principal ${provider}, with the conditions StringEquals "${host}:aud": "${audience}" and StringLike "${host}:sub": "${subject}" (this token's audience and subject; see docs/keyless.md).`;
    if (code === 'InvalidIdentityToken' && /No OpenIDConnect provider/i.test(message)) {
        return `Create the account's OIDC provider for this token's issuer: aws iam create-open-id-connect-provider --url https://${host} --client-id-list ${audience}. ${trust}`;
    }
    if (code === 'InvalidIdentityToken' && /audience/i.test(message)) {
        return `Add the token's audience ${audience} to the OIDC provider ${provider} (aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn ${provider} --client-id ${audience}), or issue the token for an audience the provider lists (GitLab: id_tokens: …: aud:).`;
    }
    if (code === 'InvalidIdentityToken') {
        return `STS could not verify the token with its issuer's keys: check that https://${host}/.well-known/openid-configuration is reachable from AWS, and that the file holds the token itself. ${trust}`;
    }
    if (code === 'ExpiredTokenException') {
        return 'The token in AWS_WEB_IDENTITY_TOKEN_FILE has expired: write it right before this step (GitLab id_tokens live as long as the job; a Kubernetes projected token is refreshed by the kubelet, so point at its mounted path, not a copy).';
    }
    if (code === 'AccessDenied' || code === 'IDPRejectedClaim')
        return trust;
    if (code === 'RegionDisabledException') {
        return 'STS is not active in this region for the account: activate it (IAM > Account settings > Security Token Service regions) or point AWS_ENDPOINT_URL_STS at an active region.';
    }
    if (code === 'ValidationError' || code === 'InvalidParameterValue') {
        return 'Check AWS_ROLE_ARN (an IAM role ARN) and AWS_ROLE_SESSION_NAME (2 to 64 letters, digits and _+=,.@-).';
    }
    return trust;
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