/**
 * The Node.js runtime of one execution environment, run by node-environment.ts as a worker thread (messages over
 * its port) or as a child process (the IPC channel): it loads the handler module once (Lambda's init phase),
 * then answers invocations, one at a time, with Lambda's event and context, in async and callback styles. Console
 * output is written in the format of Lambda's Node runtime and sent over the same channel, so it stays in order
 * with the result. A resolve/load hook records every project file the handler imports, so the host can watch them.
 * In a worker thread the host may give invocations while one runs: they wait in order and each starts only if
 * the host has not taken it back (queue-slots.ts); the answers of one turn of the event loop go back together.
 */
import * as nodeModule from 'node:module'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {format} from 'node:util'
import {getHeapStatistics} from 'node:v8'
import {isMainThread, parentPort, workerData} from 'node:worker_threads'
import {INVOKE_FIELDS} from './node-runtime-wire.ts'
import {QueueSlots} from './queue-slots.ts'

type LambdaErrorPayload = {errorType: string; errorMessage: string; trace: string[]}
/** `seq` and `timeoutMs` in a worker thread (the deadline counts from the start); `deadline` in a child. */
type InvokeMessage = {
  t: 'invoke'
  id: string
  payload: string
  deadline: number
  timeoutMs?: number
  seq?: number
  arn: string
  trace?: string
}
type Handler = (event: unknown, context: Record<string, unknown>, callback: (error?: unknown, result?: unknown) => void) => unknown

const port = isMainThread ? null : parentPort
const [file = '', exportName = 'handler'] = port
  ? [(workerData as {file: string}).file, (workerData as {exportName: string}).exportName]
  : process.argv.slice(2)
/** Shared with the host (a worker thread only): the state of every invocation given. */
const slotBuffer = port ? (workerData as {slots?: SharedArrayBuffer}).slots : undefined
const slots = slotBuffer ? new QueueSlots(slotBuffer) : undefined
const deps = new Set<string>([file])
const registerHooks = (nodeModule as {registerHooks?: (hooks: Record<string, unknown>) => void}).registerHooks
if (typeof registerHooks === 'function') {
  registerHooks({
    // Lambda's Node.js runtime ships the AWS SDK v3: a handler's `@aws-sdk/…` import its project does not provide
    // resolves to apigw's own copy (the @connections client, for one).
    resolve(specifier: string, context: unknown, next: (specifier: string, context: unknown) => unknown) {
      try {
        return next(specifier, context)
      } catch (error) {
        if (!specifier.startsWith('@aws-sdk/') || (error as {code?: string}).code !== 'ERR_MODULE_NOT_FOUND') throw error
        return next(specifier, {...(context as object), parentURL: import.meta.url})
      }
    },
    load(url: string, context: unknown, next: (url: string, context: unknown) => unknown) {
      if (url.startsWith('file:') && !url.includes('/node_modules/')) deps.add(fileURLToPath(url))
      return next(url, context)
    },
  })
}

let requestId: string | undefined
/** Messages for the host held until the end of this turn of the event loop (a worker thread only), in order. */
let outbox: Record<string, unknown>[] = []
const flush = (): void => {
  if (outbox.length === 0) return
  const batch = packAnswers(outbox)
  outbox = []
  port!.postMessage(batch.length === 1 ? batch[0] : {t: 'batch', list: batch})
}
/** Consecutive answers with a result as one flat list (node-runtime-wire.ts DONE_FIELDS); the rest as they are, in order. */
function packAnswers(messages: Record<string, unknown>[]): Record<string, unknown>[] {
  const list: Record<string, unknown>[] = []
  let run: Array<string | number> | undefined
  for (const m of messages) {
    if (m.t === 'done' && typeof m.result === 'string' && m.error === undefined && m.fatal === undefined) {
      if (!run) {
        run = []
        list.push({t: 'dones', v: run})
      }
      run.push(m.id as string, m.result, m.memory as number, m.ms as number)
    } else {
      run = undefined
      list.push(m)
    }
  }
  return list
}
/** Send a message now, after any held ones. */
const send = (message: Record<string, unknown>, then?: () => void): void => {
  if (port) {
    outbox.push(message)
    flush()
    // Delivered even when `then` ends the thread at once.
    then?.()
  } else if (process.connected) process.send?.(message, undefined, {}, then)
  else then?.()
}
/**
 * Send a message at the end of this turn of the event loop, with the others of the turn: the answers of invocations
 * run back to back cross to the host together. Console output goes at once (send), so it is never held by a
 * handler that then blocks the thread.
 */
const hold = (message: Record<string, unknown>): void => {
  if (!port) {
    send(message)
    return
  }
  outbox.push(message)
  if (outbox.length === 1) setImmediate(flush)
}
const emit = (level: string, args: unknown[]): void => {
  send({t: 'log', text: `${new Date().toISOString()}\t${requestId}\t${level}\t${format(...args)}`})
}
console.log = (...args: unknown[]) => emit('INFO', args)
console.info = (...args: unknown[]) => emit('INFO', args)
console.warn = (...args: unknown[]) => emit('WARN', args)
console.error = (...args: unknown[]) => emit('ERROR', args)
console.debug = (...args: unknown[]) => emit('DEBUG', args)
console.trace = (...args: unknown[]) => emit('TRACE', [format(...args), (new Error().stack ?? '').split('\n').slice(2).join('\n')])
for (const stream of [process.stdout, process.stderr]) {
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    send({t: 'out', text: typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')})
    const done = typeof encoding === 'function' ? encoding : callback
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)())
    return true
  }) as typeof stream.write
}

/** The payload Lambda's Node runtime answers for an error: errorType, errorMessage, trace. */
function toErrorPayload(error: unknown): LambdaErrorPayload {
  if (error instanceof Error) {
    return {
      errorType: error.name || error.constructor?.name || 'Error',
      errorMessage: error.message,
      trace: (error.stack ?? '').split('\n'),
    }
  }
  return {errorType: typeof error, errorMessage: typeof error === 'string' ? error : format(error), trace: []}
}

let heapMb = 0
let heapSampledAt = 0

/**
 * The process's peak RSS; in a worker thread (which shares the process), the size of its own V8 heap, the largest
 * seen, sampled at most every 50 ms (reading the heap's statistics cost more than a fast handler's invocation).
 */
function maxMemoryMb(): number {
  if (!port) return Math.round(process.resourceUsage().maxRSS / 1024)
  const now = performance.now()
  if (heapMb === 0 || now - heapSampledAt >= 50) {
    heapMb = Math.max(heapMb, Math.round(getHeapStatistics().total_heap_size / 1048576))
    heapSampledAt = now
  }
  return heapMb
}

/** The context's fixed fields, read once before the handler loads, as Lambda's runtime does. */
const LAMBDA_ENV = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
}

let handler: Handler | undefined
try {
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>
  const fromDefault = mod.default && typeof mod.default === 'object' ? (mod.default as Record<string, unknown>)[exportName] : undefined
  const found = mod[exportName] ?? fromDefault
  if (typeof found !== 'function') {
    const base = file.replace(/^.*[\\/]/, '').replace(/\.[cm]?[jt]s$/, '')
    send(
      {
        t: 'init-error',
        error: {errorType: 'Runtime.HandlerNotFound', errorMessage: `${base}.${exportName} is undefined or not exported`, trace: []},
      },
      () => process.exit(1),
    )
  } else {
    handler = found as Handler
    send({t: 'ready', deps: [...deps]})
  }
} catch (error) {
  const code = (error as {code?: string}).code
  const payload = toErrorPayload(error)
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    payload.errorType = 'Runtime.ImportModuleError'
    payload.errorMessage = `Error: ${payload.errorMessage}`
  } else if (error instanceof SyntaxError) {
    payload.errorType = 'Runtime.UserCodeSyntaxError'
    payload.errorMessage = `SyntaxError: ${payload.errorMessage}`
  }
  send({t: 'init-error', error: payload}, () => process.exit(1))
}

async function run(message: InvokeMessage, startedAt: number): Promise<void> {
  const begin = performance.now()
  const deadline = message.timeoutMs === undefined ? message.deadline : startedAt + message.timeoutMs
  requestId = message.id
  // Lambda's Node runtime sets the invocation's trace header here (the X-Ray SDK reads it).
  if (message.trace) process.env._X_AMZN_TRACE_ID = message.trace
  else delete process.env._X_AMZN_TRACE_ID
  const context: Record<string, unknown> = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: LAMBDA_ENV.functionName,
    functionVersion: LAMBDA_ENV.functionVersion,
    invokedFunctionArn: message.arn,
    memoryLimitInMB: LAMBDA_ENV.memoryLimitInMB,
    awsRequestId: message.id,
    logGroupName: LAMBDA_ENV.logGroupName,
    logStreamName: LAMBDA_ENV.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  }
  let viaCallback = false
  const outcome = await new Promise<{error: unknown; value?: unknown; failed: boolean}>((resolve) => {
    let settled = false
    const settle = (failed: boolean, error: unknown, value?: unknown): void => {
      if (settled) return
      settled = true
      resolve({failed, error, value})
    }
    const callback = (error?: unknown, value?: unknown): void => {
      viaCallback = true
      if (error !== undefined && error !== null) settle(true, error)
      else settle(false, undefined, value)
    }
    context.done = callback
    context.succeed = (value: unknown) => callback(null, value)
    context.fail = (error: unknown) => callback(error ?? 'handled')
    try {
      const event = JSON.parse(message.payload || '{}') as unknown
      const returned = handler!(event, context, callback)
      if (returned && typeof (returned as Promise<unknown>).then === 'function') {
        ;(returned as Promise<unknown>).then(
          (value) => settle(false, undefined, value),
          (error: unknown) => settle(true, error),
        )
      } else if (handler!.length < 3) {
        settle(false, undefined, returned)
      }
    } catch (error) {
      settle(true, error)
    }
  })
  if (viaCallback && context.callbackWaitsForEmptyEventLoop) await emptyEventLoop()
  const done = (fields: {result?: string; error?: LambdaErrorPayload}): void => {
    if (slots && message.seq !== undefined) slots.answer(message.seq)
    const answer = {t: 'done', id: message.id, ...fields, memory: maxMemoryMb(), ms: performance.now() - begin}
    // Its START, still held, goes as the answer itself: the host starts an invocation it sees answered, then ends it.
    const last = outbox[outbox.length - 1]
    if (port && last?.t === 'start' && last.id === message.id) outbox[outbox.length - 1] = answer
    else hold(answer)
  }
  if (outcome.failed) {
    const payload = toErrorPayload(outcome.error)
    emit('ERROR', [
      `Invoke Error \t${JSON.stringify({errorType: payload.errorType, errorMessage: payload.errorMessage, stack: payload.trace})}`,
    ])
    done({error: payload})
  } else {
    let result: string | undefined
    try {
      result = JSON.stringify(outcome.value === undefined ? null : outcome.value) ?? 'null'
    } catch (error) {
      done({error: toErrorPayload(error)})
    }
    if (result !== undefined) done({result})
  }
  requestId = undefined
}

/** Resources alive when the runtime waits for events (the IPC channel, stdio pipes): the loop counts as empty with these. */
let baseline = new Map<string, number>()

function countResources(): Map<string, number> {
  const counts = new Map<string, number>()
  for (const type of process.getActiveResourcesInfo()) {
    // Our own IPC writes in flight and immediates are not the handler's work.
    if (type !== 'Immediate' && type !== 'SimpleWriteWrap') counts.set(type, (counts.get(type) ?? 0) + 1)
  }
  return counts
}

/** callbackWaitsForEmptyEventLoop: resolve once nothing but the baseline keeps the loop alive. */
function emptyEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      const now = countResources()
      // Polled from a timer, which counts itself while its callback runs.
      const busy = [...now].some(([type, n]) => n - (type === 'Timeout' ? 1 : 0) > (baseline.get(type) ?? 0))
      if (busy) setTimeout(check, 2)
      else resolve()
    }
    setTimeout(check, 0)
  })
}

/**
 * An error escaping the handler (a throw in a timer, a rejected promise nobody awaits) fails the invocation and
 * ends the environment, as on Lambda.
 */
function fatal(payload: LambdaErrorPayload): void {
  emit('ERROR', [`${payload.errorType}: ${payload.errorMessage}`])
  if (requestId) send({t: 'done', id: requestId, error: payload, memory: maxMemoryMb(), fatal: true}, () => process.exit(128))
  else send({t: 'fatal', error: payload}, () => process.exit(128))
}
process.on('uncaughtException', (error) => fatal(toErrorPayload(error)))
process.on('unhandledRejection', (reason) => {
  const inner = toErrorPayload(reason)
  fatal({errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: `${inner.errorType}: ${inner.errorMessage}`, trace: inner.trace})
})
/** Invocations given and not yet run, in order; one runs at a time. */
const queue: InvokeMessage[] = []
let pumping = false

async function pump(): Promise<void> {
  pumping = true
  for (let message = queue.shift(); message; message = queue.shift()) {
    const startedAt = Date.now()
    // Taken back by the host while it waited (it runs elsewhere).
    if (slots && message.seq !== undefined && !slots.start(message.seq, startedAt)) continue
    // A child's host counts it started when it sent it.
    if (port) hold({t: 'start', id: message.id})
    await run(message, startedAt)
  }
  pumping = false
}

const onMessage = (message: InvokeMessage | {t: 'invokes'; v: Array<string | number>}): void => {
  if (!handler) return
  if (message?.t === 'invokes') {
    const v = message.v
    for (let i = 0; i + INVOKE_FIELDS <= v.length; i += INVOKE_FIELDS) {
      const trace = v[i + 3] as string
      queue.push({
        t: 'invoke',
        id: v[i] as string,
        payload: v[i + 1] as string,
        arn: v[i + 2] as string,
        ...(trace ? {trace} : {}),
        seq: v[i + 4] as number,
        timeoutMs: v[i + 5] as number,
        deadline: 0,
      })
    }
  } else if (message?.t === 'invoke') queue.push(message)
  if (!pumping && queue.length > 0) void pump()
}
if (port) port.on('message', onMessage)
else {
  process.on('disconnect', () => process.exit(0))
  process.on('message', onMessage)
}
baseline = countResources()
