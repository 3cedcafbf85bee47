/** Every validate rule, one line each; the level lives here, never in the rule. Ids are permanent. */
import {extensionWrongApiType} from './extension-wrong-api-type.ts'
import {integrationFieldsMissing} from './integration-fields-missing.ts'
import {integrationMissing} from './integration-missing.ts'
import {integrationTypeInvalid} from './integration-type-invalid.ts'
import {integrationUriParamUnmapped} from './integration-uri-param-unmapped.ts'
import {openapiSchema} from './openapi-schema.ts'
import {openapiVersionUnsupported} from './openapi-version-unsupported.ts'
import {operationIdDuplicate} from './operation-id-duplicate.ts'
import {pathParameterMismatch, proxyNotLast} from './path-parameters.ts'
import {requestParameterNotString} from './request-parameter-not-string.ts'
import {requestValidatorUndefined, securitySchemeUndefined} from './references-undefined.ts'
import {schemaKeywordIgnored} from './schema-keyword-ignored.ts'
import {refUnresolved, specTooLarge, stageVariableUndefined} from './spec-wide.ts'
import type {RuleEntry} from './types.ts'
import {stageSettingRestOnly} from './stage-setting-rest-only.ts'
import {usagePlanMethodUnknown} from './usage-plan-method-unknown.ts'

export const RULES: readonly RuleEntry[] = [
  {
    id: 'openapi-schema',
    level: 'error',
    rule: openapiSchema,
    description: 'The document is valid against the OpenAPI schema of its version.',
  },
  {id: 'ref-unresolved', level: 'error', rule: refUnresolved, description: 'Every $ref points to something.'},
  {id: 'spec-too-large', level: 'error', rule: specTooLarge, description: 'The spec fits the 6 MB import limit.'},
  {
    id: 'integration-missing',
    level: 'warning',
    rule: integrationMissing,
    description: 'Every operation has an x-amazon-apigateway-integration.',
  },
  {
    id: 'integration-type-invalid',
    level: 'error',
    rule: integrationTypeInvalid,
    description: 'Integration types exist and fit the API type.',
  },
  {
    id: 'integration-fields-missing',
    level: 'error',
    rule: integrationFieldsMissing,
    description: 'uri and httpMethod are present where the integration type needs them.',
  },
  {
    id: 'integration-uri-param-unmapped',
    level: 'error',
    rule: integrationUriParamUnmapped,
    description: '{param} in an integration uri is mapped from the request.',
  },
  {
    id: 'extension-wrong-api-type',
    level: 'warning',
    rule: extensionWrongApiType,
    description: 'No REST-only extensions in an HTTP API spec, nor HTTP-only ones in a REST spec.',
  },
  {id: 'schema-keyword-ignored', level: 'warning', rule: schemaKeywordIgnored, description: 'Schema keywords a REST import ignores.'},
  {id: 'operation-id-duplicate', level: 'error', rule: operationIdDuplicate, description: 'operationIds are unique.'},
  {id: 'path-parameter-mismatch', level: 'error', rule: pathParameterMismatch, description: 'Path parameters are declared and used.'},
  {id: 'proxy-not-last', level: 'error', rule: proxyNotLast, description: '{proxy+} is only the last path segment.'},
  {id: 'security-scheme-undefined', level: 'error', rule: securitySchemeUndefined, description: 'Referenced security schemes are defined.'},
  {
    id: 'request-validator-undefined',
    level: 'error',
    rule: requestValidatorUndefined,
    description: 'Referenced request validators are defined.',
  },
  {
    id: 'stage-variable-undefined',
    level: 'warning',
    rule: stageVariableUndefined,
    description: '${stageVariables.x} is defined by every stage in apigw.yaml that deploys the spec.',
  },
  {
    id: 'openapi-version-unsupported',
    level: 'error',
    rule: openapiVersionUnsupported,
    description: 'The OpenAPI version is one API Gateway imports for the API type (not 3.1).',
  },
  {
    id: 'request-parameter-not-string',
    level: 'warning',
    rule: requestParameterNotString,
    description: 'Integration requestParameters values are strings (mapping expressions); the import warns otherwise.',
  },
  {
    id: 'usage-plan-method-unknown',
    level: 'error',
    rule: usagePlanMethodUnknown,
    description: "A usage plan's per-method throttle names a method of the spec.",
  },
  {
    id: 'stage-setting-rest-only',
    level: 'error',
    rule: stageSettingRestOnly,
    description: 'An HTTP API stage sets caching, executionLogs or tracing, which exist only on REST stages.',
  },
]
