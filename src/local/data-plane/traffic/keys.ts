/**
 * The API key of a request, read from the store on every request (no cache), so keys created, disabled,
 * rotated or deleted through the control plane take effect at once. A key admits a request when it exists,
 * is enabled, and is in a usage plan attached to the API and stage (developer guide, "API keys"; the shared
 * data-plane reference): otherwise AWS answers 403 `Forbidden`, the same for missing, unknown and disabled keys.
 */
import type {StatementSync} from 'node:sqlite'
import {KIND} from '../../control-plane/model.ts'
import type {ApiKeyDoc, UsagePlanKeyDoc} from '../../control-plane/v1/api-keys.ts'
import type {UsagePlanDoc} from '../../control-plane/v1/usage-plans.ts'
import type {Store} from '../../store/store.ts'

export type AdmittedKey = {key: ApiKeyDoc; plan: UsagePlanDoc}

export type KeyRefusal = 'missing' | 'unknown' | 'disabled' | 'no-plan'

const byValue = new WeakMap<Store, StatementSync>()
const linksOf = new WeakMap<Store, StatementSync>()

function prepared(cache: WeakMap<Store, StatementSync>, store: Store, sql: string): StatementSync {
  let stmt = cache.get(store)
  if (!stmt) {
    stmt = store.db.prepare(sql)
    cache.set(store, stmt)
  }
  return stmt
}

/** The stored key whose value is `value` (values are unique: CreateApiKey refuses a duplicate). */
export function keyByValue(store: Store, value: string): ApiKeyDoc | undefined {
  const row = prepared(byValue, store, "SELECT data FROM resources WHERE kind = ? AND json_extract(data, '$.value') = ?").get(
    KIND.apiKey,
    value,
  ) as {data: string} | undefined
  return row ? (JSON.parse(row.data) as ApiKeyDoc) : undefined
}

/** Ids of the plans a key is in. */
export function planIdsOfKey(store: Store, keyId: string): string[] {
  const rows = prepared(linksOf, store, "SELECT data FROM resources WHERE kind = ? AND json_extract(data, '$.id') = ?").all(
    KIND.usagePlanKey,
    keyId,
  ) as Array<{data: string}>
  return rows.map((r) => (JSON.parse(r.data) as UsagePlanKeyDoc).usagePlanId)
}

/** The key and the plan that admit `value` on (apiId, stage), or why not. */
export function admitKey(store: Store, apiId: string, stageName: string, value: string | undefined): AdmittedKey | KeyRefusal {
  if (value === undefined || value === '') return 'missing'
  const key = keyByValue(store, value)
  if (!key) return 'unknown'
  if (!key.enabled) return 'disabled'
  for (const planId of planIdsOfKey(store, key.id)) {
    const plan = store.get<UsagePlanDoc>(KIND.usagePlan, planId)
    if (plan?.apiStages.some((s) => s.apiId === apiId && s.stage === stageName)) return {key, plan}
  }
  return 'no-plan'
}
