import {schemaFindings} from './schema-rules.ts'
import type {Check, Draft} from './types.ts'

/** Deep schema changes of request bodies, as seen by a client sending them. */
export const requestBodySchemaChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified)
    for (const m of op.requestBody?.content?.modified ?? []) {
      if (!m.schema) continue
      out.push(
        ...schemaFindings(m.schema, {
          direction: 'request',
          rootPrefix: 'request-body',
          propertyPrefix: 'request-property',
          operation: op.operation,
          mediaType: m.mediaType,
          where: 'request body',
          baseFile: diff.base.file,
          revisionFile: diff.revision.file,
        }),
      )
    }
  return out
}
