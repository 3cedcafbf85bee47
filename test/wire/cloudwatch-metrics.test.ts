/**
 * API Gateway's CloudWatch metrics recorded by the data plane and read back through the CloudWatch API on the
 * emulator's port: a known mix of 2xx/4xx/5xx requests to a REST stage (one method slowed by a local backend),
 * then GetMetricData, GetMetricStatistics and ListMetrics through @aws-sdk/client-cloudwatch (JSON 1.0) and the
 * awsQuery protocol (form + XML, what the AWS CLI v2.9 sends), and alarms moving OK → ALARM → OK on the clock.
 */
import assert from 'node:assert/strict'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, CreateStageCommand, ImportRestApiCommand, UpdateStageCommand} from '@aws-sdk/client-api-gateway'
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch'
import {SIGNED, startTestEmulator, TEST_CREDENTIALS, type TestEmulator} from '../helpers/emulator.ts'

/** 2026-01-05 12:00:30 UTC. */
const T0 = Date.UTC(2026, 0, 5, 12, 0, 30)
const SLOW_MS = 120

const mock = (status: number) => ({
  responses: {[String(status)]: {description: 'answer'}},
  'x-amazon-apigateway-integration': {
    type: 'mock',
    requestTemplates: {'application/json': `{"statusCode": ${status}}`},
    responses: {default: {statusCode: String(status), responseTemplates: {'application/json': '{}'}}},
  },
})

function spec(backend: string) {
  return {
    openapi: '3.0.1',
    info: {title: 'metered', version: '1'},
    paths: {
      '/ok': {get: mock(200)},
      '/fail': {get: mock(500)},
      '/slow': {
        get: {
          responses: {'200': {description: 'ok'}},
          'x-amazon-apigateway-integration': {type: 'http_proxy', httpMethod: 'GET', uri: `${backend}/slow`},
        },
      },
    },
  }
}

describe('CloudWatch metrics of local traffic', () => {
  let t: TestEmulator
  let cw: CloudWatchClient
  let backend: Server
  let apiId: string
  const clock = {ms: T0}
  const dims = [
    {Name: 'ApiName', Value: 'metered'},
    {Name: 'Stage', Value: 'dev'},
  ]

  before(async () => {
    backend = createServer((_req, res) => {
      setTimeout(() => res.writeHead(200, {'content-type': 'application/json'}).end('{"slow":true}'), SLOW_MS)
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    t = await startTestEmulator({emulator: {now: () => new Date(clock.ms)}})
    cw = new CloudWatchClient({endpoint: t.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    apiId = (await t.v1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(spec(backendUrl)))}))).id!
    const deploymentId = (await t.v1.send(new CreateDeploymentCommand({restApiId: apiId}))).id!
    await t.v1.send(new CreateStageCommand({restApiId: apiId, stageName: 'dev', deploymentId}))
    // Detailed metrics for GET /fail only.
    await t.v1.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [{op: 'replace', path: '/~1fail/GET/metrics/enabled', value: 'true'}],
      }),
    )
    // Given 6 answers of 200 (4 MOCK, 2 slow HTTP_PROXY), 3 of 500 and 2 of 403 (no such resource)
    const call = async (path: string) => (await fetch(`${t.url}/_aws/execute-api/${apiId}/dev${path}`)).status
    const statuses = []
    for (const path of ['/ok', '/ok', '/ok', '/ok', '/slow', '/slow', '/fail', '/fail', '/fail', '/nope', '/nope'])
      statuses.push(await call(path))
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 500, 500, 500, 403, 403])
  })
  after(async () => {
    cw.destroy()
    await t.close()
    await new Promise((resolve) => backend.close(resolve))
  })

  const range = () => ({StartTime: new Date(T0 - 3600_000), EndTime: new Date(T0 + 3600_000)})

  it('GetMetricData through the SDK: Count, 4XXError and 5XXError sums are exact', async () => {
    const stat = (id: string, metric: string, s = 'Sum') => ({
      Id: id,
      MetricStat: {Metric: {Namespace: 'AWS/ApiGateway', MetricName: metric, Dimensions: dims}, Period: 60, Stat: s},
    })
    const out = await cw.send(
      new GetMetricDataCommand({
        ...range(),
        MetricDataQueries: [stat('count', 'Count'), stat('e4', '4XXError'), stat('e5', '5XXError'), stat('rate5', '5XXError', 'Average')],
      }),
    )
    const byId = Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r]))
    assert.deepEqual(byId.count!.Values, [11])
    assert.deepEqual(byId.e4!.Values, [2])
    assert.deepEqual(byId.e5!.Values, [3])
    assert.ok(Math.abs(byId.rate5!.Values![0]! - 3 / 11) < 1e-9)
    assert.equal(byId.count!.Timestamps![0]!.getTime(), Date.UTC(2026, 0, 5, 12, 0))
    assert.equal(byId.count!.StatusCode, 'Complete')
    assert.equal(byId.count!.Label, 'Count')
  })

  it('GetMetricStatistics: latency statistics hold together and the slow backend shows within bucket precision', async () => {
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'IntegrationLatency',
        Dimensions: dims,
        ...range(),
        Period: 3600,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
        ExtendedStatistics: ['p50', 'p99'],
      }),
    )
    assert.equal(out.Datapoints!.length, 1)
    const p = out.Datapoints![0]!
    // Only the two HTTP_PROXY calls have an integration latency (MOCK has none).
    assert.equal(p.SampleCount, 2)
    assert.equal(p.Unit, 'Milliseconds')
    assert.ok(p.Minimum! >= SLOW_MS * 0.99, `minimum ${p.Minimum}`)
    assert.ok(Math.abs(p.Average! - p.Sum! / 2) < 1e-9)
    const p99 = p.ExtendedStatistics!.p99!
    assert.ok(p99 >= p.Minimum! * 0.99 && p99 <= p.Maximum! * 1.01, `p99 ${p99} in [${p.Minimum}, ${p.Maximum}]`)
    const latency = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/ApiGateway',
        MetricName: 'Latency',
        Dimensions: dims,
        ...range(),
        Period: 60,
        Statistics: ['SampleCount', 'Maximum'],
      }),
    )
    assert.equal(latency.Datapoints![0]!.SampleCount, 11)
    assert.ok(latency.Datapoints![0]!.Maximum! >= p.Maximum!)
  })

  it('ListMetrics: the stage and per-method dimensions, detailed only where metricsEnabled', async () => {
    const out = await cw.send(new ListMetricsCommand({Namespace: 'AWS/ApiGateway', MetricName: 'Count'}))
    const sets = out.Metrics!.map((m) => m.Dimensions!.map((d) => `${d.Name}=${d.Value}`).join(','))
    assert.deepEqual(sets.sort(), ['ApiName=metered', 'ApiName=metered,Method=GET,Resource=/fail,Stage=dev', 'ApiName=metered,Stage=dev'])
  })

  it('answers the awsQuery protocol (form in, XML out) as the AWS CLI v2 sends it', async () => {
    const form = new URLSearchParams({
      Action: 'GetMetricStatistics',
      Version: '2010-08-01',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5XXError',
      'Dimensions.member.1.Name': 'ApiName',
      'Dimensions.member.1.Value': 'metered',
      'Dimensions.member.2.Name': 'Stage',
      'Dimensions.member.2.Value': 'dev',
      StartTime: new Date(T0 - 3600_000).toISOString(),
      EndTime: new Date(T0 + 3600_000).toISOString(),
      Period: '300',
      'Statistics.member.1': 'Sum',
    })
    const res = await fetch(t.url, {
      method: 'POST',
      headers: {...SIGNED, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8'},
      body: form,
    })
    const xml = await res.text()
    assert.equal(res.status, 200, xml)
    assert.match(xml, /^<GetMetricStatisticsResponse xmlns="http:\/\/monitoring.amazonaws.com\/doc\/2010-08-01\/">/)
    assert.match(xml, /<Datapoints><member><Timestamp>2026-01-05T12:00:00.000Z<\/Timestamp><Sum>3<\/Sum><Unit>Count<\/Unit><\/member>/)
    const bad = await fetch(t.url, {
      method: 'POST',
      headers: {...SIGNED, 'content-type': 'application/x-www-form-urlencoded'},
      body: 'Action=DescribeAlarms&Version=2010-08-01&MaxRecords=500',
    })
    assert.equal(bad.status, 400)
    assert.match(await bad.text(), /<Code>InvalidParameterValue<\/Code>/)
  })

  it('an alarm on 5XXError moves ALARM → OK → INSUFFICIENT_DATA on the injected clock; SetAlarmState holds a minute', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'metered-dev-5xx',
        Namespace: 'AWS/ApiGateway',
        MetricName: '5XXError',
        Dimensions: dims,
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        AlarmActions: ['arn:aws:sns:us-east-1:000000000000:oncall'],
        Tags: [{Key: 'apigw:api', Value: 'metered'}],
      }),
    )
    const state = async () => (await cw.send(new DescribeAlarmsCommand({AlarmNames: ['metered-dev-5xx']}))).MetricAlarms![0]!
    // The 3 errors of this minute breach the threshold.
    const fired = await state()
    assert.equal(fired.StateValue, 'ALARM')
    assert.match(fired.StateReason!, /Threshold Crossed: 1 out of the last 1 datapoints \[3 /)
    assert.equal(fired.AlarmArn, 'arn:aws:cloudwatch:us-east-1:000000000000:alarm:metered-dev-5xx')
    // A minute later, only good traffic: OK.
    clock.ms = T0 + 60_000
    assert.equal((await fetch(`${t.url}/_aws/execute-api/${apiId}/dev/ok`)).status, 200)
    assert.equal((await state()).StateValue, 'OK')
    // Set by hand: kept until the clock's next minute, then evaluated again.
    await cw.send(new SetAlarmStateCommand({AlarmName: 'metered-dev-5xx', StateValue: 'ALARM', StateReason: 'drill'}))
    assert.equal((await state()).StateReason, 'drill')
    clock.ms = T0 + 180_000
    assert.equal((await state()).StateValue, 'INSUFFICIENT_DATA')
    const tags = await cw.send(new ListTagsForResourceCommand({ResourceARN: fired.AlarmArn}))
    assert.deepEqual(tags.Tags, [{Key: 'apigw:api', Value: 'metered'}])
    await cw.send(new DeleteAlarmsCommand({AlarmNames: ['metered-dev-5xx']}))
    assert.deepEqual((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms, [])
    await assert.rejects(cw.send(new DeleteAlarmsCommand({AlarmNames: ['metered-dev-5xx']})), {name: 'ResourceNotFound'})
    clock.ms = T0
  })

  it('points survive a restart of the emulator on the same state directory', async () => {
    await t.emulator.dataPlane.metrics.flush()
    const {startEmulator} = await import('../../src/local/server.ts')
    await t.emulator.close()
    const again = await startEmulator({port: 0, dataDir: t.dataDir, now: () => new Date(clock.ms)})
    const client = new CloudWatchClient({endpoint: again.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    try {
      const out = await client.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/ApiGateway',
          MetricName: 'Count',
          Dimensions: dims,
          ...range(),
          Period: 3600,
          Statistics: ['Sum'],
        }),
      )
      assert.equal(out.Datapoints![0]!.Sum, 12)
    } finally {
      client.destroy()
      await again.close()
    }
  })
})

describe('CloudWatch metrics of an HTTP API stage', () => {
  let t: TestEmulator
  let cw: CloudWatchClient
  let backend: Server
  let apiId: string
  before(async () => {
    backend = createServer((req, res) => res.writeHead(req.url?.endsWith('/bad') ? 500 : 200).end('{"a":1}'))
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const port = (backend.address() as AddressInfo).port
    t = await startTestEmulator({emulator: {now: () => new Date(T0)}})
    cw = new CloudWatchClient({endpoint: t.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const {
      CreateApiCommand,
      CreateIntegrationCommand,
      CreateRouteCommand,
      CreateStageCommand: CreateV2Stage,
    } = await import('@aws-sdk/client-apigatewayv2')
    apiId = (await t.v2.send(new CreateApiCommand({Name: 'http-metered', ProtocolType: 'HTTP'}))).ApiId!
    const integration = await t.v2.send(
      new CreateIntegrationCommand({
        ApiId: apiId,
        IntegrationType: 'HTTP_PROXY',
        IntegrationMethod: 'GET',
        IntegrationUri: `http://127.0.0.1:${port}/{p}`,
        PayloadFormatVersion: '1.0',
      }),
    )
    await t.v2.send(new CreateRouteCommand({ApiId: apiId, RouteKey: 'GET /{p}', Target: `integrations/${integration.IntegrationId}`}))
    await t.v2.send(
      new CreateV2Stage({ApiId: apiId, StageName: 'dev', AutoDeploy: true, DefaultRouteSettings: {DetailedMetricsEnabled: true}}),
    )
    // Given 2 answers of 200, 1 of 500 and 1 of 404 (no route for POST)
    const statuses = []
    for (const [method, path] of [
      ['GET', '/ok'],
      ['GET', '/ok'],
      ['GET', '/bad'],
      ['POST', '/ok'],
    ] as const)
      statuses.push((await fetch(`${t.url}/_aws/execute-api/${apiId}/dev${path}`, {method})).status)
    assert.deepEqual(statuses, [200, 200, 500, 404])
  })
  after(async () => {
    cw.destroy()
    await t.close()
    await new Promise((resolve) => backend.close(resolve))
  })

  it('Count, 4xx, 5xx and DataProcessed by ApiId+Stage, and by Route with detailed metrics', async () => {
    const dims = [
      {Name: 'ApiId', Value: apiId},
      {Name: 'Stage', Value: 'dev'},
    ]
    const sum = async (metric: string, dimensions = dims) =>
      (
        await cw.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/ApiGateway',
            MetricName: metric,
            Dimensions: dimensions,
            StartTime: new Date(T0 - 600_000),
            EndTime: new Date(T0 + 600_000),
            Period: 600,
            Statistics: ['Sum'],
          }),
        )
      ).Datapoints?.[0]?.Sum
    assert.equal(await sum('Count'), 4)
    assert.equal(await sum('4xx'), 1)
    assert.equal(await sum('5xx'), 1)
    assert.ok((await sum('DataProcessed'))! >= 3 * '{"a":1}'.length)
    assert.equal(await sum('Count', [...dims, {Name: 'Route', Value: 'GET /{p}'}]), 3)
    const listed = await cw.send(new ListMetricsCommand({Namespace: 'AWS/ApiGateway', MetricName: '5xx'}))
    assert.deepEqual(listed.Metrics!.map((m) => m.Dimensions!.map((d) => d.Name).join('+')).sort(), [
      'ApiId',
      'ApiId+Route+Stage',
      'ApiId+Stage',
    ])
  })
})

describe('CloudWatch metrics of a WebSocket stage', () => {
  let t: TestEmulator
  let cw: CloudWatchClient
  let apiId: string
  before(async () => {
    t = await startTestEmulator({emulator: {now: () => new Date(T0)}})
    cw = new CloudWatchClient({endpoint: t.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const v2 = await import('@aws-sdk/client-apigatewayv2')
    apiId = (
      await t.v2.send(
        new v2.CreateApiCommand({Name: 'ws-metered', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}),
      )
    ).ApiId!
    const mock = await t.v2.send(
      new v2.CreateIntegrationCommand({ApiId: apiId, IntegrationType: 'MOCK', RequestTemplates: {$default: '{"statusCode": 200}'}}),
    )
    await t.v2.send(
      new v2.CreateIntegrationResponseCommand({
        ApiId: apiId,
        IntegrationId: mock.IntegrationId!,
        IntegrationResponseKey: '$default',
        ResponseTemplates: {$default: '{"pong": "$context.routeKey"}'},
      }),
    )
    const route = await t.v2.send(
      new v2.CreateRouteCommand({
        ApiId: apiId,
        RouteKey: '$default',
        Target: `integrations/${mock.IntegrationId}`,
        RouteResponseSelectionExpression: '$default',
      }),
    )
    await t.v2.send(new v2.CreateRouteResponseCommand({ApiId: apiId, RouteId: route.RouteId!, RouteResponseKey: '$default'}))
    await t.v2.send(new v2.CreateStageCommand({ApiId: apiId, StageName: 'dev', AutoDeploy: true}))
    // Given one connection that sends three messages and gets three answers
    const {default: WebSocket} = await import('ws')
    const ws = new WebSocket(`ws://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/dev`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    const answers: string[] = []
    const three = new Promise<void>((resolve) =>
      ws.on('message', (data) => {
        answers.push(String(data))
        if (answers.length === 3) resolve()
      }),
    )
    for (let i = 0; i < 3; i++) ws.send(JSON.stringify({action: 'hello'}))
    await three
    assert.deepEqual(
      answers.map((a) => JSON.parse(a)),
      [{pong: '$default'}, {pong: '$default'}, {pong: '$default'}],
    )
    ws.close()
    await new Promise((resolve) => ws.once('close', resolve))
  })
  after(async () => {
    cw.destroy()
    await t.close()
  })

  it('ConnectCount and MessageCount by ApiId+Stage, no errors', async () => {
    const sum = async (metric: string) =>
      (
        await cw.send(
          new GetMetricStatisticsCommand({
            Namespace: 'AWS/ApiGateway',
            MetricName: metric,
            Dimensions: [
              {Name: 'ApiId', Value: apiId},
              {Name: 'Stage', Value: 'dev'},
            ],
            StartTime: new Date(T0 - 600_000),
            EndTime: new Date(T0 + 600_000),
            Period: 600,
            Statistics: ['Sum'],
          }),
        )
      ).Datapoints?.[0]?.Sum
    assert.equal(await sum('ConnectCount'), 1)
    assert.equal(await sum('MessageCount'), 3)
    assert.equal(await sum('ClientError'), 0)
    assert.equal(await sum('IntegrationError'), 0)
  })
})
