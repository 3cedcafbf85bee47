import {draft} from './helpers.ts'
import {schemaFindings} from './schema-rules.ts'
import type {Check, Draft} from './types.ts'

/** Response headers removed or made optional (clients reading them break), or added. */
export const responseHeaderUpdated: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified)
    for (const r of op.responses.modified) {
      for (const h of r.headers.removed)
        out.push(
          draft(
            h.required ? 'required-response-header-removed' : 'optional-response-header-removed',
            op.operation,
            `The ${h.required ? 'required' : 'optional'} header '${h.name}' of response ${r.status} of ${op.operation} was removed.`,
            diff.base.file,
            h.pointer,
          ),
        )
      for (const h of r.headers.added)
        out.push(
          draft(
            'response-header-added',
            op.operation,
            `The header '${h.name}' was added to response ${r.status} of ${op.operation}.`,
            diff.revision.file,
            h.pointer,
          ),
        )
      for (const h of r.headers.modified)
        if (h.required && !h.required.to)
          out.push(
            draft(
              'response-header-became-optional',
              op.operation,
              `The header '${h.name}' of response ${r.status} of ${op.operation} became optional.`,
              diff.revision.file,
              h.revision.pointer,
            ),
          )
    }
  return out
}

/** Schema changes of response headers (type, enum, pattern, limits), judged as a client reading them. */
export const responseHeaderSchemaChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified)
    for (const r of op.responses.modified)
      for (const h of r.headers.modified) {
        if (!h.schema) continue
        out.push(
          ...schemaFindings(h.schema, {
            direction: 'response',
            rootPrefix: 'response-header',
            propertyPrefix: 'response-header-property',
            operation: op.operation,
            mediaType: '',
            where: `header '${h.name}' of response ${r.status}`,
            baseFile: diff.base.file,
            revisionFile: diff.revision.file,
            parameter: true,
            renameId: responseHeaderPropertyId,
          }),
        )
      }
  return out
}

/**
 * A response-body id of a nested change, as the same change inside an object-typed response header:
 * response-property-X is response-header-property-X, response-(required|optional)-property-Y is
 * response-header-(required|optional)-property-Y. readOnly and writeOnly mean nothing in a header: their ids drop.
 */
export function responseHeaderPropertyId(id: string): string | undefined {
  if (/^response-(required|optional)-property-became-/.test(id)) return undefined
  if (id.startsWith('response-header-')) return id
  return id.replace(/^response-/, 'response-header-')
}
