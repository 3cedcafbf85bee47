/**
 * Route responses and integration responses of WebSocket APIs (API Gateway v2): a route response makes a route
 * two-way, an integration response maps a non-proxy integration's answer (by `integrationResponseKey`: `$default`
 * or a `/regex/` on the status) through templates. AWS's shapes: RouteResponse and IntegrationResponse of the
 * apigatewayv2 model. HTTP APIs have neither (BadRequestException, as AWS answers; wording not recorded).
 */
import {badRequest, conflict} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext} from '../../types.ts'
import {childId, KIND} from '../model.ts'
import {
  type ApiDoc,
  type IntegrationDoc,
  noContent,
  obj,
  ok,
  page,
  requireApi,
  requireChild,
  notFoundV2,
  type RouteDoc,
  str,
  strMap,
  wire,
} from './common.ts'
import {autoDeploy} from './deployments.ts'

export type RouteResponseDoc = {
  routeResponseId: string
  routeResponseKey: string
  modelSelectionExpression?: string
  responseModels?: Record<string, string>
  responseParameters?: Record<string, {required: boolean}>
  /** The route it belongs to (not on the wire). */
  _routeId: string
}

export type IntegrationResponseDoc = {
  integrationResponseId: string
  integrationResponseKey: string
  contentHandlingStrategy?: string
  responseParameters?: Record<string, string>
  responseTemplates?: Record<string, string>
  templateSelectionExpression?: string
  /** The integration it belongs to (not on the wire). */
  _integrationId: string
}

function websocketOnly(api: ApiDoc, what: string): void {
  if (api.protocolType !== 'WEBSOCKET') throw badRequest(`${what} are supported only for WebSocket APIs.`)
}

// ---------------------------------------------------------------------------------------------------
// Route responses

function routeOf(req: Parameters<Handler>[0], ctx: OperationContext): {api: ApiDoc; route: RouteDoc} {
  const api = requireApi(ctx, req.params.apiId!)
  const route = requireChild<RouteDoc>(ctx.store, KIND.v2Route, api.apiId, req.params.routeId!, 'Route')
  websocketOnly(api, 'Route responses')
  return {api, route}
}

const routeResponseParent = (apiId: string, routeId: string): string => childId(apiId, routeId)

function applyRouteResponse(ctx: OperationContext, api: ApiDoc, doc: RouteResponseDoc, body: Record<string, unknown>): void {
  const key = str(body, 'routeResponseKey')
  if (key !== undefined) {
    if (key === '') throw badRequest('routeResponseKey is required')
    const siblings = ctx.store.list<RouteResponseDoc>(KIND.v2RouteResponse, routeResponseParent(api.apiId, doc._routeId))
    if (siblings.some((r) => r.routeResponseKey === key && r.routeResponseId !== doc.routeResponseId))
      throw conflict(`Unable to create route response ${key}. A route response with this key already exists.`)
    doc.routeResponseKey = key
  }
  const mse = str(body, 'modelSelectionExpression')
  if (mse !== undefined) doc.modelSelectionExpression = mse
  const models = strMap(body, 'responseModels')
  if (models !== undefined) doc.responseModels = models
  const params = obj(body, 'responseParameters')
  if (params !== undefined) {
    const out: Record<string, {required: boolean}> = {}
    for (const [k, v] of Object.entries(params)) {
      const required = v && typeof v === 'object' ? (v as {required?: unknown}).required : undefined
      if (typeof required !== 'boolean') throw badRequest(`Invalid value for responseParameters.${k}: expected {"required": boolean}`)
      out[k] = {required}
    }
    doc.responseParameters = out
  }
}

export const createRouteResponse: Handler = (req, ctx) => {
  const {api, route} = routeOf(req, ctx)
  const body = req.json()
  if (!str(body, 'routeResponseKey')) throw badRequest('routeResponseKey is required')
  const doc: RouteResponseDoc = {routeResponseId: ctx.newId(6), routeResponseKey: '', _routeId: route.routeId}
  applyRouteResponse(ctx, api, doc, body)
  ctx.store.put(
    KIND.v2RouteResponse,
    childId(routeResponseParent(api.apiId, route.routeId), doc.routeResponseId),
    doc,
    routeResponseParent(api.apiId, route.routeId),
  )
  autoDeploy(ctx, api.apiId)
  return ok(wire(doc), 201)
}

export const getRouteResponses: Handler = (req, ctx) => {
  const {api, route} = routeOf(req, ctx)
  return page(req, ctx.store.list<RouteResponseDoc>(KIND.v2RouteResponse, routeResponseParent(api.apiId, route.routeId)).map(wire))
}

function requireRouteResponse(req: Parameters<Handler>[0], ctx: OperationContext): {api: ApiDoc; doc: RouteResponseDoc; id: string} {
  const {api, route} = routeOf(req, ctx)
  const id = childId(routeResponseParent(api.apiId, route.routeId), req.params.routeResponseId!)
  const doc = ctx.store.get<RouteResponseDoc>(KIND.v2RouteResponse, id)
  if (!doc) throw notFound(`Invalid RouteResponse identifier specified ${req.params.routeResponseId}`, 'RouteResponse')
  return {api, doc, id}
}

export const getRouteResponse: Handler = (req, ctx) => ok(wire(requireRouteResponse(req, ctx).doc))

export const updateRouteResponse: Handler = (req, ctx) => {
  const {api, doc, id} = requireRouteResponse(req, ctx)
  applyRouteResponse(ctx, api, doc, req.json())
  ctx.store.put(KIND.v2RouteResponse, id, doc, routeResponseParent(api.apiId, doc._routeId))
  autoDeploy(ctx, api.apiId)
  return ok(wire(doc))
}

export const deleteRouteResponse: Handler = (req, ctx) => {
  const {api, id} = requireRouteResponse(req, ctx)
  ctx.store.delete(KIND.v2RouteResponse, id)
  autoDeploy(ctx, api.apiId)
  return noContent()
}

// ---------------------------------------------------------------------------------------------------
// Integration responses

function integrationOf(req: Parameters<Handler>[0], ctx: OperationContext): {api: ApiDoc; integration: IntegrationDoc} {
  const api = requireApi(ctx, req.params.apiId!)
  const integration = requireChild<IntegrationDoc>(ctx.store, KIND.v2Integration, api.apiId, req.params.integrationId!, 'Integration')
  websocketOnly(api, 'Integration responses')
  return {api, integration}
}

const integrationResponseParent = (apiId: string, integrationId: string): string => childId(apiId, integrationId)

const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT']

function applyIntegrationResponse(ctx: OperationContext, api: ApiDoc, doc: IntegrationResponseDoc, body: Record<string, unknown>): void {
  const key = str(body, 'integrationResponseKey')
  if (key !== undefined) {
    // `$default`, or a regular expression between slashes matched against the status code.
    if (key !== '$default' && !/^\/.+\/$/.test(key)) throw badRequest(`Invalid integrationResponseKey: ${key}`)
    const siblings = ctx.store.list<IntegrationResponseDoc>(
      KIND.v2IntegrationResponse,
      integrationResponseParent(api.apiId, doc._integrationId),
    )
    if (siblings.some((r) => r.integrationResponseKey === key && r.integrationResponseId !== doc.integrationResponseId))
      throw conflict(`Unable to create integration response ${key}. An integration response with this key already exists.`)
    doc.integrationResponseKey = key
  }
  const chs = str(body, 'contentHandlingStrategy')
  if (chs !== undefined) {
    if (!CONTENT_HANDLING.includes(chs)) throw badRequest(`Invalid contentHandlingStrategy: ${chs}`)
    doc.contentHandlingStrategy = chs
  }
  const params = strMap(body, 'responseParameters')
  if (params !== undefined) doc.responseParameters = params
  const templates = strMap(body, 'responseTemplates')
  if (templates !== undefined) doc.responseTemplates = templates
  const tse = str(body, 'templateSelectionExpression')
  if (tse !== undefined) doc.templateSelectionExpression = tse
}

export const createIntegrationResponse: Handler = (req, ctx) => {
  const {api, integration} = integrationOf(req, ctx)
  const body = req.json()
  if (!str(body, 'integrationResponseKey')) throw badRequest('integrationResponseKey is required')
  const doc: IntegrationResponseDoc = {
    integrationResponseId: ctx.newId(6),
    integrationResponseKey: '',
    _integrationId: integration.integrationId,
  }
  applyIntegrationResponse(ctx, api, doc, body)
  const parent = integrationResponseParent(api.apiId, integration.integrationId)
  ctx.store.put(KIND.v2IntegrationResponse, childId(parent, doc.integrationResponseId), doc, parent)
  autoDeploy(ctx, api.apiId)
  return ok(wire(doc), 201)
}

export const getIntegrationResponses: Handler = (req, ctx) => {
  const {api, integration} = integrationOf(req, ctx)
  const parent = integrationResponseParent(api.apiId, integration.integrationId)
  return page(req, ctx.store.list<IntegrationResponseDoc>(KIND.v2IntegrationResponse, parent).map(wire))
}

function requireIntegrationResponse(
  req: Parameters<Handler>[0],
  ctx: OperationContext,
): {api: ApiDoc; doc: IntegrationResponseDoc; id: string} {
  const {api, integration} = integrationOf(req, ctx)
  const id = childId(integrationResponseParent(api.apiId, integration.integrationId), req.params.integrationResponseId!)
  const doc = ctx.store.get<IntegrationResponseDoc>(KIND.v2IntegrationResponse, id)
  if (!doc) throw notFound(`Invalid IntegrationResponse identifier specified ${req.params.integrationResponseId}`, 'IntegrationResponse')
  return {api, doc, id}
}

export const getIntegrationResponse: Handler = (req, ctx) => ok(wire(requireIntegrationResponse(req, ctx).doc))

export const updateIntegrationResponse: Handler = (req, ctx) => {
  const {api, doc, id} = requireIntegrationResponse(req, ctx)
  applyIntegrationResponse(ctx, api, doc, req.json())
  ctx.store.put(KIND.v2IntegrationResponse, id, doc, integrationResponseParent(api.apiId, doc._integrationId))
  autoDeploy(ctx, api.apiId)
  return ok(wire(doc))
}

export const deleteIntegrationResponse: Handler = (req, ctx) => {
  const {api, id} = requireIntegrationResponse(req, ctx)
  ctx.store.delete(KIND.v2IntegrationResponse, id)
  autoDeploy(ctx, api.apiId)
  return noContent()
}

function notFound(message: string, resourceType: string) {
  return notFoundV2(message, resourceType)
}
