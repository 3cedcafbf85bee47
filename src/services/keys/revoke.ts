/**
 * `apigw keys revoke NAME [--yes]`: every generation of NAME disabled first (all of them before anything
 * else, so no generation keeps working while the others are being detached), then taken out of every plan.
 * Asks first at a terminal; elsewhere it needs --yes.
 */
import {CliError} from '../../errors.ts'
import {
  type ChooseKey,
  type KeysDeps,
  type KeysOptions,
  keysContext,
  keysPortFor,
  nameOrAsk,
  planNames,
  readKeysState,
  requireKey,
  TAG_REVOKED_AT,
} from './common.ts'

export type RevokeOptions = KeysOptions & {
  /** Asked for with `choose` when missing. */
  name?: string | undefined
  choose?: ChooseKey
  yes?: boolean | undefined
  /** Asks the user; undefined when nobody can be asked. */
  confirm?: ((message: string) => Promise<boolean>) | undefined
}

export type RevokeResult = {
  name: string
  keys: Array<{id: string; keyName: string; generation: number; wasEnabled: boolean; detachedFrom: string[]}>
}

export async function revokeKey(options: RevokeOptions, deps: KeysDeps): Promise<RevokeResult> {
  const ctx = await keysContext(options, {api: false})
  const port = keysPortFor(deps)
  const state = await deps.progress.step('Read API keys and usage plans', () => readKeysState(port, ctx))
  const name = await nameOrAsk(options.name, state, options.choose)
  const gens = requireKey(name, state)
  if (!options.yes) {
    const enabled = gens.filter((k) => k.enabled).length
    const question =
      `Revoke ${name}: disable ${gens.length} generation${gens.length === 1 ? '' : 's'} ` +
      `(${enabled} enabled now) and take them out of every plan? Clients using it get 403 at once.`
    if (!options.confirm) {
      throw new CliError(
        'NON_INTERACTIVE',
        `Revoking ${name} needs a confirmation, and this session cannot prompt (no TTY, CI or --json).`,
        {hint: `Pass --yes: \`apigw keys revoke ${name} --yes\`.`},
      )
    }
    if (!(await options.confirm(question))) throw new CliError('CANCELLED', `Nothing was revoked: ${name} is unchanged.`)
  }
  const now = deps.clock().toISOString()
  await deps.progress.step(`Disable every generation of ${name}`, () =>
    Promise.all(gens.filter((k) => k.enabled).map((k) => port.setApiKeyEnabled(k.id, false))),
  )
  await deps.progress.step(`Take ${name} out of its usage plans`, async () => {
    for (const k of gens) {
      for (const planId of k.planIds) await port.deleteUsagePlanKey(planId, k.id)
      await port.tagApiKey(k.id, {[TAG_REVOKED_AT]: now})
    }
  })
  return {
    name,
    keys: gens.map((k) => ({
      id: k.id,
      keyName: k.keyName,
      generation: k.generation,
      wasEnabled: k.enabled,
      detachedFrom: planNames(k.planIds, state),
    })),
  }
}
