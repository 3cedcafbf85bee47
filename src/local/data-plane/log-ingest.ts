/**
 * Log events the emulator writes itself (function output: START, END, REPORT and the handler's lines; access and
 * execution logs) go into its CloudWatch Logs store through the Logs operations (CreateLogGroup and CreateLogStream
 * when missing, PutLogEvents), so they obey the rules of events any client puts. Every invocation adds three rows or
 * more, and inserting and committing them cost the main thread 12-23 us per invocation under warm Lambda load: with the
 * state on disk they are written by a thread of their own, on its own connection to the same database (as a CLI
 * process sharing the state directory writes), in the order they were handed over, each batch in one transaction.
 * An in-memory store (one connection only) is written on the calling thread, as before.
 */
import {randomUUID} from 'node:crypto'
import {dirname} from 'node:path'
import {Worker} from 'node:worker_threads'
import {putLogEvents} from '../control-plane/logs/events.ts'
import {createLogGroup, createLogStream} from '../control-plane/logs/groups.ts'
import {streamId} from '../control-plane/logs/shared.ts'
import {KIND} from '../control-plane/model.ts'
import type {Store} from '../store/store.ts'
import type {OperationContext} from '../types.ts'

/** One stream's events, in the order they were written: `timestamps[i]` goes with `messages[i]`. */
export type LogBatch = {group: string; stream: string; timestamps: number[]; messages: string[]}

/** Where the events are ingested (the emulator's default region and account). */
export type Scope = {region: string; accountId: string}

/** A flush: batches of several streams, ingested at `nowMs` (the emulator's clock when it was handed over). */
export type IngestRequest = {batches: LogBatch[]; nowMs: number}

export type LogIngest = {
  /** Write the batches in one transaction, after every write handed over before; resolves once committed. */
  write(request: IngestRequest): Promise<void>
  /** Wait for the writes handed over, then stop the writer thread (writes after this run on the calling thread). */
  close(): Promise<void>
}

const MAX_BATCH_EVENTS = 10_000
const MAX_BATCH_BYTES = 1_000_000

const THREAD = new URL(import.meta.url.endsWith('.ts') ? './log-ingest-thread.ts' : './log-ingest-thread.js', import.meta.url)

/** What the writer thread is told, and answers. */
export type ThreadRequest = {id: number; request: IngestRequest} | {id: number; close: true}
export type ThreadAnswer = {id: number; error?: string}

/** The batches into the store, inside the caller's transaction. */
export function writeLogBatches(store: Store, request: IngestRequest, scope: Scope): void {
  const now = new Date(request.nowMs)
  const ctx: OperationContext = {store, now: () => now, newId: () => randomUUID(), requestId: 'apigw-logs', ...scope}
  for (const batch of request.batches) writeBatch(ctx, batch)
}

function writeBatch(ctx: OperationContext, batch: LogBatch): void {
  const {group, stream, timestamps, messages} = batch
  if (!ctx.store.get(KIND.logGroup, group)) createLogGroup({logGroupName: group}, ctx)
  if (!ctx.store.get(KIND.logStream, streamId(group, stream))) createLogStream({logGroupName: group, logStreamName: stream}, ctx)
  // PutLogEvents wants chronological batches; the sort is stable, so lines of one millisecond keep their order.
  const order = timestamps.map((_, i) => i)
  let sorted = true
  for (let i = 1; i < timestamps.length && sorted; i++) sorted = timestamps[i - 1]! <= timestamps[i]!
  if (!sorted) order.sort((a, b) => timestamps[a]! - timestamps[b]!)
  let chunk: Array<{timestamp: number; message: string}> = []
  let bytes = 0
  for (const i of order) {
    const message = messages[i]!
    const size = Buffer.byteLength(message) + 26
    if (chunk.length > 0 && (chunk.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES)) {
      putLogEvents({logGroupName: group, logStreamName: stream, logEvents: chunk}, ctx)
      chunk = []
      bytes = 0
    }
    chunk.push({timestamp: timestamps[i]!, message})
    bytes += size
  }
  if (chunk.length > 0) putLogEvents({logGroupName: group, logStreamName: stream, logEvents: chunk}, ctx)
}

const shared = new WeakMap<Store, Map<string, {ingest: LogIngest; users: number}>>()

/**
 * The log writer of a store, shared by everything that writes log lines into it (function output, access logs), so
 * their batches go in one after the other on one connection instead of waiting for each other's locks; each `close`
 * of a handle counts, and the last one stops the thread.
 */
export function logIngestOf(store: Store, scope: Scope): LogIngest {
  let byScope = shared.get(store)
  if (!byScope) {
    byScope = new Map()
    shared.set(store, byScope)
  }
  const key = `${scope.region}\n${scope.accountId}`
  let entry = byScope.get(key)
  if (!entry) {
    entry = {ingest: createLogIngest(store, scope), users: 0}
    byScope.set(key, entry)
  }
  entry.users++
  const used = entry
  let closed = false
  return {
    write: (request) => used.ingest.write(request),
    close() {
      if (closed) return Promise.resolve()
      closed = true
      if (--used.users > 0) return Promise.resolve()
      byScope.delete(key)
      return used.ingest.close()
    },
  }
}

/**
 * The writer of one store's log batches: a thread for a store on disk (started on the first write), the calling
 * thread for an in-memory one or when the thread cannot run (it failed to start or to open the state).
 */
export function createLogIngest(store: Store, scope: Scope): LogIngest {
  let worker: Worker | undefined
  let broken = store.path === ':memory:'
  let closed = false
  let nextId = 0
  const waiting = new Map<number, {resolve: () => void; reject: (error: Error) => void}>()
  // Writes on this thread (no writer thread) queue behind the last one handed to the thread, keeping their order.
  let last: Promise<void> = Promise.resolve()

  const inThread = (request: IngestRequest): Promise<void> => store.transaction(() => writeLogBatches(store, request, scope))

  const fail = (error: Error): void => {
    broken = true
    worker = undefined
    for (const w of waiting.values()) w.reject(error)
    waiting.clear()
  }

  const thread = (): Worker => {
    if (worker) return worker
    const w = new Worker(THREAD, {workerData: {dataDir: dirname(store.path), ...scope}})
    w.on('message', (answer: ThreadAnswer) => {
      const entry = waiting.get(answer.id)
      waiting.delete(answer.id)
      if (waiting.size === 0) w.unref()
      if (!entry) return
      if (answer.error === undefined) entry.resolve()
      else entry.reject(new Error(answer.error))
    })
    w.on('error', (error) => {
      if (worker === w) fail(error)
    })
    w.on('exit', (code) => {
      if (worker === w) fail(new Error(`The log writer thread exited (code ${code}).`))
    })
    worker = w
    return w
  }

  const send = (message: ThreadRequest): Promise<void> => {
    const w = thread()
    const done = new Promise<void>((resolve, reject) => waiting.set(message.id, {resolve, reject}))
    w.ref()
    w.postMessage(message)
    return done
  }

  return {
    write(request) {
      if (broken || closed) {
        last = last.catch(() => undefined).then(() => inThread(request))
        return last
      }
      // A thread that dies before answering leaves these batches unwritten: they are written here instead.
      last = send({id: nextId++, request}).catch((error: unknown) => {
        if (!broken) throw error
        return inThread(request)
      })
      return last
    },
    async close() {
      closed = true
      await last.catch(() => undefined)
      const w = worker
      if (!w) return
      await send({id: nextId++, close: true}).catch(() => undefined)
      worker = undefined
      await w.terminate()
    },
  }
}
