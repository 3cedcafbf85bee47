import {isObject} from '../diff/document.ts'
import {draft, show} from './helpers.ts'
import type {Check, Draft} from './types.ts'

const KEY = 'x-amazon-apigateway-integration'

/** x-amazon-apigateway-integration type, uri or httpMethod changed: requests go to another backend. */
export const apigatewayIntegrationChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    const c = op.apiGateway[KEY]
    if (!c) continue
    const from = isObject(c.from) ? c.from : {}
    const to = isObject(c.to) ? c.to : {}
    const changed = ['type', 'uri', 'httpMethod'].filter(
      (k) => String(from[k] ?? '').toLowerCase() !== String(to[k] ?? '').toLowerCase() || (k === 'uri' && from[k] !== to[k]),
    )
    if (changed.length === 0) continue
    const detail = changed.map((k) => `${k} ${show(from[k])} → ${show(to[k])}`).join(', ')
    out.push(
      draft(
        'apigateway-integration-changed',
        op.operation,
        `The integration of ${op.operation} changed: ${detail}.`,
        diff.revision.file,
        `${op.revision.pointer}/${KEY}`,
      ),
    )
  }
  return out
}
