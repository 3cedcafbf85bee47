/**
 * Every error message the API Gateway v2 control plane, the Logs filters and policies and STS can produce, with its
 * source (issue 15 point 4). corpus/aws-ground-truth has no v2 recordings: a message is either quoted from AWS in a
 * public report (SOURCED, with where) or the emulator's own wording in AWS's style (NOT_RECORDED, with the
 * LIMITATIONS.md section saying so). A new message in a checked module fails this test until it is listed; a listed
 * message the source no longer has fails it too. The Logs messages of groups, streams and events are AWS's recorded
 * ones (shared.ts MSG, recording 20); constraint errors use the recorded "1 validation error detected" form.
 */
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {messagesIn} from '../../helpers/error-messages.ts'

/** The calls whose first argument is a message (and `new AwsError(code, …)`). */
const CALLEES = ['badRequest', 'notFound', 'notFoundV2', 'conflict', 'invalidParameter', 'resourceNotFound', 'alreadyExists', 'validation']

const SRC = new URL('../../../src/local/', import.meta.url)

/** The modules checked (domain names and API mappings join when their owner lists their sources). */
const CHECKED = [
  'control-plane/v2/apis.ts',
  'control-plane/v2/common.ts',
  'control-plane/v2/config.ts',
  'control-plane/v2/deployments.ts',
  'control-plane/v2/models.ts',
  'control-plane/v2/openapi-import.ts',
  'control-plane/v2/responses.ts',
  'control-plane/v2/vpc-links.ts',
  'control-plane/logs/filters.ts',
  'sts/sts.ts',
]

/** Messages quoted from AWS (or pinned by another emulator's test) outside the recordings, `{}` for a value. */
const SOURCED: Record<string, string> = {
  'Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)':
    'AWS answer quoted in aws/aws-cli#6363',
  'Invalid API identifier specified {}:{}': 'AWS answer quoted in aws/aws-sdk-js#2458 and aws/aws-sam-cli#7030',
  'Model name must be alphanumeric: {}': "AWS's importer words quoted in terra-money/fcd-classic#36",
  'Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]':
    'AWS answer quoted in aws/aws-cdk#27433',
  'Warnings found during import:\n\t{}': "API Gateway's importer prefix, as moto's test_reimport_api_failonwarnings pins it",
  'Policy with name [{}] does not exist': "moto's wording of DeleteResourcePolicy (not recorded against AWS)",
}

/** Messages of the emulator's own wording (AWS's answer not recorded), `{}` standing for an interpolated value. */
const NOT_RECORDED: Record<string, string> = {
  'A target is required for quick create':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'CORS configuration is supported only for HTTP APIs':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'ExportApi is supported only for HTTP APIs':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid basepath: {}. Valid values are ignore, prepend and split.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid exportVersion: {}. The only supported value is 1.0.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid failOnWarnings: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid ipAddressType: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid outputType: {}. Valid values are JSON and YAML.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid protocolType: {}. Must be one of HTTP, WEBSOCKET':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid resource identifier specified {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid specification: {}. The only supported value is OAS30.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Quick create (target, routeKey, credentialsArn) is supported only for HTTP APIs':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'ReimportApi is supported only for HTTP APIs':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Stage {} has no deployment to export':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'The routeSelectionExpression of an HTTP API must be {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Unable to create route {}. The routeKey is invalid.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Updating target, routeKey or credentialsArn is not supported by the apigw local emulator (see LIMITATIONS.md)':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'body is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'name is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'name must be between 1 and 128 characters':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'routeSelectionExpression is required for WEBSOCKET APIs':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'tagKeys is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'tags is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid loggingLevel: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid maxResults: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid nextToken': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid stage identifier specified {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for {}: expected a boolean':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for {}: expected a list of strings':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for {}: expected a map of strings':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for {}: expected a number':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for {}: expected a string':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for {}: expected an object':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid {} identifier specified {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'maxAge must be between -1 and 86400':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  '{} is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'An authorizerId must be specified for authorizationType {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Authorizer {} is in use by route(s): {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Integration {} is in use by route(s): {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid authorizationType: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid authorizerType: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid connectionType: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid integration type: {}. Valid values are {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid model identifier specified: {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid payloadFormatVersion: {}. Supported values are 1.0 and 2.0':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid request parameter key specified {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid target specified: {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid timeoutInMillis: must be between 50 and {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'JWT authorizers require jwtConfiguration.issuer':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'REQUEST authorizers require an authorizerUri':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Unable to create route {}. A route with this route key already exists.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'authorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'authorizerResultTtlInSeconds must be between 0 and 3600':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'authorizerType is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'connectionId is required for connectionType VPC_LINK':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'integrationType is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'integrationUri is required for AWS_PROXY integrations without an integrationSubtype':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'integrationUri is required for HTTP_PROXY integrations':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'payloadFormatVersion 1.0 is the only supported value for HTTP_PROXY integrations':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'routeKey is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Active stages pointing to this deployment must be moved or deleted':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid destination ARN specified':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for routeSettings.{}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Stage name must be non-empty and match [a-zA-Z0-9_\\-$]{1,128}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Stage {} already exists': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Unable to find route settings for route key {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Model contentType must be between 1 and 256 characters': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Model description must be at most 1024 characters': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Model name already exists for this API: {}': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Model name is required': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Model name must be between 1 and 128 characters': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Model schema is required': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Model schema must be at most 32768 characters': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Model {} is in use by route(s): {}': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Models are supported only for WebSocket APIs': 'v2 models: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'Invalid OpenAPI input: the info.title of the document is required; it names the API.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Multiple security requirements are not supported for route {}: an operation can have only one authorizer.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Unsupported OpenAPI version: Swagger 2.0 documents cannot be imported as HTTP APIs; only OpenAPI 3.0 is supported.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Unsupported OpenAPI version: {}. HTTP APIs support only OpenAPI 3.0.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  '{} {}': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid IntegrationResponse identifier specified {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid RouteResponse identifier specified {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid contentHandlingStrategy: {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid integrationResponseKey: {}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid value for responseParameters.{}: expected {"required": boolean}':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Unable to create integration response {}. An integration response with this key already exists.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Unable to create route response {}. A route response with this key already exists.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'integrationResponseKey is required':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'routeResponseKey is required': "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  '{} are supported only for WebSocket APIs.':
    "API Gateway v2: no v2 recordings exist, the wording is the emulator's (LIMITATIONS: API Gateway v2)",
  'Invalid VpcLink identifier specified {}': 'v2 VPC links: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'VpcLink name is required': 'v2 VPC links: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'VpcLink name must be between 1 and 128 characters': 'v2 VPC links: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'VpcLink {} is in use by integration(s): {}': 'v2 VPC links: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'subnetIds is required': 'v2 VPC links: no v2 recordings exist (LIMITATIONS: API Gateway v2)',
  'If you specify a filterNamePrefix, you must also specify a logGroupName.':
    'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'If you specify a metricName, you must also specify a metricNamespace, and the other way round.':
    'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'Invalid destinationArn: {}. It must be a Kinesis, Firehose, Lambda or Logs destination ARN.':
    'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'Invalid dimensions: expected a map': 'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'Invalid dimensions: values must be strings': 'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'Resource limit exceeded.': 'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'The policy document is not a valid JSON object.': 'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'The revision id does not match the current revision of the policy.':
    'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'The specified metric filter does not exist.': 'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'The specified subscription filter does not exist.': 'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  "Unexpected value type for 'metricTransformations': expected a list":
    'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  "Unexpected value type for 'metricTransformations.{}': expected an object":
    'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'You cannot specify a default value for a metric that has dimensions.':
    'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
  'policyName is required for an account-level resource policy.': 'Logs filters and policies: not recorded (LIMITATIONS: CloudWatch Logs)',
}

describe('API Gateway v2, Logs filters and STS error messages and their sources', () => {
  const found = new Map<string, string>()
  for (const f of CHECKED) for (const msg of messagesIn(readFileSync(new URL(f, SRC), 'utf8'), CALLEES)) found.set(msg, f)

  it('finds the messages in the source', () => {
    assert.ok(found.size > 60, `only ${found.size} messages found: the extraction is broken`)
    assert.ok(found.has('Models are supported only for WebSocket APIs'))
  })

  it('has a source for every message: a quoted AWS answer, or the list of the emulator’s own wordings', () => {
    const unsourced = [...found.entries()].filter(([msg]) => !(msg in SOURCED) && !(msg in NOT_RECORDED))
    assert.deepEqual(
      unsourced.map(([msg, f]) => `${f}: ${msg}`),
      [],
      `messages without a source: find AWS's words, or add them to NOT_RECORDED with the reason`,
    )
  })

  it('lists only messages the source still has', () => {
    const stale = [...Object.keys(SOURCED), ...Object.keys(NOT_RECORDED)].filter((msg) => !found.has(msg))
    assert.deepEqual(stale, [])
  })
})
