/**
 * The context one HTTP API request carries through serve.ts: the request as sent, the stage and frozen
 * deployment it resolved to, the route it took, what the authorizer said, what the integration answered,
 * and the answer. `$context` (parameter mapping, access logs) is built from it in one place.
 */
import type {StageDoc} from '../../control-plane/v2/common.ts'
import type {DataPlaneDeps, IamCaller} from '../context.ts'
import {formatRequestTime} from '../context-vars.ts'
import {getFirst, type HeaderList} from '../headers.ts'
import type {CompiledHttpApi, CompiledRoute} from './compile.ts'

export type HttpApiResponse = {status: number; headers: HeaderList; body: Buffer}

export type AuthorizerResult = {
  /** JWT authorizers. */
  jwt?: {claims: Record<string, unknown>; scopes: string[] | null}
  /** Lambda authorizers: the context the function returned. */
  lambda?: Record<string, unknown>
  principalId?: string
  /** `$context.authorizer.error`: why the authorizer refused. */
  error?: string
  integrationLatency?: number
}

export type HttpApiContext = {
  requestId: string
  requestTime: Date
  /** performance.now() at arrival. */
  started: number
  apiId: string
  /** The stage the request resolved to ('$default' for the default stage), or undefined when none did. */
  stageName: string | undefined
  stage?: StageDoc
  api?: CompiledHttpApi
  method: string
  /** The path as the client sent it (with the stage segment of a named stage), percent-encoding kept. */
  rawPath: string
  /** The path after the stage: what routes match. */
  path: string
  rawQuery: string
  query: Array<[string, string]>
  headers: HeaderList
  body: Buffer
  sourceIp: string
  protocol: string
  domainName: string
  /** A custom domain name's first label; the API id otherwise. */
  domainPrefix?: string
  route?: CompiledRoute
  pathParameters: Record<string, string>
  stageVariables: Record<string, string>
  authorizer?: AuthorizerResult
  /** The SigV4-verified caller of an `AWS_IAM` route (iam.ts). */
  iamCaller?: IamCaller
  integrationStatus?: number
  integrationLatency?: number
  /** `$context.integrationErrorMessage`: why the integration failed. */
  integrationErrorMessage?: string
  /** `$context.error.message` / `responseType` of a gateway answer. */
  error?: {message: string; responseType: string}
  response?: HttpApiResponse
  deps: DataPlaneDeps
}

/** The route key the request took (`GET /pets/{id}`, `$default`), or '-' before routing. */
export const routeKeyOf = (ctx: HttpApiContext): string | undefined => ctx.route?.route.routeKey

/** The `$context` tree of an HTTP API request (access logs, parameter mapping). */
export function contextVariables(ctx: HttpApiContext): Record<string, unknown> {
  const auth = ctx.authorizer
  const claims = auth?.jwt?.claims
  const latency = ctx.integrationLatency === undefined ? null : Math.round(ctx.integrationLatency)
  return {
    accountId: ctx.deps.accountId,
    apiId: ctx.apiId,
    authorizer: {
      ...(auth?.lambda ?? {}),
      claims: claims ?? null,
      principalId: auth?.principalId ?? null,
      error: auth?.error ?? null,
      integrationLatency: auth?.integrationLatency === undefined ? null : Math.round(auth.integrationLatency),
    },
    awsEndpointRequestId: null,
    dataProcessed: ctx.body.length,
    domainName: ctx.domainName,
    domainPrefix: ctx.domainPrefix ?? ctx.apiId,
    error: {message: ctx.error?.message ?? null, responseType: ctx.error?.responseType ?? null},
    extendedRequestId: ctx.requestId,
    httpMethod: ctx.method,
    identity: {
      accessKey: ctx.iamCaller?.accessKey ?? null,
      accountId: ctx.iamCaller?.accountId ?? null,
      caller: ctx.iamCaller?.caller ?? null,
      principalOrgId: null,
      sourceIp: ctx.sourceIp,
      user: ctx.iamCaller?.user ?? null,
      userAgent: getFirst(ctx.headers, 'user-agent') ?? null,
      userArn: ctx.iamCaller?.userArn ?? null,
    },
    integration: {
      error: ctx.integrationErrorMessage ?? null,
      integrationStatus: ctx.integrationStatus ?? null,
      latency,
      requestId: null,
      status: ctx.integrationStatus ?? null,
    },
    integrationErrorMessage: ctx.integrationErrorMessage ?? null,
    integrationLatency: latency,
    integrationStatus: ctx.integrationStatus ?? null,
    path: ctx.rawPath,
    protocol: ctx.protocol,
    requestId: ctx.requestId,
    requestTime: formatRequestTime(ctx.requestTime),
    requestTimeEpoch: ctx.requestTime.getTime(),
    responseLatency: Math.round(performance.now() - ctx.started),
    responseLength: ctx.response?.body.length ?? null,
    routeKey: routeKeyOf(ctx) ?? null,
    stage: ctx.stageName ?? null,
    status: ctx.response?.status ?? null,
  }
}
