/**
 * Reading and writing a REST API's whole configuration (resources with their methods, models, authorizers,
 * validators, gateway responses) as one `ApiSnapshot`, so import, deployment and export share one shape.
 */
import type {
  ApiSettings,
  ApiSnapshot,
  AuthorizerDoc,
  GatewayResponseDoc,
  ModelDoc,
  RequestValidatorDoc,
  ResourceDoc,
} from '../../openapi/types.ts'
import type {Store} from '../../store/store.ts'
import {childId, KIND, type RestApiDoc} from '../model.ts'

const SETTINGS_KEYS = [
  'name',
  'description',
  'version',
  'binaryMediaTypes',
  'minimumCompressionSize',
  'apiKeySource',
  'policy',
  'disableExecuteApiEndpoint',
  'endpointConfiguration',
] as const

export function settingsOf(api: RestApiDoc): ApiSettings {
  const out: Record<string, unknown> = {}
  for (const k of SETTINGS_KEYS) if (api[k] !== undefined) out[k] = structuredClone(api[k])
  return out as ApiSettings
}

/** The live configuration of a REST API (the caller has checked that it exists). */
export function loadSnapshot(store: Store, api: RestApiDoc): ApiSnapshot {
  return {
    restApiId: api.id,
    settings: settingsOf(api),
    rootResourceId: api.rootResourceId,
    resources: store.list<ResourceDoc>(KIND.resource, api.id),
    models: store.list<ModelDoc>(KIND.model, api.id),
    authorizers: store.list<AuthorizerDoc>(KIND.authorizer, api.id),
    requestValidators: store.list<RequestValidatorDoc>(KIND.requestValidator, api.id),
    gatewayResponses: store.list<GatewayResponseDoc>(KIND.gatewayResponse, api.id),
  }
}

/** Replace the REST API's settings and children with the snapshot's; returns the updated API document. */
export function saveSnapshot(store: Store, api: RestApiDoc, snapshot: ApiSnapshot): RestApiDoc {
  const updated: RestApiDoc = {...api}
  for (const k of SETTINGS_KEYS) delete (updated as Record<string, unknown>)[k]
  Object.assign(updated, snapshot.settings)
  updated.name = snapshot.settings.name
  updated.endpointConfiguration = snapshot.settings.endpointConfiguration ?? api.endpointConfiguration
  updated.disableExecuteApiEndpoint = snapshot.settings.disableExecuteApiEndpoint ?? false
  updated.rootResourceId = snapshot.rootResourceId
  store.put(KIND.restApi, api.id, updated)
  for (const kind of [KIND.resource, KIND.model, KIND.authorizer, KIND.requestValidator, KIND.gatewayResponse])
    store.deleteChildren(kind, api.id)
  for (const r of snapshot.resources) store.put(KIND.resource, childId(api.id, r.id), r, api.id)
  for (const m of snapshot.models) store.put(KIND.model, childId(api.id, m.name), m, api.id)
  for (const a of snapshot.authorizers) store.put(KIND.authorizer, childId(api.id, a.id), a, api.id)
  for (const v of snapshot.requestValidators) store.put(KIND.requestValidator, childId(api.id, v.id), v, api.id)
  for (const g of snapshot.gatewayResponses) store.put(KIND.gatewayResponse, childId(api.id, g.responseType), g, api.id)
  return updated
}

/** Delete a REST API and everything under it. */
export function deleteRestApiTree(store: Store, restApiId: string): void {
  for (const kind of [
    KIND.resource,
    KIND.model,
    KIND.authorizer,
    KIND.requestValidator,
    KIND.gatewayResponse,
    KIND.deployment,
    KIND.stage,
    KIND.documentationPart,
    KIND.documentationVersion,
  ]) {
    store.deleteChildren(kind, restApiId)
  }
  store.delete(KIND.restApi, restApiId)
}
