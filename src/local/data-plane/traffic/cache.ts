/**
 * The stage cache (REST): method responses kept per stage for `cacheTtlInSeconds`, keyed by the method, the
 * resource path and the values of the integration's `cacheKeyParameters`. An item over 1 MiB is never cached
 * (AWS's quota); each stage's cache holds at most its cluster size (`cacheClusterSize` in GB), the least
 * recently used items leaving first. Entries live in memory only: a restart, FlushStageCache or a cluster
 * turned off empties it. TTLs read the data plane's clock.
 */

/** A method response as the cache keeps it. */
export type CachedResponse = {status: number; headers: Array<[string, string]>; body: Buffer}

/** AWS's cached-item limit: 1 MiB. */
export const MAX_ITEM_BYTES = 1024 * 1024

/** `cacheClusterSize` (GB, as AWS lists the sizes: 0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237) in bytes; default 0.5. */
export function clusterBytes(size: string | undefined): number {
  const gb = Number(size ?? '0.5')
  return Math.floor((Number.isFinite(gb) && gb > 0 ? gb : 0.5) * 1024 ** 3)
}

type Entry = {response: CachedResponse; expires: number; bytes: number}
type StageEntries = {entries: Map<string, Entry>; bytes: number}

function sizeOf(r: CachedResponse): number {
  let n = r.body.length + 16
  for (const [k, v] of r.headers) n += k.length + v.length + 4
  return n
}

export class StageCache {
  private readonly stages = new Map<string, StageEntries>()

  private stage(apiId: string, stageName: string): StageEntries {
    const id = `${apiId}/${stageName}`
    let s = this.stages.get(id)
    if (!s) {
      s = {entries: new Map(), bytes: 0}
      this.stages.set(id, s)
    }
    return s
  }

  /** A live entry (and it becomes the most recently used), or undefined; an expired one is dropped. */
  get(apiId: string, stageName: string, key: string, nowMs: number): CachedResponse | undefined {
    const s = this.stages.get(`${apiId}/${stageName}`)
    const entry = s?.entries.get(key)
    if (!s || !entry) return undefined
    s.entries.delete(key)
    if (entry.expires <= nowMs) {
      s.bytes -= entry.bytes
      return undefined
    }
    s.entries.set(key, entry)
    return entry.response
  }

  /** Keep a response for `ttlMs`; false (nothing kept) when it is over 1 MiB or larger than the whole cache. */
  put(apiId: string, stageName: string, key: string, response: CachedResponse, ttlMs: number, nowMs: number, capacity: number): boolean {
    const bytes = sizeOf(response)
    if (ttlMs <= 0 || response.body.length > MAX_ITEM_BYTES || bytes > capacity) return false
    const s = this.stage(apiId, stageName)
    this.invalidate(apiId, stageName, key)
    for (const [k, e] of s.entries) {
      if (s.bytes + bytes <= capacity) break
      s.entries.delete(k)
      s.bytes -= e.bytes
    }
    s.entries.set(key, {response: {...response, headers: response.headers.map(([k, v]) => [k, v])}, expires: nowMs + ttlMs, bytes})
    s.bytes += bytes
    return true
  }

  invalidate(apiId: string, stageName: string, key: string): void {
    const s = this.stages.get(`${apiId}/${stageName}`)
    const entry = s?.entries.get(key)
    if (s && entry) {
      s.entries.delete(key)
      s.bytes -= entry.bytes
    }
  }

  /** FlushStageCache: every entry of the stage goes. */
  flush(apiId: string, stageName: string): void {
    this.stages.delete(`${apiId}/${stageName}`)
  }

  /** Entries and bytes a stage holds (tests, logs). */
  stats(apiId: string, stageName: string): {entries: number; bytes: number} {
    const s = this.stages.get(`${apiId}/${stageName}`)
    return {entries: s?.entries.size ?? 0, bytes: s?.bytes ?? 0}
  }
}
