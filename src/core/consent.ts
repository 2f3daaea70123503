/**
 * The first leg of the Authorization Code Grant: opened in a browser by the impersonated user,
 * it grants the integration key consent for exactly these scopes.
 */
export function consentUrl(oauthBase: string, scopes: string[], integrationKey: string, redirectUri: string): string {
  const query = [
    'response_type=code',
    `scope=${scopes.map(encodeURIComponent).join('%20')}`,
    `client_id=${encodeURIComponent(integrationKey)}`,
    `redirect_uri=${encodeURIComponent(redirectUri)}`
  ]
  return `${oauthBase}/oauth/auth?${query.join('&')}`
}
