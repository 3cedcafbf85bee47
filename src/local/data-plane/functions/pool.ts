/**
 * The execution environments of one local function: warm reuse (an idle environment serves the next
 * invocation, so module state survives between calls), one environment per concurrent invocation up to a
 * cap (beyond it invocations wait their turn), started on demand after a short wait for a warm one (see
 * SCALE_OUT_WAIT_MS), Lambda's timeout (the environment is killed and the
 * invocation answers AWS's `Task timed out` error), START/END/REPORT lines in `/aws/lambda/NAME`, and
 * reload on change: a changed handler file, or any project file it imported, retires every environment
 * started before the change, so the next invocation loads the new code without a restart.
 */
import {randomBytes} from 'node:crypto'
import {availableParallelism} from 'node:os'
import {type FSWatcher, watch} from 'node:fs'
import {basename, dirname} from 'node:path'
import type {ExecutionEnvironment, Invocation, Outcome} from './environment.ts'
import type {LogSink} from './types.ts'

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

type Failure = {failure: Buffer; streamName: string; initMs: number}

type Waiter = {since: number; wake: (got: Entry | Failure | undefined) => void}

function shuttingDown(): Failure {
  return {
    failure: Buffer.from(JSON.stringify({errorType: 'Runtime.Unknown', errorMessage: 'The emulator is shutting down.'})),
    streamName: '',
    initMs: 0,
  }
}

type Entry = {env: ExecutionEnvironment; generation: number; initMs?: number}

export class FunctionPool {
  private generation = 0
  private readonly idle: Entry[] = []
  private readonly all = new Set<Entry>()
  /** Invocations waiting for an environment, oldest first: woken with an idle one, or undefined to look again. */
  private readonly waiters: Waiter[] = []
  private scaleTimer: NodeJS.Timeout | undefined
  /** Environments in their init phase now. */
  private starting = 0
  /** How long the last successful init phase took (ms). */
  private lastInitMs = 0
  private readonly watched = new Map<string, {watcher: FSWatcher | undefined; files: Set<string>}>()
  private closed = false

  private readonly options: PoolOptions

  constructor(options: PoolOptions) {
    this.options = options
    this.watchAll(options.watchFiles)
  }

  get logGroup(): string {
    return `/aws/lambda/${this.options.functionName}`
  }

  /** The environments alive now (tests read their pids). */
  environments(): ExecutionEnvironment[] {
    return [...this.all].map((e) => e.env)
  }

  /** Run one invocation; the answer comes as soon as the runtime gives it, the log lines follow behind. */
  async invoke(invocation: Omit<Invocation, 'deadline'>): Promise<Outcome> {
    const acquired = await this.acquire()
    if ('failure' in acquired) {
      this.logLines(acquired.streamName, [
        `START RequestId: ${invocation.requestId} Version: $LATEST`,
        `END RequestId: ${invocation.requestId}`,
        this.report(invocation.requestId, 0, undefined, acquired.initMs, 'error'),
      ])
      return {payload: acquired.failure, error: true}
    }
    const entry = acquired
    const {env} = entry
    const timeoutMs = this.options.timeoutSeconds * 1000
    const begin = performance.now()
    const full: Invocation = {...invocation, deadline: Date.now() + timeoutMs}
    let timedOut = false
    let timer: NodeJS.Timeout | undefined
    const outcome = await new Promise<Outcome>((resolve) => {
      env
        .invoke(full, () => this.log(env.streamName, `START RequestId: ${invocation.requestId} Version: $LATEST`))
        .then(resolve, (error: Error) => {
          resolve({payload: Buffer.from(JSON.stringify({errorType: 'Runtime.Unknown', errorMessage: error.message})), error: true})
        })
      timer = setTimeout(() => {
        timedOut = true
        resolve({
          payload: Buffer.from(
            JSON.stringify({
              errorType: 'Sandbox.Timedout',
              errorMessage:
                `RequestId: ${invocation.requestId} Error: Task timed out ` + `after ${this.options.timeoutSeconds.toFixed(2)} seconds`,
            }),
          ),
          error: true,
        })
        env.kill()
      }, timeoutMs)
    })
    clearTimeout(timer)
    const duration = performance.now() - begin
    const initMs = entry.initMs
    entry.initMs = undefined
    // END and REPORT once the runtime's output for this event is in (the environment writes START of the next event after it).
    void env.settled().then(() => {
      const lines = [
        `END RequestId: ${invocation.requestId}`,
        this.report(invocation.requestId, duration, outcome.maxMemoryMb, initMs, timedOut ? 'timeout' : undefined),
      ]
      if (timedOut)
        lines.push(
          `${this.options.now().toISOString()} ${invocation.requestId} Task ` +
            `timed out after ${this.options.timeoutSeconds.toFixed(2)} seconds`,
        )
      this.logLines(env.streamName, lines)
    })
    this.release(entry)
    return outcome
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
    for (const waiter of this.waiters.splice(0)) waiter.wake(undefined)
  }

  private async acquire(): Promise<Entry | Failure> {
    let since: number | undefined
    for (;;) {
      if (this.closed) return shuttingDown()
      const idle = this.idle.pop()
      if (idle) {
        if (idle.env.alive && idle.generation === this.generation) return idle
        this.discard(idle)
        continue
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
      if ('failure' in got || (got.env.alive && got.generation === this.generation)) return got
      this.discard(got)
    }
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
    for (const entry of this.all) if (!idle.has(entry) && entry.env.hasAnswered?.() === true) return true
    return false
  }

  private async start(): Promise<Entry | Failure> {
    const streamName = newStreamName(this.options.now())
    const env = this.options.create(streamName, (message) => this.log(streamName, message))
    const entry: Entry = {env, generation: this.generation}
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
    return entry
  }

  private release(entry: Entry): void {
    if (this.closed || !entry.env.alive || entry.generation !== this.generation) this.discard(entry)
    else {
      // Handed to the oldest waiter directly, so an invocation arriving meanwhile cannot take it first.
      const waiter = this.waiters.shift()
      if (waiter) waiter.wake(entry)
      else this.idle.push(entry)
    }
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
    this.options.logs.write(
      this.logGroup,
      stream,
      messages.map((message) => ({timestamp, message})),
    )
  }
}

/** Lambda's log stream names: `2024/01/31/[$LATEST]` and 32 hex digits. */
export function newStreamName(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, '/')
  return `${day}/[$LATEST]${randomBytes(16).toString('hex')}`
}
