import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {runRules} from '../../../../src/core/rules/run.ts'
import {RULES} from '../../../../src/core/rules/registry.ts'
import {loadSpec} from '../../../../src/core/spec/load.ts'
import {readSourceBytes} from '../../../../src/services/project.ts'

const fixtures = new URL('../../../fixtures/', import.meta.url).pathname
const schemaRule = RULES.filter((r) => r.id === 'openapi-schema')

/** The openapi-schema findings of a fixture, as [pointer, message] pairs. */
async function schemaFindings(path: string): Promise<Array<[string, string]>> {
  const spec = await loadSpec(`${fixtures}${path}`, {read: readSourceBytes})
  assert.equal(spec.version, '3.1')
  const findings = await runRules({spec, apiType: 'rest', stageVariables: undefined}, {}, schemaRule)
  return findings.map((f) => [f.location.pointer, f.message])
}

describe('OpenAPI 3.1: structure by the 3.1 schema, Schema Objects by JSON Schema 2020-12', () => {
  const valid = [
    // Issue 14 point 2: failed with "must NOT have unevaluated properties" before.
    'validate/oas31/minimal.yaml',
    // Written for these tests: type arrays with null, const, $defs, examples lists, webhooks, components.pathItems.
    'validate/oas31/pets.yaml',
    // oasdiff's 3.1 fixtures (Apache-2.0, test/fixtures/oasdiff/SOURCE.md).
    'oasdiff/data/checker/webhook_base.yaml',
    'oasdiff/data/checker/request_property_became_nullable_31_revision.yaml',
    'oasdiff/data/checker/request_param_scalar_to_constrained_array_31_revision.yaml',
  ]
  for (const path of valid) {
    it(`accepts ${path}`, async () => {
      assert.deepEqual(await schemaFindings(path), [])
    })
  }

  it('reports Schema Objects that break JSON Schema 2020-12, at the keyword', async () => {
    const found = await schemaFindings('validate/oas31/bad-schemas.yaml')
    const pointers = found.map(([p]) => p)
    assert.ok(pointers.includes('#/paths/~1a/get/parameters/0/schema/type'), JSON.stringify(found))
    assert.ok(
      pointers.includes('#/paths/~1a/get/responses/200/content/application~1json/schema/properties/n/minimum'),
      JSON.stringify(found),
    )
    assert.ok(pointers.includes('#/components/schemas/Thing/required'), JSON.stringify(found))
    const typeMessage = found.find(([p]) => p === '#/paths/~1a/get/parameters/0/schema/type')![1]
    assert.match(typeMessage, /must be one of "array", "boolean", "integer", "null", "number", "object", "string" \(OpenAPI 3\.1 schema\)/)
  })

  it('still reports 3.1 structure errors (a missing info.version, an unknown field)', async () => {
    const {mkdtempSync, rmSync, writeFileSync} = await import('node:fs')
    const {join} = await import('node:path')
    const {tmpdir} = await import('node:os')
    const dir = mkdtempSync(join(tmpdir(), 'apigw-oas31-'))
    try {
      writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.1.0\ninfo: {title: t}\npaths: {}\nbogus: 1\n')
      const spec = await loadSpec(join(dir, 'openapi.yaml'), {read: readSourceBytes})
      const findings = await runRules({spec, apiType: 'rest', stageVariables: undefined}, {}, schemaRule)
      const messages = findings.map((f) => f.message).join('\n')
      assert.match(messages, /#\/info is missing the required field "version"/)
      assert.match(messages, /has a field "bogus" that is not allowed there/)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
