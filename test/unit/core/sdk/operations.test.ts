import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {awsMethodName, operationsFromSpec} from '../../../../src/core/sdk/operations.ts'

describe('awsMethodName', () => {
  const cases: Array<[string, string, string]> = [
    ['/', 'GET', 'rootGet'],
    ['/pets', 'GET', 'petsGet'],
    ['/pets/{petId}', 'DELETE', 'petsPetIdDelete'],
    ['/pets/{petId}/owner-info', 'POST', 'petsPetIdOwnerInfoPost'],
    ['/{proxy+}', 'ANY', 'proxyAny'],
    ['/2fa', 'GET', '_2faGet'],
  ]
  for (const [path, method, name] of cases) {
    it(`${method} ${path} → ${name}`, () => {
      // Given a path and method; When named; Then AWS's SDK style
      assert.equal(awsMethodName(path, method), name)
    })
  }
})

describe('operationsFromSpec', () => {
  it('reads operations, parameters by location (with $refs and path-level ones) and bodies', () => {
    // Given an OpenAPI 3 document
    const doc = {
      openapi: '3.0.1',
      paths: {
        '/pets/{petId}': {
          parameters: [{$ref: '#/components/parameters/PetId'}],
          get: {
            operationId: 'getPet',
            parameters: [
              {name: 'x-trace', in: 'header'},
              {name: 'fields', in: 'query'},
            ],
          },
          put: {operationId: 'delete', requestBody: {content: {}}},
        },
        '/pets': {get: {operationId: 'listPets'}, 'x-amazon-apigateway-any-method': {}},
      },
      components: {parameters: {PetId: {name: 'petId', in: 'path', required: true}}},
    }
    // When the operations are read
    const ops = operationsFromSpec(doc)
    // Then they are sorted by path, named by operationId unless it is reserved, with parameters and bodies
    assert.deepEqual(
      ops.map((o) => [o.method, o.path, o.name, o.pathParams, o.queryParams, o.headerParams, o.hasBody]),
      [
        ['GET', '/pets', 'listPets', [], [], [], false],
        ['ANY', '/pets', 'petsAny', [], [], [], false],
        ['GET', '/pets/{petId}', 'getPet', ['petId'], ['fields'], ['x-trace'], false],
        ['PUT', '/pets/{petId}', 'petsPetIdPut', ['petId'], [], [], true],
      ],
    )
  })

  it('makes duplicate names unique', () => {
    // Given two operations sharing an operationId
    const doc = {paths: {'/a': {get: {operationId: 'same'}}, '/b': {get: {operationId: 'same'}}}}
    // When read; Then the second gets a suffix
    assert.deepEqual(
      operationsFromSpec(doc).map((o) => o.name),
      ['same', 'same2'],
    )
  })
})
