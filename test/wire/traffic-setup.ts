/**
 * Shared setup of the traffic tests: an emulator on a clock the test moves, a REST API with keyed and open
 * MOCK methods deployed to `dev` and `prod`, and helpers to make keys and usage plans and to call stages.
 */
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateStageCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  ImportRestApiCommand,
  type QuotaSettings,
  type ThrottleSettings,
} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

/** Monday 2026-01-05 12:00:00 UTC. */
export const T0 = Date.UTC(2026, 0, 5, 12)

const mock = (body: string) => ({
  responses: {'200': {description: 'ok'}},
  'x-amazon-apigateway-integration': {
    type: 'mock',
    requestTemplates: {'application/json': '{"statusCode": 200}'},
    responses: {default: {statusCode: '200', responseTemplates: {'application/json': body}}},
  },
})

export function trafficSpec(title = 'traffic') {
  const keyed = (body: string) => ({...mock(body), security: [{api_key: []}]})
  return {
    openapi: '3.0.1',
    info: {title, version: '1'},
    paths: {
      '/open': {get: mock('{"at":"open"}')},
      '/keyed': {
        get: keyed('{"at":"keyed","keyId":"$context.identity.apiKeyId"}'),
        post: keyed('{"at":"keyed-post"}'),
      },
      '/other': {get: keyed('{"at":"other"}')},
    },
    components: {securitySchemes: {api_key: {type: 'apiKey', name: 'x-api-key', in: 'header'}}},
  }
}

export type TrafficWorld = {
  t: TestEmulator
  apiId: string
  clock: {ms: number}
  /** Call a stage (path style); `key` is sent as x-api-key. */
  call(stage: string, path: string, options?: {key?: string; method?: string; headers?: Record<string, string>}): Promise<Response>
  createKey(value: string, enabled?: boolean): Promise<string>
  createPlan(options: {stages: string[]; throttle?: ThrottleSettings; quota?: QuotaSettings; keys?: string[]}): Promise<string>
  close(): Promise<void>
}

export async function startTrafficWorld(options: {dataDir?: string; spec?: unknown} = {}): Promise<TrafficWorld> {
  const clock = {ms: T0}
  const t = await startTestEmulator({dataDir: options.dataDir, emulator: {now: () => new Date(clock.ms)}})
  const imported = await t.v1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(options.spec ?? trafficSpec()))}))
  const apiId = imported.id!
  const deploymentId = (await t.v1.send(new CreateDeploymentCommand({restApiId: apiId}))).id!
  for (const stageName of ['dev', 'prod']) await t.v1.send(new CreateStageCommand({restApiId: apiId, stageName, deploymentId}))
  return {
    t,
    apiId,
    clock,
    call: (stage, path, o = {}) =>
      fetch(`${t.url}/_aws/execute-api/${apiId}/${stage}${path}`, {
        method: o.method ?? 'GET',
        headers: {...(o.key === undefined ? {} : {'x-api-key': o.key}), ...o.headers},
      }),
    async createKey(value, enabled = true) {
      return (await t.v1.send(new CreateApiKeyCommand({name: `k-${value.slice(0, 8)}`, value, enabled}))).id!
    },
    async createPlan({stages, throttle, quota, keys = []}) {
      const plan = await t.v1.send(
        new CreateUsagePlanCommand({name: `plan-${stages.join('-')}`, apiStages: stages.map((stage) => ({apiId, stage})), throttle, quota}),
      )
      for (const keyId of keys) await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId, keyType: 'API_KEY'}))
      return plan.id!
    },
    close: () => t.close(),
  }
}

/** Send `count` requests with at most `concurrency` in flight; answers the statuses in order. */
export async function burst(count: number, concurrency: number, send: () => Promise<Response>): Promise<number[]> {
  const statuses: number[] = new Array(count)
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const res = await send()
      await res.arrayBuffer()
      statuses[i] = res.status
    }
  }
  await Promise.all(Array.from({length: Math.min(concurrency, count)}, worker))
  return statuses
}

export const countOf = (statuses: number[], status: number): number => statuses.filter((s) => s === status).length
