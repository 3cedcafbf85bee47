/**
 * A Node.js execution environment: node-runtime.ts with the handler module loaded once and kept warm, in a
 * worker thread of the emulator (`thread`: no process boundary) or in a child process. Invocations and console
 * output travel over the worker's port or the IPC channel; a child's raw writes to fds 1 and 2 (native modules,
 * child processes) arrive on pipes and are logged line by line. A worker is stopped with `terminate()` (which
 * ends a runaway loop too), a child with SIGKILL.
 *
 * A worker thread takes up to QUEUE_DEPTH invocations at once (the pool decides when to queue): they run one at a
 * time, in order, and the invocations given in one turn of this thread's event loop cross to the worker in one
 * message, as the worker's answers of one turn come back in one (node-runtime.ts). Crossing between threads costs
 * far more than a fast handler's work (serialising, waking the other thread), so under load a batch shares it.
 * Which invocation waits, runs or has answered is in memory both threads share (queue-slots.ts), so the pool can
 * tell when one started (its timeout counts from there) and take back one that waits too long.
 */
import {type ChildProcess, fork} from 'node:child_process'
import {Worker} from 'node:worker_threads'
import type {ExecutionEnvironment, InitResult, Invocation, Outcome} from './environment.ts'
import {exitErrorPayload, lineSplitter} from './environment.ts'
import {DONE_FIELDS, INVOKE_FIELDS} from './node-runtime-wire.ts'
import {QueueSlots} from './queue-slots.ts'

/**
 * Invocations a worker-thread environment takes at once, the running one included (the pool takes fewer for a
 * function not fast enough to run them within its bound, pool.ts QUEUE_MS). Under a WebSocket echo load (128
 * messages in flight, a handler answering in ~0.03 ms) 64 took the emulator's CPU per message from ~45 to ~39 us
 * against 16 (two environments' queues always full, the other invocations waiting their turn in the pool).
 */
export const QUEUE_DEPTH = 64

const RUNTIME = new URL(import.meta.url.endsWith('.ts') ? './node-runtime.ts' : './node-runtime.js', import.meta.url)

export type NodeEnvironmentOptions = {
  file: string
  exportName: string
  cwd: string
  env: Record<string, string>
  memorySize: number
  streamName: string
  log: (message: string) => void
  /** Run in a worker thread of this process rather than a child process (host.ts decides when that is safe). */
  thread?: boolean
}

/** What the environment needs of a child process or a worker. */
type Runner = {
  send(message: Record<string, unknown>): void
  stop(): void
  readonly pid: number | undefined
}

type ChildMessage =
  | {t: 'ready'; deps: string[]}
  | {t: 'init-error'; error: unknown}
  | {t: 'log'; text: string}
  | {t: 'out'; text: string}
  | {t: 'start'; id: string}
  | {t: 'done'; id: string; result?: string; error?: unknown; memory?: number; ms?: number; fatal?: boolean}
  | {t: 'fatal'; error: unknown}
  | {t: 'batch'; list: ChildMessage[]}
  | {t: 'dones'; v: Array<string | number>}

/** An invocation given and not answered. */
type Pending = {
  seq: number
  resolve: (outcome: Outcome) => void
  started: () => void
  answered: ((outcome: Outcome) => void) | undefined
  startedAt: number | undefined
}

export class NodeEnvironment implements ExecutionEnvironment {
  readonly streamName: string
  private runner: Runner | undefined
  private exited = false
  private killed = false
  /** Invocations given and not answered, by request id, oldest first. */
  private readonly pending = new Map<string, Pending>()
  private seq = 0
  /**
   * Invocations for the worker held until the end of this turn of the event loop, INVOKE_FIELDS values each (flat:
   * serialising and reading back a list of strings and numbers costs both threads less than one object each).
   */
  private outbox: Array<string | number> = []
  private onExit: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = []
  /** A worker's invocations as both threads see them. */
  private readonly slots: QueueSlots | undefined

  private readonly options: NodeEnvironmentOptions

  constructor(options: NodeEnvironmentOptions) {
    this.options = options
    this.streamName = options.streamName
    if (options.thread) this.slots = new QueueSlots()
  }

  get depth(): number {
    return this.slots ? QUEUE_DEPTH : 1
  }

  get alive(): boolean {
    return !this.exited && !this.killed
  }

  /** The child's pid (tests kill it); undefined for a worker thread, which has none of its own. */
  get pid(): number | undefined {
    return this.runner?.pid
  }

  /** Whether this environment runs in a worker thread. */
  get thread(): boolean {
    return this.options.thread === true
  }

  init(): Promise<InitResult> {
    const {options} = this
    // Lambda's Node runtime caps the heap below the function's memory; type stripping runs .ts handlers.
    const heapMb = Math.max(64, Math.floor(options.memorySize * 0.9))
    let events: ChildProcess | Worker
    if (options.thread) {
      const worker = new Worker(RUNTIME, {
        workerData: {file: options.file, exportName: options.exportName, slots: this.slots?.buffer},
        env: options.env,
        resourceLimits: {maxOldGenerationSizeMb: heapMb},
        stdout: true,
        stderr: true,
      })
      this.runner = {send: (message) => worker.postMessage(message), stop: () => void worker.terminate(), pid: undefined}
      events = worker
    } else {
      const execArgv = [`--max-old-space-size=${heapMb}`, '--disable-warning=ExperimentalWarning']
      if (!(process.features as {typescript?: unknown}).typescript) execArgv.push('--experimental-strip-types')
      const child = fork(RUNTIME, [options.file, options.exportName], {
        cwd: options.cwd,
        env: options.env,
        execArgv,
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      })
      this.runner = {send: (message) => child.send(message), stop: () => void child.kill('SIGKILL'), pid: child.pid}
      events = child
    }
    for (const stream of [events.stdout, events.stderr]) {
      const lines = lineSplitter((line) => options.log(line))
      stream?.on('data', (chunk: Buffer) => lines.push(chunk))
      stream?.on('end', () => lines.end())
    }
    const outLines = lineSplitter((line) => options.log(line))
    return new Promise<InitResult>((resolve) => {
      let initialising = true
      // A worker that fails outside the handler's own error handling (out of memory): reported as the exit that follows.
      let workerFailure: Error | undefined
      const onMessage = (message: ChildMessage): void => {
        switch (message.t) {
          case 'batch':
            for (const item of message.list) onMessage(item)
            break
          case 'ready':
            initialising = false
            resolve({ok: true, deps: message.deps})
            break
          case 'init-error':
            initialising = false
            options.log(`${new Date().toISOString()}\tundefined\tERROR\t${JSON.stringify(message.error)}`)
            resolve({ok: false, payload: Buffer.from(JSON.stringify(message.error))})
            break
          case 'log':
            options.log(message.text)
            break
          case 'out':
            outLines.push(message.text)
            break
          case 'start': {
            const pending = this.pending.get(message.id)
            if (pending) this.markStarted(pending)
            break
          }
          case 'done':
            this.answer(message.id, message.result, message.error, message.memory, message.ms)
            break
          case 'dones': {
            const v = message.v
            for (let i = 0; i + DONE_FIELDS <= v.length; i += DONE_FIELDS)
              this.answer(v[i] as string, v[i + 1] as string, undefined, v[i + 2] as number, v[i + 3] as number)
            break
          }
          case 'fatal':
            break
        }
      }
      events.on('message', onMessage)
      events.on('error', (error: Error) => {
        workerFailure = error
        if (initialising) {
          initialising = false
          resolve({
            ok: false,
            payload: Buffer.from(
              JSON.stringify({errorType: 'Runtime.Unknown', errorMessage: `Could not start the Node.js runtime: ${error.message}`}),
            ),
          })
        }
      })
      events.on('exit', (exitCode: number | null, exitSignal?: NodeJS.Signals | null) => {
        this.exited = true
        outLines.end()
        // A worker has no signals: terminate() is what SIGKILL is to a child, a heap over its limit what V8's abort is.
        let code = exitCode
        let signal = exitSignal ?? null
        if (options.thread && this.killed) [code, signal] = [null, 'SIGKILL']
        else if (options.thread && (workerFailure as NodeJS.ErrnoException | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY')
          [code, signal] = [null, 'SIGABRT']
        if (initialising) {
          initialising = false
          resolve({ok: false, payload: exitErrorPayload('undefined', code, signal)})
        }
        // The invocation that was running ends with the exit; those still waiting their turn never started here.
        for (const [id, pending] of [...this.pending]) {
          this.pending.delete(id)
          if (this.slots?.waiting(pending.seq)) pending.resolve({payload: Buffer.alloc(0), error: true, notRun: true})
          else pending.resolve({payload: exitErrorPayload(id, code, signal), error: true})
        }
        for (const fn of this.onExit.splice(0)) fn(code, signal)
      })
    })
  }

  invoke(invocation: Invocation, started: () => void, answered?: (outcome: Outcome) => void): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      if (this.exited || !this.runner) {
        resolve({payload: exitErrorPayload(invocation.requestId, null, 'SIGKILL'), error: true})
        return
      }
      const seq = ++this.seq
      const pending: Pending = {seq, resolve, started, answered, startedAt: undefined}
      this.pending.set(invocation.requestId, pending)
      const given = invocation.payload
      const payload = given.length === 0 ? '{}' : typeof given === 'string' ? given : given.toString('utf8')
      if (!this.slots) {
        // A child runs what it is given at once.
        this.markStarted(pending)
        this.runner.send({
          t: 'invoke',
          id: invocation.requestId,
          payload,
          arn: invocation.invokedArn,
          ...(invocation.traceId ? {trace: invocation.traceId} : {}),
          deadline: invocation.deadline,
        })
        return
      }
      this.slots.wait(seq)
      // Sent at the end of this turn of the event loop, with the others given in it: one crossing (and at most one
      // wake-up of the worker) for all. In node-runtime.ts's INVOKE_FIELDS order.
      this.outbox.push(invocation.requestId, payload, invocation.invokedArn, invocation.traceId ?? '', seq, invocation.timeoutMs)
      if (this.outbox.length === INVOKE_FIELDS) setImmediate(() => this.flush())
    })
  }

  private flush(): void {
    const batch = this.outbox
    this.outbox = []
    if (batch.length === 0 || this.exited) return
    this.runner?.send({t: 'invokes', v: batch})
  }

  /** The runtime answered invocation `id`: with `result` (JSON text), or with `error` (a function error). */
  private answer(id: string, result: string | undefined, error: unknown, memory: number | undefined, ms: number | undefined): void {
    const pending = this.pending.get(id)
    if (!pending) return
    this.pending.delete(id)
    this.markStarted(pending)
    const payload = error !== undefined ? Buffer.from(JSON.stringify(error)) : Buffer.from(result ?? 'null')
    const outcome: Outcome = {payload, error: error !== undefined}
    if (memory !== undefined) outcome.maxMemoryMb = memory
    if (ms !== undefined) outcome.durationMs = ms
    // Now, before the next message of the batch (another invocation's START) is handled.
    pending.answered?.(outcome)
    pending.resolve(outcome)
  }

  private markStarted(pending: Pending): void {
    if (pending.startedAt !== undefined) return
    pending.startedAt = this.slots?.startedAt(pending.seq) ?? Date.now()
    pending.started()
  }

  startedAt(requestId: string): number | undefined {
    const pending = this.pending.get(requestId)
    if (!pending) return undefined
    return this.slots ? this.slots.startedAt(pending.seq) : pending.startedAt
  }

  reclaim(requestId: string): boolean {
    const pending = this.pending.get(requestId)
    if (!pending || !this.slots?.takeBack(pending.seq)) return false
    this.pending.delete(requestId)
    pending.resolve({payload: Buffer.alloc(0), error: true, notRun: true})
    return true
  }

  hasAnswered(): boolean | undefined {
    const slots = this.slots
    if (!slots) return undefined
    for (const pending of this.pending.values()) if (!slots.answered(pending.seq)) return false
    return true
  }

  settled(): Promise<void> {
    return Promise.resolve()
  }

  kill(): void {
    if (this.exited) return
    // Not alive from now on: the exit event comes later, and the pool must not hand this environment out meanwhile.
    this.killed = true
    this.runner?.stop()
  }
}
