/**
 * The control plane's boundary: what a request must carry before it may reach an API Gateway (v1, v2) or
 * CloudWatch Logs operation of the emulator.
 *
 * A web page can make the developer's browser send a "simple" cross-origin request (POST with
 * `Content-Type: text/plain`, no custom headers) to any port on 127.0.0.1, and a DNS-rebinding page can even
 * read the answers under its own host name. Neither can send an `Authorization` header without a CORS
 * preflight, which this boundary refuses. So every control-plane request must carry AWS SigV4 material
 * (every SDK and CLI sends it; the signature itself is not verified: the emulator accepts any credentials)
 * and a loopback `Host`. The data plane, which serves browsers by design, is dispatched before this check and
 * never reaches control-plane operations.
 */
import type {IncomingMessage} from 'node:http'
import {AwsError} from './aws-error.ts'

/**
 * Host names the control plane answers: `localhost`, `*.localhost` (RFC 6761 keeps them on loopback),
 * `127.0.0.0/8` and `[::1]`, with or without a port. Anything else is a DNS-rebinding or proxy request.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false
  let name = host.trim().toLowerCase()
  if (name.startsWith('[')) {
    const end = name.indexOf(']')
    if (end < 0) return false
    const rest = name.slice(end + 1)
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return false
    return name.slice(1, end) === '::1'
  }
  const colon = name.lastIndexOf(':')
  if (colon >= 0) {
    if (!/^\d{1,5}$/.test(name.slice(colon + 1))) return false
    name = name.slice(0, colon)
  }
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (name === 'localhost' || name.endsWith('.localhost')) return /^[a-z0-9.-]+$/.test(name)
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name)
  return octets?.slice(1).every((o) => Number(o) <= 255) ?? false
}

/** `Credential=<access key id>/<yyyymmdd>/<region>/<service>/aws4_request`. */
const CREDENTIAL_SCOPE = /^[^/\s]+\/\d{8}\/[a-z0-9-]+\/[a-z0-9-]+\/aws4_request$/

/**
 * Why the SigV4 material of a request is missing or malformed, or undefined when it has the shape AWS requires
 * (an `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…` header, or a presigned query
 * string with X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders and X-Amz-Signature).
 */
export function sigV4Problem(
  authorization: string | undefined,
  query: URLSearchParams,
): {kind: 'missing' | 'incomplete'; detail: string} | undefined {
  if (authorization === undefined && query.has('X-Amz-Algorithm')) {
    const missing = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].filter((p) => !query.get(p))
    if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') missing.unshift('X-Amz-Algorithm')
    else if (!missing.includes('X-Amz-Credential') && !CREDENTIAL_SCOPE.test(query.get('X-Amz-Credential')!))
      missing.push('X-Amz-Credential')
    if (missing.length === 0) return undefined
    return {
      kind: 'incomplete',
      detail: `${missing.map((p) => `AWS query-string parameters must include '${p}'.`).join(' ')} Re-examine the query-string parameters.`,
    }
  }
  if (authorization === undefined) return {kind: 'missing', detail: 'no Authorization header'}
  const auth = authorization.trim()
  if (!auth.startsWith('AWS4-HMAC-SHA256 ')) return {kind: 'missing', detail: 'the Authorization header is not AWS SigV4'}
  const parts = new Map<string, string>()
  for (const part of auth.slice('AWS4-HMAC-SHA256 '.length).split(',')) {
    const eq = part.indexOf('=')
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim())
  }
  const problems: string[] = []
  const credential = parts.get('Credential')
  if (!credential || !CREDENTIAL_SCOPE.test(credential)) problems.push("Authorization header requires 'Credential' parameter.")
  if (!parts.get('SignedHeaders')) problems.push("Authorization header requires 'SignedHeaders' parameter.")
  if (!parts.get('Signature')) problems.push("Authorization header requires 'Signature' parameter.")
  return problems.length === 0 ? undefined : {kind: 'incomplete', detail: problems.join(' ')}
}

/**
 * The error a control-plane request is refused with, or undefined when it may pass. `json` is true for the
 * awsJson protocol (CloudWatch Logs), whose missing-token message differs from API Gateway's.
 */
export function checkControlPlaneRequest(req: IncomingMessage, url: URL, json: boolean): AwsError | undefined {
  const host = req.headers.host
  if (!isLoopbackHost(host)) {
    return new AwsError(
      'ForbiddenException',
      `Forbidden: the apigw local emulator answers only loopback host names (localhost, ` +
        `*.localhost, 127.0.0.1, [::1]); Host ${JSON.stringify(host ?? '')} is refused.`,
      403,
    )
  }
  // A CORS preflight: refused without any Access-Control-* header, so the browser never sends the real request.
  if (req.method === 'OPTIONS') return missingToken(json)
  // The health probe of `apigw local status` carries no credentials and reveals nothing but a pid.
  if (url.pathname === '/_apigw/health' && req.method === 'GET') return undefined
  const auth = req.headers.authorization
  const problem = sigV4Problem(Array.isArray(auth) ? auth[0] : auth, url.searchParams)
  if (!problem) return undefined
  if (problem.kind === 'missing') return missingToken(json)
  // AWS common errors: IncompleteSignature, "The request signature does not conform to AWS standards", 400.
  // https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/CommonErrors.html
  return new AwsError('IncompleteSignatureException', problem.detail, 400)
}

/**
 * API Gateway answers an unsigned request 403 `{"message":"Missing Authentication Token"}` with
 * `x-amzn-ErrorType: MissingAuthenticationTokenException` (corpus/aws-ground-truth 17, reference/aws-data-plane.md).
 * The awsJson services (CloudWatch Logs) answer `MissingAuthenticationTokenException` with the message
 * "Request is missing Authentication Token" (AWS common errors: MissingAuthenticationToken, HTTP 403).
 */
function missingToken(json: boolean): AwsError {
  return new AwsError(
    'MissingAuthenticationTokenException',
    json ? 'Request is missing Authentication Token' : 'Missing Authentication Token',
    403,
  )
}
