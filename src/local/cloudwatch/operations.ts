/**
 * The CloudWatch operations of the emulator (monitoring 2010-08-01): ListMetrics, GetMetricData,
 * GetMetricStatistics over the points the data plane records, and metric alarms (PutMetricAlarm, DescribeAlarms,
 * DeleteAlarms, SetAlarmState, ListTagsForResource, TagResource, UntagResource). Inputs come from either wire
 * protocol (protocol.ts: JSON 1.0 with numbers and booleans, awsQuery with strings), so members are read through
 * the coercing helpers below; outputs use Date for timestamps and Map for maps, written per protocol.
 * Errors: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CommonErrors.html
 */
import {AwsError} from '../protocol/aws-error.ts'
import type {Store} from '../store/store.ts'
import {ALARM_KIND, type AlarmDoc, type AlarmState, COMPARISONS, refreshAlarms, TREAT_MISSING} from './alarms.ts'
import type {Dimension, MetricStore} from './metric-store.ts'
import {isStatistic, periodsOf, STATISTICS, statisticOf} from './statistics.ts'

export type CloudWatchContext = {store: Store; now: () => Date; region: string; accountId: string; metrics: MetricStore}

type Input = Record<string, unknown>
type Operation = (input: Input, ctx: CloudWatchContext) => unknown

const invalid = (message: string) => new AwsError('InvalidParameterValue', message, 400)
const missingParameter = (name: string) => new AwsError('MissingParameter', `The parameter ${name} is required.`, 400)

function str(input: Input, name: string, required: true): string
function str(input: Input, name: string, required?: false): string | undefined
function str(input: Input, name: string, required = false): string | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') {
    if (required) throw missingParameter(name)
    return undefined
  }
  return String(v)
}

function num(input: Input, name: string, required: true): number
function num(input: Input, name: string, required?: false): number | undefined
function num(input: Input, name: string, required = false): number | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') {
    if (required) throw missingParameter(name)
    return undefined
  }
  const n = Number(v)
  if (!Number.isFinite(n)) throw invalid(`The value ${String(v)} for parameter ${name} is not a number.`)
  return n
}

function bool(input: Input, name: string): boolean | undefined {
  const v = input[name]
  if (v === undefined || v === null || v === '') return undefined
  return v === true || v === 'true'
}

/** A timestamp: epoch seconds (JSON 1.0) or ISO 8601 (awsQuery). */
function time(input: Input, name: string): number {
  const v = input[name]
  if (v === undefined || v === null || v === '') throw missingParameter(name)
  const ms = typeof v === 'number' ? v * 1000 : /^\d+(\.\d+)?$/.test(String(v)) ? Number(v) * 1000 : Date.parse(String(v))
  if (!Number.isFinite(ms)) throw invalid(`The value ${String(v)} for parameter ${name} is not a valid timestamp.`)
  return ms
}

function list<T = unknown>(input: Input, name: string): T[] {
  const v = input[name]
  if (v === undefined || v === null) return []
  if (!Array.isArray(v)) throw invalid(`The parameter ${name} must be a list.`)
  return v as T[]
}

function dimensions(input: Input, name = 'Dimensions'): Dimension[] {
  return list<Input>(input, name).map((d, i) => {
    const n = str(d, 'Name')
    const value = str(d, 'Value')
    if (!n || value === undefined) throw missingParameter(`${name}.member.${i + 1}.${n ? 'Value' : 'Name'}`)
    return {Name: n, Value: value}
  })
}

function checkPeriod(period: number, name = 'Period'): number {
  if (period <= 0 || (period % 60 !== 0 && ![1, 5, 10, 30].includes(period)))
    throw invalid(`The parameter ${name} must be 1, 5, 10, 30 or a multiple of 60.`)
  return period
}

function pageOf<T>(items: T[], input: Input, tokenName: string, max: number): {page: T[]; next?: string} {
  const token = str(input, tokenName)
  const start = token === undefined ? 0 : Number.parseInt(Buffer.from(token, 'base64url').toString('utf8'), 10)
  if (!Number.isInteger(start) || start < 0 || start > items.length)
    throw new AwsError('InvalidNextToken', 'The service returned an invalid NextToken.', 400)
  const page = items.slice(start, start + max)
  const end = start + page.length
  return end < items.length ? {page, next: Buffer.from(String(end)).toString('base64url')} : {page}
}

function ListMetrics(input: Input, ctx: CloudWatchContext): unknown {
  const namespace = str(input, 'Namespace')
  const metricName = str(input, 'MetricName')
  const filters = list<Input>(input, 'Dimensions').map((d) => ({Name: str(d, 'Name', true), Value: str(d, 'Value')}))
  const nowMs = ctx.now().getTime()
  const recent = str(input, 'RecentlyActive') === 'PT3H'
  const matched = ctx.metrics
    .all()
    .filter((s) => s.minutes.size > 0)
    .filter((s) => (namespace === undefined || s.namespace === namespace) && (metricName === undefined || s.metricName === metricName))
    .filter((s) => filters.every((f) => s.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value))))
    .filter((s) => !recent || [...s.minutes.keys()].some((m) => m >= nowMs - 3 * 3600_000))
    .map((s) => ({Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions}))
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
  const {page, next} = pageOf(matched, input, 'NextToken', 500)
  return {Metrics: page, ...(next ? {NextToken: next} : {})}
}

function GetMetricStatistics(input: Input, ctx: CloudWatchContext): unknown {
  const namespace = str(input, 'Namespace', true)
  const metricName = str(input, 'MetricName', true)
  const start = time(input, 'StartTime')
  const end = time(input, 'EndTime')
  const period = checkPeriod(num(input, 'Period', true))
  const statistics = list<string>(input, 'Statistics').map(String)
  const extended = list<string>(input, 'ExtendedStatistics').map(String)
  if (statistics.length === 0 && extended.length === 0)
    throw new AwsError('MissingParameter', 'Must specify either Statistics or ExtendedStatistics, but not both.', 400)
  for (const s of statistics)
    if (!(STATISTICS as readonly string[]).includes(s))
      throw invalid(`The value ${s} for parameter Statistics is not a valid statistic (${STATISTICS.join(', ')}).`)
  for (const s of extended)
    if (!isStatistic(s) || !s.startsWith('p')) throw invalid(`The value ${s} for parameter ExtendedStatistics is not valid.`)
  if (end <= start) throw invalid('The parameter StartTime must be less than the parameter EndTime.')
  const series = ctx.metrics.find(namespace, metricName, dimensions(input))
  const unit = str(input, 'Unit')
  if (unit && series && series.unit !== unit) return {Label: metricName, Datapoints: []}
  const datapoints = periodsOf(series, start, end, period * 1000).map((p) => {
    const point: Record<string, unknown> = {Timestamp: new Date(p.start)}
    for (const s of statistics) point[s] = statisticOf(p, s)
    if (extended.length > 0) point.ExtendedStatistics = new Map(extended.map((s) => [s, statisticOf(p, s)]))
    point.Unit = series?.unit ?? 'None'
    return point
  })
  return {Label: metricName, Datapoints: datapoints}
}

function GetMetricData(input: Input, ctx: CloudWatchContext): unknown {
  const start = time(input, 'StartTime')
  const end = time(input, 'EndTime')
  if (end <= start) throw invalid('The parameter StartTime must be less than the parameter EndTime.')
  const queries = list<Input>(input, 'MetricDataQueries')
  if (queries.length === 0) throw missingParameter('MetricDataQueries')
  const descending = (str(input, 'ScanBy') ?? 'TimestampDescending') === 'TimestampDescending'
  const results = []
  for (const q of queries) {
    const id = str(q, 'Id', true)
    if (!/^[a-z][a-zA-Z0-9_]*$/.test(id))
      throw invalid(`The value ${id} for parameter MetricDataQueries.member.Id is not valid: it must start with a lowercase letter.`)
    if (q.Expression !== undefined)
      throw new AwsError(
        'NotImplementedException',
        'Metric math expressions (MetricDataQueries Expression) are not supported by the apigw local emulator yet (see LIMITATIONS.md).',
        501,
      )
    const stat = q.MetricStat as Input | undefined
    if (!stat) throw missingParameter('MetricDataQueries.member.MetricStat')
    const metric = (stat.Metric ?? {}) as Input
    const statName = str(stat, 'Stat', true)
    if (!isStatistic(statName)) throw invalid(`The value ${statName} for parameter MetricDataQueries.member.MetricStat.Stat is not valid.`)
    const period = checkPeriod(num(stat, 'Period', true), 'MetricDataQueries.member.MetricStat.Period')
    const metricName = str(metric, 'MetricName', true)
    const series = ctx.metrics.find(str(metric, 'Namespace', true), metricName, dimensions(metric))
    const points = periodsOf(series, start, end, period * 1000)
    if (descending) points.reverse()
    if (bool(q, 'ReturnData') === false) continue
    results.push({
      Id: id,
      Label: str(q, 'Label') ?? metricName,
      Timestamps: points.map((p) => new Date(p.start)),
      Values: points.map((p) => statisticOf(p, statName)),
      StatusCode: 'Complete',
      Messages: [],
    })
  }
  return {MetricDataResults: results, Messages: []}
}

function alarmArn(ctx: CloudWatchContext, name: string): string {
  return `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}`
}

function PutMetricAlarm(input: Input, ctx: CloudWatchContext): unknown {
  const name = str(input, 'AlarmName', true)
  if (name.length > 255) throw invalid('The parameter AlarmName must be at most 255 characters long.')
  if (input.Metrics !== undefined)
    throw new AwsError(
      'NotImplementedException',
      'Alarms on metric math (PutMetricAlarm Metrics) are not supported by the apigw local emulator yet (see LIMITATIONS.md).',
      501,
    )
  const statistic = str(input, 'Statistic')
  const extended = str(input, 'ExtendedStatistic')
  if ((statistic === undefined) === (extended === undefined))
    throw new AwsError('InvalidParameterCombination', 'Exactly one of Statistic and ExtendedStatistic must be specified.', 400)
  if (statistic !== undefined && !(STATISTICS as readonly string[]).includes(statistic))
    throw invalid(`The value ${statistic} for parameter Statistic is not valid (${STATISTICS.join(', ')}).`)
  if (extended !== undefined && !(isStatistic(extended) && extended.startsWith('p')))
    throw invalid(`The value ${extended} for parameter ExtendedStatistic is not valid.`)
  const comparison = str(input, 'ComparisonOperator', true)
  if (!(COMPARISONS as readonly string[]).includes(comparison))
    throw invalid(`The value ${comparison} for parameter ComparisonOperator is not valid (${COMPARISONS.join(', ')}).`)
  const treat = str(input, 'TreatMissingData')
  if (treat !== undefined && !(TREAT_MISSING as readonly string[]).includes(treat))
    throw invalid(`The value ${treat} for parameter TreatMissingData is not valid (${TREAT_MISSING.join(', ')}).`)
  const evaluationPeriods = num(input, 'EvaluationPeriods', true)
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) throw invalid('The parameter EvaluationPeriods must be at least 1.')
  const datapoints = num(input, 'DatapointsToAlarm')
  if (datapoints !== undefined && (datapoints < 1 || datapoints > evaluationPeriods))
    throw invalid('The parameter DatapointsToAlarm must be between 1 and EvaluationPeriods.')
  const period = checkPeriod(num(input, 'Period', true))
  const nowMs = ctx.now().getTime()
  const existing = ctx.store.get<AlarmDoc>(ALARM_KIND, name)
  const doc: AlarmDoc = {
    AlarmName: name,
    AlarmArn: alarmArn(ctx, name),
    ...(str(input, 'AlarmDescription') !== undefined ? {AlarmDescription: str(input, 'AlarmDescription')} : {}),
    AlarmConfigurationUpdatedTimestamp: nowMs,
    ActionsEnabled: bool(input, 'ActionsEnabled') ?? true,
    OKActions: list<string>(input, 'OKActions').map(String),
    AlarmActions: list<string>(input, 'AlarmActions').map(String),
    InsufficientDataActions: list<string>(input, 'InsufficientDataActions').map(String),
    StateValue: existing?.StateValue ?? 'INSUFFICIENT_DATA',
    StateReason: existing?.StateReason ?? 'Unchecked: Initial alarm creation',
    StateUpdatedTimestamp: existing?.StateUpdatedTimestamp ?? nowMs,
    StateTransitionedTimestamp: existing?.StateTransitionedTimestamp ?? nowMs,
    MetricName: str(input, 'MetricName', true),
    Namespace: str(input, 'Namespace', true),
    ...(statistic !== undefined ? {Statistic: statistic} : {}),
    ...(extended !== undefined ? {ExtendedStatistic: extended} : {}),
    Dimensions: dimensions(input),
    Period: period,
    ...(str(input, 'Unit') !== undefined ? {Unit: str(input, 'Unit')} : {}),
    EvaluationPeriods: evaluationPeriods,
    ...(datapoints !== undefined ? {DatapointsToAlarm: datapoints} : {}),
    Threshold: num(input, 'Threshold', true),
    ComparisonOperator: comparison,
    ...(treat !== undefined ? {TreatMissingData: treat} : {}),
    // As on AWS, Tags apply when the alarm is created; an update keeps the tags it has (TagResource changes them).
    Tags: existing?.Tags ?? tags(input),
  }
  ctx.store.put(ALARM_KIND, name, doc)
  return {}
}

function tags(input: Input): Array<{Key: string; Value: string}> {
  return list<Input>(input, 'Tags').map((t) => ({Key: str(t, 'Key', true), Value: str(t, 'Value') ?? ''}))
}

/** The DescribeAlarms MetricAlarm shape of a stored alarm. */
function wireAlarm(a: AlarmDoc): Record<string, unknown> {
  const {Tags: _tags, setStateMinute: _set, ...rest} = a
  return {
    ...rest,
    AlarmConfigurationUpdatedTimestamp: new Date(a.AlarmConfigurationUpdatedTimestamp),
    StateUpdatedTimestamp: new Date(a.StateUpdatedTimestamp),
    StateTransitionedTimestamp: new Date(a.StateTransitionedTimestamp),
  }
}

function DescribeAlarms(input: Input, ctx: CloudWatchContext): unknown {
  const names = list<string>(input, 'AlarmNames').map(String)
  const prefix = str(input, 'AlarmNamePrefix')
  if (names.length > 0 && prefix !== undefined)
    throw new AwsError('InvalidParameterCombination', 'AlarmNames and AlarmNamePrefix cannot be specified together.', 400)
  const state = str(input, 'StateValue')
  const actionPrefix = str(input, 'ActionPrefix')
  const types = list<string>(input, 'AlarmTypes').map(String)
  if (types.length > 0 && !types.includes('MetricAlarm')) return {MetricAlarms: [], CompositeAlarms: []}
  let alarms = ctx.store
    .list<AlarmDoc>(ALARM_KIND)
    .filter((a) => (names.length === 0 || names.includes(a.AlarmName)) && (prefix === undefined || a.AlarmName.startsWith(prefix)))
  alarms = refreshAlarms(ctx.store, ctx.metrics, alarms, ctx.now().getTime())
    .filter((a) => state === undefined || a.StateValue === state)
    .filter(
      (a) =>
        actionPrefix === undefined ||
        [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((x) => x.startsWith(actionPrefix)),
    )
    .sort((a, b) => (a.AlarmName < b.AlarmName ? -1 : 1))
  const max = num(input, 'MaxRecords') ?? 50
  if (max < 1 || max > 100) throw invalid('The parameter MaxRecords must be between 1 and 100.')
  const {page, next} = pageOf(alarms, input, 'NextToken', max)
  return {MetricAlarms: page.map(wireAlarm), CompositeAlarms: [], ...(next ? {NextToken: next} : {})}
}

function DeleteAlarms(input: Input, ctx: CloudWatchContext): unknown {
  const names = list<string>(input, 'AlarmNames').map(String)
  const missing = names.filter((n) => !ctx.store.get(ALARM_KIND, n))
  if (missing.length > 0) throw new AwsError('ResourceNotFound', `${missing.length} alarms not found: [${missing.join(', ')}]`, 404)
  for (const n of names) ctx.store.delete(ALARM_KIND, n)
  return {}
}

function SetAlarmState(input: Input, ctx: CloudWatchContext): unknown {
  const name = str(input, 'AlarmName', true)
  const state = str(input, 'StateValue', true) as AlarmState
  if (!['OK', 'ALARM', 'INSUFFICIENT_DATA'].includes(state))
    throw invalid(`The value ${state} for parameter StateValue is not valid (OK, ALARM, INSUFFICIENT_DATA).`)
  const reason = str(input, 'StateReason', true)
  const reasonData = str(input, 'StateReasonData')
  if (reasonData !== undefined) {
    try {
      JSON.parse(reasonData)
    } catch {
      throw new AwsError('InvalidFormat', 'StateReasonData is not valid JSON.', 400)
    }
  }
  const alarm = ctx.store.get<AlarmDoc>(ALARM_KIND, name)
  if (!alarm) throw new AwsError('ResourceNotFound', `Alarm ${name} not found`, 404)
  const nowMs = ctx.now().getTime()
  const next: AlarmDoc = {...alarm, StateReason: reason, StateUpdatedTimestamp: nowMs, setStateMinute: Math.floor(nowMs / 60_000) * 60_000}
  if (reasonData !== undefined) next.StateReasonData = reasonData
  else delete next.StateReasonData
  if (alarm.StateValue !== state) next.StateTransitionedTimestamp = nowMs
  next.StateValue = state
  ctx.store.put(ALARM_KIND, name, next)
  return {}
}

function alarmOfArn(input: Input, ctx: CloudWatchContext): AlarmDoc {
  const arn = str(input, 'ResourceARN', true)
  const m = /^arn:aws[a-z-]*:cloudwatch:[^:]*:[^:]*:alarm:(.+)$/.exec(arn)
  const alarm = m ? ctx.store.get<AlarmDoc>(ALARM_KIND, m[1]!) : undefined
  if (!alarm) throw new AwsError('ResourceNotFoundException', `The resource ${arn} does not exist.`, 404)
  return alarm
}

function ListTagsForResource(input: Input, ctx: CloudWatchContext): unknown {
  return {Tags: alarmOfArn(input, ctx).Tags}
}

function TagResource(input: Input, ctx: CloudWatchContext): unknown {
  const alarm = alarmOfArn(input, ctx)
  const added = tags(input)
  const kept = alarm.Tags.filter((t) => !added.some((a) => a.Key === t.Key))
  ctx.store.put(ALARM_KIND, alarm.AlarmName, {...alarm, Tags: [...kept, ...added]})
  return {}
}

function UntagResource(input: Input, ctx: CloudWatchContext): unknown {
  const alarm = alarmOfArn(input, ctx)
  const keys = list<string>(input, 'TagKeys').map(String)
  ctx.store.put(ALARM_KIND, alarm.AlarmName, {...alarm, Tags: alarm.Tags.filter((t) => !keys.includes(t.Key))})
  return {}
}

export const cloudWatchOperations: Record<string, Operation> = {
  ListMetrics,
  GetMetricStatistics,
  GetMetricData,
  PutMetricAlarm,
  DescribeAlarms,
  DeleteAlarms,
  SetAlarmState,
  ListTagsForResource,
  TagResource,
  UntagResource,
}

/** Operations that write (run in a write transaction); DescribeAlarms writes the states it evaluates. */
export const CLOUDWATCH_READ_ONLY = new Set(['ListMetrics', 'GetMetricStatistics', 'GetMetricData', 'ListTagsForResource'])
