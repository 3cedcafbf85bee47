// Large real specs from ../shared/corpus/real-specs (beside the checkout). Skipped with a reason when missing.
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'

const corpus = join(import.meta.dirname, '../../../../../shared/corpus/real-specs')
// The small AWS examples are also copied into test/fixtures/specs, so their cases run from a fresh clone.
const fixtures = join(import.meta.dirname, '../../../fixtures/specs')
const where = (f: string) => (existsSync(join(fixtures, f)) ? join(fixtures, f) : join(corpus, f))
const load = (f: string) => JSON.parse(readFileSync(where(f), 'utf8'))
const now = new Date('2026-01-01T00:00:00Z')

describe('real specs', () => {
  const cases: Array<{name: string; base: string; revision: string; assert: (r: ReturnType<typeof runChecks>) => void}> = [
    {
      name: 'formatting-only GitHub pair reports nothing',
      base: 'github-api-4cf46ad.json',
      revision: 'github-api-9acf9c8.json',
      assert: (r) => assert.deepEqual(r.findings, []),
    },
    {
      name: 'the same AWS Kinesis proxy API as Swagger 2.0 and OpenAPI 3.0 reports nothing',
      base: 'aws-rest-kinesis-proxy-swagger2.json',
      revision: 'aws-rest-kinesis-proxy-oas30.json',
      assert: (r) => assert.deepEqual(r.findings, []),
    },
    {
      name: 'two consecutive Stripe releases: additions only, nothing breaking',
      base: 'stripe-fc5a2b9.json',
      revision: 'stripe-e0123a3.json',
      assert: (r) => {
        assert.deepEqual([r.counts.error, r.counts.warning], [0, 0])
        assert.ok(r.findings.some((f) => f.id === 'endpoint-added'))
      },
    },
    {
      name: 'a JWT authorizer added to POST /pets of an HTTP API is an error',
      base: 'aws-httpapi-petstore-oas30.json',
      revision: 'aws-httpapi-petstore-jwt-oas30.derived.json',
      assert: (r) => {
        const errors = r.findings.filter((f) => f.level === 'error')
        assert.deepEqual(
          errors.map((f) => [f.id, f.operation]),
          [['apigateway-authorizer-changed', 'POST /pets']],
        )
      },
    },
  ]
  for (const c of cases)
    it(c.name, (t) => {
      if (!existsSync(where(c.base))) {
        t.skip(`${corpus} is missing (the shared corpus sits beside the checkout)`)
        return
      }
      // Given two real specs
      // When diffed and checked
      const report = runChecks(diffSpecs(load(c.base), load(c.revision), {baseFile: c.base, revisionFile: c.revision}), registry, {now})
      // Then
      c.assert(report)
    })
})
