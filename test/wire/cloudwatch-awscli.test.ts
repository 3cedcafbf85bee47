/**
 * API Gateway's metrics of local traffic read back through the AWS CLI v2 (`aws cloudwatch get-metric-data`,
 * `get-metric-statistics`, `list-metrics`, `put-metric-alarm`, `describe-alarms`): the AWS CLI v2.9 speaks
 * CloudWatch's awsQuery protocol, a client nobody here wrote. Skipped outside CI when the CLI is missing.
 */
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {rmSync} from 'node:fs'
import {after, before, describe, it, type TestContext} from 'node:test'
import {promisify} from 'node:util'
import {CreateDeploymentCommand, CreateStageCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)

function needCli(ctx: TestContext): boolean {
  const reason = awsCliSkipReason()
  if (reason) ctx.skip(reason)
  return reason === undefined
}

const mock = (status: number) => ({
  responses: {[String(status)]: {description: 'answer'}},
  'x-amazon-apigateway-integration': {
    type: 'mock',
    requestTemplates: {'application/json': `{"statusCode": ${status}}`},
    responses: {default: {statusCode: String(status)}},
  },
})

describe('CloudWatch metrics through the AWS CLI v2', () => {
  let t: TestEmulator
  let home: string
  // The emulator's clock stands still, so the alarm's period is the traffic's however slow the CLI is.
  const T0 = Date.UTC(2026, 0, 5, 12, 1)
  const start = new Date(T0 - 600_000).toISOString()
  const end = new Date(T0 + 600_000).toISOString()

  before(async () => {
    t = await startTestEmulator({emulator: {now: () => new Date(T0)}})
    home = tempDir('apigw-awscli-cw-')
    const spec = {openapi: '3.0.1', info: {title: 'cli-metered', version: '1'}, paths: {'/ok': {get: mock(200)}, '/fail': {get: mock(502)}}}
    const apiId = (await t.v1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(spec))}))).id!
    const deploymentId = (await t.v1.send(new CreateDeploymentCommand({restApiId: apiId}))).id!
    await t.v1.send(new CreateStageCommand({restApiId: apiId, stageName: 'prod', deploymentId}))
    // Given 5 answers of 200, 2 of 502 and 1 of 403
    for (const path of ['/ok', '/ok', '/ok', '/ok', '/ok', '/fail', '/fail', '/missing'])
      await (await fetch(`${t.url}/_aws/execute-api/${apiId}/prod${path}`)).arrayBuffer()
  })
  after(async () => {
    await t.close()
    rmSync(home, {recursive: true, force: true})
  })

  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const {stdout} = await run(
      AWS_CLI,
      ['--endpoint-url', t.url, '--region', 'us-east-1', '--no-cli-pager', '--output', 'json', 'cloudwatch', ...args],
      {env: awsCliEnv(home), timeout: 60_000},
    )
    return stdout.trim() === '' ? {} : JSON.parse(stdout)
  }

  const dims = 'Name=ApiName,Value=cli-metered Name=Stage,Value=prod'

  it('get-metric-data: the counts of the mix are exact', async (ctx) => {
    if (!needCli(ctx)) return
    const query = (id: string, metric: string) => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/ApiGateway',
          MetricName: metric,
          Dimensions: [
            {Name: 'ApiName', Value: 'cli-metered'},
            {Name: 'Stage', Value: 'prod'},
          ],
        },
        Period: 3600,
        Stat: 'Sum',
      },
    })
    const out = (await aws(
      'get-metric-data',
      '--start-time',
      start,
      '--end-time',
      end,
      '--metric-data-queries',
      JSON.stringify([query('count', 'Count'), query('e4', '4XXError'), query('e5', '5XXError')]),
    )) as {MetricDataResults: Array<{Id: string; Values: number[]; StatusCode: string}>}
    const sums = Object.fromEntries(out.MetricDataResults.map((r) => [r.Id, r.Values.reduce((a, b) => a + b, 0)]))
    assert.deepEqual(sums, {count: 8, e4: 1, e5: 2})
    assert.ok(out.MetricDataResults.every((r) => r.StatusCode === 'Complete'))
  })

  it('get-metric-statistics with percentiles, and list-metrics', async (ctx) => {
    if (!needCli(ctx)) return
    const stats = (await aws(
      'get-metric-statistics',
      '--namespace',
      'AWS/ApiGateway',
      '--metric-name',
      'Latency',
      '--dimensions',
      ...dims.split(' '),
      '--start-time',
      start,
      '--end-time',
      end,
      '--period',
      '3600',
      '--extended-statistics',
      'p50',
      'p99',
    )) as {Datapoints: Array<{ExtendedStatistics: Record<string, number>; Unit: string}>}
    const total = stats.Datapoints.length
    assert.ok(total >= 1)
    assert.ok(stats.Datapoints.every((p) => p.ExtendedStatistics.p50! <= p.ExtendedStatistics.p99! && p.Unit === 'Milliseconds'))
    const listed = (await aws('list-metrics', '--namespace', 'AWS/ApiGateway', '--metric-name', '5XXError')) as {
      Metrics: Array<{Dimensions: Array<{Name: string; Value: string}>}>
    }
    assert.equal(listed.Metrics.length, 2)
  })

  it('put-metric-alarm and describe-alarms: the alarm is in ALARM after the 5xx', async (ctx) => {
    if (!needCli(ctx)) return
    await aws(
      'put-metric-alarm',
      '--alarm-name',
      'cli-5xx',
      '--namespace',
      'AWS/ApiGateway',
      '--metric-name',
      '5XXError',
      '--dimensions',
      ...dims.split(' '),
      '--statistic',
      'Sum',
      '--period',
      '300',
      '--evaluation-periods',
      '1',
      '--threshold',
      '1',
      '--comparison-operator',
      'GreaterThanOrEqualToThreshold',
    )
    const out = (await aws('describe-alarms', '--alarm-names', 'cli-5xx')) as {MetricAlarms: Array<{StateValue: string; Threshold: number}>}
    assert.equal(out.MetricAlarms.length, 1)
    assert.equal(out.MetricAlarms[0]!.StateValue, 'ALARM')
    assert.equal(out.MetricAlarms[0]!.Threshold, 1)
    await aws('delete-alarms', '--alarm-names', 'cli-5xx')
    const gone = (await aws('describe-alarms')) as {MetricAlarms: unknown[]}
    assert.deepEqual(gone.MetricAlarms, [])
  })
})
