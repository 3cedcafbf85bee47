/**
 * Usage per key, plan and UTC day, counted in memory and written behind: `flush` writes what changed (the data
 * plane calls it at most every second and on close), so a killed emulator loses at most the last second of
 * counts. Documents: kind `usage`, id `${usagePlanId}/${keyId}/${day}` (UsageDoc, read by GetUsage), and
 * `${usagePlanId}/${keyId}/grant/${windowFirstDay}` (what UpdateUsage granted for one quota window).
 */
import {KIND} from '../../control-plane/model.ts'
import type {Store} from '../../store/store.ts'
import {allowance, DAY_MS, dayOf, daysOfWindow, type QuotaSettings, windowOf} from './quota.ts'

/** What usage counting reads of a usage plan (UsagePlanDoc; not imported, the control plane imports this module). */
type UsagePlanDoc = {id: string; createdDate: number; quota?: QuotaSettings}

/**
 * One key's usage of one plan on one UTC day (kind usage, id `${usagePlanId}/${keyId}/${day}`, parent the plan).
 * Written by the data plane (UsageCounters); GetUsage reads it and answers zeros for days without a document.
 */
export type UsageDoc = {usagePlanId: string; keyId: string; day: string; used: number; remaining?: number}

/** Store id of a usage document. */
export const usageId = (usagePlanId: string, keyId: string, day: string): string => `${usagePlanId}/${keyId}/${day}`

/** UpdateUsage's grant for one window (kind usage). */
export type UsageGrantDoc = {usagePlanId: string; keyId: string; window: string; granted: number}

export const grantId = (usagePlanId: string, keyId: string, windowFirstDay: string): string =>
  `${usagePlanId}/${keyId}/grant/${windowFirstDay}`

/** A day's count; `dropped` once it left the map (flushed clean or forgotten), so a held reference is not counted into. */
type DayCount = {doc: UsageDoc; dirty: boolean; dropped?: boolean}
/**
 * A key's quota window under a plan: its bounds, use and grant, and what is derived per request otherwise (the
 * allowance for the plan object it was computed from, the day being counted and its bounds), so a request in
 * the same window and day does no date arithmetic.
 */
type WindowState = {
  period: string
  start: number
  end: number
  used: number
  granted: number
  plan?: UsagePlanDoc
  allowed?: number | undefined
  day?: DayCount
  dayStart: number
  dayEnd: number
}

export type QuotaOutcome = {admitted: boolean; remaining?: number}

/** Read a window's usage and grant straight from the store (GetUsage and UpdateUsage, after a flush). */
export function storedWindowUsage(
  store: Store,
  plan: UsagePlanDoc,
  keyId: string,
  ms: number,
): {start: number; end: number; used: number; granted: number; allowed: number | undefined} {
  const window = windowOf(plan.quota?.period, ms)
  let used = 0
  for (const day of daysOfWindow(window, ms)) used += store.get<UsageDoc>(KIND.usage, usageId(plan.id, keyId, day))?.used ?? 0
  const granted = store.get<UsageGrantDoc>(KIND.usage, grantId(plan.id, keyId, dayOf(window.start)))?.granted ?? 0
  return {...window, used, granted, allowed: allowance(plan.quota, plan.createdDate * 1000, window.start, granted)}
}

export class UsageCounters {
  private readonly days = new Map<string, DayCount>()
  private readonly windows = new Map<string, WindowState>()

  private readonly store: Store

  constructor(store: Store) {
    this.store = store
  }

  private day(planId: string, keyId: string, day: string): DayCount {
    const id = usageId(planId, keyId, day)
    let count = this.days.get(id)
    if (!count) {
      const stored = this.store.get<UsageDoc>(KIND.usage, id)
      count = {doc: {usagePlanId: planId, keyId, day, used: stored?.used ?? 0}, dirty: false}
      this.days.set(id, count)
    }
    return count
  }

  private window(plan: UsagePlanDoc, keyId: string, ms: number): WindowState {
    const period = plan.quota?.period ?? 'DAY'
    const id = `${plan.id}/${keyId}`
    let state = this.windows.get(id)
    if (!state || state.period !== period || ms < state.start || ms >= state.end) {
      const {start, end} = windowOf(period, ms)
      let used = 0
      for (const day of daysOfWindow({start, end}, ms)) used += this.day(plan.id, keyId, day).doc.used
      const granted = this.store.get<UsageGrantDoc>(KIND.usage, grantId(plan.id, keyId, dayOf(start)))?.granted ?? 0
      state = {period, start, end, used, granted, dayStart: 0, dayEnd: 0}
      this.windows.set(id, state)
    }
    return state
  }

  /**
   * Count one request of a key under a plan at `ms`, unless the plan's quota for the window is spent
   * (then nothing is counted and `admitted` is false).
   */
  consume(plan: UsagePlanDoc, keyId: string, ms: number): QuotaOutcome {
    const state = this.window(plan, keyId, ms)
    if (state.plan !== plan) {
      // Plan documents are shared until the store changes: a changed quota arrives as another object.
      state.allowed = allowance(plan.quota, plan.createdDate * 1000, state.start, state.granted)
      state.plan = plan
    }
    const allowed = state.allowed
    if (allowed !== undefined && state.used >= allowed) return {admitted: false, remaining: 0}
    let count = state.day
    if (!count || count.dropped || ms < state.dayStart || ms >= state.dayEnd) {
      count = this.day(plan.id, keyId, dayOf(ms))
      state.day = count
      state.dayStart = ms - (ms % DAY_MS)
      state.dayEnd = state.dayStart + DAY_MS
    }
    count.doc.used += 1
    count.dirty = true
    state.used += 1
    return allowed === undefined ? {admitted: true} : {admitted: true, remaining: allowed - state.used}
  }

  /** Whether counts wait to be written. */
  get pending(): boolean {
    for (const count of this.days.values()) if (count.dirty) return true
    return false
  }

  /**
   * Write the changed day counts (synchronously: inside the caller's transaction when it holds one), and drop
   * clean days other than today's from memory.
   */
  flush(nowMs: number): number {
    const today = dayOf(nowMs)
    let written = 0
    for (const [id, count] of this.days) {
      if (count.dirty) {
        this.store.put(KIND.usage, id, count.doc, count.doc.usagePlanId)
        count.dirty = false
        written++
      } else if (count.doc.day !== today) {
        this.days.delete(id)
        count.dropped = true
      }
    }
    return written
  }

  /** Forget what is held for a key in a plan (after a flush), so the next request reads the store again. */
  forget(usagePlanId: string, keyId: string): void {
    this.windows.delete(`${usagePlanId}/${keyId}`)
    const prefix = `${usagePlanId}/${keyId}/`
    this.dropDays(prefix)
  }

  /** Forget everything of a plan (deleted). */
  forgetPlan(usagePlanId: string): void {
    const prefix = `${usagePlanId}/`
    for (const id of this.windows.keys()) if (id.startsWith(prefix)) this.windows.delete(id)
    this.dropDays(prefix)
  }

  private dropDays(prefix: string): void {
    for (const [id, count] of this.days) {
      if (!id.startsWith(prefix)) continue
      this.days.delete(id)
      count.dropped = true
    }
  }
}
