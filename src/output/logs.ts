/**
 * `apigw logs` output: one human line per event (JSON access logs as time, coloured status, method, path,
 * latency, request id; other lines as time and message), or one NDJSON object per event.
 */
import type {LogsResult, StageLogEvent} from '../services/logs/logs.ts'
import type {Colors} from './findings.ts'
import {terminalSafe} from './terminal-text.ts'

export type LogColors = Colors & {green?: (s: string) => string}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' && v !== '-' ? terminalSafe(v) : typeof v === 'number' ? String(v) : undefined

/** A JSON access-log line as an object, else undefined. */
function parseRecord(message: string): Record<string, unknown> | undefined {
  if (!message.trimStart().startsWith('{')) return undefined
  try {
    const v: unknown = JSON.parse(message)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** `2026-01-31 12:00:00.123` in UTC. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}

export function colorStatus(status: string, c: LogColors): string {
  const padded = status.padEnd(3)
  if (status.startsWith('5')) return c.red(padded)
  if (status.startsWith('4')) return c.yellow(padded)
  if (status.startsWith('3')) return c.blue(padded)
  if (status.startsWith('2')) return c.green ? c.green(padded) : padded
  return padded
}

/** One event as a human line (no trailing newline). */
export function renderLogLine(e: StageLogEvent, c: LogColors): string {
  const time = c.dim(formatTime(e.timestamp))
  const f = e.kind === 'access' ? parseRecord(e.message) : undefined
  if (e.kind === 'access' && f && (str(f.status) || str(f.httpMethod))) {
    const status = colorStatus(str(f.status) ?? '-', c)
    const method = (str(f.httpMethod) ?? '-').padEnd(6)
    // HTTP APIs log the route key (`GET /pets`), in routeKey or, with apigw's json format, in resourcePath.
    const path = (str(f.resourcePath) ?? str(f.routeKey) ?? str(f.path) ?? '-').replace(
      /^(?:ANY|GET|PUT|POST|DELETE|PATCH|HEAD|OPTIONS)\s+/,
      '',
    )
    const latency = str(f.integrationLatency) ?? str(f.responseLatency) ?? str(f.latency)
    const parts = [time, status, `${method} ${path}`]
    parts.push(latency ? `${latency} ms` : '-')
    parts.push(c.dim(str(f.requestId) ?? '-'))
    return parts.join('  ')
  }
  const label = e.kind === 'execution' ? c.dim('exec ') : ''
  return `${time}  ${label}${terminalSafe(e.message.replace(/\n+$/, ''))}`
}

/** One event as an NDJSON object (no trailing newline). Built by hand: this is the hot path of `--since 1h`. */
export function renderLogJson(e: StageLogEvent): string {
  let out =
    `{"time":"${new Date(e.timestamp).toISOString()}","timestamp":` +
    `${e.timestamp},"type":"${e.kind}","logGroup":${JSON.stringify(e.logGroup)}`
  if (e.logStream) out += `,"logStream":${JSON.stringify(e.logStream)}`
  if (e.eventId) out += `,"eventId":${JSON.stringify(e.eventId)}`
  return `${out},"message":${JSON.stringify(e.message)}}`
}

/** A batch of events as text ready for stdout (each line ends in a newline). */
export function renderLogBatch(events: StageLogEvent[], mode: 'human' | 'ndjson', c: LogColors): string {
  let out = ''
  for (const e of events) out += `${mode === 'ndjson' ? renderLogJson(e) : renderLogLine(e, c)}\n`
  return out
}

/** The closing line on stderr for humans. */
export function renderLogsSummary(r: LogsResult): string {
  const groups = r.groups.map((g) => `${g.name} (${g.kind})`).join(', ')
  return `${r.events} event${r.events === 1 ? '' : 's'} from ${groups} since ${r.since}${r.until ? ` until ${r.until}` : ''}.`
}
