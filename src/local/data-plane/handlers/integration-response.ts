/**
 * Chain step 6 (non-proxy integrations): pick the integration response whose `selectionPattern` matches
 * the backend's status (HTTP, MOCK) or the Lambda function's `errorMessage` (AWS), else the default one;
 * map its `responseParameters`, render its response template (chosen by the first Accept type, else
 * application/json, else the first), convert the payload by `contentHandling` and the binary media types
 * (binary.ts), and apply any `responseOverride`.
 * selectionPattern is a whole-string match, run by re2js in linear time.
 */
import {RE2JS} from 're2js'
import type {IntegrationResponseDoc} from '../../openapi/types.ts'
import {acceptsBinary, contentHandlingOf, convertResponsePayload, firstAccept, isBinaryMediaType, mediaTypeOf} from '../binary.ts'
import type {ChainHandler} from '../context.ts'
import {infoLogged, logError, logInfo} from '../context.ts'
import {GatewayError} from '../gateway-responses.ts'
import {getFirst, type HeaderList, setHeader} from '../headers.ts'
import {javaMap, truncate} from '../log-format.ts'
import {applyResponseParameters} from '../mapping.ts'
import {renderMappingTemplate} from '../templates.ts'
import {templateInput} from './integration-request.ts'

const patterns = new Map<string, RE2JS | null>()

function matches(pattern: string, subject: string): boolean {
  let re = patterns.get(pattern)
  if (re === undefined) {
    try {
      re = RE2JS.compile(pattern)
    } catch {
      re = null
    }
    if (patterns.size > 1000) patterns.clear()
    patterns.set(pattern, re)
  }
  return re?.matches(subject) === true
}

/** The integration response for a status or error message (undefined: no match and no default). */
export function selectIntegrationResponse(
  responses: Record<string, IntegrationResponseDoc> | undefined,
  subject: string | undefined,
): IntegrationResponseDoc | undefined {
  const all = Object.values(responses ?? {})
  if (subject !== undefined) {
    const hit = all.find((r) => r.selectionPattern && matches(r.selectionPattern, subject))
    if (hit) return hit
  }
  return all.find((r) => !r.selectionPattern)
}

export const integrationResponse: ChainHandler = (ctx) => {
  if (ctx.response) return
  const result = ctx.integrationResult
  const integration = ctx.integration
  if (!result || !integration) return
  const lambda = integration.type.toUpperCase() === 'AWS'
  // Lambda: patterns match the error message, and only when the function failed.
  const subject = lambda ? result.errorMessage : String(result.status)
  const selected = selectIntegrationResponse(integration.integrationResponses, subject)
  if (!selected) {
    logError(
      ctx,
      `Execution failed due to configuration error: No match for output mapping and no ` +
        `default output mapping configured. Endpoint Response Status Code: ${result.status}`,
    )
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  let status = Number(selected.statusCode)
  const headers: HeaderList = []
  applyResponseParameters(selected.responseParameters, {ctx, integrationResponse: result}, headers)
  const templates = selected.responseTemplates ?? {}
  const keys = Object.keys(templates)
  const accept = firstAccept(getFirst(ctx.request.headers, 'accept'))
  const key = keys.find((k) => k.toLowerCase() === accept) ?? keys.find((k) => k.toLowerCase() === 'application/json') ?? keys[0]
  // AWS's response conversions: the integration's answer is binary data when its Content-Type is a binary
  // media type; only text (or binary made base64 text by CONVERT_TO_TEXT) is templated.
  const handling = contentHandlingOf(selected.contentHandling)
  const binary = isBinaryMediaType(
    mediaTypeOf(getFirst(result.headers, 'content-type')),
    ctx.deployment?.snapshot.settings.binaryMediaTypes,
  )
  let body = result.body
  let binaryData = binary
  const template = key === undefined ? undefined : templates[key]
  if (template !== undefined && template !== '' && (!binary || handling === 'CONVERT_TO_TEXT')) {
    const input = binary ? result.body.toString('base64') : result.body.toString('utf8')
    const rendered = renderMappingTemplate(template, () => templateInput(ctx, input), ctx, 'response')
    body = Buffer.from(rendered.output, 'utf8')
    binaryData = false
    if (rendered.responseOverride.status !== undefined || Object.keys(rendered.responseOverride.header).length > 0) {
      ctx.responseOverride = {
        status: rendered.responseOverride.status ?? ctx.responseOverride?.status,
        header: {...ctx.responseOverride?.header, ...rendered.responseOverride.header},
      }
    }
  }
  const converted = convertResponsePayload(body, binaryData, acceptsBinary(ctx), handling)
  if (!converted) {
    logError(ctx, 'Execution failed due to configuration error: Unable to convert the response body to binary: it is not base64 text')
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  body = converted
  if (!getFirst(headers, 'content-type')) headers.push(['Content-Type', key ?? 'application/json'])
  for (const [k, v] of result.headers) if (k.toLowerCase() === 'x-amzn-trace-id') headers.push([k, v])
  if (ctx.responseOverride) {
    if (ctx.responseOverride.status !== undefined) status = ctx.responseOverride.status
    for (const [k, v] of Object.entries(ctx.responseOverride.header)) setHeader(headers, k, v)
  }
  if (infoLogged(ctx)) {
    logInfo(ctx, `Method response body after transformations: ${truncate(body.toString('utf8'))}`)
    logInfo(ctx, `Method response headers: ${javaMap(Object.fromEntries(headers))}`)
  }
  ctx.response = {status, headers, body}
}
