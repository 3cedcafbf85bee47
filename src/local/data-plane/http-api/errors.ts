/**
 * What an HTTP API answers when the gateway itself answers: `{"message": …}` with AWS's status and text
 * (shared reference, "HTTP API errors"). HTTP APIs send no `x-amzn-ErrorType`.
 */
import type {HttpApiResponse} from './context.ts'

export const HTTP_API_ERRORS = {
  NOT_FOUND: {status: 404, message: 'Not Found'},
  UNAUTHORIZED: {status: 401, message: 'Unauthorized'},
  FORBIDDEN: {status: 403, message: 'Forbidden'},
  TOO_LARGE: {status: 413, message: 'Request Entity Too Large'},
  THROTTLED: {status: 429, message: 'Too Many Requests'},
  INTERNAL: {status: 500, message: 'Internal Server Error'},
  NOT_SUPPORTED: {status: 501, message: 'Not Implemented'},
  // AWS answers an integration that outlasts its timeout with 503 (widely reported; not in the docs read).
  TIMEOUT: {status: 503, message: 'Service Unavailable'},
} as const

export type HttpApiErrorType = keyof typeof HTTP_API_ERRORS

/** A step's failure: the gateway answers `type`; `detail` goes to `$context.integrationErrorMessage` / logs. */
export class HttpApiError extends Error {
  readonly type: HttpApiErrorType
  readonly detail: string | undefined
  /** Headers of the answer (the JWT authorizer's `www-authenticate`). */
  readonly headers: Array<[string, string]>
  constructor(type: HttpApiErrorType, detail?: string, message?: string, headers: Array<[string, string]> = []) {
    super(message ?? HTTP_API_ERRORS[type].message)
    this.name = 'HttpApiError'
    this.type = type
    this.detail = detail
    this.headers = headers
  }
}

export function errorResponse(error: HttpApiError): HttpApiResponse {
  return {
    status: HTTP_API_ERRORS[error.type].status,
    headers: [['content-type', 'application/json'], ...error.headers],
    body: Buffer.from(JSON.stringify({message: error.message})),
  }
}

/** A part the emulator does not emulate: 501 naming it (src/local/LIMITATIONS.md). */
export function notSupported(what: string): HttpApiError {
  return new HttpApiError('NOT_SUPPORTED', what, `${what} is not supported by the apigw local emulator yet (see LIMITATIONS.md).`)
}
