/**
 * The small fetch-based client written beside openapi-typescript's `types.ts`: one method per operation,
 * typed from `paths[path][method]` (path, query and header parameters, request body, success response).
 * Pure: returns the text of `client.ts`.
 */
import type {SdkOperation} from './operations.ts'

export type TypescriptClientInput = {title: string; stageName: string; baseUrl: string; operations: SdkOperation[]; generatedAt: Date}

const RUNTIME = `type Defined<T> = Exclude<T, undefined>
type ParamsOf<O> = O extends {parameters: infer P} ? P : {}
type Slot<O, K extends string> = K extends keyof ParamsOf<O> ? Defined<ParamsOf<O>[K]> : never
type Field<N extends string, T> = [T] extends [never] ? {[K in N]?: never} : {} extends T ? {[K in N]?: T} : {[K in N]: T}
type BodyField<O> = O extends {requestBody: {content: infer C}}
  ? {body: C[keyof C]}
  : O extends {requestBody?: {content: infer C}}
    ? {body?: C[keyof C]}
    : {body?: never}
type Content<R> = R extends {content: infer C} ? C[keyof C] : undefined
type Success = 200 | 201 | 202 | 203 | 204 | 205 | 206 | '2XX'
type SuccessOf<R> = {[K in keyof R]: K extends Success ? Content<R[K]> : never}[keyof R]

/** What an operation takes: \`{path, query, header, body}\`, each required only when the spec says so. */
export type RequestOf<O> = Field<'path', Slot<O, 'path'>> &
  Field<'query', Slot<O, 'query'>> &
  Field<'header', Slot<O, 'header'>> &
  BodyField<O>
/** What a successful call resolves to (the 2xx content, else the default response's). */
export type ResponseOf<O> = O extends {responses: infer R}
  ? [SuccessOf<R>] extends [never]
    ? 'default' extends keyof R
      ? Content<R['default']>
      : unknown
    : SuccessOf<R>
  : unknown
type Args<O> = {} extends RequestOf<O> ? [input?: RequestOf<O>, init?: RequestInit] : [input: RequestOf<O>, init?: RequestInit]
/** An \`x-amazon-apigateway-any-method\` operation: any method, untyped. */
export type AnyRequest = {
  method?: string
  path?: Record<string, string | number>
  query?: Record<string, unknown>
  header?: Record<string, string>
  body?: unknown
}

export type ClientOptions = {
  /** The stage's invoke URL (default: the one the spec was exported from). */
  baseUrl?: string
  /** Sent as x-api-key. */
  apiKey?: string
  headers?: Record<string, string>
  fetch?: typeof fetch
}

export type ApiResponse<T> = {status: number; headers: Headers; data: T}

/** A non-2xx answer. */
export class ApiError extends Error {
  readonly status: number
  readonly data: unknown
  readonly headers: Headers
  constructor(message: string, status: number, data: unknown, headers: Headers) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.data = data
    this.headers = headers
  }
}

type Input = {path?: unknown; query?: unknown; header?: unknown; body?: unknown; method?: string}

async function call<T>(
  options: ClientOptions,
  method: string,
  template: string,
  input: Input | undefined,
  init: RequestInit | undefined,
): Promise<ApiResponse<T>> {
  const path = (input?.path ?? {}) as Record<string, unknown>
  const url = template.replace(/\\{([^}+]+)(\\+?)\\}/g, (_m, name: string, greedy: string) => {
    const value = path[name]
    if (value === undefined || value === null) throw new TypeError(\`Missing path parameter \${name}\`)
    return greedy ? String(value).split('/').map(encodeURIComponent).join('/') : encodeURIComponent(String(value))
  })
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries((input?.query ?? {}) as Record<string, unknown>)) {
    if (v === undefined || v === null) continue
    for (const item of Array.isArray(v) ? v : [v]) query.append(k, String(item))
  }
  const headers = new Headers(init?.headers)
  for (const [k, v] of Object.entries(options.headers ?? {})) headers.set(k, v)
  for (const [k, v] of Object.entries((input?.header ?? {}) as Record<string, unknown>)) {
    if (v !== undefined && v !== null) headers.set(k, String(v))
  }
  if (options.apiKey) headers.set('x-api-key', options.apiKey)
  let body: BodyInit | undefined
  if (input?.body !== undefined) {
    if (!headers.has('content-type')) headers.set('content-type', 'application/json')
    body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body)
  }
  const qs = query.toString()
  const base = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\\/+$/, '')
  const res = await (options.fetch ?? fetch)(\`\${base}\${url}\${qs ? \`?\${qs}\` : ''}\`, {
    ...init,
    method: input?.method?.toUpperCase() ?? method,
    headers,
    ...(body === undefined ? {} : {body}),
  })
  const text = await res.text()
  let data: unknown = text === '' ? undefined : text
  if (text !== '' && (res.headers.get('content-type') ?? '').includes('json')) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) throw new ApiError(\`\${method} \${template} answered \${res.status}\`, res.status, data, res.headers)
  return {status: res.status, headers: res.headers, data: data as T}
}
`

/** The text of `client.ts`. */
export function renderTypescriptClient(input: TypescriptClientInput): string {
  const lines: string[] = []
  for (const op of input.operations) {
    const doc = `    /** ${op.method} ${op.path}${op.summary ? `: ${op.summary.replace(/\*\//g, '*\\/').replace(/\n/g, ' ')}` : ''} */`
    if (op.method === 'ANY') {
      lines.push(
        doc,
        `    ${op.name}: (input?: AnyRequest, init?: RequestInit) => ` +
          `call<unknown>(options, 'GET', ${JSON.stringify(op.path)}, input, init),`,
      )
      continue
    }
    const type = `paths[${JSON.stringify(op.path)}][${JSON.stringify(op.method.toLowerCase())}]`
    lines.push(
      doc,
      `    ${op.name}: (...args: Args<${type}>) => call<ResponseOf<${type}>>(options, ` +
        `${JSON.stringify(op.method)}, ${JSON.stringify(op.path)}, args[0], args[1]),`,
    )
  }
  const title = input.title.replace(/\*\//g, '')
  const stage = input.stageName.replace(/\*\//g, '')
  const first = input.operations[0]
  const example = `${first?.name ?? 'someOperation'}(${first?.pathParams.length ? '{path: {...}}' : ''})`
  return `/**
 * ${title}: a typed client for stage ${stage}, generated by apigw on ${input.generatedAt.toISOString()}.
 * Types come from ./types.ts (openapi-typescript). Usage:
 *   const api = createClient({apiKey: process.env.API_KEY})
 *   const {data} = await api.${example}
 */
import type {paths} from './types.js'

export const DEFAULT_BASE_URL = ${JSON.stringify(input.baseUrl)}

${RUNTIME}
export function createClient(options: ClientOptions = {}) {
  return {
${lines.join('\n')}
  }
}

export type Client = ReturnType<typeof createClient>
`
}
