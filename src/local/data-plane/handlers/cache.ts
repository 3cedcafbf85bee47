/**
 * Chain step (after validation, before the integration request): the stage cache. A method is cached when its
 * stage has `cacheClusterEnabled` and its method setting (its own, else `*∕*`) has `cachingEnabled`; through the
 * stage default only GET is cached, as AWS does. A hit answers from the cache and skips the integration; the
 * response carries no sign of it (as on AWS): only the execution log says hit or miss. A miss is stored by
 * `storeInCache` once the method response is made (2xx answers only). `Cache-Control: max-age=0` invalidates the
 * entry when `requireAuthorizationForCacheControl` is off; when it is on, the request is not authorized to
 * invalidate locally (no IAM policy is evaluated) and `unauthorizedCacheControlHeaderStrategy` decides:
 * FAIL_WITH_403 refuses it (403 ACCESS_DENIED), the SUCCEED_* strategies ignore the header.
 */
import type {ChainHandler, InvocationContext} from '../context.ts'
import {logInfo} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {getFirst} from '../headers.ts'
import {evaluateSource} from '../mapping.ts'
import {clusterBytes} from '../traffic/cache.ts'
import {methodSettingOf} from '../traffic/limits.ts'

function cacheKey(ctx: InvocationContext, verb: string): string {
  const route = ctx.route!
  const params = [...(route.method.methodIntegration?.cacheKeyParameters ?? [])].sort()
  const parts = params.map((p) => `${p}=${JSON.stringify(evaluateSource(p, {ctx}) ?? null)}`)
  return [`${verb} ${route.resource.path}`, ...parts].join('\n')
}

export const cacheLookup: ChainHandler = (ctx) => {
  const route = ctx.route
  const stage = ctx.stage
  if (!route || !stage || ctx.testInvoke || !stage.cacheClusterEnabled) return
  const verb = ctx.request.method
  const verbs = route.declaredMethod === verb ? [verb] : [verb, route.declaredMethod]
  const found = methodSettingOf(stage.methodSettings, route.resource.path, verbs)
  if (!found?.setting.cachingEnabled || (!found.own && verb !== 'GET')) return
  const cache = ctx.deps.traffic.cache
  const apiId = ctx.target.apiId
  const key = cacheKey(ctx, verb)
  const nowMs = ctx.deps.now().getTime()
  ctx.cache = {key, ttlMs: found.setting.cacheTtlInSeconds * 1000, hit: false, capacity: clusterBytes(stage.cacheClusterSize)}
  const control = getFirst(ctx.request.headers, 'cache-control')
  if (control && /(?:^|,)\s*max-age\s*=\s*0\s*(?:,|$)/i.test(control)) {
    if (!found.setting.requireAuthorizationForCacheControl) {
      cache.invalidate(apiId, stage.stageName, key)
      logInfo(ctx, 'Cache entry invalidated by the Cache-Control header; the integration is called')
      return
    }
    if (found.setting.unauthorizedCacheControlHeaderStrategy === 'FAIL_WITH_403') {
      logInfo(ctx, 'Cache invalidation refused: the caller is not authorized to invalidate the cache')
      throw new GatewayError('ACCESS_DENIED')
    }
    logInfo(ctx, 'Cache-Control header ignored: the caller is not authorized to invalidate the cache')
  }
  const hit = cache.get(apiId, stage.stageName, key, nowMs)
  if (hit) {
    ctx.cache.hit = true
    ctx.response = {status: hit.status, headers: hit.headers.map(([k, v]) => [k, v]), body: hit.body}
    logInfo(ctx, 'Cache hit: the method response is served from the stage cache')
    return
  }
  logInfo(ctx, `Cache miss: the integration is called (cache TTL ${found.setting.cacheTtlInSeconds} s)`)
}

/** After the chain: keep a missed method response (2xx) for the method's TTL. */
export function storeInCache(ctx: InvocationContext): void {
  const c = ctx.cache
  const response = ctx.response
  if (!c || c.hit || ctx.error || !response || response.status < 200 || response.status > 299 || !ctx.stage) return
  const nowMs = ctx.deps.now().getTime()
  const kept = ctx.deps.traffic.cache.put(ctx.target.apiId, ctx.stage.stageName, c.key, response, c.ttlMs, nowMs, c.capacity)
  if (!kept) logInfo(ctx, 'The method response is not cached: it is over the 1 MiB item limit')
}
