import {draft} from './helpers.ts'
import type {Check} from './types.ts'

/** New operations. */
export const endpointAdded: Check = (diff) =>
  diff.operations.added.map((op) =>
    draft('endpoint-added', op.operation, `The operation ${op.operation} was added.`, diff.revision.file, op.pointer),
  )
