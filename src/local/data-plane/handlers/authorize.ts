/**
 * Chain step 3 (after route, before request validation, as AWS orders them): who may call the method.
 *   AWS_IAM             the SigV4 signature verified against the credentials the emulator knows (protocol/sigv4.ts)
 *   resource policy     evaluated when the API has one (auth/resource-policy.ts): an explicit Deny refuses; a
 *                       method with no authorizer also needs an Allow
 *   CUSTOM              the Lambda authorizer (auth/lambda-authorizer.ts), with its result cache
 *   COGNITO_USER_POOLS  the user-pool token (auth/cognito.ts)
 * It sets `ctx.authorizer` (principalId, context, claims, usageIdentifierKey) and `ctx.iamCaller` for later
 * steps. TestInvokeMethod skips it, as AWS's does.
 */
import type {AuthorizerResult, ChainHandler, IamCaller, InvocationContext} from '../context.ts'
import {logError, logInfo} from '../context.ts'
import {GatewayError, NotSupportedError} from '../gateway-responses.ts'
import type {AuthorizerCache} from '../auth/cache.ts'
import {runCognitoAuthorizer} from '../auth/cognito.ts'
import {configurationError, type LambdaAuthorizeOutcome, runLambdaAuthorizer} from '../auth/lambda-authorizer.ts'
import {PolicyMalformed} from '../auth/policy.ts'
import {evaluateResourcePolicy} from '../auth/resource-policy.ts'
import {type KnownCredential, verifySigV4} from '../../protocol/sigv4.ts'

export function createAuthorize(cache: AuthorizerCache): ChainHandler {
  // Synchronous unless something is awaited (a signature's key lookup, a function call, a JWKS): a cached
  // Lambda authorizer answer takes no promise and no turn of the chain.
  return (ctx) => {
    const route = ctx.route
    if (ctx.testInvoke || !route || !ctx.deployment) return
    const type = (route.method.authorizationType ?? 'NONE').toUpperCase()
    if (type === 'AWS_IAM') return verifyIam(ctx).then(() => authorizeVerified(ctx, type, cache))
    return authorizeVerified(ctx, type, cache)
  }
}

/** The resource policy, then the method's authorizer (after the signature of an AWS_IAM method checked out). */
function authorizeVerified(ctx: InvocationContext, type: string, cache: AuthorizerCache): void | Promise<void> {
  const route = ctx.route!
  let policy: ReturnType<typeof evaluateResourcePolicy>
  try {
    policy = evaluateResourcePolicy(ctx)
  } catch (error) {
    if (!(error instanceof PolicyMalformed)) throw error
    logError(ctx, `Execution failed due to configuration error: the resource policy is invalid: ${error.message}`)
    throw new GatewayError('API_CONFIGURATION_ERROR')
  }
  if (policy) {
    const refused = `User: ${policy.principalName} is not authorized to perform: execute-api:Invoke on resource: ${policy.arn}`
    if (policy.decision === 'deny') {
      logInfo(ctx, `The resource policy denies ${policy.arn} explicitly`)
      throw new GatewayError('ACCESS_DENIED', `${refused} with an explicit deny`)
    }
    // Without an authorizer, only the policy can allow; an IAM caller of the same account is allowed by IAM.
    if (policy.decision === 'implicit' && type === 'NONE') {
      logInfo(ctx, `The resource policy does not allow ${policy.arn}`)
      throw new GatewayError('ACCESS_DENIED', refused)
    }
  }
  if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') {
    const id = route.method.authorizerId
    const authorizer = id ? ctx.deployment!.snapshot.authorizers.find((a) => a.id === id) : undefined
    if (!authorizer) {
      logError(ctx, `Execution failed due to configuration error: the method's authorizer ${id ?? '(none)'} does not exist`)
      throw configurationError()
    }
    if (type === 'CUSTOM') {
      const kind = authorizer.type.toUpperCase()
      if (kind !== 'TOKEN' && kind !== 'REQUEST') throw new NotSupportedError(`Authorizers of type ${kind} on CUSTOM methods`)
      const outcome = runLambdaAuthorizer(ctx, {authorizer, cache})
      if (outcome instanceof Promise) return outcome.then((o) => admitLambda(ctx, o))
      admitLambda(ctx, outcome)
    } else {
      return runCognitoAuthorizer(ctx, authorizer, route.method.authorizationScopes).then((result) => {
        ctx.authorizer = result
      })
    }
  } else if (type !== 'NONE' && type !== 'AWS_IAM') {
    throw new NotSupportedError(`The authorization type ${type}`)
  }
}

/** What later steps see of a Lambda authorizer that allowed the call (not its policy). */
function admitLambda(ctx: InvocationContext, outcome: LambdaAuthorizeOutcome): void {
  const result: AuthorizerResult = {
    principalId: outcome.principalId,
    context: outcome.context,
    integrationLatency: outcome.integrationLatency,
    status: outcome.status,
  }
  if (outcome.usageIdentifierKey !== undefined) result.usageIdentifierKey = outcome.usageIdentifierKey
  ctx.authorizer = result
}

async function verifyIam(ctx: InvocationContext): Promise<void> {
  const credentials = ctx.deps.credentials
  const outcome = await verifySigV4(
    {method: ctx.request.method, target: ctx.rawTarget ?? requestTarget(ctx), headers: ctx.request.headers, body: ctx.request.body},
    credentials,
    ctx.deps.now(),
  )
  if (outcome.ok) {
    ctx.iamCaller = iamCallerOf(outcome.credential, ctx.deps.accountId)
    logInfo(ctx, `IAM caller ${ctx.iamCaller.userArn} (access key ${ctx.iamCaller.accessKey.slice(0, 4)}****)`)
    return
  }
  logInfo(ctx, `SigV4 check failed: ${outcome.problem}`)
  switch (outcome.problem) {
    case 'missing':
      throw new GatewayError('MISSING_AUTHENTICATION_TOKEN')
    case 'incomplete':
      throw new GatewayError('INVALID_SIGNATURE', outcome.message, {errorType: 'IncompleteSignatureException'})
    case 'unknown-key':
      throw new GatewayError('ACCESS_DENIED', outcome.message, {errorType: 'UnrecognizedClientException'})
    default:
      throw new GatewayError('INVALID_SIGNATURE', outcome.message)
  }
}

/** The IAM identity a verified credential stands for (REST's `$context.identity.*`, HTTP APIs' `authorizer.iam`). */
export function iamCallerOf(c: KnownCredential, defaultAccountId: string): IamCaller {
  const accountId = c.accountId ?? defaultAccountId
  return {accessKey: c.accessKeyId, accountId, userArn: `arn:aws:iam::${accountId}:user/${c.profile}`, user: c.profile, caller: c.profile}
}

/** The target a client addressed (TestInvoke has no socket): the stage-relative path with the stage in front. */
function requestTarget(ctx: InvocationContext): string {
  const path = `/${ctx.target.stageName ?? ''}${ctx.request.path}`
  return ctx.target.rawQuery ? `${path}?${ctx.target.rawQuery}` : path
}
