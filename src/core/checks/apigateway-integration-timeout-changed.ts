import {isObject} from '../diff/document.ts'
import {draft, show} from './helpers.ts'
import type {Check, Draft} from './types.ts'

const KEY = 'x-amazon-apigateway-integration'

/** The integration timeout (timeoutInMillis) changed. */
export const apigatewayIntegrationTimeoutChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    const c = op.apiGateway[KEY]
    if (!c || !isObject(c.from) || !isObject(c.to)) continue
    const from = c.from['timeoutInMillis']
    const to = c.to['timeoutInMillis']
    if (from === to) continue
    out.push(
      draft(
        'apigateway-integration-timeout-changed',
        op.operation,
        `The integration timeout of ${op.operation} changed from ${show(from)} to ${show(to)} ms.`,
        diff.revision.file,
        `${op.revision.pointer}/${KEY}`,
      ),
    )
  }
  return out
}
