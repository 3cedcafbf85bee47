/**
 * Write-behind of data-plane log events (access and execution logs) into the emulator's CloudWatch Logs
 * store: events are queued in memory and flushed in one transaction per batch through the Logs operations
 * (CreateLogGroup/CreateLogStream when missing, PutLogEvents), so a request never waits for the disk; with the state
 * on disk the store's log writer thread does the writing (log-ingest.ts), so the main thread only queues the lines.
 */
import {type LogBatch, type LogIngest, logIngestOf} from './log-ingest.ts'
import type {Store} from '../store/store.ts'

export class LogWriter {
  private readonly pending = new Map<string, LogBatch>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  private readonly ingest: LogIngest
  private readonly now: () => Date
  private readonly delayMs: number

  constructor(options: {store: Store; now: () => Date; region: string; accountId: string; delayMs?: number}) {
    this.ingest = logIngestOf(options.store, {region: options.region, accountId: options.accountId})
    this.now = options.now
    this.delayMs = options.delayMs ?? 25
  }

  append(group: string, stream: string, message: string, timestamp: number): void {
    const key = `${group}\n${stream}`
    let p = this.pending.get(key)
    if (!p) {
      p = {group, stream, timestamps: [], messages: []}
      this.pending.set(key, p)
    }
    p.timestamps.push(timestamp)
    p.messages.push(message)
    this.timer ??= setTimeout(() => {
      this.timer = undefined
      void this.flush()
    }, this.delayMs)
    this.timer.unref?.()
  }

  /** Write everything queued; resolves when it is committed. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    const batches = [...this.pending.values()]
    this.pending.clear()
    if (batches.length === 0) return this.flushing
    this.flushing = this.ingest.write({batches, nowMs: this.now().getTime()}).catch((error) => {
      if (process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`apigw local: log write failed: ${(error as Error).message}\n`)
    })
    return this.flushing
  }

  /** Write everything queued, then let go of the store's log writer. */
  async close(): Promise<void> {
    await this.flush()
    await this.ingest.close()
  }
}
