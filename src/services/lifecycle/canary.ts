/**
 * `apigw canary --stage S --percent N | --promote | --abort` (REST). Promote is AWS's documented
 * sequence: copy the canary's deployment and variable overrides onto the stage, then remove the canary.
 */
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, portsFor, requireApi, resolveRegion} from './find-api.ts'
import {loadProject, missingStageHint, selectAnyApi, selectApi} from '../project.ts'
import {type ConfirmOptions, confirmStageChange, httpCanaryError, type StageMoveResult} from './stage-move.ts'
import {parseStageHistory, pushRun, recordQuietly, writeStageHistory} from './stage-history.ts'
import {readStage} from './stages.ts'

export type CanaryOptions = ConfirmOptions & {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  percent?: number | undefined
  promote?: boolean | undefined
  abort?: boolean | undefined
}

export async function canary(options: CanaryOptions, deps: LifecycleDeps): Promise<StageMoveResult> {
  const actions = [options.percent !== undefined, Boolean(options.promote), Boolean(options.abort)].filter(Boolean).length
  if (actions !== 1)
    throw new CliError('USAGE', 'Say one of --percent N, --promote or --abort.', {hint: 'e.g. `apigw canary --stage prod --percent 25`.'})
  if (options.percent !== undefined && !(options.percent >= 0 && options.percent <= 100))
    throw new CliError('USAGE', `--percent ${options.percent} is not a percentage.`, {hint: 'Pass a number from 0 to 100.'})
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const any = selectAnyApi(project!, options.api)
  if (any.api.type === 'websocket') throw httpCanaryError(any.name, 'websocket')
  const selected = selectApi(project!, options.api)
  if (selected.api.type === 'http') throw httpCanaryError(selected.name)
  const ports = portsFor(deps)
  const api = await requireApi(ports, 'rest', selected.name)
  const stage = await readStage(ports, 'rest', api.id, options.stage)
  if (!stage)
    throw new CliError('AWS_NOT_FOUND', `Stage ${options.stage} of ${selected.name} does not exist.`, {
      hint: `${missingStageHint(selected.name, Object.keys(selected.api.stages), options.stage)}.`,
    })
  const c = stage.canary
  if (!c?.deploymentId) {
    throw new CliError('NO_CANARY', `Stage ${options.stage} has no canary.`, {
      hint: `Start one with \`apigw promote ${selected.name} --from <stage> --to ${options.stage} --canary <percent>\`.`,
      exitCode: 2,
    })
  }
  const base = {api: selected.name, type: 'rest' as const, apiId: api.id, stage: options.stage, from: stage.deploymentId ?? null}
  if (options.percent !== undefined) {
    const out = await deps.progress.step(`Send ${options.percent}% of ${options.stage} to the canary`, () =>
      ports.v1.updateStage(api.id, options.stage, [
        {op: 'replace', path: '/canarySettings/percentTraffic', value: String(options.percent)},
      ]),
    )
    return {
      ...base,
      action: 'canary-percent',
      to: out.deploymentId ?? null,
      canary: {deploymentId: c.deploymentId, percentTraffic: out.canarySettings?.percentTraffic ?? options.percent},
      changed: c.percentTraffic !== options.percent,
    }
  }
  if (options.abort) {
    await confirmStageChange(
      options,
      `Aborting the canary of ${options.stage}`,
      `Remove the canary of ${options.stage} (deployment ${c.deploymentId} at ` +
        `${c.percentTraffic}%); all traffic stays on ${stage.deploymentId ?? 'no deployment'}?`,
      `apigw canary ${selected.name} --stage ${options.stage} --abort`,
    )
    await deps.progress.step(`Remove the canary of ${options.stage}`, () =>
      ports.v1.updateStage(api.id, options.stage, [{op: 'remove', path: '/canarySettings'}]),
    )
    return {...base, action: 'canary-abort', to: stage.deploymentId ?? null, canary: null, changed: true}
  }
  await confirmStageChange(
    options,
    `Promoting the canary of ${options.stage}`,
    `Promote the canary of ${options.stage}: all traffic to deployment ${c.deploymentId} (it runs ${stage.deploymentId ?? 'none'} now)?`,
    `apigw canary ${selected.name} --stage ${options.stage} --promote`,
  )
  // https://docs.aws.amazon.com/apigateway/latest/developerguide/promote-canary-deployment.html
  const promoted = await deps.progress.step(`Promote the canary of ${options.stage}`, () =>
    ports.v1.updateStage(api.id, options.stage, [
      {op: 'replace', path: '/canarySettings/percentTraffic', value: '0.0'},
      {op: 'copy', from: '/canarySettings/deploymentId', path: '/deploymentId'},
      {op: 'copy', from: '/canarySettings/stageVariableOverrides', path: '/variables'},
    ]),
  )
  try {
    await deps.progress.step(`Remove the canary of ${options.stage}`, () =>
      ports.v1.updateStage(api.id, options.stage, [{op: 'remove', path: '/canarySettings'}]),
    )
  } catch (error) {
    const e = error as CliError
    throw new CliError(
      e.code ?? 'AWS_ERROR',
      `Stage ${options.stage} now runs deployment ${promoted.deploymentId}, but removing its canary (now at 0%) failed: ${e.message}`,
      {
        hint: `Run \`apigw canary ${selected.name} --stage ${options.stage} --abort\` to remove it.`,
        cause: error,
      },
    )
  }
  if (promoted.deploymentId) {
    const runs = pushRun(parseStageHistory(stage.tags), stage.deploymentId, promoted.deploymentId, deps.clock())
    await recordQuietly(deps, options.stage, () =>
      resolveRegion(deps, ports).then((region) => writeStageHistory(ports, 'rest', region, api.id, options.stage, runs)),
    )
  }
  return {...base, action: 'canary-promote', to: promoted.deploymentId ?? null, canary: null, changed: true}
}
