/**
 * The seam to the mapping-template engine (vtl/index.ts, `renderTemplate`): request templates, integration
 * response templates and gateway response templates render through it. A template that cannot be rendered
 * becomes AWS's answer: a request payload the template reads as JSON but is not JSON is 400 BAD_REQUEST_BODY;
 * any other failure is a configuration error (500) with an execution-log line.
 */
import type {InvocationContext} from './context.ts'
import {logError} from './context.ts'
import {GatewayError} from './gateway-responses.ts'
import {renderTemplate, TemplateError, type TemplateInput, type TemplateResult} from './vtl/index.ts'

export type {TemplateInput, TemplateResult} from './vtl/index.ts'

/**
 * A template without `$` or `#` has no reference, directive or comment: Velocity prints it as written, so it is not
 * run through the engine and its input is never built (MOCK templates such as `{"statusCode": 200}`).
 */
export function isStaticTemplate(template: string): boolean {
  return !template.includes('$') && !template.includes('#')
}

/**
 * Render a mapping template (request, integration response or gateway response). `input` may be a function: it is
 * called only when the template reads something.
 */
export function renderMappingTemplate(
  template: string,
  input: TemplateInput | (() => TemplateInput),
  ctx?: InvocationContext,
  side: 'request' | 'response' = 'request',
): TemplateResult {
  if (isStaticTemplate(template))
    return {output: template, requestOverride: {header: {}, path: {}, querystring: {}}, responseOverride: {header: {}}}
  try {
    return renderTemplate(template, typeof input === 'function' ? input() : input)
  } catch (error) {
    if (!(error instanceof TemplateError) || !ctx) throw error
    if (error.kind === 'body-not-json' && side === 'request') {
      const message = `Could not parse request body into json: ${error.message}`
      logError(ctx, `Execution failed: ${message}`)
      throw new GatewayError('BAD_REQUEST_BODY', message)
    }
    logError(ctx, `Execution failed due to configuration error: Unable to transform ${side}: ${error.message}`)
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
}
