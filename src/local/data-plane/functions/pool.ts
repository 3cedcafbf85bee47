/**
 * The execution environments of one local function: warm reuse (an idle environment serves the next
 * invocation, so module state survives between calls), one environment per concurrent invocation up to a
 * cap (beyond it invocations wait their turn), started on demand after a short wait for a warm one (see
 * SCALE_OUT_WAIT_MS), Lambda's timeout (the environment is killed and the
 * invocation answers AWS's `Task timed out` error), START/END/REPORT lines in `/aws/lambda/NAME`, and
 * reload on change: a changed handler file, or any project file it imported, retires every environment
 * started before the change, so the next invocation loads the new code without a restart.
 *
 * A fast function (its invocations lately took under FAST_MS each) may have invocations queued in a busy
 * environment that takes them (worker threads, node-environment.ts): they run there in turn, one at a time as on
 * Lambda, without a round trip between threads for each. An invocation that waited in a queue longer than the
 * scale-out wait is taken back and runs elsewhere, and the function counts as slow until it is fast again.
 */
import {randomBytes} from 'node:crypto'
import {availableParallelism} from 'node:os'
import {type FSWatcher, watch} from 'node:fs'
import {basename, dirname} from 'node:path'
import type {ExecutionEnvironment, Invocation, Outcome} from './environment.ts'
import type {LogEvent, LogSink} from './types.ts'

export type PoolOptions = {
  functionName: string
  timeoutSeconds: number
  memorySize: number
  maxEnvironments: number
  /** Files to watch before any environment reported its imports (the handler or the command). */
  watchFiles: string[]
  logs: LogSink | undefined
  now: () => Date
  /** Make a new environment writing its output through `log`. */
  create: (streamName: string, log: (message: string) => void) => ExecutionEnvironment
  /**
   * How long an invocation waits for a busy environment to free up before a new one starts (default
   * the last cold start's duration within SCALE_OUT_WAIT_MS and MAX_SCALE_OUT_WAIT_MS); 0: at once, as Lambda does.
   */
  scaleOutWaitMs?: number
}

/** Lambda's init phase limit. */
const INIT_TIMEOUT_MS = 10_000

/**
 * Scale-out. Lambda starts a new environment for every invocation that finds all of them busy; on a machine with
 * a core per environment this host could too, but on a laptop's few cores environments beyond the cores only add
 * isolates taking turns on them (a context switch to wake one for every invocation, memory, a cold start each):
 * under 32 concurrent clients on 2 cores a handler answering in a millisecond ran in 10 environments at a third of
 * the requests/s it reaches in two. So an invocation that finds every environment busy first waits briefly for one
 * to free up, as long as the function's last cold start took (waiting never costs it more than twice what a new
 * environment would), within SCALE_OUT_WAIT_MS and MAX_SCALE_OUT_WAIT_MS (so busy invocations still fan out
 * within a quarter second; on a loaded machine a cold start takes seconds and the wait alone kept adding
 * environments), and only then does a new environment start for it, at most MAX_STARTING at a time (cold starts
 * share the same cores; a burst at the first call would otherwise start the cap at once). A handler that answers
 * fast keeps the few environments it needs; one that waits on I/O keeps invocations waiting past the wait, so it
 * still gets one environment per concurrent invocation as on Lambda, that much later.
 */
export const SCALE_OUT_WAIT_MS = 50
const MAX_SCALE_OUT_WAIT_MS = 250
const MAX_STARTING = Math.max(2, availableParallelism())

/**
 * A function whose recent invocations took under this (ms, a moving average) may have invocations queued behind a
 * running one.
 */
export const FAST_MS = 2
/**
 * A queue holds at most as many invocations as the function runs in this long (ms, by its recent speed), within the
 * environment's depth (node-environment.ts QUEUE_DEPTH): a full queue then waits less than SCALE_OUT_WAIT_MS. A
 * handler answering in a few hundredths of a millisecond fills a deep queue (one crossing between threads for many
 * invocations); one near FAST_MS queues 16, as before the depth grew.
 */
const QUEUE_MS = 32
/**
 * A queue whose invocations would all be through within this (ms) is joined before an idle environment is woken:
 * for a handler much faster than a crossing between threads, one busy environment answers more than several idle
 * ones, each woken for every invocation.
 */
const BATCH_MS = 1

type Failure = {failure: Buffer; streamName: string; initMs: number}

type Waiter = {since: number; wake: (got: Entry | Failure | undefined) => void}

function shuttingDown(): Failure {
  return {
    failure: Buffer.from(JSON.stringify({errorType: 'Runtime.Unknown', errorMessage: 'The emulator is shutting down.'})),
    streamName: '',
    initMs: 0,
  }
}

type Entry = {
  env: ExecutionEnvironment
  generation: number
  initMs?: number
  /** Past its init phase. */
  ready: boolean
  /** Invocations given and not answered. */
  busy: number
  /** Invocations given while it was busy, by request id: when given (performance.now()), until they start. */
  queued: Map<string, number>
}

export class FunctionPool {
  private generation = 0
  private readonly idle: Entry[] = []
  private readonly all = new Set<Entry>()
  /** Invocations waiting for an environment, oldest first: woken with an idle one, or undefined to look again. */
  private readonly waiters: Waiter[] = []
  private scaleTimer: NodeJS.Timeout | undefined
  /** Takes back invocations that waited in a queue too long. */
  private reclaimTimer: NodeJS.Timeout | undefined
  /** How long invocations lately took (ms, a moving average); undefined before the first. */
  private recentMs: number | undefined
  /** Environments in their init phase now. */
  private starting = 0
  /** How long the last successful init phase took (ms). */
  private lastInitMs = 0
  private readonly watched = new Map<string, {watcher: FSWatcher | undefined; files: Set<string>}>()
  private closed = false

  private readonly options: PoolOptions
  /**
   * `/aws/lambda/NAME`, made once: the log writer looks its lines up by this string, and a string made anew for each
   * line would be hashed anew each time (3 lines per invocation).
   */
  private readonly group: string

  constructor(options: PoolOptions) {
    this.options = options
    this.group = `/aws/lambda/${options.functionName}`
    this.watchAll(options.watchFiles)
  }

  get logGroup(): string {
    return this.group
  }

  /** The environments alive now (tests read their pids). */
  environments(): ExecutionEnvironment[] {
    return [...this.all].map((e) => e.env)
  }

  /** Run one invocation; the answer comes as soon as the runtime gives it, the log lines follow behind. */
  async invoke(invocation: Omit<Invocation, 'deadline' | 'timeoutMs'>): Promise<Outcome> {
    let since: number | undefined
    for (;;) {
      const acquired = await this.acquire(since)
      if ('failure' in acquired) {
        this.logLines(acquired.streamName, [
          `START RequestId: ${invocation.requestId} Version: $LATEST`,
          `END RequestId: ${invocation.requestId}`,
          this.report(invocation.requestId, 0, undefined, acquired.initMs, 'error'),
        ])
        return {payload: acquired.failure, error: true}
      }
      const outcome = await this.run(acquired, invocation)
      if (!outcome.notRun) return outcome
      // Taken back from a queue, or its environment ended before its turn: it runs elsewhere, and has waited already.
      since ??= performance.now() - this.scaleOutWaitMs
    }
  }

  private async run(entry: Entry, invocation: Omit<Invocation, 'deadline' | 'timeoutMs'>): Promise<Outcome> {
    const {env} = entry
    const {requestId} = invocation
    const timeoutMs = this.options.timeoutSeconds * 1000
    const begin = performance.now()
    const queued = entry.busy > 1
    if (queued) {
      entry.queued.set(requestId, begin)
      this.armReclaim()
    }
    let startLogged = false
    let endLogged = false
    let timedOut = false
    let timer: NodeJS.Timeout | undefined
    const started = (): void => {
      startLogged = true
      this.log(env.streamName, `START RequestId: ${requestId} Version: $LATEST`)
    }
    // END and REPORT as the answer arrives, when the environment says so (a queue's next START follows them).
    const answered = (outcome: Outcome): void => {
      if (outcome.notRun || timedOut) return
      endLogged = true
      this.logEnd(env.streamName, requestId, outcome.durationMs ?? performance.now() - begin, outcome.maxMemoryMb, entry, false)
    }
    const outcome = await new Promise<Outcome>((resolve) => {
      env.invoke({...invocation, deadline: Date.now() + timeoutMs, timeoutMs}, started, answered).then(resolve, (error: Error) => {
        resolve({payload: Buffer.from(JSON.stringify({errorType: 'Runtime.Unknown', errorMessage: error.message})), error: true})
      })
      // Lambda's timeout counts from the start: one that waited its turn in a queue has its time still.
      const check = (): void => {
        const startedAt = env.startedAt?.(requestId)
        const left = startedAt === undefined ? (queued ? timeoutMs : 0) : startedAt + timeoutMs - Date.now()
        if (left > 0) {
          timer = setTimeout(check, left)
          return
        }
        timedOut = true
        resolve({
          payload: Buffer.from(
            JSON.stringify({
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`,
            }),
          ),
          error: true,
        })
        env.kill()
      }
      timer = setTimeout(check, timeoutMs)
    })
    clearTimeout(timer)
    entry.queued.delete(requestId)
    if (outcome.notRun) {
      this.answered(entry)
      return outcome
    }
    const duration = outcome.durationMs ?? performance.now() - begin
    this.recentMs = this.recentMs === undefined ? duration : this.recentMs * 0.8 + duration * 0.2
    if (!startLogged) this.log(env.streamName, `START RequestId: ${requestId} Version: $LATEST`)
    // Otherwise END and REPORT once the runtime's output for this event is in (the environment writes START of the next event after it).
    if (!endLogged) {
      const stamp = timedOut
      void env.settled().then(() => this.logEnd(env.streamName, requestId, duration, outcome.maxMemoryMb, entry, stamp))
    }
    this.answered(entry)
    return outcome
  }

  /** END and REPORT of an invocation (and Lambda's timeout line); the environment's init duration goes on its first. */
  private logEnd(stream: string, requestId: string, duration: number, memoryMb: number | undefined, entry: Entry, timedOut: boolean): void {
    const initMs = entry.initMs
    entry.initMs = undefined
    const lines = [`END RequestId: ${requestId}`, this.report(requestId, duration, memoryMb, initMs, timedOut ? 'timeout' : undefined)]
    if (timedOut)
      lines.push(`${this.options.now().toISOString()} ${requestId} Task timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`)
    this.logLines(stream, lines)
  }

  async close(): Promise<void> {
    this.closed = true
    for (const {watcher} of this.watched.values()) watcher?.close()
    this.watched.clear()
    for (const entry of this.all) entry.env.kill()
    this.all.clear()
    this.idle.length = 0
    clearTimeout(this.scaleTimer)
    this.scaleTimer = undefined
    clearTimeout(this.reclaimTimer)
    this.reclaimTimer = undefined
    for (const waiter of this.waiters.splice(0)) waiter.wake(undefined)
  }

  /** An environment for one invocation (counted busy with it), or why none could start. */
  private async acquire(waitingSince?: number): Promise<Entry | Failure> {
    let since = waitingSince
    for (;;) {
      if (this.closed) return shuttingDown()
      const joined = this.queueFor(true)
      if (joined) {
        joined.busy++
        return joined
      }
      const idle = this.idle.pop()
      if (idle) {
        if (this.usable(idle)) {
          idle.busy++
          return idle
        }
        this.discard(idle)
        continue
      }
      const queue = this.queueFor(false)
      if (queue) {
        queue.busy++
        return queue
      }
      if (this.all.size === 0 || (this.all.size < this.options.maxEnvironments && this.options.scaleOutWaitMs === 0)) return this.start()
      // Every environment is busy: wait for one (release hands it over), or for the scale-out timer to start one.
      since ??= performance.now()
      const waited = since
      const got = await new Promise<Entry | Failure | undefined>((wake) => {
        this.waiters.push({since: waited, wake})
        this.armScaleOut()
      })
      if (got === undefined) continue
      if ('failure' in got || this.usable(got)) return got
      this.answered(got)
    }
  }

  private usable(entry: Entry): boolean {
    return entry.env.alive && entry.generation === this.generation
  }

  private get fast(): boolean {
    return this.recentMs !== undefined && this.recentMs < FAST_MS
  }

  /**
   * For a fast function, a busy environment that takes one more: with `brief`, the fullest one whose queue would
   * still be through within BATCH_MS (joining it beats waking an idle one: the batch shares the crossing), else the
   * one with the shortest queue.
   */
  private queueFor(brief: boolean): Entry | undefined {
    const recentMs = this.recentMs
    if (recentMs === undefined || recentMs >= FAST_MS) return undefined
    let best: Entry | undefined
    for (const entry of this.all) {
      if (entry.busy === 0 || !entry.ready || !this.usable(entry) || entry.busy >= this.queueLimit(entry)) continue
      if (brief ? entry.busy * recentMs >= BATCH_MS || (best && entry.busy <= best.busy) : best && entry.busy >= best.busy) continue
      best = entry
    }
    return best
  }

  /** How many invocations `entry` may hold at once: its depth, or fewer for a function not fast enough to fill it in QUEUE_MS. */
  private queueLimit(entry: Entry): number {
    const depth = entry.env.depth ?? 1
    const recentMs = this.recentMs
    if (depth <= 1 || recentMs === undefined || recentMs <= 0) return depth
    return Math.min(depth, Math.max(1, Math.floor(QUEUE_MS / recentMs)))
  }

  /** Take back invocations that waited in a queue longer than the scale-out wait; they run elsewhere. */
  private armReclaim(): void {
    if (this.reclaimTimer || this.closed) return
    let oldest = Number.POSITIVE_INFINITY
    for (const entry of this.all) for (const since of entry.queued.values()) oldest = Math.min(oldest, since)
    if (oldest === Number.POSITIVE_INFINITY) return
    this.reclaimTimer = setTimeout(
      () => {
        this.reclaimTimer = undefined
        const now = performance.now()
        for (const entry of this.all) {
          // Oldest first: once one is young enough, so are the rest.
          for (const [requestId, since] of entry.queued) {
            if (now - since < this.scaleOutWaitMs) break
            entry.queued.delete(requestId)
            // The function was not as fast as it looked: no queueing until it is again.
            if (entry.env.reclaim?.(requestId)) this.recentMs = Math.max(this.recentMs ?? 0, this.scaleOutWaitMs)
          }
        }
        this.armReclaim()
      },
      Math.max(0, Math.ceil(oldest + this.scaleOutWaitMs - performance.now())),
    )
  }

  private get scaleOutWaitMs(): number {
    return this.options.scaleOutWaitMs ?? Math.min(MAX_SCALE_OUT_WAIT_MS, Math.max(SCALE_OUT_WAIT_MS, this.lastInitMs))
  }

  /** One timer for the pool: once the oldest waiter has waited scaleOutWaitMs, a new environment starts for it. */
  private armScaleOut(): void {
    if (this.scaleTimer || this.closed || this.waiters.length === 0 || this.all.size >= this.options.maxEnvironments) return
    if (this.starting >= MAX_STARTING && this.options.scaleOutWaitMs !== 0) return
    const due = this.waiters[0]!.since + this.scaleOutWaitMs - performance.now()
    this.scaleTimer = setTimeout(
      () => {
        this.scaleTimer = undefined
        const now = performance.now()
        for (;;) {
          const oldest = this.waiters[0]
          if (!oldest || this.all.size >= this.options.maxEnvironments || this.starting >= MAX_STARTING) break
          if (now - oldest.since < this.scaleOutWaitMs) break
          // An environment whose runtime has answered already is free as soon as this thread reads the answer: the
          // wait comes from this thread being busy, and another environment would not shorten it.
          if (this.answeredBusy()) {
            this.scaleTimer = setTimeout(() => {
              this.scaleTimer = undefined
              this.armScaleOut()
            }, this.scaleOutWaitMs)
            return
          }
          // start() counts the new environment (all, starting) before it returns.
          this.waiters.shift()
          void this.start().then(oldest.wake)
        }
        this.armScaleOut()
      },
      Math.max(0, Math.ceil(due)),
    )
  }

  private answeredBusy(): boolean {
    const idle = new Set(this.idle)
    for (const entry of this.all) if (entry.ready && !idle.has(entry) && entry.env.hasAnswered?.() === true) return true
    return false
  }

  private async start(): Promise<Entry | Failure> {
    const streamName = newStreamName(this.options.now())
    const env = this.options.create(streamName, (message) => this.log(streamName, message))
    const entry: Entry = {env, generation: this.generation, ready: false, busy: 1, queued: new Map()}
    this.all.add(entry)
    this.starting++
    const begin = performance.now()
    let timer: NodeJS.Timeout | undefined
    const init = await Promise.race([
      env.init(),
      new Promise<{ok: false; payload: Buffer}>((resolve) => {
        timer = setTimeout(() => {
          env.kill()
          resolve({
            ok: false,
            payload: Buffer.from(
              JSON.stringify({
                errorType: 'Runtime.InitTimeout',
                errorMessage: `Init phase timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
              }),
            ),
          })
        }, INIT_TIMEOUT_MS)
      }),
    ])
    clearTimeout(timer)
    const initMs = performance.now() - begin
    this.starting--
    if (init.ok) this.lastInitMs = initMs
    // The next waiter's turn to start one, if it has waited long enough.
    queueMicrotask(() => this.armScaleOut())
    if (!init.ok) {
      this.discard(entry)
      return {failure: init.payload, streamName, initMs}
    }
    this.watchAll(init.deps)
    entry.initMs = initMs
    entry.ready = true
    return entry
  }

  /** One invocation given to `entry` is over (answered, or never run there). */
  private answered(entry: Entry): void {
    entry.busy--
    if (this.closed || !this.usable(entry)) {
      if (entry.busy <= 0) this.discard(entry)
      return
    }
    // Handed to the oldest waiter directly, so an invocation arriving meanwhile cannot take it first; a fast
    // function's waiter may join the queue of a busy environment.
    if (this.waiters.length > 0 && (entry.busy === 0 || (this.fast && entry.ready && entry.busy < this.queueLimit(entry)))) {
      entry.busy++
      this.waiters.shift()!.wake(entry)
    } else if (entry.busy === 0) this.idle.push(entry)
  }

  private discard(entry: Entry): void {
    entry.env.kill()
    // Its place is free: the scale-out timer starts a new environment for a waiter that has waited long enough.
    if (this.all.delete(entry)) this.armScaleOut()
  }

  /** A watched file changed: environments started before now are retired (idle ones at once, busy ones when they finish). */
  private changed(): void {
    this.generation++
    for (const entry of this.idle.splice(0)) this.discard(entry)
    // Invocations waiting in the queues of older environments run on the new code instead.
    for (const entry of this.all) {
      for (const requestId of entry.queued.keys()) entry.env.reclaim?.(requestId)
      entry.queued.clear()
    }
  }

  private watchAll(files: string[]): void {
    if (this.closed) return
    for (const file of files) {
      const dir = dirname(file)
      let entry = this.watched.get(dir)
      if (!entry) {
        const files = new Set<string>()
        let watcher: FSWatcher | undefined
        try {
          // The directory, not the file: editors that save by rename replace the file a watch would follow.
          watcher = watch(dir, {persistent: false}, (_event, name) => {
            if (name === null || files.has(name.toString())) this.changed()
          })
          watcher.on('error', () => watcher?.close())
        } catch {
          watcher = undefined
        }
        entry = {watcher, files}
        this.watched.set(dir, entry)
      }
      entry.files.add(basename(file))
    }
  }

  private report(
    requestId: string,
    durationMs: number,
    memoryMb: number | undefined,
    initMs: number | undefined,
    status?: 'timeout' | 'error',
  ): string {
    const parts = [
      `REPORT RequestId: ${requestId}`,
      `Duration: ${durationMs.toFixed(2)} ms`,
      `Billed Duration: ${Math.max(1, Math.ceil(durationMs + (initMs ?? 0)))} ms`,
      `Memory Size: ${this.options.memorySize} MB`,
      `Max Memory Used: ${memoryMb ?? '-'}${memoryMb === undefined ? '' : ' MB'}`,
    ]
    if (initMs !== undefined) parts.push(`Init Duration: ${initMs.toFixed(2)} ms`)
    if (status) parts.push(`Status: ${status}`)
    return parts.join('\t')
  }

  private log(stream: string, message: string): void {
    this.logLines(stream, [message])
  }

  private logLines(stream: string, messages: string[]): void {
    if (!this.options.logs || stream === '') return
    const timestamp = this.options.now().getTime()
    const events: LogEvent[] = []
    for (const message of messages) events.push({timestamp, message})
    this.options.logs.write(this.group, stream, events)
  }
}

/** Lambda's log stream names: `2024/01/31/[$LATEST]` and 32 hex digits. */
export function newStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/')
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`
}
