/**
 * `apigw init --type websocket`: a chat-style WebSocket API declared in apigw.yaml (WebSocket APIs have no
 * OpenAPI form), with Node handlers under src/ that the local emulator runs at once. The template is data in
 * templates/websocket-chat/ (websocket.yaml lists its files; {{name}} is replaced in them).
 */
import {readFile} from 'node:fs/promises'
import {basename, join, relative, resolve} from 'node:path'
import {parse, stringify} from 'yaml'
import {CliError} from '../../errors.ts'
import {addGitignoreLine, checkDirectory, existingFiles, fileExists, shellQuote, writeRendered} from './files.ts'
import {parseStages, suggestName, unwrap, usage, usageIfError, validateName} from './inputs.ts'
import {type InitDeps, type InitOptions, type InitResult, SCHEMA_COMMENT, DEFAULT_TEMPLATES_DIR} from './types.ts'

const TEMPLATE_ID = 'websocket-chat'
const WEBSOCKET_AUTH = ['none', 'lambda'] as const

type Meta = {id: string; files: string[]; authFiles?: Record<string, string[]>}

/** True when the flags ask for a WebSocket API. */
export function wantsWebSocket(options: InitOptions): boolean {
  return options.type === 'websocket' || options.template === TEMPLATE_ID
}

export async function initWebSocket(options: InitOptions, deps: InitDeps): Promise<InitResult> {
  const templatesDir = options.templatesDir ?? DEFAULT_TEMPLATES_DIR
  const dir = resolve(deps.cwd, options.dir ?? '.')
  await checkDirectory(dir)
  if (options.template !== undefined && options.template !== TEMPLATE_ID)
    throw usage(`Template ${options.template} does not make a WebSocket API.`, `Pass --template ${TEMPLATE_ID}, or leave --template out.`)
  for (const [flag, value] of [
    ['--backend', options.backend],
    ['--jwt-issuer', options.jwtIssuer],
    ['--jwt-audience', options.jwtAudience],
  ] as const) {
    if (value !== undefined)
      throw usage(`${flag} does not apply to WebSocket APIs: the chat template runs its own Node handlers.`, `Drop ${flag}.`)
  }
  const auth = options.auth ?? 'none'
  if (!(WEBSOCKET_AUTH as readonly string[]).includes(auth))
    throw usage(
      `--auth ${auth} does not fit a WebSocket API: its $connect route takes a Lambda REQUEST authorizer only.`,
      'Pass --auth none or --auth lambda.',
    )
  if (options.authorizerArn !== undefined && auth !== 'lambda')
    throw usage('--authorizer-arn applies with --auth lambda only.', 'Pass --auth lambda, or drop --authorizer-arn.')
  const missing: string[] = []
  if (options.name === undefined) missing.push('--name <name>')
  if (options.stages === undefined) missing.push('--stages dev,prod')
  if (missing.length > 0 && !options.yes) deps.requireInteractive(missing)

  const name = options.name ?? suggestName(basename(dir), 'chat')
  usageIfError(validateName(name), '--name')
  // A WebSocket stage is named as a REST stage is ($default is an HTTP API's only).
  const parsedStages = parseStages(options.stages ?? 'dev,prod', 'rest')
  usageIfError(parsedStages, '--stages')
  const stages = unwrap(parsedStages)

  const templateDir = join(templatesDir, TEMPLATE_ID)
  const metaFile = join(templateDir, 'websocket.yaml')
  let meta: Meta
  try {
    meta = parse(await readFile(metaFile, 'utf8')) as Meta
  } catch (cause) {
    throw new CliError('TEMPLATE_NOT_FOUND', `The WebSocket template ${metaFile} cannot be read.`, {
      hint: 'Reinstall apigw: the package ships its templates/ folder.',
      cause,
    })
  }
  const sources = [...meta.files, ...(auth === 'lambda' ? (meta.authFiles?.lambda ?? []) : [])]
  const rendered: Array<{path: string; text: string}> = [
    {path: 'apigw.yaml', text: renderConfig(name, stages, auth, options.authorizerArn)},
  ]
  for (const source of sources) {
    const text = (await readFile(join(templateDir, source), 'utf8')).replaceAll('{{name}}', name)
    rendered.push({path: source, text})
  }
  const existing = await existingFiles(
    dir,
    rendered.map((f) => f.path),
  )
  if (existing.length > 0 && !options.force) throw fileExists(dir, existing)
  const files = await writeRendered(dir, rendered, existing)
  const gitignore = await addGitignoreLine(dir)
  if (gitignore) files.push({path: '.gitignore', action: gitignore})
  const rel = relative(deps.cwd, dir)
  const stage = stages[0] ?? 'dev'
  const notes = [
    'In `apigw ws`, a line such as {"action":"sendmessage","message":"hi"} goes to every open connection.',
    'The chat keeps its connections in a file (.apigw/NAME-connections.log) locally; on AWS keep them in a table such as DynamoDB.',
    `apigw does not deploy Lambda functions: deploy src/chat.mjs with your IaC and set routes' function to its ARN.`,
  ]
  if (auth === 'lambda' && options.authorizerArn === undefined)
    notes.push('The authorizer allows ?token= equal to CHAT_TOKEN (functions: in apigw.yaml): replace it before deploying.')
  return {
    dir,
    files,
    api: {name, type: 'websocket', template: TEMPLATE_ID, stages, auth: auth as 'none' | 'lambda'},
    next: [
      ...(rel === '' ? [] : [`cd ${shellQuote(rel)}`]),
      'apigw validate',
      `apigw deploy --local --stage ${stage}`,
      'apigw local start',
      `apigw ws --local --stage ${stage}`,
    ],
    notes,
  }
}

function renderConfig(name: string, stages: string[], auth: string, authorizerArn: string | undefined): string {
  const fn = name
  const integration = {function: fn}
  const connect: Record<string, unknown> = {integration}
  if (auth === 'lambda') connect.authorizer = 'token'
  const api: Record<string, unknown> = {
    type: 'websocket',
    routeSelectionExpression: '$request.body.action',
    routes: {
      $connect: connect,
      $disconnect: {integration},
      sendmessage: {integration},
      $default: {integration, routeResponseSelectionExpression: '$default'},
    },
  }
  if (auth === 'lambda')
    api.authorizers = {token: {function: authorizerArn ?? `${name}-authorizer`, identitySource: ['route.request.querystring.token']}}
  api.stages = Object.fromEntries(stages.map((s) => [s, {}]))
  const functions: Record<string, unknown> = {[fn]: {handler: 'src/chat.handler'}}
  if (auth === 'lambda' && authorizerArn === undefined)
    functions[`${name}-authorizer`] = {handler: 'src/authorizer.handler', environment: {CHAT_TOKEN: 'change-me'}}
  const header = [
    SCHEMA_COMMENT,
    '# The APIs of this repository (reference: the apigw.yaml section of the README).',
    '# A WebSocket API is declared here: routes by route key, each with its integration; functions: run locally.',
  ]
  return `${header.join('\n')}\n${stringify({apis: {[name]: api}, functions}, {lineWidth: 0, aliasDuplicateObjects: false})}`
}
