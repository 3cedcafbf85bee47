/**
 * An error the emulator answers the way AWS does: the status, an `x-amzn-ErrorType: <code>` header and a
 * body `{"message": …}` (v1, v2) or `{"__type": code, "message": …}` (CloudWatch Logs, awsJson1_1).
 * Messages are copied verbatim from AWS (shared reference, corpus/aws-ground-truth).
 */
export class AwsError extends Error {
  readonly code: string
  readonly status: number
  /** Extra members written into the JSON body (v2 NotFoundException has `resourceType`). */
  readonly extra: Record<string, unknown> | undefined
  /** Extra response headers (Retry-After on 429s). */
  readonly headers: Record<string, string> | undefined

  constructor(
    code: string,
    message: string,
    status = 400,
    options: {extra?: Record<string, unknown>; headers?: Record<string, string>} = {},
  ) {
    super(message)
    this.name = 'AwsError'
    this.code = code
    this.status = status
    this.extra = options.extra
    this.headers = options.headers
  }
}

export const notFound = (message: string, extra?: Record<string, unknown>): AwsError =>
  new AwsError('NotFoundException', message, 404, extra ? {extra} : {})
export const badRequest = (message: string): AwsError => new AwsError('BadRequestException', message, 400)
export const conflict = (message: string): AwsError => new AwsError('ConflictException', message, 409)
/** A known AWS operation the emulator does not implement yet: always a 501 naming it (LIMITATIONS.md). */
export const notImplemented = (operation: string): AwsError =>
  new AwsError(
    'NotImplementedException',
    `The operation ${operation} is not supported by the apigw local emulator yet (see LIMITATIONS.md).`,
    501,
  )
