import {draft} from './helpers.ts'
import type {Check} from './types.ts'

/** Binary media types removed: those payloads are now mangled as text. */
export const apigatewayBinaryMediaTypesRemoved: Check = (diff) => {
  const c = diff.apiGateway['x-amazon-apigateway-binary-media-types']
  if (!c) return []
  const from = Array.isArray(c.from) ? c.from.map(String) : []
  const to = Array.isArray(c.to) ? c.to.map(String) : []
  return from
    .filter((m) => !to.includes(m))
    .map((m) =>
      draft('apigateway-binary-media-types-removed', undefined, `The binary media type '${m}' was removed.`, diff.base.file, c.basePointer),
    )
}
