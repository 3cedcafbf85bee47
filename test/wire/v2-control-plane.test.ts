import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiCommand,
  CreateAuthorizerCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteAuthorizerCommand,
  DeleteCorsConfigurationCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  GetApiCommand,
  GetApisCommand,
  GetAuthorizerCommand,
  GetAuthorizersCommand,
  GetDeploymentCommand,
  GetDeploymentsCommand,
  GetIntegrationCommand,
  GetIntegrationsCommand,
  ListPortalsCommand,
  GetRouteCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  NotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateApiCommand,
  UpdateAuthorizerCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

type Meta = {$metadata: {httpStatusCode?: number}}
const status = (out: Meta): number | undefined => out.$metadata.httpStatusCode

describe('API Gateway v2 control plane (SDK v3 against the emulator)', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator({region: 'eu-west-1'})
  })
  after(async () => {
    await t.close()
  })

  it('CreateApi answers 201 with AWS defaults, the regional endpoint and a Date', async () => {
    // Given a name and HTTP, When the API is created
    const out = await t.v2.send(new CreateApiCommand({Name: 'plain', ProtocolType: 'HTTP', Description: 'd', Tags: {team: 'a'}}))
    // Then it carries the members AWS fills in
    assert.equal(status(out), 201)
    assert.match(out.ApiId!, /^[a-z0-9]{10}$/)
    assert.equal(out.ApiEndpoint, `https://${out.ApiId}.execute-api.eu-west-1.amazonaws.com`)
    assert.equal(out.RouteSelectionExpression, '$request.method $request.path')
    assert.equal(out.ApiKeySelectionExpression, '$request.header.x-api-key')
    assert.equal(out.DisableExecuteApiEndpoint, false)
    assert.ok(out.CreatedDate instanceof Date)
    assert.deepEqual(out.Tags, {team: 'a'})
    const got = await t.v2.send(new GetApiCommand({ApiId: out.ApiId}))
    assert.equal(got.Name, 'plain')
    assert.equal(got.Description, 'd')
  })

  it('speaks camelCase JSON with ISO-8601 dates on the wire', async () => {
    // Given an API, When it is read with a raw HTTP call
    const created = await t.v2.send(new CreateApiCommand({Name: 'raw', ProtocolType: 'HTTP'}))
    const res = await fetch(`${t.url}/v2/apis/${created.ApiId}`, {headers: SIGNED})
    const body = (await res.json()) as Record<string, unknown>
    // Then member names are camelCase and the date is an ISO string
    assert.equal(res.status, 200)
    assert.equal(body.apiId, created.ApiId)
    assert.equal(body.protocolType, 'HTTP')
    assert.match(String(body.createdDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    assert.ok(!('ApiId' in body))
  })

  it('answers unknown ids with NotFoundException, a resourceType and AWS wording', async () => {
    // Given no API "nope0000aa", When it is read, Then the error is AWS's
    const res = await fetch(`${t.url}/v2/apis/nope0000aa`, {headers: SIGNED})
    assert.equal(res.status, 404)
    assert.equal(res.headers.get('x-amzn-errortype'), 'NotFoundException')
    const body = (await res.json()) as {message: string; resourceType: string}
    assert.equal(body.message, 'Invalid API identifier specified 000000000000:nope0000aa')
    assert.equal(body.resourceType, 'Api')
    await assert.rejects(t.v2.send(new GetApiCommand({ApiId: 'nope0000aa'})), (e: unknown) => e instanceof NotFoundException)
  })

  it('validates CreateApi input with BadRequestException', async () => {
    const cases: Array<{name: string; input: Record<string, unknown>}> = [
      {name: 'bad protocol', input: {name: 'x', protocolType: 'REST'}},
      {name: 'missing name', input: {protocolType: 'HTTP'}},
      {name: 'websocket without route selection', input: {name: 'w', protocolType: 'WEBSOCKET'}},
      {name: 'wrong member type', input: {name: 'x', protocolType: 'HTTP', disableExecuteApiEndpoint: 'yes'}},
    ]
    for (const c of cases) {
      // Given an invalid body, When CreateApi is called, Then 400 BadRequestException
      const res = await fetch(`${t.url}/v2/apis`, {
        method: 'POST',
        body: JSON.stringify(c.input),
        headers: {...SIGNED, 'content-type': 'application/json'},
      })
      assert.equal(res.status, 400, c.name)
      assert.equal(res.headers.get('x-amzn-errortype'), 'BadRequestException', c.name)
    }
    // And a body that is not JSON is a SerializationException, never a crash
    const broken = await fetch(`${t.url}/v2/apis`, {
      method: 'POST',
      body: '{"name": ',
      headers: {...SIGNED, 'content-type': 'application/json'},
    })
    assert.equal(broken.status, 400)
    assert.equal(broken.headers.get('x-amzn-errortype'), 'SerializationException')
    const importBroken = await fetch(`${t.url}/v2/apis`, {
      method: 'PUT',
      body: JSON.stringify({body: 42}),
      headers: {...SIGNED, 'content-type': 'application/json'},
    })
    assert.equal(importBroken.status, 400)
    assert.equal(importBroken.headers.get('x-amzn-errortype'), 'BadRequestException')
  })

  it('quick create makes a route, an integration and an auto-deployed $default stage', async () => {
    // Given a Lambda target, When the API is quick-created
    const lambda = 'arn:aws:lambda:eu-west-1:000000000000:function:hello'
    const api = await t.v2.send(new CreateApiCommand({Name: 'quick', ProtocolType: 'HTTP', Target: lambda, RouteKey: 'GET /hello'}))
    // Then, as AWS does, a managed route targets a managed AWS_PROXY integration
    const routes = await t.v2.send(new GetRoutesCommand({ApiId: api.ApiId}))
    assert.equal(routes.Items?.length, 1)
    const route = routes.Items![0]!
    assert.equal(route.RouteKey, 'GET /hello')
    assert.equal(route.ApiGatewayManaged, true)
    const integrations = await t.v2.send(new GetIntegrationsCommand({ApiId: api.ApiId}))
    const integration = integrations.Items![0]!
    assert.equal(route.Target, `integrations/${integration.IntegrationId}`)
    assert.equal(integration.IntegrationType, 'AWS_PROXY')
    assert.equal(integration.IntegrationUri, lambda)
    assert.equal(integration.PayloadFormatVersion, '2.0')
    // And a $default stage with autoDeploy already points at an automatic deployment
    const stage = await t.v2.send(new GetStageCommand({ApiId: api.ApiId, StageName: '$default'}))
    assert.equal(stage.AutoDeploy, true)
    assert.ok(stage.DeploymentId)
    assert.equal(stage.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${stage.DeploymentId}'`)
    const deployment = await t.v2.send(new GetDeploymentCommand({ApiId: api.ApiId, DeploymentId: stage.DeploymentId}))
    assert.equal(deployment.AutoDeployed, true)
    assert.equal(deployment.DeploymentStatus, 'DEPLOYED')
  })

  it('quick create with an HTTP URL makes an HTTP_PROXY integration with payload 1.0', async () => {
    const api = await t.v2.send(new CreateApiCommand({Name: 'quick-http', ProtocolType: 'HTTP', Target: 'https://example.com'}))
    const integration = (await t.v2.send(new GetIntegrationsCommand({ApiId: api.ApiId}))).Items![0]!
    assert.equal(integration.IntegrationType, 'HTTP_PROXY')
    assert.equal(integration.PayloadFormatVersion, '1.0')
    const route = (await t.v2.send(new GetRoutesCommand({ApiId: api.ApiId}))).Items![0]!
    assert.equal(route.RouteKey, '$default')
  })

  it('pages GetApis with maxResults and nextToken', async () => {
    // Given several APIs, When pages of 2 are read
    for (let i = 0; i < 3; i++) await t.v2.send(new CreateApiCommand({Name: `page-${i}`, ProtocolType: 'HTTP'}))
    const first = await t.v2.send(new GetApisCommand({MaxResults: '2'}))
    // Then each page has at most 2 and following nextToken sees them all once
    assert.equal(first.Items?.length, 2)
    assert.ok(first.NextToken)
    const all: string[] = []
    let token: string | undefined
    do {
      const p = await t.v2.send(new GetApisCommand({MaxResults: '2', NextToken: token}))
      all.push(...(p.Items ?? []).map((a) => a.ApiId!))
      token = p.NextToken
    } while (token)
    const total = (await t.v2.send(new GetApisCommand({}))).Items!.length
    assert.equal(all.length, total)
    assert.equal(new Set(all).size, total)
    await assert.rejects(t.v2.send(new GetApisCommand({NextToken: '@@@'})), /Invalid nextToken/)
  })

  it('UpdateApi changes members and DeleteApi answers 204', async () => {
    const api = await t.v2.send(new CreateApiCommand({Name: 'upd', ProtocolType: 'HTTP'}))
    const updated = await t.v2.send(
      new UpdateApiCommand({ApiId: api.ApiId, Name: 'upd2', Version: '2', CorsConfiguration: {AllowOrigins: ['*'], MaxAge: 60}}),
    )
    assert.equal(updated.Name, 'upd2')
    assert.equal(updated.Version, '2')
    assert.deepEqual(updated.CorsConfiguration, {AllowOrigins: ['*'], MaxAge: 60})
    await t.v2.send(new DeleteCorsConfigurationCommand({ApiId: api.ApiId}))
    assert.equal((await t.v2.send(new GetApiCommand({ApiId: api.ApiId}))).CorsConfiguration, undefined)
    const deleted = await t.v2.send(new DeleteApiCommand({ApiId: api.ApiId}))
    assert.equal(status(deleted), 204)
    await assert.rejects(t.v2.send(new GetApiCommand({ApiId: api.ApiId})), NotFoundException)
  })

  it('creates, reads, updates and deletes routes, integrations and authorizers', async () => {
    const {ApiId} = await t.v2.send(new CreateApiCommand({Name: 'crud', ProtocolType: 'HTTP'}))
    // Given an integration and a JWT authorizer
    const integration = await t.v2.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://backend.example.com/{proxy}',
        IntegrationMethod: 'ANY',
        PayloadFormatVersion: '1.0',
      }),
    )
    assert.equal(status(integration), 201)
    assert.equal(integration.TimeoutInMillis, 30000)
    assert.equal(integration.ConnectionType, 'INTERNET')
    const authorizer = await t.v2.send(
      new CreateAuthorizerCommand({
        ApiId,
        Name: 'jwt',
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {Issuer: 'https://issuer.example.com', Audience: ['aud']},
      }),
    )
    assert.equal(status(authorizer), 201)
    // When a route uses both
    const route = await t.v2.send(
      new CreateRouteCommand({
        ApiId,
        RouteKey: 'GET /items/{id}',
        Target: `integrations/${integration.IntegrationId}`,
        AuthorizationType: 'JWT',
        AuthorizerId: authorizer.AuthorizerId,
        AuthorizationScopes: ['read'],
      }),
    )
    assert.equal(status(route), 201)
    // Then each reads back
    const gotRoute = await t.v2.send(new GetRouteCommand({ApiId, RouteId: route.RouteId}))
    assert.equal(gotRoute.AuthorizerId, authorizer.AuthorizerId)
    assert.deepEqual(gotRoute.AuthorizationScopes, ['read'])
    assert.equal(
      (await t.v2.send(new GetIntegrationCommand({ApiId, IntegrationId: integration.IntegrationId}))).IntegrationUri,
      'https://backend.example.com/{proxy}',
    )
    assert.deepEqual((await t.v2.send(new GetAuthorizerCommand({ApiId, AuthorizerId: authorizer.AuthorizerId}))).JwtConfiguration, {
      Issuer: 'https://issuer.example.com',
      Audience: ['aud'],
    })
    assert.equal((await t.v2.send(new GetAuthorizersCommand({ApiId}))).Items?.length, 1)
    // And a duplicate route key is a conflict, a bad target a bad request
    await assert.rejects(t.v2.send(new CreateRouteCommand({ApiId, RouteKey: 'GET /items/{id}'})), {name: 'ConflictException'})
    await assert.rejects(t.v2.send(new CreateRouteCommand({ApiId, RouteKey: 'GET /x', Target: 'integrations/nope'})), {
      name: 'BadRequestException',
    })
    await assert.rejects(t.v2.send(new CreateRouteCommand({ApiId, RouteKey: 'FETCH /x'})), {name: 'BadRequestException'})
    // Updates
    const updatedRoute = await t.v2.send(new UpdateRouteCommand({ApiId, RouteId: route.RouteId, RouteKey: 'GET /items/{itemId}'}))
    assert.equal(updatedRoute.RouteKey, 'GET /items/{itemId}')
    const updatedIntegration = await t.v2.send(
      new UpdateIntegrationCommand({ApiId, IntegrationId: integration.IntegrationId, TimeoutInMillis: 5000}),
    )
    assert.equal(updatedIntegration.TimeoutInMillis, 5000)
    const updatedAuthorizer = await t.v2.send(new UpdateAuthorizerCommand({ApiId, AuthorizerId: authorizer.AuthorizerId, Name: 'jwt2'}))
    assert.equal(updatedAuthorizer.Name, 'jwt2')
    // In-use integrations and authorizers cannot be deleted; after the route goes, they can (204)
    await assert.rejects(t.v2.send(new DeleteIntegrationCommand({ApiId, IntegrationId: integration.IntegrationId})), {
      name: 'ConflictException',
    })
    await assert.rejects(t.v2.send(new DeleteAuthorizerCommand({ApiId, AuthorizerId: authorizer.AuthorizerId})), {
      name: 'ConflictException',
    })
    assert.equal(status(await t.v2.send(new DeleteRouteCommand({ApiId, RouteId: route.RouteId}))), 204)
    assert.equal(status(await t.v2.send(new DeleteIntegrationCommand({ApiId, IntegrationId: integration.IntegrationId}))), 204)
    assert.equal(status(await t.v2.send(new DeleteAuthorizerCommand({ApiId, AuthorizerId: authorizer.AuthorizerId}))), 204)
    await assert.rejects(t.v2.send(new GetRouteCommand({ApiId, RouteId: route.RouteId})), (e: unknown) => e instanceof NotFoundException)
  })

  it('refuses integration types HTTP APIs do not have', async () => {
    const {ApiId} = await t.v2.send(new CreateApiCommand({Name: 'types', ProtocolType: 'HTTP'}))
    for (const type of ['MOCK', 'AWS', 'HTTP'] as const) {
      await assert.rejects(
        t.v2.send(new CreateIntegrationCommand({ApiId, IntegrationType: type, IntegrationUri: 'https://x'})),
        {name: 'BadRequestException'},
        type,
      )
    }
  })

  it('deploys snapshots to stages, updates stages and guards deployments in use', async () => {
    const {ApiId} = await t.v2.send(new CreateApiCommand({Name: 'stages', ProtocolType: 'HTTP'}))
    const integration = await t.v2.send(
      new CreateIntegrationCommand({
        ApiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationUri: 'https://a.example.com',
        IntegrationMethod: 'GET',
      }),
    )
    await t.v2.send(new CreateRouteCommand({ApiId, RouteKey: 'GET /a', Target: `integrations/${integration.IntegrationId}`}))
    // Given a stage, When a deployment names it
    const stage = await t.v2.send(new CreateStageCommand({ApiId, StageName: 'dev', StageVariables: {v: '1'}}))
    assert.equal(status(stage), 201)
    assert.equal(stage.AutoDeploy, false)
    assert.equal(stage.DeploymentId, undefined)
    const deployment = await t.v2.send(new CreateDeploymentCommand({ApiId, StageName: 'dev', Description: 'first'}))
    // Then the deployment is DEPLOYED and the stage points at it
    assert.equal(status(deployment), 201)
    assert.equal(deployment.DeploymentStatus, 'DEPLOYED')
    assert.equal(deployment.AutoDeployed, false)
    assert.equal((await t.v2.send(new GetStageCommand({ApiId, StageName: 'dev'}))).DeploymentId, deployment.DeploymentId)
    assert.equal((await t.v2.send(new GetDeploymentsCommand({ApiId}))).Items?.length, 1)
    // A stage name that exists is a conflict; an unknown stage a NotFound
    await assert.rejects(t.v2.send(new CreateStageCommand({ApiId, StageName: 'dev'})), {name: 'ConflictException'})
    await assert.rejects(t.v2.send(new CreateDeploymentCommand({ApiId, StageName: 'nope'})), NotFoundException)
    // UpdateStage takes a plain JSON body
    const updated = await t.v2.send(
      new UpdateStageCommand({
        ApiId,
        StageName: 'dev',
        Description: 'development',
        StageVariables: {w: '2'},
        DefaultRouteSettings: {ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5, DetailedMetricsEnabled: true},
        RouteSettings: {'GET /a': {ThrottlingBurstLimit: 1}},
        AccessLogSettings: {DestinationArn: 'arn:aws:logs:eu-west-1:000000000000:log-group:access', Format: '$context.requestId'},
      }),
    )
    assert.equal(updated.Description, 'development')
    assert.deepEqual(updated.StageVariables, {v: '1', w: '2'})
    assert.deepEqual(updated.DefaultRouteSettings, {DetailedMetricsEnabled: true, ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5})
    assert.deepEqual(updated.RouteSettings, {'GET /a': {ThrottlingBurstLimit: 1}})
    assert.equal(updated.AccessLogSettings?.Format, '$context.requestId')
    await assert.rejects(
      t.v2.send(
        new UpdateStageCommand({
          ApiId,
          StageName: 'dev',
          AccessLogSettings: {DestinationArn: 'arn:aws:logs:eu-west-1:000000000000:log-group:access:*'},
        }),
      ),
      {name: 'BadRequestException'},
    )
    assert.equal((await t.v2.send(new GetStagesCommand({ApiId}))).Items?.length, 1)
    // The deployment in use cannot be deleted; once the stage is gone it can
    await assert.rejects(
      t.v2.send(new DeleteDeploymentCommand({ApiId, DeploymentId: deployment.DeploymentId})),
      /Active stages pointing to this deployment/,
    )
    assert.equal(status(await t.v2.send(new DeleteStageCommand({ApiId, StageName: 'dev'}))), 204)
    assert.equal(status(await t.v2.send(new DeleteDeploymentCommand({ApiId, DeploymentId: deployment.DeploymentId}))), 204)
    await assert.rejects(t.v2.send(new GetStageCommand({ApiId, StageName: 'dev'})), (e: NotFoundException) => {
      assert.equal((e as unknown as {ResourceType?: string}).ResourceType, 'Stage')
      return true
    })
  })

  it('honours autoDeploy: every configuration change makes a new automatic deployment', async () => {
    const {ApiId} = await t.v2.send(new CreateApiCommand({Name: 'auto', ProtocolType: 'HTTP'}))
    // Given a stage with autoDeploy, which is deployed at once
    const stage = await t.v2.send(new CreateStageCommand({ApiId, StageName: 'live', AutoDeploy: true}))
    assert.ok(stage.DeploymentId)
    const changes: Array<() => Promise<unknown>> = [
      () =>
        t.v2.send(
          new CreateIntegrationCommand({
            ApiId,
            IntegrationType: 'HTTP_PROXY',
            IntegrationUri: 'https://b.example.com',
            IntegrationMethod: 'ANY',
          }),
        ),
      () => t.v2.send(new CreateRouteCommand({ApiId, RouteKey: 'ANY /b'})),
      () => t.v2.send(new UpdateApiCommand({ApiId, Description: 'changed'})),
    ]
    let previous: string | undefined = stage.DeploymentId
    for (const change of changes) {
      // When the configuration changes
      await change()
      // Then the stage moved to a new automatic deployment
      const now = await t.v2.send(new GetStageCommand({ApiId, StageName: 'live'}))
      assert.notEqual(now.DeploymentId, previous)
      assert.equal(now.LastDeploymentStatusMessage, `Successfully deployed stage with deployment ID '${now.DeploymentId}'`)
      const d = await t.v2.send(new GetDeploymentCommand({ApiId, DeploymentId: now.DeploymentId}))
      assert.equal(d.AutoDeployed, true)
      assert.equal(d.Description, 'Automatic deployment triggered by changes to the Api configuration')
      previous = now.DeploymentId
    }
    // And a stage without autoDeploy does not move
    const manual = await t.v2.send(new CreateStageCommand({ApiId, StageName: 'manual'}))
    await t.v2.send(new CreateRouteCommand({ApiId, RouteKey: 'GET /c'}))
    assert.equal((await t.v2.send(new GetStageCommand({ApiId, StageName: 'manual'}))).DeploymentId, manual.DeploymentId)
  })

  it('tags APIs and stages by ARN', async () => {
    const {ApiId} = await t.v2.send(new CreateApiCommand({Name: 'tags', ProtocolType: 'HTTP', Tags: {a: '1'}}))
    await t.v2.send(new CreateStageCommand({ApiId, StageName: 'dev'}))
    const cases = [`arn:aws:apigateway:eu-west-1::/apis/${ApiId}`, `arn:aws:apigateway:eu-west-1::/apis/${ApiId}/stages/dev`]
    for (const arn of cases) {
      // Given a resource, When tags are added and removed
      const tagged = await t.v2.send(new TagResourceCommand({ResourceArn: arn, Tags: {b: '2', c: '3'}}))
      assert.equal(status(tagged), 201)
      const untagged = await t.v2.send(new UntagResourceCommand({ResourceArn: arn, TagKeys: ['c']}))
      assert.equal(status(untagged), 204)
      // Then GetTags shows the result
      const tags = (await t.v2.send(new GetTagsCommand({ResourceArn: arn}))).Tags
      assert.equal(tags?.b, '2')
      assert.equal(tags?.c, undefined)
    }
    assert.deepEqual((await t.v2.send(new GetApiCommand({ApiId}))).Tags, {a: '1', b: '2'})
    await assert.rejects(t.v2.send(new GetTagsCommand({ResourceArn: 'arn:aws:apigateway:eu-west-1::/apis/nope'})), NotFoundException)
  })

  it('answers a known but unimplemented operation with 501 naming it', async () => {
    // (developer portals are not emulated, for good: issue 15)
    await assert.rejects(t.v2.send(new ListPortalsCommand({})), (e: Error & Meta) => {
      assert.equal(e.$metadata.httpStatusCode, 501)
      assert.match(e.message, /ListPortals/)
      return true
    })
  })

  it('accepts and stores a WEBSOCKET API', async () => {
    const ws = await t.v2.send(
      new CreateApiCommand({Name: 'ws', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}),
    )
    assert.equal(ws.ApiEndpoint, `wss://${ws.ApiId}.execute-api.eu-west-1.amazonaws.com`)
    const route = await t.v2.send(new CreateRouteCommand({ApiId: ws.ApiId, RouteKey: '$connect'}))
    assert.equal(route.RouteKey, '$connect')
    const mock = await t.v2.send(new CreateIntegrationCommand({ApiId: ws.ApiId, IntegrationType: 'MOCK'}))
    assert.equal(mock.IntegrationType, 'MOCK')
  })
})

describe('API Gateway v2 state across a restart', () => {
  it('keeps APIs, routes, stages and deployment snapshots in the state directory', async () => {
    const dataDir = tempDir('apigw-v2-restart-')
    try {
      // Given a quick-created API on a first server
      const first = await startTestEmulator({dataDir})
      const api = await first.v2.send(new CreateApiCommand({Name: 'persist', ProtocolType: 'HTTP', Target: 'https://example.com'}))
      const stage = await first.v2.send(new GetStageCommand({ApiId: api.ApiId, StageName: '$default'}))
      await first.close()
      // When a second server opens the same directory
      const second = await startTestEmulator({dataDir})
      try {
        // Then everything is there
        assert.equal((await second.v2.send(new GetApiCommand({ApiId: api.ApiId}))).Name, 'persist')
        assert.equal((await second.v2.send(new GetRoutesCommand({ApiId: api.ApiId}))).Items?.length, 1)
        assert.equal(
          (await second.v2.send(new GetStageCommand({ApiId: api.ApiId, StageName: '$default'}))).DeploymentId,
          stage.DeploymentId,
        )
        assert.equal(
          (await second.v2.send(new GetDeploymentCommand({ApiId: api.ApiId, DeploymentId: stage.DeploymentId}))).AutoDeployed,
          true,
        )
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
