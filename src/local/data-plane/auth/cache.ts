/**
 * Lambda authorizer results cached per stage, authorizer and identity-source values for
 * `authorizerResultTtlInSeconds`, on the data plane's clock. The cached answer is the authorizer's policy, so it
 * is evaluated again against each method ARN (AWS: a policy for one path denies another within the TTL); the
 * decision for each ARN is remembered with the answer (`cachedDecision`), as the policy it came from cannot change.
 * FlushStageAuthorizersCache drops a stage's entries. In memory only, as AWS's cache is not durable either.
 */
import type {PolicyDecision} from './policy.ts'

export type CachedAuthorization = {
  principalId: string
  policyDocument: unknown
  context: Record<string, string | number | boolean>
  usageIdentifierKey?: string
}

const MAX_ENTRIES = 10_000
/** Method ARNs whose decision an entry remembers at most (a policy with wildcards may match many paths). */
const MAX_DECISIONS = 256

type Entry = {expiresAt: number; value: CachedAuthorization}

/** Decisions by answer: an answer is one object whether it came from the function or from the cache. */
const decisionsOf = new WeakMap<CachedAuthorization, Map<string, PolicyDecision>>()

/**
 * The answer's decision for `arn`, evaluated once per answer and ARN (`evaluate` throws for a malformed
 * policy: nothing is remembered then, so the next request fails the same way).
 */
export function cachedDecision(answer: CachedAuthorization, arn: string, evaluate: () => PolicyDecision): PolicyDecision {
  let decisions = decisionsOf.get(answer)
  let decision = decisions?.get(arn)
  if (decision !== undefined) return decision
  decision = evaluate()
  if (!decisions) {
    decisions = new Map()
    decisionsOf.set(answer, decisions)
  } else if (decisions.size >= MAX_DECISIONS) decisions.clear()
  decisions.set(arn, decision)
  return decision
}

export class AuthorizerCache {
  private readonly entries = new Map<string, Entry>()

  /**
   * `apiId NUL stage NUL authorizerId NUL` then each identity value as `length:value`: unambiguous for any
   * values (a query-string identity may hold a NUL or a comma), and cheaper than a JSON array per request.
   */
  private static key(apiId: string, stage: string, authorizerId: string, identity: string[]): string {
    let key = `${apiId}\u0000${stage}\u0000${authorizerId}\u0000`
    for (const value of identity) key += `${value.length}:${value}`
    return key
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
    const prefix = `${apiId}\u0000${stage}\u0000`
    for (const key of this.entries.keys()) {
      if (key.startsWith(prefix)) {
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
