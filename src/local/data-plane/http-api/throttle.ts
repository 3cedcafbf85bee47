/**
 * Throttling of HTTP API stages (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html):
 * the stage's `defaultRouteSettings` limits apply to each route, a route's own `routeSettings[routeKey]` override
 * them; a token bucket per stage and route (capacity = burst, refilled at the rate per second) on the data
 * plane's clock, then the account's limit (GetAccount's throttleSettings). An empty bucket is 429 `Too Many
 * Requests`, before the authorizer and the integration run.
 */
import type {RouteSettings, StageDoc} from '../../control-plane/v2/common.ts'
import {type BucketCheck, BucketSet, type Limit} from '../traffic/token-bucket.ts'

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

/**
 * Buckets per API, stage and route, then the account's bucket (AWS's order: route/stage limits, then the
 * account's), all held in the data plane's bucket set (traffic/), so the account bucket is the one REST stages
 * take from too. In memory: a restart refills them, as on AWS.
 */
export class RouteBuckets {
  private readonly buckets: BucketSet

  constructor(buckets: BucketSet = new BucketSet()) {
    this.buckets = buckets
  }

  /** Whether the request may go on (one token taken from each bucket), or false for a 429. */
  admit(apiId: string, stage: StageDoc, routeKey: string, nowMs: number, account?: Limit): boolean {
    const limit = routeLimit(stage, routeKey)
    const checks: BucketCheck[] = []
    if (limit) checks.push({id: `${apiId}/${stage.stageName}/${routeKey}`, limit, describe: `route ${routeKey}`})
    // The id REST's account check uses (traffic/limits.ts): one bucket for the account across API types.
    if (account) checks.push({id: 'account', limit: account, describe: 'account'})
    return checks.length === 0 || this.buckets.admit(checks, nowMs) === undefined
  }
}
