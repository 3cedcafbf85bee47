/**
 * Method + path → operation, for the REST-style protocols (API Gateway v1 and v2). Patterns are compiled
 * once; a `{name}` segment matches one path segment, `{name+}` the rest of the path.
 */
import type {RouteDef} from './types.ts'

type Compiled = {def: RouteDef; segments: Array<{literal: string} | {param: string; greedy: boolean}>}

export type RouteMatch = {def: RouteDef; params: Record<string, string>}

export class Router {
  private readonly routes: Compiled[]

  constructor(defs: readonly RouteDef[]) {
    this.routes = defs.map((def) => ({
      def,
      segments: def.path
        .split('/')
        .filter(Boolean)
        .map((s) => {
          const m = /^\{([^}+]+)(\+?)\}$/.exec(s)
          return m ? {param: m[1]!, greedy: m[2] === '+'} : {literal: s}
        }),
    }))
    // Literal segments win over parameters; routes with a query discriminator win over those without.
    this.routes.sort((a, b) => specificity(b) - specificity(a))
  }

  /** Find the operation; `methodMismatch` is true when the path is known but not for this method. */
  match(method: string, rawSegments: string[], query: URLSearchParams): {match?: RouteMatch; methodMismatch: boolean} {
    let methodMismatch = false
    for (const route of this.routes) {
      const params = matchSegments(route.segments, rawSegments)
      if (!params) continue
      if (route.def.query && !Object.entries(route.def.query).every(([k, v]) => query.get(k) === v)) continue
      if (route.def.method !== method) {
        methodMismatch = true
        continue
      }
      return {match: {def: route.def, params}, methodMismatch: false}
    }
    return {methodMismatch}
  }
}

function specificity(c: Compiled): number {
  let score = c.def.query ? 1000 : 0
  for (const s of c.segments) score += 'literal' in s ? 10 : 'greedy' in s && s.greedy ? 0 : 1
  return score
}

function matchSegments(pattern: Compiled['segments'], raw: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!
    if ('literal' in p) {
      if (raw[i] === undefined || decode(raw[i]!) !== p.literal) return undefined
      continue
    }
    if (p.greedy) {
      if (i >= raw.length) return undefined
      params[p.param] = raw.slice(i).map(decode).join('/')
      return params
    }
    if (raw[i] === undefined || raw[i] === '') return undefined
    params[p.param] = decode(raw[i]!)
  }
  return raw.length === pattern.length ? params : undefined
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
