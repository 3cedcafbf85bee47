/**
 * What every `apigw keys` service shares: the tags that make keys discoverable, reading the account's keys and
 * plans once, resolving `--plan` and NAME with errors that list the known ones, durations, and the one-time
 * handling of key values (a 0600 file, or the result). Key values never enter a message built here.
 *
 * A key NAME is a family of API keys on AWS, one per generation, named `NAME/g<N>` and tagged:
 * - `apigw:key=NAME`, `apigw:generation=N` on every generation;
 * - `apigw:retire-after=<ISO>` on a generation a rotation replaced (it stays enabled until then);
 * - `apigw:rotated-from=<key id>` on a generation made by a rotation;
 * - `apigw:rotation-pending=<ISO>` on a rotation's new key until its last step is done (the ISO is the old
 *   key's retire-after, so a resumed rotation uses the same one), `apigw:create-pending=true` likewise for create;
 * - `apigw:retired-at` / `apigw:revoked-at` on keys disabled by retire / revoke.
 */
import {resolve} from 'node:path'
import {type ApiKey, type ApiKeysPort, createApiKeysPort, MAX_API_KEYS, type UsagePlan} from '../../aws/api-keys.ts'
import type {LoadedConfig} from '../../core/config/config.ts'
import {closest} from '../../core/config/config.ts'
import {TAG_API, TAG_USAGE_PLAN} from '../../core/plan/plan.ts'
import {CliError, EXIT} from '../../errors.ts'
import {assertWritable, writeFileSafely} from '../../safe-files.ts'
import {type LifecycleDeps, portsFor} from '../lifecycle/find-api.ts'
import {usagePlanName} from '../lifecycle/stages.ts'
import {loadProject, relativePath, type SelectedApi, selectApi} from '../project.ts'

export const TAG_KEY = 'apigw:key'
export const TAG_GENERATION = 'apigw:generation'
export const TAG_RETIRE_AFTER = 'apigw:retire-after'
export const TAG_ROTATED_FROM = 'apigw:rotated-from'
export const TAG_ROTATION_PENDING = 'apigw:rotation-pending'
/** On a generation whose one-time value was never delivered (the run was cut, or had nowhere to show it). */
export const TAG_VALUE_UNSHOWN = 'apigw:value-unshown'
export const TAG_CREATE_PENDING = 'apigw:create-pending'
export const TAG_RETIRED_AT = 'apigw:retired-at'
export const TAG_REVOKED_AT = 'apigw:revoked-at'

/** Deps of the keys services; tests may pass a ready-made port (a fake, or one that fails on purpose). */
export type KeysDeps = LifecycleDeps & {keysPort?: ApiKeysPort}

/** The port over the clients, sharing the lifecycle scheduler (one account quota for every call). */
export function keysPortFor(deps: KeysDeps): ApiKeysPort {
  if (deps.keysPort) return deps.keysPort
  const scheduler = deps.ports?.scheduler ?? portsFor(deps).scheduler
  deps.keysPort = createApiKeysPort(deps.aws, scheduler)
  return deps.keysPort
}

export type KeysOptions = {cwd: string; configPath?: string | undefined; api?: string | undefined}

/** One generation of a managed key, as read from AWS (never with its value). */
export type KeyGeneration = {
  id: string
  /** The key's name on AWS: `NAME/g<N>`. */
  keyName: string
  name: string
  generation: number
  enabled: boolean
  createdDate: string | null
  /** Ids of the usage plans the key is in. */
  planIds: string[]
  retireAfter: string | null
  rotatedFrom: string | null
  rotationPending: string | null
  createPending: boolean
  /** Its value was never shown: a rotate rerun points at `keys list --show-values` instead of rotating again. */
  valueUnshown: boolean
  tags: Record<string, string>
}

export type PlanInfo = {
  id: string
  /** The plan's name on AWS. */
  awsName: string
  /** How apigw shows it: its key in apigw.yaml when it is the selected API's plan, else its AWS name. */
  display: string
  /** The apigw.yaml key of the plan when it belongs to the selected API. */
  configKey: string | null
  /** The linked stages. */
  apiStages: Array<{apiId: string; stage: string}>
  /** Per-method throttles of the linked stages: `GET /pets` (AWS keys them `/pets/GET`). */
  methodThrottles: Array<{stage: string; method: string; rateLimit?: number | undefined; burstLimit?: number | undefined}>
  throttle: {rateLimit?: number | undefined; burstLimit?: number | undefined} | null
  quota: {limit?: number | undefined; period?: string | undefined} | null
  keyIds: string[]
}

export type KeysState = {
  /** Every managed generation (tagged apigw:key), by name then generation. */
  keys: KeyGeneration[]
  plans: PlanInfo[]
  /** API keys of the account that apigw does not manage (no apigw:key tag). */
  unmanaged: Array<{id: string; name: string; planIds: string[]; enabled: boolean}>
  totalKeys: number
}

/** The project (when there is one) and the API keys commands work on; HTTP APIs are refused with a hint. */
export type KeysContext = {project: LoadedConfig | undefined; selected: SelectedApi | undefined}

export async function keysContext(options: KeysOptions, need: {api: boolean}): Promise<KeysContext> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath, required: need.api})
  let selected: SelectedApi | undefined
  if (project) {
    const names = Object.keys(project.config.apis)
    if (need.api || options.api !== undefined || names.length === 1) selected = selectApi(project, options.api)
  }
  if (selected?.api.type === 'http') throw restOnly(selected.name)
  return {project, selected}
}

export function restOnly(api: string): CliError {
  return new CliError('KEYS_REST_ONLY', `API ${api} is an HTTP API, and API keys and usage plans exist only for REST APIs.`, {
    hint:
      'Protect an HTTP API with a JWT or Lambda authorizer instead, or set ' +
      '`type: rest` for it in apigw.yaml; pass --api to pick a REST API.',
    exitCode: EXIT.USAGE,
  })
}

/** Read the account's API keys and usage plans (with their keys) once. */
export async function readKeysState(port: ApiKeysPort, ctx: KeysContext): Promise<KeysState> {
  const [apiKeys, usagePlans] = await Promise.all([port.listApiKeys(), port.listUsagePlans()])
  // GetApiKeys may leave `tags` out of its items; a key named like a generation is then asked for its tags.
  for (const k of apiKeys) if (k.tags === undefined && k.id && GENERATION_NAME.test(k.name ?? '')) k.tags = await port.getApiKeyTags(k.id)
  const plans = await Promise.all(usagePlans.map(async (p) => toPlanInfo(p, await port.listUsagePlanKeyIds(p.id ?? ''), ctx)))
  plans.sort((a, b) => a.display.localeCompare(b.display) || a.id.localeCompare(b.id))
  const plansOf = (keyId: string) => plans.filter((p) => p.keyIds.includes(keyId)).map((p) => p.id)
  const keys: KeyGeneration[] = []
  const unmanaged: KeysState['unmanaged'] = []
  for (const k of apiKeys) {
    const gen = toGeneration(k, plansOf(k.id ?? ''))
    if (gen) keys.push(gen)
    else unmanaged.push({id: k.id ?? '', name: k.name ?? '', planIds: plansOf(k.id ?? ''), enabled: k.enabled ?? false})
  }
  keys.sort((a, b) => a.name.localeCompare(b.name) || a.generation - b.generation || a.id.localeCompare(b.id))
  return {keys, plans, unmanaged, totalKeys: apiKeys.length}
}

const GENERATION_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\/g\d+$/

function toGeneration(k: ApiKey, planIds: string[]): KeyGeneration | undefined {
  const tags = k.tags ?? {}
  const name = tags[TAG_KEY]
  if (!name || !k.id) return undefined
  const generation = Number(tags[TAG_GENERATION] ?? /\/g(\d+)$/.exec(k.name ?? '')?.[1] ?? 1)
  return {
    id: k.id,
    keyName: k.name ?? '',
    name,
    generation: Number.isInteger(generation) && generation > 0 ? generation : 1,
    enabled: k.enabled ?? false,
    createdDate: k.createdDate ? new Date(k.createdDate).toISOString() : null,
    planIds,
    retireAfter: tags[TAG_RETIRE_AFTER] ?? null,
    rotatedFrom: tags[TAG_ROTATED_FROM] ?? null,
    rotationPending: tags[TAG_ROTATION_PENDING] ?? null,
    createPending: tags[TAG_CREATE_PENDING] === 'true',
    valueUnshown: tags[TAG_VALUE_UNSHOWN] === 'true',
    tags,
  }
}

function toPlanInfo(p: UsagePlan, keyIds: string[], ctx: KeysContext): PlanInfo {
  const tags = p.tags ?? {}
  const api = ctx.selected?.name
  const awsName = p.name ?? ''
  let configKey: string | null = null
  if (api !== undefined) {
    if (tags[TAG_API] === api && tags[TAG_USAGE_PLAN]) configKey = tags[TAG_USAGE_PLAN]
    else if (tags[TAG_API] === undefined && awsName.startsWith(`${api}-`) && ctx.selected?.api.usagePlans?.[awsName.slice(api.length + 1)])
      configKey = awsName.slice(api.length + 1)
  }
  return {
    id: p.id ?? '',
    awsName,
    display: configKey ?? awsName,
    configKey,
    apiStages: (p.apiStages ?? []).map((s) => ({apiId: s.apiId ?? '', stage: s.stage ?? ''})),
    methodThrottles: (p.apiStages ?? [])
      .flatMap((s) =>
        Object.entries(s.throttle ?? {}).map(([key, t]) => ({
          stage: s.stage ?? '',
          method: methodLabel(key),
          rateLimit: t.rateLimit,
          burstLimit: t.burstLimit,
        })),
      )
      .sort((a, b) => a.stage.localeCompare(b.stage) || a.method.localeCompare(b.method)),
    throttle: p.throttle ? {rateLimit: p.throttle.rateLimit, burstLimit: p.throttle.burstLimit} : null,
    quota: p.quota ? {limit: p.quota.limit, period: p.quota.period} : null,
    keyIds,
  }
}

/** AWS's `/pets/{id}/GET` as `GET /pets/{id}`, the way apigw.yaml writes it. */
export function methodLabel(key: string): string {
  const i = key.lastIndexOf('/')
  return i <= 0 ? key : `${key.slice(i + 1)} ${key.slice(0, i)}`
}

/** `--plan P`: the apigw.yaml plan key of the selected API, an AWS plan name, or an AWS plan id. */
export function resolvePlan(ref: string, state: KeysState, ctx: KeysContext): PlanInfo {
  const found =
    state.plans.find((p) => p.configKey === ref) ??
    (ctx.selected ? state.plans.find((p) => p.awsName === usagePlanName(ctx.selected!.name, ref)) : undefined) ??
    state.plans.find((p) => p.awsName === ref) ??
    state.plans.find((p) => p.id === ref)
  const declared = ctx.selected?.api.usagePlans?.[ref]
  if (!found) {
    if (declared && ctx.selected) {
      const stages = declared.stages ?? []
      throw new CliError(
        'PLAN_NOT_DEPLOYED',
        `Usage plan ${ref} is declared in ${relativePath(ctx.selected.project.path)} but does not exist on AWS yet.`,
        {
          hint:
            stages.length > 0
              ? `Deploy a stage it lists first: \`apigw deploy ${ctx.selected.name} --stage ${stages[0]}\`.`
              : `Give it stages (apis.${ctx.selected.name}.usagePlans.${ref}.stages) and deploy one of them.`,
        },
      )
    }
    const known = [...new Set([...Object.keys(ctx.selected?.api.usagePlans ?? {}), ...state.plans.map((p) => p.display)])].sort()
    const guess = closest(ref, known)
    throw new CliError('UNKNOWN_PLAN', `There is no usage plan "${ref}"${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
      hint:
        known.length > 0
          ? `Known plans: ${known.join(', ')}. \`apigw keys plans\` lists them with their stages.`
          : 'No usage plan exists yet: declare one under usagePlans in apigw.yaml and run `apigw deploy`.',
      exitCode: EXIT.USAGE,
      details: {known},
    })
  }
  if (found.apiStages.length === 0) {
    throw new CliError(
      'PLAN_NOT_LINKED',
      `Usage plan ${found.display} (${found.id}) is linked to no API stage, so a key in it would open nothing.`,
      {
        hint: ctx.selected
          ? `List a stage under apis.${ctx.selected.name}.usagePlans.${found.configKey ?? ref}.stages ` +
            `in apigw.yaml and run \`apigw deploy ${ctx.selected.name} --stage <stage>\`.`
          : 'Link the plan to a stage (apigw.yaml usagePlans.<plan>.stages, then `apigw deploy`).',
      },
    )
  }
  return found
}

/** The generations of NAME, oldest first; UNKNOWN_KEY listing the known names when there is none. */
export function requireKey(name: string, state: KeysState): KeyGeneration[] {
  const gens = state.keys.filter((k) => k.name === name)
  if (gens.length > 0) return gens
  const known = [...new Set(state.keys.map((k) => k.name))].sort()
  const guess = closest(name, known)
  throw new CliError('UNKNOWN_KEY', `There is no API key named "${name}"${guess ? ` (did you mean "${guess}"?)` : ''}.`, {
    hint:
      known.length > 0
        ? `Known keys: ${known.join(', ')}. Create one with \`apigw keys create ${name} --plan <plan>\`.`
        : `No key is managed by apigw yet: \`apigw keys create ${name} --plan <plan>\`.`,
    exitCode: EXIT.USAGE,
    details: {known},
  })
}

/** Asks the user to pick one of the key names; undefined when nobody can be asked. */
export type ChooseKey = ((names: string[]) => Promise<string>) | undefined

/** NAME from the command line, else asked for at a terminal (a wizard), else NON_INTERACTIVE listing the names. */
/**
 * The key NAME, or the one the user picks at a terminal among those `eligible` says the command can act on (rotate
 * and revoke offer only keys with an enabled generation: a revoked key has nothing left to rotate or revoke).
 */
export async function nameOrAsk(
  name: string | undefined,
  state: KeysState,
  choose: ChooseKey,
  eligible: (gens: KeyGeneration[]) => boolean = () => true,
): Promise<string> {
  if (name) return name
  const all = [...new Set(state.keys.map((k) => k.name))].sort()
  if (all.length === 0)
    throw new CliError('UNKNOWN_KEY', 'No API key is managed by apigw yet.', {
      hint: 'Create one first: `apigw keys create <name> --plan <plan>`.',
      exitCode: EXIT.USAGE,
    })
  const known = all.filter((n) => eligible(state.keys.filter((k) => k.name === n)))
  if (known.length === 0) {
    throw new CliError('UNKNOWN_KEY', `Every API key managed by apigw is revoked or retired (${all.join(', ')}).`, {
      hint: 'Create a new one: `apigw keys create <name> --plan <plan>`.',
      exitCode: EXIT.USAGE,
    })
  }
  if (!choose) {
    throw new CliError('NON_INTERACTIVE', 'Missing the key NAME, and this session cannot prompt (no TTY, CI or --json).', {
      hint: `Pass the key name as the argument: one of ${known.join(', ')}.`,
      details: {known},
    })
  }
  return choose(known)
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

export function checkKeyName(name: string): void {
  if (!NAME_PATTERN.test(name)) {
    throw new CliError('USAGE', `"${name}" is not a valid key name.`, {
      hint: 'Use 1 to 100 letters, digits, ".", "_" or "-", starting with a letter or digit (the generation is added as /g<N>).',
    })
  }
}

export const keyNameOf = (name: string, generation: number): string => `${name}/g${generation}`

/** Key values are 20 to 128 characters (aws-facts.md §9); the message never repeats the value. */
export function checkKeyValue(value: string | undefined): void {
  if (value === undefined) return
  if (value.length < 20 || value.length > 128) {
    throw new CliError('USAGE', `The key value given is ${value.length} characters long; API Gateway takes 20 to 128.`, {
      hint: 'Pass a value of 20 to 128 characters with --value, or leave --value out to let API Gateway generate one.',
    })
  }
}

export function checkKeyQuota(state: KeysState, adding: number): void {
  if (state.totalKeys + adding <= MAX_API_KEYS) return
  throw new CliError(
    'AWS_LIMIT_EXCEEDED',
    `The account has ${state.totalKeys.toLocaleString('en-US')} API keys in this Region; ${adding === 1 ? 'one more' : `${adding} more`} ` +
      `would pass the limit of ${MAX_API_KEYS.toLocaleString('en-US')}, which AWS does not raise.`,
    {
      hint: 'Delete keys no longer in use (`apigw keys retire --now --delete` removes old generations), then run the command again.',
    },
  )
}

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}

/** `7d`, `24h`, `30m`, `2w`, `90s` (or `0`) as milliseconds. */
export function parseDuration(text: string, flag: string): number {
  const m = /^(\d+)([smhdw])?$/.exec(text.trim())
  if (!m || (m[2] === undefined && m[1] !== '0')) {
    throw new CliError('USAGE', `${flag} ${text} is not a duration.`, {
      hint: `Write it as a number and a unit: 30m, 24h, 7d or 2w (e.g. ${flag} 7d).`,
    })
  }
  return Number(m[1]) * (m[2] ? UNITS[m[2]]! : 0)
}

/** yyyy-MM-dd in UTC, as GetUsage takes it. */
export const day = (d: Date): string => d.toISOString().slice(0, 10)

/** The plans' display names for a list of ids. */
export function planNames(planIds: string[], state: KeysState): string[] {
  return planIds.map((id) => state.plans.find((p) => p.id === id)?.display ?? id).sort()
}

/** Where the one-time value went: the result (JSON or a terminal), or a file written with mode 0600. */
export type ValueDelivery = {value?: string; valueFile?: string}

/** Write a secret to a file readable by its owner only, and say where it went instead of the value. */
export function deliverValue(value: string | undefined, outputFile: string | undefined, cwd: string): ValueDelivery {
  if (value === undefined) return {}
  if (outputFile === undefined) return {value}
  const path = resolve(cwd, outputFile)
  writeSecretFile(path, `${value}\n`)
  return {valueFile: path}
}

export function writeSecretFile(path: string, content: string): void {
  // A new file made 0600 takes the name (an existing file's looser mode never applies; a link is refused).
  writeFileSafely(path, content, {force: true, mode: 0o600})
}

/** Before a key is made: its --output-file must be writable, so a failure leaves no key behind. */
export function assertValueFileWritable(outputFile: string | undefined, cwd: string): void {
  if (outputFile !== undefined) assertWritable(resolve(cwd, outputFile), {force: true})
}

/** The generation in use: the newest enabled one whose rotation is complete. */
export function current(gens: KeyGeneration[]): KeyGeneration | undefined {
  return [...gens].reverse().find((k) => k.enabled && k.rotationPending === null)
}
