/** A stage's own history (tag apigw:ran): parsed, written within AWS's 256 characters, pushed on a move, popped by rollback. */
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'
import {
  formatStageHistory,
  parseStageHistory,
  previousRun,
  pushRun,
  stageArn,
  TAG_STAGE_HISTORY,
} from '../../../src/services/lifecycle/stage-history.ts'

const t = (s: number) => new Date(s * 1000)

describe('stage history', () => {
  test('round-trips through the tag, with and without a start time', () => {
    const runs = [
      {id: 'd1', since: undefined},
      {id: 'd2', since: t(1700000000)},
    ]
    const tag = formatStageHistory(runs)
    assert.equal(tag, 'd1 d2@1700000000')
    assert.deepEqual(parseStageHistory({[TAG_STAGE_HISTORY]: tag}), runs)
    assert.deepEqual(parseStageHistory(undefined), [])
    assert.deepEqual(parseStageHistory({[TAG_STAGE_HISTORY]: 'd1 ??? d2@x'}), [{id: 'd1', since: undefined}])
  })

  test('drops the oldest runs to fit 256 characters', () => {
    const runs = Array.from({length: 40}, (_, i) => ({id: `dep${String(i).padStart(3, '0')}`, since: t(1700000000 + i)}))
    const tag = formatStageHistory(runs)
    assert.ok(tag.length <= 256)
    assert.ok(tag.endsWith('dep039@1700000039'))
    assert.ok(!tag.includes('dep000'))
  })

  const cases: Array<[string, Array<{id: string; since?: Date}>, string, string | undefined]> = [
    // [why, recorded runs, what the stage runs now, what a rollback goes back to]
    [
      'the run before the current one',
      [
        {id: 'd1', since: t(1)},
        {id: 'd3', since: t(3)},
      ],
      'd3',
      'd1',
    ],
    [
      'a stage moved by hand: the last recorded run',
      [
        {id: 'd1', since: t(1)},
        {id: 'd3', since: t(3)},
      ],
      'd9',
      'd3',
    ],
    ['nothing recorded before', [{id: 'd1', since: t(1)}], 'd1', undefined],
    ['no history at all', [], 'd1', undefined],
    ['repeats of the current run are skipped', [{id: 'd1'}, {id: 'd2'}, {id: 'd2'}], 'd2', 'd1'],
  ]
  for (const [why, runs, current, expected] of cases) {
    test(`rollback target: ${why}`, () => assert.equal(previousRun(runs, current)?.previous.id, expected))
  }

  test('deploy then rollback: push records the move with its time, the rollback pops it', () => {
    // Given a stage that ran d1, then moves to d2 at t(5)
    const pushed = pushRun([{id: 'd1', since: t(1)}], 'd1', 'd2', t(5))
    assert.deepEqual(pushed, [
      {id: 'd1', since: t(1)},
      {id: 'd2', since: t(5)},
    ])
    // When rolled back / Then to d1, which ran from t(1) until t(5), and the history ends with d1
    const back = previousRun(pushed, 'd2')
    assert.deepEqual([back?.previous, back?.current.since, back?.after], [{id: 'd1', since: t(1)}, t(5), [{id: 'd1', since: t(1)}]])
    // And a stage with no history records what it ran before apigw saw it
    assert.deepEqual(pushRun([], 'd0', 'd1', t(9)), [{id: 'd0'}, {id: 'd1', since: t(9)}])
    assert.deepEqual(pushRun([{id: 'd1'}], 'd1', 'd1', t(9)), [{id: 'd1'}])
  })

  test('stage ARNs as TagResource takes them', () => {
    assert.equal(stageArn('rest', 'eu-west-1', 'a1', 'prod'), 'arn:aws:apigateway:eu-west-1::/restapis/a1/stages/prod')
    assert.equal(stageArn('http', 'eu-west-1', 'a1', 'prod'), 'arn:aws:apigateway:eu-west-1::/apis/a1/stages/prod')
  })
})
