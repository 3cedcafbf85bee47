/**
 * CloudWatch metric alarms of the emulator (kind `cwalarm`, one document per alarm name), evaluated against
 * the local metrics on the emulator's clock: the last `EvaluationPeriods` periods (the current one once it has
 * data, so a burst shows at once; before that the last complete one), `DatapointsToAlarm` of them breaching
 * make ALARM, data that does not breach makes OK, no data INSUFFICIENT_DATA (TreatMissingData `missing`;
 * `notBreaching`, `breaching` and `ignore` as AWS).
 * An alarm is evaluated whenever it is read; a state set by SetAlarmState holds until the clock's next
 * minute, as AWS keeps it until the next evaluation. Actions are recorded, never sent (no SNS locally).
 */
import type {Store} from '../store/store.ts'
import type {Dimension, MetricStore} from './metric-store.ts'
import {periodsOf, statisticOf} from './statistics.ts'

export const ALARM_KIND = 'cwalarm'

export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'

export const COMPARISONS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
] as const

export const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'] as const

/** The stored alarm: the DescribeAlarms MetricAlarm shape with epoch-ms times, plus tags and the last evaluation. */
export type AlarmDoc = {
  AlarmName: string
  AlarmArn: string
  AlarmDescription?: string
  AlarmConfigurationUpdatedTimestamp: number
  ActionsEnabled: boolean
  OKActions: string[]
  AlarmActions: string[]
  InsufficientDataActions: string[]
  StateValue: AlarmState
  StateReason: string
  StateReasonData?: string
  StateUpdatedTimestamp: number
  StateTransitionedTimestamp: number
  MetricName: string
  Namespace: string
  Statistic?: string
  ExtendedStatistic?: string
  Dimensions: Dimension[]
  Period: number
  Unit?: string
  EvaluationPeriods: number
  DatapointsToAlarm?: number
  Threshold: number
  ComparisonOperator: string
  TreatMissingData?: string
  Tags: Array<{Key: string; Value: string}>
  /** The clock's minute of the last SetAlarmState (epoch ms): the state holds until the next minute. */
  setStateMinute?: number
}

function breaches(value: number, comparison: string, threshold: number): boolean {
  switch (comparison) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold
    case 'GreaterThanThreshold':
      return value > threshold
    case 'LessThanThreshold':
      return value < threshold
    default:
      return value <= threshold
  }
}

const COMPARISON_WORDS: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
}

function formatTime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00`
}

/** The state an alarm's metric puts it in at `nowMs`, with AWS's reason wording. */
export function evaluateAlarm(alarm: AlarmDoc, metrics: MetricStore, nowMs: number): {state: AlarmState; reason: string} | undefined {
  const periodMs = alarm.Period * 1000
  const n = alarm.EvaluationPeriods
  const m = alarm.DatapointsToAlarm ?? n
  const series = metrics.find(alarm.Namespace, alarm.MetricName, alarm.Dimensions)
  const stat = alarm.ExtendedStatistic ?? alarm.Statistic ?? 'Average'
  let current = Math.floor(nowMs / periodMs) * periodMs
  // The current period counts once it has data (a burst shows at once); until then the last complete one leads.
  if (periodsOf(series, current, current + periodMs, periodMs).length === 0) current -= periodMs
  const first = current - (n - 1) * periodMs
  const found = new Map(periodsOf(series, first, current + periodMs, periodMs).map((p) => [p.start, statisticOf(p, stat)]))
  const treat = alarm.TreatMissingData ?? 'missing'
  const values: Array<{start: number; value: number; breaching: boolean}> = []
  let missing = 0
  let breachingMissing = 0
  for (let start = current; start >= first; start -= periodMs) {
    const value = found.get(start)
    if (value === undefined) {
      missing++
      if (treat === 'breaching') breachingMissing++
      continue
    }
    values.push({start, value, breaching: breaches(value, alarm.ComparisonOperator, alarm.Threshold)})
  }
  if (values.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    if (treat === 'ignore') return undefined
    return {state: 'INSUFFICIENT_DATA', reason: `Insufficient Data: ${n} datapoint${n === 1 ? ' was' : 's were'} unknown.`}
  }
  const breaching = values.filter((v) => v.breaching)
  const words = COMPARISON_WORDS[alarm.ComparisonOperator] ?? alarm.ComparisonOperator
  const listed = (vs: typeof values) => vs.map((v) => `${v.value} (${formatTime(v.start)})`).join(', ')
  if (breaching.length + breachingMissing >= m) {
    const count = breaching.length + breachingMissing
    return {
      state: 'ALARM',
      reason:
        `Threshold Crossed: ${count} out of the last ${n} datapoints [${listed(breaching)}] ` +
        `${count === 1 ? 'was' : 'were'} ${words} the threshold (${alarm.Threshold}) (minimum ${m} datapoint${m === 1 ? '' : 's'} ` +
        'for OK -> ALARM transition).',
    }
  }
  return {
    state: 'OK',
    reason:
      `Threshold Crossed: ${values.length - breaching.length} out of the last ${n} datapoints ` +
      `[${listed(values.filter((v) => !v.breaching))}] ` +
      `${values.length - breaching.length === 1 ? 'was' : 'were'} not ${words} the threshold (${alarm.Threshold}).` +
      (missing > 0 && treat === 'notBreaching' ? ` ${missing} missing datapoint(s) treated as not breaching.` : ''),
  }
}

/**
 * Evaluate the alarms a read returns (inside the caller's write transaction): a changed state is written with
 * its reason and times.
 */
export function refreshAlarms(store: Store, metrics: MetricStore, alarms: AlarmDoc[], nowMs: number): AlarmDoc[] {
  const minute = Math.floor(nowMs / 60_000) * 60_000
  return alarms.map((alarm) => {
    if (alarm.setStateMinute !== undefined && alarm.setStateMinute >= minute) return alarm
    const result = evaluateAlarm(alarm, metrics, nowMs)
    if (!result || result.state === alarm.StateValue) return alarm
    const next: AlarmDoc = {...alarm, StateValue: result.state, StateReason: result.reason}
    next.StateUpdatedTimestamp = nowMs
    next.StateTransitionedTimestamp = nowMs
    delete next.setStateMinute
    store.put(ALARM_KIND, alarm.AlarmName, next)
    return next
  })
}
