/**
 * HTTP API (v2) stages served by the emulator, through real HTTP (fetch) against the in-process emulator:
 * AWS's route priority, the `$default` stage without a stage segment, Lambda payloads 1.0 and 2.0 (events
 * and answers), HTTP_PROXY with path and stage variables, and the gateway's own answers (404 Not Found,
 * 500 Internal Server Error, 503 on a timeout, 501 for a VPC link). The function host is an in-test one
 * (the seam functions/index.ts fills); the HTTP backend is a node:http server on 127.0.0.1 port 0.
 */
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  CreateVpcLinkCommand,
} from '@aws-sdk/client-apigatewayv2'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rawRequest} from '../helpers/raw-http.ts'

const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`

type Call = {name: string; event: Record<string, unknown>}

/** Functions answer by name: `echo` returns the event's routeKey, the others one answer shape each. */
function testHost(calls: Call[]): FunctionHost {
  const json = (v: unknown) => ({statusCode: 200, payload: Buffer.from(JSON.stringify(v))})
  return {
    async invoke(ref, payload) {
      const event = JSON.parse(payload.toString('utf8')) as Record<string, unknown>
      const name = /function:([^/:]+)/.exec(ref)?.[1] ?? ref
      calls.push({name, event})
      switch (name) {
        case 'route':
          return json({statusCode: 200, body: String(event.routeKey)})
        case 'cookies':
          return json({statusCode: 201, headers: {'x-a': 'b'}, cookies: ['a=1; Path=/', 'b=2'], body: 'made'})
        case 'plainobject':
          return json({message: 'Hello from Lambda!'})
        case 'plainstring':
          return json('Hello from Lambda!')
        case 'v1answer':
          return json({statusCode: 202, multiValueHeaders: {'x-m': ['1', '2']}, headers: {'x-s': 's'}, body: 'v1'})
        case 'v1nostatus':
          return json({body: 'no status'})
        case 'boom':
          return {statusCode: 200, functionError: 'Unhandled', payload: Buffer.from('{"errorType":"Error","errorMessage":"boom"}')}
        case 'slow':
          return new Promise(() => {})
        default:
          return json({statusCode: 200, body: 'ok'})
      }
    },
    async close() {},
  }
}

describe('HTTP API data plane: routes, payloads 1.0/2.0, HTTP_PROXY, errors', () => {
  let t: TestEmulator
  let backend: Server
  let backendUrl: string
  const seen: Array<{method: string; url: string; headers: Record<string, unknown>; body: string}> = []
  const calls: Call[] = []
  let apiId: string
  let bareApiId: string
  const hostUrl = (id: string, path: string) => `${t.url}/_aws/execute-api/${id}${path}`

  async function integration(ApiId: string, input: Record<string, unknown>): Promise<string> {
    const out = await t.v2.send(new CreateIntegrationCommand({ApiId, ...input} as never))
    return out.IntegrationId!
  }
  async function route(ApiId: string, RouteKey: string, target: string): Promise<void> {
    await t.v2.send(new CreateRouteCommand({ApiId, RouteKey, Target: `integrations/${target}`}))
  }
  const lambda = (ApiId: string, name: string, version = '2.0') =>
    integration(ApiId, {IntegrationType: 'AWS_PROXY', IntegrationUri: fnArn(name), PayloadFormatVersion: version})

  before(async () => {
    backend = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        seen.push({method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString()})
        res.writeHead(207, {'content-type': 'text/plain', 'x-backend': 'yes'})
        res.end(`backend saw ${req.method} ${req.url}`)
      })
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    t = await startTestEmulator({emulator: {functionHost: testHost(calls)}})

    // An API with a $default stage (autoDeploy) and a named stage `dev` sharing its deployments.
    apiId = (await t.v2.send(new CreateApiCommand({Name: 'pets', ProtocolType: 'HTTP'}))).ApiId!
    const r = await lambda(apiId, 'route')
    for (const key of ['GET /pets/dog/1', 'GET /pets/dog/{id}', 'GET /pets/{proxy+}', 'ANY /{proxy+}', 'POST /pets/dog/1', '$default'])
      await route(apiId, key, r)
    await route(apiId, 'GET /v2/cookies', await lambda(apiId, 'cookies'))
    await route(apiId, 'GET /v2/object', await lambda(apiId, 'plainobject'))
    await route(apiId, 'GET /v2/string', await lambda(apiId, 'plainstring'))
    await route(apiId, 'POST /v2/echo/{id}', await lambda(apiId, 'echo'))
    await route(apiId, 'POST /v1/echo/{id}', await lambda(apiId, 'echo', '1.0'))
    await route(apiId, 'GET /v1/answer', await lambda(apiId, 'v1answer', '1.0'))
    await route(apiId, 'GET /v1/nostatus', await lambda(apiId, 'v1nostatus', '1.0'))
    await route(apiId, 'GET /boom', await lambda(apiId, 'boom'))
    await route(
      apiId,
      'GET /slow',
      await integration(apiId, {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: fnArn('slow'),
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 100,
      }),
    )
    await route(
      apiId,
      'ANY /proxy/{proxy+}',
      await integration(apiId, {
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'ANY',
        IntegrationUri: `${backendUrl}/\${stageVariables.base}/{proxy}`,
      }),
    )
    await route(
      apiId,
      'GET /down',
      await integration(apiId, {
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'GET',
        IntegrationUri: 'http://127.0.0.1:9/nothing',
      }),
    )
    await route(
      apiId,
      'GET /private',
      await integration(apiId, {
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'GET',
        IntegrationUri: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:listener/app/x/1/2',
        ConnectionType: 'VPC_LINK',
        ConnectionId: (await t.v2.send(new CreateVpcLinkCommand({Name: 'link', SubnetIds: ['subnet-1']}))).VpcLinkId!,
      }),
    )
    await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: '$default', AutoDeploy: true, StageVariables: {base: 'root'}}))
    await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', AutoDeploy: true, StageVariables: {base: 'devroot'}}))

    // An API without a $default route or stage: unknown paths and stages are 404.
    bareApiId = (await t.v2.send(new CreateApiCommand({Name: 'bare', ProtocolType: 'HTTP'}))).ApiId!
    await route(bareApiId, 'GET /only', await lambda(bareApiId, 'route'))
    await t.v2.send(new CreateStageCommand({ApiId: bareApiId, StageName: 'dev', AutoDeploy: true}))
  })
  after(async () => {
    await t.close()
    await new Promise<void>((resolve) => backend.close(() => resolve()))
  })

  it('routes by AWS priority: exact, then {param}, then {proxy+}, then ANY, then $default', async () => {
    // Given the docs' example routes; When each request is sent; Then the most specific route takes it.
    const cases: Array<[string, string, string]> = [
      ['GET', '/pets/dog/1', 'GET /pets/dog/1'],
      ['GET', '/pets/dog/2', 'GET /pets/dog/{id}'],
      ['GET', '/pets/cat/1', 'GET /pets/{proxy+}'],
      ['POST', '/pets/dog/1', 'POST /pets/dog/1'],
      ['PUT', '/pets/dog/1', 'ANY /{proxy+}'],
      ['GET', '/', '$default'],
    ]
    for (const [method, path, key] of cases) {
      const res = await fetch(hostUrl(apiId, path), {method})
      assert.equal(res.status, 200, `${method} ${path}`)
      assert.equal(await res.text(), key, `${method} ${path}`)
    }
  })

  it('serves the $default stage without a stage segment and a named stage under its name', async () => {
    calls.length = 0
    await fetch(hostUrl(apiId, '/v2/echo/7'), {method: 'POST', body: 'x'})
    await fetch(hostUrl(apiId, '/dev/v2/echo/8'), {method: 'POST', body: 'x'})
    const [root, dev] = calls.map((c) => c.event)
    assert.equal(root!.rawPath, '/v2/echo/7')
    assert.equal((root!.requestContext as Record<string, unknown>).stage, '$default')
    assert.deepEqual(root!.stageVariables, {base: 'root'})
    assert.equal(dev!.rawPath, '/dev/v2/echo/8')
    assert.equal((dev!.requestContext as Record<string, unknown>).stage, 'dev')
    assert.deepEqual(dev!.pathParameters, {id: '8'})
    // The host-style address serves the same stages.
    const host = await rawRequest(`http://127.0.0.1:${t.emulator.port}/v2/string`, {headers: [['host', `${apiId}.execute-api.localhost`]]})
    assert.equal(host.body, 'Hello from Lambda!')
  })

  it('answers 404 {"message":"Not Found"} with no matching route or stage', async () => {
    for (const path of ['/dev/other', '/dev/only/x', '/nostage/only', '/']) {
      const res = await fetch(hostUrl(bareApiId, path))
      assert.equal(res.status, 404, path)
      assert.deepEqual(await res.json(), {message: 'Not Found'})
      assert.ok(res.headers.get('apigw-requestid'))
    }
    assert.equal((await fetch(hostUrl(bareApiId, '/dev/only'))).status, 200)
  })

  it('payload 2.0: the event as AWS documents it (cookies, comma-joined headers and query, body)', async () => {
    calls.length = 0
    const res = await rawRequest(hostUrl(apiId, '/v2/echo/42?a=1&a=2&b=x%20y'), {
      method: 'POST',
      headers: [
        ['cookie', 'c1=v1; c2=v2'],
        ['x-multi', 'one'],
        ['x-multi', 'two'],
        ['content-type', 'application/json'],
        ['user-agent', 'ua'],
      ],
      body: '{"n":1}',
    })
    assert.equal(res.status, 200)
    const e = calls[0]!.event
    assert.equal(e.version, '2.0')
    assert.equal(e.routeKey, 'POST /v2/echo/{id}')
    assert.equal(e.rawPath, '/v2/echo/42')
    assert.equal(e.rawQueryString, 'a=1&a=2&b=x%20y')
    assert.deepEqual(e.cookies, ['c1=v1', 'c2=v2'])
    const headers = e.headers as Record<string, string>
    assert.equal(headers['x-multi'], 'one,two')
    assert.equal(headers.cookie, undefined)
    assert.deepEqual(e.queryStringParameters, {a: '1,2', b: 'x y'})
    assert.deepEqual(e.pathParameters, {id: '42'})
    assert.equal(e.body, '{"n":1}')
    assert.equal(e.isBase64Encoded, false)
    const rc = e.requestContext as Record<string, unknown>
    assert.deepEqual(rc.http, {method: 'POST', path: '/v2/echo/42', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'ua'})
    assert.equal(rc.routeKey, 'POST /v2/echo/{id}')
    assert.equal(rc.requestId, res.headers['apigw-requestid'])
    assert.equal(rc.apiId, apiId)
    assert.match(String(rc.time), /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/)
    assert.equal(typeof rc.timeEpoch, 'number')
    assert.equal(rc.authorizer, undefined)
  })

  it('payload 2.0: a binary body arrives base64-encoded', async () => {
    calls.length = 0
    await fetch(hostUrl(apiId, '/v2/echo/1'), {
      method: 'POST',
      headers: {'content-type': 'image/png'},
      body: Buffer.from([0x89, 0x50, 0xff]),
    })
    assert.equal(calls[0]!.event.isBase64Encoded, true)
    assert.equal(calls[0]!.event.body, Buffer.from([0x89, 0x50, 0xff]).toString('base64'))
  })

  it('payload 2.0 answers: cookies become set-cookie headers; JSON without statusCode is a 200 JSON body', async () => {
    const cookies = await fetch(hostUrl(apiId, '/v2/cookies'))
    assert.equal(cookies.status, 201)
    assert.deepEqual(cookies.headers.getSetCookie(), ['a=1; Path=/', 'b=2'])
    assert.equal(cookies.headers.get('x-a'), 'b')
    assert.equal(await cookies.text(), 'made')
    const object = await fetch(hostUrl(apiId, '/v2/object'))
    assert.equal(object.status, 200)
    assert.equal(object.headers.get('content-type'), 'application/json')
    assert.deepEqual(await object.json(), {message: 'Hello from Lambda!'})
    const string = await fetch(hostUrl(apiId, '/v2/string'))
    assert.equal(await string.text(), 'Hello from Lambda!')
  })

  it('payload 1.0: the REST-shaped event with version 1.0; answers with multiValueHeaders; statusCode required', async () => {
    calls.length = 0
    await rawRequest(hostUrl(apiId, '/dev/v1/echo/5?q=1&q=2'), {
      method: 'POST',
      headers: [
        ['x-m', 'a'],
        ['x-m', 'b'],
      ],
      body: 'hi',
    })
    const e = calls[0]!.event
    assert.equal(e.version, '1.0')
    assert.equal(e.resource, '/v1/echo/{id}')
    assert.equal(e.path, '/dev/v1/echo/5')
    assert.equal(e.httpMethod, 'POST')
    assert.equal((e.headers as Record<string, string>)['x-m'], 'b')
    assert.deepEqual((e.multiValueHeaders as Record<string, string[]>)['x-m'], ['a', 'b'])
    assert.deepEqual(e.queryStringParameters, {q: '2'})
    assert.deepEqual(e.multiValueQueryStringParameters, {q: ['1', '2']})
    assert.deepEqual(e.pathParameters, {id: '5'})
    assert.equal(e.body, 'hi')
    const rc = e.requestContext as Record<string, unknown>
    assert.equal(rc.stage, 'dev')
    assert.equal(rc.resourcePath, '/v1/echo/{id}')
    assert.deepEqual(rc.authorizer, {claims: null, scopes: null})
    const answer = await fetch(hostUrl(apiId, '/v1/answer'))
    assert.equal(answer.status, 202)
    assert.equal(answer.headers.get('x-m'), '1, 2')
    assert.equal(answer.headers.get('x-s'), 's')
    assert.equal(await answer.text(), 'v1')
    const nostatus = await fetch(hostUrl(apiId, '/v1/nostatus'))
    assert.equal(nostatus.status, 500)
    assert.deepEqual(await nostatus.json(), {message: 'Internal Server Error'})
  })

  it('a function error is 500 Internal Server Error; a function past timeoutInMillis is 503', async () => {
    const boom = await fetch(hostUrl(apiId, '/boom'))
    assert.equal(boom.status, 500)
    assert.deepEqual(await boom.json(), {message: 'Internal Server Error'})
    const slow = await fetch(hostUrl(apiId, '/slow'))
    assert.equal(slow.status, 503)
    assert.deepEqual(await slow.json(), {message: 'Service Unavailable'})
  })

  it('HTTP_PROXY: {proxy} and ${stageVariables.x} fill the URI; method, query, headers and body pass through', async () => {
    seen.length = 0
    const res = await fetch(hostUrl(apiId, '/dev/proxy/a/b%20c?x=1&x=2'), {method: 'PATCH', headers: {'x-client': 'c'}, body: 'payload'})
    assert.equal(res.status, 207)
    assert.equal(res.headers.get('x-backend'), 'yes')
    assert.equal(await res.text(), 'backend saw PATCH /devroot/a/b%20c?x=1&x=2')
    const got = seen[0]!
    assert.equal(got.body, 'payload')
    assert.equal(got.headers['x-client'], 'c')
    assert.equal(got.headers['x-forwarded-for'], '127.0.0.1')
    assert.ok(got.headers['x-amzn-trace-id'])
    const root = await fetch(hostUrl(apiId, '/proxy/z'))
    assert.equal(await root.text(), 'backend saw GET /root/z')
  })

  it('HTTP_PROXY: an unreachable backend is 500; a VPC link integration is 501 (not emulated)', async () => {
    const down = await fetch(hostUrl(apiId, '/down'))
    assert.equal(down.status, 500)
    assert.deepEqual(await down.json(), {message: 'Internal Server Error'})
    const vpc = await fetch(hostUrl(apiId, '/private'))
    assert.equal(vpc.status, 501)
    assert.match(((await vpc.json()) as {message: string}).message, /VPC links.*not supported by the apigw local emulator/)
  })
})
