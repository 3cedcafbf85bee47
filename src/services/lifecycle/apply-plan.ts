/**
 * Apply a plan's steps in order (deploy and promote). Safe by construction: the stage moves only in the
 * UpdateStage/CreateStage that follows a successful CreateDeployment, and a failure at any step says what
 * already changed and how to restore it.
 */
import type {CacheClusterSize, QuotaPeriodType} from '../../aws/api-gateway.ts'
import type {DeploymentPlan, HttpPlanStep, PlanStep, RestPlanStep} from '../../core/plan/types.ts'
import {TAG_API} from '../../core/plan/plan.ts'
import {CliError, EXIT} from '../../errors.ts'
import type {LifecycleDeps, Ports} from './find-api.ts'
import type {Gathered} from './gather.ts'
import {parseStageHistory, pushRun, recordQuietly, writeStageHistory} from './stage-history.ts'

export type Applied = {
  apiId: string
  deploymentId: string | undefined
  createdApi: boolean
  warnings: string[]
  calls: Array<{operation: string; ms: number}>
  /** What the placeholders of the plan turned out to be (`restApiId`, `deploymentId`, `logGroupArn`). */
  resolved: Record<string, string>
}

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
    const filled = fill(step, vars)
    const started = performance.now()
    try {
      await deps.progress.step(title(step, plan), async () => {
        const out = await runStep(ports, filled, body, g)
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
        // Just tagged the API this run created: another run (another machine) may have created one too.
        if (createdApi && step.operation === 'TagResource') await settleCreationRace(g, vars.restApiId ?? '', deps)
      })
    } catch (error) {
      // A lost creation race already says what happened and what was undone.
      if (error instanceof CliError && error.details?.deleted !== undefined) throw error
      throw failure(error, step, done, g, vars)
    }
    calls.push({operation: step.operation, ms: Math.round(performance.now() - started)})
    done.push(step)
    if (filled.operation === 'CreateLogGroup' && !vars.logGroupArn) {
      const group = await ports.logs.findLogGroup(filled.input.logGroupName)
      vars.logGroupArn = (group?.arn ?? '').replace(/:\*$/, '')
    }
  }
  const before = g.actual.stage?.deploymentId
  const now = vars.deploymentId ?? before
  // The stage's own history (for rollback): every move apigw makes is recorded on the stage.
  if ((plan.newDeployment || plan.reason === 'promote') && now && now !== before && vars.restApiId) {
    const runs = pushRun(parseStageHistory(g.stage?.tags), before, now, deps.clock())
    const apiId = vars.restApiId
    await recordQuietly(deps, plan.stage, () => writeStageHistory(ports, plan.type, g.desired.region, apiId, plan.stage, runs))
  }
  return {apiId: vars.restApiId ?? '', deploymentId: now, createdApi, warnings, calls, resolved: vars}
}

/**
 * After creating and tagging the API, list the APIs with the same tag. If another run created one too,
 * the younger copy (later createdDate, then larger id) is deleted by the run that made it. The run with
 * the older copy waits for that; if the younger copy stays (its run listed before our tag showed, so it
 * goes on with its copy), the older one is deleted instead. Either way one API remains, and the run that
 * deleted its copy stops with AWS_CONFLICT: a rerun deploys onto the survivor.
 */
async function settleCreationRace(g: Gathered, mine: string, deps: LifecycleDeps): Promise<void> {
  const type = g.plan.type
  const key = g.plan.api
  const copies = async () => {
    const all =
      type === 'rest'
        ? (await g.ports.v1.listRestApis()).map((a) => ({id: a.id ?? '', tags: a.tags ?? {}, created: a.createdDate?.getTime() ?? 0}))
        : (await g.ports.v2.listApis()).map((a) => ({id: a.ApiId ?? '', tags: a.Tags ?? {}, created: a.CreatedDate?.getTime() ?? 0}))
    return all.filter((a) => a.tags[TAG_API] === key).sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }
  let same = await copies()
  if (same.length < 2) return
  let winner = same[0]!
  if (winner.id === mine) {
    deps.progress.info(`Another run is creating ${key} too; waiting for it to remove its copy…`)
    for (let waited = 0; waited < RACE_WAIT_MS && same.length > 1; waited += 500) {
      await new Promise((r) => setTimeout(r, 500))
      same = await copies()
    }
    if (same.length < 2) return
    winner = same.find((a) => a.id !== mine)!
  }
  deps.progress.warn(
    `Another run created ${type === 'rest' ? 'REST' : 'HTTP'} API ${key} ` +
      `at the same time (${winner.id}); removing this run's copy ${mine}.`,
  )
  if (type === 'rest') await g.ports.v1.deleteRestApi(mine)
  else await g.ports.v2.deleteApi(mine)
  throw new CliError(
    'AWS_CONFLICT',
    `Another apigw deploy created ${key} at the same time (API ${winner.id}); ` +
      `this run deleted its own copy ${mine}, and nothing else was changed.`,
    {
      hint: `Run the same deploy again: it deploys onto ${winner.id}.`,
      details: {kept: winner.id, deleted: mine},
    },
  )
}

/** How long the run with the older copy waits for the younger copy's run to delete it. */
const RACE_WAIT_MS = 15_000

function title(step: PlanStep, plan: DeploymentPlan): string {
  switch (step.operation) {
    case 'ImportRestApi':
    case 'ImportApi':
      return `Create ${plan.type === 'rest' ? 'REST' : 'HTTP'} API ${plan.api} from the spec (${step.operation})`
    case 'PutRestApi':
      return `Import the spec (PutRestApi mode=${step.input.mode})`
    case 'UpdateRestApi':
      return `Update API ${plan.api} (${step.input.patchOperations.map((o) => `${o.path} → ${o.value ?? ''}`).join(', ')})`
    case 'ReimportApi':
      return 'Import the spec (ReimportApi)'
    case 'CreateDeployment':
      return 'Create a deployment'
    case 'CreateStage':
      return `Create stage ${plan.stage}`
    case 'UpdateStage':
      return `Update stage ${plan.stage}`
    case 'GetStage':
      return `Read the deployment stage ${plan.stage}'s auto-deploy made`
    case 'UpdateDeployment':
      return `Record the spec on deployment ${step.input.DeploymentId}`
    case 'CreateLogGroup':
      return `Create log group ${step.input.logGroupName}`
    case 'CreateDocumentationVersion':
      return `Publish documentation version ${step.input.documentationVersion} on stage ${plan.stage}`
    default:
      return step.operation
  }
}

/** The step with `${restApiId}`, `${deploymentId}`, `${logGroupArn}` replaced in every string of its input. */
function fill<T extends PlanStep>(step: T, vars: Record<string, string>): T {
  // fillPlaceholders keeps every member's shape (strings stay strings), so the input keeps its operation's type.
  return {...step, input: fillPlaceholders(step.input, vars)}
}

/** `value` with `${restApiId}`, `${deploymentId}`, `${logGroupArn}` replaced in every string, where `vars` knows them. */
export function fillPlaceholders<T>(value: T, vars: Record<string, string | undefined>): T {
  const sub = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/\$\{(restApiId|deploymentId|logGroupArn)\}/g, (m, k: string) => vars[k] || m)
    if (Array.isArray(v)) return v.map(sub)
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, sub(x)]))
    return v
  }
  return sub(value) as T
}

type StepOut = {
  restApiId?: string | undefined
  deploymentId?: string | undefined
  logGroupArn?: string | undefined
  warnings?: string[] | undefined
}

/** One call. The switch is exhaustive over PlanStep: a new operation in the plan does not compile until it runs here. */
async function runStep(ports: Ports, step: PlanStep, body: string, g: Gathered): Promise<StepOut> {
  const bytes = new TextEncoder().encode(body)
  switch (step.service) {
    case 'apigateway':
      return runRestStep(ports, step, bytes)
    case 'apigatewayv2':
      return runHttpStep(ports, step, body, g)
    case 'logs':
      if (step.operation === 'CreateLogGroup') await ports.logs.createLogGroup(step.input.logGroupName, step.input.tags)
      else await ports.logs.putRetentionPolicy(step.input.logGroupName, step.input.retentionInDays)
      return {}
  }
}

async function runRestStep(ports: Ports, step: RestPlanStep, bytes: Uint8Array): Promise<StepOut> {
  switch (step.operation) {
    case 'ImportRestApi': {
      const api = await ports.v1.importRestApi({
        body: bytes,
        failOnWarnings: step.input.failOnWarnings,
        endpointType: step.input.parameters?.endpointConfigurationTypes,
      })
      return {restApiId: api.id, warnings: api.warnings}
    }
    case 'UpdateRestApi':
      await ports.v1.updateRestApi(step.input.restApiId, step.input.patchOperations)
      return {}
    case 'PutRestApi': {
      const api = await ports.v1.putRestApi(step.input.restApiId, {
        body: bytes,
        failOnWarnings: step.input.failOnWarnings,
        mode: step.input.mode,
      })
      return {warnings: api.warnings}
    }
    case 'TagResource':
      await ports.v1.tagResource(step.input.resourceArn, step.input.tags)
      return {}
    case 'CreateDeployment':
      return {deploymentId: (await ports.v1.createDeployment(step.input)).id}
    case 'CreateStage': {
      // apigw.yaml's schema limits clusterSize to AWS's sizes.
      const {cacheClusterSize, ...input} = step.input
      await ports.v1.createStage({
        ...input,
        ...(cacheClusterSize === undefined ? {} : {cacheClusterSize: cacheClusterSize as CacheClusterSize}),
      })
      return {}
    }
    case 'UpdateStage':
      await ports.v1.updateStage(step.input.restApiId, step.input.stageName, step.input.patchOperations)
      return {}
    case 'CreateUsagePlan': {
      // apigw.yaml's schema limits the quota period to DAY, WEEK and MONTH.
      const {quota, ...input} = step.input
      await ports.v1.createUsagePlan({...input, ...(quota ? {quota: {...quota, period: quota.period as QuotaPeriodType}} : {})})
      return {}
    }
    case 'UpdateUsagePlan':
      await ports.v1.updateUsagePlan(step.input.usagePlanId, step.input.patchOperations)
      return {}
    case 'DeleteUsagePlan':
      await ports.v1.deleteUsagePlan(step.input.usagePlanId)
      return {}
    case 'CreateDocumentationVersion':
      await ports.v1.createDocumentationVersion(step.input)
      return {}
  }
}

async function runHttpStep(ports: Ports, step: HttpPlanStep, body: string, g: Gathered): Promise<StepOut> {
  switch (step.operation) {
    case 'ImportApi': {
      const api = await ports.v2.importApi(body, step.input.FailOnWarnings)
      return {restApiId: api.ApiId, warnings: api.Warnings}
    }
    case 'ReimportApi': {
      const api = await ports.v2.reimportApi(step.input.ApiId, body, step.input.FailOnWarnings)
      return {warnings: api.Warnings}
    }
    case 'TagResource':
      await ports.v2.tagResource(step.input.ResourceArn, step.input.Tags)
      return {}
    case 'CreateDeployment':
      return {deploymentId: (await ports.v2.createDeployment(step.input.ApiId, step.input.Description)).DeploymentId}
    case 'CreateStage':
      await ports.v2.createStage(step.input)
      return {}
    case 'UpdateStage':
      await ports.v2.updateStage(step.input)
      return {}
    case 'DeleteAccessLogSettings':
      await ports.v2.deleteAccessLogSettings(step.input.ApiId, step.input.StageName)
      return {}
    case 'GetStage':
      return {deploymentId: await autoDeployment(ports, step.input.ApiId, step.input.StageName, g)}
    case 'UpdateDeployment':
      await ports.v2.updateDeployment(step.input.ApiId, step.input.DeploymentId, step.input.Description)
      return {}
  }
}

/** How long apigw waits for an auto-deploy stage to run the deployment API Gateway makes after an import. */
const AUTO_DEPLOY_WAIT_MS = 30_000

/**
 * The deployment an auto-deploy stage runs after this run's change: after an import, one other than the
 * deployment it ran before (API Gateway makes it shortly after the change).
 */
async function autoDeployment(ports: Ports, apiId: string, stageName: string, g: Gathered): Promise<string> {
  const before = g.plan.newDeployment ? g.actual.stage?.deploymentId : undefined
  for (let waited = 0; ; waited += 500) {
    const stage = await ports.v2.getStage(apiId, stageName)
    const id = stage?.DeploymentId
    if (id && id !== before) return id
    if (waited >= AUTO_DEPLOY_WAIT_MS)
      throw new CliError(
        'AWS_CONFLICT',
        `Stage ${stageName} has autoDeploy on, but API Gateway made no new deployment for it within ${AUTO_DEPLOY_WAIT_MS / 1000} s.`,
        {
          hint:
            "Check the stage's lastDeploymentStatusMessage " +
            `(\`aws apigatewayv2 get-stage --api-id ${apiId} --stage-name ${stageName}\`), then deploy again.`,
        },
      )
    await new Promise((r) => setTimeout(r, 500))
  }
}

const IMPORT_OPS = new Set(['ImportRestApi', 'PutRestApi', 'ImportApi', 'ReimportApi'])

/** The error for a failed step: what it was, what had already changed, and how to get back. */
function failure(error: unknown, step: PlanStep, done: PlanStep[], g: Gathered, vars: Record<string, string>): CliError {
  const cause = error instanceof CliError ? error : new CliError('INTERNAL', String((error as Error)?.message ?? error), {cause: error})
  const {plan} = g
  const previous = g.actual.stage?.deploymentId
  const stageMoved =
    done.some((s) => s.operation === 'UpdateStage' || s.operation === 'CreateStage') && (plan.newDeployment || plan.reason === 'promote')
  const changed = done.map((s) => describeDone(s, vars, plan))
  const importWarnings = IMPORT_OPS.has(step.operation) && /warnings found during import/i.test(cause.message)
  if (importWarnings) {
    const list = cause.message
      .split(/\n\t?/)
      .slice(1)
      .map((w) => w.trim())
      .filter(Boolean)
    return new CliError(
      'IMPORT_WARNINGS',
      `API Gateway found ${list.length || 'some'} warning${list.length === 1 ? '' : 's'} ` +
        `importing the spec, so nothing was deployed${list.length ? `: ${list.join('; ')}` : ''}.`,
      {
        hint:
          `Fix the spec so it imports cleanly, or pass --allow-warnings to deploy anyway. Stage ` +
          `${plan.stage} was not touched${previous ? ` (it still runs deployment ${previous})` : ''}.`,
        exitCode: EXIT.GATE,
        cause: error,
        details: {warnings: list, operation: step.operation, stageChanged: false},
      },
    )
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
    ? 'Set the account CloudWatch role once: `aws apigateway update-account ' +
      '--patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN>`. '
    : ''
  return new CliError(
    cause.code,
    `Deploy stopped at ${step.operation}: ${cause.message} ` +
      `${where}.${changed.length ? ` Already done: ${changed.join('; ')}.` : ' Nothing was changed.'}`,
    {
      hint:
        `${roleHint}${restore}Fix the cause, then run \`apigw deploy ${plan.api} ` +
        `--stage ${plan.stage}\` again${cause.hint ? ` (${cause.hint})` : ''}.`,
      cause: error,
      exitCode: cause.exitCode,
      details: {
        ...(cause.details ?? {}),
        failedStep: step.operation,
        done: done.map((s) => s.operation),
        stageChanged: stageMoved,
        previousDeploymentId: previous ?? null,
        deploymentId: vars.deploymentId ?? null,
      },
    },
  )
}

function describeDone(s: PlanStep, vars: Record<string, string>, plan: DeploymentPlan): string {
  switch (s.operation) {
    case 'ImportRestApi':
    case 'ImportApi':
      return `created API ${vars.restApiId ?? ''}`
    case 'UpdateRestApi':
      return `updated API ${plan.api} (${s.input.patchOperations.map((o) => `${o.path} → ${o.value ?? ''}`).join(', ')})`
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
      return `created log group ${s.input.logGroupName}`
    default:
      return s.operation
  }
}
