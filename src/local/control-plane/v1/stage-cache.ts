/**
 * FlushStageCache: `DELETE /restapis/{restapi_id}/stages/{stage_name}/cache/data` → 202, every entry of the
 * stage's cache goes (the data plane's, traffic/cache.ts).
 * https://docs.aws.amazon.com/apigateway/latest/api/API_FlushStageCache.html
 */
import {trafficOf} from '../../data-plane/traffic/registry.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {requireStage} from './lookup.ts'

export function flushStageCache(req: OperationRequest, ctx: OperationContext): OperationResult {
  const apiId = req.params.restapi_id ?? ''
  const stage = requireStage(ctx.store, apiId, req.params.stage_name ?? '')
  trafficOf(ctx.store)?.flushStageCache(apiId, stage.stageName)
  return {status: 202}
}
