import {isObject} from '../diff/document.ts'
import type {SecurityRequirement} from '../diff/types.ts'
import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

function authorizersOf(reqs: SecurityRequirement[] | undefined, names: string[]): string {
  const used = new Set<string>()
  for (const r of reqs ?? []) for (const k of Object.keys(r)) if (names.includes(k)) used.add(k)
  return [...used].sort().join(', ')
}

/**
 * A Lambda/Cognito/JWT authorizer (x-amazon-apigateway-authorizer or -authtype) changed, or an operation now
 * goes through another authorizer (or one where it had none): clients' credentials may stop working.
 */
export const apigatewayAuthorizerChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const s of diff.securitySchemes.modified) {
    if (!s.authorizer && !s.authType) continue
    if (s.authorizer && !isObject(s.authorizer.to)) continue // removal is apigateway-authorizer-removed
    out.push(
      draft(
        'apigateway-authorizer-changed',
        undefined,
        `The authorizer of security scheme '${s.name}' changed.`,
        diff.revision.file,
        s.revision.pointer,
      ),
    )
  }
  for (const op of diff.operations.modified) {
    if (!op.security) continue
    const before = authorizersOf(op.base.security, diff.authorizers.base)
    const after = authorizersOf(op.revision.security, diff.authorizers.revision)
    if (after === '' || before === after) continue
    out.push(
      draft(
        'apigateway-authorizer-changed',
        op.operation,
        `${op.operation} now goes through the authorizer ${after} (was ${before || 'none'}).`,
        diff.revision.file,
        op.revision.securityPointer,
      ),
    )
  }
  return out
}
