import {draft, show} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** Tags added to or removed from an operation. */
export const apiTagUpdated: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    if (!op.tags) continue
    for (const t of op.tags.removed)
      out.push(
        draft(
          'api-tag-removed',
          op.operation,
          `The tag ${show(t)} was removed from ${op.operation}.`,
          diff.revision.file,
          op.revision.pointer,
        ),
      )
    for (const t of op.tags.added)
      out.push(
        draft('api-tag-added', op.operation, `The tag ${show(t)} was added to ${op.operation}.`, diff.revision.file, op.revision.pointer),
      )
  }
  return out
}
