import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

const RANK: Record<string, number> = {draft: 0, alpha: 1, beta: 2, stable: 3}

/** x-stability-level lowered (stable → beta → alpha → draft) on an existing operation. */
export const apiStabilityLevel: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    if (!op.stability) continue
    const from = RANK[op.stability.from ?? 'stable']
    const to = RANK[op.stability.to ?? 'stable']
    if (from === undefined || to === undefined || from === to) continue
    const id = to < from ? 'api-stability-decreased' : 'api-stability-increased'
    out.push(
      draft(
        id,
        op.operation,
        `The stability level of ${op.operation} changed from ${op.stability.from ?? 'stable'} to ${op.stability.to ?? 'stable'}.`,
        diff.revision.file,
        op.revision.pointer,
      ),
    )
  }
  return out
}
