/**
 * Building a REST API call by call through the SDK (as the AWS CLI tutorials, CloudFormation and Terraform
 * do): resources, methods, method/integration responses, integrations, models, authorizers, validators,
 * gateway responses; then deploying and exporting it. Error messages are AWS's recorded ones
 * (corpus/aws-ground-truth/19).
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
  DeleteAuthorizerCommand,
  DeleteGatewayResponseCommand,
  DeleteIntegrationCommand,
  DeleteIntegrationResponseCommand,
  DeleteMethodCommand,
  DeleteMethodResponseCommand,
  DeleteModelCommand,
  DeleteRequestValidatorCommand,
  DeleteResourceCommand,
  GetExportCommand,
  GetGatewayResponseCommand,
  GetMethodCommand,
  GetResourcesCommand,
  PutGatewayResponseCommand,
  PutIntegrationCommand,
  PutIntegrationResponseCommand,
  PutMethodCommand,
  PutMethodResponseCommand,
} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'

const LAMBDA = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:f/invocations'

describe('v1 REST API built call by call', () => {
  let t: TestEmulator
  let restApiId: string
  let rootId: string
  let petsId: string
  before(async () => {
    t = await startTestEmulator()
    const api = await t.v1.send(new CreateRestApiCommand({name: 'by-hand'}))
    restApiId = api.id!
    rootId = api.rootResourceId!
  })
  after(async () => {
    await t.close()
  })

  it('creates resources, methods, integrations and responses, deploys and exports them', async () => {
    // Given a /pets/{petId} tree with a Lambda proxy GET, a model, a validator and an authorizer
    const pets = await t.v1.send(new CreateResourceCommand({restApiId, parentId: rootId, pathPart: 'pets'}))
    petsId = pets.id!
    assert.deepEqual({path: pets.path, parent: pets.parentId}, {path: '/pets', parent: rootId})
    const pet = await t.v1.send(new CreateResourceCommand({restApiId, parentId: petsId, pathPart: '{petId}'}))
    assert.equal(pet.path, '/pets/{petId}')
    await t.v1.send(
      new CreateModelCommand({
        restApiId,
        name: 'Pet',
        contentType: 'application/json',
        schema: '{"type":"object","properties":{"id":{"type":"string"}}}',
      }),
    )
    const validator = await t.v1.send(new CreateRequestValidatorCommand({restApiId, name: 'params', validateRequestParameters: true}))
    const authorizer = await t.v1.send(
      new CreateAuthorizerCommand({
        restApiId,
        name: 'tok',
        type: 'TOKEN',
        authorizerUri: LAMBDA,
        identitySource: 'method.request.header.Authorization',
      }),
    )
    assert.equal(authorizer.authorizerResultTtlInSeconds, 300)
    const method = await t.v1.send(
      new PutMethodCommand({
        restApiId,
        resourceId: pet.id!,
        httpMethod: 'GET',
        authorizationType: 'CUSTOM',
        authorizerId: authorizer.id!,
        requestValidatorId: validator.id!,
        requestParameters: {'method.request.path.petId': true, 'method.request.header.x-trace': false},
        requestModels: {'application/json': 'Pet'},
        operationName: 'GetPet',
      }),
    )
    assert.equal(method.$metadata.httpStatusCode, 201)
    await t.v1.send(
      new PutMethodResponseCommand({
        restApiId,
        resourceId: pet.id!,
        httpMethod: 'GET',
        statusCode: '200',
        responseModels: {'application/json': 'Pet'},
      }),
    )
    const integration = await t.v1.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId: pet.id!,
        httpMethod: 'GET',
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: LAMBDA,
      }),
    )
    assert.deepEqual(
      {
        ns: integration.cacheNamespace,
        timeout: integration.timeoutInMillis,
        pass: integration.passthroughBehavior,
        conn: integration.connectionType,
      },
      {ns: pet.id, timeout: 29000, pass: 'WHEN_NO_MATCH', conn: 'INTERNET'},
    )
    await t.v1.send(
      new PutIntegrationResponseCommand({restApiId, resourceId: pet.id!, httpMethod: 'GET', statusCode: '200', selectionPattern: ''}),
    )
    // When the method is read back, deployed and exported
    const read = await t.v1.send(new GetMethodCommand({restApiId, resourceId: pet.id!, httpMethod: 'GET'}))
    assert.equal(read.methodIntegration?.integrationResponses?.['200']?.statusCode, '200')
    await t.v1.send(new CreateDeploymentCommand({restApiId, stageName: 'dev'}))
    const out = await t.v1.send(
      new GetExportCommand({restApiId, stageName: 'dev', exportType: 'oas30', parameters: {extensions: 'apigateway'}}),
    )
    const doc = JSON.parse(Buffer.from(out.body!).toString('utf8')) as {paths: Record<string, Record<string, Record<string, unknown>>>}
    // Then the export carries the operation as built
    const get = doc.paths['/pets/{petId}']!.get!
    assert.equal(get.operationId, 'GetPet')
    assert.equal(get['x-amazon-apigateway-request-validator'], 'params')
    assert.deepEqual((get['x-amazon-apigateway-integration'] as {type: string; uri: string}).type, 'aws_proxy')
    assert.deepEqual(get.security, [{tok: []}])
  })

  const errorCases = [
    {
      why: 'a duplicate sibling',
      send: () => t.v1.send(new CreateResourceCommand({restApiId, parentId: rootId, pathPart: 'pets'})),
      name: 'ConflictException',
      status: 409,
      message: 'Another resource with the same parent already has this name: pets',
    },
    {
      why: 'a second variable sibling',
      send: async () => {
        await t.v1.send(new CreateResourceCommand({restApiId, parentId: rootId, pathPart: '{proxy+}'}))
        return t.v1.send(new CreateResourceCommand({restApiId, parentId: rootId, pathPart: '{other}'}))
      },
      name: 'BadRequestException',
      status: 400,
      message: 'A sibling ({proxy+}) of this resource already has a variable path part -- only one is allowed',
    },
    {
      why: 'a child of a greedy resource',
      send: async () => {
        const items = (await t.v1.send(new GetResourcesCommand({restApiId}))).items ?? []
        return t.v1.send(new CreateResourceCommand({restApiId, parentId: items.find((r) => r.path === '/{proxy+}')!.id!, pathPart: 'x'}))
      },
      name: 'BadRequestException',
      status: 400,
      message: 'Cannot create a child of a resource with a greedy path variable: {proxy+}',
    },
    {
      why: 'an unknown HTTP method',
      send: () => t.v1.send(new PutMethodCommand({restApiId, resourceId: rootId, httpMethod: 'FETCH', authorizationType: 'NONE'})),
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY',
    },
    {
      why: 'CUSTOM auth without an authorizer',
      send: () => t.v1.send(new PutMethodCommand({restApiId, resourceId: rootId, httpMethod: 'GET', authorizationType: 'CUSTOM'})),
      name: 'BadRequestException',
      status: 400,
      message:
        'Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.',
    },
    {
      why: 'an unknown request model',
      send: () =>
        t.v1.send(
          new PutMethodCommand({
            restApiId,
            resourceId: rootId,
            httpMethod: 'GET',
            authorizationType: 'NONE',
            requestModels: {'application/json': 'petModel'},
          }),
        ),
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid model identifier specified: petModel',
    },
    {
      why: 'an HTTP integration without a method',
      send: async () => {
        await t.v1.send(new PutMethodCommand({restApiId, resourceId: rootId, httpMethod: 'POST', authorizationType: 'NONE'}))
        return t.v1.send(
          new PutIntegrationCommand({restApiId, resourceId: rootId, httpMethod: 'POST', type: 'HTTP', uri: 'http://example.com'}),
        )
      },
      name: 'BadRequestException',
      status: 400,
      message: 'Enumeration value for HttpMethod must be non-empty',
    },
    {
      why: 'an HTTP integration with a bad URI',
      send: () =>
        t.v1.send(
          new PutIntegrationCommand({
            restApiId,
            resourceId: rootId,
            httpMethod: 'POST',
            type: 'HTTP',
            integrationHttpMethod: 'GET',
            uri: 'not a url',
          }),
        ),
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid HTTP endpoint specified for URI',
    },
    {
      why: 'an AWS_PROXY integration to a non-Lambda service',
      send: () =>
        t.v1.send(
          new PutIntegrationCommand({
            restApiId,
            resourceId: rootId,
            httpMethod: 'POST',
            type: 'AWS_PROXY',
            integrationHttpMethod: 'POST',
            uri: 'arn:aws:apigateway:us-east-1:s3:path/bucket',
          }),
        ),
      name: 'BadRequestException',
      status: 400,
      message: "Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations.",
    },
    {
      why: 'an unknown integration type',
      send: () => t.v1.send(new PutIntegrationCommand({restApiId, resourceId: rootId, httpMethod: 'POST', type: 'HTTPS_PROXY' as 'HTTP'})),
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value 'HTTPS_PROXY' at 'putIntegrationInput.type' failed to satisfy constraint: Member must satisfy enum value set: [HTTP, MOCK, AWS_PROXY, HTTP_PROXY, AWS]",
    },
    {
      why: 'an integration response without an integration',
      send: () => t.v1.send(new PutIntegrationResponseCommand({restApiId, resourceId: rootId, httpMethod: 'POST', statusCode: '200'})),
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Integration identifier specified',
    },
    {
      why: 'a duplicate model',
      send: () => t.v1.send(new CreateModelCommand({restApiId, name: 'Pet', contentType: 'application/json'})),
      name: 'ConflictException',
      status: 409,
      message: 'Model name already exists for this REST API',
    },
    {
      why: 'deleting a model a method uses',
      send: () => t.v1.send(new DeleteModelCommand({restApiId, modelName: 'Pet'})),
      name: 'ConflictException',
      status: 409,
      message: "Cannot delete model 'Pet', is referenced in method request: /pets/{petId}/GET",
    },
    {
      why: 'deleting a gateway response never customised',
      send: () => t.v1.send(new DeleteGatewayResponseCommand({restApiId, responseType: 'THROTTLED'})),
      name: 'NotFoundException',
      status: 404,
      message: 'Gateway response type not defined on api',
    },
    {
      why: 'a validator on an unknown API',
      send: () => t.v1.send(new CreateRequestValidatorCommand({restApiId: 'nosuchapi0', name: 'v'})),
      name: 'BadRequestException',
      status: 400,
      message: 'Invalid REST API identifier specified',
    },
  ]
  for (const c of errorCases) {
    it(`refuses ${c.why} with AWS's error`, async () => {
      await rejectsWith(c.send(), {name: c.name, status: c.status, message: c.message})
    })
  }

  it('customises and resets a gateway response', async () => {
    await t.v1.send(
      new PutGatewayResponseCommand({
        restApiId,
        responseType: 'THROTTLED',
        statusCode: '503',
        responseTemplates: {'application/json': '{"m":"slow"}'},
      }),
    )
    const custom = await t.v1.send(new GetGatewayResponseCommand({restApiId, responseType: 'THROTTLED'}))
    assert.deepEqual({s: custom.statusCode, d: custom.defaultResponse}, {s: '503', d: false})
    await t.v1.send(new DeleteGatewayResponseCommand({restApiId, responseType: 'THROTTLED'}))
    const reset = await t.v1.send(new GetGatewayResponseCommand({restApiId, responseType: 'THROTTLED'}))
    assert.deepEqual({s: reset.statusCode, d: reset.defaultResponse}, {s: '429', d: true})
  })

  it('deletes responses, integrations, methods, authorizers, validators and a resource subtree', async () => {
    // Given a scratch subtree with a method, integration and responses
    const scratch = await t.v1.send(new CreateResourceCommand({restApiId, parentId: rootId, pathPart: 'scratch'}))
    const child = await t.v1.send(new CreateResourceCommand({restApiId, parentId: scratch.id!, pathPart: 'child'}))
    const m = {restApiId, resourceId: scratch.id!, httpMethod: 'GET'}
    await t.v1.send(new PutMethodCommand({...m, authorizationType: 'NONE'}))
    await t.v1.send(new PutMethodResponseCommand({...m, statusCode: '200'}))
    await t.v1.send(new PutIntegrationCommand({...m, type: 'MOCK'}))
    await t.v1.send(new PutIntegrationResponseCommand({...m, statusCode: '200'}))
    // When each is deleted
    const statuses = [
      (await t.v1.send(new DeleteIntegrationResponseCommand({...m, statusCode: '200'}))).$metadata.httpStatusCode,
      (await t.v1.send(new DeleteIntegrationCommand(m))).$metadata.httpStatusCode,
      (await t.v1.send(new DeleteMethodResponseCommand({...m, statusCode: '200'}))).$metadata.httpStatusCode,
      (await t.v1.send(new DeleteMethodCommand(m))).$metadata.httpStatusCode,
    ]
    // Then AWS's status codes come back, and the subtree goes with its resource
    assert.deepEqual(statuses, [204, 204, 204, 204])
    await rejectsWith(t.v1.send(new GetMethodCommand(m)), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Method identifier specified',
    })
    assert.equal((await t.v1.send(new DeleteResourceCommand({restApiId, resourceId: scratch.id!}))).$metadata.httpStatusCode, 202)
    const paths = ((await t.v1.send(new GetResourcesCommand({restApiId}))).items ?? []).map((r) => r.id)
    assert.equal(paths.includes(child.id!), false)
    const a = await t.v1.send(
      new CreateAuthorizerCommand({
        restApiId,
        name: 'unused',
        type: 'REQUEST',
        authorizerUri: LAMBDA,
        identitySource: 'method.request.header.A',
      }),
    )
    assert.equal((await t.v1.send(new DeleteAuthorizerCommand({restApiId, authorizerId: a.id!}))).$metadata.httpStatusCode, 202)
    const v = await t.v1.send(new CreateRequestValidatorCommand({restApiId, name: 'unused'}))
    assert.equal((await t.v1.send(new DeleteRequestValidatorCommand({restApiId, requestValidatorId: v.id!}))).$metadata.httpStatusCode, 202)
  })
})
