/**
 * GetModelTemplate (v1): the shared generator (../model-template.ts, the form of AWS's sample in the API
 * reference and of the templates AWS writes into exports), with `$ref`s to the API's other models followed by name.
 */
import type {ModelDoc} from '../../openapi/types.ts'
import {notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {Handler} from '../../types.ts'
import {modelTemplate as generate} from '../model-template.ts'
import {childId, KIND, requireRestApi} from '../model.ts'

/** A model reference as API Gateway writes them (`https://apigateway.amazonaws.com/restapis/{id}/models/{name}`). */
function referencedModel(ref: string): string | undefined {
  return /\/models\/([A-Za-z0-9]+)$/.exec(ref)?.[1] ?? /^#\/definitions\/([A-Za-z0-9]+)$/.exec(ref)?.[1]
}

/** The template AWS generates for `model`'s schema; other models of the API are followed through `$ref`. */
export function modelTemplate(store: Store, restApiId: string, model: ModelDoc): string {
  const resolve = (ref: string): Record<string, unknown> | undefined => {
    const name = referencedModel(ref)
    const text = name ? store.get<ModelDoc>(KIND.model, childId(restApiId, name))?.schema : undefined
    try {
      const doc = JSON.parse(text ?? '') as unknown
      return typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined
    } catch {
      return undefined
    }
  }
  return generate(model.schema ?? '', resolve)
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
