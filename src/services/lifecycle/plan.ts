/** `apigw plan`: what `deploy` would do to a stage, without doing it. */
import type {DeploymentPlan} from '../../core/plan/types.ts'
import {relativePath} from '../project.ts'
import {type DomainOutcome, domainsFor, reconcileDomains} from './domains.ts'
import type {LifecycleDeps} from './find-api.ts'
import {gather, type PlanOptions} from './gather.ts'

export type PlanResult = DeploymentPlan & {
  spec: string
  apiName: string
  /** apigw.yaml's custom domain names that map this stage, as deploy would leave them (nothing is changed). */
  domains?: DomainOutcome[] | undefined
}

export async function plan(options: PlanOptions, deps: LifecycleDeps): Promise<PlanResult> {
  const {plan, repo, found} = await gather(options, deps)
  const config = repo.selected.project.config
  const domains =
    domainsFor(config, repo.selected.name, options.stage).length > 0
      ? await reconcileDomains(
          {
            config,
            api: repo.selected.name,
            apiType: repo.selected.api.type,
            apiId: found?.id ?? '',
            stage: options.stage,
            dryRun: true,
            prune: Boolean(options.prune),
          },
          deps,
        )
      : undefined
  return {...plan, apiName: repo.selected.name, spec: relativePath(repo.spec.file, options.cwd), ...(domains ? {domains} : {})}
}
