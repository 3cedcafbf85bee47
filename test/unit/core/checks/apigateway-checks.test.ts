// API Gateway checks: each has a fixture pair in test/fixtures/diff/<id>/ and runs alone here.
import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'
import type {Level} from '../../../../src/core/findings.ts'

const root = join(import.meta.dirname, '../../../fixtures/diff')
const load = (id: string, side: 'base' | 'revision') => parse(readFileSync(join(root, id, `${side}.yaml`), 'utf8'))

const cases: Array<{
  id: string
  level: Level
  expected: Array<{operation?: string; file: 'base.yaml' | 'revision.yaml'; pointer: string; message: RegExp}>
}> = [
  {
    id: 'apigateway-integration-changed',
    level: 'warning',
    expected: [
      {
        operation: 'GET /pets',
        file: 'revision.yaml',
        pointer: '#/paths/~1pets/get/x-amazon-apigateway-integration',
        message: /uri 'https:\/\/pets\.example\.com\/pets' → 'https:\/\/pets-v2/,
      },
    ],
  },
  {
    id: 'apigateway-integration-timeout-changed',
    level: 'info',
    expected: [
      {
        operation: 'GET /pets',
        file: 'revision.yaml',
        pointer: '#/paths/~1pets/get/x-amazon-apigateway-integration',
        message: /29000 to 5000/,
      },
    ],
  },
  {
    id: 'apigateway-authorizer-changed',
    level: 'error',
    expected: [{file: 'revision.yaml', pointer: '#/components/securitySchemes/cognito', message: /'cognito' changed/}],
  },
  {
    id: 'apigateway-authorizer-removed',
    level: 'error',
    expected: [{file: 'base.yaml', pointer: '#/components/securitySchemes/cognito', message: /'cognito' was removed/}],
  },
  {
    id: 'apigateway-security-removed',
    level: 'error',
    expected: [{operation: 'GET /pets', file: 'revision.yaml', pointer: '#/paths/~1pets/get', message: /open/}],
  },
  {
    id: 'apigateway-api-key-required-added',
    level: 'error',
    expected: [{operation: 'POST /pets', file: 'revision.yaml', pointer: '#/paths/~1pets/post/security', message: /API key/}],
  },
  {
    id: 'apigateway-request-validator-added',
    level: 'warning',
    expected: [
      {
        operation: 'POST /pets',
        file: 'revision.yaml',
        pointer: '#/paths/~1pets/post/x-amazon-apigateway-request-validator',
        message: /'all'/,
      },
    ],
  },
  {
    id: 'apigateway-cors-changed',
    level: 'warning',
    expected: [{file: 'revision.yaml', pointer: '#/x-amazon-apigateway-cors', message: /CORS configuration changed/}],
  },
  {
    id: 'apigateway-binary-media-types-removed',
    level: 'error',
    expected: [{file: 'base.yaml', pointer: '#/x-amazon-apigateway-binary-media-types', message: /application\/octet-stream/}],
  },
  {
    id: 'apigateway-gateway-responses-changed',
    level: 'info',
    expected: [
      {file: 'revision.yaml', pointer: '#/x-amazon-apigateway-gateway-responses/DEFAULT_4XX', message: /DEFAULT_4XX changed/},
      {file: 'revision.yaml', pointer: '#/x-amazon-apigateway-gateway-responses/UNAUTHORIZED', message: /UNAUTHORIZED was added/},
    ],
  },
]

describe('API Gateway checks', () => {
  for (const c of cases) {
    it(`${c.id}: reports the fixture's change at ${c.level}`, () => {
      // Given the fixture pair of this check
      const diff = diffSpecs(load(c.id, 'base'), load(c.id, 'revision'), {baseFile: 'base.yaml', revisionFile: 'revision.yaml'})
      // When only this check runs
      const {findings} = runChecks(diff, registry, {only: [c.id]})
      // Then it reports exactly the expected findings, at the registry's level
      assert.equal(findings.length, c.expected.length, JSON.stringify(findings, null, 1))
      c.expected.forEach((e, i) => {
        const f = findings[i]!
        assert.equal(f.id, c.id)
        assert.equal(f.level, c.level)
        assert.equal(f.operation, e.operation)
        assert.equal(f.location.file, e.file)
        assert.equal(f.location.pointer, e.pointer)
        assert.match(f.message, e.message)
      })
    })

    it(`${c.id}: reports nothing when the base is diffed against itself`, () => {
      // Given the base file on both sides
      const diff = diffSpecs(load(c.id, 'base'), load(c.id, 'base'))
      // When the check runs
      // Then nothing changed
      assert.deepEqual(runChecks(diff, registry, {only: [c.id]}).findings, [])
    })
  }

  it('judges security removal only on API Gateway specs (oasdiff rows 4-5 remove global security without it)', () => {
    // Given a plain OpenAPI spec whose operation loses its only security requirement
    const spec = (security: unknown) => ({
      openapi: '3.0.0',
      info: {title: 't', version: '1'},
      paths: {'/a': {get: {security, responses: {200: {description: 'ok'}}}}},
    })
    const diff = diffSpecs(spec([{bearer: []}]), spec([]))
    // When the API Gateway check runs
    // Then it stays quiet: oasdiff's api-security-removed (info) covers it
    assert.deepEqual(runChecks(diff, registry, {only: ['apigateway-security-removed']}).findings, [])
    assert.equal(runChecks(diff, registry, {only: ['api-security-removed']}).findings.length, 1)
  })
})
