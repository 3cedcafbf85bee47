/**
 * CloudWatch alarms of apigw.yaml (`alarms:` of an API), reconciled on deploy for the deployed stage: the
 * PutMetricAlarm input each declared alarm needs, and the plan between them and the alarms that exist (create,
 * update with the fields that differ, unchanged; delete only with prune, and only alarms carrying this API's and
 * stage's tags). Alarms are named `{api}-{stage}-{key}` like usage plans (`{api}-{plan}`) and tagged
 * `apigw:api`, `apigw:stage`, `apigw:alarm`. Pure: no I/O.
 */
import type {AlarmConfig} from '../config/alarm-rules.ts'

export {ALARM_METRICS} from '../config/alarm-rules.ts'
import {TAG_API} from './plan.ts'
import type {AlarmChange, AlarmPlan} from './types.ts'

export type {AlarmChange, AlarmPlan}

export const TAG_STAGE = 'apigw:stage'
export const TAG_ALARM = 'apigw:alarm'
export const NAMESPACE = 'AWS/ApiGateway'

export const ALARM_STATISTICS = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'] as const

/** apigw.yaml's comparisons: AWS's names, or the operators as shorthand. */
export const COMPARISONS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'GreaterThanOrEqualToThreshold',
  GreaterThanThreshold: 'GreaterThanThreshold',
  LessThanThreshold: 'LessThanThreshold',
  LessThanOrEqualToThreshold: 'LessThanOrEqualToThreshold',
  '>=': 'GreaterThanOrEqualToThreshold',
  '>': 'GreaterThanThreshold',
  '<': 'LessThanThreshold',
  '<=': 'LessThanOrEqualToThreshold',
}

export const alarmName = (api: string, stage: string, key: string): string => `${api}-${stage}-${key}`

/** The PutMetricAlarm input of one alarm (the members apigw sets). */
export type AlarmInput = {
  AlarmName: string
  AlarmDescription?: string
  ActionsEnabled: boolean
  AlarmActions: string[]
  OKActions: string[]
  MetricName: string
  Namespace: string
  Statistic?: string
  ExtendedStatistic?: string
  Dimensions: Array<{Name: string; Value: string}>
  Period: number
  EvaluationPeriods: number
  DatapointsToAlarm?: number
  Threshold: number
  ComparisonOperator: string
  TreatMissingData: string
  Tags: Array<{Key: string; Value: string}>
}

export type DesiredAlarm = {key: string; input: AlarmInput}

/**
 * The alarms apigw.yaml declares for one stage. `apiId` fills the ApiId dimension of HTTP APIs (`${apiId}` when
 * the API does not exist yet: the deploy fills it in).
 */
export function desiredAlarms(
  api: string,
  type: 'rest' | 'http',
  stage: string,
  alarms: Record<string, AlarmConfig> | undefined,
  apiId: string | undefined,
): DesiredAlarm[] {
  const out: DesiredAlarm[] = []
  for (const [key, a] of Object.entries(alarms ?? {}).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    if (a.stage !== stage) continue
    const id = type === 'rest' ? {Name: 'ApiName', Value: api} : {Name: 'ApiId', Value: apiId ?? '${apiId}'}
    const dims = [id, {Name: 'Stage', Value: stage}]
    if (type === 'rest' && a.method && a.resource) dims.push({Name: 'Method', Value: a.method}, {Name: 'Resource', Value: a.resource})
    if (type === 'http' && a.route) dims.push({Name: 'Route', Value: a.route})
    const statistic = a.statistic ?? 'Sum'
    const percentile = /^p\d/.test(statistic)
    const input: AlarmInput = {
      AlarmName: alarmName(api, stage, key),
      ...(a.description !== undefined ? {AlarmDescription: a.description} : {}),
      ActionsEnabled: true,
      AlarmActions: [...(a.actions ?? [])],
      OKActions: [...(a.okActions ?? [])],
      MetricName: a.metric,
      Namespace: NAMESPACE,
      ...(percentile ? {ExtendedStatistic: statistic} : {Statistic: statistic}),
      Dimensions: dims.sort((x, y) => (x.Name < y.Name ? -1 : 1)),
      Period: a.period ?? 60,
      EvaluationPeriods: a.evaluationPeriods ?? 1,
      ...(a.datapointsToAlarm !== undefined ? {DatapointsToAlarm: a.datapointsToAlarm} : {}),
      Threshold: a.threshold,
      ComparisonOperator: COMPARISONS[a.comparison ?? '>=']!,
      TreatMissingData: a.treatMissingData ?? 'missing',
      Tags: [
        {Key: TAG_API, Value: api},
        {Key: TAG_STAGE, Value: stage},
        {Key: TAG_ALARM, Value: key},
      ],
    }
    out.push({key, input})
  }
  return out
}

/** An alarm as it exists (DescribeAlarms), with its tags. */
export type ActualAlarm = {
  AlarmName: string
  AlarmArn?: string | undefined
  AlarmDescription?: string | undefined
  AlarmActions?: string[] | undefined
  OKActions?: string[] | undefined
  MetricName?: string | undefined
  Namespace?: string | undefined
  Statistic?: string | undefined
  ExtendedStatistic?: string | undefined
  Dimensions?: Array<{Name?: string | undefined; Value?: string | undefined}> | undefined
  Period?: number | undefined
  EvaluationPeriods?: number | undefined
  DatapointsToAlarm?: number | undefined
  Threshold?: number | undefined
  ComparisonOperator?: string | undefined
  TreatMissingData?: string | undefined
  StateValue?: string | undefined
  tags: Record<string, string>
}

function differences(want: AlarmInput, have: ActualAlarm): string[] {
  const norm = (d: ActualAlarm['Dimensions']) =>
    JSON.stringify([...(d ?? [])].map((x) => [x.Name, x.Value]).sort(([a], [b]) => String(a).localeCompare(String(b))))
  const pairs: Array<[string, unknown, unknown]> = [
    ['metric', want.MetricName, have.MetricName],
    ['statistic', want.Statistic ?? want.ExtendedStatistic, have.Statistic ?? have.ExtendedStatistic],
    ['threshold', want.Threshold, have.Threshold],
    ['period', want.Period, have.Period],
    ['evaluationPeriods', want.EvaluationPeriods, have.EvaluationPeriods],
    ['datapointsToAlarm', want.DatapointsToAlarm ?? want.EvaluationPeriods, have.DatapointsToAlarm ?? have.EvaluationPeriods],
    ['comparison', want.ComparisonOperator, have.ComparisonOperator],
    ['treatMissingData', want.TreatMissingData, have.TreatMissingData ?? 'missing'],
    ['actions', JSON.stringify([...want.AlarmActions].sort()), JSON.stringify([...(have.AlarmActions ?? [])].sort())],
    ['okActions', JSON.stringify([...want.OKActions].sort()), JSON.stringify([...(have.OKActions ?? [])].sort())],
    ['description', want.AlarmDescription ?? '', have.AlarmDescription ?? ''],
    ['dimensions', norm(want.Dimensions), norm(have.Dimensions)],
  ]
  return pairs.filter(([, a, b]) => a !== b).map(([name]) => name)
}

/**
 * The calls between the declared alarms of a stage and those that exist. `actual` holds the alarms named
 * `{api}-{stage}-…`; only those tagged with this API and stage are deleted, and only with `prune`.
 */
export function planAlarms(api: string, stage: string, desired: DesiredAlarm[], actual: ActualAlarm[], prune: boolean): AlarmPlan {
  const changes: AlarmChange[] = []
  const steps: AlarmPlan['steps'] = []
  const byName = new Map(actual.map((a) => [a.AlarmName, a]))
  for (const d of desired) {
    const have = byName.get(d.input.AlarmName)
    const fields = have ? differences(d.input, have) : []
    const action = !have ? 'create' : fields.length > 0 ? 'update' : 'unchanged'
    changes.push({key: d.key, name: d.input.AlarmName, action, ...(action === 'update' ? {fields} : {})})
    if (action === 'unchanged') continue
    // PutMetricAlarm creates or replaces; AWS applies Tags only on creation.
    const input = action === 'create' ? d.input : (({Tags: _t, ...rest}) => rest)(d.input)
    steps.push({
      service: 'cloudwatch',
      operation: 'PutMetricAlarm',
      input,
      why: action === 'create' ? `create alarm ${d.key} of stage ${stage}` : `update alarm ${d.key}: ${fields.join(', ')}`,
    })
  }
  const wanted = new Set(desired.map((d) => d.input.AlarmName))
  const stale = actual.filter((a) => !wanted.has(a.AlarmName) && a.tags[TAG_API] === api && a.tags[TAG_STAGE] === stage)
  for (const a of stale.sort((x, y) => (x.AlarmName < y.AlarmName ? -1 : 1))) {
    const key = a.tags[TAG_ALARM] ?? a.AlarmName
    if (!prune) {
      changes.push({key, name: a.AlarmName, action: 'unchanged', fields: ['not in apigw.yaml (deploy --prune deletes it)']})
      continue
    }
    changes.push({key, name: a.AlarmName, action: 'delete'})
  }
  const deleted = changes.filter((c) => c.action === 'delete').map((c) => c.name)
  if (deleted.length > 0)
    steps.push({
      service: 'cloudwatch',
      operation: 'DeleteAlarms',
      input: {AlarmNames: deleted},
      why: 'alarms no longer in apigw.yaml (--prune)',
    })
  return {changes, steps}
}
