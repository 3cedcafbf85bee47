/**
 * `apigw deploy`: validate (errors refuse), plan, then apply the plan's steps in order (apply-plan.ts).
 */
import type {Finding} from '../../core/findings.ts'
import type {DeploymentPlan} from '../../core/plan/types.ts'
import {CliError} from '../../errors.ts'
import {acquireProjectLock} from '../../project-lock.ts'
import {relativePath} from '../project.ts'
import {stageVariablesOf, validateLoaded} from '../validate/check-spec.ts'
import {applyPlan, fillPlaceholders} from './apply-plan.ts'
import {checkDomainRegions, type DomainOutcome, domainsFor, reconcileDomains} from './domains.ts'
import {type LifecycleDeps, portsFor, resolveRegion} from './find-api.ts'
import {createCloudWatchPort, type PutMetricAlarmCommandInput} from '../../aws/cloudwatch.ts'
import {gather, type PlanOptions, refuseRestOnly} from './gather.ts'
import {readRepo} from './repo.ts'

export type DeployOptions = PlanOptions & {dryRun?: boolean | undefined}

export type DeployResult = {
  api: string
  type: 'rest' | 'http'
  stage: string
  apiId: string
  spec: string
  specHash: string
  /** True when nothing had to change (the stage runs this spec with these settings). */
  upToDate: boolean
  dryRun: boolean
  /** The deployment the stage runs now (new or unchanged). */
  deploymentId?: string | undefined
  previousDeploymentId?: string | undefined
  createdApi: boolean
  warnings: string[]
  plan: DeploymentPlan
  calls: Array<{operation: string; ms: number}>
  /** apigw.yaml's custom domain names that map this stage: what deploy made of them, and their DNS targets. */
  domains?: DomainOutcome[] | undefined
}

export async function deploy(options: DeployOptions, deps: LifecycleDeps): Promise<DeployResult> {
  const repo = await readRepo(options)
  const {selected} = repo
  // The stage's own REST-only settings are a config error of this deploy (exit 3), before validate's findings.
  if (selected.api.type === 'http') refuseRestOnly(selected.name, options.stage, repo.stageConfig, options.mode, selected.project.path)
  const checked = await deps.progress.step('Validate the spec', () =>
    validateLoaded({
      spec: repo.spec,
      project: selected.project,
      api: selected.name,
      type: selected.api.type,
      stageVariables: stageVariablesOf(selected.api),
      cwd: options.cwd,
    }),
  )
  if (!checked.valid) {
    throw new CliError(
      'VALIDATION_FAILED',
      `${checked.spec} has ${checked.counts.error} error${checked.counts.error === 1 ? '' : 's'}; nothing was deployed.`,
      {
        hint:
          `Fix ${checked.counts.error === 1 ? 'it' : 'them'}, then deploy again ` +
          `(\`apigw validate ${selected.name}\` shows every finding with its hint):\n${errorLines(checked.findings)}`,
        details: {result: checked},
      },
    )
  }
  // One deploy at a time per project: a second one waits here, then plans against what the first made.
  const lock = options.dryRun
    ? undefined
    : await acquireProjectLock({
        projectDir: selected.project.dir,
        command: `apigw deploy ${selected.name} --stage ${options.stage}`,
        onWait: (holder) =>
          deps.progress.info(
            `Waiting for ${holder ? `${holder.command} (pid ${holder.pid})` : 'another apigw deploy'} ` +
              `to finish (the project's deploy lock)…`,
          ),
      })
  try {
    return await deployLocked(options, repo, deps)
  } finally {
    lock?.release()
  }
}

async function deployLocked(
  options: DeployOptions,
  repo: Awaited<ReturnType<typeof readRepo>>,
  deps: LifecycleDeps,
): Promise<DeployResult> {
  const config = repo.selected.project.config
  const mapped = domainsFor(config, repo.selected.name, options.stage).length > 0
  // A certificate in the wrong region for its endpoint type is refused before any call.
  if (mapped)
    checkDomainRegions(config, repo.selected.name, options.stage, await resolveRegion(deps, portsFor(deps)), repo.selected.project.path)
  const domains = async (apiId: string, dryRun: boolean) =>
    mapped
      ? {
          domains: await reconcileDomains(
            {
              config,
              api: repo.selected.name,
              apiType: repo.selected.api.type,
              apiId,
              stage: options.stage,
              dryRun,
              prune: Boolean(options.prune),
            },
            deps,
          ),
        }
      : {}
  const g = await gather({...options, repo}, deps)
  const base = {
    api: repo.selected.name,
    type: repo.selected.api.type,
    stage: options.stage,
    spec: relativePath(repo.spec.file, options.cwd),
    specHash: repo.specHash,
    previousDeploymentId: g.actual.stage?.deploymentId,
    createdApi: false,
    warnings: [] as string[],
    plan: g.plan,
    calls: [] as Array<{operation: string; ms: number}>,
  }
  if (options.dryRun || g.plan.upToDate) {
    if (!options.dryRun && g.found) await applyAlarms(g.plan, g.found.id, deps)
    if (g.plan.upToDate)
      deps.progress.info(
        `Stage ${options.stage} already runs spec ${repo.specHash} with these settings: no new deployment (use --force to deploy anyway).`,
      )
    return {
      ...base,
      apiId: g.found?.id ?? '',
      upToDate: g.plan.upToDate,
      dryRun: Boolean(options.dryRun),
      deploymentId: g.actual.stage?.deploymentId,
      ...(await domains(g.found?.id ?? '', Boolean(options.dryRun))),
    }
  }
  const {resolved, ...applied} = await applyPlan(g, repo.body, deps)
  await applyAlarms(g.plan, applied.apiId, deps)
  // The plan as it was carried out: the ids and the log group ARN the calls answered, no `${…}` placeholders.
  return {
    ...base,
    ...applied,
    plan: fillPlaceholders(g.plan, resolved),
    upToDate: false,
    dryRun: false,
    ...(await domains(applied.apiId, false)),
  }
}

/** The alarm calls of the plan (after the stage's: an HTTP API's alarms name its id), each a progress step. */
async function applyAlarms(plan: DeploymentPlan, apiId: string, deps: LifecycleDeps): Promise<void> {
  const steps = plan.alarms?.steps ?? []
  if (steps.length === 0) return
  const cw = createCloudWatchPort(deps.aws, portsFor(deps).scheduler)
  for (const step of steps) {
    await deps.progress.step(`${step.operation}: ${step.why}`, async () => {
      if (step.operation === 'DeleteAlarms') return cw.deleteAlarms((step.input as {AlarmNames: string[]}).AlarmNames)
      const input = step.input as PutMetricAlarmCommandInput
      await cw.putMetricAlarm({...input, Dimensions: input.Dimensions?.map((d) => ({...d, Value: d.Value?.replace('${apiId}', apiId)}))})
    })
  }
}

const LISTED_ERRORS = 20

/** The errors of a refused spec, one line each as validate prints them: file:line:column, message, [rule]. */
function errorLines(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.level === 'error')
  const lines = errors.slice(0, LISTED_ERRORS).map((f) => {
    const at = f.location.line ? `:${f.location.line}:${f.location.column ?? 1}` : ''
    return `  ${f.location.file}${at} ${f.message} [${f.id}]`
  })
  if (errors.length > LISTED_ERRORS) lines.push(`  … and ${errors.length - LISTED_ERRORS} more`)
  return lines.join('\n')
}
