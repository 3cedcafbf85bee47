/**
 * Request validation of REST APIs, as API Gateway's request validators do it
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html):
 * the method's `requestValidatorId` (import already resolved the spec's default `x-amazon-apigateway-request-validator`)
 * names a validator; `validateRequestParameters` checks that every required `method.request.*` parameter is included
 * and not blank; `validateRequestBody` checks the body against the method's model for `application/json` (else
 * `$default`, else `Empty`) as JSON Schema draft 4, with `$ref`s between the API's models. Parameters are checked
 * before the body, and the first failure is the answer: 400 `Missing required request parameters: [a, b]`
 * (BAD_REQUEST_PARAMETERS) or 400 `Invalid request body` (BAD_REQUEST_BODY).
 *
 * Schemas are compiled once per deployment snapshot and model (a deployment is frozen, so they never go stale).
 */
import {createRequire} from 'node:module'
import type {ErrorObject, ValidateFunction} from 'ajv'
import type {ApiSnapshot, MethodDoc, ModelDoc, RequestValidatorDoc} from '../../openapi/types.ts'

/** What validation reads of the request: values as received, header names in any case. */
export type RequestToValidate = {
  headers: Record<string, string | string[] | undefined>
  query: Record<string, string | string[] | undefined>
  pathParameters: Record<string, string | undefined>
  body: string | Uint8Array
}

export type ValidationInput = {
  /**
   * The deployment's frozen configuration (models and validators are read from it). Compiled schemas are cached
   * on this object, so pass the same object for every request to one deployment.
   */
  snapshot: Pick<ApiSnapshot, 'restApiId' | 'models' | 'requestValidators'>
  method: Pick<MethodDoc, 'requestValidatorId' | 'requestParameters' | 'requestModels'>
  request: RequestToValidate
}

export type ValidationFailure = {
  ok: false
  responseType: 'BAD_REQUEST_PARAMETERS' | 'BAD_REQUEST_BODY'
  /** AWS's message, the `message` of the 400 answer and `$context.error.message`. */
  message: string
  /** `$context.error.validationErrorString`: what was wrong in detail. */
  validationErrorString: string
  /** One line for the execution log (AWS: `Request validation failed: …`). */
  logLine: string
}

export type ValidationResult = {ok: true; validator?: RequestValidatorDoc} | ValidationFailure

/** The models AWS gives every REST API (CreateRestApi); used when a snapshot lacks them. */
const DEFAULT_MODELS: Record<string, string> = {
  Empty: '{"$schema":"http://json-schema.org/draft-04/schema#","title":"Empty Schema","type":"object"}',
  Error:
    '{"$schema":"http://json-schema.org/draft-04/schema#","title":"Error ' +
    'Schema","type":"object","properties":{"message":{"type":"string"}}}',
}

const MODEL_URL = 'https://apigateway.amazonaws.com/restapis'

export const modelUrl = (restApiId: string, name: string): string => `${MODEL_URL}/${restApiId}/models/${name}`

const blank = (v: string | string[] | undefined): boolean =>
  v === undefined || (Array.isArray(v) ? v.every((x) => x.trim() === '') : v.trim() === '')

function headerValue(headers: RequestToValidate['headers'], name: string): string | string[] | undefined {
  const lower = name.toLowerCase()
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v
  return undefined
}

/** Names of required parameters that are absent or blank, in the order of their `method.request.*` keys. */
export function missingParameters(method: ValidationInput['method'], request: RequestToValidate): string[] {
  const missing: string[] = []
  for (const key of Object.keys(method.requestParameters ?? {}).sort()) {
    if (method.requestParameters?.[key] !== true) continue
    const m = /^method\.request\.(header|multivalueheader|querystring|multivaluequerystring|path)\.(.+)$/.exec(key)
    if (!m) continue
    const [, where, name] = m as unknown as [string, string, string]
    let value: string | string[] | undefined
    if (where === 'path') value = request.pathParameters[name]
    else if (where.endsWith('header')) value = headerValue(request.headers, name)
    else value = Object.hasOwn(request.query, name) ? request.query[name] : undefined
    if (blank(value)) missing.push(name)
  }
  return missing
}

type Compiled = {validate(name: string): ValidateFunction | {error: string}}

const require = createRequire(import.meta.url)
let AjvCtor: (new (options: Record<string, unknown>) => AjvInstance) | undefined
type AjvInstance = {
  addSchema(schema: object, key: string): unknown
  getSchema(key: string): ValidateFunction | undefined
}

function newAjv(): AjvInstance {
  if (!AjvCtor) AjvCtor = require('ajv-draft-04') as typeof AjvCtor
  const ajv = new AjvCtor!({allErrors: false, strict: false, logger: false, validateSchema: false})
  // The draft-4 formats API Gateway's validator checks.
  ;(require('ajv-formats') as (a: unknown, f: string[]) => void)(ajv, ['date-time', 'email', 'hostname', 'ipv4', 'ipv6', 'uri'])
  return ajv
}

/**
 * `$ref`s as API Gateway resolves them between models: the model URL form (any API id in it means this API's model),
 * and `#/definitions/X` or `#/components/schemas/X` naming another model when the schema has no such local definition.
 */
function rewriteRefs(node: unknown, root: Record<string, unknown>, restApiId: string, names: Set<string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewriteRefs(n, root, restApiId, names))
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(node)) {
    if (k === '$ref' && typeof v === 'string') {
      const url = /^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\/([^/#]+)$/.exec(v)
      const local = /^#\/(?:definitions|components\/schemas)\/([^/]+)$/.exec(v)
      const definitions = root.definitions as Record<string, unknown> | undefined
      if (url) out[k] = modelUrl(restApiId, decodeURIComponent(url[1]!))
      else if (local && v.startsWith('#/definitions/') && definitions && Object.hasOwn(definitions, local[1]!)) out[k] = v
      else if (local && names.has(local[1]!)) out[k] = modelUrl(restApiId, local[1]!)
      else out[k] = v
    } else out[k] = rewriteRefs(v, root, restApiId, names)
  }
  return out
}

/** A model's schema made loadable: its URL as `id`, no `$schema` (models often name other drafts), refs resolved. */
function prepare(schemaText: string | undefined, url: string, restApiId: string, names: Set<string>): object | {error: string} {
  let schema: unknown
  try {
    schema = JSON.parse(schemaText ?? '{}')
  } catch (e) {
    return {error: `the model's schema is not JSON (${(e as Error).message})`}
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return {error: "the model's schema is not an object"}
  const {$schema: _ignored, id: _id, ...rest} = schema as Record<string, unknown>
  return {...(rewriteRefs(rest, rest, restApiId, names) as object), id: url}
}

function compileModels(snapshot: ValidationInput['snapshot']): Compiled {
  const ajv = newAjv()
  const byName = new Map<string, ModelDoc | {name: string; schema: string}>()
  for (const [name, schema] of Object.entries(DEFAULT_MODELS)) byName.set(name, {name, schema})
  for (const m of snapshot.models) byName.set(m.name, m)
  const problems = new Map<string, string>()
  const names = new Set(byName.keys())
  for (const m of byName.values()) {
    const url = modelUrl(snapshot.restApiId, m.name)
    const prepared = prepare(m.schema, url, snapshot.restApiId, names)
    if ('error' in prepared) {
      problems.set(m.name, prepared.error as string)
      continue
    }
    try {
      ajv.addSchema(prepared, url)
    } catch (e) {
      problems.set(m.name, (e as Error).message)
    }
  }
  const compiled = new Map<string, ValidateFunction | {error: string}>()
  return {
    validate(name) {
      const hit = compiled.get(name)
      if (hit) return hit
      let out: ValidateFunction | {error: string}
      if (problems.has(name)) out = {error: problems.get(name)!}
      else if (!byName.has(name)) out = {error: `no model named ${name}`}
      else {
        try {
          out = ajv.getSchema(modelUrl(snapshot.restApiId, name)) ?? {error: `no model named ${name}`}
        } catch (e) {
          out = {error: (e as Error).message}
        }
      }
      compiled.set(name, out)
      return out
    },
  }
}

// Keyed by the snapshot object: a deployment's compiled schemas live as long as the deployment does.
const cache = new WeakMap<object, Compiled>()

function modelsOf(input: ValidationInput): Compiled {
  let c = cache.get(input.snapshot)
  if (!c) {
    c = compileModels(input.snapshot)
    cache.set(input.snapshot, c)
  }
  return c
}

/**
 * The model the body is validated against: `application/json`, else `$default`, else `Empty`
 * (AWS validates only JSON payloads; `Empty` is `{"type":"object"}`).
 */
export function bodyModelName(method: ValidationInput['method']): string {
  const models = method.requestModels ?? {}
  return models['application/json'] ?? models.$default ?? 'Empty'
}

/** One error in the wording of API Gateway's validator (the fge json-schema-validator messages). */
function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'required':
      return `object has missing required properties (["${String(p.missingProperty)}"])`
    case 'type':
      return `instance type (${typeName(e.data)}) does not match any allowed primitive type (allowed: ${JSON.stringify([p.type].flat())})`
    case 'enum':
      return `instance value (${JSON.stringify(e.data)}) not found in enum (possible values: ${JSON.stringify(p.allowedValues)})`
    case 'minLength':
      return `string ${JSON.stringify(e.data)} is too short (length: ${String(e.data).length}, required minimum: ${String(p.limit)})`
    case 'maxLength':
      return `string ${JSON.stringify(e.data)} is too long (length: ${String(e.data).length}, maximum allowed: ${String(p.limit)})`
    case 'pattern':
      return `ECMA 262 regex "${String(p.pattern)}" does not match input string ${JSON.stringify(e.data)}`
    case 'minimum':
    case 'maximum':
      return (
        `numeric instance is ${e.keyword === 'minimum' ? 'lower than the required minimum' : 'greater than the required maximum'} ` +
        `(${e.keyword}: ${String(p.limit)}, found: ${String(e.data)})`
      )
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ["${String(p.additionalProperty)}"]`
    default:
      return e.message ?? e.keyword
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function bodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
}

/** Validate one request against its method's validator. Pure apart from the compiled-schema cache. */
export function validateRequest(input: ValidationInput): ValidationResult {
  const id = input.method.requestValidatorId?.trim()
  if (!id) return {ok: true}
  const validator = input.snapshot.requestValidators.find((v) => v.id === id)
  if (!validator) return {ok: true}

  if (validator.validateRequestParameters) {
    const missing = missingParameters(input.method, input.request)
    if (missing.length > 0) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`
      return {
        ok: false,
        responseType: 'BAD_REQUEST_PARAMETERS',
        message,
        validationErrorString: message,
        logLine: `Request validation failed: ${message}`,
      }
    }
  }

  if (validator.validateRequestBody) {
    const name = bodyModelName(input.method)
    const text = bodyText(input.request.body)
    const invalid = (detail: string): ValidationFailure => ({
      ok: false,
      responseType: 'BAD_REQUEST_BODY',
      message: 'Invalid request body',
      validationErrorString: detail,
      logLine: `Request body does not match model schema for content type application/json: ${detail}`,
    })
    let doc: unknown
    try {
      // AWS validates an empty body as `{}`.
      doc = text.trim() === '' ? {} : JSON.parse(text)
    } catch (e) {
      return invalid(`[Invalid JSON: ${(e as Error).message}]`)
    }
    const fn = modelsOf(input).validate(name)
    if ('error' in fn) return invalid(`[Model ${name} cannot be used: ${fn.error}]`)
    if (!fn(doc)) return invalid(`[${(fn.errors ?? []).map(describe).join(', ')}]`)
  }
  return {ok: true, validator}
}
