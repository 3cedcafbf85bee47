/**
 * Usage counters (traffic/usage.ts): a key's window and day are kept between requests, and what is kept follows
 * the clock and the documents: a new day is counted on its own, a day dropped from memory by a flush is read
 * back from the store rather than counted into a stale copy, and a changed plan's quota applies at once.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {KIND} from '../../../../../src/local/control-plane/model.ts'
import {type UsageDoc, UsageCounters, usageId} from '../../../../../src/local/data-plane/traffic/usage.ts'
import {openStore} from '../../../../../src/local/store/store.ts'

const at = (iso: string) => Date.parse(iso)
const used = (store: ReturnType<typeof openStore>, day: string) => store.get<UsageDoc>(KIND.usage, usageId('p1', 'k1', day))?.used

describe('usage counters', () => {
  it('counts each UTC day on its own and keeps counting after a flush drops a day from memory', () => {
    // Given a plan with a WEEK quota of 5 and a key that made 2 requests on Monday
    const store = openStore(':memory:')
    const counters = new UsageCounters(store)
    const plan = {id: 'p1', createdDate: 0, quota: {limit: 5, period: 'WEEK'}}
    const monday = at('2026-01-05T10:00:00Z')
    const tuesday = at('2026-01-06T10:00:00Z')
    assert.equal(counters.consume(plan, 'k1', monday).remaining, 4)
    assert.equal(counters.consume(plan, 'k1', monday + 1000).remaining, 3)
    // When a flush on Tuesday writes Monday and drops it from memory, and Monday's clock comes back once
    counters.flush(tuesday)
    counters.flush(tuesday)
    assert.equal(counters.consume(plan, 'k1', monday + 2000).remaining, 2)
    // And Tuesday is counted on its own day
    assert.equal(counters.consume(plan, 'k1', tuesday).remaining, 1)
    counters.flush(tuesday)
    // Then the store holds 3 for Monday and 1 for Tuesday: no count went into a dropped copy
    assert.deepEqual([used(store, '2026-01-05'), used(store, '2026-01-06')], [3, 1])
    // And the week's quota holds across the days
    assert.equal(counters.consume(plan, 'k1', tuesday).admitted, true)
    assert.deepEqual(counters.consume(plan, 'k1', tuesday), {admitted: false, remaining: 0})
  })

  it("applies a changed plan's quota at once, and starts a new window when the period ends", () => {
    const store = openStore(':memory:')
    const counters = new UsageCounters(store)
    const plan = {id: 'p1', createdDate: 0, quota: {limit: 2, period: 'DAY'}}
    const t = at('2026-01-05T23:59:59Z')
    counters.consume(plan, 'k1', t)
    counters.consume(plan, 'k1', t)
    assert.equal(counters.consume(plan, 'k1', t).admitted, false)
    // When the plan document changes (another object with a larger limit)
    assert.deepEqual(counters.consume({...plan, quota: {limit: 3, period: 'DAY'}}, 'k1', t), {admitted: true, remaining: 0})
    // When the next UTC day starts, the window is new
    assert.deepEqual(counters.consume(plan, 'k1', t + 1000), {admitted: true, remaining: 1})
  })
})
