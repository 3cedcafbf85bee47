/**
 * The function pool's scale-out (functions/pool.ts): a fast handler under a burst keeps the few environments it
 * needs, while invocations that stay busy still get one environment each, as on Lambda. The environments are
 * in-memory stand-ins whose invocations answer when the test says so.
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
