/**
 * Chain step 3: request validation (validate/index.ts) for methods with a request validator: required
 * parameters, then the body against its model. A failure ends the chain with BAD_REQUEST_PARAMETERS or
 * BAD_REQUEST_BODY (400, AWS's messages).
 */
import type {ChainHandler} from '../context.ts'
import {logInfo} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {validateRequest} from '../validate/index.ts'

export const validate: ChainHandler = (ctx) => {
  const route = ctx.route
  if (!route?.method.requestValidatorId || !ctx.deployment) return
  const headers = groupValues(ctx.request.headers.map(([k, v]) => [k.toLowerCase(), v]))
  const query = groupValues(ctx.request.query)
  const result = validateRequest({
    snapshot: ctx.deployment.snapshot,
    method: route.method,
    request: {headers, query, pathParameters: route.pathParameters, body: ctx.request.body},
  })
  if (result.ok) return
  logInfo(ctx, result.logLine)
  throw new GatewayError(result.responseType, result.message, {validationErrorString: result.validationErrorString})
}

function groupValues(pairs: Array<[string, string]>): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [k, v] of pairs) {
    const list = out[k] ?? []
    list.push(v)
    out[k] = list
  }
  return out
}
