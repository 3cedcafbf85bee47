/**
 * CloudWatch Logs events: PutLogEvents (AWS's batch rules and rejectedLogEventsInfo), GetLogEvents
 * (forward/backward tokens, the same token back at either end) and FilterLogEvents (filter patterns,
 * opaque resumable nextToken, stable unique eventIds). Events are rows of `log_events`; the scans run on
 * its (group_name, timestamp, seq) and (group_name, stream_name, timestamp, seq) indexes, and patterns
 * match in JS.
 */
import {createHash} from 'node:crypto'
import type {DatabaseSync, StatementSync} from 'node:sqlite'
import {AwsError} from '../../protocol/aws-error.ts'
import type {JsonOperation, OperationContext} from '../../types.ts'
import {KIND} from '../model.ts'
import {compileFilterPattern, FilterPatternError, type FilterMatcher} from './filter-pattern.ts'
import {
  constraintError,
  decodeToken,
  encodeToken,
  groupNameOf,
  invalidParameter,
  type LogGroupDoc,
  type LogStreamDoc,
  limitOf,
  MSG,
  optBoolean,
  optNumber,
  optString,
  optStringList,
  reqString,
  requireGroup,
  requireStream,
  streamId,
} from './shared.ts'

const DAY = 24 * 60 * 60 * 1000
const MAX_BATCH_EVENTS = 10_000
const MAX_BATCH_BYTES = 1_048_576
const EVENT_OVERHEAD = 26
/** Responses of GetLogEvents and FilterLogEvents stop at 1 MB of events, as AWS's do. */
const MAX_RESPONSE_BYTES = 1_048_576
/** Rows one FilterLogEvents call scans before it answers a partial page with a nextToken, as AWS may. */
const SCAN_BUDGET = 500_000
const SCAN_CHUNK = 5_000
const FAR_FUTURE = Number.MAX_SAFE_INTEGER

type EventRow = {seq: number; timestamp: number; ingestion_time: number; message: string}
/** A FilterLogEvents scan row: seq, stream_name, timestamp, ingestion_time, message. */
type EventTuple = [number, string, number, number, string]

const statementCache = new WeakMap<DatabaseSync, Map<string, StatementSync>>()

/** A prepared statement, cached per database; `arrays` makes it return rows as arrays (faster for big scans). */
function stmt(ctx: OperationContext, sql: string, arrays = false): StatementSync {
  let cache = statementCache.get(ctx.store.db)
  if (!cache) {
    cache = new Map()
    statementCache.set(ctx.store.db, cache)
  }
  const key = arrays ? `arrays:${sql}` : sql
  let s = cache.get(key)
  if (!s) {
    s = ctx.store.db.prepare(sql)
    if (arrays) s.setReturnArrays(true)
    cache.set(key, s)
  }
  return s
}

/** A stable, unique eventId: the row's seq as a 56-digit string, the length of AWS's. */
export function eventIdOf(seq: number): string {
  return String(seq).padStart(56, '0')
}

// --- PutLogEvents ---------------------------------------------------------------------------------------

type InputEvent = {timestamp: number; message: string}

function readEvents(input: Record<string, unknown>): InputEvent[] {
  const raw = input.logEvents
  if (raw === undefined || raw === null) throw constraintError(null, 'logEvents', 'Member must not be null')
  if (!Array.isArray(raw)) throw new AwsError('SerializationException', "Unexpected value type for 'logEvents': expected a list", 400)
  if (raw.length < 1) throw constraintError('[]', 'logEvents', 'Member must have length greater than or equal to 1')
  if (raw.length > MAX_BATCH_EVENTS) {
    throw invalidParameter(
      `1 validation error detected: Value at 'logEvents' failed to satisfy ` +
        `constraint: Member must have length less than or equal to ${MAX_BATCH_EVENTS}`,
    )
  }
  return raw.map((e: unknown, i) => {
    const event = (e ?? {}) as Record<string, unknown>
    const timestamp = optNumber(event, 'timestamp')
    if (timestamp === undefined) throw constraintError(null, `logEvents.${i + 1}.member.timestamp`, 'Member must not be null')
    const message = optString(event, 'message')
    if (message === undefined) throw constraintError(null, `logEvents.${i + 1}.member.message`, 'Member must not be null')
    if (message.length < 1)
      throw constraintError('', `logEvents.${i + 1}.member.message`, 'Member must have length greater than or equal to 1')
    return {timestamp, message}
  })
}

const INSERT_ONE = 'INSERT INTO log_events (group_name, stream_name, timestamp, ingestion_time, message) VALUES (?, ?, ?, ?, ?)'
const INSERT_ROWS = 50
const INSERT_MANY = `INSERT INTO log_events (group_name, stream_name, timestamp, ingestion_time, message) VALUES ${Array(INSERT_ROWS)
  .fill('(?, ?, ?, ?, ?)')
  .join(', ')}`

/** 56 digits like AWS's sequence tokens (AWS ignores them on input since 2023; we return one anyway). */
function sequenceToken(seq: number): string {
  return `49${String(seq).padStart(54, '0')}`
}

export const putLogEvents: JsonOperation = (input, ctx) => {
  const groupName = reqString(input, 'logGroupName')
  const streamName = reqString(input, 'logStreamName')
  const events = readEvents(input)
  const group = requireGroup(ctx.store, groupName)
  const stream = requireStream(ctx.store, groupName, streamName)
  let size = 0
  for (const e of events) size += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
  if (size > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${size} bytes exceeds limit of ${MAX_BATCH_BYTES}`)
  for (let i = 1; i < events.length; i++) if (events[i]!.timestamp < events[i - 1]!.timestamp) throw invalidParameter(MSG.chronological)
  if (events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY) throw invalidParameter(MSG.span24h)

  const now = ctx.now().getTime()
  // Events are in order, so the too-old and expired ones are a prefix and the too-new ones a suffix.
  let tooOldEnd = 0
  while (tooOldEnd < events.length && events[tooOldEnd]!.timestamp < now - 14 * DAY) tooOldEnd++
  let expiredEnd = 0
  if (group.retentionInDays !== undefined) {
    const cutoff = now - group.retentionInDays * DAY
    while (expiredEnd < events.length && events[expiredEnd]!.timestamp < cutoff) expiredEnd++
  }
  let tooNewStart = events.length
  while (tooNewStart > 0 && events[tooNewStart - 1]!.timestamp > now + 2 * 60 * 60 * 1000) tooNewStart--
  const firstAccepted = Math.max(tooOldEnd, expiredEnd)
  const accepted = events.slice(firstAccepted, Math.max(firstAccepted, tooNewStart))

  let token = stream.uploadSequenceToken ?? sequenceToken(0)
  if (accepted.length > 0) {
    let lastSeq = 0
    let bytes = 0
    // INSERT_ROWS rows per statement while that many remain, then one at a time (a statement per row costs more).
    // In one transaction the rows of a statement take consecutive seqs in their order, as one statement each did.
    const many = stmt(ctx, INSERT_MANY)
    const one = stmt(ctx, INSERT_ONE)
    const args: Array<string | number> = []
    let i = 0
    for (; i + INSERT_ROWS <= accepted.length; i += INSERT_ROWS) {
      args.length = 0
      for (let j = i; j < i + INSERT_ROWS; j++) {
        const e = accepted[j]!
        args.push(groupName, streamName, e.timestamp, now, e.message)
        bytes += Buffer.byteLength(e.message, 'utf8')
      }
      lastSeq = Number(many.run(...args).lastInsertRowid)
    }
    for (; i < accepted.length; i++) {
      const e = accepted[i]!
      lastSeq = Number(one.run(groupName, streamName, e.timestamp, now, e.message).lastInsertRowid)
      bytes += Buffer.byteLength(e.message, 'utf8')
    }
    token = sequenceToken(lastSeq)
    const first = accepted[0]!.timestamp
    const last = accepted[accepted.length - 1]!.timestamp
    const updated: LogStreamDoc = {
      ...stream,
      firstEventTimestamp: Math.min(stream.firstEventTimestamp ?? first, first),
      lastEventTimestamp: Math.max(stream.lastEventTimestamp ?? last, last),
      lastIngestionTime: now,
      uploadSequenceToken: token,
    }
    ctx.store.put(KIND.logStream, streamId(groupName, streamName), updated, groupName)
    const fresh: LogGroupDoc = {...group, storedBytes: group.storedBytes + bytes}
    ctx.store.put(KIND.logGroup, groupName, fresh)
  }
  const out: Record<string, unknown> = {nextSequenceToken: token}
  const rejected: Record<string, number> = {}
  if (tooNewStart < events.length) rejected.tooNewLogEventStartIndex = tooNewStart
  if (tooOldEnd > 0) rejected.tooOldLogEventEndIndex = tooOldEnd
  if (expiredEnd > 0) rejected.expiredLogEventEndIndex = expiredEnd
  if (Object.keys(rejected).length > 0) out.rejectedLogEventsInfo = rejected
  return out
}

// --- GetLogEvents ---------------------------------------------------------------------------------------

type Position = {ts: number; seq: number}
const START: Position = {ts: 0, seq: 0}
const END: Position = {ts: FAR_FUTURE, seq: FAR_FUTURE}

/** `f/` or `b/`, 56 digits (timestamp, seq, padding), `/s`: shaped like AWS's GetLogEvents tokens. */
function positionToken(direction: 'f' | 'b', p: Position): string {
  return `${direction}/${String(p.ts).padStart(20, '0')}${String(p.seq).padStart(20, '0')}${'0'.repeat(16)}/s`
}

function parsePositionToken(token: string): {direction: 'f' | 'b'; position: Position} {
  const m = /^([fb])\/(\d{20})(\d{20})(\d{16})\/s$/.exec(token)
  if (!m) throw invalidParameter(MSG.badToken)
  const ts = Number(m[2])
  const seq = Number(m[3])
  if (!Number.isSafeInteger(ts) || !Number.isSafeInteger(seq)) throw invalidParameter(MSG.badToken)
  return {direction: m[1] as 'f' | 'b', position: {ts, seq}}
}

type OutputEvent = {timestamp: number; message: string; ingestionTime: number}

export const getLogEvents: JsonOperation = (input, ctx) => {
  const groupName = groupNameOf(input)!
  const streamName = reqString(input, 'logStreamName')
  const startTime = optNumber(input, 'startTime') ?? 0
  // GetLogEvents: "Events with a timestamp equal to or later than this time are not included."
  const endTime = optNumber(input, 'endTime') ?? FAR_FUTURE
  const limit = limitOf(input, 10_000, 10_000)
  const startFromHead = optBoolean(input, 'startFromHead') ?? false
  const tokenText = optString(input, 'nextToken')
  const token = tokenText === undefined ? undefined : parsePositionToken(tokenText)
  requireGroup(ctx.store, groupName)
  requireStream(ctx.store, groupName, streamName)

  const forward = token ? token.direction === 'f' : startFromHead
  const from = token?.position ?? (forward ? START : END)
  let rows: EventRow[]
  if (forward) {
    rows = stmt(
      ctx,
      `SELECT seq, timestamp, ingestion_time, message FROM log_events
       WHERE group_name = ? AND stream_name = ? AND timestamp >= ? AND timestamp < ? AND (timestamp > ? OR seq > ?)
       ORDER BY timestamp, seq LIMIT ?`,
    ).all(groupName, streamName, Math.max(startTime, from.ts), endTime, from.ts, from.seq, limit) as EventRow[]
    rows = capBytes(rows)
  } else {
    rows = stmt(
      ctx,
      `SELECT seq, timestamp, ingestion_time, message FROM log_events
       WHERE group_name = ? AND stream_name = ? AND timestamp >= ? AND timestamp < ? AND timestamp <= ? AND (timestamp < ? OR seq < ?)
       ORDER BY timestamp DESC, seq DESC LIMIT ?`,
    ).all(groupName, streamName, startTime, endTime, from.ts, from.ts, from.seq, limit) as EventRow[]
    rows = capBytes(rows).reverse()
  }
  const events: OutputEvent[] = rows.map((r) => ({timestamp: r.timestamp, message: r.message, ingestionTime: r.ingestion_time}))
  if (rows.length === 0) {
    // At either end AWS hands back the token it was given, which is how clients know they are done.
    const here = token?.position ?? START
    return {
      events,
      nextForwardToken: token?.direction === 'f' ? tokenText : positionToken('f', here),
      nextBackwardToken: token?.direction === 'b' ? tokenText : positionToken('b', here),
    }
  }
  const first = rows[0]!
  const last = rows[rows.length - 1]!
  return {
    events,
    nextForwardToken: positionToken('f', {ts: last.timestamp, seq: last.seq}),
    nextBackwardToken: positionToken('b', {ts: first.timestamp, seq: first.seq}),
  }
}

function capBytes(rows: EventRow[]): EventRow[] {
  let bytes = 0
  for (let i = 0; i < rows.length; i++) {
    bytes += Buffer.byteLength(rows[i]!.message, 'utf8') + EVENT_OVERHEAD
    if (bytes > MAX_RESPONSE_BYTES && i > 0) return rows.slice(0, i)
  }
  return rows
}

// --- FilterLogEvents ------------------------------------------------------------------------------------

type FilteredEvent = {logStreamName: string; timestamp: number; message: string; ingestionTime: number; eventId: string}

export const filterLogEvents: JsonOperation = (input, ctx) => {
  const groupName = groupNameOf(input)!
  const streamNames = optStringList(input, 'logStreamNames')
  const streamPrefix = optString(input, 'logStreamNamePrefix')
  if (streamNames !== undefined && streamPrefix !== undefined) throw invalidParameter(MSG.streamNamesAndPrefix)
  if (streamNames !== undefined && (streamNames.length < 1 || streamNames.length > 100)) {
    const constraint = streamNames.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'
    throw constraintError(`[${streamNames.join(', ')}]`, 'logStreamNames', `Member must have length ${constraint}`)
  }
  const startTime = optNumber(input, 'startTime') ?? 0
  // FilterLogEvents: "Events with a timestamp later than this time are not returned."
  const endTime = optNumber(input, 'endTime') ?? FAR_FUTURE
  const limit = limitOf(input, 10_000, 10_000)
  const pattern = optString(input, 'filterPattern') ?? ''
  let matches: FilterMatcher
  try {
    matches = compileFilterPattern(pattern)
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter(error.message)
    throw error
  }
  const queryHash = createHash('sha1')
    .update(JSON.stringify([groupName, streamNames ? [...streamNames].sort() : null, streamPrefix ?? null, startTime, endTime, pattern]))
    .digest('hex')
    .slice(0, 16)
  let resume: Position = {ts: -1, seq: 0}
  const tokenText = optString(input, 'nextToken')
  if (tokenText !== undefined) {
    const value = decodeToken(tokenText)
    if (value.q !== queryHash || typeof value.t !== 'number' || typeof value.s !== 'number') throw invalidParameter(MSG.badToken)
    resume = {ts: value.t, seq: value.s}
  }
  requireGroup(ctx.store, groupName)

  const names = streamNames ? new Set(streamNames) : undefined
  const wantStream = (s: string): boolean => (names ? names.has(s) : streamPrefix === undefined || s.startsWith(streamPrefix))
  const scan = stmt(
    ctx,
    `SELECT seq, stream_name, timestamp, ingestion_time, message FROM log_events
     WHERE group_name = ? AND timestamp >= ? AND timestamp <= ? AND (timestamp > ? OR seq > ?)
     ORDER BY timestamp, seq LIMIT ?`,
    true,
  )
  const events: FilteredEvent[] = []
  let bytes = 0
  let scanned = 0
  let cursor = resume
  let stoppedEarly = false
  outer: while (true) {
    const rows = scan.all(groupName, Math.max(startTime, cursor.ts), endTime, cursor.ts, cursor.seq, SCAN_CHUNK) as unknown as EventTuple[]
    for (const [seq, stream, timestamp, ingestionTime, message] of rows) {
      cursor = {ts: timestamp, seq}
      scanned++
      if (wantStream(stream) && matches(message)) {
        events.push({logStreamName: stream, timestamp, message, ingestionTime, eventId: eventIdOf(seq)})
        bytes += Buffer.byteLength(message, 'utf8') + EVENT_OVERHEAD
        if (events.length >= limit || bytes >= MAX_RESPONSE_BYTES) {
          stoppedEarly = true
          break outer
        }
      }
      if (scanned >= SCAN_BUDGET) {
        stoppedEarly = true
        break outer
      }
    }
    if (rows.length < SCAN_CHUNK) break
  }
  const out: Record<string, unknown> = {events, searchedLogStreams: []}
  // Only the absence of nextToken ends paging; give one only when rows remain past where this page stopped.
  if (stoppedEarly) {
    const more = scan.all(groupName, Math.max(startTime, cursor.ts), endTime, cursor.ts, cursor.seq, 1)
    if (more.length > 0) out.nextToken = encodeToken({q: queryHash, t: cursor.ts, s: cursor.seq})
  }
  return out
}
