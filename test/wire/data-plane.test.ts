/**
 * The REST data plane through real HTTP (fetch) against the in-process emulator: addresses, routing as
 * AWS routes, MOCK, HTTP and HTTP_PROXY integrations (timeouts, resets), gateway responses, canaries,
 * access and execution logs, and that the control plane and data plane never shadow each other.
 */
import assert from 'node:assert/strict'
import {createServer, type IncomingMessage, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {
  CreateDeploymentCommand,
  CreateStageCommand,
  GetRestApisCommand,
  ImportRestApiCommand,
  GetResourcesCommand,
  PutGatewayResponseCommand,
  TestInvokeMethodCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type Backend = {
  url: string
  server: Server
  seen: Array<{method: string; url: string; headers: IncomingMessage['headers']; rawHeaders: string[]; body: string}>
}

async function startBackend(): Promise<Backend> {
  const seen: Backend['seen'] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString(),
      })
      if (req.url?.startsWith('/hang')) return // never answers
      if (req.url?.startsWith('/reset')) {
        req.socket.destroy()
        return
      }
      if (req.url?.startsWith('/status/')) {
        res.writeHead(Number(req.url.split('/')[2]), {'content-type': 'text/plain'})
        res.end('backend status')
        return
      }
      res.setHeader('Set-Cookie', ['a=1', 'b=2'])
      res.writeHead(201, {'content-type': 'application/json', server: 'tiny', 'www-authenticate': 'Basic', 'x-backend': 'yes'})
      res.end(JSON.stringify({method: req.method, url: req.url}))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen}
}

const mock = (template = '{"statusCode": 200}', responseTemplate = '{"mock":true}') => ({
  type: 'mock',
  requestTemplates: {'application/json': template},
  responses: {'204': {statusCode: '204'}, default: {statusCode: '200', responseTemplates: {'application/json': responseTemplate}}},
})

function spec(backend: string) {
  const op = (body: string) => ({responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mock(undefined, body)})
  return {
    openapi: '3.0.1',
    info: {title: 'dp', version: '1'},
    paths: {
      '/': {get: op('{"at":"root"}')},
      '/pets': {get: op('{"at":"pets"}'), post: op('{"at":"pets-post"}')},
      '/pets/mine': {get: op('{"at":"mine"}')},
      '/pets/{id}': {get: op('{"at":"pet"}'), parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string'}}]},
      '/files/{proxy+}': {
        parameters: [{name: 'proxy', in: 'path', required: true, schema: {type: 'string'}}],
        'x-amazon-apigateway-any-method': op('{"at":"files-any"}'),
      },
      '/files/readme': {get: op('{"at":"readme"}')},
      '/lenient': {options: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mock('{statusCode: 204}', '')}},
      '/badmock': {get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mock('{"nope": 1}')}},
      '/never': {
        post: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': {...mock(), passthroughBehavior: 'never'}},
      },
      '/proxy/{proxy+}': {
        parameters: [{name: 'proxy', in: 'path', required: true, schema: {type: 'string'}}],
        'x-amazon-apigateway-any-method': {
          responses: {'200': {description: 'ok'}},
          'x-amazon-apigateway-integration': {
            type: 'http_proxy',
            httpMethod: 'ANY',
            uri: `${backend}/{proxy}`,
            requestParameters: {'integration.request.path.proxy': 'method.request.path.proxy'},
            timeoutInMillis: 300,
          },
        },
      },
      '/http': {
        get: {
          responses: {'200': {description: 'ok'}},
          'x-amazon-apigateway-integration': {
            type: 'http',
            httpMethod: 'POST',
            uri: '${stageVariables.backend}/status/{code}',
            requestParameters: {
              'integration.request.path.code': 'method.request.querystring.code',
              'integration.request.header.x-from': "'gateway'",
            },
            responses: {
              '4\\d{2}': {
                statusCode: '400',
                responseParameters: {'method.response.header.x-upstream': 'integration.response.header.content-type'},
              },
              default: {statusCode: '200'},
            },
          },
        },
      },
      '/sqs': {
        post: {
          responses: {'200': {description: 'ok'}},
          'x-amazon-apigateway-integration': {
            type: 'aws',
            httpMethod: 'POST',
            uri: 'arn:aws:apigateway:us-east-1:sqs:path/000000000000/queue',
          },
        },
      },
    },
  }
}

describe('data plane (REST)', () => {
  let t: TestEmulator
  let backend: Backend
  let apiId: string
  let draw = 0.99
  const hostUrl = (stage: string, path: string) => `http://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/${stage}${path}`

  before(async () => {
    backend = await startBackend()
    t = await startTestEmulator({emulator: {random: () => draw}})
    const api = await t.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec(backend.url)))}))
    apiId = api.id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev', variables: {backend: backend.url}}))
  })
  after(async () => {
    await t.close()
    backend.server.closeAllConnections()
    await new Promise((r) => backend.server.close(r))
  })

  it('serves a deployed stage at the host-style and the path-style address', async () => {
    // Given a deployed MOCK method, When it is called both ways, Then both answer from the deployment
    const path = await fetch(hostUrl('dev', '/pets'))
    assert.equal(path.status, 200)
    assert.deepEqual(await path.json(), {at: 'pets'})
    assert.ok(path.headers.get('x-amzn-requestid'))
    assert.ok(path.headers.get('x-amz-apigw-id'))
    assert.equal(path.headers.get('content-type'), 'application/json')
    // Host style: undici cannot resolve *.localhost everywhere, so the Host header is set on a loopback connection.
    const {request} = await import('node:http')
    const body = await new Promise<{status: number; text: string}>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: t.emulator.port,
          path: '/dev/pets/mine',
          headers: {host: `${apiId}.execute-api.localhost:${t.emulator.port}`},
        },
        (res) => {
          let text = ''
          res.setEncoding('utf8').on('data', (d: string) => {
            text += d
          })
          res.on('end', () => resolve({status: res.statusCode ?? 0, text}))
        },
      )
      req.on('error', reject)
      req.end()
    })
    assert.equal(body.status, 200)
    assert.deepEqual(JSON.parse(body.text), {at: 'mine'})
  })

  it('routes as AWS: literal before {param} before {proxy+}, trailing slash, ANY, root', async () => {
    const cases: Array<[string, string, unknown]> = [
      ['GET', '/', {at: 'root'}],
      ['GET', '/pets/', {at: 'pets'}],
      ['GET', '/pets/mine', {at: 'mine'}],
      ['GET', '/pets/7', {at: 'pet'}],
      ['GET', '/files/readme', {at: 'readme'}],
      ['DELETE', '/files/readme', {at: 'files-any'}],
      ['PATCH', '/files/a/b/c', {at: 'files-any'}],
      ['POST', '/pets', {at: 'pets-post'}],
    ]
    for (const [method, path, expected] of cases) {
      const res = await fetch(hostUrl('dev', path), {method})
      assert.equal(res.status, 200, `${method} ${path}`)
      assert.deepEqual(await res.json(), expected, `${method} ${path}`)
    }
  })

  it('answers 403 Missing Authentication Token for an unknown path, method or stage, and HEAD is not GET', async () => {
    for (const [method, url] of [
      ['GET', hostUrl('dev', '/nope')],
      ['DELETE', hostUrl('dev', '/pets')],
      ['HEAD', hostUrl('dev', '/pets')],
      ['GET', hostUrl('prod', '/pets')],
      ['GET', `http://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}`],
      ['GET', `http://127.0.0.1:${t.emulator.port}/_aws/execute-api/nosuchapi/dev/pets`],
      ['GET', hostUrl('dev', '/files')],
    ] as const) {
      const res = await fetch(url, {method})
      assert.equal(res.status, 403, `${method} ${url}`)
      assert.equal(res.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException')
      assert.ok(res.headers.get('x-amzn-requestid'))
      assert.ok(res.headers.get('x-amz-apigw-id'))
      if (method !== 'HEAD') assert.deepEqual(await res.json(), {message: 'Missing Authentication Token'})
    }
  })

  it('keeps the control plane and the data plane apart', async () => {
    // The control plane still answers its own paths, and a data-plane path never reaches an operation
    const apis = await t.v1.send(new GetRestApisCommand({}))
    assert.ok(apis.items?.some((a) => a.id === apiId))
    const res = await fetch(`http://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/restapis`)
    assert.equal(res.status, 403)
  })

  it('MOCK: status from the request template, the lenient {statusCode: 204}, a missing statusCode is 500, NEVER is 415', async () => {
    const lenient = await fetch(hostUrl('dev', '/lenient'), {method: 'OPTIONS'})
    assert.equal(lenient.status, 204)
    const bad = await fetch(hostUrl('dev', '/badmock'))
    assert.equal(bad.status, 500)
    assert.deepEqual(await bad.json(), {message: 'Internal server error'})
    const never = await fetch(hostUrl('dev', '/never'), {method: 'POST', headers: {'content-type': 'text/plain'}, body: 'x'})
    assert.equal(never.status, 415)
    assert.deepEqual(await never.json(), {message: 'Unsupported Media Type'})
  })

  it('HTTP_PROXY: method, path, query and headers pass through; response headers remapped as AWS does', async () => {
    backend.seen.length = 0
    const res = await fetch(hostUrl('dev', '/proxy/a/b%20c?x=1&x=2'), {
      method: 'PUT',
      headers: {'x-client': 'c1', 'content-type': 'text/plain'},
      body: 'hello',
    })
    assert.equal(res.status, 201)
    assert.deepEqual(await res.json(), {method: 'PUT', url: '/a/b%20c?x=1&x=2'})
    const got = backend.seen[0]!
    assert.equal(got.body, 'hello')
    assert.equal(got.headers['x-client'], 'c1')
    assert.equal(got.headers.host, new URL(backend.url).host)
    assert.equal(res.headers.get('x-backend'), 'yes')
    assert.equal(res.headers.get('x-amzn-remapped-server'), 'tiny')
    assert.equal(res.headers.get('x-amzn-remapped-www-authenticate'), 'Basic')
    assert.deepEqual(res.headers.getSetCookie(), ['a=1', 'b=2'])
  })

  it('HTTP_PROXY: a backend that hangs past timeoutInMillis is 504, one that resets is 502; the emulator keeps serving', async () => {
    const started = performance.now()
    const hang = await fetch(hostUrl('dev', '/proxy/hang'))
    assert.equal(hang.status, 504)
    assert.deepEqual(await hang.json(), {message: 'Endpoint request timed out'})
    assert.ok(performance.now() - started < 5000)
    const reset = await fetch(hostUrl('dev', '/proxy/reset'))
    assert.equal(reset.status, 502)
    assert.deepEqual(await reset.json(), {message: 'Internal server error'})
    const ok = await fetch(hostUrl('dev', '/pets'))
    assert.equal(ok.status, 200)
  })

  it('HTTP: stage variables in the URI, mapped parameters, integrationHttpMethod, selectionPattern on the status', async () => {
    backend.seen.length = 0
    const notFound = await fetch(hostUrl('dev', '/http?code=404'))
    assert.equal(notFound.status, 400)
    assert.equal(notFound.headers.get('x-upstream'), 'text/plain')
    assert.equal(await notFound.text(), 'backend status')
    const seen = backend.seen[0]!
    assert.equal(seen.method, 'POST')
    assert.equal(seen.url, '/status/404')
    assert.equal(seen.headers['x-from'], 'gateway')
    assert.equal(seen.headers['user-agent'], `AmazonAPIGateway_${apiId}`)
    const ok = await fetch(hostUrl('dev', '/http?code=200'))
    assert.equal(ok.status, 200)
  })

  it('an AWS service integration other than Lambda answers 500', async () => {
    const res = await fetch(hostUrl('dev', '/sqs'), {method: 'POST', body: '{}'})
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), {message: 'Internal server error'})
  })

  it('a body over 10 MB is 413', async () => {
    const res = await fetch(hostUrl('dev', '/pets'), {method: 'POST', body: Buffer.alloc(10 * 1024 * 1024 + 1, 97)})
    assert.equal(res.status, 413)
    assert.equal(res.headers.get('x-amzn-errortype'), 'RequestTooLargeException')
  })

  it('customised gateway responses: a type wins over DEFAULT_4XX, which covers the rest', async () => {
    // Given a customised MISSING_AUTHENTICATION_TOKEN (404) and DEFAULT_4XX, deployed to a new stage
    await t.v1.send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'MISSING_AUTHENTICATION_TOKEN',
        statusCode: '404',
        responseParameters: {'gatewayresponse.header.x-custom': "'nf'"},
        responseTemplates: {'application/json': '{"custom":"not found"}'},
      }),
    )
    await t.v1.send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'DEFAULT_4XX',
        responseParameters: {'gatewayresponse.header.Access-Control-Allow-Origin': "'*'"},
      }),
    )
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'gr'}))
    const missing = await fetch(hostUrl('gr', '/nope'))
    assert.equal(missing.status, 404)
    assert.equal(missing.headers.get('x-custom'), 'nf')
    assert.deepEqual(await missing.json(), {custom: 'not found'})
    const unsupported = await fetch(hostUrl('gr', '/never'), {method: 'POST', headers: {'content-type': 'text/plain'}, body: 'x'})
    assert.equal(unsupported.status, 415)
    assert.equal(unsupported.headers.get('access-control-allow-origin'), '*')
    // And the stage deployed before the change still answers AWS's default
    const before = await fetch(hostUrl('dev', '/nope'))
    assert.equal(before.status, 403)
  })

  it('a canary stage splits by percentTraffic, with its variable overrides', async () => {
    // Given stage c on deployment 1 and a canary (50%) on deployment 2 whose spec differs
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'c'}))
    const changed = spec(backend.url)
    changed.paths['/pets'].get = {
      responses: {'200': {description: 'ok'}},
      'x-amazon-apigateway-integration': mock(undefined, '{"at":"canary"}'),
    }
    const {PutRestApiCommand} = await import('@aws-sdk/client-api-gateway')
    await t.v1.send(new PutRestApiCommand({restApiId: apiId, mode: 'overwrite', body: new TextEncoder().encode(JSON.stringify(changed))}))
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'c', canarySettings: {percentTraffic: 50}}))
    draw = 0.2
    assert.deepEqual(await (await fetch(hostUrl('c', '/pets'))).json(), {at: 'canary'})
    draw = 0.7
    assert.deepEqual(await (await fetch(hostUrl('c', '/pets'))).json(), {at: 'pets'})
    // And the working API is not served: stage dev still answers its own deployment
    draw = 0.2
    assert.deepEqual(await (await fetch(hostUrl('dev', '/pets'))).json(), {at: 'pets'})
  })

  it('writes one access-log event per request in the stage format, and execution logs at INFO', async () => {
    await t.v1.send(
      new CreateStageCommand({
        restApiId: apiId,
        stageName: 'logged',
        deploymentId: (await t.v1.send(new CreateDeploymentCommand({restApiId: apiId}))).id!,
      }),
    )
    await t.v1.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'logged',
        patchOperations: [
          {
            op: 'replace',
            path: '/accessLogSettings/destinationArn',
            value: 'arn:aws:logs:us-east-1:000000000000:log-group:/apigw/dp-access',
          },
          {
            op: 'replace',
            path: '/accessLogSettings/format',
            value:
              '{"requestId":"$context.requestId","status":"$context.status","path":"$context.resourcePath","ip":"$context.identity.sourceIp","err":"$context.error.message"}',
          },
          {op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO'},
        ],
      }),
    )
    const res = await fetch(hostUrl('logged', '/pets/9'))
    const requestId = res.headers.get('x-amzn-requestid')!
    const missing = await fetch(hostUrl('logged', '/nope'))
    await t.emulator.dataPlane.flushLogs()
    const access = await t.logs.send(new FilterLogEventsCommand({logGroupName: '/apigw/dp-access'}))
    const events = (access.events ?? []).map((e) => JSON.parse(e.message!) as Record<string, string>)
    assert.equal(events.length, 2)
    assert.deepEqual(events[0], {requestId, status: '200', path: '/pets/{id}', ip: '127.0.0.1', err: '-'})
    assert.deepEqual(events[1], {
      requestId: missing.headers.get('x-amzn-requestid'),
      status: '403',
      path: '/nope',
      ip: '127.0.0.1',
      err: 'Missing Authentication Token',
    })
    const exec = await t.logs.send(
      new FilterLogEventsCommand({logGroupName: `API-Gateway-Execution-Logs_${apiId}/logged`, filterPattern: `"${requestId}"`}),
    )
    const lines = (exec.events ?? []).map((e) => e.message!)
    assert.ok(lines.includes(`(${requestId}) Starting execution for request: ${requestId}`), lines.join('\n'))
    assert.ok(lines.includes(`(${requestId}) HTTP Method: GET, Resource Path: /pets/{id}`))
    assert.ok(lines.includes(`(${requestId}) Method completed with status: 200`))
  })

  it('TestInvokeMethod runs the working API and answers status, body, headers and AWS-style log text', async () => {
    // Given the working API (changed by the canary test) and its /http method
    const resources = await t.v1.send(new GetResourcesCommand({restApiId: apiId}))
    const http = resources.items!.find((r) => r.path === '/http')!
    // When it is test-invoked with a query string and stage variables
    const out = await t.v1.send(
      new TestInvokeMethodCommand({
        restApiId: apiId,
        resourceId: http.id!,
        httpMethod: 'GET',
        pathWithQueryString: '/http?code=404',
        stageVariables: {backend: backend.url},
      }),
    )
    // Then the backend's 404 is selected as 400, with the mapped header, the log and a latency
    assert.equal(out.status, 400)
    assert.equal(out.body, 'backend status')
    assert.equal(out.headers?.['x-upstream'], 'text/plain')
    assert.deepEqual(out.multiValueHeaders?.['x-upstream'], ['text/plain'])
    assert.match(out.log!, /^Execution log for request [0-9a-f-]{36}\n/)
    assert.match(
      out.log!,
      /[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4} : Sending request to http:\/\/127\.0\.0\.1:\d+\/status\/404/,
    )
    assert.match(out.log!, /Method completed with status: 400/)
    assert.equal(typeof out.latency, 'number')
  })
})
