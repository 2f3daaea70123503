/** When to try again and how long to wait: pure, so the policy is testable without a clock. */

export const BACKOFF_BASE_MS = 1000
export const BACKOFF_MAX_MS = 10_000
/** A Retry-After longer than this is not worth waiting for inside a CI step. */
export const RETRY_AFTER_MAX_MS = 60_000

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500
}

/** Exponential backoff with "equal jitter": half fixed, half random, so parallel jobs spread out. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/**
 * Retry-After as delta-seconds or an HTTP date (RFC 9110: every form starts with the day's name);
 * undefined when absent, unreadable or already past (-5, 2.5, a date gone by), so the caller waits as
 * its backoff would: never an immediate retry a server did not ask for.
 */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined
  const value = header.trim()
  if (/^\d+$/.test(value)) return Number(value) * 1000
  const date = /^[a-z]{3}/i.test(value) ? Date.parse(value) : NaN
  return date > now ? date - now : undefined
}
