/**
 * Checks of `alarms:` in apigw.yaml the schema cannot make: the stage is one the API declares, the metric is one
 * of its type (REST `5XXError`, HTTP `5xx`), method and resource go together (REST), route is HTTP only, and
 * datapointsToAlarm fits evaluationPeriods. Each problem names file:line:column and the key, with a guess.
 */
import {createLocator} from '../spec/locate.ts'
import {InputProblem} from '../spec/problem.ts'
import {closest} from '../words.ts'

/** A CloudWatch alarm on an API's metrics (reconciled by core/plan/alarms.ts). */
export type AlarmConfig = {
  stage: string
  metric: string
  statistic?: string
  threshold: number
  period?: number
  evaluationPeriods?: number
  datapointsToAlarm?: number
  comparison?: string
  treatMissingData?: 'missing' | 'notBreaching' | 'breaching' | 'ignore'
  actions?: string[]
  okActions?: string[]
  description?: string
  method?: string
  resource?: string
  route?: string
}

/** API Gateway's metrics by API type, as CloudWatch names them. */
export const ALARM_METRICS = {
  rest: ['Count', '4XXError', '5XXError', 'Latency', 'IntegrationLatency', 'CacheHitCount', 'CacheMissCount'],
  http: ['Count', '4xx', '5xx', 'Latency', 'IntegrationLatency', 'DataProcessed'],
} as const

type ConfigWithAlarms = {apis: Record<string, {type?: string; stages?: Record<string, unknown>; alarms?: Record<string, AlarmConfig>}>}

export function checkAlarms(path: string, text: string, config: ConfigWithAlarms): void {
  for (const [apiName, api] of Object.entries(config.apis)) {
    const alarms = api.alarms
    for (const [key, alarm] of Object.entries(alarms ?? {})) {
      const at = (field: string, message: string, hint: string): never => {
        const tokens = ['apis', apiName, 'alarms', key, ...(field ? [field] : [])]
        const pos = createLocator(path, text)(`#/${tokens.map((t) => t.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`) ?? {
          line: 1,
          column: 1,
        }
        throw new InputProblem('CONFIG_INVALID', `${path}:${pos.line}:${pos.column}: "${tokens.join('.')}" ${message}`, {
          hint,
          details: {file: path, line: pos.line, column: pos.column, key: tokens.join('.')},
        })
      }
      const type = api.type ?? 'rest'
      if (type === 'websocket')
        at('', 'is an alarm of a WebSocket API: apigw reconciles alarms of REST and HTTP APIs only.', 'Remove it from apigw.yaml.')
      const stages = Object.keys(api.stages ?? {})
      if (!stages.includes(alarm.stage)) {
        const guess = closest(alarm.stage, stages)
        at(
          'stage',
          `names stage "${alarm.stage}", which ${apiName} does not declare${guess ? ` (did you mean "${guess}"?)` : ''}.`,
          `Use one of the stages of ${apiName}: ${stages.join(', ') || '(none)'}.`,
        )
      }
      const metrics: readonly string[] = ALARM_METRICS[type as 'rest' | 'http']
      if (!metrics.includes(alarm.metric)) {
        // The other type's name of the same metric (5xx ↔ 5XXError) first, then the nearest spelling.
        const lower = alarm.metric.toLowerCase()
        const guess =
          metrics.find((m) => m.toLowerCase().startsWith(lower) || lower.startsWith(m.toLowerCase())) ?? closest(alarm.metric, [...metrics])
        at(
          'metric',
          `is ${JSON.stringify(alarm.metric)}, not a metric of ${type === 'rest' ? 'REST' : 'HTTP'} APIs` +
            `${guess ? ` (did you mean "${guess}"?)` : ''}.`,
          `Use one of ${metrics.join(', ')}.`,
        )
      }
      if (type === 'rest' && (alarm.method === undefined) !== (alarm.resource === undefined))
        at(
          alarm.method === undefined ? 'resource' : 'method',
          'needs both method and resource.',
          'Add the other one, e.g. method: GET, resource: /pets.',
        )
      if (type === 'rest' && alarm.route !== undefined) at('route', 'is for HTTP APIs.', 'Use method and resource for a REST API.')
      if (type === 'http' && (alarm.method !== undefined || alarm.resource !== undefined))
        at(alarm.method !== undefined ? 'method' : 'resource', 'is for REST APIs.', 'Use route (e.g. route: GET /pets) for an HTTP API.')
      if (alarm.datapointsToAlarm !== undefined && alarm.datapointsToAlarm > (alarm.evaluationPeriods ?? 1))
        at('datapointsToAlarm', 'is more than evaluationPeriods.', 'Make datapointsToAlarm at most evaluationPeriods (default 1).')
    }
  }
}
