import type { IncomingHttpHeaders } from 'node:http'

/** DocuSign's rate-limit headers, on every eSignature answer (API rules and limits). */
export interface Limits {
  hourly?: { limit: number; remaining: number; resetAt?: Date }
  burst?: { limit: number; remaining: number }
}

/** The latest instant a JavaScript Date holds. */
const MAX_DATE_MS = 8.64e15

function number(headers: IncomingHttpHeaders, name: string): number | undefined {
  const raw = headers[name]
  const value = Array.isArray(raw) ? raw[0] : raw
  return value !== undefined && /^\d+$/.test(value.trim()) ? Number(value) : undefined
}

export function readLimits(headers: IncomingHttpHeaders): Limits {
  const limits: Limits = {}
  const hourly = number(headers, 'x-ratelimit-limit')
  const remaining = number(headers, 'x-ratelimit-remaining')
  const reset = number(headers, 'x-ratelimit-reset')
  if (hourly !== undefined && remaining !== undefined) {
    // Unix seconds; a value no Date can hold (a hostile or broken header) is ignored, not trusted.
    const resetAt = reset !== undefined && reset * 1000 <= MAX_DATE_MS ? new Date(reset * 1000) : undefined
    limits.hourly = { limit: hourly, remaining, resetAt }
  }
  const burst = number(headers, 'x-burstlimit-limit')
  const burstLeft = number(headers, 'x-burstlimit-remaining')
  if (burst !== undefined && burstLeft !== undefined) limits.burst = { limit: burst, remaining: burstLeft }
  return limits
}

/** One line for each limit under a tenth of itself: a matrix of jobs shares the account's limits. */
export function lowLimitWarnings({ hourly, burst }: Limits): string[] {
  const lines: string[] = []
  if (hourly && hourly.remaining < hourly.limit / 10) {
    const reset = hourly.resetAt ? `; it resets at ${hourly.resetAt.toISOString()}` : ''
    lines.push(
      `DocuSign's hourly API limit for this account is nearly used: ${hourly.remaining} of ${hourly.limit} calls left${reset}.`
    )
  }
  if (burst && burst.remaining < burst.limit / 10) {
    lines.push(
      `DocuSign's 30-second burst limit for this account is nearly used: ${burst.remaining} of ${burst.limit} calls left.`
    )
  }
  return lines
}
