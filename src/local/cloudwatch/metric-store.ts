/**
 * CloudWatch metric points of the emulator (what the data plane records, AWS/ApiGateway), aggregated per series
 * and UTC minute as CloudWatch stores standard-resolution data: count, sum, minimum, maximum and a log-scale
 * histogram (2 % wide buckets) for percentiles. Kept in memory for a bounded window and written behind to the
 * store (kind `cwmetric`, one document per series and minute, parent the minute), like the usage counters
 * (data-plane/traffic/usage.ts): a killed emulator loses at most the last flush interval of points.
 */
import type {Store} from '../store/store.ts'

export const METRIC_KIND = 'cwmetric'

/** A dimension as CloudWatch names it. */
export type Dimension = {Name: string; Value: string}

/** What one series holds for one minute. */
export type MinuteAggregate = {
  count: number
  sum: number
  min: number
  max: number
  hist: Map<number, number>
  /** Changed since the last write behind. */
  dirty?: boolean
}

export type Series = {
  namespace: string
  metricName: string
  /** Sorted by name. */
  dimensions: Dimension[]
  unit: string
  minutes: Map<number, MinuteAggregate>
  /** seriesKey of the series. */
  key: string
}

type MetricDoc = {
  namespace: string
  metricName: string
  dimensions: Dimension[]
  unit: string
  minute: number
  count: number
  sum: number
  min: number
  max: number
  hist: Array<[number, number]>
}

/** The histogram's growth factor: a percentile is exact to within 1 % of the value (half a bucket). */
const GROWTH = 1.02
const LOG_GROWTH = Math.log(GROWTH)
/** Values at or below zero share one bucket. */
const ZERO_BUCKET = -100_000

export function bucketOf(value: number): number {
  return value > 0 ? Math.floor(Math.log(value) / LOG_GROWTH) : ZERO_BUCKET
}

/** The value a histogram bucket stands for (its geometric middle). */
export function bucketValue(bucket: number): number {
  return bucket === ZERO_BUCKET ? 0 : GROWTH ** (bucket + 0.5)
}

export const MINUTE_MS = 60_000

function sortDimensions(dimensions: Dimension[]): Dimension[] {
  return [...dimensions].sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
}

export function seriesKey(namespace: string, metricName: string, dimensions: Dimension[]): string {
  return JSON.stringify([namespace, metricName, dimensions.map((d) => [d.Name, d.Value])])
}

export type MetricStoreOptions = {
  store: Store
  now: () => Date
  /** How long points are kept (ms, default 24 h). */
  retentionMs?: number
  /** How often points are written behind (ms, default 1000). */
  flushMs?: number
}

export class MetricStore {
  readonly series = new Map<string, Series>()
  private readonly dirty = new Set<string>()
  /** Lists of series by the caller's id for them (seriesFor). */
  private readonly memo = new Map<string, Map<string, Series[]>>()
  private readonly store: Store
  private readonly now: () => Date
  readonly retentionMs: number
  private timer: NodeJS.Timeout | undefined
  private writing: Promise<void> | undefined
  private loaded = false
  /** Minutes found in the store already out of the window: deleted on the next flush. */
  private readonly stale = new Set<number>()
  private closed = false

  constructor(options: MetricStoreOptions) {
    this.store = options.store
    this.now = options.now
    this.retentionMs = options.retentionMs ?? 24 * 3600_000
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1000)
    this.timer.unref()
  }

  /** Points written by an earlier emulator on this state directory, read once on first use. */
  private load(): void {
    if (this.loaded) return
    this.loaded = true
    const oldest = this.now().getTime() - this.retentionMs
    for (const doc of this.store.list<MetricDoc>(METRIC_KIND)) {
      if (doc.minute < oldest) {
        this.stale.add(doc.minute)
        continue
      }
      const series = this.seriesOf(doc.namespace, doc.metricName, doc.dimensions, doc.unit)
      series.minutes.set(doc.minute, {count: doc.count, sum: doc.sum, min: doc.min, max: doc.max, hist: new Map(doc.hist)})
    }
  }

  private seriesOf(
    namespace: string,
    metricName: string,
    dimensions: Dimension[],
    unit: string,
    key = seriesKey(namespace, metricName, dimensions),
  ): Series {
    let series = this.series.get(key)
    if (!series) {
      series = {namespace, metricName, dimensions, unit, minutes: new Map(), key}
      this.series.set(key, series)
    }
    return series
  }

  /** Record one value of a metric at `atMs` (dimensions in any order). */
  record(namespace: string, metricName: string, dimensions: Dimension[], value: number, unit: string, atMs: number): void {
    this.load()
    const sorted = sortDimensions(dimensions)
    this.add(this.seriesOf(namespace, metricName, sorted, unit), value, atMs)
  }

  /**
   * The series of one metric for several sets of dimensions, looked up once per `id` (the caller's name for that
   * metric and those sets): the data plane records a dozen values per request into the same few series.
   */
  seriesFor(id: string, namespace: string, metricName: string, unit: string, sets: () => Dimension[][]): Series[] {
    let byName = this.memo.get(id)
    if (!byName) {
      if (this.memo.size >= 10_000) this.memo.clear()
      byName = new Map()
      this.memo.set(id, byName)
    }
    let list = byName.get(metricName)
    if (!list) {
      this.load()
      list = sets().map((dims) => this.seriesOf(namespace, metricName, sortDimensions(dims), unit))
      byName.set(metricName, list)
    }
    return list
  }

  /** Record one value into a series (from seriesFor) at `atMs`. */
  add(series: Series, value: number, atMs: number): void {
    const minute = Math.floor(atMs / MINUTE_MS) * MINUTE_MS
    let agg = series.minutes.get(minute)
    if (!agg) {
      agg = {count: 0, sum: 0, min: value, max: value, hist: new Map()}
      series.minutes.set(minute, agg)
    }
    agg.count += 1
    agg.sum += value
    if (value < agg.min) agg.min = value
    if (value > agg.max) agg.max = value
    const bucket = bucketOf(value)
    agg.hist.set(bucket, (agg.hist.get(bucket) ?? 0) + 1)
    if (!agg.dirty) {
      agg.dirty = true
      this.dirty.add(`${minute}@${series.key}`)
    }
  }

  /** Every series (ListMetrics, alarms), after the stored points are read. */
  all(): Series[] {
    this.load()
    return [...this.series.values()]
  }

  /** One series by its exact dimensions, or undefined. */
  find(namespace: string, metricName: string, dimensions: Dimension[]): Series | undefined {
    this.load()
    return this.series.get(seriesKey(namespace, metricName, sortDimensions(dimensions)))
  }

  /** Write changed minutes and drop those older than the window, in one transaction. */
  flush(): Promise<void> {
    if (this.closed || (this.dirty.size === 0 && !this.hasExpired())) return this.writing ?? Promise.resolve()
    this.writing ??= this.store
      .transaction(() => this.flushNow())
      .catch((error: unknown) => {
        if (process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`metrics flush failed: ${(error as Error).message}\n`)
      })
      .finally(() => {
        this.writing = undefined
      })
    return this.writing
  }

  private hasExpired(): boolean {
    if (this.stale.size > 0) return true
    const oldest = this.now().getTime() - this.retentionMs
    for (const series of this.series.values()) for (const minute of series.minutes.keys()) if (minute < oldest) return true
    return false
  }

  /** Synchronous flush (inside the caller's transaction). */
  flushNow(): void {
    const pending = [...this.dirty]
    this.dirty.clear()
    for (const id of pending) {
      const at = id.indexOf('@')
      const series = this.series.get(id.slice(at + 1))
      const minute = Number(id.slice(0, at))
      const agg = series?.minutes.get(minute)
      if (!series || !agg) continue
      agg.dirty = false
      const doc: MetricDoc = {
        namespace: series.namespace,
        metricName: series.metricName,
        dimensions: series.dimensions,
        unit: series.unit,
        minute,
        count: agg.count,
        sum: agg.sum,
        min: agg.min,
        max: agg.max,
        hist: [...agg.hist],
      }
      this.store.put(METRIC_KIND, id, doc, String(minute))
    }
    const oldest = this.now().getTime() - this.retentionMs
    const expired = new Set<number>(this.stale)
    this.stale.clear()
    for (const series of this.series.values()) {
      for (const minute of series.minutes.keys()) {
        if (minute >= oldest) continue
        series.minutes.delete(minute)
        expired.add(minute)
      }
    }
    for (const minute of expired) this.store.deleteChildren(METRIC_KIND, String(minute))
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.writing
    await this.flush()
    this.closed = true
  }
}
