/**
 * `apigw deploy`: validate (errors refuse), plan, then apply the plan's steps in order. Safe by
 * construction: the stage moves only in the UpdateStage/CreateStage that follows a successful
 * CreateDeployment, and a failure at any step says what already changed and how to restore it.
 */
import type {DeploymentPlan, PlanStep} from '../core/plan/types.ts'
import {CliError, EXIT} from '../errors.ts'
import type {LifecycleDeps, Ports} from './find-api.ts'
import {type Gathered, gather, type PlanOptions, readRepo} from './plan.ts'
import {relativePath} from './project.ts'
import {stageVariablesOf, validateLoaded} from './validate.ts'

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
}

export async function deploy(options: DeployOptions, deps: LifecycleDeps): Promise<DeployResult> {
  const repo = await readRepo(options)
  const {selected} = repo
  const checked = await deps.progress.step('Validate the spec', () =>
    validateLoaded({spec: repo.spec, project: selected.project, api: selected.name, type: selected.api.type, stageVariables: stageVariablesOf(selected.api), cwd: options.cwd}),
  )
  if (!checked.valid) {
    throw new CliError('VALIDATION_FAILED', `${checked.spec} has ${checked.counts.error} error${checked.counts.error === 1 ? '' : 's'}; nothing was deployed.`, {
      hint: 'Fix the errors (`apigw validate` lists them with file:line), then deploy again.',
      details: {result: checked},
    })
  }
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
    if (g.plan.upToDate) deps.progress.info(`Stage ${options.stage} already runs spec ${repo.specHash} with these settings: no new deployment (use --force to deploy anyway).`)
    return {...base, apiId: g.found?.id ?? '', upToDate: g.plan.upToDate, dryRun: Boolean(options.dryRun), deploymentId: g.actual.stage?.deploymentId}
  }
  const applied = await applyPlan(g, repo.body, deps)
  return {...base, ...applied, upToDate: false, dryRun: false}
}

type Applied = {apiId: string; deploymentId: string | undefined; createdApi: boolean; warnings: string[]; calls: Array<{operation: string; ms: number}>}

/** Run the steps; fill `${restApiId}`, `${deploymentId}`, `${logGroupArn}` as earlier steps answer. */
export async function applyPlan(g: Gathered, body: string, deps: LifecycleDeps): Promise<Applied> {
  const {plan, ports} = g
  const vars: Record<string, string> = {}
  if (g.found) vars.restApiId = g.found.id
  if (g.desired.deploymentId) vars.deploymentId = g.desired.deploymentId
  const done: PlanStep[] = []
  const warnings: string[] = []
  const calls: Applied['calls'] = []
  let createdApi = false
  for (const step of plan.steps) {
    const input = fill(step.input, vars)
    const started = performance.now()
    try {
      await deps.progress.step(title(step, plan), async () => {
        const out = await runStep(ports, step, input, body)
        if (out.restApiId) {
          vars.restApiId = out.restApiId
          createdApi = step.operation === 'ImportRestApi' || step.operation === 'ImportApi'
        }
        if (out.deploymentId) vars.deploymentId = out.deploymentId
        if (out.logGroupArn) vars.logGroupArn = out.logGroupArn
        for (const w of out.warnings ?? []) {
          warnings.push(w)
          deps.progress.warn(`Import warning: ${w}`)
        }
      })
    } catch (error) {
      throw failure(error, step, done, g, vars)
    }
    calls.push({operation: step.operation, ms: Math.round(performance.now() - started)})
    done.push(step)
    if (step.operation === 'CreateLogGroup' && !vars.logGroupArn) {
      const group = await ports.logs.findLogGroup(String(input.logGroupName))
      vars.logGroupArn = (group?.arn ?? '').replace(/:\*$/, '')
    }
  }
  return {apiId: vars.restApiId ?? '', deploymentId: vars.deploymentId ?? g.actual.stage?.deploymentId, createdApi, warnings, calls}
}

function title(step: PlanStep, plan: DeploymentPlan): string {
  switch (step.operation) {
    case 'ImportRestApi':
    case 'ImportApi':
      return `Create ${plan.type === 'rest' ? 'REST' : 'HTTP'} API ${plan.api} from the spec (${step.operation})`
    case 'PutRestApi':
      return `Import the spec (PutRestApi mode=${String(step.input.mode)})`
    case 'ReimportApi':
      return 'Import the spec (ReimportApi)'
    case 'CreateDeployment':
      return 'Create a deployment'
    case 'CreateStage':
      return `Create stage ${plan.stage}`
    case 'UpdateStage':
      return `Update stage ${plan.stage}`
    case 'CreateLogGroup':
      return `Create log group ${String(step.input.logGroupName)}`
    default:
      return step.operation
  }
}

function fill(value: Record<string, unknown>, vars: Record<string, string>): Record<string, unknown> {
  const sub = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\$\{(restApiId|deploymentId|logGroupArn)\}/g, (m, k: string) => vars[k] ?? m)
    if (Array.isArray(v)) return v.map(sub)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]))
    return v
  }
  return sub(value) as Record<string, unknown>
}

/** The members the steps read (the plan builds them; see core/plan/plan.ts). */
type StepInput = {
  [key: string]: never
  restApiId: never
  stageName: never
  patchOperations: never
  usagePlanId: never
  resourceArn: never
  tags: never
  mode: never
  failOnWarnings: never
  parameters: never
  ApiId: never
  StageName: never
  Description: never
  FailOnWarnings: never
  ResourceArn: never
  Tags: never
  logGroupName: never
  retentionInDays: never
}

type StepOut = {restApiId?: string | undefined; deploymentId?: string | undefined; logGroupArn?: string | undefined; warnings?: string[] | undefined}

async function runStep(ports: Ports, step: PlanStep, input: Record<string, unknown>, body: string): Promise<StepOut> {
  const i = input as unknown as StepInput
  const bytes = new TextEncoder().encode(body)
  switch (`${step.service}:${step.operation}`) {
    case 'apigateway:ImportRestApi': {
      const params = i.parameters as {endpointConfigurationTypes?: string} | undefined
      const api = await ports.v1.importRestApi({body: bytes, failOnWarnings: i.failOnWarnings, endpointType: params?.endpointConfigurationTypes})
      return {restApiId: api.id, warnings: api.warnings}
    }
    case 'apigateway:PutRestApi': {
      const api = await ports.v1.putRestApi(i.restApiId, {body: bytes, failOnWarnings: i.failOnWarnings, mode: i.mode})
      return {warnings: api.warnings}
    }
    case 'apigateway:TagResource':
      await ports.v1.tagResource(i.resourceArn, i.tags)
      return {}
    case 'apigateway:CreateDeployment':
      return {deploymentId: (await ports.v1.createDeployment(input as never)).id}
    case 'apigateway:CreateStage':
      await ports.v1.createStage(input as never)
      return {}
    case 'apigateway:UpdateStage':
      await ports.v1.updateStage(i.restApiId, i.stageName, i.patchOperations)
      return {}
    case 'apigateway:CreateUsagePlan':
      await ports.v1.createUsagePlan(input as never)
      return {}
    case 'apigateway:UpdateUsagePlan':
      await ports.v1.updateUsagePlan(i.usagePlanId, i.patchOperations)
      return {}
    case 'apigateway:DeleteUsagePlan':
      await ports.v1.deleteUsagePlan(i.usagePlanId)
      return {}
    case 'apigatewayv2:ImportApi': {
      const api = await ports.v2.importApi(body, i.FailOnWarnings)
      return {restApiId: api.ApiId, warnings: api.Warnings}
    }
    case 'apigatewayv2:ReimportApi': {
      const api = await ports.v2.reimportApi(i.ApiId, body, i.FailOnWarnings)
      return {warnings: api.Warnings}
    }
    case 'apigatewayv2:TagResource':
      await ports.v2.tagResource(i.ResourceArn, i.Tags)
      return {}
    case 'apigatewayv2:CreateDeployment':
      return {deploymentId: (await ports.v2.createDeployment(i.ApiId, i.Description)).DeploymentId}
    case 'apigatewayv2:CreateStage':
      await ports.v2.createStage(input as never)
      return {}
    case 'apigatewayv2:UpdateStage':
      await ports.v2.updateStage(input as never)
      return {}
    case 'apigatewayv2:DeleteAccessLogSettings':
      await ports.v2.deleteAccessLogSettings(i.ApiId, i.StageName)
      return {}
    case 'logs:CreateLogGroup':
      await ports.logs.createLogGroup(i.logGroupName, i.tags)
      return {}
    case 'logs:PutRetentionPolicy':
      await ports.logs.putRetentionPolicy(i.logGroupName, i.retentionInDays)
      return {}
    default:
      throw new CliError('INTERNAL', `The plan has a step apigw cannot run: ${step.service} ${step.operation}.`, {hint: 'This is a bug in apigw; please report it.'})
  }
}

const IMPORT_OPS = new Set(['ImportRestApi', 'PutRestApi', 'ImportApi', 'ReimportApi'])

/** The error for a failed step: what it was, what had already changed, and how to get back. */
function failure(error: unknown, step: PlanStep, done: PlanStep[], g: Gathered, vars: Record<string, string>): CliError {
  const cause = error instanceof CliError ? error : new CliError('INTERNAL', String((error as Error)?.message ?? error), {cause: error})
  const {plan} = g
  const previous = g.actual.stage?.deploymentId
  const stageMoved = done.some((s) => s.operation === 'UpdateStage' || s.operation === 'CreateStage') && (plan.newDeployment || plan.reason === 'promote')
  const changed = done.map((s) => describeDone(s, vars, plan))
  const importWarnings = IMPORT_OPS.has(step.operation) && /warnings found during import/i.test(cause.message)
  if (importWarnings) {
    const list = cause.message.split(/\n\t?/).slice(1).map((w) => w.trim()).filter(Boolean)
    return new CliError('IMPORT_WARNINGS', `API Gateway found ${list.length || 'some'} warning${list.length === 1 ? '' : 's'} importing the spec, so nothing was deployed${list.length ? `: ${list.join('; ')}` : ''}.`, {
      hint: `Fix the spec so it imports cleanly, or pass --allow-warnings to deploy anyway. Stage ${plan.stage} was not touched${previous ? ` (it still runs deployment ${previous})` : ''}.`,
      exitCode: EXIT.GATE,
      cause: error,
      details: {warnings: list, operation: step.operation, stageChanged: false},
    })
  }
  const where = stageMoved
    ? `Stage ${plan.stage} now runs deployment ${vars.deploymentId ?? '?'}${previous ? ` (it ran ${previous} before)` : ''}`
    : previous
      ? `Stage ${plan.stage} still runs its previous deployment ${previous}`
      : `Stage ${plan.stage} was not created`
  const restore = stageMoved
    ? previous
      ? `To restore it: \`apigw rollback ${plan.api} --stage ${plan.stage} --to ${previous}\`. `
      : ''
    : ''
  // REST logging needs the account's CloudWatch role (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
  const roleHint = /CloudWatch Logs role ARN/i.test(cause.message)
    ? 'Set the account CloudWatch role once: `aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN>`. '
    : ''
  return new CliError(cause.code, `Deploy stopped at ${step.operation}: ${cause.message} ${where}.${changed.length ? ` Already done: ${changed.join('; ')}.` : ' Nothing was changed.'}`, {
    hint: `${roleHint}${restore}Fix the cause, then run \`apigw deploy ${plan.api} --stage ${plan.stage}\` again${cause.hint ? ` (${cause.hint})` : ''}.`,
    cause: error,
    exitCode: cause.exitCode,
    details: {...(cause.details ?? {}), failedStep: step.operation, done: done.map((s) => s.operation), stageChanged: stageMoved, previousDeploymentId: previous ?? null, deploymentId: vars.deploymentId ?? null},
  })
}

function describeDone(s: PlanStep, vars: Record<string, string>, plan: DeploymentPlan): string {
  switch (s.operation) {
    case 'ImportRestApi':
    case 'ImportApi':
      return `created API ${vars.restApiId ?? ''}`
    case 'PutRestApi':
    case 'ReimportApi':
      return "imported the spec into the API's working copy (stages unaffected)"
    case 'CreateDeployment':
      return `created deployment ${vars.deploymentId ?? ''} (no stage runs it yet unless listed below)`
    case 'CreateStage':
      return `created stage ${plan.stage}`
    case 'UpdateStage':
      return `updated stage ${plan.stage}`
    case 'CreateLogGroup':
      return `created log group ${String(s.input.logGroupName)}`
    default:
      return s.operation
  }
}
