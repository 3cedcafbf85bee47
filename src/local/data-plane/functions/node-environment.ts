/**
 * A Node.js execution environment: node-runtime.ts with the handler module loaded once and kept warm, in a
 * worker thread of the emulator (`thread`: no process boundary, so a warm invocation costs two messages between
 * threads) or in a child process. Invocations and console output travel over the worker's port or the IPC
 * channel; a child's raw writes to fds 1 and 2 (native modules, child processes) arrive on pipes and are logged
 * line by line. A worker is stopped with `terminate()` (which ends a runaway loop too), a child with SIGKILL.
 */
import {type ChildProcess, fork} from 'node:child_process'
import {Worker} from 'node:worker_threads'
import type {ExecutionEnvironment, InitResult, Invocation, Outcome} from './environment.ts'
import {exitErrorPayload, lineSplitter} from './environment.ts'

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
  | {t: 'done'; id: string; result?: string; error?: unknown; memory?: number; fatal?: boolean}
  | {t: 'fatal'; error: unknown}

export class NodeEnvironment implements ExecutionEnvironment {
  readonly streamName: string
  private runner: Runner | undefined
  private exited = false
  private killed = false
  private current: {id: string; resolve: (outcome: Outcome) => void} | undefined
  private onExit: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = []
  /** A worker's invocation state, shared with its thread: 1 from sending an invocation until the runtime answers it. */
  private readonly working: Int32Array | undefined

  private readonly options: NodeEnvironmentOptions

  constructor(options: NodeEnvironmentOptions) {
    this.options = options
    this.streamName = options.streamName
    if (options.thread) this.working = new Int32Array(new SharedArrayBuffer(4))
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
        workerData: {file: options.file, exportName: options.exportName, working: this.working},
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
      events.on('message', (message: ChildMessage) => {
        switch (message.t) {
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
          case 'done': {
            const current = this.current
            if (current?.id !== message.id) break
            this.current = undefined
            const memory = message.memory === undefined ? {} : {maxMemoryMb: message.memory}
            if (message.error !== undefined) current.resolve({payload: Buffer.from(JSON.stringify(message.error)), error: true, ...memory})
            else current.resolve({payload: Buffer.from(message.result ?? 'null'), error: false, ...memory})
            break
          }
          case 'fatal':
            break
        }
      })
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
        const current = this.current
        this.current = undefined
        current?.resolve({payload: exitErrorPayload(current.id, code, signal), error: true})
        for (const fn of this.onExit.splice(0)) fn(code, signal)
      })
    })
  }

  invoke(invocation: Invocation, started: () => void): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      if (this.exited || !this.runner) {
        resolve({payload: exitErrorPayload(invocation.requestId, null, 'SIGKILL'), error: true})
        return
      }
      this.current = {id: invocation.requestId, resolve}
      if (this.working) Atomics.store(this.working, 0, 1)
      started()
      this.runner.send({
        t: 'invoke',
        id: invocation.requestId,
        payload: invocation.payload.length === 0 ? '{}' : invocation.payload.toString('utf8'),
        deadline: invocation.deadline,
        arn: invocation.invokedArn,
        ...(invocation.traceId ? {trace: invocation.traceId} : {}),
      })
    })
  }

  hasAnswered(): boolean | undefined {
    return this.working ? Atomics.load(this.working, 0) === 0 : undefined
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
