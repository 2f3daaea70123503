exports.id = 410;
exports.ids = [410];
exports.modules = {

/***/ 832:
/***/ ((__unused_webpack_module, exports, __webpack_require__) => {

var aws4 = exports,
    url = __webpack_require__(16),
    querystring = __webpack_require__(480),
    crypto = __webpack_require__(982),
    lru = __webpack_require__(638),
    credentialsCache = lru(1000)

// http://docs.amazonwebservices.com/general/latest/gr/signature-version-4.html

function hmac(key, string, encoding) {
  return crypto.createHmac('sha256', key).update(string, 'utf8').digest(encoding)
}

function hash(string, encoding) {
  return crypto.createHash('sha256').update(string, 'utf8').digest(encoding)
}

// This function assumes the string has already been percent encoded
function encodeRfc3986(urlEncodedString) {
  return urlEncodedString.replace(/[!'()*]/g, function(c) {
    return '%' + c.charCodeAt(0).toString(16).toUpperCase()
  })
}

function encodeRfc3986Full(str) {
  return encodeRfc3986(encodeURIComponent(str))
}

// A bit of a combination of:
// https://github.com/aws/aws-sdk-java-v2/blob/dc695de6ab49ad03934e1b02e7263abbd2354be0/core/auth/src/main/java/software/amazon/awssdk/auth/signer/internal/AbstractAws4Signer.java#L59
// https://github.com/aws/aws-sdk-js/blob/18cb7e5b463b46239f9fdd4a65e2ff8c81831e8f/lib/signers/v4.js#L191-L199
// https://github.com/mhart/aws4fetch/blob/b3aed16b6f17384cf36ea33bcba3c1e9f3bdfefd/src/main.js#L25-L34
var HEADERS_TO_IGNORE = {
  'authorization': true,
  'connection': true,
  'x-amzn-trace-id': true,
  'user-agent': true,
  'expect': true,
  'presigned-expires': true,
  'range': true,
}

// request: { path | body, [host], [method], [headers], [service], [region] }
// credentials: { accessKeyId, secretAccessKey, [sessionToken] }
function RequestSigner(request, credentials) {

  if (typeof request === 'string') request = url.parse(request)

  var headers = request.headers = Object.assign({}, (request.headers || {})),
      hostParts = (!this.service || !this.region) && this.matchHost(request.hostname || request.host || headers.Host || headers.host)

  this.request = request
  this.credentials = credentials || this.defaultCredentials()

  this.service = request.service || hostParts[0] || ''
  this.region = request.region || hostParts[1] || 'us-east-1'

  // SES uses a different domain from the service name
  if (this.service === 'email') this.service = 'ses'

  if (!request.method && request.body)
    request.method = 'POST'

  if (!headers.Host && !headers.host) {
    headers.Host = request.hostname || request.host || this.createHost()

    // If a port is specified explicitly, use it as is
    if (request.port)
      headers.Host += ':' + request.port
  }
  if (!request.hostname && !request.host)
    request.hostname = headers.Host || headers.host

  this.isCodeCommitGit = this.service === 'codecommit' && request.method === 'GIT'

  this.extraHeadersToIgnore = request.extraHeadersToIgnore || Object.create(null)
  this.extraHeadersToInclude = request.extraHeadersToInclude || Object.create(null)
}

RequestSigner.prototype.matchHost = function(host) {
  var match = (host || '').match(/([^\.]{1,63})\.(?:([^\.]{0,63})\.)?amazonaws\.com(\.cn)?$/)
  var hostParts = (match || []).slice(1, 3)

  // ES's hostParts are sometimes the other way round, if the value that is expected
  // to be region equals ‘es’ switch them back
  // e.g. search-cluster-name-aaaa00aaaa0aaa0aaaaaaa0aaa.us-east-1.es.amazonaws.com
  if (hostParts[1] === 'es' || hostParts[1] === 'aoss')
    hostParts = hostParts.reverse()

  if (hostParts[1] == 's3') {
    hostParts[0] = 's3'
    hostParts[1] = 'us-east-1'
  } else {
    for (var i = 0; i < 2; i++) {
      if (/^s3-/.test(hostParts[i])) {
        hostParts[1] = hostParts[i].slice(3)
        hostParts[0] = 's3'
        break
      }
    }
  }

  return hostParts
}

// http://docs.aws.amazon.com/general/latest/gr/rande.html
RequestSigner.prototype.isSingleRegion = function() {
  // Special case for S3 and SimpleDB in us-east-1
  if (['s3', 'sdb'].indexOf(this.service) >= 0 && this.region === 'us-east-1') return true

  return ['cloudfront', 'ls', 'route53', 'iam', 'importexport', 'sts']
    .indexOf(this.service) >= 0
}

RequestSigner.prototype.createHost = function() {
  var region = this.isSingleRegion() ? '' : '.' + this.region,
      subdomain = this.service === 'ses' ? 'email' : this.service
  return subdomain + region + '.amazonaws.com'
}

RequestSigner.prototype.prepareRequest = function() {
  this.parsePath()

  var request = this.request, headers = request.headers, query

  if (request.signQuery) {

    this.parsedPath.query = query = this.parsedPath.query || {}

    if (this.credentials.sessionToken)
      query['X-Amz-Security-Token'] = this.credentials.sessionToken

    if (this.service === 's3' && !query['X-Amz-Expires'])
      query['X-Amz-Expires'] = 86400

    if (query['X-Amz-Date'])
      this.datetime = query['X-Amz-Date']
    else
      query['X-Amz-Date'] = this.getDateTime()

    query['X-Amz-Algorithm'] = 'AWS4-HMAC-SHA256'
    query['X-Amz-Credential'] = this.credentials.accessKeyId + '/' + this.credentialString()
    query['X-Amz-SignedHeaders'] = this.signedHeaders()

  } else {

    if (!request.doNotModifyHeaders && !this.isCodeCommitGit) {
      if (request.body && !headers['Content-Type'] && !headers['content-type'])
        headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=utf-8'

      if (request.body && !headers['Content-Length'] && !headers['content-length'])
        headers['Content-Length'] = Buffer.byteLength(request.body)

      if (this.credentials.sessionToken && !headers['X-Amz-Security-Token'] && !headers['x-amz-security-token'])
        headers['X-Amz-Security-Token'] = this.credentials.sessionToken

      if (this.service === 's3' && !headers['X-Amz-Content-Sha256'] && !headers['x-amz-content-sha256'])
        headers['X-Amz-Content-Sha256'] = hash(this.request.body || '', 'hex')

      if (headers['X-Amz-Date'] || headers['x-amz-date'])
        this.datetime = headers['X-Amz-Date'] || headers['x-amz-date']
      else
        headers['X-Amz-Date'] = this.getDateTime()
    }

    delete headers.Authorization
    delete headers.authorization
  }
}

RequestSigner.prototype.sign = function() {
  if (!this.parsedPath) this.prepareRequest()

  if (this.request.signQuery) {
    this.parsedPath.query['X-Amz-Signature'] = this.signature()
  } else {
    this.request.headers.Authorization = this.authHeader()
  }

  this.request.path = this.formatPath()

  return this.request
}

RequestSigner.prototype.getDateTime = function() {
  if (!this.datetime) {
    var headers = this.request.headers,
      date = new Date(headers.Date || headers.date || new Date)

    this.datetime = date.toISOString().replace(/[:\-]|\.\d{3}/g, '')

    // Remove the trailing 'Z' on the timestamp string for CodeCommit git access
    if (this.isCodeCommitGit) this.datetime = this.datetime.slice(0, -1)
  }
  return this.datetime
}

RequestSigner.prototype.getDate = function() {
  return this.getDateTime().substr(0, 8)
}

RequestSigner.prototype.authHeader = function() {
  return [
    'AWS4-HMAC-SHA256 Credential=' + this.credentials.accessKeyId + '/' + this.credentialString(),
    'SignedHeaders=' + this.signedHeaders(),
    'Signature=' + this.signature(),
  ].join(', ')
}

RequestSigner.prototype.signature = function() {
  var date = this.getDate(),
      cacheKey = [this.credentials.secretAccessKey, date, this.region, this.service].join(),
      kDate, kRegion, kService, kCredentials = credentialsCache.get(cacheKey)
  if (!kCredentials) {
    kDate = hmac('AWS4' + this.credentials.secretAccessKey, date)
    kRegion = hmac(kDate, this.region)
    kService = hmac(kRegion, this.service)
    kCredentials = hmac(kService, 'aws4_request')
    credentialsCache.set(cacheKey, kCredentials)
  }
  return hmac(kCredentials, this.stringToSign(), 'hex')
}

RequestSigner.prototype.stringToSign = function() {
  return [
    'AWS4-HMAC-SHA256',
    this.getDateTime(),
    this.credentialString(),
    hash(this.canonicalString(), 'hex'),
  ].join('\n')
}

RequestSigner.prototype.canonicalString = function() {
  if (!this.parsedPath) this.prepareRequest()

  var pathStr = this.parsedPath.path,
      query = this.parsedPath.query,
      headers = this.request.headers,
      queryStr = '',
      normalizePath = this.service !== 's3',
      decodePath = this.service === 's3' || this.request.doNotEncodePath,
      decodeSlashesInPath = this.service === 's3',
      firstValOnly = this.service === 's3',
      bodyHash

  if (this.service === 's3' && this.request.signQuery) {
    bodyHash = 'UNSIGNED-PAYLOAD'
  } else if (this.isCodeCommitGit) {
    bodyHash = ''
  } else {
    bodyHash = headers['X-Amz-Content-Sha256'] || headers['x-amz-content-sha256'] ||
      hash(this.request.body || '', 'hex')
  }

  if (query) {
    var reducedQuery = Object.keys(query).reduce(function(obj, key) {
      if (!key) return obj
      obj[encodeRfc3986Full(key)] = !Array.isArray(query[key]) ? query[key] :
        (firstValOnly ? query[key][0] : query[key])
      return obj
    }, {})
    var encodedQueryPieces = []
    Object.keys(reducedQuery).sort().forEach(function(key) {
      if (!Array.isArray(reducedQuery[key])) {
        encodedQueryPieces.push(key + '=' + encodeRfc3986Full(reducedQuery[key]))
      } else {
        reducedQuery[key].map(encodeRfc3986Full).sort()
          .forEach(function(val) { encodedQueryPieces.push(key + '=' + val) })
      }
    })
    queryStr = encodedQueryPieces.join('&')
  }
  if (pathStr !== '/') {
    if (normalizePath) pathStr = pathStr.replace(/\/{2,}/g, '/')
    pathStr = pathStr.split('/').reduce(function(path, piece) {
      if (normalizePath && piece === '..') {
        path.pop()
      } else if (!normalizePath || piece !== '.') {
        if (decodePath) piece = decodeURIComponent(piece.replace(/\+/g, ' '))
        path.push(encodeRfc3986Full(piece))
      }
      return path
    }, []).join('/')
    if (pathStr[0] !== '/') pathStr = '/' + pathStr
    if (decodeSlashesInPath) pathStr = pathStr.replace(/%2F/g, '/')
  }

  return [
    this.request.method || 'GET',
    pathStr,
    queryStr,
    this.canonicalHeaders() + '\n',
    this.signedHeaders(),
    bodyHash,
  ].join('\n')
}

RequestSigner.prototype.filterHeaders = function() {
  var headers = this.request.headers,
      extraHeadersToInclude = this.extraHeadersToInclude,
      extraHeadersToIgnore = this.extraHeadersToIgnore
  this.filteredHeaders = Object.keys(headers)
    .map(function(key) { return [key.toLowerCase(), headers[key]] })
    .filter(function(entry) {
      return extraHeadersToInclude[entry[0]] ||
        (HEADERS_TO_IGNORE[entry[0]] == null && !extraHeadersToIgnore[entry[0]])
    })
    .sort(function(a, b) { return a[0] < b[0] ? -1 : 1 })
}

RequestSigner.prototype.canonicalHeaders = function() {
  if (!this.filteredHeaders) this.filterHeaders()

  return this.filteredHeaders.map(function(entry) {
    return entry[0] + ':' + entry[1].toString().trim().replace(/\s+/g, ' ')
  }).join('\n')
}

RequestSigner.prototype.signedHeaders = function() {
  if (!this.filteredHeaders) this.filterHeaders()

  return this.filteredHeaders.map(function(entry) { return entry[0] }).join(';')
}

RequestSigner.prototype.credentialString = function() {
  return [
    this.getDate(),
    this.region,
    this.service,
    'aws4_request',
  ].join('/')
}

RequestSigner.prototype.defaultCredentials = function() {
  var env = process.env
  return {
    accessKeyId: env.AWS_ACCESS_KEY_ID || env.AWS_ACCESS_KEY,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY || env.AWS_SECRET_KEY,
    sessionToken: env.AWS_SESSION_TOKEN,
  }
}

RequestSigner.prototype.parsePath = function() {
  var path = this.request.path || '/'

  // S3 doesn't always encode characters > 127 correctly and
  // all services don't encode characters > 255 correctly
  // So if there are non-reserved chars (and it's not already all % encoded), just encode them all
  if (/[^0-9A-Za-z;,/?:@&=+$\-_.!~*'()#%]/.test(path)) {
    path = encodeURI(decodeURI(path))
  }

  var queryIx = path.indexOf('?'),
      query = null

  if (queryIx >= 0) {
    query = querystring.parse(path.slice(queryIx + 1))
    path = path.slice(0, queryIx)
  }

  this.parsedPath = {
    path: path,
    query: query,
  }
}

RequestSigner.prototype.formatPath = function() {
  var path = this.parsedPath.path,
      query = this.parsedPath.query

  if (!query) return path

  // Services don't support empty query string keys
  if (query[''] != null) delete query['']

  return path + '?' + encodeRfc3986(querystring.stringify(query))
}

aws4.RequestSigner = RequestSigner

aws4.sign = function(request, credentials) {
  return new RequestSigner(request, credentials).sign()
}


/***/ }),

/***/ 638:
/***/ ((module) => {

module.exports = function(size) {
  return new LruCache(size)
}

function LruCache(size) {
  this.capacity = size | 0
  this.map = Object.create(null)
  this.list = new DoublyLinkedList()
}

LruCache.prototype.get = function(key) {
  var node = this.map[key]
  if (node == null) return undefined
  this.used(node)
  return node.val
}

LruCache.prototype.set = function(key, val) {
  var node = this.map[key]
  if (node != null) {
    node.val = val
  } else {
    if (!this.capacity) this.prune()
    if (!this.capacity) return false
    node = new DoublyLinkedNode(key, val)
    this.map[key] = node
    this.capacity--
  }
  this.used(node)
  return true
}

LruCache.prototype.used = function(node) {
  this.list.moveToFront(node)
}

LruCache.prototype.prune = function() {
  var node = this.list.pop()
  if (node != null) {
    delete this.map[node.key]
    this.capacity++
  }
}


function DoublyLinkedList() {
  this.firstNode = null
  this.lastNode = null
}

DoublyLinkedList.prototype.moveToFront = function(node) {
  if (this.firstNode == node) return

  this.remove(node)

  if (this.firstNode == null) {
    this.firstNode = node
    this.lastNode = node
    node.prev = null
    node.next = null
  } else {
    node.prev = null
    node.next = this.firstNode
    node.next.prev = node
    this.firstNode = node
  }
}

DoublyLinkedList.prototype.pop = function() {
  var lastNode = this.lastNode
  if (lastNode != null) {
    this.remove(lastNode)
  }
  return lastNode
}

DoublyLinkedList.prototype.remove = function(node) {
  if (this.firstNode == node) {
    this.firstNode = node.next
  } else if (node.prev != null) {
    node.prev.next = node.next
  }
  if (this.lastNode == node) {
    this.lastNode = node.prev
  } else if (node.next != null) {
    node.next.prev = node.prev
  }
}


function DoublyLinkedNode(key, val) {
  this.key = key
  this.val = val
  this.prev = null
  this.next = null
}


/***/ }),

/***/ 77:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

"use strict";
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   IC: () => (/* binding */ expiry),
/* harmony export */   Iv: () => (/* binding */ masked),
/* harmony export */   Xf: () => (/* binding */ serviceEndpoint),
/* harmony export */   YN: () => (/* binding */ credentialsOf),
/* harmony export */   cD: () => (/* binding */ awsCredentials),
/* harmony export */   hH: () => (/* binding */ stepError),
/* harmony export */   u1: () => (/* binding */ stsEndpoint)
/* harmony export */ });
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(302);
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(328);
/* harmony import */ var _key_vault_http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(174);
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(957);
/* harmony import */ var _ci_system_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(445);





const GITHUB_LOGIN = 'aws-actions/configure-aws-credentials before this step, with role-to-assume (a role allowed kms:Sign and kms:GetPublicKey on the key) and aws-region, and give the job permissions: id-token: write';
/** Where AWS credentials come from on the CI system this run is on (docs/keyless.md has each). */
const awsSetup = (env) => (0,_ci_system_js__WEBPACK_IMPORTED_MODULE_3__/* .forCiSystem */ .L9)(env, {
    github: `Add ${GITHUB_LOGIN} (see docs/keyless.md).`,
    gitlab: "In this GitLab job, write an id_tokens: token with aud: sts.amazonaws.com to a file (mode 0600), and set AWS_WEB_IDENTITY_TOKEN_FILE to that file and AWS_ROLE_ARN to a role allowed kms:Sign and kms:GetPublicKey on the key that trusts GitLab's issuer for this project (docs/keyless.md, 'GitLab CI').",
    azure: "On Azure Pipelines, give this step AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN, or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN, in its env: (a secret variable reaches a step only that way); a self-hosted agent on EKS or EC2 can use its pod's or instance's role instead (docs/keyless.md, 'Kubernetes runners' and 'Self-hosted EC2 runners').",
    other: `On GitHub Actions, add ${GITHUB_LOGIN}. Elsewhere, export AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN (aws configure export-credentials --format env prints them), or AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (GitLab id_tokens, Kubernetes IRSA). See docs/keyless.md.`
});
/** The failure of a step of the chain: "The AWS credential chain's STEP step failed for KEY: PROBLEM". */
function stepError(kind, chain, step, problem, fix) {
    return new _signer_js__WEBPACK_IMPORTED_MODULE_2__/* .SignerError */ .nw(kind, `The AWS credential chain's ${step} step failed for ${chain.key}: ${problem}`, fix);
}
/** Registers the secret parts of credentials before anything could show them. */
function masked(chain, credentials) {
    for (const secret of [credentials.secretAccessKey, credentials.sessionToken])
        if (secret)
            chain.context.io.secret(secret);
    return credentials;
}
/** An STS or metadata answer's credentials, or undefined when a field is missing or not a credential's shape. */
function credentialsOf(fields, token) {
    const text = (name) => (typeof fields[name] === 'string' ? fields[name].trim() : '');
    const accessKeyId = text('AccessKeyId');
    const secretAccessKey = text('SecretAccessKey');
    const sessionToken = text(token);
    const headerSafe = (value) => _http_js__WEBPACK_IMPORTED_MODULE_0__/* .VISIBLE_ASCII */ .bd.test(value) && value.length >= 16;
    if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId) || !headerSafe(secretAccessKey) || !headerSafe(sessionToken))
        return undefined;
    return { accessKeyId, secretAccessKey, sessionToken };
}
/** When credentials from a step expire, for a debug line: " (valid until …)", or ''. */
function expiry(value) {
    return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? ` (valid until ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_4__/* .quote */ .hD)(value, 40)})` : '';
}
/** An AWS service's endpoint as the SDKs pick it: AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL, else the region's. */
function serviceEndpoint(env, service, region, what) {
    const value = (name) => (env[name] ?? '').trim();
    const variable = value('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS').toLowerCase() === 'true'
        ? ''
        : ([`AWS_ENDPOINT_URL_${service}`, 'AWS_ENDPOINT_URL'].find(name => value(name)) ?? '');
    // kms.REGION.amazonaws.com, sts.REGION.amazonaws.com (amazonaws.com.cn in the China regions).
    const fallback = `https://${service.toLowerCase()}.${region}.amazonaws.com${region.startsWith('cn-') ? '.cn' : ''}`;
    if (!variable)
        return {
            url: new URL(fallback),
            variable: `the ${service} endpoint ${fallback} (AWS_ENDPOINT_URL_${service} unset)`
        };
    return { url: (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_1__/* .endpointUrl */ .Pb)(value(variable), variable, { ...what, endpointVariable: variable }), variable };
}
/** STS for the web identity step, in the key's region. */
function stsEndpoint(chain) {
    return serviceEndpoint(chain.context.env, 'STS', chain.region, { name: 'AWS STS', key: chain.key });
}
const set = (env, name) => (env[name] ?? '').trim();
const GITHUB_DURATION = "role-duration-seconds on aws-actions/configure-aws-credentials (up to the role's maximum session duration)";
const RELOGIN = "Get the temporary credentials right before this step, or for longer (up to the role's maximum session duration).";
/** The credentials of the first configured step of the chain. */
async function awsCredentials(chain, service) {
    const { env } = chain.context;
    const accessKeyId = set(env, 'AWS_ACCESS_KEY_ID');
    const secretAccessKey = set(env, 'AWS_SECRET_ACCESS_KEY');
    const sessionToken = set(env, 'AWS_SESSION_TOKEN');
    // Registered before anything could show them, whatever else is missing.
    for (const secret of [secretAccessKey, sessionToken])
        if (secret)
            chain.context.io.secret(secret);
    if (accessKeyId || secretAccessKey) {
        if (!accessKeyId || !secretAccessKey) {
            throw stepError('input', chain, 'environment variables', `${accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID'} is not set, and AWS credentials in the environment need both.`, awsSetup(env));
        }
        (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_1__/* .requireHeaderSafe */ .Ws)([
            ['AWS_ACCESS_KEY_ID', accessKeyId],
            ['AWS_SESSION_TOKEN', sessionToken]
        ], service);
        return {
            accessKeyId,
            secretAccessKey,
            sessionToken: sessionToken || undefined,
            source: 'the login step',
            renew: `AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN must come together from one login, not from secrets set one by one. ${awsSetup(env)}`,
            expired: (0,_ci_system_js__WEBPACK_IMPORTED_MODULE_3__/* .forCiSystem */ .L9)(env, {
                github: `Raise ${GITHUB_DURATION}, or run the login step right before this one.`,
                gitlab: RELOGIN,
                azure: RELOGIN,
                other: `On GitHub Actions, raise ${GITHUB_DURATION}. Elsewhere: ${RELOGIN}`
            })
        };
    }
    if (set(env, 'AWS_WEB_IDENTITY_TOKEN_FILE') || set(env, 'AWS_ROLE_ARN')) {
        return (await __webpack_require__.e(/* import() */ 60).then(__webpack_require__.bind(__webpack_require__, 60))).webIdentity(chain);
    }
    if (set(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI') || set(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')) {
        return (await __webpack_require__.e(/* import() */ 774).then(__webpack_require__.bind(__webpack_require__, 774))).containerCredentials(chain);
    }
    const found = set(env, 'AWS_EC2_METADATA_DISABLED').toLowerCase() === 'true'
        ? undefined
        : await (await __webpack_require__.e(/* import() */ 774).then(__webpack_require__.bind(__webpack_require__, 774))).instanceRole(chain);
    if (found && 'accessKeyId' in found)
        return found;
    throw new _signer_js__WEBPACK_IMPORTED_MODULE_2__/* .SignerError */ .nw('input', `${chain.key} needs AWS credentials, and the AWS credential chain found none: no AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, no AWS_WEB_IDENTITY_TOKEN_FILE with AWS_ROLE_ARN, no AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI, and ${found ? found.absent : 'the EC2 instance metadata service is turned off (AWS_EC2_METADATA_DISABLED)'}.`, `${awsSetup(env)} On a self-hosted EC2 runner, attach an instance profile whose role may use the key.`);
}


/***/ }),

/***/ 410:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

"use strict";
__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   AwsKmsSigner: () => (/* binding */ AwsKmsSigner)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var aws4__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(832);
/* harmony import */ var aws4__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(aws4__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _answer_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(497);
/* harmony import */ var _outside_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(328);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(253);
/* harmony import */ var _settings_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(922);
/* harmony import */ var _aws_credentials_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(77);
/* harmony import */ var _key_vault_http_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(174);
/* harmony import */ var _signer_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(957);
/* harmony import */ var _spec_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(316);










const JSON_11 = 'application/x-amz-json-1.1';
const ALGORITHM = 'RSASSA_PKCS1_V1_5_SHA_256';
const RSA_SPECS = new Set(['RSA_2048', 'RSA_3072', 'RSA_4096']);
const ACTIONS = 'kms:Sign and kms:GetPublicKey';
/** KMS error types that mean the request's credentials or signature were not accepted. */
const CREDENTIALS_REFUSED = new Set([
    'UnrecognizedClientException',
    'InvalidSignatureException',
    'IncompleteSignatureException',
    'MissingAuthenticationTokenException',
    'InvalidClientTokenId'
]);
/** KMS error types that a later attempt may not meet (besides 5xx and 429, which Http retries). */
const UNAVAILABLE = new Set([
    'ThrottlingException',
    'KMSInternalException',
    'DependencyTimeoutException',
    'KeyUnavailableException',
    'ServiceUnavailableException',
    'InternalFailure'
]);
/**
 * Signs in AWS KMS: TrentService.GetPublicKey once, TrentService.Sign per assertion (JSON 1.1, POST /,
 * Signature Version 4 by aws4), with the credentials of the AWS SDKs' default chain (aws-credentials.ts):
 * the environment aws-actions/configure-aws-credentials leaves, web identity, container credentials
 * or the EC2 instance role. The secret access key and session token are registered as secrets before
 * anything else and go only to KMS.
 */
class AwsKmsSigner {
    description;
    keyId;
    region;
    url;
    context;
    credentials;
    service;
    http;
    io;
    info;
    constructor(spec, context) {
        this.description = (0,_spec_js__WEBPACK_IMPORTED_MODULE_7__/* .describeSpec */ .l9)(spec);
        this.keyId = spec.keyId;
        this.region = spec.region;
        this.http = context.http;
        this.io = context.io;
        this.context = context;
        const endpoint = (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .serviceEndpoint */ .Xf)(context.env, 'KMS', this.region, { name: 'AWS KMS', key: this.description });
        this.service = { name: 'AWS KMS', endpointVariable: endpoint.variable, key: this.description };
        this.url = endpoint.url;
    }
    chain() {
        return { context: this.context, region: this.region, key: this.description };
    }
    async publicKey() {
        if (this.info)
            return this.info;
        const answer = await this.call('GetPublicKey', { KeyId: this.keyId });
        const refuse = (problem) => {
            throw new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `${this.description} ${problem}`, `Make an RSA signing key (aws kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY, see docs/keyless.md), register its public key on the integration key, and point ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('signing-key')} at it.`);
        };
        const spec = answer.KeySpec ?? answer.CustomerMasterKeySpec;
        if (typeof spec !== 'string' || !RSA_SPECS.has(spec)) {
            refuse(`is a ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(spec ?? 'key of no key spec', 40)} key; DocuSign signs JWTs with RSA keys only (RS256): RSA_2048, RSA_3072 or RSA_4096.`);
        }
        if (answer.KeyUsage !== 'SIGN_VERIFY') {
            refuse(`has the key usage ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(answer.KeyUsage ?? 'none', 40)}, not SIGN_VERIFY: it cannot sign.`);
        }
        const algorithms = Array.isArray(answer.SigningAlgorithms) ? answer.SigningAlgorithms : [];
        if (!algorithms.includes(ALGORITHM)) {
            refuse(`does not offer ${ALGORITHM} (RS256), the only signature DocuSign accepts.`);
        }
        let info;
        try {
            const der = Buffer.from(String(answer.PublicKey ?? ''), 'base64');
            info = (0,_signer_js__WEBPACK_IMPORTED_MODULE_6__/* .publicKeyInfo */ .hx)((0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createPublicKey)({ key: der, format: 'der', type: 'spki' }));
        }
        catch {
            throw this.malformed('GetPublicKey', 'PublicKey is not a DER SubjectPublicKeyInfo in base64');
        }
        if (typeof answer.KeyId === 'string')
            this.io.debug(`AWS KMS: ${this.description} is ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(answer.KeyId)}`);
        this.info = (0,_signer_js__WEBPACK_IMPORTED_MODULE_6__/* .requireRsa */ .wc)(this.description, info);
        return this.info;
    }
    async sign(input) {
        const answer = await this.call('Sign', {
            KeyId: this.keyId,
            Message: input.toString('base64'),
            MessageType: 'RAW',
            SigningAlgorithm: ALGORITHM
        });
        const signature = typeof answer.Signature === 'string' ? Buffer.from(answer.Signature, 'base64') : undefined;
        if (!signature?.length)
            throw this.malformed('Sign', 'Signature is missing or empty');
        // Checked against the public key by the caller before DocuSign sees it (PSS, another key: refused there).
        return signature;
    }
    /**
     * One KMS operation, signed afresh for each try. Http retries 5xx, 429 and network errors; a
     * ThrottlingException (HTTP 400) is retried here with the same backoff, within max-attempts.
     */
    async call(operation, payload) {
        // The chain is asked once, when the key is first used (an environment's credentials need no request).
        this.credentials ??= (0,_aws_credentials_js__WEBPACK_IMPORTED_MODULE_4__/* .awsCredentials */ .cD)(this.chain(), this.service);
        const session = await this.credentials;
        const body = JSON.stringify(payload);
        const limit = this.http.maxAttempts;
        let used = 0;
        for (;;) {
            const request = {
                host: this.url.host,
                path: this.url.pathname,
                method: 'POST',
                service: 'kms',
                region: this.region,
                headers: { 'Content-Type': JSON_11, 'X-Amz-Target': `TrentService.${operation}` },
                body
            };
            aws4__WEBPACK_IMPORTED_MODULE_1___default().sign(request, {
                accessKeyId: session.accessKeyId,
                secretAccessKey: session.secretAccessKey,
                sessionToken: session.sessionToken
            });
            const headers = {};
            for (const [name, value] of Object.entries(request.headers ?? {})) {
                // Http sets Content-Length itself (the same value, still signed).
                if (value !== undefined && name.toLowerCase() !== 'content-length')
                    headers[name] = String(value);
            }
            const { res, attempts } = await (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_5__/* .send */ .tN)(this.http, { method: 'POST', url: this.url.href, headers, body: () => Promise.resolve(body) }, this.service);
            used += attempts;
            const json = (0,_answer_js__WEBPACK_IMPORTED_MODULE_2__/* .tryJson */ .MR)(res);
            if (res.status === 200) {
                if (!json)
                    throw (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_5__/* .notTheService */ .Sc)(res, operation, this.service);
                return json;
            }
            const failure = kmsFailure(res, json);
            if (!failure) {
                if (res.status < 500 && res.status !== 429)
                    throw (0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_5__/* .notTheService */ .Sc)(res, operation, this.service);
                throw this.failure(operation, res, { type: `HTTP ${res.status}`, message: '' }, used, session);
            }
            if (failure.type === 'ThrottlingException' && used < limit) {
                const delay = (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .backoffMs */ .jo)(used);
                this.io.debug(`AWS KMS ${operation}: ThrottlingException; retrying in ${delay} ms`);
                await (0,_retry_js__WEBPACK_IMPORTED_MODULE_9__/* .sleep */ .yy)(delay);
                continue;
            }
            throw this.failure(operation, res, failure, used, session);
        }
    }
    malformed(operation, what) {
        return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('malformed', `AWS KMS answered ${operation} for ${this.description} with something that is not KMS's answer: ${what}.`, `Check ${this.service.endpointVariable} (it should name AWS KMS itself); if it persists, try again later.`);
    }
    /** A KMS error as its cause and fix, named as the key's, never as DocuSign's. */
    failure(operation, res, { type, message }, used, session) {
        const said = `${type}${message ? `: ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(message)}` : ''}`;
        const asked = `AWS KMS refused ${operation} for ${this.description} (${said}).`;
        const keyArn = /arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+/.exec(message)?.[0] ?? this.keyId;
        const cli = `--key-id ${keyArn} --region ${this.region}`;
        if (type === 'ExpiredTokenException') {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `AWS KMS refused the credentials for ${this.description}: the session from ${session.source} has expired (${said}).`, session.expired ?? session.renew);
        }
        if (type === 'InvalidSignatureException' && /^Signature (expired|not yet current)/.test(message)) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `AWS KMS refused the request for ${this.description}: this machine's clock is more than 5 minutes off (${said}).`, "Set this machine's clock right (NTP); Signature Version 4 allows 5 minutes of difference.");
        }
        if (type === 'InvalidSignatureException' && /scoped to a valid region/.test(message)) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `AWS KMS at ${(0,_key_vault_http_js__WEBPACK_IMPORTED_MODULE_5__/* .shownUrl */ .zA)(this.url)} is not in ${this.region}, the region of ${this.description} (${said}).`, `Give the key ARN of the region the key is in, and leave ${this.service.endpointVariable} unset or pointing at that region's KMS.`);
        }
        if (CREDENTIALS_REFUSED.has(type)) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `AWS KMS refused the credentials from ${session.source} for ${this.description} (${said}).`, session.renew);
        }
        if (type === 'AccessDeniedException') {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `AWS KMS denied kms:${operation} on ${this.description}${denial(message)} (${type}).`, `Allow ${ACTIONS} on this key to the role of ${session.source}: in the role's IAM policy (Effect Allow, Action kms:Sign and kms:GetPublicKey, Resource the key ARN) or in the key policy; an explicit Deny, a permissions boundary or a service control policy can still refuse it (see docs/keyless.md).`);
        }
        if (type === 'NotFoundException') {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `AWS KMS has no ${this.description} (${said}).`, `Check ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('signing-key')}: the key ARN, or the alias, and its region ${this.region}. A key ID or alias/NAME is looked up in the account of the credentials; a key of another account needs its full key ARN (an alias cannot name it).`);
        }
        if (type === 'DisabledException') {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `${this.description} is disabled (${said}).`, `Enable it (aws kms enable-key ${cli}) or point ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('signing-key')} at an enabled key.`);
        }
        if (type === 'KMSInvalidStateException') {
            const pending = /pending deletion/i.test(message);
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `${this.description} cannot sign in its current state (${said}).`, pending
                ? `It is scheduled for deletion: cancel that (aws kms cancel-key-deletion ${cli}), then enable it (aws kms enable-key ${cli}).`
                : `Check the key's state in the KMS console (Enabled is required; see docs/keyless.md) or point ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('signing-key')} at an enabled key.`);
        }
        if (type === 'InvalidKeyUsageException') {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', `${this.description} cannot sign RS256 (${said}).`, 'Use an RSA key made for signing: aws kms create-key --key-spec RSA_2048 --key-usage SIGN_VERIFY (see docs/keyless.md), and register its public key on the integration key.');
        }
        if (UNAVAILABLE.has(type) || res.status >= 500 || res.status === 429) {
            return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('unavailable', `AWS KMS answered ${operation} for ${this.description} with HTTP ${res.status}${type.startsWith('HTTP ') ? '' : ` (${said})`} after ${used} attempt${used === 1 ? '' : 's'}.`, type === 'ThrottlingException'
                ? `KMS limits requests per second per account and region: try again later, raise ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('max-attempts')} to wait longer, or ask for a higher KMS request quota (Service Quotas) if it recurs.`
                : `Try again later; raise ${(0,_settings_js__WEBPACK_IMPORTED_MODULE_3__/* .setting */ .Pe)('max-attempts')} to wait longer.`);
        }
        return new _signer_js__WEBPACK_IMPORTED_MODULE_6__/* .SignerError */ .nw('refused', asked, 'See docs/keyless.md for what the key and the role need.');
    }
}
/** Whom AWS denied and why, from "User: ARN is not authorized to perform: ACTION on resource: ARN because REASON". */
function denial(message) {
    const who = /^User: (\S+) is not authorized/.exec(message)?.[1];
    const why = /\bbecause (.+?)\.?$/.exec(message)?.[1];
    if (!who && !why)
        return message ? `: ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(message)}` : '';
    return `${who ? ` to ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(who, 160)}` : ''}${why ? `, because ${(0,_outside_js__WEBPACK_IMPORTED_MODULE_8__/* .quote */ .hD)(why, 160)}` : ''}`;
}
/** KMS's JSON 1.1 error: `__type` (maybe "namespace#Type") or x-amzn-ErrorType, and `message`. */
function kmsFailure(res, json) {
    const header = res.headers['x-amzn-errortype'];
    const raw = (typeof json?.__type === 'string' && json.__type) || (typeof header === 'string' && header) || '';
    const type = raw.split('#').pop().split(':')[0];
    if (!/^[A-Za-z0-9.]{1,80}$/.test(type))
        return undefined;
    const message = json?.message ?? json?.Message;
    return { type, message: typeof message === 'string' ? message : '' };
}


/***/ }),

/***/ 174:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

"use strict";
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Pb: () => (/* binding */ endpointUrl),
/* harmony export */   Sc: () => (/* binding */ notTheService),
/* harmony export */   Ws: () => (/* binding */ requireHeaderSafe),
/* harmony export */   tN: () => (/* binding */ send),
/* harmony export */   zA: () => (/* binding */ shownUrl)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(296);
/* harmony import */ var _http_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(302);
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


/***/ })

};
;