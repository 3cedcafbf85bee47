/**
 * Binary media types (REST): whether a media type is listed in the API's `binaryMediaTypes` (wildcards as
 * `*\/*` or `image/*`), the Content-Type / Accept parsing it needs, and AWS's payload conversions by
 * `contentHandling` (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings-workflow.html).
 */
import {isUtf8} from 'node:buffer'
import type {InvocationContext} from './context.ts'
import {getFirst} from './headers.ts'

/** `application/json; charset=utf-8` → `application/json` (lower case). */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined
  return contentType.split(';')[0]!.trim().toLowerCase() || undefined
}

export function isBinaryMediaType(mediaType: string | undefined, binaryMediaTypes: readonly string[] | undefined): boolean {
  if (!mediaType || !binaryMediaTypes || binaryMediaTypes.length === 0) return false
  const [type, sub] = mediaType.split('/')
  return binaryMediaTypes.some((raw) => {
    const b = raw.replace(/~1/g, '/').toLowerCase()
    if (b === mediaType || b === '*/*') return true
    const [bt, bs] = b.split('/')
    return (bt === '*' || bt === type) && (bs === '*' || bs === sub)
  })
}

/** The first media type of an Accept header (AWS uses the first, not the best quality). */
export function firstAccept(accept: string | undefined): string | undefined {
  if (!accept) return undefined
  return mediaTypeOf(accept.split(',')[0])
}

/**
 * Base64 text to bytes, or undefined when the text is not base64 (AWS then answers 500, an API configuration
 * error). Whitespace is ignored; the standard and URL-safe alphabets are accepted, padding optional.
 */
export function decodeBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '')
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) return undefined
  return Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64')
}

/** Bytes read as UTF-8 and written back: what API Gateway makes of a payload it treats as text. */
export function asText(bytes: Buffer): Buffer {
  // Valid UTF-8 comes back unchanged: skip the copy.
  return isUtf8(bytes) ? bytes : Buffer.from(bytes.toString('utf8'), 'utf8')
}

export type ContentHandling = 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT' | undefined

/**
 * The integration request payload (AWS's "API request content type conversions" table): a request whose
 * Content-Type is a binary media type is binary data, anything else text. CONVERT_TO_TEXT base64-encodes
 * binary data, CONVERT_TO_BINARY base64-decodes text data; text is otherwise read as UTF-8.
 * Undefined when a CONVERT_TO_BINARY payload is not base64.
 */
export function convertRequestPayload(body: Buffer, binary: boolean, handling: ContentHandling): Buffer | undefined {
  if (binary) return handling === 'CONVERT_TO_TEXT' ? Buffer.from(body.toString('base64')) : body
  if (handling === 'CONVERT_TO_BINARY') return decodeBase64(body.toString('utf8'))
  return asText(body)
}

/**
 * The method response payload (AWS's "API response content type conversions" table). `binary`: the
 * integration's answer has a binary media type; `acceptBinary`: the client's first Accept type is one.
 * Binary data stays bytes unless CONVERT_TO_TEXT, or a text Accept with no handling, base64-encodes it;
 * text data is base64-decoded by CONVERT_TO_BINARY, or by a binary Accept with no handling.
 * Undefined when text that must be decoded is not base64.
 */
export function convertResponsePayload(
  body: Buffer,
  binary: boolean,
  acceptBinary: boolean,
  handling: ContentHandling,
): Buffer | undefined {
  if (binary) {
    if (handling === 'CONVERT_TO_TEXT' || (handling === undefined && !acceptBinary)) return Buffer.from(body.toString('base64'))
    return body
  }
  if (handling === 'CONVERT_TO_BINARY' || (handling === undefined && acceptBinary)) return decodeBase64(body.toString('utf8'))
  return asText(body)
}

/** `contentHandling` as stored (any casing), or undefined for the default (passthrough). */
export function contentHandlingOf(value: string | undefined): ContentHandling {
  const upper = value?.toUpperCase()
  return upper === 'CONVERT_TO_BINARY' || upper === 'CONVERT_TO_TEXT' ? upper : undefined
}

/** Whether the request's Content-Type (application/json when absent) is one of the API's binary media types. */
export function isBinaryRequest(ctx: InvocationContext): boolean {
  const contentType = mediaTypeOf(getFirst(ctx.request.headers, 'content-type')) ?? 'application/json'
  return isBinaryMediaType(contentType, ctx.deployment?.snapshot.settings.binaryMediaTypes)
}

/** Whether the client's first Accept type is one of the API's binary media types. */
export function acceptsBinary(ctx: InvocationContext): boolean {
  return isBinaryMediaType(firstAccept(getFirst(ctx.request.headers, 'accept')), ctx.deployment?.snapshot.settings.binaryMediaTypes)
}
