import {draft, isSuccess} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** Response status codes and media types added or removed, and media type schemas added or removed. */
export const responseUpdated: Check = (diff) => {
  const out: Draft[] = []
  const rf = diff.revision.file
  for (const op of diff.operations.modified) {
    const o = op.operation
    for (const r of op.responses.removed) {
      const id = isSuccess(r.status) ? 'response-success-status-removed' : 'response-non-success-status-removed'
      out.push(draft(id, o, `The response status ${r.status} of ${o} was removed.`, diff.base.file, r.pointer))
    }
    for (const r of op.responses.added) {
      const id = isSuccess(r.status) ? 'response-success-status-added' : 'response-non-success-status-added'
      out.push(draft(id, o, `The response status ${r.status} was added to ${o}.`, rf, r.pointer))
    }
    for (const r of op.responses.modified) {
      for (const m of r.content.removed)
        out.push(
          draft(
            'response-media-type-removed',
            o,
            `The media type '${m.mediaType}' of response ${r.status} of ${o} was removed.`,
            diff.base.file,
            m.pointer,
          ),
        )
      for (const m of r.content.added)
        out.push(
          draft(
            'response-media-type-added',
            o,
            `The media type '${m.mediaType}' was added to response ${r.status} of ${o}.`,
            rf,
            m.pointer,
          ),
        )
      for (const m of r.content.modified) {
        if (m.schemaAdded)
          out.push(
            draft(
              'response-body-media-type-schema-added',
              o,
              `A schema was added to media type '${m.mediaType}' of response ${r.status} of ${o}.`,
              rf,
              m.revision.pointer,
            ),
          )
        if (m.schemaRemoved)
          out.push(
            draft(
              'response-body-media-type-schema-removed',
              o,
              `The schema of media type '${m.mediaType}' of response ${r.status} of ${o} was removed.`,
              rf,
              m.revision.pointer,
            ),
          )
      }
    }
  }
  return out
}
