/**
 * The operations an SDK exposes, read from an OpenAPI 3 or Swagger 2 document (or built by the emulator
 * from a deployment): method, path, a method name, and the parameters by location. Pure.
 */

export type SdkOperation = {
  /** Upper-case HTTP method (`ANY` for x-amazon-apigateway-any-method). */
  method: string
  /** The path template, `/pets/{petId}`. */
  path: string
  /** The client's method name: the operationId when it is a usable identifier, else AWS's style (`petsPetIdGet`). */
  name: string
  operationId?: string | undefined
  pathParams: string[]
  queryParams: string[]
  headerParams: string[]
  hasBody: boolean
  summary?: string | undefined
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'x-amazon-apigateway-any-method']
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/
const RESERVED = new Set(['constructor', 'prototype', '__proto__', 'delete', 'new', 'default', 'function', 'class', 'return'])

const cap = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s)

/** API Gateway's generated-SDK name: path segments camel-cased, then the method (`/pets/{petId}` GET → `petsPetIdGet`). */
export function awsMethodName(path: string, method: string): string {
  const words = path
    .split('/')
    .map((seg) => seg.replace(/[{}+]/g, ''))
    .flatMap((seg) => seg.split(/[^A-Za-z0-9]+/))
    .filter(Boolean)
  const base = words.length === 0 ? 'root' : words.map((w, i) => (i === 0 ? w[0]!.toLowerCase() + w.slice(1) : cap(w))).join('')
  const verb = method.toUpperCase() === 'ANY' ? 'Any' : cap(method.toLowerCase())
  const name = `${base}${verb}`
  return /^[0-9]/.test(name) ? `_${name}` : name
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Resolve a local `$ref` (`#/components/parameters/X`) once; anything else is returned as is. */
function deref(doc: Obj, v: unknown): unknown {
  if (!isObj(v) || typeof v.$ref !== 'string' || !v.$ref.startsWith('#/')) return v
  let cur: unknown = doc
  for (const part of v.$ref.slice(2).split('/')) cur = isObj(cur) ? cur[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined
  return cur ?? v
}

/** Every operation of the document, sorted by path then method; names made unique. */
export function operationsFromSpec(doc: Obj): SdkOperation[] {
  const ops: SdkOperation[] = []
  const paths = isObj(doc.paths) ? doc.paths : {}
  const swagger = typeof doc.swagger === 'string'
  for (const path of Object.keys(paths).sort()) {
    const item = paths[path]
    if (!isObj(item)) continue
    const shared = Array.isArray(item.parameters) ? item.parameters : []
    for (const key of METHODS) {
      const op = item[key]
      if (!isObj(op)) continue
      const params = new Map<string, Obj>()
      for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const p = deref(doc, raw)
        if (isObj(p) && typeof p.name === 'string' && typeof p.in === 'string') params.set(`${p.in}:${p.name}`, p)
      }
      const of = (where: string) => [...params.values()].filter((p) => p.in === where).map((p) => String(p.name))
      const method = key === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase()
      const operationId = typeof op.operationId === 'string' ? op.operationId : undefined
      const hasBody = swagger ? of('body').length > 0 || of('formData').length > 0 : op.requestBody !== undefined
      ops.push({
        method,
        path,
        name: operationId && IDENT.test(operationId) && !RESERVED.has(operationId) ? operationId : awsMethodName(path, method),
        operationId,
        pathParams: [...new Set([...of('path'), ...[...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]!)])],
        queryParams: of('query'),
        headerParams: of('header'),
        hasBody,
        summary: typeof op.summary === 'string' ? op.summary : undefined,
      })
    }
  }
  const used = new Map<string, number>()
  for (const op of ops) {
    const n = used.get(op.name) ?? 0
    used.set(op.name, n + 1)
    if (n > 0) op.name = `${op.name}${n + 1}`
  }
  return ops
}
