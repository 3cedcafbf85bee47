/**
 * HTTP API integrations: AWS_PROXY to a Lambda function (payload 1.0 or 2.0, through the local function
 * host) and HTTP_PROXY to a URL with `{path}` and `${stageVariables.x}` variables. A private integration
 * (VPC link) or an AWS service integration (integrationSubtype) answers 501: not emulated. An integration
 * that outlasts `timeoutInMillis` (AWS: at most 30 s) is 503; any other failure is 500.
 */
import type {IntegrationDoc} from '../../control-plane/v2/common.ts'
import {type Answer, endpointOf, type Upstream} from '../integrations/upstream.ts'
import {type HeaderList, setHeader} from '../headers.ts'
import type {HttpApiContext, HttpApiResponse} from './context.ts'
import {HttpApiError, notSupported} from './errors.ts'
import {eventV1, eventV2, responseV1, responseV2} from './payload.ts'
import {withStageVariables} from '../stage-variables.ts'

/** What the integration sends, after parameter mapping. */
export type OutgoingRequest = {
  method: string
  /** `overwrite:path`: the backend path replacing the URI's. */
  path?: string
  headers: HeaderList
  query: Array<[string, string]>
  body: Buffer
}

// Hop-by-hop headers and those the gateway sets itself never go to the backend or back to the client.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host'])
const NOT_RETURNED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'upgrade'])

function timeoutOf(ctx: HttpApiContext, integration: IntegrationDoc): number {
  // HTTP APIs allow up to 30 s, one second over REST's cap (which tests may lower).
  return Math.min(integration.timeoutInMillis || 30_000, 30_000, ctx.deps.maxIntegrationTimeoutMs + 1000)
}

export async function runIntegration(
  ctx: HttpApiContext,
  integration: IntegrationDoc,
  out: OutgoingRequest,
  upstream: Upstream,
): Promise<HttpApiResponse> {
  if (integration.connectionType === 'VPC_LINK') throw notSupported('Private integrations (VPC links) of HTTP APIs')
  if (integration.integrationSubtype) throw notSupported(`AWS service integrations (${integration.integrationSubtype})`)
  const type = integration.integrationType.toUpperCase()
  if (type === 'AWS_PROXY') return invokeFunction(ctx, integration)
  if (type === 'HTTP_PROXY') return proxyHttp(ctx, integration, out, upstream)
  throw notSupported(`${type} integrations of HTTP APIs`)
}

async function invokeFunction(ctx: HttpApiContext, integration: IntegrationDoc): Promise<HttpApiResponse> {
  const host = ctx.deps.functions
  if (!host) throw notSupported('Lambda integrations (local functions)')
  const uri = withStageVariables(integration.integrationUri ?? '', ctx.stageVariables)
  const v2 = integration.payloadFormatVersion === '2.0'
  const payload = Buffer.from(JSON.stringify(v2 ? eventV2(ctx) : eventV1(ctx)))
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  let result: Awaited<ReturnType<typeof host.invoke>>
  try {
    result = await Promise.race([
      host.invoke(uri, payload, {invocationType: 'RequestResponse', requestId: ctx.requestId}),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new HttpApiError('TIMEOUT', 'The Lambda function did not answer within the integration timeout')),
          timeoutOf(ctx, integration),
        )
      }),
    ])
  } catch (error) {
    ctx.integrationLatency = performance.now() - started
    if (error instanceof HttpApiError) throw error
    const hint = (error as {hint?: unknown}).hint
    throw new HttpApiError('INTERNAL', `${(error as Error).message}${typeof hint === 'string' ? ` ${hint}` : ''}`)
  } finally {
    clearTimeout(timer)
  }
  ctx.integrationLatency = performance.now() - started
  ctx.integrationStatus = result.statusCode
  if (result.functionError) {
    let message = 'The Lambda function returned an error'
    try {
      const v = JSON.parse(result.payload.toString('utf8')) as {errorMessage?: unknown}
      if (typeof v?.errorMessage === 'string') message = `The Lambda function returned an error: ${v.errorMessage}`
    } catch {}
    throw new HttpApiError('INTERNAL', message)
  }
  const response = v2 ? responseV2(result.payload) : responseV1(result.payload)
  if (!response)
    throw new HttpApiError(
      'INTERNAL',
      `The Lambda function returned a malformed payload ${integration.payloadFormatVersion ?? '1.0'} response`,
    )
  return response
}

/** The backend URL: the URI with path parameters and stage variables filled in, then `overwrite:path` and the query. */
export function backendUrl(ctx: HttpApiContext, uri: string, out: OutgoingRequest): URL {
  const filled = withStageVariables(uri, ctx.stageVariables).replace(/\{([^}+]+)\+?\}/g, (whole, name: string) => {
    const value = ctx.pathParameters[name]
    return value === undefined ? whole : value.split('/').map(encodeURIComponent).join('/')
  })
  const url = new URL(filled)
  if (out.path !== undefined) url.pathname = out.path
  for (const [k, v] of out.query) url.searchParams.append(k, v)
  return url
}

async function proxyHttp(
  ctx: HttpApiContext,
  integration: IntegrationDoc,
  out: OutgoingRequest,
  upstream: Upstream,
): Promise<HttpApiResponse> {
  let url: URL
  try {
    url = backendUrl(ctx, integration.integrationUri ?? '', out)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http')
  } catch {
    throw new HttpApiError('INTERNAL', `Invalid integration URI: ${integration.integrationUri ?? ''}`)
  }
  const method = !integration.integrationMethod || integration.integrationMethod === 'ANY' ? out.method : integration.integrationMethod
  const headers: HeaderList = out.headers.filter(([k]) => !HOP_BY_HOP.has(k.toLowerCase()) && k.toLowerCase() !== 'content-length')
  const forwardedFor = headers.find(([k]) => k.toLowerCase() === 'x-forwarded-for')?.[1]
  setHeader(headers, 'x-forwarded-for', forwardedFor ? `${forwardedFor}, ${ctx.sourceIp}` : ctx.sourceIp)
  setHeader(headers, 'x-forwarded-proto', 'http')
  setHeader(
    headers,
    'x-amzn-trace-id',
    `Root=1-${Math.floor(ctx.requestTime.getTime() / 1000).toString(16)}-${ctx.requestId.replace(/[^a-f0-9]/gi, '').slice(0, 24)}`,
  )
  if (out.body.length > 0 || !['GET', 'HEAD'].includes(method)) headers.push(['content-length', String(out.body.length)])
  const started = performance.now()
  let res: Answer
  try {
    res = await upstream.send(endpointOf(url), method, headers, out.body, timeoutOf(ctx, integration))
  } catch (error) {
    ctx.integrationLatency = performance.now() - started
    const e = error as NodeJS.ErrnoException
    if (e.code === 'ETIMEDOUT_INTEGRATION') throw new HttpApiError('TIMEOUT', 'The integration did not answer within its timeout')
    throw new HttpApiError('INTERNAL', `Could not reach ${url.origin}: ${e.code ?? e.message}`)
  }
  ctx.integrationLatency = performance.now() - started
  ctx.integrationStatus = res.status
  return {status: res.status, headers: res.headers.filter(([k]) => !NOT_RETURNED.has(k.toLowerCase())), body: res.body}
}
