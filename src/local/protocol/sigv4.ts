/**
 * SigV4 verification for the data plane's AWS_IAM methods: the Authorization header's shape (boundary.ts's
 * check, shared with the control plane), the access key among the credentials the emulator knows, the request
 * date within AWS's 5 minutes, then the signature recomputed by @smithy/signature-v4 over the signed headers
 * and compared. No hand-written SigV4: the hash adapter (core/sigv4-hash.ts) only hands node:crypto to the signer.
 * A request verified before and sent again byte for byte (a hot @connections sender's) is known by its Authorization
 * header and answered without parsing or signing (verifyRepeat): its key's secret and its date are checked again.
 */
import {createHash, timingSafeEqual} from 'node:crypto'
import {SignatureV4} from '@smithy/signature-v4'
import {NodeSha256} from '../../core/sigv4-hash.ts'
import {sigV4Problem} from './boundary.ts'

/** A credential pair the emulator accepts (`local start --credentials FILE`; default `test`/`test`). */
export type KnownCredential = {accessKeyId: string; secretAccessKey: string; sessionToken?: string; profile: string; accountId?: string}

export type SignedRequest = {
  method: string
  /** The request target as sent: path and query (`/dev/pets?a=1`). */
  target: string
  /** Header pairs as sent (any casing, repeated names allowed). */
  headers: Array<[string, string]>
  body: Uint8Array
}

export type SigV4Outcome =
  | {ok: true; credential: KnownCredential; region: string}
  | {
      ok: false
      /** missing: no SigV4 at all; incomplete: malformed; unknown-key; skew; mismatch: the signature differs. */
      problem: 'missing' | 'incomplete' | 'unknown-key' | 'skew' | 'mismatch'
      message: string
    }

const FIVE_MINUTES = 5 * 60 * 1000

const MISMATCH: SigV4Outcome = {
  ok: false,
  problem: 'mismatch',
  message:
    'The request signature we calculated does not match the signature you provided. ' +
    'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
}

/** A signature dated over 5 minutes after `now` (both forms answer it alike). */
function notYetCurrent(dateText: string, signedAt: Date, now: Date): SigV4Outcome | undefined {
  if (signedAt.getTime() <= now.getTime() + FIVE_MINUTES) return undefined
  const limit = amzDate(new Date(now.getTime() + FIVE_MINUTES))
  return {
    ok: false,
    problem: 'skew',
    message: `Signature not yet current: ${dateText} is still later than ${limit} (${amzDate(now)} + 5 min.)`,
  }
}

/** `20261205T111400Z`, SigV4's date format. */
export function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
}

function parseAmzDate(s: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)
  if (!m) return undefined
  const d = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!))
  return Number.isNaN(d.getTime()) ? undefined : d
}

/**
 * A request as node:http hands it over: header names and values alternating, as sent (IncomingMessage.rawHeaders).
 */
export type RawSignedRequest = {method: string; target: string; rawHeaders: readonly string[]; body: Uint8Array}

/** A header-signed request verified before: all it carried, to know a repeat of it, and what is checked again. */
type Verified = {
  method: string
  target: string
  /** Every header as sent, names and values alternating. */
  headers: readonly string[]
  /** The body (a copy) up to INLINE_BODY_BYTES, else its SHA-256 in hex. */
  body: Buffer | string
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string | undefined
  region: string
  dateText: string
  signedAt: Date
}

/**
 * Header-signed requests verified, by their Authorization header (which holds the signature): at most 2,048, each
 * of at most 4,096 characters of target and headers (an SDK's request has about 1,000), so they stay under a few MB.
 */
const repeats = new Map<string, Verified>()
const REPEATS = 2048
const REPEAT_CHARS = 4096

/** Bodies up to this size are kept as they are to know a repeat; longer ones by their SHA-256. */
const INLINE_BODY_BYTES = 1024

/**
 * The outcome of a header-signed request verified before, repeated byte for byte (the same method, target, headers in
 * the same order, body), without parsing or signing it again: its key must still be known with the same secret and
 * token, and its date is checked against `now` as a first request's is. Undefined when it is no such repeat (or its
 * key changed): verifySigV4 decides then.
 */
export function verifyRepeat(
  request: RawSignedRequest,
  credentials: ReadonlyMap<string, KnownCredential>,
  now: Date,
): SigV4Outcome | undefined {
  if (repeats.size === 0) return undefined
  const raw = request.rawHeaders
  let authorization: string | undefined
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!
    if (name.length === 13 && name.toLowerCase() === 'authorization') {
      authorization = raw[i + 1]!
      break
    }
  }
  const seen = authorization === undefined ? undefined : repeats.get(authorization)
  if (!seen || !isRepeat(seen, request)) return undefined
  return repeatOutcome(seen, credentials, now)
}

function isRepeat(seen: Verified, request: RawSignedRequest): boolean {
  const raw = request.rawHeaders
  if (seen.method !== request.method || seen.target !== request.target || seen.headers.length !== raw.length) return false
  for (let i = 0; i < raw.length; i++) if (seen.headers[i] !== raw[i]) return false
  const body = request.body
  if (typeof seen.body !== 'string') return seen.body.equals(body)
  return body.length > INLINE_BODY_BYTES && createHash('sha256').update(body).digest('hex') === seen.body
}

/** Remember a header-signed request verified now (verifyRepeat knows its repeats). */
function rememberVerified(
  request: SignedRequest,
  authorization: string,
  bodyHash: string,
  check: Omit<Verified, 'method' | 'target' | 'headers' | 'body'>,
) {
  const headers: string[] = []
  let chars = request.target.length
  for (const [k, v] of request.headers) {
    headers.push(k, v)
    chars += k.length + v.length
  }
  if (chars > REPEAT_CHARS) return
  const body = request.body.length <= INLINE_BODY_BYTES ? Buffer.from(request.body) : bodyHash
  if (repeats.size >= REPEATS) repeats.clear()
  repeats.set(authorization, {method: request.method, target: request.target, headers, body, ...check})
}

function repeatOutcome(seen: Verified | undefined, credentials: ReadonlyMap<string, KnownCredential>, now: Date): SigV4Outcome | undefined {
  if (!seen) return undefined
  const credential = credentials.get(seen.accessKeyId)
  if (!credential || credential.secretAccessKey !== seen.secretAccessKey || credential.sessionToken !== seen.sessionToken) return undefined
  return dateProblem(seen.dateText, seen.signedAt, now) ?? {ok: true, credential, region: seen.region}
}

/** A header signature's date over 5 minutes before or after `now` (AWS's skew), else undefined. */
function dateProblem(dateText: string, signedAt: Date, now: Date): SigV4Outcome | undefined {
  if (signedAt.getTime() < now.getTime() - FIVE_MINUTES) {
    const limit = amzDate(new Date(now.getTime() - FIVE_MINUTES))
    return {ok: false, problem: 'skew', message: `Signature expired: ${dateText} is now earlier than ${limit} (${amzDate(now)} - 5 min.)`}
  }
  return notYetCurrent(dateText, signedAt, now)
}

/** Verify a request's SigV4 signature against the known credentials at time `now`. */
export async function verifySigV4(
  request: SignedRequest,
  credentials: ReadonlyMap<string, KnownCredential>,
  now: Date,
): Promise<SigV4Outcome> {
  if (repeats.size > 0) {
    const repeat = verifyRepeat({...request, rawHeaders: request.headers.flat()}, credentials, now)
    if (repeat) return repeat
  }
  const header = (name: string) => request.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v)
  const q = request.target.indexOf('?')
  const path = q === -1 ? request.target : request.target.slice(0, q)
  const query = new URLSearchParams(q === -1 ? '' : request.target.slice(q + 1))
  const authorization = header('authorization')[0]
  if (authorization === undefined && query.has('X-Amz-Signature')) return verifyPresigned(request, path, query, credentials, now)
  const shape = sigV4Problem(authorization, new URLSearchParams())
  const dateHeader = header('x-amz-date')[0]
  if (shape?.kind === 'missing' && authorization === undefined)
    return {ok: false, problem: 'missing', message: 'Missing Authentication Token'}
  if (shape || dateHeader === undefined) {
    // AWS lists every missing part, then echoes the header it could not read.
    const parts = shape ? [shape.detail.replace(/^the Authorization header is not AWS SigV4$/, incompleteDetail())] : []
    if (dateHeader === undefined) parts.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
    return {ok: false, problem: 'incomplete', message: `${parts.join(' ')} Authorization=${authorization ?? ''}`}
  }
  const fields = new Map<string, string>()
  for (const part of authorization!.trim().slice('AWS4-HMAC-SHA256 '.length).split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const [accessKeyId, , region, service] = fields.get('Credential')!.split('/')
  const signedHeaders = fields
    .get('SignedHeaders')!
    .split(';')
    .map((h) => h.trim().toLowerCase())
  const signature = fields.get('Signature')!
  const credential = credentials.get(accessKeyId!)
  if (!credential) return {ok: false, problem: 'unknown-key', message: 'The security token included in the request is invalid.'}
  if (service !== 'execute-api')
    return {ok: false, problem: 'mismatch', message: "Credential should be scoped to correct service: 'execute-api'. "}
  const signedAt = parseAmzDate(dateHeader)
  if (!signedAt) return {ok: false, problem: 'incomplete', message: `Invalid X-Amz-Date ${dateHeader}: use the form 20260101T000000Z`}
  const skew = dateProblem(dateHeader, signedAt, now)
  if (skew) return skew
  const headers: Record<string, string> = {}
  for (const name of signedHeaders) {
    const values = header(name)
    if (values.length > 0) headers[name] = values.join(',')
  }
  const queryRecord: Record<string, string | string[]> = {}
  for (const [k, v] of query) {
    const prev = queryRecord[k]
    queryRecord[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  const sessionToken = header('x-amz-security-token')[0] ?? credential.sessionToken
  // The signature is a pure function of what it signs: one verified before, with the same key, request and body, is
  // not recomputed (a hot @connections sender repeats its requests; the date was checked above, now).
  const bodyHash = createHash('sha256').update(request.body).digest('hex')
  const memo = [
    signature,
    credential.secretAccessKey,
    sessionToken ?? '',
    region,
    request.method,
    request.target,
    dateHeader,
    signedHeaders.join(';'),
    JSON.stringify(headers),
    bodyHash,
  ].join('\n')
  const remember = () => {
    const {secretAccessKey, sessionToken: keyToken} = credential
    const check = {accessKeyId: accessKeyId!, secretAccessKey, sessionToken: keyToken, region: region!, dateText: dateHeader, signedAt}
    rememberVerified(request, authorization!, bodyHash, check)
  }
  if (verified.has(memo)) {
    remember()
    return {ok: true, credential, region: region!}
  }
  // Clients differ on encoding the path once more (SDKs and botocore do, curl signs it as sent): either verifies.
  for (const uriEscapePath of [true, false]) {
    const signer = signerFor(credential, sessionToken, region!, uriEscapePath)
    const signed = await signer.sign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: (headers.host ?? 'localhost').replace(/:\d+$/, ''),
        path,
        query: queryRecord,
        headers: {...headers},
        body: request.body,
      },
      {signingDate: signedAt, signableHeaders: new Set(signedHeaders)},
    )
    const computed = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1]
    if (computed && computed.length === signature.length && timingSafeEqual(Buffer.from(computed), Buffer.from(signature))) {
      if (verified.size >= 10_000) verified.clear()
      verified.add(memo)
      remember()
      return {ok: true, credential, region: region!}
    }
  }
  return MISMATCH
}

/** Signatures verified, by everything they sign (verifySigV4's memo). */
const verified = new Set<string>()

const signers = new Map<string, SignatureV4>()

/** One signer per key, token, region and path escaping, reused across requests (a hot @connections sender's are many). */
function signerFor(credential: KnownCredential, sessionToken: string | undefined, region: string, uriEscapePath: boolean): SignatureV4 {
  const key = `${credential.accessKeyId}\n${credential.secretAccessKey}\n${sessionToken ?? ''}\n${region}\n${uriEscapePath}`
  let signer = signers.get(key)
  if (!signer) {
    if (signers.size >= 256) signers.clear()
    signer = new SignatureV4({
      credentials: {
        accessKeyId: credential.accessKeyId,
        secretAccessKey: credential.secretAccessKey,
        ...(sessionToken ? {sessionToken} : {}),
      },
      region,
      service: 'execute-api',
      sha256: NodeSha256,
      applyChecksum: false,
      uriEscapePath,
    })
    signers.set(key, signer)
  }
  return signer
}

function incompleteDetail(): string {
  return (
    "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
    "Authorization header requires 'SignedHeaders' parameter."
  )
}

/**
 * A presigned URL (SigV4 in the query string): the same checks, with X-Amz-Expires bounding the URL's life, and the
 * signature recomputed by the signer's own `presign` over the query without X-Amz-Signature.
 */
async function verifyPresigned(
  request: SignedRequest,
  path: string,
  query: URLSearchParams,
  credentials: ReadonlyMap<string, KnownCredential>,
  now: Date,
): Promise<SigV4Outcome> {
  const shape = sigV4Problem(undefined, query)
  const expires = Number(query.get('X-Amz-Expires') ?? '')
  if (shape || !Number.isInteger(expires) || expires < 1 || expires > 604_800) {
    const detail = shape?.detail ?? "AWS query-string parameters must include 'X-Amz-Expires' (1 to 604800 seconds)."
    return {ok: false, problem: 'incomplete', message: detail}
  }
  const [accessKeyId, , region, service] = query.get('X-Amz-Credential')!.split('/')
  const credential = credentials.get(accessKeyId!)
  if (!credential) return {ok: false, problem: 'unknown-key', message: 'The security token included in the request is invalid.'}
  if (service !== 'execute-api')
    return {ok: false, problem: 'mismatch', message: "Credential should be scoped to correct service: 'execute-api'. "}
  const dateText = query.get('X-Amz-Date')!
  const signedAt = parseAmzDate(dateText)
  if (!signedAt) return {ok: false, problem: 'incomplete', message: `Invalid X-Amz-Date ${dateText}: use the form 20260101T000000Z`}
  if (now.getTime() > signedAt.getTime() + expires * 1000) {
    return {
      ok: false,
      problem: 'skew',
      message: `Signature expired: ${dateText} is now earlier than ${amzDate(new Date(now.getTime() - expires * 1000))}`,
    }
  }
  const early = notYetCurrent(dateText, signedAt, now)
  if (early) return early
  const signedHeaders = query
    .get('X-Amz-SignedHeaders')!
    .split(';')
    .map((h) => h.trim().toLowerCase())
  const headers: Record<string, string> = {}
  for (const name of signedHeaders) {
    const values = request.headers.filter(([k]) => k.toLowerCase() === name).map(([, v]) => v)
    if (values.length > 0) headers[name] = values.join(',')
  }
  const rest: Record<string, string | string[]> = {}
  const own = new Set(['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'])
  for (const [k, v] of query) {
    if (own.has(k) || k === 'X-Amz-Security-Token') continue
    const prev = rest[k]
    rest[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v]
  }
  const sessionToken = query.get('X-Amz-Security-Token') ?? credential.sessionToken
  const given = query.get('X-Amz-Signature')!
  for (const uriEscapePath of [true, false]) {
    const signer = signerFor(credential, sessionToken, region!, uriEscapePath)
    const presigned = await signer.presign(
      {
        method: request.method,
        protocol: 'http:',
        hostname: (headers.host ?? 'localhost').replace(/:\d+$/, ''),
        path,
        query: rest,
        headers,
        body: request.body,
      },
      {signingDate: signedAt, expiresIn: expires, signableHeaders: new Set(signedHeaders)},
    )
    const computed = String(presigned.query?.['X-Amz-Signature'] ?? '')
    if (computed.length === given.length && timingSafeEqual(Buffer.from(computed), Buffer.from(given))) {
      return {ok: true, credential, region: region!}
    }
  }
  return MISMATCH
}
