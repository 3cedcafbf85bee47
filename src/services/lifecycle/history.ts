/** `apigw history`: an API's deployments, newest first, with their records and the stages that run each now. */
import type {DeploymentRecord} from './deployment-record.ts'
import {type LifecycleDeps, portsFor, requireApi} from './find-api.ts'
import {listDeployments, listStages} from './stages.ts'
import {loadProject, selectAnyApi, selectStage} from '../project.ts'
import {requireWebSocketApi} from './websocket-state.ts'

export type HistoryEntry = {
  id: string
  createdDate: string | null
  description: string | null
  record: DeploymentRecord | null
  /** Stages that run this deployment now. */
  stages: string[]
  /** Stages whose canary runs it. */
  canaryStages: string[]
}

export type HistoryResult = {
  api: string
  type: 'rest' | 'http' | 'websocket'
  apiId: string
  stage: string | null
  current: string | null
  deployments: HistoryEntry[]
  /** How many deployments the API has (deployments holds the newest `--limit` of them). */
  total: number
}

export async function history(
  options: {cwd: string; configPath?: string | undefined; api?: string | undefined; stage?: string | undefined; limit?: number | undefined},
  deps: LifecycleDeps,
): Promise<HistoryResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectAnyApi(project!, options.api)
  if (options.stage !== undefined && selected.api.stages[options.stage] === undefined) selectStage(selected, options.stage)
  const type = selected.api.type
  // A WebSocket API's deployments and stages are apigatewayv2's, as an HTTP API's.
  const wire = type === 'rest' ? 'rest' : 'http'
  const ports = portsFor(deps)
  const api = type === 'websocket' ? await requireWebSocketApi(ports, selected.name) : await requireApi(ports, wire, selected.name)
  const [stages, deployments] = await Promise.all([listStages(ports, wire, api.id), listDeployments(ports, wire, api.id)])
  const entries = deployments.slice(0, options.limit ?? deployments.length).map((d) => ({
    id: d.id,
    createdDate: d.createdDate?.toISOString() ?? null,
    description: d.description ?? null,
    record: d.record ?? null,
    stages: stages.filter((s) => s.deploymentId === d.id).map((s) => s.name),
    canaryStages: stages.filter((s) => s.canary?.deploymentId === d.id).map((s) => s.name),
  }))
  const current = options.stage ? (stages.find((s) => s.name === options.stage)?.deploymentId ?? null) : null
  return {api: selected.name, type, apiId: api.id, stage: options.stage ?? null, current, deployments: entries, total: deployments.length}
}
