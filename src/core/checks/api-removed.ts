import {draft} from './helpers.ts'
import type {Check} from './types.ts'

/** Paths and operations removed, judged against their deprecation and x-sunset date. */
export const apiRemoved: Check = (diff, ctx) =>
  diff.operations.removed.map((op) => {
    const prefix = op.pathRemoved ? 'api-path-removed' : 'api-removed'
    const thing = op.pathRemoved ? `The path ${op.path} (${op.method})` : `The operation ${op.operation}`
    let id = `${prefix}-without-deprecation`
    let message = `${thing} was removed without deprecation.`
    if (op.deprecated) {
      const sunset = op.sunset ? Date.parse(op.sunset) : Number.NaN
      if (!Number.isNaN(sunset) && sunset > ctx.now.getTime()) {
        id = `${prefix}-before-sunset`
        message = `${thing} was removed before its sunset date ${op.sunset}.`
      } else {
        id = `${prefix}-with-deprecation`
        message = `${thing} was removed after deprecation.`
      }
    }
    return draft(id, op.operation, message, diff.base.file, op.pointer)
  })
