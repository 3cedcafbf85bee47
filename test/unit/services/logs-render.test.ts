import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {noColors} from '../../../src/output/findings.ts'
import {type LogColors, renderLogBatch, renderLogJson, renderLogLine, renderLogsSummary} from '../../../src/output/logs.ts'
import type {StageLogEvent} from '../../../src/services/logs/logs.ts'

const TS = Date.parse('2026-01-31T12:00:01.234Z')
const access = (fields: Record<string, unknown>): StageLogEvent => ({
  kind: 'access',
  logGroup: '/g',
  logStream: 's',
  eventId: '0001',
  timestamp: TS,
  message: JSON.stringify(fields),
})
const tag = (name: string) => (s: string) => `<${name}>${s}</${name}>`
const colors: LogColors = {
  red: tag('red'),
  yellow: tag('yellow'),
  blue: tag('blue'),
  dim: tag('dim'),
  bold: tag('bold'),
  green: tag('green'),
}

describe('renderLogLine', () => {
  const cases: Array<{title: string; event: StageLogEvent; c?: LogColors; line: string}> = [
    {
      title: 'a REST access line: time, status, method, path, latency, request id',
      event: access({requestId: 'r-1', httpMethod: 'GET', resourcePath: '/pets/{id}', status: '200', integrationLatency: '12'}),
      line: '2026-01-31 12:00:01.234  200  GET    /pets/{id}  12 ms  r-1',
    },
    {
      title: 'an HTTP API line uses the route key',
      event: access({requestId: 'r-2', httpMethod: 'POST', routeKey: 'POST /pets', status: 502}),
      line: '2026-01-31 12:00:01.234  502  POST   /pets  -  r-2',
    },
    {
      title: "apigw's json format on an HTTP API: the route key in resourcePath",
      event: access({requestId: 'r-3', httpMethod: 'GET', resourcePath: 'GET /pets/{id}', status: '200', integrationLatency: '4'}),
      line: '2026-01-31 12:00:01.234  200  GET    /pets/{id}  4 ms  r-3',
    },
    {
      title: '5xx is red, request id and time dim',
      event: access({requestId: 'r', httpMethod: 'GET', resourcePath: '/', status: '503'}),
      c: colors,
      line: '<dim>2026-01-31 12:00:01.234</dim>  <red>503</red>  GET    /  -  <dim>r</dim>',
    },
    {
      title: '4xx yellow',
      event: access({httpMethod: 'GET', status: '404'}),
      c: colors,
      line: '<dim>2026-01-31 12:00:01.234</dim>  <yellow>404</yellow>  GET    -  -  <dim>-</dim>',
    },
    {
      title: '2xx green',
      event: access({httpMethod: 'GET', status: '201'}),
      c: colors,
      line: '<dim>2026-01-31 12:00:01.234</dim>  <green>201</green>  GET    -  -  <dim>-</dim>',
    },
    {
      title: 'a non-JSON access line is printed as is',
      event: {kind: 'access', logGroup: '/g', timestamp: TS, message: '1.2.3.4 - - [..] "GET /pets" 200\n'},
      line: '2026-01-31 12:00:01.234  1.2.3.4 - - [..] "GET /pets" 200',
    },
    {
      title: 'an execution line is labelled',
      event: {kind: 'execution', logGroup: '/e', timestamp: TS, message: '(r-1) Method completed with status: 200'},
      line: '2026-01-31 12:00:01.234  exec (r-1) Method completed with status: 200',
    },
  ]
  for (const c of cases) {
    it(c.title, () => {
      // Given an event; When rendered for a human; Then the line
      assert.equal(renderLogLine(c.event, c.c ?? noColors), c.line)
    })
  }
})

describe('NDJSON', () => {
  it('one parseable object per event, with the message as written', () => {
    // Given two events; When rendered as NDJSON
    const events = [
      access({requestId: 'a', status: '200'}),
      {kind: 'execution' as const, logGroup: '/e', timestamp: TS + 1, message: 'line "quoted"\n'},
    ]
    const text = renderLogBatch(events, 'ndjson', noColors)
    // Then each line parses back to the event's members
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l))
    assert.deepEqual(lines[0], {
      time: '2026-01-31T12:00:01.234Z',
      timestamp: TS,
      type: 'access',
      logGroup: '/g',
      logStream: 's',
      eventId: '0001',
      message: '{"requestId":"a","status":"200"}',
    })
    assert.deepEqual(lines[1], {
      time: '2026-01-31T12:00:01.235Z',
      timestamp: TS + 1,
      type: 'execution',
      logGroup: '/e',
      message: 'line "quoted"\n',
    })
    assert.equal(renderLogJson(events[0]!), text.split('\n')[0])
  })

  it('the summary names the groups and the window', () => {
    const s = renderLogsSummary({
      api: 'pets',
      apiId: 'x',
      type: 'rest',
      stage: 'dev',
      groups: [{kind: 'access', name: '/g'}],
      since: '2026-01-31T11:50:00.000Z',
      filterPatterns: {},
      events: 1,
      followed: false,
      engine: 'FilterLogEvents',
    })
    assert.equal(s, '1 event from /g (access) since 2026-01-31T11:50:00.000Z.')
  })
})
