import {draft, show} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** operationId added, removed or changed (clients generated from the spec rename methods). */
export const apiOperationIdUpdated: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    if (!op.operationId) continue
    const {from, to} = op.operationId
    const at = op.revision.pointer
    if (from !== undefined)
      out.push(
        draft(
          'api-operation-id-removed',
          op.operation,
          `The operationId ${show(from)} of ${op.operation} was ${to === undefined ? 'removed' : `changed to ${show(to)}`}.`,
          diff.revision.file,
          at,
        ),
      )
    else
      out.push(
        draft('api-operation-id-added', op.operation, `The operationId ${show(to)} was added to ${op.operation}.`, diff.revision.file, at),
      )
  }
  return out
}
