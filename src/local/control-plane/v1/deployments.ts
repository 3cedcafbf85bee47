/**
 * CreateDeployment (freezing the API's configuration, creating or moving a stage, canary releases),
 * GetDeployments, GetDeployment (embed=apisummary), UpdateDeployment, DeleteDeployment.
 * Messages from corpus/aws-ground-truth/10, 12.
 */
import {badRequest} from '../../protocol/aws-error.ts'
import type {Handler} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {loadSnapshot} from './config.ts'
import {epochSeconds, page, readPatchOperations, wire} from './common.ts'
import {type DeploymentDoc, requireDeployment, type StageDoc} from './lookup.ts'
import {newStage, stringMap} from './stages.ts'

export const createDeployment: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const api = requireRestApi(ctx.store, restApiId)
  const body = req.json()
  const stageName = typeof body.stageName === 'string' ? body.stageName : undefined
  const canary =
    body.canarySettings && typeof body.canarySettings === 'object' ? (body.canarySettings as Record<string, unknown>) : undefined
  let existing = stageName ? ctx.store.get<StageDoc>(KIND.stage, childId(restApiId, stageName)) : undefined
  if (canary) {
    // Recorded (corpus/aws-ground-truth/10): a canary needs a named, existing stage.
    if (!stageName) {
      throw badRequest(
        `Invalid deployment content specified.Non null and non empty stageName must ` +
          `be provided for canary deployment. Provided value is ${stageName ?? 'null'}`,
      )
    }
    if (!existing) {
      throw badRequest(
        `Invalid deployment content specified.Stage ${stageName} must already be created before making a canary release deployment`,
      )
    }
  }
  const snapshot = loadSnapshot(ctx.store, api)
  if (!snapshot.resources.some((r) => Object.keys(r.resourceMethods ?? {}).length > 0)) {
    // AWS: https://docs.aws.amazon.com/apigateway/latest/api/API_CreateDeployment.html (an API without methods cannot be deployed)
    throw badRequest("The REST API doesn't contain any methods")
  }
  // AWS refuses to deploy a method that has no integration (API_CreateDeployment; BadRequestException).
  if (snapshot.resources.some((r) => Object.values(r.resourceMethods ?? {}).some((m) => !m.methodIntegration))) {
    throw badRequest('No integration defined for method')
  }
  const now = ctx.now()
  const deployment: DeploymentDoc = {id: ctx.newId(6), createdDate: epochSeconds(now), _snapshot: snapshot}
  if (typeof body.description === 'string') deployment.description = body.description
  ctx.store.put(KIND.deployment, childId(restApiId, deployment.id), deployment, restApiId)

  if (stageName) {
    if (existing && canary) {
      existing = {
        ...existing,
        canarySettings: {
          deploymentId: deployment.id,
          percentTraffic: typeof canary.percentTraffic === 'number' ? canary.percentTraffic : 0,
          ...(canary.stageVariableOverrides && typeof canary.stageVariableOverrides === 'object'
            ? {stageVariableOverrides: stringMap(canary.stageVariableOverrides)}
            : {}),
          useStageCache: canary.useStageCache === true,
        },
        lastUpdatedDate: epochSeconds(now),
      }
      ctx.store.put(KIND.stage, childId(restApiId, stageName), existing, restApiId)
    } else if (existing) {
      const updated: StageDoc = {...existing, deploymentId: deployment.id, lastUpdatedDate: epochSeconds(now)}
      if (body.variables && typeof body.variables === 'object') updated.variables = {...existing.variables, ...stringMap(body.variables)}
      if (typeof body.stageDescription === 'string') updated.description = body.stageDescription
      ctx.store.put(KIND.stage, childId(restApiId, stageName), updated, restApiId)
    } else {
      const stage = newStage(
        {
          stageName,
          deploymentId: deployment.id,
          description: body.stageDescription,
          cacheClusterEnabled: body.cacheClusterEnabled,
          cacheClusterSize: body.cacheClusterSize,
          variables: body.variables,
          tracingEnabled: body.tracingEnabled,
        },
        now,
      )
      ctx.store.put(KIND.stage, childId(restApiId, stageName), stage, restApiId)
    }
  }
  return {status: 201, body: wire(deployment)}
}

export const getDeployments: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  const items = ctx.store.list<DeploymentDoc>(KIND.deployment, req.params.restapi_id!).map((d) => wire(d))
  return {status: 200, body: page(req, items)}
}

export const getDeployment: Handler = (req, ctx) => {
  const deployment = requireDeployment(ctx.store, req.params.restapi_id!, req.params.deployment_id!)
  const out: Record<string, unknown> = wire(deployment)
  if (req.queryAll.getAll('embed').some((e) => e.split(',').includes('apisummary'))) {
    const summary: Record<string, Record<string, {authorizationType: string; apiKeyRequired: boolean}>> = {}
    for (const r of deployment._snapshot.resources) {
      for (const [verb, m] of Object.entries(r.resourceMethods ?? {})) {
        summary[r.path] ??= {}
        summary[r.path]![verb] = {authorizationType: m.authorizationType, apiKeyRequired: m.apiKeyRequired}
      }
    }
    out.apiSummary = summary
  }
  return {status: 200, body: out}
}

export const updateDeployment: Handler = (req, ctx) => {
  const ops = readPatchOperations(req, 'updateDeploymentInput')
  const deployment = requireDeployment(ctx.store, req.params.restapi_id!, req.params.deployment_id!)
  for (const {op, path = '', value} of ops) {
    if (path !== '/description') throw badRequest(`Invalid patch path ${path}`)
    if (op === 'remove') delete deployment.description
    else if (value !== undefined) deployment.description = value
  }
  ctx.store.put(KIND.deployment, childId(req.params.restapi_id!, deployment.id), deployment, req.params.restapi_id!)
  return {status: 200, body: wire(deployment)}
}

export const deleteDeployment: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const deployment = requireDeployment(ctx.store, restApiId, req.params.deployment_id!)
  const stages = ctx.store.list<StageDoc>(KIND.stage, restApiId)
  if (stages.some((s) => s.deploymentId === deployment.id || s.canarySettings?.deploymentId === deployment.id)) {
    // Recorded (corpus/aws-ground-truth/12).
    throw badRequest('Active stages pointing to this deployment must be moved or deleted')
  }
  ctx.store.delete(KIND.deployment, childId(restApiId, deployment.id))
  return {status: 202}
}
