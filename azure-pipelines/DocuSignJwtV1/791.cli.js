"use strict";
exports.id = 791;
exports.ids = [791];
exports.modules = {

/***/ 791:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  AzureKeyVaultSigner: () => (/* binding */ AzureKeyVaultSigner)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: ./src/core/answer.ts
var core_answer = __webpack_require__(497);
// EXTERNAL MODULE: ./src/core/settings.ts
var settings = __webpack_require__(922);
// EXTERNAL MODULE: ./src/core/outside.ts
var outside = __webpack_require__(328);
// EXTERNAL MODULE: ./src/core/credential-file.ts
var credential_file = __webpack_require__(877);
// EXTERNAL MODULE: ./src/core/signers/oidc-token.ts
var oidc_token = __webpack_require__(758);
// EXTERNAL MODULE: ./src/core/signers/signer.ts
var signer = __webpack_require__(957);
// EXTERNAL MODULE: ./src/core/ci-system.ts
var ci_system = __webpack_require__(445);
;// CONCATENATED MODULE: ./src/core/signers/azure-credentials.ts






/**
 * An access token for Azure Key Vault: given (AZURE_ACCESS_TOKEN), or from Microsoft Entra ID's
 * client credentials grant with a federated client assertion (AZURE_CLIENT_ID, AZURE_TENANT_ID, and
 * AZURE_FEDERATED_TOKEN_FILE or the job's GitHub OIDC token), the documented REST call.
 */
const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
/** Entra's authority per Key Vault or Managed HSM DNS suffix: a vault's tenant lives in the vault's cloud. */
const AUTHORITIES = {
    'vault.azure.net': 'https://login.microsoftonline.com',
    'managedhsm.azure.net': 'https://login.microsoftonline.com',
    'vault.usgovcloudapi.net': 'https://login.microsoftonline.us',
    'managedhsm.usgovcloudapi.net': 'https://login.microsoftonline.us',
    'vault.azure.cn': 'https://login.chinacloudapi.cn',
    'managedhsm.azure.cn': 'https://login.chinacloudapi.cn',
    'vault.microsoftazure.de': 'https://login.microsoftonline.de'
};
const GUID_OR_DOMAIN = /^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/;
const GET_TOKEN = '`az account get-access-token --resource RESOURCE --query accessToken -o tsv`';
const GITHUB_LOGIN = `Set AZURE_CLIENT_ID and AZURE_TENANT_ID (the app registration with a federated credential for this repository) and give the job \`permissions: id-token: write\`; or, after azure/login, put ${GET_TOKEN} in AZURE_ACCESS_TOKEN.`;
/** Where the Entra token comes from on the CI system this run is on (docs/keyless.md, docs/azure-pipelines.md). */
const LOGIN = {
    github: GITHUB_LOGIN,
    gitlab: "In this GitLab job, write an id_tokens: token with aud: api://AzureADTokenExchange to a file (mode 0600) and set AZURE_FEDERATED_TOKEN_FILE to it, with AZURE_CLIENT_ID and AZURE_TENANT_ID of the app registration whose federated credential names GitLab's issuer and this project (docs/keyless.md, 'GitLab CI').",
    azure: `On Azure Pipelines, get the token in an AzureCLI@2 step with an Azure Resource Manager service connection (${GET_TOKEN}), set it as a secret variable, and give it to this step as env: AZURE_ACCESS_TOKEN: $(AZURE_ACCESS_TOKEN) (docs/azure-pipelines.md, 'Azure Key Vault through a service connection').`,
    other: `On GitHub Actions: ${GITHUB_LOGIN} Elsewhere, put the token of ${GET_TOKEN} in AZURE_ACCESS_TOKEN, or set AZURE_FEDERATED_TOKEN_FILE (a federated token's file: GitLab id_tokens, Kubernetes workload identity) with AZURE_CLIENT_ID and AZURE_TENANT_ID (see docs/keyless.md).`
};
/**
 * Key Vault's resource (the scope's base) for a vault: https://vault.azure.net for
 * https://NAME.vault.azure.net, https://managedhsm.azure.net for a Managed HSM.
 */
function vaultResource(vault) {
    return `https://${new URL(vault).hostname.split('.').slice(1).join('.').toLowerCase()}`;
}
class AzureCredentials {
    context;
    vault;
    key;
    token;
    resource;
    constructor(context, vault, 
    /** The key, as messages name it. */
    key) {
        this.context = context;
        this.vault = vault;
        this.key = key;
        this.resource = vaultResource(vault);
    }
    get() {
        this.token ??= this.obtain();
        return this.token;
    }
    login() {
        return (0,ci_system/* forCiSystem */.L9)(this.context.env, LOGIN).replace(/RESOURCE/g, this.resource);
    }
    async obtain() {
        const { env } = this.context;
        const given = env.AZURE_ACCESS_TOKEN;
        if (given?.trim()) {
            const value = (0,oidc_token/* tokenShape */.j2)(given);
            if (!value) {
                throw new signer/* SignerError */.nw('input', `AZURE_ACCESS_TOKEN does not hold an access token (it has spaces or control characters, or is too short), for ${this.key}.`, this.login());
            }
            (0,oidc_token/* mask */.dK)(this.context, value);
            return {
                value,
                source: 'AZURE_ACCESS_TOKEN',
                who: 'the identity whose token AZURE_ACCESS_TOKEN holds',
                renew: `Get it in the same job, shortly before this step: az account get-access-token --resource ${this.resource} --query accessToken -o tsv (a token for Key Vault, not for management.azure.com; it lives about an hour).`
            };
        }
        const clientId = env.AZURE_CLIENT_ID?.trim();
        const tenant = env.AZURE_TENANT_ID?.trim();
        if (!clientId && !tenant) {
            throw new signer/* SignerError */.nw('input', `No Azure credentials for ${this.key}: none of AZURE_ACCESS_TOKEN, or AZURE_CLIENT_ID with AZURE_TENANT_ID, is set.`, this.login());
        }
        if (!clientId || !tenant) {
            throw new signer/* SignerError */.nw('input', `${clientId ? 'AZURE_TENANT_ID' : 'AZURE_CLIENT_ID'} is not set, for ${this.key}; the federated sign-in needs both.`, this.login());
        }
        if (!GUID_OR_DOMAIN.test(clientId) || !GUID_OR_DOMAIN.test(tenant)) {
            throw new signer/* SignerError */.nw('input', `AZURE_CLIENT_ID and AZURE_TENANT_ID must be an application (client) ID and a tenant ID or domain, for ${this.key}.`, 'Copy both from the app registration Overview page in the Azure portal.');
        }
        const authority = this.authority();
        const assertion = await this.assertion();
        return this.exchange(authority, tenant, clientId, assertion);
    }
    authority() {
        const given = this.context.env.AZURE_AUTHORITY_HOST?.trim();
        if (!given) {
            const suffix = new URL(this.vault).hostname.split('.').slice(1).join('.').toLowerCase();
            return AUTHORITIES[suffix] ?? AUTHORITIES['vault.azure.net'];
        }
        let url;
        try {
            url = new URL(given);
        }
        catch {
            url = undefined;
        }
        if (!url ||
            url.protocol !== 'https:' ||
            url.username ||
            url.password ||
            url.search ||
            url.pathname.replace(/\/+$/, '')) {
            throw new signer/* SignerError */.nw('input', `AZURE_AUTHORITY_HOST is not an https origin such as https://login.microsoftonline.com, for ${this.key}.`, "Set it to your cloud's Microsoft Entra authority, or leave it unset for the vault's cloud default.");
        }
        return url.origin;
    }
    async assertion() {
        const file = this.context.env.AZURE_FEDERATED_TOKEN_FILE?.trim();
        if (!file) {
            const value = await (0,oidc_token/* githubOidcToken */.Kg)(this.context, oidc_token/* OIDC_AUDIENCE_AZURE */.Jn, `the federated sign-in to Microsoft Entra ID for ${this.key}`);
            return { value, from: "the job's GitHub OIDC token", file: false };
        }
        const shown = (0,credential_file/* shownFile */.G)(file);
        let text;
        try {
            text = (0,credential_file/* readCredentialFile */.sS)(file, { waitMs: this.context.http.timeoutMs }).toString('utf8');
        }
        catch (error) {
            if (!(error instanceof credential_file/* UnreadableFileError */.o2))
                throw error;
            throw new signer/* SignerError */.nw('input', `AZURE_FEDERATED_TOKEN_FILE (${shown}) cannot be read, for ${this.key}: ${error.why}.`, "Write the federated token (a JWT for the audience api://AzureADTokenExchange) to that file before this step, or unset the variable to use the job's GitHub OIDC token.");
        }
        const value = (0,oidc_token/* tokenShape */.j2)(text);
        if (!value) {
            throw new signer/* SignerError */.nw('input', `AZURE_FEDERATED_TOKEN_FILE (${shown}) holds no token, for ${this.key}.`, 'Write the federated token (a JWT for the audience api://AzureADTokenExchange) to that file before this step.');
        }
        (0,oidc_token/* mask */.dK)(this.context, value);
        return { value, from: `the token in AZURE_FEDERATED_TOKEN_FILE (${shown})`, file: true };
    }
    async exchange(authority, tenant, clientId, assertion) {
        const service = `Microsoft Entra ID (${new URL(authority).host})`;
        const scope = `${this.resource}/.default`;
        const res = await (0,oidc_token/* callService */.cb)(this.context, `The federated sign-in at ${service} for ${this.key}`, {
            method: 'POST',
            url: `${authority}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`,
            headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
            body: () => Promise.resolve(new URLSearchParams({
                client_id: clientId,
                scope,
                client_assertion_type: CLIENT_ASSERTION_TYPE,
                client_assertion: assertion.value,
                grant_type: 'client_credentials'
            }).toString())
        });
        const app = `the app AZURE_CLIENT_ID (${(0,outside/* inert */.tJ)(clientId, 100)}) in tenant ${(0,outside/* inert */.tJ)(tenant, 100)}`;
        if (res.status !== 200) {
            const json = (0,oidc_token/* isOutage */.uD)(res.status) ? (0,core_answer/* tryJson */.MR)(res) : (0,oidc_token/* jsonOf */.o_)(res, service, `the federated sign-in for ${this.key}`);
            const description = typeof json?.error_description === 'string' ? json.error_description : '';
            const text = description.split(/\s+Trace ID:/)[0];
            const code = /^AADSTS(\d{4,7})\b/.exec(text)?.[1] ?? '';
            const quoted = (0,outside/* quote */.hD)(text, 300) || (0,outside/* quote */.hD)(json?.error, 60) || 'no error description';
            const traceId = (0,outside/* quote */.hD)(json?.trace_id, 40);
            const correlationId = (0,outside/* quote */.hD)(json?.correlation_id, 40);
            const ids = [traceId && `Trace ID ${traceId}`, correlationId && `Correlation ID ${correlationId}`].filter(Boolean);
            const support = ids.length ? ` (${ids.join(', ')})` : '';
            if ((0,oidc_token/* isOutage */.uD)(res.status)) {
                throw new signer/* SignerError */.nw('unavailable', `${service} answered HTTP ${res.status} to the federated sign-in for ${this.key}, after every attempt: ${quoted}${support}.`, 'Microsoft Entra ID is unavailable or throttling: try again later. DocuSign was not asked yet.');
            }
            throw new signer/* SignerError */.nw('refused', `${service} refused the federated sign-in of ${app} with ${assertion.from}, for ${this.key}: ${quoted}${support}`, this.entraFix(code, clientId, assertion));
        }
        const json = (0,oidc_token/* jsonOf */.o_)(res, service, `the federated sign-in for ${this.key}`);
        const value = (0,oidc_token/* tokenShape */.j2)(typeof json.access_token === 'string' ? json.access_token : undefined);
        if (!value) {
            throw new signer/* SignerError */.nw('malformed', `${service} answered the federated sign-in for ${this.key} without an access token.`, 'Try again; if it persists, report the message. DocuSign was not asked yet.');
        }
        (0,oidc_token/* mask */.dK)(this.context, value);
        return {
            value,
            source: `Microsoft Entra ID (${app})`,
            who: `the app AZURE_CLIENT_ID (${(0,outside/* inert */.tJ)(clientId, 100)})`,
            clientId: (0,outside/* inert */.tJ)(clientId, 100),
            renew: 'Check that AZURE_TENANT_ID is the tenant of the vault.'
        };
    }
    entraFix(code, clientId, assertion) {
        const id = (0,outside/* inert */.tJ)(clientId, 100);
        switch (code) {
            case '700211':
            case '700212':
            case '700213':
            case '70021':
                return assertion.file
                    ? this.credentialFor(assertion.value, id)
                    : `Add a federated credential to the app registration ${id} matching this job exactly (case included): issuer https://token.actions.githubusercontent.com, the subject quoted (repo:YOUR_ORG/YOUR_REPO:ref:refs/heads/BRANCH, :environment:NAME or :pull_request), audience api://AzureADTokenExchange (az ad app federated-credential create --id ${id} --parameters credential.json).`;
            case '700016':
                return 'AZURE_CLIENT_ID names no app in this tenant: check AZURE_CLIENT_ID (the application (client) ID) and AZURE_TENANT_ID.';
            case '90002':
                return "AZURE_TENANT_ID names no tenant in this cloud: check it, and AZURE_AUTHORITY_HOST for a sovereign cloud (unset, it follows the vault's host).";
            case '700024':
                return "The assertion expired or is not yet valid: GitHub OIDC tokens live minutes, so a token file written earlier is stale; check this machine's clock.";
            case '500011':
            case '1002012':
            case '70011':
                return `The vault's resource (${this.resource}) is not available in this tenant or cloud: check the vault URL and AZURE_AUTHORITY_HOST.`;
            case '7000215':
            case '7000222':
            case '700027':
                return 'Entra ID did not accept the assertion: use a GitHub OIDC token for the audience api://AzureADTokenExchange, or a fresh token file.';
            default:
                return `Check AZURE_CLIENT_ID, AZURE_TENANT_ID and the app's federated credentials (see the AADSTS code in Microsoft's error reference). DocuSign was not asked yet.`;
        }
    }
    /** The federated credential a token from a file (GitLab id_tokens, a Kubernetes projected token) needs: its own claims. */
    credentialFor(token, id) {
        const { issuer, subject, audience } = (0,oidc_token/* tokenClaims */.f)(token);
        return `Add a federated credential to the app registration ${id} matching this token exactly (case included): issuer ${issuer ?? 'ISSUER'}, subject ${subject ?? 'SUBJECT'}, audience ${audience ?? oidc_token/* OIDC_AUDIENCE_AZURE */.Jn} (this token's claims; az ad app federated-credential create --id ${id} --parameters credential.json; see docs/keyless.md).`;
    }
}

// EXTERNAL MODULE: ./src/core/signers/spec.ts
var signers_spec = __webpack_require__(316);
;// CONCATENATED MODULE: ./src/core/signers/azure-key-vault.ts








/**
 * Azure Key Vault and Managed HSM (the same keys API): the key's JWK (GET {vault}/keys/KEY[/VERSION])
 * and RS256 signatures of a SHA-256 digest (POST {kid}/sign), with the REST API version 7.4.
 */
const API_VERSION = 'api-version=7.4';
const ROLE = 'the Key Vault Crypto User role on the vault or the key (Azure RBAC: Microsoft.KeyVault/vaults/keys/read and …/keys/sign/action), or, on a vault with access policies, the key permissions get and sign';
/** A Managed HSM's roles are its own (local RBAC), assigned on the HSM, not in Azure RBAC. */
const HSM_ROLE = 'the Managed HSM Crypto User role scoped to the key (a local RBAC role of the HSM: keys/read and keys/sign/action)';
class AzureKeyVaultSigner {
    context;
    description;
    spec;
    service;
    vaultName;
    /** How az names this vault: --vault-name NAME, or --hsm-name NAME for a Managed HSM. */
    az;
    hsm;
    credentials;
    info;
    /** The key version's identifier, https://NAME.vault.azure.net/keys/KEY/VERSION: where signing requests go. */
    kid;
    constructor(spec, context) {
        this.context = context;
        this.spec = spec;
        this.description = (0,signers_spec/* describeSpec */.l9)(spec);
        const host = new URL(spec.vault).hostname;
        this.hsm = (0,signers_spec/* isManagedHsm */.uJ)(spec.vault);
        this.service = `Azure ${this.hsm ? 'Managed HSM' : 'Key Vault'} (${host})`;
        this.vaultName = host.split('.')[0];
        this.az = `--${this.hsm ? 'hsm' : 'vault'}-name ${this.vaultName}`;
        this.credentials = new AzureCredentials(context, spec.vault, this.description);
    }
    async publicKey() {
        if (this.info)
            return this.info;
        const token = await this.credentials.get();
        const { vault, key, version } = this.spec;
        const res = await (0,oidc_token/* callService */.cb)(this.context, `Reading ${this.description}`, {
            method: 'GET',
            url: `${vault}/keys/${key}${version ? `/${version}` : ''}?${API_VERSION}`,
            headers: { Accept: 'application/json', Authorization: `Bearer ${token.value}` }
        });
        if (res.status !== 200)
            throw this.failure(res, 'get', token);
        const json = (0,oidc_token/* jsonOf */.o_)(res, this.service, `the key request for ${this.description}`);
        const jwk = (json.key && typeof json.key === 'object' ? json.key : {});
        const attributes = (json.attributes && typeof json.attributes === 'object' ? json.attributes : {});
        const kty = typeof jwk.kty === 'string' && /^[A-Za-z-]{1,16}$/.test(jwk.kty) ? jwk.kty : '';
        if (kty !== 'RSA' && kty !== 'RSA-HSM') {
            throw new signer/* SignerError */.nw('refused', kty.startsWith('EC')
                ? `${this.description} is an elliptic-curve key (${kty}); DocuSign signs JWTs with RSA keys only (RS256).`
                : `${this.description} is not an RSA key (${kty || 'no key type'}); DocuSign signs JWTs with RSA keys only (RS256).`, `Make an RSA key (az keyvault key create ${this.az} --name ${key} --kty ${this.hsm ? 'RSA-HSM' : 'RSA'} --size 2048 --ops sign verify), register its public key on the integration key, and name it in ${(0,settings/* setting */.Pe)('signing-key')} (docs/keyless.md).`);
        }
        this.kid = this.checkedKid(jwk.kid);
        const versionOf = this.kid.split('/').pop();
        const at = `${this.az} --name ${key} --version ${versionOf}`;
        if (attributes.enabled === false) {
            throw new signer/* SignerError */.nw('refused', `${this.description} is disabled (version ${versionOf}).`, `Enable it: az keyvault key set-attributes ${at} --enabled true; or name an enabled version.`);
        }
        const now = this.context.io.now() / 1000;
        if (typeof attributes.exp === 'number' && attributes.exp <= now) {
            throw new signer/* SignerError */.nw('refused', `${this.description} expired on ${new Date(attributes.exp * 1000).toISOString()} (version ${versionOf}).`, `Extend it (az keyvault key set-attributes ${at} --expires DATE) or make a new version and register its public key.`);
        }
        if (typeof attributes.nbf === 'number' && attributes.nbf > now) {
            throw new signer/* SignerError */.nw('refused', `${this.description} is not valid before ${new Date(attributes.nbf * 1000).toISOString()} (version ${versionOf}).`, 'Wait until then, or change its activation date (az keyvault key set-attributes --not-before).');
        }
        if (Array.isArray(jwk.key_ops) && !jwk.key_ops.includes('sign')) {
            throw new signer/* SignerError */.nw('refused', `${this.description} does not allow the operation sign (its key_ops).`, `Allow it: az keyvault key set-attributes ${at} --ops sign verify.`);
        }
        let publicKey;
        try {
            if (typeof jwk.n !== 'string' || typeof jwk.e !== 'string')
                throw new Error('no n or e');
            publicKey = (0,external_node_crypto_.createPublicKey)({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
        }
        catch {
            throw new signer/* SignerError */.nw('malformed', `${this.service} answered the key request for ${this.description} without an RSA public key (n, e).`, 'Try again; if it persists, report the message. DocuSign was not asked yet.');
        }
        this.info = (0,signer/* requireRsa */.wc)(this.description, (0,signer/* publicKeyInfo */.hx)(publicKey));
        return this.info;
    }
    async sign(input) {
        if (!this.kid)
            await this.publicKey();
        const token = await this.credentials.get();
        const digest = (0,external_node_crypto_.createHash)('sha256').update(input).digest();
        const res = await (0,oidc_token/* callService */.cb)(this.context, `Signing with ${this.description}`, {
            method: 'POST',
            url: `${this.kid}/sign?${API_VERSION}`,
            headers: {
                'Content-Type': 'application/json',
                Accept: 'application/json',
                Authorization: `Bearer ${token.value}`
            },
            body: () => Promise.resolve(JSON.stringify({ alg: 'RS256', value: digest.toString('base64url') }))
        });
        if (res.status !== 200)
            throw this.failure(res, 'sign', token);
        const json = (0,oidc_token/* jsonOf */.o_)(res, this.service, `the signing request for ${this.description}`);
        const value = typeof json.value === 'string' && /^[A-Za-z0-9_-]+$/.test(json.value) ? json.value : '';
        if (!value) {
            throw new signer/* SignerError */.nw('malformed', `${this.service} answered the signing request for ${this.description} without a signature (value).`, 'Try again; if it persists, report the message. DocuSign was not asked yet.');
        }
        return Buffer.from(value, 'base64url');
    }
    /** The kid of the answer: this vault, this key, a version (the one named, if one was): signing requests go there. */
    checkedKid(value) {
        const { vault, key, version } = this.spec;
        let url;
        try {
            url = typeof value === 'string' ? new URL(value) : undefined;
        }
        catch {
            url = undefined;
        }
        const path = url ? /^\/keys\/([A-Za-z0-9-]{1,127})\/([0-9a-f]{32})$/i.exec(url.pathname) : null;
        const ok = url &&
            path &&
            url.origin.toLowerCase() === vault.toLowerCase() &&
            !url.search &&
            path[1].toLowerCase() === key.toLowerCase() &&
            (!version || path[2].toLowerCase() === version);
        if (!ok) {
            throw new signer/* SignerError */.nw('malformed', `${this.service} answered the key request for ${this.description} with a key identifier (kid) of another vault, key or version.`, 'Check that nothing between this machine and the vault rewrites answers (HTTPS_PROXY); report the message if it persists. DocuSign was not asked yet.');
        }
        return `${url.origin}/keys/${path[1]}/${path[2].toLowerCase()}`;
    }
    failure(res, operation, token) {
        const json = (0,core_answer/* tryJson */.MR)(res);
        const error = (json?.error && typeof json.error === 'object' ? json.error : {});
        const inner = (error.innererror && typeof error.innererror === 'object' ? error.innererror : {});
        const code = (0,outside/* quote */.hD)(error.code, 60);
        const innerCode = (0,outside/* quote */.hD)(inner.code, 60);
        const message = (0,outside/* quote */.hD)(error.message, 240);
        const answer = `HTTP ${res.status}${code ? ` ${code}` : ''}${innerCode ? ` (${innerCode})` : ''}${message ? `: ${message}` : ''}`;
        const what = operation === 'sign' ? 'the signing request' : 'the key request';
        const { key, version } = this.spec;
        if ((0,oidc_token/* isOutage */.uD)(res.status)) {
            return new signer/* SignerError */.nw('unavailable', `${this.service} answered ${what} for ${this.description} with ${answer}, after every attempt.`, `${this.hsm ? 'Azure Managed HSM' : 'Azure Key Vault'} is unavailable or throttling (a vault allows a few thousand key operations per 10 seconds): try again later; ${(0,settings/* setting */.Pe)('timeout-seconds')} and ${(0,settings/* setting */.Pe)('max-attempts')} apply to it as to DocuSign. DocuSign was not asked yet.`);
        }
        if (res.status === 401) {
            const header = res.headers['www-authenticate'];
            const challenge = Array.isArray(header) ? header[0] : (header ?? '');
            const tenant = /authorization(?:_uri)?="https:\/\/[^/"]+\/([^/"]+)"/i.exec(challenge)?.[1];
            const expects = tenant ? ` The vault belongs to tenant ${(0,outside/* quote */.hD)(tenant, 60)}.` : '';
            return new signer/* SignerError */.nw('refused', `${this.service} refused the access token from ${token.source} for ${this.description} (${answer}).${expects}`, `The token expired, or is for another resource or tenant. ${token.renew}`);
        }
        if (res.status === 403 && innerCode === 'KeyDisabled') {
            // Key Vault reads a disabled key, and refuses it only to sign: disabled since it was read.
            const disabled = this.kid?.split('/').pop() ?? version;
            return new signer/* SignerError */.nw('refused', `${this.description} is disabled (${answer}).`, `Enable it: az keyvault key set-attributes ${this.az} --name ${key}${disabled ? ` --version ${disabled}` : ''} --enabled true; or name an enabled version.`);
        }
        const denied = innerCode === 'ForbiddenByRbac' || innerCode === 'ForbiddenByPolicy' || (!innerCode && code === 'Forbidden');
        if (res.status === 403 && denied && this.hsm) {
            return new signer/* SignerError */.nw('refused', `${this.service} denied ${token.who} the key permission ${operation} on ${this.description} (${answer}).`, `Give ${token.who} ${HSM_ROLE}: az keyvault role assignment create ${this.az} --role "Managed HSM Crypto User" --assignee ${token.clientId ?? 'APP_ID'} --scope /keys/${key}. An Azure RBAC role on the resource (even Owner) does not reach the keys.`);
        }
        if (res.status === 403 && denied) {
            const app = token.clientId ?? 'APP_ID';
            return new signer/* SignerError */.nw('refused', `${this.service} denied ${token.who} the key permission ${operation} on ${this.description} (${answer}).`, innerCode === 'ForbiddenByPolicy'
                ? `Give ${token.who} the key permissions get and sign: az keyvault set-policy --name ${this.vaultName} --spn ${app} --key-permissions get sign (or move the vault to Azure RBAC and assign the Key Vault Crypto User role).`
                : `Give ${token.who} ${ROLE}: az role assignment create --role "Key Vault Crypto User" --assignee ${app} --scope "$(az keyvault show --name ${this.vaultName} --query id -o tsv)/keys/${key}". Role assignments take a few minutes to apply.`);
        }
        if (res.status === 403) {
            return new signer/* SignerError */.nw('refused', `${this.service} refused ${what} for ${this.description} (${answer}).`, /Firewall|Connection|Network/i.test(innerCode + message)
                ? "The vault's firewall does not allow this runner's address: allow it in the vault's networking settings, or run the job on a runner inside the vault's network."
                : `Check the key's permitted operations and ${token.who}'s access (${this.hsm ? HSM_ROLE : ROLE}).`);
        }
        if (res.status === 404) {
            return new signer/* SignerError */.nw('refused', `${this.description} was not found in the vault (${answer}).`, `Check the vault, key and version in ${(0,settings/* setting */.Pe)('signing-key')}: az keyvault key list-versions ${this.az} --name ${key}.`);
        }
        return new signer/* SignerError */.nw(res.status >= 400 && res.status < 500 ? 'refused' : 'malformed', `${this.service} refused ${what} for ${this.description} (${answer}).`, 'Check the key (RSA, 2048 bits or more, allowed to sign); if it persists, report the message. DocuSign was not asked yet.');
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


/***/ })

};
;