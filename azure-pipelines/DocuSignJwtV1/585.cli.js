"use strict";
exports.id = 585;
exports.ids = [585];
exports.modules = {

/***/ 174:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pb: () => (/* binding */ endpointUrl),
/* harmony export */   Sc: () => (/* binding */ notTheService),
/* harmony export */   Ws: () => (/* binding */ requireHeaderSafe),
/* harmony export */   tN: () => (/* binding */ send),
/* harmony export */   zA: () => (/* binding */ shownUrl)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(296);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(380);
/* harmony import */ var _environment_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(738);
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(328);
/* harmony import */ var _settings_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(922);
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(957);






/**
 * A key vault's address from the environment: https, or http on loopback only (a credential must
 * not cross a network in clear). No user info, query or fragment; the path, if any, is kept.
 */
function endpointUrl(value, variable, service) {
    let url;
    try {
        url = new URL(value.trim());
    }
    catch {
        url = undefined;
    }
    // The value itself is never quoted: a mistyped variable may hold anything, a credential included.
    const bad = (why) => {
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('input', `${variable} ${why}, so ${service.name} cannot be reached for ${service.key}.`, `Set ${variable} to the ${service.name} address, such as ${variable === 'VAULT_ADDR' ? 'https://vault.example.com:8200' : `https://${variable.includes('STS') ? 'sts' : 'kms'}.us-east-1.amazonaws.com`} (see docs/keyless.md).`);
    };
    if (!url || !/^https?:$/.test(url.protocol) || !url.hostname)
        return bad('is not an http(s) URL');
    if (url.username || url.password)
        return bad('carries a user name or password');
    if (url.search || url.hash)
        return bad('has a query or a fragment');
    if (url.protocol === 'http:' && !(0,_environment_js__WEBPACK_IMPORTED_MODULE_2__/* .isLoopback */ .U9)(url.hostname)) {
        return bad(`is a plain http address (${url.origin}), which would send the credentials unencrypted; only this machine (localhost, 127.0.0.1, [::1]) may be reached over http`);
    }
    return url;
}
/** Refuses (never shows) credentials that no header can carry, naming only their variables. */
function requireHeaderSafe(values, service) {
    const bad = values.filter(([, value]) => value && !_http_js__WEBPACK_IMPORTED_MODULE_1__/* .VISIBLE_ASCII */ .bd.test(value)).map(([variable]) => variable);
    if (bad.length) {
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('input', `${bad.join(' and ')} ${bad.length > 1 ? 'hold' : 'holds'} spaces or control characters, so ${service.name} cannot be asked for ${service.key}.`, `Let the login step set ${bad.length > 1 ? 'them' : 'it'} (see docs/keyless.md), or set ${bad.length > 1 ? 'them' : 'it'} without quotes, spaces or line breaks.`);
    }
}
/** A URL as messages show it: scheme, host, port and path, nothing else. */
function shownUrl(url) {
    return `${url.origin}${url.pathname === '/' ? '' : url.pathname}`;
}
/**
 * One request through the run's Http (5xx, 429 and network errors retried there), counting the
 * attempts it took. A failure to get any answer becomes the key vault's error: Http's own words name
 * the URL and what failed; the fix names the key vault's settings, never DocuSign's.
 */
async function send(http, req, service) {
    // Http calls a request's body once per attempt: that is where attempts are counted (requests with a body).
    let attempts = 0;
    const body = req.body;
    const counted = body
        ? {
            ...req,
            body: () => {
                attempts++;
                return body();
            }
        }
        : req;
    try {
        return { res: await http.send(counted), attempts };
    }
    catch (error) {
        if (!(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ))
            throw error;
        const problem = `${service.name} could not be reached for ${service.key}: ${error.problem}`;
        if (error.topic === 'tls-untrusted')
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('unavailable', problem, error.fix);
        if (error.topic === 'malformed-answer') {
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('malformed', problem, `This is not an answer of ${service.name}: check ${service.endpointVariable} and HTTPS_PROXY/NO_PROXY.`);
        }
        throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('unavailable', problem, `Check that this machine can reach ${service.name} (${service.endpointVariable}, and the proxy settings HTTPS_PROXY/NO_PROXY), and raise ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('timeout-seconds')} or ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('max-attempts')} if the network is slow.`);
    }
}
/** An answer that is not the key vault's JSON (a proxy's page, another server): no guess at its meaning. */
function notTheService(res, what, service) {
    const type = String(res.headers['content-type'] ?? 'no content type').split(';')[0];
    return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('malformed', `${service.name} answered ${what} for ${service.key} with HTTP ${res.status} and ${res.body ? `a ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_5__/* .quote */ .hD)(type, 60)} body` : 'an empty body'}, not ${service.name}'s JSON.`, `Check ${service.endpointVariable} (it should name ${service.name} itself) and HTTPS_PROXY/NO_PROXY; if it persists, try again later.`);
}


/***/ }),

/***/ 585:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   VaultTransitSigner: () => (/* binding */ VaultTransitSigner)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _answer_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(497);
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(328);
/* harmony import */ var _settings_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(922);
/* harmony import */ var _ci_system_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(445);
/* harmony import */ var _key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(174);
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(957);
/* harmony import */ var _spec_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(316);








const RSA_TYPES = new Set(['rsa-2048', 'rsa-3072', 'rsa-4096']);
const SIGNATURE = /^vault:v(\d{1,9}):([A-Za-z0-9+/]+={0,2})$/;
const GITHUB_LOGIN = "hashicorp/vault-action with exportToken: true (it sets VAULT_TOKEN; method: jwt logs in with the job's OIDC token, which needs permissions: id-token: write)";
/** The step that logs in to Vault on the CI system this run is on (docs/keyless.md has each). */
const LOGIN = {
    github: GITHUB_LOGIN,
    gitlab: "a line that exports VAULT_TOKEN from Vault's JWT login with an id_tokens: token for the role's audience: vault write -field=token auth/gitlab/login role=ROLE jwt=\"$VAULT_ID_TOKEN\", as docs/keyless.md shows under 'GitLab CI'",
    azure: 'a vault login whose token reaches this step in its env: (VAULT_TOKEN: $(VAULT_TOKEN) from a secret variable: a secret reaches a step only that way)',
    other: `${GITHUB_LOGIN} on GitHub Actions, or elsewhere vault login and export VAULT_TOKEN=$(vault print token)`
};
/** Vault's `{"errors": [...]}`, each go-multierror text ("1 error occurred:\n\t* permission denied\n\n") split into its errors. */
function vaultErrors(json) {
    if (!json || !Array.isArray(json.errors))
        return undefined;
    return json.errors
        .flatMap(e => String(e).split('\n'))
        .map(line => line.replace(/^\s*\*\s*/, '').trim())
        .filter(line => line && !/^\d+ errors? occurred:?$/.test(line));
}
/**
 * Signs in HashiCorp Vault's transit engine: GET {mount}/keys/{key} once (the latest version's public
 * key), POST {mount}/sign/{key}/sha2-256 with pkcs1v15 per assertion. VAULT_ADDR, VAULT_NAMESPACE and
 * VAULT_TOKEN come from the environment as hashicorp/vault-action (exportToken: true) leaves them; the
 * token is registered as a secret before anything else and goes only to Vault.
 */
class VaultTransitSigner {
    description;
    mount;
    key;
    base;
    headers;
    namespace;
    service;
    http;
    io;
    /** The login step to name in fixes, for the CI system this run is on. */
    login;
    /** Each version's public key, as the last read of the key listed them. */
    versions = new Map();
    reported;
    constructor(spec, context) {
        this.description = (0,_spec_js__WEBPACK_IMPORTED_MODULE_5__/* .describeSpec */ .l9)(spec);
        this.mount = spec.mount;
        this.key = spec.key;
        this.http = context.http;
        this.io = context.io;
        this.login = (0,_ci_system_js__WEBPACK_IMPORTED_MODULE_6__/* .forCiSystem */ .L9)(context.env, LOGIN);
        const value = (name) => (context.env[name] ?? '').trim();
        const token = value('VAULT_TOKEN');
        // Registered before anything could show it, whatever else is missing.
        if (token)
            context.io.secret(token);
        const addr = value('VAULT_ADDR');
        this.namespace = value('VAULT_NAMESPACE').replace(/^\/+|\/+$/g, '');
        this.service = { name: 'Vault', endpointVariable: 'VAULT_ADDR', key: this.description };
        const missing = [!addr && 'VAULT_ADDR', !token && 'VAULT_TOKEN'].filter(Boolean);
        if (missing.length) {
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('input', `${this.description} needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not set in the environment.`, `${addr ? '' : "Set VAULT_ADDR (the Vault's https address) in the job's env, and VAULT_NAMESPACE for a Vault Enterprise or HCP namespace. "}${token ? '' : `Before this step, add ${this.login}.`} See docs/keyless.md.`);
        }
        (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__/* .requireHeaderSafe */ .Ws)([
            ['VAULT_TOKEN', token],
            ['VAULT_NAMESPACE', this.namespace]
        ], this.service);
        const url = (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__/* .endpointUrl */ .Pb)(addr, 'VAULT_ADDR', this.service);
        this.base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
        this.headers = { 'X-Vault-Token': token, 'X-Vault-Request': 'true', Accept: 'application/json' };
        if (this.namespace)
            this.headers['X-Vault-Namespace'] = this.namespace;
    }
    async publicKey() {
        if (this.reported)
            return this.reported.info;
        const latest = await this.readKey();
        const info = this.versions.get(latest);
        if (!info)
            throw this.malformed('read', `keys holds no public key for the latest version ${latest}`);
        this.reported = { version: latest, info: (0,_signer_js__WEBPACK_IMPORTED_MODULE_4__/* .requireRsa */ .wc)(`${this.description} (version ${latest})`, info) };
        this.io.debug(`Vault: ${this.description} version ${latest}`);
        return this.reported.info;
    }
    async sign(input) {
        if (!this.reported)
            await this.publicKey();
        const path = `${this.mount}/sign/${this.key}/sha2-256`;
        // Vault signs RSA with PSS unless asked otherwise; DocuSign takes PKCS#1 v1.5 only.
        const body = JSON.stringify({ input: input.toString('base64'), signature_algorithm: 'pkcs1v15' });
        const { res } = await (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__/* .send */ .tN)(this.http, {
            method: 'POST',
            url: `${this.base}/v1/${path}`,
            headers: { ...this.headers, 'Content-Type': 'application/json' },
            body: () => Promise.resolve(body)
        }, this.service);
        const data = this.data(res, 'sign', path);
        const match = typeof data.signature === 'string' ? SIGNATURE.exec(data.signature) : null;
        if (!match)
            throw this.malformed('sign', 'data.signature is not vault:vN:BASE64');
        const version = Number(match[1]);
        const signature = Buffer.from(match[2], 'base64');
        // The signature is checked against the key of the version that made it (read again if new);
        // the caller then checks it against the key reported, the one registered with DocuSign.
        if (!this.versions.has(version))
            await this.readKey();
        const own = this.versions.get(version);
        if (!own) {
            throw this.malformed('sign', `the signature names version ${version}, which the key does not list`);
        }
        if (version !== this.reported.version) {
            this.io.debug(`Vault: signed with version ${version}, not version ${this.reported.version} read before`);
        }
        (0,_signer_js__WEBPACK_IMPORTED_MODULE_4__/* .checkSignature */ .jC)(this, own, input, signature);
        return signature;
    }
    /** GET {mount}/keys/{key}: every version's public key; returns the latest version. */
    async readKey() {
        const path = `${this.mount}/keys/${this.key}`;
        const { res } = await (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__/* .send */ .tN)(this.http, { method: 'GET', url: `${this.base}/v1/${path}`, headers: this.headers }, this.service);
        const data = this.data(res, 'read', path);
        if (typeof data.type !== 'string' || !RSA_TYPES.has(data.type)) {
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('refused', `${this.description} is a ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(data.type ?? 'key of no type', 40)} key; DocuSign signs JWTs with RSA keys only (RS256).`, `Make an RSA key (vault write -f ${this.mount}/keys/NAME type=rsa-2048, see docs/keyless.md), register its public key on the integration key, and point ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_2__/* .setting */ .Pe)('signing-key')} at it.`);
        }
        const latest = data.latest_version;
        const keys = data.keys;
        if (typeof latest !== 'number' || !Number.isInteger(latest) || latest < 1 || !keys || typeof keys !== 'object') {
            throw this.malformed('read', 'latest_version or keys is missing');
        }
        const versions = new Map();
        for (const [name, entry] of Object.entries(keys)) {
            const pem = entry?.public_key;
            if (!/^\d+$/.test(name) || typeof pem !== 'string')
                continue;
            try {
                versions.set(Number(name), (0,_signer_js__WEBPACK_IMPORTED_MODULE_4__/* .publicKeyInfo */ .hx)((0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)(pem)));
            }
            catch {
                throw this.malformed('read', `the public key of version ${name} is not a PEM public key`);
            }
        }
        this.versions = versions;
        return latest;
    }
    /** The `data` of a successful answer, or the error that says why there is none. */
    data(res, operation, path) {
        const json = (0,_answer_js__WEBPACK_IMPORTED_MODULE_1__/* .tryJson */ .MR)(res);
        if (res.status === 200) {
            const data = json?.data;
            if (!data || typeof data !== 'object' || Array.isArray(data))
                throw (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__/* .notTheService */ .Sc)(res, operation, this.service);
            return data;
        }
        const errors = vaultErrors(json);
        if (!errors) {
            if (res.status >= 500 || res.status === 429)
                throw this.unavailable(res, []);
            throw (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__/* .notTheService */ .Sc)(res, operation, this.service);
        }
        throw this.failure(res, errors, operation, path);
    }
    where() {
        return `Vault at ${(0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_3__/* .shownUrl */ .zA)(new URL(this.base))}${this.namespace ? ` (namespace ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(this.namespace, 60)})` : ''}`;
    }
    policy() {
        return `path "${this.mount}/sign/${this.key}/sha2-256" { capabilities = ["update"] } and path "${this.mount}/keys/${this.key}" { capabilities = ["read"] }`;
    }
    /** A Vault error as its cause and fix, named as the key's, never as DocuSign's. */
    failure(res, errors, operation, path) {
        const said = errors.length ? (0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(errors.join('; ')) : 'no error text';
        const asked = operation === 'sign' ? `sign with ${this.description}` : `read ${this.description}`;
        const text = errors.join('\n');
        if (res.status === 403 && /invalid token/i.test(text)) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('refused', `${this.where()} refused the token in VAULT_TOKEN to ${asked}: it is expired, revoked or not a token of this Vault (${said}).`, `Log in again with ${this.login} right before this step (or raise the role's token_ttl), and check that VAULT_ADDR and VAULT_NAMESPACE name the Vault and namespace the token is from.`);
        }
        if (res.status === 403) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('refused', `${this.where()} denied the token in VAULT_TOKEN the ${operation === 'sign' ? 'update' : 'read'} capability on ${path} (${said}).`, `Give the token a policy with ${this.policy()}, attached to the role the job logs in with${this.namespace ? '' : '; for a key in a Vault Enterprise or HCP namespace, set VAULT_NAMESPACE'}.`);
        }
        if (res.status === 404 && /no handler for route|route entry not found/i.test(text)) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('refused', `${this.where()} has no secrets engine mounted at ${this.mount}/, so it has no ${this.description} (${said}).`, `Enable transit there (vault secrets enable -path=${this.mount} transit), or name its mount in ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_2__/* .setting */ .Pe)('signing-key')} (vault-transit:MOUNT/KEY)${this.namespace ? '' : ', or set VAULT_NAMESPACE for a namespace'}.`);
        }
        if ((res.status === 404 && operation === 'read') || /^(signing |encryption )?key not found$/i.test(text)) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('refused', `${this.where()} has no ${this.description} (${said}).`, `Create it (vault write -f ${this.mount}/keys/${this.key} type=rsa-2048) and register its public key on the integration key, or correct ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_2__/* .setting */ .Pe)('signing-key')}${this.namespace ? '' : ' (or set VAULT_NAMESPACE for a namespace)'}.`);
        }
        if (/does not support signing/i.test(text)) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('refused', `${this.description} cannot sign (${said}); DocuSign needs an RSA key (RS256).`, `Make an RSA key (vault write -f ${this.mount}/keys/NAME type=rsa-2048, see docs/keyless.md) and point ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_2__/* .setting */ .Pe)('signing-key')} at it.`);
        }
        if (res.status >= 500 || res.status === 429 || res.status === 412)
            return this.unavailable(res, errors);
        return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('refused', `${this.where()} refused to ${asked}: HTTP ${res.status} (${said}).`, 'See docs/keyless.md for what the key and the token need.');
    }
    unavailable(res, errors) {
        const said = errors.length ? ` (${(0,_outside_js__WEBPACK_IMPORTED_MODULE_7__/* .quote */ .hD)(errors.join('; '))})` : '';
        const sealed = res.status === 503;
        return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('unavailable', `${this.where()} answered for ${this.description} with HTTP ${res.status}${said}${sealed ? ': it is sealed, or in standby' : ''}${res.status === 412 ? '' : ', on every attempt'}.`, `${sealed ? 'Unseal Vault, or wait for it to be, and try again' : 'Try again later'}; raise ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_2__/* .setting */ .Pe)('max-attempts')} or ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_2__/* .setting */ .Pe)('timeout-seconds')} to wait longer.`);
    }
    malformed(operation, what) {
        return new _signer_js__WEBPACK_IMPORTED_MODULE_4__/* .SignerError */ .nw('malformed', `${this.where()} answered ${operation === 'sign' ? 'the sign request' : 'the key read'} for ${this.description} with something that is not Vault's transit answer: ${what}.`, 'Check VAULT_ADDR (it should name Vault itself); if it persists, try again later.');
    }
}


/***/ })

};
;