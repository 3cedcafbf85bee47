/**
 * API Gateway v1 API keys: CreateApiKey, GetApiKeys, GetApiKey, UpdateApiKey, DeleteApiKey, ImportApiKeys.
 * Also the small wire helpers the key, plan, tag and account modules share (epoch seconds, position/limit
 * paging, patch operations in AWS's Coral error forms).
 *
 * Messages are verbatim from the AWS recordings (corpus/aws-ground-truth 13, 14, 19) unless a comment says
 * otherwise. API reference: https://docs.aws.amazon.com/apigateway/latest/api/API_CreateApiKey.html
 */
import {randomBytes} from 'node:crypto'
import type {ApiKey, ApiKeyIds, ApiKeys, CreateApiKeyRequest, StageKey} from '@aws-sdk/client-api-gateway'
import {parse as parseCsv} from 'csv-parse/sync'
import {AwsError, badRequest, conflict, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {linkKeyToPlan} from './usage-plans.ts'

/** The API key document as stored (the GetApiKey wire shape with the value always present). */
export type ApiKeyDoc = {
  id: string
  value: string
  name?: string
  customerId?: string
  description?: string
  enabled: boolean
  createdDate: number
  lastUpdatedDate: number
  /** Legacy stage keys, `${restApiId}/${stageName}`. */
  stageKeys: string[]
  tags?: Record<string, string>
}

/** The link between a usage plan and an API key (kind usageplankey, id `${usagePlanId}/${keyId}`). */
export type UsagePlanKeyDoc = {id: string; type: 'API_KEY'; usagePlanId: string; createdDate: number}

/** https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: 10,000 API keys per account per Region, not increasable. */
export const MAX_API_KEYS = 10_000
const MAX_NAME = 1024
const MAX_DESCRIPTION = 125_000
const MIN_VALUE = 20
const MAX_VALUE = 128
const GENERATED_VALUE_LENGTH = 40
const VALUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

// ---------------------------------------------------------------------------------------------------------
// Shared wire helpers
// ---------------------------------------------------------------------------------------------------------

/** v1 timestamps are epoch seconds (JSON numbers). */
export function epochSeconds(ctx: OperationContext): number {
  return Math.floor(ctx.now().getTime() / 1000)
}

const DEFAULT_LIMIT = 25
const MAX_LIMIT = 500

/**
 * AWS's `?position=&limit=` paging over an already ordered list. `position` is opaque to clients; a
 * negative or zero limit answers an empty page without error, as AWS does (recording 13,
 * `get-api-keys-invalid-limit`).
 */
export function paginate<T>(items: readonly T[], query: Record<string, string>): {items: T[]; position?: string} {
  let limit = DEFAULT_LIMIT
  if (query.limit !== undefined && query.limit !== '') {
    const n = Number(query.limit)
    if (!Number.isInteger(n)) throw badRequest(`Invalid limit specified: ${query.limit}`)
    limit = Math.min(n, MAX_LIMIT)
  }
  if (limit <= 0) return {items: []}
  let offset = 0
  if (query.position) {
    const decoded = /^o(\d+)$/.exec(Buffer.from(query.position, 'base64url').toString('utf8'))
    if (!decoded) throw badRequest('Invalid position parameter specified')
    offset = Number(decoded[1])
  }
  const page = items.slice(offset, offset + limit)
  const next = offset + limit
  return next < items.length ? {items: page, position: Buffer.from(`o${next}`).toString('base64url')} : {items: page}
}

export type PatchOperation = {op: string; path?: string; value?: string; from?: string}

const PATCH_OPS = ['add', 'remove', 'replace', 'move', 'test', 'copy']

/**
 * The `patchOperations` of an Update* body, with AWS's Coral validation error for unknown ops (every bad op
 * reported at once, recording 19): `1 validation error detected: Value 'x' at
 * 'updateApiKeyInput.patchOperations.1.member.op' failed to satisfy constraint: ...`.
 */
export function readPatchOperations(req: OperationRequest, inputName: string): PatchOperation[] {
  const raw = req.json().patchOperations
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) throw new AwsError('SerializationException', 'Expected a list for patchOperations', 400)
  const ops: PatchOperation[] = []
  const errors: string[] = []
  raw.forEach((item: unknown, i: number) => {
    const o = (item ?? {}) as Record<string, unknown>
    const op = typeof o.op === 'string' ? o.op : String(o.op)
    if (!PATCH_OPS.includes(op)) {
      errors.push(
        `Value '${op}' at '${inputName}.patchOperations.${i + 1}.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]`,
      )
    }
    ops.push({
      op,
      path: o.path === undefined || o.path === null ? undefined : String(o.path),
      value: o.value === undefined || o.value === null ? undefined : String(o.value),
      from: o.from === undefined || o.from === null ? undefined : String(o.from),
    })
  })
  if (errors.length > 0) {
    const head = errors.length === 1 ? '1 validation error detected' : `${errors.length} validation errors detected`
    throw new AwsError('ValidationException', `${head}: ${errors.join('; ')}`, 400)
  }
  return ops
}

/** `Invalid patch path  '/id' specified for op 'replace'. Must be one of: [...]` (two spaces, verbatim, recording 14). */
export function invalidPatchPath(path: string | undefined, op: string, allowed?: readonly string[]): AwsError {
  const tail = allowed && allowed.length > 0 ? `Must be one of: [${allowed.join(', ')}]` : 'Please choose supported operations'
  return badRequest(`Invalid patch path  '${path ?? 'null'}' specified for op '${op}'. ${tail}`)
}

/** A string map from a JSON body member (tags), or undefined; anything else is a SerializationException. */
export function readStringMap(value: unknown, member: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new AwsError('SerializationException', `Expected a map of strings for ${member}`, 400)
  }
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') throw new AwsError('SerializationException', `Expected a string value for ${member}.${k}`, 400)
    out[k] = v
  }
  return out
}

function optionalString(body: Record<string, unknown>, member: string): string | undefined {
  const v = body[member]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string') throw new AwsError('SerializationException', `Expected a string for ${member}`, 400)
  return v
}

function optionalBoolean(body: Record<string, unknown>, member: string): boolean | undefined {
  const v = body[member]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'boolean') throw new AwsError('SerializationException', `Expected a boolean for ${member}`, 400)
  return v
}

// ---------------------------------------------------------------------------------------------------------
// Store access shared with usage plans
// ---------------------------------------------------------------------------------------------------------

/** Throw AWS's NotFoundException unless the API key exists. */
export function requireApiKey(store: Store, keyId: string): ApiKeyDoc {
  const key = store.get<ApiKeyDoc>(KIND.apiKey, keyId)
  // Message as moto and LocalStack answer it (not in the recordings).
  if (!key) throw notFound('Invalid API Key identifier specified')
  return key
}

/** Ids of the usage plans an API key belongs to. */
export function plansOfKey(store: Store, keyId: string): string[] {
  const plans: string[] = []
  for (const link of store.list<UsagePlanKeyDoc>(KIND.usagePlanKey)) if (link.id === keyId) plans.push(link.usagePlanId)
  return plans
}

// ---------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------

function validateName(name: string | undefined): void {
  if (name !== undefined && name.length > MAX_NAME) throw badRequest('Invalid API Key name, can be at most 1024 characters.')
}

function validateDescription(description: string | undefined): void {
  if (description !== undefined && description.length > MAX_DESCRIPTION) throw badRequest('Invalid API Key description specified.')
}

/** Key values are 20–128 characters (recording 14). Returns the error message, or undefined when valid. */
export function valueProblem(value: string): string | undefined {
  if (value.length < MIN_VALUE) return 'API Key value should be at least 20 characters'
  if (value.length > MAX_VALUE) return 'API Key value exceeds maximum size of 128 characters'
  return undefined
}

function generateValue(): string {
  const bytes = randomBytes(GENERATED_VALUE_LENGTH)
  let value = ''
  for (let i = 0; i < GENERATED_VALUE_LENGTH; i++) value += VALUE_ALPHABET[bytes[i]! % VALUE_ALPHABET.length]
  return value
}

function findByValue(store: Store, value: string): ApiKeyDoc | undefined {
  return store.list<ApiKeyDoc>(KIND.apiKey).find((k) => k.value === value)
}

function requireStageKey(store: Store, restApiId: string, stageName: string): string {
  requireRestApi(store, restApiId)
  // Message as moto answers it (not in the recordings).
  if (!store.get(KIND.stage, childId(restApiId, stageName))) throw badRequest('Invalid stage identifier specified')
  return `${restApiId}/${stageName}`
}

function checkKeyLimit(store: Store): void {
  if (store.count(KIND.apiKey) >= MAX_API_KEYS) {
    // The 10,000-keys quota (developer guide, "Amazon API Gateway quotas"); AWS's exact wording is not recorded.
    throw new AwsError('LimitExceededException', `Cannot create more API keys: the limit of ${MAX_API_KEYS} API keys per account and Region is reached.`, 429)
  }
}

// ---------------------------------------------------------------------------------------------------------
// Wire shapes
// ---------------------------------------------------------------------------------------------------------

type View = {value: boolean; tags: 'always' | 'if-set' | 'if-non-empty'}

function render(doc: ApiKeyDoc, view: View): ApiKey {
  const out: Record<string, unknown> = {id: doc.id}
  if (view.value) out.value = doc.value
  if (doc.name !== undefined && doc.name !== '') out.name = doc.name
  if (doc.customerId !== undefined) out.customerId = doc.customerId
  if (doc.description !== undefined) out.description = doc.description
  out.enabled = doc.enabled
  out.createdDate = doc.createdDate
  out.lastUpdatedDate = doc.lastUpdatedDate
  out.stageKeys = doc.stageKeys
  if (view.tags === 'always') out.tags = doc.tags ?? {}
  else if (view.tags === 'if-set' && doc.tags !== undefined) out.tags = doc.tags
  else if (view.tags === 'if-non-empty' && doc.tags && Object.keys(doc.tags).length > 0) out.tags = doc.tags
  return out as ApiKey
}

const bool = (v: string | undefined): boolean => v === 'true'

// ---------------------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------------------

/** CreateApiKey: `POST /apikeys` → 201. `enabled` defaults to false; an empty or missing value is generated. */
export function createApiKey(req: OperationRequest, ctx: OperationContext): OperationResult {
  const body = req.json()
  const input: CreateApiKeyRequest = {
    name: optionalString(body, 'name'),
    description: optionalString(body, 'description'),
    enabled: optionalBoolean(body, 'enabled'),
    value: optionalString(body, 'value'),
    customerId: optionalString(body, 'customerId'),
    tags: readStringMap(body.tags, 'tags'),
    stageKeys: Array.isArray(body.stageKeys) ? (body.stageKeys as StageKey[]) : undefined,
  }
  validateName(input.name)
  if (input.value !== undefined && input.value !== '') {
    const problem = valueProblem(input.value)
    if (problem) throw badRequest(problem)
  }
  validateDescription(input.description)
  const store = ctx.store
  const value = input.value || generateValue()
  // Two keys are the same key when their values are equal (developer guide, api-key-file-format); CreateApiKey
  // refuses a second one with 409 `API Key already exists` (seen from AWS in serverless issues).
  if (findByValue(store, value)) throw conflict('API Key already exists')
  checkKeyLimit(store)
  const stageKeys = (input.stageKeys ?? []).map((sk) => requireStageKey(store, sk.restApiId ?? '', sk.stageName ?? ''))
  const now = epochSeconds(ctx)
  const doc: ApiKeyDoc = {
    id: ctx.newId(10),
    value,
    enabled: input.enabled ?? false,
    createdDate: now,
    lastUpdatedDate: now,
    stageKeys,
  }
  if (input.name !== undefined && input.name !== '') doc.name = input.name
  if (input.customerId !== undefined) doc.customerId = input.customerId
  if (input.description !== undefined) doc.description = input.description
  if (input.tags !== undefined) doc.tags = input.tags
  store.put(KIND.apiKey, doc.id, doc)
  return {status: 201, body: render(doc, {value: true, tags: 'if-set'})}
}

/**
 * GetApiKeys: `GET /apikeys?name=&customerId=&includeValues=&position=&limit=`. `name` (SDK `nameQuery`) is a
 * case-sensitive prefix match; newest keys first (recording 13).
 */
export function getApiKeys(req: OperationRequest, ctx: OperationContext): OperationResult {
  const {name, customerId} = req.query
  const includeValues = bool(req.query.includeValues)
  const keys = ctx.store
    .list<ApiKeyDoc>(KIND.apiKey)
    .reverse()
    .filter((k) => (name ? (k.name ?? '').startsWith(name) : true))
    .filter((k) => (customerId ? k.customerId === customerId : true))
  const page = paginate(keys, req.query)
  const body: Record<string, unknown> = {item: page.items.map((k) => render(k, {value: includeValues, tags: 'if-non-empty'}))}
  if (page.position) body.position = page.position
  return {status: 200, body: body as ApiKeys}
}

/** GetApiKey: `GET /apikeys/{api_Key}?includeValue=`. */
export function getApiKey(req: OperationRequest, ctx: OperationContext): OperationResult {
  const doc = requireApiKey(ctx.store, req.params.api_Key ?? '')
  return {status: 200, body: render(doc, {value: bool(req.query.includeValue), tags: 'always'})}
}

const API_KEY_REPLACE_PATHS = ['/description', '/enabled', '/name', '/customerId']

/**
 * UpdateApiKey: `PATCH /apikeys/{api_Key}`. replace /description, /enabled (anything but "true" is false,
 * recording 14), /name, /customerId; add|remove /stages with `restApiId/stageName` (legacy stage keys).
 */
export function updateApiKey(req: OperationRequest, ctx: OperationContext): OperationResult {
  const ops = readPatchOperations(req, 'updateApiKeyInput')
  const doc = requireApiKey(ctx.store, req.params.api_Key ?? '')
  for (const op of ops) {
    if (op.op === 'replace') {
      switch (op.path) {
        case '/description':
          validateDescription(op.value)
          if (op.value === undefined || op.value === '') delete doc.description
          else doc.description = op.value
          break
        case '/enabled':
          doc.enabled = bool(op.value)
          break
        case '/name':
          validateName(op.value)
          if (op.value === undefined || op.value === '') delete doc.name
          else doc.name = op.value
          break
        case '/customerId':
          if (op.value === undefined || op.value === '') delete doc.customerId
          else doc.customerId = op.value
          break
        default:
          throw invalidPatchPath(op.path, op.op, API_KEY_REPLACE_PATHS)
      }
    } else if ((op.op === 'add' || op.op === 'remove') && op.path === '/stages') {
      const [restApiId = '', stageName = ''] = (op.value ?? '').split('/')
      if (op.op === 'add') {
        const sk = requireStageKey(ctx.store, restApiId, stageName)
        if (!doc.stageKeys.includes(sk)) doc.stageKeys.push(sk)
      } else {
        doc.stageKeys = doc.stageKeys.filter((sk) => sk !== `${restApiId}/${stageName}`)
      }
    } else {
      throw invalidPatchPath(op.path, op.op)
    }
  }
  doc.lastUpdatedDate = epochSeconds(ctx)
  ctx.store.put(KIND.apiKey, doc.id, doc)
  return {status: 200, body: render(doc, {value: false, tags: 'always'})}
}

/** DeleteApiKey: `DELETE /apikeys/{api_Key}` → 202; the key also leaves every usage plan (recording 15). */
export function deleteApiKey(req: OperationRequest, ctx: OperationContext): OperationResult {
  const doc = requireApiKey(ctx.store, req.params.api_Key ?? '')
  for (const planId of plansOfKey(ctx.store, doc.id)) ctx.store.delete(KIND.usagePlanKey, childId(planId, doc.id))
  ctx.store.delete(KIND.apiKey, doc.id)
  return {status: 202}
}

type CsvRow = {line: number; fields: Record<string, string>}

/**
 * Parse AWS's API key file: a header row (names case-insensitive, any order, unknown columns ignored) with
 * Name and Key required, plus Description, Enabled, UsagePlanIds (a comma list quoted with double or single
 * quotes). https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html
 */
export function parseApiKeyCsv(text: string): CsvRow[] {
  // The format allows single quotes around UsagePlanIds; csv-parse takes one quote character, so a file
  // quoted only with single quotes is read with that one.
  const quote = !text.includes('"') && text.includes("'") ? "'" : '"'
  let records: string[][]
  try {
    records = parseCsv(text, {bom: true, quote, relax_quotes: true, relax_column_count: true, skip_empty_lines: true, trim: true})
  } catch (error) {
    throw badRequest(`Invalid API Key file: ${(error as Error).message}`)
  }
  const [header, ...rows] = records
  if (!header) throw badRequest('Invalid API Key file: the file is empty.')
  const columns = header.map((h) => h.toLowerCase())
  for (const required of ['name', 'key']) {
    if (!columns.includes(required)) throw badRequest(`Invalid API Key file: the ${required === 'key' ? 'Key' : 'Name'} column is missing.`)
  }
  return rows.map((row, i) => {
    const fields: Record<string, string> = {}
    columns.forEach((c, j) => {
      if (!(c in fields)) fields[c] = row[j] ?? ''
    })
    return {line: i + 2, fields}
  })
}

/**
 * ImportApiKeys: `POST /apikeys?mode=import&format=csv[&failonwarnings=true]` with the CSV as the raw body →
 * 201 `{ids, warnings}`. A row whose value matches an existing key overwrites that key. With failonwarnings
 * any warning rejects the whole file and nothing is imported.
 */
export function importApiKeys(req: OperationRequest, ctx: OperationContext): OperationResult {
  if ((req.query.format ?? '').toLowerCase() !== 'csv') {
    throw badRequest(`Invalid format specified: ${req.query.format ?? 'null'}. Valid options are csv`)
  }
  const failOnWarnings = bool(req.query.failonwarnings)
  const rows = parseApiKeyCsv(req.rawBody.toString('utf8'))
  const store = ctx.store
  const ids: string[] = []
  const warnings: string[] = []
  const now = epochSeconds(ctx)
  for (const {line, fields} of rows) {
    const value = fields.key ?? ''
    const name = fields.name ?? ''
    const problem = valueProblem(value) ?? (name.length > MAX_NAME ? 'Invalid API Key name, can be at most 1024 characters.' : undefined)
    if (problem) {
      warnings.push(`Line ${line}: ${problem}`)
      continue
    }
    const planIds = (fields.usageplanids ?? '')
      .replace(/^['"]|['"]$/g, '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
    const missingPlan = planIds.find((p) => !store.get(KIND.usagePlan, p))
    if (missingPlan) {
      warnings.push(`Line ${line}: Invalid Usage Plan ID specified: ${missingPlan}`)
      continue
    }
    const enabledText = (fields.enabled ?? '').toLowerCase()
    let doc = findByValue(store, value)
    if (!doc) {
      checkKeyLimit(store)
      doc = {id: ctx.newId(10), value, enabled: true, createdDate: now, lastUpdatedDate: now, stageKeys: []}
    }
    if (name === '') delete doc.name
    else doc.name = name
    const description = fields.description ?? ''
    if (description === '') delete doc.description
    else doc.description = description
    // Missing columns default to an empty string or true (developer guide).
    doc.enabled = enabledText === '' ? true : enabledText === 'true'
    doc.lastUpdatedDate = now
    store.put(KIND.apiKey, doc.id, doc)
    // Re-importing a key overwrites it: plans it is already in are kept as they are.
    const linked = plansOfKey(store, doc.id)
    for (const planId of planIds) if (!linked.includes(planId)) linkKeyToPlan(ctx, planId, doc.id)
    ids.push(doc.id)
  }
  if (failOnWarnings && warnings.length > 0) {
    // Thrown inside the operation's transaction, so every row written above is rolled back.
    throw badRequest(`Warnings found during import:\n${warnings.join('\n')}`)
  }
  const body: ApiKeyIds = {ids, warnings}
  return {status: 201, body}
}
