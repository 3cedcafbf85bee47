/**
 * Read operations on a REST API's configuration: resources (with embed=methods), methods, method and
 * integration responses, integrations, models, authorizers, request validators, gateway responses.
 * NotFound messages are AWS's (corpus/aws-ground-truth/19).
 */
import type {GatewayResponseDoc, MethodDoc, ModelDoc, RequestValidatorDoc, ResourceDoc, AuthorizerDoc} from '../../openapi/types.ts'
import {AwsError, notFound} from '../../protocol/aws-error.ts'
import type {Handler, OperationRequest} from '../../types.ts'
import type {Store} from '../../store/store.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {page} from './common.ts'
import {requireResource} from './lookup.ts'

const embedsMethods = (req: OperationRequest): boolean => req.queryAll.getAll('embed').some((e) => e.split(',').includes('methods'))

/** A resource as GetResource(s) shows it: methods as `{}` unless embed=methods. */
export function resourceOut(resource: ResourceDoc, embed: boolean): ResourceDoc {
  if (!resource.resourceMethods || Object.keys(resource.resourceMethods).length === 0) {
    const {resourceMethods: _omit, ...rest} = resource
    return rest
  }
  if (embed) return resource
  return {...resource, resourceMethods: Object.fromEntries(Object.keys(resource.resourceMethods).map((m) => [m, {} as MethodDoc]))}
}

export const getResources: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  const embed = embedsMethods(req)
  const items = ctx.store.list<ResourceDoc>(KIND.resource, req.params.restapi_id!).map((r) => resourceOut(r, embed))
  return {status: 200, body: page(req, items)}
}

export const getResource: Handler = (req, ctx) => {
  const resource = requireResource(ctx.store, req.params.restapi_id!, req.params.resource_id!)
  return {status: 200, body: resourceOut(resource, embedsMethods(req))}
}

function requireMethod(store: Store, req: OperationRequest): MethodDoc {
  // An unknown API answers as an unknown resource (recorded: get-integration-no-api, corpus/aws-ground-truth/19).
  const resource = store.get<ResourceDoc>(KIND.resource, childId(req.params.restapi_id!, req.params.resource_id!))
  if (!resource) throw notFound('Invalid Resource identifier specified')
  const method = resource.resourceMethods?.[req.params.http_method!.toUpperCase()]
  if (!method) throw notFound('Invalid Method identifier specified')
  return method
}

export const getMethod: Handler = (req, ctx) => ({status: 200, body: requireMethod(ctx.store, req)})

export const getMethodResponse: Handler = (req, ctx) => {
  const response = requireMethod(ctx.store, req).methodResponses?.[req.params.status_code!]
  if (!response) throw notFound('Invalid Response status code specified')
  return {status: 200, body: response}
}

export const getIntegration: Handler = (req, ctx) => {
  const integration = requireMethod(ctx.store, req).methodIntegration
  if (!integration) throw notFound('Invalid Integration identifier specified')
  return {status: 200, body: integration}
}

export const getIntegrationResponse: Handler = (req, ctx) => {
  const integration = requireMethod(ctx.store, req).methodIntegration
  if (!integration) throw notFound('Invalid Integration identifier specified')
  const response = integration.integrationResponses?.[req.params.status_code!]
  if (!response) throw notFound('Invalid Response status code specified')
  return {status: 200, body: response}
}

export const getModels: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  return {status: 200, body: page(req, ctx.store.list<ModelDoc>(KIND.model, req.params.restapi_id!))}
}

export const getModel: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  const model = ctx.store.get<ModelDoc>(KIND.model, childId(req.params.restapi_id!, req.params.model_name!))
  if (!model) throw notFound(`Invalid model name specified: ${req.params.model_name}`)
  return {status: 200, body: model}
}

export const getAuthorizers: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  return {status: 200, body: page(req, ctx.store.list<AuthorizerDoc>(KIND.authorizer, req.params.restapi_id!))}
}

export const getAuthorizer: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  const authorizer = ctx.store.get<AuthorizerDoc>(KIND.authorizer, childId(req.params.restapi_id!, req.params.authorizer_id!))
  if (!authorizer) throw notFound('Invalid Authorizer identifier specified')
  return {status: 200, body: authorizer}
}

export const getRequestValidators: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  return {status: 200, body: page(req, ctx.store.list<RequestValidatorDoc>(KIND.requestValidator, req.params.restapi_id!))}
}

export const getRequestValidator: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  const validator = ctx.store.get<RequestValidatorDoc>(
    KIND.requestValidator,
    childId(req.params.restapi_id!, req.params.requestvalidator_id!),
  )
  if (!validator) throw notFound('Invalid Request Validator identifier specified')
  return {status: 200, body: validator}
}

/** AWS's gateway response types with their default status codes (developer guide, "Gateway response types"). */
export const GATEWAY_RESPONSE_DEFAULTS: Record<string, string | undefined> = {
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_BODY: '400',
  BAD_REQUEST_PARAMETERS: '400',
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
}

function defaultGatewayResponse(responseType: string): GatewayResponseDoc {
  const status = GATEWAY_RESPONSE_DEFAULTS[responseType]
  return {
    responseType,
    ...(status ? {statusCode: status} : {}),
    responseParameters: {},
    responseTemplates: {'application/json': '{"message":$context.error.messageString}'},
    defaultResponse: true,
  }
}

/** Every gateway response of the API: the customised ones and AWS's defaults for the rest. */
export function allGatewayResponses(custom: GatewayResponseDoc[]): GatewayResponseDoc[] {
  const byType = new Map(custom.map((g) => [g.responseType, g]))
  return Object.keys(GATEWAY_RESPONSE_DEFAULTS).map((t) => byType.get(t) ?? defaultGatewayResponse(t))
}

export const getGatewayResponses: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  const custom = ctx.store.list<GatewayResponseDoc>(KIND.gatewayResponse, req.params.restapi_id!)
  return {status: 200, body: page(req, allGatewayResponses(custom))}
}

export const getGatewayResponse: Handler = (req, ctx) => {
  requireRestApi(ctx.store, req.params.restapi_id!)
  const type = req.params.response_type!
  if (!(type in GATEWAY_RESPONSE_DEFAULTS)) {
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${type}' at 'responseType' failed to satisfy constraint: Member must satisfy enum value set: ` +
        `[REQUEST_TOO_LARGE, RESOURCE_NOT_FOUND, AUTHORIZER_CONFIGURATION_ERROR, ` +
        `MISSING_AUTHENTICATION_TOKEN, BAD_REQUEST_BODY, INVALID_SIGNATURE, ` +
        `INVALID_API_KEY, BAD_REQUEST_PARAMETERS, AUTHORIZER_FAILURE, UNAUTHORIZED, ` +
        `INTEGRATION_TIMEOUT, ACCESS_DENIED, DEFAULT_4XX, DEFAULT_5XX, ` +
        `WAF_FILTERED, QUOTA_EXCEEDED, THROTTLED, API_CONFIGURATION_ERROR, UNSUPPORTED_MEDIA_TYPE, INTEGRATION_FAILURE, EXPIRED_TOKEN]`,
      400,
    )
  }
  const custom = ctx.store.get<GatewayResponseDoc>(KIND.gatewayResponse, childId(req.params.restapi_id!, type))
  return {status: 200, body: custom ?? defaultGatewayResponse(type)}
}
