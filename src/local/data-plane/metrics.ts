/**
 * API Gateway's CloudWatch metrics (namespace AWS/ApiGateway), recorded by the data plane when a request is
 * finished (next to its access log), at the injected clock's time, into the emulator's MetricStore:
 * - REST: Count, 4XXError, 5XXError (0 or 1 per request, so Average is the rate), Latency, IntegrationLatency
 *   (Milliseconds), CacheHitCount and CacheMissCount (when the method is cached); dimensions ApiName,
 *   ApiName+Stage, and ApiName+Method+Resource+Stage when the method's settings have `metricsEnabled`.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-metrics-and-dimensions.html
 * - HTTP: Count, 4xx, 5xx, Latency, IntegrationLatency, DataProcessed (Bytes); dimensions ApiId, ApiId+Stage,
 *   and ApiId+Stage+Route with `detailedMetricsEnabled`.
 *   https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 * - WebSocket: ConnectCount, MessageCount, ClientError, IntegrationError, ExecutionError; the same dimensions
 *   as HTTP APIs. https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-logging.html
 */
import type {Dimension, MetricStore} from '../cloudwatch/metric-store.ts'
import type {InvocationContext} from './context.ts'
import type {HttpApiContext} from './http-api/context.ts'
import {methodSettingOf} from './traffic/limits.ts'

export const NAMESPACE = 'AWS/ApiGateway'

/** AWS drops non-ASCII characters from ApiName; with none left, the API id is used. */
export function apiNameDimension(name: string | undefined, apiId: string): string {
  const ascii = (name ?? '').replace(/[^\x20-\x7e]/g, '')
  return ascii === '' ? apiId : ascii
}

type Sets = Dimension[][]

/**
 * Record `value` of metric `name` under each set of dimensions, into series looked up once per `id` (the API, stage
 * and method or route the sets name).
 */
function putVia(metrics: MetricStore, id: string, sets: () => Sets, name: string, value: number, unit: string, atMs: number): void {
  for (const series of metrics.seriesFor(id, NAMESPACE, name, unit, sets)) metrics.add(series, value, atMs)
}

/** A REST API request, once answered. */
export function recordRestRequest(ctx: InvocationContext, metrics: MetricStore): void {
  const stage = ctx.stage
  if (!stage || ctx.testInvoke) return
  const name = ctx.deployment?.snapshot.settings.name
  const route = ctx.route
  let detailed = false
  if (route) {
    const verbs = route.declaredMethod === ctx.request.method ? [route.declaredMethod] : [ctx.request.method, route.declaredMethod]
    detailed = methodSettingOf(stage.methodSettings, route.resource.path, verbs)?.setting.metricsEnabled === true
  }
  const id =
    detailed && route
      ? `${ctx.target.apiId}\u0000${name}\u0000${stage.stageName}\u0000${route.declaredMethod}\u0000${route.resource.path}`
      : `${ctx.target.apiId}\u0000${name}\u0000${stage.stageName}`
  const sets = (): Sets => {
    const apiName = apiNameDimension(name, ctx.target.apiId)
    const list: Sets = [
      [{Name: 'ApiName', Value: apiName}],
      [
        {Name: 'ApiName', Value: apiName},
        {Name: 'Stage', Value: stage.stageName},
      ],
    ]
    if (detailed && route)
      list.push([
        {Name: 'ApiName', Value: apiName},
        {Name: 'Method', Value: route.declaredMethod},
        {Name: 'Resource', Value: route.resource.path},
        {Name: 'Stage', Value: stage.stageName},
      ])
    return list
  }
  const at = ctx.requestTime.getTime()
  const status = ctx.response?.status ?? 500
  putVia(metrics, id, sets, 'Count', 1, 'Count', at)
  putVia(metrics, id, sets, '4XXError', status >= 400 && status < 500 ? 1 : 0, 'Count', at)
  putVia(metrics, id, sets, '5XXError', status >= 500 ? 1 : 0, 'Count', at)
  putVia(metrics, id, sets, 'Latency', performance.now() - ctx.started, 'Milliseconds', at)
  if (ctx.integrationLatency !== undefined) putVia(metrics, id, sets, 'IntegrationLatency', ctx.integrationLatency, 'Milliseconds', at)
  if (ctx.cache) {
    putVia(metrics, id, sets, 'CacheHitCount', ctx.cache.hit ? 1 : 0, 'Count', at)
    putVia(metrics, id, sets, 'CacheMissCount', ctx.cache.hit ? 0 : 1, 'Count', at)
  }
}

function v2Sets(apiId: string, stageName: string, route: string | undefined, detailed: boolean): Sets {
  const sets: Sets = [
    [{Name: 'ApiId', Value: apiId}],
    [
      {Name: 'ApiId', Value: apiId},
      {Name: 'Stage', Value: stageName},
    ],
  ]
  if (detailed && route)
    sets.push([
      {Name: 'ApiId', Value: apiId},
      {Name: 'Route', Value: route},
      {Name: 'Stage', Value: stageName},
    ])
  return sets
}

type RouteSettingsOf = {
  defaultRouteSettings?: {detailedMetricsEnabled?: boolean}
  routeSettings?: Record<string, {detailedMetricsEnabled?: boolean}>
}

function detailedFor(stage: RouteSettingsOf | undefined, routeKey: string | undefined): boolean {
  if (!stage) return false
  const own = routeKey ? stage.routeSettings?.[routeKey]?.detailedMetricsEnabled : undefined
  return own ?? stage.defaultRouteSettings?.detailedMetricsEnabled ?? false
}

/** An HTTP API request, once answered. */
export function recordHttpRequest(ctx: HttpApiContext, metrics: MetricStore): void {
  if (!ctx.stage || ctx.stageName === undefined) return
  const routeKey = ctx.route?.route.routeKey
  const stageName = ctx.stageName
  const detailed = detailedFor(ctx.stage, routeKey)
  const id = detailed && routeKey ? `${ctx.apiId}\u0000${stageName}\u0000${routeKey}` : `${ctx.apiId}\u0000${stageName}`
  const sets = () => v2Sets(ctx.apiId, stageName, routeKey, detailed)
  const at = ctx.requestTime.getTime()
  const status = ctx.response?.status ?? 500
  putVia(metrics, id, sets, 'Count', 1, 'Count', at)
  putVia(metrics, id, sets, '4xx', status >= 400 && status < 500 ? 1 : 0, 'Count', at)
  putVia(metrics, id, sets, '5xx', status >= 500 ? 1 : 0, 'Count', at)
  putVia(metrics, id, sets, 'Latency', performance.now() - ctx.started, 'Milliseconds', at)
  if (ctx.integrationLatency !== undefined) putVia(metrics, id, sets, 'IntegrationLatency', ctx.integrationLatency, 'Milliseconds', at)
  putVia(metrics, id, sets, 'DataProcessed', ctx.body.length + (ctx.response?.body.length ?? 0), 'Bytes', at)
}

/**
 * A WebSocket event, once answered: `kind` is what the plane saw (a refusal before the integration is a
 * ClientError, an integration that failed to run an ExecutionError, a 4xx/5xx from it an IntegrationError).
 */
export function recordWebSocketEvent(
  metrics: MetricStore,
  input: {apiId: string; stageName: string; routeKey: string; eventType: string; stage?: RouteSettingsOf},
  status: number,
  error: string | undefined,
  atMs: number,
): void {
  const detailed = detailedFor(input.stage, input.routeKey)
  const id = detailed ? `${input.apiId}\u0000${input.stageName}\u0000${input.routeKey}` : `${input.apiId}\u0000${input.stageName}`
  const sets = () => v2Sets(input.apiId, input.stageName, input.routeKey, detailed)
  if (input.eventType === 'CONNECT') putVia(metrics, id, sets, 'ConnectCount', 1, 'Count', atMs)
  else if (input.eventType === 'MESSAGE') putVia(metrics, id, sets, 'MessageCount', 1, 'Count', atMs)
  const client = status >= 400 && status < 500 && error !== undefined
  const execution = status >= 500 && error !== undefined
  putVia(metrics, id, sets, 'ClientError', client ? 1 : 0, 'Count', atMs)
  putVia(metrics, id, sets, 'ExecutionError', execution ? 1 : 0, 'Count', atMs)
  putVia(metrics, id, sets, 'IntegrationError', !client && !execution && status >= 400 ? 1 : 0, 'Count', atMs)
}
