/**
 * CORS of HTTP APIs from the API's `corsConfiguration`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html): the gateway answers
 * preflight requests itself (route or no route), adds the configured headers to every answer to an allowed
 * origin, and drops the CORS headers a backend sends.
 */
import type {Cors} from '../../control-plane/v2/common.ts'
import {getFirst, type HeaderList} from '../headers.ts'
import type {HttpApiResponse} from './context.ts'

/** A preflight: OPTIONS with `Origin` and `Access-Control-Request-Method`. */
export function isPreflight(method: string, headers: HeaderList): boolean {
  return method === 'OPTIONS' && !!getFirst(headers, 'origin') && !!getFirst(headers, 'access-control-request-method')
}

/** The `Access-Control-Allow-Origin` value for an origin, or undefined when it is not allowed. */
function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (!origin) return undefined
  const origins = cors.allowOrigins ?? []
  if (origins.includes('*')) return '*'
  const lower = origin.toLowerCase()
  return origins.find((o) => o.toLowerCase() === lower) ? origin : undefined
}

/** The gateway's answer to a preflight: 204, with the CORS headers when the origin is allowed. */
export function preflightResponse(cors: Cors, headers: HeaderList): HttpApiResponse {
  const out: HeaderList = []
  const origin = allowedOrigin(cors, getFirst(headers, 'origin'))
  if (origin) {
    out.push(['access-control-allow-origin', origin])
    if (cors.allowCredentials) out.push(['access-control-allow-credentials', 'true'])
    if (cors.allowMethods?.length) out.push(['access-control-allow-methods', cors.allowMethods.join(',')])
    if (cors.allowHeaders?.length) out.push(['access-control-allow-headers', cors.allowHeaders.join(',')])
    if (cors.exposeHeaders?.length) out.push(['access-control-expose-headers', cors.exposeHeaders.join(',')])
    if (cors.maxAge !== undefined && cors.maxAge >= 0) out.push(['access-control-max-age', String(cors.maxAge)])
  }
  return {status: 204, headers: out, body: Buffer.alloc(0)}
}

/** An answer with the backend's CORS headers replaced by the configured ones (for an allowed origin). */
export function withCorsHeaders(cors: Cors, requestHeaders: HeaderList, response: HttpApiResponse): HttpApiResponse {
  const headers = response.headers.filter(([k]) => !k.toLowerCase().startsWith('access-control-'))
  const origin = allowedOrigin(cors, getFirst(requestHeaders, 'origin'))
  if (origin) {
    headers.push(['access-control-allow-origin', origin])
    if (cors.allowCredentials) headers.push(['access-control-allow-credentials', 'true'])
    if (cors.exposeHeaders?.length) headers.push(['access-control-expose-headers', cors.exposeHeaders.join(',')])
  }
  return {...response, headers}
}
