/**
 * Throttling of HTTP API stages (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html):
 * the stage's `defaultRouteSettings` limits apply to each route, a route's own `routeSettings[routeKey]` override
 * them; a token bucket per stage and route (capacity = burst, refilled at the rate per second) on the data
 * plane's clock. An empty bucket is 429 `Too Many Requests`, before the authorizer and the integration run.
 */
import type {RouteSettings, StageDoc} from '../../control-plane/v2/common.ts'

type Limit = {rateLimit: number; burstLimit: number}

// TODO(#11): share the access engineer's token buckets (src/local/data-plane/traffic/) once they are on main.
class Bucket {
  private tokens: number
  private last: number
  limit: Limit
  constructor(limit: Limit, nowMs: number) {
    this.limit = limit
    this.tokens = limit.burstLimit
    this.last = nowMs
  }

  take(nowMs: number): boolean {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.limit.burstLimit, this.tokens + ((nowMs - this.last) / 1000) * this.limit.rateLimit)
      this.last = nowMs
    }
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}

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

/** Buckets per API, stage and route, in memory (a restart refills them, as on AWS). */
export class RouteBuckets {
  private readonly buckets = new Map<string, Bucket>()

  /** Whether the request may go on (one token taken), or false for a 429. */
  admit(apiId: string, stage: StageDoc, routeKey: string, nowMs: number): boolean {
    const limit = routeLimit(stage, routeKey)
    if (!limit) return true
    const id = `${apiId}/${stage.stageName}/${routeKey}`
    let bucket = this.buckets.get(id)
    if (!bucket) {
      bucket = new Bucket(limit, nowMs)
      this.buckets.set(id, bucket)
    } else if (bucket.limit.rateLimit !== limit.rateLimit || bucket.limit.burstLimit !== limit.burstLimit) bucket.limit = limit
    return bucket.take(nowMs)
  }
}
