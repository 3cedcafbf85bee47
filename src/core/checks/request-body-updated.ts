import {draft} from './helpers.ts'
import type {Check, Draft} from './types.ts'

/** Request bodies added, removed, required or optional; media types and their schemas added or removed. */
export const requestBodyUpdated: Check = (diff) => {
  const out: Draft[] = []
  const rf = diff.revision.file
  for (const op of diff.operations.modified) {
    const body = op.requestBody
    if (!body) continue
    const o = op.operation
    if (body.added)
      out.push(
        draft(
          body.added.required ? 'added-required-request-body' : 'added-optional-request-body',
          o,
          `A ${body.added.required ? 'required' : 'optional'} request body was added to ${o}.`,
          rf,
          body.added.pointer,
        ),
      )
    if (body.removed)
      out.push(draft('request-body-removed', o, `The request body of ${o} was removed.`, diff.base.file, body.removed.pointer))
    if (body.required)
      out.push(
        draft(
          body.required.to ? 'request-body-became-required' : 'request-body-became-optional',
          o,
          `The request body of ${o} became ${body.required.to ? 'required' : 'optional'}.`,
          rf,
          body.revision!.pointer,
        ),
      )
    for (const m of body.content?.removed ?? [])
      out.push(
        draft(
          'request-body-media-type-removed',
          o,
          `The media type '${m.mediaType}' of the request body of ${o} was removed.`,
          diff.base.file,
          m.pointer,
        ),
      )
    for (const m of body.content?.added ?? [])
      out.push(
        draft('request-body-media-type-added', o, `The media type '${m.mediaType}' was added to the request body of ${o}.`, rf, m.pointer),
      )
    for (const m of body.content?.modified ?? []) {
      if (m.schemaAdded)
        out.push(
          draft(
            'request-body-media-type-schema-added',
            o,
            `A schema was added to the request body media type '${m.mediaType}' of ${o}.`,
            rf,
            m.revision.pointer,
          ),
        )
      if (m.schemaRemoved)
        out.push(
          draft(
            'request-body-media-type-schema-removed',
            o,
            `The schema of the request body media type '${m.mediaType}' of ${o} was removed.`,
            rf,
            m.revision.pointer,
          ),
        )
    }
  }
  return out
}
