// Refactorings that change nothing for any client must report nothing (issue 18): each pair of
// test/fixtures/diff/equivalent/ runs through the whole rule set, in both directions.
import assert from 'node:assert/strict'
import {existsSync, readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {isDeepStrictEqual} from 'node:util'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'
import {refactorSpec} from '../../../helpers/refactor-spec.ts'

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

describe('refactorings of real specs report nothing', () => {
  const fixtures = join(import.meta.dirname, '../../../fixtures/specs')
  const corpus = join(import.meta.dirname, '../../../../../shared/corpus/real-specs')
  const specs = [
    join(fixtures, 'aws-rest-petstore-proxy-resource-oas30.json'),
    join(fixtures, 'aws-rest-binary-media-lambda-oas30.json'),
    join(fixtures, 'aws-httpapi-petstore-oas30.json'),
    // Stripe's 4 MB: anyOf of $refs everywhere, recursive schemas, nullable on most fields (skipped without the corpus).
    join(corpus, 'stripe-e0123a3.json'),
  ]
  const ways = [{inline: true}, {reverse: true}, {to31: true}, {inline: true, reverse: true, to31: true}]
  for (const file of specs)
    it(`${file.split('/').pop()}: $refs inlined, branches and enums reversed, nullable as 3.1`, (t) => {
      if (!existsSync(file)) {
        t.skip(`${file} is missing (the shared corpus sits beside the checkout)`)
        return
      }
      // Given a real spec
      const doc = JSON.parse(readFileSync(file, 'utf8'))
      let changed = 0
      // (the 4 MB spec takes the three refactorings at once only, to keep the suite quick)
      for (const how of file.startsWith(corpus) ? ways.slice(-1) : ways) {
        // When it is refactored without changing anything for a client, and diffed against itself
        const refactored = refactorSpec(doc, how)
        if (!isDeepStrictEqual(refactored, doc)) changed++
        const report = runChecks(diffSpecs(doc, refactored), registry, {now})
        // Then nothing is reported
        assert.deepEqual(
          report.findings.slice(0, 5).map((f) => `${f.id} ${f.operation ?? ''} ${f.location.pointer}`),
          [],
          JSON.stringify(how),
        )
      }
      // And the refactorings did rewrite the spec
      assert.ok(changed > 0)
    })
})
