import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {
  compileFilterPattern,
  FilterPatternError,
  INVALID_FILTER_PATTERN,
  splitFields,
  UNCLOSED_JSON_PATTERN,
} from '../../../src/local/control-plane/logs/filter-pattern.ts'

type Case = {pattern: string; message: string; match: boolean}

function table(cases: Case[]): void {
  for (const c of cases) {
    it(`${JSON.stringify(c.pattern)} ${c.match ? 'matches' : 'does not match'} ${JSON.stringify(c.message)}`, () => {
      // Given a compiled pattern, When a message is tested, Then the answer is the documented one
      assert.equal(compileFilterPattern(c.pattern)(c.message), c.match)
    })
  }
}

const ACCESS = JSON.stringify({
  requestId: 'r1',
  status: 500,
  path: '/pets',
  latency: 120,
  user: null,
  ok: false,
  tags: [{k: 'a'}, {k: 'b'}],
  s: '503',
})

describe('filter patterns: unstructured terms', () => {
  table([
    {pattern: '', message: 'anything', match: true},
    {pattern: '   ', message: 'anything', match: true},
    {pattern: 'ERROR', message: '[ERROR] A fatal exception has occurred', match: true},
    {pattern: 'ERROR', message: 'Exiting with ERRORCODE: -1', match: true},
    {pattern: 'ERROR', message: 'error in lower case', match: false},
    {pattern: 'ERROR Exception', message: '[ERROR] Caught IllegalArgumentException', match: true},
    {pattern: 'ERROR Exception', message: '[ERROR] Caught nothing', match: false},
    {pattern: 'ERROR -Exiting', message: 'Exiting with ERRORCODE: -1', match: false},
    {pattern: 'ERROR -Exiting', message: '[ERROR] A fatal exception', match: true},
    {pattern: '"Failed to process the request"', message: '[WARN] Failed to process the request', match: true},
    {pattern: '"Failed to process the request"', message: '[WARN] Failed to process a request', match: false},
    {pattern: '?ERROR ?WARN', message: '[WARN] disk', match: true},
    {pattern: '?ERROR ?WARN', message: '[ERROR] disk', match: true},
    {pattern: '?ERROR ?WARN', message: '[INFO] disk', match: false},
    {pattern: '?"ERROR" "MainThread" ?"WARN" "Deadlock"', message: 'WARN Deadlock found', match: true},
    {pattern: '?"ERROR" "MainThread" ?"WARN" "Deadlock"', message: 'ERROR in MainThread', match: true},
    {pattern: '?"ERROR" "MainThread" ?"WARN" "Deadlock"', message: 'ERROR Deadlock', match: false},
    {pattern: 'job ?ERROR ?WARN', message: 'job ERROR', match: true},
    {pattern: 'job ?ERROR ?WARN', message: 'task ERROR', match: false},
    {pattern: '"user@example.com"', message: 'login user@example.com ok', match: true},
    {pattern: '%colou?r%', message: 'the colour red', match: true},
    {pattern: '%^GET /pets%', message: 'POST /pets', match: false},
  ])
})

describe('filter patterns: JSON', () => {
  table([
    {pattern: '{ $.status = 500 }', message: ACCESS, match: true},
    {pattern: '{$.status=500}', message: ACCESS, match: true},
    {pattern: '{ $.status = 404 }', message: ACCESS, match: false},
    {pattern: '{ $.status = 5* }', message: ACCESS, match: true},
    {pattern: '{ $.s = 5* }', message: ACCESS, match: true},
    {pattern: '{ $.status != 500 }', message: ACCESS, match: false},
    {pattern: '{ $.status >= 500 }', message: ACCESS, match: true},
    {pattern: '{ $.status > 500 }', message: ACCESS, match: false},
    {pattern: '{ $.latency < 200 }', message: ACCESS, match: true},
    {pattern: '{ $.latency <= 119 }', message: ACCESS, match: false},
    {pattern: '{ $.path = "/pets" }', message: ACCESS, match: true},
    {pattern: '{ $.path = "/pet" }', message: ACCESS, match: false},
    {pattern: '{ $.path = "/p*" }', message: ACCESS, match: true},
    {pattern: '{ $.s = "503" }', message: ACCESS, match: true},
    {pattern: '{ $.s > 500 }', message: ACCESS, match: false},
    {pattern: '{ $.status = 500 && $.latency > 100 }', message: ACCESS, match: true},
    {pattern: '{ $.status = 500 && $.latency > 200 }', message: ACCESS, match: false},
    {pattern: '{ $.status = 404 || $.latency > 100 }', message: ACCESS, match: true},
    {pattern: '{ ($.status = 404 || $.status = 500) && $.path = "/pets" }', message: ACCESS, match: true},
    {pattern: '{ ($.status = 404 || $.status = 501) && $.path = "/pets" }', message: ACCESS, match: false},
    {pattern: '{ $.user IS NULL }', message: ACCESS, match: true},
    {pattern: '{ $.path IS NULL }', message: ACCESS, match: false},
    {pattern: '{ $.missing NOT EXISTS }', message: ACCESS, match: true},
    {pattern: '{ $.path NOT EXISTS }', message: ACCESS, match: false},
    {pattern: '{ $.ok IS FALSE }', message: ACCESS, match: true},
    {pattern: '{ $.ok IS TRUE }', message: ACCESS, match: false},
    {pattern: '{ $.tags[1].k = "b" }', message: ACCESS, match: true},
    {pattern: '{ $.tags[0].k = "b" }', message: ACCESS, match: false},
    {pattern: '{ $.missing = 1 }', message: ACCESS, match: false},
    {pattern: '{ $.missing != 1 }', message: ACCESS, match: false},
    {pattern: '{ $.status = 500 }', message: 'not json status 500', match: false},
  ])
})

describe('filter patterns: space-delimited', () => {
  const line = '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 404 2326'
  table([
    {pattern: '[ip, id, user, timestamp, request, status, size]', message: line, match: true},
    {pattern: '[ip, id, user, timestamp, request, status]', message: line, match: false},
    {pattern: '[ip, id, user, timestamp, request, status=404, size]', message: line, match: true},
    {pattern: '[ip, id, user, timestamp, request, status=4*, size>1000]', message: line, match: true},
    {pattern: '[ip, id, user, timestamp, request, status=5*, size>1000]', message: line, match: false},
    {pattern: '[..., status=404, size]', message: line, match: true},
    {pattern: '[ip=127.*, ...]', message: line, match: true},
    {pattern: '[ip, ..., size<100]', message: line, match: false},
    {pattern: '[ip, ..., status = 403 || status = 404, size]', message: line, match: true},
    {pattern: '[ip, id, user=frank, ...]', message: line, match: true},
    {pattern: '[ip, id, user!=frank, ...]', message: line, match: false},
    {pattern: '[..., request="GET /apache_pb.gif HTTP/1.0", status, size]', message: line, match: true},
  ])

  it('splits quoted and bracketed fields as one', () => {
    // Given an Apache log line, When it is split, Then the bracketed time and the quoted request are single fields
    assert.deepEqual(splitFields('a "b c" [d e] f'), ['a', 'b c', 'd e', 'f'])
  })
})

describe('filter patterns: invalid', () => {
  const cases: Array<{pattern: string; message: string}> = [
    {pattern: '{ $.status = 500', message: UNCLOSED_JSON_PATTERN},
    {pattern: '{ }', message: INVALID_FILTER_PATTERN},
    {pattern: '{ status = 500 }', message: INVALID_FILTER_PATTERN},
    {pattern: '{ $.status = }', message: INVALID_FILTER_PATTERN},
    {pattern: '{ $.status > "abc" }', message: INVALID_FILTER_PATTERN},
    {pattern: '{ ($.status = 500 }', message: INVALID_FILTER_PATTERN},
    {pattern: '{ $.a IS MAYBE }', message: INVALID_FILTER_PATTERN},
    {pattern: '[a, b', message: INVALID_FILTER_PATTERN},
    {pattern: '[a,, b]', message: INVALID_FILTER_PATTERN},
    {pattern: '"unclosed', message: INVALID_FILTER_PATTERN},
    {pattern: 'request_id=“abc“', message: "Invalid character(s) in term '“'"},
    {pattern: '%[unclosed%', message: INVALID_FILTER_PATTERN},
  ]
  for (const c of cases) {
    it(`refuses ${JSON.stringify(c.pattern)}`, () => {
      // Given a malformed pattern, When it is compiled, Then it throws AWS's message
      assert.throws(
        () => compileFilterPattern(c.pattern),
        (e: unknown) => e instanceof FilterPatternError && e.message === c.message,
      )
    })
  }
})
