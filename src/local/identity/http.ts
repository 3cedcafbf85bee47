/**
 * The local identity provider over HTTP, on the emulator's port under `/_aws/identity/`:
 *   GET  /_aws/identity/{pools|issuers}/{name}/.well-known/jwks.json            the public key set
 *   GET  /_aws/identity/{pools|issuers}/{name}/.well-known/openid-configuration the discovery document
 *   POST /_aws/identity/{pools|issuers}/{name}/tokens                           mint a token (`apigw local token`)
 * Minting needs a loopback Host, `Content-Type: application/json` and no `Origin`: a web page cannot send that
 * without a CORS preflight, which is refused, so only local programs mint tokens.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'
import {isLoopbackHost} from '../protocol/boundary.ts'
import {readBody} from '../protocol/body.ts'
import {IDENTITY_NAME, IDENTITY_PREFIX, type IdentityKind, type IdentityProvider} from './provider.ts'

/** True when a request is for the identity provider. */
export function isIdentityRequest(url: string): boolean {
  return url.startsWith(IDENTITY_PREFIX)
}

/** Serve one identity-provider request; resolves with the operation name for request logs. */
export async function serveIdentity(req: IncomingMessage, res: ServerResponse, provider: IdentityProvider): Promise<string> {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const m = /^\/_aws\/identity\/(pools|issuers)\/([^/]+)\/(\.well-known\/jwks\.json|\.well-known\/openid-configuration|tokens)$/.exec(
    url.pathname,
  )
  const host = req.headers.host
  if (!isLoopbackHost(host))
    return send(res, 403, {message: 'Forbidden: the identity provider answers loopback host names only'}, 'Refused')
  if (!m) return send(res, 404, {message: `No identity-provider resource at ${url.pathname}`}, 'IdentityNotFound')
  let name: string
  try {
    name = decodeURIComponent(m[2]!)
  } catch {
    name = ''
  }
  if (!IDENTITY_NAME.test(name)) {
    return send(
      res,
      400,
      {message: `Invalid name ${JSON.stringify(name)}: use letters, digits, '_', '-' and '.' (at most 128)`},
      'Identity',
    )
  }
  const kind: IdentityKind = m[1] === 'pools' ? 'pool' : 'issuer'
  const origin = `http://${host}`
  const what = m[3]!
  const method = (req.method ?? 'GET').toUpperCase()
  if (what === 'tokens') {
    if (method !== 'POST') return send(res, 405, {message: 'Mint tokens with POST'}, 'MintToken')
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
    if (type !== 'application/json' || req.headers.origin !== undefined) {
      return send(res, 403, {message: 'Forbidden: tokens are minted with Content-Type: application/json, not from a web page'}, 'MintToken')
    }
    let input: Record<string, unknown>
    try {
      const parsed = JSON.parse((await readBody(req)).toString('utf8') || '{}') as unknown
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      input = parsed as Record<string, unknown>
    } catch {
      return send(res, 400, {message: 'The body must be a JSON object'}, 'MintToken')
    }
    const claims = input.claims
    const scopes = input.scopes
    const expires = input.expiresInSeconds
    const tokenUse = input.tokenUse
    if (claims !== undefined && (claims === null || typeof claims !== 'object' || Array.isArray(claims)))
      return send(res, 400, {message: 'claims must be an object'}, 'MintToken')
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string')))
      return send(res, 400, {message: 'scopes must be a list of strings'}, 'MintToken')
    if (expires !== undefined && !(typeof expires === 'number' && Number.isInteger(expires)))
      return send(res, 400, {message: 'expiresInSeconds must be an integer'}, 'MintToken')
    if (tokenUse !== undefined && tokenUse !== 'id' && tokenUse !== 'access')
      return send(res, 400, {message: 'tokenUse must be id or access'}, 'MintToken')
    const minted = await provider.mint({
      kind,
      name,
      origin,
      ...(claims ? {claims: claims as Record<string, unknown>} : {}),
      ...(scopes ? {scopes: scopes as string[]} : {}),
      ...(expires !== undefined ? {expiresInSeconds: expires as number} : {}),
      ...(tokenUse ? {tokenUse: tokenUse as 'id' | 'access'} : {}),
    })
    return send(res, 200, minted, 'MintToken')
  }
  if (method !== 'GET' && method !== 'HEAD') return send(res, 405, {message: 'Read key sets with GET'}, 'Identity')
  if (what === '.well-known/jwks.json') return send(res, 200, await provider.jwks(kind, name), 'GetJwks')
  const issuer = provider.issuerOf(kind, name, origin)
  const base = `${origin}${IDENTITY_PREFIX}${m[1]}/${encodeURIComponent(name)}`
  return send(
    res,
    200,
    {
      issuer,
      jwks_uri: `${base}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256'],
      subject_types_supported: ['public'],
      response_types_supported: ['code', 'token'],
    },
    'GetOpenIdConfiguration',
  )
}

function send(res: ServerResponse, status: number, body: unknown, operation: string): string {
  const text = JSON.stringify(body)
  res.writeHead(status, {'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store'})
  res.end(text)
  return operation
}
