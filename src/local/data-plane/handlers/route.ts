/**
 * Chain step 2: the stage, the deployment it serves (or its canary's, drawn by `percentTraffic` with the
 * canary's variable overrides), and the resource and method the path and verb select. An unknown stage,
 * path or verb is AWS's 403 MISSING_AUTHENTICATION_TOKEN. The working API is never served.
 */
import {childId, KIND} from '../../control-plane/model.ts'
import type {StageDoc} from '../../control-plane/v1/lookup.ts'
import type {ChainHandler} from '../context.ts'
import {logInfo} from '../context.ts'
import {loggingLevel} from './access-log.ts'
import {matchResources, methodOf} from '../deployment.ts'
import {GatewayError, NotSupportedError} from '../gateway-responses.ts'
import type {DeploymentCache} from '../deployment.ts'

export function createRoute(deployments: DeploymentCache): ChainHandler {
  return (ctx) => {
    if (!ctx.deployment) {
      const {apiId, stageName} = ctx.target
      if (!stageName) throw new GatewayError('MISSING_AUTHENTICATION_TOKEN')
      const stage = ctx.deps.docs.get<StageDoc>(KIND.stage, childId(apiId, stageName))
      if (!stage) {
        if (ctx.deps.docs.get(KIND.v2Api, apiId)) throw new NotSupportedError('Serving HTTP and WebSocket APIs (API Gateway v2)')
        throw new GatewayError('MISSING_AUTHENTICATION_TOKEN')
      }
      ctx.stage = stage
      let deploymentId = stage.deploymentId
      ctx.stageVariables = {...stage.variables}
      const canary = stage.canarySettings
      if (canary?.deploymentId && canary.percentTraffic > 0 && ctx.deps.random() * 100 < canary.percentTraffic) {
        deploymentId = canary.deploymentId
        ctx.isCanary = true
        Object.assign(ctx.stageVariables, canary.stageVariableOverrides)
      }
      const deployment = deployments.get(apiId, deploymentId)
      if (!deployment) throw new GatewayError('MISSING_AUTHENTICATION_TOKEN')
      ctx.deployment = deployment
    }
    const verb = ctx.request.method
    for (const candidate of matchResources(ctx.deployment.root, ctx.request.path)) {
      const found = methodOf(candidate.resource, verb)
      if (!found) continue
      ctx.route = {
        resource: candidate.resource,
        method: found.method,
        declaredMethod: found.declared,
        pathParameters: candidate.pathParameters,
      }
      // Lines at INFO are built only when something reads them (the stage logs INFO, or TestInvokeMethod).
      ctx.infoLog = ctx.testInvoke || loggingLevel(ctx) === 'INFO'
      logInfo(ctx, `HTTP Method: ${verb}, Resource Path: ${candidate.resource.path}`)
      return
    }
    throw new GatewayError('MISSING_AUTHENTICATION_TOKEN')
  }
}
