/**
 * API Gateway documentation parts from an OpenAPI document (`docs:` in apigw.yaml): the descriptions and summaries
 * the spec already has, each at the location API Gateway documents it (API, RESOURCE, METHOD, parameters, request
 * body, responses, response headers, models), plus the spec's own `x-amazon-apigateway-documentation` parts, which win
 * at the same location. The result goes into the body apigw imports, so ImportRestApi/PutRestApi create the parts.
 * AWS docs: https://docs.aws.amazon.com/apigateway/latest/api/API_DocumentationPartLocation.html. Pure.
 */
import {createHash} from 'node:crypto'

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

export type DocumentationLocation = {type: string; path?: string; method?: string; statusCode?: string; name?: string}
export type DocumentationPart = {location: DocumentationLocation; properties: Obj}

const VERBS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head']
const ANY = 'x-amazon-apigateway-any-method'
const PARAMETER_TYPE: Record<string, string> = {path: 'PATH_PARAMETER', query: 'QUERY_PARAMETER', header: 'REQUEST_HEADER'}
const OPERATION_KEYS = ['summary', 'description', 'tags', 'deprecated', 'externalDocs']

function pick(o: Obj, keys: readonly string[]): Obj | undefined {
  const out = Object.fromEntries(Object.entries(o).filter(([k, v]) => keys.includes(k) && v !== undefined))
  return Object.keys(out).length ? out : undefined
}

/** Follow a local `#/...` $ref (parameters, responses and request bodies are often shared). */
function deref(doc: Obj, value: unknown, depth = 0): unknown {
  if (!isObj(value) || typeof value.$ref !== 'string' || !value.$ref.startsWith('#/') || depth > 20) return value
  let cur: unknown = doc
  for (const seg of value.$ref.slice(2).split('/')) cur = isObj(cur) ? cur[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  return deref(doc, cur, depth + 1)
}

/** The identity of a location with AWS's defaults filled (path `/`, method and status code `*`). */
export function locationKey(l: DocumentationLocation): string {
  const takesPath = !['API', 'AUTHORIZER', 'MODEL'].includes(l.type)
  const takesMethod = takesPath && l.type !== 'RESOURCE'
  const takesStatus = ['RESPONSE', 'RESPONSE_HEADER', 'RESPONSE_BODY'].includes(l.type)
  return [
    l.type,
    takesPath ? (l.path ?? '/') : '',
    takesMethod ? (l.method ?? '*').toUpperCase() : '',
    takesStatus ? (l.statusCode ?? '*') : '',
    l.name ?? '',
  ].join('\u0000')
}

/** Every part the document describes, explicit `x-amazon-apigateway-documentation` parts last (they win). */
export function documentationParts(doc: Obj): DocumentationPart[] {
  const parts = new Map<string, DocumentationPart>()
  const add = (location: DocumentationLocation, properties: Obj | undefined): void => {
    if (properties) parts.set(locationKey(location), {location, properties})
  }
  const swagger = typeof doc.swagger === 'string'
  const info = isObj(doc.info) ? doc.info : {}
  if (typeof info.description === 'string' && info.description) add({type: 'API'}, {info: {description: info.description}})
  for (const [path, rawItem] of Object.entries(isObj(doc.paths) ? doc.paths : {})) {
    const item = deref(doc, rawItem)
    if (!isObj(item)) continue
    if (!swagger) add({type: 'RESOURCE', path}, pick(item, ['summary', 'description']))
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const verb of [...VERBS, ANY]) {
      const op = item[verb]
      if (!isObj(op)) continue
      const method = verb === ANY ? 'ANY' : verb.toUpperCase()
      add({type: 'METHOD', path, method}, pick(op, OPERATION_KEYS))
      for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const p = deref(doc, raw)
        if (!isObj(p) || typeof p.name !== 'string') continue
        if (p.in === 'body') add({type: 'REQUEST_BODY', path, method}, pick(p, ['description']))
        else if (PARAMETER_TYPE[String(p.in)])
          add({type: PARAMETER_TYPE[String(p.in)]!, path, method, name: p.name}, pick(p, ['description']))
      }
      const body = deref(doc, op.requestBody)
      if (isObj(body)) add({type: 'REQUEST_BODY', path, method}, pick(body, ['description']))
      for (const [statusCode, rawResponse] of Object.entries(isObj(op.responses) ? op.responses : {})) {
        const response = deref(doc, rawResponse)
        if (!isObj(response) || !/^[1-5]\d\d$/.test(statusCode)) continue
        add({type: 'RESPONSE', path, method, statusCode}, pick(response, ['description']))
        for (const [name, header] of Object.entries(isObj(response.headers) ? response.headers : {})) {
          const h = deref(doc, header)
          if (isObj(h)) add({type: 'RESPONSE_HEADER', path, method, statusCode, name}, pick(h, ['description']))
        }
      }
    }
  }
  const models = swagger ? doc.definitions : isObj(doc.components) ? doc.components.schemas : undefined
  for (const [name, schema] of Object.entries(isObj(models) ? models : {})) {
    if (isObj(schema)) add({type: 'MODEL', name}, pick(schema, ['description', 'title']))
  }
  const ext = doc['x-amazon-apigateway-documentation']
  const explicit = isObj(ext) && Array.isArray(ext.documentationParts) ? ext.documentationParts : []
  for (const p of explicit) {
    if (!isObj(p) || !isObj(p.location) || typeof p.location.type !== 'string') continue
    const properties = typeof p.properties === 'string' ? safeParse(p.properties) : p.properties
    if (isObj(properties))
      parts.set(locationKey(p.location as DocumentationLocation), {location: p.location as DocumentationLocation, properties})
  }
  return [...parts.values()]
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The document with its documentation parts in `x-amazon-apigateway-documentation` (a new object). */
export function withDocumentation(doc: Obj, version: string): {doc: Obj; parts: DocumentationPart[]; hash: string} {
  const parts = documentationParts(doc)
  const hash = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 12)
  return {doc: {...doc, 'x-amazon-apigateway-documentation': {version, documentationParts: parts}}, parts, hash}
}
