/**
 * AWS's token bucket and its worked examples (developer guide, "Throttle requests to your REST APIs"; shared
 * data-plane reference, "Throttling and quotas"), on a clock the test moves.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {BucketSet, TokenBucket} from '../../../../../src/local/data-plane/traffic/token-bucket.ts'

function served(set: BucketSet, count: number, nowMs: number, limit = {rateLimit: 10_000, burstLimit: 5_000}): number {
  let n = 0
  for (let i = 0; i < count; i++) if (!set.admit([{id: 'account', limit, describe: 'account'}], nowMs)) n++
  return n
}

describe('token bucket', () => {
  it("serves AWS's worked examples: 10,000 at once → 5,000; 5,000 then 5,000 in the 101st ms → 6,000", () => {
    // Given the account's 10,000 rps / 5,000 burst
    // When 10,000 requests come in the first millisecond
    assert.equal(served(new BucketSet(), 10_000, 0), 5_000)
    // When 5,000 come at t=0 and 5,000 more in the 101st millisecond (t=100 ms: 1,000 tokens refilled)
    const set = new BucketSet()
    assert.equal(served(set, 5_000, 0) + served(set, 5_000, 100), 6_000)
  })

  it('refills at the rate up to the burst, never beyond, and a clock that goes back refills nothing', () => {
    const bucket = new TokenBucket({rateLimit: 2, burstLimit: 3}, 0)
    for (let i = 0; i < 3; i++) {
      assert.ok(bucket.available(0))
      bucket.take()
    }
    assert.equal(bucket.available(0), false)
    assert.equal(bucket.available(499), false)
    assert.equal(bucket.available(500), true)
    assert.equal(bucket.level(60_000), 3)
    bucket.take()
    assert.equal(bucket.level(1_000), 2)
  })

  it('a 0/0 limit refuses everything; a lower limit caps the tokens held at once', () => {
    const set = new BucketSet()
    assert.equal(served(set, 5, 0, {rateLimit: 0, burstLimit: 0}), 0)
    const bucket = new TokenBucket({rateLimit: 100, burstLimit: 100}, 0)
    bucket.setLimit({rateLimit: 1, burstLimit: 2})
    assert.equal(bucket.level(0), 2)
  })

  it('takes a token from every bucket of a request or from none', () => {
    // Given a roomy key bucket and an empty stage bucket
    const set = new BucketSet()
    const key = {id: 'key', limit: {rateLimit: 0, burstLimit: 5}, describe: 'key'}
    const stage = {id: 'stage', limit: {rateLimit: 0, burstLimit: 1}, describe: 'stage'}
    assert.equal(set.admit([key, stage], 0), undefined)
    // When the stage refuses the next requests
    assert.equal(set.admit([key, stage], 0), stage)
    assert.equal(set.admit([key, stage], 0), stage)
    // Then the key's bucket lost only the one token the admitted request took
    let left = 0
    while (!set.admit([key], 0)) left++
    assert.equal(left, 4)
  })
})
