/**
 * Chain step (after route and the authorizer): the API key of a method with `apiKeyRequired`. The key comes
 * from the `x-api-key` header (`apiKeySource: HEADER`, the default) or from the Lambda authorizer's
 * `usageIdentifierKey` (AUTHORIZER, ctx.authorizer). It must exist, be enabled and be in a usage plan attached
 * to the API and stage; otherwise 403 INVALID_API_KEY (`Forbidden`). Methods without `apiKeyRequired` take no
 * key, and then no usage plan applies (AWS: "without an API key, usage-plan limits do not apply").
 * TestInvokeMethod skips the check, as AWS's test invoke does. Key values never reach the logs.
 */
import type {ChainHandler} from '../context.ts'
import {infoLogged, logError, logInfo} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {getFirst} from '../headers.ts'
import {admitKey} from '../traffic/keys.ts'

export const apiKey: ChainHandler = (ctx) => {
  const route = ctx.route
  if (!route || ctx.testInvoke || !ctx.deployment) return
  if (!route.method.apiKeyRequired) return
  const method = () => `${route.declaredMethod} ${route.resource.path}`
  const stageName = ctx.target.stageName ?? ''
  const source = ctx.deployment.snapshot.settings.apiKeySource ?? 'HEADER'
  const value = source === 'AUTHORIZER' ? ctx.authorizer?.usageIdentifierKey : getFirst(ctx.request.headers, 'x-api-key')
  const outcome = admitKey(ctx.deps.docs, ctx.target.apiId, stageName, value)
  if (typeof outcome === 'string') {
    const why = {
      missing: source === 'AUTHORIZER' ? 'the authorizer returned no usageIdentifierKey' : 'no x-api-key header was sent',
      unknown: 'the key is not an API key of this account',
      disabled: 'the key is disabled',
      'no-plan': `the key is in no usage plan attached to API Stage ${ctx.target.apiId}/${stageName}`,
    }[outcome]
    logError(ctx, `API Key not authorized because method '${method()}' requires API Key and ${why}. Forbidden.`)
    throw new GatewayError('INVALID_API_KEY')
  }
  ctx.apiKey = {id: outcome.key.id, value: outcome.key.value, plan: outcome.plan}
  if (infoLogged(ctx)) {
    logInfo(ctx, `API Key ${outcome.key.id} authorized for method '${method()}'`)
    logInfo(ctx, `Usage Plan check succeeded for API Key ${outcome.key.id} and API Stage ${ctx.target.apiId}/${stageName}`)
  }
}
