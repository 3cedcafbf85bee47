/**
 * Building a REST API call by call, as CloudFormation, Terraform and the console do: CreateResource,
 * DeleteResource, PutMethod, DeleteMethod, Put/DeleteMethodResponse, Put/DeleteIntegration,
 * Put/DeleteIntegrationResponse, CreateModel, DeleteModel, CreateAuthorizer, DeleteAuthorizer,
 * CreateRequestValidator, DeleteRequestValidator, PutGatewayResponse, DeleteGatewayResponse.
 * Messages verbatim from corpus/aws-ground-truth/19 where AWS's are recorded.
 */
import type {
  AuthorizerDoc,
  GatewayResponseDoc,
  IntegrationDoc,
  IntegrationResponseDoc,
  MethodDoc,
  MethodResponseDoc,
  ModelDoc,
  RequestValidatorDoc,
  ResourceDoc,
} from '../../openapi/types.ts'
import {AwsError, badRequest, conflict, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {Handler, OperationRequest} from '../../types.ts'
import {childId, KIND, type RestApiDoc, requireRestApi} from '../model.ts'
import {requireResource} from './lookup.ts'
import {GATEWAY_RESPONSE_DEFAULTS} from './resources.ts'

const HTTP_METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY']
const INTEGRATION_TYPES = ['HTTP', 'MOCK', 'AWS_PROXY', 'HTTP_PROXY', 'AWS']

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export function stringRecord(value: unknown): Record<string, string> | undefined {
  if (!isObj(value)) return undefined
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value)) {
    // Recorded (corpus/aws-ground-truth/19): Coral refuses non-string map values.
    if (typeof v === 'boolean')
      throw new AwsError('SerializationException', 'class java.lang.Boolean can not be converted to an String', 400)
    if (typeof v === 'number') {
      throw new AwsError(
        'SerializationException',
        'class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String',
        400,
      )
    }
    out[k] = String(v)
  }
  return out
}

export function boolRecord(value: unknown): Record<string, boolean> | undefined {
  if (!isObj(value)) return undefined
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === true]))
}

export function saveResource(store: Store, restApiId: string, resource: ResourceDoc): void {
  store.put(KIND.resource, childId(restApiId, resource.id), resource, restApiId)
}

export const createResource: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const parent = requireResource(ctx.store, restApiId, req.params.parent_id!)
  const pathPart = req.json().pathPart
  if (typeof pathPart !== 'string' || pathPart === '' || pathPart.includes('/')) throw badRequest('Invalid resource name specified')
  if (parent.pathPart && /^\{.+\+\}$/.test(parent.pathPart)) {
    throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`)
  }
  const siblings = ctx.store.list<ResourceDoc>(KIND.resource, restApiId).filter((r) => r.parentId === parent.id)
  if (siblings.some((s) => s.pathPart === pathPart))
    throw conflict(`Another resource with the same parent already has this name: ${pathPart}`)
  const variable = siblings.find((s) => s.pathPart?.startsWith('{'))
  if (pathPart.startsWith('{') && variable) {
    throw badRequest(`A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`)
  }
  const resource: ResourceDoc = {
    id: ctx.newId(6),
    parentId: parent.id,
    pathPart,
    path: `${parent.path === '/' ? '' : parent.path}/${pathPart}`,
  }
  saveResource(ctx.store, restApiId, resource)
  return {status: 201, body: resource}
}

export const deleteResource: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const api = requireRestApi(ctx.store, restApiId)
  const resource = requireResource(ctx.store, restApiId, req.params.resource_id!)
  if (resource.id === api.rootResourceId) throw badRequest('Cannot delete root resource')
  for (const r of ctx.store.list<ResourceDoc>(KIND.resource, restApiId)) {
    if (r.id === resource.id || r.path.startsWith(`${resource.path}/`)) ctx.store.delete(KIND.resource, childId(restApiId, r.id))
  }
  return {status: 202}
}

/**
 * The resource a method operation names. An unknown REST API answers as an unknown resource does, as AWS does for
 * the method family (recorded: Put/Update/GetMethod, Get/PutIntegration(Response) on a wrong API id).
 */
export function methodContext(req: OperationRequest, store: Store): {restApiId: string; resource: ResourceDoc; httpMethod: string} {
  const restApiId = req.params.restapi_id!
  const resource = store.get<ResourceDoc>(KIND.resource, childId(restApiId, req.params.resource_id!))
  if (!resource) throw notFound('Invalid Resource identifier specified')
  return {restApiId, resource, httpMethod: req.params.http_method!.toUpperCase()}
}

export function requireMethodOf(resource: ResourceDoc, httpMethod: string): MethodDoc {
  const method = resource.resourceMethods?.[httpMethod]
  if (!method) throw notFound('Invalid Method identifier specified')
  return method
}

export const putMethod: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  if (!HTTP_METHODS.includes(httpMethod))
    throw badRequest('Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY')
  const body = req.json()
  const authorizationType = typeof body.authorizationType === 'string' ? body.authorizationType.toUpperCase() : 'NONE'
  const method: MethodDoc = {httpMethod, authorizationType, apiKeyRequired: body.apiKeyRequired === true}
  if (authorizationType === 'CUSTOM' || authorizationType === 'COGNITO_USER_POOLS') {
    const id = typeof body.authorizerId === 'string' ? body.authorizerId : undefined
    const authorizer = id ? ctx.store.get<AuthorizerDoc>(KIND.authorizer, childId(restApiId, id)) : undefined
    const expected = authorizationType === 'CUSTOM' ? ['TOKEN', 'REQUEST'] : ['COGNITO_USER_POOLS']
    if (!authorizer || !expected.includes(authorizer.type)) {
      throw badRequest(
        'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
      )
    }
    method.authorizerId = authorizer.id
  }
  if (typeof body.requestValidatorId === 'string') {
    if (!ctx.store.get(KIND.requestValidator, childId(restApiId, body.requestValidatorId)))
      throw badRequest('Invalid Request Validator identifier specified')
    method.requestValidatorId = body.requestValidatorId
  }
  if (typeof body.operationName === 'string') method.operationName = body.operationName
  const params = boolRecord(body.requestParameters)
  if (params && Object.keys(params).length) {
    const names = Object.keys(params).map((k) => k.replace(/^method\.request\.(path|querystring|header)\./, ''))
    if (new Set(names).size !== names.length) throw badRequest('Parameter names must be unique across querystring, header and path')
    method.requestParameters = params
  }
  const models = stringRecord(body.requestModels)
  if (models && Object.keys(models).length) {
    for (const name of Object.values(models)) {
      if (!ctx.store.get(KIND.model, childId(restApiId, name))) throw badRequest(`Invalid model identifier specified: ${name}`)
    }
    method.requestModels = models
  }
  if (Array.isArray(body.authorizationScopes) && body.authorizationScopes.length)
    method.authorizationScopes = body.authorizationScopes.map(String)
  resource.resourceMethods = {...resource.resourceMethods, [httpMethod]: method}
  saveResource(ctx.store, restApiId, resource)
  return {status: 201, body: method}
}

export const deleteMethod: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  requireMethodOf(resource, httpMethod)
  const methods = {...resource.resourceMethods}
  delete methods[httpMethod]
  resource.resourceMethods = methods
  saveResource(ctx.store, restApiId, resource)
  return {status: 204}
}

/** Coral's constraint failure for a `statusCode` path parameter, or undefined when it is valid (recording 19). */
export const statusCodeError = (code: string): string | undefined =>
  /^[1-5]\d\d$/.test(code)
    ? undefined
    : `Value '${code}' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d`

const validStatusCode = (code: string): void => {
  const error = statusCodeError(code)
  if (error) throw new AwsError('ValidationException', `1 validation error detected: ${error}`, 400)
}

export const putMethodResponse: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  const statusCode = req.params.status_code!
  validStatusCode(statusCode)
  const body = req.json()
  const response: MethodResponseDoc = {statusCode}
  const params = boolRecord(body.responseParameters)
  if (params && Object.keys(params).length) response.responseParameters = params
  const models = stringRecord(body.responseModels)
  if (models && Object.keys(models).length) response.responseModels = models
  method.methodResponses = {...method.methodResponses, [statusCode]: response}
  saveResource(ctx.store, restApiId, resource)
  return {status: 201, body: response}
}

export const deleteMethodResponse: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  const statusCode = req.params.status_code!
  if (!method.methodResponses?.[statusCode]) throw notFound('Invalid Response status code specified')
  const responses = {...method.methodResponses}
  delete responses[statusCode]
  method.methodResponses = responses
  saveResource(ctx.store, restApiId, resource)
  return {status: 204}
}

export function checkIntegrationUri(type: string, uri: string | undefined): void {
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    let ok = false
    try {
      const url = new URL(uri ?? '')
      ok = url.protocol === 'http:' || url.protocol === 'https:'
    } catch {
      ok = false
    }
    if (!ok) throw badRequest('Invalid HTTP endpoint specified for URI')
  } else if (type === 'AWS' || type === 'AWS_PROXY') {
    const m = /^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:([a-z0-9.-]+):(path|action)\/(.+)$/.exec(uri ?? '')
    if (!uri?.startsWith('arn:')) throw badRequest('Invalid ARN specified in the request')
    if (!m) throw badRequest('AWS ARN for integration must contain path or action')
    if (type === 'AWS_PROXY' && !(m[1] === 'lambda' || m[1] === 'firehose')) {
      throw badRequest("Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.")
    }
  }
}

/**
 * A Lambda authorizer's URI must be an API Gateway invocation ARN of a Lambda function
 * (`arn:aws:apigateway:REGION:lambda:path/2015-03-31/functions/ARN/invocations`). AWS's words, as quoted in
 * public reports: `Invalid Authorizer URI: {uri}. Authorizer URI should be a valid API Gateway ARN that represents
 * a Lambda function invocation.`
 */
export function checkAuthorizerUri(uri: string): void {
  if (/^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path\/.+/.test(uri)) return
  throw badRequest(
    `Invalid Authorizer URI: ${uri}. Authorizer URI should be a valid API Gateway ARN that represents a Lambda function invocation.`,
  )
}

export const putIntegration: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  const body = req.json()
  const type = typeof body.type === 'string' ? body.type : ''
  if (!INTEGRATION_TYPES.includes(type)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${type}' at 'putIntegrationInput.type' failed to satisfy ` +
        `constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]`,
      400,
    )
  }
  const verb = typeof body.httpMethod === 'string' ? body.httpMethod.toUpperCase() : undefined
  if (type !== 'MOCK' && !verb) throw badRequest('Enumeration value for HttpMethod must be non-empty')
  const uri = typeof body.uri === 'string' ? body.uri : undefined
  checkIntegrationUri(type, uri)
  const integration: IntegrationDoc = {
    type,
    timeoutInMillis: typeof body.timeoutInMillis === 'number' ? body.timeoutInMillis : 29000,
    cacheNamespace: typeof body.cacheNamespace === 'string' ? body.cacheNamespace : resource.id,
    cacheKeyParameters: Array.isArray(body.cacheKeyParameters) ? body.cacheKeyParameters.map(String) : [],
    passthroughBehavior: typeof body.passthroughBehavior === 'string' ? body.passthroughBehavior.toUpperCase() : 'WHEN_NO_MATCH',
  }
  if (verb) integration.httpMethod = verb
  if (uri) integration.uri = uri
  if (type !== 'MOCK') integration.connectionType = typeof body.connectionType === 'string' ? body.connectionType : 'INTERNET'
  if (typeof body.connectionId === 'string') integration.connectionId = body.connectionId
  if (typeof body.credentials === 'string') integration.credentials = body.credentials
  const params = stringRecord(body.requestParameters)
  if (params && Object.keys(params).length) integration.requestParameters = params
  const templates = stringRecord(body.requestTemplates)
  if (templates && Object.keys(templates).length) integration.requestTemplates = templates
  if (typeof body.contentHandling === 'string') integration.contentHandling = body.contentHandling
  if (isObj(body.tlsConfig)) integration.tlsConfig = {insecureSkipVerification: body.tlsConfig.insecureSkipVerification === true}
  method.methodIntegration = integration
  saveResource(ctx.store, restApiId, resource)
  return {status: 201, body: integration}
}

export const deleteIntegration: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  if (!method.methodIntegration) throw notFound('Invalid Integration identifier specified')
  delete method.methodIntegration
  saveResource(ctx.store, restApiId, resource)
  return {status: 204}
}

export const putIntegrationResponse: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  const integration = method.methodIntegration
  if (!integration) throw notFound('Invalid Integration identifier specified')
  const statusCode = req.params.status_code!
  validStatusCode(statusCode)
  const body = req.json()
  const response: IntegrationResponseDoc = {statusCode}
  if (typeof body.selectionPattern === 'string') response.selectionPattern = body.selectionPattern
  const params = stringRecord(body.responseParameters)
  if (params && Object.keys(params).length) response.responseParameters = params
  const templates = stringRecord(body.responseTemplates)
  if (templates) {
    for (const ct of Object.keys(templates)) checkContentType(ct)
    if (Object.keys(templates).length) response.responseTemplates = templates
  }
  if (typeof body.contentHandling === 'string') response.contentHandling = body.contentHandling
  integration.integrationResponses = {...integration.integrationResponses, [statusCode]: response}
  saveResource(ctx.store, restApiId, resource)
  return {status: 201, body: response}
}

/** A mapping template's content type, as AWS validates it (recording 19). */
export function checkContentType(ct: string): void {
  if (!/^[\w.+-]+\/[\w.+*-]+$/.test(ct))
    throw badRequest(`Validation Result: warnings : [], errors : [Invalid content type specified: ${ct}]`)
}

export const deleteIntegrationResponse: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  const integration = method.methodIntegration
  if (!integration) throw notFound('Invalid Integration identifier specified')
  const statusCode = req.params.status_code!
  if (!integration.integrationResponses?.[statusCode]) throw notFound('Invalid Response status code specified')
  const responses = {...integration.integrationResponses}
  delete responses[statusCode]
  integration.integrationResponses = responses
  saveResource(ctx.store, restApiId, resource)
  return {status: 204}
}

export const createModel: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const body = req.json()
  const name = typeof body.name === 'string' ? body.name : ''
  if (name === '') throw badRequest('Model name must be non-empty')
  if (!/^[a-zA-Z0-9]+$/.test(name)) throw badRequest('Model name must be alphanumeric')
  if (ctx.store.get(KIND.model, childId(restApiId, name))) throw conflict('Model name already exists for this REST API')
  const model: ModelDoc = {
    id: ctx.newId(6),
    name,
    contentType: typeof body.contentType === 'string' ? body.contentType : 'application/json',
  }
  if (typeof body.description === 'string' && body.description !== '') model.description = body.description
  model.schema = checkModelSchema(typeof body.schema === 'string' ? body.schema : undefined)
  ctx.store.put(KIND.model, childId(restApiId, name), model, restApiId)
  return {status: 201, body: model}
}

/**
 * A model's schema as CreateModel and UpdateModel accept it. Recorded (corpus/aws-ground-truth/19): a missing or
 * empty schema, and an object schema with an empty `properties`, are refused with the same message.
 */
export function checkModelSchema(text: string | undefined): string {
  const empty = 'Model schema must have at least 1 property or array items defined'
  if (text === undefined || text.trim() === '') throw badRequest(empty)
  let schema: unknown
  try {
    schema = JSON.parse(text)
  } catch {
    throw badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]')
  }
  if (isObj(schema) && schema.type === 'object' && isObj(schema.properties) && Object.keys(schema.properties).length === 0) {
    throw badRequest(empty)
  }
  return text
}

export const deleteModel: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const name = req.params.model_name!
  if (!ctx.store.get(KIND.model, childId(restApiId, name))) throw notFound(`Invalid model name specified: ${name}`)
  for (const r of ctx.store.list<ResourceDoc>(KIND.resource, restApiId)) {
    for (const [verb, m] of Object.entries(r.resourceMethods ?? {})) {
      if (Object.values(m.requestModels ?? {}).includes(name)) {
        // Recorded (corpus/aws-ground-truth/19): '//ANY' on the root, '/test/ANY' below it.
        throw conflict(`Cannot delete model '${name}', is referenced in method request: ${r.path === '/' ? '/' : r.path}/${verb}`)
      }
    }
  }
  ctx.store.delete(KIND.model, childId(restApiId, name))
  return {status: 202}
}

export const createAuthorizer: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  // Recorded (corpus/aws-ground-truth/19): CreateAuthorizer on an unknown API answers this ConflictException.
  if (!ctx.store.get<RestApiDoc>(KIND.restApi, restApiId))
    throw conflict('Unable to complete operation due to concurrent modification. Please try again later.')
  const body = req.json()
  const type = typeof body.type === 'string' ? body.type : ''
  if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(type)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${type}' at 'createAuthorizerInput.type' failed to ` +
        `satisfy constraint: Member must satisfy enum value set: [TOKEN, REQUEST, COGNITO_USER_POOLS]`,
      400,
    )
  }
  if (typeof body.name !== 'string' || body.name === '') throw badRequest('Invalid authorizer name specified')
  const authorizer: AuthorizerDoc = {id: ctx.newId(6), name: body.name, type}
  for (const key of ['authType', 'authorizerUri', 'authorizerCredentials', 'identitySource', 'identityValidationExpression'] as const) {
    if (typeof body[key] === 'string') authorizer[key] = body[key] as string
  }
  if (Array.isArray(body.providerARNs)) authorizer.providerARNs = body.providerARNs.map(String)
  if (authorizer.authorizerUri !== undefined && type !== 'COGNITO_USER_POOLS') checkAuthorizerUri(authorizer.authorizerUri)
  authorizer.authorizerResultTtlInSeconds = typeof body.authorizerResultTtlInSeconds === 'number' ? body.authorizerResultTtlInSeconds : 300
  ctx.store.put(KIND.authorizer, childId(restApiId, authorizer.id), authorizer, restApiId)
  return {status: 201, body: authorizer}
}

export const deleteAuthorizer: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const id = req.params.authorizer_id!
  if (!ctx.store.get(KIND.authorizer, childId(restApiId, id))) throw notFound('Invalid Authorizer identifier specified')
  const used = ctx.store
    .list<ResourceDoc>(KIND.resource, restApiId)
    .some((r) => Object.values(r.resourceMethods ?? {}).some((m) => m.authorizerId === id))
  if (used) throw conflict('Cannot delete authorizer, is referenced in method')
  ctx.store.delete(KIND.authorizer, childId(restApiId, id))
  return {status: 202}
}

export const createRequestValidator: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  // Recorded (corpus/aws-ground-truth/19).
  if (!ctx.store.get<RestApiDoc>(KIND.restApi, restApiId)) throw badRequest('Invalid REST API identifier specified')
  const body = req.json()
  const validator: RequestValidatorDoc = {
    id: ctx.newId(6),
    name: typeof body.name === 'string' ? body.name : '',
    validateRequestBody: body.validateRequestBody === true,
    validateRequestParameters: body.validateRequestParameters === true,
  }
  ctx.store.put(KIND.requestValidator, childId(restApiId, validator.id), validator, restApiId)
  return {status: 201, body: validator}
}

export const deleteRequestValidator: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const id = req.params.requestvalidator_id!
  if (!ctx.store.delete(KIND.requestValidator, childId(restApiId, id))) throw notFound('Invalid Request Validator identifier specified')
  return {status: 202}
}

export const putGatewayResponse: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const type = req.params.response_type!
  if (!(type in GATEWAY_RESPONSE_DEFAULTS)) throw badRequest(`Invalid gateway response type specified: ${type}`)
  const body = req.json()
  const response: GatewayResponseDoc = {responseType: type, defaultResponse: false}
  if (typeof body.statusCode === 'string') response.statusCode = body.statusCode
  response.responseParameters = stringRecord(body.responseParameters) ?? {}
  response.responseTemplates = stringRecord(body.responseTemplates) ?? {}
  ctx.store.put(KIND.gatewayResponse, childId(restApiId, type), response, restApiId)
  return {status: 201, body: response}
}

export const deleteGatewayResponse: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  // Recorded (corpus/aws-ground-truth/19).
  if (!ctx.store.delete(KIND.gatewayResponse, childId(restApiId, req.params.response_type!)))
    throw notFound('Gateway response type not defined on api')
  return {status: 202}
}
