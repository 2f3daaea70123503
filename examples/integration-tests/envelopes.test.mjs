// An integration test as examples/integration-tests.yml runs it: the DocuSign Node SDK, configured
// from the variables the action exports with `export-env: true`.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import docusign from 'docusign-esign'

const { DOCUSIGN_ACCESS_TOKEN, DOCUSIGN_ACCOUNT_ID, DOCUSIGN_BASE_PATH } = process.env

function apiClient() {
  const client = new docusign.ApiClient()
  client.setBasePath(DOCUSIGN_BASE_PATH)
  client.addDefaultHeader('Authorization', `Bearer ${DOCUSIGN_ACCESS_TOKEN}`)
  return client
}

test('lists the envelopes of the last week', { skip: !DOCUSIGN_ACCESS_TOKEN && 'no DocuSign token' }, async () => {
  const envelopes = new docusign.EnvelopesApi(apiClient())
  const fromDate = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString()
  const result = await envelopes.listStatusChanges(DOCUSIGN_ACCOUNT_ID, { fromDate })
  assert.ok(Number(result.resultSetSize) >= 0)
})
