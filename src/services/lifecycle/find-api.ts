/**
 * The AWS side of every command that works on a deployed API: ports built over the clients with the
 * scheduler (rates on for AWS, off for the emulator unless APIGW_CONTROL_PLANE_RATES=on), and finding an
 * API by its tag `apigw:api=<key>`, then by name.
 */
import {type ApiGatewayPort, createApiGatewayPort} from '../../aws/api-gateway.ts'
import {type ApiGatewayV2Port, createApiGatewayV2Port} from '../../aws/api-gateway-v2.ts'
import {createExportPort, type ExportPort} from '../../aws/export.ts'
import {createLogsPort, type LogsPort} from '../../aws/logs.ts'
import {createScheduler, type Scheduler} from '../../aws/scheduler.ts'
import {TAG_API} from '../../core/plan/plan.ts'
import type {Deps} from '../../deps.ts'
import {CliError} from '../../errors.ts'

export type Ports = {v1: ApiGatewayPort; v2: ApiGatewayV2Port; logs: LogsPort; exports: ExportPort; region: string; scheduler?: Scheduler}

/** Deps of the lifecycle services; tests may pass ready-made ports (fakes, or ports with a test scheduler). */
export type LifecycleDeps = Deps & {ports?: Ports}

export function ratesWanted(local: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const flag = (env.APIGW_CONTROL_PLANE_RATES ?? '').toLowerCase()
  if (flag === 'on' || flag === '1' || flag === 'true') return true
  if (flag === 'off' || flag === '0' || flag === 'false') return false
  return !local
}

const made = new WeakMap<LifecycleDeps, Ports>()

export function portsFor(deps: LifecycleDeps): Ports {
  if (deps.ports) return deps.ports
  const cached = made.get(deps)
  if (cached) return cached
  const scheduler = createScheduler({
    rates: ratesWanted(deps.aws.local),
    onWait: (w) => {
      const why = w.reason === 'rate' ? 'to stay within the API Gateway quota' : `before retry ${w.attempt} (throttled or unavailable)`
      deps.progress.info(`Waiting ${(w.ms / 1000).toFixed(1)} s for ${w.operation} ${why}; ETA ${w.eta.toISOString().slice(11, 19)} UTC`)
    },
  })
  const ports = {
    v1: createApiGatewayPort(deps.aws, scheduler),
    v2: createApiGatewayV2Port(deps.aws, scheduler),
    logs: createLogsPort(deps.aws, scheduler),
    exports: createExportPort(deps.aws, scheduler),
    region: deps.aws.options.region ?? 'us-east-1',
    scheduler,
  }
  made.set(deps, ports)
  return ports
}

/** The Region calls go to (for ARNs): the flag or env, else what the SDK resolved from the profile. */
export async function resolveRegion(deps: LifecycleDeps, ports: Ports): Promise<string> {
  if (deps.ports || deps.aws.options.region) return ports.region
  try {
    const client = await deps.aws.apiGateway()
    return (await client.config.region()) || ports.region
  } catch {
    return ports.region
  }
}

export type FoundApi = {
  id: string
  name: string
  tagged: boolean
  createdDate?: Date | undefined
  endpointTypes?: string[] | undefined
  tags: Record<string, string>
}

/** The API tagged `apigw:api=<key>`, else the one named `<key>`; two matches is AWS_AMBIGUOUS listing both ids. */
export async function findApi(ports: Ports, type: 'rest' | 'http', key: string): Promise<FoundApi | undefined> {
  const all =
    type === 'rest'
      ? (await ports.v1.listRestApis()).map((a) => ({
          id: a.id ?? '',
          name: a.name ?? '',
          tags: a.tags ?? {},
          createdDate: a.createdDate,
          endpointTypes: a.endpointConfiguration?.types as string[] | undefined,
        }))
      : (await ports.v2.listApis()).map((a) => ({
          id: a.ApiId ?? '',
          name: a.Name ?? '',
          tags: a.Tags ?? {},
          createdDate: a.CreatedDate,
          endpointTypes: undefined,
        }))
  const byTag = all.filter((a) => a.tags[TAG_API] === key)
  const pick = (list: typeof all, how: string): FoundApi | undefined => {
    if (list.length > 1) {
      const ids = list.map((a) => a.id).sort()
      throw new CliError('AWS_AMBIGUOUS', `${list.length} ${type === 'rest' ? 'REST' : 'HTTP'} APIs ${how}: ${ids.join(', ')}.`, {
        hint: `Keep one: delete the other, or change its ${TAG_API} tag or name, then run the command again.`,
        details: {ids},
      })
    }
    const a = list[0]
    return a
      ? {id: a.id, name: a.name, tagged: a.tags[TAG_API] === key, createdDate: a.createdDate, endpointTypes: a.endpointTypes, tags: a.tags}
      : undefined
  }
  return (
    pick(byTag, `are tagged ${TAG_API}=${key}`) ??
    pick(
      all.filter((a) => a.name === key),
      `are named ${key} and none is tagged ${TAG_API}=${key}`,
    )
  )
}

/** Like findApi, but a missing API is AWS_NOT_FOUND with the command that creates it. */
export async function requireApi(ports: Ports, type: 'rest' | 'http', key: string): Promise<FoundApi> {
  const found = await findApi(ports, type, key)
  if (found) return found
  throw new CliError('AWS_NOT_FOUND', `No ${type === 'rest' ? 'REST' : 'HTTP'} API is tagged ${TAG_API}=${key} or named ${key}.`, {
    hint: `Deploy it first: \`apigw deploy ${key} --stage <stage>\` (check --region, --profile or --local).`,
  })
}
