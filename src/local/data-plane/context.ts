/**
 * The one typed context a data-plane request carries through the chain (gateway.ts): the request as sent,
 * the stage and frozen deployment it resolved to, the matched method, what the integration request built,
 * what the integration answered, the method response, an error when a handler failed, and the execution
 * log lines. Handlers read and fill it; none of them writes to the socket.
 */
import type {IncomingMessage} from 'node:http'
import type {IntegrationDoc, MethodDoc, ResourceDoc} from '../openapi/types.ts'
import type {StageDoc} from '../control-plane/v1/lookup.ts'
import type {Store} from '../store/store.ts'
import type {DataPlaneTarget} from './address.ts'
import type {CompiledDeployment} from './deployment.ts'
import type {GatewayError} from './gateway-responses.ts'
import type {HeaderList} from './headers.ts'

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

export type LogLevel = 'INFO' | 'ERROR'

/** A local function host (functions/index.ts): runs the Lambda functions integrations name. */
export type FunctionHost = {
  invoke(
    functionRef: string,
    payload: Buffer,
    opts: {invocationType?: 'RequestResponse' | 'Event'; requestId?: string},
  ): Promise<{statusCode: number; payload: Buffer; functionError?: 'Unhandled' | 'Handled'; logs?: string}>
  close(): Promise<void>
}

export type DataPlaneDeps = {
  store: Store
  now(): Date
  region: string
  accountId: string
  /** The canary draw, 0 ≤ n < 1. */
  random(): number
  functions?: FunctionHost | undefined
  /** Upper bound on any integration's time, over `timeoutInMillis` (AWS: 29 s); tests shorten it. */
  maxIntegrationTimeoutMs: number
}

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
  error?: GatewayError
  /** Execution log lines (without the `(requestId) ` prefix). */
  log: Array<{level: LogLevel; message: string}>
  deps: DataPlaneDeps
  /** TestInvokeMethod: run against the working API, answer the log instead of writing logs. */
  testInvoke: boolean
}

export function logInfo(ctx: InvocationContext, message: string): void {
  ctx.log.push({level: 'INFO', message})
}

export function logError(ctx: InvocationContext, message: string): void {
  ctx.log.push({level: 'ERROR', message})
}

/** A chain step. It may set `ctx.response` (the chain stops) or throw a GatewayError. */
export type ChainHandler = (ctx: InvocationContext) => void | Promise<void>
