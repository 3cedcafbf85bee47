/**
 * HTTP API deployments (frozen snapshots of routes, integrations, authorizers and CORS) and stages (which
 * point at a deployment). A stage with `autoDeploy` gets a fresh deployment after every change to the API's
 * configuration, as AWS does.
 */
import {dataPlaneOf} from '../../data-plane/gateway.ts'
import {badRequest, conflict} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext} from '../../types.ts'
import {childId, KIND} from '../model.ts'
import {
  bool,
  type DeploymentDoc,
  listDeployments,
  listStages,
  noContent,
  notFoundV2,
  obj,
  ok,
  page,
  readRouteSettings,
  requireApi,
  requireChild,
  requireStage,
  type RouteSettings,
  type StageDoc,
  snapshotOf,
  str,
  strMap,
  iso,
  wire,
} from './common.ts'

// The texts the console and GetDeployments show for automatic deployments of HTTP API stages.
export const AUTO_DEPLOY_DESCRIPTION = 'Automatic deployment triggered by changes to the Api configuration'
const deployedMessage = (deploymentId: string): string => `Successfully deployed stage with deployment ID '${deploymentId}'`

const STAGE_NAME = /^[a-zA-Z0-9_\-$]{1,128}$/

function newDeployment(ctx: OperationContext, apiId: string, description: string | undefined, autoDeployed: boolean): DeploymentDoc {
  const api = requireApi(ctx, apiId)
  const doc: DeploymentDoc = {
    deploymentId: ctx.newId(6),
    deploymentStatus: 'DEPLOYED',
    createdDate: iso(ctx.now()),
    autoDeployed,
    _snapshot: snapshotOf(ctx.store, api),
  }
  if (description !== undefined) doc.description = description
  ctx.store.put(KIND.v2Deployment, childId(apiId, doc.deploymentId), doc, apiId)
  return doc
}

function autoDeployStage(ctx: OperationContext, apiId: string, stage: StageDoc): void {
  const deployment = newDeployment(ctx, apiId, AUTO_DEPLOY_DESCRIPTION, true)
  stage.deploymentId = deployment.deploymentId
  stage.lastDeploymentStatusMessage = deployedMessage(deployment.deploymentId)
  stage.lastUpdatedDate = iso(ctx.now())
  ctx.store.put(KIND.v2Stage, childId(apiId, stage.stageName), stage, apiId)
}

/** After a change to the API's configuration: redeploy every stage that has autoDeploy on. */
export function autoDeploy(ctx: OperationContext, apiId: string): void {
  for (const stage of listStages(ctx.store, apiId)) if (stage.autoDeploy) autoDeployStage(ctx, apiId, stage)
}

const stageOut = (s: StageDoc): Partial<StageDoc> => wire(s)
const deploymentOut = (d: DeploymentDoc): Partial<DeploymentDoc> => wire(d)

export const createDeployment: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const body = req.json()
  const stageName = str(body, 'stageName')
  const stage = stageName === undefined ? undefined : requireStage(ctx.store, apiId, stageName)
  const deployment = newDeployment(ctx, apiId, str(body, 'description'), false)
  if (stage) {
    stage.deploymentId = deployment.deploymentId
    stage.lastUpdatedDate = iso(ctx.now())
    ctx.store.put(KIND.v2Stage, childId(apiId, stage.stageName), stage, apiId)
  }
  return ok(deploymentOut(deployment), 201)
}

export const getDeployments: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  return page(req, listDeployments(ctx.store, apiId).map(deploymentOut))
}

export const getDeployment: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  return ok(deploymentOut(requireChild<DeploymentDoc>(ctx.store, KIND.v2Deployment, apiId, req.params.deploymentId!, 'Deployment')))
}

export const updateDeployment: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const doc = requireChild<DeploymentDoc>(ctx.store, KIND.v2Deployment, apiId, req.params.deploymentId!, 'Deployment')
  const description = str(req.json(), 'description')
  if (description !== undefined) doc.description = description
  ctx.store.put(KIND.v2Deployment, childId(apiId, doc.deploymentId), doc, apiId)
  return ok(deploymentOut(doc))
}

export const deleteDeployment: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const id = req.params.deploymentId!
  requireChild<DeploymentDoc>(ctx.store, KIND.v2Deployment, apiId, id, 'Deployment')
  // Same wording as API Gateway v1 (corpus/aws-ground-truth/19, DeleteDeployment with an active stage).
  if (listStages(ctx.store, apiId).some((s) => s.deploymentId === id))
    throw badRequest('Active stages pointing to this deployment must be moved or deleted')
  ctx.store.delete(KIND.v2Deployment, childId(apiId, id))
  return noContent()
}

function applyStageSettings(stage: StageDoc, body: Record<string, unknown>, ctx: OperationContext, apiId: string): void {
  const deploymentId = str(body, 'deploymentId')
  if (deploymentId !== undefined) {
    requireChild<DeploymentDoc>(ctx.store, KIND.v2Deployment, apiId, deploymentId, 'Deployment')
    stage.deploymentId = deploymentId
  }
  const description = str(body, 'description')
  if (description !== undefined) stage.description = description
  const autoDeployFlag = bool(body, 'autoDeploy')
  if (autoDeployFlag !== undefined) stage.autoDeploy = autoDeployFlag
  const clientCertificateId = str(body, 'clientCertificateId')
  if (clientCertificateId !== undefined) stage.clientCertificateId = clientCertificateId
  const access = obj(body, 'accessLogSettings')
  if (access) {
    const destinationArn = str(access, 'destinationArn')
    const format = str(access, 'format')
    // AWS checks the destination is a log group ARN (without the trailing :*).
    if (destinationArn !== undefined && !/^arn:aws[a-z-]*:logs:[^:]+:\d{12}:log-group:[^:*]+$/.test(destinationArn)) {
      throw badRequest('Invalid destination ARN specified')
    }
    stage.accessLogSettings = {}
    if (destinationArn !== undefined) stage.accessLogSettings.destinationArn = destinationArn
    if (format !== undefined) stage.accessLogSettings.format = format
  }
  // UpdateStage replaces the members it is given: route settings without throttling have none (apigw resets
  // a stage's throttling this way; the other members keep AWS's defaults).
  const defaults = obj(body, 'defaultRouteSettings')
  if (defaults) stage.defaultRouteSettings = {detailedMetricsEnabled: false, ...readRouteSettings(defaults)}
  const routeSettings = obj(body, 'routeSettings')
  if (routeSettings) {
    const next: Record<string, RouteSettings> = {...stage.routeSettings}
    for (const [key, value] of Object.entries(routeSettings)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) throw badRequest(`Invalid value for routeSettings.${key}`)
      next[key] = readRouteSettings(value as Record<string, unknown>)
    }
    stage.routeSettings = next
  }
  const variables = strMap(body, 'stageVariables')
  if (variables) stage.stageVariables = {...stage.stageVariables, ...variables}
}

export const createStage: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const body = req.json()
  const stageName = str(body, 'stageName')
  if (stageName === undefined || !STAGE_NAME.test(stageName))
    throw badRequest('Stage name must be non-empty and match [a-zA-Z0-9_\\-$]{1,128}')
  if (ctx.store.get(KIND.v2Stage, childId(apiId, stageName))) throw conflict(`Stage ${stageName} already exists`)
  const now = iso(ctx.now())
  const stage: StageDoc = {
    stageName,
    createdDate: now,
    lastUpdatedDate: now,
    autoDeploy: false,
    defaultRouteSettings: {detailedMetricsEnabled: false},
    routeSettings: {},
    stageVariables: {},
    tags: strMap(body, 'tags') ?? {},
  }
  applyStageSettings(stage, body, ctx, apiId)
  ctx.store.put(KIND.v2Stage, childId(apiId, stageName), stage, apiId)
  if (stage.autoDeploy) autoDeployStage(ctx, apiId, stage)
  return ok(stageOut(stage), 201)
}

export const getStages: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  return page(req, listStages(ctx.store, apiId).map(stageOut))
}

export const getStage: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  return ok(stageOut(requireStage(ctx.store, apiId, req.params.stageName!)))
}

export const updateStage: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const stage = requireStage(ctx.store, apiId, req.params.stageName!)
  const wasAuto = stage.autoDeploy
  applyStageSettings(stage, req.json(), ctx, apiId)
  stage.lastUpdatedDate = iso(ctx.now())
  ctx.store.put(KIND.v2Stage, childId(apiId, stage.stageName), stage, apiId)
  if (stage.autoDeploy && !wasAuto) autoDeployStage(ctx, apiId, stage)
  return ok(stageOut(stage))
}

export const deleteStage: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const stage = requireStage(ctx.store, apiId, req.params.stageName!)
  ctx.store.delete(KIND.v2Stage, childId(apiId, stage.stageName))
  return noContent()
}

export const deleteAccessLogSettings: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const stage = requireStage(ctx.store, apiId, req.params.stageName!)
  delete stage.accessLogSettings
  stage.lastUpdatedDate = iso(ctx.now())
  ctx.store.put(KIND.v2Stage, childId(apiId, stage.stageName), stage, apiId)
  return noContent()
}

export const deleteRouteSettings: Handler = (req, ctx) => {
  const apiId = req.params.apiId!
  requireApi(ctx, apiId)
  const stage = requireStage(ctx.store, apiId, req.params.stageName!)
  const key = req.params.routeKey!
  if (!(key in stage.routeSettings)) throw notFoundV2(`Unable to find route settings for route key ${key}`, 'RouteSettings')
  delete stage.routeSettings[key]
  stage.lastUpdatedDate = iso(ctx.now())
  ctx.store.put(KIND.v2Stage, childId(apiId, stage.stageName), stage, apiId)
  return noContent()
}

/**
 * ResetAuthorizersCache: `DELETE /v2/apis/{apiId}/stages/{stageName}/cache/authorizers`, 204. Drops the stage's
 * cached Lambda authorizer results in the data plane serving this state (none when no data plane runs).
 */
export const resetAuthorizersCache: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const stage = requireStage(ctx.store, api.apiId, req.params.stageName!)
  dataPlaneOf(ctx.store)?.flushAuthorizersCache(api.apiId, stage.stageName)
  return noContent()
}
