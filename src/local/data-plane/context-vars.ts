/**
 * The `$context` tree of a request (mapping templates, gateway responses, access-log formats) and the
 * Lambda proxy event's `requestContext`, from one place.
 */
import {requestTrace, xrayTraceId} from './trace.ts'
import type {InvocationContext} from './context.ts'
import {getFirst} from './headers.ts'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

// The last second formatted: the requests of one second share their requestTime.
let formattedSecond = Number.NaN
let formatted = ''

/** `dd/MMM/yyyy:HH:mm:ss +0000`, AWS's requestTime. */
export function formatRequestTime(d: Date): string {
  const second = Math.floor(d.getTime() / 1000)
  if (second === formattedSecond) return formatted
  const p = (n: number) => String(n).padStart(2, '0')
  formatted =
    `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`
  formattedSecond = second
  return formatted
}

export function identityOf(ctx: InvocationContext): Record<string, string | null> {
  const iam = ctx.iamCaller
  return {
    cognitoIdentityPoolId: null,
    accountId: iam?.accountId ?? null,
    cognitoIdentityId: null,
    caller: iam?.caller ?? null,
    sourceIp: ctx.request.sourceIp,
    principalOrgId: null,
    accessKey: iam?.accessKey ?? null,
    apiKey: ctx.apiKey?.value ?? null,
    apiKeyId: ctx.apiKey?.id ?? null,
    cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null,
    userArn: iam?.userArn ?? null,
    userAgent: getFirst(ctx.request.headers, 'user-agent') ?? null,
    user: iam?.user ?? null,
  }
}

/**
 * The proxy event's `requestContext.authorizer`: a Lambda authorizer's principalId, integrationLatency and
 * context (values as strings, as REST APIs pass them), or a user-pool authorizer's `claims`.
 */
export function proxyAuthorizerOf(ctx: InvocationContext): Record<string, unknown> | undefined {
  const a = ctx.authorizer
  if (!a) return undefined
  if (a.claims) return {claims: a.claims}
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(a.context)) out[k] = String(v)
  out.principalId = a.principalId ?? null
  out.integrationLatency = a.integrationLatency ?? 0
  return out
}

/** `$context.authorizer`: `principalId`, the context's keys, `claims`, and the access log's latency and status. */
function authorizerVariables(ctx: InvocationContext): Record<string, unknown> {
  const a = ctx.authorizer
  if (!a) return {}
  return {
    ...a.context,
    ...(a.principalId !== undefined ? {principalId: a.principalId} : {}),
    ...(a.claims ? {claims: a.claims} : {}),
    integrationLatency: a.integrationLatency ?? 0,
    latency: a.integrationLatency ?? 0,
    status: a.status ?? 200,
  }
}

/** The Lambda proxy event's `requestContext` (payload 1.0). */
export function requestContextOf(ctx: InvocationContext): Record<string, unknown> {
  const resourcePath = ctx.route?.resource.path ?? ctx.request.path
  return {
    resourceId: ctx.route?.resource.id ?? null,
    resourcePath,
    httpMethod: ctx.request.method,
    extendedRequestId: ctx.extendedRequestId,
    requestTime: formatRequestTime(ctx.requestTime),
    path: ctx.target.requestPath ?? `/${ctx.target.stageName ?? ''}${ctx.request.path}`,
    accountId: ctx.deps.accountId,
    protocol: ctx.request.protocol,
    stage: ctx.target.stageName ?? null,
    domainPrefix: ctx.target.domainPrefix ?? ctx.target.apiId,
    requestTimeEpoch: ctx.requestTime.getTime(),
    requestId: ctx.requestId,
    identity: identityOf(ctx),
    ...(ctx.authorizer ? {authorizer: proxyAuthorizerOf(ctx)} : {}),
    domainName: ctx.target.domainName,
    deploymentId: ctx.deployment?.id ?? null,
    apiId: ctx.target.apiId,
  }
}

/** The `$context` tree. */
export function contextVariables(ctx: InvocationContext): Record<string, unknown> {
  const now = performance.now()
  const status = ctx.response?.status ?? (ctx.error ? undefined : undefined)
  const errorMessage = ctx.error?.nullMessage ? undefined : ctx.error?.message
  return {
    ...requestContextOf(ctx),
    authorizer: authorizerVariables(ctx),
    error: {
      message: errorMessage ?? null,
      messageString: ctx.error?.nullMessage ? 'null' : errorMessage === undefined ? null : JSON.stringify(errorMessage),
      responseType: ctx.error?.type ?? null,
      validationErrorString: ctx.error?.validationErrorString ?? null,
    },
    isCanaryRequest: ctx.isCanary,
    integrationLatency: ctx.integrationLatency === undefined ? null : Math.round(ctx.integrationLatency),
    integrationStatus: ctx.integrationResult?.status ?? null,
    integration: {
      status: ctx.integrationResult?.status ?? null,
      latency: ctx.integrationLatency === undefined ? null : Math.round(ctx.integrationLatency),
      error: null,
      requestId: null,
    },
    responseLatency: Math.round(now - ctx.started),
    responseLength: ctx.response?.body.length ?? null,
    status: status ?? null,
    xrayTraceId: xrayTraceId(requestTrace(ctx)) ?? null,
    wafResponseCode: null,
  }
}
