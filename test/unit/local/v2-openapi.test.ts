import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {Snapshot} from '../../../src/local/control-plane/v2/common.ts'
import {buildOpenApi, exportOpenApi} from '../../../src/local/control-plane/v2/openapi-export.ts'
import {importOpenApi} from '../../../src/local/control-plane/v2/openapi-import.ts'
import {AwsError} from '../../../src/local/protocol/aws-error.ts'

const doc = (extra: Record<string, unknown>): string =>
  JSON.stringify({openapi: '3.0.1', info: {title: 't', version: '1'}, paths: {}, ...extra})

describe('v2 OpenAPI import', () => {
  it('maps methods, any-method and $default to route keys', async () => {
    // Given every kind of operation
    const imported = await importOpenApi(
      doc({
        paths: {
          '/': {get: {}},
          '/pets/{id}': {put: {}, delete: {}, 'x-amazon-apigateway-any-method': {}},
          '/files/{proxy+}': {options: {}},
          $default: {'x-amazon-apigateway-any-method': {}},
        },
      }),
    )
    // Then each becomes one route key, as HTTP APIs spell them
    assert.deepEqual(imported.routes.map((r) => r.routeKey).sort(), [
      '$default',
      'ANY /pets/{id}',
      'DELETE /pets/{id}',
      'GET /',
      'OPTIONS /files/{proxy+}',
      'PUT /pets/{id}',
    ])
  })

  it('reads integrations with AWS defaults', async () => {
    const cases: Array<{name: string; integration: Record<string, unknown>; expect: Record<string, unknown>}> = [
      {
        name: 'lambda with numeric payload version',
        integration: {type: 'aws_proxy', uri: 'arn:aws:lambda:us-east-1:000000000000:function:f', payloadFormatVersion: 2.0},
        expect: {
          integrationType: 'AWS_PROXY',
          integrationMethod: 'POST',
          payloadFormatVersion: '2.0',
          timeoutInMillis: 30000,
          connectionType: 'INTERNET',
        },
      },
      {
        name: 'http proxy without payload version',
        integration: {type: 'HTTP_PROXY', uri: 'https://x.example.com', httpMethod: 'get'},
        expect: {integrationType: 'HTTP_PROXY', integrationMethod: 'GET', payloadFormatVersion: '1.0', timeoutInMillis: 30000},
      },
      {
        name: 'vpc link with timeout and tls',
        integration: {
          type: 'http_proxy',
          uri: 'arn:aws:elasticloadbalancing:x',
          httpMethod: 'ANY',
          connectionType: 'VPC_LINK',
          connectionId: 'abc',
          timeoutInMillis: 1000,
          tlsConfig: {serverNameToVerify: 'x.example.com'},
        },
        expect: {connectionType: 'VPC_LINK', connectionId: 'abc', timeoutInMillis: 1000, tlsConfig: {serverNameToVerify: 'x.example.com'}},
      },
    ]
    for (const c of cases) {
      const imported = await importOpenApi(doc({paths: {'/a': {get: {'x-amazon-apigateway-integration': c.integration}}}}))
      assert.equal(imported.warnings.length, 0, c.name)
      const got = imported.integrations[0] as Record<string, unknown>
      for (const [k, v] of Object.entries(c.expect)) assert.deepEqual(got[k], v, `${c.name}: ${k}`)
      assert.equal(imported.routes[0]!.integration, 0)
    }
  })

  it('turns what HTTP APIs ignore into warnings', async () => {
    const cases: Array<{name: string; extra: Record<string, unknown>; warning: RegExp}> = [
      {
        name: 'aws type',
        extra: {paths: {'/a': {get: {'x-amazon-apigateway-integration': {type: 'aws', uri: 'arn:x', httpMethod: 'POST'}}}}},
        warning: /Unsupported integration type 'aws'/,
      },
      {name: 'trace', extra: {paths: {'/a': {trace: {}}}}, warning: /TRACE/},
      {name: 'gateway responses', extra: {'x-amazon-apigateway-gateway-responses': {}}, warning: /x-amazon-apigateway-gateway-responses/},
      {name: 'binary media types', extra: {'x-amazon-apigateway-binary-media-types': ['image/png']}, warning: /binary-media-types/},
      {
        name: 'request validator on an operation',
        extra: {paths: {'/a': {get: {'x-amazon-apigateway-request-validator': 'all'}}}},
        warning: /request-validator on route GET \/a/,
      },
      {
        name: 'non-string request parameter',
        extra: {
          paths: {
            '/a': {
              get: {
                'x-amazon-apigateway-integration': {
                  type: 'aws_proxy',
                  integrationSubtype: 'SQS-SendMessage',
                  requestParameters: {QueueUrl: {Ref: 'Q'}},
                },
              },
            },
          },
        },
        warning: /Invalid format for 'requestParameters'/,
      },
      {
        name: 'unknown authorizer type',
        extra: {components: {securitySchemes: {c: {type: 'apiKey', 'x-amazon-apigateway-authorizer': {type: 'token'}}}}},
        warning: /Unsupported authorizer type 'token'/,
      },
    ]
    for (const c of cases) {
      // Given a document with something HTTP APIs ignore, When it is imported, Then a warning names it
      const imported = await importOpenApi(doc(c.extra))
      assert.ok(
        imported.warnings.some((w) => c.warning.test(w)),
        `${c.name}: ${JSON.stringify(imported.warnings)}`,
      )
    }
  })

  it('reads REQUEST and JWT authorizers and IAM auth, and applies global security', async () => {
    const imported = await importOpenApi(
      doc({
        security: [{lambda: []}],
        components: {
          securitySchemes: {
            lambda: {
              type: 'apiKey',
              in: 'header',
              name: 'Unused',
              'x-amazon-apigateway-authorizer': {
                type: 'request',
                identitySource: '$request.header.Auth, $request.querystring.q',
                authorizerUri:
                  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:auth/invocations',
                authorizerPayloadFormatVersion: '2.0',
                authorizerResultTtlInSeconds: 300,
                enableSimpleResponses: true,
              },
            },
            sigv4: {type: 'apiKey', in: 'header', name: 'Authorization', 'x-amazon-apigateway-authtype': 'awsSigv4'},
          },
        },
        paths: {'/global': {get: {}}, '/iam': {get: {security: [{sigv4: []}]}}, '/open': {get: {security: []}}},
      }),
    )
    const byKey = new Map(imported.routes.map((r) => [r.routeKey, r]))
    assert.equal(byKey.get('GET /global')?.authorizationType, 'CUSTOM')
    assert.equal(byKey.get('GET /global')?.authorizer, 'lambda')
    assert.equal(byKey.get('GET /iam')?.authorizationType, 'AWS_IAM')
    assert.equal(byKey.get('GET /open')?.authorizationType, 'NONE')
    const lambda = imported.authorizers.get('lambda')!
    assert.deepEqual(lambda.identitySource, ['$request.header.Auth', '$request.querystring.q'])
    assert.equal(lambda.authorizerResultTtlInSeconds, 300)
    assert.equal(lambda.enableSimpleResponses, true)
  })

  it('refuses what it cannot read with AwsError BadRequestException', async () => {
    const cases = [
      {name: 'no title', text: JSON.stringify({openapi: '3.0.1', info: {version: '1'}, paths: {}})},
      {name: 'swagger', text: 'swagger: "2.0"\ninfo: {title: x, version: "1"}\npaths: {}\n'},
      {name: 'array', text: '[1, 2]'},
    ]
    for (const c of cases) {
      await assert.rejects(
        importOpenApi(c.text),
        (e: unknown) => e instanceof AwsError && e.code === 'BadRequestException' && e.status === 400,
        c.name,
      )
    }
  })
})

describe('v2 OpenAPI export', () => {
  const snapshot: Snapshot = {
    api: {
      apiId: 'abc123defg',
      name: 'Exported',
      protocolType: 'HTTP',
      disableExecuteApiEndpoint: false,
      createdDate: '2024-05-06T07:08:09Z',
      corsConfiguration: {allowOrigins: ['*']},
    },
    routes: [
      {
        routeId: 'r1',
        routeKey: 'GET /pets/{id}',
        apiKeyRequired: false,
        authorizationType: 'JWT',
        authorizerId: 'a1',
        authorizationScopes: ['read'],
        target: 'integrations/i1',
      },
      {routeId: 'r2', routeKey: '$default', apiKeyRequired: false, authorizationType: 'AWS_IAM', target: 'integrations/i1'},
      {routeId: 'r3', routeKey: 'ANY /any', apiKeyRequired: false, authorizationType: 'CUSTOM', authorizerId: 'a2'},
    ],
    integrations: [
      {
        integrationId: 'i1',
        integrationType: 'AWS_PROXY',
        integrationMethod: 'POST',
        integrationUri: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        payloadFormatVersion: '2.0',
        connectionType: 'INTERNET',
        timeoutInMillis: 30000,
      },
    ],
    authorizers: [
      {
        authorizerId: 'a1',
        name: 'jwt',
        authorizerType: 'JWT',
        identitySource: ['$request.header.Authorization'],
        jwtConfiguration: {issuer: 'https://i', audience: ['a']},
      },
      {
        authorizerId: 'a2',
        name: 'lambda',
        authorizerType: 'REQUEST',
        authorizerUri: 'arn:aws:lambda:x',
        authorizerPayloadFormatVersion: '2.0',
        enableSimpleResponses: true,
      },
    ],
  }

  it('writes routes, security schemes and extensions as AWS exports them', () => {
    // biome-ignore lint/suspicious/noExplicitAny: the test reads deep into a plain JSON document
    const out = buildOpenApi(snapshot, {region: 'us-east-1', stageName: 'prod', includeExtensions: true}) as Record<string, any>
    assert.equal(out.info.version, '2024-05-06 07:08:09UTC')
    assert.equal(out.servers[0].url, 'https://abc123defg.execute-api.us-east-1.amazonaws.com/{basePath}')
    const get = out.paths['/pets/{id}'].get
    assert.deepEqual(get.security, [{jwt: ['read']}])
    assert.deepEqual(get.parameters, [
      {name: 'id', in: 'path', description: 'Generated path parameter for id', required: true, schema: {type: 'string'}},
    ])
    assert.equal(get['x-amazon-apigateway-integration'].type, 'aws_proxy')
    assert.ok(out.paths.$default['x-amazon-apigateway-any-method'])
    assert.deepEqual(out.paths.$default['x-amazon-apigateway-any-method'].security, [{sigv4: []}])
    assert.deepEqual(out.paths['/any']['x-amazon-apigateway-any-method'].security, [{lambda: []}])
    assert.equal(out.components.securitySchemes.jwt['x-amazon-apigateway-authorizer'].type, 'jwt')
    assert.equal(out.components.securitySchemes.lambda['x-amazon-apigateway-authorizer'].type, 'request')
    assert.equal(out.components.securitySchemes.sigv4['x-amazon-apigateway-authtype'], 'awsSigv4')
    assert.deepEqual(out['x-amazon-apigateway-cors'], {allowOrigins: ['*']})
    assert.equal(out['x-amazon-apigateway-importexport-version'], '1.0')
  })

  it('round-trips through import to the same routes and authorizers', async () => {
    const text = exportOpenApi(snapshot, {region: 'us-east-1', includeExtensions: true, outputType: 'YAML'})
    const imported = await importOpenApi(text)
    assert.deepEqual(imported.warnings, [])
    const routes = imported.routes.map((r) => [r.routeKey, r.authorizationType, r.authorizer ?? null, r.integration ?? null]).sort()
    assert.deepEqual(routes, [
      ['$default', 'AWS_IAM', null, 0],
      ['ANY /any', 'CUSTOM', 'lambda', null],
      ['GET /pets/{id}', 'JWT', 'jwt', 1],
    ])
    assert.deepEqual(imported.authorizers.get('jwt')?.jwtConfiguration, {audience: ['a'], issuer: 'https://i'})
  })
})
