import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {
  CreateDeploymentCommand,
  CreateRouteCommand,
  CreateStageCommand,
  ExportApiCommand,
  GetApiCommand,
  GetAuthorizersCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  ImportApiCommand,
  ReimportApiCommand,
} from '@aws-sdk/client-apigatewayv2'
import {parse as parseYaml} from 'yaml'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/specs/${name}`, import.meta.url), 'utf8')
const PETSTORE = fixture('aws-httpapi-petstore-oas30.json')
const PETSTORE_JWT = fixture('aws-httpapi-petstore-jwt-oas30.derived.json')
const SAM_DIRECT = fixture('aws-sam-httpapi-direct-integrations-oas30.yaml')

type Meta = {$metadata: {httpStatusCode?: number}}

/** Routes and their integrations, without ids: what must survive an export/import round trip. */
async function shapeOf(t: TestEmulator, apiId: string) {
  const integrations = new Map(((await t.v2.send(new GetIntegrationsCommand({ApiId: apiId}))).Items ?? []).map((i) => [i.IntegrationId, i]))
  const authorizers = new Map(((await t.v2.send(new GetAuthorizersCommand({ApiId: apiId}))).Items ?? []).map((a) => [a.AuthorizerId, a]))
  const routes = (await t.v2.send(new GetRoutesCommand({ApiId: apiId}))).Items ?? []
  return routes
    .map((r) => {
      const i = r.Target ? integrations.get(r.Target.replace('integrations/', '')) : undefined
      const a = r.AuthorizerId ? authorizers.get(r.AuthorizerId) : undefined
      return {
        routeKey: r.RouteKey,
        authorizationType: r.AuthorizationType,
        scopes: r.AuthorizationScopes ?? [],
        authorizer: a ? {name: a.Name, type: a.AuthorizerType, jwt: a.JwtConfiguration, identitySource: a.IdentitySource} : undefined,
        integration: i
          ? {
              type: i.IntegrationType,
              uri: i.IntegrationUri,
              method: i.IntegrationMethod,
              pfv: i.PayloadFormatVersion,
              timeout: i.TimeoutInMillis,
              subtype: i.IntegrationSubtype,
            }
          : undefined,
      }
    })
    .sort((x, y) => String(x.routeKey).localeCompare(String(y.routeKey)))
}

async function exportText(
  t: TestEmulator,
  apiId: string,
  input: {stageName?: string; outputType?: 'JSON' | 'YAML'; includeExtensions?: boolean} = {},
): Promise<string> {
  const out = await t.v2.send(
    new ExportApiCommand({
      ApiId: apiId,
      Specification: 'OAS30',
      OutputType: input.outputType ?? 'JSON',
      ...(input.stageName ? {StageName: input.stageName} : {}),
      ...(input.includeExtensions !== undefined ? {IncludeExtensions: input.includeExtensions} : {}),
      ExportVersion: '1.0',
    }),
  )
  return new TextDecoder().decode(out.body)
}

describe('API Gateway v2 ImportApi / ReimportApi / ExportApi (SDK v3 against the emulator)', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator({region: 'us-west-2'})
  })
  after(async () => {
    await t.close()
  })

  it('imports the AWS petstore HTTP API: routes, HTTP_PROXY integrations and CORS (201)', async () => {
    // Given the petstore of the AWS docs, When it is imported
    const api = await t.v2.send(new ImportApiCommand({Body: PETSTORE}))
    // Then the API is named from info and carries the CORS extension
    assert.equal((api as Meta).$metadata.httpStatusCode, 201)
    assert.equal(api.Name, 'Example Pet Store')
    assert.equal(api.Version, '1.0')
    assert.equal(api.ProtocolType, 'HTTP')
    assert.equal(api.Warnings, undefined)
    assert.deepEqual(api.CorsConfiguration?.AllowMethods, ['GET', 'OPTIONS', 'POST'])
    // And every operation is a route with its own integration
    const shape = await shapeOf(t, api.ApiId!)
    assert.deepEqual(
      shape.map((r) => [r.routeKey, r.integration?.type, r.integration?.method, r.integration?.pfv, r.integration?.timeout]),
      [
        ['GET /pets', 'HTTP_PROXY', 'GET', '1.0', 30000],
        ['GET /pets/{petId}', 'HTTP_PROXY', 'GET', '1.0', 30000],
        ['POST /pets', 'HTTP_PROXY', 'POST', '1.0', 30000],
      ],
    )
    assert.equal(shape[1]!.integration?.uri, 'http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets/{petId}')
    const routes = (await t.v2.send(new GetRoutesCommand({ApiId: api.ApiId}))).Items ?? []
    assert.equal(routes.find((r) => r.RouteKey === 'POST /pets')?.OperationName, 'Create Pet')
  })

  it('imports a JWT authorizer from securitySchemes and attaches it with scopes', async () => {
    const api = await t.v2.send(new ImportApiCommand({Body: PETSTORE_JWT}))
    const shape = await shapeOf(t, api.ApiId!)
    const post = shape.find((r) => r.routeKey === 'POST /pets')!
    assert.equal(post.authorizationType, 'JWT')
    assert.deepEqual(post.scopes, ['pets/write'])
    assert.deepEqual(post.authorizer, {
      name: 'jwt-authorizer-oauth',
      type: 'JWT',
      jwt: {Issuer: 'https://cognito-idp.region.amazonaws.com/userPoolId', Audience: ['audience1', 'audience2']},
      identitySource: ['$request.header.Authorization'],
    })
    assert.equal(shape.find((r) => r.routeKey === 'GET /pets')!.authorizationType, 'NONE')
  })

  it('imports the SAM direct-integrations YAML, warning about CloudFormation intrinsics it cannot read', async () => {
    // Given YAML whose credentials are CloudFormation intrinsics (objects, not strings)
    const api = await t.v2.send(new ImportApiCommand({Body: SAM_DIRECT}))
    // Then the routes are AWS_PROXY integrations with subtypes, and the intrinsics are warnings
    const shape = await shapeOf(t, api.ApiId!)
    assert.deepEqual(
      shape.map((r) => [r.routeKey, r.integration?.type, r.integration?.subtype]),
      [
        ['POST /eb', 'AWS_PROXY', 'EventBridge-PutEvents'],
        ['POST /kinesis', 'AWS_PROXY', 'Kinesis-PutRecord'],
        ['POST /sqs', 'AWS_PROXY', 'SQS-SendMessage'],
      ],
    )
    assert.ok(api.Warnings?.some((w) => w.includes('credentials')))
    // And with failOnWarnings the same document is refused and nothing is created
    const before = (await fetch(`${t.url}/v2/apis`, {headers: SIGNED}).then((r) => r.json())) as {items: unknown[]}
    await assert.rejects(t.v2.send(new ImportApiCommand({Body: SAM_DIRECT, FailOnWarnings: true})), (e: Error & {name: string}) => {
      assert.equal(e.name, 'BadRequestException')
      assert.match(e.message, /^Warnings found during import:\n\t/)
      return true
    })
    const afterList = (await fetch(`${t.url}/v2/apis`, {headers: SIGNED}).then((r) => r.json())) as {items: unknown[]}
    assert.equal(afterList.items.length, before.items.length)
  })

  it('warns about REST-only extensions and unsupported integration types', async () => {
    const doc = {
      openapi: '3.0.1',
      info: {title: 'rest-bits', version: '1'},
      'x-amazon-apigateway-request-validators': {all: {validateRequestBody: true}},
      'x-amazon-apigateway-api-key-source': 'HEADER',
      paths: {
        '/mock': {get: {'x-amazon-apigateway-integration': {type: 'mock'}}},
        '/ok': {
          get: {
            'x-amazon-apigateway-integration': {
              type: 'http_proxy',
              uri: 'https://ok.example.com',
              httpMethod: 'GET',
              payloadFormatVersion: '1.0',
            },
          },
        },
      },
    }
    const api = await t.v2.send(new ImportApiCommand({Body: JSON.stringify(doc)}))
    const warnings = api.Warnings ?? []
    assert.ok(warnings.some((w) => w.includes('x-amazon-apigateway-request-validators')))
    assert.ok(warnings.some((w) => w.includes('x-amazon-apigateway-api-key-source')))
    assert.ok(warnings.some((w) => w.includes("'mock'")))
    // The route of the ignored integration exists, without a target
    const shape = await shapeOf(t, api.ApiId!)
    assert.equal(shape.find((r) => r.routeKey === 'GET /mock')?.integration, undefined)
    assert.equal(shape.find((r) => r.routeKey === 'GET /ok')?.integration?.type, 'HTTP_PROXY')
  })

  it('refuses documents API Gateway cannot import, with BadRequestException', async () => {
    const cases: Array<{name: string; body: string; message: RegExp}> = [
      {name: 'Swagger 2.0', body: JSON.stringify({swagger: '2.0', info: {title: 'x', version: '1'}, paths: {}}), message: /Swagger 2\.0/},
      {name: 'not JSON nor YAML', body: '{"openapi": "3.0.1", ', message: /^Invalid OpenAPI input\.$/},
      {name: 'YAML scalar', body: 'just text', message: /^Invalid OpenAPI input\.$/},
      {
        name: 'OpenAPI 3.1',
        body: JSON.stringify({openapi: '3.1.0', info: {title: 'x', version: '1'}, paths: {}}),
        message: /Unsupported OpenAPI version: 3\.1\.0/,
      },
      {
        name: 'missing $ref target',
        body: JSON.stringify({
          openapi: '3.0.1',
          info: {title: 'x', version: '1'},
          paths: {'/a': {get: {'x-amazon-apigateway-integration': {$ref: '#/components/x-amazon-apigateway-integrations/nope'}}}},
        }),
        message: /Invalid OpenAPI input/,
      },
      {
        name: 'two security requirements on one operation',
        body: JSON.stringify({
          openapi: '3.0.1',
          info: {title: 'x', version: '1'},
          components: {
            securitySchemes: {
              a: {
                type: 'apiKey',
                in: 'header',
                name: 'x',
                'x-amazon-apigateway-authorizer': {
                  type: 'request',
                  authorizerUri: 'arn:aws:lambda:us-west-2:000000000000:function:a',
                  authorizerPayloadFormatVersion: '2.0',
                },
              },
              b: {type: 'apiKey', in: 'header', name: 'y', 'x-amazon-apigateway-authtype': 'awsSigv4'},
            },
          },
          paths: {'/a': {get: {security: [{a: []}, {b: []}]}}},
        }),
        message: /Multiple security requirements/,
      },
    ]
    for (const c of cases) {
      // Given an invalid document, When it is imported, Then AWS's error type, and no API is left behind
      await assert.rejects(t.v2.send(new ImportApiCommand({Body: c.body})), (e: Error & {name: string}) => {
        assert.equal(e.name, 'BadRequestException', c.name)
        assert.match(e.message, c.message, c.name)
        return true
      })
    }
  })

  it('applies basepath ignore, prepend and split from the first server URL', async () => {
    const doc = JSON.stringify({
      openapi: '3.0.1',
      info: {title: 'bp', version: '1'},
      servers: [{url: 'https://api.example.com/{basePath}', variables: {basePath: {default: 'v1/shop'}}}],
      paths: {'/items': {get: {'x-amazon-apigateway-integration': {type: 'HTTP_PROXY', uri: 'https://x.example.com', httpMethod: 'GET'}}}},
    })
    const cases = [
      {basepath: 'ignore', routeKey: 'GET /items'},
      {basepath: 'prepend', routeKey: 'GET /v1/shop/items'},
      {basepath: 'split', routeKey: 'GET /shop/items'},
    ] as const
    for (const c of cases) {
      const api = await t.v2.send(new ImportApiCommand({Body: doc, Basepath: c.basepath}))
      const routes = (await t.v2.send(new GetRoutesCommand({ApiId: api.ApiId}))).Items ?? []
      assert.deepEqual(
        routes.map((r) => r.RouteKey),
        [c.routeKey],
        c.basepath,
      )
    }
  })

  it('shares one integration between routes that $ref the same x-amazon-apigateway-integrations entry', async () => {
    const doc = {
      openapi: '3.0.1',
      info: {title: 'refs', version: '1'},
      paths: {
        '/a': {get: {'x-amazon-apigateway-integration': {$ref: '#/components/x-amazon-apigateway-integrations/fn'}}},
        '/b': {post: {'x-amazon-apigateway-integration': {$ref: '#/components/x-amazon-apigateway-integrations/fn'}}},
        $default: {
          'x-amazon-apigateway-any-method': {'x-amazon-apigateway-integration': {$ref: '#/components/x-amazon-apigateway-integrations/fn'}},
        },
      },
      components: {
        'x-amazon-apigateway-integrations': {
          fn: {
            type: 'AWS_PROXY',
            httpMethod: 'POST',
            uri: 'arn:aws:lambda:us-west-2:000000000000:function:fn',
            payloadFormatVersion: '2.0',
            timeoutInMillis: 3000,
          },
        },
      },
    }
    const api = await t.v2.send(new ImportApiCommand({Body: JSON.stringify(doc)}))
    const integrations = (await t.v2.send(new GetIntegrationsCommand({ApiId: api.ApiId}))).Items ?? []
    assert.equal(integrations.length, 1)
    assert.equal(integrations[0]!.TimeoutInMillis, 3000)
    const shape = await shapeOf(t, api.ApiId!)
    assert.deepEqual(
      shape.map((r) => r.routeKey),
      ['$default', 'GET /a', 'POST /b'],
    )
    assert.ok(shape.every((r) => r.integration?.uri === 'arn:aws:lambda:us-west-2:000000000000:function:fn'))
  })

  it('exports a deployed stage and re-imports it into the same configuration (JSON and YAML)', async () => {
    // Given the JWT petstore deployed to a stage
    const api = await t.v2.send(new ImportApiCommand({Body: PETSTORE_JWT}))
    await t.v2.send(new CreateStageCommand({ApiId: api.ApiId, StageName: 'prod'}))
    await t.v2.send(new CreateDeploymentCommand({ApiId: api.ApiId, StageName: 'prod'}))
    const original = await shapeOf(t, api.ApiId!)
    for (const outputType of ['JSON', 'YAML'] as const) {
      // When the stage is exported and the export imported as a new API
      const text = await exportText(t, api.ApiId!, {stageName: 'prod', outputType})
      const doc = (outputType === 'JSON' ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown>
      assert.equal(doc.openapi, '3.0.1')
      assert.equal(doc['x-amazon-apigateway-importexport-version'], '1.0')
      assert.deepEqual((doc.servers as Array<{variables: {basePath: {default: string}}}>)[0]!.variables.basePath.default, 'prod')
      const copy = await t.v2.send(new ImportApiCommand({Body: text, FailOnWarnings: true}))
      // Then routes, integrations, authorizers and CORS are the same
      assert.deepEqual(await shapeOf(t, copy.ApiId!), original, outputType)
      assert.deepEqual(copy.CorsConfiguration, api.CorsConfiguration)
      assert.equal(copy.Name, api.Name)
    }
  })

  it('exports the deployment snapshot for a stage and the live configuration without one', async () => {
    const api = await t.v2.send(new ImportApiCommand({Body: PETSTORE}))
    await t.v2.send(new CreateStageCommand({ApiId: api.ApiId, StageName: 'dev'}))
    await t.v2.send(new CreateDeploymentCommand({ApiId: api.ApiId, StageName: 'dev'}))
    // Given a change after the deployment
    await t.v2.send(new CreateRouteCommand({ApiId: api.ApiId, RouteKey: 'DELETE /pets/{petId}'}))
    // When both are exported
    const staged = JSON.parse(await exportText(t, api.ApiId!, {stageName: 'dev'})) as {paths: Record<string, Record<string, unknown>>}
    const live = JSON.parse(await exportText(t, api.ApiId!)) as {paths: Record<string, Record<string, unknown>>}
    // Then only the live export has the new route
    assert.equal(staged.paths['/pets/{petId}']!.delete, undefined)
    assert.ok(live.paths['/pets/{petId}']!.delete)
    const op = staged.paths['/pets']!.get as {'x-amazon-apigateway-integration': Record<string, unknown>}
    assert.deepEqual(op['x-amazon-apigateway-integration'], {
      payloadFormatVersion: '1.0',
      type: 'http_proxy',
      httpMethod: 'GET',
      uri: 'http://petstore.execute-api.us-west-1.amazonaws.com/petstore/pets',
      connectionType: 'INTERNET',
      timeoutInMillis: 30000,
    })
    // And includeExtensions=false leaves no x-amazon-apigateway key
    const bare = await exportText(t, api.ApiId!, {stageName: 'dev', includeExtensions: false})
    assert.ok(!bare.includes('x-amazon-apigateway'))
    assert.ok(JSON.parse(bare).paths['/pets'].get)
  })

  it('validates ExportApi parameters', async () => {
    const api = await t.v2.send(new ImportApiCommand({Body: PETSTORE}))
    const cases = [
      {query: 'outputType=XML', status: 400},
      {query: '', status: 400},
      {query: 'outputType=JSON&exportVersion=2.0', status: 400},
      {query: 'outputType=JSON&stageName=missing', status: 404},
    ]
    for (const c of cases) {
      const res = await fetch(`${t.url}/v2/apis/${api.ApiId}/exports/OAS30?${c.query}`, {headers: SIGNED})
      assert.equal(res.status, c.status, c.query)
    }
    const swagger = await fetch(`${t.url}/v2/apis/${api.ApiId}/exports/SWAGGER?outputType=JSON`, {headers: SIGNED})
    assert.equal(swagger.status, 400)
    const yaml = await fetch(`${t.url}/v2/apis/${api.ApiId}/exports/OAS30?outputType=YAML`, {headers: SIGNED})
    assert.equal(yaml.status, 200)
    assert.match(String(yaml.headers.get('content-type')), /yaml/)
  })

  it('ReimportApi (201) replaces the configuration and redeploys autoDeploy stages', async () => {
    // Given the plain petstore with an autoDeploy stage
    const api = await t.v2.send(new ImportApiCommand({Body: PETSTORE}))
    const stage = await t.v2.send(new CreateStageCommand({ApiId: api.ApiId, StageName: '$default', AutoDeploy: true}))
    await t.v2.send(new CreateRouteCommand({ApiId: api.ApiId, RouteKey: 'GET /extra'}))
    const moved = await t.v2.send(new GetStageCommand({ApiId: api.ApiId, StageName: '$default'}))
    // When the JWT version is re-imported over it
    const out = await t.v2.send(new ReimportApiCommand({ApiId: api.ApiId, Body: PETSTORE_JWT}))
    // Then it answers 201, the routes are exactly the document's, and the stage moved again
    assert.equal((out as Meta).$metadata.httpStatusCode, 201)
    assert.equal(out.ApiId, api.ApiId)
    const shape = await shapeOf(t, api.ApiId!)
    assert.deepEqual(
      shape.map((r) => r.routeKey),
      ['GET /pets', 'GET /pets/{petId}', 'POST /pets'],
    )
    assert.equal(shape.find((r) => r.routeKey === 'POST /pets')?.authorizationType, 'JWT')
    assert.equal((await t.v2.send(new GetIntegrationsCommand({ApiId: api.ApiId}))).Items?.length, 3)
    const after = await t.v2.send(new GetStageCommand({ApiId: api.ApiId, StageName: '$default'}))
    assert.notEqual(after.DeploymentId, moved.DeploymentId)
    assert.notEqual(moved.DeploymentId, stage.DeploymentId)
    assert.equal((await t.v2.send(new GetApiCommand({ApiId: api.ApiId}))).Name, 'Example Pet Store')
    // And an unknown API is a NotFoundException
    await assert.rejects(t.v2.send(new ReimportApiCommand({ApiId: 'nope000000', Body: PETSTORE})), {name: 'NotFoundException'})
  })
})
