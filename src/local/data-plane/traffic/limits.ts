/**
 * Which throttle limits a request meets, in AWS's order (developer guide, "Throttle requests to your REST
 * APIs"): (1) the usage plan's per-method limit for the key, (2) the usage plan's limit for the key, shared
 * across every stage of the plan, (3) the stage's method settings (`res/GET`, else `*∕*`), (4) the account's.
 * Pure: the caller reads the documents.
 */
import type {MethodSettingDoc} from '../../control-plane/v1/lookup.ts'
import type {UsagePlanDoc} from '../../control-plane/v1/usage-plans.ts'
import type {BucketCheck, Limit} from './token-bucket.ts'

type PartialLimit = {rateLimit?: number; burstLimit?: number}

/**
 * A usage-plan throttle as a bucket limit, or undefined when it sets nothing. A plan may set only one member;
 * AWS's behaviour then is not recorded: a missing rate is unlimited refill, a missing burst is the rate
 * rounded up (at least 1), so that `{rateLimit: 5}` serves 5 requests a second (LIMITATIONS.md).
 */
export function planLimit(t: PartialLimit | undefined): Limit | undefined {
  if (!t || (t.rateLimit === undefined && t.burstLimit === undefined)) return undefined
  const rateLimit = t.rateLimit ?? Number.POSITIVE_INFINITY
  const burstLimit = t.burstLimit ?? Math.max(1, Math.ceil(rateLimit))
  return {rateLimit, burstLimit}
}

/** The methodSettings key of a method: resource path without its leading `/`, then the verb (`pets/GET`, `/GET` for the root). */
export function methodSettingKey(resourcePath: string, httpMethod: string): string {
  return `${resourcePath.replace(/^\//, '')}/${httpMethod}`
}

/** The stage's setting for a method: its own, else the stage default `*∕*`, else none. */
export function methodSettingOf(
  settings: Record<string, MethodSettingDoc> | undefined,
  resourcePath: string,
  verbs: string[],
): {setting: MethodSettingDoc; own: boolean} | undefined {
  if (!settings) return undefined
  for (const verb of verbs) {
    const own = settings[methodSettingKey(resourcePath, verb)]
    if (own) return {setting: own, own: true}
  }
  const all = settings['*/*']
  return all ? {setting: all, own: false} : undefined
}

export type ThrottleInput = {
  apiId: string
  stageName: string
  resourcePath: string
  /** The request's verb, then the declared one when it differs (ANY). */
  verbs: string[]
  resourceId: string
  methodSettings?: Record<string, MethodSettingDoc>
  /** The caller's key and the plan that admits it on this stage, when the method requires a key. */
  key?: {id: string; plan: UsagePlanDoc}
  account: Limit
}

/**
 * The buckets a request takes a token from, in AWS's order. Bucket ids say what they count: a plan's limit is
 * one bucket per key across the plan's stages; a stage setting is one bucket per method (the stage default
 * `*∕*` applies to each method on its own, as AWS documents default method throttling).
 */
export function throttleChecks(input: ThrottleInput): BucketCheck[] {
  const checks: BucketCheck[] = []
  const {apiId, stageName, resourcePath} = input
  const where = `RestApi ${apiId}, Stage ${stageName}, Resource ${input.resourceId}, HttpMethod ${input.verbs[0]}`
  if (input.key) {
    const {plan, id: keyId} = input.key
    const apiStage = plan.apiStages.find((s) => s.apiId === apiId && s.stage === stageName)
    for (const verb of input.verbs) {
      const limit = planLimit(apiStage?.throttle?.[`${resourcePath}/${verb}`])
      if (limit) {
        checks.push({
          id: `plan-method ${plan.id} ${keyId} ${apiId}:${stageName} ${resourcePath}/${verb}`,
          limit,
          describe: `Key throttle limit exceeded for Usage Plan ID ${plan.id}, ${where}. ${describeLimit(limit)}`,
        })
        break
      }
    }
    const limit = planLimit(plan.throttle)
    if (limit) {
      checks.push({
        id: `plan ${plan.id} ${keyId}`,
        limit,
        describe: `Key throttle limit exceeded for Usage Plan ID ${plan.id}, ${where}. ${describeLimit(limit)}`,
      })
    }
  }
  const found = methodSettingOf(input.methodSettings, resourcePath, input.verbs)
  if (found) {
    const limit = {rateLimit: found.setting.throttlingRateLimit, burstLimit: found.setting.throttlingBurstLimit}
    checks.push({
      id: `stage ${apiId} ${stageName} ${resourcePath} ${input.verbs[0]}`,
      limit,
      describe: `Method throttle limit exceeded for ${where}. ${describeLimit(limit)}`,
    })
  }
  checks.push({id: 'account', limit: input.account, describe: `Account throttle limit exceeded. ${describeLimit(input.account)}`})
  return checks
}

/** `Limit: 5.00 Burst: 10`, as AWS's execution log writes a limit. */
export function describeLimit(limit: Limit): string {
  const rate = Number.isFinite(limit.rateLimit) ? limit.rateLimit.toFixed(2) : 'unlimited'
  return `Limit: ${rate} Burst: ${limit.burstLimit}`
}

type MemoEntry = {methodSettings: unknown; plan: unknown; account: Limit; checks: BucketCheck[]}

/** Entries kept at most: requests naming many methods and keys must not grow the memo without bound. */
const MAX_MEMO = 10_000

/**
 * `throttleChecks` remembered per stage, method, verbs and key, and reused while the documents they were built
 * from are the same objects (the data plane's document cache hands out the same objects until the store
 * changes; a changed stage, plan or account arrives as another object and the checks are built again). Saves
 * building the bucket ids and AWS's log lines on every request.
 */
export class ThrottleCheckMemo {
  private readonly entries = new Map<string, MemoEntry>()

  checks(input: ThrottleInput): BucketCheck[] {
    const method = `${input.resourceId}\u0000${input.resourcePath}\u0000${input.verbs.join(' ')}`
    const id = `${input.apiId}\u0000${input.stageName}\u0000${method}\u0000${input.key?.id ?? ''}`
    const found = this.entries.get(id)
    if (found && found.methodSettings === input.methodSettings && found.plan === input.key?.plan && found.account === input.account) {
      return found.checks
    }
    const checks = throttleChecks(input)
    if (!found && this.entries.size >= MAX_MEMO) this.entries.clear()
    this.entries.set(id, {methodSettings: input.methodSettings, plan: input.key?.plan, account: input.account, checks})
    return checks
  }

  clear(): void {
    this.entries.clear()
  }
}
