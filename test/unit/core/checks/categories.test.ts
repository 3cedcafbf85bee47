// One case per category of oasdiff's table that EXPECTED.md does not cover, each checked with the full rule set.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {registry, runChecks} from '../../../../src/core/checks/index.ts'
import {diffSpecs} from '../../../../src/core/diff/index.ts'

type Obj = Record<string, unknown>
const doc = (paths: Obj, extra: Obj = {}): Obj => ({openapi: '3.0.3', info: {title: 't', version: '1'}, paths, ...extra})
const ok = {200: {description: 'ok'}}
const get = (op: Obj, extra: Obj = {}) => doc({'/pets': {get: {responses: ok, ...op}}}, extra)
const body = (schema: unknown, required = true) => ({requestBody: {required, content: {'application/json': {schema}}}})
const reply = (schema: unknown, headers: Obj = {}) => ({
  responses: {200: {description: 'ok', headers, content: {'application/json': {schema}}}},
})
const obj = (properties: Obj, required: string[] = []) => ({type: 'object', properties, ...(required.length ? {required} : {})})
const param = (p: Obj) => ({parameters: [{in: 'query', name: 'q', ...p}]})

const cases: Array<{name: string; base: Obj; revision: Obj; ids: string[]}> = [
  {
    name: 'request body became required',
    base: get(body(obj({a: {type: 'string'}}), false)),
    revision: get(body(obj({a: {type: 'string'}}), true)),
    ids: ['request-body-became-required'],
  },
  {name: 'required request body added', base: get({}), revision: get(body(obj({}))), ids: ['added-required-request-body']},
  {
    name: 'request media type added',
    base: get(body({type: 'string'})),
    revision: get({requestBody: {content: {'application/json': {schema: {type: 'string'}}, 'text/plain': {schema: {type: 'string'}}}}}),
    ids: ['request-body-became-optional', 'request-body-media-type-added'],
  },
  {
    name: 'parameter became required',
    base: get(param({schema: {type: 'string'}})),
    revision: get(param({required: true, schema: {type: 'string'}})),
    ids: ['request-parameter-became-required'],
  },
  {
    name: 'new required parameter',
    base: get({}),
    revision: get(param({required: true, schema: {type: 'string'}})),
    ids: ['new-required-request-parameter'],
  },
  {
    name: 'parameter type changed',
    base: get(param({schema: {type: 'string'}})),
    revision: get(param({schema: {type: 'integer'}})),
    ids: ['request-parameter-type-changed'],
  },
  {
    name: 'parameter format narrowed',
    base: get(param({schema: {type: 'integer', format: 'int64'}})),
    revision: get(param({schema: {type: 'integer', format: 'int32'}})),
    ids: ['request-parameter-type-changed'],
  },
  {
    name: 'parameter pattern added',
    base: get(param({schema: {type: 'string'}})),
    revision: get(param({schema: {type: 'string', pattern: '^[a-z]+$'}})),
    ids: ['request-parameter-pattern-added'],
  },
  {
    name: 'parameter pattern generalized',
    base: get(param({schema: {type: 'string', pattern: '^[a-z]+$'}})),
    revision: get(param({schema: {type: 'string', pattern: '.*'}})),
    ids: ['request-parameter-pattern-generalized'],
  },
  {
    name: 'parameter max set',
    base: get(param({schema: {type: 'integer'}})),
    revision: get(param({schema: {type: 'integer', maximum: 10}})),
    ids: ['request-parameter-max-set'],
  },
  {
    name: 'parameter became nullable',
    base: get(param({schema: {type: 'string'}})),
    revision: get(param({schema: {type: 'string', nullable: true}})),
    ids: ['request-parameter-became-nullable'],
  },
  {
    name: 'parameter deprecated',
    base: get(param({schema: {type: 'string'}})),
    revision: get(param({deprecated: true, schema: {type: 'string'}})),
    ids: ['request-parameter-deprecated'],
  },
  {
    name: 'request property enum value removed',
    base: get(body(obj({k: {type: 'string', enum: ['a', 'b']}}))),
    revision: get(body(obj({k: {type: 'string', enum: ['a']}}))),
    ids: ['request-property-enum-value-removed'],
  },
  {
    name: 'read-only request property enum value removed',
    base: get(body(obj({k: {type: 'string', readOnly: true, enum: ['a', 'b']}}))),
    revision: get(body(obj({k: {type: 'string', readOnly: true, enum: ['a']}}))),
    ids: ['request-read-only-property-enum-value-removed'],
  },
  {
    name: 'request property became read-only',
    base: get(body(obj({k: {type: 'string'}}))),
    revision: get(body(obj({k: {type: 'string', readOnly: true}}))),
    ids: ['request-optional-property-became-read-only'],
  },
  {
    name: 'request additionalProperties disallowed',
    base: get(body(obj({k: {type: 'string'}}))),
    revision: get(body({...obj({k: {type: 'string'}}), additionalProperties: false})),
    ids: ['request-body-additional-properties-disallowed'],
  },
  {
    name: 'request property const changed',
    base: get(body(obj({k: {const: 'a'}}))),
    revision: get(body(obj({k: {const: 'b'}}))),
    ids: ['request-property-const-changed'],
  },
  {
    name: 'request body wrapped in oneOf',
    base: get(body(obj({k: {type: 'string'}}))),
    revision: get(body({oneOf: [obj({k: {type: 'string'}}), obj({j: {type: 'string'}})]})),
    ids: ['request-body-wrapped-in-one-of'],
  },
  {
    name: 'request property anyOf subschema removed',
    base: get(body(obj({k: {anyOf: [{type: 'string', format: 'date'}, obj({a: {type: 'string'}})]}}))),
    revision: get(body(obj({k: {anyOf: [{type: 'string', format: 'date'}]}}))),
    ids: ['request-property-any-of-removed'],
  },
  {
    name: 'response property type changed',
    base: get(reply(obj({k: {type: 'string'}}))),
    revision: get(reply(obj({k: {type: 'integer'}}))),
    ids: ['response-property-type-changed'],
  },
  {
    name: 'response property max length increased',
    base: get(reply(obj({k: {type: 'string', maxLength: 5}}))),
    revision: get(reply(obj({k: {type: 'string', maxLength: 9}}))),
    ids: ['response-property-max-length-increased'],
  },
  {
    name: 'response property enum value removed',
    base: get(reply(obj({k: {type: 'string', enum: ['a', 'b']}}))),
    revision: get(reply(obj({k: {type: 'string', enum: ['a']}}))),
    ids: ['response-property-enum-value-removed'],
  },
  {
    name: 'response property became write-only',
    base: get(reply(obj({k: {type: 'string'}}, ['k']))),
    revision: get(reply(obj({k: {type: 'string', writeOnly: true}}, ['k']))),
    ids: ['response-required-property-became-write-only'],
  },
  {
    name: 'response property oneOf added',
    base: get(reply(obj({k: {oneOf: [obj({a: {type: 'string'}})]}}))),
    revision: get(reply(obj({k: {oneOf: [obj({a: {type: 'string'}}), obj({b: {type: 'string'}})]}}))),
    ids: ['response-property-one-of-added'],
  },
  {
    name: 'response discriminator removed',
    base: get(reply({...obj({kind: {type: 'string'}}), discriminator: {propertyName: 'kind'}})),
    revision: get(reply(obj({kind: {type: 'string'}}))),
    ids: ['response-body-discriminator-removed'],
  },
  {
    name: 'response header became optional',
    base: get(reply({type: 'string'}, {'X-Rate': {required: true, schema: {type: 'integer'}}})),
    revision: get(reply({type: 'string'}, {'X-Rate': {schema: {type: 'integer'}}})),
    ids: ['response-header-became-optional'],
  },
  {
    name: 'required response header removed',
    base: get(reply({type: 'string'}, {'X-Rate': {required: true, schema: {type: 'integer'}}})),
    revision: get(reply({type: 'string'})),
    ids: ['required-response-header-removed'],
  },
  {
    name: 'response media type added',
    base: get(reply({type: 'string'})),
    revision: get({
      responses: {
        200: {description: 'ok', content: {'application/json': {schema: {type: 'string'}}, 'text/csv': {schema: {type: 'string'}}}},
      },
    }),
    ids: ['response-media-type-added'],
  },
  {
    name: 'success status added',
    base: get({}),
    revision: get({responses: {...ok, 201: {description: 'created'}}}),
    ids: ['response-success-status-added'],
  },
  {
    name: 'operation security scope added',
    base: get({security: [{oauth: ['read']}]}),
    revision: get({security: [{oauth: ['read', 'write']}]}),
    ids: ['api-security-scope-added'],
  },
  {name: 'global security added', base: get({}), revision: get({}, {security: [{key: []}]}), ids: ['api-global-security-added']},
  {
    name: 'security scheme type changed',
    base: get({}, {components: {securitySchemes: {s: {type: 'http', scheme: 'bearer'}}}}),
    revision: get({}, {components: {securitySchemes: {s: {type: 'apiKey', in: 'header', name: 'k'}}}}),
    ids: ['api-security-component-type-changed'],
  },
  {
    name: 'server removed',
    base: get({}, {servers: [{url: 'https://a'}, {url: 'https://b'}]}),
    revision: get({}, {servers: [{url: 'https://a'}]}),
    ids: ['api-server-removed'],
  },
  {
    name: 'operationId and tag changed',
    base: get({operationId: 'a', tags: ['x']}),
    revision: get({operationId: 'b', tags: ['y']}),
    ids: ['api-operation-id-removed', 'api-tag-added', 'api-tag-removed'],
  },
  {name: 'endpoint deprecated', base: get({}), revision: get({deprecated: true}), ids: ['endpoint-deprecated']},
  {name: 'endpoint reactivated', base: get({deprecated: true}), revision: get({}), ids: ['endpoint-reactivated']},
  {
    name: 'sunset deleted from a deprecated endpoint',
    base: get({deprecated: true, 'x-sunset': '2030-01-01'}),
    revision: get({deprecated: true}),
    ids: ['api-sunset-deleted'],
  },
  {
    name: 'stability increased',
    base: get({'x-stability-level': 'beta'}),
    revision: get({'x-stability-level': 'stable'}),
    ids: ['api-stability-increased'],
  },
  {name: 'endpoint added', base: get({}), revision: doc({'/pets': {get: {responses: ok}, post: {responses: ok}}}), ids: ['endpoint-added']},
  {
    name: 'webhook added (3.1)',
    base: {...get({}), openapi: '3.1.0'},
    revision: {...get({}, {webhooks: {ping: {post: {responses: ok}}}}), openapi: '3.1.0'},
    ids: ['webhook-added'],
  },
]

describe('check categories', () => {
  for (const c of cases)
    it(`${c.name} → ${c.ids.join(', ')}`, () => {
      // Given two documents differing in one respect
      const diff = diffSpecs(c.base, c.revision)
      // When every check runs
      const ids = runChecks(diff, registry, {now: new Date('2026-01-01T00:00:00Z')})
        .findings.map((f) => f.id)
        .sort()
      // Then exactly the expected ids are reported
      assert.deepEqual(ids, [...c.ids].sort())
    })
})
