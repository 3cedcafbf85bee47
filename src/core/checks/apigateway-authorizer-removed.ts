import {isObject} from '../diff/document.ts'
import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** A security scheme carrying an API Gateway authorizer was removed, or lost its authorizer. */
export const apigatewayAuthorizerRemoved: Check = (diff) => {
  const out: Draft[] = []
  for (const s of diff.securitySchemes.removed)
    if (isObject(s.node['x-amazon-apigateway-authorizer']))
      out.push(draft('apigateway-authorizer-removed', undefined, `The authorizer '${s.name}' was removed.`, diff.base.file, s.pointer))
  for (const s of diff.securitySchemes.modified)
    if (s.authorizer && isObject(s.authorizer.from) && !isObject(s.authorizer.to))
      out.push(
        draft(
          'apigateway-authorizer-removed',
          undefined,
          `The authorizer of security scheme '${s.name}' was removed.`,
          diff.revision.file,
          s.revision.pointer,
        ),
      )
  return out
}
