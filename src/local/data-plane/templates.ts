/**
 * The seam to the mapping-template engine (vtl/index.ts, `renderTemplate`). Until that module is wired in,
 * a template that is plain text (no `$`, `#` or `\`, which Velocity renders as itself) is answered as is,
 * and any other template is a clear not-supported-yet answer (never a fake rendering).
 */
import {NotSupportedError} from './gateway-responses.ts'

export type TemplateInput = {
  /** The raw body as text ($input.body). */
  body: string
  params: {path: Record<string, string>; querystring: Record<string, string>; header: Record<string, string>}
  stageVariables: Record<string, string>
  /** The $context tree. */
  context: Record<string, unknown>
}

export type TemplateResult = {
  output: string
  requestOverride: {header: Record<string, string>; path: Record<string, string>; querystring: Record<string, string>}
  responseOverride: {status?: number; header: Record<string, string>}
}

const PLAIN = /^[^$#\\]*$/

/** Render a mapping template (request, integration response or gateway response). */
export function renderMappingTemplate(template: string, _input: TemplateInput): TemplateResult {
  if (PLAIN.test(template)) {
    return {output: template, requestOverride: {header: {}, path: {}, querystring: {}}, responseOverride: {header: {}}}
  }
  throw new NotSupportedError('Velocity mapping templates (other than plain text)')
}
