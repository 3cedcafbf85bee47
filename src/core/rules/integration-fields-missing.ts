import {integrations} from './integration.ts'
import type {Rule, RuleFinding} from './types.ts'

/** `uri` and `httpMethod` are required by the integration types that call a backend. */
export const integrationFieldsMissing: Rule = ({spec, apiType}) => {
  const out: RuleFinding[] = []
  for (const {op, integration, file, pointer} of integrations(spec)) {
    const type = String(integration.type ?? '').toLowerCase()
    if (type === '' || type === 'mock') continue
    const needsUri = !(apiType === 'http' && type === 'aws' && integration.integrationSubtype !== undefined)
    if (needsUri && (typeof integration.uri !== 'string' || integration.uri === '')) {
      out.push({
        message: `The ${type} integration of ${op.method} ${op.path} has no \`uri\`.`,
        hint: type.startsWith('aws')
          ? 'Set uri to the Lambda invocation ARN (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations).'
          : 'Set uri to the backend URL, e.g. https://example.com/pets or ${stageVariables.backendUrl}/pets.',
        location: {file, pointer},
        operation: `${op.method} ${op.path}`,
      })
    }
    if (apiType === 'rest' && typeof integration.httpMethod !== 'string') {
      out.push({
        message: `The ${type} integration of ${op.method} ${op.path} has no \`httpMethod\`.`,
        hint: type.startsWith('aws')
          ? 'Lambda integrations call the backend with httpMethod: POST.'
          : 'Set httpMethod to the method the backend expects (or ANY to pass it through).',
        location: {file, pointer},
        operation: `${op.method} ${op.path}`,
      })
    }
  }
  return out
}
