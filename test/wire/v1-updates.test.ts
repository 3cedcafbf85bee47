/**
 * The patch-based edits of a REST API through the SDK: UpdateResource, UpdateMethod, UpdateMethodResponse,
 * UpdateIntegration, UpdateIntegrationResponse, UpdateModel (+ GetModelTemplate), UpdateAuthorizer,
 * UpdateRequestValidator, UpdateGatewayResponse. Sequences and expected answers are AWS's recordings
 * (test/fixtures/ground-truth/v1-updates-vpc-links.json, copied from LocalStack's AWS-validated snapshots);
 * where AWS's answer is not recorded the test says so. Changes must reach GetExport and the next deployment.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateModelCommand,
  CreateRequestValidatorCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  DeleteResourceCommand,
  GetExportCommand,
  GetGatewayResponseCommand,
  GetModelTemplateCommand,
  GetResourcesCommand,
  type PatchOperation,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
  PutRestApiCommand,
  UpdateAuthorizerCommand,
  UpdateGatewayResponseCommand,
  UpdateIntegrationCommand,
  UpdateIntegrationResponseCommand,
  UpdateMethodCommand,
  UpdateMethodResponseCommand,
  UpdateModelCommand,
  UpdateRequestValidatorCommand,
  UpdateResourceCommand,
  UpdateRestApiCommand,
} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'
import {failsAsRecorded, plain, recorded} from './v1-recordings.ts'

const LAMBDA = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations'

describe('v1 Update* patch operations', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })
  const newApi = async (name: string): Promise<{restApiId: string; rootId: string}> => {
    const api = await t.v1.send(new CreateRestApiCommand({name}))
    return {restApiId: api.id!, rootId: api.rootResourceId!}
  }

  it('UpdateResource moves and renames resources, their subtree following, with AWS errors', async () => {
    const T = 'TestApiGatewayApiResource::test_update_resource'
    const {restApiId, rootId} = await newApi('resources')
    const pets = await t.v1.send(new CreateResourceCommand({restApiId, parentId: rootId, pathPart: 'pets'}))
    const sub = await t.v1.send(new CreateResourceCommand({restApiId, parentId: pets.id!, pathPart: 'subpets'}))
    const child = await t.v1.send(new CreateResourceCommand({restApiId, parentId: sub.id!, pathPart: 'pets'}))
    const send = (resourceId: string, patchOperations: PatchOperation[]) =>
      t.v1.send(new UpdateResourceCommand({restApiId, resourceId, patchOperations}))
    // Errors as recorded: a wrong path, an unknown parent, a name taken under the new parent, a cycle, add/remove
    await failsAsRecorded(send(pets.id!, [{op: 'replace', path: '/invalid', value: 'dogs'}]), T, 'invalid-path-part')
    await failsAsRecorded(send(pets.id!, [{op: 'replace', path: '/parentId', value: 'fake-parent-id'}]), T, 'invalid-parent-id')
    await failsAsRecorded(send(child.id!, [{op: 'replace', path: '/parentId', value: rootId}]), T, 'existing-future-sibling-path')
    await failsAsRecorded(send(pets.id!, [{op: 'replace', path: '/parentId', value: sub.id!}]), T, 'update-parent-id-to-subresource-id')
    await failsAsRecorded(send(sub.id!, [{op: 'remove', path: '/pathPart'}]), T, 'remove-unsupported')
    await failsAsRecorded(send(sub.id!, [{op: 'add', path: '/pathPart', value: 'added-pets'}]), T, 'add-unsupported')
    await failsAsRecorded(send(rootId, [{op: 'replace', path: '/pathPart', value: 'x'}]), T, 'update-root-path-part')
    await failsAsRecorded(send(rootId, [{op: 'replace', path: '/parentId', value: pets.id!}]), T, 'update-root-parent')
    // When /pets/subpets moves under the root and is renamed
    const moved = await send(sub.id!, [
      {op: 'replace', path: '/parentId', value: rootId},
      {op: 'replace', path: '/pathPart', value: 'cats'},
    ])
    // Then it and its child have new paths, and deleting /pets leaves them (recorded: resources-after-deletion)
    assert.deepEqual(
      {path: moved.path, parentId: moved.parentId, pathPart: moved.pathPart},
      {path: '/cats', parentId: rootId, pathPart: 'cats'},
    )
    await t.v1.send(new DeleteResourceCommand({restApiId, resourceId: pets.id!}))
    const paths = ((await t.v1.send(new GetResourcesCommand({restApiId}))).items ?? []).map((r) => r.path).sort()
    assert.deepEqual(paths, ['/', '/cats', '/cats/pets'])
  })

  it('UpdateMethod takes every documented path, as recorded, and refuses the others', async () => {
    const T = 'TestApiGatewayApiMethod::test_update_method'
    const {restApiId, rootId} = await newApi('methods')
    const put = await t.v1.send(new PutMethodCommand({restApiId, resourceId: rootId, httpMethod: 'ANY', authorizationType: 'NONE'}))
    assert.deepEqual(plain(put), recorded(T, 'put-method-response').body)
    const send = (patchOperations: PatchOperation[], httpMethod = 'ANY') =>
      t.v1.send(new UpdateMethodCommand({restApiId, resourceId: rootId, httpMethod, patchOperations}))
    // add, replace, the authorizer set after the type in the same patch, then remove: the recorded answers
    const added = await send([
      {op: 'add', path: '/requestParameters/method.request.querystring.optional', value: 'true'},
      {op: 'add', path: '/requestModels/application~1json', value: 'Empty'},
    ])
    assert.deepEqual(plain(added), recorded(T, 'update-method-add').body)
    const replaced = await send([
      {op: 'replace', path: '/operationName', value: 'ReplacedOperationName'},
      {op: 'replace', path: '/apiKeyRequired', value: 'true'},
      {op: 'replace', path: '/authorizationType', value: 'AWS_IAM'},
      {op: 'replace', path: '/requestParameters/method.request.querystring.optional', value: 'false'},
    ])
    assert.deepEqual(plain(replaced), recorded(T, 'update-method-replace').body)
    const authorizer = await t.v1.send(
      new CreateAuthorizerCommand({
        restApiId,
        name: 'a',
        type: 'TOKEN',
        authorizerUri: LAMBDA,
        identitySource: 'method.request.header.Authorization',
      }),
    )
    const withAuthorizer = await send([
      {op: 'replace', path: '/authorizerId', value: authorizer.id!},
      {op: 'replace', path: '/authorizationType', value: 'CUSTOM'},
    ])
    assert.deepEqual(plain(withAuthorizer), {...recorded(T, 'update-method-replace-authorizer').body, authorizerId: authorizer.id})
    const removed = await send([
      {op: 'remove', path: '/requestParameters/method.request.querystring.optional', value: 'true'},
      {op: 'remove', path: '/requestModels/application~1json', value: 'Empty'},
    ])
    assert.deepEqual(plain(removed), {...recorded(T, 'update-method-remove').body, authorizerId: authorizer.id})
    // Scopes and the validator (documented paths; AWS's answers to them are not recorded)
    const validator = await t.v1.send(new CreateRequestValidatorCommand({restApiId, name: 'v', validateRequestBody: true}))
    const scoped = await send([
      {op: 'add', path: '/authorizationScopes', value: 'pets/read'},
      {op: 'add', path: '/authorizationScopes', value: 'pets/write'},
      {op: 'remove', path: '/authorizationScopes', value: 'pets/read'},
      {op: 'replace', path: '/requestValidatorId', value: validator.id!},
    ])
    assert.deepEqual(
      {scopes: scoped.authorizationScopes, validator: scoped.requestValidatorId},
      {scopes: ['pets/write'], validator: validator.id},
    )
    assert.equal((await send([{op: 'replace', path: '/requestValidatorId', value: ''}])).requestValidatorId, undefined)
  })

  it('UpdateMethod validation answers as recorded', async () => {
    const T = 'TestApiGatewayApiMethod::test_update_method_validation'
    const {restApiId, rootId} = await newApi('method-validation')
    const send = (patchOperations: PatchOperation[], o: {api?: string; resource?: string; method?: string} = {}) =>
      t.v1.send(
        new UpdateMethodCommand({
          restApiId: o.api ?? restApiId,
          resourceId: o.resource ?? rootId,
          httpMethod: o.method ?? 'ANY',
          patchOperations,
        }),
      )
    await failsAsRecorded(send([], {api: 'fake-api'}), T, 'wrong-rest-api')
    await failsAsRecorded(send([], {resource: 'fake-resource-id'}), T, 'wrong-resource-id')
    await failsAsRecorded(send([{op: 'replace', path: '/operationName', value: 'x'}], {method: 'GET'}), T, 'method-does-not-exist')
    await t.v1.send(
      new PutMethodCommand({restApiId, resourceId: rootId, httpMethod: 'ANY', authorizationType: 'NONE', apiKeyRequired: true}),
    )
    await failsAsRecorded(send([{op: 'add', path: '/operationName', value: 'operationName'}]), T, 'unsupported-operation')
    await failsAsRecorded(send([{op: 'add', path: '/requestValidatorId', value: 'wrong-id'}]), T, 'unsupported-operation-2')
    await failsAsRecorded(send([{op: 'add', path: '/httpMethod', value: 'PUT'}]), T, 'unsupported-path')
    await failsAsRecorded(
      send([{op: 'replace', path: '/requestParameters', value: 'method.request.querystring.optional=false'}]),
      T,
      'wrong-path-request-parameters',
    )
    await failsAsRecorded(send([{op: 'add', path: '/requestModels/application/json', value: 'Empty'}]), T, 'wrong-path-request-models')
    assert.deepEqual(plain(await send([{op: 'replace', path: '/apiKeyRequired', value: 'whatever'}])), recorded(T, 'wrong-value-type').body)
    await failsAsRecorded(send([{op: 'replace', path: '/authorizationType', value: 'CUSTOM'}]), T, 'wrong-auth-type')
    const skipped = await send([{op: 'replace', path: '/authorizerId', value: 'abc123'}])
    assert.deepEqual(plain(skipped), recorded(T, 'skip-auth-id-with-wrong-type').body)
    await failsAsRecorded(
      send([
        {op: 'replace', path: '/authorizationType', value: 'CUSTOM'},
        {op: 'replace', path: '/authorizerId', value: 'abc123'},
      ]),
      T,
      'wrong-auth-id',
    )
    await failsAsRecorded(send([{op: 'replace', path: '/requestValidatorId', value: 'fake-id'}]), T, 'wrong-req-validator-id')
  })

  it('UpdateMethodResponse answers 201 with the response, and AWS errors', async () => {
    const T = 'TestApigatewayMethodResponse'
    const {restApiId, rootId} = await newApi('method-responses')
    await t.v1.send(new PutMethodCommand({restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE'}))
    await t.v1.send(new PutMethodResponseCommand({restApiId, resourceId: rootId, httpMethod: 'GET', statusCode: '200'}))
    const send = (patchOperations: PatchOperation[], statusCode = '200') =>
      t.v1.send(new UpdateMethodResponseCommand({restApiId, resourceId: rootId, httpMethod: 'GET', statusCode, patchOperations}))
    await failsAsRecorded(
      send([{op: 'remove', path: '/responseParameters/method.response.header.my-header'}]),
      T,
      'update-method-response-operation-without-response-parameters',
    )
    await failsAsRecorded(
      send([{op: 'remove', path: '/responseModels/application~1json'}]),
      T,
      'update-method-response-operation-without-response-models',
    )
    const added = await send([
      {op: 'add', path: '/responseParameters/method.response.header.my-header', value: 'true'},
      {op: 'add', path: '/responseModels/application~1json', value: 'Empty'},
    ])
    assert.equal(added.$metadata.httpStatusCode, 201)
    assert.deepEqual(plain(added), recorded(T, 'add-update-method-response').body)
    await failsAsRecorded(
      send([{op: 'add', path: '/wrong/method.response.header.my-header', value: 'true'}]),
      T,
      'update-method-response-operation-with-wrong-path',
    )
    await failsAsRecorded(send([], '404'), T, 'update-method-response-wrong-statuscode')
    await failsAsRecorded(
      send([{op: 'wrong_op' as 'add', path: '/responseModels/application~1json'}], 'wrong'),
      T,
      'update-method-response-invalid-statuscode-and-wrong-op',
    )
    const removed = await send([
      {op: 'remove', path: '/responseParameters/method.response.header.my-header'},
      {op: 'remove', path: '/responseModels/application~1json'},
    ])
    assert.deepEqual(plain(removed), recorded(T, 'remove-update-method-response').body)
  })

  it('UpdateIntegration and UpdateIntegrationResponse reach the export and the next deployment', async () => {
    const {restApiId, rootId} = await newApi('integrations')
    const mock = await t.v1.send(new CreateResourceCommand({restApiId, parentId: rootId, pathPart: 'mock'}))
    const base = {restApiId, resourceId: mock.id!, httpMethod: 'GET'}
    await t.v1.send(new PutMethodCommand({...base, authorizationType: 'NONE', requestParameters: {'method.request.querystring.q': false}}))
    await t.v1.send(new PutMethodResponseCommand({...base, statusCode: '200'}))
    await t.v1.send(new PutIntegrationCommand({...base, type: 'MOCK', requestTemplates: {'application/json': '{"statusCode": 200}'}}))
    await t.v1.send(
      new PutIntegrationResponseCommand({
        ...base,
        statusCode: '200',
        selectionPattern: '',
        responseTemplates: {'application/json': '"v1"'},
      }),
    )
    await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev'}))
    const url = `http://127.0.0.1:${t.emulator.port}/_aws/execute-api/${restApiId}/dev/mock?q=x`
    assert.equal(await (await fetch(url)).text(), '"v1"')
    // When the integration and its response are patched
    const integration = await t.v1.send(
      new UpdateIntegrationCommand({
        ...base,
        patchOperations: [
          {op: 'add', path: '/cacheKeyParameters/method.request.querystring.q'},
          {op: 'replace', path: '/timeoutInMillis', value: '1500'},
          {op: 'replace', path: '/passthroughBehavior', value: 'NEVER'},
          {op: 'replace', path: '/requestTemplates/application~1json', value: '{"statusCode": 200, "q": "$input.params(\'q\')"}'},
          {op: 'add', path: '/requestParameters/integration.request.header.x-q', value: 'method.request.querystring.q'},
        ],
      }),
    )
    assert.deepEqual(
      {
        keys: integration.cacheKeyParameters,
        timeout: integration.timeoutInMillis,
        pass: integration.passthroughBehavior,
        params: integration.requestParameters,
      },
      {
        keys: ['method.request.querystring.q'],
        timeout: 1500,
        pass: 'NEVER',
        params: {'integration.request.header.x-q': 'method.request.querystring.q'},
      },
    )
    const response = await t.v1.send(
      new UpdateIntegrationResponseCommand({
        ...base,
        statusCode: '200',
        patchOperations: [
          {op: 'replace', path: '/selectionPattern', value: 'updated-pattern'},
          {op: 'replace', path: '/responseTemplates/application~1json', value: '"v2"'},
          {op: 'add', path: '/responseParameters/method.response.header.x-v', value: "'2'"},
        ],
      }),
    )
    assert.equal(response.selectionPattern, 'updated-pattern')
    // Then the deployed stage still serves the old configuration until the next deployment, which serves the new
    assert.equal(await (await fetch(url)).text(), '"v1"')
    await t.v1.send(
      new UpdateIntegrationResponseCommand({
        ...base,
        statusCode: '200',
        patchOperations: [{op: 'replace', path: '/selectionPattern', value: ''}],
      }),
    )
    await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev'}))
    assert.equal(await (await fetch(url)).text(), '"v2"')
    // And the export carries the patched integration
    const out = await t.v1.send(
      new GetExportCommand({restApiId, stageName: 'dev', exportType: 'oas30', parameters: {extensions: 'apigateway'}}),
    )
    const doc = JSON.parse(Buffer.from(out.body!).toString('utf8')) as {paths: Record<string, {get: Record<string, unknown>}>}
    const exported = doc.paths['/mock']!.get['x-amazon-apigateway-integration'] as Record<string, unknown>
    assert.equal(exported.passthroughBehavior, 'never')
    assert.equal(exported.timeoutInMillis, 1500)
    assert.deepEqual(exported.cacheKeyParameters, ['method.request.querystring.q'])
    // And the refusals: a path AWS does not document, an op a path does not take, the MOCK uri
    await rejectsWith(
      t.v1.send(new UpdateIntegrationCommand({...base, patchOperations: [{op: 'replace', path: '/type', value: 'HTTP'}]})),
      {
        name: 'BadRequestException',
        message: 'Invalid patch path /type',
      },
    )
    await rejectsWith(
      t.v1.send(new UpdateIntegrationCommand({...base, patchOperations: [{op: 'add', path: '/timeoutInMillis', value: '1'}]})),
      {
        name: 'BadRequestException',
        message: 'Invalid patch operation specified. Must be one of: [replace]',
      },
    )
    await rejectsWith(
      t.v1.send(new UpdateIntegrationCommand({...base, patchOperations: [{op: 'replace', path: '/uri', value: 'http://x.example'}]})),
      {name: 'BadRequestException', status: 400},
    )
  })

  it('UpdateModel edits the schema and description, GetModelTemplate follows the schema', async () => {
    const T = 'TestApiGatewayApiModels::test_update_model'
    const {restApiId} = await newApi('models')
    const patch: PatchOperation[] = [
      {op: 'replace', path: '/schema', value: JSON.stringify({title: 'Updated schema', type: 'object'})},
      {op: 'replace', path: '/description', value: ''},
    ]
    await failsAsRecorded(
      t.v1.send(new UpdateModelCommand({restApiId: 'abcde0', modelName: 'mySchema', patchOperations: patch})),
      T,
      'update-model-wrong-id',
    )
    await t.v1.send(
      new CreateModelCommand({restApiId, name: 'MySchema', contentType: 'application/json', description: 'd', schema: '{"type":"object"}'}),
    )
    const updated = await t.v1.send(new UpdateModelCommand({restApiId, modelName: 'MySchema', patchOperations: patch}))
    const expected = recorded(T, 'update-model').body!
    assert.deepEqual(
      {contentType: updated.contentType, name: updated.name, schema: JSON.parse(updated.schema!), description: updated.description},
      {contentType: expected.contentType, name: 'MySchema', schema: JSON.parse(expected.schema as string), description: undefined},
    )
    const send = (patchOperations: PatchOperation[]) =>
      t.v1.send(new UpdateModelCommand({restApiId, modelName: 'MySchema', patchOperations}))
    await failsAsRecorded(send([{op: 'add', path: '/wrong-path', value: 'not supported op'}]), T, 'update-model-invalid-op')
    await failsAsRecorded(send([{op: 'replace', path: '/name', value: 'invalid'}]), T, 'update-model-invalid-path')
    await failsAsRecorded(send([{op: 'replace', path: '/schema', value: ''}]), T, 'update-model-empty-schema')
    // GetModelTemplate: the API reference's example model gives the API reference's template
    await send([
      {
        op: 'replace',
        path: '/schema',
        value: JSON.stringify({
          type: 'object',
          properties: {a: {type: 'number'}, b: {type: 'number'}, op: {type: 'string'}, c: {type: 'number'}},
        }),
      },
    ])
    const template = await t.v1.send(new GetModelTemplateCommand({restApiId, modelName: 'MySchema'}))
    assert.equal(
      template.value,
      '#set($inputRoot = $input.path(\'$\'))\n{\n  "a" : $inputRoot.a,\n  "b" : $inputRoot.b,\n  "op" : "$inputRoot.op",\n  "c" : $inputRoot.c\n}',
    )
    await rejectsWith(t.v1.send(new GetModelTemplateCommand({restApiId, modelName: 'Nope'})), {
      name: 'NotFoundException',
      message: 'Invalid model name specified: Nope',
    })
  })

  it('UpdateAuthorizer takes the documented paths', async () => {
    const {restApiId} = await newApi('authorizers')
    // A Lambda authorizer's URI is an API Gateway invocation ARN: a bare Lambda ARN is refused at create and update
    const bare = 'arn:aws:lambda:us-east-1:000000000000:function:f'
    await rejectsWith(
      t.v1.send(
        new CreateAuthorizerCommand({
          restApiId,
          name: 'bad',
          type: 'TOKEN',
          authorizerUri: bare,
          identitySource: 'method.request.header.A',
        }),
      ),
      {
        name: 'BadRequestException',
        message: new RegExp(`^Invalid Authorizer URI: ${bare}\\. Authorizer URI should be a valid API Gateway ARN`),
      },
    )
    const created = await t.v1.send(
      new CreateAuthorizerCommand({
        restApiId,
        name: 'tok',
        type: 'TOKEN',
        authorizerUri: LAMBDA,
        identitySource: 'method.request.header.Authorization',
      }),
    )
    const send = (patchOperations: PatchOperation[]) =>
      t.v1.send(new UpdateAuthorizerCommand({restApiId, authorizerId: created.id!, patchOperations}))
    const updated = await send([
      {op: 'replace', path: '/name', value: 'renamed'},
      {op: 'replace', path: '/type', value: 'REQUEST'},
      {op: 'replace', path: '/authorizerResultTtlInSeconds', value: '0'},
      {op: 'add', path: '/identitySource', value: 'method.request.querystring.token'},
      {op: 'replace', path: '/identityValidationExpression', value: '^x$'},
    ])
    assert.deepEqual(
      {name: updated.name, type: updated.type, ttl: updated.authorizerResultTtlInSeconds, sources: updated.identitySource},
      {name: 'renamed', type: 'REQUEST', ttl: 0, sources: 'method.request.header.Authorization, method.request.querystring.token'},
    )
    const cognito = await send([
      {op: 'replace', path: '/type', value: 'COGNITO_USER_POOLS'},
      {op: 'replace', path: '/authorizerUri', value: ''},
      {op: 'add', path: '/providerARNs', value: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x'},
    ])
    assert.deepEqual(
      {type: cognito.type, uri: cognito.authorizerUri, arns: cognito.providerARNs},
      {type: 'COGNITO_USER_POOLS', uri: undefined, arns: ['arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_x']},
    )
    await rejectsWith(send([{op: 'replace', path: '/authorizerUri', value: 'foo'}]), {
      name: 'BadRequestException',
      message: /^Invalid Authorizer URI: foo\./,
    })
    // (not recorded against AWS: the wording of these refusals)
    await rejectsWith(send([{op: 'replace', path: '/id', value: 'x'}]), {
      name: 'BadRequestException',
      message: /^Invalid patch path {2}'\/id'/,
    })
    await rejectsWith(send([{op: 'replace', path: '/type', value: 'JWT'}]), {name: 'BadRequestException', status: 400})
    await rejectsWith(t.v1.send(new UpdateAuthorizerCommand({restApiId, authorizerId: 'nope', patchOperations: []})), {
      name: 'NotFoundException',
      message: 'Invalid Authorizer identifier specified',
    })
  })

  it('UpdateRequestValidator answers as recorded', async () => {
    const T = 'TestApiGatewayApiRequestValidator'
    const {restApiId} = await newApi('validators')
    const v = await t.v1.send(new CreateRequestValidatorCommand({restApiId, name: 'val'}))
    const send = (patchOperations: PatchOperation[]) =>
      t.v1.send(new UpdateRequestValidatorCommand({restApiId, requestValidatorId: v.id!, patchOperations}))
    const withValue = await send([{op: 'replace', path: '/validateRequestBody', value: 'true'}])
    assert.deepEqual({...plain(withValue), id: '<id:2>', name: '<name:2>'}, recorded(T, 'update-request-validator-with-value').body)
    const without = await send([{op: 'replace', path: '/validateRequestBody'}])
    assert.deepEqual({...plain(without), id: '<id:2>', name: '<name:2>'}, recorded(T, 'update-request-validator-without-value').body)
    await failsAsRecorded(
      send([{op: 'add', path: '/validateRequestBody', value: 'true'}]),
      T,
      'update-request-validator-invalid-add-operation',
    )
    await failsAsRecorded(
      send([{op: 'remove', path: '/validateRequestBody', value: 'true'}]),
      T,
      'update-request-validator-invalid-remove-operation',
    )
    await failsAsRecorded(send([{op: 'replace', path: '/invalidPath', value: 'true'}]), T, 'update-request-validator-invalid-path')
    await failsAsRecorded(send([{op: 'replace', path: '/name'}]), T, 'update-request-validator-empty-name-value')
  })

  it('UpdateGatewayResponse customises a default response and answers AWS errors', async () => {
    const T = 'TestApiGatewayGatewayResponse::test_update_gateway_response'
    const {restApiId} = await newApi('gateway-responses')
    const send = (patchOperations: PatchOperation[], responseType = 'DEFAULT_4XX') =>
      t.v1.send(new UpdateGatewayResponseCommand({restApiId, responseType: responseType as 'DEFAULT_4XX', patchOperations}))
    const notSet = await send([{op: 'replace', path: '/statusCode', value: '444'}])
    assert.deepEqual(plain(notSet), recorded(T, 'update-gateway-response-not-set').body)
    assert.deepEqual(plain(await t.v1.send(new GetGatewayResponseCommand({restApiId, responseType: 'DEFAULT_4XX'}))), plain(notSet))
    const updated = await send([
      {op: 'add', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'a.b.c'"},
      {op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'example.com'"},
      {op: 'add', path: '/responseTemplates/application~1xml', value: '<m>$context.error.messageString</m>'},
    ])
    assert.deepEqual(updated.responseParameters, {'gatewayresponse.header.Access-Control-Allow-Origin': "'example.com'"})
    assert.equal(updated.responseTemplates?.['application/xml'], '<m>$context.error.messageString</m>')
    await failsAsRecorded(send([{op: 'add', path: '/statusCode', value: '444'}]), T, 'update-gateway-add-status-code')
    await failsAsRecorded(send([{op: 'remove', path: '/statusCode'}]), T, 'update-gateway-remove-status-code')
    await failsAsRecorded(
      send([{op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin', value: "'x'"}], 'DEFAULT_5XX'),
      T,
      'update-gateway-replace-invalid-parameter',
    )
    await failsAsRecorded(send([{op: 'add', value: "'example.com'"}]), T, 'update-gateway-no-path')
    await failsAsRecorded(send([{op: 'wrong-op' as 'add', path: '/statusCode', value: "'example.com'"}]), T, 'update-gateway-wrong-op')
    await failsAsRecorded(send([{op: 'add', path: '/wrongPath', value: "'example.com'"}]), T, 'update-gateway-wrong-path')
    await failsAsRecorded(
      send([{op: 'replace', path: '/responseTemplates/application~1xml'}]),
      T,
      'update-gateway-replace-invalid-parameter-0-none',
    )
    await failsAsRecorded(
      send([{op: 'replace', path: '/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin'}]),
      T,
      'update-gateway-replace-invalid-parameter-1-none',
    )
  })

  it('UpdateRestApi refuses an op that a replace-only path does not take, in the recorded words', async () => {
    // Recorded (corpus/aws-ground-truth/19: test_update_rest_api_compression/unsupported-operation, and the
    // ipAddressType case of test_update_rest_api_ip_address_type).
    const {restApiId} = await newApi('rest-api-ops')
    for (const path of ['/minimumCompressionSize', '/endpointConfiguration/ipAddressType', '/name', '/policy']) {
      await rejectsWith(t.v1.send(new UpdateRestApiCommand({restApiId, patchOperations: [{op: 'add', path, value: '10'}]})), {
        name: 'BadRequestException',
        message: 'Invalid patch operation specified. Must be one of: [replace]',
      })
    }
    const ok = await t.v1.send(
      new UpdateRestApiCommand({restApiId, patchOperations: [{op: 'replace', path: '/minimumCompressionSize', value: '10'}]}),
    )
    assert.equal(ok.minimumCompressionSize, 10)
  })

  it('CreateDeployment refuses a method without integration; PutRestApi refuses an unknown mode', async () => {
    const {restApiId, rootId} = await newApi('refusals')
    await t.v1.send(new PutMethodCommand({restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'NONE'}))
    await rejectsWith(t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev'})), {
      name: 'BadRequestException',
      status: 400,
      message: 'No integration defined for method',
    })
    const spec = JSON.stringify({openapi: '3.0.1', info: {title: 'refusals', version: '1'}, paths: {}})
    await rejectsWith(t.v1.send(new PutRestApiCommand({restApiId, mode: 'replace' as 'merge', body: Buffer.from(spec)})), {
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value 'replace' at 'mode' failed to satisfy constraint: Member must satisfy enum value set: [merge, overwrite]",
    })
  })
})
