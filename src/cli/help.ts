import pkg from '../../package.json' with { type: 'json' }
import { DEFAULTS } from '../core/inputs.js'
import { WAIT_INTERVAL_MS, WAIT_SECONDS_DEFAULT, type Command } from './args.js'
import { EXIT_CODES_HELP } from './exit-codes.js'
import { KEY_FILE_VAR, KEY_VAR } from './settings.js'

export const VERSION: string = pkg.version

/** One option in a help text: the flag with its argument, its environment variable, what it means. */
type OptionHelp = [flag: string, variable: string, ...meaning: string[]]

function options(list: OptionHelp[]): string {
  return list
    .flatMap(([flag, variable, ...meaning]) => {
      const lines = variable ? [...meaning, `env: ${variable}`] : meaning
      return lines.map((line, i) => `  ${(i === 0 ? flag : '').padEnd(29)}${line}`)
    })
    .join('\n')
}

const INTEGRATION_KEY: OptionHelp = [
  '--integration-key GUID',
  'DOCUSIGN_INTEGRATION_KEY',
  "the app's integration key (client ID)"
]

/** What a consent URL is made of, besides the integration key. */
const CONSENT_SETTINGS: OptionHelp[] = [
  [
    '--environment ENV',
    'DOCUSIGN_ENVIRONMENT',
    'demo (default), production, or an OAuth server URL https://host[:port]'
  ],
  [
    '--scopes "S1 S2"',
    'DOCUSIGN_SCOPES',
    `default: ${DEFAULTS.scopes} (impersonation is added, except for an application-access token)`
  ],
  [
    '--consent-redirect-uri URL',
    '',
    'a redirect URI registered on the integration key, default:',
    DEFAULTS['consent-redirect-uri']
  ]
]

const SIGN_IN_SETTINGS: OptionHelp[] = [
  INTEGRATION_KEY,
  ['--user-id GUID', 'DOCUSIGN_USER_ID', 'the User ID of the user to impersonate (not an email)'],
  ['--private-key-file PATH', KEY_FILE_VAR, `the RSA private key's file (or the key itself in ${KEY_VAR})`],
  [
    '--signing-key REF',
    'DOCUSIGN_SIGNING_KEY',
    'instead of the private key, a key in a key vault: aws-kms:ARN, vault-transit:[MOUNT/]KEY,',
    'gcp-kms:projects/.../cryptoKeyVersions/V, azure-key-vault:https://NAME.vault.azure.net/keys/KEY',
    '(a Managed HSM: NAME.managedhsm.azure.net)'
  ],
  [
    '--application-token',
    'DOCUSIGN_APPLICATION_TOKEN',
    'an application-access token for the Admin API: no user ID, Admin API scopes, no account'
  ],
  ...CONSENT_SETTINGS,
  ['--account-id GUID', 'DOCUSIGN_ACCOUNT_ID', "use this account of the user's (default: their default account)"],
  ['--skip-account-lookup', '', 'no account lookup (/oauth/userinfo): the token only'],
  ['--timeout-seconds N', '', `time limit of each HTTP request, 1 to 600 (default ${DEFAULTS['timeout-seconds']})`],
  ['--max-attempts N', '', `attempts per request, counting the first, 1 to 10 (default ${DEFAULTS['max-attempts']})`],
  ['--verbose', '', 'progress and each request on stderr (never a secret)'],
  ['-h, --help', '', 'this help']
]

const KEY_NOTE = `A flag wins over its environment variable. The private key is never taken from the command line
(it would end up in shell history and process lists): --private-key is refused.`

const TOOL = `docusign-jwt ${VERSION}: sign in to DocuSign with the OAuth JWT Grant.

Usage:
  docusign-jwt token [options]         print an access token: TOKEN=$(docusign-jwt token)
  docusign-jwt check [options]         check the setup and sign in, with a report (never the token);
                                       --open --wait to grant consent the fastest way
  docusign-jwt consent-url [options]   print the consent URL (no key, no network)
  docusign-jwt api PATH [options]      one authenticated call to DocuSign's eSignature REST API:
                                       docusign-jwt api '/envelopes?from_date=2026-01-01'
  docusign-jwt <command> --help        a command's options
  docusign-jwt --version               the version

Settings: flag, or environment variable
  --integration-key GUID      DOCUSIGN_INTEGRATION_KEY
  --user-id GUID              DOCUSIGN_USER_ID
  --private-key-file PATH     ${KEY_FILE_VAR} (or the key itself in ${KEY_VAR})
  --signing-key REF           DOCUSIGN_SIGNING_KEY (a key in a key vault, instead of the private key)
  --application-token         DOCUSIGN_APPLICATION_TOKEN (the Admin API: no user ID)
  --environment ENV           DOCUSIGN_ENVIRONMENT (default demo)
  --scopes "S1 S2"            DOCUSIGN_SCOPES (default ${DEFAULTS.scopes})
  --account-id GUID           DOCUSIGN_ACCOUNT_ID (default: the user's default account)
  --skip-account-lookup, --consent-redirect-uri URL, --timeout-seconds N, --max-attempts N

${KEY_NOTE}
Messages go to stderr; stdout carries only what the command is for.

${EXIT_CODES_HELP}
`

const COMMAND_HELP: Record<Command, string> = {
  token: `Usage: docusign-jwt token [options]

Signs in and prints the access token and a newline on stdout, nothing else:
  TOKEN=$(docusign-jwt token)

Options:
  --format token|json|shell|azure-pipelines
                               token (default): the token alone.
                               json: one object with access_token, token_type, expires_in,
                               expires_at, account_id, account_name, base_uri, base_path
                               (no account fields with --skip-account-lookup).
                               shell: export lines for DOCUSIGN_ACCESS_TOKEN, DOCUSIGN_ACCOUNT_ID,
                               DOCUSIGN_BASE_PATH, quoted for eval: exports="$(docusign-jwt token --format shell)" && eval "$exports"
                               (only the token line with --skip-account-lookup).
                               azure-pipelines: ##vso[task.setvariable] lines, read-only, the token
                               secret: DOCUSIGN_ACCESS_TOKEN, DOCUSIGN_ACCOUNT_ID, DOCUSIGN_BASE_PATH,
                               DOCUSIGN_TOKEN_EXPIRES_AT (also output variables in a named step).
${options(SIGN_IN_SETTINGS)}

${KEY_NOTE}

${EXIT_CODES_HELP}
`,
  check: `Usage: docusign-jwt check [options]

For the person setting it up: validates every setting, shows the environment, integration key,
user ID, scopes and the key's public-key SHA-256 fingerprint, signs in, and reports the account
chosen and the token's expiry (never the token). The report goes to stdout. When consent is
missing it prints the consent links, for the user and for an organization administrator.

Options:
  --open                       open the user's consent link in the default browser ($BROWSER, or
                               the platform's opener); the link is printed either way
  --wait                       when consent is missing, try again every ${WAIT_INTERVAL_MS / 1000} s until it is
                               granted, then report
  --wait-seconds N             how long --wait waits, 1 to 3600 (default ${WAIT_SECONDS_DEFAULT})
${options(SIGN_IN_SETTINGS)}

${KEY_NOTE}

${EXIT_CODES_HELP}
`,
  api: `Usage: docusign-jwt api [-X METHOD] PATH [options]

One authenticated call to DocuSign's eSignature REST API; the answer's body on stdout, byte for byte
(it is DocuSign's data, and CI logs run commands found in it: write it to a file or through jq).
  docusign-jwt api '/envelopes?from_date=2026-01-01' --paginate > envelopes.json
  jq -n '{emailSubject: "Please sign", status: "sent", ...}' | docusign-jwt api /envelopes --input -

PATH is relative to the account: /envelopes means {base path}/v2.1/accounts/{account ID}/envelopes.
A PATH that starts with a version (/v2.1/...) is relative to the base path, {accountId} replaced. A
full https:// URL only on the base path's origin: the token is sent nowhere else. The leading slash
may be left out.

Credentials: sign-in flags on the command line win. Otherwise DOCUSIGN_ACCESS_TOKEN,
DOCUSIGN_BASE_PATH and DOCUSIGN_ACCOUNT_ID, when all three are set (the action's outputs or
export-env, or token --format shell): no sign-in. Otherwise it signs in as token does.

Options:
  -X, --method METHOD          GET (default), or POST when a body is given; PUT, PATCH, DELETE, HEAD
  --input FILE                 the JSON body from a file, or - for stdin
  --field NAME=VALUE           builds a JSON body: NAME=text for a string, NAME:=JSON for a raw value
                               (number, true, null, [...], {...}); dotted names nest; repeatable
  --query NAME=VALUE           a query parameter, encoded; repeatable
  -H, --header 'NAME: VALUE'   a request header (never Authorization); repeatable
  -i, --include                the status line and the answer's headers on stdout before the body
  -o, --output FILE            the body into FILE instead of stdout, streamed (a combined PDF);
                               nothing is written for a 4xx or 5xx; a FIFO or a device is written
                               in place, a file replaced once whole
  --paginate                   GET: follow DocuSign's nextUri (at most 1,000 pages) and print one
                               JSON document, every list concatenated
  --log-safe                   stdout between ::stop-commands::TOKEN and ::TOKEN:: (a random token):
                               nothing in the answer runs as a GitHub Actions workflow command
GET and HEAD are tried again after a connection failure, a 5xx or a rate limit (429); other methods
only after a rate limit or a connection refused before sending, never after a 5xx or a time-out.
Waits honour Retry-After and X-RateLimit-Reset, up to a minute. A line on stderr says when the
account's hourly or burst limit falls under a tenth.
${options(SIGN_IN_SETTINGS)}

${KEY_NOTE}

${EXIT_CODES_HELP}
  (api) 4 also when the REST API answers 4xx other than 429; 5 also for 5xx or 429 after the
  attempts, a redirect (never followed), or an answer that is not one; 6 when a POST, PUT, PATCH
  or DELETE got a 2xx and its answer was then lost (cut off, stdout or -o unwritable): it took
  effect, never send it again
`,
  'consent-url': `Usage: docusign-jwt consent-url [options]

Prints the URL that grants the integration key consent, built from the integration key, scopes,
environment and redirect URI alone: no key needed, no request made. Open it in a browser signed
in to DocuSign as the user to impersonate, and click Accept.

Options:
  --admin                      the admin consent URL instead: an organization administrator
                               grants consent for every user of the organization's claimed domains
${options([INTEGRATION_KEY, ...CONSENT_SETTINGS, ['-h, --help', '', 'this help']])}

${EXIT_CODES_HELP}
`
}

export function helpText(command?: Command): string {
  return command ? COMMAND_HELP[command] : TOOL
}
