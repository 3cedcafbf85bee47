/**
 * A project for the `apigw keys` tests: a temp dir with apigw.yaml (REST API `pets`, stages dev and prod,
 * usage plans basic→dev, premium→prod, unlinked (no stage) and later (declared, not deployed)), and the
 * emulator holding the API and the deployed plans as `apigw deploy` leaves them (named `pets-<plan>`, tagged).
 */
import {rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {CreateDeploymentCommand, CreateStageCommand, CreateUsagePlanCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {createAwsClients} from '../../src/aws/clients.ts'
import type {Progress} from '../../src/deps.ts'
import {KIND} from '../../src/local/control-plane/model.ts'
import {type UsageDoc, usageId} from '../../src/local/control-plane/v1/usage-plans.ts'
import type {KeysDeps} from '../../src/services/keys/common.ts'
import {startTestEmulator, TEST_CREDENTIALS, type TestEmulator} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'

export const CONFIG = `apis:
  pets:
    type: rest
    spec: openapi.yaml
    stages:
      dev: {}
      prod: {}
    usagePlans:
      basic:
        stages: [dev]
        throttle: {rateLimit: 10, burstLimit: 20}
        quota: {limit: 1000, period: MONTH}
      premium:
        stages: [prod]
        methods:
          GET /pets: {rateLimit: 5, burstLimit: 10}
      unlinked:
        stages: []
      later:
        stages: [dev]
`

export const SPEC = `openapi: 3.0.1
info: {title: pets, version: '1'}
paths:
  /pets:
    get:
      security: [{api_key: []}]
      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'}}
      responses: {'200': {description: ok}}
components:
  securitySchemes:
    api_key: {type: apiKey, name: x-api-key, in: header}
`

export type KeysWorld = {
  t: TestEmulator
  dir: string
  apiId: string
  plans: Record<'basic' | 'premium' | 'unlinked', string>
  /** Lines the services reported (steps, info, warnings), as a terminal would show them. */
  log: string[]
  now: {value: Date}
  deps(): KeysDeps
  /** Record `used` requests of a key in a plan on a day (yyyy-MM-dd), as the data plane would. */
  recordUsage(planId: string, keyId: string, date: string, used: number): void
  close(): Promise<void>
}

export async function keysWorld(): Promise<KeysWorld> {
  const t = await startTestEmulator()
  const dir = tempDir('apigw-keys-')
  writeFileSync(join(dir, 'apigw.yaml'), CONFIG)
  writeFileSync(join(dir, 'openapi.yaml'), SPEC)
  const api = await t.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(SPEC), failOnWarnings: false}))
  const apiId = api.id!
  await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev'}))
  const dep = await t.v1.send(new CreateDeploymentCommand({restApiId: apiId}))
  await t.v1.send(new CreateStageCommand({restApiId: apiId, stageName: 'prod', deploymentId: dep.id!}))
  const plan = async (key: string, stage: string | undefined, throttle?: Record<string, {rateLimit: number; burstLimit: number}>) =>
    (
      await t.v1.send(
        new CreateUsagePlanCommand({
          name: `pets-${key}`,
          apiStages: stage ? [{apiId, stage, throttle}] : [],
          // As CONFIG declares it: basic has a monthly quota.
          ...(key === 'basic' ? {quota: {limit: 1000, period: 'MONTH' as const}} : {}),
          tags: {'apigw:api': 'pets', 'apigw:usage-plan': key},
        }),
      )
    ).id!
  const plans = {
    basic: await plan('basic', 'dev'),
    premium: await plan('premium', 'prod', {'/pets/GET': {rateLimit: 5, burstLimit: 10}}),
    unlinked: await plan('unlinked', undefined),
  }
  const log: string[] = []
  const progress: Progress = {
    step: async (title, fn) => {
      log.push(`• ${title}`)
      return fn()
    },
    info: (m) => log.push(m),
    warn: (m) => log.push(`Warning: ${m}`),
  }
  // The emulator stamps keys with the real clock; the services' clock starts there and tests move it on.
  const now = {value: new Date(Math.floor(Date.now() / 1000) * 1000)}
  const made: Array<ReturnType<typeof createAwsClients>> = []
  return {
    t,
    dir,
    apiId,
    plans,
    log,
    now,
    deps() {
      const aws = createAwsClients({endpoint: t.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1}, true)
      made.push(aws)
      return {aws, clock: () => now.value, progress, interactive: false, cwd: dir}
    },
    recordUsage(planId, keyId, date, used) {
      const doc: UsageDoc = {usagePlanId: planId, keyId, day: date, used}
      t.emulator.store.put(KIND.usage, usageId(planId, keyId, date), doc, planId)
    },
    async close() {
      for (const m of made) m.destroy()
      await t.close()
      rmSync(dir, {recursive: true, force: true})
    },
  }
}
