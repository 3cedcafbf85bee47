import {escapePointerToken, parsePointer, pointerOf} from '../findings.ts'
import type {
  HeaderView,
  JsonObject,
  Located,
  MediaTypeView,
  OperationView,
  ParameterView,
  RequestBodyView,
  ResponseView,
  SecurityRequirement,
} from './types.ts'

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const
const AWS_ANY_METHOD = 'x-amazon-apigateway-any-method'

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A read-only view of one parsed document: resolves local $refs lazily, never copies the document. */
export class SpecDocument {
  readonly doc: JsonObject
  readonly file: string
  readonly version: '2.0' | '3.0' | '3.1'
  readonly apiGateway: boolean
  private readonly pointerCache = new Map<string, unknown>()

  constructor(doc: unknown, file: string) {
    this.doc = isObject(doc) ? doc : {}
    this.file = file
    const openapi = this.doc['openapi']
    this.version =
      typeof this.doc['swagger'] === 'string' ? '2.0' : typeof openapi === 'string' && openapi.startsWith('3.1') ? '3.1' : '3.0'
    this.apiGateway = Object.keys(this.doc).some((k) => k.startsWith('x-amazon-apigateway-')) || hasApiGatewayOperation(this.doc)
  }

  /** The node at a local pointer ('#/components/schemas/Pet'), or undefined. */
  at(pointer: string): unknown {
    if (this.pointerCache.has(pointer)) return this.pointerCache.get(pointer)
    let node: unknown = this.doc
    for (const token of parsePointer(pointer)) {
      if (Array.isArray(node)) node = node[Number(token)]
      else if (isObject(node)) node = node[token]
      else {
        node = undefined
        break
      }
    }
    this.pointerCache.set(pointer, node)
    return node
  }

  /** Follow $ref chains (local only). External refs stay as they are. Cycles of pure refs stop. */
  resolve<T = unknown>(node: unknown, pointer: string): Located<T> & {ref?: string} {
    let ref: string | undefined
    let current = node
    let at = pointer
    for (let hops = 0; hops < 32 && isObject(current); hops++) {
      const target = current['$ref']
      if (typeof target !== 'string' || !target.startsWith('#')) break
      ref ??= target
      const next = this.at(target)
      if (next === undefined) break
      current = next
      at = target.startsWith('#/') ? target : `#${target.slice(1)}`
    }
    return ref === undefined ? {node: current as T, pointer: at} : {node: current as T, pointer: at, ref}
  }

  /** Operations keyed by 'METHOD shape' where shape replaces every {param} by {}. */
  operations(): Map<string, OperationView> {
    const out = new Map<string, OperationView>()
    const paths = this.doc['paths']
    if (!isObject(paths)) return out
    for (const path of Object.keys(paths)) {
      const pathPointer = pointerOf(['paths', path])
      const item = this.resolve<unknown>(paths[path], pathPointer)
      if (!isObject(item.node)) continue
      const pathItem = item.node
      for (const key of [...METHODS, AWS_ANY_METHOD]) {
        const op = pathItem[key]
        if (!isObject(op)) continue
        const method = key === AWS_ANY_METHOD ? 'ANY' : key.toUpperCase()
        const view = this.operationView(path, method, key, pathItem, item.pointer, op)
        out.set(`${method} ${pathShape(path)}`, view)
        this.callbackOperations(view, out)
      }
    }
    return out
  }

  /** The operations of an operation's callbacks, keyed under it: `callback:NAME of POST /pets`. */
  private callbackOperations(parent: OperationView, out: Map<string, OperationView>): void {
    const callbacks = parent.node['callbacks']
    if (!isObject(callbacks)) return
    for (const name of Object.keys(callbacks)) {
      const cb = this.resolve<unknown>(callbacks[name], `${parent.pointer}/callbacks/${escapePointerToken(name)}`)
      if (!isObject(cb.node)) continue
      const expressions = Object.keys(cb.node).filter((k) => !k.startsWith('x-'))
      for (const expression of expressions) {
        const item = this.resolve<unknown>(cb.node[expression], `${cb.pointer}/${escapePointerToken(expression)}`)
        if (!isObject(item.node)) continue
        const label = `callback:${name}${expressions.length > 1 ? `[${expression}]` : ''} of ${parent.method} ${parent.path}`
        for (const key of METHODS) {
          const op = item.node[key]
          if (!isObject(op)) continue
          const view = this.operationView(label, key.toUpperCase(), key, item.node, item.pointer, op)
          view.kind = 'callback'
          out.set(`${key.toUpperCase()} ${parent.method} ${pathShape(parent.path)} callback:${name} ${expression}`, view)
        }
      }
    }
  }

  /** The operations of OpenAPI 3.1 webhooks, named `webhook:NAME` as oasdiff names them. */
  webhookOperations(): Map<string, OperationView> {
    const out = new Map<string, OperationView>()
    const webhooks = this.doc['webhooks']
    if (!isObject(webhooks)) return out
    for (const name of Object.keys(webhooks)) {
      const item = this.resolve<unknown>(webhooks[name], pointerOf(['webhooks', name]))
      if (!isObject(item.node)) continue
      for (const key of METHODS) {
        const op = item.node[key]
        if (!isObject(op)) continue
        const view = this.operationView(`webhook:${name}`, key.toUpperCase(), key, item.node, item.pointer, op)
        view.kind = 'webhook'
        out.set(`${key.toUpperCase()} webhook:${name}`, view)
      }
    }
    return out
  }

  private operationView(
    path: string,
    method: string,
    key: string,
    pathItem: JsonObject,
    pathPointer: string,
    op: JsonObject,
  ): OperationView {
    const pointer = `${pathPointer}/${escapePointerToken(key)}`
    const parameters = this.parameters(pathItem, pathPointer, op, pointer)
    const ownSecurity = Array.isArray(op['security'])
    const security = ownSecurity ? op['security'] : this.doc['security']
    const apiGateway: Record<string, unknown> = {}
    for (const k of Object.keys(op)) if (k.startsWith('x-amazon-apigateway-')) apiGateway[k] = op[k]
    const sunset = op['x-sunset'] ?? pathItem['x-sunset']
    const stability = op['x-stability-level']
    return {
      method,
      path,
      operation: `${method} ${path}`,
      pointer,
      pathPointer,
      node: op,
      deprecated: op['deprecated'] === true,
      sunset: sunset === undefined ? undefined : String(sunset),
      stability: typeof stability === 'string' ? stability : undefined,
      operationId: typeof op['operationId'] === 'string' ? op['operationId'] : undefined,
      tags: Array.isArray(op['tags']) ? op['tags'].map(String) : [],
      parameters: parameters.filter((p) => p.in !== 'body' && p.in !== 'formData'),
      requestBody: this.requestBody(op, pointer, parameters),
      responses: this.responses(op, pointer),
      security: Array.isArray(security) ? normaliseSecurity(security) : undefined,
      securityPointer: ownSecurity ? `${pointer}/security` : '#/security',
      ownSecurity,
      apiGateway,
    }
  }

  private parameters(pathItem: JsonObject, pathPointer: string, op: JsonObject, opPointer: string): ParameterView[] {
    const byKey = new Map<string, ParameterView>()
    const add = (list: unknown, listPointer: string, fromPathItem: boolean) => {
      if (!Array.isArray(list)) return
      list.forEach((raw, i) => {
        const {node, pointer} = this.resolve<unknown>(raw, `${listPointer}/${i}`)
        if (!isObject(node) || typeof node['name'] !== 'string' || typeof node['in'] !== 'string') return
        const view = this.parameterView(node, pointer, fromPathItem)
        byKey.set(`${view.in}:${view.name}`, view)
      })
    }
    add(pathItem['parameters'], `${pathPointer}/parameters`, true)
    add(op['parameters'], `${opPointer}/parameters`, false)
    return [...byKey.values()]
  }

  private parameterView(node: JsonObject, pointer: string, fromPathItem: boolean): ParameterView {
    const where = String(node['in'])
    let schema: unknown = node['schema']
    let schemaPointer = `${pointer}/schema`
    // Swagger 2.0 non-body parameters carry the schema keywords themselves.
    if (this.version === '2.0' && where !== 'body' && schema === undefined) {
      schema = swagger2InlineSchema(node)
      schemaPointer = pointer
    }
    return {
      name: String(node['name']),
      in: where,
      required: node['required'] === true || where === 'path',
      deprecated: node['deprecated'] === true,
      schema,
      schemaPointer,
      pointer,
      fromPathItem,
      node,
    }
  }

  private requestBody(op: JsonObject, opPointer: string, parameters: ParameterView[]): RequestBodyView | undefined {
    if (this.version !== '2.0') {
      const raw = op['requestBody']
      if (raw === undefined) return undefined
      const {node, pointer} = this.resolve<unknown>(raw, `${opPointer}/requestBody`)
      if (!isObject(node)) return undefined
      return {required: node['required'] === true, pointer, content: this.content(node['content'], `${pointer}/content`)}
    }
    const consumes = mediaTypes(op['consumes'] ?? this.doc['consumes'], 'application/json')
    const body = parameters.find((p) => p.in === 'body')
    if (body) {
      return {
        required: body.node['required'] === true,
        pointer: body.pointer,
        content: consumes.map((mediaType) => ({
          mediaType,
          schema: body.node['schema'],
          schemaPointer: `${body.pointer}/schema`,
          pointer: body.pointer,
        })),
      }
    }
    const form = parameters.filter((p) => p.in === 'formData')
    if (form.length === 0) return undefined
    const properties: JsonObject = {}
    const required: string[] = []
    for (const p of form) {
      properties[p.name] = p.schema
      if (p.required) required.push(p.name)
    }
    const schema: JsonObject = {type: 'object', properties, ...(required.length ? {required} : {})}
    const formTypes = consumes.filter((m) => m.includes('form'))
    const first = form[0]!
    return {
      required: required.length > 0,
      pointer: first.pointer,
      content: (formTypes.length ? formTypes : ['application/x-www-form-urlencoded']).map((mediaType) => ({
        mediaType,
        schema,
        schemaPointer: first.pointer,
        pointer: first.pointer,
      })),
    }
  }

  private content(raw: unknown, pointer: string): MediaTypeView[] {
    if (!isObject(raw)) return []
    return Object.keys(raw).map((mediaType) => {
      const mtPointer = `${pointer}/${escapePointerToken(mediaType)}`
      const media = raw[mediaType]
      return {
        mediaType,
        schema: isObject(media) ? media['schema'] : undefined,
        schemaPointer: `${mtPointer}/schema`,
        pointer: mtPointer,
      }
    })
  }

  private responses(op: JsonObject, opPointer: string): ResponseView[] {
    const raw = op['responses']
    if (!isObject(raw)) return []
    const produces = mediaTypes(op['produces'] ?? this.doc['produces'], 'application/json')
    const out: ResponseView[] = []
    for (const status of Object.keys(raw)) {
      if (status.startsWith('x-')) continue
      const {node, pointer} = this.resolve<unknown>(raw[status], `${opPointer}/responses/${escapePointerToken(status)}`)
      if (!isObject(node)) continue
      let content: MediaTypeView[]
      if (this.version === '2.0') {
        content =
          node['schema'] === undefined
            ? []
            : produces.map((mediaType) => ({mediaType, schema: node['schema'], schemaPointer: `${pointer}/schema`, pointer}))
      } else content = this.content(node['content'], `${pointer}/content`)
      out.push({status: String(status), pointer, headers: this.headers(node['headers'], `${pointer}/headers`), content})
    }
    return out
  }

  private headers(raw: unknown, pointer: string): HeaderView[] {
    if (!isObject(raw)) return []
    const out: HeaderView[] = []
    for (const name of Object.keys(raw)) {
      const at = this.resolve<unknown>(raw[name], `${pointer}/${escapePointerToken(name)}`)
      if (!isObject(at.node)) continue
      const header = at.node
      const hasSchema = header['schema'] !== undefined
      out.push({
        name,
        required: header['required'] === true,
        // Swagger 2.0 (and some hand-written 3.0) headers carry `type` directly.
        schema: hasSchema ? header['schema'] : header['type'] !== undefined ? header : undefined,
        schemaPointer: hasSchema ? `${at.pointer}/schema` : at.pointer,
        pointer: at.pointer,
      })
    }
    return out
  }
}

function hasApiGatewayOperation(doc: JsonObject): boolean {
  const paths = doc['paths']
  if (!isObject(paths)) return false
  for (const item of Object.values(paths)) {
    if (!isObject(item)) continue
    if (AWS_ANY_METHOD in item) return true
    for (const m of METHODS) {
      const op = item[m]
      if (isObject(op) && Object.keys(op).some((k) => k.startsWith('x-amazon-apigateway-'))) return true
    }
  }
  return false
}

const SWAGGER2_SCHEMA_KEYS = [
  'type',
  'format',
  'items',
  'enum',
  'default',
  'pattern',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'uniqueItems',
  'multipleOf',
]

function swagger2InlineSchema(node: JsonObject): JsonObject | undefined {
  const out: JsonObject = {}
  for (const k of SWAGGER2_SCHEMA_KEYS) if (node[k] !== undefined) out[k] = node[k]
  for (const k of Object.keys(node)) if (k.startsWith('x-') && k !== 'x-sunset') out[k] = node[k]
  return Object.keys(out).length ? out : undefined
}

function mediaTypes(raw: unknown, fallback: string): string[] {
  return Array.isArray(raw) && raw.length ? raw.map(String) : [fallback]
}

export function normaliseSecurity(list: unknown[]): SecurityRequirement[] {
  return list.filter(isObject).map((req) => {
    const out: SecurityRequirement = {}
    for (const k of Object.keys(req).sort()) out[k] = Array.isArray(req[k]) ? (req[k] as unknown[]).map(String).sort() : []
    return out
  })
}

/** '/pets/{id}' and '/pets/{petId}' share the shape '/pets/{}'. */
export function pathShape(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}')
}

/** Names of the path parameters of a template, in order. */
export function pathParamNames(path: string): string[] {
  return [...path.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]!.replace(/\+$/, ''))
}
