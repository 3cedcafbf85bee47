import {draft, show} from './helpers.ts'
import type {Check, Draft} from './types.ts'

const KEY = 'x-amazon-apigateway-request-validator'

/** A request validator now applies (to one operation, or to all by default): requests that passed may get 400. */
export const apigatewayRequestValidatorAdded: Check = (diff) => {
  const out: Draft[] = []
  const doc = diff.apiGateway[KEY]
  if (doc && doc.from === undefined && doc.to !== undefined)
    out.push(
      draft(
        'apigateway-request-validator-added',
        undefined,
        `The default request validator ${show(doc.to)} was added for all operations.`,
        diff.revision.file,
        doc.revisionPointer,
      ),
    )
  for (const op of diff.operations.modified) {
    const c = op.apiGateway[KEY]
    if (c && c.from === undefined && c.to !== undefined)
      out.push(
        draft(
          'apigateway-request-validator-added',
          op.operation,
          `The request validator ${show(c.to)} was added to ${op.operation}.`,
          diff.revision.file,
          `${op.revision.pointer}/${KEY}`,
        ),
      )
  }
  return out
}
