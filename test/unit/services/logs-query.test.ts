import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {compileFilterPattern} from '../../../src/local/control-plane/logs/filter-pattern.ts'
import {groupQuery, logGroupNameFromArn, parseTime, statusFilter} from '../../../src/services/logs/query.ts'

const NOW = new Date('2026-01-31T12:00:00.000Z')

describe('parseTime', () => {
  const cases: Array<[string, string]> = [
    ['10m', '2026-01-31T11:50:00.000Z'],
    ['2h', '2026-01-31T10:00:00.000Z'],
    ['90s', '2026-01-31T11:58:30.000Z'],
    ['1d', '2026-01-30T12:00:00.000Z'],
    ['1.5h', '2026-01-31T10:30:00.000Z'],
    ['2026-01-31T08:15:00Z', '2026-01-31T08:15:00.000Z'],
    ['2026-01-31', '2026-01-31T00:00:00.000Z'],
    ['1769860800000', '2026-01-31T12:00:00.000Z'],
  ]
  for (const [text, iso] of cases) {
    it(`${text} → ${iso}`, () => {
      // Given a time as typed; When parsed against a fixed now; Then the instant
      assert.equal(new Date(parseTime(text, NOW, '--since')).toISOString(), iso)
    })
  }
  for (const bad of ['yesterday', '10', '5y', '']) {
    it(`refuses ${JSON.stringify(bad)} with USAGE`, () => {
      assert.throws(
        () => parseTime(bad, NOW, '--since'),
        (e: Error & {code?: string; hint?: string}) => e.code === 'USAGE' && /--since 10m/.test(e.hint ?? ''),
      )
    })
  }
})

describe('logGroupNameFromArn', () => {
  const cases: Array<[string, string | undefined]> = [
    ['arn:aws:logs:us-east-1:111122223333:log-group:/apigw/pets/dev/access', '/apigw/pets/dev/access'],
    ['arn:aws:logs:us-east-1:111122223333:log-group:/apigw/pets/dev/access:*', '/apigw/pets/dev/access'],
    ['arn:aws-cn:logs:cn-north-1:1:log-group:x:y', 'x:y'],
    ['arn:aws:firehose:us-east-1:1:deliverystream/amazon-apigateway-x', undefined],
  ]
  for (const [arn, name] of cases) it(arn, () => assert.equal(logGroupNameFromArn(arn), name))
})

const line = (status: string | number, requestId = 'r1', method = 'GET') => JSON.stringify({requestId, httpMethod: method, status})

describe('statusFilter and groupQuery: the patterns match as CloudWatch (the emulator’s matcher) says', () => {
  const cases: Array<{
    title: string
    status?: string
    requestId?: string
    filter?: string
    kind?: 'access' | 'execution'
    match: string[]
    miss: string[]
    clientSide?: boolean
  }> = [
    {title: '5xx', status: '5xx', match: [line('500'), line(503), line('599')], miss: [line('404'), line('200'), 'not json']},
    {title: '404 as string or number', status: '404', match: [line('404'), line(404)], miss: [line('4040'), line('400'), line(500)]},
    {title: 'list 4xx,500', status: '4xx,500', match: [line('404'), line('500')], miss: [line('502'), line('200')]},
    {title: 'request id', requestId: 'abc-1', match: [line('200', 'abc-1')], miss: [line('200', 'abc-2')]},
    {
      title: 'status and request id',
      status: '2xx',
      requestId: 'abc-1',
      match: [line('200', 'abc-1')],
      miss: [line('500', 'abc-1'), line('200', 'x')],
    },
    {
      title: 'JSON --filter combined with --status',
      status: '5xx',
      filter: '{ $.httpMethod = "POST" }',
      match: [line('500', 'r', 'POST')],
      miss: [line('500', 'r', 'GET'), line('200', 'r', 'POST')],
    },
    {
      title: 'text --filter with --status is tested on the client',
      status: '5xx',
      filter: 'POST',
      match: [line('500', 'r', 'POST')],
      miss: [line('200', 'r', 'POST'), line('500', 'r', 'GET')],
      clientSide: true,
    },
    {
      title: 'execution logs: request id as a phrase',
      kind: 'execution',
      requestId: 'abc-1',
      match: ['(abc-1) Method request path: {}'],
      miss: ['(abc-2) Method request path: {}'],
    },
  ]
  for (const c of cases) {
    it(c.title, () => {
      // Given the flags; When the group query is built
      const q = groupQuery(c.kind ?? 'access', {
        filter: c.filter,
        status: c.status ? statusFilter(c.status) : undefined,
        requestId: c.requestId,
      })
      const matcher = compileFilterPattern(q.pattern)
      const accepts = (m: string) => matcher(m) && (q.test ? q.test(m) : true)
      // Then the service's pattern plus any client test select exactly the expected lines
      for (const m of c.match) assert.ok(accepts(m), `${q.pattern} should match ${m}`)
      for (const m of c.miss) assert.ok(!accepts(m), `${q.pattern} should not match ${m}`)
      assert.equal(q.test !== undefined, Boolean(c.clientSide))
    })
  }

  it('refuses a status that is not one', () => {
    for (const bad of ['abc', '6xx', '20', ''])
      assert.throws(
        () => statusFilter(bad),
        (e: Error & {code?: string}) => e.code === 'USAGE',
      )
  })

  it('sends no pattern at all without filters', () => {
    assert.deepEqual(groupQuery('access', {}), {pattern: undefined, test: undefined})
  })
})
