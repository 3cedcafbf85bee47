// WebSocket diff: each check of WEBSOCKET_DIFF_REGISTRY runs alone on a pair of apigw.yaml entries, and a live API
// (apigatewayv2's answers) compares equal to the config it was deployed from.
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parse} from 'yaml'
import {runChecks} from '../../../../src/core/checks/run-checks.ts'
import type {WebSocketApiConfig} from '../../../../src/core/config/config.ts'
import type {Level} from '../../../../src/core/findings.ts'
import {WEBSOCKET_DIFF_IDS} from '../../../../src/core/websocket/diff-ids.ts'
import {
  diffWebSocketApis,
  WEBSOCKET_DIFF_REGISTRY,
  webSocketViewOfConfig,
  webSocketViewOfLive,
} from '../../../../src/core/websocket/diff.ts'

const BASE = `
type: websocket
routeSelectionExpression: $request.body.action
authorizers:
  auth: {function: authfn, identitySource: [route.request.header.Authorization]}
routes:
  $connect: {integration: {function: chat}}
  $disconnect: {integration: {function: chat}}
  sendmessage: {integration: {function: send}}
  echo: {integration: {type: MOCK, requestTemplates: {$default: '{"statusCode":200}'}}, routeResponseSelectionExpression: $default}
  $default: {integration: {uri: 'http://127.0.0.1:9/x'}}
stages: {dev: {}}
`

type Edit = (api: WebSocketApiConfig) => void
const api = (edit?: Edit): WebSocketApiConfig => {
  const a = parse(BASE) as WebSocketApiConfig
  edit?.(a)
  return a
}

const run = (base: WebSocketApiConfig, revision: WebSocketApiConfig, only: string) => {
  const d = diffWebSocketApis(
    webSocketViewOfConfig({file: 'base.yaml', name: 'chat', api: base}),
    webSocketViewOfConfig({file: 'revision.yaml', name: 'chat', api: revision}),
  )
  return runChecks(d, WEBSOCKET_DIFF_REGISTRY, {only: [only]}).findings
}

type Case = {id: string; level: Level; base?: Edit; edit: Edit; operation: string; file: string; pointer: string; message: RegExp}
const cases: Case[] = [
  {
    id: 'websocket-route-removed',
    level: 'error',
    edit: (a) => delete a.routes.echo,
    operation: 'echo',
    file: 'base.yaml',
    pointer: '#/apis/chat/routes/echo',
    message: /echo was removed: its messages now go to \$default/,
  },
  {
    id: 'websocket-route-added',
    level: 'info',
    edit: (a) => (a.routes.ping = {integration: {type: 'MOCK'}}),
    operation: 'ping',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/ping',
    message: /ping was added/,
  },
  {
    id: 'websocket-route-renamed',
    level: 'error',
    edit: (a) => {
      a.routes.send = a.routes.sendmessage!
      delete a.routes.sendmessage
    },
    operation: 'sendmessage',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/send',
    message: /sendmessage is now send/,
  },
  {
    id: 'websocket-route-selection-expression-changed',
    level: 'error',
    edit: (a) => (a.routeSelectionExpression = '$request.body.type'),
    operation: '',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routeSelectionExpression',
    message: /from \$request\.body\.action to \$request\.body\.type/,
  },
  {
    id: 'websocket-integration-changed',
    level: 'warning',
    edit: (a) => (a.routes.sendmessage!.integration = {function: 'send-v2'}),
    operation: 'sendmessage',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/sendmessage/integration',
    message: /AWS_PROXY send → AWS_PROXY send-v2/,
  },
  {
    id: 'websocket-integration-timeout-changed',
    level: 'info',
    edit: (a) => (a.routes.$default!.integration!.timeoutInMillis = 3000),
    operation: '$default',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/$default/integration',
    message: /29000 ms to 3000 ms/,
  },
  {
    id: 'websocket-integration-templates-changed',
    level: 'info',
    edit: (a) => (a.routes.echo!.integration!.requestTemplates = {$default: '{"statusCode":500}'}),
    operation: 'echo',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/echo/integration',
    message: /templates of echo changed/,
  },
  {
    id: 'websocket-authorizer-added',
    level: 'error',
    edit: (a) => (a.routes.$connect!.authorizer = 'auth'),
    operation: '$connect',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/$connect/authorizer',
    message: /now goes through the authorizer auth \(was none\)/,
  },
  {
    id: 'websocket-authorizer-changed',
    level: 'error',
    base: (a) => (a.routes.$connect!.authorizer = 'auth'),
    edit: (a) => {
      a.routes.$connect!.authorizer = 'auth'
      a.authorizers!.auth!.identitySource = ['route.request.querystring.token']
    },
    operation: '$connect',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/$connect/authorizer',
    message: /identity sources route\.request\.header\.Authorization → route\.request\.querystring\.token/,
  },
  {
    id: 'websocket-authorizer-removed',
    level: 'error',
    base: (a) => (a.routes.$connect!.authorizationType = 'AWS_IAM'),
    edit: (a) => (a.routes.$connect!.authorizationType = 'NONE'),
    operation: '$connect',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/$connect',
    message: /no longer goes through AWS_IAM/,
  },
  {
    id: 'websocket-api-key-required-added',
    level: 'error',
    edit: (a) => (a.routes.$connect!.apiKeyRequired = true),
    operation: '$connect',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/$connect/apiKeyRequired',
    message: /now requires an API key/,
  },
  {
    id: 'websocket-route-response-removed',
    level: 'warning',
    edit: (a) => delete a.routes.echo!.routeResponseSelectionExpression,
    operation: 'echo',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/echo',
    message: /no longer answers/,
  },
  {
    id: 'websocket-route-response-added',
    level: 'info',
    edit: (a) => (a.routes.sendmessage!.routeResponseSelectionExpression = '$default'),
    operation: 'sendmessage',
    file: 'revision.yaml',
    pointer: '#/apis/chat/routes/sendmessage/routeResponseSelectionExpression',
    message: /now answers/,
  },
]

describe('WebSocket diff checks', () => {
  it('has a case for every check of the registry', () => {
    assert.deepEqual(cases.map((c) => c.id).sort(), WEBSOCKET_DIFF_REGISTRY.map((e) => e.id).sort())
    // and config.ts knows them all (diff.levels and diff.ignore name them)
    assert.deepEqual([...WEBSOCKET_DIFF_IDS].sort(), WEBSOCKET_DIFF_REGISTRY.map((e) => e.id).sort())
  })
  for (const c of cases) {
    it(`${c.id}: ${c.level}`, () => {
      // Given the base API (with the case's own starting point)
      const base = api(c.base)
      // When the revision changes one thing
      const findings = run(
        base,
        api((a) => {
          c.base?.(a)
          c.edit(a)
        }),
        c.id,
      )
      // Then exactly this check reports it, at its registry level, where the change is
      assert.equal(findings.length, 1, JSON.stringify(findings))
      const f = findings[0]!
      assert.equal(f.level, c.level)
      assert.equal(f.operation ?? '', c.operation)
      assert.equal(f.location.file, c.file)
      assert.equal(f.location.pointer, c.pointer)
      assert.match(f.message, c.message)
    })
  }

  it('reports nothing between equal configs, and a rename is not also a removal', () => {
    assert.deepEqual(runChecks(diffWebSocketApis(view(api()), view(api())), WEBSOCKET_DIFF_REGISTRY).findings, [])
    const renamed = api((a) => {
      a.routes.send = a.routes.sendmessage!
      delete a.routes.sendmessage
    })
    const ids = runChecks(diffWebSocketApis(view(api()), view(renamed)), WEBSOCKET_DIFF_REGISTRY).findings.map((f) => f.id)
    assert.deepEqual(ids, ['websocket-route-renamed'])
  })

  it('a live API read back from apigatewayv2 equals the config it was deployed from (functions by name)', () => {
    // Given what deploy creates for the base config (Lambda ARNs in integration URIs)
    const uri = (fn: string) =>
      `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:${fn}/invocations`
    const integration = (id: string, extra: Record<string, unknown>) => ({IntegrationId: id, TimeoutInMillis: 29000, ...extra})
    const live = webSocketViewOfLive({
      file: 'stage:dev',
      api: {RouteSelectionExpression: '$request.body.action'},
      routes: [
        {RouteKey: '$connect', Target: 'integrations/i1', AuthorizationType: 'NONE'},
        {RouteKey: '$disconnect', Target: 'integrations/i2', AuthorizationType: 'NONE'},
        {RouteKey: 'sendmessage', Target: 'integrations/i3', AuthorizationType: 'NONE'},
        {RouteKey: 'echo', Target: 'integrations/i4', AuthorizationType: 'NONE', RouteResponseSelectionExpression: '$default'},
        {RouteKey: '$default', Target: 'integrations/i5', AuthorizationType: 'NONE'},
      ],
      integrations: [
        integration('i1', {IntegrationType: 'AWS_PROXY', IntegrationUri: uri('chat')}),
        integration('i2', {IntegrationType: 'AWS_PROXY', IntegrationUri: uri('chat')}),
        integration('i3', {IntegrationType: 'AWS_PROXY', IntegrationUri: uri('send')}),
        integration('i4', {IntegrationType: 'MOCK', RequestTemplates: {$default: '{"statusCode":200}'}}),
        integration('i5', {IntegrationType: 'HTTP_PROXY', IntegrationUri: 'http://127.0.0.1:9/x', IntegrationMethod: 'POST'}),
      ],
      integrationResponses: new Map(),
      authorizers: [],
    })
    const config = webSocketViewOfConfig({file: 'apigw.yaml', name: 'chat', api: api(), byName: true})
    // Then nothing differs; and a route missing from the live API is a removal with no line (the stage has none)
    assert.deepEqual(runChecks(diffWebSocketApis(live, config), WEBSOCKET_DIFF_REGISTRY).findings, [])
    const fewer = {...live, routes: live.routes.filter((r) => r.key !== 'echo')}
    const added = runChecks(diffWebSocketApis(config, fewer), WEBSOCKET_DIFF_REGISTRY).findings
    assert.deepEqual(
      added.map((f) => [f.id, f.location.file, f.location.pointer]),
      [['websocket-route-removed', 'apigw.yaml', '#/apis/chat/routes/echo']],
    )
  })
})

function view(a: WebSocketApiConfig) {
  return webSocketViewOfConfig({file: 'apigw.yaml', name: 'chat', api: a})
}
