/**
 * The Lambda proxy response rules (REST), one row per rule of the shared reference ("Lambda proxy response
 * rules"): what a function's answer becomes for the client, and which answers AWS calls malformed (502).
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {proxyResponse} from '../../../../src/local/data-plane/integrations/lambda.ts'

type Row = {
  name: string
  answer: unknown
  status?: number
  headers?: Array<[string, string]>
  body?: string
  malformed?: true
  accept?: string
  binary?: string[]
}

const rows: Row[] = [
  {
    name: 'statusCode only: 200, empty body, JSON content type',
    answer: {statusCode: 200},
    status: 200,
    headers: [['Content-Type', 'application/json']],
    body: '',
  },
  {
    name: 'a boolean header value is sent as text',
    answer: {statusCode: 200, headers: {'header-bool': true}},
    status: 200,
    headers: [
      ['header-bool', 'true'],
      ['Content-Type', 'application/json'],
    ],
    body: '',
  },
  {name: 'headers: null is fine', answer: {statusCode: 200, headers: null, body: 'x'}, status: 200, body: 'x'},
  {name: 'an unknown top-level key is malformed', answer: {statusCode: 200, wrongValue: 1}, malformed: true},
  {name: 'a bare string is malformed', answer: 'justAString', malformed: true},
  {name: 'a non-numeric statusCode is malformed', answer: {statusCode: 'test'}, malformed: true},
  {name: 'a numeric string statusCode is used', answer: {statusCode: '201'}, status: 201},
  {
    name: 'no statusCode but headers is 200',
    answer: {headers: {a: 'b'}},
    status: 200,
    headers: [
      ['a', 'b'],
      ['Content-Type', 'application/json'],
    ],
  },
  {
    name: 'isBase64Encoded without binaryMediaTypes returns the base64 text',
    answer: {statusCode: 200, body: 'aGk=', isBase64Encoded: true},
    status: 200,
    body: 'aGk=',
  },
  {
    name: 'isBase64Encoded with an Accept in binaryMediaTypes returns bytes',
    answer: {statusCode: 200, body: 'aGk=', isBase64Encoded: true},
    accept: 'image/png',
    binary: ['image/*'],
    status: 200,
    body: 'hi',
  },
  {
    name: 'multiValueHeaders are joined with ", "',
    answer: {statusCode: 200, multiValueHeaders: {'test-multi': ['value1', 'value2']}},
    headers: [
      ['test-multi', 'value1, value2'],
      ['Content-Type', 'application/json'],
    ],
  },
  {
    name: 'the same key in both: multi first, multiValueHeaders casing wins',
    answer: {statusCode: 200, headers: {'Test-Multi': 'value-solo'}, multiValueHeaders: {'tesT-Multi': ['value-multi']}},
    headers: [
      ['tesT-Multi', 'value-multi, value-solo'],
      ['Content-Type', 'application/json'],
    ],
  },
  {name: 'a non-list multiValueHeaders value is malformed', answer: {statusCode: 200, multiValueHeaders: {a: 'b'}}, malformed: true},
  {name: 'a non-string body is malformed', answer: {statusCode: 200, body: {a: 1}}, malformed: true},
  {name: 'a JSON array is malformed', answer: [1], malformed: true},
  {name: 'invalid JSON is malformed', answer: Symbol.for('not json'), malformed: true},
  {
    name: 'Server and WWW-Authenticate are remapped',
    answer: {headers: {Server: 's', 'WWW-Authenticate': 'Basic'}},
    headers: [
      ['x-amzn-Remapped-Server', 's'],
      ['x-amzn-Remapped-WWW-Authenticate', 'Basic'],
      ['Content-Type', 'application/json'],
    ],
  },
  {
    name: 'a given Content-Type is kept',
    answer: {headers: {'content-type': 'text/html'}, body: '<p>'},
    headers: [['content-type', 'text/html']],
    body: '<p>',
  },
]

describe('Lambda proxy response rules', () => {
  for (const row of rows) {
    it(row.name, () => {
      // Given the function's answer, When the gateway reads it, Then the client gets the row's response
      const payload = typeof row.answer === 'symbol' ? Buffer.from('{not json') : Buffer.from(JSON.stringify(row.answer))
      const out = proxyResponse(payload, {accept: row.accept, binaryMediaTypes: row.binary})
      if (row.malformed) {
        assert.equal(out, undefined)
        return
      }
      assert.ok(out)
      if (row.status !== undefined) assert.equal(out.status, row.status)
      if (row.headers) assert.deepEqual(out.headers, row.headers)
      if (row.body !== undefined) assert.equal(out.body.toString('utf8'), row.body)
    })
  }
})
