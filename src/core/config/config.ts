/**
 * apigw.yaml: parsed, then validated by the JSON Schema shipped in schemas/apigw.schema.json (the same file
 * editors use), with every error mapped to file:line:column and the key, and "did you mean" for unknown keys.
 */
import {readFileSync} from 'node:fs'
import {dirname, resolve} from 'node:path'
import {ajvFor} from '../ajv.ts'
import {parsePointer, pointerOf} from '../findings.ts'
import {closest} from '../words.ts'
import {type AlarmConfig, checkAlarms} from './alarm-rules.ts'

export type {AlarmConfig}
import {createLocator} from '../spec/locate.ts'
import {InputProblem} from '../spec/problem.ts'
import {decodeSource, parseSource} from '../spec/source.ts'
import {checkDomainsAndPrivateApis, type DomainConfig} from './domains.ts'

export type ThrottleConfig = {rateLimit?: number; burstLimit?: number}
export type StageConfig = {
  description?: string
  variables?: Record<string, string | number | boolean>
  throttling?: ThrottleConfig
  caching?: {enabled?: boolean; ttlSeconds?: number; clusterSize?: string; encrypted?: boolean}
  accessLogs?: {format?: string; logGroup?: string; retentionDays?: number}
  executionLogs?: {level?: 'OFF' | 'ERROR' | 'INFO'; dataTrace?: boolean}
  metrics?: boolean
  tracing?: boolean
  autoDeploy?: boolean
}
export type UsagePlanConfig = {
  description?: string
  stages?: string[]
  throttle?: ThrottleConfig
  quota?: {limit: number; period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number}
  methods?: Record<string, ThrottleConfig>
}
/** A REST or HTTP API: its routes are in an OpenAPI spec. */
export type SpecApiConfig = {
  type: 'rest' | 'http'
  spec: string
  description?: string
  endpointType?: 'REGIONAL' | 'EDGE' | 'PRIVATE'
  /** REST, PRIVATE: the VPC endpoints the API is associated with. */
  vpcEndpointIds?: string[]
  /** REST: the resource policy, inline or a file path relative to apigw.yaml. */
  policy?: Record<string, unknown> | string
  tags?: Record<string, string>
  stages: Record<string, StageConfig>
  usagePlans?: Record<string, UsagePlanConfig>
  /** REST: documentation parts from the spec, published as a documentation version on deploy. */
  docs?: DocsConfig
  alarms?: Record<string, AlarmConfig>
}
export type DocsConfig = {publish?: boolean; version?: string}
/** A WebSocket API: it has no OpenAPI form, so its routes are declared here (checks in websocket.ts). */
export type WebSocketIntegrationConfig = {
  type?: 'AWS_PROXY' | 'AWS' | 'HTTP_PROXY' | 'HTTP' | 'MOCK'
  function?: string
  uri?: string
  method?: string
  requestTemplates?: Record<string, string>
  templateSelectionExpression?: string
  passthroughBehavior?: 'WHEN_NO_MATCH' | 'NEVER' | 'WHEN_NO_TEMPLATES'
  contentHandlingStrategy?: 'CONVERT_TO_BINARY' | 'CONVERT_TO_TEXT'
  timeoutInMillis?: number
  responses?: Record<string, {templates?: Record<string, string>; templateSelectionExpression?: string}>
}
export type WebSocketRouteConfig = {
  integration?: WebSocketIntegrationConfig
  authorizer?: string
  /** $connect only: AWS_IAM makes the handshake need a SigV4 signature (an authorizer makes it CUSTOM). */
  authorizationType?: 'NONE' | 'AWS_IAM'
  apiKeyRequired?: boolean
  routeResponseSelectionExpression?: string
  operationName?: string
}
export type WebSocketAuthorizerConfig = {function: string; identitySource?: string[]}
export type WebSocketApiConfig = {
  type: 'websocket'
  routeSelectionExpression: string
  apiKeySelectionExpression?: '$request.header.x-api-key' | '$context.authorizer.usageIdentifierKey'
  routes: Record<string, WebSocketRouteConfig>
  authorizers?: Record<string, WebSocketAuthorizerConfig>
  description?: string
  tags?: Record<string, string>
  stages: Record<string, StageConfig>
}

export type ApiConfig = SpecApiConfig | WebSocketApiConfig
/** A Lambda function run by the local emulator (`functions:`); see src/local/data-plane/functions. */
export type FunctionConfig = {
  handler?: string
  command?: string | string[]
  timeout?: number
  memorySize?: number
  environment?: Record<string, string | number | boolean>
  description?: string
}
/** A Cognito user pool the emulator stands in for (`identity.pools`): its ARN, and a real JWKS to verify against. */
export type PoolConfig = {arn: string; jwksUrl?: string}
export type LevelOverride = 'error' | 'warning' | 'info' | 'off'
export type ProjectConfig = {
  apis: Record<string, ApiConfig>
  diff?: {levels?: Record<string, LevelOverride>; ignore?: Array<{id: string; operation?: string; path?: string; reason: string}>}
  validate?: {levels?: Record<string, LevelOverride>}
  functions?: Record<string, FunctionConfig>
  identity?: {pools?: Record<string, PoolConfig>}
  /** Custom domain names (core/config/domains.ts). */
  domains?: Record<string, DomainConfig>
}
export type {DomainConfig}

export type LoadedConfig = {
  /** Absolute path of apigw.yaml. */
  path: string
  /** The directory apigw.yaml is in: specs are relative to it. */
  dir: string
  config: ProjectConfig
}

export const SCHEMA_URL = new URL('../../../schemas/apigw.schema.json', import.meta.url)

type AjvError = {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
  /** Set on the errors of a `propertyNames` schema: the key whose name failed. */
  propertyName?: string
  parentSchema?: {properties?: Record<string, unknown>}
}

/** Parse and validate apigw.yaml text. Throws an InputProblem (CONFIG_INVALID…) with file:line:column, the key and a hint. */
export async function parseConfig(path: string, bytes: Buffer): Promise<LoadedConfig> {
  const text = decodeSource(path, bytes, 'config file')
  const value = parseSource(path, text, {what: 'config file', kind: 'config'}).value
  const ajv = await ajvFor('draft-07', {useDefaults: true})
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')))
  if (!validate(value)) {
    const locate = createLocator(path, text)
    const error = pickError(validate.errors as AjvError[])
    const tokens = parsePointer(`#${error.instancePath}`)
    // A key whose name is refused (propertyNames: a domain name) is reported at that key, by its name.
    const named = error.propertyName ?? error.params.propertyName
    const badName = named === undefined ? undefined : String(named)
    const keyTokens =
      error.keyword === 'additionalProperties'
        ? [...tokens, String(error.params.additionalProperty)]
        : badName !== undefined
          ? [...tokens, badName]
          : tokens
    const pos = locate(pointerOf(keyTokens)) ?? {line: 1, column: 1}
    const where = keyTokens.length > 0 ? keyTokens.join('.') : '(top level)'
    const message =
      badName !== undefined
        ? `"${badName}" is not allowed as a key of "${tokens.join('.') || '(top level)'}"` +
          `${error.keyword === 'pattern' ? ` (the pattern is ${String(error.params.pattern)})` : ''}.`
        : describe(error, where, value)
    throw new InputProblem('CONFIG_INVALID', `${path}:${pos.line}:${pos.column}: ${message}`, {
      hint: hintFor(error, tokens, badName),
      details: {file: path, line: pos.line, column: pos.column, key: where},
    })
  }
  const config = value as ProjectConfig
  await checkRuleIds(path, text, config)
  checkAlarms(path, text, config)
  for (const api of Object.values(config.apis)) {
    api.type ??= 'rest'
    api.stages ??= {}
    for (const [name, stage] of Object.entries(api.stages)) if (stage === null) api.stages[name] = {}
  }
  checkDomainsAndPrivateApis(path, text, config)
  return {path: resolve(path), dir: dirname(resolve(path)), config}
}

/**
 * Rule and check ids named in `validate.levels`, `diff.levels` and `diff.ignore` exist: a typo there would
 * silently change nothing. The registries are loaded only when the config names ids.
 */
async function checkRuleIds(path: string, text: string, config: ProjectConfig): Promise<void> {
  const named: Array<{id: string; tokens: string[]; kind: 'validate' | 'diff'}> = []
  for (const id of Object.keys(config.validate?.levels ?? {})) named.push({id, tokens: ['validate', 'levels', id], kind: 'validate'})
  for (const id of Object.keys(config.diff?.levels ?? {})) named.push({id, tokens: ['diff', 'levels', id], kind: 'diff'})
  for (const [i, entry] of (config.diff?.ignore ?? []).entries())
    named.push({id: entry.id, tokens: ['diff', 'ignore', String(i), 'id'], kind: 'diff'})
  if (named.length === 0) return
  const known = {
    validate: [
      ...(await import('../rules/registry.ts')).RULES.map((r) => r.id),
      ...(await import('./websocket-rules.ts')).WEBSOCKET_RULES.map((r) => r.id),
    ],
    diff: [
      ...new Set([
        ...(await import('../checks/registry.ts')).registry.map((c) => c.id),
        ...(await import('../websocket/diff-ids.ts')).WEBSOCKET_DIFF_IDS,
        ...(await import('./domains-diff.ts')).DOMAIN_DIFF_REGISTRY.map((c) => c.id),
      ]),
    ],
  }
  for (const {id, tokens, kind} of named) {
    if (known[kind].includes(id)) continue
    const pos = createLocator(path, text)(pointerOf(tokens)) ?? {line: 1, column: 1}
    const guess = closest(id, known[kind])
    throw new InputProblem(
      'CONFIG_INVALID',
      `${path}:${pos.line}:${pos.column}: "${tokens.join('.')}" names ${kind === 'validate' ? 'a validate rule' : 'a diff check'} ` +
        `"${id}" that does not exist${guess ? ` (did you mean "${guess}"?)` : ''}.`,
      {
        hint:
          kind === 'validate'
            ? `Use one of the rule ids: ${known.validate.join(', ')}.`
            : "Check ids are oasdiff's where the same change is meant; a diff finding " +
              'prints its id in brackets, e.g. [api-path-removed-without-deprecation].',
        details: {file: path, line: pos.line, column: pos.column, key: tokens.join('.')},
      },
    )
  }
}

function pickError(errors: AjvError[]): AjvError {
  // The most useful error: an unknown key first, then the deepest one that is not a oneOf/anyOf summary.
  const unknown = errors.find((e) => e.keyword === 'additionalProperties')
  if (unknown) return unknown
  const concrete = errors.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf' && e.keyword !== 'if')
  const pool = concrete.length > 0 ? concrete : errors
  return pool.reduce((a, b) => (b.instancePath.length > a.instancePath.length ? b : a))
}

function describe(error: AjvError, where: string, root: unknown): string {
  const p = error.params
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty)
      const known = Object.keys(error.parentSchema?.properties ?? {})
      const suggestion = closest(key, known)
      return (
        `unknown key "${key}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}` +
        `${known.length > 0 ? `; known keys here: ${known.join(', ')}` : ''}.`
      )
    }
    case 'required':
      return `${where === '(top level)' ? 'the file' : `"${where}"`} is missing the required key "${String(p.missingProperty)}".`
    case 'enum': {
      const allowed = p.allowedValues as unknown[]
      const value = valueAt(root, where)
      const guess = typeof value === 'string' ? closest(value, allowed.map(String)) : undefined
      return (
        `"${where}" must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, ` +
        `not ${JSON.stringify(value)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}.`
      )
    }
    case 'type':
      return `"${where}" must be ${String(p.type).replace(',', ' or ')}, not ${describeType(valueAt(root, where))}.`
    case 'pattern':
      return `"${where}" does not match the allowed pattern ${String(p.pattern)}.`
    case 'propertyNames':
      return `"${where}" has a name that is not allowed (${String(p.propertyName)}).`
    default:
      return `"${where}" ${error.message ?? 'is invalid'}.`
  }
}

function hintFor(error: AjvError, tokens: string[] = [], badName?: string): string {
  if (tokens[0] === 'domains') {
    if (badName !== undefined && tokens.length === 1)
      return 'A domain name is a lowercase, fully qualified name such as api.example.com (or a wildcard, *.example.com).'
    const key = tokens.at(-1)
    if (key === 'certificateArn' && error.keyword === 'pattern')
      return 'Use the ARN of an ACM certificate for the name: arn:aws:acm:REGION:ACCOUNT:certificate/ID (`aws acm list-certificates`).'
    if (key === 'basePath' && error.keyword === 'pattern')
      return "A base path is segments of letters, digits and $-_.+!*'() joined by '/', e.g. v1 or shop/orders (without a leading '/')."
  }
  if (error.keyword === 'additionalProperties')
    return 'Fix or remove the key; the schema is schemas/apigw.schema.json (point your editor at it for completion).'
  if (error.keyword === 'required' && error.params.missingProperty === 'apis')
    return 'Add an `apis:` mapping, or run `apigw init` to scaffold apigw.yaml.'
  return 'See the apigw.yaml reference in the README, or schemas/apigw.schema.json.'
}

function valueAt(root: unknown, where: string): unknown {
  let node = root
  for (const token of where.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[token] : undefined
  return node
}

function describeType(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'a list'
  if (typeof v === 'object') return 'a mapping'
  return `${typeof v} ${JSON.stringify(v)}`
}

export {closest}
