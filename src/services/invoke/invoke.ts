/**
 * `apigw invoke`: one real request to a deployed stage's invoke URL (the emulator's path-style address
 * with --local or an emulator endpoint, else `https://{id}.execute-api.{region}.amazonaws.com`), or with
 * `test: true` a TestInvokeMethod call that also returns API Gateway's execution log. `key` names an API
 * key of `apigw keys`; its value goes into `x-api-key` and never into the result.
 */
import {readFileSync} from 'node:fs'
import {resolve} from 'node:path'
import {createInvokePort, type InvokePort, type ResourceRef} from '../../aws/invoke.ts'
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, portsFor, requireApi, resolveRegion} from '../lifecycle/find-api.ts'
import {loadProject, selectApi} from '../project.ts'

export type InvokeOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  method: string
  path: string
  headers?: string[] | undefined
  /** A body, or `@file` to read one. */
  data?: string | undefined
  query?: string[] | undefined
  key?: string | undefined
  /** A bearer token (JWT) sent as `Authorization`, never printed. */
  token?: string | undefined
  /** Sign the request with SigV4 (AWS_IAM methods) using the resolved credentials. */
  sign?: boolean | undefined
  test?: boolean | undefined
  timeoutMs?: number | undefined
  /** Call through this custom domain name (apigw.yaml `domains:`): the path includes the base path. */
  domain?: string | undefined
  /** Act as arriving through this VPC endpoint (private APIs): sent as `x-amzn-vpce-id`, which `aws:SourceVpce` reads. */
  vpce?: string | undefined
}

export type InvokeResult = {
  api: string
  stage: string
  method: string
  url: string
  status: number
  /** Every header of the answer, names in lower case, each with all its values. */
  headers: Record<string, string[]>
  /** The body as text when it is valid UTF-8 text, else base64. */
  body: string
  bodyEncoding: 'text' | 'base64'
  ms: number
  /** TestInvokeMethod's execution log (with `test`). */
  log?: string
}

export type InvokeDeps = LifecycleDeps & {invokePort?: InvokePort; fetch?: typeof fetch}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'])

export async function invoke(options: InvokeOptions, deps: InvokeDeps): Promise<InvokeResult> {
  const method = options.method.toUpperCase()
  if (!METHODS.has(method)) {
    throw new CliError('USAGE', `Unknown HTTP method ${options.method}.`, {
      hint: `Use one of ${[...METHODS].join(', ')}, e.g. \`apigw invoke --stage ${options.stage} GET /\`.`,
    })
  }
  if (!options.path.startsWith('/')) {
    throw new CliError('USAGE', `The path ${options.path} must start with /.`, {hint: `Pass it as /${options.path}.`})
  }
  if (options.domain !== undefined) return invokeDomain({...options, method}, deps)
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api)
  const apiType = selected.api.type === 'http' ? 'http' : 'rest'
  if (options.test && apiType === 'http') {
    throw new CliError(
      'USAGE',
      `--test uses TestInvokeMethod, which API Gateway has for REST APIs only; ${selected.name} is an HTTP API.`,
      {
        hint: `Call the stage itself: \`apigw invoke ${selected.name} --stage ${options.stage} ${options.method} ${options.path}\`.`,
      },
    )
  }
  const headers = parseHeaders(options.headers ?? [])
  if (options.sign && (options.token !== undefined || headers.some(([k]) => k.toLowerCase() === 'authorization'))) {
    throw new CliError('USAGE', '--sign writes the Authorization header itself; it cannot go with --token or -H Authorization.', {
      hint: 'Use --sign for AWS_IAM methods, --token for Lambda and Cognito authorizers.',
    })
  }
  if (options.token !== undefined) {
    if (options.token.trim() === '')
      throw new CliError('USAGE', '--token is empty.', {hint: 'Pass a token, e.g. --token "$(apigw local token --pool users)".'})
    // A value a header cannot carry (a line break: two lines captured from a terminal) is refused without echoing it.
    if (/[\r\n\0]/.test(options.token.trim())) {
      throw new CliError('USAGE', '--token holds more than one line (or a control character); a header cannot carry it.', {
        hint: 'Pass the token alone, e.g. --token "$(apigw local token --pool users 2>/dev/null)".',
      })
    }
    headers.push(['Authorization', options.token.trim()])
  }
  if (options.vpce !== undefined) headers.push(['x-amzn-vpce-id', vpceId(options.vpce)])
  const body = readData(options.data, options.cwd)
  const query = parseQuery(options.query ?? [])
  const ports = portsFor(deps)
  const found = await deps.progress.step(`Find ${apiType === 'rest' ? 'REST' : 'HTTP'} API ${selected.name}`, () =>
    requireApi(ports, apiType, selected.name),
  )
  if (options.key) headers.push(['x-api-key', await keyValue(options.key, deps)])
  const pathWithQuery = `${options.path}${query ? `?${query}` : ''}`
  if (options.test) return testInvoke({...options, method, api: selected.name}, found.id, pathWithQuery, headers, body, deps)
  const base = await invokeBase(deps, found.id, options.stage)
  const url = `${base}${pathWithQuery}`
  if (options.sign) {
    const {signExecuteApi, signingCredentials} = await import('../../aws/sigv4.ts')
    const region = deps.aws.local ? (deps.aws.options.region ?? 'us-east-1') : await resolveRegion(deps, portsFor(deps))
    const signed = await signExecuteApi({
      method,
      url,
      headers,
      body: body !== undefined && method !== 'GET' && method !== 'HEAD' ? new Uint8Array(body) : undefined,
      region,
      credentials: await signingCredentials(deps.aws),
    })
    headers.splice(0, headers.length, ...signed)
  }
  const started = performance.now()
  const doFetch = deps.fetch ?? fetch
  let res: Response
  try {
    res = await doFetch(url, {
      method,
      headers,
      ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? {body: new Uint8Array(body)} : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 35_000),
    })
  } catch (error) {
    const e = error as Error & {cause?: {code?: string}}
    // fetch's own messages may quote a header's value (a token, a key): never echo them.
    const reason = headers.reduce((m, [, v]) => (v.length >= 4 ? m.split(v).join('***') : m), e.cause?.code ?? e.message)
    throw new CliError('AWS_UNAVAILABLE', `The request to ${url} failed: ${reason}.`, {
      hint: deps.aws.local
        ? 'Is the emulator running? Start it with `apigw local start`, or leave it to --local.'
        : 'Check the network, the stage name and --region.',
      cause: error,
    })
  }
  const bytes = Buffer.from(await res.arrayBuffer())
  const out: Record<string, string[]> = {}
  res.headers.forEach((value, name) => {
    if (name === 'set-cookie') return
    out[name] = [value]
  })
  const cookies = res.headers.getSetCookie()
  if (cookies.length > 0) out['set-cookie'] = cookies
  return {
    api: selected.name,
    stage: options.stage,
    method,
    url,
    status: res.status,
    headers: sortKeys(out),
    ...encodeBody(bytes),
    ms: Math.round(performance.now() - started),
  }
}

function vpceId(id: string): string {
  if (!/^vpce-[0-9a-f]{1,32}$/.test(id)) {
    throw new CliError('USAGE', `--vpce ${id} is not a VPC endpoint id.`, {
      hint: 'Pass the endpoint id, e.g. --vpce vpce-0123456789abcdef0.',
    })
  }
  return id
}

/**
 * `--domain NAME`: the request goes to the custom domain name, the path with its base path (`/v1/pets`): through the
 * emulator's `/_aws/domain/NAME/…` address with --local or an emulator endpoint, else `https://NAME/…`.
 */
async function invokeDomain(options: InvokeOptions & {method: string}, deps: InvokeDeps): Promise<InvokeResult> {
  const domain = options.domain!.trim().toLowerCase()
  if (!/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain)) {
    throw new CliError('USAGE', `--domain ${options.domain} is not a domain name.`, {
      hint: 'Pass the custom domain name of apigw.yaml `domains:`, e.g. --domain api.example.com.',
    })
  }
  if (options.test || options.sign) {
    throw new CliError('USAGE', `--domain cannot go with --${options.test ? 'test' : 'sign'}.`, {
      hint: 'Call the stage itself with --stage for TestInvokeMethod or a signed request.',
    })
  }
  const headers = parseHeaders(options.headers ?? [])
  if (options.token !== undefined) headers.push(['Authorization', options.token.trim()])
  if (options.vpce !== undefined) headers.push(['x-amzn-vpce-id', vpceId(options.vpce)])
  if (options.key) headers.push(['x-api-key', await keyValue(options.key, deps)])
  const body = readData(options.data, options.cwd)
  const query = parseQuery(options.query ?? [])
  const endpoint = deps.aws.options.endpoint
  const local = deps.aws.local || (endpoint !== undefined && !/\.amazonaws\.com(\.cn)?\/?$/.test(new URL(endpoint).host))
  const base = local ? `${endpoint!.replace(/\/$/, '')}/_aws/domain/${domain}` : `https://${domain}`
  const url = `${base}${options.path}${query ? `?${query}` : ''}`
  const started = performance.now()
  let res: Response
  try {
    res = await (deps.fetch ?? fetch)(url, {
      method: options.method,
      headers,
      ...(body !== undefined && options.method !== 'GET' && options.method !== 'HEAD' ? {body: new Uint8Array(body)} : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 35_000),
    })
  } catch (error) {
    const e = error as Error & {cause?: {code?: string}}
    const reason = headers.reduce((m, [, v]) => (v.length >= 4 ? m.split(v).join('***') : m), e.cause?.code ?? e.message)
    throw new CliError('AWS_UNAVAILABLE', `The request to ${url} failed: ${reason}.`, {
      hint: local
        ? 'Is the emulator running? Start it with `apigw local start`, or leave it to --local.'
        : `Check that ${domain} resolves.`,
      cause: error,
    })
  }
  const bytes = Buffer.from(await res.arrayBuffer())
  const out: Record<string, string[]> = {}
  res.headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = [value]
  })
  const cookies = res.headers.getSetCookie()
  if (cookies.length > 0) out['set-cookie'] = cookies
  return {
    api: options.api ?? '',
    stage: options.stage,
    method: options.method,
    url,
    status: res.status,
    headers: sortKeys(out),
    ...encodeBody(bytes),
    ms: Math.round(performance.now() - started),
  }
}

/** The stage's invoke URL without a trailing slash (an HTTP API's `$default` stage has no stage segment). */
async function invokeBase(deps: InvokeDeps, apiId: string, stage: string): Promise<string> {
  const endpoint = deps.aws.options.endpoint
  const stagePart = stage === '$default' ? '' : `/${encodeURIComponent(stage)}`
  if (deps.aws.local || (endpoint && !/\.amazonaws\.com(\.cn)?\/?$/.test(new URL(endpoint).host))) {
    return `${endpoint!.replace(/\/$/, '')}/_aws/execute-api/${apiId}${stagePart}`
  }
  const region = await resolveRegion(deps, portsFor(deps))
  return `https://${apiId}.execute-api.${region}.amazonaws.com${stagePart}`
}

async function testInvoke(
  options: InvokeOptions,
  apiId: string,
  pathWithQuery: string,
  headers: Array<[string, string]>,
  body: Buffer | undefined,
  deps: InvokeDeps,
): Promise<InvokeResult> {
  const port = deps.invokePort ?? createInvokePort(deps.aws)
  const resources = await port.getResources(apiId)
  const resource = selectResource(resources, options.path, options.method)
  if (!resource) {
    throw new CliError('USAGE', `No resource of ${options.api} serves ${options.method} ${options.path}.`, {
      hint: `Known: ${resources
        .flatMap((r) => r.methods.map((m) => `${m} ${r.path}`))
        .sort()
        .join(', ')}.`,
    })
  }
  const multiValueHeaders: Record<string, string[]> = {}
  for (const [k, v] of headers) multiValueHeaders[k] = [...(multiValueHeaders[k] ?? []), v]
  const started = performance.now()
  const out = await port.testInvokeMethod({
    restApiId: apiId,
    resourceId: resource.id,
    httpMethod: options.method,
    pathWithQueryString: pathWithQuery,
    body: body?.toString('utf8'),
    multiValueHeaders,
  })
  const lower: Record<string, string[]> = {}
  for (const [k, v] of Object.entries(out.multiValueHeaders)) lower[k.toLowerCase()] = v
  return {
    api: options.api!,
    stage: options.stage,
    method: options.method,
    url: `TestInvokeMethod ${options.method} ${pathWithQuery}`,
    status: out.status,
    headers: sortKeys(lower),
    body: out.body,
    bodyEncoding: 'text',
    ms: Math.round(performance.now() - started),
    log: out.log,
  }
}

/** The resource API Gateway would route a path to: literal segments before `{param}` before `{proxy+}`. */
export function selectResource(resources: ResourceRef[], path: string, method: string): ResourceRef | undefined {
  const segments = path.split('?')[0]!.split('/').slice(1)
  if (segments.length > 0 && segments[segments.length - 1] === '') segments.pop()
  const score = (r: ResourceRef): number | undefined => {
    const parts = r.path.split('/').filter(Boolean)
    let s = 0
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      if (/^\{.+\+\}$/.test(p)) return i < segments.length ? s * 3 : undefined
      const seg = segments[i]
      if (seg === undefined || seg === '') return undefined
      if (/^\{.+\}$/.test(p)) s = s * 3 + 1
      else if (decodeURIComponent(seg) === p) s = s * 3 + 2
      else return undefined
    }
    return parts.length === segments.length ? s * 3 + 2 : undefined
  }
  let best: {r: ResourceRef; s: number} | undefined
  for (const r of resources) {
    if (!r.methods.includes(method) && !r.methods.includes('ANY')) continue
    const s = score(r)
    if (s !== undefined && (!best || s > best.s)) best = {r, s}
  }
  return best?.r
}

async function keyValue(name: string, deps: InvokeDeps): Promise<string> {
  const {keysPortFor, readKeysState} = await import('../keys/common.ts')
  const port = keysPortFor(deps)
  const state = await readKeysState(port, {project: undefined, selected: undefined})
  const gens = state.keys.filter((k) => k.name === name && k.enabled).sort((a, b) => b.generation - a.generation)
  const id = gens[0]?.id ?? state.unmanaged.find((k) => k.name === name && k.enabled)?.id
  if (!id) {
    throw new CliError('AWS_NOT_FOUND', `No enabled API key named ${name}.`, {
      hint: 'List them with `apigw keys list` (add --local for the emulator), or create one with `apigw keys create`.',
    })
  }
  const value = await port.getApiKeyValue(id)
  if (!value)
    throw new CliError('AWS_NOT_FOUND', `The API key ${name} has no value to send.`, {hint: 'Rotate it with `apigw keys rotate`.'})
  return value
}

function parseHeaders(raw: string[]): Array<[string, string]> {
  return raw.map((h) => {
    const i = h.indexOf(':')
    if (i <= 0)
      throw new CliError('USAGE', `The header "${h}" is not "Name: value".`, {hint: "Pass headers as -H 'Content-Type: application/json'."})
    return [h.slice(0, i).trim(), h.slice(i + 1).trim()] as [string, string]
  })
}

function parseQuery(raw: string[]): string {
  const params = new URLSearchParams()
  for (const q of raw) {
    const i = q.indexOf('=')
    if (i <= 0)
      throw new CliError('USAGE', `The query parameter "${q}" is not "name=value".`, {
        hint: 'Pass them as --query limit=10 --query tag=cats.',
      })
    params.append(q.slice(0, i), q.slice(i + 1))
  }
  return params.toString()
}

function readData(data: string | undefined, cwd: string): Buffer | undefined {
  if (data === undefined) return undefined
  if (!data.startsWith('@')) return Buffer.from(data, 'utf8')
  const file = resolve(cwd, data.slice(1))
  try {
    return readFileSync(file)
  } catch (error) {
    throw new CliError(
      'FILE_UNREADABLE',
      `The body file ${data.slice(1)} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
      {
        hint: 'Pass -d @<path to an existing file>, or the body itself: -d \'{"name":"rex"}\'.',
      },
    )
  }
}

function encodeBody(bytes: Buffer): {body: string; bodyEncoding: 'text' | 'base64'} {
  const text = new TextDecoder('utf-8', {fatal: false}).decode(bytes)
  // Valid UTF-8 without control bytes (other than whitespace) is text; anything else is base64.
  if (Buffer.from(text, 'utf8').equals(bytes) && !hasControlBytes(bytes)) return {body: text, bodyEncoding: 'text'}
  return {body: bytes.toString('base64'), bodyEncoding: 'base64'}
}

function hasControlBytes(bytes: Buffer): boolean {
  for (const b of bytes) if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x0b) return true
  return false
}

function sortKeys<T>(map: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => a.localeCompare(b)))
}
