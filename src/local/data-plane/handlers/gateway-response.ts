/**
 * Chain step 7: a failed step becomes its gateway response: the API's customised one for the type (from
 * `x-amazon-apigateway-gateway-responses` or PutGatewayResponse), else its customised DEFAULT_4XX /
 * DEFAULT_5XX, else AWS's default (status, `x-amzn-ErrorType`, `{"message": …}`). Customised ones map
 * `gatewayresponse.header.*` parameters and render their template with `$context.error.*`.
 */
import type {GatewayResponseDoc} from '../../openapi/types.ts'
import type {InvocationContext} from '../context.ts'
import {GATEWAY_RESPONSES, type GatewayError} from '../gateway-responses.ts'
import type {HeaderList} from '../headers.ts'
import {applyResponseParameters} from '../mapping.ts'
import {renderMappingTemplate} from '../templates.ts'
import {templateInput} from './integration-request.ts'

export function gatewayResponse(ctx: InvocationContext): void {
  const error = ctx.error
  if (!error) return
  ctx.response = buildGatewayResponse(ctx, error)
}

/** The customised response that applies to a type, if any. */
export function customisedFor(ctx: InvocationContext, type: GatewayError['type'], defaultStatus: number): GatewayResponseDoc | undefined {
  const all = ctx.deployment?.gatewayResponses
  if (!all) return undefined
  const own = all.get(type)
  if (own && own.defaultResponse !== true) return own
  const fallback = all.get(defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX')
  return fallback && fallback.defaultResponse !== true ? fallback : undefined
}

function buildGatewayResponse(ctx: InvocationContext, error: GatewayError): {status: number; headers: HeaderList; body: Buffer} {
  const def = GATEWAY_RESPONSES[error.type]
  const custom = customisedFor(ctx, error.type, def.status)
  const status = custom?.statusCode ? Number(custom.statusCode) : (error.statusOverride ?? def.status)
  const headers: HeaderList = [['Content-Type', 'application/json']]
  let body = Buffer.from(JSON.stringify({message: error.nullMessage ? null : error.message}))
  if (custom) {
    applyResponseParameters(custom.responseParameters, {ctx}, headers, 'gatewayresponse.header.')
    const templates = custom.responseTemplates ?? {}
    const key = Object.keys(templates).find((k) => k.toLowerCase() === 'application/json') ?? Object.keys(templates)[0]
    if (key !== undefined) {
      body = Buffer.from(renderMappingTemplate(templates[key]!, () => templateInput(ctx, ctx.request.body.toString('utf8'))).output)
      headers[0] = ['Content-Type', key]
    }
  }
  headers.push(['x-amzn-ErrorType', error.errorType ?? def.errorType])
  return {status, headers, body}
}
