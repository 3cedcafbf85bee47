/**
 * `apigw export config [API] --stage S`: a deployed WebSocket API written back as apigw.yaml (its routes,
 * integrations, integration and route responses, authorizers, and the stage's variables, throttling and access
 * logs), read through apigatewayv2. AWS has no export for WebSocket APIs; REST and HTTP APIs have their OpenAPI
 * document instead (`export spec`). The document is checked against apigw.yaml's schema before it is written.
 */
import {resolve} from 'node:path'
import {stringify} from 'yaml'
import {createApiGatewayWebSocketPort} from '../../aws/api-gateway-websocket.ts'
import {parseConfig} from '../../core/config/config.ts'
import {functionName, functionOfIntegrationUri} from '../../core/websocket/diff.ts'
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, portsFor} from '../lifecycle/find-api.ts'
import {currentState, requireWebSocketApi, type State} from '../lifecycle/websocket-state.ts'
import {accessFormat} from '../lifecycle/websocket-stage.ts'
import {loadProject, missingStageHint, relativePath, selectAnyApi} from '../project.ts'
import {writeOutputFile} from './shared.ts'

export type ExportConfigOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  output?: string | undefined
}

export type ExportConfigResult = {
  api: string
  type: 'websocket'
  apiId: string
  stage: string
  /** The file written (relative to the working directory), or null when the document went to stdout. */
  path: string | null
  /** The apigw.yaml text. */
  content: string
  routes: number
}

type Item = Record<string, unknown>

export async function exportConfig(options: ExportConfigOptions, deps: LifecycleDeps): Promise<ExportConfigResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectAnyApi(project!, options.api)
  if (selected.api.type !== 'websocket')
    throw new CliError(
      'NOT_SUPPORTED',
      `export config writes WebSocket APIs back as apigw.yaml, and ${selected.name} is ` +
        `${selected.api.type === 'rest' ? 'a REST' : 'an HTTP'} API: its routes are its OpenAPI document.`,
      {hint: `Export that instead: \`apigw export spec ${selected.name} --stage ${options.stage}\`.`},
    )
  const ports = portsFor(deps)
  const api = await requireWebSocketApi(ports, selected.name)
  const stage = await ports.v2.getStage(api.id, options.stage)
  if (!stage)
    throw new CliError('AWS_NOT_FOUND', `${selected.name} has no deployed stage ${options.stage}.`, {
      hint: `${missingStageHint(selected.name, Object.keys(selected.api.stages), options.stage)}; or check --region, --profile, --local.`,
    })
  const port = createApiGatewayWebSocketPort(deps.aws, ports.scheduler)
  const [state, apis] = await Promise.all([currentState(port, api.id), ports.v2.listApis()])
  const live = (apis.find((a) => a.ApiId === api.id) ?? {}) as Item
  // Locally, functions are named by name (deploy --local made their ARNs up); on AWS they keep their ARNs.
  const local = deps.aws.local
  const fn = (arn: string) => (local && /:000000000000:function:/.test(arn) ? functionName(arn) : arn)
  const entry = apiEntry(live, state, fn)
  entry.stages = {[options.stage]: stageEntry(stage as unknown as Item)}
  const used = new Set<string>()
  const routes = entry.routes as Record<string, {integration?: Item}>
  for (const r of Object.values(routes)) if (typeof r.integration?.function === 'string') used.add(r.integration.function)
  for (const a of Object.values((entry.authorizers ?? {}) as Record<string, Item>)) used.add(String(a.function))
  // The local handlers of the functions it names, as the project's apigw.yaml declares them.
  const functions = Object.fromEntries(Object.entries(project!.config.functions ?? {}).filter(([name]) => used.has(name)))
  const document = {apis: {[selected.name]: entry}, ...(Object.keys(functions).length > 0 ? {functions} : {})}
  const content =
    `# ${selected.name}: stage ${options.stage} of the WebSocket API ${api.id}, written back by apigw export config.\n` +
    stringify(document, {lineWidth: 0})
  const path = options.output ? resolve(options.cwd, options.output) : undefined
  try {
    await parseConfig(path ?? 'apigw.yaml', Buffer.from(content))
  } catch (error) {
    throw new Error(`export config made an apigw.yaml its own schema refuses: ${(error as Error).message}`)
  }
  if (path) writeOutputFile(path, content, true)
  return {
    api: selected.name,
    type: 'websocket',
    apiId: api.id,
    stage: options.stage,
    path: path ? relativePath(path, options.cwd) : null,
    content,
    routes: Object.keys(routes).length,
  }
}

function apiEntry(live: Item, state: State, fn: (arn: string) => string): Item {
  const authorizers: Record<string, Item> = {}
  for (const a of state.authorizers) {
    const uri = String(a.AuthorizerUri ?? '')
    const identity = Array.isArray(a.IdentitySource) ? a.IdentitySource.map(String) : []
    authorizers[String(a.Name)] = {
      function: fn(functionOfIntegrationUri(uri) ?? uri),
      ...(identity.length > 0 ? {identitySource: identity} : {}),
    }
  }
  const routes: Record<string, Item> = {}
  for (const r of [...state.routes].sort((x, y) => String(x.RouteKey).localeCompare(String(y.RouteKey)))) {
    const id = typeof r.Target === 'string' ? r.Target.replace(/^integrations\//, '') : undefined
    const i = state.integrations.find((x) => x.IntegrationId === id)
    const authorizer = state.authorizers.find((a) => a.AuthorizerId === r.AuthorizerId)
    routes[String(r.RouteKey)] = {
      ...(i ? {integration: integrationEntry(i, state.integrationResponses.get(String(id)) ?? [], fn)} : {}),
      ...(r.AuthorizationType === 'CUSTOM' && authorizer ? {authorizer: String(authorizer.Name)} : {}),
      ...(r.AuthorizationType === 'AWS_IAM' ? {authorizationType: 'AWS_IAM'} : {}),
      ...(r.ApiKeyRequired === true ? {apiKeyRequired: true} : {}),
      ...(typeof r.RouteResponseSelectionExpression === 'string'
        ? {routeResponseSelectionExpression: r.RouteResponseSelectionExpression}
        : {}),
      ...(typeof r.OperationName === 'string' ? {operationName: r.OperationName} : {}),
    }
  }
  return {
    type: 'websocket',
    routeSelectionExpression: String(live.RouteSelectionExpression ?? '$request.body.action'),
    ...(live.ApiKeySelectionExpression && live.ApiKeySelectionExpression !== '$request.header.x-api-key'
      ? {apiKeySelectionExpression: live.ApiKeySelectionExpression}
      : {}),
    ...(typeof live.Description === 'string' && live.Description !== '' ? {description: live.Description} : {}),
    ...(Object.keys(authorizers).length > 0 ? {authorizers} : {}),
    routes,
  }
}

function integrationEntry(i: Item, responses: Item[], fn: (arn: string) => string): Item {
  const type = String(i.IntegrationType ?? 'MOCK')
  const uri = typeof i.IntegrationUri === 'string' ? i.IntegrationUri : undefined
  const lambda = type === 'AWS_PROXY' || type === 'AWS'
  const target: Item = {}
  if (lambda && uri) target.function = fn(functionOfIntegrationUri(uri) ?? uri)
  if (!lambda && uri) target.uri = uri
  // The type apigw.yaml would infer is left out: AWS_PROXY with a function, HTTP_PROXY with a URI.
  const inferred = target.function !== undefined ? 'AWS_PROXY' : target.uri !== undefined ? 'HTTP_PROXY' : 'MOCK'
  const method = typeof i.IntegrationMethod === 'string' ? i.IntegrationMethod.toUpperCase() : undefined
  const out: Item = {
    ...(type !== inferred || type === 'MOCK' ? {type} : {}),
    ...target,
    ...((type === 'HTTP' || type === 'HTTP_PROXY') && method && method !== 'POST' ? {method} : {}),
  }
  if (i.RequestTemplates && Object.keys(i.RequestTemplates).length > 0) out.requestTemplates = i.RequestTemplates
  if (typeof i.TemplateSelectionExpression === 'string') out.templateSelectionExpression = i.TemplateSelectionExpression
  if (typeof i.PassthroughBehavior === 'string' && i.PassthroughBehavior !== 'WHEN_NO_MATCH')
    out.passthroughBehavior = i.PassthroughBehavior
  if (typeof i.ContentHandlingStrategy === 'string') out.contentHandlingStrategy = i.ContentHandlingStrategy
  if (typeof i.TimeoutInMillis === 'number' && i.TimeoutInMillis !== 29000) out.timeoutInMillis = i.TimeoutInMillis
  const byKey: Record<string, Item> = {}
  for (const r of [...responses].sort((x, y) => String(x.IntegrationResponseKey).localeCompare(String(y.IntegrationResponseKey)))) {
    byKey[String(r.IntegrationResponseKey)] = {
      ...(r.ResponseTemplates ? {templates: r.ResponseTemplates} : {}),
      ...(typeof r.TemplateSelectionExpression === 'string' ? {templateSelectionExpression: r.TemplateSelectionExpression} : {}),
    }
  }
  if (Object.keys(byKey).length > 0) out.responses = byKey
  return out
}

function stageEntry(stage: Item): Item {
  const out: Item = {}
  const variables = (stage.StageVariables ?? {}) as Record<string, string>
  if (Object.keys(variables).length > 0) out.variables = variables
  const route = (stage.DefaultRouteSettings ?? {}) as Item
  const throttling = {
    ...(typeof route.ThrottlingRateLimit === 'number' ? {rateLimit: route.ThrottlingRateLimit} : {}),
    ...(typeof route.ThrottlingBurstLimit === 'number' ? {burstLimit: route.ThrottlingBurstLimit} : {}),
  }
  if (Object.keys(throttling).length > 0) out.throttling = throttling
  const logs = stage.AccessLogSettings as {DestinationArn?: string; Format?: string} | undefined
  if (logs?.DestinationArn) {
    const format = logs.Format === accessFormat('json') ? 'json' : logs.Format === accessFormat('clf') ? 'clf' : logs.Format
    out.accessLogs = {...(format ? {format} : {}), logGroup: logs.DestinationArn.replace(/^arn:[^:]+:logs:[^:]*:[^:]*:log-group:/, '')}
  }
  if (typeof stage.Description === 'string' && stage.Description !== '') out.description = stage.Description
  return out
}
