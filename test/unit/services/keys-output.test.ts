/** Human output of `apigw keys`: a key value appears only in the one-time display at a terminal, or with --show-values. */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {renderCreated, renderList, renderRetire, renderRotated, table} from '../../../src/output/keys.ts'
import type {CreateKeyResult} from '../../../src/services/keys/create.ts'
import type {ListKeysResult} from '../../../src/services/keys/list.ts'
import type {RotateKeyResult} from '../../../src/services/keys/rotate.ts'

const VALUE = 'TopSecretValue0123456789abcdef'
const created: CreateKeyResult = {
  name: 'ci',
  id: 'k1',
  keyName: 'ci/g1',
  generation: 1,
  enabled: true,
  plans: ['basic'],
  planIds: ['p1'],
  createdDate: null,
  resumed: false,
  value: VALUE,
}
const rotated: RotateKeyResult = {
  name: 'ci',
  resumed: true,
  old: {id: 'k1', keyName: 'ci/g1', generation: 1, retireAfter: '2026-03-08T12:00:00Z'},
  new: {id: 'k2', keyName: 'ci/g2', generation: 2, plans: ['basic'], planIds: ['p1'], createdDate: null},
  stillEnabled: [],
  value: VALUE,
}

describe('keys renderers', () => {
  const cases: Array<[string, string, boolean, RegExp]> = [
    [
      'create at a terminal',
      renderCreated(created, {showValue: true}),
      true,
      /Store this value in your secret manager now\. API Gateway keeps it: anyone with these AWS credentials can read it again \(`apigw keys list ci --show-values`\)\./,
    ],
    ['create without a terminal', renderCreated(created, {showValue: false}), false, /not printed here \(no terminal\)/],
    [
      'create to a file',
      renderCreated({...created, value: undefined, valueFile: '/tmp/ci.key'}, {showValue: true}),
      false,
      /written to \/tmp\/ci\.key \(mode 0600\)/,
    ],
    [
      'a resumed rotation at a terminal',
      renderRotated(rotated, {showValue: true}),
      true,
      /Finished rotating ci: ci\/g2 .* stays enabled until 2026-03-08T12:00:00Z/s,
    ],
    ['a rotation without a terminal', renderRotated(rotated, {showValue: false}), false, /Rotated|Finished rotating/],
  ]
  for (const [what, text, shows, message] of cases) {
    it(`${shows ? 'shows' : 'hides'} the value: ${what}`, () => {
      assert.equal(text.includes(VALUE), shows)
      assert.match(text, message)
      // What is said is true: the value can be read again, so nothing claims it cannot
      assert.doesNotMatch(text, /not show it again|shown only once|never shown again/)
    })
  }

  it('lists values only when they were asked for', () => {
    const gen = {
      id: 'k1',
      keyName: 'ci/g1',
      generation: 1,
      enabled: true,
      status: 'active' as const,
      plans: ['basic'],
      createdDate: '2026-03-01T12:00:00.000Z',
      retireAfter: null,
      usage: [{plan: 'basic', usedToday: 12, remaining: 4988, quota: {limit: 5000, period: 'MONTH'}}],
    }
    const base: ListKeysResult = {
      plan: null,
      keys: [{name: 'ci', lastRotated: null, generations: [gen]}],
      unmanagedKeys: 1,
      totalKeys: 2,
      valuesShown: false,
    }
    const hidden = renderList(base)
    assert.doesNotMatch(hidden, /VALUE/)
    assert.match(hidden, /^ci\s+g1\s+k1\s+yes\s+active\s+basic\s+2026-03-01 12:00Z/m)
    assert.match(hidden, /1 other API key in the account is not managed by apigw/)
    assert.match(hidden, /USED TODAY/)
    assert.match(hidden, /\s12 \(4988\/5000 left this MONTH\)$/m)
    const shown = renderList({...base, valuesShown: true, keys: [{name: 'ci', lastRotated: null, generations: [{...gen, value: VALUE}]}]})
    assert.match(shown, new RegExp(`${VALUE}$`, 'm'))
  })

  it('says what retire did, would do, spared and left alone', () => {
    const e = {
      name: 'ci',
      id: 'k1',
      keyName: 'ci/g1',
      generation: 1,
      plans: ['basic'],
      retireAfter: null,
      usage: {from: '2026-03-01', to: '2026-03-09', total: 8, days: []},
    }
    const text = renderRetire({
      dryRun: true,
      now: '',
      retired: [{...e, action: 'disabled'}],
      spared: [{...e, action: 'spared', reason: '3 requests within --if-idle 24h'}],
      waiting: [],
      skipped: [],
    })
    assert.match(text, /ci\/g1 \(id k1\) would be disabled: 8 requests 2026-03-01\.\.2026-03-09; was in basic\./)
    assert.match(text, /spared: 3 requests within --if-idle 24h/)
    assert.match(text, /Dry run: nothing was changed\./)
  })

  it('pads table columns to the widest cell', () => {
    assert.equal(table(['A', 'BB', 'C'], [['xxx', 'y', 'z']]), 'A    BB  C\nxxx  y   z')
  })
})
