import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** The HTTP API CORS configuration (x-amazon-apigateway-cors) changed: browsers may block calls. */
export const apigatewayCorsChanged: Check = (diff) => {
  const c = diff.apiGateway['x-amazon-apigateway-cors']
  if (!c) return []
  const verb = c.from === undefined ? 'was added' : c.to === undefined ? 'was removed' : 'changed'
  const out: Draft[] = [
    draft(
      'apigateway-cors-changed',
      undefined,
      `The CORS configuration ${verb}.`,
      c.to === undefined ? diff.base.file : diff.revision.file,
      c.revisionPointer,
    ),
  ]
  return out
}
