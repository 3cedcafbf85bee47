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

const routeResponses = responseHandlers<RouteResponseDoc>({
  kind: KIND.v2RouteResponse,
  idParam: 'routeResponseId',
  parentOf: (req, ctx) => {
    const {api, route} = routeOf(req, ctx)
    return {api, parentId: route.routeId}
  },
  create: (body, ctx, routeId) => {
    if (!str(body, 'routeResponseKey')) throw badRequest('routeResponseKey is required')
    return {routeResponseId: ctx.newId(6), routeResponseKey: '', _routeId: routeId}
  },
  idOf: (doc) => doc.routeResponseId,
  apply: applyRouteResponse,
  missing: (id) => notFound(`Invalid RouteResponse identifier specified ${id}`, 'RouteResponse'),
})

export const createRouteResponse = routeResponses.create
export const getRouteResponses = routeResponses.list
export const getRouteResponse = routeResponses.get
export const updateRouteResponse = routeResponses.update
export const deleteRouteResponse = routeResponses.delete

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

const integrationResponses = responseHandlers<IntegrationResponseDoc>({
  kind: KIND.v2IntegrationResponse,
  idParam: 'integrationResponseId',
  parentOf: (req, ctx) => {
    const {api, integration} = integrationOf(req, ctx)
    return {api, parentId: integration.integrationId}
  },
  create: (body, ctx, integrationId) => {
    if (!str(body, 'integrationResponseKey')) throw badRequest('integrationResponseKey is required')
    return {integrationResponseId: ctx.newId(6), integrationResponseKey: '', _integrationId: integrationId}
  },
  idOf: (doc) => doc.integrationResponseId,
  apply: applyIntegrationResponse,
  missing: (id) => notFound(`Invalid IntegrationResponse identifier specified ${id}`, 'IntegrationResponse'),
})

export const createIntegrationResponse = integrationResponses.create
export const getIntegrationResponses = integrationResponses.list
export const getIntegrationResponse = integrationResponses.get
export const updateIntegrationResponse = integrationResponses.update
export const deleteIntegrationResponse = integrationResponses.delete

// ---------------------------------------------------------------------------------------------------

type Request = Parameters<Handler>[0]

/**
 * The five operations of a response resource under a route or an integration (Create, Get (list), Get, Update,
 * Delete): stored as children of `{apiId}/{parentId}`, each change auto-deploying the API's stages that ask for it.
 */
function responseHandlers<D extends object>(spec: {
  kind: string
  /** The path parameter naming one response. */
  idParam: string
  /** The API and the route or integration the request names (checked, and WebSocket only). */
  parentOf: (req: Request, ctx: OperationContext) => {api: ApiDoc; parentId: string}
  /** A new response for CreateX's body (its key required), before `apply`. */
  create: (body: Record<string, unknown>, ctx: OperationContext, parentId: string) => D
  idOf: (doc: D) => string
  apply: (ctx: OperationContext, api: ApiDoc, doc: D, body: Record<string, unknown>) => void
  missing: (id: string | undefined) => Error
}): Record<'create' | 'list' | 'get' | 'update' | 'delete', Handler> {
  const one = (req: Request, ctx: OperationContext): {api: ApiDoc; doc: D; id: string; parent: string} => {
    const {api, parentId} = spec.parentOf(req, ctx)
    const parent = childId(api.apiId, parentId)
    const id = childId(parent, req.params[spec.idParam]!)
    const doc = ctx.store.get<D>(spec.kind, id)
    if (!doc) throw spec.missing(req.params[spec.idParam])
    return {api, doc, id, parent}
  }
  return {
    create: (req, ctx) => {
      const {api, parentId} = spec.parentOf(req, ctx)
      const body = req.json()
      const doc = spec.create(body, ctx, parentId)
      spec.apply(ctx, api, doc, body)
      const parent = childId(api.apiId, parentId)
      ctx.store.put(spec.kind, childId(parent, spec.idOf(doc)), doc, parent)
      autoDeploy(ctx, api.apiId)
      return ok(wire(doc), 201)
    },
    list: (req, ctx) => {
      const {api, parentId} = spec.parentOf(req, ctx)
      return page(req, ctx.store.list<D>(spec.kind, childId(api.apiId, parentId)).map(wire))
    },
    get: (req, ctx) => ok(wire(one(req, ctx).doc)),
    update: (req, ctx) => {
      const {api, doc, id, parent} = one(req, ctx)
      spec.apply(ctx, api, doc, req.json())
      ctx.store.put(spec.kind, id, doc, parent)
      autoDeploy(ctx, api.apiId)
      return ok(wire(doc))
    },
    delete: (req, ctx) => {
      const {api, id} = one(req, ctx)
      ctx.store.delete(spec.kind, id)
      autoDeploy(ctx, api.apiId)
      return noContent()
    },
  }
}

function notFound(message: string, resourceType: string) {
  return notFoundV2(message, resourceType)
}
