/**
 * Cognito user-pool authorizers (REST): the token from the identity source (default the `Authorization`
 * header; a `Bearer ` prefix is accepted), verified by the local identity provider against each pool the
 * authorizer names (`providerARNs`): signature (the pool's local key, or the JWKS URL apigw.yaml gives it),
 * `iss`, `exp`, `token_use` (`id` or `access`; `access` with one of the method's `authorizationScopes` when it
 * has any). Missing, invalid or out-of-scope → 401 `Unauthorized`; expired → 401 `The incoming token has expired`.
 */
import type {AuthorizerDoc} from '../../openapi/types.ts'
import {TokenRejected} from '../../identity/provider.ts'
import type {AuthorizerResult, InvocationContext} from '../context.ts'
import {logInfo} from '../context.ts'
import {GatewayError, NotSupportedError} from '../gateway-responses.ts'
import {evaluateSource} from '../mapping.ts'

/** The user pool id of a Cognito pool ARN (`arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}`). */
export function poolIdOf(arn: string): string | undefined {
  return /:userpool\/([^/]+)$/.exec(arn)?.[1]
}

/** Claims as API Gateway passes them on: every value a string (lists comma-joined). */
export function claimStrings(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(claims)) {
    if (v === undefined || v === null) continue
    out[k] = Array.isArray(v) ? v.map(String).join(',') : typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
  return out
}

export async function runCognitoAuthorizer(
  ctx: InvocationContext,
  authorizer: AuthorizerDoc,
  scopes: readonly string[] | undefined,
): Promise<AuthorizerResult> {
  const identity = ctx.deps.identity
  if (!identity) throw new NotSupportedError('Cognito user-pool authorizers without the local identity provider')
  const source = (authorizer.identitySource ?? 'method.request.header.Authorization').split(',')[0]!.trim()
  const raw = evaluateSource(source, {ctx})
  let token = (Array.isArray(raw) ? raw[0] : raw)?.trim()
  if (token?.toLowerCase().startsWith('bearer ')) token = token.slice(7).trim()
  logInfo(ctx, `Starting authorizer: ${authorizer.id} for request: ${ctx.requestId}`)
  if (!token) {
    logInfo(ctx, 'The identity source is missing or empty: Unauthorized')
    throw new GatewayError('UNAUTHORIZED')
  }
  const pools = (authorizer.providerARNs ?? []).map(poolIdOf).filter((p): p is string => p !== undefined)
  let claims: Record<string, unknown> | undefined
  let expired = false
  for (const pool of pools) {
    try {
      claims = await identity.verifyPoolToken(token, pool)
      break
    } catch (error) {
      if (!(error instanceof TokenRejected)) throw error
      if (error.reason === 'expired') expired = true
    }
  }
  if (!claims) {
    logInfo(ctx, expired ? 'The token has expired' : 'The token was not issued by a user pool of the authorizer or is invalid')
    throw new GatewayError('UNAUTHORIZED', expired ? 'The incoming token has expired' : 'Unauthorized')
  }
  const use = claims.token_use
  if (use !== 'id' && use !== 'access') {
    logInfo(ctx, `The token's token_use is ${JSON.stringify(use)}, not id or access`)
    throw new GatewayError('UNAUTHORIZED')
  }
  if (scopes && scopes.length > 0) {
    const granted = typeof claims.scope === 'string' ? claims.scope.split(' ') : []
    if (use !== 'access' || !scopes.some((s) => granted.includes(s))) {
      logInfo(ctx, `The token carries none of the method's scopes (${scopes.join(', ')})`)
      throw new GatewayError('UNAUTHORIZED')
    }
  }
  logInfo(ctx, `Successfully completed authorizer execution (sub ${String(claims.sub ?? '')})`)
  return {context: {}, claims: claimStrings(claims), status: 200}
}
