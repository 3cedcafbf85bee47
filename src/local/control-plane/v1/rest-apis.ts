/**
 * CreateRestApi, GetRestApis, GetRestApi, UpdateRestApi, DeleteRestApi, ImportRestApi, PutRestApi.
 * AWS API reference: https://docs.aws.amazon.com/apigateway/latest/api/API_Operations.html
 * Defaults and messages from corpus/aws-ground-truth/01, 03, 04, 05, 16.
 */
import {
  applyImport,
  type BasePathMode,
  type ImportMode,
  OpenApiInputError,
  parseOpenApiDocument,
  readOpenApi,
} from '../../openapi/import.ts'
import {danglingRefWarnings} from '../../openapi/dangling-refs.ts'
import type {ApiSnapshot, ModelDoc} from '../../openapi/types.ts'
import {AwsError, badRequest} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext, OperationRequest} from '../../types.ts'
import {KIND, type RestApiDoc, requireRestApi} from '../model.ts'
import {deleteRestApiTree, loadSnapshot, saveSnapshot} from './config.ts'
import {nowSeconds, page, readPatchOperations, unescapePointer, wire} from './common.ts'
import {importSpecDocumentation} from './documentation.ts'

const ENDPOINT_TYPES = ['PRIVATE', 'EDGE', 'REGIONAL']
const MAX_COMPRESSION = 10485760

/** What GetRestApi, UpdateRestApi and PutRestApi answer: `tags` is always present there ({} when none). */
export const restApiOut = (api: RestApiDoc): Record<string, unknown> => ({...wire(api), tags: api.tags ?? {}})

/** The models AWS gives every API made by CreateRestApi. */
function defaultModels(newId: OperationContext['newId']): ModelDoc[] {
  return [
    {
      id: newId(6),
      name: 'Error',
      description: 'This is a default error schema model',
      contentType: 'application/json',
      schema:
        '{\n  "$schema" : "http://json-schema.org/draft-04/schema#",\n  "title" : "Error Schema",\n ' +
        ' "type" : "object",\n  "properties" : {\n    "message" : { "type" : "string" }\n  }\n}',
    },
    {
      id: newId(6),
      name: 'Empty',
      description: 'This is a default empty schema model',
      contentType: 'application/json',
      schema: '{\n  "$schema": "http://json-schema.org/draft-04/schema#",\n  "title" : "Empty Schema",\n  "type" : "object"\n}',
    },
  ]
}

function endpointConfiguration(raw: unknown, inputName: string): RestApiDoc['endpointConfiguration'] {
  const cfg = (raw ?? {}) as {types?: unknown; ipAddressType?: unknown; vpcEndpointIds?: unknown}
  const types = cfg.types === undefined ? ['EDGE'] : Array.isArray(cfg.types) ? cfg.types.map(String) : []
  const errors: string[] = []
  if (types.some((t) => !ENDPOINT_TYPES.includes(t))) {
    errors.push(
      `Value '[${types.join(', ')}]' at '${inputName}.endpointConfiguration.types' failed to satisfy constraint: ` +
        `Member must satisfy constraint: [Member must satisfy enum value set: [PRIVATE, EDGE, REGIONAL]]`,
    )
  }
  const ip = cfg.ipAddressType
  if (ip !== undefined && ip !== 'ipv4' && ip !== 'dualstack') {
    errors.push(
      `Value '${String(ip)}' at '${inputName}.endpointConfiguration.ipAddressType' ` +
        `failed to satisfy constraint: Member must satisfy enum value set: [ipv4, dualstack]`,
    )
  }
  if (errors.length) {
    throw new AwsError(
      'ValidationException',
      `${errors.length} validation error${errors.length > 1 ? 's' : ''} detected: ${errors.join('; ')}`,
      400,
    )
  }
  if (types.length === 0) throw badRequest('REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.')
  if (types.length > 1) throw badRequest('Cannot create an api with multiple Endpoint Types.')
  const isPrivate = types[0] === 'PRIVATE'
  if (isPrivate && ip === 'ipv4') throw badRequest('Only dualstack ipAddressType is supported for Private APIs.')
  const out: RestApiDoc['endpointConfiguration'] = {types, ipAddressType: typeof ip === 'string' ? ip : isPrivate ? 'dualstack' : 'ipv4'}
  if (Array.isArray(cfg.vpcEndpointIds) && cfg.vpcEndpointIds.length) out.vpcEndpointIds = cfg.vpcEndpointIds.map(String)
  return out
}

function emptySnapshot(api: RestApiDoc): ApiSnapshot {
  return {
    restApiId: api.id,
    settings: {name: api.name, endpointConfiguration: api.endpointConfiguration},
    rootResourceId: api.rootResourceId,
    resources: [{id: api.rootResourceId, path: '/'}],
    models: [],
    authorizers: [],
    requestValidators: [],
    gatewayResponses: [],
  }
}

export const createRestApi: Handler = (req, ctx) => {
  const body = req.json()
  if (typeof body.name !== 'string' || body.name === '') {
    throw new AwsError('BadRequestException', 'Invalid REST API name specified', 400)
  }
  const endpoint = endpointConfiguration(body.endpointConfiguration, 'createRestApiInput')
  // Recorded (corpus/aws-ground-truth/16).
  if (body.description === '') throw badRequest('Description cannot be an empty string')
  const compression = body.minimumCompressionSize
  if (compression !== undefined && (typeof compression !== 'number' || compression < 0 || compression > MAX_COMPRESSION)) {
    throw badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`)
  }
  const keySource = body.apiKeySource ?? 'HEADER'
  if (keySource !== 'HEADER' && keySource !== 'AUTHORIZER') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${String(keySource)}' at 'createRestApiInput.apiKeySource' ` +
        `failed to satisfy constraint: Member must satisfy enum value set: [HEADER, AUTHORIZER]`,
      400,
    )
  }
  const api: RestApiDoc = {
    id: ctx.newId(10),
    name: body.name,
    createdDate: nowSeconds(ctx),
    apiKeySource: keySource,
    endpointConfiguration: endpoint,
    disableExecuteApiEndpoint: body.disableExecuteApiEndpoint === true,
    rootResourceId: ctx.newId(10),
  }
  if (typeof body.description === 'string') api.description = body.description
  if (typeof body.version === 'string') api.version = body.version
  if (Array.isArray(body.binaryMediaTypes) && body.binaryMediaTypes.length) api.binaryMediaTypes = body.binaryMediaTypes.map(String)
  if (typeof compression === 'number') api.minimumCompressionSize = compression
  if (typeof body.policy === 'string') api.policy = body.policy
  if (body.tags && typeof body.tags === 'object' && Object.keys(body.tags).length) api.tags = {...(body.tags as Record<string, string>)}
  let snapshot = emptySnapshot(api)
  if (typeof body.cloneFrom === 'string') {
    const source = requireRestApi(ctx.store, body.cloneFrom)
    const cloned = loadSnapshot(ctx.store, source)
    const ids = new Map<string, string>([[source.rootResourceId, api.rootResourceId]])
    const idOf = (old: string): string => {
      if (!ids.has(old)) ids.set(old, ctx.newId(6))
      return ids.get(old)!
    }
    snapshot = {
      ...snapshot,
      resources: cloned.resources.map((r) => ({...r, id: idOf(r.id), ...(r.parentId ? {parentId: idOf(r.parentId)} : {})})),
      models: cloned.models.map((m) => ({...m, id: ctx.newId(6)})),
      authorizers: cloned.authorizers.map((a) => ({...a, id: idOf(a.id)})),
      requestValidators: cloned.requestValidators.map((v) => ({...v, id: idOf(v.id)})),
      gatewayResponses: cloned.gatewayResponses,
    }
    for (const r of snapshot.resources) {
      for (const m of Object.values(r.resourceMethods ?? {})) {
        if (m.authorizerId) m.authorizerId = idOf(m.authorizerId)
        if (m.requestValidatorId) m.requestValidatorId = idOf(m.requestValidatorId)
        if (m.methodIntegration?.cacheNamespace) m.methodIntegration.cacheNamespace = idOf(m.methodIntegration.cacheNamespace)
      }
    }
  } else {
    snapshot.models = defaultModels(ctx.newId)
  }
  snapshot.settings = {...snapshot.settings, ...settingsFrom(api)}
  const saved = saveSnapshot(ctx.store, api, snapshot)
  return {status: 201, body: wire(saved)}
}

function settingsFrom(api: RestApiDoc): ApiSnapshot['settings'] {
  const {id: _id, createdDate: _c, rootResourceId: _r, tags: _t, warnings: _w, _import, ...rest} = api
  return rest
}

export const getRestApis: Handler = (req, ctx) => {
  const apis = ctx.store.list<RestApiDoc>(KIND.restApi).map((a) => wire(a))
  return {status: 200, body: page(req, apis)}
}

export const getRestApi: Handler = (req, ctx) => ({status: 200, body: restApiOut(requireRestApi(ctx.store, req.params.restapi_id!))})

export const deleteRestApi: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  deleteRestApiTree(ctx.store, req.params.restapi_id!)
  return {status: 202}
}

/** UpdateRestApi paths that take `replace` only (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html). */
const REPLACE_ONLY = ['name', 'apiKeySource', 'minimumCompressionSize', 'disableExecuteApiEndpoint', 'policy']

export const updateRestApi: Handler = (req, ctx) => {
  const ops = readPatchOperations(req, 'updateRestApiInput')
  const api = structuredClone(requireRestApi(ctx.store, req.params.restapi_id!))
  for (const {op, path = '', value} of ops) {
    if (op !== 'add' && op !== 'remove' && op !== 'replace')
      throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'")
    const segments = path.split('/').slice(1)
    const [head, ...rest] = segments
    const key = rest.length ? unescapePointer(rest.join('/')) : undefined
    // Patch Operations table: these paths take `replace` only. Recorded (corpus/aws-ground-truth/19, test_update_rest_api_
    // compression and _ip_address_type): another op is `Invalid patch operation specified. Must be one of: [replace]`.
    const replaceOnly =
      REPLACE_ONLY.includes(head ?? '') || (head === 'endpointConfiguration' && (rest[0] === 'ipAddressType' || rest[0] === 'types'))
    if (replaceOnly && op !== 'replace') throw badRequest('Invalid patch operation specified. Must be one of: [replace]')
    switch (head) {
      case 'name':
        if (op !== 'replace' || !value) throw badRequest(`Invalid patch path ${path}`)
        api.name = value
        break
      case 'description':
      case 'version':
      case 'policy':
        if (op === 'remove') delete api[head]
        else if (value !== undefined) api[head] = value
        break
      case 'apiKeySource':
        if (value !== 'HEADER' && value !== 'AUTHORIZER') throw badRequest(`Invalid patch path ${path}`)
        api.apiKeySource = value
        break
      case 'minimumCompressionSize': {
        if (op === 'remove' || value === undefined || value === '') {
          delete api.minimumCompressionSize
          break
        }
        const n = Number(value)
        if (!Number.isInteger(n) || n < 0 || n > MAX_COMPRESSION) {
          throw badRequest(`Invalid minimum compression size, must be between 0 and ${MAX_COMPRESSION}`)
        }
        api.minimumCompressionSize = n
        break
      }
      case 'disableExecuteApiEndpoint':
        api.disableExecuteApiEndpoint = value === 'true'
        break
      case 'binaryMediaTypes': {
        // Recorded (corpus/aws-ground-truth/16 and 19): a key is required; '/' inside it is '~1'.
        if (!key) throw badRequest(`Invalid patch path ${path}`)
        const types = (api.binaryMediaTypes ?? []).filter((t) => t !== key)
        if (op === 'add') types.push(key)
        if (op === 'replace' && value) types.push(value)
        if (types.length) api.binaryMediaTypes = types
        else delete api.binaryMediaTypes
        break
      }
      case 'endpointConfiguration': {
        if (rest[0] === 'types' && op === 'replace' && value) {
          if (!ENDPOINT_TYPES.includes(value)) throw badRequest('Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE')
          api.endpointConfiguration = {...api.endpointConfiguration, types: [value]}
          if (value === 'PRIVATE') api.endpointConfiguration.ipAddressType = 'dualstack'
        } else if (rest[0] === 'ipAddressType' && op === 'replace') {
          if (value !== 'ipv4' && value !== 'dualstack') throw badRequest('ipAddressType must be either ipv4 or dualstack.')
          api.endpointConfiguration = {...api.endpointConfiguration, ipAddressType: value}
        } else if (rest[0] === 'vpcEndpointIds' && key) {
          const ids = (api.endpointConfiguration.vpcEndpointIds ?? []).filter((v) => v !== rest.slice(1).join('/'))
          if (op !== 'remove' && value) ids.push(value)
          api.endpointConfiguration = {...api.endpointConfiguration, vpcEndpointIds: ids}
        } else throw badRequest(`Invalid patch path ${path}`)
        break
      }
      default:
        throw badRequest(`Invalid patch path ${path}`)
    }
  }
  ctx.store.put(KIND.restApi, api.id, api)
  return {status: 200, body: restApiOut(api)}
}

type ImportQuery = {failOnWarnings: boolean; basepath: BasePathMode; endpointTypes?: string; mode: ImportMode}

function importQuery(req: OperationRequest): ImportQuery {
  const q = req.query
  const basepath = (q.basepath ?? 'ignore').toLowerCase()
  if (basepath !== 'ignore' && basepath !== 'prepend' && basepath !== 'split') {
    throw badRequest(`Invalid basepath parameter value: ${q.basepath}. Valid values are: ignore, prepend, split`)
  }
  const mode = (q.mode ?? 'merge').toLowerCase()
  return {
    failOnWarnings: (q.failonwarnings ?? q.failOnWarnings ?? 'false').toLowerCase() === 'true',
    basepath,
    ...(q.endpointConfigurationTypes ? {endpointTypes: q.endpointConfigurationTypes.toUpperCase()} : {}),
    mode: mode === 'overwrite' ? 'overwrite' : 'merge',
  }
}

/** Parse and read the body; refuse invalid documents and, with failonwarnings, any warning. */
function readBody(req: OperationRequest, query: ImportQuery): ReturnType<typeof readOpenApi> {
  try {
    const doc = parseOpenApiDocument(req.rawBody.toString('utf8'))
    const imported = readOpenApi(doc, {basepath: query.basepath})
    // A local $ref to nothing is a parse warning, as AWS's importer reports it (openapi/dangling-refs.ts).
    imported.warnings.unshift(...danglingRefWarnings(doc))
    if (query.failOnWarnings && imported.warnings.length) {
      throw badRequest(`Warnings found during import:\n\t${imported.warnings.join('\n\t')}`)
    }
    return imported
  } catch (error) {
    if (error instanceof OpenApiInputError) throw badRequest(error.message)
    throw error
  }
}

export const importRestApi: Handler = (req, ctx) => {
  const query = importQuery(req)
  const imported = readBody(req, query)
  if (!imported.settings.name) throw badRequest('Invalid OpenAPI input.')
  const endpointTypes = query.endpointTypes ? [query.endpointTypes] : ['EDGE']
  const api: RestApiDoc = {
    id: ctx.newId(10),
    name: imported.settings.name,
    createdDate: nowSeconds(ctx),
    apiKeySource: 'HEADER',
    endpointConfiguration: endpointConfiguration({types: endpointTypes}, 'importRestApiInput'),
    disableExecuteApiEndpoint: false,
    rootResourceId: ctx.newId(10),
  }
  const snapshot = applyImport(emptySnapshot(api), imported, 'overwrite', ctx.newId)
  const saved = saveSnapshot(ctx.store, api, snapshot)
  const out: Record<string, unknown> = wire(saved)
  const warnings = [...imported.warnings, ...importSpecDocumentation(req, ctx, api.id, 'overwrite')]
  if (warnings.length) out.warnings = warnings
  return {status: 201, body: out}
}

export const putRestApi: Handler = (req, ctx) => {
  // Coral checks the `mode` enum before anything else (PutMode: merge | overwrite, case-sensitive).
  if (req.query.mode !== undefined && req.query.mode !== 'merge' && req.query.mode !== 'overwrite') {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${req.query.mode}' at 'mode' failed to satisfy constraint: ` +
        'Member must satisfy enum value set: [merge, overwrite]',
      400,
    )
  }
  const query = importQuery(req)
  // Recorded (corpus/aws-ground-truth/05): the body is checked before the API id.
  const imported = readBody(req, query)
  const api = requireRestApi(ctx.store, req.params.restapi_id!)
  const current = loadSnapshot(ctx.store, api)
  const snapshot = applyImport(current, imported, query.mode, ctx.newId)
  const saved = saveSnapshot(ctx.store, api, snapshot)
  const out = restApiOut(saved)
  const warnings = [...imported.warnings, ...importSpecDocumentation(req, ctx, api.id, query.mode)]
  if (warnings.length) out.warnings = warnings
  return {status: 200, body: out}
}
