/**
 * An execution environment for any runtime: a `command:` (an AWS custom runtime's `bootstrap`, or anything
 * else) speaking the Lambda Runtime API, which this environment serves on its own loopback port
 * (`AWS_LAMBDA_RUNTIME_API`): `GET /2018-06-01/runtime/invocation/next`, `POST …/invocation/{id}/response`,
 * `POST …/invocation/{id}/error`, `POST /2018-06-01/runtime/init/error`.
 * https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
 * The command runs in its own process group, so a kill reaches the children it started (curl, a shell).
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {ExecutionEnvironment, InitResult, Invocation, Outcome} from './environment.ts'
import {exitErrorPayload, lineSplitter, payloadBytes} from './environment.ts'

const PREFIX = '/2018-06-01/runtime'
/** Lambda's synchronous response payload limit. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024

export type CommandEnvironmentOptions = {
  command: string | string[]
  cwd: string
  env: Record<string, string>
  streamName: string
  log: (message: string) => void
}

type Current = {invocation: Invocation; resolve: (outcome: Outcome) => void}

function settler(): {promise: Promise<void>; done: () => void} {
  let done = (): void => {}
  const promise = new Promise<void>((resolve) => {
    done = resolve
  })
  return {promise, done}
}

export class CommandEnvironment implements ExecutionEnvironment {
  readonly streamName: string
  private server: Server | undefined
  private child: ChildProcess | undefined
  private exited = false
  /** A runtime waiting in GET /next. */
  private waiting: ServerResponse | undefined
  /** An invocation not yet handed to the runtime. */
  private queued: {current: Current; started: () => void} | undefined
  /** The invocation the runtime is working on. */
  private current: Current | undefined
  private initDone: ((result: InitResult) => void) | undefined
  /** Settles the last answered invocation's output: called when the runtime asks for the next event, or exits. */
  private settle: (() => void) | undefined
  private settledPromise: Promise<void> = Promise.resolve()
  private killed = false

  private readonly options: CommandEnvironmentOptions

  constructor(options: CommandEnvironmentOptions) {
    this.options = options
    this.streamName = options.streamName
  }

  get alive(): boolean {
    return !this.exited && !this.killed
  }

  get pid(): number | undefined {
    return this.child?.pid
  }

  async init(): Promise<InitResult> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: Error) => answer(res, 500, {errorMessage: error.message, errorType: 'ServiceException'}))
    })
    server.keepAliveTimeout = 0
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve())
    })
    const port = (server.address() as AddressInfo).port
    const env = {...this.options.env, AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`}
    const [file, args, shell] = Array.isArray(this.options.command)
      ? [this.options.command[0] ?? '', this.options.command.slice(1), false]
      : ['/bin/sh', ['-c', this.options.command], true]
    return new Promise<InitResult>((resolve) => {
      this.initDone = resolve
      let child: ChildProcess
      try {
        child = spawn(file, args, {cwd: this.options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe']})
      } catch (error) {
        this.finishInit({
          ok: false,
          payload: runtimeError(
            'Runtime.InvalidEntrypoint',
            `Could not start ${shell ? this.options.command : file}: ${(error as Error).message}`,
          ),
        })
        this.closeServer()
        return
      }
      this.child = child
      for (const stream of [child.stdout, child.stderr]) {
        const lines = lineSplitter((line) => this.options.log(line))
        stream?.on('data', (chunk: Buffer) => lines.push(chunk))
        stream?.on('end', () => lines.end())
      }
      child.on('error', (error) => {
        this.exited = true
        this.finishInit({ok: false, payload: runtimeError('Runtime.InvalidEntrypoint', `Could not start ${file}: ${error.message}`)})
        this.closeServer()
      })
      child.on('exit', (code, signal) => {
        this.exited = true
        this.finishInit({ok: false, payload: exitErrorPayload('undefined', code, signal)})
        const current = this.current ?? this.queued?.current
        this.current = undefined
        this.queued = undefined
        this.answered()
        current?.resolve({payload: exitErrorPayload(current.invocation.requestId, code, signal), error: true})
        this.settle?.()
        this.settle = undefined
        this.closeServer()
      })
    })
  }

  invoke(invocation: Invocation, started: () => void): Promise<Outcome> {
    return new Promise<Outcome>((resolve) => {
      if (this.exited) {
        resolve({payload: exitErrorPayload(invocation.requestId, null, 'SIGKILL'), error: true})
        return
      }
      const current = {invocation, resolve}
      const waiting = this.waiting
      if (waiting) {
        this.waiting = undefined
        this.deliver(waiting, current, started)
      } else {
        this.queued = {current, started}
      }
    })
  }

  settled(): Promise<void> {
    return this.settledPromise
  }

  kill(): void {
    const pid = this.child?.pid
    if (pid !== undefined && !this.exited) {
      this.killed = true
      try {
        process.kill(-pid, 'SIGKILL')
      } catch {
        this.child?.kill('SIGKILL')
      }
    }
    this.closeServer()
  }

  /** The current invocation has its answer: settled() now waits for the runtime's next GET /next (or its exit). */
  private answered(): void {
    const {promise, done} = settler()
    this.settle?.()
    this.settle = done
    this.settledPromise = promise
  }

  private finishInit(result: InitResult): void {
    const done = this.initDone
    this.initDone = undefined
    done?.(result)
  }

  private closeServer(): void {
    this.waiting = undefined
    this.server?.close()
    this.server?.closeAllConnections()
  }

  private deliver(res: ServerResponse, current: Current, started: () => void): void {
    this.current = current
    started()
    const {invocation} = current
    const body = payloadBytes(invocation.payload)
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      'lambda-runtime-aws-request-id': invocation.requestId,
      'lambda-runtime-deadline-ms': String(invocation.deadline),
      'lambda-runtime-invoked-function-arn': invocation.invokedArn,
      'lambda-runtime-trace-id':
        invocation.traceId ??
        `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-` + `${invocation.requestId.replace(/-/g, '').slice(0, 24)};Sampled=0`,
    })
    res.end(body)
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    const method = req.method ?? 'GET'
    if (method === 'GET' && path === `${PREFIX}/invocation/next`) {
      // The runtime finished with the previous event (its output is out) and is ready: init is over.
      this.settle?.()
      this.settle = undefined
      this.finishInit({ok: true, deps: []})
      // On the next turn, so the END line of the previous event is written before the START of the next.
      setImmediate(() => {
        const queued = this.queued
        if (queued) {
          this.queued = undefined
          this.deliver(res, queued.current, queued.started)
        } else {
          this.waiting = res
          res.on('close', () => {
            if (this.waiting === res) this.waiting = undefined
          })
        }
      })
      return
    }
    const body = await readBody(req, MAX_RESPONSE_BYTES)
    if (method === 'POST' && path === `${PREFIX}/init/error`) {
      answer(res, 202, {status: 'OK'})
      this.finishInit({ok: false, payload: errorBody(body.bytes, req)})
      this.kill()
      return
    }
    const m = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(path)
    if (method !== 'POST' || !m) {
      answer(res, 404, {errorMessage: `No Runtime API operation matches ${method} ${path}`, errorType: 'InvalidRequest'})
      return
    }
    const current = this.current
    if (!current || current.invocation.requestId !== decodeURIComponent(m[1]!)) {
      answer(res, 400, {errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID'})
      return
    }
    this.current = undefined
    this.answered()
    if (m[2] === 'error') {
      answer(res, 202, {status: 'OK'})
      current.resolve({payload: errorBody(body.bytes, req), error: true})
      return
    }
    if (body.tooLarge) {
      answer(res, 413, {
        errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        errorType: 'RequestEntityTooLarge',
      })
      current.resolve({
        payload: runtimeError(
          'Function.ResponseSizeTooLarge',
          `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
        ),
        error: true,
      })
      return
    }
    answer(res, 202, {status: 'OK'})
    current.resolve({payload: body.bytes, error: false})
  }
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text)})
  res.end(text)
}

function runtimeError(errorType: string, errorMessage: string): Buffer {
  return Buffer.from(JSON.stringify({errorType, errorMessage}))
}

/** The error a runtime posts: its JSON body as is, or one built from Lambda-Runtime-Function-Error-Type. */
function errorBody(bytes: Buffer, req: IncomingMessage): Buffer {
  const text = bytes.toString('utf8').trim()
  if (text !== '') {
    try {
      JSON.parse(text)
      return Buffer.from(text)
    } catch {
      // not JSON: wrapped below
    }
  }
  const type = req.headers['lambda-runtime-function-error-type']
  return runtimeError(typeof type === 'string' ? type : 'Runtime.Unknown', text || 'The runtime reported an error without a body.')
}

function readBody(req: IncomingMessage, max: number): Promise<{bytes: Buffer; tooLarge: boolean}> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let tooLarge = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > max) tooLarge = true
      else chunks.push(chunk)
    })
    req.on('end', () => resolve({bytes: Buffer.concat(chunks), tooLarge}))
    req.on('error', reject)
  })
}
