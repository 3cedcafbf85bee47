/**
 * Lambda proxy payloads of HTTP APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html):
 * the event of format 1.0 and 2.0, and the function's answer turned into the client's response by each
 * format's rules. A malformed answer is `undefined` (the caller answers 500 Internal Server Error).
 */
import {formatRequestTime} from '../context-vars.ts'
import {getFirst, type HeaderList} from '../headers.ts'
import type {HttpApiContext, HttpApiResponse} from './context.ts'

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)|[^;]*\+(json|xml))/i

/**
 * Whether a request body travels as text: textual content types, or no content type and valid UTF-8.
 * AWS base64-encodes the rest. (Which types AWS treats as text is not documented; this list is ours.)
 */
export function isTextBody(headers: HeaderList, body: Buffer): boolean {
  const type = getFirst(headers, 'content-type')
  if (type) return TEXT_TYPES.test(type.trim())
  return Buffer.from(body.toString('utf8'), 'utf8').equals(body)
}

function bodyOf(ctx: HttpApiContext): {body: string | undefined; isBase64Encoded: boolean} {
  if (ctx.body.length === 0) return {body: undefined, isBase64Encoded: false}
  if (isTextBody(ctx.headers, ctx.body)) return {body: ctx.body.toString('utf8'), isBase64Encoded: false}
  return {body: ctx.body.toString('base64'), isBase64Encoded: true}
}

/** Header names lower-cased (HTTP APIs speak HTTP/2 to the world); duplicates comma-joined. */
function joinedHeaders(headers: HeaderList, skipCookies: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of headers) {
    const name = k.toLowerCase()
    if (skipCookies && name === 'cookie') continue
    out[name] = name in out ? `${out[name]},${v}` : v
  }
  return out
}

/** The 2.0 event (the docs' "Format 2.0" example, member for member). */
export function eventV2(ctx: HttpApiContext): Record<string, unknown> {
  const cookies = ctx.headers
    .filter(([k]) => k.toLowerCase() === 'cookie')
    .flatMap(([, v]) => v.split(';'))
    .map((c) => c.trim())
    .filter(Boolean)
  const qs: Record<string, string> = {}
  for (const [k, v] of ctx.query) qs[k] = k in qs ? `${qs[k]},${v}` : v
  const routeKey = ctx.route?.route.routeKey ?? '$default'
  const {body, isBase64Encoded} = bodyOf(ctx)
  const requestContext: Record<string, unknown> = {
    accountId: ctx.deps.accountId,
    apiId: ctx.apiId,
    ...(ctx.authorizer || ctx.iamCaller ? {authorizer: authorizerV2(ctx)} : {}),
    domainName: ctx.domainName,
    domainPrefix: ctx.domainPrefix ?? ctx.apiId,
    http: {
      method: ctx.method,
      path: ctx.rawPath,
      protocol: ctx.protocol,
      sourceIp: ctx.sourceIp,
      userAgent: getFirst(ctx.headers, 'user-agent') ?? '',
    },
    requestId: ctx.requestId,
    routeKey,
    stage: ctx.stageName,
    time: formatRequestTime(ctx.requestTime),
    timeEpoch: ctx.requestTime.getTime(),
  }
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey,
    rawPath: ctx.rawPath,
    rawQueryString: ctx.rawQuery,
  }
  if (cookies.length > 0) event.cookies = cookies
  event.headers = joinedHeaders(ctx.headers, true)
  if (ctx.query.length > 0) event.queryStringParameters = qs
  event.requestContext = requestContext
  if (Object.keys(ctx.pathParameters).length > 0) event.pathParameters = ctx.pathParameters
  if (Object.keys(ctx.stageVariables).length > 0) event.stageVariables = ctx.stageVariables
  if (body !== undefined) event.body = body
  event.isBase64Encoded = isBase64Encoded
  return event
}

function authorizerV2(ctx: HttpApiContext): Record<string, unknown> {
  const iam = ctx.iamCaller
  if (iam) {
    return {
      iam: {
        accessKey: iam.accessKey,
        accountId: iam.accountId,
        callerId: iam.caller,
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: iam.userArn,
        userId: iam.user,
      },
    }
  }
  const auth = ctx.authorizer!
  if (auth.jwt) return {jwt: {claims: auth.jwt.claims, scopes: auth.jwt.scopes}}
  if (auth.lambda) return {lambda: auth.lambda}
  return {}
}

/** The 1.0 event (the REST proxy event's shape with `version`, as the docs' "Format 1.0" example). */
export function eventV1(ctx: HttpApiContext): Record<string, unknown> {
  const single: Record<string, string> = {}
  const multi: Record<string, string[]> = {}
  for (const [k, v] of ctx.headers) {
    const name = k.toLowerCase()
    single[name] = v
    multi[name] = [...(multi[name] ?? []), v]
  }
  let qs: Record<string, string> | null = null
  let mqs: Record<string, string[]> | null = null
  if (ctx.query.length > 0) {
    qs = {}
    mqs = {}
    for (const [k, v] of ctx.query) {
      qs[k] = v
      mqs[k] = [...(mqs[k] ?? []), v]
    }
  }
  const routePath = ctx.route?.path ?? ctx.path
  const {body, isBase64Encoded} = bodyOf(ctx)
  const auth = ctx.authorizer
  const authorizer = auth?.jwt
    ? {claims: auth.jwt.claims, scopes: auth.jwt.scopes}
    : auth?.lambda
      ? {...auth.lambda, ...(auth.principalId ? {principalId: auth.principalId} : {})}
      : {claims: null, scopes: null}
  return {
    version: '1.0',
    resource: routePath,
    path: ctx.rawPath,
    httpMethod: ctx.method,
    headers: single,
    multiValueHeaders: multi,
    queryStringParameters: qs,
    multiValueQueryStringParameters: mqs,
    requestContext: {
      accountId: ctx.deps.accountId,
      apiId: ctx.apiId,
      authorizer,
      domainName: ctx.domainName,
      domainPrefix: ctx.domainPrefix ?? ctx.apiId,
      extendedRequestId: ctx.requestId,
      httpMethod: ctx.method,
      identity: {
        accessKey: ctx.iamCaller?.accessKey ?? null,
        accountId: ctx.iamCaller?.accountId ?? null,
        caller: ctx.iamCaller?.caller ?? null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: ctx.sourceIp,
        user: ctx.iamCaller?.user ?? null,
        userAgent: getFirst(ctx.headers, 'user-agent') ?? '',
        userArn: ctx.iamCaller?.userArn ?? null,
      },
      path: ctx.rawPath,
      protocol: ctx.protocol,
      requestId: ctx.requestId,
      requestTime: formatRequestTime(ctx.requestTime),
      requestTimeEpoch: ctx.requestTime.getTime(),
      resourceId: ctx.route?.route.routeKey ?? '$default',
      resourcePath: routePath,
      stage: ctx.stageName,
    },
    pathParameters: Object.keys(ctx.pathParameters).length > 0 ? ctx.pathParameters : null,
    stageVariables: Object.keys(ctx.stageVariables).length > 0 ? ctx.stageVariables : null,
    body: body ?? null,
    isBase64Encoded,
  }
}

function parse(payload: Buffer): {ok: true; value: unknown} | {ok: false} {
  const text = payload.toString('utf8')
  if (text.trim() === '') return {ok: false}
  try {
    return {ok: true, value: JSON.parse(text)}
  } catch {
    return {ok: false}
  }
}

function statusOf(code: unknown): number | undefined {
  let status: number | undefined
  if (typeof code === 'number' && Number.isInteger(code)) status = code
  else if (typeof code === 'string' && /^\d+$/.test(code)) status = Number(code)
  return status !== undefined && status >= 100 && status <= 599 ? status : undefined
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return ''
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

function bodyBytes(body: unknown, base64: unknown): Buffer | undefined {
  if (body === undefined || body === null) return Buffer.alloc(0)
  if (typeof body !== 'string') return undefined
  return base64 === true ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8')
}

/**
 * A 2.0 answer: an object with `statusCode` is read member by member (`cookies` → one `set-cookie` each);
 * any other valid JSON is the body of a 200 `application/json` answer (a bare string as itself).
 */
export function responseV2(payload: Buffer): HttpApiResponse | undefined {
  const parsed = parse(payload)
  if (!parsed.ok) return undefined
  const value = parsed.value
  const structured = value !== null && typeof value === 'object' && !Array.isArray(value) && 'statusCode' in value
  if (!structured) {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    return {status: 200, headers: [['content-type', 'application/json']], body: Buffer.from(text, 'utf8')}
  }
  const answer = value as Record<string, unknown>
  const status = statusOf(answer.statusCode)
  if (status === undefined) return undefined
  const headers: HeaderList = []
  const h = answer.headers
  if (h !== undefined && h !== null) {
    if (typeof h !== 'object' || Array.isArray(h)) return undefined
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) headers.push([k, scalar(v)])
  }
  const cookies = answer.cookies
  if (cookies !== undefined && cookies !== null) {
    if (!Array.isArray(cookies)) return undefined
    for (const c of cookies) headers.push(['set-cookie', scalar(c)])
  }
  const body = bodyBytes(answer.body, answer.isBase64Encoded)
  if (!body) return undefined
  // No content type from the function: AWS sends text/plain (our reading of the docs; not recorded).
  if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['content-type', 'text/plain; charset=utf-8'])
  return {status, headers, body}
}

/**
 * A 1.0 answer: `statusCode` required, `headers` and `multiValueHeaders` merged (multi values first),
 * `body` a string, base64-decoded when `isBase64Encoded`.
 */
export function responseV1(payload: Buffer): HttpApiResponse | undefined {
  const parsed = parse(payload)
  if (!parsed.ok) return undefined
  const value = parsed.value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const answer = value as Record<string, unknown>
  const status = statusOf(answer.statusCode)
  if (status === undefined) return undefined
  const headers: HeaderList = []
  const mv = answer.multiValueHeaders
  if (mv !== undefined && mv !== null) {
    if (typeof mv !== 'object' || Array.isArray(mv)) return undefined
    for (const [k, list] of Object.entries(mv as Record<string, unknown>)) {
      if (!Array.isArray(list)) return undefined
      for (const v of list) headers.push([k, scalar(v)])
    }
  }
  const h = answer.headers
  if (h !== undefined && h !== null) {
    if (typeof h !== 'object' || Array.isArray(h)) return undefined
    for (const [k, v] of Object.entries(h as Record<string, unknown>)) {
      // A name already in multiValueHeaders keeps those values; the single one is added after them.
      headers.push([k, scalar(v)])
    }
  }
  const body = bodyBytes(answer.body, answer.isBase64Encoded)
  if (!body) return undefined
  if (!headers.some(([k]) => k.toLowerCase() === 'content-type')) headers.push(['content-type', 'application/json'])
  return {status, headers, body}
}
