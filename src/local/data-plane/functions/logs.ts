/**
 * Function output into the emulator's CloudWatch Logs: events are batched in memory and written behind, through
 * the Logs operations themselves (CreateLogGroup, CreateLogStream, PutLogEvents) in one store transaction per flush,
 * so they obey the same rules as events any client puts; with the state on disk, by a thread of their own
 * (../log-ingest.ts), so the main thread's share of an invocation's log lines is queueing them.
 */
import {LogWriter} from '../log-writer.ts'
import type {Store} from '../../store/store.ts'
import type {LogSink} from './types.ts'

/** Lambda cuts a log event at 256 KB. */
const MAX_EVENT_BYTES = 256 * 1024
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
  /** Told about a flush that failed (the store closed under it, a disk error); the events are dropped. */
  onError?: (error: unknown) => void
}

/** A LogSink that writes into the emulator's Logs store; `close` stops its writer thread once everything is written. */
export function createStoreLogSink(options: StoreLogSinkOptions): LogSink & {close(): Promise<void>} {
  const writer = new LogWriter({...options, delayMs: FLUSH_DELAY_MS})
  return {
    write(group, stream, events) {
      for (const e of events) if (e.message.length > 0) writer.append(group, stream, truncate(e.message), e.timestamp)
    },
    flush: () => writer.flush(),
    close: () => writer.close(),
  }
}

function truncate(message: string): string {
  if (message.length * 3 <= MAX_EVENT_BYTES) return message
  const bytes = Buffer.from(message)
  return bytes.length <= MAX_EVENT_BYTES ? message : bytes.subarray(0, MAX_EVENT_BYTES).toString('utf8')
}
