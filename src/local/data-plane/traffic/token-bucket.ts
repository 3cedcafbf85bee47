/**
 * AWS's token bucket (developer guide, "Throttle requests to your REST APIs"): capacity = burst limit, refilled
 * at the rate limit in tokens per second, one token per request, an empty bucket is a 429. Time is whatever
 * clock the caller reads (the data plane's injectable `now`), in milliseconds; a clock that goes back refills
 * nothing.
 */

export type Limit = {
  /** Tokens per second. */
  rateLimit: number
  /** Bucket capacity. */
  burstLimit: number
}

export class TokenBucket {
  private tokens: number
  private last: number
  private limit: Limit

  /** A bucket starts full (AWS serves a first burst of `burstLimit` requests at once). */
  constructor(limit: Limit, nowMs: number) {
    this.limit = limit
    this.tokens = limit.burstLimit
    this.last = nowMs
  }

  /** New limits take effect at once; tokens held are kept, capped by the new capacity. */
  setLimit(limit: Limit): void {
    if (limit.burstLimit === this.limit.burstLimit && limit.rateLimit === this.limit.rateLimit) return
    this.limit = limit
    this.tokens = Math.min(this.tokens, limit.burstLimit)
  }

  private refill(nowMs: number): void {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.limit.burstLimit, this.tokens + ((nowMs - this.last) / 1000) * this.limit.rateLimit)
      this.last = nowMs
    }
  }

  /** Whether a token is there now (refilling first), without taking it. */
  available(nowMs: number): boolean {
    this.refill(nowMs)
    return this.tokens >= 1
  }

  /** Take one token; call after `available` said yes. */
  take(): void {
    this.tokens -= 1
  }

  /** Tokens held now (for tests and logs). */
  level(nowMs: number): number {
    this.refill(nowMs)
    return this.tokens
  }
}

/** A bucket to check, by a stable id, with the limit that applies now and what to say when it is empty. */
export type BucketCheck = {id: string; limit: Limit; describe: string}

/**
 * Every live bucket by id. `admit` takes one token from each bucket of a request at once, or from none: a
 * request refused by the stage's bucket does not spend its key's tokens.
 */
export class BucketSet {
  private readonly buckets = new Map<string, TokenBucket>()

  /** The first check whose bucket is empty (nothing taken then), or undefined once every bucket gave a token. */
  admit(checks: BucketCheck[], nowMs: number): BucketCheck | undefined {
    const held: TokenBucket[] = []
    for (const check of checks) {
      let bucket = this.buckets.get(check.id)
      if (bucket) bucket.setLimit(check.limit)
      else {
        bucket = new TokenBucket(check.limit, nowMs)
        this.buckets.set(check.id, bucket)
      }
      if (!bucket.available(nowMs)) return check
      held.push(bucket)
    }
    for (const bucket of held) bucket.take()
    return undefined
  }

  /** Forget every bucket (limits changed wholesale, or tests). */
  clear(): void {
    this.buckets.clear()
  }

  get size(): number {
    return this.buckets.size
  }
}
