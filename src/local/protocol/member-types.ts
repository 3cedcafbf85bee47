/**
 * Wrong JSON types in an API Gateway v1 request body are refused by AWS's Coral layer before the operation
 * runs, as a SerializationException (corpus/aws-ground-truth/19: a number sent for a string member gives
 * "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String").
 * This checks the top-level members every v1 input shape types as strings, booleans or numbers.
 */
import {AwsError} from './aws-error.ts'

const STRING_MEMBERS = new Set([
  'name',
  'description',
  'version',
  'cloneFrom',
  'apiKeySource',
  'policy',
  'stageName',
  'stageDescription',
  'deploymentId',
  'cacheClusterSize',
  'clientCertificateId',
  'customerId',
  'value',
  'keyId',
  'keyType',
  'restApiId',
  'parentId',
  'pathPart',
  'authorizationType',
  'authorizerId',
  'operationName',
  'requestValidatorId',
  'type',
  'httpMethod',
  'uri',
  'connectionType',
  'connectionId',
  'credentials',
  'passthroughBehavior',
  'cacheNamespace',
  'contentHandling',
  'contentType',
  'schema',
  'identitySource',
  'identityValidationExpression',
  'authorizerUri',
  'authorizerCredentials',
  'statusCode',
  'selectionPattern',
  'responseType',
  'securityPolicy',
  'endpointAccessMode',
])
const BOOLEAN_MEMBERS = new Set([
  'enabled',
  'cacheClusterEnabled',
  'tracingEnabled',
  'disableExecuteApiEndpoint',
  'validateRequestBody',
  'validateRequestParameters',
  'apiKeyRequired',
  'generateDistinctId',
])
const NUMBER_MEMBERS = new Set(['minimumCompressionSize', 'timeoutInMillis', 'authorizerResultTtlInSeconds'])

function javaClassOf(value: unknown): string {
  if (typeof value === 'number') return 'com.amazon.coral.value.json.numbers.TruncatingBigNumber'
  if (typeof value === 'boolean') return 'java.lang.Boolean'
  if (typeof value === 'string') return 'java.lang.String'
  return 'java.util.ArrayList'
}

/** Throw AWS's SerializationException when a top-level member has the wrong JSON type. */
export function checkV1MemberTypes(body: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(body)) {
    if (value === null) continue
    if (STRING_MEMBERS.has(key) && typeof value !== 'string') {
      if (typeof value === 'object')
        throw new AwsError(
          'SerializationException',
          Array.isArray(value) ? 'Start of list found where not expected' : 'Start of structure or map found where not expected.',
          400,
        )
      throw new AwsError('SerializationException', `class ${javaClassOf(value)} can not be converted to an String`, 400)
    }
    if (BOOLEAN_MEMBERS.has(key) && typeof value !== 'boolean' && typeof value !== 'string') {
      throw new AwsError('SerializationException', `class ${javaClassOf(value)} can not be converted to an Boolean`, 400)
    }
    if (NUMBER_MEMBERS.has(key) && typeof value !== 'number' && typeof value !== 'string') {
      throw new AwsError('SerializationException', `class ${javaClassOf(value)} can not be converted to an Integer`, 400)
    }
  }
}
