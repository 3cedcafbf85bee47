/**
 * The configuration of an HTTP (or WebSocket) API: routes, integrations and authorizers. Every change
 * redeploys the stages that have autoDeploy on.
 */
import {badRequest, conflict} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext} from '../../types.ts'
import {childId, KIND} from '../model.ts'
import {
  type ApiDoc,
  type AuthorizerDoc,
  bool,
  type IntegrationDoc,
  listAuthorizers,
  listIntegrations,
  listRoutes,
  noContent,
  notFoundV2,
  num,
  obj,
  ok,
  page,
  requireApi,
  requireChild,
  type RouteDoc,
  str,
  strList,
  strMap,
  wire,
} from './common.ts'
import {autoDeploy} from './deployments.ts'
import {listModels} from './models.ts'
import {requireVpcLink} from './vpc-links.ts'

const HTTP_METHODS = ['ANY', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS']

/**
 * HTTP API route keys: `$default` or `METHOD /path`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html).
 */
export function validRouteKey(api: Pick<ApiDoc, 'protocolType'>, routeKey: string): boolean {
  if (api.protocolType === 'WEBSOCKET') return routeKey.length > 0
  if (routeKey === '$default') return true
  const m = /^([A-Z]+) (\/\S*)$/.exec(routeKey)
  return !!m && HTTP_METHODS.includes(m[1]!)
}

function checkTarget(ctx: OperationContext, apiId: string, target: string): void {
  const m = /^integrations\/(.+)$/.exec(target)
  if (!m || !ctx.store.get(KIND.v2Integration, childId(apiId, m[1]!))) throw badRequest(`Invalid target specified: ${target}`)
}

function applyRoute(ctx: OperationContext, api: ApiDoc, route: RouteDoc, body: Record<string, unknown>): void {
  const routeKey = str(body, 'routeKey')
  if (routeKey !== undefined) {
    if (!validRouteKey(api, routeKey)) throw badRequest(`Unable to create route ${routeKey}. The routeKey is invalid.`)
    if (listRoutes(ctx.store, api.apiId).some((r) => r.routeKey === routeKey && r.routeId !== route.routeId)) {
      throw conflict(`Unable to create route ${routeKey}. A route with this route key already exists.`)
    }
    route.routeKey = routeKey
  }
  const target = str(body, 'target')
  if (target !== undefined) {
    if (target === '') delete route.target
    else {
      checkTarget(ctx, api.apiId, target)
      route.target = target
    }
  }
  const authorizationType = str(body, 'authorizationType')
  if (authorizationType !== undefined) {
    if (!['NONE', 'AWS_IAM', 'CUSTOM', 'JWT'].includes(authorizationType))
      throw badRequest(`Invalid authorizationType: ${authorizationType}`)
    route.authorizationType = authorizationType
  }
  const authorizerId = str(body, 'authorizerId')
  if (authorizerId !== undefined) {
    if (authorizerId === '') delete route.authorizerId
    else {
      requireChild<AuthorizerDoc>(ctx.store, KIND.v2Authorizer, api.apiId, authorizerId, 'Authorizer')
      route.authorizerId = authorizerId
    }
  }
  const scopes = strList(body, 'authorizationScopes')
  if (scopes !== undefined) route.authorizationScopes = scopes
  const apiKeyRequired = bool(body, 'apiKeyRequired')
  if (apiKeyRequired !== undefined) route.apiKeyRequired = apiKeyRequired
  for (const key of ['operationName', 'modelSelectionExpression', 'routeResponseSelectionExpression'] as const) {
    const v = str(body, key)
    if (v !== undefined) route[key] = v
  }
  const requestModels = strMap(body, 'requestModels')
  if (requestModels !== undefined) {
    // Models are WebSocket APIs' (models.ts): each name must be a model of the API.
    const names = new Set(listModels(ctx, api.apiId).map((m) => m.name))
    const missing = Object.values(requestModels).find((name) => !names.has(name))
    if (missing !== undefined) throw badRequest(`Invalid model identifier specified: ${missing}`)
    route.requestModels = requestModels
  }
  const requestParameters = obj(body, 'requestParameters')
  if (requestParameters !== undefined) route.requestParameters = requestParameters as RouteDoc['requestParameters']
  if ((route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') && !route.authorizerId) {
    throw badRequest(`An authorizerId must be specified for authorizationType ${route.authorizationType}`)
  }
}

export const createRoute: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const body = req.json()
  if (str(body, 'routeKey') === undefined) throw badRequest('routeKey is required')
  const route: RouteDoc = {routeId: ctx.newId(7), routeKey: '', apiKeyRequired: false, authorizationType: 'NONE'}
  applyRoute(ctx, api, route, body)
  ctx.store.put(KIND.v2Route, childId(api.apiId, route.routeId), route, api.apiId)
  autoDeploy(ctx, api.apiId)
  return ok(wire(route), 201)
}

export const getRoutes: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return page(req, listRoutes(ctx.store, api.apiId).map(wire))
}

export const getRoute: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return ok(wire(requireChild<RouteDoc>(ctx.store, KIND.v2Route, api.apiId, req.params.routeId!, 'Route')))
}

export const updateRoute: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const route = requireChild<RouteDoc>(ctx.store, KIND.v2Route, api.apiId, req.params.routeId!, 'Route')
  applyRoute(ctx, api, route, req.json())
  ctx.store.put(KIND.v2Route, childId(api.apiId, route.routeId), route, api.apiId)
  autoDeploy(ctx, api.apiId)
  return ok(wire(route))
}

export const deleteRoute: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const route = requireChild<RouteDoc>(ctx.store, KIND.v2Route, api.apiId, req.params.routeId!, 'Route')
  ctx.store.delete(KIND.v2Route, childId(api.apiId, route.routeId))
  ctx.store.deleteChildren(KIND.v2RouteResponse, childId(api.apiId, route.routeId))
  autoDeploy(ctx, api.apiId)
  return noContent()
}

/** DeleteRouteRequestParameter: drop one key of a route's `requestParameters` (WebSocket APIs). */
export const deleteRouteRequestParameter: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const route = requireChild<RouteDoc>(ctx.store, KIND.v2Route, api.apiId, req.params.routeId!, 'Route')
  const key = req.params.requestParameterKey!
  if (!route.requestParameters || !Object.hasOwn(route.requestParameters, key)) {
    throw notFoundV2(`Invalid request parameter key specified ${key}`, 'RouteRequestParameter')
  }
  delete route.requestParameters[key]
  ctx.store.put(KIND.v2Route, childId(api.apiId, route.routeId), route, api.apiId)
  autoDeploy(ctx, api.apiId)
  return noContent()
}

const HTTP_INTEGRATION_TYPES = ['AWS_PROXY', 'HTTP_PROXY']
const WEBSOCKET_INTEGRATION_TYPES = ['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK']

function applyIntegration(ctx: OperationContext, api: ApiDoc, integration: IntegrationDoc, body: Record<string, unknown>): void {
  const type = str(body, 'integrationType')
  if (type !== undefined) {
    if (!WEBSOCKET_INTEGRATION_TYPES.includes(type)) {
      throw badRequest(`Invalid integration type: ${type}. Valid values are ${WEBSOCKET_INTEGRATION_TYPES.join(', ')}`)
    }
    // AWS's words for an HTTP API (aws/aws-cli#6363); the model documents the same rule ("Supported only for WebSocket APIs").
    if (api.protocolType === 'HTTP' && !HTTP_INTEGRATION_TYPES.includes(type)) {
      throw badRequest(
        'Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)',
      )
    }
    integration.integrationType = type
  }
  for (const key of [
    'integrationUri',
    'integrationMethod',
    'integrationSubtype',
    'connectionId',
    'credentialsArn',
    'description',
    'templateSelectionExpression',
    'passthroughBehavior',
    'contentHandlingStrategy',
    'integrationResponseSelectionExpression',
  ] as const) {
    const v = str(body, key)
    if (v !== undefined) integration[key] = v
  }
  const connectionType = str(body, 'connectionType')
  if (connectionType !== undefined) {
    if (!['INTERNET', 'VPC_LINK'].includes(connectionType)) throw badRequest(`Invalid connectionType: ${connectionType}`)
    integration.connectionType = connectionType
  }
  const pfv = str(body, 'payloadFormatVersion')
  if (pfv !== undefined) {
    if (!['1.0', '2.0'].includes(pfv)) throw badRequest(`Invalid payloadFormatVersion: ${pfv}. Supported values are 1.0 and 2.0`)
    integration.payloadFormatVersion = pfv
  }
  const timeout = num(body, 'timeoutInMillis')
  if (timeout !== undefined) {
    // HTTP APIs: 50 ms to 30 s (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html).
    const max = api.protocolType === 'HTTP' ? 30000 : 29000
    if (!Number.isInteger(timeout) || timeout < 50 || timeout > max)
      throw badRequest(`Invalid timeoutInMillis: must be between 50 and ${max}`)
    integration.timeoutInMillis = timeout
  }
  const requestParameters = strMap(body, 'requestParameters')
  if (requestParameters !== undefined) integration.requestParameters = requestParameters
  const requestTemplates = strMap(body, 'requestTemplates')
  if (requestTemplates !== undefined) integration.requestTemplates = requestTemplates
  const responseParameters = obj(body, 'responseParameters')
  if (responseParameters !== undefined) integration.responseParameters = responseParameters as IntegrationDoc['responseParameters']
  const tls = obj(body, 'tlsConfig')
  if (tls !== undefined) {
    const serverNameToVerify = str(tls, 'serverNameToVerify')
    integration.tlsConfig = serverNameToVerify === undefined ? {} : {serverNameToVerify}
  }
  if (api.protocolType === 'HTTP' && integration.connectionType === 'VPC_LINK') {
    // A private integration of an HTTP API goes through a v2 VPC link (WebSocket APIs use REST API VPC links).
    if (!integration.connectionId) throw badRequest('connectionId is required for connectionType VPC_LINK')
    requireVpcLink(ctx, integration.connectionId)
  }
  if (api.protocolType === 'HTTP') {
    if (integration.integrationType === 'AWS_PROXY' && !integration.integrationUri && !integration.integrationSubtype) {
      throw badRequest('integrationUri is required for AWS_PROXY integrations without an integrationSubtype')
    }
    if (integration.integrationType === 'HTTP_PROXY' && !integration.integrationUri)
      throw badRequest('integrationUri is required for HTTP_PROXY integrations')
    if (integration.integrationType === 'HTTP_PROXY' && integration.payloadFormatVersion !== '1.0') {
      // HTTP APIs: "For all other integrations, 1.0 is the only supported value." (Integration.payloadFormatVersion)
      throw badRequest('payloadFormatVersion 1.0 is the only supported value for HTTP_PROXY integrations')
    }
  }
}

export const createIntegration: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const body = req.json()
  const type = str(body, 'integrationType')
  if (type === undefined) throw badRequest('integrationType is required')
  const integration: IntegrationDoc = {
    integrationId: ctx.newId(7),
    integrationType: type,
    connectionType: 'INTERNET',
    timeoutInMillis: api.protocolType === 'HTTP' ? 30000 : 29000,
  }
  if (api.protocolType === 'HTTP') integration.payloadFormatVersion = '1.0'
  if (type === 'AWS_PROXY' && str(body, 'integrationMethod') === undefined && !str(body, 'integrationSubtype'))
    integration.integrationMethod = 'POST'
  applyIntegration(ctx, api, integration, body)
  ctx.store.put(KIND.v2Integration, childId(api.apiId, integration.integrationId), integration, api.apiId)
  autoDeploy(ctx, api.apiId)
  return ok(wire(integration), 201)
}

export const getIntegrations: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return page(req, listIntegrations(ctx.store, api.apiId).map(wire))
}

export const getIntegration: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return ok(wire(requireChild<IntegrationDoc>(ctx.store, KIND.v2Integration, api.apiId, req.params.integrationId!, 'Integration')))
}

export const updateIntegration: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const integration = requireChild<IntegrationDoc>(ctx.store, KIND.v2Integration, api.apiId, req.params.integrationId!, 'Integration')
  applyIntegration(ctx, api, integration, req.json())
  ctx.store.put(KIND.v2Integration, childId(api.apiId, integration.integrationId), integration, api.apiId)
  autoDeploy(ctx, api.apiId)
  return ok(wire(integration))
}

export const deleteIntegration: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const integration = requireChild<IntegrationDoc>(ctx.store, KIND.v2Integration, api.apiId, req.params.integrationId!, 'Integration')
  const target = `integrations/${integration.integrationId}`
  const users = listRoutes(ctx.store, api.apiId).filter((r) => r.target === target)
  if (users.length > 0)
    throw conflict(`Integration ${integration.integrationId} is in use by route(s): ${users.map((r) => r.routeId).join(', ')}`)
  ctx.store.delete(KIND.v2Integration, childId(api.apiId, integration.integrationId))
  ctx.store.deleteChildren(KIND.v2IntegrationResponse, childId(api.apiId, integration.integrationId))
  autoDeploy(ctx, api.apiId)
  return noContent()
}

function applyAuthorizer(api: ApiDoc, authorizer: AuthorizerDoc, body: Record<string, unknown>): void {
  const name = str(body, 'name')
  if (name !== undefined) authorizer.name = name
  const type = str(body, 'authorizerType')
  if (type !== undefined) {
    const allowed = api.protocolType === 'HTTP' ? ['JWT', 'REQUEST'] : ['REQUEST']
    if (!allowed.includes(type)) throw badRequest(`Invalid authorizerType: ${type}`)
    authorizer.authorizerType = type as AuthorizerDoc['authorizerType']
  }
  const identitySource = strList(body, 'identitySource')
  if (identitySource !== undefined) authorizer.identitySource = identitySource
  const jwt = obj(body, 'jwtConfiguration')
  if (jwt !== undefined) {
    const audience = strList(jwt, 'audience')
    const issuer = str(jwt, 'issuer')
    authorizer.jwtConfiguration = {}
    if (audience !== undefined) authorizer.jwtConfiguration.audience = audience
    if (issuer !== undefined) authorizer.jwtConfiguration.issuer = issuer
  }
  for (const key of [
    'authorizerUri',
    'authorizerCredentialsArn',
    'authorizerPayloadFormatVersion',
    'identityValidationExpression',
  ] as const) {
    const v = str(body, key)
    if (v !== undefined) authorizer[key] = v
  }
  const ttl = num(body, 'authorizerResultTtlInSeconds')
  if (ttl !== undefined) {
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw badRequest('authorizerResultTtlInSeconds must be between 0 and 3600')
    authorizer.authorizerResultTtlInSeconds = ttl
  }
  const simple = bool(body, 'enableSimpleResponses')
  if (simple !== undefined) authorizer.enableSimpleResponses = simple
  if (authorizer.authorizerType === 'JWT' && !authorizer.jwtConfiguration?.issuer)
    throw badRequest('JWT authorizers require jwtConfiguration.issuer')
  if (authorizer.authorizerType === 'REQUEST' && !authorizer.authorizerUri) throw badRequest('REQUEST authorizers require an authorizerUri')
  if (api.protocolType === 'HTTP' && authorizer.authorizerType === 'REQUEST' && !authorizer.authorizerPayloadFormatVersion) {
    throw badRequest('authorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs')
  }
}

export const createAuthorizer: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const body = req.json()
  const name = str(body, 'name')
  const type = str(body, 'authorizerType')
  if (!name) throw badRequest('name is required')
  if (!type) throw badRequest('authorizerType is required')
  const authorizer: AuthorizerDoc = {authorizerId: ctx.newId(6), name, authorizerType: type as AuthorizerDoc['authorizerType']}
  applyAuthorizer(api, authorizer, body)
  ctx.store.put(KIND.v2Authorizer, childId(api.apiId, authorizer.authorizerId), authorizer, api.apiId)
  autoDeploy(ctx, api.apiId)
  return ok(wire(authorizer), 201)
}

export const getAuthorizers: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return page(req, listAuthorizers(ctx.store, api.apiId).map(wire))
}

export const getAuthorizer: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return ok(wire(requireChild<AuthorizerDoc>(ctx.store, KIND.v2Authorizer, api.apiId, req.params.authorizerId!, 'Authorizer')))
}

export const updateAuthorizer: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const authorizer = requireChild<AuthorizerDoc>(ctx.store, KIND.v2Authorizer, api.apiId, req.params.authorizerId!, 'Authorizer')
  applyAuthorizer(api, authorizer, req.json())
  ctx.store.put(KIND.v2Authorizer, childId(api.apiId, authorizer.authorizerId), authorizer, api.apiId)
  autoDeploy(ctx, api.apiId)
  return ok(wire(authorizer))
}

export const deleteAuthorizer: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const authorizer = requireChild<AuthorizerDoc>(ctx.store, KIND.v2Authorizer, api.apiId, req.params.authorizerId!, 'Authorizer')
  const users = listRoutes(ctx.store, api.apiId).filter((r) => r.authorizerId === authorizer.authorizerId)
  if (users.length > 0)
    throw conflict(`Authorizer ${authorizer.authorizerId} is in use by route(s): ${users.map((r) => r.routeId).join(', ')}`)
  ctx.store.delete(KIND.v2Authorizer, childId(api.apiId, authorizer.authorizerId))
  autoDeploy(ctx, api.apiId)
  return noContent()
}
