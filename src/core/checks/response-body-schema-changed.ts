import {schemaFindings} from './schema-rules.ts'
import type {Check, Draft} from './types.ts'

/** Deep schema changes of response bodies, as seen by a client reading them. */
export const responseBodySchemaChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified)
    for (const r of op.responses.modified)
      for (const m of r.content.modified) {
        if (!m.schema) continue
        out.push(
          ...schemaFindings(m.schema, {
            direction: 'response',
            rootPrefix: 'response-body',
            propertyPrefix: 'response-property',
            operation: op.operation,
            mediaType: m.mediaType,
            where: `response ${r.status}`,
            baseFile: diff.base.file,
            revisionFile: diff.revision.file,
          }),
        )
      }
  return out
}
