/**
 * `apigw keys list [--plan P] [--show-values]`, `apigw keys export [--show-values] [--output-file F]` and
 * `apigw keys plans`: read-only views of the managed keys (by name, one row per generation) and of the plans.
 * Values are read from AWS only when --show-values asks for them.
 */
import {
  type KeyGeneration,
  type KeysDeps,
  type KeysOptions,
  type KeysState,
  keysContext,
  keysPortFor,
  planNames,
  readKeysState,
  requireKey,
  resolvePlan,
  TAG_VALUE_UNSHOWN,
  writeSecretFile,
} from './common.ts'
import {resolve} from 'node:path'
import type {CliError} from '../../errors.ts'
import {writeFileSafely} from '../../safe-files.ts'

export type GenerationStatus = 'active' | 'retiring' | 'retired' | 'revoked' | 'pending' | 'disabled'

export type ListedGeneration = {
  id: string
  keyName: string
  generation: number
  enabled: boolean
  status: GenerationStatus
  plans: string[]
  createdDate: string | null
  retireAfter: string | null
  /** Today's use (UTC) in each of its plans, from GetUsage; null when the key is disabled or in no plan. */
  usage: GenerationUsage[] | null
  value?: string | undefined
}

export type GenerationUsage = {
  plan: string
  /** Requests counted today (UTC). */
  usedToday: number
  /** What is left of the plan's quota in its current period; null when the plan has no quota. */
  remaining: number | null
  quota: {limit: number; period: string} | null
}

export type ListedKey = {name: string; lastRotated: string | null; generations: ListedGeneration[]}

export type ListKeysOptions = KeysOptions & {name?: string | undefined; plan?: string | undefined; showValues?: boolean | undefined}
export type ListKeysResult = {plan: string | null; keys: ListedKey[]; unmanagedKeys: number; totalKeys: number; valuesShown: boolean}

export async function listKeys(options: ListKeysOptions, deps: KeysDeps): Promise<ListKeysResult> {
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  if (options.name) requireKey(options.name, state)
  const plan = options.plan === undefined ? undefined : resolvePlanForFilter(options.plan, state, ctx)
  const values = options.showValues ? new Map((await port.listApiKeys({includeValues: true})).map((k) => [k.id ?? '', k.value])) : undefined
  // Values shown now: a rotation whose value was never shown is delivered by this list.
  if (values)
    for (const k of state.keys)
      if (k.valueUnshown && (!options.name || k.name === options.name)) await port.untagApiKey(k.id, [TAG_VALUE_UNSHOWN])
  const byName = new Map<string, KeyGeneration[]>()
  for (const k of state.keys) {
    if (options.name && k.name !== options.name) continue
    byName.set(k.name, [...(byName.get(k.name) ?? []), k])
  }
  const today = deps.clock().toISOString().slice(0, 10)
  const usageOf = async (k: KeyGeneration): Promise<GenerationUsage[] | null> => {
    if (!k.enabled || k.planIds.length === 0) return null
    return Promise.all(
      k.planIds.map(async (planId) => {
        const [used = 0, remaining = 0] = (await port.getUsage(planId, k.id, today, today))[0] ?? []
        const info = state.plans.find((p) => p.id === planId)
        const quota = info?.quota?.limit !== undefined ? {limit: info.quota.limit, period: info.quota.period ?? 'DAY'} : null
        return {plan: planNames([planId], state)[0] ?? planId, usedToday: used, remaining: quota ? remaining : null, quota}
      }),
    )
  }
  const keys: ListedKey[] = []
  for (const [name, gens] of [...byName.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (plan && !gens.some((k) => k.planIds.includes(plan.id))) continue
    const rotated = [...gens].reverse().find((k) => k.rotatedFrom !== null || k.generation > 1)
    const usages = new Map(await Promise.all(gens.map(async (k) => [k.id, await usageOf(k)] as const)))
    keys.push({
      name,
      lastRotated: rotated?.createdDate ?? null,
      generations: gens.map((k) => ({
        id: k.id,
        keyName: k.keyName,
        generation: k.generation,
        enabled: k.enabled,
        status: statusOf(k),
        plans: planNames(k.planIds, state),
        createdDate: k.createdDate,
        retireAfter: k.retireAfter,
        usage: usages.get(k.id) ?? null,
        ...(values ? {value: values.get(k.id)} : {}),
      })),
    })
  }
  return {
    plan: plan?.display ?? null,
    keys,
    unmanagedKeys: state.unmanaged.length,
    totalKeys: state.totalKeys,
    valuesShown: Boolean(options.showValues),
  }
}

function resolvePlanForFilter(ref: string, state: KeysState, ctx: Parameters<typeof resolvePlan>[2]) {
  try {
    return resolvePlan(ref, state, ctx)
  } catch (error) {
    // Listing the keys of a plan linked to no stage is fine; only an unknown plan is an error here.
    if ((error as CliError).code === 'PLAN_NOT_LINKED')
      return state.plans.find((p) => p.configKey === ref || p.awsName === ref || p.id === ref)
    throw error
  }
}

export function statusOf(k: KeyGeneration): GenerationStatus {
  if (k.rotationPending !== null || k.createPending) return 'pending'
  if (k.enabled) return k.retireAfter ? 'retiring' : 'active'
  if (k.tags['apigw:revoked-at']) return 'revoked'
  if (k.tags['apigw:retired-at']) return 'retired'
  return 'disabled'
}

export type ExportOptions = KeysOptions & {showValues?: boolean | undefined; outputFile?: string | undefined}
export type ExportResult = {
  format: 'csv'
  columns: string[]
  rows: number
  valuesIncluded: boolean
  file?: string | undefined
  csv?: string | undefined
}

/**
 * The managed keys as CSV. With values it is AWS's API key file format (Name, Key, Description, Enabled,
 * UsagePlanIds: importable by `apigw keys import` and `aws apigateway import-api-keys`); without, names and ids.
 */
export async function exportKeys(options: ExportOptions, deps: KeysDeps): Promise<ExportResult> {
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  const full = options.showValues ? new Map((await port.listApiKeys({includeValues: true})).map((k) => [k.id ?? '', k])) : undefined
  const columns = full ? ['Name', 'Key', 'Description', 'Enabled', 'UsagePlanIds'] : ['Name', 'Id', 'Enabled', 'UsagePlanIds', 'Plans']
  const rows = state.keys.map((k) =>
    full
      ? [k.keyName, full.get(k.id)?.value ?? '', full.get(k.id)?.description ?? '', String(k.enabled).toUpperCase(), k.planIds.join(',')]
      : [k.keyName, k.id, String(k.enabled).toUpperCase(), k.planIds.join(','), planNames(k.planIds, state).join(',')],
  )
  const csv = `${[columns, ...rows].map((r) => r.map(csvField).join(',')).join('\n')}\n`
  const base = {format: 'csv' as const, columns, rows: rows.length, valuesIncluded: Boolean(full)}
  if (options.outputFile === undefined) return {...base, csv}
  const path = resolve(options.cwd, options.outputFile)
  if (full) writeSecretFile(path, csv)
  else writeFileSafely(path, csv, {force: true})
  return {...base, file: path}
}

const csvField = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s)

export type PlanRow = {
  name: string
  id: string | null
  awsName: string | null
  /** Declared in apigw.yaml (for the selected API). */
  declared: boolean
  deployed: boolean
  stages: string[]
  throttle: {rateLimit?: number | undefined; burstLimit?: number | undefined} | null
  quota: {limit?: number | undefined; period?: string | undefined} | null
  /** Per-method throttles (`GET /pets`), on AWS, or in apigw.yaml for a plan not deployed. */
  methodThrottles: Array<{stage: string | null; method: string; rateLimit?: number | undefined; burstLimit?: number | undefined}>
  keys: number
  enabledKeys: number
  keyNames: string[]
}

export type PlansResult = {api: string | null; plans: PlanRow[]}

/** The usage plans with their stages and key counts: the selected API's (deployed or only declared), else all. */
export async function listPlans(options: KeysOptions, deps: KeysDeps): Promise<PlansResult> {
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  const api = ctx.selected?.name ?? null
  const enabled = new Set([
    ...state.keys.filter((k) => k.enabled).map((k) => k.id),
    ...state.unmanaged.filter((k) => k.enabled).map((k) => k.id),
  ])
  const rows: PlanRow[] = state.plans
    .filter((p) => api === null || p.configKey !== null)
    .map((p) => ({
      name: p.display,
      id: p.id,
      awsName: p.awsName,
      declared: p.configKey !== null,
      deployed: true,
      stages: p.apiStages.map((s) => s.stage).sort(),
      throttle: p.throttle,
      quota: p.quota,
      methodThrottles: p.methodThrottles,
      keys: p.keyIds.length,
      enabledKeys: p.keyIds.filter((id) => enabled.has(id)).length,
      keyNames: [...new Set(state.keys.filter((k) => k.planIds.includes(p.id)).map((k) => k.name))].sort(),
    }))
  for (const [key, plan] of Object.entries(ctx.selected?.api.usagePlans ?? {})) {
    if (rows.some((r) => r.name === key)) continue
    rows.push({
      name: key,
      id: null,
      awsName: null,
      declared: true,
      deployed: false,
      stages: [...(plan.stages ?? [])].sort(),
      throttle: plan.throttle ?? null,
      quota: plan.quota ?? null,
      methodThrottles: Object.entries(plan.methods ?? {}).map(([method, t]) => ({stage: null, method, ...t})),
      keys: 0,
      enabledKeys: 0,
      keyNames: [],
    })
  }
  rows.sort((a, b) => a.name.localeCompare(b.name))
  return {api, plans: rows}
}
