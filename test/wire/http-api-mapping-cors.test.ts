/**
 * HTTP API parameter mapping and CORS through real HTTP against the in-process emulator: request mapping
 * (append/overwrite/remove on headers and query strings, overwrite:path, `$request`, `$context` and
 * `$stageVariables` sources), response mapping by status code, preflights answered by the gateway, and the
 * configured CORS headers replacing a backend's.
 */
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand} from '@aws-sdk/client-apigatewayv2'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rawRequest} from '../helpers/raw-http.ts'

describe('HTTP API data plane: parameter mapping and CORS', () => {
  let t: TestEmulator
  let backend: Server
  let backendUrl: string
  let apiId: string
  const url = (path: string) => `${t.url}/_aws/execute-api/${apiId}/dev${path}`

  before(async () => {
    // The backend answers with what it received, a CORS header of its own, and the status the query asks for.
    backend = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const status = Number(new URL(req.url!, 'http://x').searchParams.get('status') ?? 200)
        res.writeHead(status, {
          'content-type': 'application/json',
          'access-control-allow-origin': 'https://backend.example',
          'x-secret': 's',
        })
        res.end(JSON.stringify({url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString(), id: 'b-1'}))
      })
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    t = await startTestEmulator()
    apiId = (
      await t.v2.send(
        new CreateApiCommand({
          Name: 'mapped',
          ProtocolType: 'HTTP',
          CorsConfiguration: {
            AllowOrigins: ['https://app.example'],
            AllowMethods: ['GET', 'POST'],
            AllowHeaders: ['authorization', 'content-type'],
            ExposeHeaders: ['x-request-id'],
            MaxAge: 300,
            AllowCredentials: true,
          },
        }),
      )
    ).ApiId!
    const integrationId = (
      await t.v2.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'HTTP_PROXY',
          IntegrationMethod: 'ANY',
          IntegrationUri: `${backendUrl}/original`,
          PayloadFormatVersion: '1.0',
          RequestParameters: {
            'append:header.x-from-query': '$request.querystring.q',
            'overwrite:header.x-stage': 'stage-${stageVariables.tier}',
            'overwrite:header.x-request-id': '$context.requestId',
            'remove:header.x-drop': "''",
            'overwrite:querystring.q': 'replaced',
            'append:querystring.extra': '$request.body.user.name',
            'remove:querystring.gone': "''",
            'overwrite:path': '/v2/items/$request.path.id',
          },
          ResponseParameters: {
            '200': {
              'overwrite:header.x-id': '$response.body.id',
              'remove:header.x-secret': "''",
              'append:header.x-stage': '$context.stage',
            },
            '404': {'overwrite:statuscode': '410', 'overwrite:header.x-was': '$response.header.content-type'},
          },
        }),
      )
    ).IntegrationId!
    await t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey: 'ANY /items/{id}', Target: `integrations/${integrationId}`}))
    await t.v2.send(new CreateStageCommand({ApiId: apiId, StageName: 'dev', AutoDeploy: true, StageVariables: {tier: 'gold'}}))
  })
  after(async () => {
    await t.close()
    await new Promise<void>((resolve) => backend.close(() => resolve()))
  })

  it('request mapping rewrites headers, query strings and the path before the backend sees them', async () => {
    const res = await fetch(url('/items/42?q=orig&gone=1&status=200'), {
      method: 'POST',
      headers: {'x-drop': 'bye', 'content-type': 'application/json'},
      body: JSON.stringify({user: {name: 'ann'}}),
    })
    assert.equal(res.status, 200)
    const seen = (await res.json()) as {url: string; headers: Record<string, string>}
    const u = new URL(seen.url, 'http://x')
    assert.equal(u.pathname, '/v2/items/42')
    assert.deepEqual(u.searchParams.getAll('q'), ['replaced'])
    assert.deepEqual(u.searchParams.getAll('extra'), ['ann'])
    assert.equal(u.searchParams.get('gone'), null)
    assert.equal(seen.headers['x-from-query'], 'orig')
    assert.equal(seen.headers['x-stage'], 'stage-gold')
    assert.equal(seen.headers['x-request-id'], res.headers.get('apigw-requestid'))
    assert.equal(seen.headers['x-drop'], undefined)
  })

  it('response mapping by status code: headers from the body and context; a 404 becomes 410', async () => {
    const ok = await fetch(url('/items/1?status=200'), {headers: {origin: 'https://app.example'}})
    assert.equal(ok.headers.get('x-id'), 'b-1')
    assert.equal(ok.headers.get('x-secret'), null)
    assert.equal(ok.headers.get('x-stage'), 'dev')
    const gone = await fetch(url('/items/1?status=404'))
    assert.equal(gone.status, 410)
    assert.equal(gone.headers.get('x-was'), 'application/json')
    const other = await fetch(url('/items/1?status=201'))
    assert.equal(other.status, 201)
    assert.equal(other.headers.get('x-secret'), 's')
  })

  it('a preflight is answered by the gateway with the configured headers, route or no route', async () => {
    for (const path of ['/items/1', '/no/route/here']) {
      const res = await rawRequest(url(path), {
        method: 'OPTIONS',
        headers: [
          ['origin', 'https://app.example'],
          ['access-control-request-method', 'POST'],
          ['access-control-request-headers', 'content-type'],
        ],
      })
      assert.equal(res.status, 204, path)
      assert.equal(res.headers['access-control-allow-origin'], 'https://app.example')
      assert.equal(res.headers['access-control-allow-methods'], 'GET,POST')
      assert.equal(res.headers['access-control-allow-headers'], 'authorization,content-type')
      assert.equal(res.headers['access-control-max-age'], '300')
      assert.equal(res.headers['access-control-allow-credentials'], 'true')
      assert.equal(res.body, '')
    }
    const stranger = await rawRequest(url('/items/1'), {
      method: 'OPTIONS',
      headers: [
        ['origin', 'https://evil.example'],
        ['access-control-request-method', 'POST'],
      ],
    })
    assert.equal(stranger.status, 204)
    assert.equal(stranger.headers['access-control-allow-origin'], undefined)
  })

  it("answers to an allowed origin carry the configured CORS headers instead of the backend's", async () => {
    const res = await fetch(url('/items/1?status=200'), {headers: {origin: 'https://app.example'}})
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example')
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true')
    assert.equal(res.headers.get('access-control-expose-headers'), 'x-request-id')
    const stranger = await fetch(url('/items/1?status=200'), {headers: {origin: 'https://evil.example'}})
    assert.equal(stranger.headers.get('access-control-allow-origin'), null)
    const notFound = await fetch(url('/nothing'), {headers: {origin: 'https://app.example'}})
    assert.equal(notFound.status, 404)
    assert.equal(notFound.headers.get('access-control-allow-origin'), 'https://app.example')
  })
})
