/**
 * CloudWatch Logs beyond groups, streams and events: ListLogGroups, metric filters (Put/Describe/Delete and
 * TestMetricFilter, on the filter-pattern language of filter-pattern.ts), subscription filters and resource policies.
 * Filters and policies are stored, listed and deleted; metric filters do not publish metrics and subscription filters
 * deliver nothing (src/local/LIMITATIONS.md). Constraints are the logs-2014-03-28 model's, refused with AWS's
 * "1 validation error detected" wording (shared.ts constraintError).
 */
import {AwsError} from '../../protocol/aws-error.ts'
import type {OperationContext, JsonOperation} from '../../types.ts'
import {KIND} from '../model.ts'
import {compileFilterPattern, FilterPatternError} from './filter-pattern.ts'
import {
  checkGroupName,
  constraintError,
  decodeToken,
  encodeToken,
  invalidParameter,
  type LogGroupDoc,
  limitOf,
  logGroupArn,
  MSG,
  optBoolean,
  optNumber,
  optString,
  optStringList,
  reqString,
  requireGroup,
  resourceNotFound,
} from './shared.ts'

const limitExceeded = (): AwsError => new AwsError('LimitExceededException', 'Resource limit exceeded.', 400)

type MetricTransformation = {
  metricName: string
  metricNamespace: string
  metricValue: string
  defaultValue?: number
  dimensions?: Record<string, string>
  unit?: string
}

type MetricFilterDoc = {
  filterName: string
  filterPattern: string
  metricTransformations: MetricTransformation[]
  creationTime: number
  logGroupName: string
  applyOnTransformedLogs: boolean
}

type SubscriptionFilterDoc = {
  filterName: string
  logGroupName: string
  filterPattern: string
  destinationArn: string
  roleArn?: string
  distribution: string
  applyOnTransformedLogs: boolean
  creationTime: number
}

type ResourcePolicyDoc = {
  policyName: string
  policyDocument: string
  lastUpdatedTime: number
  policyScope: 'ACCOUNT' | 'RESOURCE'
  resourceArn?: string
  revisionId: string
}

const filterId = (group: string, filter: string): string => `${group}\n${filter}`

// Shapes of logs-2014-03-28: FilterName [^:*]* 1..512, FilterPattern 0..1024, MetricName and MetricNamespace
// [^:*$]* up to 255, MetricValue up to 100, at most 3 dimensions, StandardUnit.
const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
]

function checkLength(value: string, member: string, min: number, max: number): void {
  if (value.length < min) throw constraintError(value, member, `Member must have length greater than or equal to ${min}`)
  if (value.length > max) throw constraintError(value, member, `Member must have length less than or equal to ${max}`)
}

function checkFilterName(name: string): void {
  checkLength(name, 'filterName', 1, 512)
  if (/[:*]/.test(name)) throw constraintError(name, 'filterName', 'Member must satisfy regular expression pattern: [^:*]*')
}

/** The pattern compiled (AWS refuses one it cannot parse with InvalidParameterException). */
function checkPattern(pattern: string, member = 'filterPattern') {
  checkLength(pattern, member, 0, 1024)
  try {
    return compileFilterPattern(pattern)
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter(error.message)
    throw error
  }
}

function readTransformations(input: Record<string, unknown>): MetricTransformation[] {
  const raw = input.metricTransformations
  if (raw === undefined || raw === null) throw constraintError(null, 'metricTransformations', 'Member must not be null')
  if (!Array.isArray(raw)) throw invalidParameter("Unexpected value type for 'metricTransformations': expected a list")
  if (raw.length < 1) throw constraintError('[]', 'metricTransformations', 'Member must have length greater than or equal to 1')
  if (raw.length > 1)
    throw constraintError(`[${raw.length} items]`, 'metricTransformations', 'Member must have length less than or equal to 1')
  return raw.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw invalidParameter(`Unexpected value type for 'metricTransformations.${i + 1}': expected an object`)
    }
    const t = item as Record<string, unknown>
    const at = (m: string) => `metricTransformations.${i + 1}.member.${m}`
    const need = (m: string): string => {
      const v = optString(t, m)
      if (v === undefined) throw constraintError(null, at(m), 'Member must not be null')
      return v
    }
    const metricName = need('metricName')
    const metricNamespace = need('metricNamespace')
    const metricValue = need('metricValue')
    for (const [m, v] of [
      ['metricName', metricName],
      ['metricNamespace', metricNamespace],
    ] as const) {
      checkLength(v, at(m), 0, 255)
      if (/[:*$]/.test(v)) throw constraintError(v, at(m), 'Member must satisfy regular expression pattern: [^:*$]*')
    }
    checkLength(metricValue, at('metricValue'), 0, 100)
    const out: MetricTransformation = {metricName, metricNamespace, metricValue}
    const defaultValue = optNumber(t, 'defaultValue')
    if (defaultValue !== undefined) out.defaultValue = t.defaultValue as number
    const dimensions = t.dimensions
    if (dimensions !== undefined && dimensions !== null) {
      if (typeof dimensions !== 'object' || Array.isArray(dimensions)) throw invalidParameter('Invalid dimensions: expected a map')
      const entries = Object.entries(dimensions as Record<string, unknown>)
      if (entries.length > 3) throw limitExceeded()
      if (entries.some(([, v]) => typeof v !== 'string')) throw invalidParameter('Invalid dimensions: values must be strings')
      // A dimension and a default value cannot go together (PutMetricFilter, "dimensions").
      if (entries.length > 0 && out.defaultValue !== undefined) {
        throw invalidParameter('You cannot specify a default value for a metric that has dimensions.')
      }
      if (entries.length > 0) out.dimensions = Object.fromEntries(entries) as Record<string, string>
    }
    const unit = optString(t, 'unit')
    if (unit !== undefined) {
      if (!UNITS.includes(unit)) throw constraintError(unit, at('unit'), `Member must satisfy enum value set: [${UNITS.join(', ')}]`)
      out.unit = unit
    }
    return out
  })
}

/** A page of a sorted list after the name in an opaque nextToken. */
function pageOf<T>(
  input: Record<string, unknown>,
  items: T[],
  nameOf: (item: T) => string,
  limit: number,
): {page: T[]; nextToken?: string} {
  const token = optString(input, 'nextToken')
  let after: string | undefined
  if (token !== undefined) {
    const value = decodeToken(token)
    if (typeof value.after !== 'string') throw invalidParameter(MSG.badToken)
    after = value.after
  }
  const rest = after === undefined ? items : items.filter((i) => nameOf(i) > after)
  const page = rest.slice(0, limit)
  return rest.length > limit ? {page, nextToken: encodeToken({after: nameOf(page[page.length - 1]!)})} : {page}
}

const byName = <T extends {filterName: string}>(a: T, b: T): number =>
  a.filterName < b.filterName ? -1 : a.filterName > b.filterName ? 1 : 0

/** How many metric filters a log group has (DescribeLogGroups' metricFilterCount). */
export function metricFilterCount(ctx: OperationContext, group: string): number {
  return ctx.store.count(KIND.logMetricFilter, group)
}

/** Drop a deleted log group's filters. */
export function deleteGroupFilters(ctx: OperationContext, group: string): void {
  ctx.store.deleteChildren(KIND.logMetricFilter, group)
  ctx.store.deleteChildren(KIND.logSubscriptionFilter, group)
}

// --- ListLogGroups ------------------------------------------------------------------------------------------

export const listLogGroups: JsonOperation = (input, ctx) => {
  const pattern = optString(input, 'logGroupNamePattern')
  if (pattern !== undefined) {
    checkLength(pattern, 'logGroupNamePattern', 0, 129)
    if (!/^[.\-_/#A-Za-z0-9]*$/.test(pattern)) {
      throw constraintError(pattern, 'logGroupNamePattern', 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]*')
    }
  }
  const logGroupClass = optString(input, 'logGroupClass')
  const classes = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']
  if (logGroupClass !== undefined && !classes.includes(logGroupClass)) {
    throw constraintError(logGroupClass, 'logGroupClass', `Member must satisfy enum value set: [${classes.join(', ')}]`)
  }
  optBoolean(input, 'includeLinkedAccounts')
  optStringList(input, 'accountIdentifiers')
  const limit = limitOf(input, 1000, 50)
  const lower = pattern?.toLowerCase()
  const groups = ctx.store
    .list<LogGroupDoc>(KIND.logGroup)
    .filter((g) => lower === undefined || g.logGroupName.toLowerCase().includes(lower))
    .filter((g) => logGroupClass === undefined || g.logGroupClass === logGroupClass)
    .sort((a, b) => (a.logGroupName < b.logGroupName ? -1 : a.logGroupName > b.logGroupName ? 1 : 0))
  const {page, nextToken} = pageOf(input, groups, (g) => g.logGroupName, limit)
  return {
    logGroups: page.map((g) => ({
      logGroupName: g.logGroupName,
      logGroupArn: logGroupArn(ctx, g.logGroupName),
      logGroupClass: g.logGroupClass,
    })),
    ...(nextToken ? {nextToken} : {}),
  }
}

// --- metric filters -----------------------------------------------------------------------------------------

/** PutMetricFilter's and PutSubscriptionFilter's common members, checked in AWS's order. */
function readFilter(input: Parameters<JsonOperation>[0]): {group: string; filterName: string; filterPattern: string} {
  const group = reqString(input, 'logGroupName')
  checkGroupName(group)
  const filterName = reqString(input, 'filterName')
  checkFilterName(filterName)
  const filterPattern = input.filterPattern === undefined ? undefined : optString(input, 'filterPattern')
  if (filterPattern === undefined) throw constraintError(null, 'filterPattern', 'Member must not be null')
  checkPattern(filterPattern)
  return {group, filterName, filterPattern}
}

export const putMetricFilter: JsonOperation = (input, ctx) => {
  const {group, filterName, filterPattern} = readFilter(input)
  const metricTransformations = readTransformations(input)
  const applyOnTransformedLogs = optBoolean(input, 'applyOnTransformedLogs') ?? false
  requireGroup(ctx.store, group)
  const id = filterId(group, filterName)
  const existing = ctx.store.get<MetricFilterDoc>(KIND.logMetricFilter, id)
  // At most 100 metric filters per log group (CloudWatch Logs quotas).
  if (!existing && ctx.store.count(KIND.logMetricFilter, group) >= 100) throw limitExceeded()
  const doc: MetricFilterDoc = {
    filterName,
    filterPattern,
    metricTransformations,
    creationTime: ctx.now().getTime(),
    logGroupName: group,
    applyOnTransformedLogs,
  }
  ctx.store.put(KIND.logMetricFilter, id, doc, group)
  return {}
}

export const describeMetricFilters: JsonOperation = (input, ctx) => {
  const group = optString(input, 'logGroupName')
  const prefix = optString(input, 'filterNamePrefix')
  const metricName = optString(input, 'metricName')
  const metricNamespace = optString(input, 'metricNamespace')
  if (prefix !== undefined) checkLength(prefix, 'filterNamePrefix', 1, 512)
  if (prefix !== undefined && group === undefined) {
    throw invalidParameter('If you specify a filterNamePrefix, you must also specify a logGroupName.')
  }
  if ((metricName === undefined) !== (metricNamespace === undefined)) {
    throw invalidParameter('If you specify a metricName, you must also specify a metricNamespace, and the other way round.')
  }
  const limit = limitOf(input, 50, 50)
  if (group !== undefined) requireGroup(ctx.store, group)
  const filters = ctx.store
    .list<MetricFilterDoc>(KIND.logMetricFilter, group)
    .filter((f) => prefix === undefined || f.filterName.startsWith(prefix))
    .filter(
      (f) =>
        metricName === undefined ||
        f.metricTransformations.some((t) => t.metricName === metricName && t.metricNamespace === metricNamespace),
    )
    .sort((a, b) => (a.logGroupName === b.logGroupName ? byName(a, b) : a.logGroupName < b.logGroupName ? -1 : 1))
  const {page, nextToken} = pageOf(input, filters, (f) => `${f.logGroupName}\n${f.filterName}`, limit)
  return {metricFilters: page, ...(nextToken ? {nextToken} : {})}
}

export const deleteMetricFilter: JsonOperation = (input, ctx) =>
  deleteFilter(input, ctx, KIND.logMetricFilter, () => resourceNotFound('The specified metric filter does not exist.'))

export const testMetricFilter: JsonOperation = (input) => {
  const pattern = input.filterPattern === undefined ? undefined : optString(input, 'filterPattern')
  if (pattern === undefined) throw constraintError(null, 'filterPattern', 'Member must not be null')
  const matcher = checkPattern(pattern)
  const messages = optStringList(input, 'logEventMessages')
  if (messages === undefined) throw constraintError(null, 'logEventMessages', 'Member must not be null')
  if (messages.length < 1) throw constraintError('[]', 'logEventMessages', 'Member must have length greater than or equal to 1')
  if (messages.length > 50) {
    throw constraintError(`[${messages.length} items]`, 'logEventMessages', 'Member must have length less than or equal to 50')
  }
  const matches: Array<{eventNumber: number; eventMessage: string; extractedValues: Record<string, string>}> = []
  messages.forEach((message, i) => {
    const extractedValues: Record<string, string> = {}
    if (matcher(message, extractedValues)) matches.push({eventNumber: i + 1, eventMessage: message, extractedValues})
  })
  return {matches}
}

// --- subscription filters -----------------------------------------------------------------------------------

export const putSubscriptionFilter: JsonOperation = (input, ctx) => {
  const {group, filterName, filterPattern} = readFilter(input)
  const destinationArn = reqString(input, 'destinationArn')
  checkLength(destinationArn, 'destinationArn', 1, 2048)
  if (!/^arn:[^:]+:(kinesis|firehose|lambda|logs):/.test(destinationArn)) {
    throw invalidParameter(`Invalid destinationArn: ${destinationArn}. It must be a Kinesis, Firehose, Lambda or Logs destination ARN.`)
  }
  const roleArn = optString(input, 'roleArn')
  if (roleArn !== undefined) checkLength(roleArn, 'roleArn', 1, 2048)
  const distribution = optString(input, 'distribution') ?? 'ByLogStream'
  if (distribution !== 'Random' && distribution !== 'ByLogStream') {
    throw constraintError(distribution, 'distribution', 'Member must satisfy enum value set: [Random, ByLogStream]')
  }
  const applyOnTransformedLogs = optBoolean(input, 'applyOnTransformedLogs') ?? false
  requireGroup(ctx.store, group)
  const id = filterId(group, filterName)
  // At most 2 subscription filters per log group (CloudWatch Logs quotas).
  if (!ctx.store.get(KIND.logSubscriptionFilter, id) && ctx.store.count(KIND.logSubscriptionFilter, group) >= 2) throw limitExceeded()
  const doc: SubscriptionFilterDoc = {
    filterName,
    logGroupName: group,
    filterPattern,
    destinationArn,
    ...(roleArn !== undefined ? {roleArn} : {}),
    distribution,
    applyOnTransformedLogs,
    creationTime: ctx.now().getTime(),
  }
  ctx.store.put(KIND.logSubscriptionFilter, id, doc, group)
  return {}
}

export const describeSubscriptionFilters: JsonOperation = (input, ctx) => {
  const group = reqString(input, 'logGroupName')
  checkGroupName(group)
  const prefix = optString(input, 'filterNamePrefix')
  if (prefix !== undefined) checkLength(prefix, 'filterNamePrefix', 1, 512)
  const limit = limitOf(input, 50, 50)
  requireGroup(ctx.store, group)
  const filters = ctx.store
    .list<SubscriptionFilterDoc>(KIND.logSubscriptionFilter, group)
    .filter((f) => prefix === undefined || f.filterName.startsWith(prefix))
    .sort(byName)
  const {page, nextToken} = pageOf(input, filters, (f) => f.filterName, limit)
  return {subscriptionFilters: page, ...(nextToken ? {nextToken} : {})}
}

export const deleteSubscriptionFilter: JsonOperation = (input, ctx) =>
  deleteFilter(input, ctx, KIND.logSubscriptionFilter, () => resourceNotFound('The specified subscription filter does not exist.'))

/** DeleteMetricFilter and DeleteSubscriptionFilter: the filter of a group by name, or AWS's not-found message. */
function deleteFilter(input: Parameters<JsonOperation>[0], ctx: Parameters<JsonOperation>[1], kind: string, missing: () => Error): {} {
  const group = reqString(input, 'logGroupName')
  const filterName = reqString(input, 'filterName')
  checkFilterName(filterName)
  requireGroup(ctx.store, group)
  if (!ctx.store.delete(kind, filterId(group, filterName))) throw missing()
  return {}
}

// --- resource policies --------------------------------------------------------------------------------------

const policyOut = (p: ResourcePolicyDoc): Record<string, unknown> => ({
  policyName: p.policyName,
  policyDocument: p.policyDocument,
  lastUpdatedTime: p.lastUpdatedTime,
  policyScope: p.policyScope,
  ...(p.resourceArn !== undefined ? {resourceArn: p.resourceArn} : {}),
  revisionId: p.revisionId,
})

export const putResourcePolicy: JsonOperation = (input, ctx) => {
  const policyName = optString(input, 'policyName')
  const policyDocument = optString(input, 'policyDocument')
  const resourceArn = optString(input, 'resourceArn')
  if (policyDocument === undefined) throw constraintError(null, 'policyDocument', 'Member must not be null')
  checkLength(policyDocument, 'policyDocument', 1, 5120)
  let parsed: unknown
  try {
    parsed = JSON.parse(policyDocument)
  } catch {
    parsed = undefined
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw invalidParameter('The policy document is not a valid JSON object.')
  }
  // A resource-scoped policy (resourceArn, a log group) is named after its ARN; an account one needs a name.
  const name = policyName ?? resourceArn
  if (name === undefined) throw invalidParameter('policyName is required for an account-level resource policy.')
  if (resourceArn !== undefined) requireGroup(ctx.store, /:log-group:([^:]+)/.exec(resourceArn)?.[1] ?? resourceArn)
  const existing = ctx.store.get<ResourcePolicyDoc>(KIND.logResourcePolicy, name)
  const expected = optString(input, 'expectedRevisionId')
  if (expected !== undefined && existing && existing.revisionId !== expected) {
    throw new AwsError('OperationAbortedException', 'The revision id does not match the current revision of the policy.', 400)
  }
  // At most 10 account-level resource policies per Region (CloudWatch Logs quotas).
  if (!existing && resourceArn === undefined) {
    const accountPolicies = ctx.store.list<ResourcePolicyDoc>(KIND.logResourcePolicy).filter((p) => p.policyScope === 'ACCOUNT')
    if (accountPolicies.length >= 10) throw limitExceeded()
  }
  const doc: ResourcePolicyDoc = {
    policyName: name,
    policyDocument,
    lastUpdatedTime: ctx.now().getTime(),
    policyScope: resourceArn === undefined ? 'ACCOUNT' : 'RESOURCE',
    ...(resourceArn !== undefined ? {resourceArn} : {}),
    revisionId: ctx.newId(32),
  }
  ctx.store.put(KIND.logResourcePolicy, name, doc)
  return {resourcePolicy: policyOut(doc), revisionId: doc.revisionId}
}

export const describeResourcePolicies: JsonOperation = (input, ctx) => {
  const limit = limitOf(input, 50, 50)
  const resourceArn = optString(input, 'resourceArn')
  const scope = optString(input, 'policyScope')
  if (scope !== undefined && scope !== 'ACCOUNT' && scope !== 'RESOURCE') {
    throw constraintError(scope, 'policyScope', 'Member must satisfy enum value set: [ACCOUNT, RESOURCE]')
  }
  const policies = ctx.store
    .list<ResourcePolicyDoc>(KIND.logResourcePolicy)
    .filter((p) => (resourceArn !== undefined ? p.resourceArn === resourceArn : p.policyScope === (scope ?? 'ACCOUNT')))
    .sort((a, b) => (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0))
  const {page, nextToken} = pageOf(input, policies, (p) => p.policyName, limit)
  return {resourcePolicies: page.map(policyOut), ...(nextToken ? {nextToken} : {})}
}

export const deleteResourcePolicy: JsonOperation = (input, ctx) => {
  const name = optString(input, 'policyName') ?? optString(input, 'resourceArn')
  if (name === undefined) throw invalidParameter('policyName is required for an account-level resource policy.')
  const existing = ctx.store.get<ResourcePolicyDoc>(KIND.logResourcePolicy, name)
  const expected = optString(input, 'expectedRevisionId')
  if (existing && expected !== undefined && existing.revisionId !== expected) {
    throw new AwsError('OperationAbortedException', 'The revision id does not match the current revision of the policy.', 400)
  }
  if (!existing) throw resourceNotFound(`Policy with name [${name}] does not exist`)
  ctx.store.delete(KIND.logResourcePolicy, name)
  return {}
}
