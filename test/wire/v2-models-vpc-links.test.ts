/**
 * API Gateway v2 models (WebSocket APIs), GetModelTemplate, DeleteRouteRequestParameter, VPC links and the
 * protocol rules on integrations, through the real SDK client against the in-process emulator.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateModelCommand,
  CreateRouteCommand,
  CreateVpcLinkCommand,
  DeleteModelCommand,
  DeleteRouteRequestParameterCommand,
  DeleteVpcLinkCommand,
  GetModelCommand,
  GetModelsCommand,
  GetModelTemplateCommand,
  GetRouteCommand,
  GetTagsCommand,
  GetVpcLinkCommand,
  GetVpcLinksCommand,
  TagResourceCommand,
  UpdateModelCommand,
  UpdateRouteCommand,
  UpdateVpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type Failure = Error & {$metadata: {httpStatusCode?: number}; ResourceType?: string}

/** Assert the call fails with this error name, status and message. */
async function fails(call: Promise<unknown>, name: string, status: number, message: RegExp): Promise<Failure> {
  let caught: Failure | undefined
  await assert.rejects(call, (e: Failure) => {
    caught = e
    return true
  })
  assert.equal(caught!.name, name, caught!.message)
  assert.equal(caught!.$metadata.httpStatusCode, status)
  assert.match(caught!.message, message)
  return caught!
}

const PET_SCHEMA = JSON.stringify({
  type: 'object',
  properties: {name: {type: 'string'}, age: {type: 'integer'}, tags: {type: 'array', items: {type: 'string'}}},
})

describe('API Gateway v2: models, DeleteRouteRequestParameter, VPC links (SDK v3 against the emulator)', () => {
  let t: TestEmulator
  let wsId: string
  let httpId: string
  before(async () => {
    t = await startTestEmulator()
    wsId = (
      await t.v2.send(new CreateApiCommand({Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}))
    ).ApiId!
    httpId = (await t.v2.send(new CreateApiCommand({Name: 'http', ProtocolType: 'HTTP'}))).ApiId!
  })
  after(async () => {
    await t.close()
  })

  it('CreateModel/GetModel/GetModels/UpdateModel/DeleteModel on a WebSocket API', async () => {
    // Given a WebSocket API, When a model is created
    const created = await t.v2.send(
      new CreateModelCommand({ApiId: wsId, Name: 'Pet', Schema: PET_SCHEMA, ContentType: 'application/json', Description: 'a pet'}),
    )
    // Then it answers 201 with its id and every member given
    assert.equal(created.$metadata.httpStatusCode, 201)
    assert.match(created.ModelId!, /^[a-z0-9]{6}$/)
    assert.deepEqual(
      {Name: created.Name, Schema: created.Schema, ContentType: created.ContentType, Description: created.Description},
      {Name: 'Pet', Schema: PET_SCHEMA, ContentType: 'application/json', Description: 'a pet'},
    )
    const got = await t.v2.send(new GetModelCommand({ApiId: wsId, ModelId: created.ModelId!}))
    assert.equal(got.Name, 'Pet')
    // And a second one pages
    await t.v2.send(new CreateModelCommand({ApiId: wsId, Name: 'Owner', Schema: '{"type":"object"}'}))
    const first = await t.v2.send(new GetModelsCommand({ApiId: wsId, MaxResults: '1'}))
    assert.equal(first.Items!.length, 1)
    assert.ok(first.NextToken)
    const second = await t.v2.send(new GetModelsCommand({ApiId: wsId, NextToken: first.NextToken!}))
    assert.deepEqual([...first.Items!, ...second.Items!].map((m) => m.Name).sort(), ['Owner', 'Pet'])
    // When it is renamed, Then the new name answers
    const updated = await t.v2.send(new UpdateModelCommand({ApiId: wsId, ModelId: created.ModelId!, Name: 'Animal'}))
    assert.equal(updated.Name, 'Animal')
    assert.equal(updated.Schema, PET_SCHEMA)
    // When deleted (204), Then it is gone with the v2 NotFoundException and its resourceType
    const deleted = await t.v2.send(new DeleteModelCommand({ApiId: wsId, ModelId: created.ModelId!}))
    assert.equal(deleted.$metadata.httpStatusCode, 204)
    const gone = await fails(
      t.v2.send(new GetModelCommand({ApiId: wsId, ModelId: created.ModelId!})),
      'NotFoundException',
      404,
      /^Invalid Model identifier specified /,
    )
    assert.equal(gone.ResourceType, 'Model')
  })

  it('CreateModel validates as the model documents: required members, alphanumeric names, lengths, one name per API', async () => {
    const cases: Array<[string, Record<string, string>, number, RegExp]> = [
      ['a name that is not alphanumeric', {Name: 'pet-model', Schema: '{}'}, 400, /Model name must be alphanumeric/],
      ['a name over 128 characters', {Name: 'a'.repeat(129), Schema: '{}'}, 400, /between 1 and 128/],
      ['a schema that is not JSON', {Name: 'Bad', Schema: '{nope'}, 400, /Invalid model schema specified/],
      ['a description over 1024 characters', {Name: 'Long', Schema: '{}', Description: 'd'.repeat(1025)}, 400, /1024/],
      ['no schema', {Name: 'NoSchema'}, 400, /schema is required/],
    ]
    for (const [what, input, status, message] of cases) {
      // When a model is created with <what>, Then it is refused
      await fails(
        t.v2.send(new CreateModelCommand({ApiId: wsId, ...input} as never)),
        status === 409 ? 'ConflictException' : 'BadRequestException',
        status,
        message,
      ).catch((e) => assert.fail(`${what}: ${(e as Error).message}`))
    }
    // A second model of the same name is a conflict
    await t.v2.send(new CreateModelCommand({ApiId: wsId, Name: 'Twice', Schema: '{}'}))
    await fails(t.v2.send(new CreateModelCommand({ApiId: wsId, Name: 'Twice', Schema: '{}'})), 'ConflictException', 409, /Twice/)
    // An unknown API is a NotFoundException naming it
    await fails(
      t.v2.send(new CreateModelCommand({ApiId: 'nosuchapi', Name: 'X', Schema: '{}'})),
      'NotFoundException',
      404,
      /Invalid API identifier specified 000000000000:nosuchapi/,
    )
  })

  it('refuses models on an HTTP API ("Supported only for WebSocket APIs")', async () => {
    // The API reference says models are supported only for WebSocket APIs; moto's emulator accepts them on HTTP APIs.
    // The documentation wins (issue 15).
    await fails(
      t.v2.send(new CreateModelCommand({ApiId: httpId, Name: 'Pet', Schema: PET_SCHEMA})),
      'BadRequestException',
      400,
      /only for WebSocket APIs/,
    )
  })

  it('GetModelTemplate answers a Velocity template in the form of AWS sample', async () => {
    const model = await t.v2.send(new CreateModelCommand({ApiId: wsId, Name: 'Tmpl', Schema: PET_SCHEMA}))
    const template = await t.v2.send(new GetModelTemplateCommand({ApiId: wsId, ModelId: model.ModelId!}))
    assert.equal(
      template.Value,
      [
        "#set($inputRoot = $input.path('$'))",
        '{',
        '  "name" : "$inputRoot.name",',
        '  "age" : $inputRoot.age,',
        '  "tags" : [',
        '#foreach($elem1 in $inputRoot.tags)',
        '    "$elem1"#if($foreach.hasNext),#end',
        '#end',
        '  ]',
        '}',
      ].join('\n'),
    )
  })

  it('routes name existing models only; a model in use cannot be deleted; a rename follows into the routes', async () => {
    const model = await t.v2.send(new CreateModelCommand({ApiId: wsId, Name: 'Msg', Schema: '{"type":"object"}'}))
    await fails(
      t.v2.send(new CreateRouteCommand({ApiId: wsId, RouteKey: 'send', RequestModels: {$default: 'Nope'}})),
      'BadRequestException',
      400,
      /Invalid model identifier specified: Nope/,
    )
    const route = await t.v2.send(
      new CreateRouteCommand({ApiId: wsId, RouteKey: 'send', ModelSelectionExpression: '$default', RequestModels: {$default: 'Msg'}}),
    )
    await fails(t.v2.send(new DeleteModelCommand({ApiId: wsId, ModelId: model.ModelId!})), 'ConflictException', 409, /in use/)
    await t.v2.send(new UpdateModelCommand({ApiId: wsId, ModelId: model.ModelId!, Name: 'Message'}))
    const after = await t.v2.send(new GetRouteCommand({ApiId: wsId, RouteId: route.RouteId!}))
    assert.deepEqual(after.RequestModels, {$default: 'Message'})
  })

  it('DeleteRouteRequestParameter removes one request parameter of a route', async () => {
    const route = await t.v2.send(
      new CreateRouteCommand({
        ApiId: wsId,
        RouteKey: '$connect',
        RequestParameters: {'route.request.querystring.token': {Required: true}, 'route.request.header.x-a': {Required: false}},
      }),
    )
    const out = await t.v2.send(
      new DeleteRouteRequestParameterCommand({
        ApiId: wsId,
        RouteId: route.RouteId!,
        RequestParameterKey: 'route.request.querystring.token',
      }),
    )
    assert.equal(out.$metadata.httpStatusCode, 204)
    const got = await t.v2.send(new GetRouteCommand({ApiId: wsId, RouteId: route.RouteId!}))
    assert.deepEqual(got.RequestParameters, {'route.request.header.x-a': {Required: false}})
    await fails(
      t.v2.send(
        new DeleteRouteRequestParameterCommand({
          ApiId: wsId,
          RouteId: route.RouteId!,
          RequestParameterKey: 'route.request.querystring.token',
        }),
      ),
      'NotFoundException',
      404,
      /route.request.querystring.token/,
    )
  })

  it('VPC links: PENDING on create, AVAILABLE after, listed, renamed, tagged, refused while in use, deleted with 202', async () => {
    // When a VPC link is created, Then it answers 201 PENDING with AWS's message and version V2
    const link = await t.v2.send(
      new CreateVpcLinkCommand({Name: 'link', SubnetIds: ['subnet-1', 'subnet-2'], SecurityGroupIds: ['sg-1'], Tags: {team: 'a'}}),
    )
    assert.equal(link.$metadata.httpStatusCode, 201)
    assert.equal(link.VpcLinkStatus, 'PENDING')
    assert.equal(link.VpcLinkStatusMessage, 'VPC link is provisioning ENIs')
    assert.equal(link.VpcLinkVersion, 'V2')
    assert.deepEqual(link.SubnetIds, ['subnet-1', 'subnet-2'])
    assert.deepEqual(link.SecurityGroupIds, ['sg-1'])
    assert.ok(link.CreatedDate instanceof Date)
    // And it is AVAILABLE when read again (what waiters poll for)
    const got = await t.v2.send(new GetVpcLinkCommand({VpcLinkId: link.VpcLinkId!}))
    assert.equal(got.VpcLinkStatus, 'AVAILABLE')
    assert.equal(got.VpcLinkStatusMessage, 'VPC link is ready to route traffic')
    const list = await t.v2.send(new GetVpcLinksCommand({}))
    assert.ok(list.Items!.some((l) => l.VpcLinkId === link.VpcLinkId && l.Name === 'link'))
    const renamed = await t.v2.send(new UpdateVpcLinkCommand({VpcLinkId: link.VpcLinkId!, Name: 'renamed'}))
    assert.equal(renamed.Name, 'renamed')
    // Tags by ARN
    const arn = `arn:aws:apigateway:us-east-1::/vpclinks/${link.VpcLinkId}`
    await t.v2.send(new TagResourceCommand({ResourceArn: arn, Tags: {env: 'dev'}}))
    assert.deepEqual((await t.v2.send(new GetTagsCommand({ResourceArn: arn}))).Tags, {team: 'a', env: 'dev'})
    // A private integration must name an existing link; one in use cannot be deleted
    const integration = {
      ApiId: httpId,
      IntegrationType: 'HTTP_PROXY' as const,
      IntegrationMethod: 'ANY',
      ConnectionType: 'VPC_LINK' as const,
    }
    const uri = 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/x/1/2'
    await fails(
      t.v2.send(new CreateIntegrationCommand({...integration, IntegrationUri: uri, ConnectionId: 'nolink', PayloadFormatVersion: '1.0'})),
      'NotFoundException',
      404,
      /Invalid VpcLink identifier specified nolink/,
    )
    await t.v2.send(
      new CreateIntegrationCommand({...integration, IntegrationUri: uri, ConnectionId: link.VpcLinkId!, PayloadFormatVersion: '1.0'}),
    )
    await fails(t.v2.send(new DeleteVpcLinkCommand({VpcLinkId: link.VpcLinkId!})), 'ConflictException', 409, /in use/)
    // A link nothing uses is deleted with 202 and is gone
    const spare = await t.v2.send(new CreateVpcLinkCommand({Name: 'spare', SubnetIds: ['subnet-3']}))
    const deleted = await t.v2.send(new DeleteVpcLinkCommand({VpcLinkId: spare.VpcLinkId!}))
    assert.equal(deleted.$metadata.httpStatusCode, 202)
    await fails(t.v2.send(new GetVpcLinkCommand({VpcLinkId: spare.VpcLinkId!})), 'NotFoundException', 404, /VpcLink/)
    // Required members
    await fails(t.v2.send(new CreateVpcLinkCommand({Name: 'x'} as never)), 'BadRequestException', 400, /subnetIds is required/)
    await fails(t.v2.send(new CreateVpcLinkCommand({SubnetIds: ['s']} as never)), 'BadRequestException', 400, /name is required/)
  })

  it('integration types by protocol, in AWS words for an HTTP API', async () => {
    // AWS's message as reported in aws/aws-cli#6363
    await fails(
      t.v2.send(new CreateIntegrationCommand({ApiId: httpId, IntegrationType: 'AWS', IntegrationUri: 'arn:aws:lambda:x'})),
      'BadRequestException',
      400,
      /^Currently, an API with a protocol type of HTTP may only be associated with proxy integrations \(AWS_PROXY, HTTP_PROXY\)$/,
    )
    const mock = await t.v2.send(new CreateIntegrationCommand({ApiId: wsId, IntegrationType: 'MOCK'}))
    assert.equal(mock.IntegrationType, 'MOCK')
    await fails(
      t.v2.send(new CreateIntegrationCommand({ApiId: wsId, IntegrationType: 'LAMBDA' as never})),
      'BadRequestException',
      400,
      /Invalid integration type: LAMBDA/,
    )
    // A route of a WebSocket API updates its request parameters too
    const r = await t.v2.send(new CreateRouteCommand({ApiId: wsId, RouteKey: 'other'}))
    await t.v2.send(new UpdateRouteCommand({ApiId: wsId, RouteId: r.RouteId!, RouteKey: 'other2'}))
  })
})
