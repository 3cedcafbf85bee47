/**
 * CreateStage, GetStages (deploymentId filter), GetStage, UpdateStage (every patch path AWS accepts:
 * settings, variables, access logs, method settings with `~1` escapes and `*`/`*`, canary paths, promotion
 * by `copy`), DeleteStage. Messages verbatim from corpus/aws-ground-truth/08, 09, 10, 11.
 * AWS docs: https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateStage.html
 */
import {type AwsError, badRequest, conflict, notFound} from '../../protocol/aws-error.ts'
import type {Handler} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {checkClientCertificateId} from './client-certificates.ts'
import {epochSeconds, nowSeconds, readPatchOperations, unescapePointer} from './common.ts'
import {requireVersion} from './documentation.ts'
import {type DeploymentDoc, type MethodSettingDoc, requireStage, type StageDoc} from './lookup.ts'

/** Verbatim from AWS (corpus/aws-ground-truth/08), including its missing commas. */
const STAGE_PATHS =
  '[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, ' +
  '/clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, ' +
  '/accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, ' +
  '/{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMet' +
  'hod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, ' +
  '/{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, ' +
  '/{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, ' +
  '/*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, ' +
  '/*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, ' +
  '/*/*/caching/requireAuthorizationForCacheControl, ' +
  '/*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]'

const invalidPath = (path: string): AwsError => badRequest(`Invalid method setting path: ${path}. Must be one of: ${STAGE_PATHS}`)
const cannotRemove = (path: string): AwsError =>
  badRequest(`Cannot remove method setting ${path.replace(/^\//, '')} because there is no method setting for this method `)
const invalidAccessLogPath = (): AwsError =>
  badRequest('Invalid accessLogSettings path. Must be one of : [/accessLogSettings/destinationArn, /accessLogSettings/format]')

export const DEFAULT_METHOD_SETTING: MethodSettingDoc = {
  metricsEnabled: false,
  dataTraceEnabled: false,
  throttlingBurstLimit: 5000,
  throttlingRateLimit: 10000.0,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
}

export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) out[k] = String(v)
  return out
}

/** A new stage document with AWS's defaults. */
export function newStage(
  input: {
    stageName: string
    deploymentId: string
    description?: unknown
    cacheClusterEnabled?: unknown
    cacheClusterSize?: unknown
    variables?: unknown
    tracingEnabled?: unknown
    documentationVersion?: unknown
  },
  now: Date,
): StageDoc {
  const cache = input.cacheClusterEnabled === true
  const stage: StageDoc = {
    stageName: input.stageName,
    deploymentId: input.deploymentId,
    cacheClusterEnabled: cache,
    cacheClusterStatus: cache ? 'AVAILABLE' : 'NOT_AVAILABLE',
    methodSettings: {},
    tracingEnabled: input.tracingEnabled === true,
    createdDate: epochSeconds(now),
    lastUpdatedDate: epochSeconds(now),
  }
  if (typeof input.description === 'string' && input.description !== '') stage.description = input.description
  if (cache) stage.cacheClusterSize = typeof input.cacheClusterSize === 'string' ? input.cacheClusterSize : '0.5'
  if (input.variables && typeof input.variables === 'object' && Object.keys(input.variables).length)
    stage.variables = stringMap(input.variables)
  if (typeof input.documentationVersion === 'string') stage.documentationVersion = input.documentationVersion
  return stage
}

function deploymentExists(ctx: Parameters<Handler>[1], restApiId: string, id: string | undefined): boolean {
  return id !== undefined && ctx.store.get<DeploymentDoc>(KIND.deployment, childId(restApiId, id)) !== undefined
}

export const createStage: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const body = req.json()
  const stageName = typeof body.stageName === 'string' ? body.stageName : ''
  if (!/^[a-zA-Z0-9_-]+$/.test(stageName)) throw badRequest('Stage name only allows a-zA-Z0-9_')
  if (!deploymentExists(ctx, restApiId, typeof body.deploymentId === 'string' ? body.deploymentId : undefined)) {
    throw notFound('Invalid Deployment identifier specified')
  }
  if (ctx.store.get(KIND.stage, childId(restApiId, stageName))) throw conflict('Stage already exists')
  const stage = newStage({...body, stageName, deploymentId: body.deploymentId as string}, ctx.now())
  const canary = body.canarySettings as Record<string, unknown> | undefined
  if (canary && typeof canary === 'object') {
    const canaryDeployment = typeof canary.deploymentId === 'string' ? canary.deploymentId : stage.deploymentId
    if (!deploymentExists(ctx, restApiId, canaryDeployment)) throw badRequest('Deployment id does not exist')
    stage.canarySettings = {
      deploymentId: canaryDeployment,
      percentTraffic: typeof canary.percentTraffic === 'number' ? canary.percentTraffic : 0,
      ...(canary.stageVariableOverrides && typeof canary.stageVariableOverrides === 'object'
        ? {stageVariableOverrides: stringMap(canary.stageVariableOverrides)}
        : {}),
      useStageCache: canary.useStageCache === true,
    }
  }
  if (body.tags && typeof body.tags === 'object' && Object.keys(body.tags).length) stage.tags = stringMap(body.tags)
  ctx.store.put(KIND.stage, childId(restApiId, stageName), stage, restApiId)
  return {status: 201, body: stage}
}

export const getStages: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const deploymentId = req.query.deploymentId
  const stages = ctx.store
    .list<StageDoc>(KIND.stage, restApiId)
    .filter((s) => deploymentId === undefined || s.deploymentId === deploymentId)
  return {status: 200, body: {item: stages}}
}

export const getStage: Handler = (req, ctx) => ({
  status: 200,
  body: requireStage(ctx.store, req.params.restapi_id!, req.params.stage_name!),
})

export const deleteStage: Handler = (req, ctx) => {
  const stage = requireStage(ctx.store, req.params.restapi_id!, req.params.stage_name!)
  ctx.store.delete(KIND.stage, childId(req.params.restapi_id!, stage.stageName))
  return {status: 202}
}

const parseBool = (value: string | undefined): boolean => value?.toLowerCase() === 'true'

function parseNumber(value: string | undefined, integer: boolean, path: string): number {
  const n = Number(value)
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw badRequest(`Invalid value for ${path}: ${value ?? 'null'}`)
  }
  return n
}

/** Apply one method-setting patch (`/{resourcePath}/{httpMethod}/{group}/{name}`) to `settings`. */
function applyMethodSetting(settings: MethodSettingDoc, group: string, name: string, value: string | undefined, path: string): boolean {
  const key = `${group}/${name}`
  switch (key) {
    case 'metrics/enabled':
      settings.metricsEnabled = parseBool(value)
      return true
    case 'logging/dataTrace':
      settings.dataTraceEnabled = parseBool(value)
      return true
    case 'logging/loglevel':
      settings.loggingLevel = (value ?? 'OFF').toUpperCase()
      return true
    case 'throttling/burstLimit':
      settings.throttlingBurstLimit = parseNumber(value, true, path)
      return true
    case 'throttling/rateLimit':
      settings.throttlingRateLimit = parseNumber(value, false, path)
      return true
    case 'caching/ttlInSeconds':
      settings.cacheTtlInSeconds = parseNumber(value, true, path)
      return true
    case 'caching/enabled':
      settings.cachingEnabled = parseBool(value)
      return true
    case 'caching/dataEncrypted':
      settings.cacheDataEncrypted = parseBool(value)
      return true
    case 'caching/requireAuthorizationForCacheControl':
      settings.requireAuthorizationForCacheControl = parseBool(value)
      return true
    case 'caching/unauthorizedCacheControlHeaderStrategy':
      settings.unauthorizedCacheControlHeaderStrategy = value ?? 'SUCCEED_WITH_RESPONSE_HEADER'
      return true
    default:
      return false
  }
}

export const updateStage: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const ops = readPatchOperations(req, 'updateStageInput')
  const stage = structuredClone(requireStage(ctx.store, restApiId, req.params.stage_name!))
  for (const {op, path = '', value, from} of ops) {
    if (op === 'copy') {
      const valid =
        (from === '/canarySettings/deploymentId' && path === '/deploymentId') ||
        (from === '/canarySettings/stageVariableOverrides' && path === '/variables')
      if (!valid) {
        throw badRequest(
          `Invalid copy operation with path: ${path} and from ${from ?? 'null'}. Valid copy:path are [/deploymentId, ` +
            `/variables] and valid copy:from are [/canarySettings/deploymentId, /canarySettings/stageVariableOverrides]`,
        )
      }
      if (!stage.canarySettings) throw badRequest('Promotion not available. Canary does not exist.')
      if (path === '/deploymentId') {
        if (stage.canarySettings.deploymentId) stage.deploymentId = stage.canarySettings.deploymentId
      } else if (stage.canarySettings.stageVariableOverrides) {
        stage.variables = {...stage.variables, ...stage.canarySettings.stageVariableOverrides}
      }
      continue
    }
    if (op === 'move' || op === 'test') throw badRequest(`Invalid patch operation specified. Must be 'add'|'remove'|'replace'|'copy'`)
    const segments = path.split('/').slice(1)
    const [head] = segments
    if (head === 'deploymentId' && segments.length === 1) {
      if (op === 'remove' || !deploymentExists(ctx, restApiId, value)) throw badRequest('Deployment id does not exist')
      stage.deploymentId = value!
    } else if (head === 'description' && segments.length === 1) {
      if (op === 'remove' || !value) delete stage.description
      else stage.description = value
    } else if (head === 'cacheClusterEnabled' && segments.length === 1) {
      stage.cacheClusterEnabled = parseBool(value)
      stage.cacheClusterStatus = stage.cacheClusterEnabled ? 'AVAILABLE' : 'NOT_AVAILABLE'
      if (stage.cacheClusterEnabled) stage.cacheClusterSize ??= '0.5'
    } else if (head === 'cacheClusterSize' && segments.length === 1) {
      if (value) stage.cacheClusterSize = value
    } else if (head === 'clientCertificateId' && segments.length === 1) {
      if (op === 'remove' || !value) delete stage.clientCertificateId
      else {
        checkClientCertificateId(ctx.store, value)
        stage.clientCertificateId = value
      }
    } else if (head === 'documentationVersion' && segments.length === 1) {
      // The stage's published documentation (developer guide, "Publish API documentation using the REST API").
      if (op === 'remove' || !value) delete stage.documentationVersion
      else stage.documentationVersion = requireVersion(ctx.store, restApiId, value).version
    } else if (head === 'tracingEnabled' && segments.length === 1) {
      stage.tracingEnabled = parseBool(value)
    } else if (head === 'variables' && segments.length >= 2) {
      const name = unescapePointer(segments.slice(1).join('/'))
      const variables = {...stage.variables}
      if (op === 'remove') delete variables[name]
      else variables[name] = value ?? ''
      if (Object.keys(variables).length) stage.variables = variables
      else delete stage.variables
    } else if (head === 'accessLogSettings') {
      const field = segments.slice(1).join('/')
      if (op === 'remove') {
        if (field !== '') throw cannotRemove(path)
        delete stage.accessLogSettings
      } else {
        if (field !== 'destinationArn' && field !== 'format') throw invalidAccessLogPath()
        if (!value) throw badRequest('Access Log value must not be empty')
        stage.accessLogSettings = {...stage.accessLogSettings, [field]: value}
      }
    } else if (head === 'canarySettings') {
      applyCanaryPatch(stage, op, path, segments.slice(1), value, (id) => deploymentExists(ctx, restApiId, id))
    } else if (segments.length === 2 || segments.length === 4) {
      // Method settings: /{resourcePath}/{httpMethod}[/{group}/{name}], resourcePath with '/' escaped as '~1'.
      const resourcePath = unescapePointer(segments[0]!).replace(/^\//, '')
      const httpMethod = segments[1]!
      const key = `${resourcePath}/${httpMethod}`
      if (segments.length === 2) {
        if (op !== 'remove') throw invalidPath(path)
        if (!stage.methodSettings[key]) throw cannotRemove(`/${key}`)
        delete stage.methodSettings[key]
        continue
      }
      const current = stage.methodSettings[key] ?? structuredClone(stage.methodSettings['*/*'] ?? DEFAULT_METHOD_SETTING)
      if (op === 'remove') throw cannotRemove(path)
      if (!applyMethodSetting(current, segments[2]!, segments[3]!, value, path)) throw invalidPath(path)
      stage.methodSettings[key] = current
    } else {
      throw invalidPath(path)
    }
  }
  stage.lastUpdatedDate = nowSeconds(ctx)
  ctx.store.put(KIND.stage, childId(restApiId, stage.stageName), stage, restApiId)
  return {status: 200, body: stage}
}

function applyCanaryPatch(
  stage: StageDoc,
  op: string,
  path: string,
  rest: string[],
  value: string | undefined,
  deploymentExists: (id: string | undefined) => boolean,
): void {
  const field = rest[0]
  if (op === 'remove') {
    if (field === undefined) {
      delete stage.canarySettings
      return
    }
    if (field === 'stageVariableOverrides' && rest.length >= 2 && stage.canarySettings?.stageVariableOverrides) {
      const overrides = {...stage.canarySettings.stageVariableOverrides}
      delete overrides[unescapePointer(rest.slice(1).join('/'))]
      stage.canarySettings.stageVariableOverrides = overrides
      return
    }
    throw cannotRemove(path)
  }
  const known =
    field === 'percentTraffic' ||
    field === 'deploymentId' ||
    field === 'useStageCache' ||
    (field === 'stageVariableOverrides' && rest.length >= 2)
  if (!known || (field !== 'stageVariableOverrides' && rest.length !== 1)) throw invalidPath(path)
  // Recorded (corpus/aws-ground-truth/10): canary paths take `replace` only.
  if (op === 'add') throw badRequest(`Invalid add operation with path: ${path}`)
  if (field === 'deploymentId' && !deploymentExists(value)) throw badRequest('Deployment id does not exist')
  // A replace on a stage without a canary creates one on the stage's deployment (recordings 10, 11).
  const canary = stage.canarySettings ?? {deploymentId: stage.deploymentId, percentTraffic: 0, useStageCache: false}
  if (field === 'percentTraffic') {
    const n = Number(value)
    if (value === undefined || !Number.isFinite(n) || n < 0 || n > 100) throw badRequest('Canary weight must be between 0.0 and 100.0')
    canary.percentTraffic = n
  } else if (field === 'deploymentId') canary.deploymentId = value!
  else if (field === 'useStageCache') canary.useStageCache = parseBool(value)
  else canary.stageVariableOverrides = {...canary.stageVariableOverrides, [unescapePointer(rest.slice(1).join('/'))]: value ?? ''}
  stage.canarySettings = canary
}
