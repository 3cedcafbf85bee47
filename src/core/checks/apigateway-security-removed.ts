import type {SecurityRequirement} from '../diff/types.ts'
import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

function secured(reqs: SecurityRequirement[] | undefined): boolean {
  return !!reqs && reqs.length > 0 && reqs.every((r) => Object.keys(r).length > 0)
}

/**
 * On an API Gateway spec, an operation that required credentials no longer does (its security, or the
 * document's, went away, or x-amazon-apigateway-auth became NONE): the route opens to anyone.
 */
export const apigatewaySecurityRemoved: Check = (diff) => {
  if (!diff.base.apiGateway && !diff.revision.apiGateway) return []
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    const auth = (v: unknown) => (v && typeof v === 'object' ? String((v as Record<string, unknown>)['type'] ?? '').toUpperCase() : '')
    const iamBefore = auth(op.base.apiGateway['x-amazon-apigateway-auth']) === 'AWS_IAM'
    const iamAfter = auth(op.revision.apiGateway['x-amazon-apigateway-auth']) === 'AWS_IAM'
    const before = secured(op.base.security) || iamBefore
    const after = secured(op.revision.security) || iamAfter
    if (before && !after)
      out.push(
        draft(
          'apigateway-security-removed',
          op.operation,
          `${op.operation} no longer requires any credentials: the route is open.`,
          diff.revision.file,
          op.revision.pointer,
        ),
      )
  }
  return out
}
