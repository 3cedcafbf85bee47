import type {SecurityDiff, SecurityRequirement} from '../diff/types.ts'
import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

export function requirementText(req: SecurityRequirement): string {
  const names = Object.keys(req)
  return names.length ? names.map((n) => (req[n]?.length ? `${n}[${req[n]!.join(', ')}]` : n)).join(' + ') : 'none (anonymous)'
}

function securityDrafts(
  d: SecurityDiff,
  prefix: string,
  operation: string | undefined,
  where: string,
  file: string,
  pointer: string,
): Draft[] {
  const out: Draft[] = []
  for (const r of d.removed)
    out.push(
      draft(`${prefix}-removed`, operation, `The security requirement ${requirementText(r)} was removed from ${where}.`, file, pointer),
    )
  for (const r of d.added)
    out.push(draft(`${prefix}-added`, operation, `The security requirement ${requirementText(r)} was added to ${where}.`, file, pointer))
  for (const m of d.modified) {
    for (const [scheme, scopes] of Object.entries(m.scopesAdded))
      out.push(
        draft(`${prefix}-scope-added`, operation, `The scopes ${scopes.join(', ')} were added to '${scheme}' in ${where}.`, file, pointer),
      )
    for (const [scheme, scopes] of Object.entries(m.scopesRemoved))
      out.push(
        draft(
          `${prefix}-scope-removed`,
          operation,
          `The scopes ${scopes.join(', ')} were removed from '${scheme}' in ${where}.`,
          file,
          pointer,
        ),
      )
  }
  return out
}

/** Security requirements of operations (their own `security`) and of the whole document. */
export const apiSecurityUpdated: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    if (!op.security || (!op.base.ownSecurity && !op.revision.ownSecurity)) continue
    out.push(...securityDrafts(op.security, 'api-security', op.operation, op.operation, diff.revision.file, op.revision.securityPointer))
  }
  if (diff.security)
    out.push(...securityDrafts(diff.security, 'api-global-security', undefined, 'the API', diff.revision.file, diff.security.pointer))
  return out
}
