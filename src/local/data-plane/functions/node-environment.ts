/**
 * A Node.js execution environment: a child process running node-runtime.ts with the handler module loaded
 * once and kept warm. Invocations and console output travel over the IPC channel; raw writes to fds 1 and 2
 * (native modules, child processes) arrive on pipes and are logged line by line.
 */
import {type ChildProcess, fork} from 'node:child_process'
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
  private child: ChildProcess | undefined
  private exited = false
  private killed = false
  private current: {id: string; resolve: (outcome: Outcome) => void} | undefined
  private onExit: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = []

  private readonly options: NodeEnvironmentOptions

  constructor(options: NodeEnvironmentOptions) {
    this.options = options
    this.streamName = options.streamName
  }

  get alive(): boolean {
    return !this.exited && !this.killed
  }

  /** The child's pid (tests kill it). */
  get pid(): number | undefined {
    return this.child?.pid
  }

  init(): Promise<InitResult> {
    const {options} = this
    // Lambda's Node runtime caps the heap below the function's memory; type stripping runs .ts handlers.
    const execArgv = [`--max-old-space-size=${Math.max(64, Math.floor(options.memorySize * 0.9))}`, '--disable-warning=ExperimentalWarning']
    if (!(process.features as {typescript?: unknown}).typescript) execArgv.push('--experimental-strip-types')
    const child = fork(RUNTIME, [options.file, options.exportName], {
      cwd: options.cwd,
      env: options.env,
      execArgv,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    })
    this.child = child
    for (const stream of [child.stdout, child.stderr]) {
      const lines = lineSplitter((line) => options.log(line))
      stream?.on('data', (chunk: Buffer) => lines.push(chunk))
      stream?.on('end', () => lines.end())
    }
    const outLines = lineSplitter((line) => options.log(line))
    return new Promise<InitResult>((resolve) => {
      let initialising = true
      child.on('message', (message: ChildMessage) => {
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
      child.on('error', (error) => {
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
      child.on('exit', (code, signal) => {
        this.exited = true
        outLines.end()
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
      if (this.exited || !this.child) {
        resolve({payload: exitErrorPayload(invocation.requestId, null, 'SIGKILL'), error: true})
        return
      }
      this.current = {id: invocation.requestId, resolve}
      started()
      this.child.send({
        t: 'invoke',
        id: invocation.requestId,
        payload: invocation.payload.length === 0 ? '{}' : invocation.payload.toString('utf8'),
        deadline: invocation.deadline,
        arn: invocation.invokedArn,
      })
    })
  }

  settled(): Promise<void> {
    return Promise.resolve()
  }

  kill(): void {
    if (this.exited) return
    // Not alive from now on: the exit event comes later, and the pool must not hand this environment out meanwhile.
    this.killed = true
    this.child?.kill('SIGKILL')
  }
}
