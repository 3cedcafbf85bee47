/**
 * HTTP and WebSocket APIs: CreateApi (with quick create), Get/Update/DeleteApi, ImportApi and ReimportApi
 * from OpenAPI 3.0, ExportApi, DeleteCorsConfiguration, and tags on APIs and stages.
 */
import {badRequest} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext} from '../../types.ts'
import {childId, KIND} from '../model.ts'
import {
  API_KEY_SELECTION,
  type ApiDoc,
  type AuthorizerDoc,
  bool,
  type DeploymentDoc,
  HTTP_ROUTE_SELECTION,
  type IntegrationDoc,
  iso,
  noContent,
  notFoundV2,
  obj,
  ok,
  page,
  readCors,
  requireApi,
  requireChild,
  requireStage,
  type RouteDoc,
  type StageDoc,
  snapshotOf,
  str,
  strMap,
  type Snapshot,
  wire,
} from './common.ts'
import {validRouteKey} from './config.ts'
import {autoDeploy} from './deployments.ts'
import {requireVpcLink} from './vpc-links.ts'
import {exportOpenApi} from './openapi-export.ts'
import {type Basepath, type ImportedApi, importOpenApi} from './openapi-import.ts'

const CHILD_KINDS = [KIND.v2Route, KIND.v2Integration, KIND.v2Authorizer, KIND.v2Deployment, KIND.v2Stage, KIND.v2Model]

const apiOut = (api: ApiDoc): Partial<ApiDoc> => wire(api)

function newApi(ctx: OperationContext, name: string, protocolType: ApiDoc['protocolType']): ApiDoc {
  const apiId = ctx.newId(10)
  const scheme = protocolType === 'WEBSOCKET' ? 'wss' : 'https'
  return {
    apiId,
    name,
    protocolType,
    apiEndpoint: `${scheme}://${apiId}.execute-api.${ctx.region}.amazonaws.com`,
    apiKeySelectionExpression: API_KEY_SELECTION,
    routeSelectionExpression: HTTP_ROUTE_SELECTION,
    createdDate: iso(ctx.now()),
    disableExecuteApiEndpoint: false,
    ipAddressType: 'ipv4',
    tags: {},
  }
}

function applyApiMembers(api: ApiDoc, body: Record<string, unknown>): void {
  const name = str(body, 'name')
  if (name !== undefined) {
    if (name.length < 1 || name.length > 128) throw badRequest('name must be between 1 and 128 characters')
    api.name = name
  }
  const description = str(body, 'description')
  if (description !== undefined) api.description = description
  const version = str(body, 'version')
  if (version !== undefined) api.version = version
  const cors = obj(body, 'corsConfiguration')
  if (cors !== undefined) {
    if (api.protocolType !== 'HTTP') throw badRequest('CORS configuration is supported only for HTTP APIs')
    api.corsConfiguration = readCors(cors)
  }
  const disable = bool(body, 'disableExecuteApiEndpoint')
  if (disable !== undefined) api.disableExecuteApiEndpoint = disable
  const disableSchemaValidation = bool(body, 'disableSchemaValidation')
  if (disableSchemaValidation !== undefined) api.disableSchemaValidation = disableSchemaValidation
  const rse = str(body, 'routeSelectionExpression')
  if (rse !== undefined) {
    if (api.protocolType === 'HTTP' && rse !== HTTP_ROUTE_SELECTION)
      throw badRequest(`The routeSelectionExpression of an HTTP API must be ${HTTP_ROUTE_SELECTION}`)
    api.routeSelectionExpression = rse
  }
  const akse = str(body, 'apiKeySelectionExpression')
  if (akse !== undefined) api.apiKeySelectionExpression = akse
  const ipAddressType = str(body, 'ipAddressType')
  if (ipAddressType !== undefined) {
    if (!['ipv4', 'dualstack'].includes(ipAddressType)) throw badRequest(`Invalid ipAddressType: ${ipAddressType}`)
    api.ipAddressType = ipAddressType
  }
}

/**
 * Quick create
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-basic-concept.html#apigateway-definition-quick-create).
 */
function quickCreate(ctx: OperationContext, api: ApiDoc, target: string, routeKey: string, credentialsArn: string | undefined): void {
  const lambda = /^arn:aws[a-z-]*:(lambda|apigateway):/.test(target)
  const integration: IntegrationDoc = lambda
    ? {
        integrationId: ctx.newId(7),
        integrationType: 'AWS_PROXY',
        integrationMethod: 'POST',
        integrationUri: target,
        payloadFormatVersion: '2.0',
        connectionType: 'INTERNET',
        timeoutInMillis: 30000,
        apiGatewayManaged: true,
      }
    : {
        integrationId: ctx.newId(7),
        integrationType: 'HTTP_PROXY',
        integrationMethod: 'ANY',
        integrationUri: target,
        payloadFormatVersion: '1.0',
        connectionType: 'INTERNET',
        timeoutInMillis: 30000,
        apiGatewayManaged: true,
      }
  if (credentialsArn) integration.credentialsArn = credentialsArn
  ctx.store.put(KIND.v2Integration, childId(api.apiId, integration.integrationId), integration, api.apiId)
  const route: RouteDoc = {
    routeId: ctx.newId(7),
    routeKey,
    apiKeyRequired: false,
    authorizationType: 'NONE',
    target: `integrations/${integration.integrationId}`,
    apiGatewayManaged: true,
  }
  ctx.store.put(KIND.v2Route, childId(api.apiId, route.routeId), route, api.apiId)
  const now = iso(ctx.now())
  const stage: StageDoc = {
    stageName: '$default',
    createdDate: now,
    lastUpdatedDate: now,
    autoDeploy: true,
    defaultRouteSettings: {detailedMetricsEnabled: false},
    routeSettings: {},
    stageVariables: {},
    apiGatewayManaged: true,
    tags: {},
  }
  ctx.store.put(KIND.v2Stage, childId(api.apiId, stage.stageName), stage, api.apiId)
  autoDeploy(ctx, api.apiId)
}

export const createApi: Handler = (req, ctx) => {
  const body = req.json()
  const name = str(body, 'name')
  if (!name) throw badRequest('name is required')
  const protocolType = str(body, 'protocolType')
  if (protocolType !== 'HTTP' && protocolType !== 'WEBSOCKET')
    throw badRequest(`Invalid protocolType: ${protocolType ?? 'missing'}. Must be one of HTTP, WEBSOCKET`)
  const api = newApi(ctx, name, protocolType)
  if (protocolType === 'WEBSOCKET') {
    const rse = str(body, 'routeSelectionExpression')
    if (!rse) throw badRequest('routeSelectionExpression is required for WEBSOCKET APIs')
    api.routeSelectionExpression = rse
    delete api.ipAddressType
  }
  applyApiMembers(api, body)
  api.tags = strMap(body, 'tags') ?? {}
  const target = str(body, 'target')
  const routeKey = str(body, 'routeKey')
  const credentialsArn = str(body, 'credentialsArn')
  if ((target !== undefined || routeKey !== undefined || credentialsArn !== undefined) && protocolType !== 'HTTP') {
    throw badRequest('Quick create (target, routeKey, credentialsArn) is supported only for HTTP APIs')
  }
  if ((routeKey !== undefined || credentialsArn !== undefined) && target === undefined)
    throw badRequest('A target is required for quick create')
  if (routeKey !== undefined && !validRouteKey(api, routeKey))
    throw badRequest(`Unable to create route ${routeKey}. The routeKey is invalid.`)
  ctx.store.put(KIND.v2Api, api.apiId, api)
  if (target !== undefined) quickCreate(ctx, api, target, routeKey ?? '$default', credentialsArn)
  return ok(apiOut(api), 201)
}

export const getApis: Handler = (req, ctx) => page(req, ctx.store.list<ApiDoc>(KIND.v2Api).map(apiOut))

export const getApi: Handler = (req, ctx) => ok(apiOut(requireApi(ctx, req.params.apiId!)))

export const updateApi: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const body = req.json()
  if (body.target !== undefined || body.routeKey !== undefined || body.credentialsArn !== undefined) {
    // Quick update of the managed route/integration is not emulated.
    throw badRequest('Updating target, routeKey or credentialsArn is not supported by the apigw local emulator (see LIMITATIONS.md)')
  }
  applyApiMembers(api, body)
  ctx.store.put(KIND.v2Api, api.apiId, api)
  autoDeploy(ctx, api.apiId)
  return ok(apiOut(api))
}

export const deleteApi: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  for (const kind of CHILD_KINDS) ctx.store.deleteChildren(kind, api.apiId)
  ctx.store.delete(KIND.v2Api, api.apiId)
  return noContent()
}

export const deleteCorsConfiguration: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  delete api.corsConfiguration
  ctx.store.put(KIND.v2Api, api.apiId, api)
  autoDeploy(ctx, api.apiId)
  return noContent()
}

function importOptions(req: Parameters<Handler>[0]): {basepath: Basepath; failOnWarnings: boolean; text: string} {
  const basepath = req.query.basepath ?? 'ignore'
  if (basepath !== 'ignore' && basepath !== 'prepend' && basepath !== 'split') {
    throw badRequest(`Invalid basepath: ${basepath}. Valid values are ignore, prepend and split.`)
  }
  const fow = req.query.failOnWarnings
  if (fow !== undefined && fow !== 'true' && fow !== 'false') throw badRequest(`Invalid failOnWarnings: ${fow}`)
  const text = str(req.json(), 'body')
  if (text === undefined) throw badRequest('body is required')
  return {basepath, failOnWarnings: fow === 'true', text}
}

function checkWarnings(imported: ImportedApi, failOnWarnings: boolean): void {
  // With failonwarnings=true the import is rolled back and "warnings are returned as a message in the
  // exception" (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api-errors-warnings.html).
  if (failOnWarnings && imported.warnings.length > 0) throw badRequest(`Warnings found during import:\n\t${imported.warnings.join('\n\t')}`)
}

/** Create the routes, integrations and authorizers of an imported document under an API. */
function materialise(ctx: OperationContext, api: ApiDoc, imported: ImportedApi): void {
  const authorizerIds = new Map<string, string>()
  for (const [schemeName, a] of imported.authorizers) {
    const doc: AuthorizerDoc = {authorizerId: ctx.newId(6), ...a}
    authorizerIds.set(schemeName, doc.authorizerId)
    ctx.store.put(KIND.v2Authorizer, childId(api.apiId, doc.authorizerId), doc, api.apiId)
  }
  const integrationIds = imported.integrations.map((i) => {
    const doc: IntegrationDoc = {integrationId: ctx.newId(7), ...i}
    ctx.store.put(KIND.v2Integration, childId(api.apiId, doc.integrationId), doc, api.apiId)
    return doc.integrationId
  })
  for (const r of imported.routes) {
    const {integration, authorizer, ...rest} = r
    const doc: RouteDoc = {routeId: ctx.newId(7), ...rest}
    if (integration !== undefined) doc.target = `integrations/${integrationIds[integration]}`
    if (authorizer !== undefined) doc.authorizerId = authorizerIds.get(authorizer)!
    ctx.store.put(KIND.v2Route, childId(api.apiId, doc.routeId), doc, api.apiId)
  }
}

function applyImported(api: ApiDoc, imported: ImportedApi): void {
  api.name = imported.name
  if (imported.description !== undefined) api.description = imported.description
  else delete api.description
  if (imported.version !== undefined) api.version = imported.version
  else delete api.version
  if (imported.corsConfiguration !== undefined) api.corsConfiguration = imported.corsConfiguration
  else delete api.corsConfiguration
  if (imported.disableExecuteApiEndpoint !== undefined) api.disableExecuteApiEndpoint = imported.disableExecuteApiEndpoint
}

const withWarnings = (api: ApiDoc, warnings: string[]): Partial<ApiDoc> => (warnings.length > 0 ? {...apiOut(api), warnings} : apiOut(api))

export const importApi: Handler = async (req, ctx) => {
  const {basepath, failOnWarnings, text} = importOptions(req)
  const imported = await importOpenApi(text, {basepath})
  checkWarnings(imported, failOnWarnings)
  const api = newApi(ctx, imported.name, 'HTTP')
  applyImported(api, imported)
  ctx.store.put(KIND.v2Api, api.apiId, api)
  materialise(ctx, api, imported)
  return ok(withWarnings(api, imported.warnings), 201)
}

export const reimportApi: Handler = async (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  if (api.protocolType !== 'HTTP') throw badRequest('ReimportApi is supported only for HTTP APIs')
  const {basepath, failOnWarnings, text} = importOptions(req)
  const imported = await importOpenApi(text, {basepath})
  checkWarnings(imported, failOnWarnings)
  for (const kind of [KIND.v2Route, KIND.v2Integration, KIND.v2Authorizer]) ctx.store.deleteChildren(kind, api.apiId)
  applyImported(api, imported)
  ctx.store.put(KIND.v2Api, api.apiId, api)
  materialise(ctx, api, imported)
  autoDeploy(ctx, api.apiId)
  return ok(withWarnings(api, imported.warnings), 201)
}

export const exportApi: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const specification = req.params.specification!
  if (specification !== 'OAS30') throw badRequest(`Invalid specification: ${specification}. The only supported value is OAS30.`)
  const outputType = req.query.outputType
  if (outputType !== 'JSON' && outputType !== 'YAML')
    throw badRequest(`Invalid outputType: ${outputType ?? 'missing'}. Valid values are JSON and YAML.`)
  const exportVersion = req.query.exportVersion
  if (exportVersion !== undefined && exportVersion !== '1.0')
    throw badRequest(`Invalid exportVersion: ${exportVersion}. The only supported value is 1.0.`)
  if (api.protocolType !== 'HTTP') throw badRequest('ExportApi is supported only for HTTP APIs')
  const include = req.query.includeExtensions
  const stageName = req.query.stageName
  let snapshot: Snapshot
  if (stageName !== undefined) {
    const stage = requireStage(ctx.store, api.apiId, stageName)
    if (!stage.deploymentId) throw badRequest(`Stage ${stageName} has no deployment to export`)
    snapshot = requireChild<DeploymentDoc>(ctx.store, KIND.v2Deployment, api.apiId, stage.deploymentId, 'Deployment')._snapshot
  } else snapshot = snapshotOf(ctx.store, api)
  const text = exportOpenApi(snapshot, {
    region: ctx.region,
    ...(stageName !== undefined ? {stageName} : {}),
    includeExtensions: include !== 'false',
    outputType,
  })
  return {status: 200, raw: text, contentType: outputType === 'YAML' ? 'application/yaml' : 'application/json'}
}

/** The document an ARN names: an API, a stage or a VPC link (the taggable v2 resources the emulator has). */
function taggable(ctx: OperationContext, arn: string): {kind: string; id: string; parent?: string; doc: {tags: Record<string, string>}} {
  const link = /^arn:aws[a-z-]*:apigateway:[^:]*::\/vpclinks\/([^/]+)$/.exec(arn)
  if (link) return {kind: KIND.v2VpcLink, id: link[1]!, doc: requireVpcLink(ctx, link[1]!)}
  const m = /^arn:aws[a-z-]*:apigateway:[^:]*::\/apis\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn)
  if (!m) throw notFoundV2(`Invalid resource identifier specified ${arn}`, 'Resource')
  const api = ctx.store.get<ApiDoc>(KIND.v2Api, m[1]!)
  if (!api) throw notFoundV2(`Invalid API identifier specified ${ctx.accountId}:${m[1]}`, 'Api')
  if (m[2] === undefined) return {kind: KIND.v2Api, id: api.apiId, doc: api}
  const stage = requireStage(ctx.store, api.apiId, m[2])
  return {kind: KIND.v2Stage, id: childId(api.apiId, stage.stageName), parent: api.apiId, doc: stage}
}

export const tagResource: Handler = (req, ctx) => {
  const target = taggable(ctx, req.params.resourceArn!)
  const tags = strMap(req.json(), 'tags')
  if (!tags) throw badRequest('tags is required')
  target.doc.tags = {...target.doc.tags, ...tags}
  ctx.store.put(target.kind, target.id, target.doc, target.parent)
  return ok({}, 201)
}

export const untagResource: Handler = (req, ctx) => {
  const target = taggable(ctx, req.params.resourceArn!)
  const keys = req.queryAll.getAll('tagKeys').flatMap((k) => k.split(','))
  if (keys.length === 0) throw badRequest('tagKeys is required')
  const tags = {...target.doc.tags}
  for (const k of keys) delete tags[k]
  target.doc.tags = tags
  ctx.store.put(target.kind, target.id, target.doc, target.parent)
  return noContent()
}

export const getTags: Handler = (req, ctx) => ok({tags: taggable(ctx, req.params.resourceArn!).doc.tags ?? {}})
