/**
 * HTTP and HTTP_PROXY integrations: one real request to the endpoint (upstream.ts: raw bytes, headers as pairs,
 * no decompression), bounded by `timeoutInMillis` (and the gateway's 29 s) → 504
 * INTEGRATION_TIMEOUT. An unreachable endpoint is AWS's 500 configuration error; a connection reset or
 * an answer over 10 MB is 502. HTTP_PROXY answers the client directly (headers remapped as AWS does);
 * HTTP hands the answer to integration-response.
 */
import {requestTrace, traceHeader} from '../trace.ts'
import {acceptsBinary, asText, isBinaryMediaType, mediaTypeOf} from '../binary.ts'
import type {InvocationContext} from '../context.ts'
import {infoLogged, logError, logInfo} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {getFirst, type HeaderList, setHeader} from '../headers.ts'
import {javaMap, truncate} from '../log-format.ts'
import {remapResponseHeaders} from './response-headers.ts'
import {type Endpoint, endpointOf, type Upstream} from './upstream.ts'

export async function invokeHttp(ctx: InvocationContext, upstream: Upstream): Promise<void> {
  const ir = ctx.integrationRequest!
  const integration = ctx.integration!
  const proxy = integration.type.toUpperCase() === 'HTTP_PROXY'
  const endpoint = endpointFor(ir.uri)
  if (!endpoint) {
    logError(ctx, `Execution failed due to configuration error: Invalid endpoint address: ${ir.uri}`)
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  const headers: HeaderList = [...ir.headers]
  if (proxy) {
    const forwardedFor = getFirst(ctx.request.headers, 'x-forwarded-for')
    setHeader(headers, 'X-Forwarded-For', forwardedFor ? `${forwardedFor}, ${ctx.request.sourceIp}` : ctx.request.sourceIp)
    if (!getFirst(headers, 'x-forwarded-proto')) headers.push(['X-Forwarded-Proto', 'http'])
  } else {
    setHeader(headers, 'User-Agent', `AmazonAPIGateway_${ctx.target.apiId}`)
    setHeader(headers, 'X-Amzn-Apigateway-Api-Id', ctx.target.apiId)
    if (!getFirst(headers, 'content-type') && ir.body.length > 0) headers.push(['Content-Type', 'application/json'])
  }
  setHeader(headers, 'X-Amzn-Trace-Id', traceHeader(requestTrace(ctx)))
  if (ir.body.length > 0 || !['GET', 'HEAD'].includes(ir.httpMethod)) setHeader(headers, 'Content-Length', String(ir.body.length))
  if (infoLogged(ctx)) {
    logInfo(ctx, `Endpoint request URI: ${endpoint.url.toString()}`)
    logInfo(ctx, `Endpoint request headers: ${javaMap(Object.fromEntries(headers))}`)
    logInfo(ctx, `Sending request to ${endpoint.url.toString()}`)
  }

  const timeoutMs = Math.min(integration.timeoutInMillis || 29_000, ctx.deps.maxIntegrationTimeoutMs)
  const started = performance.now()
  let res: {status: number; headers: HeaderList; body: Buffer}
  try {
    res = await upstream.send(endpoint, ir.httpMethod, headers, ir.body, timeoutMs)
  } catch (error) {
    ctx.integrationLatency = performance.now() - started
    const e = error as NodeJS.ErrnoException
    if (e.code === 'ETIMEDOUT_INTEGRATION') {
      logError(ctx, 'Execution failed due to a timeout error')
      throw new GatewayError('INTEGRATION_TIMEOUT')
    }
    if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') {
      logError(ctx, `Execution failed due to configuration error: Invalid endpoint address (${e.code})`)
      throw new GatewayError('API_CONFIGURATION_ERROR')
    }
    if (e.code === 'ERESPONSE_TOO_LARGE') logError(ctx, 'Execution failed due to an integration error: the endpoint response is over 10 MB')
    else logError(ctx, `Execution failed due to a network error: ${e.code ?? e.message}`)
    throw new GatewayError('INTEGRATION_FAILURE', 'Internal server error', {status: 502})
  }
  ctx.integrationLatency = performance.now() - started
  if (infoLogged(ctx)) {
    logInfo(ctx, `Received response. Status: ${res.status}, Integration latency: ${Math.round(ctx.integrationLatency)} ms`)
    logInfo(ctx, `Endpoint response headers: ${javaMap(Object.fromEntries(res.headers))}`)
    logInfo(ctx, `Endpoint response body before transformations: ${truncate(res.body.toString('utf8'))}`)
  }
  ctx.integrationResult = {status: res.status, headers: res.headers, body: res.body}
  if (proxy) {
    // A binary answer (its Content-Type or the client's first Accept is a binary media type) passes as bytes;
    // anything else is read as UTF-8 text, as AWS does.
    const binaryTypes = ctx.deployment?.snapshot.settings.binaryMediaTypes
    const binary = acceptsBinary(ctx) || isBinaryMediaType(mediaTypeOf(getFirst(res.headers, 'content-type')), binaryTypes)
    ctx.response = {status: res.status, headers: remapResponseHeaders(res.headers), body: binary ? res.body : asText(res.body)}
  }
}

const endpoints = new Map<string, Endpoint | undefined>()

/** The endpoint (http or https), parsed once per distinct address; undefined when it is not one. */
function endpointFor(uri: string): Endpoint | undefined {
  const known = endpoints.get(uri)
  if (known !== undefined || endpoints.has(uri)) return known
  let endpoint: Endpoint | undefined
  try {
    const url = new URL(uri)
    if (url.protocol === 'http:' || url.protocol === 'https:') endpoint = endpointOf(url)
  } catch {
    endpoint = undefined
  }
  if (endpoints.size >= 1000) endpoints.clear()
  endpoints.set(uri, endpoint)
  return endpoint
}
