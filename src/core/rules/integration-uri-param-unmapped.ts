import {isObject} from './operations.ts'
import {integrations} from './integration.ts'
import type {Rule, RuleFinding} from './types.ts'

/** A `{param}` in an HTTP integration uri is filled only from `integration.request.path.param` in requestParameters. */
export const integrationUriParamUnmapped: Rule = ({spec, apiType}) => {
  if (apiType !== 'rest') return []
  const out: RuleFinding[] = []
  for (const {op, integration, file, pointer} of integrations(spec)) {
    const type = String(integration.type ?? '').toLowerCase()
    if ((type !== 'http' && type !== 'http_proxy') || typeof integration.uri !== 'string') continue
    const uri = integration.uri.replace(/\$\{[^}]*\}/g, '')
    const mapped = isObject(integration.requestParameters) ? Object.keys(integration.requestParameters) : []
    for (const m of uri.matchAll(/\{([^}+]+)\+?\}/g)) {
      const name = m[1]!
      if (mapped.includes(`integration.request.path.${name}`)) continue
      out.push({
        message:
          `The integration uri of ${op.method} ${op.path} uses {${name}}, but ` +
          `requestParameters does not map integration.request.path.${name}.`,
        hint: `Add requestParameters: {"integration.request.path.${name}": "method.request.path.${name}"} to the integration.`,
        location: {file, pointer: `${pointer}/uri`},
        operation: `${op.method} ${op.path}`,
      })
    }
  }
  return out
}
