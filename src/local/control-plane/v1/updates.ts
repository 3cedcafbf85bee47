/**
 * The patch-based edits of a REST API's configuration: UpdateResource, UpdateMethod, UpdateMethodResponse,
 * UpdateIntegration, UpdateIntegrationResponse, UpdateModel, UpdateAuthorizer, UpdateRequestValidator,
 * UpdateGatewayResponse. Each takes the paths and ops of AWS's "Patch Operations" tables
 * (https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html) through the shared matchers of
 * common.ts; messages are AWS's recorded ones (corpus/aws-ground-truth/19) where a recording exists. A patch
 * applies whole or not at all: every handler edits a copy and saves it after the last op. What is saved is what
 * GetExport and the next CreateDeployment read (config.ts loadSnapshot).
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
import {badRequest, conflict, notFound} from '../../protocol/aws-error.ts'
import type {Handler} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {matchMethodPatch, matchPatch, type PatchPaths, patchMapKey, readPatchOperations} from './common.ts'
import {
  checkContentType,
  checkAuthorizerUri,
  checkIntegrationUri,
  checkModelSchema,
  methodContext,
  requireMethodOf,
  saveResource,
  statusCodeError,
} from './edits.ts'
import {getGatewayResponse} from './resources.ts'

const INVALID_AUTHORIZER =
  'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.'
/** Recorded (corpus/aws-ground-truth/19): replace/remove of a map key that is not there. */
const NO_PARAMETER = 'Invalid parameter name specified'
const NO_CONTENT_TYPE = 'Content-Type specified was not found'

const bool = (value: string | undefined): boolean => value === 'true'

function oneOf(value: string | undefined, allowed: readonly string[], what: string): string {
  // Not recorded against AWS: the wording of PutMethod's recorded `Invalid HttpMethod specified. Valid options are ...`.
  if (value === undefined || !allowed.includes(value)) throw badRequest(`Invalid ${what} specified. Valid options are ${allowed.join(',')}`)
  return value
}

// UpdateResource ----------------------------------------------------------------------------------------------------

/** Recorded order (corpus/aws-ground-truth/19): `Must be one of: [/parentId, /pathPart]`. */
const RESOURCE_PATHS: PatchPaths = [
  ['/parentId', ['replace']],
  ['/pathPart', ['replace']],
]

export const updateResource: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const api = requireRestApi(ctx.store, restApiId)
  const ops = readPatchOperations(req, 'updateResourceInput')
  const all = ctx.store.list<ResourceDoc>(KIND.resource, restApiId)
  const byId = new Map(all.map((r) => [r.id, structuredClone(r)]))
  const resource = byId.get(req.params.resource_id!)
  if (!resource) throw notFound('Invalid Resource identifier specified')
  for (const op of ops) {
    const m = matchPatch(op, RESOURCE_PATHS)
    if (m.rule === '/parentId') {
      // Recorded (corpus/aws-ground-truth/19).
      if (resource.id === api.rootResourceId) throw badRequest('Root resource cannot update its parentId.')
      const parent = byId.get(m.value ?? '')
      if (!parent) throw notFound('Invalid Resource identifier specified')
      for (let p: ResourceDoc | undefined = parent; p; p = p.parentId ? byId.get(p.parentId) : undefined) {
        if (p.id === resource.id) throw badRequest('Resources cannot be cyclical.')
      }
      resource.parentId = parent.id
    } else {
      if (resource.id === api.rootResourceId) throw badRequest('Root resource cannot update its pathPart.')
      const pathPart = m.value ?? ''
      if (pathPart === '' || pathPart.includes('/')) throw badRequest('Invalid resource name specified')
      resource.pathPart = pathPart
    }
  }
  const parent = resource.parentId ? byId.get(resource.parentId) : undefined
  if (parent && resource.id !== api.rootResourceId) {
    if (parent.pathPart && /^\{.+\+\}$/.test(parent.pathPart)) {
      throw badRequest(`Cannot create a child of a resource with a greedy path variable: ${parent.pathPart}`)
    }
    const siblings = [...byId.values()].filter((r) => r.parentId === parent.id && r.id !== resource.id)
    // Recorded (corpus/aws-ground-truth/19): moving or renaming onto an existing sibling's name.
    if (siblings.some((s) => s.pathPart === resource.pathPart)) {
      throw conflict(`Another resource with the same parent already has this name: ${resource.pathPart}`)
    }
    const variable = siblings.find((s) => s.pathPart?.startsWith('{'))
    if (resource.pathPart?.startsWith('{') && variable) {
      throw badRequest(`A sibling (${variable.pathPart}) of this resource already has a variable path part -- only one is allowed`)
    }
  }
  // Paths follow the tree: the resource and everything under it (children keep their ids, as on AWS).
  const pathOf = (r: ResourceDoc): string => {
    const p = r.parentId ? byId.get(r.parentId) : undefined
    if (!p) return '/'
    const base = pathOf(p)
    return `${base === '/' ? '' : base}/${r.pathPart}`
  }
  for (const r of byId.values()) {
    const path = pathOf(r)
    if (path !== r.path) saveResource(ctx.store, restApiId, {...r, path})
  }
  const saved = {...resource, path: pathOf(resource)}
  saveResource(ctx.store, restApiId, saved)
  const {resourceMethods, ...rest} = saved
  const out =
    resourceMethods && Object.keys(resourceMethods).length > 0
      ? {...rest, resourceMethods: Object.fromEntries(Object.keys(resourceMethods).map((k) => [k, {}]))}
      : rest
  return {status: 200, body: out}
}

// UpdateMethod ------------------------------------------------------------------------------------------------------

const METHOD_PATHS: PatchPaths = [
  ['/authorizationScopes', ['add', 'remove']],
  ['/authorizationType', ['replace']],
  ['/authorizerId', ['replace']],
  ['/apiKeyRequired', ['replace']],
  ['/operationName', ['replace']],
  ['/requestParameters/*', ['add', 'replace', 'remove']],
  ['/requestModels/*', ['add', 'replace', 'remove']],
  ['/requestValidatorId', ['replace']],
]

const AUTHORIZATION_TYPES = ['NONE', 'AWS_IAM', 'CUSTOM', 'COGNITO_USER_POOLS']

export const updateMethod: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const ops = readPatchOperations(req, 'updateMethodInput')
  const method: MethodDoc = structuredClone(requireMethodOf(resource, httpMethod))
  for (const op of ops) {
    const m = matchMethodPatch(op, METHOD_PATHS)
    switch (m.rule) {
      case '/authorizationScopes': {
        const scopes = (method.authorizationScopes ?? []).filter((s) => s !== m.value)
        if (m.op === 'add' && m.value) scopes.push(m.value)
        if (scopes.length > 0) method.authorizationScopes = scopes
        else delete method.authorizationScopes
        break
      }
      case '/authorizationType':
        method.authorizationType = oneOf(m.value?.toUpperCase(), AUTHORIZATION_TYPES, 'authorization type')
        break
      case '/authorizerId':
        if (m.value) method.authorizerId = m.value
        else delete method.authorizerId
        break
      case '/apiKeyRequired':
        // Recorded (corpus/aws-ground-truth/19, wrong-value-type): a value other than "true" is false.
        method.apiKeyRequired = bool(m.value)
        break
      case '/operationName':
        if (m.value) method.operationName = m.value
        else delete method.operationName
        break
      case '/requestParameters/*': {
        const params = patchMapKey(method.requestParameters, m.op, m.key!, bool(m.value), NO_PARAMETER)
        if (params) method.requestParameters = params
        else delete method.requestParameters
        break
      }
      case '/requestModels/*': {
        if (m.op !== 'remove' && !ctx.store.get(KIND.model, childId(restApiId, m.value ?? ''))) {
          throw badRequest(`Invalid model identifier specified: ${m.value ?? 'null'}`)
        }
        const models = patchMapKey(method.requestModels, m.op, m.key!, m.value ?? '', NO_CONTENT_TYPE)
        if (models) method.requestModels = models
        else delete method.requestModels
        break
      }
      default: {
        // '/requestValidatorId': an empty value unsets it.
        if (!m.value) {
          delete method.requestValidatorId
          break
        }
        if (!ctx.store.get(KIND.requestValidator, childId(restApiId, m.value))) {
          throw badRequest('Invalid Request Validator identifier specified')
        }
        method.requestValidatorId = m.value
      }
    }
  }
  // Checked on the result, so a patch may set the type and the authorizer in either order (recorded).
  if (method.authorizationType === 'CUSTOM' || method.authorizationType === 'COGNITO_USER_POOLS') {
    const authorizer = method.authorizerId
      ? ctx.store.get<AuthorizerDoc>(KIND.authorizer, childId(restApiId, method.authorizerId))
      : undefined
    const expected = method.authorizationType === 'CUSTOM' ? ['TOKEN', 'REQUEST'] : ['COGNITO_USER_POOLS']
    if (!authorizer || !expected.includes(authorizer.type)) throw badRequest(INVALID_AUTHORIZER)
  } else {
    // Recorded (skip-auth-id-with-wrong-type): an authorizer id on a NONE/AWS_IAM method is dropped.
    delete method.authorizerId
  }
  if (method.requestParameters) {
    const names = Object.keys(method.requestParameters).map((k) => k.replace(/^method\.request\.(path|querystring|header)\./, ''))
    if (new Set(names).size !== names.length) throw badRequest('Parameter names must be unique across querystring, header and path')
  }
  resource.resourceMethods = {...resource.resourceMethods, [httpMethod]: method}
  saveResource(ctx.store, restApiId, resource)
  return {status: 200, body: method}
}

// UpdateMethodResponse ----------------------------------------------------------------------------------------------

const METHOD_RESPONSE_PATHS: PatchPaths = [
  ['/responseModels/*', ['add', 'replace', 'remove']],
  ['/responseParameters/*', ['add', 'replace', 'remove']],
]

export const updateMethodResponse: Handler = (req, ctx) => {
  const statusCode = req.params.status_code!
  const invalidStatus = statusCodeError(statusCode)
  // Recorded (corpus/aws-ground-truth/19): the status code's pattern is reported with the ops' enum failures.
  const ops = readPatchOperations(req, 'updateMethodResponseInput', invalidStatus ? [invalidStatus] : [])
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  const current = method.methodResponses?.[statusCode]
  if (!current) throw notFound('Invalid Response status code specified')
  const response: MethodResponseDoc = structuredClone(current)
  for (const op of ops) {
    const m = matchMethodPatch(op, METHOD_RESPONSE_PATHS)
    if (m.rule === '/responseModels/*') {
      const models = patchMapKey(response.responseModels, m.op, m.key!, m.value ?? '', NO_CONTENT_TYPE)
      if (models) response.responseModels = models
      else delete response.responseModels
    } else {
      const params = patchMapKey(response.responseParameters, m.op, m.key!, bool(m.value), NO_PARAMETER)
      if (params) response.responseParameters = params
      else delete response.responseParameters
    }
  }
  method.methodResponses = {...method.methodResponses, [statusCode]: response}
  saveResource(ctx.store, restApiId, resource)
  // The service model and AWS answer 201 to this PATCH (recorded: test_update_method_response).
  return {status: 201, body: response}
}

// UpdateIntegration -------------------------------------------------------------------------------------------------

const INTEGRATION_PATHS: PatchPaths = [
  ['/cacheKeyParameters/*', ['add', 'replace', 'remove']],
  ['/cacheNamespace', ['replace']],
  ['/connectionId', ['replace']],
  ['/connectionType', ['replace']],
  ['/contentHandling', ['replace']],
  ['/credentials', ['replace']],
  ['/httpMethod', ['replace']],
  ['/integrationTarget', ['replace']],
  ['/passthroughBehavior', ['replace']],
  ['/requestParameters/*', ['add', 'replace', 'remove']],
  ['/requestTemplates/*', ['add', 'replace', 'remove']],
  ['/responseTransferMode', ['replace']],
  ['/timeoutInMillis', ['replace']],
  ['/tlsConfig/insecureSkipVerification', ['replace']],
  ['/uri', ['replace']],
]

const CONTENT_HANDLING = ['CONVERT_TO_BINARY', 'CONVERT_TO_TEXT']

export const updateIntegration: Handler = (req, ctx) => {
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const ops = readPatchOperations(req, 'updateIntegrationInput')
  const method = requireMethodOf(resource, httpMethod)
  if (!method.methodIntegration) throw notFound('Invalid Integration identifier specified')
  const integration: IntegrationDoc = structuredClone(method.methodIntegration)
  const setOrDelete = <K extends 'cacheNamespace' | 'connectionId' | 'credentials' | 'integrationTarget'>(
    key: K,
    value: string | undefined,
  ): void => {
    if (value) integration[key] = value
    else delete integration[key]
  }
  for (const op of ops) {
    const m = matchMethodPatch(op, INTEGRATION_PATHS)
    switch (m.rule) {
      case '/cacheKeyParameters/*': {
        const keys = integration.cacheKeyParameters.filter((k) => k !== m.key)
        if (m.op !== 'remove') keys.push(m.key!)
        integration.cacheKeyParameters = keys
        break
      }
      case '/cacheNamespace':
      case '/connectionId':
      case '/credentials':
      case '/integrationTarget':
        setOrDelete(m.rule.slice(1) as 'cacheNamespace', m.value)
        break
      case '/connectionType':
        integration.connectionType = oneOf(m.value, ['INTERNET', 'VPC_LINK'], 'connection type')
        if (integration.connectionType === 'INTERNET') delete integration.connectionId
        break
      case '/contentHandling':
        if (m.value) integration.contentHandling = oneOf(m.value, CONTENT_HANDLING, 'content handling')
        else delete integration.contentHandling
        break
      case '/httpMethod':
      case '/uri':
        // "Supported, except for MOCK integrations" (Patch Operations); the refusal's wording is not recorded.
        if (integration.type === 'MOCK') throw badRequest(`Invalid patch path ${m.path}`)
        if (m.rule === '/uri') {
          checkIntegrationUri(integration.type, m.value)
          integration.uri = m.value!
        } else {
          const verb = m.value?.toUpperCase()
          if (!verb) throw badRequest('Enumeration value for HttpMethod must be non-empty')
          integration.httpMethod = verb
        }
        break
      case '/passthroughBehavior':
        integration.passthroughBehavior = oneOf(
          m.value?.toUpperCase(),
          ['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'],
          'passthrough behavior',
        )
        break
      case '/requestParameters/*': {
        const params = patchMapKey(integration.requestParameters, m.op, m.key!, m.value ?? '', NO_PARAMETER)
        if (params) integration.requestParameters = params
        else delete integration.requestParameters
        break
      }
      case '/requestTemplates/*': {
        checkContentType(m.key!)
        const templates = patchMapKey(integration.requestTemplates, m.op, m.key!, m.value ?? '', NO_CONTENT_TYPE)
        if (templates) integration.requestTemplates = templates
        else delete integration.requestTemplates
        break
      }
      case '/responseTransferMode':
        integration.responseTransferMode = oneOf(m.value, ['BUFFERED', 'STREAM'], 'response transfer mode')
        break
      case '/timeoutInMillis': {
        const n = Number(m.value)
        // PutIntegration's documented bounds (API_PutIntegration: 50 to 29,000 ms by default).
        if (!Number.isInteger(n) || n < 50 || n > 29000) throw badRequest('Timeout should be between 50 ms and 29000 ms')
        integration.timeoutInMillis = n
        break
      }
      default:
        // '/tlsConfig/insecureSkipVerification'
        integration.tlsConfig = {...integration.tlsConfig, insecureSkipVerification: bool(m.value)}
    }
  }
  method.methodIntegration = integration
  saveResource(ctx.store, restApiId, resource)
  return {status: 200, body: integration}
}

// UpdateIntegrationResponse -----------------------------------------------------------------------------------------

const INTEGRATION_RESPONSE_PATHS: PatchPaths = [
  ['/contentHandling', ['replace']],
  ['/responseParameters/*', ['add', 'replace', 'remove']],
  ['/responseTemplates/*', ['add', 'replace', 'remove']],
  ['/selectionPattern', ['replace']],
]

export const updateIntegrationResponse: Handler = (req, ctx) => {
  const statusCode = req.params.status_code!
  const invalidStatus = statusCodeError(statusCode)
  const ops = readPatchOperations(req, 'updateIntegrationResponseInput', invalidStatus ? [invalidStatus] : [])
  const {restApiId, resource, httpMethod} = methodContext(req, ctx.store)
  const method = requireMethodOf(resource, httpMethod)
  const integration = method.methodIntegration
  if (!integration) throw notFound('Invalid Integration identifier specified')
  const current = integration.integrationResponses?.[statusCode]
  if (!current) throw notFound('Invalid Response status code specified')
  const response: IntegrationResponseDoc = structuredClone(current)
  for (const op of ops) {
    const m = matchMethodPatch(op, INTEGRATION_RESPONSE_PATHS)
    if (m.rule === '/contentHandling') {
      if (m.value) response.contentHandling = oneOf(m.value, CONTENT_HANDLING, 'content handling')
      else delete response.contentHandling
    } else if (m.rule === '/selectionPattern') {
      // Recorded (test_lifecycle_integration_response): the pattern is replaced as given.
      response.selectionPattern = m.value ?? ''
    } else if (m.rule === '/responseParameters/*') {
      const params = patchMapKey(response.responseParameters, m.op, m.key!, m.value ?? '', NO_PARAMETER)
      if (params) response.responseParameters = params
      else delete response.responseParameters
    } else {
      checkContentType(m.key!)
      const templates = patchMapKey(response.responseTemplates, m.op, m.key!, m.value ?? '', NO_CONTENT_TYPE)
      if (templates) response.responseTemplates = templates
      else delete response.responseTemplates
    }
  }
  integration.integrationResponses = {...integration.integrationResponses, [statusCode]: response}
  saveResource(ctx.store, restApiId, resource)
  return {status: 200, body: response}
}

// UpdateModel -------------------------------------------------------------------------------------------------------

/** Recorded order (corpus/aws-ground-truth/19): `Must be one of: [/description, /schema]`. */
const MODEL_PATHS: PatchPaths = [
  ['/description', ['replace']],
  ['/schema', ['replace']],
]

export const updateModel: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const name = req.params.model_name!
  const ops = readPatchOperations(req, 'updateModelInput')
  // Recorded (corpus/aws-ground-truth/19): an unknown API answers with the model's NotFound.
  const found = ctx.store.get<ModelDoc>(KIND.model, childId(restApiId, name))
  if (!found) throw notFound(`Invalid model name specified: ${name}`)
  const model = structuredClone(found)
  for (const op of ops) {
    const m = matchPatch(op, MODEL_PATHS)
    if (m.rule === '/schema') model.schema = checkModelSchema(m.value)
    else if (m.value) model.description = m.value
    // Recorded (update-model): an empty description removes it.
    else delete model.description
  }
  ctx.store.put(KIND.model, childId(restApiId, name), model, restApiId)
  return {status: 200, body: model}
}

// UpdateAuthorizer --------------------------------------------------------------------------------------------------

const AUTHORIZER_PATHS: PatchPaths = [
  ['/authorizerUri', ['replace']],
  ['/authorizerCredentials', ['replace']],
  ['/authorizerResultTtlInSeconds', ['replace']],
  ['/authType', ['replace']],
  ['/identitySource', ['add', 'replace', 'remove']],
  ['/identityValidationExpression', ['replace']],
  ['/name', ['replace']],
  ['/providerARNs', ['add', 'remove']],
  ['/type', ['replace']],
]

export const updateAuthorizer: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const ops = readPatchOperations(req, 'updateAuthorizerInput')
  const found = ctx.store.get<AuthorizerDoc>(KIND.authorizer, childId(restApiId, req.params.authorizer_id!))
  if (!found) throw notFound('Invalid Authorizer identifier specified')
  const authorizer = structuredClone(found)
  const setOrDelete = (key: 'authorizerCredentials' | 'authType' | 'identityValidationExpression', value: string | undefined): void => {
    if (value) authorizer[key] = value
    else delete authorizer[key]
  }
  for (const op of ops) {
    const m = matchPatch(op, AUTHORIZER_PATHS)
    switch (m.rule) {
      case '/authorizerUri':
        // An empty value unsets it (a COGNITO_USER_POOLS authorizer has none).
        if (!m.value) delete authorizer.authorizerUri
        else {
          checkAuthorizerUri(m.value)
          authorizer.authorizerUri = m.value
        }
        break
      case '/authorizerResultTtlInSeconds': {
        const n = Number(m.value)
        // The documented range (API_Authorizer: 0 to 3600); the message is not recorded.
        if (!Number.isInteger(n) || n < 0 || n > 3600)
          throw badRequest('Invalid authorizer result TTL specified. Must be between 0 and 3600')
        authorizer.authorizerResultTtlInSeconds = n
        break
      }
      case '/identitySource': {
        // A comma-separated list: add appends a source, remove takes one out (or all without a value).
        const sources = (authorizer.identitySource ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
        const next = m.op === 'replace' ? (m.value ? [m.value] : []) : sources.filter((s) => m.value !== undefined && s !== m.value)
        if (m.op === 'add' && m.value) next.push(m.value)
        if (next.length > 0) authorizer.identitySource = next.join(', ')
        else delete authorizer.identitySource
        break
      }
      case '/name':
        if (!m.value) throw badRequest('Invalid authorizer name specified')
        authorizer.name = m.value
        break
      case '/providerARNs': {
        const arns = (authorizer.providerARNs ?? []).filter((a) => a !== m.value)
        if (m.op === 'add' && m.value) arns.push(m.value)
        authorizer.providerARNs = arns
        break
      }
      case '/type':
        authorizer.type = oneOf(m.value, ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'], 'authorizer type')
        break
      default:
        setOrDelete(m.rule.slice(1) as 'authType', m.value)
    }
  }
  ctx.store.put(KIND.authorizer, childId(restApiId, authorizer.id), authorizer, restApiId)
  return {status: 200, body: authorizer}
}

// UpdateRequestValidator --------------------------------------------------------------------------------------------

/** Recorded order (corpus/aws-ground-truth/19): `Must be one of: [/name, /validateRequestParameters, /validateRequestBody]`. */
const VALIDATOR_PATHS: PatchPaths = [
  ['/name', ['replace']],
  ['/validateRequestParameters', ['replace']],
  ['/validateRequestBody', ['replace']],
]

export const updateRequestValidator: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const ops = readPatchOperations(req, 'updateRequestValidatorInput')
  const found = ctx.store.get<RequestValidatorDoc>(KIND.requestValidator, childId(restApiId, req.params.requestvalidator_id!))
  if (!found) throw notFound('Invalid Request Validator identifier specified')
  const validator = structuredClone(found)
  for (const op of ops) {
    const m = matchPatch(op, VALIDATOR_PATHS)
    if (m.rule === '/name') {
      // Recorded (corpus/aws-ground-truth/19).
      if (!m.value?.trim()) throw badRequest('Request Validator name cannot be blank')
      validator.name = m.value
    } else if (m.rule === '/validateRequestBody') {
      // Recorded (update-request-validator-without-value): no value is false.
      validator.validateRequestBody = bool(m.value)
    } else validator.validateRequestParameters = bool(m.value)
  }
  ctx.store.put(KIND.requestValidator, childId(restApiId, validator.id), validator, restApiId)
  return {status: 200, body: validator}
}

// UpdateGatewayResponse ---------------------------------------------------------------------------------------------

const GATEWAY_RESPONSE_PATHS: PatchPaths = [
  ['/statusCode', ['replace']],
  ['/responseParameters/*', ['add', 'replace', 'remove']],
  ['/responseTemplates/*', ['add', 'replace', 'remove']],
]

export const updateGatewayResponse: Handler = async (req, ctx) => {
  const restApiId = req.params.restapi_id!
  const ops = readPatchOperations(req, 'updateGatewayResponseInput')
  // The current response, customised or AWS's default (with the API and response-type checks of GetGatewayResponse).
  const current = (await getGatewayResponse(req, ctx)).body as GatewayResponseDoc
  const response: GatewayResponseDoc = {...structuredClone(current), defaultResponse: false}
  for (const op of ops) {
    // Recorded (corpus/aws-ground-truth/19): `add /statusCode` is `Invalid patch path /statusCode`.
    const m = matchMethodPatch(op, GATEWAY_RESPONSE_PATHS, {opAsPath: true})
    if (m.rule === '/statusCode') {
      if (!m.value || !/^[1-5]\d\d$/.test(m.value)) throw badRequest(`Invalid status code specified: ${m.value ?? 'null'}`)
      response.statusCode = m.value
      continue
    }
    const member = m.rule === '/responseParameters/*' ? 'responseParameters' : 'responseTemplates'
    // Recorded (corpus/aws-ground-truth/19): a replace without a value.
    if (m.op === 'replace' && !m.value) throw badRequest(`Invalid null or empty value in ${member}`)
    if (member === 'responseTemplates') checkContentType(m.key!)
    response[member] = patchMapKey(response[member], m.op, m.key!, m.value ?? '', NO_PARAMETER) ?? {}
  }
  ctx.store.put(KIND.gatewayResponse, childId(restApiId, response.responseType), response, restApiId)
  return {status: 200, body: response}
}
