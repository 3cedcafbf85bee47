/**
 * CloudWatch Logs log groups and log streams: create, delete, describe (with prefix, pattern, order and
 * paging), retention policies and tags. Events live in the `log_events` table (events.ts).
 */
import type {JsonOperation} from '../../types.ts'
import {KIND} from '../model.ts'
import {deleteGroupFilters, metricFilterCount} from './filters.ts'
import {
  alreadyExists,
  checkGroupName,
  checkStreamName,
  constraintError,
  decodeToken,
  encodeToken,
  groupNameFromIdentifier,
  groupNameOf,
  invalidParameter,
  type LogGroupDoc,
  type LogStreamDoc,
  limitOf,
  logGroupArn,
  logStreamArn,
  MSG,
  optBoolean,
  optNumber,
  optString,
  optStringList,
  optStringMap,
  reqString,
  requireGroup,
  requireStream,
  resourceNotFound,
  streamId,
} from './shared.ts'

/** The values PutRetentionPolicy accepts (API reference, PutRetentionPolicy). */
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]
const GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY']

export const createLogGroup: JsonOperation = (input, ctx) => {
  const name = reqString(input, 'logGroupName')
  checkGroupName(name)
  const logGroupClass = optString(input, 'logGroupClass') ?? 'STANDARD'
  if (!GROUP_CLASSES.includes(logGroupClass)) {
    throw constraintError(logGroupClass, 'logGroupClass', `Member must satisfy enum value set: [${GROUP_CLASSES.join(', ')}]`)
  }
  if (ctx.store.get(KIND.logGroup, name)) throw alreadyExists(MSG.groupExists)
  const doc: LogGroupDoc = {
    logGroupName: name,
    creationTime: ctx.now().getTime(),
    logGroupClass,
    storedBytes: 0,
    // Deletion protection is not emulated (PutLogGroupDeletionProtection answers 501), so it is always off.
    deletionProtectionEnabled: false,
  }
  const kmsKeyId = optString(input, 'kmsKeyId')
  if (kmsKeyId !== undefined) doc.kmsKeyId = kmsKeyId
  const tags = optStringMap(input, 'tags')
  if (tags !== undefined) doc.tags = {...tags}
  ctx.store.put(KIND.logGroup, name, doc)
  return {}
}

export const deleteLogGroup: JsonOperation = (input, ctx) => {
  const name = reqString(input, 'logGroupName')
  requireGroup(ctx.store, name)
  ctx.store.db.prepare('DELETE FROM log_events WHERE group_name = ?').run(name)
  ctx.store.deleteChildren(KIND.logStream, name)
  deleteGroupFilters(ctx, name)
  ctx.store.delete(KIND.logGroup, name)
  return {}
}

export const describeLogGroups: JsonOperation = (input, ctx) => {
  const prefix = optString(input, 'logGroupNamePrefix')
  const pattern = optString(input, 'logGroupNamePattern')
  if (prefix !== undefined && pattern !== undefined) throw invalidParameter(MSG.prefixAndPattern)
  const identifiers = optStringList(input, 'logGroupIdentifiers')
  if (identifiers !== undefined && (prefix !== undefined || pattern !== undefined)) {
    throw invalidParameter('LogGroup identifiers and LogGroup name prefix or pattern are mutually exclusive parameters.')
  }
  const logGroupClass = optString(input, 'logGroupClass')
  const limit = limitOf(input, 50, 50)
  const after = pageAfter(input)
  const names = identifiers === undefined ? undefined : new Set(identifiers.map(groupNameFromIdentifier))
  const lowerPattern = pattern?.toLowerCase()
  const groups = ctx.store
    .list<LogGroupDoc>(KIND.logGroup)
    .filter((g) => prefix === undefined || g.logGroupName.startsWith(prefix))
    .filter((g) => lowerPattern === undefined || g.logGroupName.toLowerCase().includes(lowerPattern))
    .filter((g) => names === undefined || names.has(g.logGroupName))
    .filter((g) => logGroupClass === undefined || g.logGroupClass === logGroupClass)
    .sort((a, b) => compareNames(a.logGroupName, b.logGroupName))
    .filter((g) => after === undefined || compareNames(g.logGroupName, after) > 0)
  const page = groups.slice(0, limit)
  const out: Record<string, unknown> = {
    logGroups: page.map((g) => {
      const arn = logGroupArn(ctx, g.logGroupName)
      const wire: Record<string, unknown> = {
        logGroupName: g.logGroupName,
        creationTime: g.creationTime,
      }
      if (g.retentionInDays !== undefined) wire.retentionInDays = g.retentionInDays
      wire.metricFilterCount = metricFilterCount(ctx, g.logGroupName)
      wire.arn = `${arn}:*`
      // AWS leaves storedBytes and deletionProtectionEnabled out of pattern searches (localstack's
      // AWS-validated snapshot test_describe_log_groups_with_pattern).
      if (pattern === undefined) wire.storedBytes = g.storedBytes
      if (g.kmsKeyId !== undefined) wire.kmsKeyId = g.kmsKeyId
      wire.logGroupClass = g.logGroupClass
      wire.logGroupArn = arn
      if (pattern === undefined) wire.deletionProtectionEnabled = g.deletionProtectionEnabled
      return wire
    }),
  }
  if (groups.length > limit) out.nextToken = encodeToken({after: page[page.length - 1]!.logGroupName})
  return out
}

/** The name a page resumes after, from an opaque nextToken. */
function pageAfter(input: Record<string, unknown>): string | undefined {
  const token = optString(input, 'nextToken')
  if (token === undefined) return undefined
  const value = decodeToken(token)
  if (typeof value.after !== 'string') throw invalidParameter(MSG.badToken)
  return value.after
}

/** Code-point order, as AWS lists names. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export const createLogStream: JsonOperation = (input, ctx) => {
  const group = reqString(input, 'logGroupName')
  const stream = reqString(input, 'logStreamName')
  checkGroupName(group)
  checkStreamName(stream)
  requireGroup(ctx.store, group)
  const id = streamId(group, stream)
  if (ctx.store.get(KIND.logStream, id)) throw alreadyExists(MSG.streamExists)
  const doc: LogStreamDoc = {logGroupName: group, logStreamName: stream, creationTime: ctx.now().getTime()}
  ctx.store.put(KIND.logStream, id, doc, group)
  return {}
}

export const deleteLogStream: JsonOperation = (input, ctx) => {
  const group = reqString(input, 'logGroupName')
  const stream = reqString(input, 'logStreamName')
  requireGroup(ctx.store, group)
  requireStream(ctx.store, group, stream)
  ctx.store.db.prepare('DELETE FROM log_events WHERE group_name = ? AND stream_name = ?').run(group, stream)
  ctx.store.delete(KIND.logStream, streamId(group, stream))
  return {}
}

export const describeLogStreams: JsonOperation = (input, ctx) => {
  const group = groupNameOf(input)!
  const prefix = optString(input, 'logStreamNamePrefix')
  const orderBy = optString(input, 'orderBy') ?? 'LogStreamName'
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
    throw constraintError(orderBy, 'orderBy', 'Member must satisfy enum value set: [LogStreamName, LastEventTime]')
  }
  if (orderBy === 'LastEventTime' && prefix !== undefined) throw invalidParameter(MSG.orderByPrefix)
  const descending = optBoolean(input, 'descending') ?? false
  const limit = limitOf(input, 50, 50)
  const token = optString(input, 'nextToken')
  let offset = 0
  if (token !== undefined) {
    const value = decodeToken(token)
    if (typeof value.offset !== 'number' || value.group !== group || value.orderBy !== orderBy) throw invalidParameter(MSG.badToken)
    offset = value.offset
  }
  requireGroup(ctx.store, group)
  const streams = ctx.store
    .list<LogStreamDoc>(KIND.logStream, group)
    .filter((s) => prefix === undefined || s.logStreamName.startsWith(prefix))
  if (orderBy === 'LogStreamName') streams.sort((a, b) => compareNames(a.logStreamName, b.logStreamName))
  else streams.sort((a, b) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || compareNames(a.logStreamName, b.logStreamName))
  if (descending) streams.reverse()
  const page = streams.slice(offset, offset + limit)
  const out: Record<string, unknown> = {
    logStreams: page.map((s) => {
      const wire: Record<string, unknown> = {logStreamName: s.logStreamName, creationTime: s.creationTime}
      if (s.firstEventTimestamp !== undefined) wire.firstEventTimestamp = s.firstEventTimestamp
      if (s.lastEventTimestamp !== undefined) wire.lastEventTimestamp = s.lastEventTimestamp
      if (s.lastIngestionTime !== undefined) wire.lastIngestionTime = s.lastIngestionTime
      if (s.uploadSequenceToken !== undefined) wire.uploadSequenceToken = s.uploadSequenceToken
      wire.arn = logStreamArn(ctx, group, s.logStreamName)
      // Deprecated by AWS in 2019 and always 0 since (recording 20).
      wire.storedBytes = 0
      return wire
    }),
  }
  if (offset + limit < streams.length) out.nextToken = encodeToken({offset: offset + limit, group, orderBy})
  return out
}

export const putRetentionPolicy: JsonOperation = (input, ctx) => {
  const name = reqString(input, 'logGroupName')
  const days = optNumber(input, 'retentionInDays')
  if (days === undefined) throw constraintError(null, 'retentionInDays', 'Member must not be null')
  if (!RETENTION_DAYS.includes(days)) {
    throw constraintError(days, 'retentionInDays', `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`)
  }
  const group = requireGroup(ctx.store, name)
  ctx.store.put(KIND.logGroup, name, {...group, retentionInDays: days})
  return {}
}

export const deleteRetentionPolicy: JsonOperation = (input, ctx) => {
  const name = reqString(input, 'logGroupName')
  const {retentionInDays: _dropped, ...group} = requireGroup(ctx.store, name)
  ctx.store.put(KIND.logGroup, name, group)
  return {}
}

// --- tags: the legacy *LogGroup operations and the ARN-based ones -------------------------------------

function groupFromArn(arn: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(arn)
  if (!m) throw resourceNotFound(MSG.groupNotFound)
  return m[1]!
}

function tag(ctx: Parameters<JsonOperation>[1], name: string, tags: Record<string, string>): void {
  const group = requireGroup(ctx.store, name)
  ctx.store.put(KIND.logGroup, name, {...group, tags: {...group.tags, ...tags}})
}

function untag(ctx: Parameters<JsonOperation>[1], name: string, keys: string[]): void {
  const group = requireGroup(ctx.store, name)
  const tags = {...group.tags}
  for (const k of keys) delete tags[k]
  ctx.store.put(KIND.logGroup, name, {...group, tags})
}

export const listTagsLogGroup: JsonOperation = (input, ctx) => ({
  tags: requireGroup(ctx.store, reqString(input, 'logGroupName')).tags ?? {},
})
export const tagLogGroup: JsonOperation = (input, ctx) => {
  tag(ctx, reqString(input, 'logGroupName'), optStringMap(input, 'tags') ?? {})
  return {}
}
export const untagLogGroup: JsonOperation = (input, ctx) => {
  untag(ctx, reqString(input, 'logGroupName'), optStringList(input, 'tags') ?? [])
  return {}
}
export const listTagsForResource: JsonOperation = (input, ctx) => ({
  tags: requireGroup(ctx.store, groupFromArn(reqString(input, 'resourceArn'))).tags ?? {},
})
export const tagResource: JsonOperation = (input, ctx) => {
  tag(ctx, groupFromArn(reqString(input, 'resourceArn')), optStringMap(input, 'tags') ?? {})
  return {}
}
export const untagResource: JsonOperation = (input, ctx) => {
  untag(ctx, groupFromArn(reqString(input, 'resourceArn')), optStringList(input, 'tagKeys') ?? [])
  return {}
}
