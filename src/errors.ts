/**
 * One error class for the whole CLI. Every failure a user can cause or meet is a CliError with a stable
 * code, a one-sentence message, a hint (the next step) and an exit code derived from the code's family.
 */
export const EXIT = {
  OK: 0,
  GATE: 1,
  USAGE: 2,
  INPUT: 3,
  AWS: 4,
  LOCAL: 5,
  BUG: 70,
  CANCELLED: 130,
} as const

export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** Error codes, grouped by the exit code they carry. Codes are permanent: add, never rename. */
const CODE_FAMILIES: Record<string, ExitCode> = {
  GATE_FAILED: EXIT.GATE,
  VALIDATION_FAILED: EXIT.GATE,
  BREAKING_CHANGES: EXIT.GATE,
  USAGE: EXIT.USAGE,
  NON_INTERACTIVE: EXIT.USAGE,
  API_REQUIRED: EXIT.USAGE,
  UNKNOWN_API: EXIT.USAGE,
  UNKNOWN_STAGE: EXIT.USAGE,
  NOT_SUPPORTED: EXIT.USAGE,
  CANCELLED: EXIT.CANCELLED,
  AWS_ERROR: EXIT.AWS,
  AWS_NOT_FOUND: EXIT.AWS,
  AWS_CONFLICT: EXIT.AWS,
  AWS_BAD_REQUEST: EXIT.AWS,
  AWS_ACCESS_DENIED: EXIT.AWS,
  AWS_CREDENTIALS: EXIT.AWS,
  AWS_THROTTLED: EXIT.AWS,
  AWS_UNAVAILABLE: EXIT.AWS,
  AWS_TIMEOUT: EXIT.AWS,
  AWS_LIMIT_EXCEEDED: EXIT.AWS,
  AWS_AMBIGUOUS: EXIT.AWS,
  LOCAL_PORT_IN_USE: EXIT.LOCAL,
  LOCAL_STORE: EXIT.LOCAL,
  LOCAL_NOT_RUNNING: EXIT.LOCAL,
  INTERNAL: EXIT.BUG,
}

export function exitCodeFor(code: string): ExitCode {
  const known = CODE_FAMILIES[code]
  if (known !== undefined) return known
  if (code.startsWith('AWS_')) return EXIT.AWS
  if (code.startsWith('LOCAL_')) return EXIT.LOCAL
  // SPEC_*, CONFIG_*, TEMPLATE_*, FILE_* and every other input problem.
  return EXIT.INPUT
}

export type CliErrorOptions = {
  hint?: string
  cause?: unknown
  details?: Record<string, unknown>
  /** Overrides the exit code derived from the code (rare: a gate that fails with a custom code). */
  exitCode?: ExitCode
}

export class CliError extends Error {
  readonly code: string
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined
  readonly exitCode: ExitCode

  constructor(code: string, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'CliError'
    this.code = code
    this.hint = options.hint
    this.details = options.details
    this.exitCode = options.exitCode ?? exitCodeFor(code)
  }

  toJSON(): {code: string; message: string; hint?: string; details?: Record<string, unknown>} {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? {hint: this.hint} : {}),
      ...(this.details ? {details: this.details} : {}),
    }
  }
}

export function isCliError(error: unknown): error is CliError {
  return error instanceof CliError
}

/** A path the tool does not handle yet: a clear usage error, listed in LIMITATIONS.md. */
export function notSupported(what: string, hint?: string): CliError {
  return new CliError('NOT_SUPPORTED', `${what} is not supported yet.`, {
    hint: hint ?? 'See LIMITATIONS.md for what is planned.',
  })
}
