/**
 * Chain step (after the API key): throttling, then the quota. Token buckets in AWS's order (traffic/limits.ts):
 * the key's per-method and plan limits, the stage's method settings, the account's; an empty bucket is 429
 * THROTTLED (`Too Many Requests`). Then the key's usage-plan quota for the window: spent is 429
 * QUOTA_EXCEEDED (`Limit Exceeded`); otherwise the request counts as the key's usage for the day. A throttled
 * request spends no quota. Every bucket and window reads the data plane's clock (`deps.now`).
 */
import {ACCOUNT_ID, type AccountDoc, defaultAccount} from '../../control-plane/v1/account.ts'
import {KIND} from '../../control-plane/model.ts'
import type {ChainHandler} from '../context.ts'
import {logError} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'

const DEFAULT_ACCOUNT = defaultAccount()

export const throttle: ChainHandler = (ctx) => {
  const route = ctx.route
  if (!route || ctx.testInvoke) return
  const traffic = ctx.deps.traffic
  const nowMs = ctx.deps.now().getTime()
  const verbs = route.declaredMethod === ctx.request.method ? [ctx.request.method] : [ctx.request.method, route.declaredMethod]
  const key = ctx.apiKey
  const checks = traffic.throttleChecks.checks({
    apiId: ctx.target.apiId,
    stageName: ctx.target.stageName ?? '',
    resourcePath: route.resource.path,
    resourceId: route.resource.id,
    verbs,
    methodSettings: ctx.stage?.methodSettings,
    key: key ? {id: key.id, plan: key.plan} : undefined,
    account: (ctx.deps.docs.get<AccountDoc>(KIND.account, ACCOUNT_ID) ?? DEFAULT_ACCOUNT).throttleSettings,
  })
  const refused = traffic.buckets.admit(checks, nowMs)
  if (refused) {
    logError(ctx, refused.describe)
    throw new GatewayError('THROTTLED')
  }
  if (!key) return
  const quota = traffic.usage.consume(key.plan, key.id, nowMs)
  if (!quota.admitted) {
    logError(ctx, `Key quota exhausted for Usage Plan ID ${key.plan.id}`)
    throw new GatewayError('QUOTA_EXCEEDED')
  }
}
