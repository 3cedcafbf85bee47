/**
 * Request and response parameter mappings (REST): `integration.request.{path,querystring,header,
 * multivaluequerystring,multivalueheader}.X` and `method.response.header.X` targets, from
 * `method.request.*`, `integration.response.*`, `stageVariables.*`, `context.*` or a `'literal'`.
 * JSONPath over a body runs through jsonpath-plus with script evaluation off.
 */
import {JSONPath} from 'jsonpath-plus'
import type {InvocationContext} from './context.ts'
import {contextVariables} from './context-vars.ts'
import {getAll, type HeaderList} from './headers.ts'

export type MappingSources = {
  ctx: InvocationContext
  /** The integration's answer, for response mappings. */
  integrationResponse?: {headers: HeaderList; body: Buffer}
}

type Source = (name: string, src: MappingSources) => string | string[] | undefined

const queryValues = (src: MappingSources, name: string): string[] => src.ctx.request.query.filter(([k]) => k === name).map(([, v]) => v)

/** Expression prefixes and what they read; `name` is the rest of the expression. */
const SOURCES: Array<[string, Source]> = [
  ['method.request.path.', (name, {ctx}) => ctx.route?.pathParameters[name]],
  ['method.request.querystring.', (name, src) => last(queryValues(src, name))],
  ['method.request.multivaluequerystring.', (name, src) => nonEmpty(queryValues(src, name))],
  ['method.request.header.', (name, {ctx}) => last(getAll(ctx.request.headers, name))],
  ['method.request.multivalueheader.', (name, {ctx}) => nonEmpty(getAll(ctx.request.headers, name))],
  ['method.request.body.', (name, {ctx}) => jsonPath(ctx.request.body, name)],
  ['stageVariables.', (name, {ctx}) => ctx.stageVariables[name]],
  ['context.', (name, {ctx}) => contextValue(contextVariables(ctx), name)],
  ['integration.response.header.', (name, {integrationResponse: ir}) => (ir ? last(getAll(ir.headers, name)) : undefined)],
  ['integration.response.multivalueheader.', (name, {integrationResponse: ir}) => (ir ? nonEmpty(getAll(ir.headers, name)) : undefined)],
  ['integration.response.body.', (name, {integrationResponse: ir}) => (ir ? jsonPath(ir.body, name) : undefined)],
]

/** The value(s) an expression names, or undefined when it names nothing. */
export function evaluateSource(expr: string, src: MappingSources): string | string[] | undefined {
  const e = expr.trim()
  if (e.length >= 2 && e.startsWith("'") && e.endsWith("'")) return e.slice(1, -1)
  if (e === 'method.request.body') return src.ctx.request.body.toString('utf8')
  if (e === 'integration.response.body') return src.integrationResponse?.body.toString('utf8')
  for (const [prefix, read] of SOURCES) if (e.startsWith(prefix)) return read(e.slice(prefix.length), src)
  return undefined
}

function last(values: string[]): string | undefined {
  return values.length === 0 ? undefined : values[values.length - 1]
}

function nonEmpty(values: string[]): string[] | undefined {
  return values.length === 0 ? undefined : values
}

function contextValue(tree: Record<string, unknown>, path: string): string | undefined {
  let v: unknown = tree
  for (const part of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part]
  }
  if (v === null || v === undefined) return undefined
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

function jsonPath(body: Buffer, path: string): string | undefined {
  let json: unknown
  try {
    json = JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
  const result = JSONPath({path: path.startsWith('$') ? path : `$.${path}`, json: json as object, wrap: false, eval: false})
  if (result === undefined || result === null) return undefined
  return typeof result === 'string' ? result : JSON.stringify(result)
}

export type IntegrationParams = {
  path: Record<string, string>
  query: Array<[string, string]>
  headers: HeaderList
}

/** Apply an integration's `requestParameters` onto `params` (targets replace what was there). */
export function applyRequestParameters(mappings: Record<string, string> | undefined, src: MappingSources, params: IntegrationParams): void {
  if (!mappings) return
  for (const [target, expr] of Object.entries(mappings)) {
    const value = evaluateSource(expr, src)
    if (value === undefined) continue
    const values = Array.isArray(value) ? value : [value]
    const m = /^integration\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.(.+)$/.exec(target)
    if (!m) continue
    const [, where, name] = m as unknown as [string, string, string]
    if (where === 'path') params.path[name] = values.join(',')
    else if (where === 'querystring' || where === 'multivaluequerystring') {
      params.query = params.query.filter(([k]) => k !== name)
      for (const v of where === 'querystring' ? [values.join(',')] : values) params.query.push([name, v])
    } else {
      const lower = name.toLowerCase()
      params.headers = params.headers.filter(([k]) => k.toLowerCase() !== lower)
      for (const v of where === 'header' ? [values.join(',')] : values) params.headers.push([name, v])
    }
  }
}

/** Apply `method.response.header.X` mappings of an integration response (or gateway response). */
export function applyResponseParameters(
  mappings: Record<string, string> | undefined,
  src: MappingSources,
  headers: HeaderList,
  prefix = 'method.response.header.',
): void {
  if (!mappings) return
  for (const [target, expr] of Object.entries(mappings)) {
    if (!target.startsWith(prefix)) continue
    const name = target.slice(prefix.length)
    const value = evaluateSource(expr, src)
    if (value === undefined) continue
    const lower = name.toLowerCase()
    for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0].toLowerCase() === lower) headers.splice(i, 1)
    headers.push([name, Array.isArray(value) ? value.join(',') : value])
  }
}
