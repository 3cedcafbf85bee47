/**
 * Mapping templates and request validation through real HTTP (fetch) against the in-process emulator: a MOCK method
 * whose request template picks the status and whose response templates read `$input`, `$context`, `$stageVariables`
 * and `$util` and override the answer; an HTTP integration whose request template reshapes the body and overrides a
 * header the backend receives; template errors; and a validated method answering AWS's 400s.
 */
import assert from 'node:assert/strict'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, ImportRestApiCommand, PutGatewayResponseCommand, UpdateStageCommand} from '@aws-sdk/client-api-gateway'
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type Seen = {headers: IncomingMessage['headers']; body: string}

async function startEchoBackend(): Promise<{url: string; server: Server; seen: Seen[]}> {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString()
      seen.push({headers: req.headers, body})
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(
        JSON.stringify({
          received: body,
          pets: [
            {name: 'rex', price: 3},
            {name: 'tom', price: 5},
          ],
        }),
      )
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen}
}

const ok = {'200': {description: 'ok'}}

function spec(backend: string) {
  return {
    openapi: '3.0.1',
    info: {title: 'vtl', version: '1'},
    'x-amazon-apigateway-request-validators': {
      all: {validateRequestBody: true, validateRequestParameters: true},
      params: {validateRequestBody: false, validateRequestParameters: true},
    },
    components: {
      schemas: {
        Pet: {
          type: 'object',
          required: ['name', 'price'],
          properties: {name: {type: 'string'}, price: {type: 'number', minimum: 0}, owner: {$ref: '#/components/schemas/Owner'}},
        },
        Owner: {type: 'object', required: ['email'], properties: {email: {type: 'string'}}},
      },
    },
    paths: {
      '/mock/{id}': {
        parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string'}}],
        get: {
          responses: ok,
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: {'application/json': `{"statusCode": #if($input.params('fail') == 'yes')500#{else}200#end}`},
            responses: {
              '5\\d{2}': {statusCode: '503', responseTemplates: {'application/json': '{"failed": "$input.params(\'id\')"}'}},
              default: {
                statusCode: '200',
                responseTemplates: {
                  'application/json': [
                    "#set($q = $input.params('q'))",
                    '{"id": "$input.params(\'id\')", "stage": "$context.stage", "color": "$stageVariables.color",',
                    ' "encoded": "$util.urlEncode($q)", "agent": "$util.escapeJavaScript($input.params(\'X-Agent\'))",',
                    ' "b64": "$util.base64Encode($q)", "method": "$context.httpMethod", "path": "$context.resourcePath"}',
                    '#if($q == \'teapot\')#set($context.responseOverride.status = 418)#set($context.responseOverride.header.X-Teapot = "short and stout")#end',
                  ].join('\n'),
                  'text/plain': "id=$input.params('id')",
                },
              },
            },
          },
        },
      },
      '/reshape': {
        post: {
          responses: ok,
          'x-amazon-apigateway-integration': {
            type: 'http',
            httpMethod: 'POST',
            uri: `${backend}/reshape`,
            passthroughBehavior: 'when_no_templates',
            requestTemplates: {
              'application/json': [
                "#set($pet = $input.path('$.pet'))",
                '#set($context.requestOverride.header.X-Pet-Name = $pet.name)',
                '{"name": "$pet.name", "tags": $input.json(\'$.pet.tags\'), "asJava": "$util.escapeJavaScript($pet)", "count": $pet.tags.size(),',
                ' "names": [#foreach($t in $pet.tags)"$t.toUpperCase()"#if($foreach.hasNext),#end#end]}',
              ].join('\n'),
              'application/xml': '<pet>$input.body</pet>',
            },
            responses: {
              default: {
                statusCode: '200',
                responseTemplates: {
                  'application/json':
                    '#set($r = $input.path(\'$\'))[#foreach($p in $r.pets)"$p.name:$p.price"#if($foreach.hasNext),#end#end]',
                },
              },
            },
          },
        },
      },
      '/broken': {
        get: {
          responses: ok,
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: {'application/json': '#if($x'},
            responses: {default: {statusCode: '200'}},
          },
        },
        post: {
          responses: ok,
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: {'application/json': '{"statusCode": 200, "x": $input.json(\'$.a\')}'},
            responses: {default: {statusCode: '200'}},
          },
        },
      },
      '/pets': {
        post: {
          'x-amazon-apigateway-request-validator': 'all',
          parameters: [
            {name: 'dryRun', in: 'query', required: true, schema: {type: 'string'}},
            {name: 'X-Client', in: 'header', required: true, schema: {type: 'string'}},
          ],
          requestBody: {required: true, content: {'application/json': {schema: {$ref: '#/components/schemas/Pet'}}}},
          responses: ok,
          'x-amazon-apigateway-integration': {
            type: 'mock',
            requestTemplates: {'application/json': '{"statusCode": 200}'},
            responses: {default: {statusCode: '200', responseTemplates: {'application/json': '{"created": true}'}}},
          },
        },
      },
    },
  }
}

describe('data plane: mapping templates and request validation', () => {
  let t: TestEmulator
  let backend: Awaited<ReturnType<typeof startEchoBackend>>
  let apiId: string
  const url = (path: string) => `http://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/dev${path}`

  before(async () => {
    backend = await startEchoBackend()
    t = await startTestEmulator()
    const api = await t.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec(backend.url)))}))
    apiId = api.id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev', variables: {color: 'blue'}}))
  })

  after(async () => {
    await t.close()
    await new Promise<void>((r) => backend.server.close(() => r()))
  })

  it('MOCK: the request template picks the status, the response template reads $input, $context, $stageVariables, $util', async () => {
    // Given a MOCK method with templates; When a client calls it
    const res = await fetch(url('/mock/p-1?q=a%20b%26c'), {headers: {'X-Agent': 'say "hi"/x'}})
    // Then the response template rendered with AWS's variables
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {
      id: 'p-1',
      stage: 'dev',
      color: 'blue',
      encoded: 'a+b%26c',
      agent: 'say "hi"/x',
      b64: Buffer.from('a b&c').toString('base64'),
      method: 'GET',
      path: '/mock/{id}',
    })
  })

  it('MOCK: the status chosen by the request template selects the integration response by selectionPattern', async () => {
    const res = await fetch(url('/mock/p-2?fail=yes'))
    assert.equal(res.status, 503)
    assert.deepEqual(await res.json(), {failed: 'p-2'})
  })

  it('MOCK: a response template overrides the status and a header ($context.responseOverride)', async () => {
    const res = await fetch(url('/mock/p-3?q=teapot'))
    assert.equal(res.status, 418)
    assert.equal(res.headers.get('x-teapot'), 'short and stout')
  })

  it('the response template is chosen by Accept', async () => {
    const res = await fetch(url('/mock/p-4'), {headers: {accept: 'text/plain'}})
    assert.equal(res.status, 200)
    assert.equal(await res.text(), 'id=p-4')
  })

  it('HTTP: the request template reshapes the body and overrides a header the backend receives', async () => {
    const before = backend.seen.length
    const res = await fetch(url('/reshape'), {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({pet: {name: 'rex', tags: ['a', 'b']}}),
    })
    assert.equal(res.status, 200)
    const seen = backend.seen[before]!
    assert.equal(seen.headers['x-pet-name'], 'rex')
    // Objects from $input.path print Java-style, arrays as JSON
    assert.deepEqual(JSON.parse(seen.body), {
      name: 'rex',
      tags: ['a', 'b'],
      asJava: '{name=rex, tags=["a","b"]}',
      count: 2,
      names: ['A', 'B'],
    })
    // And the response template read the backend's JSON
    assert.equal(await res.text(), '["rex:3","tom:5"]')
  })

  it('HTTP: the request template is chosen by Content-Type', async () => {
    const before = backend.seen.length
    const res = await fetch(url('/reshape'), {method: 'POST', headers: {'content-type': 'application/xml'}, body: '<x/>'})
    assert.equal(res.status, 200)
    assert.equal(backend.seen[before]!.body, '<pet><x/></pet>')
  })

  it('HTTP: no template for the Content-Type with when_no_templates answers 415', async () => {
    const res = await fetch(url('/reshape'), {method: 'POST', headers: {'content-type': 'text/plain'}, body: 'hi'})
    assert.equal(res.status, 415)
    assert.deepEqual(await res.json(), {message: 'Unsupported Media Type'})
  })

  it('a template that does not parse answers 500 Internal server error', async () => {
    const res = await fetch(url('/broken'))
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), {message: 'Internal server error'})
  })

  it('a template reading a non-JSON body as JSON answers 400', async () => {
    const res = await fetch(url('/broken'), {method: 'POST', headers: {'content-type': 'application/json'}, body: 'not json'})
    assert.equal(res.status, 400)
    assert.equal(res.headers.get('x-amzn-errortype'), 'BadRequestException')
    assert.match(((await res.json()) as {message: string}).message, /^Could not parse request body into json/)
  })

  const validated: Array<{name: string; query: string; headers: Record<string, string>; body: string; status: number; message?: string}> = [
    {
      name: 'missing parameters',
      query: '',
      headers: {},
      body: '{}',
      status: 400,
      message: 'Missing required request parameters: [X-Client, dryRun]',
    },
    {
      name: 'a blank query string',
      query: '?dryRun=',
      headers: {'x-client': 'cli'},
      body: '{}',
      status: 400,
      message: 'Missing required request parameters: [dryRun]',
    },
    {
      name: 'an invalid body',
      query: '?dryRun=1',
      headers: {'x-client': 'cli'},
      body: '{"name":"rex","price":-1}',
      status: 400,
      message: 'Invalid request body',
    },
    {
      name: 'a $ref to another model',
      query: '?dryRun=1',
      headers: {'x-client': 'cli'},
      body: '{"name":"rex","price":1,"owner":{}}',
      status: 400,
      message: 'Invalid request body',
    },
    {
      name: 'a body that is not JSON',
      query: '?dryRun=1',
      headers: {'x-client': 'cli'},
      body: '{',
      status: 400,
      message: 'Invalid request body',
    },
    {
      name: 'a valid request',
      query: '?dryRun=1',
      headers: {'x-client': 'cli'},
      body: '{"name":"rex","price":1,"owner":{"email":"a@b.c"}}',
      status: 200,
    },
  ]
  for (const v of validated) {
    it(`validation: ${v.name}`, async () => {
      const res = await fetch(url(`/pets${v.query}`), {
        method: 'POST',
        headers: {'content-type': 'application/json', ...v.headers},
        body: v.body,
      })
      assert.equal(res.status, v.status)
      const body = (await res.json()) as {message?: string; created?: boolean}
      if (v.message) {
        assert.equal(res.headers.get('x-amzn-errortype'), 'BadRequestException')
        assert.deepEqual(body, {message: v.message})
      } else assert.deepEqual(body, {created: true})
    })
  }

  it('$context.error.* after a validation failure: in a customised gateway response and in the access log', async () => {
    // Given customised BAD_REQUEST_BODY and BAD_REQUEST_PARAMETERS responses reading $context.error.*, deployed to a
    // stage with an access log that also reads them
    const template = [
      '{"message": $context.error.messageString, "type": "$context.error.responseType",',
      ' "raw": "$context.error.message", "detail": "$util.escapeJavaScript($context.error.validationErrorString)"}',
    ].join('')
    for (const responseType of ['BAD_REQUEST_BODY', 'BAD_REQUEST_PARAMETERS'] as const)
      await t.v1.send(new PutGatewayResponseCommand({restApiId: apiId, responseType, responseTemplates: {'application/json': template}}))
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'errors'}))
    await t.v1.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'errors',
        patchOperations: [
          {op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:/apigw/errors'},
          {
            op: 'replace',
            path: '/accessLogSettings/format',
            value: '$context.status|$context.error.responseType|$context.error.message|$context.error.validationErrorString',
          },
        ],
      }),
    )
    const errorsUrl = (path: string) => `http://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/errors${path}`
    // When a body misses a required property, and a request misses its parameters, and a valid one follows
    const bad = await fetch(errorsUrl('/pets?dryRun=1'), {
      method: 'POST',
      headers: {'content-type': 'application/json', 'x-client': 'cli'},
      body: '{"name":"rex"}',
    })
    const missing = await fetch(errorsUrl('/pets'), {method: 'POST', headers: {'content-type': 'application/json'}, body: '{}'})
    const good = await fetch(errorsUrl('/pets?dryRun=1'), {
      method: 'POST',
      headers: {'content-type': 'application/json', 'x-client': 'cli'},
      body: '{"name":"rex","price":1}',
    })
    // Then the gateway responses carry what was wrong, in the validator's words
    assert.equal(bad.status, 400)
    assert.deepEqual(await bad.json(), {
      message: 'Invalid request body',
      type: 'BAD_REQUEST_BODY',
      raw: 'Invalid request body',
      detail: '[object has missing required properties (["price"])]',
    })
    assert.equal(missing.status, 400)
    const parameters = 'Missing required request parameters: [X-Client, dryRun]'
    assert.deepEqual(await missing.json(), {message: parameters, type: 'BAD_REQUEST_PARAMETERS', raw: parameters, detail: parameters})
    assert.equal(good.status, 200)
    // And the access log has them too, with `-` where a request had no error
    await t.emulator.dataPlane.flushLogs()
    const events = await t.logs.send(new FilterLogEventsCommand({logGroupName: '/apigw/errors'}))
    assert.deepEqual(
      (events.events ?? []).map((e) => e.message),
      [
        '400|BAD_REQUEST_BODY|Invalid request body|[object has missing required properties (["price"])]',
        `400|BAD_REQUEST_PARAMETERS|${parameters}|${parameters}`,
        '200|-|-|-',
      ],
    )
  })
})
