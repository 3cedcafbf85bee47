/**
 * Throttling of HTTP API stages (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html):
 * the stage's `defaultRouteSettings` limits apply to each route, a route's own `routeSettings[routeKey]` override
 * them; a token bucket per stage and route (capacity = burst, refilled at the rate per second) on the data
 * plane's clock. An empty bucket is 429 `Too Many Requests`, before the authorizer and the integration run.
 */
import type {RouteSettings, StageDoc} from '../../control-plane/v2/common.ts'
import {BucketSet, type Limit} from '../traffic/token-bucket.ts'

/** The limit a route meets: its own route settings, else the stage's defaults; undefined when neither throttles. */
export function routeLimit(stage: StageDoc, routeKey: string): Limit | undefined {
  const own = stage.routeSettings?.[routeKey]
  const pick = (s: RouteSettings | undefined) =>
    s && (s.throttlingRateLimit !== undefined || s.throttlingBurstLimit !== undefined) ? s : undefined
  const s = pick(own) ?? pick(stage.defaultRouteSettings)
  if (!s) return undefined
  // Only one of the two set: a missing rate refills without limit, a missing burst is the rate rounded up.
  const rateLimit = s.throttlingRateLimit ?? Number.POSITIVE_INFINITY
  const burstLimit = s.throttlingBurstLimit ?? Math.max(1, Math.ceil(rateLimit))
  return {rateLimit, burstLimit}
}

/** Buckets per API, stage and route, in memory (a restart refills them, as on AWS): the REST stages' token buckets. */
export class RouteBuckets {
  private readonly buckets = new BucketSet()

  /** Whether the request may go on (one token taken), or false for a 429. */
  admit(apiId: string, stage: StageDoc, routeKey: string, nowMs: number): boolean {
    const limit = routeLimit(stage, routeKey)
    if (!limit) return true
    const id = `${apiId}/${stage.stageName}/${routeKey}`
    return this.buckets.admit([{id, limit, describe: `route ${routeKey}`}], nowMs) === undefined
  }
}
