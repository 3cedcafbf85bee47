/**
 * HTTP and HTTP_PROXY integrations: one real request to the endpoint with node:http (raw bytes, headers as
 * pairs, no decompression), bounded by `timeoutInMillis` (and the gateway's 29 s) → 504
 * INTEGRATION_TIMEOUT. An unreachable endpoint is AWS's 500 configuration error; a connection reset or
 * an answer over 10 MB is 502. HTTP_PROXY answers the client directly (headers remapped as AWS does);
 * HTTP hands the answer to integration-response.
 */
import {requestTrace, traceHeader} from '../trace.ts'
import {type Agent, request as httpRequest, type IncomingMessage} from 'node:http'
import {request as httpsRequest} from 'node:https'
import {MAX_BODY_BYTES} from '../../protocol/body.ts'
import {acceptsBinary, asText, isBinaryMediaType, mediaTypeOf} from '../binary.ts'
import type {InvocationContext} from '../context.ts'
import {infoLogged, logError, logInfo} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {fromRawHeaders, getFirst, type HeaderList, setHeader} from '../headers.ts'
import {javaMap, truncate} from '../log-format.ts'
import {remapResponseHeaders} from './response-headers.ts'

export async function invokeHttp(ctx: InvocationContext, agent: Agent): Promise<void> {
  const ir = ctx.integrationRequest!
  const integration = ctx.integration!
  const proxy = integration.type.toUpperCase() === 'HTTP_PROXY'
  const url = endpointUrl(ir.uri)
  if (!url) {
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
    logInfo(ctx, `Endpoint request URI: ${url.toString()}`)
    logInfo(ctx, `Endpoint request headers: ${javaMap(Object.fromEntries(headers))}`)
    logInfo(ctx, `Sending request to ${url.toString()}`)
  }

  const timeoutMs = Math.min(integration.timeoutInMillis || 29_000, ctx.deps.maxIntegrationTimeoutMs)
  const started = performance.now()
  let res: {status: number; headers: HeaderList; body: Buffer}
  try {
    res = await send(url, ir.httpMethod, headers, ir.body, timeoutMs, agent)
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

const endpoints = new Map<string, URL | undefined>()

/** The endpoint's URL (http or https), parsed once per distinct address; undefined when it is not one. */
function endpointUrl(uri: string): URL | undefined {
  if (endpoints.has(uri)) return endpoints.get(uri)
  let url: URL | undefined
  try {
    url = new URL(uri)
    if (url.protocol !== 'http:' && url.protocol !== 'https:') url = undefined
  } catch {
    url = undefined
  }
  if (endpoints.size >= 1000) endpoints.clear()
  endpoints.set(uri, url)
  return url
}

export function send(
  url: URL,
  method: string,
  headers: HeaderList,
  body: Buffer,
  timeoutMs: number,
  agent: Agent,
): Promise<{status: number; headers: HeaderList; body: Buffer}> {
  return new Promise((resolve, reject) => {
    // With headers as a list node adds no Host of its own.
    const flat: string[] = ['Host', url.host]
    for (const [k, v] of headers) flat.push(k, v)
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method,
      headers: flat,
      ...(url.protocol === 'http:' ? {agent} : {}),
    })
    const timer = setTimeout(() => {
      const error = new Error('integration timed out') as NodeJS.ErrnoException
      error.code = 'ETIMEDOUT_INTEGRATION'
      request.destroy(error)
    }, timeoutMs)
    const fail = (error: Error) => {
      clearTimeout(timer)
      reject(error)
    }
    request.on('error', fail)
    request.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size > MAX_BODY_BYTES) {
          const error = new Error('response too large') as NodeJS.ErrnoException
          error.code = 'ERESPONSE_TOO_LARGE'
          request.destroy(error)
          return
        }
        chunks.push(chunk)
      })
      res.on('error', fail)
      res.on('aborted', () => {
        const error = new Error('socket hang up') as NodeJS.ErrnoException
        error.code = 'ECONNRESET'
        fail(error)
      })
      res.on('end', () => {
        clearTimeout(timer)
        if (!res.complete) {
          const error = new Error('socket hang up') as NodeJS.ErrnoException
          error.code = 'ECONNRESET'
          reject(error)
          return
        }
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)
        resolve({status: res.statusCode ?? 502, headers: fromRawHeaders(res.rawHeaders), body})
      })
    })
    request.end(body.length > 0 ? body : undefined)
  })
}
