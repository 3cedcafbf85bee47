/**
 * The narrow port over API Gateway v2 (HTTP APIs): only the operations apigw uses, pagination inside,
 * every call through the scheduler, every SDK error turned into a CliError (src/aws/errors.ts).
 */
import type {
  AccessLogSettings,
  Api,
  CreateStageCommandInput,
  Deployment,
  RouteSettings,
  Stage,
  UpdateStageCommandInput,
} from '@aws-sdk/client-apigatewayv2'
import type {AwsClients} from './clients.ts'
import {type AwsErrorContext, mapAwsError} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

export type {AccessLogSettings, Api, Deployment as DeploymentV2, RouteSettings, Stage as StageV2}

export type ApiGatewayV2Port = {
  listApis(): Promise<Api[]>
  importApi(body: string, failOnWarnings: boolean): Promise<Api>
  reimportApi(apiId: string, body: string, failOnWarnings: boolean): Promise<Api>
  tagResource(arn: string, tags: Record<string, string>): Promise<void>
  /** Only for a copy this run just made and lost a creation race with (deploy). */
  deleteApi(apiId: string): Promise<void>
  createDeployment(apiId: string, description: string): Promise<Deployment>
  updateDeployment(apiId: string, deploymentId: string, description: string): Promise<Deployment>
  listDeployments(apiId: string): Promise<Deployment[]>
  getStages(apiId: string): Promise<Stage[]>
  getStage(apiId: string, stageName: string): Promise<Stage | undefined>
  createStage(input: CreateStageCommandInput): Promise<Stage>
  updateStage(input: UpdateStageCommandInput): Promise<Stage>
  deleteAccessLogSettings(apiId: string, stageName: string): Promise<void>
}

type Sdk = typeof import('@aws-sdk/client-apigatewayv2')

export function createApiGatewayV2Port(clients: AwsClients, scheduler: Scheduler = passThrough): ApiGatewayV2Port {
  let sdk: Promise<Sdk> | undefined
  const load = () => (sdk ??= import('@aws-sdk/client-apigatewayv2'))
  const call = async <T>(ctx: AwsErrorContext, make: (m: Sdk) => object): Promise<T> => {
    const [m, client] = await Promise.all([load(), clients.apiGatewayV2()])
    try {
      return (await scheduler.run(ctx.operation, () => client.send(make(m) as never))) as T
    } catch (error) {
      throw mapAwsError(error, ctx)
    }
  }
  const api = (id: string) => `HTTP API ${id}`
  const pages = async <T>(ctx: AwsErrorContext, make: (m: Sdk, next: string | undefined) => object): Promise<T[]> => {
    const out: T[] = []
    let next: string | undefined
    do {
      const page = await call<{Items?: T[]; NextToken?: string}>(ctx, (m) => make(m, next))
      out.push(...(page.Items ?? []))
      next = page.NextToken
    } while (next)
    return out
  }
  return {
    listApis: () => pages<Api>({operation: 'GetApis'}, (m, NextToken) => new m.GetApisCommand({MaxResults: '500', NextToken})),
    importApi: (body, failOnWarnings) =>
      call({operation: 'ImportApi'}, (m) => new m.ImportApiCommand({Body: body, FailOnWarnings: failOnWarnings})),
    reimportApi: (apiId, body, failOnWarnings) =>
      call(
        {operation: 'ReimportApi', resource: api(apiId)},
        (m) => new m.ReimportApiCommand({ApiId: apiId, Body: body, FailOnWarnings: failOnWarnings}),
      ),
    async tagResource(arn, tags) {
      await call({operation: 'TagResource', resource: arn}, (m) => new m.TagResourceCommand({ResourceArn: arn, Tags: tags}))
    },
    createDeployment: (apiId, description) =>
      call(
        {operation: 'CreateDeployment', resource: api(apiId)},
        (m) => new m.CreateDeploymentCommand({ApiId: apiId, Description: description}),
      ),
    updateDeployment: (apiId, deploymentId, description) =>
      call(
        {operation: 'UpdateDeployment', resource: `deployment ${deploymentId} of ${api(apiId)}`},
        (m) => new m.UpdateDeploymentCommand({ApiId: apiId, DeploymentId: deploymentId, Description: description}),
      ),
    listDeployments: (apiId) =>
      pages<Deployment>(
        {operation: 'GetDeployments', resource: api(apiId)},
        (m, NextToken) => new m.GetDeploymentsCommand({ApiId: apiId, MaxResults: '500', NextToken}),
      ),
    getStages: (apiId) =>
      pages<Stage>(
        {operation: 'GetStages', resource: api(apiId)},
        (m, NextToken) => new m.GetStagesCommand({ApiId: apiId, MaxResults: '500', NextToken}),
      ),
    async getStage(apiId, stageName) {
      try {
        return await call<Stage>(
          {operation: 'GetStage', resource: `stage ${stageName} of ${api(apiId)}`},
          (m) => new m.GetStageCommand({ApiId: apiId, StageName: stageName}),
        )
      } catch (error) {
        if ((error as {code?: string}).code === 'AWS_NOT_FOUND') return undefined
        throw error
      }
    },
    createStage: (input) => call({operation: 'CreateStage', resource: `stage ${input.StageName}`}, (m) => new m.CreateStageCommand(input)),
    updateStage: (input) => call({operation: 'UpdateStage', resource: `stage ${input.StageName}`}, (m) => new m.UpdateStageCommand(input)),
    async deleteApi(apiId) {
      await call({operation: 'DeleteApi', resource: api(apiId)}, (m) => new m.DeleteApiCommand({ApiId: apiId}))
    },
    async deleteAccessLogSettings(apiId, stageName) {
      await call(
        {operation: 'DeleteAccessLogSettings', resource: `stage ${stageName} of ${api(apiId)}`},
        (m) => new m.DeleteAccessLogSettingsCommand({ApiId: apiId, StageName: stageName}),
      )
    },
  }
}
