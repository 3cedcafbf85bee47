/**
 * CloudWatch statistics over the minute aggregates of a series: Sum, Average, Minimum, Maximum, SampleCount
 * exactly, and percentiles (`p50`, `p99.9`) from the log-scale histogram, within half a bucket (1 %).
 */
import {AwsError} from '../protocol/aws-error.ts'
import {bucketValue, type MinuteAggregate, type Series} from './metric-store.ts'

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const

/** `p0`…`p100` with up to two decimals, as CloudWatch accepts them. */
const PERCENTILE = /^p(\d{1,2}(?:\.\d{1,2})?|100)$/

export function isStatistic(stat: string): boolean {
  return (STATISTICS as readonly string[]).includes(stat) || PERCENTILE.test(stat)
}

/** One period's aggregate (several minutes merged). */
export type PeriodAggregate = MinuteAggregate & {start: number}

/**
 * The aggregates of the periods in [startMs, endMs) that hold data, oldest first; periods are aligned on the
 * start time (rounded down to its minute), as CloudWatch aligns the datapoints it returns.
 */
export function periodsOf(series: Series | undefined, startMs: number, endMs: number, periodMs: number): PeriodAggregate[] {
  if (!series) return []
  const origin = Math.floor(startMs / 60_000) * 60_000
  const byPeriod = new Map<number, PeriodAggregate>()
  for (const [minute, agg] of series.minutes) {
    if (minute < origin || minute >= endMs) continue
    const start = origin + Math.floor((minute - origin) / periodMs) * periodMs
    const p = byPeriod.get(start)
    if (!p) {
      byPeriod.set(start, {start, count: agg.count, sum: agg.sum, min: agg.min, max: agg.max, hist: new Map(agg.hist)})
      continue
    }
    p.count += agg.count
    p.sum += agg.sum
    p.min = Math.min(p.min, agg.min)
    p.max = Math.max(p.max, agg.max)
    for (const [b, c] of agg.hist) p.hist.set(b, (p.hist.get(b) ?? 0) + c)
  }
  return [...byPeriod.values()].sort((a, b) => a.start - b.start)
}

/** A statistic of one period's aggregate. */
export function statisticOf(agg: MinuteAggregate, stat: string): number {
  switch (stat) {
    case 'SampleCount':
      return agg.count
    case 'Sum':
      return agg.sum
    case 'Average':
      return agg.count === 0 ? 0 : agg.sum / agg.count
    case 'Minimum':
      return agg.min
    case 'Maximum':
      return agg.max
  }
  const m = PERCENTILE.exec(stat)
  if (!m) throw new AwsError('InvalidParameterValue', `The value ${stat} for parameter Stat is not a valid statistic.`, 400)
  return percentile(agg, Number(m[1]))
}

function percentile(agg: MinuteAggregate, p: number): number {
  if (agg.count === 0) return 0
  if (p <= 0) return agg.min
  if (p >= 100) return agg.max
  const rank = Math.ceil((p / 100) * agg.count)
  let seen = 0
  for (const bucket of [...agg.hist.keys()].sort((a, b) => a - b)) {
    seen += agg.hist.get(bucket)!
    if (seen >= rank) return Math.min(agg.max, Math.max(agg.min, bucketValue(bucket)))
  }
  return agg.max
}
