/**
 * HTTP API stages: throttling by the stage's default route settings and a route's own settings (token
 * buckets on the emulator's injected clock, 429 Too Many Requests), and access logs in the stage's format
 * (`$context.*` of HTTP APIs) written to the emulator's CloudWatch Logs.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {CreateApiCommand, CreateIntegrationCommand, CreateRouteCommand, CreateStageCommand} from '@aws-sdk/client-apigatewayv2'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const host: FunctionHost = {
  async invoke(ref) {
    if (ref.endsWith(':boom')) return {statusCode: 200, functionError: 'Unhandled', payload: Buffer.from('{"errorMessage":"kaput"}')}
    return {statusCode: 200, payload: Buffer.from('{"ok":true}')}
  },
  async close() {},
}

describe('HTTP API data plane: throttling and access logs', () => {
  let t: TestEmulator
  let apiId: string
  let now = new Date('2026-03-01T00:00:00Z')
  const url = (path: string) => `${t.url}/_aws/execute-api/${apiId}/dev${path}`
  const group = '/apigw/http/dev/access'

  before(async () => {
    t = await startTestEmulator({emulator: {functionHost: host, now: () => now}})
    apiId = (await t.v2.send(new CreateApiCommand({Name: 'traffic', ProtocolType: 'HTTP'}))).ApiId!
    const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`
    const target = async (name: string) =>
      `integrations/${
        (
          await t.v2.send(
            new CreateIntegrationCommand({
              ApiId: apiId,
              IntegrationType: 'AWS_PROXY',
              IntegrationUri: fn(name),
              PayloadFormatVersion: '2.0',
            }),
          )
        ).IntegrationId
      }`
    const ok = await target('ok')
    for (const key of ['GET /a', 'GET /b', 'GET /free']) await t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey: key, Target: ok}))
    await t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey: 'GET /boom', Target: await target('boom')}))
    await t.v2.send(
      new CreateStageCommand({
        ApiId: apiId,
        StageName: 'dev',
        AutoDeploy: true,
        DefaultRouteSettings: {ThrottlingBurstLimit: 2, ThrottlingRateLimit: 1},
        RouteSettings: {
          'GET /b': {ThrottlingBurstLimit: 1, ThrottlingRateLimit: 0},
          'GET /free': {ThrottlingBurstLimit: 1000, ThrottlingRateLimit: 1000},
        },
        AccessLogSettings: {
          DestinationArn: `arn:aws:logs:us-east-1:000000000000:log-group:${group}`,
          Format:
            '{"id":"$context.requestId","route":"$context.routeKey","status":"$context.status","error":"$context.integrationErrorMessage"}',
        },
      }),
    )
  })
  after(() => t.close())

  it('the stage default throttles each route: a burst of 2, then 429 until the clock refills a token', async () => {
    const statuses = []
    for (let i = 0; i < 3; i++) statuses.push((await fetch(url('/a'))).status)
    assert.deepEqual(statuses, [200, 200, 429])
    const refused = await fetch(url('/a'))
    assert.deepEqual(await refused.json(), {message: 'Too Many Requests'})
    now = new Date(now.getTime() + 1000)
    assert.equal((await fetch(url('/a'))).status, 200)
    assert.equal((await fetch(url('/a'))).status, 429)
  })

  it("a route's own settings override the stage default (rate 0: one request, then 429 however long one waits)", async () => {
    assert.equal((await fetch(url('/b'))).status, 200)
    now = new Date(now.getTime() + 60_000)
    assert.equal((await fetch(url('/b'))).status, 429)
    for (let i = 0; i < 10; i++) assert.equal((await fetch(url('/free'))).status, 200)
  })

  it('access logs: one event per request in the stage format, with the route key, status and integration error', async () => {
    const boom = await fetch(url('/boom'))
    assert.equal(boom.status, 500)
    const id = boom.headers.get('apigw-requestid')
    await t.emulator.dataPlane.flushLogs()
    const events = (await t.logs.send(new FilterLogEventsCommand({logGroupName: group}))).events ?? []
    const lines = events.map((e) => JSON.parse(e.message!) as Record<string, string>)
    assert.deepEqual(
      lines.find((l) => l.id === id),
      {id, route: 'GET /boom', status: '500', error: 'The Lambda function returned an error: kaput'},
    )
    assert.ok(lines.some((l) => l.route === 'GET /a' && l.status === '429'))
  })
})
