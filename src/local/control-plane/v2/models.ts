/**
 * Models of WebSocket APIs: CreateModel, GetModels, GetModel, UpdateModel, DeleteModel and GetModelTemplate
 * (https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/apis-apiid-models.html). The API reference says
 * models are "Supported only for WebSocket APIs": an HTTP API's model calls answer BadRequestException.
 */
import {badRequest, conflict} from '../../protocol/aws-error.ts'
import type {Handler, OperationContext} from '../../types.ts'
import {childId, KIND} from '../model.ts'
import {type ApiDoc, listRoutes, noContent, ok, page, requireApi, requireChild, type RouteDoc, str, wire} from './common.ts'
import {modelTemplate} from '../model-template.ts'

export type ModelDoc = {modelId: string; name: string; schema: string; contentType?: string; description?: string}

// Lengths from the model's shapes: StringWithLengthBetween1And128 (name), 1And256 (contentType),
// 0And1024 (description), 0And32K (schema).
const NAME = /^[a-zA-Z0-9]+$/

function requireWebSocket(api: ApiDoc): void {
  if (api.protocolType !== 'WEBSOCKET') throw badRequest('Models are supported only for WebSocket APIs')
}

export const listModels = (ctx: OperationContext, apiId: string): ModelDoc[] => ctx.store.list<ModelDoc>(KIND.v2Model, apiId)

function applyModel(ctx: OperationContext, api: ApiDoc, model: ModelDoc, body: Record<string, unknown>): void {
  const name = str(body, 'name')
  if (name !== undefined) {
    if (name.length < 1 || name.length > 128) throw badRequest('Model name must be between 1 and 128 characters')
    if (!NAME.test(name)) throw badRequest(`Model name must be alphanumeric: ${name}`)
    const taken = listModels(ctx, api.apiId).find((m) => m.name === name && m.modelId !== model.modelId)
    if (taken) throw conflict(`Model name already exists for this API: ${name}`)
    model.name = name
  }
  const schema = str(body, 'schema')
  if (schema !== undefined) {
    if (schema.length > 32768) throw badRequest('Model schema must be at most 32768 characters')
    model.schema = schema
  }
  const contentType = str(body, 'contentType')
  if (contentType !== undefined) {
    if (contentType.length < 1 || contentType.length > 256) throw badRequest('Model contentType must be between 1 and 256 characters')
    model.contentType = contentType
  }
  const description = str(body, 'description')
  if (description !== undefined) {
    if (description.length > 1024) throw badRequest('Model description must be at most 1024 characters')
    model.description = description
  }
  // A JSON model's schema must parse (AWS: "Invalid model specified: Validation Result: … Invalid model schema specified").
  if ((model.contentType ?? 'application/json').includes('json')) {
    let parsed: unknown
    try {
      parsed = JSON.parse(model.schema)
    } catch {
      parsed = undefined
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]')
    }
  }
}

export const createModel: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  requireWebSocket(api)
  const body = req.json()
  if (str(body, 'name') === undefined) throw badRequest('Model name is required')
  if (str(body, 'schema') === undefined) throw badRequest('Model schema is required')
  const model: ModelDoc = {modelId: ctx.newId(6), name: '', schema: ''}
  applyModel(ctx, api, model, body)
  ctx.store.put(KIND.v2Model, childId(api.apiId, model.modelId), model, api.apiId)
  return ok(wire(model), 201)
}

export const getModels: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return page(req, listModels(ctx, api.apiId).map(wire))
}

export const getModel: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  return ok(wire(requireChild<ModelDoc>(ctx.store, KIND.v2Model, api.apiId, req.params.modelId!, 'Model')))
}

export const updateModel: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const model = requireChild<ModelDoc>(ctx.store, KIND.v2Model, api.apiId, req.params.modelId!, 'Model')
  const before = model.name
  applyModel(ctx, api, model, req.json())
  // Routes name their request models by name: a rename carries over to them.
  if (model.name !== before) renameInRoutes(ctx, api.apiId, before, model.name)
  ctx.store.put(KIND.v2Model, childId(api.apiId, model.modelId), model, api.apiId)
  return ok(wire(model))
}

function renameInRoutes(ctx: OperationContext, apiId: string, from: string, to: string): void {
  for (const route of listRoutes(ctx.store, apiId)) {
    if (!route.requestModels || !Object.values(route.requestModels).includes(from)) continue
    for (const [k, v] of Object.entries(route.requestModels)) if (v === from) route.requestModels[k] = to
    ctx.store.put(KIND.v2Route, childId(apiId, route.routeId), route, apiId)
  }
}

export const deleteModel: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const model = requireChild<ModelDoc>(ctx.store, KIND.v2Model, api.apiId, req.params.modelId!, 'Model')
  const users = listRoutes(ctx.store, api.apiId).filter((r: RouteDoc) => Object.values(r.requestModels ?? {}).includes(model.name))
  if (users.length > 0) {
    throw conflict(`Model ${model.name} is in use by route(s): ${users.map((r) => r.routeId).join(', ')}`)
  }
  ctx.store.delete(KIND.v2Model, childId(api.apiId, model.modelId))
  return noContent()
}

export const getModelTemplate: Handler = (req, ctx) => {
  const api = requireApi(ctx, req.params.apiId!)
  const model = requireChild<ModelDoc>(ctx.store, KIND.v2Model, api.apiId, req.params.modelId!, 'Model')
  return ok({value: modelTemplate(model.schema)})
}
