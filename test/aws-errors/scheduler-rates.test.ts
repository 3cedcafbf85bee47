/**
 * The scheduler's client-side rates (aws-facts.md §1) with an injected clock: CreateDeployment 1 per 5 s,
 * PutRestApi 1/s, ImportRestApi 1 per 3 s, UpdateUsagePlan 1 per 20 s, 10 rps in total with a burst of
 * 40; waits over 2 s reported with an ETA; rates off (the emulator) means no waiting at all.
 */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {createScheduler, type WaitInfo} from '../../src/aws/scheduler.ts'
import {ratesWanted} from '../../src/services/lifecycle/find-api.ts'

function clock(rates: boolean) {
  let t = 0
  const sleeps: number[] = []
  const waits: WaitInfo[] = []
  const starts: Array<[string, number]> = []
  const s = createScheduler({
    rates,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms)
      t += ms
    },
    random: () => 1,
    onWait: (w) => waits.push(w),
  })
  const call = (op: string) => s.run(op, async () => starts.push([op, t]))
  return {call, sleeps, waits, starts, now: () => t}
}

describe('scheduler rates', () => {
  const perOperation = [
    ['CreateDeployment', 5000],
    ['PutRestApi', 1000],
    ['ImportRestApi', 3000],
    ['UpdateUsagePlan', 20000],
  ] as const
  for (const [op, gap] of perOperation) {
    test(`${op}: one every ${gap / 1000} s`, async () => {
      // Given rates on / When three calls are made at once
      const c = clock(true)
      await Promise.all([c.call(op), c.call(op), c.call(op)])
      // Then they start `gap` apart
      assert.deepEqual(
        c.starts.map(([, t]) => t),
        [0, gap, 2 * gap],
      )
      // And waits over 2 s are reported with an ETA
      assert.equal(c.waits.length, gap > 2000 ? 2 : 0)
      for (const w of c.waits) assert.equal(w.eta.getTime(), w.ms + (c.waits.indexOf(w) === 0 ? 0 : gap))
    })
  }

  test('other operations share 10 rps with a burst of 40', async () => {
    // Given rates on / When 60 GetStage calls are made at once
    const c = clock(true)
    await Promise.all(Array.from({length: 60}, () => c.call('GetStage')))
    // Then the first 40 go at once and the other 20 at 10 per second
    const times = c.starts.map(([, t]) => t)
    assert.equal(times.filter((t) => t === 0).length, 40)
    assert.ok((times.at(-1) ?? 0) >= 1900 && (times.at(-1) ?? 0) <= 2100, String(times.at(-1)))
  })

  test('operations are independent of each other except for the total', async () => {
    const c = clock(true)
    await c.call('CreateDeployment')
    await c.call('PutRestApi')
    await c.call('UpdateStage')
    assert.deepEqual(
      c.starts.map(([, t]) => t),
      [0, 0, 0],
    )
  })

  test('rates off: no waiting at all', async () => {
    const c = clock(false)
    await Promise.all(Array.from({length: 5}, () => c.call('CreateDeployment')))
    assert.deepEqual(c.sleeps, [])
    assert.equal(c.now(), 0)
  })

  const envCases = [
    [true, undefined, false],
    [false, undefined, true],
    [true, 'on', true],
    [false, 'off', false],
    [true, '1', true],
  ] as const
  for (const [local, flag, expected] of envCases) {
    test(`rates ${expected ? 'on' : 'off'} for ${local ? 'the emulator' : 'AWS'} with APIGW_CONTROL_PLANE_RATES=${flag ?? '(unset)'}`, () => {
      assert.equal(ratesWanted(local, flag === undefined ? {} : {APIGW_CONTROL_PLANE_RATES: flag}), expected)
    })
  }
})
