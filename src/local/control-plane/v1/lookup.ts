/**
 * Lookups shared by the v1 REST API modules: stages, deployments and resources with AWS's NotFound messages,
 * and their document types. Paging, patch operations and the clock are in common.ts.
 */
import {notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {ApiSnapshot, ResourceDoc} from '../../openapi/types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'

/** A stage document (the GetStage wire shape). */
export type StageDoc = {
  stageName: string
  deploymentId: string
  description?: string
  cacheClusterEnabled: boolean
  cacheClusterSize?: string
  cacheClusterStatus: string
  methodSettings: Record<string, MethodSettingDoc>
  variables?: Record<string, string>
  documentationVersion?: string
  accessLogSettings?: {format?: string; destinationArn?: string}
  canarySettings?: {percentTraffic: number; deploymentId?: string; stageVariableOverrides?: Record<string, string>; useStageCache: boolean}
  tracingEnabled: boolean
  clientCertificateId?: string
  webAclArn?: string
  tags?: Record<string, string>
  createdDate: number
  lastUpdatedDate: number
}

export type MethodSettingDoc = {
  metricsEnabled: boolean
  loggingLevel?: string
  dataTraceEnabled: boolean
  throttlingBurstLimit: number
  throttlingRateLimit: number
  cachingEnabled: boolean
  cacheTtlInSeconds: number
  cacheDataEncrypted: boolean
  requireAuthorizationForCacheControl: boolean
  unauthorizedCacheControlHeaderStrategy: string
}

/** A deployment document: the wire members plus the frozen configuration it serves. */
export type DeploymentDoc = {
  id: string
  description?: string
  createdDate: number
  _snapshot: ApiSnapshot
}

/** Throw NotFoundException unless the stage exists (the REST API is checked first). */
export function requireStage(store: Store, restApiId: string, stageName: string): StageDoc {
  requireRestApi(store, restApiId)
  const stage = store.get<StageDoc>(KIND.stage, childId(restApiId, stageName))
  if (!stage) throw notFound('Invalid Stage identifier specified')
  return stage
}

/** Throw NotFoundException unless the deployment exists (the REST API is checked first). */
export function requireDeployment(store: Store, restApiId: string, deploymentId: string): DeploymentDoc {
  requireRestApi(store, restApiId)
  const deployment = store.get<DeploymentDoc>(KIND.deployment, childId(restApiId, deploymentId))
  if (!deployment) throw notFound('Invalid Deployment identifier specified')
  return deployment
}

export function requireResource(store: Store, restApiId: string, resourceId: string): ResourceDoc {
  requireRestApi(store, restApiId)
  const resource = store.get<ResourceDoc>(KIND.resource, childId(restApiId, resourceId))
  if (!resource) throw notFound('Invalid Resource identifier specified')
  return resource
}
