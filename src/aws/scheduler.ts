/**
 * The control-plane scheduler: every AWS call of the ports goes through `run(operation, fn)`. It keeps
 * the client-side rates of aws-facts.md §1 (per operation and 10 rps in total, burst 40), retries with
 * full-jitter exponential backoff on TooManyRequests, LimitExceeded, 5xx and dropped connections
 * (honouring Retry-After), and reports any wait over 2 s with an ETA. Against the emulator the rates are
 * off unless asked for. Clock, sleep and randomness are injected for tests.
 */
import {isRetryable, retryAfterMs} from './errors.ts'

/** Minimum spacing between two calls of one operation, in ms (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html). */
export const OPERATION_INTERVALS_MS: Readonly<Record<string, number>> = {
  CreateDeployment: 5000,
  PutRestApi: 1000,
  ImportRestApi: 3000,
  CreateRestApi: 3000,
  DeleteRestApi: 30_000,
  UpdateUsagePlan: 20_000,
  UpdateAccount: 20_000,
  CreateApiKey: 200,
  DeleteApiKey: 200,
  CreateResource: 200,
  DeleteResource: 200,
  GetResources: 400,
  CreateDocumentationVersion: 20_000,
  ImportDocumentationParts: 30_000,
}

export type WaitInfo = {operation: string; ms: number; reason: 'rate' | 'retry'; attempt: number; eta: Date}

export type SchedulerOptions = {
  /** Keep the client-side rates (on for AWS, off for the emulator unless asked). */
  rates: boolean
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  /** Attempts per call, the first included. */
  maxAttempts?: number
  baseDelayMs?: number
  maxDelayMs?: number
  /** Total rate: tokens per second and bucket size. */
  totalRps?: number
  burst?: number
  intervals?: Readonly<Record<string, number>>
  /** Called before any wait longer than `reportOverMs` (default 2000). */
  onWait?: (info: WaitInfo) => void
  reportOverMs?: number
}

export type Scheduler = {
  run<T>(operation: string, fn: () => Promise<T>): Promise<T>
  /** Calls made, retries and time spent waiting (for benchmarks and tests). */
  readonly stats: {calls: number; retries: number; waitedMs: number}
}

export function createScheduler(options: SchedulerOptions): Scheduler {
  const now = options.now ?? (() => Date.now())
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  const random = options.random ?? Math.random
  const maxAttempts = options.maxAttempts ?? 8
  const base = options.baseDelayMs ?? 500
  const cap = options.maxDelayMs ?? 20_000
  const rps = options.totalRps ?? 10
  const burst = options.burst ?? 40
  const intervals = options.intervals ?? OPERATION_INTERVALS_MS
  const reportOver = options.reportOverMs ?? 2000
  const lastCall = new Map<string, number>()
  let tokens = burst
  let refilledAt = now()
  // Calls are serialized: the quota is per account, and ordering keeps the plan's steps in order.
  let queue: Promise<unknown> = Promise.resolve()
  const stats = {calls: 0, retries: 0, waitedMs: 0}

  const wait = async (operation: string, ms: number, reason: WaitInfo['reason'], attempt: number) => {
    if (ms <= 0) return
    if (ms > reportOver) options.onWait?.({operation, ms, reason, attempt, eta: new Date(now() + ms)})
    stats.waitedMs += ms
    await sleep(ms)
  }

  const rateGate = async (operation: string) => {
    if (!options.rates) return
    const interval = intervals[operation] ?? 0
    const last = lastCall.get(operation)
    const t = now()
    let delay = last === undefined ? 0 : Math.max(0, last + interval - t)
    const elapsed = (t - refilledAt) / 1000
    tokens = Math.min(burst, tokens + elapsed * rps)
    refilledAt = t
    if (tokens < 1) delay = Math.max(delay, Math.ceil(((1 - tokens) / rps) * 1000))
    await wait(operation, delay, 'rate', 0)
    const after = now()
    tokens = Math.min(burst, tokens + ((after - refilledAt) / 1000) * rps) - 1
    refilledAt = after
    lastCall.set(operation, after)
  }

  const attempt = async <T>(operation: string, fn: () => Promise<T>): Promise<T> => {
    for (let n = 1; ; n++) {
      await rateGate(operation)
      stats.calls++
      try {
        return await fn()
      } catch (error) {
        if (n >= maxAttempts || !isRetryable(error)) throw error
        stats.retries++
        const backoff = Math.round(random() * Math.min(cap, base * 2 ** (n - 1)))
        const hinted = retryAfterMs(error, now())
        await wait(operation, hinted === undefined ? backoff : Math.max(hinted, backoff), 'retry', n)
      }
    }
  }

  return {
    stats,
    run<T>(operation: string, fn: () => Promise<T>): Promise<T> {
      const result = queue.then(() => attempt(operation, fn))
      queue = result.catch(() => undefined)
      return result
    },
  }
}

/** A scheduler that only passes calls through (unit tests of ports with fakes). */
export const passThrough: Scheduler = {stats: {calls: 0, retries: 0, waitedMs: 0}, run: (_op, fn) => fn()}
