import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseConfig} from '../../../../src/core/config/config.ts'
import {checkWebSocketApi, type WebSocketApiConfig} from '../../../../src/core/config/websocket.ts'
import {InputProblem} from '../../../../src/core/spec/problem.ts'
import {evaluateSelection, parseSelectionExpression} from '../../../../src/core/websocket/expressions.ts'

const parse = (text: string) => parseConfig('/p/apigw.yaml', Buffer.from(text))
const CHAT = `apis:
  chat:
    type: websocket
    routeSelectionExpression: $request.body.action
    routes:
      $connect: {integration: {function: chat}, authorizer: auth}
      $default: {integration: {function: chat}, routeResponseSelectionExpression: $default}
      sendmessage: {integration: {type: MOCK, requestTemplates: {$default: '{"statusCode": 200}'}}}
    authorizers:
      auth: {function: chat-auth, identitySource: [route.request.querystring.token]}
    stages: {dev: {variables: {a: b}, throttling: {rateLimit: 10, burstLimit: 5}, accessLogs: {format: json}}}
functions:
  chat: {handler: src/chat.handler}
  chat-auth: {handler: src/auth.handler}
`

describe('apigw.yaml: type websocket', () => {
  it('accepts a WebSocket API declared with routes, authorizers and stages', async () => {
    // Given a chat API  When it is parsed  Then its routes are kept as written
    const {config} = await parse(CHAT)
    const api = config.apis.chat as WebSocketApiConfig
    assert.equal(api.type, 'websocket')
    assert.deepEqual(Object.keys(api.routes).sort(), ['$connect', '$default', 'sendmessage'])
    assert.equal(api.routes.$connect!.authorizer, 'auth')
  })

  const bad: Array<[string, string, RegExp]> = [
    [
      'a typo in a route',
      CHAT.replace('authorizer: auth}', 'authoriser: auth}'),
      /unknown key "authoriser" \(did you mean "authorizer"\?\)/,
    ],
    [
      'a typo in an integration',
      CHAT.replace('{function: chat},', '{fucntion: chat},'),
      /unknown key "fucntion" \(did you mean "function"\?\)/,
    ],
    ['a spec on a WebSocket API', CHAT.replace('type: websocket', 'type: websocket\n    spec: a.yaml'), /apis\.chat/],
    ['no routes', 'apis:\n  chat: {type: websocket, routeSelectionExpression: $request.body.action}\n', /required key "routes"/],
    ['a REST API without spec', 'apis:\n  pets: {type: rest}\n', /required key "spec"/],
    ['a bad identity source', CHAT.replace('route.request.querystring.token', 'method.request.header.x'), /identitySource/],
  ]
  for (const [name, text, message] of bad) {
    it(`refuses ${name}`, async () => {
      await assert.rejects(parse(text), (e: unknown) => {
        assert.ok(e instanceof InputProblem)
        assert.match(e.message, message)
        assert.match(e.message, /^\/p\/apigw\.yaml:\d+:\d+: /)
        return true
      })
    })
  }

  it('knows the websocket rule ids in validate.levels', async () => {
    await parse(`${CHAT}validate:\n  levels: {websocket-default-route-missing: off}\n`)
    await assert.rejects(
      parse(`${CHAT}validate:\n  levels: {websocket-default-route-mising: off}\n`),
      /did you mean "websocket-default-route-missing"/,
    )
  })
})

describe('checkWebSocketApi', () => {
  const base = async () => structuredClone((await parse(CHAT)).config.apis.chat as WebSocketApiConfig)
  const ids = (api: WebSocketApiConfig, functions: Record<string, unknown> = {chat: {}, 'chat-auth': {}}) =>
    checkWebSocketApi({file: '/p/apigw.yaml', name: 'chat', api, functions}).map((f) => `${f.id}@${f.location.pointer}`)

  it('finds nothing in a sound API', async () => {
    assert.deepEqual(ids(await base()), [])
  })

  const cases: Array<[string, (api: WebSocketApiConfig) => void, string[]]> = [
    [
      'an unparsable route selection',
      (a) => (a.routeSelectionExpression = 'action'),
      ['websocket-selection-expression-invalid@#/apis/chat/routeSelectionExpression'],
    ],
    [
      'a route with no integration',
      (a) => delete a.routes.sendmessage!.integration,
      ['websocket-integration-missing@#/apis/chat/routes/sendmessage'],
    ],
    [
      'an authorizer off $connect',
      (a) => (a.routes.sendmessage!.authorizer = 'auth'),
      ['websocket-authorizer-not-connect@#/apis/chat/routes/sendmessage/authorizer'],
    ],
    [
      'AWS_IAM off $connect',
      (a) => (a.routes.sendmessage!.authorizationType = 'AWS_IAM'),
      ['websocket-authorizer-not-connect@#/apis/chat/routes/sendmessage/authorizationType'],
    ],
    [
      'AWS_IAM and an authorizer on $connect',
      (a) => {
        a.routes.$connect!.authorizer = 'auth'
        a.routes.$connect!.authorizationType = 'AWS_IAM'
      },
      ['websocket-authorization-conflict@#/apis/chat/routes/$connect/authorizationType'],
    ],
    [
      'an undefined authorizer',
      (a) => (a.routes.$connect!.authorizer = 'nope'),
      ['websocket-authorizer-undefined@#/apis/chat/routes/$connect/authorizer'],
    ],
    [
      'a two-way expression other than $default',
      (a) => (a.routes.$default!.routeResponseSelectionExpression = '$request.body.x'),
      ['websocket-selection-expression-invalid@#/apis/chat/routes/$default/routeResponseSelectionExpression'],
    ],
    ['no $default route', (a) => delete a.routes.$default, ['websocket-default-route-missing@#/apis/chat/routes']],
    [
      'an AWS_PROXY with no function',
      (a) => (a.routes.sendmessage!.integration = {type: 'AWS_PROXY'}),
      ['websocket-integration-incomplete@#/apis/chat/routes/sendmessage/integration'],
    ],
    [
      'an unknown reserved key',
      (a) => (a.routes.$conect = {integration: {type: 'MOCK'}}),
      ['websocket-selection-expression-invalid@#/apis/chat/routes/$conect'],
    ],
  ]
  for (const [name, change, expected] of cases) {
    it(`reports ${name}`, async () => {
      const api = await base()
      change(api)
      assert.deepEqual(ids(api), expected)
    })
  }

  it('warns about a function neither local nor an ARN', async () => {
    assert.deepEqual(ids(await base(), {chat: {}}), ['websocket-function-unknown@#/apis/chat/authorizers/auth/function'])
  })
})

describe('selection expressions', () => {
  const table: Array<[string, unknown, string | undefined]> = [
    ['$request.body.action', {action: 'send'}, 'send'],
    ['$request.body.message.type', {message: {type: 'x'}}, 'x'],
    ['$request.body.action', {other: 1}, undefined],
    ['$request.body.action', 'not an object', undefined],
    ['$request.body.n', {n: 3}, '3'],
    ['${request.body.a}-${request.body.b}', {a: 'x', b: 'y'}, 'x-y'],
  ]
  for (const [expression, body, route] of table) {
    it(`${expression} on ${JSON.stringify(body)} → ${route}`, () => {
      const parsed = parseSelectionExpression(expression)
      assert.ok(parsed.ok)
      assert.equal(evaluateSelection(parsed.parts, body), route)
    })
  }
  for (const bad of ['action', '$request.body.', '${request.header.x}', '${request.body.a']) {
    it(`refuses ${bad}`, () => assert.equal(parseSelectionExpression(bad).ok, false))
  }
})
