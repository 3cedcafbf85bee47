/**
 * Typed problems of reading a spec or a config file. `core/` never builds CLI errors: it throws an
 * `InputProblem` (a code from the list below, one sentence naming the file and line, a hint), and the
 * service layer turns it into a CliError with the same code (every code here is an input error, exit 3).
 * The emulator's importers turn it into AWS's BadRequestException.
 */
export type InputProblemCode =
  | 'SPEC_NOT_FOUND'
  | 'SPEC_REF_NOT_FOUND'
  | 'SPEC_REF_OUTSIDE'
  | 'SPEC_REMOTE_REF'
  | 'SPEC_PARSE_ERROR'
  | 'SPEC_DUPLICATE_KEY'
  | 'SPEC_TOO_DEEP'
  | 'SPEC_ALIAS_LIMIT'
  | 'SPEC_UNKNOWN_TAG'
  | 'SPEC_VERSION'
  | 'SPEC_INVALID'
  | 'CONFIG_NOT_FOUND'
  | 'CONFIG_PARSE_ERROR'
  | 'CONFIG_DUPLICATE_KEY'
  | 'CONFIG_TOO_DEEP'
  | 'CONFIG_ALIAS_LIMIT'
  | 'CONFIG_UNKNOWN_TAG'
  | 'CONFIG_INVALID'
  | 'FILE_EMPTY'
  | 'FILE_BINARY'
  | 'FILE_NOT_UTF8'
  | 'FILE_IS_DIRECTORY'
  | 'FILE_NOT_REGULAR'
  | 'FILE_TOO_LARGE'
  | 'FILE_UNREADABLE'

export type InputProblemDetails = {file?: string; line?: number; column?: number; key?: string; ref?: string}

/** A spec or config problem, thrown by `core/spec` and `core/config`. */
export class InputProblem extends Error {
  readonly code: InputProblemCode
  readonly hint: string
  readonly details: InputProblemDetails | undefined

  constructor(code: InputProblemCode, message: string, options: {hint: string; details?: InputProblemDetails; cause?: unknown}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'InputProblem'
    this.code = code
    this.hint = options.hint
    this.details = options.details
  }
}

export function isInputProblem(error: unknown): error is InputProblem {
  return error instanceof InputProblem
}

/** Bytes a spec, a referenced file or apigw.yaml may have (documented in the README). */
export const MAX_SOURCE_BYTES = 64 * 1024 * 1024

/** Nesting depth a spec or config may have: real specs stay far below; deeper is hostile or broken. */
export const MAX_NESTING_DEPTH = 1000
