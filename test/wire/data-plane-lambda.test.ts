/**
 * Lambda integrations through real HTTP against the in-process emulator, with an in-test function host
 * (the same seam functions/index.ts fills): the proxy event 1.0 as AWS builds it, the proxy answer, 502 for
 * a function error, non-proxy selectionPattern on errorMessage, async invocation, and the integration timeout.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${name}/invocations`

type Call = {ref: string; event: Record<string, unknown>; invocationType: string | undefined}

function testHost(calls: Call[]): FunctionHost {
  return {
    async invoke(ref, payload, opts) {
      const event = JSON.parse(payload.toString('utf8') || 'null') as Record<string, unknown>
      calls.push({ref, event, invocationType: opts.invocationType})
      const name = /function:([^/:]+)/.exec(ref)?.[1]
      if (name === 'echo')
        return {
          statusCode: 200,
          payload: Buffer.from(JSON.stringify({statusCode: 200, headers: {'x-fn': 'echo'}, body: JSON.stringify({path: event.path})})),
        }
      if (name === 'boom')
        return {
          statusCode: 200,
          functionError: 'Unhandled',
          payload: Buffer.from(JSON.stringify({errorType: 'Error', errorMessage: 'Not Found: pet 7'})),
        }
      if (name === 'plain') return {statusCode: 200, payload: Buffer.from(JSON.stringify({pets: [1, 2]}))}
      // A function that never answers: the stage's timeoutInMillis (100 ms) must end the call, not the function.
      if (name === 'slow') await new Promise(() => {})
      return {statusCode: opts.invocationType === 'Event' ? 202 : 200, payload: Buffer.alloc(0)}
    },
    async close() {},
  }
}

const spec = {
  openapi: '3.0.1',
  info: {title: 'fn', version: '1'},
  paths: {
    '/echo/{proxy+}': {
      parameters: [{name: 'proxy', in: 'path', required: true, schema: {type: 'string'}}],
      'x-amazon-apigateway-any-method': {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('echo')},
      },
    },
    '/boom': {
      get: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('boom')},
      },
    },
    '/getlambda': {
      get: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'GET', uri: fnUri('echo')},
      },
    },
    '/slow': {
      get: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('slow'), timeoutInMillis: 100},
      },
    },
    '/pets/{id}': {
      parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string'}}],
      get: {
        responses: {'200': {description: 'ok'}, '404': {description: 'nf'}},
        'x-amazon-apigateway-integration': {
          type: 'aws',
          httpMethod: 'POST',
          uri: fnUri('boom'),
          responses: {'.*Not Found.*': {statusCode: '404'}, default: {statusCode: '200'}},
        },
      },
    },
    '/plain': {
      post: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {
          type: 'aws',
          httpMethod: 'POST',
          uri: fnUri('plain'),
          responses: {'.*Not Found.*': {statusCode: '404'}, default: {statusCode: '200'}},
        },
      },
    },
    '/async': {
      post: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {
          type: 'aws',
          httpMethod: 'POST',
          uri: fnUri('later'),
          requestParameters: {'integration.request.header.X-Amz-Invocation-Type': "'Event'"},
          responses: {default: {statusCode: '200'}},
        },
      },
    },
  },
}

describe('data plane: Lambda integrations', () => {
  let t: TestEmulator
  let apiId: string
  const calls: Call[] = []
  const url = (path: string) => `${t.url}/_aws/execute-api/${apiId}/dev${path}`

  before(async () => {
    t = await startTestEmulator({emulator: {functionHost: testHost(calls)}})
    apiId = (await t.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))).id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev', variables: {color: 'blue'}}))
  })
  after(() => t.close())

  it('AWS_PROXY: the proxy event 1.0 carries the request as AWS builds it', async () => {
    calls.length = 0
    const res = await fetch(url('/echo/a/b/?q=1&q=2&sp=a+b'), {
      method: 'POST',
      headers: {'X-Custom': 'v', 'content-type': 'application/json'},
      body: '{"x":1}',
    })
    assert.equal(res.status, 200)
    assert.equal(res.headers.get('x-fn'), 'echo')
    assert.ok(res.headers.get('x-amzn-trace-id'))
    assert.deepEqual(await res.json(), {path: '/echo/a/b/'})
    const {event, ref} = calls[0]!
    assert.equal(ref, fnUri('echo'))
    assert.equal(event.resource, '/echo/{proxy+}')
    assert.equal(event.path, '/echo/a/b/')
    assert.equal(event.httpMethod, 'POST')
    assert.deepEqual(event.pathParameters, {proxy: 'a/b'})
    assert.deepEqual(event.queryStringParameters, {q: '2', sp: 'a b'})
    assert.deepEqual(event.multiValueQueryStringParameters, {q: ['1', '2'], sp: ['a b']})
    assert.equal((event.headers as Record<string, string>)['X-Custom'] ?? (event.headers as Record<string, string>)['x-custom'], 'v')
    assert.deepEqual(event.stageVariables, {color: 'blue'})
    assert.equal(event.body, '{"x":1}')
    assert.equal(event.isBase64Encoded, false)
    const rc = event.requestContext as Record<string, unknown>
    assert.equal(rc.path, '/dev/echo/a/b/')
    assert.equal(rc.stage, 'dev')
    assert.equal(rc.apiId, apiId)
    assert.equal(rc.resourcePath, '/echo/{proxy+}')
    assert.equal(rc.requestId, res.headers.get('x-amzn-requestid'))
    assert.match(String(rc.requestTime), /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/)
    assert.equal((rc.identity as Record<string, unknown>).sourceIp, '127.0.0.1')
  })

  it('AWS_PROXY: a GET request without body or query has nulls where AWS has them', async () => {
    calls.length = 0
    await fetch(url('/echo/x'))
    const {event} = calls[0]!
    assert.equal(event.body, null)
    assert.equal(event.queryStringParameters, null)
    assert.equal(event.multiValueQueryStringParameters, null)
  })

  it('AWS_PROXY: a function error is 502; a Lambda integration not invoked with POST is 500', async () => {
    const boom = await fetch(url('/boom'))
    assert.equal(boom.status, 502)
    assert.deepEqual(await boom.json(), {message: 'Internal server error'})
    const get = await fetch(url('/getlambda'))
    assert.equal(get.status, 500)
  })

  it('AWS_PROXY: a function slower than timeoutInMillis is 504', async () => {
    const res = await fetch(url('/slow'))
    assert.equal(res.status, 504)
    assert.deepEqual(await res.json(), {message: 'Endpoint request timed out'})
  })

  it('AWS (non-proxy): selectionPattern matches the errorMessage; success takes the default response', async () => {
    const nf = await fetch(url('/pets/7'))
    assert.equal(nf.status, 404)
    assert.deepEqual(await nf.json(), {errorType: 'Error', errorMessage: 'Not Found: pet 7'})
    const ok = await fetch(url('/plain'), {method: 'POST', body: '{}', headers: {'content-type': 'application/json'}})
    assert.equal(ok.status, 200)
    assert.deepEqual(await ok.json(), {pets: [1, 2]})
  })

  it('AWS (non-proxy): X-Amz-Invocation-Type: Event invokes asynchronously', async () => {
    calls.length = 0
    const res = await fetch(url('/async'), {method: 'POST', body: '{"a":1}', headers: {'content-type': 'application/json'}})
    assert.equal(res.status, 200)
    assert.equal(calls[0]?.invocationType, 'Event')
    assert.deepEqual(calls[0]?.event, {a: 1})
  })
})
