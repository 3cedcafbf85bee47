/**
 * `apigw init`: scaffold apigw.yaml and an OpenAPI spec from a template in templates/.
 * The question flow lives here (flags first, then --yes defaults, then the injected prompter); the
 * templates are data, and this module substitutes their {{placeholders}} and adds the auth pieces.
 */
import {appendFile, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {basename, dirname, join, relative, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {type Document, isMap, isScalar, parse, parseDocument, stringify, visit} from 'yaml'
import {parseConfig} from '../../core/config/config.ts'
import {CliError, notSupported} from '../../errors.ts'
import {readSourceBytes, writeFileSafely} from '../../safe-files.ts'
import {asCliError, loadProject} from '../project.ts'

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

const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/', import.meta.url))
const CONFIG_FILE = 'apigw.yaml'
const SCHEMA_COMMENT = '# yaml-language-server: $schema=./node_modules/apigw/schemas/apigw.schema.json'
const GITIGNORE_LINE = '.apigw/'
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
// https://docs.aws.amazon.com/apigateway/latest/api/API_CreateStage.html: letters, digits, hyphens, underscores, 128 at most.
const STAGE_PATTERN = /^[A-Za-z0-9_-]{1,128}$/
const MAX_STAGES = 10
const LAMBDA_ARN = new RegExp(
  String.raw`^arn:(aws|aws-cn|aws-us-gov):lambda:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):` +
    String.raw`function:([A-Za-z0-9_-]{1,64})(?::(\$LATEST|[A-Za-z0-9_-]{1,128}))?$`,
)
const EXAMPLE_ACCOUNT = '123456789012'
const EXAMPLE_REGION = 'us-east-1'
/** Where `apigw local start` listens by default: the local issuer of a scaffolded JWT authorizer lives there. */
const LOCAL_ORIGIN = 'http://127.0.0.1:4567'
const DEFAULT_URL = 'http://localhost:3000'
const DEFAULT_STAGES = 'dev,prod'
const OPERATION_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'x-amazon-apigateway-any-method'])

const AUTH_LABELS: Record<AuthKind, string> = {
  none: 'None (open)',
  'api-key': 'API key + usage plan (REST only)',
  jwt: 'JWT authorizer (HTTP only; Cognito or any OIDC issuer)',
  lambda: 'Lambda authorizer (request)',
  iam: 'IAM (SigV4-signed callers)',
}
/** Auth kinds an API type can have at all (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-vs-rest.html). */
const AUTH_BY_TYPE: Record<ApiType, AuthKind[]> = {
  rest: ['none', 'api-key', 'lambda', 'iam'],
  http: ['none', 'jwt', 'lambda', 'iam'],
}

/** Scaffold an apigw project in options.dir: ask what the flags left open, then write the files. */
export async function initProject(options: InitOptions, deps: InitDeps): Promise<InitResult> {
  if (options.add !== undefined) return addApi(options, options.add, deps)
  const templates = await loadTemplates(options.templatesDir ?? DEFAULT_TEMPLATES_DIR)
  const dir = resolve(deps.cwd, options.dir ?? '.')
  await checkDirectory(dir)
  // Fail before asking anything when the result could not be written anyway.
  if (!options.force) await refuseExisting(dir, [CONFIG_FILE])

  const given = checkGiven(options, templates)
  const missing = missingFlags(options, given, templates)
  if (missing.length > 0 && !options.yes) deps.requireInteractive(missing)
  const answers = await answer(options, given, templates, dir, options.yes ? undefined : deps.prompter)

  const specPath = specPathOf(answers.name)
  const rendered = [
    {path: CONFIG_FILE, text: renderConfig(answers, specPath)},
    {path: specPath, text: await renderSpec(answers)},
    ...(await renderFiles(answers)),
  ]
  const existing = await existingFiles(
    dir,
    rendered.map((f) => f.path),
  )
  if (existing.length > 0 && !options.force) throw fileExists(dir, existing)

  const files: InitResult['files'] = []
  for (const file of rendered) {
    const full = join(dir, file.path)
    await mkdir(join(full, '..'), {recursive: true})
    await writeFile(full, file.text, 'utf8')
    files.push({path: file.path, action: existing.includes(file.path) ? 'overwritten' : 'created'})
  }
  const gitignore = await addGitignoreLine(dir)
  if (gitignore) files.push({path: '.gitignore', action: gitignore})

  const rel = relative(deps.cwd, dir)
  const next = [
    ...(rel === '' ? [] : [`cd ${shellQuote(rel)}`]),
    'apigw validate',
    `apigw deploy --local --stage ${shellQuote(answers.stages[0] ?? 'dev')}`,
  ]
  return {
    dir,
    files,
    api: {name: answers.name, type: answers.template.type, template: answers.template.id, stages: answers.stages, auth: answers.auth},
    next,
    notes: answers.notes,
  }
}

// ---------------------------------------------------------------------------------------------------
// Templates

/** Read every templates/<id>/template.yaml, sorted by their `order`. */
export async function loadTemplates(templatesDir: string = DEFAULT_TEMPLATES_DIR): Promise<TemplateMeta[]> {
  let names: string[]
  try {
    names = (await readdir(templatesDir, {withFileTypes: true})).filter((e) => e.isDirectory()).map((e) => e.name)
  } catch (cause) {
    throw new CliError('TEMPLATE_NOT_FOUND', `No templates folder at ${templatesDir}.`, {
      hint: 'Reinstall apigw: the package ships its templates/ folder.',
      cause,
    })
  }
  const out: TemplateMeta[] = []
  for (const name of names) {
    const file = join(templatesDir, name, 'template.yaml')
    let raw: unknown
    try {
      raw = parse(await readFile(file, 'utf8'))
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw templateInvalid(file, `it is not valid YAML (${(cause as Error).message.split('\n')[0]})`, cause)
    }
    out.push(toTemplateMeta(raw, file, join(templatesDir, name)))
  }
  if (out.length === 0) {
    throw new CliError('TEMPLATE_NOT_FOUND', `No templates in ${templatesDir}.`, {
      hint: 'Reinstall apigw: the package ships its templates/ folder.',
    })
  }
  return out.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id))
}

function toTemplateMeta(raw: unknown, file: string, dir: string): TemplateMeta {
  const m = (raw ?? {}) as Record<string, unknown>
  const str = (key: string): string => {
    const v = m[key]
    if (typeof v !== 'string' || v === '') throw templateInvalid(file, `\`${key}\` must be a non-empty string`)
    return v
  }
  const type = str('type')
  if (!isOneOf(API_TYPES, type)) throw templateInvalid(file, '`type` must be rest or http')
  const backend = str('backend')
  if (backend !== 'lambda' && backend !== 'url' && backend !== 'none') throw templateInvalid(file, '`backend` must be lambda, url or none')
  const auth = m.auth
  if (!Array.isArray(auth) || auth.length === 0 || !auth.every((a) => isOneOf(AUTH_BY_TYPE[type], a))) {
    throw templateInvalid(file, `\`auth\` must list auth kinds a ${type} API can have: ${AUTH_BY_TYPE[type].join(', ')}`)
  }
  const kinds = auth as AuthKind[]
  const defaultAuth = m.defaultAuth ?? kinds[0]
  if (!isOneOf(kinds, defaultAuth)) throw templateInvalid(file, '`defaultAuth` must be one of `auth`')
  const vars = m.stageVariables ?? {}
  if (typeof vars !== 'object' || Array.isArray(vars) || !Object.values(vars as object).every((v) => typeof v === 'string')) {
    throw templateInvalid(file, '`stageVariables` must map names to strings')
  }
  const files = m.files ?? []
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && f !== '' && !f.startsWith('/') && !f.split('/').includes('..')))
    throw templateInvalid(file, '`files` must list relative paths inside the template folder')
  const handler = m.handler
  if (handler !== undefined && (typeof handler !== 'string' || !/^[\w./-]+\.[A-Za-z_$][\w$]*$/.test(handler)))
    throw templateInvalid(file, '`handler` must be a file.export reference such as src/handler.handler')
  return {
    files: files as string[],
    ...(handler === undefined ? {} : {handler: handler as string}),
    id: str('id'),
    type,
    title: str('title'),
    description: str('description'),
    order: typeof m.order === 'number' ? m.order : 100,
    backend,
    auth: kinds,
    defaultAuth,
    stageVariables: vars as Record<string, string>,
    dir,
  }
}

function templateInvalid(file: string, why: string, cause?: unknown): CliError {
  return new CliError('TEMPLATE_INVALID', `The template metadata ${file} is invalid: ${why}.`, {
    hint: 'Fix the file (templates are data: see the other templates/<id>/template.yaml), or reinstall apigw.',
    cause,
  })
}

// ---------------------------------------------------------------------------------------------------
// Answers: flags, defaults, questions

type Answers = {
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

/** What the flags said, checked against each other before any question is asked. */
export type Given = {type?: ApiType; template?: TemplateMeta; auth?: AuthKind}

function checkGiven(options: InitOptions, templates: TemplateMeta[]): Given {
  const given: Given = {}
  if (options.name !== undefined) usageIfError(validateName(options.name), '--name')
  if (options.type !== undefined) {
    if (!isOneOf(API_TYPES, options.type))
      throw usage(`Unknown API type '${options.type}'.`, 'Pass --type rest (API Gateway REST API) or --type http (HTTP API).')
    given.type = options.type
  }
  if (options.template !== undefined) {
    const template = templates.find((t) => t.id === options.template)
    if (!template) throw usage(`Unknown template '${options.template}'.`, `Pass --template ${templateIds(templates, given.type)}.`)
    if (given.type && template.type !== given.type) {
      throw usage(
        `Template ${template.id} makes ${typeLabel(template.type)}, but --type is ${given.type}.`,
        `Pass --template ${templateIds(templates, given.type)}, or --type ${template.type}.`,
      )
    }
    given.template = template
  }
  const type = given.template?.type ?? given.type
  if (options.auth !== undefined) {
    const auth = options.auth
    if (!isOneOf(AUTH_KINDS, auth)) throw usage(`Unknown auth '${auth}'.`, `Pass --auth ${AUTH_KINDS.join('|')}.`)
    if (type && !AUTH_BY_TYPE[type].includes(auth)) {
      const other: ApiType = type === 'rest' ? 'http' : 'rest'
      const why = auth === 'api-key' ? 'API keys and usage plans exist only for REST APIs' : 'JWT authorizers exist only for HTTP APIs'
      throw usage(
        `--auth ${auth} does not fit ${given.template ? `template ${given.template.id}, which makes ` : ''}${typeLabel(type)}: ${why}.`,
        `Pass --auth ${AUTH_BY_TYPE[type].join('|')}, or ${typeLabel(other)} template: --template ${templateIds(templates, other)}.`,
      )
    }
    if (given.template && !given.template.auth.includes(auth)) {
      throw usage(`Template ${given.template.id} does not support --auth ${auth}.`, `Pass --auth ${given.template.auth.join('|')}.`)
    }
    given.auth = auth
  }
  // api-key and jwt each exist for one API type only, so they answer the type question too.
  const implied: ApiType | undefined = given.auth === 'api-key' ? 'rest' : given.auth === 'jwt' ? 'http' : undefined
  given.type = type ?? implied
  if (options.stages !== undefined) usageIfError(parseStages(options.stages, given.type), '--stages')
  if (options.backend !== undefined && given.template) {
    if (given.template.backend === 'none') {
      throw usage(
        `Template ${given.template.id} has no backend, so --backend does not apply.`,
        'Drop --backend, or pick a template with a backend.',
      )
    }
    usageIfError(validateBackend(options.backend, given.template.backend), '--backend')
  }
  if (options.jwtIssuer !== undefined) usageIfError(validateIssuer(options.jwtIssuer), '--jwt-issuer')
  if (options.jwtAudience !== undefined) usageIfError(parseList(options.jwtAudience, 'audience'), '--jwt-audience')
  if (options.authorizerArn !== undefined) usageIfError(validateLambdaArn(options.authorizerArn), '--authorizer-arn')
  return given
}

/** The flags that would answer the questions still open; a question that may not apply is left out. */
export function missingFlags(options: InitOptions, given: Given, templates: TemplateMeta[]): string[] {
  const missing: string[] = []
  if (options.name === undefined) missing.push('--name <name>')
  if (!given.type && !given.template) missing.push('--type rest|http')
  if (!given.template) missing.push(`--template ${templateIds(templates, given.type)}`)
  if (options.stages === undefined) missing.push('--stages dev,prod')
  if (!given.auth) missing.push('--auth none|api-key|jwt|lambda|iam')
  const backend = given.template?.backend
  if (options.backend === undefined && backend !== 'none') {
    missing.push(backend === 'lambda' ? '--backend <lambda-arn>' : backend === 'url' ? '--backend <url>' : '--backend <lambda-arn|url>')
  }
  if (given.auth === 'jwt') {
    if (options.jwtIssuer === undefined) missing.push('--jwt-issuer <url>')
    if (options.jwtAudience === undefined) missing.push('--jwt-audience <client-id,...>')
  }
  if (given.auth === 'lambda' && options.authorizerArn === undefined) missing.push('--authorizer-arn <lambda-arn>')
  return missing
}

async function answer(
  options: InitOptions,
  given: Given,
  templates: TemplateMeta[],
  dir: string,
  prompter: (() => Prompter) | undefined,
): Promise<Answers> {
  let p: Prompter | undefined
  const ask = (): Prompter => {
    // Reached only when a flag is missing and requireInteractive() let us through (or --yes is off in tests).
    if (!prompter) throw new Error('a question was asked with --yes')
    p ??= prompter()
    return p
  }
  const notes: string[] = []

  const defaultName = suggestName(basename(dir))
  const name =
    options.name ?? (prompter ? await ask().input({message: 'API name', default: defaultName, validate: validateName}) : defaultName)
  // The spec's path is known now: refuse before the remaining questions rather than after them.
  if (!options.force) await refuseExisting(dir, [specPathOf(name)])

  let type = given.type
  if (!type) {
    type = prompter
      ? await ask().select<ApiType>({
          message: 'API type',
          choices: [
            {
              value: 'rest',
              name: 'REST API (API Gateway v1)',
              description: 'API keys, usage plans, caching, request validation, mapping templates, canaries',
            },
            {
              value: 'http',
              name: 'HTTP API (API Gateway v2)',
              description: 'Cheaper and faster; JWT authorizers, CORS, automatic deployments',
            },
          ],
          default: 'rest',
        })
      : 'rest'
  }
  // With --auth given, offer only the templates that support it.
  const ofType = templates.filter((t) => t.type === type && (!given.auth || t.auth.includes(given.auth)))
  const firstOfType = ofType[0]
  if (!firstOfType)
    throw new CliError('TEMPLATE_NOT_FOUND', `No template makes ${typeLabel(type)}.`, {
      hint: 'Reinstall apigw: the package ships its templates/ folder.',
    })
  let template = given.template
  if (!template) {
    const id = prompter
      ? await ask().select({
          message: 'Template',
          choices: ofType.map((t) => ({value: t.id, name: `${t.id}: ${t.title}`, description: t.description})),
          default: firstOfType.id,
        })
      : firstOfType.id
    template = ofType.find((t) => t.id === id) ?? firstOfType
  }

  const stagesText =
    options.stages ??
    (prompter
      ? await ask().input({message: 'Stages (comma-separated)', default: DEFAULT_STAGES, validate: (v) => errorOf(parseStages(v, type))})
      : DEFAULT_STAGES)
  const stages = unwrap(parseStages(stagesText, type))

  const tpl = template
  const auth =
    given.auth ??
    (prompter && tpl.auth.length > 1
      ? await ask().select<AuthKind>({
          message: 'Authorization',
          choices: tpl.auth.map((a) => ({value: a, name: AUTH_LABELS[a]})),
          default: tpl.defaultAuth,
        })
      : tpl.defaultAuth)
  if (!tpl.auth.includes(auth)) throw usage(`Template ${tpl.id} does not support --auth ${auth}.`, `Pass --auth ${tpl.auth.join('|')}.`)

  let backend: string | undefined
  if (tpl.backend === 'lambda') {
    const example = `arn:aws:lambda:${EXAMPLE_REGION}:${EXAMPLE_ACCOUNT}:function:${name}`
    backend =
      options.backend ??
      (prompter ? await ask().input({message: 'Lambda function ARN', default: example, validate: validateLambdaArn}) : example)
    if (backend === example)
      notes.push(`The Lambda ARN ${example} is an example: put your function's ARN in apis/${name}/openapi.yaml before deploying to AWS.`)
  } else if (tpl.backend === 'url') {
    backend =
      options.backend ??
      (prompter
        ? await ask().input({message: 'Backend URL', default: DEFAULT_URL, validate: (v) => validateBackend(v, 'url')})
        : DEFAULT_URL)
    backend = backend.replace(/\/+$/, '')
    if (backend === DEFAULT_URL)
      notes.push(`The backend URL ${DEFAULT_URL} only works locally: change it in apigw.yaml or the spec before deploying to AWS.`)
  } else if (options.backend !== undefined) {
    throw usage(`Template ${tpl.id} has no backend, so --backend does not apply.`, 'Drop --backend, or pick a template with a backend.')
  }
  if (backend !== undefined) usageIfError(validateBackend(backend, tpl.backend), '--backend')

  // Without an issuer of its own, the JWT authorizer trusts the emulator's local issuer named after the API
  // (`apigw local token --issuer NAME` mints its tokens), so the scaffold runs locally at once.
  const localIssuer = `${LOCAL_ORIGIN}/_aws/identity/issuers/${name}`
  let jwtIssuer = localIssuer
  let jwtAudience = [name]
  if (auth === 'jwt') {
    jwtIssuer =
      options.jwtIssuer ??
      (prompter ? await ask().input({message: 'JWT issuer URL', default: localIssuer, validate: validateIssuer}) : localIssuer)
    const audience =
      options.jwtAudience ??
      (prompter
        ? await ask().input({
            message: 'JWT audience (comma-separated app client ids)',
            default: name,
            validate: (v) => errorOf(parseList(v, 'audience')),
          })
        : name)
    jwtAudience = unwrap(parseList(audience, 'audience'))
    if (jwtIssuer === localIssuer)
      notes.push(
        `The JWT issuer is the emulator's local issuer ${name}: with \`apigw local start\` running, ` +
          `\`apigw local token --issuer ${name} --claim aud=${jwtAudience[0]}\` mints a token. ` +
          `Put your user pool or OIDC issuer in apis/${name}/openapi.yaml before deploying to AWS.`,
      )
  }
  const region = backend && tpl.backend === 'lambda' ? (LAMBDA_ARN.exec(backend)?.[2] ?? EXAMPLE_REGION) : EXAMPLE_REGION
  const exampleAuthorizer = `arn:aws:lambda:${region}:${EXAMPLE_ACCOUNT}:function:${name}-authorizer`
  let authorizerArn = exampleAuthorizer
  if (auth === 'lambda') {
    authorizerArn =
      options.authorizerArn ??
      (prompter
        ? await ask().input({message: 'Lambda authorizer function ARN', default: exampleAuthorizer, validate: validateLambdaArn})
        : exampleAuthorizer)
    if (authorizerArn === exampleAuthorizer)
      notes.push(`The authorizer ARN ${exampleAuthorizer} is an example: put your authorizer function's ARN in apis/${name}/openapi.yaml.`)
  }
  return {name, template: tpl, stages, auth, backend, jwtIssuer, jwtAudience, authorizerArn, notes}
}

// ---------------------------------------------------------------------------------------------------
// Validation of single answers (also the prompts' validators): true, or the reason as one sentence.

type Parsed<T> = {ok: true; value: T} | {ok: false; error: string}

export function validateName(value: string): true | string {
  if (NAME_PATTERN.test(value)) return true
  return `'${value}' is not a valid API name: use letters, digits, - and _ (starting with a letter or digit, 128 characters at most).`
}

export function parseStages(value: string, type?: ApiType): Parsed<string[]> {
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (names.length === 0) return {ok: false, error: 'Give at least one stage name, e.g. dev,prod.'}
  for (const n of names) {
    if (n === '$default' && type !== 'rest') continue
    if (!STAGE_PATTERN.test(n)) {
      const extra = n === '$default' ? ' ($default exists only for HTTP APIs)' : ''
      return {ok: false, error: `'${n}' is not a valid stage name: use letters, digits, - and _ (128 characters at most)${extra}.`}
    }
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i)
  if (dup) return {ok: false, error: `Stage '${dup}' is listed twice.`}
  if (names.length > MAX_STAGES) return {ok: false, error: `An API has at most ${MAX_STAGES} stages; ${names.length} were given.`}
  return {ok: true, value: names}
}

export function validateLambdaArn(value: string): true | string {
  if (LAMBDA_ARN.test(value)) return true
  return `'${value}' is not a Lambda function ARN (arn:aws:lambda:<region>:<account-id>:function:<name>[:<alias>]).`
}

export function validateBackend(value: string, kind: BackendKind): true | string {
  if (kind === 'lambda') return validateLambdaArn(value)
  if (kind === 'none') return true
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `'${value}' is not a URL (e.g. https://api.example.com or http://localhost:3000).`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `'${value}' must be an http:// or https:// URL.`
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    return `'${value}' must be a plain base URL, without query, fragment or credentials.`
  }
  return true
}

function validateIssuer(value: string): true | string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return `'${value}' is not a URL (e.g. https://cognito-idp.us-east-1.amazonaws.com/<user-pool-id>).`
  }
  // JWT authorizers fetch the issuer's discovery document over HTTPS only (the emulator's local issuers: http on loopback).
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return `The JWT issuer '${value}' must be an https:// URL.`
  return true
}

function parseList(value: string, what: string): Parsed<string[]> {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return items.length === 0 ? {ok: false, error: `Give at least one ${what}.`} : {ok: true, value: items}
}

function errorOf<T>(parsed: Parsed<T>): true | string {
  return parsed.ok ? true : parsed.error
}

function unwrap<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw usage(parsed.error, 'See `apigw init --help` for the flags.')
  return parsed.value
}

function usageIfError(result: true | string | Parsed<unknown>, flag: string): void {
  const error = typeof result === 'object' ? (result.ok ? undefined : result.error) : result === true ? undefined : result
  if (error !== undefined) throw usage(error, `Fix ${flag}; see \`apigw init --help\`.`)
}

function usage(message: string, hint: string): CliError {
  return new CliError('USAGE', message, {hint})
}

function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value)
}

function typeLabel(type: ApiType): string {
  return type === 'rest' ? 'a REST API' : 'an HTTP API'
}

function templateIds(templates: TemplateMeta[], type: ApiType | undefined): string {
  return templates
    .filter((t) => !type || t.type === type)
    .map((t) => t.id)
    .join('|')
}

/** A valid API name from a folder name: `My API!` → `My-API`. */
export function suggestName(folder: string): string {
  const cleaned = folder
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^[-_]+/, '')
    .replace(/-+$/, '')
    .slice(0, 128)
  return cleaned === '' ? 'my-api' : cleaned
}

// ---------------------------------------------------------------------------------------------------
// Rendering

function placeholders(a: Answers): Record<string, string> {
  const values: Record<string, string> = {name: a.name}
  if (a.template.backend === 'lambda' && a.backend) {
    const m = LAMBDA_ARN.exec(a.backend)
    values.lambdaArn = a.backend
    values.partition = m?.[1] ?? 'aws'
    values.region = m?.[2] ?? EXAMPLE_REGION
  }
  if (a.template.backend === 'url' && a.backend) {
    const url = new URL(a.backend)
    values.backendUrl = a.backend
    values.backendScheme = url.protocol.slice(0, -1)
    values.backendHost = a.backend.slice(url.protocol.length + 2)
  }
  return values
}

/** Replace every {{key}} in text; an unknown key is a broken template. */
export function substitute(text: string, values: Record<string, string>, file: string): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_, key: string) => {
    const value = values[key]
    if (value === undefined) {
      throw new CliError('TEMPLATE_INVALID', `The template ${file} uses the placeholder {{${key}}}, which init does not know.`, {
        hint: `Known placeholders: ${Object.keys(values)
          .map((k) => `{{${k}}}`)
          .join(', ')}.`,
      })
    }
    return value
  })
}

async function renderSpec(a: Answers): Promise<string> {
  const file = join(a.template.dir, 'openapi.yaml')
  const doc = parseDocument(await readFile(file, 'utf8'))
  if (doc.errors.length > 0) throw templateInvalid(file, doc.errors[0]?.message ?? 'YAML error')
  const values = placeholders(a)
  // Substitute in parsed scalars, not in the text, so no answer can break the YAML around it.
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && node.value.includes('{{')) node.value = substitute(node.value, values, file)
    },
  })
  addAuth(doc, a)
  return doc.toString({lineWidth: 0})
}

/** Add the security scheme of the chosen auth, and apply it to every operation. */
function addAuth(doc: Document, a: Answers): void {
  if (a.auth === 'none') return
  const type = a.template.type
  const lambdaUri = (arn: string) => {
    const m = LAMBDA_ARN.exec(arn)
    return `arn:${m?.[1] ?? 'aws'}:apigateway:${m?.[2] ?? EXAMPLE_REGION}:lambda:path/2015-03-31/functions/${arn}/invocations`
  }
  let scheme: {key: string; value: Record<string, unknown>} | undefined
  let perOperation: {key: string; value: unknown}
  switch (a.auth) {
    case 'api-key':
      // An apiKey scheme named in the x-api-key header marks methods apiKeyRequired on import.
      scheme = {key: 'api_key', value: {type: 'apiKey', name: 'x-api-key', in: 'header'}}
      perOperation = {key: 'security', value: [{api_key: []}]}
      break
    case 'jwt':
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
      // `flows: {}` keeps the document valid OpenAPI 3.0 (oauth2 needs flows); API Gateway ignores it.
      scheme = {
        key: 'jwt',
        value: {
          type: 'oauth2',
          flows: {},
          'x-amazon-apigateway-authorizer': {
            type: 'jwt',
            jwtConfiguration: {issuer: a.jwtIssuer, audience: a.jwtAudience},
            identitySource: '$request.header.Authorization',
          },
        },
      }
      perOperation = {key: 'security', value: [{jwt: []}]}
      break
    case 'lambda':
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-authorizer.html
      scheme = {
        key: 'lambda_authorizer',
        value:
          type === 'rest'
            ? {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authtype': 'custom',
                'x-amazon-apigateway-authorizer': {
                  type: 'request',
                  identitySource: 'method.request.header.Authorization',
                  authorizerUri: lambdaUri(a.authorizerArn),
                  authorizerResultTtlInSeconds: 300,
                },
              }
            : {
                type: 'apiKey',
                name: 'Authorization',
                in: 'header',
                'x-amazon-apigateway-authorizer': {
                  type: 'request',
                  identitySource: '$request.header.Authorization',
                  authorizerUri: lambdaUri(a.authorizerArn),
                  authorizerPayloadFormatVersion: '2.0',
                  authorizerResultTtlInSeconds: 300,
                  enableSimpleResponses: true,
                },
              },
      }
      perOperation = {key: 'security', value: [{lambda_authorizer: []}]}
      break
    case 'iam':
      if (type === 'rest') {
        // https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-auth.html
        perOperation = {key: 'x-amazon-apigateway-auth', value: {type: 'AWS_IAM'}}
      } else {
        // HTTP APIs mark IAM routes with a SigV4 security scheme, as their own OpenAPI export writes them
        // (x-amazon-apigateway-auth is a REST extension; ImportApi warns and ignores it).
        scheme = {key: 'sigv4', value: {type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4'}}
        perOperation = {key: 'security', value: [{sigv4: []}]}
      }
      break
  }
  if (scheme) doc.setIn(['components', 'securitySchemes', scheme.key], doc.createNode(scheme.value))
  const paths = doc.get('paths')
  if (!isMap(paths)) return
  for (const pathItem of paths.items) {
    if (!isMap(pathItem.value)) continue
    for (const op of pathItem.value.items) {
      const method = isScalar(op.key) ? String(op.key.value) : ''
      if (OPERATION_KEYS.has(method) && isMap(op.value)) op.value.set(perOperation.key, doc.createNode(perOperation.value))
    }
  }
}

function renderConfig(a: Answers, specPath: string): string {
  const functions = functionsEntry(a)
  return renderYaml({apis: {[a.name]: apiEntry(a, specPath)}, ...(functions ? {functions} : {})})
}

/** The API's entry under `apis:` in apigw.yaml. */
function apiEntry(a: Answers, specPath: string): Record<string, unknown> {
  const t = a.template
  const values = placeholders(a)
  const variables = Object.fromEntries(
    Object.entries(t.stageVariables).map(([k, v]) => [k, substitute(v, values, join(t.dir, 'template.yaml'))]),
  )
  const stages = Object.fromEntries(a.stages.map((s) => [s, Object.keys(variables).length > 0 ? {variables: {...variables}} : {}]))
  const api: Record<string, unknown> = {
    type: t.type,
    spec: specPath,
    ...(t.type === 'rest' ? {endpointType: 'REGIONAL'} : {}),
    stages,
  }
  if (a.auth === 'api-key') {
    api.usagePlans = {
      default: {
        description: `Default plan for ${a.name}: every API key must be in a usage plan to be accepted.`,
        stages: a.stages,
        throttle: {rateLimit: 10, burstLimit: 20},
        quota: {limit: 10000, period: 'MONTH'},
      },
    }
  }
  return api
}

/** apigw.yaml's `functions:` entry of a Lambda template: its handler runs the integration URIs' function locally. */
function functionsEntry(a: Answers): Record<string, {handler: string}> | undefined {
  const t = a.template
  const fn = t.backend === 'lambda' && t.handler && a.backend ? LAMBDA_ARN.exec(a.backend)?.[4] : undefined
  return fn && t.handler ? {[fn]: {handler: t.handler}} : undefined
}

/** The template's own files (a handler), with their placeholders replaced. */
async function renderFiles(a: Answers): Promise<Array<{path: string; text: string}>> {
  const values = placeholders(a)
  const out: Array<{path: string; text: string}> = []
  for (const path of a.template.files) {
    const file = join(a.template.dir, path)
    const text = await readFile(file, 'utf8').catch((cause) => {
      throw templateInvalid(file, 'it lists a file that is not in the template folder', cause)
    })
    out.push({path, text: substitute(text, values, file)})
  }
  return out
}

function renderYaml(value: unknown): string {
  const header = [
    SCHEMA_COMMENT,
    '# The APIs of this repository, their stages and usage plans (reference: the apigw.yaml section of the README).',
  ]
  return `${header.join('\n')}\n${stringify(value, {lineWidth: 0, aliasDuplicateObjects: false})}`
}

// ---------------------------------------------------------------------------------------------------
// Files

/** A word as a POSIX shell reads it back unchanged (`$default` would otherwise expand). */
function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`
}

function specPathOf(name: string): string {
  return `apis/${name}/openapi.yaml`
}

async function checkDirectory(dir: string): Promise<void> {
  const s = await stat(dir).catch(() => undefined)
  if (s && !s.isDirectory()) {
    throw new CliError('DIR_NOT_DIRECTORY', `${dir} exists and is not a directory.`, {hint: 'Pass a directory (new or existing) as DIR.'})
  }
}

async function existingFiles(dir: string, paths: string[]): Promise<string[]> {
  const out: string[] = []
  for (const p of paths) {
    if (await stat(join(dir, p)).catch(() => undefined)) out.push(p)
  }
  return out
}

async function refuseExisting(dir: string, paths: string[]): Promise<void> {
  const existing = await existingFiles(dir, paths)
  if (existing.length > 0) throw fileExists(dir, existing)
}

function fileExists(dir: string, existing: string[]): CliError {
  const list = existing.map((p) => join(dir, p))
  const addHint = existing.includes(CONFIG_FILE) ? '; to add an API to it, `apigw init --add NAME`' : ''
  return new CliError('FILE_EXISTS', `${list.join(' and ')} already exist${list.length === 1 ? 's' : ''}; pass --force to overwrite.`, {
    hint: `Pass --force to overwrite, or run init in another directory (apigw init <dir>)${addHint}.`,
    details: {files: list},
  })
}

/** Make sure .gitignore ignores the local emulator state; undefined when it already does. */
async function addGitignoreLine(dir: string): Promise<FileAction | undefined> {
  const file = join(dir, '.gitignore')
  const current = await readFile(file, 'utf8').catch(() => undefined)
  const block = `# apigw: local emulator state\n${GITIGNORE_LINE}\n`
  if (current === undefined) {
    await writeFile(file, block, 'utf8')
    return 'created'
  }
  const ignored = current.split(/\r?\n/).some((l) => ['.apigw', '.apigw/', '/.apigw', '/.apigw/'].includes(l.trim()))
  if (ignored) return undefined
  await appendFile(file, `${current === '' || current.endsWith('\n') ? '' : '\n'}${block}`, 'utf8')
  return 'updated'
}

// ---------------------------------------------------------------------------------------------------
// init --add NAME: one more API in an existing apigw.yaml

/**
 * Add API `name` to an existing apigw.yaml, asking (or taking from the flags) what `init` asks, and write its spec.
 * apigw.yaml is edited through the yaml library's Document API, so its comments, key order and formatting stay;
 * the result is checked as a config before anything is written, and apigw.yaml is written last.
 */
async function addApi(options: InitOptions, name: string, deps: InitDeps): Promise<InitResult> {
  if (options.name !== undefined && options.name !== name)
    throw usage(`--add ${name} and --name ${options.name} name two different APIs.`, `Drop --name: \`apigw init --add ${name}\` names it.`)
  usageIfError(validateName(name), '--add')
  if (options.type === 'websocket')
    throw notSupported(
      'init --add with --type websocket',
      `Scaffold it apart with \`apigw init <dir> --type websocket\` and copy its apis entry into apigw.yaml; see LIMITATIONS.md.`,
    )
  const templates = await loadTemplates(options.templatesDir ?? DEFAULT_TEMPLATES_DIR)
  const configPath = resolve(deps.cwd, options.configPath ?? join(options.dir ?? '.', CONFIG_FILE))
  const dir = dirname(configPath)
  const shown = relative(deps.cwd, configPath) || configPath
  if (!(await stat(configPath).catch(() => undefined))) {
    const initDir = options.dir && options.dir !== '.' ? ` ${shellQuote(options.dir)}` : ''
    const where = options.configPath ? `No config file at ${shown}` : `No apigw.yaml in ${relative(deps.cwd, dir) || 'this directory'}`
    throw new CliError('CONFIG_NOT_FOUND', `${where} to add ${name} to.`, {
      hint: `Run \`apigw init${initDir}\` (without --add) to make one, or pass --config <file>.`,
    })
  }
  // Read and checked as every command reads it (regular file, size cap, schema), with the same errors.
  const current = await loadProject({cwd: deps.cwd, configPath})
  const text = readSourceBytes(configPath).toString('utf8')
  const names = Object.keys(current?.config.apis ?? {}).sort()
  if (names.includes(name)) {
    throw new CliError('API_EXISTS', `${shown} already has an API named ${name}; nothing was changed.`, {
      hint: `Pick another name for --add (the APIs there: ${names.join(', ')}), or edit apis.${name} in ${shown}.`,
    })
  }
  const withName = {...options, name}
  const given = checkGiven(withName, templates)
  const missing = missingFlags(withName, given, templates)
  if (missing.length > 0 && !options.yes) deps.requireInteractive(missing)
  const answers = await answer(withName, given, templates, dir, options.yes ? undefined : deps.prompter)

  const specPath = specPathOf(name)
  const doc = parseDocument(text)
  if (!isMap(doc.get('apis', true))) doc.set('apis', doc.createNode({}))
  doc.setIn(['apis', name], doc.createNode(apiEntry(answers, specPath), {aliasDuplicateObjects: false}))
  // A Lambda template's function, unless apigw.yaml already defines one of that name.
  for (const [fn, definition] of Object.entries(functionsEntry(answers) ?? {})) {
    if (!doc.hasIn(['functions', fn])) doc.setIn(['functions', fn], doc.createNode(definition))
  }
  // The house style of apigw.yaml ({format: json}, not { format: json }); comments and key order are the Document's.
  const updated = doc.toString({lineWidth: 0, flowCollectionPadding: false})
  // What is written must load: checked before the first file is touched.
  await parseConfig(configPath, Buffer.from(updated)).catch((error: unknown) => {
    throw asCliError(error)
  })

  const specFull = join(dir, specPath)
  const specExisted = (await existingFiles(dir, [specPath])).length > 0
  await mkdir(dirname(specFull), {recursive: true})
  await writeFile(specFull, await renderSpec(answers), 'utf8')
  // The template's own files (a handler), where no file of that name is there yet.
  const templateFiles = await renderFiles(answers)
  const kept = new Set(
    await existingFiles(
      dir,
      templateFiles.map((f) => f.path),
    ),
  )
  for (const f of templateFiles.filter((f) => !kept.has(f.path))) {
    await mkdir(dirname(join(dir, f.path)), {recursive: true})
    await writeFile(join(dir, f.path), f.text, 'utf8')
  }
  writeFileSafely(configPath, updated, {force: true})
  const files: InitResult['files'] = [
    {path: specPath, action: specExisted ? 'overwritten' : 'created'},
    ...templateFiles.filter((f) => !kept.has(f.path)).map((f) => ({path: f.path, action: 'created' as const})),
    {path: relative(dir, configPath), action: 'updated'},
  ]
  const gitignore = await addGitignoreLine(dir)
  if (gitignore) files.push({path: '.gitignore', action: gitignore})
  const rel = relative(deps.cwd, dir)
  return {
    dir,
    files,
    api: {name, type: answers.template.type, template: answers.template.id, stages: answers.stages, auth: answers.auth},
    next: [
      ...(rel === '' ? [] : [`cd ${shellQuote(rel)}`]),
      `apigw validate ${name}`,
      `apigw deploy ${name} --local --stage ${shellQuote(answers.stages[0] ?? 'dev')}`,
    ],
    notes: answers.notes,
  }
}
