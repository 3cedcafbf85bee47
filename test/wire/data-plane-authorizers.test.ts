/**
 * Lambda authorizers (TOKEN and REQUEST) through real HTTP against the in-process emulator, with an in-test
 * function host and a movable clock: identity sources and validation checked before any invocation, the
 * policy evaluated against the method ARN, AWS's 401/403/500 answers, the context in `$context.authorizer.*`
 * and the proxy event, result caching for authorizerResultTtlInSeconds (re-evaluated per method ARN),
 * FlushStageAuthorizersCache and TestInvokeAuthorizer.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateDeploymentCommand,
  FlushStageAuthorizersCacheCommand,
  GetAuthorizersCommand,
  ImportRestApiCommand,
  TestInvokeAuthorizerCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway'
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${name}/invocations`

type Call = {name: string; event: Record<string, unknown>}

const policy = (effect: string, resource: unknown) => ({
  Version: '2012-10-17',
  Statement: [{Action: 'execute-api:Invoke', Effect: effect, Resource: resource}],
})
const ok = (value: unknown) => ({statusCode: 200, payload: Buffer.from(JSON.stringify(value))})
const thrown = (message: string) => ({
  statusCode: 200,
  functionError: 'Unhandled' as const,
  payload: Buffer.from(JSON.stringify({errorType: 'Error', errorMessage: message})),
})

function testHost(calls: Call[]): FunctionHost {
  return {
    async invoke(ref, payload) {
      const event = JSON.parse(payload.toString('utf8')) as Record<string, unknown>
      const name = /function:([^/:]+)/.exec(ref)?.[1] ?? ''
      calls.push({name, event})
      const arn = String(event.methodArn)
      if (name === 'tokenauth') {
        const token = String(event.authorizationToken)
        if (token === 'allow-abc')
          return ok({
            principalId: 'alice',
            policyDocument: policy('Allow', arn),
            context: {user: 'alice', n: 7, admin: true},
            usageIdentifierKey: 'k-123',
          })
        if (token === 'deny-abc') return ok({principalId: 'bob', policyDocument: policy('Deny', arn)})
        if (token === 'pets-abc') return ok({principalId: 'carol', policyDocument: policy('Allow', arn.replace(/\/GET\/.*$/, '/GET/pets'))})
        if (token === 'wild-abc') return ok({principalId: 'dan', policyDocument: policy('Allow', `${arn.split('/')[0]}/*/GET/*`)})
        if (token === 'unauth-abc') return thrown('Unauthorized')
        if (token === 'broken-abc') return thrown('TypeError: x is undefined')
        if (token === 'nested-abc') return ok({principalId: 'e', policyDocument: policy('Allow', arn), context: {a: {b: 1}}})
        return ok({foo: 'bar'})
      }
      if (name === 'reqauth') {
        const headers = event.headers as Record<string, string>
        const query = event.queryStringParameters as Record<string, string> | null
        if (headers['x-user'] === 'zed' && query?.tenant === 't1')
          return ok({principalId: 'zed', policyDocument: policy('Allow', arn), context: {tenant: query.tenant}})
        return thrown('Unauthorized')
      }
      if (name === 'echo') return ok({statusCode: 200, body: JSON.stringify(event.requestContext)})
      return thrown('no such function')
    },
    async close() {},
  }
}

const tokenScheme = {
  type: 'apiKey',
  name: 'Authorization',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': {
    type: 'token',
    authorizerUri: fnUri('tokenauth'),
    identityValidationExpression: '^[a-z]+-abc$',
    authorizerResultTtlInSeconds: 60,
  },
}
const requestScheme = {
  type: 'apiKey',
  name: 'x-user',
  in: 'header',
  'x-amazon-apigateway-authtype': 'custom',
  'x-amazon-apigateway-authorizer': {
    type: 'request',
    authorizerUri: fnUri('reqauth'),
    identitySource: 'method.request.header.x-user, method.request.querystring.tenant',
    authorizerResultTtlInSeconds: 0,
  },
}
const mock = {
  type: 'mock',
  requestTemplates: {'application/json': '{"statusCode": 200}'},
  responses: {
    default: {
      statusCode: '200',
      responseTemplates: {
        'application/json':
          '{"principal":"$context.authorizer.principalId","user":"$context.authorizer.user","n":"$context.authorizer.n","admin":"$context.authorizer.admin"}',
      },
    },
  },
}
const spec = {
  openapi: '3.0.1',
  info: {title: 'authz', version: '1'},
  components: {securitySchemes: {tok: tokenScheme, req: requestScheme}},
  paths: {
    '/pets': {get: {security: [{tok: []}], responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mock}},
    '/pets/{id}': {
      get: {
        security: [{tok: []}],
        parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string'}}],
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': mock,
      },
    },
    '/echo': {
      get: {
        security: [{tok: []}],
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('echo')},
      },
    },
    '/tenant': {get: {security: [{req: []}], responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': mock}},
  },
}

describe('data plane: Lambda authorizers', () => {
  let t: TestEmulator
  let apiId: string
  let nowMs = Date.parse('2026-06-01T12:00:00Z')
  const calls: Call[] = []
  const url = (path: string) => `${t.url}/_aws/execute-api/${apiId}/dev${path}`
  const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
    fetch(url(path), {headers: {...headers, ...(token === undefined ? {} : {authorization: token})}})
  const invocations = (name: string) => calls.filter((c) => c.name === name).length

  before(async () => {
    t = await startTestEmulator({emulator: {functionHost: testHost(calls), now: () => new Date(nowMs)}})
    apiId = (await t.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))).id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev'}))
  })
  after(() => t.close())

  it('TOKEN: a missing token or one failing identityValidationExpression is 401 without invoking the function', async () => {
    calls.length = 0
    const missing = await get('/pets')
    assert.equal(missing.status, 401)
    assert.equal(missing.headers.get('x-amzn-errortype'), 'UnauthorizedException')
    assert.deepEqual(await missing.json(), {message: 'Unauthorized'})
    const bad = await get('/pets', 'Allow-ABC')
    assert.equal(bad.status, 401)
    assert.equal(invocations('tokenauth'), 0)
  })

  it('TOKEN: Allow passes, with principalId and context in $context.authorizer.* and the event AWS sends', async () => {
    calls.length = 0
    const res = await get('/pets', 'allow-abc')
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {principal: 'alice', user: 'alice', n: '7', admin: 'true'})
    assert.deepEqual(calls[0]!.event, {
      type: 'TOKEN',
      methodArn: `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/pets`,
      authorizationToken: 'allow-abc',
    })
  })

  it('TOKEN: the proxy event carries requestContext.authorizer (context values as strings)', async () => {
    // Past the TTL: the cached policy of the previous test allows /pets only.
    nowMs += 3_600_000
    const res = await get('/echo', 'allow-abc')
    assert.equal(res.status, 200)
    const rc = (await res.json()) as {authorizer: Record<string, unknown>}
    assert.equal(rc.authorizer.principalId, 'alice')
    assert.equal(rc.authorizer.user, 'alice')
    assert.equal(rc.authorizer.n, '7')
    assert.equal(rc.authorizer.admin, 'true')
    assert.equal(typeof rc.authorizer.integrationLatency, 'number')
  })

  it("TOKEN: Deny is 403 with AWS's explicit-deny message; Unauthorized thrown is 401; errors and malformed answers are 500", async () => {
    const deny = await get('/pets', 'deny-abc')
    assert.equal(deny.status, 403)
    assert.equal(deny.headers.get('x-amzn-errortype'), 'AccessDeniedException')
    assert.deepEqual(await deny.json(), {message: 'User is not authorized to access this resource with an explicit deny'})
    const unauth = await get('/pets', 'unauth-abc')
    assert.equal(unauth.status, 401)
    assert.deepEqual(await unauth.json(), {message: 'Unauthorized'})
    for (const token of ['broken-abc', 'malformed-abc', 'nested-abc']) {
      const res = await get('/pets', token)
      assert.equal(res.status, 500, token)
      assert.equal(res.headers.get('x-amzn-errortype'), 'AuthorizerConfigurationException')
      assert.deepEqual(await res.json(), {message: null})
    }
  })

  it('TOKEN: an Allow for another resource is 403 without "explicit deny"', async () => {
    const res = await get('/pets/7', 'pets-abc')
    assert.equal(res.status, 403)
    assert.deepEqual(await res.json(), {message: 'User is not authorized to access this resource'})
  })

  it('TOKEN: the result is cached for the TTL, re-evaluated per method ARN, and called again once the TTL passed', async () => {
    nowMs += 3_600_000
    calls.length = 0
    assert.equal((await get('/pets', 'pets-abc')).status, 200)
    assert.equal((await get('/pets', 'pets-abc')).status, 200)
    assert.equal(invocations('tokenauth'), 1, 'the second call is answered from the cache')
    // The cached policy names /pets only: another path is denied within the TTL, without a new invocation.
    assert.equal((await get('/pets/1', 'pets-abc')).status, 403)
    assert.equal(invocations('tokenauth'), 1)
    nowMs += 59_000
    assert.equal((await get('/pets', 'pets-abc')).status, 200)
    assert.equal(invocations('tokenauth'), 1)
    nowMs += 2_000
    assert.equal((await get('/pets', 'pets-abc')).status, 200)
    assert.equal(invocations('tokenauth'), 2, 'the TTL (60 s) has passed')
  })

  it('FlushStageAuthorizersCache drops the stage’s cached results', async () => {
    nowMs += 3_600_000
    calls.length = 0
    await get('/pets', 'wild-abc')
    await get('/pets/3', 'wild-abc')
    assert.equal(invocations('tokenauth'), 1)
    await t.v1.send(new FlushStageAuthorizersCacheCommand({restApiId: apiId, stageName: 'dev'}))
    assert.equal((await get('/pets', 'wild-abc')).status, 200)
    assert.equal(invocations('tokenauth'), 2)
    await assert.rejects(
      t.v1.send(new FlushStageAuthorizersCacheCommand({restApiId: apiId, stageName: 'nope'})),
      (e: Error) => e.name === 'NotFoundException',
    )
  })

  it('REQUEST (caching off): the function runs even without its identity sources; the event carries headers and query', async () => {
    calls.length = 0
    assert.equal((await get('/tenant?tenant=t1')).status, 401)
    assert.equal(invocations('reqauth'), 1, 'with caching off (TTL 0) the identity sources are not required')
    const res = await fetch(url('/tenant?tenant=t1'), {headers: {'x-user': 'zed'}})
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {principal: 'zed', user: '', n: '', admin: ''})
    const event = calls.at(-1)!.event
    assert.equal(event.type, 'REQUEST')
    assert.equal(event.methodArn, `arn:aws:execute-api:us-east-1:000000000000:${apiId}/dev/GET/tenant`)
    assert.equal(event.resource, '/tenant')
    assert.deepEqual(event.queryStringParameters, {tenant: 't1'})
    assert.equal(event.body, undefined)
  })

  it('TestInvokeAuthorizer runs the authorizer once and answers its principal, policy and log', async () => {
    const {items} = await t.v1.send(new GetAuthorizersCommand({restApiId: apiId}))
    const tok = items!.find((a) => a.name === 'tok')!
    const res = await t.v1.send(
      new TestInvokeAuthorizerCommand({restApiId: apiId, authorizerId: tok.id!, headers: {Authorization: 'allow-abc'}}),
    )
    assert.equal(res.clientStatus, 200)
    assert.equal(res.principalId, 'alice')
    assert.equal(JSON.parse(res.policy!).Statement[0].Effect, 'Allow')
    assert.match(res.log!, /Starting authorizer/)
    assert.doesNotMatch(res.log!, /allow-abc/, 'the token is masked in the log')
    const denied = await t.v1.send(
      new TestInvokeAuthorizerCommand({restApiId: apiId, authorizerId: tok.id!, headers: {Authorization: 'unauth-abc'}}),
    )
    assert.equal(denied.clientStatus, 401)
  })

  it("the access log records the authorizer's principal and context, and $context.error.* for refusals", async () => {
    nowMs += 3_600_000
    await t.v1.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [
          {op: 'replace', path: '/accessLogSettings/destinationArn', value: 'arn:aws:logs:us-east-1:000000000000:log-group:/apigw/authz'},
          {
            op: 'replace',
            path: '/accessLogSettings/format',
            value: '$context.status|$context.authorizer.principalId|$context.authorizer.user|$context.error.responseType',
          },
        ],
      }),
    )
    await get('/pets', 'allow-abc')
    await get('/pets', 'deny-abc')
    await get('/pets')
    await t.emulator.dataPlane.flushLogs()
    const events = await t.logs.send(new FilterLogEventsCommand({logGroupName: '/apigw/authz'}))
    assert.deepEqual(
      (events.events ?? []).map((e) => e.message),
      ['200|alice|alice|-', '403|-|-|ACCESS_DENIED', '401|-|-|UNAUTHORIZED'],
    )
  })
})
