/** `apigw plan`: what `deploy` would do to a stage, without doing it. */
import type {DeploymentPlan} from '../../core/plan/types.ts'
import {relativePath} from '../project.ts'
import type {LifecycleDeps} from './find-api.ts'
import {gather, type PlanOptions} from './gather.ts'

export type PlanResult = DeploymentPlan & {spec: string; apiName: string}

export async function plan(options: PlanOptions, deps: LifecycleDeps): Promise<PlanResult> {
  const {plan, repo} = await gather(options, deps)
  return {...plan, apiName: repo.selected.name, spec: relativePath(repo.spec.file, options.cwd)}
}
