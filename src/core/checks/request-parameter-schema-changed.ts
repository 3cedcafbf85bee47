import {schemaFindings} from './schema-rules.ts'
import type {Check, Draft} from './types.ts'

/** Schema changes of parameters: type, format, enum, pattern, min/max, default, nullable, list of types. */
export const requestParameterSchemaChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified)
    for (const p of op.parameters.modified) {
      if (!p.schema) continue
      out.push(
        ...schemaFindings(p.schema, {
          direction: 'request',
          rootPrefix: 'request-parameter',
          propertyPrefix: 'request-parameter-property',
          operation: op.operation,
          mediaType: '',
          where: `${p.in} parameter '${p.name}'`,
          baseFile: diff.base.file,
          revisionFile: diff.revision.file,
          parameter: true,
        }),
      )
    }
  return out
}
