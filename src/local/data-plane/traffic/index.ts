/**
 * The data plane's traffic state (API keys, throttling, quotas, usage, the stage cache), kept in memory and
 * written behind: token buckets and cache entries live only in memory (as on AWS, a restart refills buckets
 * and empties caches); usage counts are flushed to the store at most every `flushMs` and on close.
 */
import type {Store} from '../../store/store.ts'
import {StageCache} from './cache.ts'
import {registerTraffic, type TrafficControl} from './registry.ts'
import {ThrottleCheckMemo} from './limits.ts'
import {BucketSet} from './token-bucket.ts'
import {UsageCounters} from './usage.ts'

export type TrafficOptions = {store: Store; now: () => Date; flushMs?: number}

export class Traffic implements TrafficControl {
  readonly buckets = new BucketSet()
  /** The buckets each method, stage and key meets, built once per version of the documents (limits.ts). */
  readonly throttleChecks = new ThrottleCheckMemo()
  readonly cache = new StageCache()
  readonly usage: UsageCounters
  private readonly store: Store
  private readonly now: () => Date
  private timer: NodeJS.Timeout | undefined
  private writing: Promise<void> | undefined
  private closed = false

  constructor(options: TrafficOptions) {
    this.store = options.store
    this.now = options.now
    this.usage = new UsageCounters(options.store)
    this.timer = setInterval(() => void this.flushUsage(), options.flushMs ?? 1000)
    this.timer.unref()
    registerTraffic(options.store, this)
  }

  /** Write pending usage in one transaction (after the control plane's transaction of the moment). */
  flushUsage(): Promise<void> {
    if (this.closed || !this.usage.pending) return this.writing ?? Promise.resolve()
    this.writing ??= this.store
      .transaction(() => {
        this.usage.flush(this.now().getTime())
      })
      .catch((error: unknown) => {
        // A store that cannot be written (disk full) keeps the counts in memory for the next try.
        if (process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`usage flush failed: ${(error as Error).message}\n`)
      })
      .finally(() => {
        this.writing = undefined
      })
    return this.writing
  }

  /** Write synchronously, inside the caller's transaction (GetUsage and UpdateUsage read fresh counts). */
  flushUsageNow(): void {
    if (!this.closed) this.usage.flush(this.now().getTime())
  }

  forgetUsage(usagePlanId: string, keyId?: string): void {
    if (keyId === undefined) this.usage.forgetPlan(usagePlanId)
    else this.usage.forget(usagePlanId, keyId)
  }

  flushStageCache(apiId: string, stageName: string): void {
    this.cache.flush(apiId, stageName)
  }

  async close(): Promise<void> {
    registerTraffic(this.store, undefined)
    clearInterval(this.timer)
    this.timer = undefined
    await this.writing
    await this.flushUsage()
    this.closed = true
  }
}
