/**
 * Custom domain names on the data plane: a request to a domain name the emulator has (its `Host`, or the
 * path-style `/_aws/domain/{domainName}/...`) goes to the API and stage its routing rules or mappings pick, with
 * the base path stripped, as API Gateway routes it:
 * - routing rules first when the domain's routing mode says so, by ascending priority; every condition of a rule
 *   must match (a base path, header value globs); the rule's action names the API, the stage and whether the
 *   base path is stripped;
 * - then the mappings: the longest base path whose segments start the path (multi-level base paths), the empty
 *   base path matching everything; a mapping without a stage takes the stage from the next segment;
 * - nothing matches: 403 `{"message":"Forbidden"}`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-routing-rules.html
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html
 */
import type {IncomingMessage} from 'node:http'
import {
  DOMAIN_KIND,
  type DomainDoc,
  listMappings,
  listRoutingRules,
  type MappingDoc,
  type RoutingRuleDoc,
} from '../control-plane/domain-names.ts'
import type {Store} from '../store/store.ts'
import type {DataPlaneTarget, DomainResolver} from './address.ts'

function decode(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/** The domain name a host belongs to: an exact name, else a wildcard name (`*.example.com`) one level up. */
function findDomain(store: Store, name: string): DomainDoc | undefined {
  const exact = store.get<DomainDoc>(DOMAIN_KIND.domain, name)
  if (exact) return exact
  const dot = name.indexOf('.')
  return dot > 0 ? store.get<DomainDoc>(DOMAIN_KIND.domain, `*${name.slice(dot)}`) : undefined
}

/** How many leading segments of `segments` a base path takes, or -1 when it does not start the path. */
function matchBasePath(basePath: string, segments: readonly string[]): number {
  if (basePath === '') return 0
  const parts = basePath.split('/')
  if (parts.length > segments.length) return -1
  for (let i = 0; i < parts.length; i++) if (decode(segments[i]!) !== parts[i]) return -1
  return parts.length
}

/** A header value glob: `*` matches any run of characters; the comparison ignores case, as AWS's does. */
function globMatch(glob: string, value: string): boolean {
  const re = new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  )
  return re.test(value)
}

function headerValues(req: IncomingMessage, name: string): string[] {
  const v = req.headers[name.toLowerCase()]
  if (v === undefined) return []
  return Array.isArray(v) ? v : [v]
}

function ruleMatches(rule: RoutingRuleDoc, segments: readonly string[], req: IncomingMessage): number | undefined {
  let taken = 0
  for (const c of rule.conditions) {
    if (c.matchBasePaths) {
      const n = Math.max(...c.matchBasePaths.anyOf.map((bp) => matchBasePath(bp, segments)))
      if (n < 0) return undefined
      taken = n
    }
    if (c.matchHeaders) {
      const ok = c.matchHeaders.anyOf.some((h) => headerValues(req, h.header).some((v) => globMatch(h.valueGlob, v)))
      if (!ok) return undefined
    }
  }
  return taken
}

/** The remaining path once `taken` leading segments are gone, always starting with '/'. */
function rest(segments: readonly string[], taken: number, trailingSlash: boolean): string {
  const left = segments.slice(taken)
  if (left.length === 0) return '/'
  return `/${left.join('/')}${trailingSlash ? '/' : ''}`
}

/** The resolver the server's dispatch uses (address.ts), over the emulator's store. */
export function createDomainResolver(store: () => Store): DomainResolver {
  return (domainName, pathname, rawQuery, req) => {
    const domain = findDomain(store(), domainName.toLowerCase())
    if (!domain) return undefined
    const base = {
      rawQuery,
      domainName,
      style: 'domain' as const,
      domainPrefix: domainName.split('.')[0]!,
      requestPath: pathname,
    }
    const trailingSlash = pathname.length > 1 && pathname.endsWith('/')
    const segments = pathname.split('/').filter((s) => s !== '')
    if (domain.routingMode !== 'MAPPINGS') {
      for (const rule of listRoutingRules(store(), domain.key)) {
        const taken = ruleMatches(rule, segments, req)
        if (taken === undefined) continue
        const action = rule.actions[0]!.invokeApi
        return {
          ...base,
          apiId: action.apiId,
          stageName: action.stage,
          path: action.stripBasePath ? rest(segments, taken, trailingSlash) : pathname,
        }
      }
      if (domain.routingMode === 'RULES') return forbidden(base)
    }
    let best: {m: MappingDoc; taken: number} | undefined
    for (const m of listMappings(store(), domain.key)) {
      const taken = matchBasePath(m.basePath, segments)
      if (taken >= 0 && (!best || taken > best.taken)) best = {m, taken}
    }
    if (!best) return forbidden(base)
    const {m, taken} = best
    if (m.stage !== undefined) return {...base, apiId: m.apiId, stageName: m.stage, path: rest(segments, taken, trailingSlash)}
    // A mapping without a stage: the stage is the segment after the base path.
    const stage = segments[taken]
    if (stage === undefined) return forbidden(base)
    return {...base, apiId: m.apiId, stageName: decode(stage), path: rest(segments, taken + 1, trailingSlash)}
  }
}

function forbidden(base: Omit<DataPlaneTarget, 'apiId' | 'stageName' | 'path'>): DataPlaneTarget {
  return {...base, apiId: '', stageName: undefined, path: '/', forbidden: true}
}
