/**
 * Small lookups and wire helpers shared by the v1 control-plane modules (and usable by keys-and-plans):
 * finding stages, deployments and resources with AWS's NotFound messages, position/limit paging, and
 * stripping private `_` members before a document goes on the wire.
 */
import {AwsError, badRequest, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationRequest} from '../../types.ts'
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

/** Epoch seconds, as v1 sends timestamps. */
export const epochSeconds = (d: Date): number => Math.floor(d.getTime() / 1000)

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

/** A copy without private members (`_…`), ready for the wire. */
export function wire<T extends object>(doc: T): Omit<T, `_${string}`> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v
  return out as Omit<T, `_${string}`>
}

/**
 * v1 position/limit paging: `limit` defaults to 25 and may not exceed 500; `position` is the opaque token
 * of the previous page (here the index of the next item). Returns the wire body `{item, position?}`.
 */
export function page<T>(req: OperationRequest, items: T[]): {item: T[]; position?: string} {
  const limitRaw = req.query.limit
  let limit = 25
  if (limitRaw !== undefined) {
    const n = Number(limitRaw)
    if (!Number.isInteger(n)) throw new AwsError('SerializationException', `STRING_VALUE can not be converted to an Integer`, 400)
    // AWS: https://docs.aws.amazon.com/apigateway/latest/api/API_GetRestApis.html (limit: max 500)
    if (n < 1 || n > 500) throw badRequest('The limit must be between 1 and 500.')
    limit = n
  }
  let start = 0
  if (req.query.position !== undefined) {
    const decoded = Number(Buffer.from(req.query.position, 'base64url').toString('utf8'))
    if (!Number.isInteger(decoded) || decoded < 0) throw badRequest('Invalid position parameter')
    start = decoded
  }
  const slice = items.slice(start, start + limit)
  const next = start + limit
  return next < items.length ? {item: slice, position: Buffer.from(String(next)).toString('base64url')} : {item: slice}
}

export type PatchOperation = {op: string; path: string; value?: string; from?: string}

const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'test', 'copy']

/**
 * The patchOperations of an Update* body, with the Coral validation AWS applies to `op` first
 * (recorded message, corpus/aws-ground-truth/19).
 */
export function patchOperations(req: OperationRequest, inputName: string): PatchOperation[] {
  const body = req.json()
  const raw = body.patchOperations
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw new AwsError('SerializationException', 'Expected list for patchOperations', 400)
  const errors: string[] = []
  const ops = raw.map((entry, i) => {
    const o = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>
    const op = typeof o.op === 'string' ? o.op : ''
    if (!PATCH_OPS.includes(op)) {
      errors.push(
        `Value '${op}' at '${inputName}.patchOperations.${i + 1}.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]`,
      )
    }
    const p: PatchOperation = {op, path: typeof o.path === 'string' ? o.path : ''}
    if (o.value !== undefined && o.value !== null) p.value = String(o.value)
    if (typeof o.from === 'string') p.from = o.from
    return p
  })
  if (errors.length) {
    throw new AwsError('ValidationException', `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`, 400)
  }
  return ops
}

/** JSON-pointer unescape of one path segment (`~1` → `/`, `~0` → `~`). */
export const unescapePointer = (segment: string): string => segment.replace(/~1/g, '/').replace(/~0/g, '~')
