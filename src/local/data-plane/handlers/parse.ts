/**
 * Chain step 1: read the request as sent: raw body bytes (over 10 MB → 413 REQUEST_TOO_LARGE), headers as
 * ordered pairs in the client's casing, query pairs decoded as AWS decodes them (`+` as space).
 */
import {hasNoBody, isTooLarge, readBody} from '../../protocol/body.ts'
import type {ChainHandler} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {fromRawHeaders} from '../headers.ts'

export const parse: ChainHandler = (ctx) => {
  const req = ctx.incoming
  if (!req) return
  ctx.request.headers = fromRawHeaders(req.rawHeaders)
  ctx.request.query = ctx.target.rawQuery ? [...new URLSearchParams(ctx.target.rawQuery)] : []
  ctx.request.sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1'
  ctx.request.protocol = `HTTP/${req.httpVersion}`
  if (hasNoBody(req)) return
  return readBody(req).then(
    (body) => {
      ctx.request.body = body
    },
    (error: unknown) => {
      if (isTooLarge(error)) throw new GatewayError('REQUEST_TOO_LARGE')
      throw error
    },
  )
}
