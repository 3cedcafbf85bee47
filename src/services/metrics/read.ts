/**
 * Reading API Gateway's CloudWatch metrics of a stage (shared by `apigw metrics` and `status`): one row for the
 * stage and, with `by`, one per method (REST, detailed metrics) or route (HTTP APIs), through GetMetricData.
 */
import type {CloudWatchPort, MetricDataQuery, MetricDimension} from '../../aws/cloudwatch.ts'
import {CliError} from '../../errors.ts'
import {parseTime} from '../logs/query.ts'

export const NAMESPACE = 'AWS/ApiGateway'

export type MetricsRow = {
  /** `stage`, `GET /pets` (REST method) or the route key (HTTP). */
  key: string
  dimensions: MetricDimension[]
  requests: number
  errors4xx: number
  errors5xx: number
  /** Shares of requests (0..1), null without requests. */
  rate4xx: number | null
  rate5xx: number | null
  /** Milliseconds, null without data. */
  latencyP50: number | null
  latencyP99: number | null
  integrationLatencyP50: number | null
  /** Hits over hits plus misses, null when the stage cache was not used. */
  cacheHitRatio: number | null
  /** Requests per period, oldest first, every period of the window (0 where there was none). */
  series: Array<{timestamp: string; requests: number}>
}

export type MetricsResult = {
  api: string
  apiId: string
  type: 'rest' | 'http'
  stage: string
  since: string
  until: string
  /** Seconds. */
  period: number
  by: 'stage' | 'method' | 'route'
  rows: MetricsRow[]
}

/** `1m`, `5m`, `1h`, `60` (seconds) → seconds, a multiple of 60. */
export function parsePeriod(text: string): number {
  const m = /^(\d+)\s*([smhd]?)$/i.exec(text.trim())
  const seconds = m ? Number(m[1]) * ({'': 1, s: 1, m: 60, h: 3600, d: 86_400}[m[2]!.toLowerCase()] ?? 1) : Number.NaN
  if (!Number.isInteger(seconds) || seconds < 60 || seconds % 60 !== 0) {
    throw new CliError('USAGE', `--period ${text} is not a whole number of minutes.`, {
      hint: 'Use --period 1m, 5m or 1h (CloudWatch keeps API Gateway metrics per minute).',
    })
  }
  return seconds
}

/** The metric names of each API type. */
export function metricNames(type: 'rest' | 'http') {
  return type === 'rest' ? {errors4xx: '4XXError', errors5xx: '5XXError'} : {errors4xx: '4xx', errors5xx: '5xx'}
}

export type ReadInput = {
  api: string
  apiId: string
  apiName: string
  type: 'rest' | 'http'
  stage: string
  since: string
  period: number
  by?: 'method' | 'route' | undefined
  now: Date
}

/** The stage's dimensions, and its detailed ones when asked (found through ListMetrics). */
async function rowDimensions(cw: CloudWatchPort, input: ReadInput): Promise<Array<{key: string; dimensions: MetricDimension[]}>> {
  const id: MetricDimension = input.type === 'rest' ? {Name: 'ApiName', Value: input.apiName} : {Name: 'ApiId', Value: input.apiId}
  const stage = {key: 'stage', dimensions: [id, {Name: 'Stage', Value: input.stage}]}
  if (!input.by) return [stage]
  const detail = input.type === 'rest' ? ['Method', 'Resource'] : ['Route']
  const sets = await cw.listDimensionSets(NAMESPACE, 'Count', [id, {Name: 'Stage', Value: input.stage}, ...detail.map((Name) => ({Name}))])
  const rows = sets
    .filter((set) => set.length === 2 + detail.length)
    .map((set) => {
      const value = (name: string) => set.find((d) => d.Name === name)?.Value ?? ''
      return {key: input.type === 'rest' ? `${value('Method')} ${value('Resource')}` : value('Route'), dimensions: set}
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return [stage, ...rows]
}

export async function readMetrics(cw: CloudWatchPort, input: ReadInput): Promise<MetricsResult> {
  const nowMs = input.now.getTime()
  const periodMs = input.period * 1000
  // The window: whole periods ending with the current one, so every row has the same periods.
  const end = Math.floor(nowMs / periodMs) * periodMs + periodMs
  const since = parseTime(input.since, input.now, '--since')
  if (since >= nowMs) throw new CliError('USAGE', `--since ${input.since} is not in the past.`, {hint: 'Use a duration: --since 1h.'})
  const start = Math.min(Math.floor(since / periodMs) * periodMs, end - periodMs)
  const windowSeconds = (end - start) / 1000
  const names = metricNames(input.type)
  const rows = await rowDimensions(cw, input)
  const queries: MetricDataQuery[] = []
  const q = (id: string, metric: string, dims: MetricDimension[], stat: string, periodSeconds: number): void => {
    queries.push({
      Id: id,
      MetricStat: {Metric: {Namespace: NAMESPACE, MetricName: metric, Dimensions: dims}, Period: periodSeconds, Stat: stat},
    })
  }
  rows.forEach((row, i) => {
    q(`r${i}series`, 'Count', row.dimensions, 'Sum', input.period)
    q(`r${i}count`, 'Count', row.dimensions, 'Sum', windowSeconds)
    q(`r${i}e4`, names.errors4xx, row.dimensions, 'Sum', windowSeconds)
    q(`r${i}e5`, names.errors5xx, row.dimensions, 'Sum', windowSeconds)
    q(`r${i}p50`, 'Latency', row.dimensions, 'p50', windowSeconds)
    q(`r${i}p99`, 'Latency', row.dimensions, 'p99', windowSeconds)
    q(`r${i}ip50`, 'IntegrationLatency', row.dimensions, 'p50', windowSeconds)
    if (input.type === 'rest') {
      q(`r${i}hit`, 'CacheHitCount', row.dimensions, 'Sum', windowSeconds)
      q(`r${i}miss`, 'CacheMissCount', row.dimensions, 'Sum', windowSeconds)
    }
  })
  const results = new Map((await cw.getMetricData(queries, new Date(start), new Date(end))).map((r) => [r.Id!, r]))
  const total = (id: string): number | null => {
    const values = results.get(id)?.Values ?? []
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0)
  }
  const first = (id: string): number | null => results.get(id)?.Values?.[0] ?? null
  const out: MetricsRow[] = rows.map((row, i) => {
    const requests = total(`r${i}count`) ?? 0
    const e4 = total(`r${i}e4`) ?? 0
    const e5 = total(`r${i}e5`) ?? 0
    const hit = total(`r${i}hit`)
    const miss = total(`r${i}miss`)
    const byTime = new Map<number, number>()
    const s = results.get(`r${i}series`)
    for (const [j, t] of (s?.Timestamps ?? []).entries()) byTime.set(new Date(t).getTime(), s?.Values?.[j] ?? 0)
    const series = []
    for (let t = start; t < end; t += periodMs) series.push({timestamp: new Date(t).toISOString(), requests: byTime.get(t) ?? 0})
    return {
      key: row.key,
      dimensions: row.dimensions,
      requests,
      errors4xx: e4,
      errors5xx: e5,
      rate4xx: requests > 0 ? e4 / requests : null,
      rate5xx: requests > 0 ? e5 / requests : null,
      latencyP50: first(`r${i}p50`),
      latencyP99: first(`r${i}p99`),
      integrationLatencyP50: first(`r${i}ip50`),
      cacheHitRatio: hit !== null && miss !== null && hit + miss > 0 ? hit / (hit + miss) : null,
      series,
    }
  })
  return {
    api: input.api,
    apiId: input.apiId,
    type: input.type,
    stage: input.stage,
    since: new Date(start).toISOString(),
    until: new Date(end).toISOString(),
    period: input.period,
    by: input.by ?? 'stage',
    rows: out,
  }
}

/** A stage's traffic over the last minutes, for `status`. */
export type StageHealth = {requests: number; rate4xx: number; rate5xx: number; latencyP99: number | null; minutes: number}

/** The stage's health over the last minutes (status): undefined when CloudWatch has no request in the window. */
export async function stageHealth(
  cw: CloudWatchPort,
  input: {type: 'rest' | 'http'; apiId: string; apiName: string; stage: string; now: Date; minutes?: number},
): Promise<StageHealth | undefined> {
  const minutes = input.minutes ?? 5
  const read = await readMetrics(cw, {
    api: input.apiName,
    apiId: input.apiId,
    apiName: input.apiName,
    type: input.type,
    stage: input.stage,
    since: `${minutes}m`,
    period: 60,
    now: input.now,
  })
  const row = read.rows[0]
  if (!row || row.requests === 0) return undefined
  return {requests: row.requests, rate4xx: row.rate4xx ?? 0, rate5xx: row.rate5xx ?? 0, latencyP99: row.latencyP99, minutes}
}
