/** Rendering a template: {{placeholders}} substituted, auth pieces added to the spec, apigw.yaml written. */
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {type Document, isMap, isScalar, parseDocument, stringify, visit} from 'yaml'
import {CliError} from '../../errors.ts'
import {templateInvalid} from './templates.ts'
import {type Answers, EXAMPLE_REGION, LAMBDA_ARN, SCHEMA_COMMENT} from './types.ts'

const OPERATION_KEYS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace', 'x-amazon-apigateway-any-method'])

export function placeholders(a: Answers): Record<string, string> {
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

export async function renderSpec(a: Answers): Promise<string> {
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

export function renderConfig(a: Answers, specPath: string): string {
  const functions = functionsEntry(a)
  return renderYaml({apis: {[a.name]: apiEntry(a, specPath)}, ...(functions ? {functions} : {})})
}

/** The API's entry under `apis:` in apigw.yaml. */
export function apiEntry(a: Answers, specPath: string): Record<string, unknown> {
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
export function functionsEntry(a: Answers): Record<string, {handler: string}> | undefined {
  const t = a.template
  const fn = t.backend === 'lambda' && t.handler && a.backend ? LAMBDA_ARN.exec(a.backend)?.[4] : undefined
  return fn && t.handler ? {[fn]: {handler: t.handler}} : undefined
}

/** The template's own files (a handler), with their placeholders replaced. */
export async function renderFiles(a: Answers): Promise<Array<{path: string; text: string}>> {
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
