/**
 * `apigw keys create NAME --plan P…`: generation 1 of NAME, tagged, enabled, in the plans. Resumable like a
 * rotation: the key carries `apigw:create-pending` until it is in every plan, and a rerun finishes it.
 */
import {CliError, EXIT} from '../../errors.ts'
import {
  checkKeyName,
  checkKeyQuota,
  checkKeyValue,
  deliverValue,
  type KeysDeps,
  type KeysOptions,
  keyNameOf,
  type PlanInfo,
  keysContext,
  keysPortFor,
  readKeysState,
  resolvePlan,
  TAG_CREATE_PENDING,
  TAG_GENERATION,
  TAG_KEY,
  type ValueDelivery,
  assertValueFileWritable,
} from './common.ts'

export type CreateKeyOptions = KeysOptions & {
  name: string
  plans: string[]
  value?: string | undefined
  description?: string | undefined
  /** Write the value here (mode 0600) instead of returning it. */
  outputFile?: string | undefined
}

export type CreateKeyResult = ValueDelivery & {
  name: string
  id: string
  keyName: string
  generation: number
  enabled: boolean
  plans: string[]
  planIds: string[]
  createdDate: string | null
  /** True when this run finished a create that an earlier run had started. */
  resumed: boolean
}

export async function createKey(options: CreateKeyOptions, deps: KeysDeps): Promise<CreateKeyResult> {
  checkKeyName(options.name)
  checkKeyValue(options.value)
  if (options.plans.length === 0)
    throw new CliError('USAGE', 'A key needs at least one usage plan.', {
      hint: 'Pass --plan <plan> (repeat it for more); `apigw keys plans` lists them.',
    })
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  const plans = [...new Map(options.plans.map((ref) => resolvePlan(ref, state, ctx)).map((p) => [p.id, p])).values()]
  checkPlansCompatible(plans)
  const existing = state.keys.filter((k) => k.name === options.name)
  const pending = existing.length === 1 && existing[0]!.createPending ? existing[0]! : undefined
  if (existing.length > 0 && !pending) {
    throw new CliError(
      'KEY_EXISTS',
      `An API key named ${options.name} exists already (${existing.length} generation${existing.length === 1 ? '' : 's'}).`,
      {
        hint: `Rotate it with \`apigw keys rotate ${options.name}\`, or pick another name.`,
        exitCode: EXIT.USAGE,
      },
    )
  }
  let id: string
  let value: string | undefined
  let createdDate: string | null
  let planIds: string[]
  assertValueFileWritable(options.outputFile, options.cwd)
  if (pending) {
    deps.progress.info(`Finishing the creation of ${options.name} that an earlier run started (key ${pending.id}).`)
    id = pending.id
    createdDate = pending.createdDate
    planIds = [...pending.planIds]
    value = await port.getApiKeyValue(id)
  } else {
    checkKeyQuota(state, 1)
    const created = await deps.progress.step(`Create API key ${keyNameOf(options.name, 1)}`, () =>
      port.createApiKey({
        name: keyNameOf(options.name, 1),
        value: options.value,
        description: options.description,
        enabled: true,
        tags: {[TAG_KEY]: options.name, [TAG_GENERATION]: '1', [TAG_CREATE_PENDING]: 'true'},
      }),
    )
    id = created.id ?? ''
    value = created.value
    createdDate = created.createdDate ? new Date(created.createdDate).toISOString() : null
    planIds = []
  }
  for (const plan of plans) {
    if (planIds.includes(plan.id)) continue
    await deps.progress.step(`Add ${keyNameOf(options.name, 1)} to usage plan ${plan.display}`, () => port.createUsagePlanKey(plan.id, id))
    planIds.push(plan.id)
  }
  await port.untagApiKey(id, [TAG_CREATE_PENDING])
  const names = planIds.map((pid) => state.plans.find((p) => p.id === pid)?.display ?? pid).sort()
  return {
    name: options.name,
    id,
    keyName: keyNameOf(options.name, 1),
    generation: 1,
    enabled: true,
    plans: names,
    planIds: [...planIds].sort(),
    createdDate,
    resumed: pending !== undefined,
    ...deliverValue(value, options.outputFile, options.cwd),
  }
}

/** AWS refuses a key in two plans that share an API stage; say so before creating anything. */
export function checkPlansCompatible(plans: PlanInfo[]): void {
  for (const [i, a] of plans.entries()) {
    for (const b of plans.slice(i + 1)) {
      const shared = a.apiStages.find((s) => b.apiStages.some((t) => t.apiId === s.apiId && t.stage === s.stage))
      if (shared) {
        throw new CliError(
          'PLANS_SHARE_STAGE',
          `Usage plans ${a.display} and ${b.display} both cover stage ${shared.stage} of ` +
            `API ${shared.apiId}, and API Gateway lets a key be in only one plan per stage.`,
          {
            hint: 'Pass only one of them with --plan.',
            exitCode: EXIT.USAGE,
          },
        )
      }
    }
  }
}
