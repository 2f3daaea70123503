/** RFC 3986 strict: encodeURIComponent leaves !'()* as they are, and a ) ends a Markdown link. */
const encode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)

/** Scopes as DocuSign's consent page reads them: space-separated, each %20-encoded. */
const scopeList = (scopes: string[]): string => scopes.map(encode).join('%20')

function authorizeUrl(oauthBase: string, params: string[]): string {
  return `${oauthBase}/oauth/auth?${params.join('&')}`
}

/**
 * The first leg of the Authorization Code Grant: opened in a browser by the impersonated user,
 * it grants the integration key consent for exactly these scopes.
 */
export function consentUrl(oauthBase: string, scopes: string[], integrationKey: string, redirectUri: string): string {
  return authorizeUrl(oauthBase, [
    'response_type=code',
    `scope=${scopeList(scopes)}`,
    `client_id=${encode(integrationKey)}`,
    `redirect_uri=${encode(redirectUri)}`
  ])
}

/**
 * Admin consent for an app another organization owns: opened by an organization administrator, it
 * grants these scopes for every user of the organization's claimed domains (scope=openid is the
 * administrator's own sign-in; the users' scopes go in admin_consent_scope).
 */
export function adminConsentUrl(
  oauthBase: string,
  scopes: string[],
  integrationKey: string,
  redirectUri: string
): string {
  return authorizeUrl(oauthBase, [
    'response_type=code',
    'scope=openid',
    `client_id=${encode(integrationKey)}`,
    `redirect_uri=${encode(redirectUri)}`,
    `admin_consent_scope=${scopeList(scopes)}`
  ])
}
