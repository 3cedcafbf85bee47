/**
 * Custom domain names through the real SDK clients against the in-process emulator: v1 domain names (REGIONAL,
 * EDGE, PRIVATE), base path mappings and their conflicts, access associations; v2 domain names, API mappings and
 * routing rules over the same documents; and the data plane routing a mapped Host (or `/_aws/domain/{name}/…`)
 * to the mapped REST or HTTP API stage with the base path stripped.
 * Messages: AWS answers quoted in public issues (see src/local/control-plane/domain-names.ts).
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateBasePathMappingCommand,
  CreateDeploymentCommand,
  CreateDomainNameAccessAssociationCommand,
  CreateDomainNameCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  GetBasePathMappingCommand,
  GetBasePathMappingsCommand,
  GetDomainNameAccessAssociationsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  ImportRestApiCommand,
  UpdateBasePathMappingCommand,
  UpdateDomainNameCommand,
} from '@aws-sdk/client-api-gateway'
import {
  CreateApiCommand,
  CreateApiMappingCommand,
  CreateDomainNameCommand as CreateDomainNameV2Command,
  CreateRoutingRuleCommand,
  CreateRouteCommand,
  CreateIntegrationCommand,
  CreateStageCommand,
  DeleteApiMappingCommand,
  DeleteRoutingRuleCommand,
  GetApiMappingsCommand,
  GetDomainNameCommand as GetDomainNameV2Command,
  GetDomainNamesCommand as GetDomainNamesV2Command,
  GetRoutingRuleCommand,
  ListRoutingRulesCommand,
  PutRoutingRuleCommand,
  UpdateApiMappingCommand,
  UpdateDomainNameCommand as UpdateDomainNameV2Command,
} from '@aws-sdk/client-apigatewayv2'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rawRequest} from '../helpers/raw-http.ts'
import {rejectsWith} from '../helpers/rejects.ts'

const rejects = (p: Promise<unknown>, name: string, message?: string) => rejectsWith(p, {name, ...(message ? {message} : {})})

const REGIONAL_CERT = 'arn:aws:acm:us-east-1:000000000000:certificate/11111111-2222-3333-4444-555555555555'
const WEST_CERT = 'arn:aws:acm:eu-west-1:000000000000:certificate/11111111-2222-3333-4444-555555555555'

/** A REST API whose MOCK methods answer where they were called: the path, $context.domainName and domainPrefix. */
function restSpec(title: string) {
  const echo = {
    responses: {'200': {description: 'ok'}},
    'x-amazon-apigateway-integration': {
      type: 'mock',
      requestTemplates: {'application/json': '{"statusCode": 200}'},
      responses: {
        default: {
          statusCode: '200',
          responseTemplates: {
            'application/json':
              `{"api":"${title}","resource":"$context.resourcePath","stage":"$context.stage",` +
              '"domainName":"$context.domainName","domainPrefix":"$context.domainPrefix","path":"$context.path"}',
          },
        },
      },
    },
  }
  return JSON.stringify({
    openapi: '3.0.1',
    info: {title, version: '1'},
    paths: {'/': {get: echo}, '/pets': {get: echo}, '/pets/{id}': {get: echo}},
  })
}

describe('custom domain names: control plane (v1 and v2) and data plane', () => {
  let t: TestEmulator
  let pets: string
  let orders: string
  let http: string
  before(async () => {
    t = await startTestEmulator()
    for (const [name, set] of [
      ['pets', (id: string) => (pets = id)],
      ['orders', (id: string) => (orders = id)],
    ] as const) {
      const api = await t.v1.send(new ImportRestApiCommand({body: Buffer.from(restSpec(name))}))
      set(api.id!)
      await t.v1.send(new CreateDeploymentCommand({restApiId: api.id!, stageName: 'prod'}))
    }
    const h = await t.v2.send(new CreateApiCommand({Name: 'h', ProtocolType: 'HTTP'}))
    http = h.ApiId!
    const integ = await t.v2.send(
      new CreateIntegrationCommand({
        ApiId: http,
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        IntegrationUri: 'http://127.0.0.1:9/x',
        PayloadFormatVersion: '1.0',
      }),
    )
    await t.v2.send(new CreateRouteCommand({ApiId: http, RouteKey: 'GET /nowhere', Target: `integrations/${integ.IntegrationId}`}))
    await t.v2.send(new CreateStageCommand({ApiId: http, StageName: '$default', AutoDeploy: true}))
  })
  after(async () => {
    await t.close()
  })

  it('creates a REGIONAL domain name with the regional target AWS returns, and lists it through v1 and v2', async () => {
    // Given a regional certificate in the domain's region, When CreateDomainName runs
    const d = await t.v1.send(
      new CreateDomainNameCommand({
        domainName: 'api.example.com',
        regionalCertificateArn: REGIONAL_CERT,
        endpointConfiguration: {types: ['REGIONAL']},
      }),
    )
    // Then it is AVAILABLE with a d-… execute-api target and the region's hosted zone
    assert.equal(d.domainNameStatus, 'AVAILABLE')
    assert.match(d.regionalDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/)
    assert.equal(d.regionalHostedZoneId, 'Z1UJRXOUMOOFQ8')
    assert.equal(d.regionalCertificateArn, REGIONAL_CERT)
    assert.equal(d.securityPolicy, 'TLS_1_2')
    assert.deepEqual(d.endpointConfiguration, {types: ['REGIONAL'], ipAddressType: 'ipv4'})
    assert.equal(d.distributionDomainName, undefined)
    assert.equal(d.routingMode, 'BASE_PATH_MAPPING_ONLY')
    // And v2 sees the same domain name with ApiGatewayDomainName = the regional target
    const v2 = await t.v2.send(new GetDomainNameV2Command({DomainName: 'api.example.com'}))
    assert.equal(v2.DomainNameConfigurations?.[0]?.ApiGatewayDomainName, d.regionalDomainName)
    assert.equal(v2.DomainNameConfigurations?.[0]?.DomainNameStatus, 'AVAILABLE')
    assert.equal(v2.DomainNameConfigurations?.[0]?.EndpointType, 'REGIONAL')
    assert.equal(v2.ApiMappingSelectionExpression, '$request.basepath')
    const list = await t.v1.send(new GetDomainNamesCommand({}))
    assert.ok(list.items?.some((x) => x.domainName === 'api.example.com'))
  })

  it('creates an EDGE domain name with a CloudFront target, and refuses certificates in the wrong region', async () => {
    const d = await t.v1.send(new CreateDomainNameCommand({domainName: 'edge.example.com', certificateArn: REGIONAL_CERT}))
    assert.match(d.distributionDomainName!, /^d[a-z0-9]{13}\.cloudfront\.net$/)
    assert.equal(d.distributionHostedZoneId, 'Z2FDTNDATAQYW2')
    assert.deepEqual(d.endpointConfiguration?.types, ['EDGE'])
    // An EDGE certificate outside us-east-1, a REGIONAL one outside the domain's region: AWS's message
    await rejects(
      t.v1.send(new CreateDomainNameCommand({domainName: 'edge2.example.com', certificateArn: WEST_CERT})),
      'BadRequestException',
      `Invalid certificate ARN: ${WEST_CERT}. Certificate must be in 'us-east-1'.`,
    )
    await rejects(
      t.v1.send(
        new CreateDomainNameCommand({
          domainName: 'r2.example.com',
          regionalCertificateArn: WEST_CERT,
          endpointConfiguration: {types: ['REGIONAL']},
        }),
      ),
      'BadRequestException',
      `Invalid certificate ARN: ${WEST_CERT}. Certificate must be in 'us-east-1'.`,
    )
    // A name that exists
    await rejects(
      t.v1.send(new CreateDomainNameCommand({domainName: 'edge.example.com', certificateArn: REGIONAL_CERT})),
      'BadRequestException',
      'The domain name you provided already exists.',
    )
    // UpdateDomainName replaces the security policy; an unknown path is refused
    const u = await t.v1.send(
      new UpdateDomainNameCommand({
        domainName: 'edge.example.com',
        patchOperations: [{op: 'replace', path: '/securityPolicy', value: 'TLS_1_0'}],
      }),
    )
    assert.equal(u.securityPolicy, 'TLS_1_0')
    await rejects(
      t.v1.send(
        new UpdateDomainNameCommand({domainName: 'edge.example.com', patchOperations: [{op: 'replace', path: '/nope', value: 'x'}]}),
      ),
      'BadRequestException',
    )
    await t.v1.send(new DeleteDomainNameCommand({domainName: 'edge.example.com'}))
    await rejects(
      t.v1.send(new GetDomainNameCommand({domainName: 'edge.example.com'})),
      'NotFoundException',
      'Invalid domain name identifier specified',
    )
  })

  it('maps base paths with AWS conflicts: a base path twice, (none) next to others, a stage that does not exist', async () => {
    // Given two REST APIs under v1 and v2 of api.example.com
    const a = await t.v1.send(
      new CreateBasePathMappingCommand({domainName: 'api.example.com', restApiId: pets, stage: 'prod', basePath: 'v1'}),
    )
    assert.deepEqual({basePath: a.basePath, restApiId: a.restApiId, stage: a.stage}, {basePath: 'v1', restApiId: pets, stage: 'prod'})
    await t.v1.send(
      new CreateBasePathMappingCommand({domainName: 'api.example.com', restApiId: orders, stage: 'prod', basePath: 'shop/orders'}),
    )
    // Then a base path used twice is a 409
    await rejects(
      t.v1.send(new CreateBasePathMappingCommand({domainName: 'api.example.com', restApiId: orders, stage: 'prod', basePath: 'v1'})),
      'ConflictException',
      'Base path already exists for this domain name',
    )
    // And the empty base path next to others is a 409
    await rejects(
      t.v1.send(new CreateBasePathMappingCommand({domainName: 'api.example.com', restApiId: orders, stage: 'prod'})),
      'ConflictException',
      'Only one base path mapping is allowed if the base path is empty.',
    )
    // And a stage or an API that does not exist
    await rejects(
      t.v1.send(new CreateBasePathMappingCommand({domainName: 'api.example.com', restApiId: orders, stage: 'nope', basePath: 'x'})),
      'BadRequestException',
      'Invalid stage identifier specified',
    )
    await rejects(
      t.v1.send(new CreateBasePathMappingCommand({domainName: 'api.example.com', restApiId: 'zzzzzzzzzz', stage: 'prod', basePath: 'x'})),
      'BadRequestException',
      'Invalid REST API identifier specified',
    )
    await rejects(
      t.v1.send(new CreateBasePathMappingCommand({domainName: 'nope.example.com', restApiId: orders, stage: 'prod'})),
      'NotFoundException',
      'Invalid domain name identifier specified',
    )
    // GetBasePathMapping(s) and the v2 view of the same mappings
    const got = await t.v1.send(new GetBasePathMappingCommand({domainName: 'api.example.com', basePath: 'shop/orders'}))
    assert.equal(got.restApiId, orders)
    const all = await t.v1.send(new GetBasePathMappingsCommand({domainName: 'api.example.com'}))
    assert.deepEqual(all.items?.map((m) => m.basePath).sort(), ['shop/orders', 'v1'])
    const v2 = await t.v2.send(new GetApiMappingsCommand({DomainName: 'api.example.com'}))
    assert.deepEqual(v2.Items?.map((m) => m.ApiMappingKey).sort(), ['shop/orders', 'v1'])
    await rejects(t.v1.send(new GetBasePathMappingCommand({domainName: 'api.example.com', basePath: 'v9'})), 'NotFoundException')
  })

  it('routes a mapped Host and the path-style address to the mapped stage, longest base path first, base path stripped', async () => {
    const port = new URL(t.url).port
    // When a client calls api.example.com/v1/pets/7 by Host
    const r = await rawRequest(`${t.url}/v1/pets/7`, {headers: [['host', `api.example.com:${port}`]]})
    assert.equal(r.status, 200, r.body)
    const body = JSON.parse(r.body) as Record<string, string>
    // Then the pets API's /pets/{id} answers on prod, with the custom domain's context
    assert.deepEqual(body, {
      api: 'pets',
      resource: '/pets/{id}',
      stage: 'prod',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      path: '/v1/pets/7',
    })
    // And the multi-level base path reaches the orders API
    const o = await fetch(`${t.url}/_aws/domain/api.example.com/shop/orders/pets`)
    assert.equal(o.status, 200)
    assert.equal(((await o.json()) as {api: string}).api, 'orders')
    // And the bare base path is the API's root
    const root = await fetch(`${t.url}/_aws/domain/api.example.com/v1`)
    assert.equal(((await root.json()) as {resource: string}).resource, '/')
    // And a path no mapping takes is API Gateway's 403
    const none = await fetch(`${t.url}/_aws/domain/api.example.com/v2/pets`)
    assert.equal(none.status, 403)
    assert.equal(none.headers.get('x-amzn-errortype'), 'ForbiddenException')
    assert.deepEqual(await none.json(), {message: 'Forbidden'})
    // And an unknown Host stays refused by the control plane's boundary
    const stranger = await rawRequest(`${t.url}/v1/pets`, {headers: [['host', 'other.example.com']]})
    assert.equal(stranger.status, 403)
  })

  it('updates and deletes base path mappings; the data plane follows', async () => {
    await t.v1.send(
      new UpdateBasePathMappingCommand({
        domainName: 'api.example.com',
        basePath: 'v1',
        patchOperations: [{op: 'replace', path: '/basePath', value: 'v2'}],
      }),
    )
    assert.equal((await fetch(`${t.url}/_aws/domain/api.example.com/v2/pets`)).status, 200)
    assert.equal((await fetch(`${t.url}/_aws/domain/api.example.com/v1/pets`)).status, 403)
    await t.v1.send(new DeleteBasePathMappingCommand({domainName: 'api.example.com', basePath: 'v2'}))
    assert.equal((await fetch(`${t.url}/_aws/domain/api.example.com/v2/pets`)).status, 403)
  })

  it('v2: a domain name with DomainNameConfigurations, API mappings to an HTTP API, routing rules', async () => {
    const d = await t.v2.send(
      new CreateDomainNameV2Command({
        DomainName: 'h.example.com',
        DomainNameConfigurations: [{CertificateArn: REGIONAL_CERT, EndpointType: 'REGIONAL'}],
      }),
    )
    assert.equal(d.DomainNameConfigurations?.[0]?.DomainNameStatus, 'AVAILABLE')
    assert.match(d.DomainNameConfigurations![0]!.ApiGatewayDomainName!, /^d-[a-z0-9]{10}\.execute-api\.us-east-1\.amazonaws\.com$/)
    assert.equal(d.DomainNameConfigurations?.[0]?.HostedZoneId, 'Z1UJRXOUMOOFQ8')
    assert.equal(d.RoutingMode, 'API_MAPPING_ONLY')
    const m = await t.v2.send(
      new CreateApiMappingCommand({DomainName: 'h.example.com', ApiId: http, Stage: '$default', ApiMappingKey: 'h'}),
    )
    assert.equal(m.ApiMappingKey, 'h')
    await rejects(
      t.v2.send(new CreateApiMappingCommand({DomainName: 'h.example.com', ApiId: pets, Stage: 'prod', ApiMappingKey: 'h'})),
      'ConflictException',
      'Base path already exists for this domain name',
    )
    await rejects(
      t.v2.send(new CreateApiMappingCommand({DomainName: 'h.example.com', ApiId: http, Stage: 'nope', ApiMappingKey: 'x'})),
      'NotFoundException',
    )
    // The HTTP API answers through the mapping: its route /nowhere (backend closed → 503/500, not a 404)
    const r = await fetch(`${t.url}/_aws/domain/h.example.com/h/other`)
    assert.equal(r.status, 404)
    assert.deepEqual(await r.json(), {message: 'Not Found'})
    // UpdateApiMapping changes the key
    const u = await t.v2.send(
      new UpdateApiMappingCommand({DomainName: 'h.example.com', ApiMappingId: m.ApiMappingId!, ApiId: http, ApiMappingKey: 'hh'}),
    )
    assert.equal(u.ApiMappingKey, 'hh')
    // An HTTP API on an EDGE domain name is refused
    const edge = await t.v2.send(
      new CreateDomainNameV2Command({
        DomainName: 'e.example.com',
        DomainNameConfigurations: [{CertificateArn: REGIONAL_CERT, EndpointType: 'EDGE'}],
      }),
    )
    assert.equal(edge.DomainNameConfigurations?.[0]?.HostedZoneId, 'Z2FDTNDATAQYW2')
    await rejects(
      t.v2.send(new CreateApiMappingCommand({DomainName: 'e.example.com', ApiId: http, Stage: '$default'})),
      'BadRequestException',
    )
    // Routing rules: a header rule sends to orders, then mappings
    await t.v2.send(new UpdateDomainNameV2Command({DomainName: 'h.example.com', RoutingMode: 'ROUTING_RULE_THEN_API_MAPPING'}))
    const rule = await t.v2.send(
      new CreateRoutingRuleCommand({
        DomainName: 'h.example.com',
        Priority: 10,
        Conditions: [{MatchHeaders: {AnyOf: [{Header: 'x-version', ValueGlob: 'beta*'}]}}, {MatchBasePaths: {AnyOf: ['hh']}}],
        Actions: [{InvokeApi: {ApiId: orders, Stage: 'prod', StripBasePath: true}}],
      }),
    )
    assert.match(rule.RoutingRuleArn!, /routingrules\//)
    const viaRule = await rawRequest(`${t.url}/_aws/domain/h.example.com/hh/pets`, {headers: [['x-version', 'beta-2']]})
    assert.equal((JSON.parse(viaRule.body) as {api: string}).api, 'orders')
    await rejects(
      t.v2.send(
        new CreateRoutingRuleCommand({
          DomainName: 'h.example.com',
          Priority: 10,
          Conditions: [{MatchBasePaths: {AnyOf: ['z']}}],
          Actions: [{InvokeApi: {ApiId: orders, Stage: 'prod'}}],
        }),
      ),
      'ConflictException',
    )
    const put = await t.v2.send(
      new PutRoutingRuleCommand({
        DomainName: 'h.example.com',
        RoutingRuleId: rule.RoutingRuleId!,
        Priority: 20,
        Conditions: [{MatchBasePaths: {AnyOf: ['hh']}}],
        Actions: [{InvokeApi: {ApiId: pets, Stage: 'prod', StripBasePath: true}}],
      }),
    )
    assert.equal(put.Priority, 20)
    const got = await t.v2.send(new GetRoutingRuleCommand({DomainName: 'h.example.com', RoutingRuleId: rule.RoutingRuleId!}))
    assert.equal(got.Actions?.[0]?.InvokeApi?.ApiId, pets)
    const listed = await t.v2.send(new ListRoutingRulesCommand({DomainName: 'h.example.com'}))
    assert.equal(listed.RoutingRules?.length, 1)
    await t.v2.send(new DeleteRoutingRuleCommand({DomainName: 'h.example.com', RoutingRuleId: rule.RoutingRuleId!}))
    await t.v2.send(new DeleteApiMappingCommand({DomainName: 'h.example.com', ApiMappingId: m.ApiMappingId!}))
    const names = await t.v2.send(new GetDomainNamesV2Command({}))
    assert.ok(names.Items?.some((x) => x.DomainName === 'h.example.com'))
  })

  it('private custom domain names and their access associations', async () => {
    const d = await t.v1.send(
      new CreateDomainNameCommand({
        domainName: 'private.example.com',
        regionalCertificateArn: REGIONAL_CERT,
        endpointConfiguration: {types: ['PRIVATE']},
        policy: '{"Version":"2012-10-17","Statement":[]}',
      }),
    )
    assert.ok(d.domainNameId)
    assert.match(d.domainNameArn!, /:000000000000:\/domainnames\/private\.example\.com\+/)
    const got = await t.v1.send(new GetDomainNameCommand({domainName: 'private.example.com', domainNameId: d.domainNameId}))
    assert.equal(got.policy, '{"Version":"2012-10-17","Statement":[]}')
    const a = await t.v1.send(
      new CreateDomainNameAccessAssociationCommand({
        domainNameArn: d.domainNameArn!,
        accessAssociationSourceType: 'VPCE',
        accessAssociationSource: 'vpce-0123abcd',
      }),
    )
    assert.equal(a.accessAssociationSource, 'vpce-0123abcd')
    await rejects(
      t.v1.send(
        new CreateDomainNameAccessAssociationCommand({
          domainNameArn: d.domainNameArn!,
          accessAssociationSourceType: 'VPCE',
          accessAssociationSource: 'vpce-0123abcd',
        }),
      ),
      'ConflictException',
    )
    const list = await t.v1.send(new GetDomainNameAccessAssociationsCommand({}))
    assert.equal(list.items?.length, 1)
  })
})
