import {draft} from './helpers.ts'
import type {Check, CheckContext, Draft} from './types.ts'

const DAY = 86_400_000

function minimumDays(stability: string | undefined, ctx: CheckContext): number {
  return stability === 'beta' || stability === 'alpha' || stability === 'draft' ? ctx.deprecationDays.beta : ctx.deprecationDays.stable
}

/** Operations deprecated or reactivated, and sunset dates set, moved earlier or deleted. */
export const apiDeprecation: Check = (diff, ctx) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    const file = diff.revision.file
    const at = op.revision.pointer
    const sunset = op.revision.sunset
    const min = ctx.now.getTime() + minimumDays(op.revision.stability, ctx) * DAY
    if (op.deprecated?.to) {
      if (sunset) {
        out.push(
          draft('endpoint-deprecated-with-sunset', op.operation, `${op.operation} was deprecated, with sunset date ${sunset}.`, file, at),
        )
        const when = Date.parse(sunset)
        if (!Number.isNaN(when) && when < min && minimumDays(op.revision.stability, ctx) > 0)
          out.push(draft('api-sunset-date-too-small', op.operation, `The sunset date ${sunset} of ${op.operation} is too early.`, file, at))
      } else out.push(draft('endpoint-deprecated', op.operation, `${op.operation} was deprecated.`, file, at))
    } else if (op.deprecated && !op.deprecated.to) {
      out.push(draft('endpoint-reactivated', op.operation, `${op.operation} is no longer deprecated.`, file, at))
    } else if (op.revision.deprecated && op.sunset) {
      const {from, to} = op.sunset
      if (to === undefined)
        out.push(draft('api-sunset-deleted', op.operation, `The sunset date of the deprecated ${op.operation} was deleted.`, file, at))
      else if (from !== undefined) {
        const before = Date.parse(from)
        const after = Date.parse(to)
        if (!Number.isNaN(before) && !Number.isNaN(after) && after < before && after < min)
          out.push(
            draft(
              'api-sunset-date-changed-too-small',
              op.operation,
              `The sunset date of ${op.operation} moved from ${from} to ${to}, too early.`,
              file,
              at,
            ),
          )
      }
    }
  }
  return out
}
