/**
 * Chain step 6 (non-proxy integrations): pick the integration response whose `selectionPattern` matches
 * the backend's status (HTTP, MOCK) or the Lambda function's `errorMessage` (AWS), else the default one;
 * map its `responseParameters`, render its response template (chosen by the first Accept type, else
 * application/json, else the first), apply `contentHandling` and any `responseOverride`.
 * selectionPattern is a whole-string match, run by re2js in linear time.
 */
import {RE2JS} from 're2js'
import type {IntegrationResponseDoc} from '../../openapi/types.ts'
import {firstAccept} from '../binary.ts'
import type {ChainHandler} from '../context.ts'
import {logError, logInfo} from '../context.ts'
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
      `Execution failed due to configuration error: No match for output mapping and no default output mapping configured. Endpoint Response Status Code: ${result.status}`,
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
  let body = result.body
  if (key !== undefined && templates[key] !== undefined && templates[key] !== '') {
    const rendered = renderMappingTemplate(templates[key]!, templateInput(ctx, result.body.toString('utf8')), ctx, 'response')
    body = Buffer.from(rendered.output, 'utf8')
    if (rendered.responseOverride.status !== undefined || Object.keys(rendered.responseOverride.header).length > 0) {
      ctx.responseOverride = {
        status: rendered.responseOverride.status ?? ctx.responseOverride?.status,
        header: {...ctx.responseOverride?.header, ...rendered.responseOverride.header},
      }
    }
  } else if (selected.contentHandling === 'CONVERT_TO_TEXT') body = Buffer.from(result.body.toString('base64'))
  else if (selected.contentHandling === 'CONVERT_TO_BINARY') body = Buffer.from(result.body.toString('utf8'), 'base64')
  if (!getFirst(headers, 'content-type')) headers.push(['Content-Type', key ?? 'application/json'])
  for (const [k, v] of result.headers) if (k.toLowerCase() === 'x-amzn-trace-id') headers.push([k, v])
  if (ctx.responseOverride) {
    if (ctx.responseOverride.status !== undefined) status = ctx.responseOverride.status
    for (const [k, v] of Object.entries(ctx.responseOverride.header)) setHeader(headers, k, v)
  }
  logInfo(ctx, `Method response body after transformations: ${truncate(body.toString('utf8'))}`)
  logInfo(ctx, `Method response headers: ${javaMap(Object.fromEntries(headers))}`)
  ctx.response = {status, headers, body}
}
