/**
 * AWS's gateway responses (REST): every response type with its default status and error type, and the
 * error a handler throws to end the chain with one of them. Statuses from the developer guide's gateway
 * response types table; error types as AWS sends them in `x-amzn-ErrorType` (shared reference).
 * DEFAULT_4XX / DEFAULT_5XX have no status of their own.
 */

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_PARAMETERS'
  | 'BAD_REQUEST_BODY'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED'

export type GatewayResponseDefault = {status: number; errorType: string; message: string}

/** Default status, `x-amzn-ErrorType` and message of each type. */
export const GATEWAY_RESPONSES: Record<Exclude<GatewayResponseType, 'DEFAULT_4XX' | 'DEFAULT_5XX'>, GatewayResponseDefault> = {
  ACCESS_DENIED: {status: 403, errorType: 'AccessDeniedException', message: 'User is not authorized to access this resource'},
  API_CONFIGURATION_ERROR: {status: 500, errorType: 'InternalServerErrorException', message: 'Internal server error'},
  AUTHORIZER_CONFIGURATION_ERROR: {status: 500, errorType: 'AuthorizerConfigurationException', message: 'Internal server error'},
  AUTHORIZER_FAILURE: {status: 500, errorType: 'AuthorizerFailureException', message: 'Internal server error'},
  BAD_REQUEST_PARAMETERS: {status: 400, errorType: 'BadRequestException', message: 'Bad request'},
  BAD_REQUEST_BODY: {status: 400, errorType: 'BadRequestException', message: 'Invalid request body'},
  EXPIRED_TOKEN: {status: 403, errorType: 'ExpiredTokenException', message: 'The security token included in the request is expired'},
  INTEGRATION_FAILURE: {status: 504, errorType: 'InternalServerErrorException', message: 'Internal server error'},
  INTEGRATION_TIMEOUT: {status: 504, errorType: 'InternalServerErrorException', message: 'Endpoint request timed out'},
  INVALID_API_KEY: {status: 403, errorType: 'ForbiddenException', message: 'Forbidden'},
  INVALID_SIGNATURE: {
    status: 403,
    errorType: 'InvalidSignatureException',
    message: 'The request signature we calculated does not match the signature you provided',
  },
  MISSING_AUTHENTICATION_TOKEN: {status: 403, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token'},
  QUOTA_EXCEEDED: {status: 429, errorType: 'LimitExceededException', message: 'Limit Exceeded'},
  REQUEST_TOO_LARGE: {status: 413, errorType: 'RequestTooLargeException', message: 'Request Too Long'},
  RESOURCE_NOT_FOUND: {status: 404, errorType: 'ResourceNotFoundException', message: 'Not Found'},
  THROTTLED: {status: 429, errorType: 'TooManyRequestsException', message: 'Too Many Requests'},
  UNAUTHORIZED: {status: 401, errorType: 'UnauthorizedException', message: 'Unauthorized'},
  UNSUPPORTED_MEDIA_TYPE: {status: 415, errorType: 'UnsupportedMediaTypeException', message: 'Unsupported Media Type'},
  WAF_FILTERED: {status: 403, errorType: 'WafFilteredException', message: 'Forbidden'},
}

/** A chain step's failure, answered as the gateway response of `type` (customised or AWS's default). */
export class GatewayError extends Error {
  readonly type: Exclude<GatewayResponseType, 'DEFAULT_4XX' | 'DEFAULT_5XX'>
  /** Where AWS sends a plain 5xx without a gateway response (a malformed Lambda proxy answer: 502). */
  readonly statusOverride: number | undefined
  /** Where AWS answers `{"message": null}` (an authorizer's configuration error). */
  readonly nullMessage: boolean
  /** Where AWS sends another `x-amzn-ErrorType` than the type's (IncompleteSignatureException). */
  readonly errorType: string | undefined
  /** Request validation: what was wrong in detail (`$context.error.validationErrorString`). */
  readonly validationErrorString: string | undefined
  constructor(
    type: Exclude<GatewayResponseType, 'DEFAULT_4XX' | 'DEFAULT_5XX'>,
    message?: string,
    options: {status?: number; nullMessage?: boolean; errorType?: string; validationErrorString?: string} = {},
  ) {
    super(message ?? GATEWAY_RESPONSES[type].message)
    this.name = 'GatewayError'
    this.type = type
    this.statusOverride = options.status
    this.nullMessage = options.nullMessage ?? false
    this.errorType = options.errorType
    this.validationErrorString = options.validationErrorString
  }
}

/** A part of the data plane the emulator does not emulate yet: 501 naming it (src/local/LIMITATIONS.md). */
export class NotSupportedError extends Error {
  constructor(what: string) {
    super(`${what} is not supported by the apigw local emulator yet (see LIMITATIONS.md).`)
    this.name = 'NotSupportedError'
  }
}
