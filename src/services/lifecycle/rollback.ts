/**
 * `apigw rollback --stage S [--to ID|git-sha]`: point the stage at an earlier deployment. By default the one
 * *this stage* ran before its current one, from its own history (the stage tag apigw:ran, see
 * stage-history.ts), never merely the API's previous deployment, which another stage may have made. A git
 * sha is matched through the deployment records.
 */
import {CliError} from '../../errors.ts'
import {loadProject, selectAnyApi} from '../project.ts'
import {requireWebSocketApi} from './websocket-state.ts'
import {type LifecycleDeps, portsFor, requireApi, resolveRegion} from './find-api.ts'
import {parseStageHistory, previousRun, pushRun, recordQuietly, type StageRun, writeStageHistory} from './stage-history.ts'
import {type ConfirmOptions, confirmStageChange, type RollbackTarget, type StageMoveResult} from './stage-move.ts'
import {type DeploymentView, listDeployments, readStage} from './stages.ts'

export type RollbackOptions = ConfirmOptions & {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  to?: string | undefined
}

export async function rollback(options: RollbackOptions, deps: LifecycleDeps): Promise<StageMoveResult & {target: RollbackTarget}> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectAnyApi(project!, options.api)
  const type = selected.api.type
  // A WebSocket API's deployments and stages are apigatewayv2's, as an HTTP API's.
  const wire = type === 'rest' ? 'rest' : 'http'
  const ports = portsFor(deps)
  const api = type === 'websocket' ? await requireWebSocketApi(ports, selected.name) : await requireApi(ports, wire, selected.name)
  const stage = await readStage(ports, wire, api.id, options.stage)
  if (!stage?.deploymentId) {
    throw new CliError(
      'AWS_NOT_FOUND',
      `Stage ${options.stage} of ${selected.name} ${stage ? 'has no deployment' : 'does not exist'}; there is nothing to roll back.`,
      {
        hint: '`apigw status` lists the stages and what they run.',
      },
    )
  }
  const current = stage.deploymentId
  const deployments = await listDeployments(ports, wire, api.id)
  const runs = parseStageHistory(stage.tags)
  let target: DeploymentView
  let info: RollbackTarget
  let after: StageRun[]
  if (options.to === undefined) {
    const back = previousRun(runs, current)
    if (!back) {
      throw new CliError(
        'NO_PREVIOUS_DEPLOYMENT',
        `Stage ${options.stage} of ${selected.name} has no earlier deployment ` +
          `of its own: apigw recorded none before ${current} (stage tag apigw:ran).`,
        {
          hint: `Pass --to <deployment id or git sha>: \`apigw history ${selected.name} --stage ${options.stage}\` lists the deployments.`,
        },
      )
    }
    const found = deployments.find((d) => d.id === back.previous.id)
    if (!found) {
      throw new CliError(
        'AWS_NOT_FOUND',
        `Stage ${options.stage} ran deployment ${back.previous.id} before ${current}, but that deployment no longer exists.`,
        {
          hint: `Pass --to <deployment id or git sha>: \`apigw history ${selected.name} --stage ${options.stage}\` lists the deployments.`,
        },
      )
    }
    target = found
    after = back.after
    info = describe(found, 'history', back.previous.since, back.current.since)
  } else {
    target = pickTarget(deployments, options.to)
    after = pushRun(runs, current, target.id, deps.clock())
    info = describe(target, target.id === options.to ? 'id' : 'git', undefined, undefined)
  }
  const base = {
    api: selected.name,
    type,
    apiId: api.id,
    stage: options.stage,
    from: current,
    canary: stage.canary ? {deploymentId: stage.canary.deploymentId ?? null, percentTraffic: stage.canary.percentTraffic} : null,
  }
  if (target.id === current) {
    deps.progress.info(`Stage ${options.stage} already runs deployment ${target.id}.`)
    return {...base, action: 'rollback', to: target.id, changed: false, target: info}
  }
  const ran = info.ranSince ? ` (it ran it from ${info.ranSince}${info.ranUntil ? ` until ${info.ranUntil}` : ''})` : ''
  await confirmStageChange(
    options,
    `Rolling back ${options.stage}`,
    `Roll ${options.stage} back from deployment ${current} to ` +
      `${target.id}${target.record?.git ? ` (git ${target.record.git})` : ''}${ran}?`,
    `apigw rollback ${selected.name} --stage ${options.stage}${options.to === undefined ? '' : ` --to ${options.to}`}`,
  )
  await deps.progress.step(`Point ${options.stage} at deployment ${target.id}`, async () => {
    if (type === 'rest') await ports.v1.updateStage(api.id, options.stage, [{op: 'replace', path: '/deploymentId', value: target.id}])
    else await ports.v2.updateStage({ApiId: api.id, StageName: options.stage, DeploymentId: target.id})
  })
  await recordQuietly(deps, options.stage, async () =>
    writeStageHistory(ports, wire, await resolveRegion(deps, ports), api.id, options.stage, after),
  )
  return {...base, action: 'rollback', to: target.id, changed: true, target: info}
}

function describe(d: DeploymentView, by: RollbackTarget['by'], since: Date | undefined, until: Date | undefined): RollbackTarget {
  return {
    id: d.id,
    createdDate: d.createdDate?.toISOString() ?? null,
    git: d.record?.git ?? null,
    by,
    ranSince: since?.toISOString() ?? null,
    ranUntil: until?.toISOString() ?? null,
  }
}

/** The deployment `--to` names: an id, or a git sha (prefix either way, through the records; the newest made from it). */
export function pickTarget(deployments: DeploymentView[], to: string): DeploymentView {
  const byId = deployments.find((d) => d.id === to)
  if (byId) return byId
  const sha = to.toLowerCase()
  const byGit = /^[0-9a-f]{4,40}$/.test(sha)
    ? deployments.filter((d) => d.record?.git && (d.record.git.startsWith(sha) || sha.startsWith(d.record.git)))
    : []
  const first = byGit[0]
  if (first) return first
  throw new CliError('AWS_NOT_FOUND', `No deployment has the id ${to} or was made from git commit ${to}.`, {
    hint: '`apigw history --stage <stage>` lists the deployments with their ids and commits.',
    details: {known: deployments.slice(0, 10).map((d) => d.id)},
  })
}
