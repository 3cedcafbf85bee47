/** The data of a deployment plan: what the repo wants, what the stage runs, and the exact AWS calls between them. */

export type ApiKind = 'rest' | 'http'

/** One stage setting, normalised so that the repo side and the AWS side compare field by field. */
export type StageSettings = {
  description?: string | undefined
  variables: Record<string, string>
  throttling: {rateLimit?: number | undefined; burstLimit?: number | undefined}
  caching: {enabled: boolean; ttlSeconds: number; encrypted: boolean; cluster: boolean; clusterSize?: string | undefined}
  metrics: boolean
  executionLogs: {level: string; dataTrace: boolean}
  accessLogs?: {destinationArn: string; format: string} | undefined
  tracing: boolean
}

export type SettingChange = {
  /** Dotted name: `variables.backendUrl`, `throttling.rateLimit`, `accessLogs.format`. */
  setting: string
  from: unknown
  to: unknown
}

export type DesiredUsagePlan = {
  /** The plan's key in apigw.yaml. */
  key: string
  name: string
  description?: string | undefined
  throttle?: {rateLimit?: number | undefined; burstLimit?: number | undefined} | undefined
  quota?: {limit: number; period: string; offset?: number | undefined} | undefined
  /** Per-method throttles for this stage, keyed as AWS keys them: '{resourcePath}/{httpMethod}' ('/pets/GET'). */
  methods?: Record<string, MethodThrottle> | undefined
}

export type MethodThrottle = {rateLimit?: number | undefined; burstLimit?: number | undefined}

export type ActualUsagePlan = DesiredUsagePlan & {
  id: string /** Carries this API's apigw:api tag (only those are ever pruned). */
  tagged?: boolean | undefined
  apiStages: Array<{apiId: string; stage: string; throttle?: Record<string, MethodThrottle> | undefined}>
}

export type DesiredState = {
  /** The API's key in apigw.yaml (its name on AWS). */
  api: string
  type: ApiKind
  stage: string
  /** sha256 (first 12 hex digits) of the spec body sent to AWS. */
  specHash: string
  /** The body's size in bytes, shown in place of the body. */
  specBytes: number
  /** The parsed spec, for the operation diff. */
  spec: unknown
  /** The settings apigw.yaml asks for (log group ARN may be the placeholder `${logGroupArn}`). */
  settings: StageSettings
  /** Settings apigw manages on this stage; others are left as they are. */
  managesDescription: boolean
  /** The access-log group: name, and days to keep events. */
  logGroup?: {name: string; retentionDays?: number | undefined} | undefined
  mode: 'overwrite' | 'merge'
  failOnWarnings: boolean
  endpointType?: string | undefined
  /** CreateDeployment description: the deployment record line. */
  deploymentDescription: string
  tags: Record<string, string>
  region: string
  /** Usage plans that list this stage (REST). */
  usagePlans: DesiredUsagePlan[]
  /** Every usage plan key apigw.yaml declares for this API, whatever its stages (REST). */
  configuredUsagePlans?: string[] | undefined
  /** Delete usage plans of this API that apigw.yaml no longer declares (`deploy --prune`). */
  prune?: boolean | undefined
  force: boolean
  /** Point the stage at this existing deployment instead of importing (promote). */
  deploymentId?: string | undefined
  /** HTTP only. */
  autoDeploy?: boolean | undefined
  /** REST, `docs: {publish: true}`: the documentation version the stage should publish (not for promote). */
  documentation?: DesiredDocumentation | undefined
}

/** The documentation version a deploy publishes: its name, and the hash and count of the parts it carries. */
export type DesiredDocumentation = {version: string; hash: string; parts: number}

/** The API-level settings apigw.yaml manages besides the spec (REST endpoint type; tags for both). */
export type ApiSettings = {endpointTypes?: string[] | undefined; tags?: Record<string, string> | undefined}

export type ActualState = {
  api?: ({id: string; name: string; tagged: boolean} & ApiSettings) | undefined
  stage?:
    | {deploymentId?: string | undefined; settings: StageSettings; canary?: CanaryState | undefined; autoDeploy?: boolean | undefined}
    | undefined
  /** The spec hash recorded in the description of the deployment the stage runs. */
  deployedSpecHash?: string | undefined
  /** The spec the stage runs, for the operation diff (absent when the stage does not exist). */
  deployedSpec?: unknown
  /** Where deployedSpec came from: the repo at the recorded commit (exact), or API Gateway's export (added/removed only). */
  deployedSpecSource?: 'git' | 'export' | undefined
  logGroup?: {name: string; arn: string; retentionDays?: number | undefined} | undefined
  usagePlans: ActualUsagePlan[]
  /** REST, when docs are published: the API's documentation versions and the one the stage publishes. */
  documentation?: {versions: string[]; stageVersion?: string | undefined} | undefined
}

export type CanaryState = {deploymentId?: string | undefined; percentTraffic: number; stageVariableOverrides: Record<string, string>}

/** A JSON Patch operation as API Gateway v1 takes it (UpdateStage, UpdateUsagePlan, UpdateRestApi). */
export type PatchOperation = {op: 'replace' | 'remove' | 'add' | 'copy' | 'move' | 'test'; path: string; value?: string; from?: string}

type Tags = Record<string, string>
type Throttle = {rateLimit?: number | undefined; burstLimit?: number | undefined}

/** One step: the service, the operation, its input exactly as it will be sent, and why. */
type Step<S extends string, O extends string, I> = {
  service: S
  operation: O
  input: I
  /** Why the call is made, for humans. */
  why: string
}

/** The v1 (REST) calls a plan makes. `body` is a placeholder naming the spec's size and hash: the bytes are sent as read. */
export type RestPlanStep =
  | Step<'apigateway', 'ImportRestApi', {body: string; failOnWarnings: boolean; parameters?: {endpointConfigurationTypes: string}}>
  | Step<'apigateway', 'UpdateRestApi', {restApiId: string; patchOperations: PatchOperation[]}>
  | Step<'apigateway', 'PutRestApi', {restApiId: string; mode: 'overwrite' | 'merge'; failOnWarnings: boolean; body: string}>
  | Step<'apigateway', 'TagResource', {resourceArn: string; tags: Tags}>
  | Step<'apigateway', 'CreateDeployment', {restApiId: string; description: string}>
  | Step<
      'apigateway',
      'CreateStage',
      {
        restApiId: string
        stageName: string
        deploymentId: string
        description?: string
        variables: Record<string, string>
        tracingEnabled: boolean
        cacheClusterEnabled?: boolean
        cacheClusterSize?: string | undefined
        tags: Tags
      }
    >
  | Step<'apigateway', 'UpdateStage', {restApiId: string; stageName: string; patchOperations: PatchOperation[]}>
  | Step<
      'apigateway',
      'CreateUsagePlan',
      {
        name: string
        description?: string
        apiStages: Array<{apiId: string; stage: string; throttle?: Record<string, MethodThrottle>}>
        throttle?: Throttle
        quota?: {limit: number; period: string; offset?: number | undefined}
        tags: Tags
      }
    >
  | Step<'apigateway', 'UpdateUsagePlan', {usagePlanId: string; patchOperations: PatchOperation[]}>
  | Step<'apigateway', 'DeleteUsagePlan', {usagePlanId: string}>
  | Step<
      'apigateway',
      'CreateDocumentationVersion',
      {restApiId: string; documentationVersion: string; stageName: string; description: string}
    >

/** The members of a v2 stage that apigw sets (CreateStage and UpdateStage). */
export type HttpStageInput = {
  Description?: string
  StageVariables?: Record<string, string>
  DefaultRouteSettings?: {ThrottlingRateLimit?: number; ThrottlingBurstLimit?: number; DetailedMetricsEnabled?: boolean}
  AccessLogSettings?: {DestinationArn?: string; Format?: string}
  AutoDeploy?: boolean
}

/** The v2 (HTTP) calls a plan makes. */
export type HttpPlanStep =
  | Step<'apigatewayv2', 'ImportApi', {Body: string; FailOnWarnings: boolean}>
  | Step<'apigatewayv2', 'ReimportApi', {ApiId: string; Body: string; FailOnWarnings: boolean}>
  | Step<'apigatewayv2', 'TagResource', {ResourceArn: string; Tags: Tags}>
  | Step<'apigatewayv2', 'CreateDeployment', {ApiId: string; Description: string}>
  | Step<'apigatewayv2', 'CreateStage', HttpStageInput & {ApiId: string; StageName: string; DeploymentId?: string; Tags: Tags}>
  | Step<'apigatewayv2', 'UpdateStage', HttpStageInput & {ApiId: string; StageName: string; DeploymentId?: string}>
  | Step<'apigatewayv2', 'DeleteAccessLogSettings', {ApiId: string; StageName: string}>
  /** An auto-deploy stage: read back the deployment API Gateway made (waits for it after an import). */
  | Step<'apigatewayv2', 'GetStage', {ApiId: string; StageName: string}>
  /** Record the spec on that automatic deployment (its description), as apigw's own deployments carry it. */
  | Step<'apigatewayv2', 'UpdateDeployment', {ApiId: string; DeploymentId: string; Description: string}>

/** The CloudWatch Logs calls a plan makes. */
export type LogsPlanStep =
  | Step<'logs', 'CreateLogGroup', {logGroupName: string; tags: Tags}>
  | Step<'logs', 'PutRetentionPolicy', {logGroupName: string; retentionInDays: number}>

/**
 * One AWS call, exactly as it will be made: a tagged union on `service` and `operation`, so each step's
 * input has its operation's shape. `${restApiId}`, `${deploymentId}`, `${logGroupArn}` in a string are
 * filled in as earlier steps answer.
 */
export type PlanStep = RestPlanStep | HttpPlanStep | LogsPlanStep

export type DeploymentPlan = {
  api: string
  type: ApiKind
  stage: string
  apiId?: string | undefined
  /** Nothing to do: the stage runs this spec with these settings. */
  upToDate: boolean
  /** A new deployment will be created (false: settings only, or nothing). */
  newDeployment: boolean
  reason: 'api-missing' | 'stage-missing' | 'spec-changed' | 'not-recorded' | 'forced' | 'settings-changed' | 'up-to-date' | 'promote'
  specHash: {repo: string; stage?: string | undefined}
  /**
   * `basis` says what the repo spec was compared with: `git` (the deployed commit's file: exact), `export` (the
   * stage's export: changed operations are not listed, exports differ in form), `none`.
   */
  operations: {added: string[]; removed: string[]; changed: string[]; basis: 'git' | 'export' | 'none'}
  settings: SettingChange[]
  /** API-level changes (endpointType, tags.<key>): applied by UpdateRestApi and TagResource, no new deployment. */
  apiChanges: SettingChange[]
  /** `orphan`: on AWS for this API but gone from apigw.yaml; reported, and deleted only with --prune (`delete`). */
  usagePlans: Array<{name: string; action: 'create' | 'update' | 'link' | 'unlink' | 'delete' | 'orphan'; changes: string[]}>
  /** `docs: {publish: true}`: the documentation version the stage publishes, and what the deploy does about it. */
  documentation?: {version: string; parts: number; action: 'publish' | 'point-stage' | 'up-to-date'} | undefined
  steps: PlanStep[]
  /** CloudWatch alarms of this stage (apigw.yaml `alarms:`): their changes and calls, made even when the stage is up to date. */
  alarms?: AlarmPlan | undefined
}

/** One alarm of apigw.yaml against CloudWatch (core/plan/alarms.ts). */
export type AlarmChange = {
  key: string
  name: string
  action: 'create' | 'update' | 'unchanged' | 'delete'
  /** update: the fields that differ. */
  fields?: string[]
}

export type AlarmPlan = {
  changes: AlarmChange[]
  steps: Array<{service: 'cloudwatch'; operation: 'PutMetricAlarm' | 'DeleteAlarms'; input: unknown; why: string}>
}
