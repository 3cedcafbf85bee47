/**
 * Stage settings: apigw.yaml's stage block → the normalised StageSettings, the AWS stage (v1 or v2) → the
 * same shape, the field-by-field comparison, and the UpdateStage patch operations (v1) or input (v2)
 * that turn one into the other. Pure.
 */
import type {HttpStageInput, PatchOperation, SettingChange, StageSettings} from './types.ts'

/** API Gateway's defaults for a `*∕*` method setting (AWS GetStage after a first patch). */
export const METHOD_DEFAULTS = {rateLimit: 10000, burstLimit: 5000, ttlSeconds: 300}

/** Access-log format `json`: one line with the $context fields apigw's `logs` command reads. */
export const ACCESS_LOG_FIELDS_REST: Record<string, string> = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.identity.user',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
}

/** HTTP APIs have no $context.resourcePath: the route key stands in for it. */
export const ACCESS_LOG_FIELDS_HTTP: Record<string, string> = {...ACCESS_LOG_FIELDS_REST, resourcePath: '$context.routeKey'}

/** The format string for `accessLogs.format` (json, clf, or a custom one-line format). */
export function accessLogFormat(format: string | undefined, type: 'rest' | 'http'): string {
  const f = format ?? 'json'
  if (f === 'json') {
    const fields = type === 'rest' ? ACCESS_LOG_FIELDS_REST : ACCESS_LOG_FIELDS_HTTP
    const parts = Object.entries(fields).map(([k, v]) => `"${k}":"${v}"`)
    return `{${parts.join(',')}}`
  }
  if (f === 'clf') {
    return (
      '$context.identity.sourceIp $context.identity.caller $context.identity.user [$context.requestTime] "$context.httpMethod ' +
      '$context.resourcePath $context.protocol" $context.status $context.responseLength $context.requestId'
    )
  }
  return f
}

/** The predictable access-log group of a stage. */
export const accessLogGroupName = (api: string, stage: string): string => `/apigw/${api}/${stage}/access`

export type StageConfigLike = {
  description?: string
  variables?: Record<string, string | number | boolean>
  throttling?: {rateLimit?: number; burstLimit?: number}
  caching?: {enabled?: boolean; ttlSeconds?: number; clusterSize?: string; encrypted?: boolean}
  accessLogs?: {format?: string; logGroup?: string; retentionDays?: number}
  executionLogs?: {level?: 'OFF' | 'ERROR' | 'INFO'; dataTrace?: boolean}
  metrics?: boolean
  tracing?: boolean
}

/** apigw.yaml's stage block → StageSettings. `logGroupArn` is the access-log destination (or a placeholder). */
export function desiredSettings(stage: StageConfigLike, type: 'rest' | 'http', logGroupArn: string | undefined): StageSettings {
  const caching = stage.caching ?? {}
  const enabled = caching.enabled ?? false
  return {
    description: stage.description,
    variables: Object.fromEntries(Object.entries(stage.variables ?? {}).map(([k, v]) => [k, String(v)])),
    throttling: {rateLimit: stage.throttling?.rateLimit, burstLimit: stage.throttling?.burstLimit},
    caching: {
      enabled,
      ttlSeconds: caching.ttlSeconds ?? METHOD_DEFAULTS.ttlSeconds,
      encrypted: caching.encrypted ?? false,
      cluster: enabled,
      clusterSize: enabled ? (caching.clusterSize ?? '0.5') : undefined,
    },
    metrics: stage.metrics ?? false,
    executionLogs: {level: stage.executionLogs?.level ?? 'OFF', dataTrace: stage.executionLogs?.dataTrace ?? false},
    accessLogs:
      stage.accessLogs && logGroupArn ? {destinationArn: logGroupArn, format: accessLogFormat(stage.accessLogs.format, type)} : undefined,
    tracing: stage.tracing ?? false,
  }
}

type MethodSettingLike = {
  metricsEnabled?: boolean
  loggingLevel?: string
  dataTraceEnabled?: boolean
  throttlingBurstLimit?: number
  throttlingRateLimit?: number
  cachingEnabled?: boolean
  cacheTtlInSeconds?: number
  cacheDataEncrypted?: boolean
}
export type RestStageLike = {
  deploymentId?: string
  description?: string
  variables?: Record<string, string>
  methodSettings?: Record<string, MethodSettingLike>
  cacheClusterEnabled?: boolean
  cacheClusterSize?: string
  accessLogSettings?: {destinationArn?: string; format?: string}
  tracingEnabled?: boolean
}

/** A v1 GetStage answer → StageSettings. Throttling equal to API Gateway's defaults counts as unset. */
export function restStageSettings(stage: RestStageLike): StageSettings {
  const m = stage.methodSettings?.['*/*'] ?? {}
  const rate = m.throttlingRateLimit
  const burst = m.throttlingBurstLimit
  const access = stage.accessLogSettings
  return {
    description: stage.description,
    variables: {...(stage.variables ?? {})},
    throttling: {
      rateLimit: rate === undefined || rate === METHOD_DEFAULTS.rateLimit ? undefined : rate,
      burstLimit: burst === undefined || burst === METHOD_DEFAULTS.burstLimit ? undefined : burst,
    },
    caching: {
      enabled: m.cachingEnabled ?? false,
      ttlSeconds: m.cacheTtlInSeconds ?? METHOD_DEFAULTS.ttlSeconds,
      encrypted: m.cacheDataEncrypted ?? false,
      cluster: stage.cacheClusterEnabled ?? false,
      clusterSize: stage.cacheClusterEnabled ? stage.cacheClusterSize : undefined,
    },
    metrics: m.metricsEnabled ?? false,
    executionLogs: {level: m.loggingLevel ?? 'OFF', dataTrace: m.dataTraceEnabled ?? false},
    accessLogs: access?.destinationArn ? {destinationArn: access.destinationArn, format: access.format ?? ''} : undefined,
    tracing: stage.tracingEnabled ?? false,
  }
}

export type HttpStageLike = {
  DeploymentId?: string
  Description?: string
  StageVariables?: Record<string, string>
  DefaultRouteSettings?: {DetailedMetricsEnabled?: boolean; ThrottlingBurstLimit?: number; ThrottlingRateLimit?: number}
  AccessLogSettings?: {DestinationArn?: string; Format?: string}
  AutoDeploy?: boolean
}

/** A v2 GetStage answer → StageSettings (caching, execution logs and tracing do not exist there). */
export function httpStageSettings(stage: HttpStageLike): StageSettings {
  const r = stage.DefaultRouteSettings ?? {}
  const access = stage.AccessLogSettings
  return {
    description: stage.Description,
    // apigw removes an HTTP stage variable by sending it empty (v2 UpdateStage merges the map): empty is unset.
    variables: Object.fromEntries(Object.entries(stage.StageVariables ?? {}).filter(([, v]) => v !== '')),
    throttling: {rateLimit: r.ThrottlingRateLimit, burstLimit: r.ThrottlingBurstLimit},
    caching: {enabled: false, ttlSeconds: METHOD_DEFAULTS.ttlSeconds, encrypted: false, cluster: false},
    metrics: r.DetailedMetricsEnabled ?? false,
    executionLogs: {level: 'OFF', dataTrace: false},
    accessLogs: access?.DestinationArn ? {destinationArn: access.DestinationArn, format: access.Format ?? ''} : undefined,
    tracing: false,
  }
}

/** For HTTP APIs only the settings that exist there are compared. */
export function restrictToHttp(s: StageSettings): StageSettings {
  return {
    ...s,
    caching: {enabled: false, ttlSeconds: METHOD_DEFAULTS.ttlSeconds, encrypted: false, cluster: false},
    executionLogs: {level: 'OFF', dataTrace: false},
    tracing: false,
  }
}

/** Field-by-field differences, sorted by setting name. `managesDescription` false leaves the description alone. */
export function compareSettings(actual: StageSettings, desired: StageSettings, managesDescription: boolean): SettingChange[] {
  const out: SettingChange[] = []
  const cmp = (setting: string, from: unknown, to: unknown) => {
    if (from !== to) out.push({setting, from: from ?? null, to: to ?? null})
  }
  if (managesDescription) cmp('description', actual.description, desired.description)
  for (const k of new Set([...Object.keys(actual.variables), ...Object.keys(desired.variables)]))
    cmp(`variables.${k}`, actual.variables[k], desired.variables[k])
  cmp('throttling.rateLimit', actual.throttling.rateLimit, desired.throttling.rateLimit)
  cmp('throttling.burstLimit', actual.throttling.burstLimit, desired.throttling.burstLimit)
  cmp('caching.enabled', actual.caching.enabled, desired.caching.enabled)
  cmp('caching.ttlSeconds', actual.caching.ttlSeconds, desired.caching.ttlSeconds)
  cmp('caching.encrypted', actual.caching.encrypted, desired.caching.encrypted)
  cmp('caching.cluster', actual.caching.cluster, desired.caching.cluster)
  if (desired.caching.cluster) cmp('caching.clusterSize', actual.caching.clusterSize, desired.caching.clusterSize)
  cmp('metrics', actual.metrics, desired.metrics)
  cmp('executionLogs.level', actual.executionLogs.level, desired.executionLogs.level)
  cmp('executionLogs.dataTrace', actual.executionLogs.dataTrace, desired.executionLogs.dataTrace)
  cmp('accessLogs.destinationArn', actual.accessLogs?.destinationArn, desired.accessLogs?.destinationArn)
  cmp('accessLogs.format', actual.accessLogs?.format, desired.accessLogs?.format)
  cmp('tracing', actual.tracing, desired.tracing)
  return out.sort((a, b) => (a.setting < b.setting ? -1 : a.setting > b.setting ? 1 : 0))
}

export type PatchOp = PatchOperation

const esc = (name: string) => name.replace(/~/g, '~0').replace(/\//g, '~1')

/** v1 UpdateStage patch operations for the changes (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html). */
export function restPatchOperations(changes: SettingChange[], desired: StageSettings): PatchOp[] {
  const ops: PatchOp[] = []
  const str = (v: unknown) => String(v)
  let accessDone = false
  for (const c of changes) {
    const [group, ...rest] = c.setting.split('.')
    const name = rest.join('.')
    switch (group) {
      case 'description':
        ops.push({op: 'replace', path: '/description', value: desired.description ?? ''})
        break
      case 'variables':
        if (c.to === null) ops.push({op: 'remove', path: `/variables/${esc(name)}`})
        else ops.push({op: 'replace', path: `/variables/${esc(name)}`, value: str(c.to)})
        break
      case 'throttling': {
        const def = name === 'rateLimit' ? METHOD_DEFAULTS.rateLimit : METHOD_DEFAULTS.burstLimit
        ops.push({op: 'replace', path: `/*/*/throttling/${name}`, value: str(c.to ?? def)})
        break
      }
      case 'caching':
        if (name === 'enabled') ops.push({op: 'replace', path: '/*/*/caching/enabled', value: str(c.to)})
        else if (name === 'ttlSeconds') ops.push({op: 'replace', path: '/*/*/caching/ttlInSeconds', value: str(c.to)})
        else if (name === 'encrypted') ops.push({op: 'replace', path: '/*/*/caching/dataEncrypted', value: str(c.to)})
        else if (name === 'cluster') ops.push({op: 'replace', path: '/cacheClusterEnabled', value: str(c.to)})
        else if (name === 'clusterSize' && c.to !== null) ops.push({op: 'replace', path: '/cacheClusterSize', value: str(c.to)})
        break
      case 'metrics':
        ops.push({op: 'replace', path: '/*/*/metrics/enabled', value: str(c.to)})
        break
      case 'executionLogs':
        ops.push({op: 'replace', path: name === 'level' ? '/*/*/logging/loglevel' : '/*/*/logging/dataTrace', value: str(c.to)})
        break
      case 'accessLogs':
        if (accessDone) break
        accessDone = true
        if (!desired.accessLogs) ops.push({op: 'remove', path: '/accessLogSettings'})
        else {
          ops.push({op: 'replace', path: '/accessLogSettings/destinationArn', value: desired.accessLogs.destinationArn})
          ops.push({op: 'replace', path: '/accessLogSettings/format', value: desired.accessLogs.format})
        }
        break
      case 'tracing':
        ops.push({op: 'replace', path: '/tracingEnabled', value: str(c.to)})
        break
    }
  }
  return ops
}

/** v2 UpdateStage fields for the changes (HTTP APIs take whole members, not patches). Removed variables are sent empty. */
export function httpStageUpdate(changes: SettingChange[], desired: StageSettings): HttpStageInput {
  const out: HttpStageInput = {}
  const vars: Record<string, string> = {}
  for (const c of changes) {
    const [group, ...rest] = c.setting.split('.')
    const name = rest.join('.')
    if (group === 'description') out.Description = desired.description ?? ''
    else if (group === 'variables') vars[name] = c.to === null ? '' : String(c.to)
    else if (group === 'throttling' || group === 'metrics') {
      out.DefaultRouteSettings = {
        DetailedMetricsEnabled: desired.metrics,
        ...(desired.throttling.rateLimit === undefined ? {} : {ThrottlingRateLimit: desired.throttling.rateLimit}),
        ...(desired.throttling.burstLimit === undefined ? {} : {ThrottlingBurstLimit: desired.throttling.burstLimit}),
      }
    } else if (group === 'accessLogs' && desired.accessLogs) {
      out.AccessLogSettings = {DestinationArn: desired.accessLogs.destinationArn, Format: desired.accessLogs.format}
    }
  }
  if (Object.keys(vars).length > 0) out.StageVariables = vars
  return out
}
