/**
 * `apigw promote --from S1 --to S2`: S2 runs S1's deployment and keeps its own variables and settings
 * from apigw.yaml (one UpdateStage, or CreateStage when S2 does not exist). `--canary N` instead starts
 * a canary on S2 with S1's deployment at N% (REST only).
 */
import {CliError} from '../../errors.ts'
import {applyPlan} from './apply-plan.ts'
import {type LifecycleDeps, portsFor, requireApi} from './find-api.ts'
import {gather} from './gather.ts'
import {loadProject, missingStageHint, type SelectedAnyApi, selectAnyApi, selectStage} from '../project.ts'
import type {WebSocketApiConfig} from '../../core/config/config.ts'
import {resolveRegion} from './find-api.ts'
import {requireWebSocketApi} from './websocket-state.ts'
import {putWebSocketStage, webSocketStageDiffers, webSocketStageSettings} from './websocket-stage.ts'
import {readRepo} from './repo.ts'
import {type ConfirmOptions, confirmStageChange, httpCanaryError, type StageMoveResult} from './stage-move.ts'
import {readStage} from './stages.ts'

export type PromoteOptions = ConfirmOptions & {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  from: string
  to: string
  canary?: number | undefined
  /** Directories outside the project that the spec's $refs may read (--allow-ref-outside). */
  allowRefOutside?: string[] | undefined
}

export async function promote(options: PromoteOptions, deps: LifecycleDeps): Promise<StageMoveResult> {
  if (options.from === options.to)
    throw new CliError('USAGE', `--from and --to are both ${options.from}.`, {
      hint: 'Promote from one stage to another, e.g. --from dev --to prod.',
    })
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const any = selectAnyApi(project!, options.api)
  if (any.api.type === 'websocket') return promoteWebSocket(options, {...any, api: any.api}, deps)
  const repo = await readRepo({...options, stage: options.to})
  const {selected} = repo
  const type = selected.api.type
  if (options.canary !== undefined && type === 'http') throw httpCanaryError(selected.name)
  if (options.canary !== undefined && !(options.canary >= 0 && options.canary <= 100))
    throw new CliError('USAGE', `--canary ${options.canary} is not a percentage.`, {hint: 'Pass a number from 0 to 100.'})
  const ports = portsFor(deps)
  const api = await requireApi(ports, type, selected.name)
  const source = await readStage(ports, type, api.id, options.from)
  if (!source?.deploymentId) {
    throw new CliError(
      'AWS_NOT_FOUND',
      `Stage ${options.from} of ${selected.name} ${source ? 'has no deployment' : 'does not exist'}, so there is nothing to promote.`,
      {
        hint: `${missingStageHint(selected.name, Object.keys(selected.api.stages), options.from)}.`,
      },
    )
  }
  const deploymentId = source.deploymentId
  const target = await readStage(ports, type, api.id, options.to)
  const base = {api: selected.name, type, apiId: api.id, stage: options.to, from: target?.deploymentId ?? null}
  if (options.canary !== undefined) {
    if (!target) {
      throw new CliError('AWS_NOT_FOUND', `Stage ${options.to} does not exist; a canary needs an existing stage.`, {
        hint:
          `Create it first: \`apigw promote ${selected.name} --from ${options.from} --to ` +
          `${options.to}\` or \`apigw deploy ${selected.name} --stage ${options.to}\`.`,
      })
    }
    await confirmStageChange(
      options,
      `Starting a canary on ${options.to}`,
      `Start a canary on ${options.to}: ${options.canary}% of its traffic to deployment ${deploymentId} (from ${options.from})?`,
      `apigw promote ${selected.name} --from ${options.from} --to ${options.to} --canary ${options.canary}`,
    )
    const stage = await deps.progress.step(`Start a canary on ${options.to} at ${options.canary}%`, () =>
      ports.v1.updateStage(api.id, options.to, [
        {op: 'replace', path: '/canarySettings/deploymentId', value: deploymentId},
        {op: 'replace', path: '/canarySettings/percentTraffic', value: String(options.canary)},
      ]),
    )
    return {
      ...base,
      action: 'canary-start',
      to: stage.deploymentId ?? null,
      canary: {deploymentId, percentTraffic: stage.canarySettings?.percentTraffic ?? options.canary},
      changed: true,
    }
  }
  if (target?.deploymentId === deploymentId)
    deps.progress.info(`Stage ${options.to} already runs deployment ${deploymentId}; only its settings are checked.`)
  const g = await gather(
    {cwd: options.cwd, configPath: options.configPath, api: selected.name, stage: options.to, deploymentId, repo},
    deps,
  )
  if (!g.plan.upToDate) {
    await confirmStageChange(
      options,
      `Promoting ${options.from} to ${options.to}`,
      `Point ${options.to} at deployment ${deploymentId} (what ${options.from} ` +
        `runs)${target?.deploymentId ? `; it runs ${target.deploymentId} now` : ''}?`,
      `apigw promote ${selected.name} --from ${options.from} --to ${options.to}`,
    )
  }
  if (!g.plan.upToDate) await applyPlan(g, repo.body, deps)
  return {
    ...base,
    action: 'promote',
    to: deploymentId,
    canary: target?.canary ? {deploymentId: target.canary.deploymentId ?? null, percentTraffic: target.canary.percentTraffic} : null,
    changed: !g.plan.upToDate,
    plan: g.plan,
  }
}

/**
 * A WebSocket API: --to runs --from's deployment with its own settings from apigw.yaml (variables, throttling,
 * access logs); apigatewayv2 stages have no canary.
 */
async function promoteWebSocket(
  options: PromoteOptions,
  selected: SelectedAnyApi & {api: WebSocketApiConfig},
  deps: LifecycleDeps,
): Promise<StageMoveResult> {
  if (options.canary !== undefined) throw httpCanaryError(selected.name, 'websocket')
  selectStage(selected, options.to)
  const ports = portsFor(deps)
  const api = await requireWebSocketApi(ports, selected.name)
  const [source, target] = await Promise.all([ports.v2.getStage(api.id, options.from), ports.v2.getStage(api.id, options.to)])
  if (!source?.DeploymentId) {
    throw new CliError(
      'AWS_NOT_FOUND',
      `Stage ${options.from} of ${selected.name} ${source ? 'has no deployment' : 'does not exist'}, so there is nothing to promote.`,
      {hint: `${missingStageHint(selected.name, Object.keys(selected.api.stages), options.from)}.`},
    )
  }
  const deploymentId = source.DeploymentId
  const region = await resolveRegion(deps, ports)
  const settings = webSocketStageSettings(selected.api, selected.name, options.to, region, deps.aws.local)
  const base = {api: selected.name, type: 'websocket' as const, apiId: api.id, stage: options.to, from: target?.DeploymentId ?? null}
  const changed = target?.DeploymentId !== deploymentId || webSocketStageDiffers(target, settings)
  if (!changed) {
    deps.progress.info(`Stage ${options.to} already runs deployment ${deploymentId} with the settings of apigw.yaml.`)
    return {...base, action: 'promote', to: deploymentId, canary: null, changed: false}
  }
  await confirmStageChange(
    options,
    `Promoting ${options.from} to ${options.to}`,
    `Point ${options.to} at deployment ${deploymentId} (what ${options.from} ` +
      `runs)${target?.DeploymentId ? `; it runs ${target.DeploymentId} now` : ''}?`,
    `apigw promote ${selected.name} --from ${options.from} --to ${options.to}`,
  )
  await putWebSocketStage(deps, ports, {
    api: selected.name,
    apiId: api.id,
    region,
    stage: target,
    stageName: options.to,
    deploymentId,
    settings,
  })
  return {...base, action: 'promote', to: deploymentId, canary: null, changed: true}
}
