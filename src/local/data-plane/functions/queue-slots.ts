/**
 * The invocations given to a worker-thread environment, as both threads see them: memory shared between the host
 * (node-environment.ts) and the runtime's thread (node-runtime.ts), one slot per invocation saying whether it
 * waits its turn, runs or has been answered, and when it started. The runtime starts a waiting invocation, and the
 * host takes one back, each by a compare-and-swap, so exactly one of them wins. Slots are reused round the ring;
 * each holds its invocation's sequence number beside the state, so a stale slot never matches a later invocation.
 */

/** Slots in the ring: far more than an environment ever has invocations outstanding (node-environment.ts QUEUE_DEPTH). */
const SIZE = 1024
const SEQ_MASK = 0x1fffffff
const TAKEN_BACK = 0
const WAITING = 1
const RUNNING = 2
const ANSWERED = 3

export class QueueSlots {
  readonly buffer: SharedArrayBuffer
  private readonly states: Int32Array
  private readonly started: Float64Array

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(SIZE * 12)) {
    this.buffer = buffer
    this.started = new Float64Array(buffer, 0, SIZE)
    this.states = new Int32Array(buffer, SIZE * 8, SIZE)
  }

  /** The host: invocation `seq` waits its turn. */
  wait(seq: number): void {
    Atomics.store(this.states, seq % SIZE, tag(seq) | WAITING)
  }

  /** The runtime: start `seq` at `at` (ms since the epoch); false when the host took it back first. */
  start(seq: number, at: number): boolean {
    this.started[seq % SIZE] = at
    return Atomics.compareExchange(this.states, seq % SIZE, tag(seq) | WAITING, tag(seq) | RUNNING) === (tag(seq) | WAITING)
  }

  /** The runtime: `seq` is answered (the answer is on its way to the host). */
  answer(seq: number): void {
    Atomics.store(this.states, seq % SIZE, tag(seq) | ANSWERED)
  }

  /** The host: take `seq` back if it has not started; true when it never will. */
  takeBack(seq: number): boolean {
    return Atomics.compareExchange(this.states, seq % SIZE, tag(seq) | WAITING, tag(seq) | TAKEN_BACK) === (tag(seq) | WAITING)
  }

  /** When `seq` started (ms since the epoch), or undefined while it waits (or was taken back). */
  startedAt(seq: number): number | undefined {
    const state = Atomics.load(this.states, seq % SIZE)
    if (state !== (tag(seq) | RUNNING) && state !== (tag(seq) | ANSWERED)) return undefined
    return this.started[seq % SIZE]
  }

  answered(seq: number): boolean {
    return Atomics.load(this.states, seq % SIZE) === (tag(seq) | ANSWERED)
  }

  /** Whether `seq` waits in the queue still, never started. */
  waiting(seq: number): boolean {
    const state = Atomics.load(this.states, seq % SIZE)
    return state === (tag(seq) | WAITING) || state === (tag(seq) | TAKEN_BACK)
  }
}

function tag(seq: number): number {
  return (seq & SEQ_MASK) << 2
}
