/**
 * Lambda authorizer results cached per stage, authorizer and identity-source values for
 * `authorizerResultTtlInSeconds`, on the data plane's clock. The cached answer is the authorizer's policy, so it
 * is evaluated again against each method ARN (AWS: a policy for one path denies another within the TTL).
 * FlushStageAuthorizersCache drops a stage's entries. In memory only, as AWS's cache is not durable either.
 */

export type CachedAuthorization = {
  principalId: string
  policyDocument: unknown
  context: Record<string, string | number | boolean>
  usageIdentifierKey?: string
}

const MAX_ENTRIES = 10_000

export class AuthorizerCache {
  private readonly entries = new Map<string, {expiresAt: number; value: CachedAuthorization}>()

  private static key(apiId: string, stage: string, authorizerId: string, identity: string[]): string {
    return JSON.stringify([apiId, stage, authorizerId, identity])
  }

  get(apiId: string, stage: string, authorizerId: string, identity: string[], nowMs: number): CachedAuthorization | undefined {
    const key = AuthorizerCache.key(apiId, stage, authorizerId, identity)
    const found = this.entries.get(key)
    if (!found) return undefined
    if (found.expiresAt <= nowMs) {
      this.entries.delete(key)
      return undefined
    }
    return found.value
  }

  set(apiId: string, stage: string, authorizerId: string, identity: string[], value: CachedAuthorization, expiresAt: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!)
    this.entries.set(AuthorizerCache.key(apiId, stage, authorizerId, identity), {expiresAt, value})
  }

  /** Drop every entry of a stage (FlushStageAuthorizersCache); returns how many. */
  flushStage(apiId: string, stage: string): number {
    let n = 0
    const prefix = JSON.stringify([apiId, stage]).slice(0, -1)
    for (const key of this.entries.keys()) {
      if (key.startsWith(`${prefix},`)) {
        this.entries.delete(key)
        n++
      }
    }
    return n
  }

  get size(): number {
    return this.entries.size
  }
}
