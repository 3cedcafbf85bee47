/** Quota windows in UTC and the offset of the plan's first period (API_QuotaSettings). */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {allowance, daysOfWindow, windowOf} from '../../../../../src/local/data-plane/traffic/quota.ts'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()

describe('quota windows', () => {
  it('cuts DAY, WEEK (from Sunday) and MONTH windows in UTC', () => {
    const t = at('2026-01-07T23:59:59.999Z') // a Wednesday
    const cases: Array<[string, string, string]> = [
      ['DAY', '2026-01-07T00:00:00.000Z', '2026-01-08T00:00:00.000Z'],
      ['WEEK', '2026-01-04T00:00:00.000Z', '2026-01-11T00:00:00.000Z'],
      ['MONTH', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ]
    for (const [period, start, end] of cases) {
      const w = windowOf(period, t)
      assert.deepEqual([iso(w.start), iso(w.end)], [start, end], period)
    }
    assert.equal(iso(windowOf('WEEK', at('2026-01-04T00:00:00Z')).start), '2026-01-04T00:00:00.000Z')
    assert.equal(iso(windowOf('MONTH', at('2024-02-29T10:00:00Z')).end), '2024-03-01T00:00:00.000Z')
    assert.deepEqual(daysOfWindow(windowOf('WEEK', t), t), ['2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07'])
  })

  it('subtracts the offset in the period the plan was created in only, and adds grants', () => {
    const quota = {limit: 100, offset: 30, period: 'WEEK'}
    const created = at('2026-01-06T08:00:00Z')
    assert.equal(allowance(quota, created, windowOf('WEEK', created).start), 70)
    assert.equal(allowance(quota, created, windowOf('WEEK', at('2026-01-12T00:00:00Z')).start), 100)
    assert.equal(allowance(quota, created, windowOf('WEEK', created).start, 5), 75)
    assert.equal(allowance(undefined, created, 0), undefined)
  })
})
