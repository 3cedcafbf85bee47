// Refactorings that change nothing for any client must report nothing (issue 18): each pair of
// test/fixtures/diff/equivalent/ runs through the whole rule set, in both directions.
import assert from 'node:assert/strict'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'

const root = join(import.meta.dirname, '../../../fixtures/diff/equivalent')
const load = (dir: string, side: string) => parse(readFileSync(join(root, dir, `${side}.yaml`), 'utf8'))
const now = new Date('2026-11-21T00:00:00Z')

describe('equivalent schemas report nothing', () => {
  const dirs = readdirSync(root).sort()
  it('has the pairs of issue 18', () => {
    // Given the fixture folder
    // Then every class of equivalence has its pair
    assert.deepEqual(dirs, ['any-of-ref-to-inline', 'branches-reordered', 'enum-reordered', 'nullable-30-to-31', 'ref-to-inline'])
  })
  for (const dir of dirs)
    for (const [from, to] of [
      ['base', 'revision'],
      ['revision', 'base'],
    ] as const)
      it(`${dir}: ${from} → ${to}`, () => {
        // Given two specs that differ in form only
        const diff = diffSpecs(load(dir, from), load(dir, to), {baseFile: `${from}.yaml`, revisionFile: `${to}.yaml`})
        // When every check runs down to info
        const report = runChecks(diff, registry, {now})
        // Then nothing is reported
        assert.deepEqual(
          report.findings.map((f) => `${f.id} ${f.operation ?? ''} ${f.location.pointer}`),
          [],
        )
      })
})

describe('matching branches by structure keeps real changes', () => {
  type Obj = Record<string, unknown>
  const spec = (schema: unknown, components: Obj = {}): Obj => ({
    openapi: '3.0.3',
    info: {title: 't', version: '1'},
    paths: {'/pets': {post: {requestBody: {content: {'application/json': {schema}}}, responses: {204: {description: 'ok'}}}}},
    components: {schemas: components},
  })
  const ids = (base: Obj, revision: Obj) =>
    runChecks(diffSpecs(base, revision), registry, {now})
      .findings.map((f) => f.id)
      .sort()

  it('a branch moved to a $ref and narrowed is one change, not a branch removed and added', () => {
    // Given oneOf [inline enum, integer] and, in the revision, [integer, $ref to the enum less one value]
    const base = spec({oneOf: [{type: 'string', enum: ['a', 'b']}, {type: 'integer'}]})
    const revision = spec({oneOf: [{type: 'integer'}, {$ref: '#/components/schemas/E'}]}, {E: {type: 'string', enum: ['a']}})
    // When diffed
    // Then the lost enum value is reported; no branch was removed or added
    assert.deepEqual(ids(base, revision), ['request-body-enum-value-removed'])
  })

  it('a branch that really went away is still removed', () => {
    // Given anyOf [string, integer, boolean] → anyOf [integer, string]
    const base = spec({anyOf: [{type: 'string', maxLength: 3}, {type: 'integer'}, {type: 'boolean'}]})
    const revision = spec({anyOf: [{type: 'integer'}, {type: 'string', maxLength: 3}]})
    // Then the boolean branch is reported removed
    assert.deepEqual(ids(base, revision), ['request-body-any-of-removed'])
  })

  it('a cycle through $refs on both sides ends and compares equal', () => {
    // Given a recursive component referenced from a oneOf branch, inline on the other side with the same recursion
    const node = {type: 'object', properties: {next: {$ref: '#/components/schemas/Node'}, v: {type: 'integer'}}}
    const base = spec({oneOf: [{$ref: '#/components/schemas/Node'}, {type: 'string'}]}, {Node: node})
    const revision = spec({oneOf: [{type: 'string'}, node]}, {Node: node})
    // Then nothing is reported
    assert.deepEqual(ids(base, revision), [])
  })
})
