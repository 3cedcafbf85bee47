/**
 * Parameter mapping of HTTP APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html): an
 * integration's `requestParameters` change the request before it reaches the backend (`append:`,
 * `overwrite:`, `remove:` on `header.NAME` and `querystring.NAME`, `overwrite:path`), and its
 * `responseParameters`, keyed by the backend's status code, change the answer (headers and
 * `overwrite:statuscode`). Values are static text with `$request.*`, `$response.*`, `$context.*` and
 * `$stageVariables.*` references (also written `${…}`).
 */
import {JSONPath} from 'jsonpath-plus'
import {getAll, type HeaderList, removeHeader} from '../headers.ts'
import {contextVariables, type HttpApiContext, type HttpApiResponse} from './context.ts'
import type {OutgoingRequest} from './integration.ts'

type Sources = {
  ctx: HttpApiContext
  response?: HttpApiResponse
  context?: Record<string, unknown>
}

const REFERENCE =
  /\$\{((?:request|response|context|stageVariables)\.[^}]+)\}|\$((?:request|response|context|stageVariables)\.[A-Za-z0-9_.-]+)/g

function jsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

function bodyValue(body: Buffer, path: string): string {
  const doc = jsonBody(body)
  if (doc === undefined || doc === null || typeof doc !== 'object') return ''
  const found = JSONPath({path: `$.${path}`, json: doc as object, wrap: true, eval: 'safe'}) as unknown[]
  const v = found[0]
  if (v === undefined || v === null) return ''
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

/** One `$source.…` reference's value ('' when it has none). */
function resolve(ref: string, s: Sources): string {
  const dot = ref.indexOf('.')
  const source = ref.slice(0, dot)
  const rest = ref.slice(dot + 1)
  const {ctx} = s
  if (source === 'stageVariables') return ctx.stageVariables[rest] ?? ''
  if (source === 'context') {
    s.context ??= contextVariables(ctx)
    let v: unknown = s.context
    for (const part of rest.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined
    if (v === undefined || v === null) return ''
    return typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
  if (source === 'request') {
    if (rest === 'path') return ctx.path
    const [kind, ...nameParts] = rest.split('.')
    const name = nameParts.join('.')
    if (kind === 'header') return getAll(ctx.headers, name).join(',')
    if (kind === 'querystring')
      return ctx.query
        .filter(([k]) => k === name)
        .map(([, v]) => v)
        .join(',')
    if (kind === 'path') return ctx.pathParameters[name] ?? ''
    if (kind === 'body') return bodyValue(ctx.body, name)
    return ''
  }
  if (source === 'response' && s.response) {
    const [kind, ...nameParts] = rest.split('.')
    const name = nameParts.join('.')
    if (kind === 'header') return getAll(s.response.headers, name).join(',')
    if (kind === 'body') return bodyValue(s.response.body, name)
  }
  return ''
}

/** A mapping value with its references filled in. */
export function mappingValue(value: string, s: Sources): string {
  return value.replace(REFERENCE, (_, braced: string | undefined, bare: string | undefined) => resolve((braced ?? bare)!, s))
}

type Action = {op: 'append' | 'overwrite' | 'remove'; target: string}

function parseKey(key: string): Action | undefined {
  const m = /^(append|overwrite|remove):(.+)$/.exec(key)
  if (!m) return undefined
  return {op: m[1] as Action['op'], target: m[2]!}
}

function applyHeader(headers: HeaderList, op: Action['op'], name: string, value: string): void {
  if (op === 'remove') removeHeader(headers, name)
  else if (op === 'overwrite') {
    removeHeader(headers, name)
    headers.push([name, value])
  } else headers.push([name, value])
}

/** Apply an integration's `requestParameters` to the outgoing request. */
export function mapRequest(ctx: HttpApiContext, parameters: Record<string, string> | undefined, out: OutgoingRequest): void {
  if (!parameters) return
  const s: Sources = {ctx}
  for (const [key, raw] of Object.entries(parameters)) {
    const action = parseKey(key)
    if (!action) continue
    const value = mappingValue(raw, s)
    const {op, target} = action
    if (target === 'path') {
      if (op === 'overwrite') out.path = value.startsWith('/') ? value : `/${value}`
    } else if (target.startsWith('header.')) applyHeader(out.headers, op, target.slice(7), value)
    else if (target.startsWith('querystring.')) {
      const name = target.slice(12)
      if (op !== 'append') out.query = out.query.filter(([k]) => k !== name)
      if (op !== 'remove') out.query.push([name, value])
    }
  }
}

/** Apply the `responseParameters` of the answer's status code to the answer. */
export function mapResponse(
  ctx: HttpApiContext,
  parameters: Record<string, Record<string, string>> | undefined,
  response: HttpApiResponse,
): HttpApiResponse {
  const forStatus = parameters?.[String(response.status)]
  if (!forStatus) return response
  const s: Sources = {ctx, response}
  const headers: HeaderList = [...response.headers]
  let status = response.status
  for (const [key, raw] of Object.entries(forStatus)) {
    const action = parseKey(key)
    if (!action) continue
    const value = mappingValue(raw, s)
    if (action.target === 'statuscode') {
      const code = Number(value)
      if (action.op === 'overwrite' && Number.isInteger(code) && code >= 100 && code <= 599) status = code
    } else if (action.target.startsWith('header.')) applyHeader(headers, action.op, action.target.slice(7), value)
  }
  return {status, headers, body: response.body}
}
