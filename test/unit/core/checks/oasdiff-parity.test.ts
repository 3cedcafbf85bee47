// Issue 18's classes of misses against oasdiff, one fixture pair each in test/fixtures/diff/<id>/: the whole rule
// set must give exactly these ids and counts (down to info), and the pair's own id alone must still fire.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'
import type {Level} from '../../../../src/core/findings.ts'

const root = join(import.meta.dirname, '../../../fixtures/diff')
const load = (dir: string, side: string) => parse(readFileSync(join(root, dir, `${side}.yaml`), 'utf8'))
const now = new Date('2026-11-21T00:00:00Z')

/** Pair folder → every id the whole rule set reports, with counts; `level` is the pair's own id's level (oasdiff's). */
export const PARITY_PAIRS: Array<{dir: string; level: Level; expected: Record<string, number>; operation?: RegExp}> = [
  {
    dir: 'response-mediatype-enum-value-removed',
    level: 'info',
    expected: {'response-mediatype-enum-value-removed': 2},
  },
  {
    dir: 'request-header-property-became-enum',
    level: 'error',
    expected: {'request-header-property-became-enum': 1},
  },
  {
    // Not one id: one change in every place a schema can sit (the callback's operation is named after it).
    dir: 'every-schema-location',
    level: 'error',
    expected: {
      'request-parameter-enum-value-removed': 1,
      'request-parameter-property-pattern-added': 1,
      'request-parameter-property-enum-value-removed': 1,
      'new-required-request-header-property': 1,
      'request-header-property-became-required': 1,
      'request-property-max-length-decreased': 1,
      'response-optional-property-removed': 1,
      'response-header-property-type-changed': 1,
      'callback-changed': 1,
    },
  },
  {
    // Webhooks compared like paths: the operation is POST webhook:newPet, as oasdiff names it.
    dir: 'webhook-operations',
    level: 'error',
    expected: {'webhook-removed': 1, 'request-body-became-required': 1, 'new-optional-request-property': 1},
  },
  {
    dir: 'request-property-pattern-changed',
    level: 'warning',
    expected: {'request-property-pattern-changed': 1, 'request-property-pattern-generalized': 1, 'response-property-pattern-changed': 1},
  },
]

describe('oasdiff parity pairs (issue 18)', () => {
  for (const pair of PARITY_PAIRS) {
    it(`${pair.dir}: the whole rule set gives oasdiff's ids`, () => {
      // Given the pair
      const diff = diffSpecs(load(pair.dir, 'base'), load(pair.dir, 'revision'), {baseFile: 'base.yaml', revisionFile: 'revision.yaml'})
      // When every check runs down to info
      const report = runChecks(diff, registry, {now})
      const got: Record<string, number> = {}
      for (const f of report.findings) got[f.id] = (got[f.id] ?? 0) + 1
      // Then exactly these ids, and the pair's own id at oasdiff's level
      assert.deepEqual(got, pair.expected)
      if (registry.some((e) => e.id === pair.dir)) assert.equal(registry.find((e) => e.id === pair.dir)?.level, pair.level)
      if (pair.operation) for (const f of report.findings) assert.match(f.operation ?? '', pair.operation)
    })
    if (registry.some((e) => e.id === pair.dir))
      it(`${pair.dir}: runs alone`, () => {
        // Given the pair, When only its own id runs
        const diff = diffSpecs(load(pair.dir, 'base'), load(pair.dir, 'revision'))
        const report = runChecks(diff, registry, {now, only: [pair.dir]})
        // Then only that id is reported, as often as with every check
        assert.deepEqual(
          report.findings.map((f) => f.id),
          Array(pair.expected[pair.dir]).fill(pair.dir),
        )
      })
  }
})

describe('webhooks', () => {
  it('name the webhook in the operation of their findings', () => {
    // Given the webhook pair
    const diff = diffSpecs(load('webhook-operations', 'base'), load('webhook-operations', 'revision'))
    // When checked
    const report = runChecks(diff, registry, {now})
    // Then the operation's findings belong to POST webhook:newPet and point into webhooks/newPet
    const ops = report.findings.filter((f) => f.id !== 'webhook-removed')
    assert.deepEqual(
      ops.map((f) => [f.id, f.operation, f.location.pointer]),
      [
        ['request-body-became-required', 'POST webhook:newPet', '#/webhooks/newPet/post/requestBody'],
        [
          'new-optional-request-property',
          'POST webhook:newPet',
          '#/webhooks/newPet/post/requestBody/content/application~1json/schema/properties/tag',
        ],
      ],
    )
  })
})

describe('callbacks', () => {
  it('are compared like operations and named after their operation', () => {
    // Given the every-schema-location pair, whose callback's request body gained a required property
    const diff = diffSpecs(load('every-schema-location', 'base'), load('every-schema-location', 'revision'))
    // When checked
    const found = runChecks(diff, registry, {now}).findings.filter((f) => f.id === 'callback-changed')
    // Then the finding names the callback and the operation it belongs to, and points into the callback
    assert.deepEqual(
      found.map((f) => [f.operation, f.message, f.location.pointer]),
      [
        [
          'POST callback:onEvent of POST /subscriptions/{kind}',
          "A new required request property 'id' was added (new-required-request-property: error in an operation of the API).",
          '#/paths/~1subscriptions~1{kind}/post/callbacks/onEvent/{$request.body#~1url}/post/requestBody/content/application~1json/schema/properties/id',
        ],
      ],
    )
  })
})

describe('deprecated ids', () => {
  it('are never emitted, name a registered replacement, and carry config over to it', () => {
    // Given the registry's deprecated entries
    const deprecated = registry.filter((e) => e.deprecated)
    assert.ok(deprecated.length > 0)
    for (const e of deprecated) assert.ok(registry.some((r) => r.id === e.deprecated!.replacedBy && !r.deprecated))
    // When a config sets the level of the old id and runs the old id only
    const diff = diffSpecs(load('response-mediatype-enum-value-removed', 'base'), load('response-mediatype-enum-value-removed', 'revision'))
    const report = runChecks(diff, registry, {
      now,
      levels: {'response-body-enum-value-removed': 'error'},
      only: ['response-body-enum-value-removed'],
    })
    // Then the replacement reports, at the level set for the old id
    assert.deepEqual(
      report.findings.map((f) => `${f.id} ${f.level}`),
      ['response-mediatype-enum-value-removed error', 'response-mediatype-enum-value-removed error'],
    )
    // And an ignore rule on the old id ignores the replacement
    const ignored = runChecks(diff, registry, {now, ignore: [{id: 'response-body-enum-value-removed', reason: 'known'}]})
    assert.equal(ignored.findings.length, 0)
    assert.equal(ignored.ignored.length, 2)
  })
})
