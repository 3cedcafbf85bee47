/**
 * JWT authorizers of HTTP APIs (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html):
 * the token from the identity source (a `Bearer ` prefix is dropped), its signing key from the JWKS the
 * issuer's OpenID discovery document names (fetched once, cached by jose, 1500 ms timeout as AWS), then
 * signature, `exp`, `nbf`, `iss`, `aud` or `client_id` against the audiences, and the route's
 * `authorizationScopes` against the `scope`/`scp` claim. A bad or missing token is 401 with AWS's
 * `www-authenticate` header; a valid token without a required scope is 403.
 */
import {createRemoteJWKSet, errors, type JWTPayload, jwtVerify} from 'jose'
import type {AuthorizerDoc} from '../../control-plane/v2/common.ts'
import type {HttpApiContext} from './context.ts'
import {HttpApiError} from './errors.ts'
import {identityValue} from './identity-source.ts'

const DISCOVERY_TIMEOUT_MS = 1500

type KeySet = ReturnType<typeof createRemoteJWKSet>

/** JWKS per issuer, found through the discovery document; a failed discovery is retried on the next request. */
export class JwksCache {
  private readonly byIssuer = new Map<string, Promise<KeySet>>()

  keySet(issuer: string): Promise<KeySet> {
    let found = this.byIssuer.get(issuer)
    if (!found) {
      found = discover(issuer)
      this.byIssuer.set(issuer, found)
      found.catch(() => this.byIssuer.delete(issuer))
    }
    return found
  }
}

async function discover(issuer: string): Promise<KeySet> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
  const res = await fetch(url, {signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS)})
  if (!res.ok) throw new Error(`the discovery document at ${url} answered ${res.status}`)
  const doc = (await res.json()) as {jwks_uri?: unknown}
  if (typeof doc.jwks_uri !== 'string') throw new Error(`the discovery document at ${url} has no jwks_uri`)
  return createRemoteJWKSet(new URL(doc.jwks_uri), {timeoutDuration: DISCOVERY_TIMEOUT_MS, cooldownDuration: 30_000, cacheMaxAge: 600_000})
}

function unauthorized(description: string): HttpApiError {
  return new HttpApiError('UNAUTHORIZED', description, undefined, [
    ['www-authenticate', `Bearer scope="" error="invalid_token" error_description="${description}"`],
  ])
}

/** Claims as AWS hands them to integrations: strings, lists as `[a b]`. */
function claimStrings(payload: JWTPayload): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined || v === null) continue
    if (Array.isArray(v)) out[k] = `[${v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join(' ')}]`
    else out[k] = typeof v === 'object' ? JSON.stringify(v) : String(v)
  }
  return out
}

function scopesOf(payload: JWTPayload): string[] {
  const raw = payload.scope ?? payload.scp
  if (typeof raw === 'string') return raw.split(' ').filter(Boolean)
  if (Array.isArray(raw)) return raw.map(String)
  return []
}

/** Check the request's JWT; fills `ctx.authorizer.jwt` or throws 401/403. */
export async function authorizeJwt(
  ctx: HttpApiContext,
  authorizer: AuthorizerDoc,
  scopes: string[] | undefined,
  jwks: JwksCache,
): Promise<void> {
  const source = authorizer.identitySource?.[0] ?? '$request.header.Authorization'
  const raw = identityValue(ctx, source)
  if (!raw) {
    ctx.authorizer = {error: 'the identity source is missing'}
    throw new HttpApiError('UNAUTHORIZED', 'the identity source is missing')
  }
  const token = raw.replace(/^Bearer\s+/i, '')
  const issuer = authorizer.jwtConfiguration?.issuer ?? ''
  let keySet: KeySet
  try {
    keySet = await jwks.keySet(issuer)
  } catch (error) {
    ctx.authorizer = {error: `the JWKS of ${issuer} could not be fetched: ${(error as Error).message}`}
    throw unauthorized('the signing keys could not be fetched')
  }
  let payload: JWTPayload
  try {
    ;({payload} = await jwtVerify(token, keySet, {
      issuer,
      currentDate: ctx.deps.now(),
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'],
    }))
  } catch (error) {
    const description = describe(error)
    ctx.authorizer = {error: description}
    throw unauthorized(description)
  }
  const audiences = authorizer.jwtConfiguration?.audience ?? []
  const aud = payload.aud === undefined ? [] : Array.isArray(payload.aud) ? payload.aud : [payload.aud]
  const clientId = typeof payload.client_id === 'string' ? [payload.client_id] : []
  if (audiences.length > 0 && ![...aud, ...clientId].some((a) => audiences.includes(a))) {
    ctx.authorizer = {error: 'the token does not have a valid audience'}
    throw unauthorized('the token does not have a valid audience')
  }
  const tokenScopes = scopesOf(payload)
  ctx.authorizer = {jwt: {claims: claimStrings(payload), scopes: tokenScopes.length > 0 ? tokenScopes : null}}
  if (scopes && scopes.length > 0 && !scopes.some((s) => tokenScopes.includes(s))) {
    ctx.authorizer.error = 'the token does not have the required scopes'
    throw new HttpApiError('FORBIDDEN', 'the token does not have the required scopes')
  }
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired'
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return 'the token does not have a valid issuer'
    if (error.claim === 'nbf') return 'the token is not valid yet'
    return `the token's ${error.claim} claim is invalid`
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid'
  if (error instanceof errors.JWKSNoMatchingKey) return 'no signing key matches the token'
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token signing method is not allowed'
  if (error instanceof errors.JWKSTimeout) return 'the signing keys could not be fetched in time'
  return 'the token is malformed'
}
