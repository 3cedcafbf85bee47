/**
 * `apigw plan`: read the repo side (spec, apigw.yaml stage settings) and the AWS side (API, stage, the
 * deployment it runs, log group, usage plans), and plan the deployment between them. `deploy` runs the
 * same gathering, then applies the plan's steps.
 */
import {CliError, notSupported} from '../errors.ts'
import {execFileSync} from 'node:child_process'
import {relative, sep} from 'node:path'
import type {StageConfig} from '../core/config/config.ts'
import {planDeployment, TAG_API, TAG_USAGE_PLAN} from '../core/plan/plan.ts'
import {accessLogGroupName, desiredSettings, httpStageSettings, restStageSettings} from '../core/plan/settings.ts'
import type {ActualState, ActualUsagePlan, CanaryState, DeploymentPlan, DesiredState, StageSettings} from '../core/plan/types.ts'
import type {Spec} from '../core/spec/load.ts'
import {currentUser, formatRecord, gitInfo, parseRecord, shortHash, specBody, toolVersion, type DeploymentRecord} from './deployment-record.ts'
import {type FoundApi, findApi, type LifecycleDeps, type Ports, portsFor, resolveRegion} from './find-api.ts'
import {loadProject, loadSpecFile, refConfinement, relativePath, type SelectedApi, selectApi, selectStage} from './project.ts'

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
}

export type PlanResult = DeploymentPlan & {spec: string; apiName: string}

/** The stage as apigw reads it, for REST and HTTP alike. */
export type StageView = {
  name: string
  deploymentId?: string | undefined
  settings: StageSettings
  canary?: CanaryState | undefined
  autoDeploy?: boolean | undefined
  createdDate?: Date | undefined
  lastUpdatedDate?: Date | undefined
}

export type DeploymentView = {id: string; createdDate?: Date | undefined; description?: string | undefined; record?: DeploymentRecord | undefined}

export async function listStages(ports: Ports, type: 'rest' | 'http', apiId: string): Promise<StageView[]> {
  if (type === 'rest') return (await ports.v1.getStages(apiId)).map(restStageView).sort((a, b) => a.name.localeCompare(b.name))
  return (await ports.v2.getStages(apiId)).map(httpStageView).sort((a, b) => a.name.localeCompare(b.name))
}

export async function readStage(ports: Ports, type: 'rest' | 'http', apiId: string, stage: string): Promise<StageView | undefined> {
  if (type === 'rest') {
    const s = await ports.v1.getStage(apiId, stage)
    return s ? restStageView(s) : undefined
  }
  const s = await ports.v2.getStage(apiId, stage)
  return s ? httpStageView(s) : undefined
}

function restStageView(s: import('../aws/api-gateway.ts').Stage): StageView {
  const c = s.canarySettings
  return {
    name: s.stageName ?? '',
    deploymentId: s.deploymentId,
    settings: restStageSettings(s as never),
    canary: c ? {deploymentId: c.deploymentId, percentTraffic: c.percentTraffic ?? 0, stageVariableOverrides: c.stageVariableOverrides ?? {}} : undefined,
    createdDate: s.createdDate,
    lastUpdatedDate: s.lastUpdatedDate,
  }
}

function httpStageView(s: import('../aws/api-gateway-v2.ts').StageV2): StageView {
  return {
    name: s.StageName ?? '',
    deploymentId: s.DeploymentId,
    settings: httpStageSettings(s as never),
    autoDeploy: s.AutoDeploy,
    createdDate: s.CreatedDate,
    lastUpdatedDate: s.LastUpdatedDate,
  }
}

/** Deployments, newest first, with their apigw records. */
export async function listDeployments(ports: Ports, type: 'rest' | 'http', apiId: string): Promise<DeploymentView[]> {
  const raw =
    type === 'rest'
      ? (await ports.v1.listDeployments(apiId)).map((d) => ({id: d.id ?? '', createdDate: d.createdDate, description: d.description}))
      : (await ports.v2.listDeployments(apiId)).map((d) => ({id: d.DeploymentId ?? '', createdDate: d.CreatedDate, description: d.Description}))
  // Newest first; deployments made within the same second keep the service's order (oldest first) reversed.
  return raw
    .map((d, index) => ({...d, index, record: parseRecord(d.description)}))
    .sort((a, b) => (b.createdDate?.getTime() ?? 0) - (a.createdDate?.getTime() ?? 0) || b.index - a.index)
    .map(({index: _index, ...d}) => d)
}

/** The repo side: the project, the API and the stage, the spec and the exact body apigw sends. */
export type RepoSide = {selected: SelectedApi; stageConfig: StageConfig; spec: Spec; body: string; specHash: string}

export async function readRepo(options: {cwd: string; configPath?: string | undefined; api?: string | undefined; stage?: string | undefined; allowRefOutside?: string[] | undefined}): Promise<RepoSide> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api)
  if (options.stage !== undefined) selectStage(selected, options.stage)
  const spec = await loadSpecFile(selected.specPath, {confine: refConfinement(project!.dir, options.allowRefOutside, options.cwd, selected.specPath)})
  const body = await specBody(spec)
  return {selected, stageConfig: options.stage === undefined ? {} : (selected.api.stages[options.stage] ?? {}), spec, body, specHash: shortHash(body)}
}

export const usagePlanName = (api: string, plan: string): string => `${api}-${plan}`

export type Gathered = {repo: RepoSide; found: FoundApi | undefined; desired: DesiredState; actual: ActualState; plan: DeploymentPlan; ports: Ports}

/** Both sides and the plan. `deploymentId` plans a promote: the stage moves to that deployment, no import. */
export async function gather(options: PlanOptions & {deploymentId?: string | undefined; repo?: RepoSide}, deps: LifecycleDeps): Promise<Gathered> {
  const repo = options.repo ?? (await readRepo(options))
  const {selected, stageConfig} = repo
  if (stageConfig.autoDeploy === true) {
    throw selected.api.type === 'rest'
      ? new CliError('CONFIG_INVALID', `apis.${selected.name}.stages.${options.stage}.autoDeploy is for HTTP APIs; a REST API stage moves only on a deployment.`, {hint: 'Remove autoDeploy from the stage in apigw.yaml.'})
      : notSupported(`autoDeploy on an HTTP API stage (apis.${selected.name}.stages.${options.stage})`, 'Remove autoDeploy from apigw.yaml: `apigw deploy` makes the deployment and moves the stage itself. See LIMITATIONS.md.')
  }
  const type = selected.api.type
  const ports = portsFor(deps)
  const found = await deps.progress.step(`Find ${type === 'rest' ? 'REST' : 'HTTP'} API ${selected.name}`, () => findApi(ports, type, selected.name))
  const actual: ActualState = {usagePlans: []}
  if (found) {
    actual.api = {id: found.id, name: found.name, tagged: found.tagged}
    const stage = await readStage(ports, type, found.id, options.stage)
    if (stage) {
      actual.stage = {deploymentId: stage.deploymentId, settings: stage.settings, canary: stage.canary, autoDeploy: stage.autoDeploy}
      if (stage.deploymentId) {
        const deployments = await listDeployments(ports, type, found.id)
        actual.deployedSpecHash = deployments.find((d) => d.id === stage.deploymentId)?.record?.spec
        if (actual.deployedSpecHash !== repo.specHash && options.deploymentId === undefined) {
          const record = deployments.find((d) => d.id === stage.deploymentId)?.record
          const fromGit = record?.git ? await specAtCommit(repo, record.git, record.spec) : undefined
          actual.deployedSpec = fromGit ?? (await exportStage(ports, type, found.id, options.stage))
          actual.deployedSpecSource = fromGit ? 'git' : 'export'
        }
      }
    }
  }
  let logGroup: DesiredState['logGroup']
  if (stageConfig.accessLogs) {
    logGroup = {name: stageConfig.accessLogs.logGroup ?? accessLogGroupName(selected.name, options.stage), retentionDays: stageConfig.accessLogs.retentionDays}
    const g = await ports.logs.findLogGroup(logGroup.name)
    if (g) actual.logGroup = {name: logGroup.name, arn: (g.arn ?? '').replace(/:\*$/, ''), retentionDays: g.retentionInDays}
  }
  const wantedPlans = type === 'rest' ? Object.entries(selected.api.usagePlans ?? {}).filter(([, p]) => (p.stages ?? []).includes(options.stage)) : []
  // Every plan of this API is read (REST): those to create or update, and those apigw.yaml no longer declares.
  if (type === 'rest' && found) actual.usagePlans = await readUsagePlans(ports, selected.name)
  const git = gitInfo(selected.project.dir)
  const record = formatRecord({spec: repo.specHash, git: git?.sha, dirty: git?.dirty ?? false, by: currentUser(), tool: toolVersion()})
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
    usagePlans: wantedPlans.map(([key, p]) => ({key, name: usagePlanName(selected.name, key), description: p.description, throttle: p.throttle, quota: p.quota, methods: methodThrottles(key, p.methods)})),
    configuredUsagePlans: Object.keys(selected.api.usagePlans ?? {}),
    prune: options.prune ?? false,
    force: options.force ?? false,
    deploymentId: options.deploymentId,
  }
  return {repo, found, desired, actual, plan: planDeployment(desired, actual), ports}
}

/** The spec file as it was at `commit`, when it hashes to the recorded spec hash (one-file specs only). */
async function specAtCommit(repo: RepoSide, commit: string, hash: string): Promise<unknown> {
  if (repo.spec.files.size > 1) return undefined
  try {
    const dir = repo.selected.project.dir
    const rel = relative(dir, repo.spec.file).split(sep).join('/')
    const text = execFileSync('git', ['show', `${commit}:./${rel}`], {cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000, maxBuffer: 64 * 1024 * 1024})
    if (shortHash(text) !== hash) return undefined
    const {parse} = await import('yaml')
    return text.trimStart().startsWith('{') ? JSON.parse(text) : parse(text)
  } catch {
    return undefined
  }
}

async function exportStage(ports: Ports, type: 'rest' | 'http', apiId: string, stage: string): Promise<unknown> {
  try {
    return type === 'rest' ? await ports.v1.getExport(apiId, stage) : await ports.v2.exportApi(apiId, stage)
  } catch {
    // Without the export the operation diff lists every operation as added; the plan itself is unaffected.
    return undefined
  }
}

async function readUsagePlans(ports: Ports, api: string): Promise<ActualUsagePlan[]> {
  const out: ActualUsagePlan[] = []
  for (const p of await ports.v1.listUsagePlans()) {
    const tags = p.tags ?? {}
    const key = tags[TAG_API] === api ? tags[TAG_USAGE_PLAN] : p.name?.startsWith(`${api}-`) ? p.name.slice(api.length + 1) : undefined
    if (!key || !p.id) continue
    out.push({
      id: p.id,
      key,
      tagged: tags[TAG_API] === api,
      name: p.name ?? '',
      description: p.description,
      throttle: p.throttle ? {rateLimit: p.throttle.rateLimit, burstLimit: p.throttle.burstLimit} : undefined,
      quota: p.quota?.limit !== undefined ? {limit: p.quota.limit, period: p.quota.period ?? 'MONTH', offset: p.quota.offset} : undefined,
      apiStages: (p.apiStages ?? []).map((s) => ({apiId: s.apiId ?? '', stage: s.stage ?? '', ...(s.throttle ? {throttle: s.throttle} : {})})),
    })
  }
  return out
}

export async function plan(options: PlanOptions, deps: LifecycleDeps): Promise<PlanResult> {
  const {plan, repo} = await gather(options, deps)
  return {...plan, apiName: repo.selected.name, spec: relativePath(repo.spec.file, options.cwd)}
}

/** apigw.yaml's `methods: {'GET /pets': {…}}` in AWS's form ('/pets/GET'); a key not of that form is an input error. */
export function methodThrottles(plan: string, methods: Record<string, {rateLimit?: number; burstLimit?: number}> | undefined): Record<string, {rateLimit?: number; burstLimit?: number}> | undefined {
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
