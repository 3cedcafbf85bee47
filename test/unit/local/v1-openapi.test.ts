/**
 * The pure OpenAPI ⇄ API Gateway v1 module (src/local/openapi/): parsing, reading a document into
 * resources/methods/authorizers, folding it into a snapshot (merge/overwrite), and exporting a snapshot.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {buildExport} from '../../../src/local/openapi/export.ts'
import {applyImport, OpenApiInputError, parseOpenApiDocument, readOpenApi} from '../../../src/local/openapi/import.ts'
import type {ApiSnapshot} from '../../../src/local/openapi/types.ts'

function ids(): (length?: number) => string {
  let n = 0
  return () => `id${++n}`
}

const empty = (): ApiSnapshot => ({
  restApiId: 'api1',
  settings: {name: 'x'},
  rootResourceId: 'root',
  resources: [{id: 'root', path: '/'}],
  models: [],
  authorizers: [],
  requestValidators: [],
  gatewayResponses: [],
})

const swagger = (extra: Record<string, unknown>) => ({swagger: '2.0', info: {title: 't', version: '1'}, paths: {}, ...extra})

describe('parseOpenApiDocument', () => {
  const invalid = [
    {name: 'empty body', text: ''},
    {name: 'broken JSON', text: "{'key:value}"},
    {name: 'broken YAML', text: 'a: [b\n c: d: e'},
    {name: 'no version member', text: '{"info": {"title": "x"}, "paths": {}}'},
    {name: 'OpenAPI 3.1', text: 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\n'},
    {name: 'a JSON array', text: '[1, 2]'},
    {name: 'paths not an object', text: '{"swagger": "2.0", "paths": []}'},
  ]
  for (const c of invalid) {
    it(`refuses ${c.name} as "Invalid OpenAPI input."`, () => {
      assert.throws(
        () => parseOpenApiDocument(c.text),
        (e: Error) => e instanceof OpenApiInputError && e.message === 'Invalid OpenAPI input.',
      )
    })
  }

  it('reads Swagger 2.0 JSON and OpenAPI 3.0 YAML', () => {
    assert.equal(parseOpenApiDocument('{"swagger": "2.0", "paths": {}}').swagger, '2.0')
    assert.equal(parseOpenApiDocument('openapi: 3.0.2\npaths: {}\n').openapi, '3.0.2')
  })
})

describe('readOpenApi', () => {
  const basePathCases = [
    {mode: 'ignore', doc: swagger({basePath: '/v1/api', paths: {'/pets': {get: {}}}}), path: '/pets'},
    {mode: 'prepend', doc: swagger({basePath: '/v1/api', paths: {'/pets': {get: {}}}}), path: '/v1/api/pets'},
    {mode: 'split', doc: swagger({basePath: '/v1/api', paths: {'/pets': {get: {}}}}), path: '/api/pets'},
    {
      mode: 'prepend',
      doc: {
        openapi: '3.0.1',
        info: {title: 't'},
        servers: [{url: 'https://{host}/{stage}/x', variables: {host: {default: 'h'}, stage: {default: 'dev'}}}],
        paths: {'/a': {get: {}}},
      },
      path: '/dev/x/a',
    },
    {mode: 'prepend', doc: {openapi: '3.0.1', info: {title: 't'}, servers: [{url: '/rel/'}], paths: {'/': {get: {}}}}, path: '/rel'},
  ] as const
  for (const c of basePathCases) {
    it(`basepath=${c.mode} maps to ${c.path}`, () => {
      // Given a document with a base path, When read under the mode, Then the resource path is as AWS builds it
      const imported = readOpenApi(c.doc as Record<string, unknown>, {basepath: c.mode})
      assert.deepEqual(
        imported.paths.map((p) => p.path),
        [c.path],
      )
    })
  }

  const authCases = [
    {
      name: 'an authorizer scheme',
      schemes: {
        auth: {type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': {type: 'token', authorizerUri: 'u'}},
      },
      expect: {authorizationType: 'CUSTOM', apiKeyRequired: false, authorizerName: 'auth'},
    },
    {
      name: 'a Cognito authorizer with scopes',
      schemes: {
        auth: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authorizer': {type: 'cognito_user_pools', providerARNs: ['arn']},
        },
      },
      scopes: ['read'],
      expect: {authorizationType: 'COGNITO_USER_POOLS', apiKeyRequired: false, authorizerName: 'auth', authorizationScopes: ['read']},
    },
    {
      name: 'the x-api-key scheme',
      schemes: {auth: {type: 'apiKey', name: 'x-api-key', in: 'header'}},
      expect: {authorizationType: 'NONE', apiKeyRequired: true},
    },
    {
      name: 'a sigv4 scheme',
      schemes: {auth: {type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4'}},
      expect: {authorizationType: 'AWS_IAM', apiKeyRequired: false},
    },
  ]
  for (const c of authCases) {
    it(`maps ${c.name} on an operation`, () => {
      const doc = swagger({securityDefinitions: c.schemes, paths: {'/a': {get: {security: [{auth: c.scopes ?? []}]}}}})
      const method = readOpenApi(doc).paths[0]!.methods.GET!
      const picked = Object.fromEntries(Object.keys(c.expect).map((k) => [k, (method as Record<string, unknown>)[k]]))
      assert.deepEqual(picked, c.expect)
    })
  }

  it('reads parameters, body models, responses and the integration of a Swagger operation', () => {
    const doc = swagger({
      definitions: {Pet: {type: 'object'}},
      paths: {
        '/pets/{id}': {
          parameters: [{name: 'id', in: 'path', required: true, type: 'string'}],
          post: {
            operationId: 'AddPet',
            consumes: ['application/json'],
            parameters: [
              {name: 'q', in: 'query', required: true, type: 'string'},
              {name: 'h', in: 'header', type: 'string'},
              {name: 'body', in: 'body', schema: {$ref: '#/definitions/Pet'}},
            ],
            responses: {
              201: {
                description: 'made',
                schema: {type: 'array', items: {$ref: '#/definitions/Pet'}},
                headers: {Location: {type: 'string'}},
              },
              default: {description: 'x'},
            },
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'post',
              uri: 'arn',
              responses: {default: {statusCode: 201}, '4\\d{2}': {statusCode: '400'}},
            },
          },
        },
      },
    })
    const method = readOpenApi(doc).paths[0]!.methods.POST!
    assert.equal(method.operationName, 'AddPet')
    assert.deepEqual(method.requestParameters, {
      'method.request.path.id': true,
      'method.request.querystring.q': true,
      'method.request.header.h': false,
    })
    assert.deepEqual(method.requestModels, {'application/json': 'Pet'})
    assert.deepEqual(Object.keys(method.methodResponses ?? {}), ['201'])
    assert.deepEqual(method.methodResponses!['201']!.responseParameters, {'method.response.header.Location': false})
    assert.match(method.methodResponses!['201']!.responseModels!['application/json']!, /^POSTpetsid201Response[0-9a-f]{8}$/)
    assert.deepEqual(method.methodIntegration?.integrationResponses, {
      '201': {statusCode: '201'},
      '400': {statusCode: '400', selectionPattern: '4\\d{2}'},
    })
    assert.deepEqual(
      {type: method.methodIntegration?.type, verb: method.methodIntegration?.httpMethod, conn: method.methodIntegration?.connectionType},
      {type: 'AWS_PROXY', verb: 'POST', conn: 'INTERNET'},
    )
  })
})

describe('applyImport', () => {
  const docA = swagger({
    'x-amazon-apigateway-binary-media-types': ['image/png'],
    definitions: {A: {type: 'object'}},
    paths: {'/a/b': {get: {}}},
  })
  const docB = swagger({
    'x-amazon-apigateway-binary-media-types': ['image/gif'],
    definitions: {B: {type: 'object', properties: {a: {$ref: '#/definitions/A'}}}},
    paths: {'/a/c': {put: {}}},
  })

  it('builds the resource tree with intermediate resources and keeps the root', () => {
    // Given ids handed out in order (id1 goes to model A, made before the resources)
    const snap = applyImport(empty(), readOpenApi(docA), 'overwrite', ids())
    assert.deepEqual(
      snap.resources.map((r) => [r.path, r.id, r.parentId, r.pathPart]),
      [
        ['/', 'root', undefined, undefined],
        ['/a', 'id2', 'root', 'a'],
        ['/a/b', 'id3', 'id2', 'b'],
      ],
    )
  })

  const modeCases = [
    {mode: 'merge', paths: ['/', '/a', '/a/b', '/a/c'], models: ['A', 'B'], binary: ['image/png', 'image/gif']},
    {mode: 'overwrite', paths: ['/', '/a', '/a/c'], models: ['B'], binary: ['image/gif']},
  ] as const
  for (const c of modeCases) {
    it(`mode=${c.mode} ${c.mode === 'merge' ? 'adds to' : 'replaces'} the configuration, keeping ids by path and name`, () => {
      const newId = ids()
      const first = applyImport(empty(), readOpenApi(docA), 'overwrite', newId)
      const frozen = structuredClone(first)
      const second = applyImport(first, readOpenApi(docB), c.mode, newId)
      assert.deepEqual(first, frozen, 'the input snapshot is not mutated')
      assert.deepEqual(second.resources.map((r) => r.path).sort(), c.paths)
      assert.equal(second.resources.find((r) => r.path === '/a')?.id, first.resources.find((r) => r.path === '/a')?.id)
      assert.deepEqual(second.models.map((m) => m.name).sort(), c.models)
      assert.deepEqual(second.settings.binaryMediaTypes, c.binary)
      const b = second.models.find((m) => m.name === 'B')!
      assert.equal(JSON.parse(b.schema!).properties.a.$ref, 'https://apigateway.amazonaws.com/restapis/api1/models/A')
    })
  }
})

describe('buildExport', () => {
  const snap = (): ApiSnapshot => {
    const doc = swagger({
      securityDefinitions: {
        sig: {type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4'},
        key: {type: 'apiKey', name: 'x-api-key', in: 'header'},
      },
      'x-amazon-apigateway-request-validators': {all: {validateRequestBody: true, validateRequestParameters: true}},
      paths: {
        '/p': {
          get: {security: [{sig: []}, {key: []}], 'x-amazon-apigateway-request-validator': 'all', responses: {200: {description: 'x'}}},
        },
      },
    })
    return applyImport(empty(), readOpenApi(doc), 'overwrite', ids())
  }
  const base = {stageName: 'dev', region: 'eu-west-1', deployedAt: new Date('2024-01-02T03:04:05.678Z')}

  it('exports swagger with host, basePath, security definitions and the deployment date as version', () => {
    const s = snap()
    delete s.settings.version
    const doc = buildExport(s, {...base, exportType: 'swagger', extensions: new Set()})
    assert.deepEqual(
      {host: doc.host, basePath: doc.basePath, version: (doc.info as {version: string}).version},
      {host: 'api1.execute-api.eu-west-1.amazonaws.com', basePath: '/dev', version: '2024-01-02T03:04:05Z'},
    )
    const get = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/p']!.get!
    assert.deepEqual(get.security, [{api_key: []}, {sigv4: []}])
    assert.deepEqual(Object.keys(doc.securityDefinitions as object).sort(), ['api_key', 'sigv4'])
    assert.equal('x-amazon-apigateway-request-validator' in get, false)
  })

  it('adds the request validators only with extensions=apigateway', () => {
    const doc = buildExport(snap(), {...base, exportType: 'oas30', extensions: new Set(['apigateway'])})
    const get = (doc.paths as Record<string, Record<string, Record<string, unknown>>>)['/p']!.get!
    assert.equal(get['x-amazon-apigateway-request-validator'], 'all')
    assert.deepEqual(doc['x-amazon-apigateway-request-validators'], {all: {validateRequestParameters: true, validateRequestBody: true}})
    assert.deepEqual(doc.servers, [
      {url: 'https://api1.execute-api.eu-west-1.amazonaws.com/{basePath}', variables: {basePath: {default: 'dev'}}},
    ])
  })
})
