/**
 * Lambda integrations through the local function host (functions/index.ts): AWS_PROXY builds the proxy
 * event (payload 1.0) and turns the function's answer into the method response by AWS's proxy rules (a
 * malformed answer is 502); AWS (non-proxy) sends the mapped body and hands the payload, with the error
 * message of a function error, to integration-response. `X-Amz-Invocation-Type: Event` (mapped onto the
 * integration request) invokes asynchronously. Lambda must be invoked with POST.
 */
import {firstAccept, isBinaryMediaType, isBinaryRequest} from '../binary.ts'
import type {InvocationContext} from '../context.ts'
import {infoLogged, logError, logInfo} from '../context.ts'
import {requestContextOf} from '../context-vars.ts'
import {GatewayError, NotSupportedError} from '../gateway-responses.ts'
import {getFirst, type HeaderList, toMaps} from '../headers.ts'
import {truncate} from '../log-format.ts'
import {remapResponseHeaders} from './response-headers.ts'
import {requestTrace, traceHeader as traceValue} from '../trace.ts'
import {withStageVariables} from '../stage-variables.ts'

const LAMBDA_URI = /^arn:aws:apigateway:[^:]*:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/

/** True when an AWS integration URI invokes a Lambda function. */
export function isLambdaUri(uri: string | undefined): boolean {
  return uri !== undefined && LAMBDA_URI.test(uri)
}

export async function invokeLambda(ctx: InvocationContext): Promise<void> {
  const integration = ctx.integration!
  const ir = ctx.integrationRequest!
  const proxy = integration.type.toUpperCase() === 'AWS_PROXY'
  if ((integration.httpMethod ?? 'POST').toUpperCase() !== 'POST') {
    logError(
      ctx,
      `Execution failed due to configuration error: Lambda functions must be ` +
        `invoked with POST (integration httpMethod is ${integration.httpMethod})`,
    )
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  const host = ctx.deps.functions
  if (!host) throw new NotSupportedError('Lambda integrations (local functions)')
  const uri = withStageVariables(ir.uri, ctx.stageVariables)
  const payload = proxy ? Buffer.from(JSON.stringify(proxyEvent(ctx))) : ir.body
  const invocationType =
    (getFirst(ir.headers, 'x-amz-invocation-type') ?? getFirst(proxy ? ctx.request.headers : [], 'x-amz-invocation-type')) === 'Event'
      ? 'Event'
      : 'RequestResponse'
  if (infoLogged(ctx)) {
    logInfo(ctx, `Endpoint request URI: ${uri}`)
    logInfo(ctx, `Endpoint request body after transformations: ${truncate(payload.toString('utf8'))}`)
    logInfo(ctx, `Sending request to ${uri}`)
  }
  const timeoutMs = Math.min(integration.timeoutInMillis || 29_000, ctx.deps.maxIntegrationTimeoutMs)
  const started = performance.now()
  const trace = traceValue(requestTrace(ctx))
  let result: Awaited<ReturnType<typeof host.invoke>>
  try {
    result = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(Object.assign(new Error('timeout'), {code: 'ETIMEDOUT_INTEGRATION'})), timeoutMs)
      host.invoke(uri, payload, {invocationType, requestId: ctx.requestId, traceId: trace}).then(
        (answer) => {
          clearTimeout(timer)
          resolve(answer)
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })
  } catch (error) {
    ctx.integrationLatency = performance.now() - started
    if ((error as NodeJS.ErrnoException).code === 'ETIMEDOUT_INTEGRATION') {
      logError(ctx, 'Execution failed due to a timeout error')
      throw new GatewayError('INTEGRATION_TIMEOUT')
    }
    // The function host's errors (a function found nowhere, --lambda-endpoint down) carry the next step as a hint.
    const hint = (error as {hint?: unknown}).hint
    logError(ctx, `Execution failed due to configuration error: ${(error as Error).message}${typeof hint === 'string' ? ` ${hint}` : ''}`)
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  ctx.integrationLatency = performance.now() - started
  if (infoLogged(ctx)) {
    logInfo(ctx, `Received response. Status: ${result.statusCode}, Integration latency: ${Math.round(ctx.integrationLatency)} ms`)
    logInfo(ctx, `Endpoint response body before transformations: ${truncate(result.payload.toString('utf8'))}`)
  }
  const traceHeader: [string, string] = ['X-Amzn-Trace-Id', trace]
  if (invocationType === 'Event') {
    ctx.integrationResult = {status: result.statusCode, headers: [traceHeader], body: Buffer.alloc(0)}
    if (proxy) ctx.response = {status: 200, headers: [['Content-Type', 'application/json'], traceHeader], body: Buffer.alloc(0)}
    return
  }
  if (!proxy) {
    const errorMessage = result.functionError ? errorMessageOf(result.payload) : undefined
    ctx.integrationResult = {
      status: 200,
      headers: [traceHeader],
      body: result.payload,
      ...(errorMessage !== undefined ? {errorMessage} : {}),
    }
    return
  }
  ctx.integrationResult = {status: result.statusCode, headers: [], body: result.payload}
  if (result.functionError) {
    logError(ctx, `Lambda execution failed with status 200 due to customer function error: ${errorMessageOf(result.payload) ?? ''}`)
    throw malformed()
  }
  const response = proxyResponse(result.payload, {
    accept: getFirst(ctx.request.headers, 'accept'),
    binaryMediaTypes: ctx.deployment?.snapshot.settings.binaryMediaTypes,
  })
  if (!response) {
    logError(ctx, 'Execution failed due to configuration error: Malformed Lambda proxy response')
    throw malformed()
  }
  response.headers.push(traceHeader)
  ctx.response = response
}

function malformed(): GatewayError {
  return new GatewayError('API_CONFIGURATION_ERROR', 'Internal server error', {status: 502})
}

function errorMessageOf(payload: Buffer): string | undefined {
  try {
    const v = JSON.parse(payload.toString('utf8')) as Record<string, unknown>
    return typeof v?.errorMessage === 'string' ? v.errorMessage : undefined
  } catch {
    return undefined
  }
}

/** The Lambda proxy event, payload format 1.0 (shared reference, "Lambda proxy 1.0 event"). */
export function proxyEvent(ctx: InvocationContext): Record<string, unknown> {
  const req = ctx.request
  // API Gateway adds its trace header to the event's headers (the client's own, if any, is replaced).
  const trace = traceValue(requestTrace(ctx))
  const {single, multi} = toMaps([...req.headers.filter(([k]) => k.toLowerCase() !== 'x-amzn-trace-id'), ['X-Amzn-Trace-Id', trace]])
  const query = req.query
  let qs: Record<string, string> | null = null
  let mqs: Record<string, string[]> | null = null
  if (query.length > 0) {
    qs = {}
    mqs = {}
    for (const [k, v] of query) {
      qs[k] = v
      const list = mqs[k] ?? []
      list.push(v)
      mqs[k] = list
    }
  }
  const path = ctx.route?.pathParameters ?? {}
  const binary = isBinaryRequest(ctx)
  return {
    resource: ctx.route?.resource.path ?? req.path,
    path: req.path,
    httpMethod: req.method,
    headers: single,
    multiValueHeaders: multi,
    queryStringParameters: qs,
    multiValueQueryStringParameters: mqs,
    pathParameters: Object.keys(path).length > 0 ? path : null,
    stageVariables: Object.keys(ctx.stageVariables).length > 0 ? ctx.stageVariables : null,
    requestContext: requestContextOf(ctx),
    body: req.body.length === 0 ? null : binary ? req.body.toString('base64') : req.body.toString('utf8'),
    isBase64Encoded: binary && req.body.length > 0,
  }
}

const PROXY_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded'])

/** The method response for a Lambda proxy answer, or undefined when AWS would call it malformed (502). */
export function proxyResponse(
  payload: Buffer,
  client: {accept?: string | undefined; binaryMediaTypes?: readonly string[] | undefined},
): {status: number; headers: HeaderList; body: Buffer} | undefined {
  let value: unknown
  try {
    value = JSON.parse(payload.toString('utf8'))
  } catch {
    return undefined
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const answer = value as Record<string, unknown>
  for (const key of Object.keys(answer)) if (!PROXY_KEYS.has(key)) return undefined
  let status = 200
  const code = answer.statusCode
  if (typeof code === 'number' && Number.isInteger(code)) status = code
  else if (typeof code === 'string' && /^\d+$/.test(code)) status = Number(code)
  else if (code !== undefined && code !== null) return undefined
  if (status < 100 || status > 599) return undefined
  const headers: HeaderList = []
  const casing = new Map<string, number>()
  const mv = answer.multiValueHeaders
  if (mv !== undefined && mv !== null) {
    if (typeof mv !== 'object' || Array.isArray(mv)) return undefined
    for (const [k, list] of Object.entries(mv as Record<string, unknown>)) {
      if (!Array.isArray(list)) return undefined
      casing.set(k.toLowerCase(), headers.length)
      headers.push([k, list.map((x) => scalar(x)).join(', ')])
    }
  }
  const h = answer.headers
  if (h !== undefined && h !== null) {
    if (typeof h !== 'object' || Array.isArray(h)) return undefined
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
      const at = casing.get(k.toLowerCase())
      // The same name in both: multi values first, then the single one; multiValueHeaders' casing wins.
      if (at !== undefined) headers[at] = [headers[at]![0], `${headers[at]![1]}, ${scalar(v)}`]
      else headers.push([k, scalar(v)])
    }
  }
  const rawBody = answer.body
  if (rawBody !== undefined && rawBody !== null && typeof rawBody !== 'string') return undefined
  let body = Buffer.from(rawBody ?? '', 'utf8')
  if (answer.isBase64Encoded === true && typeof rawBody === 'string') {
    if (isBinaryMediaType(firstAccept(client.accept), client.binaryMediaTypes)) body = Buffer.from(rawBody, 'base64')
  }
  const out = remapResponseHeaders(headers)
  if (!out.some(([k]) => k.toLowerCase() === 'content-type')) out.push(['Content-Type', 'application/json'])
  return {status, headers: out, body}
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return ''
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}
