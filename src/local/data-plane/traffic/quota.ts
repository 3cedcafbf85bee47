/**
 * Usage-plan quota windows, in UTC: DAY from midnight, WEEK from Sunday midnight, MONTH from the 1st. `offset`
 * follows the API reference (API_QuotaSettings): the number of requests subtracted from the limit in the
 * initial time period, the period the plan was created in. The older SDK wording (offset = the day a period
 * starts) is not applied; AWS's week start is not documented either (LIMITATIONS.md).
 */

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH'
export type QuotaSettings = {limit?: number; offset?: number; period?: string}

export const DAY_MS = 86_400_000

/** `yyyy-MM-dd` of a time, in UTC (the usage records' day). */
export function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** The start (inclusive) and end (exclusive) of the window holding `ms`, as epoch ms. */
export function windowOf(period: string | undefined, ms: number): {start: number; end: number} {
  const d = new Date(ms)
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
  if (period === 'WEEK') {
    const start = midnight - d.getUTCDay() * DAY_MS
    return {start, end: start + 7 * DAY_MS}
  }
  if (period === 'MONTH') {
    return {start: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), end: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)}
  }
  return {start: midnight, end: midnight + DAY_MS}
}

/** Every `yyyy-MM-dd` of a window, from its first day up to and including `upTo`'s day. */
export function daysOfWindow(window: {start: number; end: number}, upTo?: number): string[] {
  const days: string[] = []
  const last = Math.min(window.end - 1, upTo ?? window.end - 1)
  for (let t = window.start; t <= last; t += DAY_MS) days.push(dayOf(t))
  return days
}

/**
 * What the window allows: the limit, less the offset in the plan's first period, plus what UpdateUsage granted
 * for this window. Undefined when the plan has no quota.
 */
export function allowance(quota: QuotaSettings | undefined, planCreatedMs: number, windowStart: number, granted = 0): number | undefined {
  if (!quota || quota.limit === undefined || quota.period === undefined) return undefined
  const initial = windowOf(quota.period, planCreatedMs).start === windowStart
  return quota.limit - (initial ? (quota.offset ?? 0) : 0) + granted
}
