/**
 * Reading a request body as raw bytes, with a size cap, for both planes. A client that hangs up mid-body
 * rejects with SerializationException; a body over the cap rejects with `tooLarge()` before it is buffered.
 */
import type {IncomingMessage} from 'node:http'
import {AwsError} from './aws-error.ts'

/** API Gateway's payload limit (REST and HTTP APIs): 10 MB. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024

/** The error for a body over the cap; `isTooLarge` recognises it. */
export function tooLarge(max = MAX_BODY_BYTES): AwsError {
  return new AwsError('RequestEntityTooLargeException', `Request must be smaller than ${max} bytes`, 413)
}

export function isTooLarge(error: unknown): boolean {
  return error instanceof AwsError && error.code === 'RequestEntityTooLargeException'
}

/** The whole body as bytes; rejects with `tooLarge()` past `max` bytes (declared or received). */
/**
 * Neither Content-Length nor Transfer-Encoding: the request has no body (RFC 9112 6.3), so there is nothing to wait
 * for (node's server drains the message itself once the answer is sent).
 */
export function hasNoBody(req: IncomingMessage): boolean {
  return req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined
}

export function readBody(req: IncomingMessage, max = MAX_BODY_BYTES): Promise<Buffer> {
  if (hasNoBody(req)) return Promise.resolve(Buffer.alloc(0))
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0)
    if (declared > max) {
      req.resume()
      reject(tooLarge(max))
      return
    }
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) {
        req.removeAllListeners('data')
        req.resume()
        reject(tooLarge(max))
        return
      }
      chunks.push(chunk)
    })
    let complete = false
    req.on('end', () => {
      complete = true
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    })
    req.on('error', reject)
    // A client that hangs up mid-body never sends the rest; node reports it as an aborted request.
    req.on('aborted', () => {
      if (!complete) reject(new AwsError('SerializationException', 'The request body ended before its declared Content-Length', 400))
    })
  })
}
