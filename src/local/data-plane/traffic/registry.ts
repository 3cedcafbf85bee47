/**
 * The traffic state serving a store, for the control plane (GetUsage and UpdateUsage flush usage through it,
 * FlushStageCache empties a stage's cache). A module of its own so the control plane does not import the
 * data plane's chain.
 */
import type {Store} from '../../store/store.ts'

/** What the control plane may ask of the data plane's traffic state. */
export type TrafficControl = {
  /** Write pending usage now, synchronously (inside the caller's transaction). */
  flushUsageNow(): void
  /** Drop what is held in memory for a key of a plan (after a flush), so the store is read again. */
  forgetUsage(usagePlanId: string, keyId?: string): void
  /** Empty a stage's cache. */
  flushStageCache(apiId: string, stageName: string): void
}

const byStore = new WeakMap<Store, TrafficControl>()

export function registerTraffic(store: Store, traffic: TrafficControl | undefined): void {
  if (traffic) byStore.set(store, traffic)
  else byStore.delete(store)
}

/** The traffic state of the data plane serving `store`, if one is open. */
export function trafficOf(store: Store): TrafficControl | undefined {
  return byStore.get(store)
}
