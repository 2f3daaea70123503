// The peer: what a team writes without this action, with DocuSign's official Node SDK.
const docusign = require('docusign-esign')

async function main() {
  const { BENCH_OAUTH_HOST, BENCH_INTEGRATION_KEY, BENCH_USER_ID, BENCH_PRIVATE_KEY } = process.env
  const api = new docusign.ApiClient()
  api.setOAuthBasePath(BENCH_OAUTH_HOST)
  const token = await api.requestJWTUserToken(
    BENCH_INTEGRATION_KEY,
    BENCH_USER_ID,
    ['signature', 'impersonation'],
    Buffer.from(BENCH_PRIVATE_KEY),
    3600
  )
  const info = await api.getUserInfo(token.body.access_token)
  const account = info.accounts.find(a => a.isDefault === 'true')
  console.log(`account ${account.accountId}, base path ${account.baseUri}/restapi`)
}

main().catch(error => {
  console.error(error.message)
  process.exit(1)
})
