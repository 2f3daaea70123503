import { describe, expect, it } from '@jest/globals'
import { resolveEnvironment } from '../src/core/environment.js'
import { DocuSignError } from '../src/core/errors.js'
import { chooseAccount } from '../src/core/userinfo.js'

const env = resolveEnvironment('demo')
const A = {
  account_id: 'aaaaaaaa-0000-4000-8000-000000000001',
  account_name: 'First',
  is_default: false,
  base_uri: 'https://na3.docusign.net'
}
const B = {
  account_id: 'bbbbbbbb-0000-4000-8000-000000000002',
  account_name: 'Second',
  is_default: true,
  base_uri: 'https://demo.docusign.net/'
}

function refusal(accounts: unknown, wanted?: string): string {
  try {
    chooseAccount(accounts, wanted, env)
  } catch (e) {
    expect(e).toBeInstanceOf(DocuSignError)
    return (e as Error).message
  }
  throw new Error('expected a refusal')
}

describe('chooseAccount', () => {
  it('picks the default account and derives the REST base path', () => {
    expect(chooseAccount([A, B], undefined, env)).toEqual({
      accountId: B.account_id,
      accountName: 'Second',
      baseUri: 'https://demo.docusign.net',
      basePath: 'https://demo.docusign.net/restapi',
      isDefault: true
    })
  })

  it('picks the account asked for', () => {
    expect(chooseAccount([A, B], A.account_id, env).basePath).toBe('https://na3.docusign.net/restapi')
  })

  it('accepts is_default as the string "true" and a lone account without a default', () => {
    expect(chooseAccount([A, { ...B, is_default: 'true' }], undefined, env).accountId).toBe(B.account_id)
    expect(chooseAccount([A], undefined, env).accountId).toBe(A.account_id)
  })

  it('lists the accounts when the one asked for is not there', () => {
    expect(refusal([A, B], 'cccccccc-0000-4000-8000-000000000003')).toMatch(
      /not one of the user's accounts.*aaaaaaaa-0000-4000-8000-000000000001 \(First\), bbbbbbbb-0000-4000-8000-000000000002 \(Second\)/
    )
  })

  it('asks for account-id when several accounts have no default', () => {
    expect(refusal([A, { ...B, is_default: false }])).toMatch(/none is marked default.*Set account-id/)
  })

  it('refuses no accounts, a missing list and malformed entries clearly', () => {
    expect(refusal([])).toMatch(/no usable DocuSign account in the demo environment/)
    expect(refusal(undefined)).toMatch(/accounts is missing/)
    expect(refusal([{ account_id: 'x' }, 42])).toMatch(/2 malformed account entries ignored/)
    expect(chooseAccount([{ account_id: 'x', base_uri: 'not a url' }, A], undefined, env).accountId).toBe(A.account_id)
  })
})
