import {basename} from 'node:path'
import {CliError} from '../../errors.ts'
import {refuseExisting, specPathOf} from './files.ts'
import {
  errorOf,
  isOneOf,
  parseList,
  parseStages,
  suggestName,
  templateIds,
  typeLabel,
  unwrap,
  usage,
  usageIfError,
  validateBackend,
  validateIssuer,
  validateLambdaArn,
  validateName,
} from './inputs.ts'
import {
  type Answers,
  API_TYPES,
  AUTH_BY_TYPE,
  AUTH_KINDS,
  type ApiType,
  type AuthKind,
  EXAMPLE_REGION,
  type InitOptions,
  LAMBDA_ARN,
  type Prompter,
  type TemplateMeta,
} from './types.ts'

const EXAMPLE_ACCOUNT = '123456789012'
/** Where `apigw local start` listens by default: the local issuer of a scaffolded JWT authorizer lives there. */
const LOCAL_ORIGIN = 'http://127.0.0.1:4567'
const DEFAULT_URL = 'http://localhost:3000'
const DEFAULT_STAGES = 'dev,prod'
const AUTH_LABELS: Record<AuthKind, string> = {
  none: 'None (open)',
  'api-key': 'API key + usage plan (REST only)',
  jwt: 'JWT authorizer (HTTP only; Cognito or any OIDC issuer)',
  lambda: 'Lambda authorizer (request)',
  iam: 'IAM (SigV4-signed callers)',
}

/** What the flags said, checked against each other before any question is asked. */
export type Given = {type?: ApiType; template?: TemplateMeta; auth?: AuthKind}

export function checkGiven(options: InitOptions, templates: TemplateMeta[]): Given {
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

export async function answer(
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
