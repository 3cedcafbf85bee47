/**
 * `apigw metrics` as a table: one row for the stage, then one per method or route; at a terminal a sparkline of
 * requests per period closes each row (`sparkline: false` when stdout is not a TTY: no colour, no sparkline). Pure.
 */
import type {MetricsResult} from '../services/metrics/metrics.ts'
import {type Colors, noColors} from './findings.ts'
import {table} from './status.ts'
import {terminalSafeDeep} from './terminal-text.ts'

const BARS = '▁▂▃▄▅▆▇█'

/** Eight-level bars scaled to the row's busiest period; a period without requests is a space. */
export function sparkline(values: number[]): string {
  const max = Math.max(0, ...values)
  return values.map((v) => (v <= 0 || max === 0 ? ' ' : BARS[Math.min(7, Math.floor((v / max) * 7.999))])).join('')
}

const pct = (r: number | null): string => (r === null ? '-' : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`)
const ms = (v: number | null): string => (v === null ? '-' : v < 10 ? `${v.toFixed(1)} ms` : `${Math.round(v)} ms`)

export function renderMetrics(raw: MetricsResult, options: {sparkline: boolean; colors?: Colors}): string {
  const r = terminalSafeDeep(raw)
  const c = options.colors ?? noColors
  const header = ['', 'REQUESTS', '4XX', '5XX', 'P50', 'P99', 'INTEGRATION P50', 'CACHE HITS']
  if (options.sparkline) header.push('REQUESTS PER PERIOD')
  const rows = [header]
  for (const row of r.rows) {
    const cells = [
      row.key === 'stage' ? r.stage : row.key,
      String(row.requests),
      pct(row.rate4xx),
      row.rate5xx !== null && row.rate5xx > 0 ? c.red(pct(row.rate5xx)) : pct(row.rate5xx),
      ms(row.latencyP50),
      ms(row.latencyP99),
      ms(row.integrationLatencyP50),
      pct(row.cacheHitRatio),
    ]
    if (options.sparkline) cells.push(sparkline(row.series.map((p) => p.requests)))
    rows.push(cells)
  }
  const minutes = r.period / 60
  const head =
    `${c.bold(r.api)} ${r.stage} (${r.type === 'rest' ? 'REST' : 'HTTP'} API ${r.apiId}): ` +
    `${r.since.slice(0, 16).replace('T', ' ')} to ${r.until.slice(0, 16).replace('T', ' ')} UTC, ` +
    `${minutes < 60 ? `${minutes} min` : `${minutes / 60} h`} periods`
  const table_ = table(rows)
  const [first, ...rest] = table_.split('\n')
  const note =
    r.by !== 'stage' && r.rows.length === 1
      ? `\nNo ${r.by} has metrics: turn on detailed metrics (metrics: true on the stage in apigw.yaml) and deploy.`
      : ''
  return [head, '', c.bold(first ?? ''), ...rest].join('\n') + note
}
