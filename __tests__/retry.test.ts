import { describe, expect, it } from '@jest/globals'
import { backoffMs, BACKOFF_MAX_MS, isRetryableStatus, retryAfterMs } from '../src/core/retry.js'

describe('retry policy', () => {
  it('retries 429 and 5xx only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true)
    expect([200, 400, 401, 403, 404].some(isRetryableStatus)).toBe(false)
  })

  it('backs off exponentially with jitter between half and all of the ceiling, capped', () => {
    expect(backoffMs(1, () => 0)).toBe(500)
    expect(backoffMs(1, () => 1)).toBe(1000)
    expect(backoffMs(3, () => 0)).toBe(2000)
    expect(backoffMs(3, () => 1)).toBe(4000)
    expect(backoffMs(20, () => 1)).toBe(BACKOFF_MAX_MS)
  })

  it('reads Retry-After as seconds or as an HTTP date still to come', () => {
    const now = Date.parse('2026-11-28T12:00:00Z')
    expect(retryAfterMs('7', now)).toBe(7000)
    expect(retryAfterMs('Sat, 28 Nov 2026 12:00:05 GMT', now)).toBe(5000)
    // A date gone by, a negative or fractional number, words: the backoff's wait.
    for (const value of ['Sat, 28 Nov 2026 11:00:00 GMT', '-5', '2.5', 'soon']) {
      expect({ value, ms: retryAfterMs(value, now) }).toEqual({ value, ms: undefined })
    }
    expect(retryAfterMs(undefined, now)).toBeUndefined()
  })
})
