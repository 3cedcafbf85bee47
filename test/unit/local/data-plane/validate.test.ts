/**
 * Request validators: which checks run, AWS's 400 messages and their order (parameters before body), models as
 * JSON Schema draft 4 with $refs between models, and the default Empty/Error models. Messages as AWS answers them
 * (the data-plane reference, "Integrations": `Missing required request parameters: [a, b, c]`, `Invalid request body`).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {ModelDoc} from '../../../../src/local/openapi/types.ts'
import {
  bodyModelName,
  type RequestToValidate,
  type ValidationInput,
  validateRequest,
} from '../../../../src/local/data-plane/validate/index.ts'

const API = 'api123'
const model = (name: string, schema: unknown): ModelDoc => ({
  id: `m-${name}`,
  name,
  contentType: 'application/json',
  schema: JSON.stringify(schema),
})

const PET = model('Pet', {
  $schema: 'http://json-schema.org/draft-04/schema#',
  type: 'object',
  required: ['name', 'price'],
  properties: {name: {type: 'string', minLength: 1}, price: {type: 'number', minimum: 0}, kind: {type: 'string', enum: ['dog', 'cat']}},
})
const ORDER = model('Order', {
  type: 'object',
  required: ['pet'],
  properties: {
    pet: {$ref: `https://apigateway.amazonaws.com/restapis/${API}/models/Pet`},
    items: {type: 'array', items: {$ref: '#/definitions/Line'}},
  },
  definitions: {Line: {type: 'object', required: ['qty'], properties: {qty: {type: 'integer'}}}},
})
const BASKET = model('Basket', {type: 'array', items: {$ref: '#/definitions/Pet'}})

const VALIDATORS = [
  {id: 'all', name: 'all', validateRequestBody: true, validateRequestParameters: true},
  {id: 'params', name: 'params-only', validateRequestBody: false, validateRequestParameters: true},
  {id: 'body', name: 'body-only', validateRequestBody: true, validateRequestParameters: false},
]

function request(over: Partial<RequestToValidate> = {}): RequestToValidate {
  return {headers: {}, query: {}, pathParameters: {}, body: '', ...over}
}

function check(method: ValidationInput['method'], req: RequestToValidate, models: ModelDoc[] = [PET, ORDER, BASKET]) {
  // A fresh snapshot per check, so the compiled-schema cache never hides a case.
  return validateRequest({snapshot: {restApiId: API, models, requestValidators: VALIDATORS}, method, request: req})
}

const params = {
  'method.request.querystring.qs1': true,
  'method.request.header.x-header-param': true,
  'method.request.path.test': true,
  'method.request.querystring.optional': false,
}

type Case = {name: string; method: ValidationInput['method']; req: RequestToValidate; expected: string | null}

const cases: Case[] = [
  {
    name: 'no validator on the method: nothing is checked',
    method: {requestParameters: params, requestModels: {'application/json': 'Pet'}},
    req: request({body: 'x'}),
    expected: null,
  },
  {
    name: 'an unknown validator id: nothing is checked',
    method: {requestValidatorId: 'nope', requestParameters: params},
    req: request(),
    expected: null,
  },
  {
    name: 'every required parameter missing, listed by location (header, path, querystring)',
    method: {requestValidatorId: 'all', requestParameters: params},
    req: request(),
    expected: 'Missing required request parameters: [x-header-param, test, qs1]',
  },
  {
    name: 'a header is found in any case',
    method: {requestValidatorId: 'params', requestParameters: params},
    req: request({headers: {'X-Header-Param': 'v'}, pathParameters: {test: 't'}, query: {qs1: 'a'}}),
    expected: null,
  },
  {
    name: 'a blank value counts as missing ("included and not blank")',
    method: {requestValidatorId: 'params', requestParameters: params},
    req: request({headers: {'x-header-param': '  '}, pathParameters: {test: 't'}, query: {qs1: ''}}),
    expected: 'Missing required request parameters: [x-header-param, qs1]',
  },
  {
    name: 'a multi-value query string with one value is present',
    method: {requestValidatorId: 'params', requestParameters: {'method.request.multivaluequerystring.tag': true}},
    req: request({query: {tag: ['', 'a']}}),
    expected: null,
  },
  {
    name: 'an optional parameter is never required',
    method: {requestValidatorId: 'params', requestParameters: {'method.request.querystring.optional': false}},
    req: request(),
    expected: null,
  },
  {
    name: 'parameters are checked before the body',
    method: {
      requestValidatorId: 'all',
      requestParameters: {'method.request.querystring.qs1': true},
      requestModels: {'application/json': 'Pet'},
    },
    req: request({body: 'not json'}),
    expected: 'Missing required request parameters: [qs1]',
  },
  {
    name: 'a params-only validator ignores a bad body',
    method: {requestValidatorId: 'params', requestModels: {'application/json': 'Pet'}},
    req: request({body: '{}'}),
    expected: null,
  },
  {
    name: 'a body-only validator ignores missing parameters',
    method: {requestValidatorId: 'body', requestParameters: params, requestModels: {'application/json': 'Pet'}},
    req: request({body: '{"name":"rex","price":1}'}),
    expected: null,
  },
  {
    name: 'a body missing a required property',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}},
    req: request({body: '{"name":"rex"}'}),
    expected: 'Invalid request body',
  },
  {
    name: 'a property of the wrong type',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}},
    req: request({body: '{"name":"rex","price":"1"}'}),
    expected: 'Invalid request body',
  },
  {
    name: 'a value outside its enum',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}},
    req: request({body: '{"name":"rex","price":1,"kind":"fish"}'}),
    expected: 'Invalid request body',
  },
  {
    name: 'a body that is not JSON',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}},
    req: request({body: '{"name":'}),
    expected: 'Invalid request body',
  },
  {
    name: 'an empty body is validated as {}',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}},
    req: request(),
    expected: 'Invalid request body',
  },
  {
    name: 'a body as bytes',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}},
    req: request({body: new TextEncoder().encode('{"name":"rex","price":2}')}),
    expected: null,
  },
  {
    name: 'a $ref to another model by its URL',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Order'}},
    req: request({body: '{"pet":{"name":"rex"}}'}),
    expected: 'Invalid request body',
  },
  {
    name: 'a $ref to another model by URL, valid',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Order'}},
    req: request({body: '{"pet":{"name":"rex","price":3},"items":[{"qty":2}]}'}),
    expected: null,
  },
  {
    name: 'a local #/definitions $ref',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Order'}},
    req: request({body: '{"pet":{"name":"rex","price":3},"items":[{"qty":2.5}]}'}),
    expected: 'Invalid request body',
  },
  {
    name: 'a #/definitions $ref naming another model',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Basket'}},
    req: request({body: '[{"name":"rex","price":3},{"name":""}]'}),
    expected: 'Invalid request body',
  },
  {
    name: '$default is used when there is no application/json model',
    method: {requestValidatorId: 'body', requestModels: {$default: 'Pet'}},
    req: request({body: '{}'}),
    expected: 'Invalid request body',
  },
  {
    name: 'no model: the Empty model accepts any object',
    method: {requestValidatorId: 'body'},
    req: request({body: '{"anything":[1]}'}),
    expected: null,
  },
  {
    name: 'no model: the Empty model refuses an array',
    method: {requestValidatorId: 'body'},
    req: request({body: '[1]'}),
    expected: 'Invalid request body',
  },
  {
    name: 'the default Error model',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Error'}},
    req: request({body: '{"message":5}'}),
    expected: 'Invalid request body',
  },
  {
    name: 'a model the API does not have',
    method: {requestValidatorId: 'body', requestModels: {'application/json': 'Ghost'}},
    req: request({body: '{}'}),
    expected: 'Invalid request body',
  },
]

describe('validateRequest', () => {
  for (const c of cases) {
    it(c.name, () => {
      // Given the method and request of the case; When it is validated
      const r = check(c.method, c.req)
      // Then AWS's answer (or none)
      if (c.expected === null) assert.equal(r.ok, true, r.ok ? '' : r.message)
      else {
        assert.equal(r.ok, false)
        if (!r.ok) {
          assert.equal(r.message, c.expected)
          assert.equal(r.responseType, c.expected.startsWith('Missing') ? 'BAD_REQUEST_PARAMETERS' : 'BAD_REQUEST_BODY')
        }
      }
    })
  }

  it("says what was wrong in validationErrorString, in the validator's words", () => {
    const r = check({requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}}, request({body: '{"name":"rex"}'}))
    assert.equal(r.ok, false)
    if (!r.ok) {
      assert.equal(r.validationErrorString, '[object has missing required properties (["price"])]')
      assert.match(r.logLine, /^Request body does not match model schema for content type application\/json: /)
    }
  })

  it('a model with a broken schema fails validation instead of throwing', () => {
    const broken: ModelDoc = {id: 'b', name: 'Broken', contentType: 'application/json', schema: '{not json'}
    const r = check({requestValidatorId: 'body', requestModels: {'application/json': 'Broken'}}, request({body: '{}'}), [broken])
    assert.equal(r.ok, false)
    if (!r.ok) assert.match(r.validationErrorString, /Model Broken cannot be used/)
  })

  it('compiles a model once per deployment snapshot and reuses it', () => {
    const snapshot = {restApiId: API, models: [PET], requestValidators: VALIDATORS}
    const input = (body: string): ValidationInput => ({
      snapshot,
      method: {requestValidatorId: 'body', requestModels: {'application/json': 'Pet'}},
      request: request({body}),
    })
    assert.equal(validateRequest(input('{"name":"a","price":1}')).ok, true)
    const start = process.hrtime.bigint()
    for (let i = 0; i < 1000; i++) validateRequest(input('{"name":"a","price":1}'))
    const perCallMicros = Number(process.hrtime.bigint() - start) / 1000 / 1000
    // Compiling a schema takes milliseconds; a cached validator answers in microseconds.
    assert.ok(perCallMicros < 500, `validation took ${perCallMicros} µs per call`)
    assert.equal(validateRequest(input('{"name":"a"}')).ok, false)
  })

  it('picks the body model: application/json, else $default, else Empty', () => {
    assert.equal(bodyModelName({requestModels: {'application/json': 'A', $default: 'B'}}), 'A')
    assert.equal(bodyModelName({requestModels: {'text/plain': 'T', $default: 'B'}}), 'B')
    assert.equal(bodyModelName({}), 'Empty')
  })
})
