/**
 * Chain step 4: build what the integration receives. Proxy integrations (HTTP_PROXY, AWS_PROXY) get the
 * request as sent plus mapped parameters; non-proxy ones (MOCK, HTTP, AWS) get mapped parameters and a body
 * from the request template that matches the Content-Type (missing = application/json), or the body passed
 * through as `passthroughBehavior` allows (415 UNSUPPORTED_MEDIA_TYPE otherwise). Stage variables and
 * `{param}`s are substituted in an HTTP endpoint URI.
 */
import type {IntegrationDoc} from '../../openapi/types.ts'
import {asText, contentHandlingOf, convertRequestPayload, isBinaryRequest, mediaTypeOf} from '../binary.ts'
import type {ChainHandler, InvocationContext} from '../context.ts'
import {infoLogged, logError, logInfo} from '../context.ts'
import {contextVariables} from '../context-vars.ts'
import {GatewayError} from '../gateway-responses.ts'
import {getFirst} from '../headers.ts'
import {javaMap, truncate} from '../log-format.ts'
import {applyRequestParameters, type IntegrationParams} from '../mapping.ts'
import {renderMappingTemplate, type TemplateInput} from '../templates.ts'
import {cloneTree} from '../vtl/index.ts'
import {withStageVariables} from '../stage-variables.ts'

/** Request headers API Gateway drops before an HTTP integration (AWS's important notes for REST APIs). */
const DROPPED_REQUEST_HEADERS = new Set([
  'host',
  'connection',
  'expect',
  'max-forwards',
  'proxy-authenticate',
  'server',
  'te',
  'transfer-encoding',
  'trailer',
  'upgrade',
  'via',
  'www-authenticate',
  'content-length',
  'content-md5',
  'keep-alive',
])

export const integrationRequest: ChainHandler = (ctx) => {
  const route = ctx.route
  if (!route) return
  const integration = route.method.methodIntegration
  if (!integration) {
    logError(ctx, 'Execution failed due to configuration error: No integration defined for method')
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  ctx.integration = integration
  const req = ctx.request
  const type = integration.type.toUpperCase()
  const proxy = type === 'HTTP_PROXY' || type === 'AWS_PROXY'
  if (infoLogged(ctx)) {
    logInfo(ctx, `Method request path: ${javaMap(route.pathParameters)}`)
    logInfo(ctx, `Method request query string: ${javaMap(Object.fromEntries(req.query))}`)
    logInfo(ctx, `Method request headers: ${javaMap(Object.fromEntries(req.headers))}`)
    logInfo(ctx, `Method request body before transformations: ${truncate(req.body.toString('utf8'))}`)
  }

  const params: IntegrationParams = {
    path: {},
    query: type === 'HTTP_PROXY' ? [...req.query] : [],
    headers: type === 'HTTP_PROXY' ? req.headers.filter(([k]) => !DROPPED_REQUEST_HEADERS.has(k.toLowerCase())) : [],
  }
  applyRequestParameters(integration.requestParameters, {ctx}, params)

  let body = req.body
  if (!proxy) body = requestBody(ctx, integration, params)
  else if (type === 'HTTP_PROXY' && !isBinaryRequest(ctx)) body = asText(req.body)

  const uri = type === 'HTTP' || type === 'HTTP_PROXY' ? endpointUri(integration.uri ?? '', params, ctx) : (integration.uri ?? '')
  const httpMethod = !integration.httpMethod || integration.httpMethod === 'ANY' ? req.method : integration.httpMethod
  ctx.integrationRequest = {httpMethod, uri, headers: params.headers, query: params.query, body}
}

function requestBody(ctx: InvocationContext, integration: IntegrationDoc, params: IntegrationParams): Buffer {
  const req = ctx.request
  const contentType = mediaTypeOf(getFirst(req.headers, 'content-type')) ?? 'application/json'
  const templates = integration.requestTemplates ?? {}
  const keys = Object.keys(templates)
  const key = keys.find((k) => k.toLowerCase() === contentType)
  const behavior = (integration.passthroughBehavior ?? 'WHEN_NO_MATCH').toUpperCase()
  if (key === undefined) {
    if (behavior === 'NEVER' || (behavior === 'WHEN_NO_TEMPLATES' && keys.length > 0)) {
      logError(
        ctx,
        `Request body does not match any of the request templates for content type ${contentType} and passthrough behavior is ${behavior}`,
      )
      throw new GatewayError('UNSUPPORTED_MEDIA_TYPE')
    }
  }
  // AWS's request conversions: binary data (a binary media type) is passed as bytes, or base64 text with
  // CONVERT_TO_TEXT; text is read as UTF-8, or base64-decoded with CONVERT_TO_BINARY. Only text is templated.
  const handling = contentHandlingOf(integration.contentHandling)
  const binary = isBinaryRequest(ctx)
  if (key === undefined || (binary && handling !== 'CONVERT_TO_TEXT') || (!binary && handling === 'CONVERT_TO_BINARY')) {
    const converted = convertRequestPayload(req.body, binary, handling)
    if (!converted) {
      logError(ctx, 'Execution failed due to configuration error: Unable to convert the request body to binary: it is not base64 text')
      throw new GatewayError('API_CONFIGURATION_ERROR')
    }
    return converted
  }
  const text = binary ? req.body.toString('base64') : req.body.toString('utf8')
  const result = renderMappingTemplate(templates[key]!, () => templateInput(ctx, text), ctx, 'request')
  for (const [k, v] of Object.entries(result.requestOverride.header)) {
    params.headers = params.headers.filter(([h]) => h.toLowerCase() !== k.toLowerCase())
    params.headers.push([k, v])
  }
  for (const [k, v] of Object.entries(result.requestOverride.querystring)) {
    params.query = params.query.filter(([q]) => q !== k)
    params.query.push([k, v])
  }
  Object.assign(params.path, result.requestOverride.path)
  if (result.responseOverride.status !== undefined || Object.keys(result.responseOverride.header).length > 0) {
    ctx.responseOverride = {
      status: result.responseOverride.status,
      header: {...ctx.responseOverride?.header, ...result.responseOverride.header},
    }
  }
  if (infoLogged(ctx)) logInfo(ctx, `Endpoint request body after transformations: ${truncate(result.output)}`)
  return Buffer.from(result.output, 'utf8')
}

/** The mapping-template input of the current request. */
export function templateInput(ctx: InvocationContext, body: string): TemplateInput {
  const header: Record<string, string> = {}
  for (const [k, v] of ctx.request.headers) header[k] = v
  const querystring: Record<string, string> = {}
  for (const [k, v] of ctx.request.query) querystring[k] = v
  const context = contextVariables(ctx)
  // The tree is new but for the authorizer's context and claims, which are the request's own: copied.
  if (ctx.authorizer) context.authorizer = cloneTree(context.authorizer)
  return {
    body,
    params: {path: {...ctx.route?.pathParameters}, querystring, header},
    stageVariables: {...ctx.stageVariables},
    context,
    contextOwned: true,
  }
}

function endpointUri(template: string, params: IntegrationParams, ctx: InvocationContext): string {
  let uri = withStageVariables(template, ctx.stageVariables)
  if (uri.includes('{'))
    uri = uri.replace(/\{([^}+]+)(\+?)\}/g, (whole, name: string, greedy: string) => {
      const value = params.path[name] ?? ctx.route?.pathParameters[name] ?? ctx.route?.pathParameters[`${name}+`]
      if (value === undefined) return whole
      return greedy || name === 'proxy' ? value.split('/').map(encodeURIComponent).join('/') : encodeURIComponent(value)
    })
  if (params.query.length > 0) {
    const u = new URL(uri)
    for (const [k, v] of params.query) u.searchParams.append(k, v)
    uri = u.toString()
  }
  return uri
}
