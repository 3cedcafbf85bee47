/**
 * Function output into the emulator's CloudWatch Logs: events are batched in memory and written behind,
 * through the Logs operations themselves (CreateLogGroup, CreateLogStream, PutLogEvents) in one store
 * transaction per flush, so they obey the same rules as events any client puts.
 */
import {createLogGroup, createLogStream} from '../../control-plane/logs/groups.ts'
import {putLogEvents} from '../../control-plane/logs/events.ts'
import {streamId} from '../../control-plane/logs/shared.ts'
import {KIND} from '../../control-plane/model.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext} from '../../types.ts'
import type {LogEvent, LogSink} from './types.ts'

/** Lambda cuts a log event at 256 KB. */
const MAX_EVENT_BYTES = 256 * 1024
const MAX_BATCH_EVENTS = 10_000
const MAX_BATCH_BYTES = 1_000_000
/**
 * Lines wait this long to go in together: a warm function writes 3 lines (START, END, REPORT) per invocation, and
 * every flush is a store transaction whose commit rewrites the pages those rows touched (at 20 ms, store commits were ~8%
 * of the emulator's main thread under a warm-Lambda load). CloudWatch itself shows Lambda's lines seconds later.
 */
const FLUSH_DELAY_MS = 100

export type StoreLogSinkOptions = {
  store: Store
  region: string
  accountId: string
  now: () => Date
  newId: (length?: number) => string
  /** Told about a flush that failed (the store closed under it, a disk error); the events are dropped. */
  onError?: (error: unknown) => void
}

/** A LogSink that writes into the emulator's Logs store. */
export function createStoreLogSink(options: StoreLogSinkOptions): LogSink {
  const pending = new Map<string, {group: string; stream: string; events: LogEvent[]}>()
  let timer: NodeJS.Timeout | undefined
  let flushing: Promise<void> = Promise.resolve()

  const flush = (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (pending.size === 0) return flushing
    const batches = [...pending.values()]
    pending.clear()
    const ctx: OperationContext = {
      store: options.store,
      now: options.now,
      newId: options.newId,
      region: options.region,
      accountId: options.accountId,
      requestId: 'apigw-functions',
    }
    flushing = flushing
      .then(() =>
        options.store.transaction(() => {
          for (const batch of batches) writeBatch(ctx, batch.group, batch.stream, batch.events)
        }),
      )
      .catch((error) => options.onError?.(error))
    return flushing
  }

  return {
    write(group, stream, events) {
      const kept = events.filter((e) => e.message.length > 0).map((e) => ({timestamp: e.timestamp, message: truncate(e.message)}))
      if (kept.length === 0) return
      const key = streamId(group, stream)
      const entry = pending.get(key)
      if (entry) entry.events.push(...kept)
      else pending.set(key, {group, stream, events: kept})
      timer ??= setTimeout(() => void flush(), FLUSH_DELAY_MS)
    },
    flush,
  }
}

function writeBatch(ctx: OperationContext, group: string, stream: string, events: LogEvent[]): void {
  if (!ctx.store.get(KIND.logGroup, group)) createLogGroup({logGroupName: group}, ctx)
  if (!ctx.store.get(KIND.logStream, streamId(group, stream))) createLogStream({logGroupName: group, logStreamName: stream}, ctx)
  // PutLogEvents wants chronological batches; the sort is stable, so lines of one millisecond keep their order.
  const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp)
  let chunk: LogEvent[] = []
  let bytes = 0
  for (const event of sorted) {
    const size = Buffer.byteLength(event.message) + 26
    if (chunk.length > 0 && (chunk.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES)) {
      putLogEvents({logGroupName: group, logStreamName: stream, logEvents: chunk}, ctx)
      chunk = []
      bytes = 0
    }
    chunk.push(event)
    bytes += size
  }
  if (chunk.length > 0) putLogEvents({logGroupName: group, logStreamName: stream, logEvents: chunk}, ctx)
}

function truncate(message: string): string {
  if (message.length * 3 <= MAX_EVENT_BYTES) return message
  const bytes = Buffer.from(message)
  return bytes.length <= MAX_EVENT_BYTES ? message : bytes.subarray(0, MAX_EVENT_BYTES).toString('utf8')
}
