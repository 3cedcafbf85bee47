/**
 * HTTP API configuration → OpenAPI 3.0, as ExportApi writes it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-export.html): one operation per
 * route (`x-amazon-apigateway-any-method` for ANY, the path `$default` for the default route), each with its
 * `x-amazon-apigateway-integration`; authorizers as security schemes with `x-amazon-apigateway-authorizer`;
 * `x-amazon-apigateway-cors` and `x-amazon-apigateway-importexport-version: "1.0"`. What it writes imports back
 * into the same configuration.
 */
import {stringify as stringifyYaml} from 'yaml'
import type {AuthorizerDoc, IntegrationDoc, RouteDoc, Snapshot} from './common.ts'

export type ExportOptions = {
  region: string
  stageName?: string
  includeExtensions: boolean
  outputType: 'JSON' | 'YAML'
}

type Obj = Record<string, unknown>

/** The info.version AWS writes when the API has no version: its creation date, `yyyy-MM-dd HH:mm:ss'UTC'`. */
function defaultVersion(createdDate: string): string {
  return `${createdDate.slice(0, 10)} ${createdDate.slice(11, 19)}UTC`
}

function integrationExtension(i: IntegrationDoc): Obj {
  const out: Obj = {}
  if (i.payloadFormatVersion) out.payloadFormatVersion = i.payloadFormatVersion
  out.type = i.integrationType.toLowerCase()
  if (i.integrationSubtype) out.integrationSubtype = i.integrationSubtype
  if (i.integrationMethod) out.httpMethod = i.integrationMethod
  if (i.integrationUri) out.uri = i.integrationUri
  if (i.credentialsArn) out.credentials = i.credentialsArn
  if (i.requestParameters) out.requestParameters = i.requestParameters
  if (i.responseParameters) out.responseParameters = i.responseParameters
  out.connectionType = i.connectionType
  if (i.connectionId) out.connectionId = i.connectionId
  if (i.description) out.description = i.description
  if (i.tlsConfig?.serverNameToVerify) out.tlsConfig = {serverNameToVerify: i.tlsConfig.serverNameToVerify}
  out.timeoutInMillis = i.timeoutInMillis
  return out
}

function securityScheme(a: AuthorizerDoc): Obj {
  const ext: Obj = {}
  if (a.identitySource?.length) ext.identitySource = a.identitySource.join(', ')
  if (a.authorizerType === 'JWT') {
    ext.jwtConfiguration = {
      ...(a.jwtConfiguration?.audience ? {audience: a.jwtConfiguration.audience} : {}),
      ...(a.jwtConfiguration?.issuer ? {issuer: a.jwtConfiguration.issuer} : {}),
    }
    ext.type = 'jwt'
    return {type: 'oauth2', flows: {}, 'x-amazon-apigateway-authorizer': ext}
  }
  if (a.authorizerUri) ext.authorizerUri = a.authorizerUri
  if (a.authorizerCredentialsArn) ext.authorizerCredentials = a.authorizerCredentialsArn
  if (a.authorizerPayloadFormatVersion) ext.authorizerPayloadFormatVersion = a.authorizerPayloadFormatVersion
  if (a.authorizerResultTtlInSeconds !== undefined) ext.authorizerResultTtlInSeconds = a.authorizerResultTtlInSeconds
  if (a.identityValidationExpression) ext.identityValidationExpression = a.identityValidationExpression
  ext.type = 'request'
  if (a.enableSimpleResponses !== undefined) ext.enableSimpleResponses = a.enableSimpleResponses
  return {type: 'apiKey', name: 'Unused', in: 'header', 'x-amazon-apigateway-authorizer': ext}
}

function stripExtensions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripExtensions)
  if (value === null || typeof value !== 'object') return value
  const out: Obj = {}
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('x-amazon-apigateway')) out[k] = stripExtensions(v)
  return out
}

/** Build the OpenAPI 3.0 document of a snapshot (a deployment's, or the current configuration). */
export function buildOpenApi(snapshot: Snapshot, options: Pick<ExportOptions, 'region' | 'stageName' | 'includeExtensions'>): Obj {
  const {api} = snapshot
  const info: Obj = {title: api.name}
  if (api.description) info.description = api.description
  info.version = api.version ?? defaultVersion(api.createdDate)
  const doc: Obj = {
    openapi: '3.0.1',
    info,
    servers: [
      {
        url: `https://${api.apiId}.execute-api.${options.region}.amazonaws.com/{basePath}`,
        variables: {basePath: {default: options.stageName && options.stageName !== '$default' ? options.stageName : ''}},
      },
    ],
  }
  const integrations = new Map(snapshot.integrations.map((i) => [i.integrationId, i]))
  const authorizers = new Map(snapshot.authorizers.map((a) => [a.authorizerId, a]))
  const paths: Record<string, Obj> = {}
  const usedAuthorizers = new Set<string>()
  let usesIam = false
  const sorted = [...snapshot.routes].sort((a, b) => a.routeKey.localeCompare(b.routeKey))
  for (const route of sorted) {
    const [method, path] = route.routeKey === '$default' ? ['ANY', '$default'] : (route.routeKey.split(' ', 2) as [string, string])
    const op: Obj = {}
    if (route.operationName) op.operationId = route.operationName
    const params = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!)
    if (params.length > 0) {
      op.parameters = params.map((name) => ({
        name,
        in: 'path',
        description: `Generated path parameter for ${name}`,
        required: true,
        schema: {type: 'string'},
      }))
    }
    op.responses = {default: {description: `Default response for ${route.routeKey}`}}
    const security = securityOf(route, authorizers)
    if (security) {
      op.security = [security.requirement]
      if (security.authorizerId) usedAuthorizers.add(security.authorizerId)
      if (route.authorizationType === 'AWS_IAM') usesIam = true
    }
    const integrationId = route.target?.replace(/^integrations\//, '')
    const integration = integrationId ? integrations.get(integrationId) : undefined
    if (integration) op['x-amazon-apigateway-integration'] = integrationExtension(integration)
    const key = method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase()
    paths[path] ??= {}
    paths[path]![key] = op
  }
  doc.paths = paths
  const schemes: Obj = {}
  for (const a of snapshot.authorizers) if (usedAuthorizers.has(a.authorizerId)) schemes[a.name] = securityScheme(a)
  if (usesIam) schemes.sigv4 = {type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4'}
  if (Object.keys(schemes).length > 0) doc.components = {securitySchemes: schemes}
  if (api.corsConfiguration && Object.keys(api.corsConfiguration).length > 0) doc['x-amazon-apigateway-cors'] = api.corsConfiguration
  if (api.disableExecuteApiEndpoint) doc['x-amazon-apigateway-endpoint-configuration'] = {disableExecuteApiEndpoint: true}
  doc['x-amazon-apigateway-importexport-version'] = '1.0'
  return options.includeExtensions ? doc : (stripExtensions(doc) as Obj)
}

function securityOf(route: RouteDoc, authorizers: Map<string, AuthorizerDoc>): {requirement: Obj; authorizerId?: string} | undefined {
  if (route.authorizationType === 'AWS_IAM') return {requirement: {sigv4: []}}
  if ((route.authorizationType === 'JWT' || route.authorizationType === 'CUSTOM') && route.authorizerId) {
    const a = authorizers.get(route.authorizerId)
    if (!a) return undefined
    return {
      requirement: {[a.name]: route.authorizationType === 'JWT' ? (route.authorizationScopes ?? []) : []},
      authorizerId: a.authorizerId,
    }
  }
  return undefined
}

/** Serialise the export as ExportApi's outputType asks. */
export function exportOpenApi(snapshot: Snapshot, options: ExportOptions): string {
  const doc = buildOpenApi(snapshot, options)
  return options.outputType === 'YAML' ? stringifyYaml(doc, {lineWidth: 0}) : JSON.stringify(doc, null, 2)
}
