/**
 * The narrow port over API Gateway v1 (REST APIs): only the operations apigw uses, pagination inside,
 * every call through the scheduler, every SDK error turned into a CliError (src/aws/errors.ts).
 */
import type {
  CreateDeploymentCommandInput,
  CreateStageCommandInput,
  CreateUsagePlanCommandInput,
  Deployment,
  DocumentationVersion,
  PatchOperation,
  RestApi,
  Stage,
  UsagePlan,
} from '@aws-sdk/client-api-gateway'
import type {AwsClients} from './clients.ts'
import {type AwsErrorContext, mapAwsError} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

export type {CacheClusterSize, QuotaPeriodType} from '@aws-sdk/client-api-gateway'
export type {Deployment, DocumentationVersion, PatchOperation, RestApi, Stage, UsagePlan}

export type ImportOptions = {body: Uint8Array; failOnWarnings: boolean; mode?: 'overwrite' | 'merge'; endpointType?: string}

export type ApiGatewayPort = {
  listRestApis(): Promise<RestApi[]>
  importRestApi(options: ImportOptions): Promise<RestApi>
  putRestApi(restApiId: string, options: ImportOptions): Promise<RestApi>
  updateRestApi(restApiId: string, patchOperations: PatchOperation[]): Promise<RestApi>
  tagResource(arn: string, tags: Record<string, string>): Promise<void>
  createDeployment(input: CreateDeploymentCommandInput): Promise<Deployment>
  listDeployments(restApiId: string): Promise<Deployment[]>
  getStages(restApiId: string): Promise<Stage[]>
  /** The stage, or undefined when it does not exist. */
  getStage(restApiId: string, stageName: string): Promise<Stage | undefined>
  createStage(input: CreateStageCommandInput): Promise<Stage>
  updateStage(restApiId: string, stageName: string, patchOperations: PatchOperation[]): Promise<Stage>
  listUsagePlans(): Promise<UsagePlan[]>
  createUsagePlan(input: CreateUsagePlanCommandInput): Promise<UsagePlan>
  updateUsagePlan(usagePlanId: string, patchOperations: PatchOperation[]): Promise<UsagePlan>
  deleteUsagePlan(usagePlanId: string): Promise<void>
  /** Only for a copy this run just made and lost a creation race with (deploy). */
  deleteRestApi(restApiId: string): Promise<void>
  listDocumentationVersions(restApiId: string): Promise<DocumentationVersion[]>
  /** A documentation version made from the API's current parts, and the stage pointed at it when named. */
  createDocumentationVersion(input: {
    restApiId: string
    documentationVersion: string
    stageName?: string | undefined
    description?: string | undefined
  }): Promise<DocumentationVersion>
}

type Sdk = typeof import('@aws-sdk/client-api-gateway')

export function createApiGatewayPort(clients: AwsClients, scheduler: Scheduler = passThrough): ApiGatewayPort {
  let sdk: Promise<Sdk> | undefined
  const load = () => (sdk ??= import('@aws-sdk/client-api-gateway'))
  const call = async <T>(ctx: AwsErrorContext, make: (m: Sdk) => object): Promise<T> => {
    const [m, client] = await Promise.all([load(), clients.apiGateway()])
    try {
      return (await scheduler.run(ctx.operation, () => client.send(make(m) as never))) as T
    } catch (error) {
      throw mapAwsError(error, ctx)
    }
  }
  const api = (id: string) => `REST API ${id}`
  return {
    async listRestApis() {
      const out: RestApi[] = []
      let position: string | undefined
      do {
        const page = await call<{items?: RestApi[]; position?: string}>(
          {operation: 'GetRestApis'},
          (m) => new m.GetRestApisCommand({limit: 500, position}),
        )
        out.push(...(page.items ?? []))
        position = page.position
      } while (position)
      return out
    },
    importRestApi: (o) =>
      call(
        {operation: 'ImportRestApi'},
        (m) =>
          new m.ImportRestApiCommand({
            body: o.body,
            failOnWarnings: o.failOnWarnings,
            parameters: o.endpointType ? {endpointConfigurationTypes: o.endpointType} : undefined,
          }),
      ),
    putRestApi: (restApiId, o) =>
      call(
        {operation: 'PutRestApi', resource: api(restApiId)},
        (m) => new m.PutRestApiCommand({restApiId, body: o.body, mode: o.mode ?? 'overwrite', failOnWarnings: o.failOnWarnings}),
      ),
    updateRestApi: (restApiId, patchOperations) =>
      call({operation: 'UpdateRestApi', resource: api(restApiId)}, (m) => new m.UpdateRestApiCommand({restApiId, patchOperations})),
    async tagResource(resourceArn, tags) {
      await call({operation: 'TagResource', resource: resourceArn}, (m) => new m.TagResourceCommand({resourceArn, tags}))
    },
    createDeployment: (input) =>
      call({operation: 'CreateDeployment', resource: api(input.restApiId ?? '')}, (m) => new m.CreateDeploymentCommand(input)),
    async listDeployments(restApiId) {
      const out: Deployment[] = []
      let position: string | undefined
      do {
        const page = await call<{items?: Deployment[]; position?: string}>(
          {operation: 'GetDeployments', resource: api(restApiId)},
          (m) => new m.GetDeploymentsCommand({restApiId, limit: 500, position}),
        )
        out.push(...(page.items ?? []))
        position = page.position
      } while (position)
      return out
    },
    async getStages(restApiId) {
      const page = await call<{item?: Stage[]}>(
        {operation: 'GetStages', resource: api(restApiId)},
        (m) => new m.GetStagesCommand({restApiId}),
      )
      return page.item ?? []
    },
    async getStage(restApiId, stageName) {
      try {
        return await call<Stage>(
          {operation: 'GetStage', resource: `stage ${stageName} of ${api(restApiId)}`},
          (m) => new m.GetStageCommand({restApiId, stageName}),
        )
      } catch (error) {
        if ((error as {code?: string}).code === 'AWS_NOT_FOUND') return undefined
        throw error
      }
    },
    createStage: (input) => call({operation: 'CreateStage', resource: `stage ${input.stageName}`}, (m) => new m.CreateStageCommand(input)),
    updateStage: (restApiId, stageName, patchOperations) =>
      call(
        {operation: 'UpdateStage', resource: `stage ${stageName} of ${api(restApiId)}`},
        (m) => new m.UpdateStageCommand({restApiId, stageName, patchOperations}),
      ),
    async listUsagePlans() {
      const out: UsagePlan[] = []
      let position: string | undefined
      do {
        const page = await call<{items?: UsagePlan[]; position?: string}>(
          {operation: 'GetUsagePlans'},
          (m) => new m.GetUsagePlansCommand({limit: 500, position}),
        )
        out.push(...(page.items ?? []))
        position = page.position
      } while (position)
      return out
    },
    createUsagePlan: (input) =>
      call({operation: 'CreateUsagePlan', resource: `usage plan ${input.name}`}, (m) => new m.CreateUsagePlanCommand(input)),
    updateUsagePlan: (usagePlanId, patchOperations) =>
      call(
        {operation: 'UpdateUsagePlan', resource: `usage plan ${usagePlanId}`},
        (m) => new m.UpdateUsagePlanCommand({usagePlanId, patchOperations}),
      ),
    async deleteRestApi(restApiId) {
      await call({operation: 'DeleteRestApi', resource: `REST API ${restApiId}`}, (m) => new m.DeleteRestApiCommand({restApiId}))
    },
    async deleteUsagePlan(usagePlanId) {
      await call({operation: 'DeleteUsagePlan', resource: `usage plan ${usagePlanId}`}, (m) => new m.DeleteUsagePlanCommand({usagePlanId}))
    },
    async listDocumentationVersions(restApiId) {
      const out: DocumentationVersion[] = []
      let position: string | undefined
      do {
        const page = await call<{items?: DocumentationVersion[]; position?: string}>(
          {operation: 'GetDocumentationVersions', resource: api(restApiId)},
          (m) => new m.GetDocumentationVersionsCommand({restApiId, limit: 500, position}),
        )
        out.push(...(page.items ?? []))
        position = page.position
      } while (position)
      return out
    },
    createDocumentationVersion: (input) =>
      call(
        {
          operation: 'CreateDocumentationVersion',
          resource: `documentation version ${input.documentationVersion} of ${api(input.restApiId)}`,
        },
        (m) => new m.CreateDocumentationVersionCommand(input),
      ),
  }
}
