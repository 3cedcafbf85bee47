/**
 * The function pool's scale-out (functions/pool.ts): a fast handler under a burst keeps the few environments it
 * needs, while invocations that stay busy still get one environment each, as on Lambda; a fast function's
 * invocations queue in a busy environment that takes them, one that waits there too long is taken back and runs
 * elsewhere, and a queued invocation's timeout counts from its start. The environments are in-memory stand-ins
 * whose invocations answer when the test says so.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {ExecutionEnvironment, Invocation, Outcome} from '../../../../../src/local/data-plane/functions/environment.ts'
import {FunctionPool} from '../../../../../src/local/data-plane/functions/pool.ts'

/** An environment that answers each invocation when `answer` runs (at once when `instant`). */
class FakeEnvironment implements ExecutionEnvironment {
  static count = 0
  readonly streamName = `stream-${FakeEnvironment.count++}`
  alive = true
  pid = undefined
  pending: Array<() => void> = []
  private readonly instant: boolean
  constructor(instant: boolean) {
    this.instant = instant
  }
  async init() {
    return {ok: true as const, deps: []}
  }
  invoke(invocation: Invocation, started: () => void): Promise<Outcome> {
    started()
    return new Promise((resolve) => {
      const answer = () => resolve({payload: Buffer.from(JSON.stringify({env: this.streamName, id: invocation.requestId})), error: false})
      if (this.instant) queueMicrotask(answer)
      else this.pending.push(answer)
    })
  }
  async settled() {}
  kill() {
    this.alive = false
  }
}

/**
 * An environment that takes up to `depth` invocations and runs them one at a time in order, as a worker thread
 * does: the one at the head has started; `answerHead` answers it and starts the next.
 */
class QueueingEnvironment implements ExecutionEnvironment {
  static count = 0
  readonly streamName = `queue-${QueueingEnvironment.count++}`
  readonly depth: number
  /** How long each invocation says it ran (ms): the pool's measure of the function's speed. */
  readonly durationMs: number
  constructor(depth = 4, durationMs = 0.01) {
    this.depth = depth
    this.durationMs = durationMs
  }
  alive = true
  pid = undefined
  readonly queue: Array<{id: string; started?: number; resolve: (o: Outcome) => void; begun: () => void}> = []
  async init() {
    return {ok: true as const, deps: []}
  }
  invoke(invocation: Invocation, started: () => void): Promise<Outcome> {
    return new Promise((resolve) => {
      this.queue.push({id: invocation.requestId, resolve, begun: started})
      this.startHead()
    })
  }
  private startHead(): void {
    const head = this.queue[0]
    if (head && head.started === undefined) {
      head.started = Date.now()
      head.begun()
    }
  }
  answerHead(): void {
    const head = this.queue.shift()!
    head.resolve({payload: Buffer.from(JSON.stringify({env: this.streamName, id: head.id})), error: false, durationMs: this.durationMs})
    this.startHead()
  }
  ids(): string[] {
    return this.queue.map((q) => q.id)
  }
  startedAt(id: string): number | undefined {
    return this.queue.find((q) => q.id === id)?.started
  }
  reclaim(id: string): boolean {
    const at = this.queue.findIndex((q) => q.id === id)
    if (at < 0 || this.queue[at]!.started !== undefined) return false
    const [taken] = this.queue.splice(at, 1)
    taken!.resolve({payload: Buffer.alloc(0), error: true, notRun: true})
    return true
  }
  async settled() {}
  kill() {
    this.alive = false
    for (const q of this.queue.splice(0)) q.resolve({payload: Buffer.from('{"errorType":"killed"}'), error: true})
  }
}

function queueingPool(
  made: QueueingEnvironment[],
  options: {scaleOutWaitMs?: number; timeoutSeconds?: number; depth?: number; durationMs?: number} = {},
): FunctionPool {
  return new FunctionPool({
    functionName: 'q',
    timeoutSeconds: options.timeoutSeconds ?? 30,
    memorySize: 128,
    maxEnvironments: 10,
    watchFiles: [],
    logs: undefined,
    now: () => new Date(),
    ...(options.scaleOutWaitMs === undefined ? {} : {scaleOutWaitMs: options.scaleOutWaitMs}),
    create: () => {
      const env = new QueueingEnvironment(options.depth, options.durationMs)
      made.push(env)
      return env
    },
  })
}

/** Poll until `ready` holds (a condition, not a sleep), failing after 10 s. */
async function until(what: string, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!ready()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Let promises and immediates run (the timers may be mocked) until `ready` holds; at most 1000 turns. */
async function turnsUntil(what: string, ready: () => boolean): Promise<void> {
  for (let turn = 0; turn < 1000; turn++) {
    await new Promise((r) => setImmediate(r))
    if (ready() && turn >= 10) return
  }
  assert.fail(`not reached in 1000 turns: ${what}`)
}

/** A fast function's pool: its first invocation answered, in a hundredth of a millisecond. */
async function warmed(p: FunctionPool, made: QueueingEnvironment[]): Promise<void> {
  const warm = invoke(p, 'warm')
  await until('the first environment', () => made[0]?.ids().length === 1)
  made[0]!.answerHead()
  await warm
}

function pool(instant: boolean, made: FakeEnvironment[]): FunctionPool {
  return new FunctionPool({
    functionName: 'f',
    timeoutSeconds: 30,
    memorySize: 128,
    maxEnvironments: 10,
    watchFiles: [],
    logs: undefined,
    now: () => new Date(),
    create: () => {
      const env = new FakeEnvironment(instant)
      made.push(env)
      return env
    },
  })
}

const invoke = (p: FunctionPool, id: string) => p.invoke({requestId: id, payload: Buffer.from('{}'), invokedArn: 'arn'})

describe('function pool scale-out', () => {
  it('serves a burst of fast invocations from the environments already warm instead of starting one per invocation', async () => {
    // Given a function whose handler answers at once
    const made: FakeEnvironment[] = []
    const p = pool(true, made)
    // When 32 invocations arrive together, twice
    for (let round = 0; round < 2; round++) {
      const outcomes = await Promise.all(Array.from({length: 32}, (_, i) => invoke(p, `r${round}-${i}`)))
      assert.ok(outcomes.every((o) => !o.error))
    }
    // Then one environment served them all (each freed up long before a new one would have been worth starting)
    assert.equal(made.length, 1)
    await p.close()
  })

  it('still starts one environment per concurrent invocation when the invocations stay busy (as Lambda does)', async () => {
    // Given a function whose invocations answer only when told
    const made: FakeEnvironment[] = []
    const p = pool(false, made)
    // When 3 invocations are in flight together
    const all = Promise.all(['a', 'b', 'c'].map((id) => invoke(p, id)))
    // Then after the brief wait each runs in an environment of its own
    const deadline = Date.now() + 10_000
    while (made.reduce((n, e) => n + e.pending.length, 0) < 3) {
      assert.ok(Date.now() < deadline, `only ${made.length} environments started`)
      await new Promise((r) => setTimeout(r, 5))
    }
    assert.equal(made.length, 3)
    for (const env of made) for (const answer of env.pending.splice(0)) answer()
    const outcomes = await all
    assert.equal(new Set(outcomes.map((o) => JSON.parse(o.payload.toString()).env)).size, 3)
    await p.close()
  })
})

describe('function pool queues', () => {
  it("queues a fast function's invocations in the busy environment instead of starting more", async () => {
    // Given a function whose last invocation took a hundredth of a millisecond
    const made: QueueingEnvironment[] = []
    const p = queueingPool(made, {scaleOutWaitMs: 10_000})
    await warmed(p, made)
    // When four invocations arrive together
    const all = Promise.all(['a', 'b', 'c', 'd'].map((id) => invoke(p, id)))
    // Then all four wait in the one environment's queue, in order, and only the first has started
    await until('four invocations queued', () => made[0]!.ids().length === 4)
    assert.equal(made.length, 1)
    assert.deepEqual(made[0]!.ids(), ['a', 'b', 'c', 'd'])
    assert.equal(made[0]!.startedAt('b'), undefined)
    // And they answer in turn
    for (let i = 0; i < 4; i++) made[0]!.answerHead()
    assert.deepEqual(
      (await all).map((o) => JSON.parse(o.payload.toString()).id),
      ['a', 'b', 'c', 'd'],
    )
    await p.close()
  })

  for (const {durationMs, queued} of [
    {durationMs: 0.01, queued: 40},
    {durationMs: 1, queued: 32},
  ]) {
    it(`fills a deep queue as far as the function's speed allows: ${queued} of 40 at ${durationMs} ms each`, async () => {
      // Given a function whose invocations take durationMs, and environments that take 64 at once
      const made: QueueingEnvironment[] = []
      const p = queueingPool(made, {scaleOutWaitMs: 10_000, depth: 64, durationMs})
      await warmed(p, made)
      // When 40 invocations arrive together
      const ids = Array.from({length: 40}, (_, i) => `i${i}`)
      const all = Promise.all(ids.map((id) => invoke(p, id)))
      // Then the one environment's queue holds as many as run within 32 ms, in order; the others wait their turn
      await until(`${queued} invocations queued`, () => made[0]!.ids().length === queued)
      await turnsUntil('nothing more queued', () => made[0]!.ids().length === queued)
      assert.equal(made.length, 1)
      assert.deepEqual(made[0]!.ids(), ids.slice(0, queued))
      // And every invocation answers, in order, from that environment
      for (let n = 0; n < ids.length; n++) {
        await until('an invocation queued', () => made[0]!.ids().length > 0)
        made[0]!.answerHead()
      }
      assert.deepEqual(
        (await all).map((o) => JSON.parse(o.payload.toString()).id),
        ids,
      )
      await p.close()
    })
  }

  it('takes back an invocation that waited in a queue longer than the scale-out wait, and runs it elsewhere', async () => {
    // Given a fast function, one invocation of which stays busy
    const made: QueueingEnvironment[] = []
    const p = queueingPool(made, {scaleOutWaitMs: 20})
    await warmed(p, made)
    const slow = invoke(p, 'slow')
    await until('the slow invocation', () => made[0]!.ids().length === 1)
    // When another arrives, it joins the busy environment's queue
    const queued = invoke(p, 'queued')
    await until('the queued invocation', () => made[0]!.ids().length === 2)
    // Then once it has waited the scale-out wait, it is taken back and starts in a new environment
    await until('a second environment running it', () => made[1]?.ids()[0] === 'queued' && made[1]?.startedAt('queued') !== undefined)
    assert.deepEqual(made[0]!.ids(), ['slow'])
    made[1]!.answerHead()
    assert.equal(JSON.parse((await queued).payload.toString()).env, made[1]!.streamName)
    made[0]!.answerHead()
    assert.equal(JSON.parse((await slow).payload.toString()).env, made[0]!.streamName)
    await p.close()
  })

  it("counts a queued invocation's timeout from when it started, not from when it was queued", async (t) => {
    // Given a fast function with a 3-second timeout, no taking back, and the pool's clock and timers in the test's hands
    t.mock.timers.enable({apis: ['setTimeout', 'Date'], now: Date.now()})
    const made: QueueingEnvironment[] = []
    const p = queueingPool(made, {scaleOutWaitMs: 60_000, timeoutSeconds: 3})
    const warm = invoke(p, 'warm')
    await turnsUntil('the first environment', () => made[0]?.ids().length === 1)
    made[0]!.answerHead()
    await warm
    // When an invocation runs 2 s with another queued behind it, which then runs 1.5 s (3.5 s after it was queued)
    const first = invoke(p, 'first')
    let second: Outcome | undefined
    void invoke(p, 'second').then((o) => {
      second = o
    })
    await turnsUntil('both queued', () => made[0]!.ids().length === 2)
    t.mock.timers.tick(2_000)
    made[0]!.answerHead()
    assert.equal((await first).error, false)
    t.mock.timers.tick(1_500)
    await turnsUntil('the timers of 3.5 s to run', () => true)
    // Then it has not timed out: it started 1.5 s ago
    assert.equal(second, undefined)
    assert.deepEqual(made[0]!.ids(), ['second'])
    // And it does once it has run its 3 seconds
    t.mock.timers.tick(1_600)
    await turnsUntil('the second to time out', () => second !== undefined)
    assert.equal(second!.error, true)
    assert.equal(JSON.parse(second!.payload.toString()).errorType, 'Sandbox.Timedout')
    await p.close()
  })
})
