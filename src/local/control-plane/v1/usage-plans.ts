/**
 * API Gateway v1 usage plans and their keys: CreateUsagePlan, GetUsagePlans, GetUsagePlan, UpdateUsagePlan,
 * DeleteUsagePlan, CreateUsagePlanKey, GetUsagePlanKeys, GetUsagePlanKey, DeleteUsagePlanKey, GetUsage.
 *
 * Messages are verbatim from the AWS recordings (corpus/aws-ground-truth 15, 19) or from AWS answers quoted
 * in public issues (linked next to them); the few without a source say so.
 * API reference: https://docs.aws.amazon.com/apigateway/latest/api/API_UpdateUsagePlan.html
 */
import type {ApiStage, QuotaSettings, ThrottleSettings, Usage, UsagePlan, UsagePlanKey} from '@aws-sdk/client-api-gateway'
import {AwsError, badRequest, conflict, notFound} from '../../protocol/aws-error.ts'
import type {Store} from '../../store/store.ts'
import type {OperationContext, OperationRequest, OperationResult} from '../../types.ts'
import {childId, KIND, requireRestApi} from '../model.ts'
import {type ApiKeyDoc, plansOfKey, requireApiKey, type UsagePlanKeyDoc} from './api-keys.ts'
import {trafficOf} from '../../data-plane/traffic/registry.ts'
import {grantId, storedWindowUsage, type UsageDoc, type UsageGrantDoc, usageId} from '../../data-plane/traffic/usage.ts'
import {invalidPatchPath, nowSeconds, paginate, readPatchOperations, readStringMap, unescapePointer} from './common.ts'

type Throttle = {burstLimit?: number; rateLimit?: number}
type Quota = {limit?: number; offset?: number; period?: string}

/** An API stage of a usage plan; `throttle` keys are `${resourcePath}/${httpMethod}` (e.g. `/pets/GET`). */
export type ApiStageDoc = {apiId: string; stage: string; throttle?: Record<string, Throttle>}

/** The usage plan document as stored (the GetUsagePlan wire shape). */
export type UsagePlanDoc = {
  id: string
  name: string
  description?: string
  apiStages: ApiStageDoc[]
  throttle?: Throttle
  quota?: Quota
  productCode?: string
  tags?: Record<string, string>
  createdDate: number
}

export {type UsageDoc, usageId} from '../../data-plane/traffic/usage.ts'

/** https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html: usage plans per API key. */
export const MAX_PLANS_PER_KEY = 10
const QUOTA_PERIODS = ['DAY', 'WEEK', 'MONTH']

// ---------------------------------------------------------------------------------------------------------
// Store access and validation
// ---------------------------------------------------------------------------------------------------------

/** Throw AWS's NotFoundException unless the usage plan exists (recording 15, `update-wrong-id`). */
export function requireUsagePlan(store: Store, usagePlanId: string): UsagePlanDoc {
  const plan = store.get<UsagePlanDoc>(KIND.usagePlan, usagePlanId)
  if (!plan) throw notFound('Invalid Usage Plan ID specified')
  return plan
}

function stageExists(store: Store, apiId: string, stage: string): boolean {
  return store.get(KIND.restApi, apiId) !== undefined && store.get(KIND.stage, childId(apiId, stage)) !== undefined
}

/** `Invalid API Stage {api: X, stage: Y} specified for usageplan Z` (404, recording 15). */
const apiStageNotFound = (apiId: string, stage: string, planId: string): AwsError =>
  notFound(`Invalid API Stage {api: ${apiId}, stage: ${stage}} specified for usageplan ${planId}`)

/**
 * CreateUsagePlan answers an empty apiId/stage or a stage the API lacks with this message, placeholders and
 * all: an AWS bug kept verbatim (https://github.com/aws/aws-sdk/issues/354,
 * https://github.com/aws/aws-cdk/issues/6169). An unknown API is NotFoundException
 * `Invalid API identifier specified` (https://github.com/aws/aws-cdk/issues/12731).
 */
const invalidApiStageOnCreate = (): AwsError => badRequest('Invalid API Stage {api: %s, stage: %s} specified for usageplan %s')

function readNumber(value: unknown, member: string, integer: boolean): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new AwsError('SerializationException', `Expected ${integer ? 'an integer' : 'a number'} for ${member}`, 400)
  }
  return value
}

function readThrottle(value: unknown, member: string): Throttle | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value))
    throw new AwsError('SerializationException', `Expected an object for ${member}`, 400)
  const t = value as Record<string, unknown>
  const out: Throttle = {}
  const burstLimit = readNumber(t.burstLimit, `${member}.burstLimit`, true)
  const rateLimit = readNumber(t.rateLimit, `${member}.rateLimit`, false)
  if (burstLimit !== undefined) out.burstLimit = burstLimit
  if (rateLimit !== undefined) out.rateLimit = rateLimit
  return out
}

function periodError(value: string, at: string): AwsError {
  return new AwsError(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${at}' failed to ` +
      `satisfy constraint: Member must satisfy enum value set: [WEEK, DAY, MONTH]`,
    400,
  )
}

function readQuota(value: unknown): Quota | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) throw new AwsError('SerializationException', 'Expected an object for quota', 400)
  const q = value as Record<string, unknown>
  const out: Quota = {limit: readNumber(q.limit, 'quota.limit', true) ?? 0, offset: readNumber(q.offset, 'quota.offset', true) ?? 0}
  if (q.period !== undefined && q.period !== null) {
    const period = String(q.period)
    if (!QUOTA_PERIODS.includes(period)) throw periodError(period, 'createUsagePlanInput.quota.period')
    out.period = period
  }
  return out
}

function readApiStages(store: Store, value: unknown): ApiStageDoc[] {
  if (value === undefined || value === null) return []
  if (!Array.isArray(value)) throw new AwsError('SerializationException', 'Expected a list for apiStages', 400)
  return value.map((item: unknown) => {
    const s = (item ?? {}) as Record<string, unknown>
    const apiId = typeof s.apiId === 'string' ? s.apiId : ''
    const stage = typeof s.stage === 'string' ? s.stage : ''
    if (apiId === '' || stage === '') throw invalidApiStageOnCreate()
    requireRestApi(store, apiId)
    if (!store.get(KIND.stage, childId(apiId, stage))) throw invalidApiStageOnCreate()
    const doc: ApiStageDoc = {apiId, stage}
    if (s.throttle !== undefined && s.throttle !== null) {
      if (typeof s.throttle !== 'object' || Array.isArray(s.throttle))
        throw new AwsError('SerializationException', 'Expected a map for apiStages.throttle', 400)
      const throttle: Record<string, Throttle> = {}
      for (const [k, v] of Object.entries(s.throttle as Record<string, unknown>))
        throttle[k] = readThrottle(v, `apiStages.throttle.${k}`) ?? {}
      if (Object.keys(throttle).length > 0) doc.throttle = throttle
    }
    return doc
  })
}

// ---------------------------------------------------------------------------------------------------------
// Wire shapes
// ---------------------------------------------------------------------------------------------------------

function renderThrottle(t: Throttle): ThrottleSettings {
  const out: ThrottleSettings = {}
  if (t.burstLimit !== undefined) out.burstLimit = t.burstLimit
  if (t.rateLimit !== undefined) out.rateLimit = t.rateLimit
  return out
}

function renderPlan(doc: UsagePlanDoc, tags: 'always' | 'if-set' | 'if-non-empty'): UsagePlan {
  const out: UsagePlan = {id: doc.id, name: doc.name}
  if (doc.description !== undefined) out.description = doc.description
  out.apiStages = doc.apiStages.map((s) => {
    const stage: ApiStage = {apiId: s.apiId, stage: s.stage}
    if (s.throttle && Object.keys(s.throttle).length > 0) {
      stage.throttle = Object.fromEntries(Object.entries(s.throttle).map(([k, v]) => [k, renderThrottle(v)]))
    }
    return stage
  })
  if (doc.throttle) out.throttle = renderThrottle(doc.throttle)
  if (doc.quota) {
    const q: QuotaSettings = {}
    if (doc.quota.limit !== undefined) q.limit = doc.quota.limit
    if (doc.quota.offset !== undefined) q.offset = doc.quota.offset
    if (doc.quota.period !== undefined) q.period = doc.quota.period as QuotaSettings['period']
    out.quota = q
  }
  if (doc.productCode !== undefined) out.productCode = doc.productCode
  if (tags === 'always') out.tags = doc.tags ?? {}
  else if (tags === 'if-set' && doc.tags !== undefined) out.tags = doc.tags
  else if (tags === 'if-non-empty' && doc.tags && Object.keys(doc.tags).length > 0) out.tags = doc.tags
  return out
}

function renderPlanKey(key: ApiKeyDoc): UsagePlanKey {
  const out: UsagePlanKey = {id: key.id, type: 'API_KEY', value: key.value}
  if (key.name !== undefined) out.name = key.name
  return out
}

// ---------------------------------------------------------------------------------------------------------
// Usage plans
// ---------------------------------------------------------------------------------------------------------

/** CreateUsagePlan: `POST /usageplans` → 201; `tags` appear in the answer only when given (recording 15). */
export function createUsagePlan(req: OperationRequest, ctx: OperationContext): OperationResult {
  const body = req.json()
  const name = typeof body.name === 'string' ? body.name : ''
  // No recording; the wording follows AWS's other `... must be non-empty` messages.
  if (name === '') throw badRequest('Usage Plan name must be non-empty')
  const doc: UsagePlanDoc = {id: ctx.newId(6), name, apiStages: readApiStages(ctx.store, body.apiStages), createdDate: nowSeconds(ctx)}
  if (typeof body.description === 'string') doc.description = body.description
  const throttle = readThrottle(body.throttle, 'throttle')
  if (throttle) doc.throttle = throttle
  const quota = readQuota(body.quota)
  if (quota) doc.quota = quota
  const tags = readStringMap(body.tags, 'tags')
  if (tags) doc.tags = tags
  ctx.store.put(KIND.usagePlan, doc.id, doc)
  return {status: 201, body: renderPlan(doc, 'if-set')}
}

/** GetUsagePlans: `GET /usageplans?keyId=&position=&limit=`, newest first; `keyId` keeps the plans of that key. */
export function getUsagePlans(req: OperationRequest, ctx: OperationContext): OperationResult {
  const keyId = req.query.keyId
  let plans = ctx.store.list<UsagePlanDoc>(KIND.usagePlan).reverse()
  if (keyId) {
    const ofKey = new Set(plansOfKey(ctx.store, keyId))
    plans = plans.filter((p) => ofKey.has(p.id))
  }
  const page = paginate(plans, req.query)
  const body: Record<string, unknown> = {item: page.items.map((p) => renderPlan(p, 'if-non-empty'))}
  if (page.position) body.position = page.position
  return {status: 200, body}
}

/** GetUsagePlan: `GET /usageplans/{usageplanId}`; always carries `tags` (recording 15). */
export function getUsagePlan(req: OperationRequest, ctx: OperationContext): OperationResult {
  return {status: 200, body: renderPlan(requireUsagePlan(ctx.store, req.params.usageplanId ?? ''), 'always')}
}

const STAGE_PLACEHOLDER = '/apiStages/<apidId:stageName>/throttle'
/** Verbatim from AWS (https://github.com/boto/boto3/issues/2629). */
const REMOVE_PATHS = [
  '/apiStages',
  '/quota',
  '/throttle',
  '/productCode',
  `${STAGE_PLACEHOLDER}/<resourcePath>/<httpMethod>`,
  STAGE_PLACEHOLDER,
]
/** Same form as AWS's remove list; the add and replace lists themselves are not recorded. */
const REPLACE_PATHS = [
  '/name',
  '/description',
  '/productCode',
  '/quota/limit',
  '/quota/offset',
  '/quota/period',
  '/throttle/burstLimit',
  '/throttle/rateLimit',
  `${STAGE_PLACEHOLDER}/<resourcePath>/<httpMethod>/burstLimit`,
  `${STAGE_PLACEHOLDER}/<resourcePath>/<httpMethod>/rateLimit`,
]
const ADD_PATHS = ['/apiStages', ...REPLACE_PATHS.slice(3)]

function patchNumber(value: string | undefined, what: string, integer: boolean): number {
  const n = Number(value)
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    // No recording of this error; the wording follows AWS's `Invalid ... specified` family.
    throw badRequest(`Invalid ${what} specified: ${value ?? 'null'}`)
  }
  return n
}

/** `apiId:stage` from a patch value, else `Invalid API Stage specified` (400, recording 15). */
function parseApiStageValue(value: string | undefined): {apiId: string; stage: string} {
  const m = value === undefined ? null : /^([^:]+):(.+)$/.exec(value)
  if (!m) throw badRequest('Invalid API Stage specified')
  return {apiId: m[1]!, stage: m[2]!}
}

/** `~1` → `/`, `~0` → `~` (JSON pointer escapes, as AWS patch paths use them). */

const METHOD_THROTTLE = /^\/apiStages\/([^/]+)\/throttle(?:\/([^/]+)\/([^/]+)(?:\/(burstLimit|rateLimit))?)?$/

function applyPlanPatch(plan: UsagePlanDoc, op: {op: string; path?: string; value?: string}, store: Store): void {
  const path = op.path ?? ''
  const set = op.op === 'replace' || op.op === 'add'
  const methodThrottle = METHOD_THROTTLE.exec(path)
  if (methodThrottle) {
    const [, stageKey = '', escapedPath, method, field] = methodThrottle
    const {apiId, stage} = parseApiStageValue(stageKey)
    const apiStage = plan.apiStages.find((s) => s.apiId === apiId && s.stage === stage)
    if (!apiStage) throw apiStageNotFound(apiId, stage, plan.id)
    if (set && escapedPath && method && field) {
      const key = `${unescapePointer(escapedPath)}/${method.toUpperCase()}`
      apiStage.throttle ??= {}
      const entry: Throttle = apiStage.throttle[key] ?? {}
      apiStage.throttle[key] = entry
      if (field === 'burstLimit') entry.burstLimit = patchNumber(op.value, 'burst limit', true)
      else entry.rateLimit = patchNumber(op.value, 'rate limit', false)
      return
    }
    if (op.op === 'remove' && !field) {
      if (escapedPath && method) {
        const key = `${unescapePointer(escapedPath)}/${method.toUpperCase()}`
        if (apiStage.throttle) delete apiStage.throttle[key]
        if (apiStage.throttle && Object.keys(apiStage.throttle).length === 0) delete apiStage.throttle
      } else {
        delete apiStage.throttle
      }
      return
    }
    throw invalidPatchPath(path, op.op, op.op === 'remove' ? REMOVE_PATHS : op.op === 'add' ? ADD_PATHS : REPLACE_PATHS)
  }
  if (path === '/apiStages' && (op.op === 'add' || op.op === 'remove')) {
    const {apiId, stage} = parseApiStageValue(op.value)
    const index = plan.apiStages.findIndex((s) => s.apiId === apiId && s.stage === stage)
    if (op.op === 'add') {
      if (!stageExists(store, apiId, stage)) throw apiStageNotFound(apiId, stage, plan.id)
      if (index < 0) plan.apiStages.push({apiId, stage})
    } else {
      if (index < 0) throw apiStageNotFound(apiId, stage, plan.id)
      plan.apiStages.splice(index, 1)
    }
    return
  }
  if (set) {
    switch (path) {
      case '/name':
        if (!op.value) throw badRequest('Usage Plan name must be non-empty')
        plan.name = op.value
        return
      case '/description':
        if (op.value === undefined || op.value === '') delete plan.description
        else plan.description = op.value
        return
      case '/productCode':
        if (op.value === undefined || op.value === '') delete plan.productCode
        else plan.productCode = op.value
        return
      case '/throttle/burstLimit':
        plan.throttle = {...plan.throttle, burstLimit: patchNumber(op.value, 'burst limit', true)}
        return
      case '/throttle/rateLimit':
        plan.throttle = {...plan.throttle, rateLimit: patchNumber(op.value, 'rate limit', false)}
        return
      case '/quota/limit':
        plan.quota = {offset: 0, ...plan.quota, limit: patchNumber(op.value, 'quota limit', true)}
        return
      case '/quota/offset':
        plan.quota = {...plan.quota, offset: patchNumber(op.value, 'quota offset', true)}
        return
      case '/quota/period': {
        const period = op.value ?? ''
        if (!QUOTA_PERIODS.includes(period)) throw periodError(period, 'quota.period')
        plan.quota = {offset: 0, ...plan.quota, period}
        return
      }
    }
    throw invalidPatchPath(path, op.op, op.op === 'add' ? ADD_PATHS : REPLACE_PATHS)
  }
  if (op.op === 'remove') {
    switch (path) {
      case '/throttle':
        delete plan.throttle
        return
      case '/quota':
        delete plan.quota
        return
      case '/productCode':
        delete plan.productCode
        return
    }
    throw invalidPatchPath(path, op.op, REMOVE_PATHS)
  }
  // The answer AWS gives UpdateRestApi for move/copy/test (recording 19).
  throw badRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'")
}

/**
 * UpdateUsagePlan: `PATCH /usageplans/{usageplanId}`: /name, /description, /productCode, /throttle/*,
 * /quota/*, add|remove /apiStages (`apiId:stage`), per-method throttles
 * `/apiStages/{apiId:stage}/throttle/{~1path}/{METHOD}/{burstLimit|rateLimit}`; the whole patch or nothing.
 */
export function updateUsagePlan(req: OperationRequest, ctx: OperationContext): OperationResult {
  const ops = readPatchOperations(req, 'updateUsagePlanInput')
  const plan = requireUsagePlan(ctx.store, req.params.usageplanId ?? '')
  for (const op of ops) applyPlanPatch(plan, op, ctx.store)
  ctx.store.put(KIND.usagePlan, plan.id, plan)
  return {status: 200, body: renderPlan(plan, 'always')}
}

/**
 * DeleteUsagePlan: `DELETE /usageplans/{usageplanId}` → 202, refused while API stages are attached, as AWS
 * refuses it (https://github.com/aws/aws-sdk-js/issues/3841). Its keys and usage go with it.
 */
export function deleteUsagePlan(req: OperationRequest, ctx: OperationContext): OperationResult {
  const plan = requireUsagePlan(ctx.store, req.params.usageplanId ?? '')
  const first = plan.apiStages[0]
  if (first) {
    throw badRequest(
      `Cannot delete Usage Plan ${plan.id} because there are API Stages associated with it, including ${first.apiId}:${first.stage}`,
    )
  }
  trafficOf(ctx.store)?.forgetUsage(plan.id)
  ctx.store.deleteChildren(KIND.usagePlanKey, plan.id)
  ctx.store.deleteChildren(KIND.usage, plan.id)
  ctx.store.delete(KIND.usagePlan, plan.id)
  return {status: 202}
}

// ---------------------------------------------------------------------------------------------------------
// Usage plan keys
// ---------------------------------------------------------------------------------------------------------

/**
 * Attach an API key to a usage plan with AWS's checks: both exist, at most 10 plans per key, and one key never
 * in two plans that share an API stage. Shared with ImportApiKeys (UsagePlanIds column).
 */
export function linkKeyToPlan(ctx: OperationContext, usagePlanId: string, keyId: string): {plan: UsagePlanDoc; key: ApiKeyDoc} {
  const plan = requireUsagePlan(ctx.store, usagePlanId)
  const key = requireApiKey(ctx.store, keyId)
  const current = plansOfKey(ctx.store, keyId)
  if (current.includes(plan.id)) {
    // No recording of AWS's answer to a duplicate link; a 409 keeps clients' "already there" path explicit.
    throw conflict(`API Key ${keyId} is already associated with Usage Plan ${plan.id}`)
  }
  if (current.length >= MAX_PLANS_PER_KEY) {
    // The quota is documented (developer guide, limits.html); AWS's wording of the error is not recorded.
    throw new AwsError('LimitExceededException', `API Key ${keyId} cannot be added to more than ${MAX_PLANS_PER_KEY} usage plans.`, 429)
  }
  for (const otherId of current) {
    const other = ctx.store.get<UsagePlanDoc>(KIND.usagePlan, otherId)
    const shared = other?.apiStages.find((s) => plan.apiStages.some((p) => p.apiId === s.apiId && p.stage === s.stage))
    if (shared) {
      throw conflict(
        `Usage Plan ${plan.id} cannot be added because API Key ${keyId} cannot reference ` +
          `multiple Usage Plans with the same API Stage: ${shared.apiId}:${shared.stage}`,
      )
    }
  }
  const link: UsagePlanKeyDoc = {id: keyId, type: 'API_KEY', usagePlanId: plan.id, createdDate: nowSeconds(ctx)}
  ctx.store.put(KIND.usagePlanKey, childId(plan.id, keyId), link, plan.id)
  return {plan, key}
}

/** CreateUsagePlanKey: `POST /usageplans/{usageplanId}/keys` `{keyId, keyType: "API_KEY"}` → 201 `{id, type, value, name}`. */
export function createUsagePlanKey(req: OperationRequest, ctx: OperationContext): OperationResult {
  const body = req.json()
  const keyType = body.keyType
  // No recording of a wrong keyType; API_KEY is the only type the model documents.
  if (keyType !== 'API_KEY')
    throw badRequest(`Invalid key type specified: ${keyType === undefined ? 'null' : String(keyType)}. Valid options are API_KEY`)
  const keyId = typeof body.keyId === 'string' ? body.keyId : ''
  const {key} = linkKeyToPlan(ctx, req.params.usageplanId ?? '', keyId)
  return {status: 201, body: renderPlanKey(key)}
}

function keysOfPlan(store: Store, usagePlanId: string): ApiKeyDoc[] {
  const keys: ApiKeyDoc[] = []
  for (const link of store.list<UsagePlanKeyDoc>(KIND.usagePlanKey, usagePlanId)) {
    const key = store.get<ApiKeyDoc>(KIND.apiKey, link.id)
    if (key) keys.push(key)
  }
  return keys
}

/**
 * GetUsagePlanKeys: `GET /usageplans/{usageplanId}/keys?name=` (SDK `nameQuery`, case-sensitive prefix), newest
 * first, values included; an unknown plan is an empty 200, not a 404 (recording 15).
 */
export function getUsagePlanKeys(req: OperationRequest, ctx: OperationContext): OperationResult {
  const name = req.query.name
  const keys = keysOfPlan(ctx.store, req.params.usageplanId ?? '')
    .reverse()
    .filter((k) => (name ? (k.name ?? '').startsWith(name) : true))
  const page = paginate(keys, req.query)
  const body: Record<string, unknown> = {item: page.items.map(renderPlanKey)}
  if (page.position) body.position = page.position
  return {status: 200, body}
}

function requireLink(store: Store, usagePlanId: string, keyId: string): ApiKeyDoc {
  requireUsagePlan(store, usagePlanId)
  const key = store.get<ApiKeyDoc>(KIND.apiKey, keyId)
  if (!key || !store.get(KIND.usagePlanKey, childId(usagePlanId, keyId))) throw notFound('Invalid API Key identifier specified')
  return key
}

/** GetUsagePlanKey: `GET /usageplans/{usageplanId}/keys/{keyId}`. */
export function getUsagePlanKey(req: OperationRequest, ctx: OperationContext): OperationResult {
  return {status: 200, body: renderPlanKey(requireLink(ctx.store, req.params.usageplanId ?? '', req.params.keyId ?? ''))}
}

/** DeleteUsagePlanKey: `DELETE /usageplans/{usageplanId}/keys/{keyId}` → 202. */
export function deleteUsagePlanKey(req: OperationRequest, ctx: OperationContext): OperationResult {
  const planId = req.params.usageplanId ?? ''
  const key = requireLink(ctx.store, planId, req.params.keyId ?? '')
  ctx.store.delete(KIND.usagePlanKey, childId(planId, key.id))
  return {status: 202}
}

// ---------------------------------------------------------------------------------------------------------
// Usage
// ---------------------------------------------------------------------------------------------------------

const MAX_USAGE_DAYS = 90

function parseDay(value: string | undefined, member: string): number {
  const m = value === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN
  if (!m || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    // No recording; the date format is yyyy-MM-dd (API_GetUsage).
    throw badRequest(`Invalid ${member} specified: ${value ?? 'null'}. The date format is yyyy-MM-dd`)
  }
  return t
}

/** Each day's `[used, remaining]` of a key: remaining is what the day's quota window has left at the day's end. */
function usageByDay(store: Store, plan: UsagePlanDoc, keyId: string, days: string[]): number[][] {
  return days.map((day) => {
    const dayMs = Date.parse(`${day}T00:00:00Z`)
    const window = storedWindowUsage(store, plan, keyId, dayMs)
    const used = store.get<UsageDoc>(KIND.usage, usageId(plan.id, keyId, day))?.used ?? 0
    return [used, window.allowed === undefined ? 0 : Math.max(0, window.allowed - window.used)]
  })
}

/**
 * GetUsage: `GET /usageplans/{usageplanId}/usage?startDate=&endDate=[&keyId=]` (yyyy-MM-dd, both inclusive) →
 * `{usagePlanId, startDate, endDate, values: {keyId: [[used, remaining], ...one per day]}}`. The data plane's
 * counts are flushed first, so a request just served is counted. `remaining` is what the day's quota window
 * (DAY, WEEK or MONTH) had left at the end of that day, 0 without a quota.
 */
export function getUsage(req: OperationRequest, ctx: OperationContext): OperationResult {
  const plan = requireUsagePlan(ctx.store, req.params.usageplanId ?? '')
  const start = parseDay(req.query.startDate, 'startDate')
  const end = parseDay(req.query.endDate, 'endDate')
  if (end < start) throw badRequest('The end date must not be before the start date')
  trafficOf(ctx.store)?.flushUsageNow()
  const days: string[] = []
  for (let t = start; t <= end && days.length < MAX_USAGE_DAYS; t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10))
  const keyIds = req.query.keyId ? [req.query.keyId] : keysOfPlan(ctx.store, plan.id).map((k) => k.id)
  const page = paginate(keyIds, req.query)
  const values: Record<string, number[][]> = {}
  for (const keyId of page.items) values[keyId] = usageByDay(ctx.store, plan, keyId, days)
  const body: Record<string, unknown> = {usagePlanId: plan.id, startDate: req.query.startDate, endDate: req.query.endDate, values}
  if (page.position) body.position = page.position
  return {status: 200, body: body as Usage}
}

/**
 * UpdateUsage: `PATCH /usageplans/{usageplanId}/keys/{keyId}/usage` with `replace /remaining` → the key's
 * remaining quota in the current window becomes the value (AWS: "grants a temporary extension to the remaining
 * quota"); the answer is the window's usage, `{usagePlanId, startDate, endDate, values: {keyId: [[used,
 * remaining]]}}`. The data plane counts from the new remaining on its next request.
 */
export function updateUsage(req: OperationRequest, ctx: OperationContext): OperationResult {
  const ops = readPatchOperations(req, 'updateUsageInput')
  const plan = requireUsagePlan(ctx.store, req.params.usageplanId ?? '')
  const key = requireLink(ctx.store, plan.id, req.params.keyId ?? '')
  if (!plan.quota || plan.quota.limit === undefined || plan.quota.period === undefined) {
    // No recording of AWS's answer for a plan without a quota; the wording follows AWS's `Invalid ...` family.
    throw badRequest(`Usage Plan ${plan.id} has no quota to update`)
  }
  const traffic = trafficOf(ctx.store)
  traffic?.flushUsageNow()
  const nowMs = ctx.now().getTime()
  for (const op of ops) {
    if (op.op !== 'replace' || op.path !== '/remaining') throw invalidPatchPath(op.path, op.op, ['/remaining'])
    const remaining = patchNumber(op.value, 'remaining quota', true)
    if (remaining < 0) throw badRequest(`Invalid remaining quota specified: ${op.value}`)
    const current = storedWindowUsage(ctx.store, plan, key.id, nowMs)
    const firstDay = new Date(current.start).toISOString().slice(0, 10)
    const grant: UsageGrantDoc = {
      usagePlanId: plan.id,
      keyId: key.id,
      window: firstDay,
      granted: current.granted + remaining - ((current.allowed ?? 0) - current.used),
    }
    ctx.store.put(KIND.usage, grantId(plan.id, key.id, firstDay), grant, plan.id)
  }
  traffic?.forgetUsage(plan.id, key.id)
  const window = storedWindowUsage(ctx.store, plan, key.id, nowMs)
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return {
    status: 200,
    body: {
      usagePlanId: plan.id,
      startDate: day(window.start),
      endDate: day(window.end - 1),
      values: {[key.id]: [[window.used, Math.max(0, (window.allowed ?? 0) - window.used)]]},
    } as Usage,
  }
}
