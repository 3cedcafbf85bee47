/**
 * Usage-plan quotas and usage on the data plane, through real HTTP on a clock the test moves: DAY / WEEK /
 * MONTH windows in UTC, the offset of the plan's first period, 429 `Limit Exceeded` (LimitExceededException,
 * ministack #1746's measurement) when spent, usage per key and day read back with GetUsage.
 */
import assert from 'node:assert/strict'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {GetUsageCommand, UpdateUsageCommand} from '@aws-sdk/client-api-gateway'
import {burst, countOf, startTrafficWorld, type TrafficWorld} from './traffic-setup.ts'

const VALUE = 'quota-key-0123456789abcdef'
const DAY = 86_400_000

describe('quotas on the data plane', () => {
  let w: TrafficWorld
  beforeEach(async () => {
    w = await startTrafficWorld()
  })
  afterEach(() => w.close())

  const statuses = async (n: number, stage = 'dev') => {
    const out: number[] = []
    for (let i = 0; i < n; i++) {
      const res = await w.call(stage, '/keyed', {key: VALUE})
      await res.arrayBuffer()
      out.push(res.status)
    }
    return out
  }

  it('answers 429 Limit Exceeded once the DAY quota is spent, across stages, and serves again the next UTC day', async () => {
    // Given a key with a quota of 3 a day on dev and prod
    const keyId = await w.createKey(VALUE)
    await w.createPlan({stages: ['dev', 'prod'], quota: {limit: 3, period: 'DAY'}, keys: [keyId]})
    // When four requests are made on one day
    assert.deepEqual([...(await statuses(2)), ...(await statuses(2, 'prod'))], [200, 200, 200, 429])
    const spent = await w.call('dev', '/keyed', {key: VALUE})
    assert.equal(spent.status, 429)
    assert.equal(spent.headers.get('x-amzn-errortype'), 'LimitExceededException')
    assert.deepEqual(await spent.json(), {message: 'Limit Exceeded'})
    // Then at 23:59:59.999 UTC it is still spent, and at midnight UTC the quota is back
    w.clock.ms = Date.UTC(2026, 0, 5, 23, 59, 59, 999)
    assert.deepEqual(await statuses(1), [429])
    w.clock.ms = Date.UTC(2026, 0, 6)
    assert.deepEqual(await statuses(4), [200, 200, 200, 429])
  })

  it('counts a WEEK from Sunday 00:00 UTC and subtracts the offset in the first week only', async () => {
    // Given a weekly quota of 4 with offset 1, created on Monday 2026-01-05
    const keyId = await w.createKey(VALUE)
    await w.createPlan({stages: ['dev'], quota: {limit: 4, offset: 1, period: 'WEEK'}, keys: [keyId]})
    // When used over the first week: 3 allowed (4 - 1), spread over days
    assert.deepEqual(await statuses(2), [200, 200])
    w.clock.ms += 3 * DAY // Thursday
    assert.deepEqual(await statuses(2), [200, 429])
    w.clock.ms = Date.UTC(2026, 0, 10, 23, 59) // Saturday
    assert.deepEqual(await statuses(1), [429])
    // Then the next week (from Sunday 2026-01-11) allows the whole limit
    w.clock.ms = Date.UTC(2026, 0, 11)
    assert.deepEqual(await statuses(5), [200, 200, 200, 200, 429])
  })

  it('counts a MONTH from the 1st, and GetUsage answers [used, remaining] per key and day', async () => {
    const keyId = await w.createKey(VALUE)
    const planId = await w.createPlan({stages: ['dev'], quota: {limit: 5, period: 'MONTH'}, keys: [keyId]})
    assert.deepEqual(await statuses(2), [200, 200])
    w.clock.ms += DAY
    assert.deepEqual(await statuses(4), [200, 200, 200, 429])
    // GetUsage sees the counts at once (the data plane's counts are flushed for it)
    const usage = await w.t.v1.send(new GetUsageCommand({usagePlanId: planId, startDate: '2026-01-04', endDate: '2026-01-07'}))
    assert.deepEqual(usage.items, {
      [keyId]: [
        [0, 5],
        [2, 3],
        [3, 0],
        [0, 0],
      ],
    })
    w.clock.ms = Date.UTC(2026, 1, 1)
    assert.deepEqual(await statuses(1), [200])
  })

  it('UpdateUsage sets the remaining quota of the current window, and the data plane counts from it at once', async () => {
    // Given a spent DAY quota of 3
    const keyId = await w.createKey(VALUE)
    const planId = await w.createPlan({stages: ['dev'], quota: {limit: 3, period: 'DAY'}, keys: [keyId]})
    assert.deepEqual(await statuses(4), [200, 200, 200, 429])
    // When UpdateUsage grants 2 more
    const updated = await w.t.v1.send(
      new UpdateUsageCommand({usagePlanId: planId, keyId, patchOperations: [{op: 'replace', path: '/remaining', value: '2'}]}),
    )
    assert.deepEqual(updated.items, {[keyId]: [[3, 2]]})
    assert.equal(updated.startDate, '2026-01-05')
    // Then two more requests are served, and GetUsage says the day used 5 with none left
    assert.deepEqual(await statuses(3), [200, 200, 429])
    const usage = await w.t.v1.send(new GetUsageCommand({usagePlanId: planId, startDate: '2026-01-05', endDate: '2026-01-05', keyId}))
    assert.deepEqual(usage.items, {[keyId]: [[5, 0]]})
    // And resetting to 0 spends the rest; the next day starts from the plain limit again
    await w.t.v1.send(
      new UpdateUsageCommand({usagePlanId: planId, keyId, patchOperations: [{op: 'replace', path: '/remaining', value: '3'}]}),
    )
    assert.deepEqual(await statuses(4), [200, 200, 200, 429])
    w.clock.ms += DAY
    assert.deepEqual(await statuses(4), [200, 200, 200, 429])
    // A path other than /remaining is refused
    await assert.rejects(
      w.t.v1.send(new UpdateUsageCommand({usagePlanId: planId, keyId, patchOperations: [{op: 'replace', path: '/used', value: '1'}]})),
      {name: 'BadRequestException'},
    )
  })

  it('never admits more than the quota under 1,000 concurrent requests', async () => {
    const keyId = await w.createKey(VALUE)
    await w.createPlan({stages: ['dev'], quota: {limit: 300, period: 'DAY'}, keys: [keyId]})
    const out = await burst(1000, 50, () => w.call('dev', '/keyed', {key: VALUE}))
    assert.equal(countOf(out, 200), 300)
    assert.equal(countOf(out, 429), 700)
  })
})
