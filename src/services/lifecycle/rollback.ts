/**
 * `apigw rollback --stage S [--to ID|git-sha]`: point the stage at an earlier deployment. By default the
 * one made before the deployment the stage runs; a git sha is matched through the recorded descriptions.
 */
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, portsFor, requireApi} from './find-api.ts'
import {loadProject, selectApi} from '../project.ts'
import {type Confirm, confirmOrCancel, type StageMoveResult} from './stage-move.ts'
import {type DeploymentView, listDeployments, readStage} from './stages.ts'

export type RollbackOptions = {cwd: string; configPath?: string | undefined; api?: string | undefined; stage: string; to?: string | undefined; confirm?: Confirm | undefined}

export async function rollback(options: RollbackOptions, deps: LifecycleDeps): Promise<StageMoveResult & {target: {id: string; createdDate: string | null; git: string | null}}> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api)
  const type = selected.api.type
  const ports = portsFor(deps)
  const api = await requireApi(ports, type, selected.name)
  const stage = await readStage(ports, type, api.id, options.stage)
  if (!stage?.deploymentId) {
    throw new CliError('AWS_NOT_FOUND', `Stage ${options.stage} of ${selected.name} ${stage ? 'has no deployment' : 'does not exist'}; there is nothing to roll back.`, {
      hint: '`apigw status` lists the stages and what they run.',
    })
  }
  const deployments = await listDeployments(ports, type, api.id)
  const target = pickTarget(deployments, stage.deploymentId, options.to, options.stage)
  const base = {api: selected.name, type, apiId: api.id, stage: options.stage, from: stage.deploymentId, canary: stage.canary ? {deploymentId: stage.canary.deploymentId ?? null, percentTraffic: stage.canary.percentTraffic} : null}
  const info = {id: target.id, createdDate: target.createdDate?.toISOString() ?? null, git: target.record?.git ?? null}
  if (target.id === stage.deploymentId) {
    deps.progress.info(`Stage ${options.stage} already runs deployment ${target.id}.`)
    return {...base, action: 'rollback', to: target.id, changed: false, target: info}
  }
  await confirmOrCancel(options.confirm, `Roll ${options.stage} back from deployment ${stage.deploymentId} to ${target.id}${target.record?.git ? ` (git ${target.record.git})` : ''}?`)
  await deps.progress.step(`Point ${options.stage} at deployment ${target.id}`, async () => {
    if (type === 'rest') await ports.v1.updateStage(api.id, options.stage, [{op: 'replace', path: '/deploymentId', value: target.id}])
    else await ports.v2.updateStage({ApiId: api.id, StageName: options.stage, DeploymentId: target.id})
  })
  return {...base, action: 'rollback', to: target.id, changed: true, target: info}
}

/** The deployment to roll back to: an id, a git sha (prefix, through the records), or the one before the current. */
export function pickTarget(deployments: DeploymentView[], current: string, to: string | undefined, stage: string): DeploymentView {
  if (to !== undefined) {
    const byId = deployments.find((d) => d.id === to)
    if (byId) return byId
    const sha = to.toLowerCase()
    const byGit = /^[0-9a-f]{4,40}$/.test(sha) ? deployments.filter((d) => d.record?.git && (d.record.git.startsWith(sha) || sha.startsWith(d.record.git))) : []
    const first = byGit[0]
    if (first) return first
    throw new CliError('AWS_NOT_FOUND', `No deployment has the id ${to} or was made from git commit ${to}.`, {
      hint: '`apigw history --stage <stage>` lists the deployments with their ids and commits.',
      details: {known: deployments.slice(0, 10).map((d) => d.id)},
    })
  }
  const index = deployments.findIndex((d) => d.id === current)
  const older = index === -1 ? undefined : deployments[index + 1]
  if (!older) {
    throw new CliError('AWS_NOT_FOUND', `Stage ${stage} runs the oldest deployment (${current}); there is none before it.`, {
      hint: 'Pass --to <deployment id or git sha>; `apigw history` lists them.',
    })
  }
  return older
}
