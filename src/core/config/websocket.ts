/**
 * WebSocket APIs in apigw.yaml: they have no OpenAPI form, so routes, integrations and the $connect
 * authorizer are declared in the config itself. The JSON Schema checks the shape; `checkWebSocketApi` checks
 * what a schema cannot (selection expressions parse, every route has an integration, the authorizer sits on
 * $connect, names resolve) and answers findings that point into apigw.yaml.
 */
import type {Finding} from '../findings.ts'
import {pointerOf} from '../findings.ts'
import {parseSelectionExpression, validRouteResponseSelection} from '../websocket/expressions.ts'
import {WEBSOCKET_RULES} from './websocket-rules.ts'
import type {LevelOverride, WebSocketApiConfig, WebSocketIntegrationConfig} from './config.ts'

export {WEBSOCKET_RULES} from './websocket-rules.ts'
export type {WebSocketApiConfig, WebSocketAuthorizerConfig, WebSocketIntegrationConfig, WebSocketRouteConfig} from './config.ts'

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/
const RESERVED = new Set(['$connect', '$disconnect', '$default'])

/** The integration type a route's integration has once defaults apply. */
export function integrationTypeOf(integration: WebSocketIntegrationConfig): NonNullable<WebSocketIntegrationConfig['type']> {
  if (integration.type) return integration.type
  if (integration.function) return 'AWS_PROXY'
  if (integration.uri) return 'HTTP_PROXY'
  return 'MOCK'
}

/**
 * The findings of a WebSocket API's entry in apigw.yaml. Pointers are into the config file
 * (`#/apis/chat/routes/$connect/authorizer`); levels come from WEBSOCKET_RULES and `validate.levels`.
 */
export function checkWebSocketApi(input: {
  file: string
  name: string
  api: WebSocketApiConfig
  functions: Record<string, unknown> | undefined
  levels?: Record<string, LevelOverride> | undefined
}): Finding[] {
  const {file, name, api} = input
  const out: Finding[] = []
  const add = (id: string, tokens: Array<string | number>, message: string, hint: string) => {
    const rule = WEBSOCKET_RULES.find((r) => r.id === id)!
    const override = input.levels?.[id]
    if (override === 'off') return
    out.push({id, level: override ?? rule.level, message, hint, location: {file, pointer: pointerOf(['apis', name, ...tokens])}})
  }
  const rse = parseSelectionExpression(api.routeSelectionExpression)
  if (!rse.ok) {
    add(
      'websocket-selection-expression-invalid',
      ['routeSelectionExpression'],
      `The route selection expression "${api.routeSelectionExpression}" does not parse: ${rse.error}.`,
      'Use $request.body.action (the message field that names the route).',
    )
  }
  for (const [key, route] of Object.entries(api.routes)) {
    const at = ['routes', key]
    const integration = route.integration
    if (!integration) {
      add(
        'websocket-integration-missing',
        at,
        `The route ${key} has no integration.`,
        `Add routes.${key}.integration, e.g. {function: ${name}-handler} or {type: MOCK}.`,
      )
    } else {
      const type = integrationTypeOf(integration)
      if ((type === 'AWS_PROXY' || type === 'AWS') && !integration.function)
        add(
          'websocket-integration-incomplete',
          [...at, 'integration'],
          `The ${type} integration of ${key} names no function.`,
          'Add function: NAME (or its ARN).',
        )
      if ((type === 'HTTP_PROXY' || type === 'HTTP') && !integration.uri)
        add(
          'websocket-integration-incomplete',
          [...at, 'integration'],
          `The ${type} integration of ${key} has no uri.`,
          'Add uri: https://…',
        )
      if (type === 'MOCK' && (integration.function || integration.uri))
        add(
          'websocket-integration-incomplete',
          [...at, 'integration'],
          `The MOCK integration of ${key} also names a ${integration.function ? 'function' : 'uri'}, which MOCK never calls.`,
          'Drop the function/uri, or set type: AWS_PROXY or HTTP_PROXY.',
        )
      if (integration.templateSelectionExpression !== undefined) {
        const tse = integration.templateSelectionExpression
        const parsed = parseSelectionExpression(tse)
        if (!parsed.ok && !/^\\?\$default$/.test(tse))
          add(
            'websocket-selection-expression-invalid',
            [...at, 'integration', 'templateSelectionExpression'],
            `The template selection expression "${tse}" of ${key} does not parse: ${parsed.error}.`,
            'Use \\$default, or ${request.body.NAME}.',
          )
      }
      const fn = integration.function
      if (fn && !LAMBDA_ARN.test(fn) && !Object.hasOwn(input.functions ?? {}, fn))
        add(
          'websocket-function-unknown',
          [...at, 'integration', 'function'],
          `The function "${fn}" of route ${key} is neither a Lambda ARN nor defined under functions:.`,
          `Add functions: {${fn}: {handler: src/${fn}.handler}} to run it locally, or give its ARN.`,
        )
    }
    if (route.authorizer !== undefined) {
      if (key !== '$connect')
        add(
          'websocket-authorizer-not-connect',
          [...at, 'authorizer'],
          `The route ${key} has an authorizer; on WebSocket APIs only $connect can have one.`,
          'Move the authorizer to routes.$connect: the connection is authorized once, when it opens.',
        )
      if (!Object.hasOwn(api.authorizers ?? {}, route.authorizer))
        add(
          'websocket-authorizer-undefined',
          [...at, 'authorizer'],
          `The route ${key} names the authorizer "${route.authorizer}", which authorizers: does not define.`,
          `Add authorizers: {${route.authorizer}: {function: NAME, identitySource: [route.request.header.Authorization]}}.`,
        )
    }
    if (route.authorizationType === 'AWS_IAM') {
      if (key !== '$connect')
        add(
          'websocket-authorizer-not-connect',
          [...at, 'authorizationType'],
          `The route ${key} has authorizationType AWS_IAM; on WebSocket APIs only $connect is authorized.`,
          'Move authorizationType: AWS_IAM to routes.$connect: the connection is authorized once, when it opens.',
        )
      if (route.authorizer !== undefined)
        add(
          'websocket-authorization-conflict',
          [...at, 'authorizationType'],
          `The route ${key} has both authorizationType AWS_IAM and the authorizer "${route.authorizer}"; a route has one.`,
          'Keep authorizer (a Lambda REQUEST authorizer) or authorizationType: AWS_IAM (SigV4-signed handshakes), not both.',
        )
    }
    if (route.routeResponseSelectionExpression !== undefined && !validRouteResponseSelection(route.routeResponseSelectionExpression))
      add(
        'websocket-selection-expression-invalid',
        [...at, 'routeResponseSelectionExpression'],
        `The route response selection expression "${route.routeResponseSelectionExpression}" ` +
          `of ${key} is not $default, the only value AWS accepts.`,
        'Use routeResponseSelectionExpression: $default (or leave it out for a one-way route).',
      )
    if (key.startsWith('$') && !RESERVED.has(key))
      add(
        'websocket-selection-expression-invalid',
        at,
        `The route key ${key} starts with $ but is not $connect, $disconnect or $default.`,
        'Custom route keys are values of the route selection expression, e.g. sendmessage.',
      )
  }
  for (const [authName, authorizer] of Object.entries(api.authorizers ?? {})) {
    const fn = authorizer.function
    if (!LAMBDA_ARN.test(fn) && !Object.hasOwn(input.functions ?? {}, fn))
      add(
        'websocket-function-unknown',
        ['authorizers', authName, 'function'],
        `The authorizer ${authName} names the function "${fn}", neither a Lambda ARN nor defined under functions:.`,
        `Add functions: {${fn}: {handler: src/${fn}.handler}} to run it locally, or give its ARN.`,
      )
  }
  if (!Object.hasOwn(api.routes, '$default'))
    add(
      'websocket-default-route-missing',
      ['routes'],
      'There is no $default route: a message no route selects gets an error frame.',
      'Add routes.$default to answer unmatched messages.',
    )
  for (const [stage, settings] of Object.entries(api.stages)) {
    for (const key of ['caching', 'tracing', 'autoDeploy'] as const) {
      if (settings?.[key] === undefined) continue
      add(
        'websocket-stage-setting-ignored',
        ['stages', stage, key],
        `Stage ${stage} sets ${key}, which WebSocket API stages do not have here.`,
        `Remove stages.${stage}.${key}.`,
      )
    }
  }
  return out
}
