/**
 * API Gateway v1 API keys: CreateApiKey, GetApiKeys, GetApiKey, UpdateApiKey, DeleteApiKey (ImportApiKeys is in
 * api-key-import.ts), and the key lookups usage plans and tags share.
 *
 * Messages are verbatim from the AWS recordings (corpus/aws-ground-truth 13, 14, 19) unless a comment says
 * otherwise. API reference: https://docs.aws.amazon.com/apigateway/latest/api/API_CreateApiKey.html
 */
import {randomBytes} from 'node:crypto'
import type {ApiKey, ApiKeys, CreateApiKeyRequest, StageKey} from '@aws-sdk/client-api-gateway'
import {AwsError, badRequest, conflict, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {invalidPatchPath, nowSeconds, paginate, readPatchOperations, readStringMap} from './common.ts'

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
export const MAX_NAME = 1024
const MAX_DESCRIPTION = 125_000
const MIN_VALUE = 20
const MAX_VALUE = 128
const GENERATED_VALUE_LENGTH = 40
const VALUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'

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

export function findByValue(store: Store, value: string): ApiKeyDoc | undefined {
  return store.list<ApiKeyDoc>(KIND.apiKey).find((k) => k.value === value)
}

function requireStageKey(store: Store, restApiId: string, stageName: string): string {
  requireRestApi(store, restApiId)
  // Message as moto answers it (not in the recordings).
  if (!store.get(KIND.stage, childId(restApiId, stageName))) throw badRequest('Invalid stage identifier specified')
  return `${restApiId}/${stageName}`
}

export function checkKeyLimit(store: Store): void {
  if (store.count(KIND.apiKey) >= MAX_API_KEYS) {
    // The 10,000-keys quota (developer guide, "Amazon API Gateway quotas"); AWS's exact wording is not recorded.
    throw new AwsError(
      'LimitExceededException',
      `Cannot create more API keys: the limit of ${MAX_API_KEYS} API keys per account and Region is reached.`,
      429,
    )
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

export const bool = (v: string | undefined): boolean => v === 'true'

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
  const now = nowSeconds(ctx)
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
  doc.lastUpdatedDate = nowSeconds(ctx)
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
