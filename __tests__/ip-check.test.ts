import { isIP } from 'node:net'
import { describe, expect, it } from '@jest/globals'
import { precompileIpCheck } from '../src/core/ip-check.js'

describe('precompileIpCheck', () => {
  it('leaves net.isIP answering as before, however often it runs', () => {
    const cases: [string, number][] = [
      ['account-d.docusign.com', 0],
      ['localhost', 0],
      ['127.0.0.1', 4],
      ['256.0.0.1', 0],
      ['::1', 6],
      ['2001:db8::8a2e:370:7334', 6],
      ['fe80::1%eth0', 6],
      ['::ffff:192.0.2.1', 6],
      ['2001:db8:::1', 0],
      ['[::1]', 0]
    ]
    for (let round = 0; round < 3; round++) {
      precompileIpCheck()
      expect(cases.map(([host]) => [host, isIP(host)])).toEqual(cases)
    }
  })

  it('leaves other regular expressions working as before', () => {
    precompileIpCheck()
    expect(/^(a+)+b$/.test('aaab')).toBe(true)
    expect('x1y22z333'.match(/\d+/g)).toEqual(['1', '22', '333'])
  })
})
