/**
 * OpenAPI 3.0 → HTTP API configuration, as ImportApi and ReimportApi read it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-open-api.html): paths and methods
 * become routes, `x-amazon-apigateway-integration` (inline or a $ref into
 * `components.x-amazon-apigateway-integrations`) integrations, security schemes carrying
 * `x-amazon-apigateway-authorizer` authorizers, `x-amazon-apigateway-cors` the CORS configuration. What HTTP
 * APIs ignore (REST-only extensions, unsupported integration types) becomes a warning; a document API
 * Gateway cannot read is a BadRequestException. The result carries no ids: the caller assigns them.
 */
import {type BasePathMode, basePathPrefix, IMPORTED_VERSIONS, REST_ONLY_EXTENSIONS} from '../../../core/apigateway-facts.ts'
import {parseSpecText} from '../../../core/spec/load.ts'
import {dereferenceLocal} from '../../../core/spec/refs.ts'
import {danglingRefWarnings} from '../../openapi/dangling-refs.ts'
import {AwsError, badRequest} from '../../protocol/aws-error.ts'
import type {AuthorizerDoc, Cors, IntegrationDoc, RouteDoc} from './common.ts'

export type ImportedRoute = Omit<RouteDoc, 'routeId' | 'target' | 'authorizerId'> & {integration?: number; authorizer?: string}
export type ImportedIntegration = Omit<IntegrationDoc, 'integrationId'>
export type ImportedAuthorizer = Omit<AuthorizerDoc, 'authorizerId'>

export type ImportedApi = {
  name: string
  description?: string
  version?: string
  corsConfiguration?: Cors
  disableExecuteApiEndpoint?: boolean
  routes: ImportedRoute[]
  integrations: ImportedIntegration[]
  /** Keyed by security scheme name (the authorizer's name). */
  authorizers: Map<string, ImportedAuthorizer>
  warnings: string[]
}

export type Basepath = BasePathMode

type Obj = Record<string, unknown>

// The message AWS answers for a body it cannot parse (recorded for ImportRestApi/PutRestApi,
// corpus/aws-ground-truth/05; the v2 importer is the same service).
export const INVALID_INPUT = 'Invalid OpenAPI input.'

const OPERATIONS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
const ANY_METHOD = 'x-amazon-apigateway-any-method'

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Parse the body of ImportApi/ReimportApi: JSON or YAML, an OpenAPI 3.0 document (through core/spec's one entry point). */
export function parseOpenApiText(text: string): Obj {
  let parsed: ReturnType<typeof parseSpecText>
  try {
    parsed = parseSpecText(text, {lenient: true})
  } catch {
    throw badRequest(INVALID_INPUT)
  }
  const doc = parsed.doc
  if (typeof doc.swagger === 'string' || typeof doc.swagger === 'number') {
    // HTTP APIs import OpenAPI 3.0 only; AWS's docs give a Swagger 2.0 document as their example of an import error.
    // The exact wording AWS answers is not recorded.
    throw badRequest('Unsupported OpenAPI version: Swagger 2.0 documents cannot be imported as HTTP APIs; only OpenAPI 3.0 is supported.')
  }
  if (parsed.version === undefined || !IMPORTED_VERSIONS.http.includes(parsed.version)) {
    throw badRequest(
      `Unsupported OpenAPI version: ${typeof doc.openapi === 'string' ? doc.openapi : 'missing'}. HTTP APIs support only OpenAPI 3.0.`,
    )
  }
  return doc
}

/**
 * The parts of the document an HTTP API reads (operations' ids, security and extensions, security schemes,
 * reusable integrations): dereferencing only these keeps large specs fast (schemas are never read).
 */
function relevantParts(doc: Obj): Obj {
  const out: Obj = {...doc}
  if (isObj(doc.paths)) {
    const paths: Obj = {}
    for (const [path, item] of Object.entries(doc.paths)) {
      if (!isObj(item)) continue
      const kept: Obj = {}
      for (const [key, op] of Object.entries(item)) {
        if (key === '$ref' || key.startsWith('x-')) kept[key] = op
        else if ((OPERATIONS as readonly string[]).includes(key) && isObj(op)) {
          const o: Obj = {}
          for (const [k, v] of Object.entries(op))
            if (k === 'operationId' || k === 'security' || k === '$ref' || k.startsWith('x-')) o[k] = v
          kept[key] = o
        }
      }
      paths[path] = kept
    }
    out.paths = paths
  }
  if (isObj(doc.components)) {
    const components: Obj = {}
    for (const [k, v] of Object.entries(doc.components)) if (k === 'securitySchemes' || k.startsWith('x-')) components[k] = v
    out.components = components
  }
  return out
}

/** Resolve every internal `$ref` (external references are not followed: nothing leaves the emulator). */
async function dereference(doc: Obj): Promise<Obj> {
  try {
    return await dereferenceLocal(relevantParts(doc))
  } catch {
    // A kept part referred to something dropped (an operation $ref into components): resolve the whole document.
  }
  try {
    return await dereferenceLocal(doc)
  } catch (error) {
    throw badRequest(`${INVALID_INPUT} ${(error as Error).message}`.trim())
  }
}

/**
 * The path prefix the basepath mode adds to every route
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api-basePath.html).
 */
const prefixFor = (doc: Obj, mode: Basepath): string => basePathPrefix(doc, mode)

const pfv = (v: unknown): string | undefined => {
  if (typeof v === 'number') return v.toFixed(1)
  if (typeof v === 'string') return v
  return undefined
}

/** Turn an OpenAPI 3.0 document into the configuration of an HTTP API. */
export async function importOpenApi(text: string, options: {basepath?: Basepath} = {}): Promise<ImportedApi> {
  const raw = parseOpenApiText(text)
  const doc = await dereference(raw)
  // A local $ref to nothing is a parse warning (refused with failOnWarnings), as AWS's importer reports it.
  const warnings: string[] = danglingRefWarnings(raw)
  const info = isObj(doc.info) ? doc.info : {}
  const name = typeof info.title === 'string' ? info.title.trim() : ''
  if (!name) throw badRequest('Invalid OpenAPI input: the info.title of the document is required; it names the API.')
  const out: ImportedApi = {name, routes: [], integrations: [], authorizers: new Map(), warnings}
  if (typeof info.description === 'string') out.description = info.description
  if (typeof info.version === 'string' || typeof info.version === 'number') out.version = String(info.version)

  for (const ext of REST_ONLY_EXTENSIONS) {
    if (ext in doc) warnings.push(`Unsupported extension ${ext} is ignored: it applies to REST APIs only.`)
  }
  const cors = doc['x-amazon-apigateway-cors']
  if (cors !== undefined) {
    if (isObj(cors)) out.corsConfiguration = readImportedCors(cors, warnings)
    else warnings.push('Invalid x-amazon-apigateway-cors: expected an object. CORS configuration ignored.')
  }
  const endpoint = doc['x-amazon-apigateway-endpoint-configuration']
  if (isObj(endpoint) && typeof endpoint.disableExecuteApiEndpoint === 'boolean')
    out.disableExecuteApiEndpoint = endpoint.disableExecuteApiEndpoint

  // Security schemes → authorizers (and the AWS_IAM marker).
  const components = isObj(doc.components) ? doc.components : {}
  const schemes = isObj(components.securitySchemes) ? components.securitySchemes : {}
  const iamSchemes = new Set<string>()
  for (const [schemeName, scheme] of Object.entries(schemes)) {
    if (!isObj(scheme)) continue
    if (scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') iamSchemes.add(schemeName)
    const ext = scheme['x-amazon-apigateway-authorizer']
    if (!isObj(ext)) continue
    const authorizer = readAuthorizer(schemeName, ext, warnings)
    if (authorizer) out.authorizers.set(schemeName, authorizer)
  }
  const globalSecurity = Array.isArray(doc.security) ? doc.security : undefined

  const prefix = prefixFor(doc, options.basepath ?? 'ignore')
  const integrationIndex = new Map<Obj, number>()
  const paths = isObj(doc.paths) ? doc.paths : {}
  const seen = new Set<string>()
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue
    if (path !== '$default' && !path.startsWith('/')) {
      warnings.push(`Invalid path ${path}: a path must start with '/'. Path ignored.`)
      continue
    }
    const methods: Array<[string, unknown]> = []
    for (const m of OPERATIONS) if (item[m] !== undefined) methods.push([m.toUpperCase(), item[m]])
    if (item[ANY_METHOD] !== undefined) methods.push(['ANY', item[ANY_METHOD]])
    for (const [method, op] of methods) {
      if (!isObj(op)) continue
      if (method === 'TRACE') {
        warnings.push(`Unsupported method TRACE on path ${path}: HTTP APIs do not route TRACE. Operation ignored.`)
        continue
      }
      const routeKey = path === '$default' ? '$default' : `${method} ${prefix}${path === '/' && prefix ? '' : path}`
      if (seen.has(routeKey)) continue
      seen.add(routeKey)
      const route: ImportedRoute = {routeKey, apiKeyRequired: false, authorizationType: 'NONE'}
      if (typeof op.operationId === 'string') route.operationName = op.operationId
      for (const ext of REST_ONLY_EXTENSIONS) {
        if (ext in op) warnings.push(`Unsupported extension ${ext} on route ${routeKey} is ignored: it applies to REST APIs only.`)
      }
      const integration = op['x-amazon-apigateway-integration']
      if (integration !== undefined) {
        if (!isObj(integration)) warnings.push(`Invalid x-amazon-apigateway-integration for route ${routeKey}: expected an object.`)
        else {
          let index = integrationIndex.get(integration)
          if (index === undefined) {
            const read = readIntegration(routeKey, integration, warnings)
            if (read) {
              index = out.integrations.push(read) - 1
              integrationIndex.set(integration, index)
            }
          }
          if (index !== undefined) route.integration = index
        }
      }
      const security = Array.isArray(op.security) ? op.security : globalSecurity
      if (security) applySecurity(route, security, out.authorizers, iamSchemes)
      out.routes.push(route)
    }
  }
  return out
}

function readImportedCors(v: Obj, warnings: string[]): Cors {
  const cors: Cors = {}
  for (const key of ['allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders'] as const) {
    const list = v[key]
    if (list === undefined) continue
    if (Array.isArray(list) && list.every((x) => typeof x === 'string')) cors[key] = list as string[]
    else warnings.push(`Invalid x-amazon-apigateway-cors.${key}: expected a list of strings. Ignored.`)
  }
  if (typeof v.allowCredentials === 'boolean') cors.allowCredentials = v.allowCredentials
  if (typeof v.maxAge === 'number') cors.maxAge = v.maxAge
  return cors
}

function readIntegration(routeKey: string, v: Obj, warnings: string[]): ImportedIntegration | undefined {
  const type = typeof v.type === 'string' ? v.type.toUpperCase() : undefined
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY') {
    // "HTTP APIs support only Lambda proxy and HTTP proxy integrations" (http-api-open-api.html, the Warning example).
    warnings.push(
      `Unsupported integration type ${type === undefined ? '(missing)' : `'${String(v.type)}'`} for route ` +
        `${routeKey}: HTTP APIs support only AWS_PROXY and HTTP_PROXY integrations. Integration ignored.`,
    )
    return undefined
  }
  const out: ImportedIntegration = {integrationType: type, connectionType: 'INTERNET', timeoutInMillis: 30000, payloadFormatVersion: '1.0'}
  const str = (key: string): string | undefined => {
    const value = v[key]
    if (value === undefined) return undefined
    if (typeof value === 'string') return value
    warnings.push(
      `Invalid value for ${key} of the integration of route ${routeKey}: expected a string but got ${JSON.stringify(value)}. Ignored.`,
    )
    return undefined
  }
  const uri = str('uri')
  if (uri !== undefined) out.integrationUri = uri
  const method = str('httpMethod')
  if (method !== undefined) out.integrationMethod = method.toUpperCase()
  else if (type === 'AWS_PROXY' && v.integrationSubtype === undefined) out.integrationMethod = 'POST'
  const subtype = str('integrationSubtype')
  if (subtype !== undefined) out.integrationSubtype = subtype
  const credentials = str('credentials')
  if (credentials !== undefined) out.credentialsArn = credentials
  const connectionType = str('connectionType')
  if (connectionType !== undefined) out.connectionType = connectionType.toUpperCase()
  const connectionId = str('connectionId')
  if (connectionId !== undefined) out.connectionId = connectionId
  const description = str('description')
  if (description !== undefined) out.description = description
  const version = pfv(v.payloadFormatVersion)
  if (version !== undefined) {
    if (version === '1.0' || version === '2.0') out.payloadFormatVersion = version
    else warnings.push(`Invalid payloadFormatVersion ${version} for route ${routeKey}: supported values are 1.0 and 2.0. Using 1.0.`)
  }
  if (type === 'HTTP_PROXY' && out.payloadFormatVersion === '2.0') {
    warnings.push(
      `Invalid payloadFormatVersion 2.0 for route ${routeKey}: 1.0 is the only supported value for HTTP_PROXY integrations. Using 1.0.`,
    )
    out.payloadFormatVersion = '1.0'
  }
  if (v.timeoutInMillis !== undefined) {
    const t = Number(v.timeoutInMillis)
    if (Number.isInteger(t) && t >= 50 && t <= 30000) out.timeoutInMillis = t
    else
      warnings.push(
        `Invalid timeoutInMillis ${String(v.timeoutInMillis)} for route ${routeKey}: must be between 50 and 30000. Using 30000.`,
      )
  }
  if (v.requestParameters !== undefined) {
    const params: Record<string, string> = {}
    if (isObj(v.requestParameters)) {
      for (const [k, p] of Object.entries(v.requestParameters)) {
        // Same check and wording as AWS's REST importer (corpus/aws-ground-truth/03).
        if (typeof p === 'string') params[k] = p
        else
          warnings.push(
            `Invalid format for 'requestParameters'. Expected type string for ` +
              `property '${k}' of route '${routeKey}' but got '${JSON.stringify(p)}'`,
          )
      }
      out.requestParameters = params
    }
  }
  if (isObj(v.responseParameters)) out.responseParameters = v.responseParameters as ImportedIntegration['responseParameters']
  if (isObj(v.tlsConfig) && typeof v.tlsConfig.serverNameToVerify === 'string')
    out.tlsConfig = {serverNameToVerify: v.tlsConfig.serverNameToVerify}
  if (type === 'AWS_PROXY' && !out.integrationUri && !out.integrationSubtype) {
    warnings.push(`Missing uri for the AWS_PROXY integration of route ${routeKey}. Integration ignored.`)
    return undefined
  }
  if (type === 'HTTP_PROXY' && !out.integrationUri) {
    warnings.push(`Missing uri for the HTTP_PROXY integration of route ${routeKey}. Integration ignored.`)
    return undefined
  }
  return out
}

function readAuthorizer(name: string, v: Obj, warnings: string[]): ImportedAuthorizer | undefined {
  const type = typeof v.type === 'string' ? v.type.toLowerCase() : ''
  const identity =
    typeof v.identitySource === 'string'
      ? v.identitySource
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined
  if (type === 'jwt') {
    const jwt = isObj(v.jwtConfiguration) ? v.jwtConfiguration : {}
    const out: ImportedAuthorizer = {name, authorizerType: 'JWT', jwtConfiguration: {}}
    if (Array.isArray(jwt.audience)) out.jwtConfiguration!.audience = jwt.audience.map(String)
    if (typeof jwt.issuer === 'string') out.jwtConfiguration!.issuer = jwt.issuer
    if (!out.jwtConfiguration!.issuer) {
      warnings.push(`Invalid JWT authorizer ${name}: jwtConfiguration.issuer is required. Authorizer ignored.`)
      return undefined
    }
    out.identitySource = identity ?? ['$request.header.Authorization']
    return out
  }
  if (type === 'request') {
    const out: ImportedAuthorizer = {name, authorizerType: 'REQUEST'}
    if (typeof v.authorizerUri === 'string') out.authorizerUri = v.authorizerUri
    else {
      warnings.push(`Invalid REQUEST authorizer ${name}: authorizerUri is required. Authorizer ignored.`)
      return undefined
    }
    if (identity) out.identitySource = identity
    if (typeof v.authorizerCredentials === 'string') out.authorizerCredentialsArn = v.authorizerCredentials
    out.authorizerPayloadFormatVersion = pfv(v.authorizerPayloadFormatVersion) ?? '2.0'
    if (typeof v.enableSimpleResponses === 'boolean') out.enableSimpleResponses = v.enableSimpleResponses
    out.authorizerResultTtlInSeconds = typeof v.authorizerResultTtlInSeconds === 'number' ? v.authorizerResultTtlInSeconds : 0
    if (typeof v.identityValidationExpression === 'string') out.identityValidationExpression = v.identityValidationExpression
    return out
  }
  warnings.push(
    `Unsupported authorizer type '${String(v.type)}' for ${name}: HTTP APIs support jwt and request authorizers. Authorizer ignored.`,
  )
  return undefined
}

function applySecurity(route: ImportedRoute, security: unknown[], authorizers: Map<string, ImportedAuthorizer>, iam: Set<string>): void {
  // Schemes without an API Gateway authorizer (plain bearer, basic, oauth2 without the extension) are valid
  // OpenAPI that HTTP APIs do not use: AWS reports them as "info", not as warnings (http-api-open-api.html).
  const names = security
    .filter(isObj)
    .flatMap((r) => Object.keys(r))
    .filter((name) => iam.has(name) || authorizers.has(name))
  if (names.length === 0) return
  if (new Set(names).size > 1) {
    // "Each operation can have only one of IAM authorization, a Lambda authorizer, or a JWT authorizer.
    // Attempting to model multiple security requirements results in an error." (http-api-open-api.html)
    throw new AwsError(
      'BadRequestException',
      `Multiple security requirements are not supported for route ${route.routeKey}: an operation can have only one authorizer.`,
      400,
    )
  }
  const schemeName = names[0]!
  if (iam.has(schemeName)) {
    route.authorizationType = 'AWS_IAM'
    return
  }
  const authorizer = authorizers.get(schemeName)!
  const requirement = security.filter(isObj).find((r) => schemeName in r)!
  const scopes = requirement[schemeName]
  route.authorizer = schemeName
  route.authorizationType = authorizer.authorizerType === 'JWT' ? 'JWT' : 'CUSTOM'
  if (authorizer.authorizerType === 'JWT' && Array.isArray(scopes) && scopes.length > 0) route.authorizationScopes = scopes.map(String)
}
