/**
 * `apigw status`: per stage, the deployment it runs, when and from which commit, whether the repo and
 * the stage agree, the canary, and settings drift against apigw.yaml.
 */
import {alarmName} from '../../core/plan/alarms.ts'
import {createCloudWatchPort} from '../../aws/cloudwatch.ts'
import {type StageHealth, stageHealth} from '../metrics/read.ts'
import {compareApiSettings, TAG_API} from '../../core/plan/plan.ts'
import {accessLogGroupName, compareSettings, desiredSettings, restrictToHttp} from '../../core/plan/settings.ts'
import type {CanaryState, SettingChange} from '../../core/plan/types.ts'
import type {DeploymentRecord} from './deployment-record.ts'
import {findApi, type LifecycleDeps, portsFor, resolveRegion} from './find-api.ts'
import {awsStageUrl, localStageUrl} from '../invoke/urls.ts'
import {relativePath} from '../project.ts'
import {readRepo} from './repo.ts'
import {type DomainStatus, domainStatus} from './domain-status.ts'
import {listDeployments, listStages} from './stages.ts'

export type StageSync = 'in-sync' | 'repo-ahead' | 'drifted' | 'not-deployed'

export type StageStatus = {
  name: string
  /** In apigw.yaml. */
  configured: boolean
  deploymentId: string | null
  deployedAt: string | null
  record: DeploymentRecord | null
  sync: StageSync
  /** Why the sync state is what it is, in a few words. */
  reason: string
  canary: (CanaryState & {record: DeploymentRecord | null}) | null
  settingsDrift: SettingChange[]
  /** Where the stage answers (the emulator's path-style URL with --local), null when not deployed. */
  invokeUrl: string | null
  /** The last 5 minutes of traffic from CloudWatch (AWS/ApiGateway); null without requests or metrics. */
  health?: StageHealth | null
  /** REST with `docs: {publish: true}`: the documentation version the stage publishes (GetStage), null when none. */
  documentationVersion?: string | null
}

/** `apiDrift`: API-level settings of apigw.yaml (endpointType, tags) the API does not have; every deployed stage then counts as drifted. */
export type StatusResult = {
  api: string
  type: 'rest' | 'http'
  apiId: string | null
  spec: string
  specHash: string
  apiDrift: SettingChange[]
  stages: StageStatus[]
  /** The alarms apigw.yaml declares and their CloudWatch state (INSUFFICIENT_DATA…; `missing` when not deployed). */
  alarms?: AlarmStatus[]
  /** apigw.yaml's custom domain names that map this API: DNS target, settings and mappings against the config. */
  domains?: DomainStatus[]
}

export type AlarmStatus = {key: string; name: string; stage: string; metric: string; state: string; reason: string | null}

export async function status(
  options: {cwd: string; configPath?: string | undefined; api?: string | undefined; allowRefOutside?: string[] | undefined},
  deps: LifecycleDeps,
): Promise<StatusResult> {
  const repo = await readRepo(options)
  const {selected} = repo
  const type = selected.api.type
  const ports = portsFor(deps)
  const found = await deps.progress.step(`Find ${type === 'rest' ? 'REST' : 'HTTP'} API ${selected.name}`, () =>
    findApi(ports, type, selected.name),
  )
  const base = {api: selected.name, type, spec: relativePath(repo.spec.file, options.cwd), specHash: repo.specHash}
  const configured = Object.keys(selected.api.stages)
  const domains = async () => {
    const list = await domainStatus(selected.project.config, selected.name, deps)
    return list.length > 0 ? {domains: list} : {}
  }
  if (!found) {
    return {...base, apiId: null, apiDrift: [], stages: configured.sort().map((name) => notDeployed(name, true)), ...(await domains())}
  }
  const [stages, deployments] = await Promise.all([listStages(ports, type, found.id), listDeployments(ports, type, found.id)])
  const endpoint = deps.aws.options.endpoint
  const region = deps.aws.local ? '' : await resolveRegion(deps, ports)
  const invokeUrl = (stage: string) =>
    deps.aws.local && endpoint ? localStageUrl(endpoint, found.id, stage).url : awsStageUrl(found.id, region, stage)
  const byId = new Map(deployments.map((d) => [d.id, d]))
  const apiDrift = compareApiSettings(
    type,
    {endpointType: selected.api.endpointType, tags: {...(selected.api.tags ?? {}), [TAG_API]: selected.name}},
    found,
  )
  const names = [...new Set([...configured, ...stages.map((s) => s.name)])].sort()
  const out: StageStatus[] = []
  for (const name of names) {
    const stage = stages.find((s) => s.name === name)
    const config = selected.api.stages[name]
    if (!stage) {
      out.push(notDeployed(name, config !== undefined))
      continue
    }
    const d = stage.deploymentId ? byId.get(stage.deploymentId) : undefined
    const record = d?.record ?? null
    let settingsDrift: SettingChange[] = []
    if (config) {
      // The access-log destination counts as in sync when it is the group apigw would use.
      const group = config.accessLogs ? (config.accessLogs.logGroup ?? accessLogGroupName(selected.name, name)) : undefined
      const arn = stage.settings.accessLogs?.destinationArn
      const expectedArn = group && arn?.endsWith(`:log-group:${group}`) ? arn : group ? `(log group ${group})` : undefined
      const want = desiredSettings(config, type, expectedArn)
      settingsDrift = compareSettings(
        type === 'rest' ? stage.settings : restrictToHttp(stage.settings),
        type === 'rest' ? want : restrictToHttp(want),
        config.description !== undefined,
      )
    }
    let sync: StageSync
    let reason: string
    if (!stage.deploymentId) [sync, reason] = ['not-deployed', 'the stage has no deployment']
    else if (!record) [sync, reason] = ['drifted', 'the deployment was not made by apigw (no record in its description)']
    else if (record.spec !== repo.specHash)
      [sync, reason] = ['repo-ahead', `the stage runs spec ${record.spec}, the repo has ${repo.specHash}`]
    else if (settingsDrift.length > 0)
      [sync, reason] = ['drifted', `${settingsDrift.length} setting${settingsDrift.length === 1 ? '' : 's'} differ from apigw.yaml`]
    else if (apiDrift.length > 0)
      [sync, reason] = [
        'drifted',
        `the API's ${apiDrift.map((d) => d.setting).join(', ')} differ${apiDrift.length === 1 ? 's' : ''} from apigw.yaml`,
      ]
    else [sync, reason] = ['in-sync', 'the stage runs the repo spec with the apigw.yaml settings']
    out.push({
      name,
      configured: config !== undefined,
      deploymentId: stage.deploymentId ?? null,
      deployedAt: d?.createdDate?.toISOString() ?? null,
      record,
      sync,
      reason,
      canary: stage.canary
        ? {...stage.canary, record: (stage.canary.deploymentId ? byId.get(stage.canary.deploymentId)?.record : undefined) ?? null}
        : null,
      settingsDrift,
      invokeUrl: stage.deploymentId ? invokeUrl(name) : null,
      health: null,
      ...(type === 'rest' && selected.api.docs?.publish ? {documentationVersion: stage.documentationVersion ?? null} : {}),
    })
  }
  const cw = createCloudWatchPort(deps.aws, ports.scheduler)
  let unavailable: string | undefined
  await Promise.all(
    out
      .filter((s) => s.deploymentId)
      .map(async (s) => {
        const input = {type, apiId: found.id, apiName: found.name, stage: s.name, now: deps.clock()}
        try {
          s.health = (await stageHealth(cw, input)) ?? null
        } catch (error) {
          unavailable ??= (error as Error).message
        }
      }),
  )
  if (unavailable) deps.progress.info(`Stage health is not shown: CloudWatch metrics could not be read (${unavailable}).`)
  const declared = Object.entries(selected.api.alarms ?? {})
  if (declared.length === 0) return {...base, apiId: found.id, apiDrift, stages: out, ...(await domains())}
  const existing = new Map((await cw.describeAlarms(`${selected.name}-`)).map((a) => [a.AlarmName, a]))
  const alarms = declared
    .map(([key, a]) => {
      const name = alarmName(selected.name, a.stage, key)
      const have = existing.get(name)
      return {key, name, stage: a.stage, metric: a.metric, state: have?.StateValue ?? 'missing', reason: have?.StateReason ?? null}
    })
    .sort((x, y) => (x.name < y.name ? -1 : 1))
  return {...base, apiId: found.id, apiDrift, stages: out, alarms, ...(await domains())}
}

function notDeployed(name: string, configured: boolean): StageStatus {
  return {
    name,
    configured,
    deploymentId: null,
    deployedAt: null,
    record: null,
    sync: 'not-deployed',
    reason: 'the stage does not exist',
    canary: null,
    settingsDrift: [],
    invokeUrl: null,
    health: null,
  }
}
