import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'

const load = (name: string) =>
  parse(readFileSync(new URL(`../../../fixtures/diff/response-header-type-changed/${name}.yaml`, import.meta.url), 'utf8'))

describe('response header schema changes', () => {
  it('reports a header type change (error) and a new enum value (warning), as a client reading the header sees them', () => {
    // Given a response header whose type changed and another that gained an enum value
    const report = runChecks(diffSpecs(load('base'), load('revision'), {baseFile: 'base.yaml', revisionFile: 'revision.yaml'}), registry, {
      only: ['response-header-type-changed', 'response-header-enum-value-added'],
    })
    // Then each is reported once, at its level
    assert.deepEqual(report.findings.map((f) => [f.id, f.level, f.operation]).sort(), [
      ['response-header-enum-value-added', 'warning', 'GET /pets'],
      ['response-header-type-changed', 'error', 'GET /pets'],
    ])
  })
  it('reports nothing for the same headers', () => {
    const report = runChecks(diffSpecs(load('base'), load('base')), registry)
    assert.deepEqual(report.findings, [])
  })
})
