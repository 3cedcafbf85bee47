import {IMPORTED_VERSIONS} from '../apigateway-facts.ts'
import type {Rule} from './types.ts'

/**
 * API Gateway imports Swagger 2.0 and OpenAPI 3.0 for REST APIs and OpenAPI 3.0 for HTTP APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-import-api.html). A 3.1 document
 * is answered `400 Invalid OpenAPI input.`, so `validate` says so before `deploy` meets it.
 */
export const openapiVersionUnsupported: Rule = ({spec, apiType}) => {
  if (IMPORTED_VERSIONS[apiType].includes(spec.version)) return []
  const accepted = apiType === 'rest' ? 'Swagger 2.0 and OpenAPI 3.0' : 'OpenAPI 3.0 only'
  return [
    {
      message:
        `${spec.version === '2.0' ? 'Swagger 2.0' : `OpenAPI ${spec.version}`} is valid here, but API Gateway imports ` +
        `${accepted} for ${apiType === 'rest' ? 'REST' : 'HTTP'} APIs; the import answers "Invalid OpenAPI input."`,
      hint:
        spec.version === '3.1'
          ? 'Write the spec as OpenAPI 3.0 (openapi: 3.0.3): type: [string, "null"] becomes type: string with ' +
            'nullable: true, examples: [...] becomes example, const becomes a one-value enum, and webhooks go.'
          : 'Convert the spec to OpenAPI 3.0 (openapi: 3.0.3), for example with swagger2openapi.',
      location: {file: spec.file, pointer: spec.version === '2.0' ? '#/swagger' : '#/openapi'},
    },
  ]
}
