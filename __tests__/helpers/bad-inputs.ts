/** The bad-input table: each case, the input it must name, and a word of the fix it must give. */
import { refusedKeys } from './keys.js'

export interface BadInput {
  name: string
  input: string
  value: string
  fix: RegExp
}

const GUID = '5e6f7a8b-1111-4111-9111-abcdefabcdef'

const cases: [name: string, input: string, value: string, fix: RegExp][] = [
  ['integration key empty', 'integration-key', '', /Integration Key/],
  ['integration key not a GUID', 'integration-key', 'my-docusign-app', /GUID like/],
  ['integration key an email', 'integration-key', 'dev@example.com', /GUID like/],
  ['user ID empty', 'user-id', '   ', /User ID/],
  ['user ID not a GUID', 'user-id', '87654321', /User ID/],
  ['user ID an email', 'user-id', 'dana.signer@example.com', /email address.*User ID/s],
  ['user ID a GUID in braces', 'user-id', `{${GUID}}`, /Remove the \{ and \}/],
  ['environment misspelt', 'environment', 'prodution', /'demo'.*'production'/s],
  ['environment http:// to a remote host', 'environment', 'http://account-d.docusign.com', /https:\/\/host:port/],
  ['environment URL with a path', 'environment', 'https://account-d.docusign.com/oauth/token', /scheme, host and port/],
  ['environment URL with a query', 'environment', 'https://account-d.docusign.com?x=1', /scheme, host and port/],
  ['environment URL with credentials', 'environment', 'https://me:pw@account-d.docusign.com', /credentials/],
  ['scopes with invalid characters', 'scopes', 'signature impersonation;rm', /separated by spaces or commas/],
  ['timeout-seconds zero', 'timeout-seconds', '0', /1 to 600/],
  ['timeout-seconds negative', 'timeout-seconds', '-30', /1 to 600/],
  ['timeout-seconds fractional', 'timeout-seconds', '2.5', /1 to 600/],
  ['timeout-seconds huge', 'timeout-seconds', '86400000', /1 to 600/],
  ['timeout-seconds not a number', 'timeout-seconds', 'thirty', /1 to 600/],
  ['max-attempts zero', 'max-attempts', '0', /1 to 10/],
  ['max-attempts negative', 'max-attempts', '-1', /1 to 10/],
  ['max-attempts fractional', 'max-attempts', '1.5', /1 to 10/],
  ['max-attempts huge', 'max-attempts', '1000000', /1 to 10/],
  ['max-attempts not a number', 'max-attempts', 'many', /1 to 10/],
  ['skip-account-lookup not a boolean', 'skip-account-lookup', 'yes', /'true' or 'false'/],
  ['export-env not a boolean', 'export-env', 'on', /'true' or 'false'/],
  ['account-id not a GUID', 'account-id', '12345678-abcd', /API Account ID/],
  [
    'consent-redirect-uri not a URL',
    'consent-redirect-uri',
    'developers.docusign.com/consent',
    /registered on the integration key/
  ]
]

const keyFixes: Record<string, RegExp> = {
  'OpenSSH private key': /cp id_rsa docusign.key && ssh-keygen -p -N "" -m PEM -f docusign.key/,
  'OpenSSH Ed25519 private key': /^(?![\s\S]*ssh-keygen)[\s\S]*Generate RSA/,
  'EC key (SEC1)': /Generate RSA/,
  'EC key (PKCS#8)': /Generate RSA/,
  'Ed25519 key': /^(?![\s\S]*ssh-keygen)[\s\S]*openssl genpkey -algorithm RSA/,
  'PuTTY key': /puttygen/,
  'encrypted PKCS#8': /openssl pkey/,
  'encrypted PKCS#1': /openssl pkey/,
  'RSA 1024': /new keypair of at least 2048 bits/,
  'two keys pasted together': /Keep only/
}

export function badInputs(): BadInput[] {
  const keys = Object.entries(refusedKeys()).map(([name, [value]]) => ({
    name: `private key: ${name}`,
    input: 'private-key',
    value,
    fix: keyFixes[name] ?? /Use the whole RSA private key of the keypair/
  }))
  return [...cases.map(([name, input, value, fix]) => ({ name, input, value, fix })), ...keys]
}
