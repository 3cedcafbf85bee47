import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {
  type ConnectionInfo,
  type EventInput,
  proxyEvent,
  proxyEventJson,
  requestContextOf,
} from '../../../../src/local/data-plane/websocket/events.ts'
import {formatRequestTime} from '../../../../src/local/data-plane/context-vars.ts'

const NOW = new Date(Date.UTC(2026, 11, 5, 21, 30, 5, 123))

function connection(extra: Partial<ConnectionInfo> = {}): ConnectionInfo {
  return {
    connectionId: 'L0SM9cOFvHcCIhw=',
    apiId: 'abc123',
    stage: 'dev',
    domainName: 'abc123.execute-api.localhost',
    connectedAt: NOW.getTime() - 5000,
    sourceIp: '127.0.0.1',
    userAgent: 'ws "client"',
    headers: {Host: 'x'},
    multiValueHeaders: {Host: ['x']},
    query: {},
    multiValueQuery: {},
    stageVariables: {},
    ...extra,
  }
}

describe('WebSocket proxy events as JSON', () => {
  const cases: Array<{name: string; input: EventInput}> = [
    {name: 'a text message', input: {conn: connection(), routeKey: '$default', eventType: 'MESSAGE', now: NOW, body: '{"action":"x"}'}},
    {
      name: 'a binary message with a request id',
      input: {
        conn: connection(),
        routeKey: 'send',
        eventType: 'MESSAGE',
        now: NOW,
        requestId: 'req-1',
        body: 'AAEC',
        isBase64Encoded: true,
      },
    },
    {
      name: 'a message of an authorized IAM connection with stage variables and an odd body',
      input: {
        conn: connection({
          authorizer: {principalId: 'me', n: 1, nested: {a: [1, 'b']}},
          iam: {accessKey: 'AKID', accountId: '123456789012', user: 'u', userArn: 'arn:aws:iam::123456789012:user/u'},
          stageVariables: {fn: 'echo', 'weird"key': 'v\n'},
        }),
        routeKey: 'route "quoted"',
        eventType: 'MESSAGE',
        now: NOW,
        body: 'line\nbreak \u2028 \ud800 "quotes" \\ émoji 🎉',
      },
    },
    {name: 'a message with no body', input: {conn: connection(), routeKey: '$default', eventType: 'MESSAGE', now: NOW}},
    {
      name: 'a connect with a query string',
      input: {
        conn: connection({query: {token: 't'}, multiValueQuery: {token: ['t']}}),
        routeKey: '$connect',
        eventType: 'CONNECT',
        now: NOW,
      },
    },
    {
      name: 'a disconnect',
      input: {
        conn: connection(),
        routeKey: '$disconnect',
        eventType: 'DISCONNECT',
        now: NOW,
        disconnect: {statusCode: 1001, reason: 'bye'},
      },
    },
  ]
  for (const c of cases) {
    it(`writes ${c.name} exactly as JSON.stringify(proxyEvent()) does, with the ids of its $context`, () => {
      // Given an event input, When its JSON is written first and its object built after
      const json = proxyEventJson(c.input)
      // Then both say the same, character for character, and the ids are those $context (access logs) shows
      assert.equal(json, JSON.stringify(proxyEvent(c.input)))
      const parsed = JSON.parse(json) as {requestContext: Record<string, unknown>}
      assert.deepEqual(parsed.requestContext, JSON.parse(JSON.stringify(requestContextOf(c.input))))
      if (c.input.eventType === 'MESSAGE') assert.match(String(parsed.requestContext.messageId), /^[A-Za-z0-9+/]{7}=$/)
    })
  }

  it('draws new ids for each message of a connection', () => {
    // Given two messages of one connection, Then their request, extended request and message ids differ
    const conn = connection()
    const a = JSON.parse(proxyEventJson({conn, routeKey: '$default', eventType: 'MESSAGE', now: NOW, body: 'a'}))
    const b = JSON.parse(proxyEventJson({conn, routeKey: '$default', eventType: 'MESSAGE', now: NOW, body: 'b'}))
    for (const id of ['requestId', 'extendedRequestId', 'messageId']) assert.notEqual(a.requestContext[id], b.requestContext[id])
    assert.equal(b.body, 'b')
  })

  it("formats AWS's requestTime for each second, whatever the order of the times asked", () => {
    // Given times within one second, the next second, and back, Then each is formatted for its own second
    const at = (ms: number) => formatRequestTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5) + ms))
    assert.equal(at(0), '02/Jan/2026:03:04:05 +0000')
    assert.equal(at(999), '02/Jan/2026:03:04:05 +0000')
    assert.equal(at(1000), '02/Jan/2026:03:04:06 +0000')
    assert.equal(at(-1), '02/Jan/2026:03:04:04 +0000')
    assert.equal(at(-1 + 60_000 * 60 * 24 * 40), '11/Feb/2026:03:04:04 +0000')
  })
})
