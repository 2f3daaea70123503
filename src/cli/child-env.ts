import type { Secrets } from '../core/secrets.js'

/**
 * The variables that hold a sign-in secret or lead to one (a key or token file): DocuSign's, the key
 * vaults' (Vault, AWS, Google, Azure) and the job's (its OIDC request token, its GitHub tokens).
 */
const SECRET_VARIABLES = [
  'DOCUSIGN_PRIVATE_KEY',
  'DOCUSIGN_PRIVATE_KEY_FILE',
  'DOCUSIGN_ACCESS_TOKEN',
  'DOCUSIGN_APPLICATION_TOKEN',
  'VAULT_TOKEN',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'GOOGLE_OAUTH_ACCESS_TOKEN',
  'GOOGLE_APPLICATION_CREDENTIALS',
  'AZURE_ACCESS_TOKEN',
  'AZURE_FEDERATED_TOKEN_FILE',
  'AZURE_CLIENT_SECRET',
  'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  'ACTIONS_ID_TOKEN_REQUEST_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'GITHUB_TOKEN'
]

/**
 * The environment for a program this process starts (the browser): everything but the sign-in
 * secrets, by name and by value (any variable holding a secret registered so far, in any form).
 * Such a program has no use for them, nor its crash reporter or extensions.
 */
export function childEnvironment(env: Record<string, string | undefined>, secrets: Secrets): NodeJS.ProcessEnv {
  const names = new Set(SECRET_VARIABLES.map(name => name.toUpperCase()))
  return Object.fromEntries(
    Object.entries(env).filter(
      ([name, value]) => value !== undefined && !names.has(name.toUpperCase()) && !secrets.holds(value)
    )
  )
}
