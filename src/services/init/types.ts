import {fileURLToPath} from 'node:url'

export const API_TYPES = ['rest', 'http'] as const
export type ApiType = (typeof API_TYPES)[number]
export const AUTH_KINDS = ['none', 'api-key', 'jwt', 'lambda', 'iam'] as const
export type AuthKind = (typeof AUTH_KINDS)[number]
export type BackendKind = 'lambda' | 'url' | 'none'

export type TemplateMeta = {
  id: string
  type: ApiType
  title: string
  description: string
  order: number
  backend: BackendKind
  auth: AuthKind[]
  defaultAuth: AuthKind
  /** Written into every stage of apigw.yaml (values may hold placeholders). */
  stageVariables: Record<string, string>
  /** Absolute path of the template's folder. */
  dir: string
  /** Files copied into the project (placeholders replaced), relative to the template's folder. */
  files: string[]
  /** A Lambda backend's local handler (`src/handler.handler`): apigw.yaml's `functions:` runs it locally. */
  handler?: string | undefined
}

export type InitOptions = {
  /** Target directory, relative to deps.cwd (default: the cwd itself). */
  dir?: string
  name?: string
  type?: string
  template?: string
  /** Comma-separated stage names. */
  stages?: string
  auth?: string
  backend?: string
  jwtIssuer?: string
  /** Comma-separated audiences (app client ids). */
  jwtAudience?: string
  authorizerArn?: string
  /** Take the defaults for every question the flags did not answer. */
  yes?: boolean
  /** Overwrite existing files. */
  force?: boolean
  /** Add this API to the existing apigw.yaml of dir (or configPath) instead of making a new project. */
  add?: string
  /** The apigw.yaml --add changes (default: dir/apigw.yaml). */
  configPath?: string
  /** Where the templates are (default: the package's templates/). */
  templatesDir?: string
}

export type Choice<T extends string> = {value: T; name: string; description?: string}

/** Asks questions; the CLI gives an @inquirer/prompts one, tests a scripted one. */
export type Prompter = {
  input(question: {message: string; default?: string; validate?: (value: string) => true | string}): Promise<string>
  select<T extends string>(question: {message: string; choices: Array<Choice<T>>; default?: T}): Promise<T>
}

export type InitDeps = {
  cwd: string
  /** Throws NON_INTERACTIVE (exit 2) when nobody can answer; called with the flags that would answer. */
  requireInteractive: (missing: string[]) => void
  /** Built only when a question must be asked. */
  prompter: () => Prompter
}

export type FileAction = 'created' | 'overwritten' | 'updated'

export type InitResult = {
  /** Absolute path of the project directory. */
  dir: string
  /** Paths relative to dir. */
  files: Array<{path: string; action: FileAction}>
  api: {name: string; type: ApiType | 'websocket'; template: string; stages: string[]; auth: AuthKind}
  /** Commands to run next, in order. */
  next: string[]
  /** Things to edit before deploying to AWS (example values written by default). */
  notes: string[]
}

export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url))
export const CONFIG_FILE = 'apigw.yaml'
export const SCHEMA_COMMENT = '# yaml-language-server: $schema=./node_modules/apigw/schemas/apigw.schema.json'
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html: letters, digits, hyphens, underscores, 128 at most.
export const STAGE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
export const LAMBDA_ARN = new RegExp(
  String.raw`^arn:(aws|aws-cn|aws-us-gov):lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):` +
    String.raw`function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$`,
)
export const EXAMPLE_REGION = 'us-east-1'
/** Auth kinds an API type can have at all (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html). */
export const AUTH_BY_TYPE: Record<ApiType, AuthKind[]> = {
  rest: ['none', 'api-key', 'lambda', 'iam'],
  http: ['none', 'jwt', 'lambda', 'iam'],
}

export type Answers = {
  name: string
  template: TemplateMeta
  stages: string[]
  auth: AuthKind
  /** Lambda ARN or URL, per template.backend; undefined when the template has none. */
  backend: string | undefined
  jwtIssuer: string
  jwtAudience: string[]
  authorizerArn: string
  notes: string[]
}
