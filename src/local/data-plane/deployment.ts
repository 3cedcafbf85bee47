/**
 * A frozen deployment compiled for serving: the snapshot plus a resource tree for routing. Deployments
 * never change once created (only their description), so compiled ones are cached by id and read from the
 * store without a transaction: a request never waits behind the control plane's write queue.
 */
import type {DeploymentDoc} from '../control-plane/v1/lookup.ts'
import {childId, KIND} from '../control-plane/model.ts'
import type {ApiSnapshot, GatewayResponseDoc, MethodDoc, ResourceDoc} from '../openapi/types.ts'
import type {Store} from '../store/store.ts'

type Node = {
  resource?: ResourceDoc
  literals: Map<string, Node>
  params: Array<{name: string; node: Node}>
  greedy?: {name: string; resource: ResourceDoc}
}

export type CompiledDeployment = {
  id: string
  snapshot: ApiSnapshot
  root: Node
  gatewayResponses: Map<string, GatewayResponseDoc>
}

export type RouteCandidate = {resource: ResourceDoc; pathParameters: Record<string, string>}

/** Compile a snapshot: the resource tree keyed by path part. */
export function compileDeployment(id: string, snapshot: ApiSnapshot): CompiledDeployment {
  const root: Node = {literals: new Map(), params: []}
  for (const resource of snapshot.resources) {
    const parts = resource.path.split('/').filter(Boolean)
    let node = root
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!
      const m = /^\{([^}]+?)(\+?)\}$/.exec(part)
      if (m && m[2] === '+') {
        // A greedy resource has no children (API Gateway refuses any).
        if (i === parts.length - 1) node.greedy = {name: m[1]!, resource}
        node = {literals: new Map(), params: []}
        continue
      }
      if (m) {
        let p = node.params.find((x) => x.name === m[1])
        if (!p) {
          p = {name: m[1]!, node: {literals: new Map(), params: []}}
          node.params.push(p)
        }
        node = p.node
      } else {
        let next = node.literals.get(part)
        if (!next) {
          next = {literals: new Map(), params: []}
          node.literals.set(part, next)
        }
        node = next
      }
    }
    if (parts.length === 0 || !/^\{[^}]+\+\}$/.test(parts[parts.length - 1]!)) node.resource = resource
  }
  return {id, snapshot, root, gatewayResponses: new Map(snapshot.gatewayResponses.map((g) => [g.responseType, g]))}
}

/**
 * The resources a path matches, best first: a literal segment before a `{param}` before a greedy
 * `{proxy+}` (AWS's order). The path is the one after the stage; a trailing slash is ignored.
 */
export function* matchResources(root: Node, rawPath: string): Generator<RouteCandidate> {
  const segments = rawPath.split('/').slice(1)
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop()
  yield* walk(root, segments, 0, {})
}

function* walk(node: Node, segments: string[], i: number, params: Record<string, string>): Generator<RouteCandidate> {
  if (i === segments.length) {
    if (node.resource) yield {resource: node.resource, pathParameters: params}
    return
  }
  const raw = segments[i]!
  const decoded = decode(raw)
  const literal = node.literals.get(decoded)
  if (literal) yield* walk(literal, segments, i + 1, params)
  if (raw !== '') for (const p of node.params) yield* walk(p.node, segments, i + 1, {...params, [p.name]: decoded})
  if (node.greedy && raw !== '') {
    yield {resource: node.greedy.resource, pathParameters: {...params, [node.greedy.name]: segments.slice(i).map(decode).join('/')}}
  }
}

/** The method for a verb on a resource: the verb itself, else ANY (HEAD is not implied by GET). */
export function methodOf(resource: ResourceDoc, verb: string): {method: MethodDoc; declared: string} | undefined {
  const methods = resource.resourceMethods
  if (!methods) return undefined
  if (methods[verb]) return {method: methods[verb]!, declared: verb}
  if (methods.ANY) return {method: methods.ANY, declared: 'ANY'}
  return undefined
}

/** A path segment percent-decoded, or as sent when it does not decode. */
export function decode(segment: string): string {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/**
 * Compiled deployments of one kind (REST, HTTP API) by `${apiId}/${deploymentId}`, read from the store outside any
 * transaction; the 500 most recent are kept.
 */
export class CompiledDeployments<D, T> {
  private readonly cache = new Map<string, T>()
  private readonly store: Store
  private readonly kind: string
  private readonly compile: (doc: D) => T
  constructor(store: Store, kind: string, compile: (doc: D) => T) {
    this.store = store
    this.kind = kind
    this.compile = compile
  }

  get(apiId: string, deploymentId: string): T | undefined {
    const key = childId(apiId, deploymentId)
    let compiled = this.cache.get(key)
    if (!compiled) {
      const doc = this.store.get<D>(this.kind, key)
      if (!doc) return undefined
      compiled = this.compile(doc)
      if (this.cache.size > 500) this.cache.delete(this.cache.keys().next().value!)
      this.cache.set(key, compiled)
    }
    return compiled
  }
}

/** The REST data plane's compiled deployments. */
export class DeploymentCache extends CompiledDeployments<DeploymentDoc, CompiledDeployment> {
  constructor(store: Store) {
    super(store, KIND.deployment, (doc) => compileDeployment(doc.id, doc._snapshot))
  }
}
