/**
 * `apigw keys retire [NAME] [--now] [--if-idle 24h] [--delete] [--dry-run]`: old generations past their
 * retire-after (every old generation with --now) are disabled and taken out of their plans, or deleted. The
 * newest generation of a name is never touched, so a name always keeps an enabled key; a name whose rotation
 * did not finish is left alone until `keys rotate` finishes it. Each old key's usage since it was replaced
 * (GetUsage, per day, summed over its plans) is shown; --if-idle spares keys used within that window.
 */
import {
  current,
  day,
  type KeyGeneration,
  type KeysDeps,
  type KeysOptions,
  type KeysState,
  keysContext,
  keysPortFor,
  parseDuration,
  planNames,
  readKeysState,
  requireKey,
  TAG_RETIRED_AT,
} from './common.ts'
import type {ApiKeysPort} from '../../aws/api-keys.ts'

export type RetireOptions = KeysOptions & {
  name?: string | undefined
  now?: boolean | undefined
  ifIdle?: string | undefined
  delete?: boolean | undefined
  dryRun?: boolean | undefined
}

export type KeyUsageReport = {
  /** First and last day of the window (yyyy-MM-dd, UTC). */
  from: string
  to: string
  total: number
  days: Array<{date: string; used: number}>
}

export type RetireEntry = {
  name: string
  id: string
  keyName: string
  generation: number
  plans: string[]
  retireAfter: string | null
  /** Usage since the key was replaced (null when it is in no plan, so nothing can be measured). */
  usage: KeyUsageReport | null
  /** Usage within --if-idle. */
  recentUse?: number | undefined
  action: 'disabled' | 'deleted' | 'spared' | 'waiting' | 'skipped'
  reason?: string | undefined
}

export type RetireResult = {
  dryRun: boolean
  now: string
  retired: RetireEntry[]
  spared: RetireEntry[]
  waiting: RetireEntry[]
  skipped: RetireEntry[]
}

const MAX_USAGE_DAYS = 90

export async function retireKeys(options: RetireOptions, deps: KeysDeps): Promise<RetireResult> {
  const idleMs = options.ifIdle === undefined ? undefined : parseDuration(options.ifIdle, '--if-idle')
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  const now = deps.clock()
  const names = options.name ? [options.name] : [...new Set(state.keys.map((k) => k.name))]
  if (options.name) requireKey(options.name, state)
  const result: RetireResult = {dryRun: Boolean(options.dryRun), now: now.toISOString(), retired: [], spared: [], waiting: [], skipped: []}
  for (const name of names.sort()) {
    const gens = state.keys.filter((k) => k.name === name)
    const newest = gens[gens.length - 1]!
    const keep = current(gens)
    const olds = gens.filter((k) => k !== newest && (k.enabled || k.planIds.length > 0 || options.delete))
    if (olds.length === 0) continue
    if (newest.rotationPending !== null || newest.createPending) {
      for (const k of olds)
        result.skipped.push(
          entry(k, state, null, 'skipped', `the rotation to ${newest.keyName} did not finish; run \`apigw keys rotate ${name}\` first`),
        )
      continue
    }
    for (const k of olds) {
      // Never leave a name without an enabled key: only generations older than the one in use go.
      if (!keep) {
        result.skipped.push(entry(k, state, null, 'skipped', `${name} has no enabled generation (revoked)`))
        continue
      }
      if (k.generation >= keep.generation) {
        result.skipped.push(entry(k, state, null, 'skipped', `it is the only enabled generation of ${name}`))
        continue
      }
      const due = options.now || (k.retireAfter !== null && Date.parse(k.retireAfter) <= now.getTime())
      const replacedAt =
        gens.find((g) => g.rotatedFrom === k.id)?.createdDate ?? gens.find((g) => g.generation > k.generation)?.createdDate ?? k.createdDate
      const usage = await usageOf(port, k, replacedAt ? new Date(replacedAt) : now, now)
      if (!due) {
        result.waiting.push(
          entry(k, state, usage, 'waiting', k.retireAfter ? `retire after ${k.retireAfter}` : 'no retire-after time (use --now)'),
        )
        continue
      }
      if (idleMs !== undefined) {
        const recent = (await usageOf(port, k, new Date(now.getTime() - idleMs), now))?.total ?? 0
        if (recent > 0) {
          result.spared.push({
            ...entry(k, state, usage, 'spared', `${recent} request${recent === 1 ? '' : 's'} within --if-idle ${options.ifIdle}`),
            recentUse: recent,
          })
          continue
        }
      }
      const e = entry(k, state, usage, options.delete ? 'deleted' : 'disabled')
      if (!options.dryRun) await retireOne(port, k, Boolean(options.delete), now, deps)
      result.retired.push(e)
    }
  }
  return result
}

async function retireOne(port: ApiKeysPort, k: KeyGeneration, del: boolean, now: Date, deps: KeysDeps): Promise<void> {
  if (del) {
    await deps.progress.step(`Delete ${k.keyName}`, () => port.deleteApiKey(k.id))
    return
  }
  await deps.progress.step(`Disable ${k.keyName} and take it out of its plans`, async () => {
    if (k.enabled) await port.setApiKeyEnabled(k.id, false)
    for (const planId of k.planIds) await port.deleteUsagePlanKey(planId, k.id)
    await port.tagApiKey(k.id, {[TAG_RETIRED_AT]: now.toISOString()})
  })
}

/** Requests by the key per day from `from` to `now`, summed over its plans. */
export async function usageOf(port: ApiKeysPort, k: KeyGeneration, from: Date, now: Date): Promise<KeyUsageReport | null> {
  if (k.planIds.length === 0) return null
  const start = new Date(Math.min(now.getTime(), Math.max(from.getTime(), now.getTime() - (MAX_USAGE_DAYS - 1) * 86_400_000)))
  const startDay = day(start)
  const endDay = day(now)
  const totals = new Map<string, number>()
  for (const planId of k.planIds) {
    const perDay = await port.getUsage(planId, k.id, startDay, endDay)
    perDay.forEach(([used], i) => {
      const date = day(new Date(Date.parse(`${startDay}T00:00:00Z`) + i * 86_400_000))
      totals.set(date, (totals.get(date) ?? 0) + used)
    })
  }
  const days = [...totals.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, used]) => ({date, used}))
  return {from: startDay, to: endDay, total: days.reduce((n, d) => n + d.used, 0), days}
}

function entry(
  k: KeyGeneration,
  state: KeysState,
  usage: KeyUsageReport | null,
  action: RetireEntry['action'],
  reason?: string,
): RetireEntry {
  return {
    name: k.name,
    id: k.id,
    keyName: k.keyName,
    generation: k.generation,
    plans: planNames(k.planIds, state),
    retireAfter: k.retireAfter,
    usage,
    action,
    ...(reason ? {reason} : {}),
  }
}
