/**
 * Chain step 3: request validation (validate/index.ts, `validateRequest`), for methods with a request
 * validator. Until that module is wired in, a method that asks for validation answers a clear
 * not-supported-yet error rather than skipping it.
 */
import type {ChainHandler} from '../context.ts'
import {NotSupportedError} from '../gateway-responses.ts'

export const validate: ChainHandler = (ctx) => {
  const method = ctx.route?.method
  if (!method?.requestValidatorId || !ctx.deployment) return
  const validator = ctx.deployment.snapshot.requestValidators.find((v) => v.id === method.requestValidatorId)
  if (!validator || (!validator.validateRequestBody && !validator.validateRequestParameters)) return
  throw new NotSupportedError('Request validation')
}
