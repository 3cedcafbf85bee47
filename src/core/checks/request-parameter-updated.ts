import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** Parameters added, removed (with deprecation and sunset policy), required or optional, deprecated. */
export const requestParameterUpdated: Check = (diff, ctx) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified) {
    const name = (p: {in: string; name: string}) => `${p.in} parameter '${p.name}'`
    for (const p of op.parameters.removed) {
      let id = 'request-parameter-removed'
      let message = `The ${name(p)} of ${op.operation} was removed.`
      if (p.deprecated) {
        const sunset = p.node['x-sunset']
        const when = sunset === undefined ? Number.NaN : Date.parse(String(sunset))
        if (!Number.isNaN(when) && when > ctx.now.getTime()) {
          id = 'request-parameter-removed-before-sunset'
          message = `The ${name(p)} of ${op.operation} was removed before its sunset date ${String(sunset)}.`
        } else {
          id = 'request-parameter-removed-with-deprecation'
          message = `The deprecated ${name(p)} of ${op.operation} was removed.`
        }
      }
      out.push(draft(id, op.operation, message, diff.base.file, p.pointer))
    }
    for (const p of op.parameters.added) {
      const req = p.required
      let id = req ? 'new-required-request-parameter' : 'new-optional-request-parameter'
      if (p.fromPathItem && p.in !== 'path')
        id = req ? 'new-required-request-default-parameter-to-existing-path' : 'new-optional-request-default-parameter-to-existing-path'
      out.push(
        draft(
          id,
          op.operation,
          `A new ${req ? 'required' : 'optional'} ${name(p)} was added to ${op.operation}.`,
          diff.revision.file,
          p.pointer,
        ),
      )
    }
    for (const p of op.parameters.modified) {
      const at = p.revision.pointer
      if (p.required)
        out.push(
          draft(
            p.required.to ? 'request-parameter-became-required' : 'request-parameter-became-optional',
            op.operation,
            `The ${name(p)} of ${op.operation} became ${p.required.to ? 'required' : 'optional'}.`,
            diff.revision.file,
            at,
          ),
        )
      if (p.deprecated)
        out.push(
          draft(
            p.deprecated.to ? 'request-parameter-deprecated' : 'request-parameter-reactivated',
            op.operation,
            `The ${name(p)} of ${op.operation} ${p.deprecated.to ? 'was deprecated' : 'is no longer deprecated'}.`,
            diff.revision.file,
            at,
          ),
        )
    }
  }
  return out
}
