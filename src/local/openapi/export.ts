/**
 * API Gateway v1 configuration → OpenAPI 3.0.1 / Swagger 2.0, as GetExport builds it from a deployment.
 * Pure: reads only the frozen `ApiSnapshot`. Shapes follow the recordings (corpus/aws-ground-truth/06, 07):
 * descriptions are "<code> response", parameters are strings, oas30 bodiless responses get `content: {}`.
 * AWS docs: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-export-api.html
 */
import {stringify as stringifyYaml} from 'yaml'
import {MODEL_BASE_URL} from './import.ts'
import type {ApiSnapshot, AuthorizerDoc, IntegrationDoc, MethodDoc} from './types.ts'

export type ExportType = 'oas30' | 'swagger'
export type ExportExtension = 'integrations' | 'apigateway' | 'authorizers' | 'postman'

export type ExportOptions = {
  exportType: ExportType
  extensions: ReadonlySet<string>
  stageName: string
  region: string
  /** Used as info.version when the API has none (AWS puts the deployment date there). */
  deployedAt: Date
}

type Obj = Record<string, unknown>

/** Build the exported document (an object; serialise with `serializeExport`). */
export function buildExport(snapshot: ApiSnapshot, options: ExportOptions): Obj {
  const oas = options.exportType === 'oas30'
  const ext = options.extensions
  const withIntegrations = ext.has('integrations') || ext.has('apigateway') || ext.has('postman')
  const withApigateway = ext.has('apigateway')
  const withAuthorizers = ext.has('authorizers') || ext.has('apigateway')
  const host = `${snapshot.restApiId}.execute-api.${options.region}.amazonaws.com`
  const localRef = (name: string): string => (oas ? `#/components/schemas/${name}` : `#/definitions/${name}`)
  const s = snapshot.settings

  const info: Obj = {title: s.name}
  if (s.description) info.description = s.description
  info.version = s.version ?? options.deployedAt.toISOString().replace(/\.\d{3}Z$/, 'Z')

  const authorizersById = new Map(snapshot.authorizers.map((a) => [a.id, a]))
  const validatorsById = new Map(snapshot.requestValidators.map((v) => [v.id, v]))
  const usedSchemes = new Map<string, Obj>()
  const paths: Obj = {}
  const sorted = [...snapshot.resources].sort((a, b) => {
    if (oas && (a.path === '/') !== (b.path === '/')) return a.path === '/' ? 1 : -1
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
  })
  for (const resource of sorted) {
    const methods = resource.resourceMethods ?? {}
    if (Object.keys(methods).length === 0) continue
    const item: Obj = {}
    for (const [verb, method] of Object.entries(methods)) {
      const op = exportOperation(method, {oas, localRef})
      const security: Obj[] = []
      const authorizer = method.authorizerId ? authorizersById.get(method.authorizerId) : undefined
      if (authorizer) {
        security.push({[authorizer.name]: method.authorizationScopes ?? []})
        usedSchemes.set(authorizer.name, securityScheme(authorizer, withAuthorizers))
      }
      if (method.apiKeyRequired) {
        security.push({api_key: []})
        usedSchemes.set('api_key', {type: 'apiKey', name: 'x-api-key', in: 'header'})
      }
      if (method.authorizationType === 'AWS_IAM') {
        security.push({sigv4: []})
        usedSchemes.set('sigv4', {type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4'})
      }
      if (security.length) op.security = security
      if (withApigateway && method.requestValidatorId) {
        const v = validatorsById.get(method.requestValidatorId)
        if (v) op['x-amazon-apigateway-request-validator'] = v.name
      }
      if (withIntegrations && method.methodIntegration) op['x-amazon-apigateway-integration'] = exportIntegration(method.methodIntegration)
      item[verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase()] = op
    }
    paths[resource.path] = item
  }

  const schemas: Obj = {}
  for (const model of snapshot.models) {
    let schema: unknown = {}
    try {
      schema = model.schema ? JSON.parse(model.schema) : {}
    } catch {
      schema = {}
    }
    schemas[model.name] = localizeRefs(schema, snapshot.restApiId, localRef)
  }

  const doc: Obj = oas
    ? {openapi: '3.0.1', info, servers: [{url: `https://${host}/{basePath}`, variables: {basePath: {default: options.stageName}}}], paths}
    : {swagger: '2.0', info, host, basePath: `/${options.stageName}`, schemes: ['https'], paths}
  if (oas) {
    const components: Obj = {}
    if (Object.keys(schemas).length) components.schemas = schemas
    if (usedSchemes.size) components.securitySchemes = Object.fromEntries(usedSchemes)
    doc.components = components
  } else {
    if (usedSchemes.size) doc.securityDefinitions = Object.fromEntries(usedSchemes)
    if (Object.keys(schemas).length) doc.definitions = schemas
  }
  if (withApigateway) {
    if (s.binaryMediaTypes?.length) doc['x-amazon-apigateway-binary-media-types'] = s.binaryMediaTypes
    if (s.apiKeySource && s.apiKeySource !== 'HEADER') doc['x-amazon-apigateway-api-key-source'] = s.apiKeySource
    if (s.minimumCompressionSize !== undefined) doc['x-amazon-apigateway-minimum-compression-size'] = s.minimumCompressionSize
    if (s.policy) {
      try {
        doc['x-amazon-apigateway-policy'] = JSON.parse(s.policy)
      } catch {
        doc['x-amazon-apigateway-policy'] = s.policy
      }
    }
    if (snapshot.requestValidators.length) {
      doc['x-amazon-apigateway-request-validators'] = Object.fromEntries(
        snapshot.requestValidators.map((v) => [
          v.name,
          {validateRequestParameters: v.validateRequestParameters, validateRequestBody: v.validateRequestBody},
        ]),
      )
    }
    const custom = snapshot.gatewayResponses.filter((g) => !g.defaultResponse)
    if (custom.length) {
      doc['x-amazon-apigateway-gateway-responses'] = Object.fromEntries(
        custom.map((g) => {
          const r: Obj = {}
          if (g.statusCode) r.statusCode = g.statusCode
          if (g.responseParameters) r.responseParameters = g.responseParameters
          if (g.responseTemplates) r.responseTemplates = g.responseTemplates
          return [g.responseType, r]
        }),
      )
    }
  } else if (withIntegrations && s.binaryMediaTypes?.length) {
    doc['x-amazon-apigateway-binary-media-types'] = s.binaryMediaTypes
  }
  return doc
}

/** JSON (the default) or YAML, as the Accept header asks. */
export function serializeExport(doc: Obj, format: 'json' | 'yaml'): string {
  return format === 'yaml' ? stringifyYaml(doc, {lineWidth: 0}) : JSON.stringify(doc, null, 2)
}

function securityScheme(authorizer: AuthorizerDoc, withExtension: boolean): Obj {
  const header = /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource ?? '')?.[1] ?? 'Authorization'
  const scheme: Obj = {type: 'apiKey', name: header, in: 'header'}
  if (authorizer.authType) scheme['x-amazon-apigateway-authtype'] = authorizer.authType
  if (withExtension) {
    const a: Obj = {type: authorizer.type.toLowerCase()}
    if (authorizer.authorizerUri) a.authorizerUri = authorizer.authorizerUri
    if (authorizer.authorizerCredentials) a.authorizerCredentials = authorizer.authorizerCredentials
    if (authorizer.providerARNs) a.providerARNs = authorizer.providerARNs
    if (authorizer.identitySource) a.identitySource = authorizer.identitySource
    if (authorizer.identityValidationExpression) a.identityValidationExpression = authorizer.identityValidationExpression
    if (authorizer.authorizerResultTtlInSeconds !== undefined) a.authorizerResultTtlInSeconds = authorizer.authorizerResultTtlInSeconds
    scheme['x-amazon-apigateway-authorizer'] = a
  }
  return scheme
}

function exportOperation(method: MethodDoc, ctx: {oas: boolean; localRef: (name: string) => string}): Obj {
  const op: Obj = {}
  const {oas, localRef} = ctx
  if (method.operationName) op.operationId = method.operationName
  const integration = method.methodIntegration
  if (!oas) {
    const consumes = new Set([...Object.keys(method.requestModels ?? {}), ...Object.keys(integration?.requestTemplates ?? {})])
    // Swagger's `produces` covers every response: the response models' types, else the response templates' types
    // (recording 07: a MOCK root GET with a text/html template exports `produces: [text/html]`).
    const produces = new Set<string>()
    for (const mr of Object.values(method.methodResponses ?? {})) for (const ct of Object.keys(mr.responseModels ?? {})) produces.add(ct)
    if (produces.size === 0) {
      for (const ir of Object.values(integration?.integrationResponses ?? {}))
        for (const ct of Object.keys(ir.responseTemplates ?? {})) produces.add(ct)
    }
    if (consumes.size) op.consumes = [...consumes]
    if (produces.size) op.produces = [...produces]
  }
  const parameters: Obj[] = []
  for (const [key, required] of Object.entries(method.requestParameters ?? {})) {
    const m = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(key)
    if (!m) continue
    const where = m[1] === 'querystring' ? 'query' : m[1]!
    const p: Obj = {name: m[2], in: where}
    if (where === 'path') p.required = true
    else if (!oas || required) p.required = required
    if (oas) p.schema = {type: 'string'}
    else p.type = 'string'
    parameters.push(p)
  }
  const requestModels = Object.entries(method.requestModels ?? {})
  if (!oas && requestModels.length) {
    const [, model] = requestModels[0]!
    parameters.push({in: 'body', name: model, required: true, schema: {$ref: localRef(model)}})
  }
  if (parameters.length) op.parameters = parameters
  if (oas && requestModels.length) {
    op.requestBody = {
      content: Object.fromEntries(requestModels.map(([ct, model]) => [ct, {schema: {$ref: localRef(model)}}])),
      required: true,
    }
  }
  const responses: Obj = {}
  for (const [code, mr] of Object.entries(method.methodResponses ?? {})) {
    const r: Obj = {description: `${code} response`}
    const models = Object.entries(mr.responseModels ?? {})
    if (!oas && models[0]) r.schema = {$ref: localRef(models[0][1])}
    const headers = Object.keys(mr.responseParameters ?? {})
      .map((k) => /^method\.response\.header\.(.+)$/.exec(k)?.[1])
      .filter((h): h is string => h !== undefined)
    if (headers.length) r.headers = Object.fromEntries(headers.map((h) => [h, oas ? {schema: {type: 'string'}} : {type: 'string'}]))
    if (oas) r.content = Object.fromEntries(models.map(([ct, model]) => [ct, {schema: {$ref: localRef(model)}}]))
    responses[code] = r
  }
  op.responses = responses
  return op
}

function exportIntegration(integration: IntegrationDoc): Obj {
  const out: Obj = {type: integration.type.toLowerCase()}
  if (integration.httpMethod) out.httpMethod = integration.httpMethod
  if (integration.uri) out.uri = integration.uri
  if (integration.connectionType && integration.connectionType !== 'INTERNET') out.connectionType = integration.connectionType
  if (integration.connectionId) out.connectionId = integration.connectionId
  if (integration.credentials) out.credentials = integration.credentials
  if (integration.integrationResponses) {
    const responses: Obj = {}
    for (const ir of Object.values(integration.integrationResponses)) {
      const r: Obj = {statusCode: ir.statusCode}
      if (ir.responseParameters) r.responseParameters = ir.responseParameters
      if (ir.responseTemplates) r.responseTemplates = ir.responseTemplates
      if (ir.contentHandling) r.contentHandling = ir.contentHandling
      responses[ir.selectionPattern ?? 'default'] = r
    }
    out.responses = responses
  }
  if (integration.requestParameters) out.requestParameters = integration.requestParameters
  if (integration.requestTemplates) out.requestTemplates = integration.requestTemplates
  if (integration.passthroughBehavior) out.passthroughBehavior = integration.passthroughBehavior.toLowerCase()
  if (integration.contentHandling) out.contentHandling = integration.contentHandling
  if (integration.timeoutInMillis !== 29000) out.timeoutInMillis = integration.timeoutInMillis
  if (integration.cacheKeyParameters.length) out.cacheKeyParameters = integration.cacheKeyParameters
  if (integration.tlsConfig) out.tlsConfig = integration.tlsConfig
  return out
}

function localizeRefs(schema: unknown, restApiId: string, localRef: (name: string) => string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => localizeRefs(s, restApiId, localRef))
  if (typeof schema !== 'object' || schema === null) return schema
  const prefix = `${MODEL_BASE_URL}/restapis/${restApiId}/models/`
  const out: Obj = {}
  for (const [k, v] of Object.entries(schema)) {
    if (k === '$ref' && typeof v === 'string' && v.startsWith(prefix)) out[k] = localRef(v.slice(prefix.length))
    else if (k === '$schema') continue
    else out[k] = localizeRefs(v, restApiId, localRef)
  }
  return out
}
