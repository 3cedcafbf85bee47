/**
 * GetModelTemplate: the sample mapping template AWS generates from a model's schema, in the form its API
 * reference shows (https://docs.aws.amazon.com/apigateway/latest/api/API_GetModelTemplate.html): a
 * `#set($inputRoot = $input.path('$'))` line, then the model's shape with sample values, two spaces per level,
 * `"name" : value` members, numbers as `3.1415` and strings as `"foo"`. Integers (`42`), booleans (`true`),
 * arrays (one sample item) and nested objects follow the same form; AWS's output for them is not recorded.
 */
import type {ModelDoc} from '../../openapi/types.ts'
import {notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {Handler} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'

type Schema = Record<string, unknown>
const isObj = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A model reference as API Gateway writes them (`https://apigateway.amazonaws.com/restapis/{id}/models/{name}`). */
function referencedModel(ref: string): string | undefined {
  return /\/models\/([A-Za-z0-9]+)$/.exec(ref)?.[1] ?? /^#\/definitions\/([A-Za-z0-9]+)$/.exec(ref)?.[1]
}

function sample(schema: unknown, indent: number, resolve: (name: string) => Schema | undefined, depth: number): string {
  if (!isObj(schema) || depth > 8) return '{ }'
  if (typeof schema.$ref === 'string') {
    const name = referencedModel(schema.$ref)
    const target = name ? resolve(name) : undefined
    return target ? sample(target, indent, resolve, depth + 1) : '{ }'
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
  const pad = ' '.repeat(indent)
  const inner = ' '.repeat(indent + 2)
  if (type === 'array') return `[ ${sample(schema.items, indent, resolve, depth + 1)} ]`
  if (type === 'object' || isObj(schema.properties)) {
    const props = isObj(schema.properties) ? Object.entries(schema.properties) : []
    if (props.length === 0) return '{ }'
    const lines = props.map(([name, sub]) => `${inner}${JSON.stringify(name)} : ${sample(sub, indent + 2, resolve, depth + 1)}`)
    return `{\n${lines.join(',\n')}\n${pad}}`
  }
  if (type === 'integer') return '42'
  if (type === 'number') return '3.1415'
  if (type === 'boolean') return 'true'
  if (Array.isArray(schema.enum) && typeof schema.enum[0] === 'string') return JSON.stringify(schema.enum[0])
  return '"foo"'
}

/** The template AWS generates for `model`'s schema; other models of the API are followed through `$ref`. */
export function modelTemplate(store: Store, restApiId: string, model: ModelDoc): string {
  const parse = (text: string | undefined): Schema | undefined => {
    try {
      const doc = JSON.parse(text ?? '') as unknown
      return isObj(doc) ? doc : undefined
    } catch {
      return undefined
    }
  }
  const resolve = (name: string): Schema | undefined => parse(store.get<ModelDoc>(KIND.model, childId(restApiId, name))?.schema)
  return `#set($inputRoot = $input.path('$'))\n${sample(parse(model.schema), 0, resolve, 0)}`
}

export const getModelTemplate: Handler = (req, ctx) => {
  const restApiId = req.params.restapi_id!
  requireRestApi(ctx.store, restApiId)
  const name = req.params.model_name!
  const model = ctx.store.get<ModelDoc>(KIND.model, childId(restApiId, name))
  // Recorded (corpus/aws-ground-truth/19): GetModel's NotFound for an unknown model.
  if (!model) throw notFound(`Invalid model name specified: ${name}`)
  return {status: 200, body: {value: modelTemplate(ctx.store, restApiId, model)}}
}
