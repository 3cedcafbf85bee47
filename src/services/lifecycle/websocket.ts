/**
 * `plan`, `deploy` and `status` of WebSocket APIs (declared in apigw.yaml): the API, its authorizers, routes
 * with their integrations, integration responses and route responses are reconciled with apigatewayv2 one
 * resource at a time (create what is missing, update what differs, delete what apigw.yaml no longer has), so a
 * rerun after a failure picks up where it stopped; then a deployment (its description carries apigw's record:
 * the config hash, git commit, user) and the stage. With nothing to change and the stage on a deployment of
 * the same config, nothing is deployed.
 */
import type {ProjectConfig, WebSocketApiConfig, WebSocketIntegrationConfig} from '../../core/config/config.ts'
import {integrationTypeOf} from '../../core/config/websocket.ts'
import {TAG_API} from '../../core/plan/plan.ts'
import {createApiGatewayWebSocketPort, type WebSocketOperation} from '../../aws/api-gateway-websocket.ts'
import {CliError} from '../../errors.ts'
import {acquireProjectLock} from '../../project-lock.ts'
import {loadProject, relativePath, selectAnyApi, selectStage} from '../project.ts'
import {validateWebSocket} from '../validate/websocket.ts'
import {currentState, emptyState} from './websocket-state.ts'
import {putWebSocketStage, webSocketStageDiffers, webSocketStageSettings} from './websocket-stage.ts'
import {currentUser, formatRecord, gitInfo, parseRecord, shortHash, toolVersion} from './deployment-record.ts'
import {findApi, type LifecycleDeps, portsFor, resolveRegion} from './find-api.ts'
import {type DomainStatus, domainStatus} from './domain-status.ts'
import {checkDomainRegions, type DomainOutcome, domainsFor, reconcileDomains} from './domains.ts'

export type WebSocketStep = {action: 'create' | 'update' | 'delete'; resource: string; key: string; operation: WebSocketOperation | string}

export type WebSocketDeployResult = {
  api: string
  type: 'websocket'
  stage: string
  apiId: string
  config: string
  configHash: string
  upToDate: boolean
  dryRun: boolean
  createdApi: boolean
  deploymentId?: string | undefined
  previousDeploymentId?: string | undefined
  steps: WebSocketStep[]
  /** ws:// URL of the stage (wss:// on AWS). */
  url?: string | undefined
  /** apigw.yaml's custom domain names that map this stage: their API mappings (apigatewayv2) and DNS targets. */
  domains?: DomainOutcome[] | undefined
}

export type WebSocketDeployOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  dryRun?: boolean
  force?: boolean
  /** Remove the custom-domain mappings apigw.yaml no longer declares (as deploy --prune of REST and HTTP APIs). */
  prune?: boolean | undefined
}

/** True when the options name (or the config's only API is) a WebSocket API. */
export async function isWebSocketApi(options: {cwd: string; configPath?: string | undefined; api?: string | undefined}): Promise<boolean> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath, required: false})
  if (!project) return false
  const names = Object.keys(project.config.apis)
  const name = options.api ?? (names.length === 1 ? names[0] : undefined)
  return name !== undefined && project.config.apis[name]?.type === 'websocket'
}

type Loaded = {
  name: string
  api: WebSocketApiConfig
  functions: Record<string, unknown>
  configPath: string
  dir: string
  config: ProjectConfig
}

async function load(options: WebSocketDeployOptions): Promise<Loaded> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectAnyApi(project!, options.api)
  if (selected.api.type !== 'websocket') throw new Error('not a WebSocket API')
  selectStage(selected, options.stage)
  const checked = validateWebSocket(project!, selected.name, selected.api, options.cwd)
  if (!checked.valid)
    throw new CliError(
      'VALIDATION_FAILED',
      `${checked.spec} has ${checked.counts.error} error(s) in API ${selected.name}; nothing was deployed.`,
      {
        hint: 'Fix the errors (`apigw validate` lists them with file:line), then deploy again.',
        details: {result: checked},
      },
    )
  return loaded(project!, selected.name, selected.api)
}

/** What deploy and status work from: the WebSocket API `name` of the loaded project. */
function loaded(project: {path: string; dir: string; config: ProjectConfig}, name: string, api: WebSocketApiConfig): Loaded {
  return {name, api, functions: project.config.functions ?? {}, configPath: project.path, dir: project.dir, config: project.config}
}

const LAMBDA_ARN = /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):(\d{12}):function:/

function lambdaUri(fn: string, region: string, local: boolean, where: string): string {
  let arn = fn
  if (!LAMBDA_ARN.test(fn)) {
    // A function by name: the local emulator runs it from functions:; AWS needs its ARN (apigw does not deploy functions).
    if (!local)
      throw new CliError('NOT_SUPPORTED', `${where} names the function "${fn}" by name; deploying to AWS needs its ARN.`, {
        hint: `Set ${where} to arn:aws:lambda:${region}:<account-id>:function:${fn} (or deploy with --local).`,
      })
    arn = `arn:aws:lambda:${region}:000000000000:function:${fn}`
  }
  const r = LAMBDA_ARN.exec(arn)?.[1] ?? region
  return `arn:aws:apigateway:${r}:lambda:path/2015-03-31/functions/${arn}/invocations`
}

type Desired = {
  api: Record<string, unknown>
  authorizers: Map<string, Record<string, unknown>>
  routes: Map<
    string,
    {
      route: Record<string, unknown>
      authorizer?: string | undefined
      integration: Record<string, unknown>
      responses: Map<string, Record<string, unknown>>
      twoWay: boolean
    }
  >
}

function integrationInput(i: WebSocketIntegrationConfig, region: string, local: boolean, where: string): Record<string, unknown> {
  const type = integrationTypeOf(i)
  const out: Record<string, unknown> = {IntegrationType: type}
  if (type === 'AWS_PROXY' || type === 'AWS') {
    out.IntegrationUri = lambdaUri(i.function!, region, local, `${where}.function`)
    out.IntegrationMethod = 'POST'
  }
  if (type === 'HTTP' || type === 'HTTP_PROXY') {
    out.IntegrationUri = i.uri
    out.IntegrationMethod = i.method ?? 'POST'
  }
  if (i.requestTemplates) out.RequestTemplates = i.requestTemplates
  if (i.templateSelectionExpression) out.TemplateSelectionExpression = i.templateSelectionExpression
  if (i.passthroughBehavior) out.PassthroughBehavior = i.passthroughBehavior
  if (i.contentHandlingStrategy) out.ContentHandlingStrategy = i.contentHandlingStrategy
  out.TimeoutInMillis = i.timeoutInMillis ?? 29000
  return out
}

function desiredOf(l: Loaded, region: string, local: boolean): Desired {
  const {api, name} = l
  const authorizers = new Map<string, Record<string, unknown>>()
  for (const [authName, a] of Object.entries(api.authorizers ?? {})) {
    authorizers.set(authName, {
      AuthorizerType: 'REQUEST',
      AuthorizerUri: lambdaUri(a.function, region, local, `apis.${name}.authorizers.${authName}.function`),
      IdentitySource: a.identitySource ?? [],
    })
  }
  const routes: Desired['routes'] = new Map()
  for (const [key, r] of Object.entries(api.routes)) {
    const integration = integrationInput(r.integration ?? {type: 'MOCK'}, region, local, `apis.${name}.routes.${key}.integration`)
    const responses = new Map<string, Record<string, unknown>>()
    for (const [rk, resp] of Object.entries(r.integration?.responses ?? {})) {
      responses.set(rk, {
        ...(resp.templates ? {ResponseTemplates: resp.templates} : {}),
        ...(resp.templateSelectionExpression ? {TemplateSelectionExpression: resp.templateSelectionExpression} : {}),
      })
    }
    routes.set(key, {
      route: {
        ApiKeyRequired: r.apiKeyRequired ?? false,
        AuthorizationType: r.authorizer ? 'CUSTOM' : (r.authorizationType ?? 'NONE'),
        ...(r.routeResponseSelectionExpression ? {RouteResponseSelectionExpression: r.routeResponseSelectionExpression} : {}),
        ...(r.operationName ? {OperationName: r.operationName} : {}),
      },
      authorizer: r.authorizer,
      integration,
      responses,
      twoWay: r.routeResponseSelectionExpression !== undefined,
    })
  }
  return {
    api: {
      RouteSelectionExpression: api.routeSelectionExpression,
      ApiKeySelectionExpression: api.apiKeySelectionExpression ?? '$request.header.x-api-key',
      ...(api.description ? {Description: api.description} : {}),
    },
    authorizers,
    routes,
  }
}

/** The config's hash: what the deployment record names, so status can tell whether the stage runs this config. */
function configHash(l: Loaded): string {
  const {stages: _stages, ...shape} = l.api
  return shortHash(JSON.stringify({api: shape, functions: l.functions}))
}

/** Members of `want` whose value differs from `have` (by JSON). */
function differs(want: Record<string, unknown>, have: Record<string, unknown>): boolean {
  return Object.entries(want).some(([k, v]) => JSON.stringify(v) !== JSON.stringify(have[k] ?? (Array.isArray(v) ? [] : undefined)))
}

export async function deployWebSocket(options: WebSocketDeployOptions, deps: LifecycleDeps): Promise<WebSocketDeployResult> {
  const loaded = await load(options)
  const lock = options.dryRun
    ? undefined
    : await acquireProjectLock({
        projectDir: loaded.dir,
        command: `apigw deploy ${loaded.name} --stage ${options.stage}`,
        onWait: () => undefined,
      })
  try {
    return await reconcile(loaded, options, deps)
  } finally {
    lock?.release()
  }
}

async function reconcile(l: Loaded, options: WebSocketDeployOptions, deps: LifecycleDeps): Promise<WebSocketDeployResult> {
  const ports = portsFor(deps)
  const port = createApiGatewayWebSocketPort(deps.aws, ports.scheduler)
  const region = await resolveRegion(deps, ports)
  // A certificate in the wrong region for its domain name is refused before any call.
  const mapped = domainsFor(l.config, l.name, options.stage).length > 0
  if (mapped) checkDomainRegions(l.config, l.name, options.stage, region, l.configPath)
  const domains = async (id: string): Promise<{domains?: DomainOutcome[]}> =>
    mapped
      ? {
          domains: await reconcileDomains(
            {
              config: l.config,
              api: l.name,
              apiType: 'websocket',
              apiId: id,
              stage: options.stage,
              dryRun: !apply,
              prune: Boolean(options.prune),
            },
            deps,
          ),
        }
      : {}
  const desired = desiredOf(l, region, deps.aws.local)
  const hash = configHash(l)
  const apply = !options.dryRun
  const steps: WebSocketStep[] = []
  const step = async <T>(s: WebSocketStep, input: Record<string, unknown>): Promise<T | undefined> => {
    steps.push(s)
    if (!apply) return undefined
    return deps.progress.step(`${s.action} ${s.resource} ${s.key}`, () => port.send<T>(s.operation as WebSocketOperation, input))
  }
  const found = await findApi(ports, 'http', l.name)
  let apiId = found?.id ?? ''
  let createdApi = false
  const base = {
    api: l.name,
    type: 'websocket' as const,
    stage: options.stage,
    config: relativePath(l.configPath, options.cwd),
    configHash: hash,
  }
  if (!found) {
    const made = await step<{ApiId: string}>(
      {action: 'create', resource: 'api', key: l.name, operation: 'CreateApi'},
      {Name: l.name, ProtocolType: 'WEBSOCKET', ...desired.api, Tags: {...(l.api.tags ?? {}), [TAG_API]: l.name}},
    )
    apiId = made?.ApiId ?? ''
    createdApi = true
  }
  const existing = found ? await currentState(port, apiId) : emptyState()
  if (found) {
    const api = (await ports.v2.listApis()).find((a) => a.ApiId === apiId) as Record<string, unknown> | undefined
    const wantApi = desired.api
    const have = {
      RouteSelectionExpression: api?.RouteSelectionExpression,
      ApiKeySelectionExpression: api?.ApiKeySelectionExpression,
      Description: api?.Description,
    }
    if (differs(wantApi, have))
      await step({action: 'update', resource: 'api', key: l.name, operation: 'UpdateApi'}, {ApiId: apiId, ...wantApi})
  }
  // Authorizers first: routes point at them.
  const authorizerIds = new Map<string, string>()
  for (const [name, want] of desired.authorizers) {
    const have = existing.authorizers.find((a) => a.Name === name)
    if (!have) {
      const made = await step<{AuthorizerId: string}>(
        {action: 'create', resource: 'authorizer', key: name, operation: 'CreateAuthorizer'},
        {ApiId: apiId, Name: name, ...want},
      )
      authorizerIds.set(name, made?.AuthorizerId ?? `(new ${name})`)
    } else {
      authorizerIds.set(name, String(have.AuthorizerId))
      if (differs(want, have))
        await step(
          {action: 'update', resource: 'authorizer', key: name, operation: 'UpdateAuthorizer'},
          {ApiId: apiId, AuthorizerId: have.AuthorizerId, ...want},
        )
    }
  }
  for (const [key, want] of desired.routes) {
    const haveRoute = existing.routes.find((r) => r.RouteKey === key)
    const integrationId = typeof haveRoute?.Target === 'string' ? haveRoute.Target.replace(/^integrations\//, '') : undefined
    const haveIntegration = existing.integrations.find((i) => i.IntegrationId === integrationId)
    let targetId = integrationId
    if (!haveIntegration) {
      const made = await step<{IntegrationId: string}>(
        {action: 'create', resource: 'integration', key, operation: 'CreateIntegration'},
        {ApiId: apiId, ...want.integration},
      )
      targetId = made?.IntegrationId
    } else if (differs(want.integration, haveIntegration)) {
      if (haveIntegration.IntegrationType !== want.integration.IntegrationType) {
        // The type of an integration cannot change: a new one, then the route moves to it.
        const made = await step<{IntegrationId: string}>(
          {action: 'create', resource: 'integration', key, operation: 'CreateIntegration'},
          {ApiId: apiId, ...want.integration},
        )
        targetId = made?.IntegrationId
      } else
        await step(
          {action: 'update', resource: 'integration', key, operation: 'UpdateIntegration'},
          {ApiId: apiId, IntegrationId: integrationId, ...want.integration},
        )
    }
    const routeInput: Record<string, unknown> = {
      ...want.route,
      Target: targetId ? `integrations/${targetId}` : undefined,
      AuthorizerId: want.authorizer ? authorizerIds.get(want.authorizer) : undefined,
    }
    let routeId = haveRoute?.RouteId as string | undefined
    if (!haveRoute) {
      const made = await step<{RouteId: string}>(
        {action: 'create', resource: 'route', key, operation: 'CreateRoute'},
        {ApiId: apiId, RouteKey: key, ...routeInput},
      )
      routeId = made?.RouteId
    } else {
      const haveCompare = {...haveRoute, AuthorizerId: haveRoute.AuthorizerId}
      if (differs(routeInput, haveCompare))
        await step(
          {action: 'update', resource: 'route', key, operation: 'UpdateRoute'},
          {ApiId: apiId, RouteId: routeId, ...routeInput, AuthorizerId: routeInput.AuthorizerId ?? ''},
        )
    }
    if (haveIntegration && targetId !== integrationId && integrationId)
      await step(
        {action: 'delete', resource: 'integration', key, operation: 'DeleteIntegration'},
        {ApiId: apiId, IntegrationId: integrationId},
      )
    // Integration responses of the route's integration.
    const haveResponses = targetId && targetId === integrationId ? (existing.integrationResponses.get(targetId) ?? []) : []
    for (const [rk, resp] of want.responses) {
      const have = haveResponses.find((r) => r.IntegrationResponseKey === rk)
      if (!have)
        await step(
          {action: 'create', resource: 'integration response', key: `${key} ${rk}`, operation: 'CreateIntegrationResponse'},
          {ApiId: apiId, IntegrationId: targetId, IntegrationResponseKey: rk, ...resp},
        )
      else if (differs(resp, have))
        await step(
          {action: 'update', resource: 'integration response', key: `${key} ${rk}`, operation: 'UpdateIntegrationResponse'},
          {ApiId: apiId, IntegrationId: targetId, IntegrationResponseId: have.IntegrationResponseId, ...resp},
        )
    }
    for (const have of haveResponses)
      if (!want.responses.has(String(have.IntegrationResponseKey)))
        await step(
          {
            action: 'delete',
            resource: 'integration response',
            key: `${key} ${have.IntegrationResponseKey}`,
            operation: 'DeleteIntegrationResponse',
          },
          {ApiId: apiId, IntegrationId: targetId, IntegrationResponseId: have.IntegrationResponseId},
        )
    // A two-way route has the $default route response.
    const haveRouteResponses = routeId && haveRoute ? (existing.routeResponses.get(routeId) ?? []) : []
    const hasDefault = haveRouteResponses.some((r) => r.RouteResponseKey === '$default')
    if (want.twoWay && !hasDefault)
      await step(
        {action: 'create', resource: 'route response', key: `${key} $default`, operation: 'CreateRouteResponse'},
        {ApiId: apiId, RouteId: routeId, RouteResponseKey: '$default'},
      )
    if (!want.twoWay)
      for (const r of haveRouteResponses)
        await step(
          {action: 'delete', resource: 'route response', key: `${key} ${r.RouteResponseKey}`, operation: 'DeleteRouteResponse'},
          {ApiId: apiId, RouteId: routeId, RouteResponseId: r.RouteResponseId},
        )
  }
  // What apigw.yaml no longer declares goes: routes, then their integrations, then authorizers.
  for (const r of existing.routes) {
    const key = String(r.RouteKey)
    if (desired.routes.has(key)) continue
    await step({action: 'delete', resource: 'route', key, operation: 'DeleteRoute'}, {ApiId: apiId, RouteId: r.RouteId})
    const integrationId = typeof r.Target === 'string' ? r.Target.replace(/^integrations\//, '') : undefined
    if (integrationId && !existing.routes.some((o) => o !== r && o.Target === r.Target))
      await step(
        {action: 'delete', resource: 'integration', key, operation: 'DeleteIntegration'},
        {ApiId: apiId, IntegrationId: integrationId},
      )
  }
  for (const a of existing.authorizers) {
    if (desired.authorizers.has(String(a.Name))) continue
    await step(
      {action: 'delete', resource: 'authorizer', key: String(a.Name), operation: 'DeleteAuthorizer'},
      {ApiId: apiId, AuthorizerId: a.AuthorizerId},
    )
  }

  // The deployment and the stage.
  const stage = found ? await ports.v2.getStage(apiId, options.stage) : undefined
  const running = stage?.DeploymentId
  const deployments = found ? await ports.v2.listDeployments(apiId) : []
  const runningRecord = parseRecord(deployments.find((d) => d.DeploymentId === running)?.Description)
  const settings = webSocketStageSettings(l.api, l.name, options.stage, region, deps.aws.local)
  const stageSettingsDiffer = webSocketStageDiffers(stage, settings)
  const upToDate = steps.length === 0 && runningRecord?.spec === hash && !stageSettingsDiffer && !options.force
  const url = deps.aws.local
    ? `ws://127.0.0.1:${new URL(deps.aws.options.endpoint ?? 'http://127.0.0.1:4567').port}/_aws/execute-api/${apiId}/${options.stage}`
    : `wss://${apiId}.execute-api.${region}.amazonaws.com/${options.stage}`
  if (upToDate) {
    deps.progress.info(
      `Stage ${options.stage} already runs config ${hash} with these settings: no new deployment (use --force to deploy anyway).`,
    )
    return {
      ...base,
      apiId,
      upToDate: true,
      dryRun: Boolean(options.dryRun),
      createdApi,
      deploymentId: running,
      previousDeploymentId: running,
      steps,
      url,
      ...(await domains(apiId)),
    }
  }
  const git = gitInfo(l.dir)
  const description = formatRecord({spec: hash, git: git?.sha, dirty: git?.dirty ?? false, by: currentUser(), tool: toolVersion()})
  const deployment = await step<{DeploymentId: string}>(
    {action: 'create', resource: 'deployment', key: options.stage, operation: 'CreateDeployment'},
    {ApiId: apiId, Description: description},
  )
  steps.push({action: stage ? 'update' : 'create', resource: 'stage', key: options.stage, operation: stage ? 'UpdateStage' : 'CreateStage'})
  if (apply && deployment?.DeploymentId)
    await putWebSocketStage(deps, ports, {
      api: l.name,
      apiId,
      region,
      stage,
      stageName: options.stage,
      deploymentId: deployment.DeploymentId,
      settings,
    })
  return {
    ...base,
    apiId,
    upToDate: false,
    dryRun: Boolean(options.dryRun),
    createdApi,
    deploymentId: deployment?.DeploymentId,
    previousDeploymentId: running,
    steps,
    url,
    // The stage exists now (on a dry run it may not: the mappings are planned against what is there).
    ...(await domains(apiId)),
  }
}

/** `status` of a WebSocket API: each stage of apigw.yaml, its deployment, and whether it runs this config. */
export type WebSocketStatusResult = {
  api: string
  type: 'websocket'
  apiId?: string | undefined
  configHash: string
  stages: Array<{
    name: string
    deploymentId?: string | undefined
    deployedConfig?: string | undefined
    sync: 'in-sync' | 'repo-ahead' | 'not-deployed'
  }>
  /** apigw.yaml's custom domain names that map this API, as status shows them for REST and HTTP APIs. */
  domains?: DomainStatus[]
}

export async function statusWebSocket(options: Omit<WebSocketDeployOptions, 'stage'>, deps: LifecycleDeps): Promise<WebSocketStatusResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectAnyApi(project!, options.api)
  if (selected.api.type !== 'websocket') throw new Error('not a WebSocket API')
  const l = loaded(project!, selected.name, selected.api)
  const hash = configHash(l)
  const ports = portsFor(deps)
  const found = await findApi(ports, 'http', l.name)
  const names = Object.keys(l.api.stages).sort()
  const list = await domainStatus(l.config, l.name, deps)
  const domains = list.length > 0 ? {domains: list} : {}
  if (!found)
    return {api: l.name, type: 'websocket', configHash: hash, stages: names.map((name) => ({name, sync: 'not-deployed'})), ...domains}
  const [stages, deployments] = await Promise.all([ports.v2.getStages(found.id), ports.v2.listDeployments(found.id)])
  return {
    api: l.name,
    type: 'websocket',
    apiId: found.id,
    configHash: hash,
    stages: names.map((name) => {
      const s = stages.find((x) => x.StageName === name)
      if (!s?.DeploymentId) return {name, sync: 'not-deployed' as const}
      const record = parseRecord(deployments.find((d) => d.DeploymentId === s.DeploymentId)?.Description)
      return {
        name,
        deploymentId: s.DeploymentId,
        deployedConfig: record?.spec,
        sync: record?.spec === hash ? ('in-sync' as const) : ('repo-ahead' as const),
      }
    }),
    ...domains,
  }
}
