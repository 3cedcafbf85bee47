import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {diffSpecs} from '../../../../src/core/diff/index.ts'

type Obj = Record<string, unknown>
const oas = (paths: Obj, components: Obj = {}): Obj => ({openapi: '3.0.3', info: {title: 't', version: '1'}, paths, components})
const json = (schema: unknown) => ({content: {'application/json': {schema}}})
const getWith = (schema: unknown) => ({'/pets': {get: {responses: {200: {description: 'ok', ...json(schema)}}}}})

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

const pet = {type: 'object', required: ['id'], properties: {id: {type: 'integer'}, name: {type: 'string'}}}

describe('diffSpecs', () => {
  it('reports nothing for equal documents', () => {
    // Given two equal documents
    const doc = oas(getWith({$ref: '#/components/schemas/Pet'}), {schemas: {Pet: pet}})
    // When they are diffed
    const d = diffSpecs(doc, structuredClone(doc))
    // Then nothing changed
    assert.deepEqual(d.operations, {added: [], removed: [], modified: []})
  })

  const refactors: Array<{name: string; base: Obj; revision: Obj}> = [
    {name: 'inline → $ref', base: oas(getWith(pet)), revision: oas(getWith({$ref: '#/components/schemas/Pet'}), {schemas: {Pet: pet}})},
    {name: '$ref → inline', base: oas(getWith({$ref: '#/components/schemas/Pet'}), {schemas: {Pet: pet}}), revision: oas(getWith(pet))},
    {
      name: 'renamed component',
      base: oas(getWith({$ref: '#/components/schemas/Pet'}), {schemas: {Pet: pet}}),
      revision: oas(getWith({$ref: '#/components/schemas/Animal'}), {schemas: {Animal: pet}}),
    },
    {
      name: 'enum moved to a component',
      base: oas(getWith({type: 'string', enum: ['a', 'b']})),
      revision: oas(getWith({$ref: '#/components/schemas/E'}), {schemas: {E: {type: 'string', enum: ['b', 'a']}}}),
    },
  ]
  for (const r of refactors)
    it(`treats a refactor (${r.name}) as no change`, () => {
      // Given the same schema written inline on one side and through $refs on the other
      // When diffed
      const d = diffSpecs(r.base, r.revision)
      // Then nothing changed
      assert.equal(d.operations.modified.length, 0)
    })

  it('follows cyclic $refs, finds a change inside the cycle, and terminates', () => {
    // Given a tree schema that refers to itself, whose revision adds a property to the node
    const node = (extra: Obj) => ({
      type: 'object',
      properties: {children: {type: 'array', items: {$ref: '#/components/schemas/Node'}}, ...extra},
    })
    const base = oas(getWith({$ref: '#/components/schemas/Node'}), {schemas: {Node: node({})}})
    const revision = oas(getWith({$ref: '#/components/schemas/Node'}), {schemas: {Node: node({label: {type: 'string'}})}})
    // When diffed
    const d = diffSpecs(base, revision)
    // Then the added property is described once, with a pointer into the component
    const schema = d.operations.modified[0]?.responses.modified[0]?.content.modified[0]?.schema
    assert.deepEqual(schema?.properties?.added, ['label'])
    assert.equal(schema?.revisionPointer, '#/components/schemas/Node')
  })

  it('matches renamed path parameters by position (/pets/{id} and /pets/{petId})', () => {
    // Given a path whose parameter is renamed, with its default changed
    const op = (name: string, def: string) => ({
      [`/pets/{${name}}`]: {
        get: {
          parameters: [{in: 'path', name, required: true, schema: {type: 'string', default: def}}],
          responses: {200: {description: 'ok'}},
        },
      },
    })
    // When diffed
    const d = diffSpecs(oas(op('id', '1')), oas(op('petId', '2')))
    // Then the operation is modified, not removed and added, and the parameter is matched
    assert.equal(d.operations.added.length + d.operations.removed.length, 0)
    const param = d.operations.modified[0]!.parameters.modified[0]!
    assert.equal(param.name, 'petId')
    assert.deepEqual(param.schema?.default, {from: '1', to: '2'})
    assert.equal(d.operations.modified[0]!.operation, 'GET /pets/{petId}')
  })

  it('marks a removed operation whose whole path is gone', () => {
    // Given a revision that drops one method of /a and the whole of /b
    const ok = {responses: {200: {description: 'ok'}}}
    const d = diffSpecs(oas({'/a': {get: ok, post: ok}, '/b': {get: ok}}), oas({'/a': {get: ok}}))
    // Then both are removed, and only /b as a path
    const removed = d.operations.removed.map((o) => [o.operation, o.pathRemoved])
    assert.deepEqual(removed, [
      ['POST /a', false],
      ['GET /b', true],
    ])
  })

  it('normalises Swagger 2.0 (body and formData parameters, produces, definitions) into the same model', () => {
    // Given a Swagger 2.0 document and the same API in OpenAPI 3.0
    const swagger = {
      swagger: '2.0',
      info: {title: 't', version: '1'},
      consumes: ['application/json'],
      produces: ['application/json'],
      paths: {
        '/pets': {
          post: {
            parameters: [{in: 'body', name: 'body', required: true, schema: {$ref: '#/definitions/Pet'}}],
            responses: {200: {description: 'ok', schema: {$ref: '#/definitions/Pet'}}},
          },
          put: {
            consumes: ['application/x-www-form-urlencoded'],
            parameters: [{in: 'formData', name: 'name', type: 'string', required: true}],
            responses: {204: {description: 'ok'}},
          },
        },
      },
      definitions: {Pet: pet},
    }
    const openapi = oas(
      {
        '/pets': {
          post: {
            requestBody: {required: true, ...json({$ref: '#/components/schemas/Pet'})},
            responses: {200: {description: 'ok', ...json(pet)}},
          },
          put: {
            requestBody: {
              required: true,
              content: {
                'application/x-www-form-urlencoded': {schema: {type: 'object', properties: {name: {type: 'string'}}, required: ['name']}},
              },
            },
            responses: {204: {description: 'ok'}},
          },
        },
      },
      {schemas: {Pet: pet}},
    )
    // When diffed either way
    // Then nothing changed
    assert.deepEqual(diffSpecs(swagger, openapi).operations.modified, [])
    assert.deepEqual(diffSpecs(openapi, swagger).operations.modified, [])
    // And a change in a definition is seen through the body parameter
    const changed = structuredClone(swagger)
    changed.definitions.Pet.required = ['id', 'name']
    const d = diffSpecs(swagger, changed)
    assert.deepEqual(d.operations.modified[0]?.requestBody?.content?.modified[0]?.schema?.required, {added: ['name'], removed: []})
  })

  it('never mutates its inputs', () => {
    // Given frozen documents (any write would throw in strict mode)
    const base = deepFreeze(oas(getWith({$ref: '#/components/schemas/Pet'}), {schemas: {Pet: pet}}))
    const revision = deepFreeze(oas(getWith({type: 'string'})))
    // When diffed
    // Then it does not throw and still sees the change
    const d = diffSpecs(base, revision)
    assert.deepEqual(d.operations.modified[0]?.responses.modified[0]?.content.modified[0]?.schema?.type, {from: ['object'], to: ['string']})
  })

  it('points into each document and names the files', () => {
    // Given a parameter whose enum loses a value
    const op = (values: string[]) => ({
      '/pets': {
        get: {parameters: [{in: 'query', name: 'kind', schema: {type: 'string', enum: values}}], responses: {200: {description: 'ok'}}},
      },
    })
    const d = diffSpecs(oas(op(['a', 'b'])), oas(op(['a'])), {baseFile: 'old.yaml', revisionFile: 'new.yaml'})
    // Then pointers and file names are carried
    const p = d.operations.modified[0]!.parameters.modified[0]!
    assert.equal(p.schema?.revisionPointer, '#/paths/~1pets/get/parameters/0/schema')
    assert.deepEqual(p.schema?.enum?.removed, ['b'])
    assert.equal(d.base.file, 'old.yaml')
    assert.equal(d.revision.file, 'new.yaml')
  })

  it('treats OpenAPI 3.1 type lists with "null" as nullable, not as a type change', () => {
    // Given a 3.1 property that becomes [string, null]
    const doc = (type: unknown) => ({...oas(getWith({type: 'object', properties: {a: {type}}})), openapi: '3.1.0'})
    const schema = diffSpecs(doc('string'), doc(['string', 'null'])).operations.modified[0]?.responses.modified[0]?.content.modified[0]
      ?.schema
    // Then only nullable changed
    const a = schema?.properties?.modified['a']
    assert.deepEqual(a?.nullable, {from: false, to: true})
    assert.equal(a?.type, undefined)
  })

  it('compares webhooks, servers, global security and API Gateway document extensions', () => {
    // Given documents that differ only at the top level
    const base = {
      ...oas({}),
      servers: [{url: 'https://a'}],
      security: [{k: []}],
      webhooks: {ping: {}},
      'x-amazon-apigateway-binary-media-types': ['image/png'],
    }
    const revision = {...oas({}), servers: [{url: 'https://b'}], webhooks: {pong: {}}}
    const d = diffSpecs(base, revision)
    // Then each is described
    assert.deepEqual([d.servers.added, d.servers.removed], [['https://b'], ['https://a']])
    assert.deepEqual(d.webhooks.names, {added: ['pong'], removed: ['ping']})
    assert.deepEqual(d.security?.removed, [{k: []}])
    assert.deepEqual(d.apiGateway['x-amazon-apigateway-binary-media-types']?.from, ['image/png'])
  })
})
