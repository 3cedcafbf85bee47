/**
 * The API key of a request, looked up in an in-memory index (key value → key, key → its plans' ids) that the
 * data plane's document cache (documents.ts) drops whenever the store changes, so keys created, disabled,
 * rotated or deleted through the control plane (or by another process on the same state) take effect on the
 * next request. A key admits a request when it exists, is enabled, and is in a usage plan attached to the API
 * and stage (developer guide, "API keys"; the shared data-plane reference): otherwise AWS answers 403
 * `Forbidden`, the same for missing, unknown and disabled keys.
 */
import {KIND} from '../../control-plane/model.ts'
import type {ApiKeyDoc, UsagePlanKeyDoc} from '../../control-plane/v1/api-keys.ts'
import type {UsagePlanDoc} from '../../control-plane/v1/usage-plans.ts'
import type {Store} from '../../store/store.ts'
import type {DocumentCache} from '../documents.ts'

export type AdmittedKey = {key: ApiKeyDoc; plan: UsagePlanDoc}

export type KeyRefusal = 'missing' | 'unknown' | 'disabled' | 'no-plan'

type KeyIndex = {
  byValue: Map<string, ApiKeyDoc>
  /** Plan ids of each key, in the order the links were made. */
  plansOf: Map<string, string[]>
  /** Outcomes already decided, by `${apiId}\0${stageName}\0${value}`. */
  outcomes: Map<string, AdmittedKey | KeyRefusal>
}

function buildIndex(store: Store): KeyIndex {
  const byValue = new Map<string, ApiKeyDoc>()
  // Values are unique (CreateApiKey refuses a duplicate); the first stored wins, as the SQL lookup did.
  for (const key of store.list<ApiKeyDoc>(KIND.apiKey)) if (!byValue.has(key.value)) byValue.set(key.value, key)
  const plansOf = new Map<string, string[]>()
  for (const link of store.list<UsagePlanKeyDoc>(KIND.usagePlanKey)) {
    const plans = plansOf.get(link.id)
    if (plans) plans.push(link.usagePlanId)
    else plansOf.set(link.id, [link.usagePlanId])
  }
  return {byValue, plansOf, outcomes: new Map()}
}

/** The key and the plan that admit `value` on (apiId, stage), or why not. */
export function admitKey(docs: DocumentCache, apiId: string, stageName: string, value: string | undefined): AdmittedKey | KeyRefusal {
  if (value === undefined || value === '') return 'missing'
  const index = docs.derive('api-keys', buildIndex)
  const memo = `${apiId}\u0000${stageName}\u0000${value}`
  let outcome = index.outcomes.get(memo)
  if (outcome === undefined) {
    outcome = decide(docs, index, apiId, stageName, value)
    // Unknown values are not kept: a client sending random keys must not grow the index without bound.
    if (outcome !== 'unknown') index.outcomes.set(memo, outcome)
  }
  return outcome
}

function decide(docs: DocumentCache, index: KeyIndex, apiId: string, stageName: string, value: string): AdmittedKey | KeyRefusal {
  const key = index.byValue.get(value)
  if (!key) return 'unknown'
  if (!key.enabled) return 'disabled'
  for (const planId of index.plansOf.get(key.id) ?? []) {
    const plan = docs.get<UsagePlanDoc>(KIND.usagePlan, planId)
    if (plan?.apiStages.some((s) => s.apiId === apiId && s.stage === stageName)) return {key, plan}
  }
  return 'no-plan'
}
