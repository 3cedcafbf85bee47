/**
 * Lambda authorizers of HTTP APIs
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html): the
 * identity sources must all be present (else 401 without calling the function); the function gets the
 * payload 1.0 or 2.0 authorizer event and answers a simple response (`isAuthorized`, 2.0 with
 * `enableSimpleResponses`) or an IAM policy evaluated against the route ARN. A refusal is 403, a function
 * error or a malformed answer 500 (an `Unauthorized` error is 401, as REST authorizers). Answers are
 * cached by identity-source values for `authorizerResultTtlInSeconds` on the data plane's clock.
 */
import type {AuthorizerDoc} from '../../control-plane/v2/common.ts'
import type {HttpApiContext} from './context.ts'
import {HttpApiError, notSupported} from './errors.ts'
import {identityValue} from './identity-source.ts'
import {withStageVariables} from '../stage-variables.ts'
import {eventV1, eventV2} from './payload.ts'

type Decision = {allowed: boolean; principalId?: string; context: Record<string, unknown>; policy?: PolicyDocument}
type PolicyDocument = {Statement?: unknown}

/** Cached decisions by authorizer and identity values, each with its expiry on the injected clock. */
export class AuthorizerCache {
  private readonly entries = new Map<string, {expires: number; decision: Decision}>()

  get(key: string, now: number): Decision | undefined {
    const hit = this.entries.get(key)
    if (!hit) return undefined
    if (hit.expires <= now) {
      this.entries.delete(key)
      return undefined
    }
    return hit.decision
  }

  /** Drop an API stage's entries (ResetAuthorizersCache); returns how many. */
  flushStage(apiId: string, stageName: string): number {
    let dropped = 0
    for (const key of this.entries.keys()) {
      const head = key.slice(0, key.indexOf('\n'))
      if (head.startsWith(`${apiId}/`) && head.endsWith(`/${stageName}`)) {
        this.entries.delete(key)
        dropped++
      }
    }
    return dropped
  }

  set(key: string, decision: Decision, expires: number): void {
    if (this.entries.size > 10_000) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(key, {expires, decision})
  }
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}{path}`. */
export function routeArn(ctx: HttpApiContext): string {
  return `arn:aws:execute-api:${ctx.deps.region}:${ctx.deps.accountId}:${ctx.apiId}/${ctx.stageName}/${ctx.method}${ctx.path}`
}

export async function authorizeLambda(ctx: HttpApiContext, authorizer: AuthorizerDoc, cache: AuthorizerCache): Promise<void> {
  const sources = authorizer.identitySource ?? []
  const values: string[] = []
  for (const source of sources) {
    const value = identityValue(ctx, source)
    if (value === undefined) {
      ctx.authorizer = {error: `the identity source ${source} is missing`}
      throw new HttpApiError('UNAUTHORIZED', `the identity source ${source} is missing`)
    }
    values.push(value)
  }
  const arn = routeArn(ctx)
  const ttl = authorizer.authorizerResultTtlInSeconds ?? 0
  const now = ctx.deps.now().getTime()
  const key = `${ctx.apiId}/${authorizer.authorizerId}/${ctx.stageName}\n${values.join('\n')}`
  let decision = ttl > 0 && sources.length > 0 ? cache.get(key, now) : undefined
  let latency: number | undefined
  if (!decision) {
    const started = performance.now()
    decision = await invoke(ctx, authorizer, values, arn)
    latency = performance.now() - started
    if (ttl > 0 && sources.length > 0) cache.set(key, decision, now + ttl * 1000)
  }
  // A cached policy is evaluated again for this request's route ARN (as AWS does).
  const allowed = decision.policy ? evaluatePolicy(decision.policy, arn) : decision.allowed
  ctx.authorizer = {lambda: decision.context, ...(decision.principalId ? {principalId: decision.principalId} : {})}
  if (latency !== undefined) ctx.authorizer.integrationLatency = latency
  if (!allowed) {
    ctx.authorizer.error = 'the authorizer denied the request'
    throw new HttpApiError('FORBIDDEN', 'the authorizer denied the request')
  }
}

async function invoke(ctx: HttpApiContext, authorizer: AuthorizerDoc, values: string[], arn: string): Promise<Decision> {
  const host = ctx.deps.functions
  if (!host) throw notSupported('Lambda authorizers (local functions)')
  const v2 = authorizer.authorizerPayloadFormatVersion === '2.0'
  let event: Record<string, unknown>
  if (v2) {
    const {
      version,
      routeKey,
      rawPath,
      rawQueryString,
      cookies,
      headers,
      queryStringParameters,
      requestContext,
      pathParameters,
      stageVariables,
    } = eventV2(ctx)
    event = {version, type: 'REQUEST', routeArn: arn, identitySource: values, routeKey, rawPath, rawQueryString}
    Object.assign(event, {cookies, headers, queryStringParameters, requestContext, pathParameters, stageVariables})
  } else {
    const base = eventV1(ctx)
    delete base.body
    delete base.isBase64Encoded
    event = {
      version: '1.0',
      type: 'REQUEST',
      methodArn: arn,
      identitySource: values.join(','),
      authorizationToken: values.join(','),
      ...base,
    }
  }
  const uri = withStageVariables(authorizer.authorizerUri ?? '', ctx.stageVariables)
  let result: Awaited<ReturnType<typeof host.invoke>>
  try {
    result = await host.invoke(uri, Buffer.from(JSON.stringify(event)), {invocationType: 'RequestResponse', requestId: ctx.requestId})
  } catch (error) {
    ctx.authorizer = {error: `the authorizer function could not be invoked: ${(error as Error).message}`}
    throw new HttpApiError('INTERNAL', ctx.authorizer.error)
  }
  let answer: Record<string, unknown>
  try {
    answer = JSON.parse(result.payload.toString('utf8')) as Record<string, unknown>
  } catch {
    answer = {}
  }
  if (result.functionError) {
    if (answer.errorMessage === 'Unauthorized') {
      ctx.authorizer = {error: 'the authorizer answered Unauthorized'}
      throw new HttpApiError('UNAUTHORIZED', 'the authorizer answered Unauthorized')
    }
    ctx.authorizer = {error: `the authorizer function failed: ${String(answer.errorMessage ?? '')}`}
    throw new HttpApiError('INTERNAL', ctx.authorizer.error)
  }
  const context = answer?.context !== null && typeof answer?.context === 'object' ? (answer.context as Record<string, unknown>) : {}
  if (v2 && authorizer.enableSimpleResponses) {
    if (typeof answer?.isAuthorized !== 'boolean') return malformed(ctx, 'isAuthorized is not a boolean')
    return {allowed: answer.isAuthorized, context}
  }
  const policy = answer?.policyDocument
  if (policy === null || typeof policy !== 'object' || !Array.isArray((policy as PolicyDocument).Statement))
    return malformed(ctx, 'the answer has no policyDocument with a Statement list')
  const principalId = typeof answer.principalId === 'string' ? answer.principalId : undefined
  return {allowed: false, policy: policy as PolicyDocument, context, ...(principalId ? {principalId} : {})}
}

function malformed(ctx: HttpApiContext, why: string): never {
  ctx.authorizer = {error: `the authorizer's answer is malformed: ${why}`}
  throw new HttpApiError('INTERNAL', ctx.authorizer.error)
}

function asList(v: unknown): string[] {
  if (typeof v === 'string') return [v]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return []
}

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  )
}

/** An IAM policy's answer for `execute-api:Invoke` on an ARN: an explicit Deny wins, else any Allow. */
export function evaluatePolicy(policy: PolicyDocument, arn: string): boolean {
  let allowed = false
  for (const statement of (policy.Statement as unknown[]) ?? []) {
    if (statement === null || typeof statement !== 'object') continue
    const s = statement as Record<string, unknown>
    const actions = asList(s.Action)
    if (!actions.some((a) => wildcard(a.toLowerCase()).test('execute-api:invoke'))) continue
    if (!asList(s.Resource).some((r) => wildcard(r).test(arn))) continue
    if (s.Effect === 'Deny') return false
    if (s.Effect === 'Allow') allowed = true
  }
  return allowed
}
