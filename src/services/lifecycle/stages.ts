/**
 * The AWS side of the lifecycle, read one way for every command: an API's stages, its deployments with
 * the records apigw wrote into them, and its usage plans.
 */
import type {Stage} from '../../aws/api-gateway.ts'
import type {StageV2} from '../../aws/api-gateway-v2.ts'
import {TAG_API, TAG_USAGE_PLAN} from '../../core/plan/plan.ts'
import {httpStageSettings, restStageSettings} from '../../core/plan/settings.ts'
import type {ActualUsagePlan, CanaryState, StageSettings} from '../../core/plan/types.ts'
import {type DeploymentRecord, parseRecord} from './deployment-record.ts'
import type {Ports} from './find-api.ts'

/** The stage as apigw reads it, for REST and HTTP alike. */
export type StageView = {
  name: string
  deploymentId?: string | undefined
  settings: StageSettings
  canary?: CanaryState | undefined
  autoDeploy?: boolean | undefined
  /** REST: the documentation version the stage publishes. */
  documentationVersion?: string | undefined
  createdDate?: Date | undefined
  lastUpdatedDate?: Date | undefined
  tags: Record<string, string>
}

export type DeploymentView = {
  id: string
  createdDate?: Date | undefined
  description?: string | undefined
  record?: DeploymentRecord | undefined
}

export async function listStages(ports: Ports, type: 'rest' | 'http', apiId: string): Promise<StageView[]> {
  if (type === 'rest') return (await ports.v1.getStages(apiId)).map(restStageView).sort((a, b) => a.name.localeCompare(b.name))
  return (await ports.v2.getStages(apiId)).map(httpStageView).sort((a, b) => a.name.localeCompare(b.name))
}

/** The stage, or undefined when it does not exist. */
export async function readStage(ports: Ports, type: 'rest' | 'http', apiId: string, stage: string): Promise<StageView | undefined> {
  if (type === 'rest') {
    const s = await ports.v1.getStage(apiId, stage)
    return s ? restStageView(s) : undefined
  }
  const s = await ports.v2.getStage(apiId, stage)
  return s ? httpStageView(s) : undefined
}

function restStageView(s: Stage): StageView {
  const c = s.canarySettings
  return {
    name: s.stageName ?? '',
    deploymentId: s.deploymentId,
    settings: restStageSettings(s),
    canary: c
      ? {deploymentId: c.deploymentId, percentTraffic: c.percentTraffic ?? 0, stageVariableOverrides: c.stageVariableOverrides ?? {}}
      : undefined,
    documentationVersion: s.documentationVersion,
    createdDate: s.createdDate,
    lastUpdatedDate: s.lastUpdatedDate,
    tags: s.tags ?? {},
  }
}

function httpStageView(s: StageV2): StageView {
  return {
    name: s.StageName ?? '',
    deploymentId: s.DeploymentId,
    settings: httpStageSettings(s),
    autoDeploy: s.AutoDeploy,
    createdDate: s.CreatedDate,
    lastUpdatedDate: s.LastUpdatedDate,
    tags: s.Tags ?? {},
  }
}

/** Deployments, newest first, with their apigw records. */
export async function listDeployments(ports: Ports, type: 'rest' | 'http', apiId: string): Promise<DeploymentView[]> {
  const raw =
    type === 'rest'
      ? (await ports.v1.listDeployments(apiId)).map((d) => ({id: d.id ?? '', createdDate: d.createdDate, description: d.description}))
      : (await ports.v2.listDeployments(apiId)).map((d) => ({
          id: d.DeploymentId ?? '',
          createdDate: d.CreatedDate,
          description: d.Description,
        }))
  // Newest first; deployments made within the same second keep the service's order (oldest first) reversed.
  return raw
    .map((d, index) => ({...d, index, record: parseRecord(d.description)}))
    .sort((a, b) => (b.createdDate?.getTime() ?? 0) - (a.createdDate?.getTime() ?? 0) || b.index - a.index)
    .map(({index: _index, ...d}) => d)
}

/** The name apigw gives the usage plan `plan` of API `api` on AWS. */
export const usagePlanName = (api: string, plan: string): string => `${api}-${plan}`

/** Every usage plan of this API (REST): tagged with its key, or named `<api>-<plan>` by an older apigw. */
export async function readUsagePlans(ports: Ports, api: string): Promise<ActualUsagePlan[]> {
  const out: ActualUsagePlan[] = []
  for (const p of await ports.v1.listUsagePlans()) {
    const tags = p.tags ?? {}
    const key = tags[TAG_API] === api ? tags[TAG_USAGE_PLAN] : p.name?.startsWith(`${api}-`) ? p.name.slice(api.length + 1) : undefined
    if (!key || !p.id) continue
    out.push({
      id: p.id,
      key,
      tagged: tags[TAG_API] === api,
      name: p.name ?? '',
      description: p.description,
      throttle: p.throttle ? {rateLimit: p.throttle.rateLimit, burstLimit: p.throttle.burstLimit} : undefined,
      quota: p.quota?.limit !== undefined ? {limit: p.quota.limit, period: p.quota.period ?? 'MONTH', offset: p.quota.offset} : undefined,
      apiStages: (p.apiStages ?? []).map((s) => ({
        apiId: s.apiId ?? '',
        stage: s.stage ?? '',
        ...(s.throttle ? {throttle: s.throttle} : {}),
      })),
    })
  }
  return out
}
