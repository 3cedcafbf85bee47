/**
 * JSON in and out for the control plane's protocols (restJson1 for API Gateway v1/v2, awsJson1_1 for
 * CloudWatch Logs): parsing a request body into an object, and writing results and AWS errors.
 */
import type {ServerResponse} from 'node:http'
import type {OperationResult} from '../types.ts'
import {AwsError} from './aws-error.ts'

export type Protocol = 'rest' | 'json'

/** The body as a JSON object ({} when empty); SerializationException otherwise. */
export function parseJson(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {}
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch {
    throw new AwsError('SerializationException', 'Could not parse request body into json: the body is not valid JSON', 400)
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError('SerializationException', 'Could not parse request body into json: the body must be a JSON object', 400)
  }
  return value as Record<string, unknown>
}

export function writeJson(res: ServerResponse, status: number, body: unknown, requestId: string, contentType = 'application/json'): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-type': contentType, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(text)})
  res.end(text)
}

export function writeResult(res: ServerResponse, result: OperationResult, requestId: string): void {
  const headers: Record<string, string | number> = {'x-amzn-requestid': requestId, ...result.headers}
  if (result.raw !== undefined) {
    const buf = typeof result.raw === 'string' ? Buffer.from(result.raw) : result.raw
    headers['content-type'] = result.contentType ?? 'application/octet-stream'
    headers['content-length'] = buf.length
    res.writeHead(result.status, headers)
    res.end(buf)
    return
  }
  if (result.body === undefined || result.status === 204) {
    if (result.status !== 204) headers['content-type'] = result.contentType ?? 'application/json'
    headers['content-length'] = 0
    res.writeHead(result.status, headers)
    res.end()
    return
  }
  const text = JSON.stringify(result.body)
  headers['content-type'] = result.contentType ?? 'application/json'
  headers['content-length'] = Buffer.byteLength(text)
  res.writeHead(result.status, headers)
  res.end(text)
}

/** AWS's error shape: status, `x-amzn-ErrorType`, and `{"message"}` (rest) or `{"__type","message"}` (json). */
export function writeError(res: ServerResponse, error: AwsError, protocol: Protocol, requestId: string): void {
  const body = protocol === 'json' ? {__type: error.code, message: error.message, ...error.extra} : {message: error.message, ...error.extra}
  const text = JSON.stringify(body)
  res.writeHead(error.status, {
    'content-type': protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json',
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.code,
    'content-length': Buffer.byteLength(text),
    ...error.headers,
  })
  res.end(text)
}
