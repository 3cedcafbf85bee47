/**
 * The stage cache through real HTTP, with a backend that records its calls and a clock the test moves: hits
 * skip the backend until the TTL ends, cacheKeyParameters split entries, only GET is cached through the stage
 * default, `Cache-Control: max-age=0` is honoured per requireAuthorizationForCacheControl and
 * unauthorizedCacheControlHeaderStrategy, FlushStageCache empties the cache, an item over 1 MiB is never kept,
 * and responses carry no sign of the cache.
 */
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, beforeEach, describe, it} from 'node:test'
import {FlushStageCacheCommand, UpdateStageCommand} from '@aws-sdk/client-api-gateway'
import {startTrafficWorld, type TrafficWorld} from './traffic-setup.ts'

describe('the stage cache', () => {
  let w: TrafficWorld
  let backend: Server
  const calls: string[] = []
  before(async () => {
    backend = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`)
      const big = req.url?.startsWith('/big')
      const body = big ? 'x'.repeat(1024 * 1024 + 1) : JSON.stringify({n: calls.length, url: req.url})
      res.writeHead(200, {'content-type': 'application/json'})
      res.end(body)
    })
    await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    const proxy = (path: string, method = 'GET', extra: Record<string, unknown> = {}) => ({
      parameters: [{name: 'q', in: 'query', schema: {type: 'string'}}],
      responses: {'200': {description: 'ok'}},
      'x-amazon-apigateway-integration': {
        type: 'http',
        httpMethod: method,
        uri: `${url}${path}`,
        requestParameters: {'integration.request.querystring.q': 'method.request.querystring.q'},
        responses: {default: {statusCode: '200'}},
        ...extra,
      },
    })
    w = await startTrafficWorld({
      spec: {
        openapi: '3.0.1',
        info: {title: 'cache', version: '1'},
        paths: {
          '/items': {get: proxy('/items'), post: proxy('/items', 'POST')},
          '/keyed': {get: proxy('/keyed', 'GET', {cacheKeyParameters: ['method.request.querystring.q']})},
          '/big': {get: proxy('/big')},
        },
      },
    })
    await w.t.v1.send(
      new UpdateStageCommand({
        restApiId: w.apiId,
        stageName: 'dev',
        patchOperations: [
          {op: 'replace', path: '/cacheClusterEnabled', value: 'true'},
          {op: 'replace', path: '/*/*/caching/enabled', value: 'true'},
          {op: 'replace', path: '/*/*/caching/ttlInSeconds', value: '60'},
        ],
      }),
    )
  })
  after(async () => {
    await w.close()
    backend.close()
  })
  beforeEach(async () => {
    await w.t.v1.send(new FlushStageCacheCommand({restApiId: w.apiId, stageName: 'dev'}))
    calls.length = 0
  })

  const get = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
    const res = await w.call('dev', path, {headers, method})
    return {status: res.status, headers: res.headers, body: await res.text()}
  }

  it('answers a GET from the cache until its TTL ends, with the same answer and no sign of the cache', async () => {
    const first = await get('/items')
    const second = await get('/items')
    assert.equal(calls.length, 1)
    assert.equal(second.body, first.body)
    assert.equal(second.status, 200)
    assert.equal(second.headers.get('content-type'), 'application/json')
    assert.notEqual(second.headers.get('x-amzn-requestid'), first.headers.get('x-amzn-requestid'))
    assert.ok(![...second.headers.keys()].some((h) => /cache|age|x-cache/i.test(h)), [...second.headers.keys()].join(','))
    w.clock.ms += 59_999
    await get('/items')
    assert.equal(calls.length, 1)
    w.clock.ms += 1
    await get('/items')
    assert.equal(calls.length, 2)
  })

  it('keys entries by cacheKeyParameters only, and caches no POST through the stage default', async () => {
    await get('/keyed?q=a')
    await get('/keyed?q=a&other=1')
    await get('/keyed?q=b')
    assert.deepEqual(calls, ['GET /keyed?q=a', 'GET /keyed?q=b'])
    await get('/items?q=1')
    await get('/items?q=2')
    assert.equal(calls.length, 3)
    await get('/items', {}, 'POST')
    await get('/items', {}, 'POST')
    assert.equal(calls.length, 5)
  })

  it('is not used on a stage without a cache cluster, and FlushStageCache empties the cache', async () => {
    await get('/items')
    await w.t.v1.send(new FlushStageCacheCommand({restApiId: w.apiId, stageName: 'dev'}))
    await get('/items')
    await get('/items')
    assert.equal(calls.length, 2)
    for (let i = 0; i < 2; i++) await (await w.call('prod', '/items')).text()
    assert.equal(calls.length, 4)
  })

  it('never keeps an item over 1 MiB', async () => {
    await get('/big')
    await get('/big')
    assert.equal(calls.length, 2)
  })

  it('honours Cache-Control: max-age=0 per requireAuthorizationForCacheControl and the unauthorized strategy', async () => {
    // Given the defaults (authorization required, SUCCEED_WITH_RESPONSE_HEADER): the header is ignored
    await get('/items')
    const ignored = await get('/items', {'cache-control': 'max-age=0'})
    assert.equal(ignored.status, 200)
    assert.equal(calls.length, 1)
    // When the strategy is FAIL_WITH_403, the invalidation is refused
    const patch = (path: string, value: string) =>
      w.t.v1.send(new UpdateStageCommand({restApiId: w.apiId, stageName: 'dev', patchOperations: [{op: 'replace', path, value}]}))
    await patch('/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'FAIL_WITH_403')
    assert.equal((await get('/items', {'cache-control': 'max-age=0'})).status, 403)
    assert.equal(calls.length, 1)
    // When authorization is not required, max-age=0 reloads the entry from the backend
    await patch('/*/*/caching/requireAuthorizationForCacheControl', 'false')
    const fresh = await get('/items', {'cache-control': 'max-age=0'})
    assert.equal(fresh.status, 200)
    assert.equal(calls.length, 2)
    assert.equal((await get('/items')).body, fresh.body)
    assert.equal(calls.length, 2)
    await patch('/*/*/caching/requireAuthorizationForCacheControl', 'true')
    await patch('/*/*/caching/unauthorizedCacheControlHeaderStrategy', 'SUCCEED_WITH_RESPONSE_HEADER')
  })

  it('FlushStageCache of an unknown stage is NotFoundException', async () => {
    await assert.rejects(w.t.v1.send(new FlushStageCacheCommand({restApiId: w.apiId, stageName: 'nope'})), {name: 'NotFoundException'})
  })
})
