import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {stripApiGatewayExtensions} from '../../../src/services/export/spec.ts'

describe('stripApiGatewayExtensions', () => {
  it('drops every x-amazon-apigateway-* member at any depth, keeps other x- members, does not touch the input', () => {
    // Given a document with API Gateway extensions at the root, in operations and in arrays
    const doc = {
      openapi: '3.0.1',
      'x-amazon-apigateway-policy': {},
      'x-other': 1,
      paths: {
        '/a': {
          get: {'x-amazon-apigateway-integration': {type: 'mock'}, parameters: [{name: 'p', 'x-amazon-apigateway-x': true}], responses: {}},
        },
      },
    }
    const before = structuredClone(doc)
    // When stripped
    const out = stripApiGatewayExtensions(doc)
    // Then only those members are gone
    assert.deepEqual(out, {openapi: '3.0.1', 'x-other': 1, paths: {'/a': {get: {parameters: [{name: 'p'}], responses: {}}}}})
    assert.deepEqual(doc, before)
  })
})
