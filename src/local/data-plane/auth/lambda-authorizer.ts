/**
 * Lambda authorizers (REST), TOKEN and REQUEST, as AWS runs them: the identity source read first (missing or
 * empty, or a TOKEN that fails `identityValidationExpression` → 401 without invoking), the function invoked
 * through the local function host with AWS's event, its answer checked (`Unauthorized` thrown → 401, anything
 * malformed → 500 AUTHORIZER_CONFIGURATION_ERROR), the policy evaluated against the method ARN (Deny → 403 with
 * an explicit deny, no Allow → 403), and the answer cached by identity source for
 * `authorizerResultTtlInSeconds` (default 300, 0 = off; the cached policy is evaluated again per method ARN).
 */
import type {AuthorizerDoc} from '../../openapi/types.ts'
import type {AuthorizerResult, InvocationContext} from '../context.ts'
import {infoLogged, logError, logInfo} from '../context.ts'
import {GatewayError, NotSupportedError} from '../gateway-responses.ts'
import {proxyEvent} from '../integrations/lambda.ts'
import {truncate} from '../log-format.ts'
import {evaluateSource} from '../mapping.ts'
import {type AuthorizerCache, type CachedAuthorization, cachedDecision} from './cache.ts'
import {evaluatePolicy, methodArn, PolicyMalformed} from './policy.ts'
import {withStageVariables} from '../stage-variables.ts'

/** AWS's Lambda authorizer timeout (aws-facts.md). */
const AUTHORIZER_TIMEOUT_MS = 10_000

const sourcesOf = new WeakMap<AuthorizerDoc, {raw: string; sources: string[]}>()

/** The identity sources of an authorizer: the expressions of `identitySource` (comma-separated). */
export function identitySources(authorizer: AuthorizerDoc): string[] {
  const raw = authorizer.identitySource ?? (authorizer.type === 'REQUEST' ? '' : 'method.request.header.Authorization')
  // Split once per authorizer document (a deployment's are frozen), again if the text changed.
  const known = sourcesOf.get(authorizer)
  if (known?.raw === raw) return known.sources
  const sources = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  sourcesOf.set(authorizer, {raw, sources})
  return sources
}

const validations = new Map<string, RegExp | undefined>()

/** `identityValidationExpression` compiled once (undefined when it is not a regular expression). */
function validationOf(expr: string): RegExp | undefined {
  if (validations.has(expr)) return validations.get(expr)
  let re: RegExp | undefined
  try {
    re = new RegExp(`^(?:${expr})$`, 'u')
  } catch {
    re = undefined
  }
  if (validations.size >= 1000) validations.clear()
  validations.set(expr, re)
  return re
}

const HEADER_SOURCE = 'method.request.header.'

/** A header's last value, as `evaluateSource` reads `method.request.header.X`, without listing every value. */
function lastHeader(ctx: InvocationContext, name: string): string | undefined {
  const lower = name.toLowerCase()
  const headers = ctx.request.headers
  for (let i = headers.length - 1; i >= 0; i--) if (headers[i]![0].toLowerCase() === lower) return headers[i]![1]
  return undefined
}

/** The values of the identity sources, or undefined when one is missing or empty. */
export function identityValues(ctx: InvocationContext, sources: string[]): string[] | undefined {
  const out: string[] = []
  for (const source of sources) {
    const v = source.startsWith(HEADER_SOURCE) ? lastHeader(ctx, source.slice(HEADER_SOURCE.length)) : evaluateSource(source, {ctx})
    const value = Array.isArray(v) ? v.join(',') : v
    if (value === undefined || value === '') return undefined
    out.push(value)
  }
  return out
}

/** `****abcd`: the last characters of a secret only, as AWS's execution log shows identities. */
export function masked(value: string): string {
  return value.length <= 4 ? '****' : `****${value.slice(-4)}`
}

/** A configuration error of the authorizer: 500 with `{"message": null}`, as AWS answers. */
export function configurationError(): GatewayError {
  return new GatewayError('AUTHORIZER_CONFIGURATION_ERROR', 'Internal server error', {nullMessage: true})
}

export type LambdaAuthorizeOptions = {
  authorizer: AuthorizerDoc
  cache?: AuthorizerCache | undefined
  /** TestInvokeAuthorizer: no cache, and no policy check against a method ARN. */
  test?: boolean
}

export type LambdaAuthorizeOutcome = AuthorizerResult & {policyDocument: unknown; principalId: string; fromCache: boolean}

/**
 * Run a Lambda authorizer for a request. Throws GatewayError (401/403/500) when the call is refused. An answer
 * from the cache is decided synchronously (no promise, so the chain takes no turn for it); a call to the function
 * answers a promise.
 */
export function runLambdaAuthorizer(
  ctx: InvocationContext,
  options: LambdaAuthorizeOptions,
): LambdaAuthorizeOutcome | Promise<LambdaAuthorizeOutcome> {
  const {authorizer} = options
  const type = authorizer.type.toUpperCase()
  const sources = identitySources(authorizer)
  const ttl = authorizer.authorizerResultTtlInSeconds ?? 300
  // INFO lines are built only when the stage's execution log keeps them (context.ts infoLogged).
  const info = infoLogged(ctx)
  if (info) logInfo(ctx, `Starting authorizer: ${authorizer.id} for request: ${ctx.requestId}`)
  // REQUEST authorizers without caching do not require their identity sources (AWS).
  const identity = type === 'REQUEST' && ttl === 0 ? (identityValues(ctx, sources) ?? []) : identityValues(ctx, sources)
  if (!identity || (type === 'TOKEN' && identity.length === 0)) {
    logInfo(ctx, 'The identity source is missing or empty: Unauthorized')
    throw new GatewayError('UNAUTHORIZED')
  }
  if (type === 'TOKEN') {
    if (info) logInfo(ctx, `Incoming identity: ${masked(identity[0]!)}`)
    const expr = authorizer.identityValidationExpression
    if (expr) {
      const re = validationOf(expr)
      if (!re) {
        logError(ctx, `Execution failed due to configuration error: invalid identityValidationExpression ${expr}`)
        throw configurationError()
      }
      if (!re.test(identity[0]!)) {
        logInfo(ctx, 'The incoming identity does not match the identityValidationExpression: Unauthorized')
        throw new GatewayError('UNAUTHORIZED')
      }
    }
  }
  const apiId = ctx.target.apiId
  const stage = ctx.target.stageName ?? ''
  const now = ctx.deps.now().getTime()
  const useCache = !options.test && ttl > 0 && options.cache !== undefined
  const cached = useCache ? options.cache!.get(apiId, stage, authorizer.id, identity, now) : undefined
  if (cached) {
    if (info) logInfo(ctx, `Using the cached authorizer result (principal ${cached.principalId})`)
    return decide(ctx, options, cached, true, 0)
  }
  const started = performance.now()
  return invokeAuthorizer(ctx, authorizer, type === 'TOKEN' ? identity[0]! : undefined).then((answer) => {
    const latency = performance.now() - started
    if (useCache) options.cache!.set(apiId, stage, authorizer.id, identity, answer, now + Math.min(ttl, 3600) * 1000)
    return decide(ctx, options, answer, false, latency)
  })
}

/** The outcome of an answer (fresh or cached) for this request: its policy evaluated against the method ARN. */
function decide(
  ctx: InvocationContext,
  options: LambdaAuthorizeOptions,
  answer: CachedAuthorization,
  fromCache: boolean,
  latency: number,
): LambdaAuthorizeOutcome {
  const outcome: LambdaAuthorizeOutcome = {
    principalId: answer.principalId,
    context: answer.context,
    policyDocument: answer.policyDocument,
    integrationLatency: Math.round(latency),
    status: 200,
    fromCache,
  }
  if (answer.usageIdentifierKey !== undefined) outcome.usageIdentifierKey = answer.usageIdentifierKey
  if (options.test) return outcome
  const arn = methodArn(ctx)
  const policy = answer.policyDocument
  let decision: ReturnType<typeof evaluatePolicy>
  try {
    decision = cachedDecision(answer, arn, () => evaluatePolicy(policy, {action: 'execute-api:Invoke', resource: arn}))
  } catch (error) {
    logError(ctx, `Execution failed due to configuration error: Invalid policy document: ${(error as Error).message}`)
    throw configurationError()
  }
  if (decision === 'allow') {
    if (infoLogged(ctx)) logInfo(ctx, `Authorizer allowed ${arn} for principal ${answer.principalId}`)
    return outcome
  }
  logInfo(ctx, 'The client is not authorized to perform this operation.')
  outcome.status = 403
  throw new GatewayError(
    'ACCESS_DENIED',
    decision === 'deny'
      ? 'User is not authorized to access this resource with an explicit deny'
      : 'User is not authorized to access this resource',
  )
}

async function invokeAuthorizer(
  ctx: InvocationContext,
  authorizer: AuthorizerDoc,
  token: string | undefined,
): Promise<CachedAuthorization> {
  const host = ctx.deps.functions
  if (!host) throw new NotSupportedError('Lambda authorizers (local functions)')
  const uri = withStageVariables(authorizer.authorizerUri ?? '', ctx.stageVariables)
  if (!uri) {
    logError(ctx, `Execution failed due to configuration error: authorizer ${authorizer.name} has no authorizerUri`)
    throw configurationError()
  }
  const arn = methodArn(ctx)
  let event: Record<string, unknown>
  if (token !== undefined) event = {type: 'TOKEN', methodArn: arn, authorizationToken: token}
  else {
    const {body: _body, isBase64Encoded: _b64, ...rest} = proxyEvent(ctx)
    event = {type: 'REQUEST', methodArn: arn, ...rest}
  }
  logInfo(ctx, `Endpoint request URI: ${uri}`)
  const timeoutMs = Math.min(AUTHORIZER_TIMEOUT_MS, ctx.deps.maxIntegrationTimeoutMs)
  let timer: NodeJS.Timeout | undefined
  let result: Awaited<ReturnType<typeof host.invoke>>
  try {
    result = await Promise.race([
      host.invoke(uri, Buffer.from(JSON.stringify(event)), {requestId: ctx.requestId}),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the authorizer did not answer within ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
  } catch (error) {
    const hint = (error as {hint?: unknown}).hint
    logError(ctx, `Execution failed due to configuration error: ${(error as Error).message}${typeof hint === 'string' ? ` ${hint}` : ''}`)
    throw configurationError()
  } finally {
    clearTimeout(timer)
  }
  const text = result.payload.toString('utf8')
  logInfo(ctx, `Authorizer result body before parsing: ${truncate(redactContext(text))}`)
  if (result.functionError) {
    let message: unknown
    try {
      message = (JSON.parse(text) as {errorMessage?: unknown}).errorMessage
    } catch {}
    if (message === 'Unauthorized') {
      logInfo(ctx, `Unauthorized request: ${ctx.requestId}`)
      throw new GatewayError('UNAUTHORIZED')
    }
    logError(ctx, `Execution failed due to configuration error: Authorizer error: ${typeof message === 'string' ? message : 'unknown'}`)
    throw configurationError()
  }
  const parsed = parseAnswer(text)
  if (typeof parsed === 'string') {
    logError(ctx, `Execution failed due to configuration error: ${parsed}`)
    throw configurationError()
  }
  logInfo(ctx, 'Successfully completed authorizer execution')
  return parsed
}

/** The authorizer's answer, or why it is malformed (AWS answers 500 for any of these). */
export function parseAnswer(text: string): CachedAuthorization | string {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return 'Invalid JSON in the authorizer response'
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'The authorizer response is not a JSON object'
  const answer = value as Record<string, unknown>
  const principalId = answer.principalId
  if (principalId === undefined || principalId === null || typeof principalId === 'object')
    return 'Invalid authorizer response: principalId is missing'
  if (answer.policyDocument === undefined || answer.policyDocument === null) return 'Invalid authorizer response: policyDocument is missing'
  try {
    evaluatePolicy(answer.policyDocument, {action: 'execute-api:Invoke', resource: ''})
  } catch (error) {
    if (error instanceof PolicyMalformed) return `Invalid policy document: ${error.message}`
    throw error
  }
  const context: Record<string, string | number | boolean> = {}
  if (answer.context !== undefined && answer.context !== null) {
    if (typeof answer.context !== 'object' || Array.isArray(answer.context)) return 'Invalid authorizer response: context is not an object'
    for (const [k, v] of Object.entries(answer.context as Record<string, unknown>)) {
      if (v === null) continue
      if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')
        return `Invalid authorizer response: context value ${k} is not a string, number or boolean`
      context[k] = v
    }
  }
  const key = answer.usageIdentifierKey
  return {
    principalId: String(principalId),
    policyDocument: answer.policyDocument,
    context,
    ...(typeof key === 'string' ? {usageIdentifierKey: key} : {}),
  }
}

/** The authorizer's answer for the log, without the API key it may carry. */
function redactContext(text: string): string {
  return text.replace(/("usageIdentifierKey"\s*:\s*")[^"]*"/g, '$1****"')
}

/** Narrowing helper for callers that need the answer's parts. */
export type {CachedAuthorization}
