/**
 * The emulator's local identity provider: one RS256 signing key per Cognito user pool (`pool`) and per plain
 * OpenID issuer (`issuer`), created on first use and kept in the emulator's state, so tokens minted before a
 * restart still verify after it. It mints tokens shaped like Cognito's ID and access tokens (or plain JWTs for
 * issuers), publishes each key set (JWKS) and OpenID discovery document (http.ts serves them under
 * `/_aws/identity/`), and verifies tokens for the data plane's Cognito authorizers and the HTTP API's JWT
 * authorizers. Signing and verification are jose's; nothing here does cryptography by hand.
 *
 * Issuers: a pool's tokens carry Cognito's own `iss` (`https://cognito-idp.{region}.amazonaws.com/{poolId}`),
 * so application code that checks it sees what AWS sends; an issuer's tokens carry
 * `http://127.0.0.1:{port}/_aws/identity/issuers/{name}` (its discovery document is served there).
 */
import {randomUUID} from 'node:crypto'
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  errors as joseErrors,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
  type JWTPayload,
  jwtVerify,
  SignJWT,
} from 'jose'
import type {Store} from '../store/store.ts'

export type IdentityKind = 'pool' | 'issuer'

/** Store kind of the signing keys (one document per pool or issuer: `pool/NAME`, `issuer/NAME`). */
export const IDENTITY_KEY_KIND = 'identitykey'

/** Pool and issuer names: Cognito pool ids (`us-east-1_AbC123`) and simple names. */
export const IDENTITY_NAME = /^[A-Za-z0-9_.-]{1,128}$/

/** The path prefix the identity provider is served under on the emulator's port. */
export const IDENTITY_PREFIX = '/_aws/identity/'

type KeyDoc = {kid: string; privateJwk: JWK; publicJwk: JWK; createdAt: string}

export type MintInput = {
  kind: IdentityKind
  name: string
  /** Extra or overriding claims (values as given: strings, numbers, booleans, arrays). */
  claims?: Record<string, unknown>
  /** OAuth scopes: make a Cognito access token (`scope` claim) or a `scope` claim for issuers. */
  scopes?: string[]
  /** Cognito: `id` (default without scopes) or `access` (default with scopes). */
  tokenUse?: 'id' | 'access'
  /** Lifetime in seconds (default 3600); negative mints an already expired token. */
  expiresInSeconds?: number
  /** The emulator's origin (`http://127.0.0.1:4567`), for issuer URLs. */
  origin: string
}

export type MintResult = {token: string; issuer: string; expiresAt: string; tokenUse?: 'id' | 'access'; jwksUrl: string}

/** Why a token was refused; `expired` is told apart because AWS answers it with its own message. */
export class TokenRejected extends Error {
  readonly reason: 'expired' | 'invalid'
  constructor(reason: 'expired' | 'invalid', message: string) {
    super(message)
    this.name = 'TokenRejected'
    this.reason = reason
  }
}

/** The `iss` of a pool's tokens, as Cognito sets it; the region is the pool id's prefix (`us-east-1_…`). */
export function poolIssuer(poolId: string, defaultRegion: string): string {
  const region = /^([a-z]{2}(?:-[a-z]+)+-\d+)_/.exec(poolId)?.[1] ?? defaultRegion
  return `https://cognito-idp.${region}.amazonaws.com/${poolId}`
}

/** The `iss` of a local issuer's tokens on an emulator at `origin`. */
export function localIssuerUrl(origin: string, name: string): string {
  return `${origin}${IDENTITY_PREFIX}issuers/${encodeURIComponent(name)}`
}

/** The name of a local issuer from its URL (any loopback host and port), or undefined when it is not one. */
export function localIssuerName(iss: string): string | undefined {
  const m = /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?\/_aws\/identity\/issuers\/([^/?#]+)\/?$/.exec(iss)
  if (!m) return undefined
  const name = decodeURIComponent(m[1]!)
  return IDENTITY_NAME.test(name) ? name : undefined
}

export type IdentityProviderOptions = {
  store: Store
  now: () => Date
  region: string
  /** Remote key sets by pool id (apigw.yaml `identity.pools.*.jwksUrl`): tokens of those pools verify against them. */
  remoteJwks?: Record<string, string>
}

export class IdentityProvider {
  private readonly options: IdentityProviderOptions
  private readonly keys = new Map<string, Promise<KeyDoc>>()
  private readonly remote = new Map<string, ReturnType<typeof createRemoteJWKSet>>()

  constructor(options: IdentityProviderOptions) {
    this.options = options
  }

  /** The signing key of a pool or issuer, created (and stored) on first use. */
  private key(kind: IdentityKind, name: string): Promise<KeyDoc> {
    const id = `${kind}/${name}`
    let found = this.keys.get(id)
    if (!found) {
      found = this.loadOrCreate(id)
      found.catch(() => this.keys.delete(id))
      this.keys.set(id, found)
    }
    return found
  }

  private async loadOrCreate(id: string): Promise<KeyDoc> {
    const store = this.options.store
    const existing = await store.read(() => store.get<KeyDoc>(IDENTITY_KEY_KIND, id))
    if (existing) return existing
    const {privateKey, publicKey} = await generateKeyPair('RS256', {extractable: true})
    const publicJwk = await exportJWK(publicKey)
    const kid = await calculateJwkThumbprint(publicJwk)
    const doc: KeyDoc = {
      kid,
      privateJwk: {...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig'},
      publicJwk: {...publicJwk, kid, alg: 'RS256', use: 'sig'},
      createdAt: this.options.now().toISOString(),
    }
    // Another process may have created it meanwhile: the first one stored wins.
    return store.transaction(() => {
      const raced = store.get<KeyDoc>(IDENTITY_KEY_KIND, id)
      if (raced) return raced
      store.put(IDENTITY_KEY_KIND, id, doc)
      return doc
    })
  }

  /** The public key set of a pool or issuer (`/.well-known/jwks.json`). */
  async jwks(kind: IdentityKind, name: string): Promise<{keys: JWK[]}> {
    return {keys: [(await this.key(kind, name)).publicJwk]}
  }

  /** The issuer (`iss`) a pool's or issuer's tokens carry. */
  issuerOf(kind: IdentityKind, name: string, origin: string): string {
    return kind === 'pool' ? poolIssuer(name, this.options.region) : localIssuerUrl(origin, name)
  }

  /** Mint a signed token (Cognito-shaped for pools). */
  async mint(input: MintInput): Promise<MintResult> {
    const key = await this.key(input.kind, input.name)
    const now = Math.floor(this.options.now().getTime() / 1000)
    const lifetime = input.expiresInSeconds ?? 3600
    const iss = this.issuerOf(input.kind, input.name, input.origin)
    const scopes = input.scopes ?? []
    const sub = typeof input.claims?.sub === 'string' ? input.claims.sub : randomUUID()
    let payload: JWTPayload
    let tokenUse: 'id' | 'access' | undefined
    if (input.kind === 'pool') {
      tokenUse = input.tokenUse ?? (scopes.length > 0 ? 'access' : 'id')
      const clientId = 'apigwlocalclient'
      const username = typeof input.claims?.['cognito:username'] === 'string' ? input.claims['cognito:username'] : sub
      payload =
        tokenUse === 'id'
          ? {sub, aud: clientId, token_use: 'id', auth_time: now, 'cognito:username': username, event_id: randomUUID()}
          : {
              sub,
              client_id: clientId,
              token_use: 'access',
              auth_time: now,
              username,
              event_id: randomUUID(),
              ...(scopes.length > 0 ? {scope: scopes.join(' ')} : {}),
            }
    } else {
      payload = {sub, ...(scopes.length > 0 ? {scope: scopes.join(' ')} : {})}
    }
    Object.assign(payload, input.claims ?? {})
    const token = await new SignJWT({...payload, jti: randomUUID()})
      .setProtectedHeader({alg: 'RS256', kid: key.kid, typ: 'JWT'})
      .setIssuer(iss)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .sign(await importJWK(key.privateJwk, 'RS256'))
    const jwksPath =
      `${IDENTITY_PREFIX}${input.kind === 'pool' ? 'pools' : 'issuers'}` + `/${encodeURIComponent(input.name)}/.well-known/jwks.json`
    return {
      token,
      issuer: iss,
      expiresAt: new Date((now + lifetime) * 1000).toISOString(),
      ...(tokenUse ? {tokenUse} : {}),
      jwksUrl: `${input.origin}${jwksPath}`,
    }
  }

  /**
   * Verify a token of a Cognito user pool: signature (the pool's local key, or its remote JWKS when apigw.yaml
   * names one), `iss` = the pool's Cognito issuer, `exp`. Returns the claims; throws TokenRejected.
   */
  async verifyPoolToken(token: string, poolId: string): Promise<JWTPayload> {
    const issuer = poolIssuer(poolId, this.options.region)
    const remoteUrl = this.options.remoteJwks?.[poolId]
    const keySet = remoteUrl ? this.remoteSet(remoteUrl) : createLocalJWKSet(await this.jwks('pool', poolId))
    return this.verifyWith(token, keySet, issuer)
  }

  /**
   * Verify a JWT for an issuer URL (HTTP API JWT authorizers): a local issuer's own key, else the key set of the
   * issuer's OpenID discovery document (`{issuer}/.well-known/openid-configuration` → `jwks_uri`). `audience`,
   * when given, must contain the token's `aud` (or `client_id`, as API Gateway accepts for access tokens).
   */
  async verifyIssuerToken(token: string, issuer: string, audience?: string[]): Promise<JWTPayload> {
    const local = localIssuerName(issuer)
    let keySet: Parameters<typeof jwtVerify>[1]
    if (local) keySet = createLocalJWKSet(await this.jwks('issuer', local))
    else {
      const discovery = await fetchJson(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`)
      const jwksUri = (discovery as {jwks_uri?: unknown}).jwks_uri
      if (typeof jwksUri !== 'string') throw new TokenRejected('invalid', `The discovery document of ${issuer} names no jwks_uri`)
      keySet = this.remoteSet(jwksUri)
    }
    const claims = await this.verifyWith(token, keySet, issuer)
    if (audience && audience.length > 0) {
      const aud = claims.aud === undefined ? [] : Array.isArray(claims.aud) ? claims.aud : [claims.aud]
      const clientId = typeof claims.client_id === 'string' ? [claims.client_id] : []
      if (![...aud, ...clientId].some((a) => audience.includes(a))) throw new TokenRejected('invalid', 'The token audience is not accepted')
    }
    return claims
  }

  private remoteSet(url: string): ReturnType<typeof createRemoteJWKSet> {
    let set = this.remote.get(url)
    if (!set) {
      // AWS's JWKS/OIDC timeout is 1,500 ms (aws-facts.md).
      set = createRemoteJWKSet(new URL(url), {timeoutDuration: 1500})
      this.remote.set(url, set)
    }
    return set
  }

  private async verifyWith(token: string, keySet: Parameters<typeof jwtVerify>[1], issuer: string): Promise<JWTPayload> {
    try {
      const {payload} = await jwtVerify(token, keySet as Parameters<typeof jwtVerify>[1] & {}, {
        issuer,
        currentDate: this.options.now(),
        algorithms: ['RS256'],
      })
      return payload
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new TokenRejected('expired', 'The incoming token has expired')
      throw new TokenRejected('invalid', (error as Error).message)
    }
  }
}

/** The claims of a token without verifying it (for log lines and error messages only). */
export function peekClaims(token: string): JWTPayload | undefined {
  try {
    return decodeJwt(token)
  } catch {
    return undefined
  }
}

async function fetchJson(url: string): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(url, {signal: AbortSignal.timeout(1500)})
  } catch (error) {
    throw new TokenRejected('invalid', `The issuer's discovery document at ${url} could not be read: ${(error as Error).message}`)
  }
  if (!res.ok) throw new TokenRejected('invalid', `The issuer's discovery document at ${url} answered ${res.status}`)
  return res.json()
}
