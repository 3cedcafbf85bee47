/**
 * A WebSocket API's stage as apigw.yaml wants it (variables, throttling, access logs), and moving it to a
 * deployment: deploy, promote and rollback share these, and each move is recorded in the stage's own history.
 */
import type {StageV2} from '../../aws/api-gateway-v2.ts'
import type {WebSocketApiConfig} from '../../core/config/config.ts'
import {TAG_API} from '../../core/plan/plan.ts'
import {CliError} from '../../errors.ts'
import type {LifecycleDeps, Ports} from './find-api.ts'
import {parseStageHistory, pushRun, recordQuietly, writeStageHistory} from './stage-history.ts'

export type WebSocketStageSettings = {
  StageVariables: Record<string, string>
  DefaultRouteSettings: Record<string, unknown>
  AccessLogSettings?: {DestinationArn: string; Format: string} | undefined
  Description?: string | undefined
}

/** The settings of `stage` from apigw.yaml (access logs are deployed to the emulator only, see LIMITATIONS.md). */
export function webSocketStageSettings(
  api: WebSocketApiConfig,
  name: string,
  stage: string,
  region: string,
  local: boolean,
): WebSocketStageSettings {
  const stageConfig = api.stages[stage] ?? {}
  const routeSettings = {
    ...(stageConfig.throttling?.rateLimit !== undefined ? {ThrottlingRateLimit: stageConfig.throttling.rateLimit} : {}),
    ...(stageConfig.throttling?.burstLimit !== undefined ? {ThrottlingBurstLimit: stageConfig.throttling.burstLimit} : {}),
    ...(stageConfig.executionLogs?.level ? {LoggingLevel: stageConfig.executionLogs.level} : {}),
    ...(stageConfig.metrics !== undefined ? {DetailedMetricsEnabled: stageConfig.metrics} : {}),
  }
  if (stageConfig.accessLogs && !local)
    throw new CliError('NOT_SUPPORTED', `Access logs of WebSocket API stages are not deployed to AWS by apigw yet (stage ${stage}).`, {
      hint: `Remove apis.${name}.stages.${stage}.accessLogs, or deploy with --local; see LIMITATIONS.md.`,
    })
  const accessLog = stageConfig.accessLogs
    ? {
        DestinationArn:
          `arn:aws:logs:${region}:000000000000:log-group:` + (stageConfig.accessLogs.logGroup ?? `/aws/apigateway/${name}/${stage}/access`),
        Format: accessFormat(stageConfig.accessLogs.format),
      }
    : undefined
  return {
    StageVariables: Object.fromEntries(Object.entries(stageConfig.variables ?? {}).map(([k, v]) => [k, String(v)])),
    DefaultRouteSettings: routeSettings,
    ...(accessLog ? {AccessLogSettings: accessLog} : {}),
    ...(stageConfig.description ? {Description: stageConfig.description} : {}),
  }
}

/** True when the stage is missing or its variables or access logs are not what apigw.yaml says. */
export function webSocketStageDiffers(stage: StageV2 | undefined, settings: WebSocketStageSettings): boolean {
  return (
    !stage ||
    JSON.stringify(stage.StageVariables ?? {}) !== JSON.stringify(settings.StageVariables) ||
    JSON.stringify(stage.AccessLogSettings ?? undefined) !== JSON.stringify(settings.AccessLogSettings)
  )
}

/**
 * Point the stage at `deploymentId` with `settings` (CreateStage when it does not exist), then record the move
 * in its history (tag apigw:ran), which a rollback without --to reads. `settings` undefined keeps the stage's own.
 */
export async function putWebSocketStage(
  deps: LifecycleDeps,
  ports: Ports,
  input: {
    api: string
    apiId: string
    region: string
    stage: StageV2 | undefined
    stageName: string
    deploymentId: string
    settings?: WebSocketStageSettings | undefined
  },
): Promise<void> {
  const {apiId, stage, stageName, settings} = input
  const stageInput = {ApiId: apiId, StageName: stageName, DeploymentId: input.deploymentId, ...(settings ?? {})}
  await deps.progress.step(`${stage ? 'Update' : 'Create'} stage ${stageName}`, () =>
    stage ? ports.v2.updateStage(stageInput as never) : ports.v2.createStage({...stageInput, Tags: {[TAG_API]: input.api}} as never),
  )
  if (settings && stage?.AccessLogSettings && !settings.AccessLogSettings) await ports.v2.deleteAccessLogSettings(apiId, stageName)
  const before = stage?.DeploymentId
  if (before === input.deploymentId) return
  const runs = pushRun(parseStageHistory(stage?.Tags), before, input.deploymentId, deps.clock())
  await recordQuietly(deps, stageName, () => writeStageHistory(ports, 'http', input.region, apiId, stageName, runs))
}

const JSON_ACCESS_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  eventType: '$context.eventType',
  status: '$context.status',
  connectionId: '$context.connectionId',
  error: '$context.error.message',
})

/** The $context format apigw.yaml's `format` (json, clf or a custom one) stands for. */
export function accessFormat(format: string | undefined): string {
  if (!format || format === 'json') return JSON_ACCESS_FORMAT
  if (format === 'clf')
    return (
      '$context.identity.sourceIp - - [$context.requestTime] ' +
      '"$context.eventType $context.routeKey $context.connectionId" $context.status $context.requestId'
    )
  return format
}
