import {isObject} from '../diff/document.ts'
import {escapePointerToken} from '../findings.ts'
import {deepEqual} from '../diff/schema-diff.ts'
import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

const KEY = 'x-amazon-apigateway-gateway-responses'

/** Gateway responses (DEFAULT_4XX, UNAUTHORIZED…) added, removed or changed. */
export const apigatewayGatewayResponsesChanged: Check = (diff) => {
  const c = diff.apiGateway[KEY]
  if (!c) return []
  const from = isObject(c.from) ? c.from : {}
  const to = isObject(c.to) ? c.to : {}
  const out: Draft[] = []
  for (const type of [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()) {
    if (deepEqual(from[type], to[type])) continue
    const verb = !(type in from) ? 'was added' : !(type in to) ? 'was removed' : 'changed'
    const file = type in to ? diff.revision.file : diff.base.file
    out.push(
      draft(
        'apigateway-gateway-responses-changed',
        undefined,
        `The gateway response ${type} ${verb}.`,
        file,
        `#/${KEY}/${escapePointerToken(type)}`,
      ),
    )
  }
  return out
}
