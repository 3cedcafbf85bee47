/**
 * Write-behind of data-plane log events (access and execution logs) into the emulator's CloudWatch Logs
 * store: events are queued in memory and flushed in one transaction per batch through the Logs operations
 * (CreateLogGroup/CreateLogStream when missing, PutLogEvents), so a request never waits for the disk; with the state
 * on disk the store's log writer thread does the writing (log-ingest.ts), so the main thread only queues the lines.
 */
import {type LogBatch, type LogIngest, logIngestOf} from './log-ingest.ts'
import type {Store} from '../store/store.ts'

export type LogWriterOptions = {
  store: Store
  now: () => Date
  region: string
  accountId: string
  /** How long lines wait to go in together (ms; default 25). */
  delayMs?: number
  /** Told about a flush that failed (the store closed under it, a disk error); its lines are dropped. */
  onError?: (error: unknown) => void
}

export class LogWriter {
  // By group, then stream: callers hand over the same two strings on every call, whose hashes are kept (a key made of
  // both would be a new string to hash each time).
  private readonly pending = new Map<string, Map<string, LogBatch>>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  private readonly ingest: LogIngest
  private readonly options: LogWriterOptions

  constructor(options: LogWriterOptions) {
    this.ingest = logIngestOf(options.store, {region: options.region, accountId: options.accountId})
    this.options = options
  }

  append(group: string, stream: string, message: string, timestamp: number): void {
    let streams = this.pending.get(group)
    if (!streams) {
      streams = new Map()
      this.pending.set(group, streams)
    }
    let p = streams.get(stream)
    if (!p) {
      p = {group, stream, timestamps: [], messages: []}
      streams.set(stream, p)
    }
    p.timestamps.push(timestamp)
    p.messages.push(message)
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      void this.flush()
    }, this.options.delayMs ?? 25)
    this.timer.unref?.()
  }

  /** Write everything queued; resolves when it is committed. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.pending.size === 0) return this.flushing
    const batches: LogBatch[] = []
    for (const streams of this.pending.values()) batches.push(...streams.values())
    this.pending.clear()
    this.flushing = this.ingest.write({batches, nowMs: this.options.now().getTime()}).catch((error: unknown) => {
      if (this.options.onError) this.options.onError(error)
      else if (process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`apigw local: log write failed: ${(error as Error).message}\n`)
    })
    return this.flushing
  }

  /** Write everything queued, then let go of the store's log writer. */
  async close(): Promise<void> {
    await this.flush()
    await this.ingest.close()
  }
}
