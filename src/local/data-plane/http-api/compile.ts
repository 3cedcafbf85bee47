/**
 * An HTTP API deployment compiled for serving: its routes parsed once and kept in AWS's priority order
 * (most specific first), its integrations and authorizers by id. Deployments never change, so compiled
 * ones are cached by id and read outside the store's write queue.
 */
import {KIND} from '../../control-plane/model.ts'
import type {AuthorizerDoc, DeploymentDoc, IntegrationDoc, RouteDoc, Snapshot} from '../../control-plane/v2/common.ts'
import type {Store} from '../../store/store.ts'
import {CompiledDeployments, decode} from '../deployment.ts'

/** One path segment of a route key: a literal, a `{param}` or the greedy `{param+}` (always last). */
export type Segment = {kind: 'literal'; value: string} | {kind: 'param'; name: string} | {kind: 'greedy'; name: string}

export type CompiledRoute = {
  route: RouteDoc
  /** `GET`, `ANY`…; undefined for `$default`. */
  method: string | undefined
  /** The route key's path (`/pets/{id}`); undefined for `$default`. */
  path: string | undefined
  segments: Segment[]
  integration: IntegrationDoc | undefined
  authorizer: AuthorizerDoc | undefined
}

export type CompiledHttpApi = {
  id: string
  snapshot: Snapshot
  /** Most specific first; `$default` last. */
  routes: CompiledRoute[]
}

/** Parse a route key's path into segments. */
export function parseRoutePath(path: string): Segment[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((part): Segment => {
      const m = /^\{([^}]+?)(\+?)\}$/.exec(part)
      if (!m) return {kind: 'literal', value: part}
      return m[2] === '+' ? {kind: 'greedy', name: m[1]!} : {kind: 'param', name: m[1]!}
    })
}

const RANK = {literal: 0, param: 1, greedy: 2} as const

/**
 * AWS's priority between two routes that match the same request
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation):
 * segment by segment a literal beats a `{param}`, which beats a greedy `{proxy+}`; then a route with the
 * request's own method beats `ANY`; `$default` comes last.
 */
export function compareRoutes(a: CompiledRoute, b: CompiledRoute): number {
  if (a.method === undefined || b.method === undefined) return (a.method === undefined ? 1 : 0) - (b.method === undefined ? 1 : 0)
  const n = Math.max(a.segments.length, b.segments.length)
  for (let i = 0; i < n; i++) {
    const x = a.segments[i]
    const y = b.segments[i]
    if (!x || !y) {
      // The shorter one ends where the other goes on: only a greedy tail can match both, and the exact one wins.
      return x ? 1 : -1
    }
    if (RANK[x.kind] !== RANK[y.kind]) return RANK[x.kind] - RANK[y.kind]
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0)
}

/** Compile a deployment's snapshot. */
export function compileHttpApi(id: string, snapshot: Snapshot): CompiledHttpApi {
  const integrations = new Map(snapshot.integrations.map((i) => [i.integrationId, i]))
  const authorizers = new Map(snapshot.authorizers.map((a) => [a.authorizerId, a]))
  const routes: CompiledRoute[] = []
  for (const route of snapshot.routes) {
    const target = /^integrations\/(.+)$/.exec(route.target ?? '')?.[1]
    const integration = target === undefined ? undefined : integrations.get(target)
    const authorizer = route.authorizerId === undefined ? undefined : authorizers.get(route.authorizerId)
    if (route.routeKey === '$default') {
      routes.push({route, method: undefined, path: undefined, segments: [], integration, authorizer})
      continue
    }
    const m = /^([A-Z]+) (\/\S*)$/.exec(route.routeKey)
    if (!m) continue
    routes.push({route, method: m[1]!, path: m[2]!, segments: parseRoutePath(m[2]!), integration, authorizer})
  }
  routes.sort(compareRoutes)
  return {id, snapshot, routes}
}

export type RouteMatch = {route: CompiledRoute; pathParameters: Record<string, string>}

/** The route a request takes: the first (most specific) one whose method and path match, or undefined. */
export function matchRoute(api: CompiledHttpApi, method: string, rawPath: string): RouteMatch | undefined {
  const parts = rawPath.split('/').slice(1)
  // A trailing slash does not change the route (as for REST APIs); `//` keeps its empty segment.
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop()
  for (const candidate of api.routes) {
    if (candidate.method === undefined) return {route: candidate, pathParameters: {}}
    if (candidate.method !== 'ANY' && candidate.method !== method) continue
    const params = matchSegments(candidate.segments, parts)
    if (params) return {route: candidate, pathParameters: params}
  }
  return undefined
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!
    if (s.kind === 'greedy') {
      const rest = parts.slice(i)
      if (rest.length === 0 || rest.every((p) => p === '')) return undefined
      params[s.name] = rest.map(decode).join('/')
      return params
    }
    const part = parts[i]
    if (part === undefined) return undefined
    if (s.kind === 'literal') {
      if (decode(part) !== s.value) return undefined
    } else {
      if (part === '') return undefined
      params[s.name] = decode(part)
    }
  }
  return parts.length === segments.length ? params : undefined
}

/** Compiled HTTP API deployments by `${apiId}/${deploymentId}`, read from the store outside any transaction. */
export class HttpApiDeployments extends CompiledDeployments<DeploymentDoc, CompiledHttpApi> {
  constructor(store: Store) {
    super(store, KIND.v2Deployment, (doc) => compileHttpApi(doc.deploymentId, doc._snapshot))
  }
}
