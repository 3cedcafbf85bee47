/**
 * Write-behind of data-plane log events (access and execution logs) into the emulator's CloudWatch Logs
 * store: events are queued in memory and flushed in one transaction per batch through the Logs operations
 * (CreateLogGroup/CreateLogStream when missing, PutLogEvents), so a request never waits for the disk and
 * the control plane's write queue sees one short transaction per flush, not one per request.
 */
import {randomUUID} from 'node:crypto'
import {createLogGroup, createLogStream} from '../control-plane/logs/groups.ts'
import {putLogEvents} from '../control-plane/logs/events.ts'
import {KIND} from '../control-plane/model.ts'
import {streamId} from '../control-plane/logs/shared.ts'
import type {Store} from '../store/store.ts'
import type {OperationContext} from '../types.ts'

type Pending = {group: string; stream: string; events: Array<{timestamp: number; message: string}>}

export class LogWriter {
  private readonly pending = new Map<string, Pending>()
  private timer: NodeJS.Timeout | undefined
  private flushing: Promise<void> = Promise.resolve()
  private readonly store: Store
  private readonly now: () => Date
  private readonly region: string
  private readonly accountId: string
  private readonly delayMs: number

  constructor(options: {store: Store; now: () => Date; region: string; accountId: string; delayMs?: number}) {
    this.store = options.store
    this.now = options.now
    this.region = options.region
    this.accountId = options.accountId
    this.delayMs = options.delayMs ?? 25
  }

  append(group: string, stream: string, message: string, timestamp: number): void {
    const key = `${group}\n${stream}`
    let p = this.pending.get(key)
    if (!p) {
      p = {group, stream, events: []}
      this.pending.set(key, p)
    }
    p.events.push({timestamp, message})
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
    this.flushing = this.flushing
      .then(() => this.write(batches))
      .catch((error) => {
        if (process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`apigw local: log write failed: ${(error as Error).message}\n`)
      })
    return this.flushing
  }

  private async write(batches: Pending[]): Promise<void> {
    const ctx: OperationContext = {
      store: this.store,
      now: this.now,
      newId: () => randomUUID(),
      region: this.region,
      accountId: this.accountId,
      requestId: randomUUID(),
    }
    await this.store.transaction(() => {
      for (const b of batches) {
        if (!this.store.get(KIND.logGroup, b.group)) createLogGroup({logGroupName: b.group}, ctx)
        if (!this.store.get(KIND.logStream, streamId(b.group, b.stream)))
          createLogStream({logGroupName: b.group, logStreamName: b.stream}, ctx)
        const events = b.events.sort((x, y) => x.timestamp - y.timestamp)
        for (let i = 0; i < events.length; i += 5000)
          putLogEvents({logGroupName: b.group, logStreamName: b.stream, logEvents: events.slice(i, i + 5000)}, ctx)
      }
    })
  }
}
