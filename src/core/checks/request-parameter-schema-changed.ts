import {schemaFindings} from './schema-rules.ts'
import type {Check, Draft} from './types.ts'

/**
 * A request-body id of a nested change, as the same change inside the schema of a parameter: properties of an
 * object-typed parameter (a deepObject query, a header carrying JSON) are walked like a body's. oasdiff's own ids
 * for header parameters are kept: request-header-property-became-enum / -became-required and
 * new-required-request-header-property. readOnly and writeOnly mean nothing in a parameter: their ids drop.
 */
export function parameterPropertyId(id: string, location: string): string | undefined {
  const header = location === 'header'
  if (/^request-(required|optional)-property-became-/.test(id)) return undefined
  if (id === 'new-required-request-property' || id === 'new-required-request-property-with-default')
    return header ? 'new-required-request-header-property' : 'new-required-request-parameter-property'
  if (id === 'new-optional-request-property') return 'new-optional-request-parameter-property'
  if (id === 'request-property-became-required' || id === 'request-property-became-required-with-default')
    return header ? 'request-header-property-became-required' : 'request-parameter-property-became-required'
  if (header && id === 'request-parameter-property-became-enum') return 'request-header-property-became-enum'
  if (id.startsWith('request-read-only-property-')) return id.replace('request-read-only-property-', 'request-parameter-property-')
  if (id.startsWith('request-property-')) return id.replace('request-property-', 'request-parameter-property-')
  return id
}

/** Schema changes of parameters, at the root and in every property of object-typed ones. */
export const requestParameterSchemaChanged: Check = (diff) => {
  const out: Draft[] = []
  for (const op of diff.operations.modified)
    for (const p of op.parameters.modified) {
      if (!p.schema) continue
      const found = schemaFindings(p.schema, {
        direction: 'request',
        rootPrefix: 'request-parameter',
        propertyPrefix: 'request-parameter-property',
        operation: op.operation,
        mediaType: '',
        where: `${p.in} parameter '${p.name}'`,
        baseFile: diff.base.file,
        revisionFile: diff.revision.file,
        parameter: true,
        renameId: (id) => parameterPropertyId(id, p.in),
      })
      out.push(...found)
      // oasdiff reports a header parameter that became an enum under both ids.
      if (p.in === 'header')
        for (const f of found) if (f.id === 'request-parameter-became-enum') out.push({...f, id: 'request-header-property-became-enum'})
    }
  return out
}
