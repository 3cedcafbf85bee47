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

/**
 * Every error code, with the exit code it carries and what it means (the README's error table lists
 * them; test/unit/errors.test.ts checks it does). Codes are permanent: add, never rename.
 */
export const ERROR_CODES = {
  GATE_FAILED: {exit: EXIT.GATE, meaning: 'a gate failed'},
  VALIDATION_FAILED: {exit: EXIT.GATE, meaning: 'the spec has validation errors (deploy refuses it)'},
  BREAKING_CHANGES: {exit: EXIT.GATE, meaning: 'diff found changes at or above --fail-on'},
  IMPORT_WARNINGS: {exit: EXIT.GATE, meaning: 'API Gateway warned importing the spec; nothing was deployed (--allow-warnings)'},
  USAGE: {exit: EXIT.USAGE, meaning: 'bad or missing flags or arguments'},
  NON_INTERACTIVE: {
    exit: EXIT.USAGE,
    meaning: 'a question or confirmation is needed and the session cannot prompt (no TTY, CI, --json): pass the flag or --yes',
  },
  API_REQUIRED: {exit: EXIT.USAGE, meaning: 'apigw.yaml has several APIs: name one'},
  UNKNOWN_API: {exit: EXIT.USAGE, meaning: 'no such API in apigw.yaml'},
  API_EXISTS: {exit: EXIT.USAGE, meaning: 'apigw.yaml already has an API of that name (init --add)'},
  UNKNOWN_STAGE: {exit: EXIT.USAGE, meaning: 'no such stage in apigw.yaml'},
  UNKNOWN_KEY: {exit: EXIT.USAGE, meaning: 'no API key of that name'},
  UNKNOWN_PLAN: {exit: EXIT.USAGE, meaning: 'no usage plan of that name'},
  NO_CANARY: {exit: EXIT.USAGE, meaning: 'the stage has no canary'},
  NOT_SUPPORTED: {exit: EXIT.USAGE, meaning: 'not supported yet (LIMITATIONS.md)'},
  CONFIG_NOT_FOUND: {exit: EXIT.INPUT, meaning: 'no apigw.yaml'},
  CONFIG_INVALID: {exit: EXIT.INPUT, meaning: 'apigw.yaml is invalid'},
  CONFIG_PARSE_ERROR: {exit: EXIT.INPUT, meaning: 'apigw.yaml is not valid YAML or JSON'},
  CONFIG_DUPLICATE_KEY: {exit: EXIT.INPUT, meaning: 'a key appears twice in apigw.yaml'},
  SPEC_NOT_FOUND: {exit: EXIT.INPUT, meaning: 'no spec file'},
  SPEC_PARSE_ERROR: {exit: EXIT.INPUT, meaning: 'the spec is not valid YAML or JSON'},
  SPEC_INVALID: {exit: EXIT.INPUT, meaning: 'the spec is not an OpenAPI document'},
  SPEC_VERSION: {exit: EXIT.INPUT, meaning: 'an OpenAPI version apigw does not read'},
  SPEC_DUPLICATE_KEY: {exit: EXIT.INPUT, meaning: 'a key appears twice in a mapping'},
  SPEC_REF_NOT_FOUND: {exit: EXIT.INPUT, meaning: 'a $ref points at nothing'},
  SPEC_REMOTE_REF: {exit: EXIT.INPUT, meaning: 'a remote $ref (apigw reads local files only)'},
  SPEC_REF_OUTSIDE: {exit: EXIT.INPUT, meaning: 'a $ref leads outside the project (--allow-ref-outside DIR)'},
  SPEC_TOO_DEEP: {exit: EXIT.INPUT, meaning: 'the spec nests deeper than apigw reads'},
  SPEC_ALIAS_LIMIT: {exit: EXIT.INPUT, meaning: 'the spec expands YAML aliases past the limit (an alias bomb)'},
  SPEC_UNKNOWN_TAG: {exit: EXIT.INPUT, meaning: 'the spec uses a YAML tag apigw does not read'},
  CONFIG_TOO_DEEP: {exit: EXIT.INPUT, meaning: 'apigw.yaml nests deeper than apigw reads'},
  CONFIG_ALIAS_LIMIT: {exit: EXIT.INPUT, meaning: 'apigw.yaml expands YAML aliases past the limit (an alias bomb)'},
  CONFIG_UNKNOWN_TAG: {exit: EXIT.INPUT, meaning: 'apigw.yaml uses a YAML tag apigw does not read'},
  CREDENTIALS_FILE_INVALID: {exit: EXIT.INPUT, meaning: 'the --credentials file of local start is missing or holds no key pair'},
  TEMPLATE_NOT_FOUND: {exit: EXIT.INPUT, meaning: 'no such init template'},
  TEMPLATE_INVALID: {exit: EXIT.INPUT, meaning: 'an init template is broken'},
  FILE_NOT_FOUND: {exit: EXIT.INPUT, meaning: 'no such file'},
  FILE_UNREADABLE: {exit: EXIT.INPUT, meaning: 'a file cannot be read'},
  FILE_IS_DIRECTORY: {exit: EXIT.INPUT, meaning: 'a directory where a file was expected'},
  FILE_NOT_REGULAR: {exit: EXIT.INPUT, meaning: 'a device, FIFO or socket where a file was expected'},
  FILE_TOO_LARGE: {exit: EXIT.INPUT, meaning: 'a file larger than apigw reads (64 MB)'},
  FILE_EMPTY: {exit: EXIT.INPUT, meaning: 'an empty file'},
  FILE_BINARY: {exit: EXIT.INPUT, meaning: 'a binary file where text was expected'},
  FILE_NOT_UTF8: {exit: EXIT.INPUT, meaning: 'a file that is not UTF-8'},
  FILE_EXISTS: {exit: EXIT.INPUT, meaning: 'the output file exists (--force replaces it)'},
  FILE_UNWRITABLE: {exit: EXIT.INPUT, meaning: 'a file cannot be written'},
  FILE_SYMLINK: {exit: EXIT.INPUT, meaning: 'an output path is a symbolic link (apigw does not write through links)'},
  DIR_NOT_DIRECTORY: {exit: EXIT.INPUT, meaning: 'a file where a directory was expected'},
  GIT_NOT_FOUND: {exit: EXIT.INPUT, meaning: 'git is not installed'},
  GIT_NOT_A_REPOSITORY: {exit: EXIT.INPUT, meaning: 'not inside a git work tree'},
  GIT_REVISION_NOT_FOUND: {exit: EXIT.INPUT, meaning: 'no such git revision'},
  KEYS_FILE_INVALID: {exit: EXIT.INPUT, meaning: 'the keys CSV file is invalid'},
  KEYS_REST_ONLY: {exit: EXIT.USAGE, meaning: 'API keys exist only for REST APIs'},
  KEY_EXISTS: {exit: EXIT.USAGE, meaning: 'a key of that name exists'},
  KEY_VALUE_EXISTS: {exit: EXIT.USAGE, meaning: 'a key with that value exists'},
  KEY_IN_NO_PLAN: {exit: EXIT.INPUT, meaning: 'the key is in no usage plan'},
  KEY_INCOMPLETE: {exit: EXIT.USAGE, meaning: 'a key generation is incomplete'},
  KEY_REVOKED: {exit: EXIT.USAGE, meaning: 'every generation of the key is disabled'},
  KEY_VALUE_NOT_SHOWN: {
    exit: EXIT.USAGE,
    meaning: 'the last rotation finished but its value was never shown (keys list NAME --show-values)',
  },
  KEY_ROTATION_BROKEN: {exit: EXIT.INPUT, meaning: 'a rotation cannot be finished as recorded'},
  PLAN_NOT_DEPLOYED: {exit: EXIT.INPUT, meaning: 'the usage plan is not deployed'},
  PLAN_NOT_LINKED: {exit: EXIT.INPUT, meaning: 'the usage plan is linked to no stage of this API'},
  PLANS_SHARE_STAGE: {exit: EXIT.USAGE, meaning: 'two usage plans share a stage'},
  LOGGING_OFF: {exit: EXIT.INPUT, meaning: 'the stage writes no logs'},
  DOCS_VERSION_EXISTS: {exit: EXIT.INPUT, meaning: 'a documentation version of that name exists with other content'},
  SDK_UNSAFE_ARCHIVE: {exit: EXIT.INPUT, meaning: 'an SDK archive would write outside its directory or through a link, or is too large'},
  SDK_OUTPUT_CLASH: {exit: EXIT.INPUT, meaning: 'the SDK output directory clashes with a file'},
  AWS_ERROR: {exit: EXIT.AWS, meaning: 'AWS answered an error'},
  AWS_NOT_FOUND: {exit: EXIT.AWS, meaning: 'the API, stage or deployment does not exist there'},
  AWS_CONFLICT: {exit: EXIT.AWS, meaning: 'a conflicting change'},
  AWS_BAD_REQUEST: {exit: EXIT.AWS, meaning: 'AWS refused the request as sent'},
  AWS_ACCESS_DENIED: {exit: EXIT.AWS, meaning: 'IAM denies the call'},
  AWS_CREDENTIALS: {exit: EXIT.AWS, meaning: 'no or refused credentials'},
  AWS_NO_REGION: {exit: EXIT.AWS, meaning: 'no AWS Region set (--region, AWS_REGION or the profile)'},
  AWS_THROTTLED: {exit: EXIT.AWS, meaning: 'throttled after retries'},
  AWS_UNAVAILABLE: {exit: EXIT.AWS, meaning: 'AWS (or the endpoint) unreachable or failing'},
  AWS_TIMEOUT: {exit: EXIT.AWS, meaning: 'AWS (or the endpoint) did not connect or answer in time (--connect-timeout, --read-timeout)'},
  DEPLOY_LOCKED: {exit: EXIT.AWS, meaning: 'another deploy of this project holds its lock (.apigw/deploy.lock) past APIGW_LOCK_TIMEOUT'},
  AWS_LIMIT_EXCEEDED: {exit: EXIT.AWS, meaning: 'an AWS quota is reached'},
  AWS_AMBIGUOUS: {exit: EXIT.AWS, meaning: 'two APIs match one name'},
  NO_PREVIOUS_DEPLOYMENT: {exit: EXIT.AWS, meaning: 'rollback: the stage ran no earlier deployment that apigw recorded (pass --to)'},
  WS_REFUSED: {exit: EXIT.AWS, meaning: 'a WebSocket stage refused the connection ($connect or its authorizer)'},
  LOCAL_PORT_IN_USE: {exit: EXIT.LOCAL, meaning: 'the emulator port is taken'},
  LOCAL_STORE: {exit: EXIT.LOCAL, meaning: 'the emulator state cannot be read or written'},
  LOCAL_NOT_RUNNING: {exit: EXIT.LOCAL, meaning: 'no emulator serves this state directory'},
  LOCAL_RUNNING: {exit: EXIT.LOCAL, meaning: 'an emulator serves this state directory (stop it first)'},
  LOCAL_ALREADY_RUNNING: {exit: EXIT.LOCAL, meaning: 'an emulator already serves this state directory'},
  INTERNAL: {exit: EXIT.BUG, meaning: 'a bug in apigw: please report it'},
  CANCELLED: {exit: EXIT.CANCELLED, meaning: 'cancelled by the user'},
} as const satisfies Record<string, {exit: ExitCode; meaning: string}>

/** A stable error code: SCREAMING_SNAKE, one of ERROR_CODES. */
export type ErrorCode = keyof typeof ERROR_CODES

export function exitCodeFor(code: ErrorCode): ExitCode {
  return ERROR_CODES[code].exit
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code)
}

export type CliErrorOptions = {
  hint?: string
  cause?: unknown
  details?: Record<string, unknown>
  /** Overrides the exit code derived from the code (rare: a gate that fails with a custom code). */
  exitCode?: ExitCode
}

export class CliError extends Error {
  readonly code: ErrorCode
  readonly hint: string | undefined
  readonly details: Record<string, unknown> | undefined
  readonly exitCode: ExitCode

  constructor(code: ErrorCode, message: string, options: CliErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : {cause: options.cause})
    this.name = 'CliError'
    this.code = code
    this.hint = options.hint
    this.details = options.details
    this.exitCode = options.exitCode ?? exitCodeFor(code)
  }

  toJSON(): {code: ErrorCode; message: string; hint?: string; details?: Record<string, unknown>} {
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
