import {HTTP_INTEGRATION_TYPES, integrations, REST_INTEGRATION_TYPES} from './integration.ts'
import type {Rule} from './types.ts'

/** AWS refuses the import when an integration's type is unknown or not offered for the API type. */
export const integrationTypeInvalid: Rule = ({spec, apiType}) => {
  const allowed = apiType === 'rest' ? REST_INTEGRATION_TYPES : HTTP_INTEGRATION_TYPES
  return integrations(spec).flatMap(({op, integration, file, pointer}) => {
    const type = integration.type
    if (typeof type === 'string' && allowed.includes(type.toLowerCase())) return []
    const offered = REST_INTEGRATION_TYPES.includes(String(type).toLowerCase())
    const which = offered ? `${apiType === 'http' ? 'an HTTP API' : 'a REST API'} does not offer` : 'is not an integration type'
    const what = type === undefined ? 'has no `type`' : `has type ${JSON.stringify(type)}, which ${which}`
    return [
      {
        message: `The integration of ${op.method} ${op.path} ${what}.`,
        hint: `Use one of ${allowed.join(', ')} for ${apiType === 'rest' ? 'a REST API' : 'an HTTP API'}.`,
        location: {file, pointer: type === undefined ? pointer : `${pointer}/type`},
        operation: `${op.method} ${op.path}`,
      },
    ]
  })
}
