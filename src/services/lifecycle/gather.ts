/**
 * Both sides of a stage and the plan between them: the repo side (spec, apigw.yaml stage settings) and
 * the AWS side (API, stage, the deployment it runs, log group, usage plans). `plan` returns it, `deploy`
 * and `promote` apply its steps.
 */
import {documentationDescription, planDeployment, TAG_API} from '../../core/plan/plan.ts'
import {type ActualAlarm, type AlarmPlan, alarmName, desiredAlarms, planAlarms} from '../../core/plan/alarms.ts'
import {createCloudWatchPort} from '../../aws/cloudwatch.ts'
import type {AlarmConfig} from '../../core/config/config.ts'
import {accessLogGroupName, desiredSettings} from '../../core/plan/settings.ts'
import type {ActualState, DeploymentPlan, DesiredDocumentation, DesiredState} from '../../core/plan/types.ts'
import type {StageConfig} from '../../core/config/config.ts'
import {CliError} from '../../errors.ts'
import {currentUser, formatRecord, gitInfo, toolVersion} from './deployment-record.ts'
import {type FoundApi, findApi, type LifecycleDeps, type Ports, portsFor, resolveRegion} from './find-api.ts'
import {type RepoSide, readRepo, specAtCommit} from './repo.ts'
import {stageDocument} from './stage-export.ts'
import {listDeployments, readStage, readUsagePlans, type StageView, usagePlanName} from './stages.ts'

export type PlanOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  /** Directories outside the project that the spec's $refs may read (--allow-ref-outside). */
  allowRefOutside?: string[] | undefined
  mode?: 'overwrite' | 'merge' | undefined
  allowWarnings?: boolean | undefined
  force?: boolean | undefined
  /** Delete usage plans of this API that apigw.yaml no longer declares. */
  prune?: boolean | undefined
  /**
   * A documentation version to publish that exists with other parts: `error` (DOCS_VERSION_EXISTS, the default) or
   * `keep` (publish nothing, warn: `apigw dev` redeploys on every save and must not stop on an edited description).
   */
  docsVersionConflict?: 'error' | 'keep' | undefined
}

/** `stage` is the stage as read (with its tags), or undefined when it does not exist. */
export type Gathered = {
  repo: RepoSide
  found: FoundApi | undefined
  stage: StageView | undefined
  desired: DesiredState
  actual: ActualState
  plan: DeploymentPlan
  ports: Ports
}

/** Both sides and the plan. `deploymentId` plans a promote: the stage moves to that deployment, no import. */
export async function gather(
  options: PlanOptions & {deploymentId?: string | undefined; repo?: RepoSide},
  deps: LifecycleDeps,
): Promise<Gathered> {
  const repo = options.repo ?? (await readRepo(options))
  const {selected, stageConfig} = repo
  if (stageConfig.autoDeploy === true && selected.api.type === 'rest') {
    throw new CliError(
      'CONFIG_INVALID',
      `apis.${selected.name}.stages.${options.stage}.autoDeploy is for HTTP APIs; a REST API stage moves only on a deployment.`,
      {hint: 'Remove autoDeploy from the stage in apigw.yaml.'},
    )
  }
  const type = selected.api.type
  if (type === 'http') refuseRestOnly(selected.name, options.stage, stageConfig, options.mode, selected.project.path)
  const ports = portsFor(deps)
  const found = await deps.progress.step(`Find ${type === 'rest' ? 'REST' : 'HTTP'} API ${selected.name}`, () =>
    findApi(ports, type, selected.name),
  )
  const actual: ActualState = {usagePlans: []}
  let stage: StageView | undefined
  if (found) {
    actual.api = {id: found.id, name: found.name, tagged: found.tagged, endpointTypes: found.endpointTypes, tags: found.tags}
    stage = await readStage(ports, type, found.id, options.stage)
    if (stage) {
      actual.stage = {deploymentId: stage.deploymentId, settings: stage.settings, canary: stage.canary, autoDeploy: stage.autoDeploy}
      const running = stage.deploymentId
      if (running) {
        const deployments = await listDeployments(ports, type, found.id)
        actual.deployedSpecHash = deployments.find((d) => d.id === running)?.record?.spec
        if (actual.deployedSpecHash !== repo.specHash && options.deploymentId === undefined) {
          const record = deployments.find((d) => d.id === running)?.record
          const fromGit = record?.git ? await specAtCommit(repo, record.git, record.spec) : undefined
          actual.deployedSpec = fromGit ?? (await exportedOrNothing(ports, type, found.id, options.stage))
          actual.deployedSpecSource = fromGit ? 'git' : 'export'
        }
      }
    }
  }
  let logGroup: DesiredState['logGroup']
  if (stageConfig.accessLogs) {
    logGroup = {
      name: stageConfig.accessLogs.logGroup ?? accessLogGroupName(selected.name, options.stage),
      retentionDays: stageConfig.accessLogs.retentionDays,
    }
    const g = await ports.logs.findLogGroup(logGroup.name)
    if (g) actual.logGroup = {name: logGroup.name, arn: (g.arn ?? '').replace(/:\*$/, ''), retentionDays: g.retentionInDays}
  }
  const wantedPlans =
    type === 'rest' ? Object.entries(selected.api.usagePlans ?? {}).filter(([, p]) => (p.stages ?? []).includes(options.stage)) : []
  // Every plan of this API is read (REST): those to create or update, and those apigw.yaml no longer declares.
  if (type === 'rest' && found) actual.usagePlans = await readUsagePlans(ports, selected.name)
  const publish = type === 'rest' && repo.documentation?.publish && options.deploymentId === undefined ? repo.documentation : undefined
  let docs = publish
  if (publish && found) {
    try {
      actual.documentation = await readDocumentation(ports, found.id, selected.name, publish, stage)
    } catch (error) {
      if (options.docsVersionConflict !== 'keep' || (error as CliError).code !== 'DOCS_VERSION_EXISTS') throw error
      deps.progress.warn(`${(error as CliError).message} Not published: ${(error as CliError).hint}`)
      docs = undefined
    }
  }
  const git = gitInfo(selected.project.dir, [...repo.spec.files.keys(), selected.project.path])
  const by = currentUser(selected.project.dir)
  const record = formatRecord({spec: repo.specHash, git: git?.sha, dirty: git?.dirty ?? false, by, tool: toolVersion()})
  const desired: DesiredState = {
    api: selected.name,
    type,
    stage: options.stage,
    specHash: repo.specHash,
    specBytes: Buffer.byteLength(repo.body),
    spec: repo.spec.doc,
    settings: desiredSettings(stageConfig, type, actual.logGroup?.arn ?? (stageConfig.accessLogs ? '${logGroupArn}' : undefined)),
    managesDescription: stageConfig.description !== undefined,
    logGroup,
    mode: options.mode ?? 'overwrite',
    failOnWarnings: !options.allowWarnings,
    endpointType: selected.api.endpointType,
    deploymentDescription: record,
    tags: {...(selected.api.tags ?? {}), [TAG_API]: selected.name},
    region: await resolveRegion(deps, ports),
    usagePlans: wantedPlans.map(([key, p]) => ({
      key,
      name: usagePlanName(selected.name, key),
      description: p.description,
      throttle: p.throttle,
      quota: p.quota,
      methods: methodThrottles(key, p.methods),
    })),
    configuredUsagePlans: Object.keys(selected.api.usagePlans ?? {}),
    prune: options.prune ?? false,
    force: options.force ?? false,
    deploymentId: options.deploymentId,
    autoDeploy: type === 'http' && stageConfig.autoDeploy === true,
    ...(docs ? {documentation: {version: docs.version, hash: docs.hash, parts: docs.parts}} : {}),
  }
  const plan = planDeployment(desired, actual)
  const alarms = await gatherAlarms(selected.name, type, options.stage, selected.api.alarms, found?.id, options.prune ?? false, deps)
  if (alarms) plan.alarms = alarms
  return {repo, found, stage, desired, actual, plan, ports}
}

/**
 * The alarm plan of the stage when apigw.yaml has `alarms:` (or --prune asks to delete what it dropped): the
 * alarms named `{api}-{stage}-…` are read with their tags (only tagged ones are ever deleted).
 */
async function gatherAlarms(
  api: string,
  type: 'rest' | 'http',
  stage: string,
  config: Record<string, AlarmConfig> | undefined,
  apiId: string | undefined,
  prune: boolean,
  deps: LifecycleDeps,
): Promise<AlarmPlan | undefined> {
  if (config === undefined && !prune) return undefined
  const cw = createCloudWatchPort(deps.aws, portsFor(deps).scheduler)
  const existing = await cw.describeAlarms(alarmName(api, stage, ''))
  const actual: ActualAlarm[] = []
  for (const a of existing)
    actual.push({...(a as ActualAlarm), AlarmName: a.AlarmName ?? '', tags: a.AlarmArn ? await cw.listTags(a.AlarmArn) : {}})
  return planAlarms(api, stage, desiredAlarms(api, type, stage, config, apiId), actual, prune)
}

/**
 * What HTTP APIs do not have, refused instead of ignored: stage caching, execution logs and X-Ray tracing
 * exist only on REST stages, and `--mode merge` only in PutRestApi (HTTP APIs are reimported whole).
 */
export function refuseRestOnly(api: string, stage: string, config: StageConfig, mode: string | undefined, file: string): void {
  if (mode === 'merge') {
    throw new CliError('USAGE', `--mode merge is for REST APIs (PutRestApi); ${api} is an HTTP API, which ReimportApi replaces whole.`, {
      hint: 'Drop --mode merge (overwrite is the default).',
    })
  }
  const restOnly = (['caching', 'executionLogs', 'tracing'] as const).filter((k) => config[k] !== undefined)
  if (restOnly.length > 0) {
    const keys = restOnly.map((k) => `apis.${api}.stages.${stage}.${k}`)
    throw new CliError(
      'CONFIG_INVALID',
      `${keys.join(', ')} in ${file}: ${restOnly.join(', ')} ` +
        `${restOnly.length === 1 ? 'exists' : 'exist'} only on REST API stages; ${api} is an HTTP API.`,
      {
        hint:
          `Remove ${restOnly.join(', ')} from apis.${api}.stages.${stage} in ` +
          `apigw.yaml (HTTP stages have throttling, accessLogs and metrics).`,
        details: {keys},
      },
    )
  }
}

/** The stage's export for the operation diff of the plan; without it every operation shows as added, the plan itself is unaffected. */
async function exportedOrNothing(ports: Ports, type: 'rest' | 'http', apiId: string, stage: string): Promise<unknown> {
  try {
    return await stageDocument(ports, {type, apiId, stage, extensions: ['integrations'], includeExtensions: true})
  } catch {
    return undefined
  }
}

/** apigw.yaml's `methods: {'GET /pets': {…}}` in AWS's form ('/pets/GET'); a key not of that form is an input error. */
export function methodThrottles(
  plan: string,
  methods: Record<string, {rateLimit?: number; burstLimit?: number}> | undefined,
): Record<string, {rateLimit?: number; burstLimit?: number}> | undefined {
  if (!methods) return undefined
  const out: Record<string, {rateLimit?: number; burstLimit?: number}> = {}
  for (const [key, throttle] of Object.entries(methods)) {
    const m = /^([A-Za-z]+|\*) +(\/\S*)$/.exec(key.trim())
    if (!m) {
      throw new CliError('CONFIG_INVALID', `usagePlans.${plan}.methods has a key "${key}" that is not "METHOD /path".`, {
        hint: 'Write each per-method throttle as "GET /pets: {rateLimit: 5, burstLimit: 10}".',
      })
    }
    out[`${m[2]}/${m[1]!.toUpperCase()}`] = throttle
  }
  return out
}

/**
 * The API's documentation versions and the stage's. A version named as the one to publish but made from other parts
 * (or not by apigw) is refused here, before any call: API Gateway's versions cannot change.
 */
async function readDocumentation(
  ports: Ports,
  restApiId: string,
  api: string,
  docs: DesiredDocumentation,
  stage: StageView | undefined,
): Promise<ActualState['documentation']> {
  const versions = await ports.v1.listDocumentationVersions(restApiId)
  const same = versions.find((v) => v.version === docs.version)
  if (same && same.description !== documentationDescription(docs)) {
    throw new CliError(
      'DOCS_VERSION_EXISTS',
      `Documentation version ${docs.version} of ${api} exists with other content (${same.description ?? 'no description'}); ` +
        'API Gateway cannot change a published version.',
      {hint: `Bump info.version in the spec, or set apis.${api}.docs.version in apigw.yaml to a new name.`},
    )
  }
  return {versions: versions.map((v) => v.version ?? ''), stageVersion: stage?.documentationVersion}
}
