/**
 * Shared pieces of the API Gateway v2 (HTTP APIs) control plane: document shapes as they are stored (the
 * wire shape of the Get operation, camelCase, ISO-8601 dates, plus private `_` members), lookups that throw
 * AWS's NotFoundException with `resourceType`, member readers that answer BadRequestException for wrong
 * types, and `{items, nextToken}` paging.
 */
import {AwsError, badRequest} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {childId, KIND} from '../model.ts'

export type Cors = {
  allowCredentials?: boolean
  allowHeaders?: string[]
  allowMethods?: string[]
  allowOrigins?: string[]
  exposeHeaders?: string[]
  maxAge?: number
}

export type ApiDoc = {
  apiId: string
  name: string
  protocolType: 'HTTP' | 'WEBSOCKET'
  apiEndpoint: string
  apiKeySelectionExpression: string
  routeSelectionExpression: string
  createdDate: string
  description?: string
  version?: string
  corsConfiguration?: Cors
  disableExecuteApiEndpoint: boolean
  disableSchemaValidation?: boolean
  ipAddressType?: string
  tags: Record<string, string>
  warnings?: string[]
  importInfo?: string[]
}

export type RouteDoc = {
  routeId: string
  routeKey: string
  apiKeyRequired: boolean
  authorizationType: string
  authorizationScopes?: string[]
  authorizerId?: string
  operationName?: string
  requestParameters?: Record<string, {required: boolean}>
  requestModels?: Record<string, string>
  modelSelectionExpression?: string
  routeResponseSelectionExpression?: string
  target?: string
  apiGatewayManaged?: boolean
}

export type IntegrationDoc = {
  integrationId: string
  integrationType: string
  integrationUri?: string
  integrationMethod?: string
  integrationSubtype?: string
  connectionType: string
  connectionId?: string
  credentialsArn?: string
  description?: string
  payloadFormatVersion?: string
  timeoutInMillis: number
  requestParameters?: Record<string, string>
  responseParameters?: Record<string, Record<string, string>>
  requestTemplates?: Record<string, string>
  templateSelectionExpression?: string
  passthroughBehavior?: string
  contentHandlingStrategy?: string
  integrationResponseSelectionExpression?: string
  tlsConfig?: {serverNameToVerify?: string}
  apiGatewayManaged?: boolean
}

export type AuthorizerDoc = {
  authorizerId: string
  name: string
  authorizerType: 'JWT' | 'REQUEST'
  identitySource?: string[]
  jwtConfiguration?: {audience?: string[]; issuer?: string}
  authorizerUri?: string
  authorizerCredentialsArn?: string
  authorizerPayloadFormatVersion?: string
  authorizerResultTtlInSeconds?: number
  enableSimpleResponses?: boolean
  identityValidationExpression?: string
}

/** What a deployment freezes: the data plane and ExportApi read only this. */
export type Snapshot = {
  api: Pick<
    ApiDoc,
    'apiId' | 'name' | 'description' | 'version' | 'protocolType' | 'corsConfiguration' | 'disableExecuteApiEndpoint' | 'createdDate'
  >
  routes: RouteDoc[]
  integrations: IntegrationDoc[]
  authorizers: AuthorizerDoc[]
  /** WebSocket APIs: integration responses with their integration's id (`integrationId`), route responses with `routeId`. */
  integrationResponses?: Array<Record<string, unknown> & {integrationId: string}>
  routeResponses?: Array<Record<string, unknown> & {routeId: string}>
}

export type DeploymentDoc = {
  deploymentId: string
  deploymentStatus: 'PENDING' | 'FAILED' | 'DEPLOYED'
  deploymentStatusMessage?: string
  description?: string
  createdDate: string
  autoDeployed: boolean
  _snapshot: Snapshot
}

export type RouteSettings = {
  dataTraceEnabled?: boolean
  detailedMetricsEnabled?: boolean
  loggingLevel?: string
  throttlingBurstLimit?: number
  throttlingRateLimit?: number
}

export type StageDoc = {
  stageName: string
  createdDate: string
  lastUpdatedDate: string
  deploymentId?: string
  description?: string
  autoDeploy: boolean
  accessLogSettings?: {destinationArn?: string; format?: string}
  defaultRouteSettings: RouteSettings
  routeSettings: Record<string, RouteSettings>
  stageVariables: Record<string, string>
  clientCertificateId?: string
  lastDeploymentStatusMessage?: string
  apiGatewayManaged?: boolean
  tags: Record<string, string>
}

/** The fixed expressions AWS fills in for every HTTP API. */
export const HTTP_ROUTE_SELECTION = '$request.method $request.path'
export const API_KEY_SELECTION = '$request.header.x-api-key'

export const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

/** A document without its private `_` members: what goes on the wire. */
export function wire<T extends object>(doc: T): Partial<T> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_') && v !== undefined) out[k] = v
  return out as Partial<T>
}

export const ok = (body: unknown, status = 200): OperationResult => ({status, body})
export const noContent = (): OperationResult => ({status: 204})

/** v2 NotFoundException: `{"message", "resourceType"}`. */
export const notFoundV2 = (message: string, resourceType: string): AwsError =>
  new AwsError('NotFoundException', message, 404, {extra: {resourceType}})

// "Invalid API identifier specified 123456789012:abcdef" is what AWS answers for an unknown api id
// (aws/aws-sdk-js#2458, aws/aws-sam-cli#7030); the other resources follow the same pattern.
export function requireApi(ctx: OperationContext, apiId: string): ApiDoc {
  const api = ctx.store.get<ApiDoc>(KIND.v2Api, apiId)
  if (!api) throw notFoundV2(`Invalid API identifier specified ${ctx.accountId}:${apiId}`, 'Api')
  return api
}

export function requireChild<T>(store: Store, kind: string, apiId: string, id: string, resourceType: string): T {
  const doc = store.get<T>(kind, childId(apiId, id))
  if (!doc) throw notFoundV2(`Invalid ${resourceType} identifier specified ${id}`, resourceType)
  return doc
}

export function requireStage(store: Store, apiId: string, stageName: string): StageDoc {
  const doc = store.get<StageDoc>(KIND.v2Stage, childId(apiId, stageName))
  if (!doc) throw notFoundV2(`Invalid stage identifier specified ${stageName}`, 'Stage')
  return doc
}

/** Paging as AWS does for v2 lists: `maxResults` (a string in the model) and an opaque `nextToken`. */
export function page<T>(req: OperationRequest, items: T[]): OperationResult {
  const max = req.query.maxResults
  const token = req.query.nextToken
  let start = 0
  if (token !== undefined) {
    const decoded = Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10)
    if (!Number.isInteger(decoded) || decoded < 0) throw badRequest('Invalid nextToken')
    start = decoded
  }
  let size = items.length
  if (max !== undefined) {
    size = Number(max)
    if (!Number.isInteger(size) || size < 1 || size > 500) throw badRequest(`Invalid maxResults: ${max}`)
  }
  const slice = items.slice(start, start + size)
  const body: {items: T[]; nextToken?: string} = {items: slice}
  if (start + size < items.length) body.nextToken = Buffer.from(String(start + size)).toString('base64url')
  return ok(body)
}

// Member readers: a member of the wrong JSON type is a BadRequestException, as AWS's restJson1 services answer.
type Body = Record<string, unknown>

export function str(body: Body, key: string): string | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw badRequest(`Invalid value for ${key}: expected a string`)
  return v
}

export function bool(body: Body, key: string): boolean | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw badRequest(`Invalid value for ${key}: expected a boolean`)
  return v
}

export function num(body: Body, key: string): number | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'number' || !Number.isFinite(v)) throw badRequest(`Invalid value for ${key}: expected a number`)
  return v
}

export function strList(body: Body, key: string): string[] | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw badRequest(`Invalid value for ${key}: expected a list of strings`)
  return v as string[]
}

export function strMap(body: Body, key: string): Record<string, string> | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw badRequest(`Invalid value for ${key}: expected a map of strings`)
  }
  return {...(v as Record<string, string>)}
}

export function obj(body: Body, key: string): Body | undefined {
  const v = body[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'object' || Array.isArray(v)) throw badRequest(`Invalid value for ${key}: expected an object`)
  return v as Body
}

export function required(body: Body, key: string): string {
  const v = str(body, key)
  if (v === undefined || v === '') throw badRequest(`${key} is required`)
  return v
}

/** Read a CORS configuration from a request body or an `x-amazon-apigateway-cors` object. */
export function readCors(v: Body): Cors {
  const cors: Cors = {}
  const allowCredentials = bool(v, 'allowCredentials')
  if (allowCredentials !== undefined) cors.allowCredentials = allowCredentials
  for (const key of ['allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders'] as const) {
    const list = strList(v, key)
    if (list !== undefined) cors[key] = list
  }
  const maxAge = num(v, 'maxAge')
  if (maxAge !== undefined) {
    // AWS: maxAge between -1 and 86400 (CorsConfiguration in the API reference).
    if (!Number.isInteger(maxAge) || maxAge < -1 || maxAge > 86400) throw badRequest('maxAge must be between -1 and 86400')
    cors.maxAge = maxAge
  }
  return cors
}

export function readRouteSettings(v: Body): RouteSettings {
  const out: RouteSettings = {}
  const dataTraceEnabled = bool(v, 'dataTraceEnabled')
  if (dataTraceEnabled !== undefined) out.dataTraceEnabled = dataTraceEnabled
  const detailedMetricsEnabled = bool(v, 'detailedMetricsEnabled')
  if (detailedMetricsEnabled !== undefined) out.detailedMetricsEnabled = detailedMetricsEnabled
  const loggingLevel = str(v, 'loggingLevel')
  if (loggingLevel !== undefined) {
    if (!['ERROR', 'INFO', 'OFF'].includes(loggingLevel)) throw badRequest(`Invalid loggingLevel: ${loggingLevel}`)
    out.loggingLevel = loggingLevel
  }
  const burst = num(v, 'throttlingBurstLimit')
  if (burst !== undefined) out.throttlingBurstLimit = burst
  const rate = num(v, 'throttlingRateLimit')
  if (rate !== undefined) out.throttlingRateLimit = rate
  return out
}

/** ARN of a v2 resource: arn:aws:apigateway:{region}::/apis/{apiId}[/stages/{stageName}]. */
export const v2Arn = (region: string, path: string): string => `arn:aws:apigateway:${region}::${path}`

export const listRoutes = (store: Store, apiId: string): RouteDoc[] => store.list<RouteDoc>(KIND.v2Route, apiId)
export const listIntegrations = (store: Store, apiId: string): IntegrationDoc[] => store.list<IntegrationDoc>(KIND.v2Integration, apiId)
export const listAuthorizers = (store: Store, apiId: string): AuthorizerDoc[] => store.list<AuthorizerDoc>(KIND.v2Authorizer, apiId)
export const listStages = (store: Store, apiId: string): StageDoc[] => store.list<StageDoc>(KIND.v2Stage, apiId)
export const listDeployments = (store: Store, apiId: string): DeploymentDoc[] => store.list<DeploymentDoc>(KIND.v2Deployment, apiId)

/** Freeze the API's current configuration. */
export function snapshotOf(store: Store, api: ApiDoc): Snapshot {
  const {apiId, name, description, version, protocolType, corsConfiguration, disableExecuteApiEndpoint, createdDate} = api
  return structuredClone({
    api: wire({
      apiId,
      name,
      description,
      version,
      protocolType,
      corsConfiguration,
      disableExecuteApiEndpoint,
      createdDate,
    }) as Snapshot['api'],
    routes: listRoutes(store, apiId),
    integrations: listIntegrations(store, apiId),
    authorizers: listAuthorizers(store, apiId),
    ...(protocolType === 'WEBSOCKET' ? websocketResponses(store, apiId) : {}),
  })
}

/** The route and integration responses of a WebSocket API, for its snapshot. */
function websocketResponses(store: Store, apiId: string): Pick<Snapshot, 'integrationResponses' | 'routeResponses'> {
  const integrationResponses = listIntegrations(store, apiId).flatMap((i) =>
    store
      .list<Record<string, unknown>>(KIND.v2IntegrationResponse, childId(apiId, i.integrationId))
      .map((r) => ({...wire(r), integrationId: i.integrationId})),
  )
  const routeResponses = listRoutes(store, apiId).flatMap((r) =>
    store.list<Record<string, unknown>>(KIND.v2RouteResponse, childId(apiId, r.routeId)).map((x) => ({...wire(x), routeId: r.routeId})),
  )
  return {integrationResponses, routeResponses}
}
