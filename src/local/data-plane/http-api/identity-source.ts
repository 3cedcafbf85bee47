/**
 * Identity sources of HTTP API authorizers: `$request.header.NAME`, `$request.querystring.NAME`,
 * `$context.NAME` and `$stageVariables.NAME`, read from the request.
 */
import {getAll} from '../headers.ts'
import type {HttpApiContext} from './context.ts'
import {mappingValue} from './mapping.ts'

/** The value of one identity source, or undefined when the request does not carry it (or it is empty). */
export function identityValue(ctx: HttpApiContext, source: string): string | undefined {
  const header = /^\$request\.header\.(.+)$/i.exec(source)
  if (header) {
    const values = getAll(ctx.headers, header[1]!)
    return values.length > 0 && values.join(',') !== '' ? values.join(',') : undefined
  }
  const query = /^\$request\.querystring\.(.+)$/i.exec(source)
  if (query) {
    const values = ctx.query.filter(([k]) => k === query[1]).map(([, v]) => v)
    return values.length > 0 && values.join(',') !== '' ? values.join(',') : undefined
  }
  const value = mappingValue(source, {ctx})
  return value === '' ? undefined : value
}
