import {pointerOf} from '../findings.ts'
import {isObject} from './operations.ts'
import type {Rule, RuleFinding} from './types.ts'

// reference/aws-facts.md §4: REST models are JSON Schema draft 4, and the import drops these.
const IGNORED: Record<string, string> = {
  discriminator: 'discriminator is not supported in REST API models',
  example: 'example is not supported in REST API models',
  exclusiveMinimum: 'exclusiveMinimum is not supported in REST API models',
  readOnly: 'readOnly is not supported in REST API models',
}

/** Schema keywords a REST import ignores: request validation and models will not enforce them. */
export const schemaKeywordIgnored: Rule = ({spec, apiType}) => {
  if (apiType !== 'rest') return []
  const out: RuleFinding[] = []
  const rootKey = spec.version === '2.0' ? 'definitions' : 'components'
  const schemas = spec.version === '2.0' ? spec.doc.definitions : isObject(spec.doc.components) ? spec.doc.components.schemas : undefined
  if (!isObject(schemas)) return out
  const base = spec.version === '2.0' ? [rootKey] : [rootKey, 'schemas']
  const visit = (schema: unknown, tokens: Array<string | number>, seen: Set<unknown>) => {
    if (!isObject(schema) || seen.has(schema)) return
    seen.add(schema)
    for (const [key, why] of Object.entries(IGNORED)) {
      if (schema[key] !== undefined) out.push(finding(`${why}; the REST import drops it.`, spec.file, [...tokens, key]))
    }
    if (schema.type === 'number' && (schema.format === 'int32' || schema.format === 'int64')) {
      out.push(
        finding(`format ${String(schema.format)} on type number is not supported in REST API models.`, spec.file, [...tokens, 'format']),
      )
    }
    if (schema.format === 'decimal')
      out.push(finding('format decimal is not supported in REST API models.', spec.file, [...tokens, 'format']))
    if (isObject(schema.properties)) for (const [k, v] of Object.entries(schema.properties)) visit(v, [...tokens, 'properties', k], seen)
    if (schema.items !== undefined) visit(schema.items, [...tokens, 'items'], seen)
    if (isObject(schema.additionalProperties)) visit(schema.additionalProperties, [...tokens, 'additionalProperties'], seen)
    for (const combiner of ['allOf', 'anyOf', 'oneOf'] as const) {
      const list = schema[combiner]
      if (Array.isArray(list)) {
        for (let i = 0; i < list.length; i++) visit(list[i], [...tokens, combiner, i], seen)
      }
    }
  }
  for (const [name, schema] of Object.entries(schemas)) visit(schema, [...base, name], new Set())
  return out
}

function finding(message: string, file: string, tokens: Array<string | number>) {
  return {
    message,
    hint: 'Remove the keyword, or accept that API Gateway will not enforce it.',
    location: {file, pointer: pointerOf(tokens)},
  }
}
