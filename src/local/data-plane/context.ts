/**
 * The one typed context a data-plane request carries through the chain (gateway.ts): the request as sent,
 * the stage and frozen deployment it resolved to, the matched method, what the integration request built,
 * what the integration answered, the method response, an error when a handler failed, and the execution
 * log lines. Handlers read and fill it; none of them writes to the socket.
 */
import type {DocumentCache} from './documents.ts'
import type {IncomingMessage} from 'node:http'
import type {IdentityProvider} from '../identity/provider.ts'
import type {KnownCredential} from '../protocol/sigv4.ts'
import type {IntegrationDoc, MethodDoc, ResourceDoc} from '../openapi/types.ts'
import type {StageDoc} from '../control-plane/v1/lookup.ts'
import type {Store} from '../store/store.ts'
import type {DataPlaneTarget} from './address.ts'
import type {CompiledDeployment} from './deployment.ts'
import type {GatewayError} from './gateway-responses.ts'
import type {HeaderList} from './headers.ts'
import type {Traffic} from './traffic/index.ts'
import type {MetricStore} from '../cloudwatch/metric-store.ts'
import type {UsagePlanDoc} from '../control-plane/v1/usage-plans.ts'

export type InvocationRequest = {
  method: string
  /** Path after the stage, as sent (percent-encoded, trailing slash and `//` kept). */
  path: string
  rawQuery: string
  /** Query pairs in order, percent-decoded and `+` as space. */
  query: Array<[string, string]>
  headers: HeaderList
  body: Buffer
  sourceIp: string
  protocol: string
}

export type MatchedRoute = {
  resource: ResourceDoc
  method: MethodDoc
  /** The verb the method is declared under (`ANY` or the request's). */
  declaredMethod: string
  pathParameters: Record<string, string>
}

/** What integration-request hands the integration. */
export type IntegrationRequest = {
  httpMethod: string
  /** The endpoint URL (HTTP integrations) or the integration URI (Lambda). */
  uri: string
  headers: HeaderList
  query: Array<[string, string]>
  body: Buffer
}

/** What the integration answered (before integration-response maps it). */
export type IntegrationResult = {
  status: number
  headers: HeaderList
  body: Buffer
  /** Lambda non-proxy: the function's error message (matched by selectionPattern). */
  errorMessage?: string
}

export type MethodResponse = {status: number; headers: HeaderList; body: Buffer}

/** A request's X-Ray trace (made and formatted by trace.ts). */
export type TraceContext = {
  /** `1-5759e988-bd862e3fe1be46a994272793`. */
  root: string
  /** API Gateway's segment: the integration's parent (tracing on). */
  segment: string
  sampled: boolean
  tracing: boolean
}

export type LogLevel = 'INFO' | 'ERROR'

/**
 * What authorization established (data-plane/auth/): read by later steps, `$context.authorizer.*`, the Lambda
 * proxy event's `requestContext.authorizer` and access logs.
 */
export type AuthorizerResult = {
  /** Lambda authorizers: the answer's `principalId`. */
  principalId?: string
  /** Lambda authorizers: the answer's `context` (string, number and boolean values only, as AWS allows). */
  context: Record<string, string | number | boolean>
  /** Cognito user-pool authorizers: the token's claims, values as strings ($context.authorizer.claims.*). */
  claims?: Record<string, string>
  /**
   * Lambda authorizers: the answer's top-level `usageIdentifierKey`. The API key of a request when the API's
   * `apiKeySource` is AUTHORIZER (the API-key step reads it from here; undefined when the authorizer sent none).
   */
  usageIdentifierKey?: string
  /** The authorizer function's latency in ms (0 when answered from the cache). */
  integrationLatency?: number
  /** The authorizer's status for `$context.authorizer.status` in access logs. */
  status?: number
}

/** The IAM caller of an AWS_IAM method (SigV4 verified): `$context.identity.*` and the proxy event's identity. */
export type IamCaller = {accessKey: string; accountId: string; userArn: string; user: string; caller: string}

/** A local function host (functions/index.ts): runs the Lambda functions integrations name. */
export type FunctionHost = {
  invoke(
    functionRef: string,
    /** The event's JSON; as text when it was built as text (a Node handler's runtime takes text: no conversion both ways). */
    payload: Buffer | string,
    opts: {invocationType?: 'RequestResponse' | 'Event'; requestId?: string; traceId?: string},
  ): Promise<{statusCode: number; payload: Buffer; functionError?: 'Unhandled' | 'Handled'; logs?: string}>
  close(): Promise<void>
}

export type DataPlaneDeps = {
  store: Store
  /** The stage, API, account, key and plan documents read per request, cached until the store changes. */
  docs: DocumentCache
  now(): Date
  region: string
  accountId: string
  /** The canary draw, 0 ≤ n < 1. */
  random(): number
  functions?: FunctionHost | undefined
  /** Upper bound on any integration's time, over `timeoutInMillis` (AWS: 29 s); tests shorten it. */
  maxIntegrationTimeoutMs: number
  /** Access keys AWS_IAM methods accept, by access key id (`local start --credentials`; default `test`/`test`). */
  credentials: ReadonlyMap<string, KnownCredential>
  /** The local identity provider (src/local/identity): verifies Cognito user-pool tokens and JWTs. */
  identity?: IdentityProvider | undefined
  /** Token buckets, usage counters and the stage cache (traffic/). */
  traffic: Traffic
  /** CloudWatch metric points (AWS/ApiGateway), recorded when a request is finished (metrics.ts). */
  metrics: MetricStore
}

/** The API key that admitted a request (handlers/api-key.ts), and the usage plan that admits it on the stage. */
export type AdmittedApiKey = {id: string; value: string; plan: UsagePlanDoc}

export type InvocationContext = {
  requestId: string
  /** `x-amz-apigw-id` / $context.extendedRequestId. */
  extendedRequestId: string
  requestTime: Date
  /** performance.now() at arrival. */
  started: number
  target: DataPlaneTarget
  /** The socket's request, until parse has read it (absent for TestInvokeMethod). */
  incoming?: IncomingMessage
  request: InvocationRequest
  stage?: StageDoc
  deployment?: CompiledDeployment
  stageVariables: Record<string, string>
  isCanary: boolean
  route?: MatchedRoute
  integration?: IntegrationDoc
  integrationRequest?: IntegrationRequest
  integrationResult?: IntegrationResult
  /** Integration latency in ms and the integration's own status, for logs. */
  integrationLatency?: number
  /** Set by `#set($context.responseOverride...)` in a template. */
  responseOverride?: {status?: number; header: Record<string, string>}
  response?: MethodResponse
  /** Set by the authorization step (handlers/authorize.ts) once a Lambda or Cognito authorizer allowed the call. */
  authorizer?: AuthorizerResult
  /** Set by the authorization step for AWS_IAM methods once the signature checked out. */
  iamCaller?: IamCaller
  /** The request target as the client sent it (`/dev/pets?x=1`, or the `/_aws/execute-api/...` form): SigV4 signs it. */
  rawTarget?: string
  error?: GatewayError
  /** The request's API key once the API-key step admitted it ($context.identity.apiKey / apiKeyId). */
  apiKey?: AdmittedApiKey
  /** A cached method (handlers/cache.ts): its cache key, TTL, whether it was a hit, and the cluster's size in bytes. */
  cache?: {key: string; ttlMs: number; hit: boolean; capacity: number}
  /** The request's X-Ray trace (trace.ts), made when an integration or the access log first asks for it. */
  trace?: TraceContext
  /** Execution log lines (without the `(requestId) ` prefix). */
  log: Array<{level: LogLevel; message: string}>
  deps: DataPlaneDeps
  /** TestInvokeMethod: run against the working API, answer the log instead of writing logs. */
  testInvoke: boolean
  /**
   * Whether INFO lines of the execution log are kept: set once the route is known (TestInvokeMethod, or the
   * method's logging level is INFO); until then, and when unset, every line is kept. ERROR lines always are.
   */
  infoLog?: boolean
}

export function logInfo(ctx: InvocationContext, message: string): void {
  if (ctx.infoLog !== false) ctx.log.push({level: 'INFO', message})
}

/** Whether an INFO line would be kept: callers skip building costly lines (header maps, bodies) otherwise. */
export function infoLogged(ctx: InvocationContext): boolean {
  return ctx.infoLog !== false
}

export function logError(ctx: InvocationContext, message: string): void {
  ctx.log.push({level: 'ERROR', message})
}

/** A chain step. It may set `ctx.response` (the chain stops) or throw a GatewayError. */
export type ChainHandler = (ctx: InvocationContext) => void | Promise<void>
