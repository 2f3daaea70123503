"use strict";
exports.id = 724;
exports.ids = [724];
exports.modules = {

/***/ 877:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   G: () => (/* binding */ shownFile),
/* harmony export */   o2: () => (/* binding */ UnreadableFileError),
/* harmony export */   sS: () => (/* binding */ readCredentialFile)
/* harmony export */ });
/* unused harmony exports CREDENTIAL_FILE_MAX_BYTES, KEY_FILE_WAIT_MS, KEY_FILE_TOO_LARGE */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(328);


/**
 * The one way a credential file is read (a private key, a federated token, a cloud's credentials
 * file): whatever the path names, within a time and a size bound. A file's size says nothing for a
 * device (/dev/zero) or a pipe, and a FIFO with no writer blocks a plain open or read for ever: opened
 * non-blocking, a pipe that has nothing yet is waited for until the deadline, then refused.
 */
/** A credential file is a few KB; anything much larger is not one, and is not read whole. */
const CREDENTIAL_FILE_MAX_BYTES = 64 * 1024;
/** How long a private key file (a pipe: `--private-key-file <(…)`) may take to deliver the key. */
const KEY_FILE_WAIT_MS = 2000;
/** What a key file larger than any key is told, after its name. */
const KEY_FILE_TOO_LARGE = (/* unused pure expression or super */ null && (`holds more than ${CREDENTIAL_FILE_MAX_BYTES / 1024} KiB, too much for a private key file (a key is about 2 KB).`));
/** A credential file's path as a message shows it: made inert, and not at all when too long to be one. */
const shownFile = (path) => (path.length <= 200 ? (0,_outside_js__WEBPACK_IMPORTED_MODULE_1__/* .inert */ .tJ)(path) : 'the path given');
/** Why a credential file could not be read, in words a message can end with. */
class UnreadableFileError extends Error {
    why;
    code;
    constructor(
    /** "there is no such file", "it is a directory", …: never the path, never the content. */
    why, code) {
        super(why);
        this.why = why;
        this.code = code;
    }
}
/** A synchronous pause: a key file is read before anything else happens, and reading is synchronous. */
function pause(ms) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
const REASONS = {
    ENOENT: 'there is no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory',
    ELOOP: 'it is a loop of symbolic links',
    ENAMETOOLONG: 'the path is too long to be a path',
    ENOTDIR: 'a part of the path is not a folder'
};
/**
 * The file's bytes, at most `maxBytes`, within `waitMs`; UnreadableFileError otherwise (a larger
 * file is refused, not cut).
 */
function readCredentialFile(path, { maxBytes = CREDENTIAL_FILE_MAX_BYTES, waitMs }) {
    const deadline = Date.now() + waitMs;
    let fd;
    try {
        // O_NONBLOCK is 0 where the platform has none (Windows): there, no FIFO can be named by a path.
        fd = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.openSync)(path, node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_RDONLY | (node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NONBLOCK ?? 0));
    }
    catch (error) {
        throw unreadable(error);
    }
    try {
        const buffer = Buffer.alloc(maxBytes + 1);
        let length = 0;
        while (length < buffer.length) {
            let read;
            try {
                read = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readSync)(fd, buffer, length, buffer.length - length, null);
            }
            catch (error) {
                const code = error.code;
                if (code !== 'EAGAIN' || Date.now() >= deadline)
                    throw unreadable(error, waitMs);
                pause(Math.min(50, Math.max(1, deadline - Date.now())));
                continue;
            }
            if (read === 0)
                break;
            // A writer that trickles bytes for ever meets the deadline at its next pause.
            length += read;
        }
        if (length > maxBytes)
            throw new UnreadableFileError(`it holds more than ${maxBytes / 1024} KiB`, 'EFBIG');
        return buffer.subarray(0, length);
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.closeSync)(fd);
    }
}
function unreadable(error, waitMs = 0) {
    if (error instanceof UnreadableFileError)
        return error;
    const code = error.code ?? 'EIO';
    if (code === 'EAGAIN') {
        return new UnreadableFileError(`nothing complete arrived from it within ${waitMs / 1000} s (a pipe or device with no data)`, code);
    }
    return new UnreadableFileError(REASONS[code] ?? `the system answered ${code}`, code);
}


/***/ }),

/***/ 724:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  GcpKmsSigner: () => (/* binding */ GcpKmsSigner),
  crc32c: () => (/* binding */ crc32c)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: ./src/core/settings.ts
var settings = __webpack_require__(922);
// EXTERNAL MODULE: ./src/core/ci-system.ts
var ci_system = __webpack_require__(445);
// EXTERNAL MODULE: ./src/core/credential-file.ts
var credential_file = __webpack_require__(877);
// EXTERNAL MODULE: ./src/core/environment.ts
var environment = __webpack_require__(738);
// EXTERNAL MODULE: ./src/core/outside.ts
var outside = __webpack_require__(328);
// EXTERNAL MODULE: ./src/core/answer.ts
var answer = __webpack_require__(497);
// EXTERNAL MODULE: ./src/core/signers/signer.ts
var signer = __webpack_require__(957);
;// CONCATENATED MODULE: ./src/core/signers/gcp-errors.ts



const NAME = /^[A-Z][A-Z0-9_]{1,63}$/;
const SERVICE = /^[a-z][a-z0-9-]{0,62}\.googleapis\.com$/;
// A project ID (6 to 30 characters) or number.
const PROJECT = /^(?:[a-z][a-z0-9-]{4,28}[a-z0-9]|\d{1,20})$/;
function googleError(res) {
    const error = (0,answer/* tryJson */.MR)(res)?.error;
    const body = error && typeof error === 'object' ? error : {};
    const details = Array.isArray(body.details) ? body.details : [];
    let reason = '';
    let service = '';
    let consumer = '';
    const violations = [];
    for (const detail of details) {
        if (!detail || typeof detail !== 'object')
            continue;
        const d = detail;
        if (!reason && typeof d.reason === 'string' && NAME.test(d.reason)) {
            reason = d.reason;
            const metadata = (d.metadata && typeof d.metadata === 'object' ? d.metadata : {});
            if (typeof metadata.service === 'string' && SERVICE.test(metadata.service))
                service = metadata.service;
            const project = typeof metadata.consumer === 'string' ? metadata.consumer.replace(/^projects\//, '') : '';
            if (PROJECT.test(project))
                consumer = project;
        }
        if (Array.isArray(d.violations)) {
            for (const v of d.violations) {
                const type = v?.type;
                if (typeof type === 'string' && NAME.test(type))
                    violations.push(type);
            }
        }
    }
    const status = typeof body.status === 'string' && NAME.test(body.status) ? body.status : '';
    return { status, message: (0,outside/* quote */.hD)(body.message, 240), reason, violations, service, consumer };
}
/** "HTTP 403 PERMISSION_DENIED: message" for a message. */
function described(res, error) {
    const head = [`HTTP ${res.status}`, error.status, error.reason && `(${error.reason})`].filter(Boolean).join(' ');
    return error.message ? `${head}: ${error.message}` : head;
}
/** An OAuth error body `{ error, error_description }` (STS, oauth2.googleapis.com), for a message. */
function oauthError(res) {
    const json = (0,answer/* tryJson */.MR)(res);
    const code = (0,outside/* quote */.hD)(json?.error, 60);
    const description = (0,outside/* quote */.hD)(json?.error_description, 240);
    if (!code && !description)
        return `HTTP ${res.status}`;
    return `HTTP ${res.status} ${code}${description ? `: ${description}` : ''}`;
}
/** The APIs a job signing with Cloud KMS calls, by the titles Google's messages give them. */
const APIS = {
    'cloudkms.googleapis.com': 'Cloud Key Management Service (KMS) API',
    'iamcredentials.googleapis.com': 'IAM Service Account Credentials API',
    'sts.googleapis.com': 'Security Token Service API'
};
/**
 * A disabled API's answer (403 PERMISSION_DENIED with an ErrorInfo whose reason is SERVICE_DISABLED,
 * metadata.service the API and metadata.consumer the project; older answers say only "… API has not
 * been used in project P before or it is disabled"), as the refusal that names the API and the
 * command that enables it; undefined for any other answer.
 * `api` and `project` stand in for what the answer leaves out: the API called, the key's project.
 */
function serviceDisabled(res, error, called) {
    const legacy = /API has not been used in project (\S+) before or it is disabled/.exec(error.message);
    if (res.status !== 403 || (error.reason !== 'SERVICE_DISABLED' && !legacy))
        return undefined;
    const api = error.service || called.api;
    const named = legacy && PROJECT.test(legacy[1]) ? legacy[1] : undefined;
    const project = error.consumer || named || called.project || 'PROJECT';
    return new signer/* SignerError */.nw('refused', `The ${APIS[api] ?? 'API'} (${api}) is not enabled in the Google Cloud project ${project}, for ${called.key} (${described(res, error)}).`, `Enable it: gcloud services enable ${api} --project ${project}, and wait a few minutes for the change to reach Google's systems. A new project needs ${Object.keys(APIS).join(', ')} (docs/keyless.md).`);
}

// EXTERNAL MODULE: ./src/core/signers/oidc-token.ts
var oidc_token = __webpack_require__(758);
// EXTERNAL MODULE: ./src/core/signers/token-file.ts
var token_file = __webpack_require__(777);
;// CONCATENATED MODULE: ./src/core/signers/gcp-credentials.ts









/**
 * Google credentials for Cloud KMS, as google-github-actions/auth leaves them: an access token
 * (GOOGLE_OAUTH_ACCESS_TOKEN, its `access_token` output), or the credentials file it writes
 * (GOOGLE_APPLICATION_CREDENTIALS): Workload Identity Federation (`external_account`, its subject token
 * from credential_source.url as the action writes it, or from credential_source.file as a GitLab job or a
 * Kubernetes pod has it) or a service account key (`service_account`). The token exchanges are the
 * documented REST calls.
 */
const CLOUD_PLATFORM = 'https://www.googleapis.com/auth/cloud-platform';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
/** Impersonated tokens live only as long as a run needs one. */
const IMPERSONATION_LIFETIME = '600s';
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}$/;
const GITHUB_AUTH = 'Run google-github-actions/auth before this step, in the same job: with workload_identity_provider (and service_account) it writes the credentials file and sets GOOGLE_APPLICATION_CREDENTIALS; with token_format: access_token its access_token output goes in GOOGLE_OAUTH_ACCESS_TOKEN. Workload Identity Federation needs `permissions: id-token: write`.';
/** Where Google credentials come from on the CI system this run is on (docs/keyless.md has each). */
const AUTH_STEP = {
    github: GITHUB_AUTH,
    gitlab: "In this GitLab job, write an id_tokens: token (aud: https://iam.googleapis.com/ and the workload identity provider's full name) to the file that credential_source.file names in a credentials file from gcloud iam workload-identity-pools create-cred-config, and set GOOGLE_APPLICATION_CREDENTIALS to that credentials file (docs/keyless.md, 'GitLab CI').",
    azure: 'On Azure Pipelines, give this step GOOGLE_APPLICATION_CREDENTIALS (a credentials file, such as a secure file from DownloadSecureFile@1) or GOOGLE_OAUTH_ACCESS_TOKEN (a secret variable) in its env: (a secret variable reaches a step only that way); see docs/keyless.md.',
    other: `On GitHub Actions: ${GITHUB_AUTH} Elsewhere, set GOOGLE_APPLICATION_CREDENTIALS to a credentials file (gcloud iam workload-identity-pools create-cred-config with a credential_source.file: GitLab id_tokens, Kubernetes), or GOOGLE_OAUTH_ACCESS_TOKEN to an access token (see docs/keyless.md).`
};
const GITHUB_SHORT_LIVED = "google-github-actions/auth's access_token lives an hour by default (access_token_lifetime): run it with token_format: access_token in the same job, shortly before this step, and pass its output unchanged.";
const SHORT_LIVED = 'An access token lives an hour by default: get it in the same job, shortly before this step, and pass it unchanged.';
const str = (json, field) => typeof json[field] === 'string' && json[field].trim() ? json[field].trim() : undefined;
/** An https URL on a Google API host (googleapis.com and its regional and private endpoints), or undefined. */
function googleUrl(value, host) {
    if (!value)
        return undefined;
    try {
        const url = new URL(value);
        const ok = url.protocol === 'https:' && !url.username && !url.password && /\.googleapis\.com$/i.test(url.hostname);
        return ok && (!host || host.test(url.hostname)) ? url : undefined;
    }
    catch {
        return undefined;
    }
}
class GoogleCredentials {
    context;
    key;
    token;
    constructor(context, 
    /** The key, as messages name it. */
    key) {
        this.context = context;
        this.key = key;
    }
    /** The access token for Cloud KMS, obtained once per run. */
    get() {
        this.token ??= this.obtain();
        return this.token;
    }
    authStep() {
        return (0,ci_system/* forCiSystem */.L9)(this.context.env, AUTH_STEP);
    }
    async obtain() {
        const { env } = this.context;
        const direct = env.GOOGLE_OAUTH_ACCESS_TOKEN;
        if (direct?.trim()) {
            const value = (0,oidc_token/* tokenShape */.j2)(direct);
            if (!value) {
                throw new signer/* SignerError */.nw('input', `GOOGLE_OAUTH_ACCESS_TOKEN does not hold an access token (it has spaces or control characters, or is too short), for ${this.key}.`, this.authStep());
            }
            (0,oidc_token/* mask */.dK)(this.context, value);
            return {
                value,
                source: 'GOOGLE_OAUTH_ACCESS_TOKEN',
                who: 'the identity whose access token GOOGLE_OAUTH_ACCESS_TOKEN holds',
                renew: (0,ci_system/* forCiSystem */.L9)(env, {
                    github: GITHUB_SHORT_LIVED,
                    gitlab: SHORT_LIVED,
                    azure: SHORT_LIVED,
                    other: `On GitHub Actions: ${GITHUB_SHORT_LIVED} Elsewhere: ${SHORT_LIVED}`
                })
            };
        }
        const path = env.GOOGLE_APPLICATION_CREDENTIALS?.trim();
        if (path)
            return this.fromFile(path);
        throw new signer/* SignerError */.nw('input', `No Google Cloud credentials for ${this.key}: neither GOOGLE_OAUTH_ACCESS_TOKEN nor GOOGLE_APPLICATION_CREDENTIALS is set.`, this.authStep());
    }
    fileError(shown, problem, fix = this.authStep()) {
        return new signer/* SignerError */.nw('input', `GOOGLE_APPLICATION_CREDENTIALS (${shown}) ${problem}`, fix);
    }
    async fromFile(path) {
        const shown = (0,credential_file/* shownFile */.G)(path);
        let text;
        try {
            text = (0,credential_file/* readCredentialFile */.sS)(path, { waitMs: this.context.http.timeoutMs }).toString('utf8');
        }
        catch (error) {
            if (!(error instanceof credential_file/* UnreadableFileError */.o2))
                throw error;
            if (error.code === 'EFBIG')
                throw this.fileError(shown, 'is larger than a credentials file.');
            throw this.fileError(shown, error.code === 'ENOENT' ? 'names a file that does not exist.' : `cannot be read: ${error.why}.`, `${this.authStep()}${(0,ci_system/* ciSystem */._A)(this.context.env) === 'github' ? ' The file is in the workspace: a later actions/checkout with clean: true removes it, so check out first.' : ''}`);
        }
        let json;
        try {
            const parsed = JSON.parse(text);
            if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
                throw new Error('not an object');
            json = parsed;
        }
        catch {
            throw this.fileError(shown, 'is not a JSON credentials file.');
        }
        const type = str(json, 'type');
        if (type === 'external_account')
            return this.externalAccount(json, shown);
        if (type === 'service_account')
            return this.serviceAccount(json, shown);
        throw this.fileError(shown, `holds credentials of type ${(0,outside/* quote */.hD)(type, 40) || '(none)'}; this step reads external_account (Workload Identity Federation) and service_account files.`);
    }
    // ---- Workload Identity Federation: OIDC token → STS → (impersonation) ----
    async externalAccount(json, shown) {
        const source = json.credential_source && typeof json.credential_source === 'object' ? json.credential_source : {};
        const headers = {};
        if (source.headers && typeof source.headers === 'object') {
            for (const [name, value] of Object.entries(source.headers)) {
                if (typeof value !== 'string' || !/^[A-Za-z0-9-]{1,64}$/.test(name))
                    continue;
                // The runner's OIDC request token is in here: masked before anything is sent.
                if (value.trim().length >= 8 && !/[\r\n]/.test(value))
                    (0,oidc_token/* mask */.dK)(this.context, value.trim());
                headers[name] = value;
            }
        }
        const audience = str(json, 'audience');
        const tokenUrl = googleUrl(str(json, 'token_url'));
        const impersonationUrl = str(json, 'service_account_impersonation_url');
        const impersonation = googleUrl(impersonationUrl, /^iamcredentials\./i);
        const named = impersonation
            ? /\/serviceAccounts\/([^/:]+):generateAccessToken$/.exec(decodeURIComponent(impersonation.pathname))?.[1]
            : undefined;
        const email = named && EMAIL.test(named) ? named : undefined;
        const format = source.format && typeof source.format === 'object' ? source.format : {};
        const field = format.type === 'json' ? str(format, 'subject_token_field_name') : undefined;
        const sourceFile = str(source, 'file');
        // The runner's OIDC request token goes in this request's headers: https only (http on loopback).
        const sourceUrl = sourceFile ? undefined : safeSourceUrl(str(source, 'url'));
        const known = format.type === undefined || format.type === 'text' || (format.type === 'json' && field);
        if (!audience || !tokenUrl || (impersonationUrl && !email) || (!sourceFile && !sourceUrl) || !known) {
            throw this.fileError(shown, 'is an external_account file without what Workload Identity Federation needs here: audience, token_url on https://…googleapis.com (service_account_impersonation_url on iamcredentials.googleapis.com), credential_source.file or credential_source.url (https), and its format: text, or json with subject_token_field_name.');
        }
        const forWhat = `Workload Identity Federation for ${this.key}`;
        const subjectToken = sourceFile
            ? this.subjectFromFile(sourceFile, field, shown)
            : await (0,oidc_token/* requestOidcToken */.Iz)(this.context, { url: sourceUrl, headers, field, forWhat });
        const federated = await this.stsExchange(tokenUrl, audience, subjectToken, str(json, 'subject_token_type'));
        const renew = sourceFile
            ? `Write a fresh token to credential_source.file (${(0,outside/* inert */.tJ)(sourceFile, 200)}) right before this step: GitLab id_tokens live as long as the job, a Kubernetes projected token is refreshed where it is mounted.`
            : 'Run google-github-actions/auth in this job (it writes a fresh credentials file), with `permissions: id-token: write`.';
        if (!email) {
            return {
                value: federated,
                source: `the credentials file (${shown})`,
                who: "this job's Workload Identity Federation principal",
                renew
            };
        }
        const value = await this.impersonate(impersonation, email, federated, audience, (0,oidc_token/* tokenClaims */.f)(subjectToken));
        return {
            value,
            source: `the credentials file (${shown})`,
            who: `service account ${email}`,
            member: `serviceAccount:${email}`,
            renew
        };
    }
    /**
     * The subject token from credential_source.file, as google-auth-library's FileSubjectTokenSupplier
     * reads it (src/auth/filesubjecttokensupplier.ts): format text, the file's content; format json, the
     * field subject_token_field_name of the JSON in it.
     */
    subjectFromFile(path, field, shown) {
        const named = `credential_source.file (${(0,credential_file/* shownFile */.G)(path)})`;
        const fix = 'Write the OIDC token to that file before this step (GitLab: the id_tokens variable, written with printf %s to a 0600 file; Kubernetes: the projected service-account token path), or point credential_source.file at it (see docs/keyless.md).';
        let text;
        try {
            text = (0,token_file/* readTokenFile */.O)(path, this.context.http.timeoutMs);
        }
        catch (error) {
            throw this.fileError(shown, `names in ${named} a file that ${error.message}.`, fix);
        }
        let value = text;
        if (field) {
            try {
                value = JSON.parse(text)?.[field];
            }
            catch {
                value = undefined;
            }
        }
        const token = (0,oidc_token/* tokenShape */.j2)(typeof value === 'string' ? value : undefined);
        if (!token) {
            throw this.fileError(shown, field
                ? `names in ${named} a file without a token in its JSON field ${(0,outside/* quote */.hD)(field, 60)} (subject_token_field_name).`
                : `names in ${named} a file that holds no token (it is empty, or has spaces or line breaks inside).`, fix);
        }
        (0,oidc_token/* mask */.dK)(this.context, token);
        return token;
    }
    /** STS token exchange (RFC 8693), form-encoded as google-auth-library sends it. */
    async stsExchange(url, audience, subjectToken, subjectType) {
        const service = `Google's Security Token Service (${url.host})`;
        const res = await (0,oidc_token/* callService */.cb)(this.context, `The token exchange at ${service} for ${this.key}`, {
            method: 'POST',
            url: url.toString(),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: () => Promise.resolve(new URLSearchParams({
                grant_type: TOKEN_EXCHANGE,
                audience,
                scope: CLOUD_PLATFORM,
                requested_token_type: ACCESS_TOKEN_TYPE,
                subject_token: subjectToken,
                subject_token_type: subjectType ?? 'urn:ietf:params:oauth:token-type:jwt'
            }).toString())
        });
        if (res.status !== 200) {
            if ((0,oidc_token/* isOutage */.uD)(res.status)) {
                throw new signer/* SignerError */.nw('unavailable', `${service} answered ${oauthError(res)} for ${this.key}, after every attempt.`, 'Google is unavailable or rate-limiting: try again later. DocuSign was not asked yet.');
            }
            const { issuer, subject } = (0,oidc_token/* tokenClaims */.f)(subjectToken);
            const github = !issuer || issuer === GITHUB_ISSUER;
            throw new signer/* SignerError */.nw('refused', `${service} refused the job's OIDC token for ${this.key} (${oauthError(res)}).`, github
                ? `Check the workload identity provider ${(0,outside/* quote */.hD)(audience.replace(/^\/\/iam\.googleapis\.com\//, ''), 200)} (google-github-actions/auth's workload_identity_provider): it must exist and be enabled, its issuer https://token.actions.githubusercontent.com, and its attribute condition must accept this repository and ref (google-github-actions/auth docs/TROUBLESHOOTING.md).`
                : `Check the workload identity provider ${(0,outside/* quote */.hD)(audience.replace(/^\/\/iam\.googleapis\.com\//, ''), 200)}: it must exist and be enabled, its issuer ${issuer} (this token's), its allowed audiences must include the token's, and its attribute condition must accept the subject ${subject ?? '(none)'} (see docs/keyless.md).`);
        }
        return this.accessToken((0,oidc_token/* jsonOf */.o_)(res, service, `the token exchange for ${this.key}`), 'access_token', service);
    }
    /** generateAccessToken: the federated identity acting as the service account. */
    async impersonate(url, email, federated, audience, claims) {
        const service = `IAM Service Account Credentials (${url.host})`;
        const res = await (0,oidc_token/* callService */.cb)(this.context, `Impersonating ${email} at ${service} for ${this.key}`, {
            method: 'POST',
            url: url.toString(),
            headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${federated}` },
            body: () => Promise.resolve(JSON.stringify({ scope: [CLOUD_PLATFORM], lifetime: IMPERSONATION_LIFETIME }))
        });
        if (res.status !== 200) {
            const error = googleError(res);
            if ((0,oidc_token/* isOutage */.uD)(res.status)) {
                throw new signer/* SignerError */.nw('unavailable', `${service} answered ${described(res, error)} for ${email}, after every attempt.`, 'Google is unavailable or rate-limiting: try again later. DocuSign was not asked yet.');
            }
            // The federated identity's project is the workload identity pool's.
            const project = /^\/\/iam\.googleapis\.com\/projects\/(\d+)\//.exec(audience)?.[1];
            const disabled = serviceDisabled(res, error, { api: 'iamcredentials.googleapis.com', project, key: this.key });
            if (disabled)
                throw disabled;
            const pool = /^\/\/iam\.googleapis\.com\/(projects\/[^/]+\/locations\/global\/workloadIdentityPools\/[^/]+)\//.exec(audience)?.[1];
            const repository = /^[\w.-]+\/[\w.-]+$/.test(this.context.env.GITHUB_REPOSITORY ?? '')
                ? this.context.env.GITHUB_REPOSITORY
                : 'YOUR_ORG/YOUR_REPO';
            // Another issuer's token (GitLab, Kubernetes) has no repository claim: its own subject names it.
            const github = !claims.issuer || claims.issuer === GITHUB_ISSUER;
            const member = !pool
                ? 'the principalSet of this repository'
                : github
                    ? `principalSet://iam.googleapis.com/${pool}/attribute.repository/${repository}`
                    : `principal://iam.googleapis.com/${pool}/subject/${claims.subject ?? 'SUBJECT'}`;
            const mapped = github
                ? 'the provider must map attribute.repository'
                : 'the provider maps google.subject=assertion.sub';
            throw new signer/* SignerError */.nw('refused', `${service} did not let this job's federated identity impersonate service account ${email}, for ${this.key} (${described(res, error)}).`, `The federated identity needs iam.serviceAccounts.getAccessToken on the service account: grant it roles/iam.workloadIdentityUser, e.g. gcloud iam service-accounts add-iam-policy-binding ${email} --role roles/iam.workloadIdentityUser --member ${member} (${mapped}). Check that the service account exists.`);
        }
        return this.accessToken((0,oidc_token/* jsonOf */.o_)(res, service, `the impersonation of ${email}`), 'accessToken', service);
    }
    // ---- A service account key: a JWT signed with it, exchanged at token_uri ----
    async serviceAccount(json, shown) {
        const pem = str(json, 'private_key');
        if (pem)
            (0,oidc_token/* mask */.dK)(this.context, pem);
        const email = str(json, 'client_email');
        const keyId = str(json, 'private_key_id');
        const tokenUri = googleUrl(str(json, 'token_uri') ?? GOOGLE_TOKEN_URI);
        let key;
        try {
            key = pem ? (0,external_node_crypto_.createPrivateKey)(pem) : undefined;
        }
        catch {
            key = undefined;
        }
        if (!key || key.asymmetricKeyType !== 'rsa' || !email || !EMAIL.test(email) || !tokenUri) {
            throw this.fileError(shown, 'is a service_account file without a usable private_key (RSA PEM), client_email, or token_uri on https://…googleapis.com.');
        }
        const now = Math.floor(this.context.io.now() / 1000);
        const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
        const header = part({ alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) });
        const claims = part({ iss: email, scope: CLOUD_PLATFORM, aud: tokenUri.toString(), iat: now, exp: now + 3600 });
        const input = `${header}.${claims}`;
        const assertion = `${input}.${(0,external_node_crypto_.sign)('sha256', Buffer.from(input), key).toString('base64url')}`;
        (0,oidc_token/* mask */.dK)(this.context, assertion);
        const service = `Google's OAuth 2.0 server (${tokenUri.host})`;
        const res = await (0,oidc_token/* callService */.cb)(this.context, `Signing in as ${email} at ${service} for ${this.key}`, {
            method: 'POST',
            url: tokenUri.toString(),
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: () => Promise.resolve(new URLSearchParams({ grant_type: JWT_BEARER, assertion }).toString())
        });
        if (res.status !== 200) {
            if ((0,oidc_token/* isOutage */.uD)(res.status)) {
                throw new signer/* SignerError */.nw('unavailable', `${service} answered ${oauthError(res)} for service account ${email}, after every attempt.`, 'Google is unavailable or rate-limiting: try again later. DocuSign was not asked yet.');
            }
            throw new signer/* SignerError */.nw('refused', `${service} refused the key of service account ${email} in GOOGLE_APPLICATION_CREDENTIALS (${shown}), for ${this.key} (${oauthError(res)}).`, `The key was deleted or disabled, or the service account was (gcloud iam service-accounts keys list --iam-account ${email}), or this machine's clock is off. Better than a key file: Workload Identity Federation, with no key to leak (docs/keyless.md).`);
        }
        const value = this.accessToken((0,oidc_token/* jsonOf */.o_)(res, service, `the sign-in of ${email}`), 'access_token', service);
        return {
            value,
            source: `the credentials file (${shown})`,
            who: `service account ${email}`,
            member: `serviceAccount:${email}`,
            renew: 'Check the key of the service account, or better, use Workload Identity Federation (docs/keyless.md).'
        };
    }
    /** A token from an answer, checked before it is masked (a mask is job-wide), then masked. */
    accessToken(json, field, service) {
        const value = (0,oidc_token/* tokenShape */.j2)(typeof json[field] === 'string' ? json[field] : undefined);
        if (!value) {
            throw new signer/* SignerError */.nw('malformed', `${service} answered without an access token (${field}) for ${this.key}.`, 'Try again; if it persists, report the message. DocuSign was not asked yet.');
        }
        (0,oidc_token/* mask */.dK)(this.context, value);
        return value;
    }
}
/** credential_source.url as google-github-actions/auth writes it (the runner's token endpoint): https, or http on loopback. */
function safeSourceUrl(value) {
    if (!value)
        return undefined;
    try {
        const url = new URL(value);
        const ok = (url.protocol === 'https:' || (url.protocol === 'http:' && (0,environment/* isLoopback */.U9)(url.hostname))) &&
            !url.username &&
            !url.password;
        return ok ? url.href : undefined;
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/core/signers/spec.ts
var signers_spec = __webpack_require__(316);
;// CONCATENATED MODULE: ./src/core/signers/gcp-kms.ts








/**
 * Google Cloud KMS: the key version's public key (GET …/publicKey) and RS256 signatures of a SHA-256
 * digest (POST …:asymmetricSign), with the CRC32C checks the KMS reference asks clients to make.
 */
const KMS = 'https://cloudkms.googleapis.com/v1';
const gcp_kms_SERVICE = 'Google Cloud KMS (cloudkms.googleapis.com)';
const RS256 = /^RSA_SIGN_PKCS1_(2048|3072|4096)_SHA256$/;
const ROLES = 'roles/cloudkms.signerVerifier on the key (or roles/cloudkms.signer with roles/cloudkms.publicKeyViewer), which hold cloudkms.cryptoKeyVersions.useToSign and cloudkms.cryptoKeyVersions.viewPublicKey';
const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++)
        c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
/** CRC32C (Castagnoli), as KMS computes its integrity fields. */
function crc32c(data) {
    let crc = 0xffffffff;
    for (const byte of data)
        crc = CRC32C_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
}
/** An int64 field as proto3 JSON writes it (a decimal string), or a number. */
const int64 = (value) => typeof value === 'string' && /^\d{1,20}$/.test(value) ? Number(value) : typeof value === 'number' ? value : undefined;
function parts(name) {
    const [, project, location, keyRing, key, version] = /^projects\/([^/]+)\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)\/cryptoKeyVersions\/([^/]+)$/.exec(name) ?? [];
    return { project, location, keyRing, key, version };
}
class GcpKmsSigner {
    context;
    description;
    name;
    at;
    credentials;
    info;
    constructor(spec, context) {
        this.context = context;
        this.description = (0,signers_spec/* describeSpec */.l9)(spec);
        this.name = spec.name;
        this.at = parts(spec.name);
        this.credentials = new GoogleCredentials(context, this.description);
    }
    async publicKey() {
        if (this.info)
            return this.info;
        const token = await this.credentials.get();
        const res = await (0,oidc_token/* callService */.cb)(this.context, `Reading the public key of ${this.description}`, {
            method: 'GET',
            url: `${KMS}/${this.name}/publicKey`,
            headers: { Accept: 'application/json', Authorization: `Bearer ${token.value}` }
        });
        if (res.status !== 200)
            throw this.failure(res, 'viewPublicKey', token);
        const json = (0,oidc_token/* jsonOf */.o_)(res, gcp_kms_SERVICE, `the public key request for ${this.description}`);
        const pem = typeof json.pem === 'string' ? json.pem : '';
        const algorithm = typeof json.algorithm === 'string' && /^[A-Z0-9_]{1,64}$/.test(json.algorithm) ? json.algorithm : '';
        const pemCrc = int64(json.pemCrc32c);
        if (pemCrc !== undefined && pemCrc !== crc32c(Buffer.from(pem)))
            throw this.corrupted('the public key');
        this.checkAlgorithm(algorithm);
        let key;
        try {
            key = (0,external_node_crypto_.createPublicKey)(pem);
        }
        catch {
            throw new signer/* SignerError */.nw('malformed', `${gcp_kms_SERVICE} answered the public key request for ${this.description} without a PEM public key.`, 'Try again; if it persists, report the message. DocuSign was not asked yet.');
        }
        this.info = (0,signer/* requireRsa */.wc)(this.description, (0,signer/* publicKeyInfo */.hx)(key));
        return this.info;
    }
    async sign(input) {
        const token = await this.credentials.get();
        const digest = (0,external_node_crypto_.createHash)('sha256').update(input).digest();
        const res = await (0,oidc_token/* callService */.cb)(this.context, `Signing with ${this.description}`, {
            method: 'POST',
            url: `${KMS}/${this.name}:asymmetricSign`,
            headers: {
                'Content-Type': 'application/json',
                Accept: 'application/json',
                Authorization: `Bearer ${token.value}`
            },
            body: () => Promise.resolve(JSON.stringify({ digest: { sha256: digest.toString('base64') }, digestCrc32c: String(crc32c(digest)) }))
        });
        if (res.status !== 200)
            throw this.failure(res, 'useToSign', token);
        const json = (0,oidc_token/* jsonOf */.o_)(res, gcp_kms_SERVICE, `the signing request for ${this.description}`);
        const signature = typeof json.signature === 'string' ? Buffer.from(json.signature, 'base64') : Buffer.alloc(0);
        if (json.verifiedDigestCrc32c !== true)
            throw this.corrupted('the digest sent');
        if (int64(json.signatureCrc32c) !== crc32c(signature) || signature.length === 0)
            throw this.corrupted('the signature');
        if (typeof json.name === 'string' && json.name !== this.name) {
            throw new signer/* SignerError */.nw('malformed', `${gcp_kms_SERVICE} answered the signing request for ${this.description} with a signature of another key version.`, 'Report the message. DocuSign was not asked yet.');
        }
        return signature;
    }
    checkAlgorithm(algorithm) {
        if (RS256.test(algorithm))
            return;
        const make = `Make a key version with the algorithm rsa-sign-pkcs1-2048-sha256 (gcloud kms keys create --purpose asymmetric-signing --default-algorithm rsa-sign-pkcs1-2048-sha256), register its public key on the integration key, and name that version in ${(0,settings/* setting */.Pe)('signing-key')} (docs/keyless.md).`;
        const shown = algorithm || 'an unknown algorithm';
        let problem;
        if (algorithm.startsWith('RSA_SIGN_PSS_')) {
            problem = `${this.description} signs with RSASSA-PSS (${shown}); DocuSign verifies RS256 only (RSASSA-PKCS1-v1_5 with SHA-256).`;
        }
        else if (algorithm.startsWith('EC_SIGN_')) {
            problem = `${this.description} is an elliptic-curve key (${shown}); DocuSign signs JWTs with RSA keys only (RS256).`;
        }
        else if (algorithm.startsWith('RSA_SIGN_')) {
            problem = `${this.description} signs with ${shown}, not RS256 (RSASSA-PKCS1-v1_5 with SHA-256).`;
        }
        else {
            problem = `${this.description} is not an RSA signing key (${shown}).`;
        }
        throw new signer/* SignerError */.nw('refused', problem, make);
    }
    corrupted(what) {
        return new signer/* SignerError */.nw('unavailable', `${gcp_kms_SERVICE}: the CRC32C checksum of ${what} does not match for ${this.description}; the data was corrupted in transit.`, 'Try again; if it persists, check what sits between this machine and Google (a proxy that rewrites traffic). DocuSign was not asked yet.');
    }
    failure(res, permission, token) {
        const error = googleError(res);
        const answer = described(res, error);
        const what = permission === 'useToSign' ? 'the signing request' : 'the public key request';
        const { project, location, keyRing, key, version } = this.at;
        const where = `--key ${key} --keyring ${keyRing} --location ${location} --project ${project}`;
        if ((0,oidc_token/* isOutage */.uD)(res.status)) {
            return new signer/* SignerError */.nw('unavailable', `${gcp_kms_SERVICE} answered ${what} for ${this.description} with ${answer}, after every attempt.`, `Google Cloud KMS is unavailable or rate-limiting (cryptographic requests have a per-minute quota): try again later; ${(0,settings/* setting */.Pe)('timeout-seconds')} and ${(0,settings/* setting */.Pe)('max-attempts')} apply to it as to DocuSign. DocuSign was not asked yet.`);
        }
        if (res.status === 401) {
            return new signer/* SignerError */.nw('refused', `${gcp_kms_SERVICE} refused the access token from ${token.source} for ${this.description} (${answer}).`, `The token expired or is not a Google access token. ${token.renew}`);
        }
        if (res.status === 403 && (error.reason === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || /scope/i.test(error.message))) {
            return new signer/* SignerError */.nw('refused', `The access token from ${token.source} lacks a Cloud KMS scope, for ${this.description} (${answer}).`, `Ask for the scope https://www.googleapis.com/auth/cloud-platform${(0,ci_system/* ciSystem */._A)(this.context.env) === 'github' ? " (google-github-actions/auth's access_token_scopes default)" : ''}. ${token.renew}`);
        }
        const disabled = serviceDisabled(res, error, { api: 'cloudkms.googleapis.com', project, key: this.description });
        if (disabled)
            return disabled;
        if (res.status === 403) {
            return new signer/* SignerError */.nw('refused', `${gcp_kms_SERVICE} denied ${token.who} the permission cloudkms.cryptoKeyVersions.${permission} on ${this.description} (${answer}).`, `Grant ${token.who} ${ROLES}: gcloud kms keys add-iam-policy-binding ${key} --keyring ${keyRing} --location ${location} --project ${project} --member ${token.member ?? 'PRINCIPAL'} --role roles/cloudkms.signerVerifier. IAM changes take a few minutes to apply. Google gives this answer for a key that does not exist, too: check the name.`);
        }
        if (res.status === 404) {
            return new signer/* SignerError */.nw('refused', `${gcp_kms_SERVICE} has no key version ${this.name} (${answer}).`, `Check the project, location, key ring, key and version in ${(0,settings/* setting */.Pe)('signing-key')}: gcloud kms keys versions list ${where}.`);
        }
        if (error.status === 'FAILED_PRECONDITION') {
            const state = /current state is:?\s*([A-Z_]+)/.exec(error.message)?.[1] ??
                error.violations.map(v => v.replace(/^KEY_/, '')).find(Boolean) ??
                'not ENABLED';
            const fix = state === 'DISABLED'
                ? `Enable it: gcloud kms keys versions enable ${version} ${where}, or name an enabled version.`
                : state === 'DESTROY_SCHEDULED'
                    ? `It is scheduled for destruction: gcloud kms keys versions restore ${version} ${where}, then enable it; or make a new version and register its public key.`
                    : state === 'PENDING_GENERATION'
                        ? 'It is still being generated: try again in a minute.'
                        : `A destroyed version cannot sign again: make a new version (gcloud kms keys versions create ${where}), register its public key on the integration key, and name it in ${(0,settings/* setting */.Pe)('signing-key')}.`;
            return new signer/* SignerError */.nw('refused', `${this.description} cannot sign: its state is ${state} (${answer}).`, fix);
        }
        return new signer/* SignerError */.nw(res.status >= 400 && res.status < 500 ? 'refused' : 'malformed', `${gcp_kms_SERVICE} refused ${what} for ${this.description} (${answer}).`, 'Check the key version and its algorithm (RSA_SIGN_PKCS1_2048_SHA256 or larger, SHA-256); if it persists, report the message. DocuSign was not asked yet.');
    }
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