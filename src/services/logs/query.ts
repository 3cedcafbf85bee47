/**
 * The pure half of `apigw logs`: times (`10m`, `2h`, ISO), the stage's log groups from its settings,
 * `--status` / `--request-id` turned into CloudWatch filter patterns (and the same test on the client, for
 * when the user's own `--filter` already takes the pattern slot), and access-log lines parsed for display.
 * Filter syntax: https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
 */
import {CliError} from '../../errors.ts'

export type LogKind = 'access' | 'execution'
export type LogGroupRef = {kind: LogKind; name: string}

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}

/** `10m`, `2h`, `90s`, `1d`, `1w` (before `now`), an ISO date-time, or epoch milliseconds → epoch ms. */
export function parseTime(text: string, now: Date, flag: string): number {
  const t = text.trim()
  const rel = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(t)
  if (rel) return now.getTime() - Math.round(Number(rel[1]) * UNITS[rel[2]!.toLowerCase()]!)
  if (/^\d{12,}$/.test(t)) return Number(t)
  const ms = Date.parse(t)
  if (!Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}/.test(t)) return ms
  throw new CliError('USAGE', `${flag} ${text} is not a time.`, {
    hint: `Use a duration before now (${flag} 10m, 2h, 1d) or an ISO date-time (${flag} 2026-01-31T12:00:00Z).`,
  })
}

/** The log group name inside a CloudWatch Logs ARN (`arn:aws:logs:r:a:log-group:NAME[:*]`), else undefined. */
export function logGroupNameFromArn(arn: string): string | undefined {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(arn)
  return m?.[1]
}

/** REST execution logs: the group API Gateway writes and owns. */
export const executionLogGroupName = (restApiId: string, stageName: string): string =>
  `API-Gateway-Execution-Logs_${restApiId}/${stageName}`

export type StatusTest = {pattern: string; test: (status: unknown) => boolean}

/** `5xx`, `404`, `4xx,500` → a JSON filter clause on `$.status` and the same test in JS. */
export function statusFilter(spec: string): StatusTest {
  const parts = spec
    .split(',')
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
  if (parts.length === 0) throw badStatus(spec)
  const clauses: string[] = []
  const tests: Array<(s: string) => boolean> = []
  for (const p of parts) {
    if (/^[1-5]xx$/.test(p)) {
      // A glob compares the text of the value, so it matches "503" and 503 alike.
      clauses.push(`$.status = ${p[0]}*`)
      tests.push((s) => s.length === 3 && s.startsWith(p[0]!))
    } else if (/^[1-5]\d\d$/.test(p)) {
      // The json access-log format writes "status":"404" (a string); a custom one may write a number.
      clauses.push(`$.status = ${p}`, `$.status = "${p}"`)
      tests.push((s) => s === p)
    } else {
      throw badStatus(spec)
    }
  }
  return {
    pattern: clauses.length === 1 ? clauses[0]! : clauses.map((c) => `(${c})`).join(' || '),
    test: (status) => (typeof status === 'string' || typeof status === 'number' ? tests.some((t) => t(String(status))) : false),
  }
}

function badStatus(spec: string): CliError {
  return new CliError('USAGE', `--status ${spec} is not a status or a class of statuses.`, {
    hint: 'Use --status 5xx, --status 404, or a list: --status 4xx,500.',
  })
}

export type GroupQuery = {
  /** The pattern sent to FilterLogEvents (undefined: every event). */
  pattern: string | undefined
  /** A test the client applies after the service's filter (undefined: none). */
  test: ((message: string) => boolean) | undefined
}

/**
 * The FilterLogEvents pattern of one group. `--filter` is the user's own CloudWatch pattern; a JSON one is
 * combined with the `--status` / `--request-id` clauses (`{ (user) && (ours) }`), otherwise the user's
 * pattern is sent as is and our clauses are tested on the client.
 */
export function groupQuery(
  kind: LogKind,
  options: {filter?: string | undefined; status?: StatusTest | undefined; requestId?: string | undefined},
): GroupQuery {
  const user = options.filter?.trim() || undefined
  if (kind === 'execution') {
    // Execution log lines are text: `(<request id>) Method request path: ...`.
    const id = options.requestId
    if (!id) return {pattern: user, test: undefined}
    if (!user) return {pattern: `"${id.replace(/"/g, '')}"`, test: undefined}
    return {pattern: user, test: (m) => m.includes(id)}
  }
  const clauses: string[] = []
  if (options.status) clauses.push(options.status.pattern)
  if (options.requestId) clauses.push(`$.requestId = "${options.requestId.replace(/"/g, '')}"`)
  if (clauses.length === 0) return {pattern: user, test: undefined}
  const ours = clauses.map((c) => (clauses.length > 1 ? `(${c})` : c)).join(' && ')
  if (!user) return {pattern: `{ ${ours} }`, test: undefined}
  if (user.startsWith('{') && user.endsWith('}')) return {pattern: `{ (${user.slice(1, -1).trim()}) && (${ours}) }`, test: undefined}
  const status = options.status
  const requestId = options.requestId
  return {
    pattern: user,
    test: (message) => {
      const record = parseAccessRecord(message)
      if (!record) return false
      if (status && !status.test(record.status)) return false
      if (requestId && record.requestId !== requestId) return false
      return true
    },
  }
}

/** A JSON access-log line as an object, else undefined. */
export function parseAccessRecord(message: string): Record<string, unknown> | undefined {
  const m = message.trimStart()
  if (!m.startsWith('{')) return undefined
  try {
    const v: unknown = JSON.parse(m)
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
