import {escapePointerToken, pointerOf} from '../findings.ts'
import {isObject, normaliseSecurity, pathParamNames, pathShape, SpecDocument} from './document.ts'
import {canonical, deepEqual, SchemaComparer} from './schema-diff.ts'
import type {
  ContentDiff,
  DiffOptions,
  HeaderDiff,
  MediaTypeView,
  OperationDiff,
  OperationView,
  ParameterDiff,
  ParameterView,
  RequestBodyDiff,
  ResponseDiff,
  SecurityDiff,
  SecurityRequirement,
  SecuritySchemeDiff,
  SecuritySchemeView,
  SpecDiff,
  ValueChange,
} from './types.ts'

/**
 * Describe what changed between two parsed OpenAPI documents (Swagger 2.0, OpenAPI 3.0 or 3.1, $refs not
 * resolved). Pure: reads its arguments only and never mutates them.
 */
export function diffSpecs(base: unknown, revision: unknown, options: DiffOptions = {}): SpecDiff {
  const b = new SpecDocument(base, options.baseFile ?? 'base')
  const r = new SpecDocument(revision, options.revisionFile ?? 'revision')
  const schemas = new SchemaComparer(b, r)
  const ctx: Ctx = {b, r, schemas}

  // Webhooks' operations are compared like the paths' (oasdiff's webhook:NAME); whole webhooks added or
  // removed are webhook-added / webhook-removed.
  const baseWebhooks = new Set(Object.keys(isObject(b.doc['webhooks']) ? b.doc['webhooks'] : {}))
  const revWebhooks = new Set(Object.keys(isObject(r.doc['webhooks']) ? r.doc['webhooks'] : {}))
  const webhookOf = (op: OperationView) => op.path.slice('webhook:'.length)
  const baseOps = new Map([...b.operations(), ...[...b.webhookOperations()].filter(([, op]) => revWebhooks.has(webhookOf(op)))])
  const revOps = new Map([...r.operations(), ...[...r.webhookOperations()].filter(([, op]) => baseWebhooks.has(webhookOf(op)))])
  const baseShapes = new Set([...baseOps.values()].map((o) => pathShape(o.path)))
  const revShapes = new Set([...revOps.values()].map((o) => pathShape(o.path)))

  const added: SpecDiff['operations']['added'] = []
  const removed: SpecDiff['operations']['removed'] = []
  const modified: OperationDiff[] = []
  const callbacks: OperationDiff[] = []
  for (const [key, op] of baseOps) {
    const other = revOps.get(key)
    if (!other) {
      // A callback's operation added or removed is not an endpoint of the API: only changes within one are judged.
      if (op.kind !== 'callback') removed.push({...op, pathRemoved: !revShapes.has(pathShape(op.path))})
    } else {
      const d = diffOperation(ctx, op, other)
      if (d) (op.kind === 'callback' ? callbacks : modified).push(d)
    }
  }
  for (const [key, op] of revOps)
    if (!baseOps.has(key) && op.kind !== 'callback') added.push({...op, pathAdded: !baseShapes.has(pathShape(op.path))})

  return {
    base: {file: b.file, version: b.version, apiGateway: b.apiGateway},
    revision: {file: r.file, version: r.version, apiGateway: r.apiGateway},
    operations: {added, removed, modified},
    ...globalSecurity(b, r),
    securitySchemes: diffSecuritySchemes(b, r),
    authorizers: {base: authorizerNames(b), revision: authorizerNames(r)},
    servers: diffServers(b, r),
    webhooks: diffWebhooks(b, r),
    callbacks,
    info: diffInfo(b, r),
    apiGateway: diffApiGatewayDocument(b, r),
  }
}

type Ctx = {b: SpecDocument; r: SpecDocument; schemas: SchemaComparer}

function change<T>(from: T, to: T): ValueChange<T> | undefined {
  return deepEqual(from, to) ? undefined : {from, to}
}

function diffOperation(ctx: Ctx, base: OperationView, revision: OperationView): OperationDiff | undefined {
  const d: OperationDiff = {
    method: revision.method,
    path: revision.path,
    basePath: base.path,
    operation: revision.operation,
    base,
    revision,
    parameters: diffParameters(ctx, base, revision),
    responses: diffResponses(ctx, base, revision),
    apiGateway: {},
  }
  const deprecated = change(base.deprecated, revision.deprecated)
  if (deprecated) d.deprecated = deprecated
  const sunset = change(base.sunset, revision.sunset)
  if (sunset) d.sunset = sunset
  const stability = change(base.stability, revision.stability)
  if (stability) d.stability = stability
  const operationId = change(base.operationId, revision.operationId)
  if (operationId) d.operationId = operationId
  const tagsAdded = revision.tags.filter((t) => !base.tags.includes(t))
  const tagsRemoved = base.tags.filter((t) => !revision.tags.includes(t))
  if (tagsAdded.length || tagsRemoved.length) d.tags = {added: tagsAdded, removed: tagsRemoved}
  const body = diffRequestBody(ctx, base, revision)
  if (body) d.requestBody = body
  const security = diffSecurity(base.security ?? [], revision.security ?? [])
  if (security) d.security = {...security, from: base.security, to: revision.security}
  for (const k of new Set([...Object.keys(base.apiGateway), ...Object.keys(revision.apiGateway)])) {
    const c = change(base.apiGateway[k], revision.apiGateway[k])
    if (c) d.apiGateway[k] = c
  }
  const empty =
    !d.deprecated &&
    !d.sunset &&
    !d.stability &&
    !d.operationId &&
    !d.tags &&
    !d.requestBody &&
    !d.security &&
    Object.keys(d.apiGateway).length === 0 &&
    d.parameters.added.length + d.parameters.removed.length + d.parameters.modified.length === 0 &&
    d.responses.added.length + d.responses.removed.length + d.responses.modified.length === 0
  return empty ? undefined : d
}

/** Path parameters match by position in the template, so a renamed {id} → {petId} is the same parameter. */
function parameterKey(p: ParameterView, path: string): string {
  if (p.in === 'path') {
    const i = pathParamNames(path).indexOf(p.name)
    return i >= 0 ? `path:#${i}` : `path:${p.name}`
  }
  return `${p.in}:${p.in === 'header' ? p.name.toLowerCase() : p.name}`
}

function diffParameters(ctx: Ctx, base: OperationView, revision: OperationView): OperationDiff['parameters'] {
  const bmap = new Map(base.parameters.map((p) => [parameterKey(p, base.path), p]))
  const rmap = new Map(revision.parameters.map((p) => [parameterKey(p, revision.path), p]))
  const out: OperationDiff['parameters'] = {added: [], removed: [], modified: []}
  for (const [key, bp] of bmap) {
    const rp = rmap.get(key)
    if (!rp) {
      out.removed.push(bp)
      continue
    }
    const d: ParameterDiff = {name: rp.name, in: rp.in, base: bp, revision: rp}
    const required = change(bp.required, rp.required)
    if (required) d.required = required
    const deprecated = change(bp.deprecated, rp.deprecated)
    if (deprecated) d.deprecated = deprecated
    for (const k of ['style', 'explode'] as const) {
      const c = change(bp.node[k], rp.node[k])
      if (c) d[k] = c
    }
    for (const k of ['x-sunset', 'x-stability-level']) {
      const c = change(bp.node[k], rp.node[k])
      if (c) {
        d.extensions ??= {}
        d.extensions[k] = c
      }
    }
    if (bp.schema !== undefined && rp.schema !== undefined) {
      const s = ctx.schemas.compare(bp.schema, rp.schema, bp.schemaPointer, rp.schemaPointer)
      if (s) d.schema = s
    } else if (bp.schema === undefined && rp.schema !== undefined) d.schemaAdded = true
    else if (bp.schema !== undefined && rp.schema === undefined) d.schemaRemoved = true
    const changed = Object.keys(d).length > 4
    if (changed) out.modified.push(d)
  }
  for (const [key, rp] of rmap) if (!bmap.has(key)) out.added.push(rp)
  return out
}

function diffContent(ctx: Ctx, base: MediaTypeView[], revision: MediaTypeView[]): ContentDiff | undefined {
  const out: ContentDiff = {added: [], removed: [], modified: []}
  const rmap = new Map(revision.map((m) => [m.mediaType, m]))
  const bset = new Set(base.map((m) => m.mediaType))
  for (const bm of base) {
    const rm = rmap.get(bm.mediaType)
    if (!rm) {
      out.removed.push(bm)
      continue
    }
    if (bm.schema !== undefined && rm.schema !== undefined) {
      const s = ctx.schemas.compare(bm.schema, rm.schema, bm.schemaPointer, rm.schemaPointer)
      if (s) out.modified.push({mediaType: bm.mediaType, base: bm, revision: rm, schema: s})
    } else if (bm.schema === undefined && rm.schema !== undefined)
      out.modified.push({mediaType: bm.mediaType, base: bm, revision: rm, schemaAdded: true})
    else if (bm.schema !== undefined && rm.schema === undefined)
      out.modified.push({mediaType: bm.mediaType, base: bm, revision: rm, schemaRemoved: true})
  }
  for (const rm of revision) if (!bset.has(rm.mediaType)) out.added.push(rm)
  return out.added.length || out.removed.length || out.modified.length ? out : undefined
}

function diffRequestBody(ctx: Ctx, base: OperationView, revision: OperationView): RequestBodyDiff | undefined {
  const bb = base.requestBody
  const rb = revision.requestBody
  if (!bb && !rb) return undefined
  if (!bb) return {added: rb!, revision: rb!}
  if (!rb) return {removed: bb, base: bb}
  const d: RequestBodyDiff = {base: bb, revision: rb}
  const required = change(bb.required, rb.required)
  if (required) d.required = required
  const content = diffContent(ctx, bb.content, rb.content)
  if (content) d.content = content
  return d.required || d.content ? d : undefined
}

function diffResponses(ctx: Ctx, base: OperationView, revision: OperationView): OperationDiff['responses'] {
  const out: OperationDiff['responses'] = {added: [], removed: [], modified: []}
  const rmap = new Map(revision.responses.map((x) => [x.status.toUpperCase(), x]))
  const bset = new Set(base.responses.map((x) => x.status.toUpperCase()))
  for (const br of base.responses) {
    const rr = rmap.get(br.status.toUpperCase())
    if (!rr) {
      out.removed.push(br)
      continue
    }
    const headers: ResponseDiff['headers'] = {added: [], removed: [], modified: []}
    const rh = new Map(rr.headers.map((h) => [h.name.toLowerCase(), h]))
    const bh = new Set(br.headers.map((h) => h.name.toLowerCase()))
    for (const h of br.headers) {
      const other = rh.get(h.name.toLowerCase())
      if (!other) {
        headers.removed.push(h)
        continue
      }
      const hd: HeaderDiff = {name: other.name, base: h, revision: other}
      const required = change(h.required, other.required)
      if (required) hd.required = required
      if (h.schema !== undefined && other.schema !== undefined) {
        const s = ctx.schemas.compare(h.schema, other.schema, h.schemaPointer, other.schemaPointer)
        if (s) hd.schema = s
      }
      if (hd.required || hd.schema) headers.modified.push(hd)
    }
    for (const h of rr.headers) if (!bh.has(h.name.toLowerCase())) headers.added.push(h)
    const content = diffContent(ctx, br.content, rr.content) ?? {added: [], removed: [], modified: []}
    const any =
      headers.added.length + headers.removed.length + headers.modified.length > 0 ||
      content.added.length + content.removed.length + content.modified.length > 0
    if (any) out.modified.push({status: rr.status, base: br, revision: rr, headers, content})
  }
  for (const rr of revision.responses) if (!bset.has(rr.status.toUpperCase())) out.added.push(rr)
  return out
}

function requirementKey(req: SecurityRequirement): string {
  return Object.keys(req).sort().join('&')
}

/** Requirements match by their set of scheme names; scopes are compared within a match. */
export function diffSecurity(base: SecurityRequirement[], revision: SecurityRequirement[]): SecurityDiff | undefined {
  const rmap = new Map(revision.map((r) => [requirementKey(r), r]))
  const bkeys = new Set(base.map(requirementKey))
  const out: SecurityDiff = {added: [], removed: [], modified: []}
  for (const br of base) {
    const rr = rmap.get(requirementKey(br))
    if (!rr) {
      out.removed.push(br)
      continue
    }
    const scopesAdded: Record<string, string[]> = {}
    const scopesRemoved: Record<string, string[]> = {}
    let any = false
    for (const scheme of Object.keys(br)) {
      const a = (rr[scheme] ?? []).filter((s) => !(br[scheme] ?? []).includes(s))
      const r = (br[scheme] ?? []).filter((s) => !(rr[scheme] ?? []).includes(s))
      if (a.length) scopesAdded[scheme] = a
      if (r.length) scopesRemoved[scheme] = r
      if (a.length || r.length) any = true
    }
    if (any) out.modified.push({schemes: Object.keys(br).sort(), scopesAdded, scopesRemoved})
  }
  for (const rr of revision) if (!bkeys.has(requirementKey(rr))) out.added.push(rr)
  return out.added.length || out.removed.length || out.modified.length ? out : undefined
}

function globalSecurity(b: SpecDocument, r: SpecDocument): {security?: SpecDiff['security']} {
  const bs = Array.isArray(b.doc['security']) ? normaliseSecurity(b.doc['security']) : []
  const rs = Array.isArray(r.doc['security']) ? normaliseSecurity(r.doc['security']) : []
  const d = diffSecurity(bs, rs)
  return d ? {security: {...d, pointer: '#/security'}} : {}
}

function securitySchemes(doc: SpecDocument): Map<string, SecuritySchemeView> {
  const container =
    doc.version === '2.0'
      ? doc.doc['securityDefinitions']
      : isObject(doc.doc['components'])
        ? doc.doc['components']['securitySchemes']
        : undefined
  const base = doc.version === '2.0' ? ['securityDefinitions'] : ['components', 'securitySchemes']
  const out = new Map<string, SecuritySchemeView>()
  if (!isObject(container)) return out
  for (const name of Object.keys(container)) {
    const at = doc.resolve<unknown>(container[name], pointerOf([...base, name]))
    if (isObject(at.node)) out.set(name, {name, pointer: at.pointer, node: at.node})
  }
  return out
}

function authorizerNames(doc: SpecDocument): string[] {
  return [...securitySchemes(doc).values()]
    .filter((s) => isObject(s.node['x-amazon-apigateway-authorizer']))
    .map((s) => s.name)
    .sort()
}

function flowsOf(node: Record<string, unknown>): {tokenUrl: string[]; authorizationUrl: string[]; scopes: string[]} {
  const tokenUrl: string[] = []
  const authorizationUrl: string[] = []
  const scopes = new Set<string>()
  const flows = isObject(node['flows']) ? Object.values(node['flows']) : [node]
  for (const f of flows) {
    if (!isObject(f)) continue
    if (f['tokenUrl'] !== undefined) tokenUrl.push(String(f['tokenUrl']))
    if (f['authorizationUrl'] !== undefined) authorizationUrl.push(String(f['authorizationUrl']))
    if (isObject(f['scopes'])) for (const s of Object.keys(f['scopes'])) scopes.add(s)
  }
  return {tokenUrl: tokenUrl.sort(), authorizationUrl: authorizationUrl.sort(), scopes: [...scopes].sort()}
}

function diffSecuritySchemes(b: SpecDocument, r: SpecDocument): SpecDiff['securitySchemes'] {
  const bm = securitySchemes(b)
  const rm = securitySchemes(r)
  const out: SpecDiff['securitySchemes'] = {added: [], removed: [], modified: []}
  for (const [name, bs] of bm) {
    const rs = rm.get(name)
    if (!rs) {
      out.removed.push(bs)
      continue
    }
    if (deepEqual(bs.node, rs.node)) continue
    const d: SecuritySchemeDiff = {name, base: bs, revision: rs}
    const type = change(bs.node['type'], rs.node['type'])
    if (type) d.type = type
    const bf = flowsOf(bs.node)
    const rf = flowsOf(rs.node)
    const tokenUrl = change(bf.tokenUrl, rf.tokenUrl)
    if (tokenUrl) d.tokenUrl = tokenUrl
    const authorizationUrl = change(bf.authorizationUrl, rf.authorizationUrl)
    if (authorizationUrl) d.authorizationUrl = authorizationUrl
    const sa = rf.scopes.filter((s) => !bf.scopes.includes(s))
    const sr = bf.scopes.filter((s) => !rf.scopes.includes(s))
    if (sa.length || sr.length) d.scopes = {added: sa, removed: sr}
    const authorizer = change(bs.node['x-amazon-apigateway-authorizer'], rs.node['x-amazon-apigateway-authorizer'])
    if (authorizer) d.authorizer = authorizer
    const authType = change(bs.node['x-amazon-apigateway-authtype'], rs.node['x-amazon-apigateway-authtype'])
    if (authType) d.authType = authType
    out.modified.push(d)
  }
  for (const [name, rs] of rm) if (!bm.has(name)) out.added.push(rs)
  return out
}

function serverUrls(doc: SpecDocument): string[] {
  if (doc.version === '2.0') {
    const host = doc.doc['host']
    if (typeof host !== 'string') return []
    const basePath = typeof doc.doc['basePath'] === 'string' ? doc.doc['basePath'] : ''
    const schemes = Array.isArray(doc.doc['schemes']) ? doc.doc['schemes'].map(String) : ['https']
    return schemes.map((s) => `${s}://${host}${basePath}`)
  }
  const servers = doc.doc['servers']
  return Array.isArray(servers) ? servers.filter(isObject).map((s) => String(s['url'])) : []
}

function diffServers(b: SpecDocument, r: SpecDocument): SpecDiff['servers'] {
  const bs = serverUrls(b)
  const rs = serverUrls(r)
  return {
    added: rs.filter((u) => !bs.includes(u)),
    removed: bs.filter((u) => !rs.includes(u)),
    pointer: r.version === '2.0' ? '#/host' : '#/servers',
  }
}

function diffWebhooks(b: SpecDocument, r: SpecDocument): SpecDiff['webhooks'] {
  const bw = isObject(b.doc['webhooks']) ? b.doc['webhooks'] : {}
  const rw = isObject(r.doc['webhooks']) ? r.doc['webhooks'] : {}
  const removedNames = Object.keys(bw).filter((k) => !(k in rw))
  const addedNames = Object.keys(rw).filter((k) => !(k in bw))
  return {
    added: addedNames.map((k) => ({node: rw[k], pointer: `#/webhooks/${escapePointerToken(k)}`})),
    removed: removedNames.map((k) => ({node: bw[k], pointer: `#/webhooks/${escapePointerToken(k)}`})),
    names: {added: addedNames, removed: removedNames},
  }
}

function diffInfo(b: SpecDocument, r: SpecDocument): SpecDiff['info'] {
  const bi = isObject(b.doc['info']) ? b.doc['info'] : {}
  const ri = isObject(r.doc['info']) ? r.doc['info'] : {}
  const out: SpecDiff['info'] = {}
  const version = change(bi['version'], ri['version'])
  if (version) out.version = version
  const title = change(bi['title'], ri['title'])
  if (title) out.title = title
  return out
}

function diffApiGatewayDocument(b: SpecDocument, r: SpecDocument): SpecDiff['apiGateway'] {
  const out: SpecDiff['apiGateway'] = {}
  const keys = new Set([...Object.keys(b.doc), ...Object.keys(r.doc)].filter((k) => k.startsWith('x-amazon-apigateway-')))
  for (const k of keys) {
    const c = change(b.doc[k], r.doc[k])
    if (c) out[k] = {...c, basePointer: pointerOf([k]), revisionPointer: pointerOf([k])}
  }
  return out
}

export {canonical}
