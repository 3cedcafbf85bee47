/**
 * SDK errors → CliError. Every port in src/aws/ runs its calls through `mapAwsError`, so services and
 * commands only ever see CliErrors with a stable code, a hint, and the SDK error kept as `cause`.
 */
import {CliError, type ErrorCode} from '../errors.ts'

export type AwsErrorContext = {
  /** The AWS operation that failed (`PutRestApi`). */
  operation: string
  /** What was asked for, for NotFound messages (`REST API a1b2c3`, `stage prod`). */
  resource?: string
  /** A next step for NotFound, when the caller knows a better one than the default. */
  notFoundHint?: string
}

type SdkError = Error & {
  name: string
  code?: string
  $metadata?: {httpStatusCode?: number; requestId?: string}
  $fault?: 'client' | 'server'
  $response?: {headers?: Record<string, string>}
}

const CREDENTIAL_ERRORS = new Set([
  'ExpiredTokenException',
  'ExpiredToken',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'InvalidClientTokenId',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'CredentialsProviderError',
  'TokenProviderError',
  'SignatureDoesNotMatch',
])
const THROTTLE_ERRORS = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'ThrottledException',
])
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
])

/** Where the SDK's default credential chain looks (https://docs.aws.amazon.com/sdkref/latest/guide/standardized-credentials.html). */
const NO_CREDENTIALS_SEARCHED =
  'the SDK looked in AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the profile in ~/.aws/credentials and ~/.aws/config, SSO, ' +
  'and container and instance roles'
const NO_CREDENTIALS_HINT =
  'Set credentials one of these ways: `aws configure` (writes the default profile), `aws configure sso` then ' +
  '`aws sso login --profile NAME` and --profile NAME (or AWS_PROFILE=NAME), or the environment variables ' +
  'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (with AWS_SESSION_TOKEN for temporary ones). ' +
  'The local emulator needs none: add --local.'
const NO_REGION_HINT =
  'Pass --region REGION (e.g. --region us-east-1), set AWS_REGION (or AWS_DEFAULT_REGION), or give the profile a region: ' +
  '`aws configure set region us-east-1` (add --profile NAME for another profile). The local emulator needs none: add --local.'

/** The HTTP status of an SDK error, when it got that far. */
export function statusOf(error: unknown): number | undefined {
  return (error as SdkError)?.$metadata?.httpStatusCode
}

/** True for throttling answers: 429 TooManyRequests, LimitExceeded (API Gateway throttles with it too). */
export function isThrottle(error: unknown): boolean {
  const e = error as SdkError
  return THROTTLE_ERRORS.has(e?.name) || e?.name === 'LimitExceededException' || statusOf(error) === 429
}

/** True for errors worth another try: throttling, 5xx, and dropped or refused connections. */
export function isRetryable(error: unknown): boolean {
  if (isThrottle(error)) return true
  // Our own timeouts are final: the call may have been acted on, and a silent endpoint stays silent.
  if (isTimeout(error)) return false
  const status = statusOf(error)
  if (status !== undefined && status >= 500) return true
  return isNetworkError(error)
}

/** True for a connect or read timeout of the HTTP handler (--connect-timeout, --read-timeout). */
export function isTimeout(error: unknown): boolean {
  const e = error as SdkError
  return e?.name === 'TimeoutError' && /timed out|did not establish a connection/i.test(e.message ?? '')
}

export function isNetworkError(error: unknown): boolean {
  const e = error as SdkError
  if (!e || typeof e !== 'object') return false
  if (NETWORK_CODES.has(e.code ?? '') || e.name === 'TimeoutError' || e.name === 'RequestTimeout') return true
  const cause = (e as {cause?: unknown}).cause
  return cause !== undefined && cause !== e && isNetworkError(cause)
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), as milliseconds. */
export function retryAfterMs(error: unknown, now: number): number | undefined {
  const headers = (error as SdkError)?.$response?.headers ?? {}
  const raw = headers['retry-after'] ?? headers['Retry-After']
  if (raw === undefined || raw === '') return undefined
  const seconds = Number(raw)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const at = Date.parse(raw)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Turn whatever the SDK threw into a CliError (a CliError passes through unchanged). */
export function mapAwsError(error: unknown, context: AwsErrorContext): CliError {
  if (error instanceof CliError) return error
  const e = error as SdkError
  const name = e?.name ?? 'Error'
  const message = (e?.message ?? String(error)).trim()
  const status = statusOf(error)
  const what = `${context.operation}${context.resource ? ` (${context.resource})` : ''}`
  const details = {
    operation: context.operation,
    awsError: name,
    ...(status === undefined ? {} : {httpStatus: status}),
    ...(e?.$metadata?.requestId ? {requestId: e.$metadata.requestId} : {}),
  }
  const make = (code: ErrorCode, text: string, hint: string) => new CliError(code, text, {hint, cause: error, details})
  // Nothing to send with, before any call left the machine: say what is missing and the ways to set it.
  if (name === 'CredentialsProviderError' && /could not load credentials from any providers/i.test(message)) {
    return make('AWS_CREDENTIALS', `${what}: no AWS credentials found (${NO_CREDENTIALS_SEARCHED}).`, NO_CREDENTIALS_HINT)
  }
  if (/^region is missing$/i.test(message)) return make('AWS_NO_REGION', `${what}: no AWS Region is set.`, NO_REGION_HINT)
  if (name === 'NotFoundException' || name === 'ResourceNotFoundException' || status === 404) {
    return make(
      'AWS_NOT_FOUND',
      `${what}: ${message || 'not found'}.`.replace(/\.\.$/, '.'),
      context.notFoundHint ?? 'Check the API name, the stage and --region; `apigw status` lists what exists.',
    )
  }
  if (CREDENTIAL_ERRORS.has(name) || /credential|security token|expired/i.test(name)) {
    return make(
      'AWS_CREDENTIALS',
      `${what}: AWS refused the credentials (${name}): ${message}`,
      'Refresh your credentials (`aws sso login`, new session keys) or pick another --profile.',
    )
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || status === 403) {
    return make(
      'AWS_ACCESS_DENIED',
      `${what}: access denied: ${message}`,
      `Grant the caller apigateway:${context.operation.startsWith('Get') ? 'GET' : 'the write actions'} ` +
        `on this API (IAM), or use --profile with a role that has them.`,
    )
  }
  if (isThrottle(error)) {
    return make(
      'AWS_THROTTLED',
      `${what}: AWS kept throttling the call after retries (${name}).`,
      'Wait a minute and run the command again; other tools calling API Gateway in this account share the same quota.',
    )
  }
  if (name === 'ConflictException' || status === 409) {
    return make(
      'AWS_CONFLICT',
      `${what}: ${message}`,
      'Another change to the same resource is in progress or it already exists; run the command again, or check with `apigw status`.',
    )
  }
  if (name === 'BadRequestException' || name === 'ValidationException' || status === 400) {
    return make(
      'AWS_BAD_REQUEST',
      `${what}: ${message}`,
      'AWS refused the request as sent; run with --debug for the details, and check the spec and apigw.yaml.',
    )
  }
  if (status !== undefined && status >= 500) {
    return make(
      'AWS_UNAVAILABLE',
      `${what}: AWS answered ${status} (${name}) after retries.`,
      'The service is having trouble; run the command again in a little while.',
    )
  }
  if (isTimeout(error)) {
    const connect = /did not establish a connection/i.test(message)
    return make(
      'AWS_TIMEOUT',
      connect
        ? `${what}: no connection to the endpoint within the connect timeout.`
        : `${what}: the endpoint accepted the call but sent no answer within the read timeout.`,
      connect
        ? 'Check the network, --endpoint-url and --region; raise the limit with --connect-timeout SECONDS (or APIGW_CONNECT_TIMEOUT).'
        : 'Check that --endpoint-url points at API Gateway (or the emulator); raise ' +
            'the limit with --read-timeout SECONDS (or APIGW_READ_TIMEOUT) for slow calls.',
    )
  }
  if (isNetworkError(error)) {
    return make(
      'AWS_UNAVAILABLE',
      `${what}: the connection failed (${e.code ?? name}: ${message}).`,
      'Check the network, --endpoint-url and --region; with --local, that the emulator is running.',
    )
  }
  return make('AWS_ERROR', `${what}: ${name}: ${message}`, 'Run the command again with --debug for the details.')
}
