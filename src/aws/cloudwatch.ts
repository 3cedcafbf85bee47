/**
 * The narrow port over CloudWatch for `apigw metrics`, `status` and alarms on deploy: metric data (paged, at
 * most 500 queries a call), the metrics that exist under some dimensions, and metric alarms.
 */
import type {MetricAlarm, MetricDataQuery, MetricDataResult, PutMetricAlarmCommandInput} from '@aws-sdk/client-cloudwatch'
import type {AwsClients} from './clients.ts'
import {type AwsErrorContext, mapAwsError} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

export type {MetricAlarm, MetricDataQuery, MetricDataResult, PutMetricAlarmCommandInput}

export type MetricDimension = {Name: string; Value: string}

export type CloudWatchPort = {
  /** GetMetricData over every page and every 500-query chunk; results keep the queries' ids. */
  getMetricData(queries: MetricDataQuery[], start: Date, end: Date): Promise<MetricDataResult[]>
  /** The dimension sets of a metric that carry every dimension of `filter` (Value undefined: any value). */
  listDimensionSets(namespace: string, metricName: string, filter: Array<{Name: string; Value?: string}>): Promise<MetricDimension[][]>
  /** The alarms whose names start with a prefix (all pages). */
  describeAlarms(prefix: string): Promise<MetricAlarm[]>
  putMetricAlarm(input: PutMetricAlarmCommandInput): Promise<void>
  deleteAlarms(names: string[]): Promise<void>
  /** An alarm's tags. */
  listTags(alarmArn: string): Promise<Record<string, string>>
}

type Sdk = typeof import('@aws-sdk/client-cloudwatch')

export function createCloudWatchPort(clients: AwsClients, scheduler: Scheduler = passThrough): CloudWatchPort {
  let sdk: Promise<Sdk> | undefined
  const load = () => (sdk ??= import('@aws-sdk/client-cloudwatch'))
  const call = async <T>(ctx: AwsErrorContext, make: (m: Sdk) => object): Promise<T> => {
    const [m, client] = await Promise.all([load(), clients.cloudWatch()])
    try {
      return (await scheduler.run(ctx.operation, () => client.send(make(m) as never))) as T
    } catch (error) {
      throw mapAwsError(error, ctx)
    }
  }
  return {
    async getMetricData(queries, start, end) {
      const byId = new Map<string, MetricDataResult>()
      for (let i = 0; i < queries.length; i += 500) {
        const chunk = queries.slice(i, i + 500)
        let NextToken: string | undefined
        do {
          const page = await call<{MetricDataResults?: MetricDataResult[]; NextToken?: string}>(
            {operation: 'GetMetricData'},
            (m) =>
              new m.GetMetricDataCommand({
                MetricDataQueries: chunk,
                StartTime: start,
                EndTime: end,
                NextToken,
                ScanBy: 'TimestampAscending',
              }),
          )
          for (const r of page.MetricDataResults ?? []) {
            const seen = byId.get(r.Id!)
            if (!seen) byId.set(r.Id!, {...r, Timestamps: [...(r.Timestamps ?? [])], Values: [...(r.Values ?? [])]})
            else {
              seen.Timestamps!.push(...(r.Timestamps ?? []))
              seen.Values!.push(...(r.Values ?? []))
            }
          }
          NextToken = page.NextToken
        } while (NextToken)
      }
      return [...byId.values()]
    },
    async listDimensionSets(Namespace, MetricName, filter) {
      const sets: MetricDimension[][] = []
      let NextToken: string | undefined
      do {
        const page = await call<{Metrics?: Array<{Dimensions?: Array<{Name?: string; Value?: string}>}>; NextToken?: string}>(
          {operation: 'ListMetrics'},
          (m) => new m.ListMetricsCommand({Namespace, MetricName, Dimensions: filter, NextToken}),
        )
        for (const metric of page.Metrics ?? [])
          sets.push((metric.Dimensions ?? []).map((d) => ({Name: d.Name ?? '', Value: d.Value ?? ''})))
        NextToken = page.NextToken
      } while (NextToken)
      return sets
    },
    async describeAlarms(prefix) {
      const alarms: MetricAlarm[] = []
      let NextToken: string | undefined
      do {
        const page = await call<{MetricAlarms?: MetricAlarm[]; NextToken?: string}>(
          {operation: 'DescribeAlarms'},
          (m) => new m.DescribeAlarmsCommand({AlarmNamePrefix: prefix, AlarmTypes: ['MetricAlarm'], NextToken}),
        )
        alarms.push(...(page.MetricAlarms ?? []))
        NextToken = page.NextToken
      } while (NextToken)
      return alarms
    },
    async putMetricAlarm(input) {
      await call({operation: 'PutMetricAlarm', resource: `alarm ${input.AlarmName}`}, (m) => new m.PutMetricAlarmCommand(input))
    },
    async deleteAlarms(names) {
      for (let i = 0; i < names.length; i += 100) {
        const AlarmNames = names.slice(i, i + 100)
        await call({operation: 'DeleteAlarms', resource: `alarms ${AlarmNames.join(', ')}`}, (m) => new m.DeleteAlarmsCommand({AlarmNames}))
      }
    },
    async listTags(ResourceARN) {
      const out = await call<{Tags?: Array<{Key?: string; Value?: string}>}>(
        {operation: 'ListTagsForResource', resource: ResourceARN},
        (m) => new m.ListTagsForResourceCommand({ResourceARN}),
      )
      return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']))
    },
  }
}
