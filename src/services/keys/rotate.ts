/**
 * `apigw keys rotate NAME [--overlap 7d]`: zero-downtime rotation, as AWS advises but has no API for
 * (aws-facts.md §9). Four steps, each idempotent and each leaving a mark in the tags, so a rerun after an
 * interruption finds where it stopped and finishes the same rotation (no third key):
 *   1. CreateApiKey `NAME/g<N+1>`, enabled, tagged `apigw:rotation-pending=<retire-after>` and
 *      `apigw:rotated-from=<old id>` in the same call;
 *   2. CreateUsagePlanKey in every plan of the old key that the new one is not in yet;
 *   3. TagResource on the old key: `apigw:retire-after=<ISO>` (it stays enabled);
 *   4. UntagResource `apigw:rotation-pending` on the new key: the rotation is complete.
 * No step disables anything, so NAME always keeps its enabled keys.
 */
import {CliError, EXIT} from '../../errors.ts'
import {
  type ChooseKey,
  checkKeyQuota,
  checkKeyValue,
  current,
  deliverValue,
  type KeyGeneration,
  type KeysDeps,
  type KeysOptions,
  keyNameOf,
  keysContext,
  keysPortFor,
  nameOrAsk,
  parseDuration,
  planNames,
  readKeysState,
  requireKey,
  TAG_GENERATION,
  TAG_KEY,
  TAG_RETIRE_AFTER,
  TAG_ROTATED_FROM,
  TAG_ROTATION_PENDING,
  type ValueDelivery,
  assertValueFileWritable,
  TAG_VALUE_UNSHOWN,
} from './common.ts'

export const DEFAULT_OVERLAP = '7d'

export type RotateKeyOptions = KeysOptions & {
  /** Asked for with `choose` when missing. */
  name?: string | undefined
  choose?: ChooseKey
  /** How long the old key stays enabled: `7d`, `24h`… */
  overlap?: string | undefined
  value?: string | undefined
  outputFile?: string | undefined
  /**
   * The caller marks the value shown (markValueShown) once it printed it. Until then the new generation
   * carries apigw:value-unshown, and a rerun says so instead of making yet another generation.
   */
  confirmDelivery?: boolean | undefined
}

export type RotateKeyResult = ValueDelivery & {
  name: string
  resumed: boolean
  old: {id: string; keyName: string; generation: number; retireAfter: string}
  new: {id: string; keyName: string; generation: number; plans: string[]; planIds: string[]; createdDate: string | null}
  /** Other older generations still enabled (a rotation before this one not retired yet). */
  stillEnabled: Array<{id: string; keyName: string; retireAfter: string | null}>
}

export async function rotateKey(options: RotateKeyOptions, deps: KeysDeps): Promise<RotateKeyResult> {
  const unshown = Boolean(options.confirmDelivery) && options.value === undefined
  const overlapMs = parseDuration(options.overlap ?? DEFAULT_OVERLAP, '--overlap')
  checkKeyValue(options.value)
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  const name = await nameOrAsk(options.name, state, options.choose, (gens) => gens.some((k) => k.enabled))
  const gens = requireKey(name, state)
  const pending = [...gens].reverse().find((k) => k.rotationPending !== null)
  let old: KeyGeneration
  let fresh: {id: string; generation: number; createdDate: string | null; planIds: string[]}
  let retireAfter: string
  let value: string | undefined
  assertValueFileWritable(options.outputFile, options.cwd)
  if (pending) {
    old = gens.find((k) => k.id === pending.rotatedFrom) ?? previousEnabled(gens, pending.generation) ?? missingOld(name, pending)
    retireAfter = pending.rotationPending!
    deps.progress.info(
      `Resuming the rotation of ${name} to ${pending.keyName} that an earlier run ` +
        `started${options.overlap ? ` (keeping its retire-after ${retireAfter})` : ''}.`,
    )
    fresh = {id: pending.id, generation: pending.generation, createdDate: pending.createdDate, planIds: [...pending.planIds]}
    value = await port.getApiKeyValue(pending.id)
  } else {
    old = current(gens) ?? revoked(name)
    if (old.createPending)
      throw new CliError('KEY_INCOMPLETE', `The creation of ${name} did not finish.`, {
        hint: `Finish it first: \`apigw keys create ${name} --plan <plan>\` with the same plans.`,
        exitCode: EXIT.USAGE,
      })
    if (old.planIds.length === 0) {
      throw new CliError('KEY_IN_NO_PLAN', `${old.keyName} is in no usage plan, so its new generation would open nothing.`, {
        hint: `Add ${name} to a plan first, or create a new key: \`apigw keys create <name> --plan <plan>\`.`,
      })
    }
    const newest = [...gens].sort((x, y) => y.generation - x.generation)[0]
    if (newest?.valueUnshown && newest.enabled) {
      throw new CliError(
        'KEY_VALUE_NOT_SHOWN',
        `The last rotation of ${name} finished (${newest.keyName}, id ${newest.id}), but its value was ` +
          `never shown: the run was interrupted, or had no terminal to show it on. No new key was made.`,
        {
          hint:
            `See the value with \`apigw keys list ${name} --show-values\` (this marks it shown); run ` +
            `\`apigw keys rotate ${name}\` again after that only if you want yet another generation.`,
        },
      )
    }
    checkKeyQuota(state, 1)
    retireAfter = new Date(deps.clock().getTime() + overlapMs).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const generation = Math.max(...gens.map((k) => k.generation)) + 1
    const created = await deps.progress.step(`Create API key ${keyNameOf(name, generation)}`, () =>
      port.createApiKey({
        name: keyNameOf(name, generation),
        value: options.value,
        enabled: true,
        tags: {
          [TAG_KEY]: name,
          [TAG_GENERATION]: String(generation),
          [TAG_ROTATED_FROM]: old.id,
          [TAG_ROTATION_PENDING]: retireAfter,
          ...(unshown ? {[TAG_VALUE_UNSHOWN]: 'true'} : {}),
        },
      }),
    )
    fresh = {
      id: created.id ?? '',
      generation,
      createdDate: created.createdDate ? new Date(created.createdDate).toISOString() : null,
      planIds: [],
    }
    value = created.value
  }
  const newName = keyNameOf(name, fresh.generation)
  for (const planId of old.planIds) {
    if (fresh.planIds.includes(planId)) continue
    await deps.progress.step(`Add ${newName} to usage plan ${planNames([planId], state)[0]}`, () =>
      port.createUsagePlanKey(planId, fresh.id),
    )
    fresh.planIds.push(planId)
  }
  if (old.retireAfter !== retireAfter) {
    await deps.progress.step(`Mark ${old.keyName} to retire after ${retireAfter}`, () =>
      port.tagApiKey(old.id, {[TAG_RETIRE_AFTER]: retireAfter}),
    )
  }
  await port.untagApiKey(fresh.id, [TAG_ROTATION_PENDING])
  const delivery = deliverValue(value, options.outputFile, options.cwd)
  // Written to the file: delivered.
  if (unshown && delivery.valueFile !== undefined) await port.untagApiKey(fresh.id, [TAG_VALUE_UNSHOWN])
  const stillEnabled = gens.filter((k) => k.enabled && k.id !== old.id && k.id !== fresh.id && k.generation < fresh.generation)
  for (const k of stillEnabled)
    deps.progress.warn(
      `${k.keyName} is still enabled too${k.retireAfter ? ` (retire after ${k.retireAfter})` : ''}; ` +
        `\`apigw keys retire\` disables old generations when due.`,
    )
  return {
    name,
    resumed: pending !== undefined,
    old: {id: old.id, keyName: old.keyName, generation: old.generation, retireAfter},
    new: {
      id: fresh.id,
      keyName: newName,
      generation: fresh.generation,
      plans: planNames(fresh.planIds, state),
      planIds: [...fresh.planIds].sort(),
      createdDate: fresh.createdDate,
    },
    stillEnabled: stillEnabled.map((k) => ({id: k.id, keyName: k.keyName, retireAfter: k.retireAfter})),
    ...delivery,
  }
}

function previousEnabled(gens: KeyGeneration[], below: number): KeyGeneration | undefined {
  return [...gens].reverse().find((k) => k.enabled && k.generation < below)
}

function revoked(name: string): never {
  throw new CliError('KEY_REVOKED', `Every generation of ${name} is disabled (revoked or retired), so there is nothing to rotate.`, {
    hint: `Create a new key instead: \`apigw keys create <new name> --plan <plan>\`.`,
    exitCode: EXIT.USAGE,
  })
}

function missingOld(name: string, pending: KeyGeneration): never {
  throw new CliError(
    'KEY_ROTATION_BROKEN',
    `${pending.keyName} was created by a rotation of ${name}, but the key it replaces (${pending.rotatedFrom ?? 'unknown'}) is gone.`,
    {
      hint: `Add ${pending.keyName} to its plans by hand, or revoke it: \`apigw keys revoke ${name}\`.`,
    },
  )
}

/** The caller showed the new value (at a terminal, in --json): clear apigw:value-unshown. */
export async function markValueShown(keyId: string, deps: KeysDeps): Promise<void> {
  await keysPortFor(deps).untagApiKey(keyId, [TAG_VALUE_UNSHOWN])
}
