/**
 * What changed between two versions of a WebSocket API: routes by route key, each with its integration,
 * authorization and route responses. A WebSocket API has no OpenAPI form, so each side is a view built from an
 * apigw.yaml entry (a file, a git revision) or from the live API (a deployed stage); `diffWebSocketApis` only
 * describes the changes, and the checks of WEBSOCKET_DIFF_REGISTRY judge them with levels like the HTTP API
 * checks of checks/registry.ts (a route removed is breaking, an integration changed a warning…).
 */
import type {WebSocketApiConfig, WebSocketIntegrationConfig} from '../config/config.ts'
import {integrationTypeOf} from '../config/websocket.ts'
import {draft} from '../checks/helpers.ts'
import type {Check, Draft, RegistryEntry} from '../checks/types.ts'
import {pointerOf} from '../findings.ts'

export type WebSocketAuthorization = 'NONE' | 'CUSTOM' | 'AWS_IAM'

export type WebSocketIntegrationView = {
  type: string
  /** The Lambda function (its name once compared with a deployed stage) or the HTTP URI. */
  target?: string | undefined
  method?: string | undefined
  timeoutInMillis: number
  /** Request and response templates, selection expressions and passthrough, as one JSON text to compare. */
  templates: string
}

export type WebSocketRouteView = {
  key: string
  /** Where the route is declared (`#/apis/chat/routes/$connect`), in `file` of its side. */
  pointer: string
  integration: WebSocketIntegrationView
  authorization: WebSocketAuthorization
  /** The Lambda REQUEST authorizer of a CUSTOM route: its function and identity sources. */
  authorizer?: {name: string; function: string; identitySource: string[]} | undefined
  apiKeyRequired: boolean
  routeResponseSelectionExpression?: string | undefined
}

export type WebSocketApiView = {
  file: string
  /** `#/apis/chat` in apigw.yaml; '' for a deployed stage. */
  pointer: string
  routeSelectionExpression: string
  routes: WebSocketRouteView[]
}

export type WebSocketRouteDiff = {
  key: string
  base: WebSocketRouteView
  revision: WebSocketRouteView
}

export type WebSocketDiff = {
  base: WebSocketApiView
  revision: WebSocketApiView
  routeSelectionExpression?: {from: string; to: string}
  added: WebSocketRouteView[]
  removed: WebSocketRouteView[]
  /** A route removed and one added with the same integration: the route key changed. */
  renamed: WebSocketRouteDiff[]
  modified: WebSocketRouteDiff[]
}

const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:([A-Za-z0-9_-]+(?::[A-Za-z0-9_$-]+)?)$/

/** A Lambda function as a deployed stage and apigw.yaml can both say it: its name (and qualifier). */
export function functionName(fn: string): string {
  return LAMBDA_FUNCTION.exec(fn)?.[1] ?? fn
}

/** The Lambda ARN inside an API Gateway integration URI (`arn:aws:apigateway:…:lambda:path/…/functions/ARN/invocations`). */
export function functionOfIntegrationUri(uri: string): string | undefined {
  return /:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri)?.[1]
}

function templatesOf(parts: Record<string, unknown>): string {
  const defined = Object.entries(parts).filter(([, v]) => v !== undefined && !(typeof v === 'object' && Object.keys(v ?? {}).length === 0))
  return JSON.stringify(Object.fromEntries(defined.sort(([a], [b]) => (a < b ? -1 : 1))))
}

function integrationOfConfig(i: WebSocketIntegrationConfig | undefined, byName: boolean): WebSocketIntegrationView {
  const integration = i ?? {type: 'MOCK' as const}
  const type = integrationTypeOf(integration)
  const lambda = type === 'AWS_PROXY' || type === 'AWS'
  const fn = integration.function
  return {
    type,
    target: lambda ? (fn !== undefined && byName ? functionName(fn) : fn) : integration.uri,
    method: type === 'HTTP' || type === 'HTTP_PROXY' ? (integration.method ?? 'POST').toUpperCase() : undefined,
    timeoutInMillis: integration.timeoutInMillis ?? 29000,
    templates: templatesOf({
      requestTemplates: integration.requestTemplates,
      templateSelectionExpression: integration.templateSelectionExpression,
      passthroughBehavior: integration.passthroughBehavior,
      responses: integration.responses,
    }),
  }
}

/**
 * The view of a WebSocket API of apigw.yaml. `byName`: Lambda functions are compared by name (against a deployed
 * stage, whose ARNs carry an account and Region the config may leave out).
 */
export function webSocketViewOfConfig(input: {file: string; name: string; api: WebSocketApiConfig; byName?: boolean}): WebSocketApiView {
  const {api, name, file} = input
  const byName = input.byName ?? false
  const routes = Object.entries(api.routes).map(([key, r]): WebSocketRouteView => {
    const a = r.authorizer ? api.authorizers?.[r.authorizer] : undefined
    const authorization: WebSocketAuthorization = r.authorizer ? 'CUSTOM' : (r.authorizationType ?? 'NONE')
    return {
      key,
      pointer: pointerOf(['apis', name, 'routes', key]),
      integration: integrationOfConfig(r.integration, byName),
      authorization,
      authorizer:
        r.authorizer && a
          ? {name: r.authorizer, function: byName ? functionName(a.function) : a.function, identitySource: [...(a.identitySource ?? [])]}
          : undefined,
      apiKeyRequired: r.apiKeyRequired ?? false,
      routeResponseSelectionExpression: r.routeResponseSelectionExpression,
    }
  })
  return {file, pointer: pointerOf(['apis', name]), routeSelectionExpression: api.routeSelectionExpression, routes}
}

type Item = Record<string, unknown>

/**
 * The view of a live WebSocket API from apigatewayv2's answers (GetApi, GetRoutes, GetIntegrations with their
 * integration responses, GetAuthorizers). Lambda functions are named by name, as webSocketViewOfConfig byName.
 */
export function webSocketViewOfLive(input: {
  file: string
  api: Item
  routes: Item[]
  integrations: Item[]
  integrationResponses: Map<string, Item[]>
  authorizers: Item[]
}): WebSocketApiView {
  const routes = input.routes.map((r): WebSocketRouteView => {
    const key = String(r.RouteKey)
    const id = typeof r.Target === 'string' ? r.Target.replace(/^integrations\//, '') : undefined
    const i = input.integrations.find((x) => x.IntegrationId === id) ?? {IntegrationType: 'MOCK'}
    const type = String(i.IntegrationType ?? 'MOCK')
    const uri = typeof i.IntegrationUri === 'string' ? i.IntegrationUri : undefined
    const lambda = type === 'AWS_PROXY' || type === 'AWS'
    const fn = lambda && uri ? functionOfIntegrationUri(uri) : undefined
    const responses: Record<string, Item> = {}
    for (const resp of input.integrationResponses.get(String(id)) ?? []) {
      responses[String(resp.IntegrationResponseKey)] = Object.fromEntries(
        Object.entries({templates: resp.ResponseTemplates, templateSelectionExpression: resp.TemplateSelectionExpression}).filter(
          ([, v]) => v !== undefined,
        ),
      )
    }
    const a = input.authorizers.find((x) => x.AuthorizerId === r.AuthorizerId)
    const authorization = (String(r.AuthorizationType ?? 'NONE') as WebSocketAuthorization) || 'NONE'
    const authorizerUri = typeof a?.AuthorizerUri === 'string' ? a.AuthorizerUri : ''
    return {
      key,
      pointer: '',
      integration: {
        type,
        target: lambda ? (fn ? functionName(fn) : uri) : uri,
        method: type === 'HTTP' || type === 'HTTP_PROXY' ? String(i.IntegrationMethod ?? 'POST').toUpperCase() : undefined,
        timeoutInMillis: typeof i.TimeoutInMillis === 'number' ? i.TimeoutInMillis : 29000,
        templates: templatesOf({
          requestTemplates: i.RequestTemplates,
          templateSelectionExpression: i.TemplateSelectionExpression,
          passthroughBehavior: i.PassthroughBehavior,
          responses: Object.keys(responses).length > 0 ? responses : undefined,
        }),
      },
      authorization,
      authorizer:
        authorization === 'CUSTOM' && a
          ? {
              name: String(a.Name),
              function: functionName(functionOfIntegrationUri(authorizerUri) ?? authorizerUri),
              identitySource: Array.isArray(a.IdentitySource) ? a.IdentitySource.map(String) : [],
            }
          : undefined,
      apiKeyRequired: r.ApiKeyRequired === true,
      routeResponseSelectionExpression:
        typeof r.RouteResponseSelectionExpression === 'string' ? r.RouteResponseSelectionExpression : undefined,
    }
  })
  return {file: input.file, pointer: '', routeSelectionExpression: String(input.api.RouteSelectionExpression ?? ''), routes}
}

const sameIntegration = (a: WebSocketIntegrationView, b: WebSocketIntegrationView) =>
  a.type === b.type && a.target === b.target && a.method === b.method

/** Describe what changed between two views (pure; the routes of each list come out sorted by key). */
export function diffWebSocketApis(base: WebSocketApiView, revision: WebSocketApiView): WebSocketDiff {
  const byKey = (routes: WebSocketRouteView[]) => new Map(routes.map((r) => [r.key, r]))
  const b = byKey(base.routes)
  const r = byKey(revision.routes)
  const sort = <T extends {key: string}>(list: T[]) => list.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
  let removed = sort([...b.values()].filter((x) => !r.has(x.key)))
  let added = sort([...r.values()].filter((x) => !b.has(x.key)))
  const modified = sort([...b.values()].filter((x) => r.has(x.key)).map((x) => ({key: x.key, base: x, revision: r.get(x.key)!})))
  // A removed custom route whose integration is that of exactly one added route (and of no other removed one) was renamed.
  const renamed: WebSocketRouteDiff[] = []
  for (const old of removed) {
    if (old.key.startsWith('$')) continue
    const candidates = added.filter((n) => !n.key.startsWith('$') && sameIntegration(n.integration, old.integration))
    const rivals = removed.filter((o) => o !== old && sameIntegration(o.integration, old.integration))
    if (candidates.length === 1 && rivals.length === 0) renamed.push({key: old.key, base: old, revision: candidates[0]!})
  }
  removed = removed.filter((x) => !renamed.some((n) => n.base === x))
  added = added.filter((x) => !renamed.some((n) => n.revision === x))
  return {
    base,
    revision,
    ...(base.routeSelectionExpression !== revision.routeSelectionExpression
      ? {routeSelectionExpression: {from: base.routeSelectionExpression, to: revision.routeSelectionExpression}}
      : {}),
    added,
    removed,
    renamed,
    modified,
  }
}

type WsCheck = Check<WebSocketDiff>

const at = (view: WebSocketApiView, route: WebSocketRouteView, member?: string) =>
  route.pointer === '' ? (view.pointer === '' ? '' : view.pointer) : member ? `${route.pointer}/${member}` : route.pointer

const describeIntegration = (i: WebSocketIntegrationView) =>
  `${i.type}${i.target ? ` ${i.target}` : ''}${i.method && i.type.startsWith('HTTP') ? ` (${i.method})` : ''}`

const describeAuth = (r: WebSocketRouteView) =>
  r.authorization === 'CUSTOM' ? `the authorizer ${r.authorizer?.name ?? '(unknown)'}` : r.authorization === 'AWS_IAM' ? 'AWS_IAM' : 'none'

/** Routes removed, added and renamed: clients that send the old route key reach $default or an error frame. */
export const websocketRoutes: WsCheck = (diff) => {
  const out: Draft[] = []
  for (const r of diff.removed)
    out.push(
      draft(
        'websocket-route-removed',
        r.key,
        `The route ${r.key} was removed: ${
          r.key === '$connect' || r.key === '$disconnect' ? 'its integration no longer runs' : 'its messages now go to $default or fail'
        }.`,
        diff.base.file,
        at(diff.base, r),
      ),
    )
  for (const r of diff.added)
    out.push(draft('websocket-route-added', r.key, `The route ${r.key} was added.`, diff.revision.file, at(diff.revision, r)))
  for (const n of diff.renamed)
    out.push(
      draft(
        'websocket-route-renamed',
        n.base.key,
        `The route ${n.base.key} is now ${n.revision.key} (same integration): clients sending ${n.base.key} no longer reach it.`,
        diff.revision.file,
        at(diff.revision, n.revision),
      ),
    )
  return out
}

/** The route selection expression changed: every message may now be routed elsewhere. */
export const websocketRouteSelection: WsCheck = (diff) => {
  const c = diff.routeSelectionExpression
  if (!c) return []
  const pointer = diff.revision.pointer === '' ? '' : `${diff.revision.pointer}/routeSelectionExpression`
  return [
    draft(
      'websocket-route-selection-expression-changed',
      undefined,
      `The route selection expression changed from ${c.from} to ${c.to}: messages are routed by another field.`,
      diff.revision.file,
      pointer,
    ),
  ]
}

/** An integration points elsewhere (type, function, URI or method), or its timeout or templates changed. */
export const websocketIntegration: WsCheck = (diff) => {
  const out: Draft[] = []
  for (const m of [...diff.modified, ...diff.renamed]) {
    const from = m.base.integration
    const to = m.revision.integration
    const key = m.revision.key
    const where = at(diff.revision, m.revision, 'integration')
    if (!sameIntegration(from, to))
      out.push(
        draft(
          'websocket-integration-changed',
          key,
          `The integration of ${key} changed: ${describeIntegration(from)} → ${describeIntegration(to)}.`,
          diff.revision.file,
          where,
        ),
      )
    if (from.timeoutInMillis !== to.timeoutInMillis)
      out.push(
        draft(
          'websocket-integration-timeout-changed',
          key,
          `The integration timeout of ${key} changed from ${from.timeoutInMillis} ms to ${to.timeoutInMillis} ms.`,
          diff.revision.file,
          where,
        ),
      )
    if (from.templates !== to.templates)
      out.push(
        draft(
          'websocket-integration-templates-changed',
          key,
          `The request or response templates of ${key} changed.`,
          diff.revision.file,
          where,
        ),
      )
  }
  return out
}

/** Authorization of a route: added (clients without credentials are refused), changed, or removed. */
export const websocketAuthorization: WsCheck = (diff) => {
  const out: Draft[] = []
  for (const m of diff.modified) {
    const {base, revision, key} = m
    const where = at(diff.revision, revision, revision.authorization === 'CUSTOM' ? 'authorizer' : undefined)
    if (base.authorization === 'NONE' && revision.authorization !== 'NONE')
      out.push(
        draft(
          'websocket-authorizer-added',
          key,
          `${key} now goes through ${describeAuth(revision)} (was none): clients without credentials are refused.`,
          diff.revision.file,
          where,
        ),
      )
    else if (base.authorization !== 'NONE' && revision.authorization === 'NONE')
      out.push(
        draft(
          'websocket-authorizer-removed',
          key,
          `${key} no longer goes through ${describeAuth(base)}: anyone may connect.`,
          diff.revision.file,
          at(diff.revision, revision),
        ),
      )
    else if (
      base.authorization !== revision.authorization ||
      JSON.stringify(base.authorizer ?? null) !== JSON.stringify(revision.authorizer ?? null)
    ) {
      const detail =
        base.authorization !== revision.authorization || base.authorizer?.function !== revision.authorizer?.function
          ? `${describeAuth(base)} → ${describeAuth(revision)}`
          : `identity sources ${(base.authorizer?.identitySource ?? []).join(', ') || 'none'} → ${
              (revision.authorizer?.identitySource ?? []).join(', ') || 'none'
            }`
      out.push(draft('websocket-authorizer-changed', key, `The authorization of ${key} changed: ${detail}.`, diff.revision.file, where))
    }
    if (!base.apiKeyRequired && revision.apiKeyRequired)
      out.push(
        draft(
          'websocket-api-key-required-added',
          key,
          `${key} now requires an API key: clients without one are refused.`,
          diff.revision.file,
          at(diff.revision, revision, 'apiKeyRequired'),
        ),
      )
  }
  return out
}

/** A two-way route became one-way (clients waiting for an answer get none), or the reverse. */
export const websocketRouteResponse: WsCheck = (diff) => {
  const out: Draft[] = []
  for (const m of [...diff.modified, ...diff.renamed]) {
    const before = m.base.routeResponseSelectionExpression !== undefined
    const after = m.revision.routeResponseSelectionExpression !== undefined
    if (before && !after)
      out.push(
        draft(
          'websocket-route-response-removed',
          m.revision.key,
          `${m.revision.key} no longer answers (no routeResponseSelectionExpression): clients waiting for a reply get none.`,
          diff.revision.file,
          at(diff.revision, m.revision),
        ),
      )
    if (!before && after)
      out.push(
        draft(
          'websocket-route-response-added',
          m.revision.key,
          `${m.revision.key} now answers each message (two-way).`,
          diff.revision.file,
          at(diff.revision, m.revision, 'routeResponseSelectionExpression'),
        ),
      )
  }
  return out
}

/**
 * The WebSocket checks, their levels chosen as the HTTP API checks' (checks/registry.ts): a route removed is an
 * error like a path removed, an integration changed a warning like apigateway-integration-changed, authorization
 * added, changed or removed an error like apigateway-authorizer-changed/-removed, an API key now required an error.
 */
export const WEBSOCKET_DIFF_REGISTRY: readonly RegistryEntry<WebSocketDiff>[] = [
  {id: 'websocket-route-removed', level: 'error', area: 'websocket', check: websocketRoutes},
  {id: 'websocket-route-renamed', level: 'error', area: 'websocket', check: websocketRoutes},
  {id: 'websocket-route-added', level: 'info', area: 'websocket', check: websocketRoutes},
  {id: 'websocket-route-selection-expression-changed', level: 'error', area: 'websocket', check: websocketRouteSelection},
  {id: 'websocket-integration-changed', level: 'warning', area: 'websocket', check: websocketIntegration},
  {id: 'websocket-integration-timeout-changed', level: 'info', area: 'websocket', check: websocketIntegration},
  {id: 'websocket-integration-templates-changed', level: 'info', area: 'websocket', check: websocketIntegration},
  {id: 'websocket-authorizer-added', level: 'error', area: 'websocket', check: websocketAuthorization},
  {id: 'websocket-authorizer-changed', level: 'error', area: 'websocket', check: websocketAuthorization},
  {id: 'websocket-authorizer-removed', level: 'error', area: 'websocket', check: websocketAuthorization},
  {id: 'websocket-api-key-required-added', level: 'error', area: 'websocket', check: websocketAuthorization},
  {id: 'websocket-route-response-removed', level: 'warning', area: 'websocket', check: websocketRouteResponse},
  {id: 'websocket-route-response-added', level: 'info', area: 'websocket', check: websocketRouteResponse},
]
