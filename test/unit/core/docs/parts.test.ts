/** Documentation parts from an OpenAPI document, and the document the `apigw docs` page shows. */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {documentationParts, locationKey, withDocumentation} from '../../../../src/core/docs/parts.ts'
import {indexHtml, prepareSpec, specScript} from '../../../../src/core/docs/page.ts'

const OAS = {
  openapi: '3.0.1',
  info: {title: 'Pets', version: '2.0.0', description: 'All about pets.'},
  paths: {
    '/pets/{id}': {
      description: 'One pet.',
      parameters: [{$ref: '#/components/parameters/Id'}],
      get: {
        summary: 'Get a pet',
        tags: ['pets'],
        security: [{key: []}],
        responses: {
          '200': {description: 'The pet.', headers: {ETag: {description: 'Its version.'}}},
          default: {description: 'An error (no location: AWS wants a status code).'},
        },
      },
      'x-amazon-apigateway-any-method': {summary: 'Anything else'},
    },
  },
  components: {
    parameters: {Id: {name: 'id', in: 'path', required: true, description: 'The pet id.'}},
    schemas: {Pet: {type: 'object', description: 'A pet.'}, Bare: {type: 'string'}},
    securitySchemes: {key: {type: 'apiKey', name: 'x-api-key', in: 'header'}},
  },
}

describe('documentationParts', () => {
  it('puts each description at the location API Gateway documents it', () => {
    // Given a spec with descriptions on the API, a path, operations, a shared parameter, responses and a model
    const parts = documentationParts(OAS)
    // Then each becomes one part, and what has no description or no valid location none
    assert.deepEqual(
      parts.map((p) => [p.location, p.properties]),
      [
        [{type: 'API'}, {info: {description: 'All about pets.'}}],
        [{type: 'RESOURCE', path: '/pets/{id}'}, {description: 'One pet.'}],
        [
          {type: 'METHOD', path: '/pets/{id}', method: 'GET'},
          {summary: 'Get a pet', tags: ['pets']},
        ],
        [{type: 'PATH_PARAMETER', path: '/pets/{id}', method: 'GET', name: 'id'}, {description: 'The pet id.'}],
        [{type: 'RESPONSE', path: '/pets/{id}', method: 'GET', statusCode: '200'}, {description: 'The pet.'}],
        [{type: 'RESPONSE_HEADER', path: '/pets/{id}', method: 'GET', statusCode: '200', name: 'ETag'}, {description: 'Its version.'}],
        [{type: 'METHOD', path: '/pets/{id}', method: 'ANY'}, {summary: 'Anything else'}],
        [{type: 'PATH_PARAMETER', path: '/pets/{id}', method: 'ANY', name: 'id'}, {description: 'The pet id.'}],
        [{type: 'MODEL', name: 'Pet'}, {description: 'A pet.'}],
      ],
    )
  })

  it("lets the spec's own x-amazon-apigateway-documentation win at the same location, defaults included", () => {
    const doc = {
      ...OAS,
      'x-amazon-apigateway-documentation': {
        documentationParts: [
          {location: {type: 'API'}, properties: {info: {description: 'Written by hand.'}}},
          {location: {type: 'RESOURCE'}, properties: '{"description":"The root."}'},
        ],
      },
    }
    const parts = documentationParts(doc)
    assert.deepEqual(parts[0]?.properties, {info: {description: 'Written by hand.'}})
    assert.deepEqual(parts.at(-1), {location: {type: 'RESOURCE'}, properties: {description: 'The root.'}})
    // A location with its defaults written out is the same location
    assert.equal(locationKey({type: 'METHOD', path: '/'}), locationKey({type: 'METHOD', path: '/', method: '*'}))
    assert.notEqual(locationKey({type: 'METHOD', path: '/a'}), locationKey({type: 'METHOD', path: '/b'}))
  })

  it('adds the parts to a copy of the document, with a hash that changes with them', () => {
    const a = withDocumentation(OAS, '2.0.0')
    const b = withDocumentation({...OAS, info: {...OAS.info, description: 'Changed.'}}, '2.0.0')
    assert.equal((a.doc['x-amazon-apigateway-documentation'] as {version: string}).version, '2.0.0')
    assert.equal('x-amazon-apigateway-documentation' in OAS, false)
    assert.match(a.hash, /^[0-9a-f]{12}$/)
    assert.notEqual(a.hash, b.hash)
    assert.equal(withDocumentation(OAS, '2.0.0').hash, a.hash)
  })
})

describe('the docs page', () => {
  it('shows the invoke URL as the server, says where the API key goes, and drops AWS extensions', () => {
    const prepared = prepareSpec({spec: OAS, api: 'pets', stage: 'prod', invokeUrl: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod'})
    assert.deepEqual(prepared.spec.servers, [
      {url: 'https://abc.execute-api.eu-west-1.amazonaws.com/prod', description: 'Stage prod of pets'},
    ])
    // ANY is shown as every method the path does not define itself
    assert.deepEqual(prepared.operations, [
      'DELETE /pets/{id}',
      'GET /pets/{id}',
      'HEAD /pets/{id}',
      'OPTIONS /pets/{id}',
      'PATCH /pets/{id}',
      'POST /pets/{id}',
      'PUT /pets/{id}',
    ])
    assert.deepEqual(prepared.apiKeyRequired, ['GET /pets/{id}'])
    assert.match(String((prepared.spec.info as {description: string}).description), /x-api-key/)
    assert.equal(JSON.stringify(prepared.spec).includes('x-amazon-apigateway'), false)
    assert.equal(JSON.stringify(OAS).includes('servers'), false, 'the input is not changed')
  })

  it('embeds the spec so no text of it can end the script, and escapes the title', () => {
    const script = specScript({info: {title: '</script><script>alert(1)</script>'}})
    assert.equal(script.includes('</script>'), false)
    const html = indexHtml({title: '<b>Pets</b>', stage: 'dev'})
    assert.match(html, /<title>&lt;b&gt;Pets&lt;\/b&gt; \(dev\)<\/title>/)
    assert.doesNotMatch(html, /https?:\/\//)
  })
})
