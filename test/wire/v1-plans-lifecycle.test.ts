/**
 * A usage plan lifecycle on an API built through the SDK (ImportRestApi, CreateDeployment with a stage), the
 * way `apigw deploy` and `apigw keys` will drive it (issue 5): plan on the stage, key created and attached,
 * stage tagged, plan refused deletion while linked, then unlinked and deleted.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiKeyCommand,
  CreateDeploymentCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanCommand,
  GetStageCommand,
  GetTagsCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  ImportRestApiCommand,
  TagResourceCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type SdkError = Error & {$metadata?: {httpStatusCode?: number}}

const SPEC = {
  openapi: '3.0.1',
  info: {title: 'plans-lifecycle', version: '1'},
  paths: {
    '/pets': {
      get: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'mock', requestTemplates: {'application/json': '{"statusCode": 200}'}},
      },
    },
  },
}

describe('usage plan lifecycle on an imported and deployed API', () => {
  let t: TestEmulator
  let apiId: string
  before(async () => {
    t = await startTestEmulator()
    // Given an API imported and deployed to prod through the SDK
    const api = await t.v1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(SPEC))}))
    apiId = api.id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'prod'}))
  })
  after(async () => {
    await t.close()
  })

  it('links a plan, a key and the stage, and unwinds them in AWS order', async () => {
    // When a plan is created on prod with a per-method throttle, and a tagged key is attached
    const plan = await t.v1.send(
      new CreateUsagePlanCommand({
        name: 'basic',
        apiStages: [{apiId, stage: 'prod', throttle: {'/pets/GET': {rateLimit: 1, burstLimit: 2}}}],
        throttle: {rateLimit: 10, burstLimit: 20},
        quota: {limit: 10000, period: 'MONTH'},
        tags: {'apigw:api': 'pets'},
      }),
    )
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'client-1', enabled: true, tags: {'apigw:key': 'client'}}))
    await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    const stageArn = `arn:aws:apigateway:us-east-1::/restapis/${apiId}/stages/prod`
    await t.v1.send(new TagResourceCommand({resourceArn: stageArn, tags: {'apigw:api': 'pets'}}))

    // Then the plan is found by key, lists the key, and the stage carries its tag
    const plans = await t.v1.send(new GetUsagePlansCommand({keyId: key.id!}))
    assert.deepEqual(
      plans.items?.map((p) => [p.id, p.apiStages?.[0]?.throttle]),
      [[plan.id, {'/pets/GET': {rateLimit: 1, burstLimit: 2}}]],
    )
    const keys = await t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id!}))
    assert.deepEqual(
      keys.items?.map((k) => k.name),
      ['client-1'],
    )
    assert.deepEqual((await t.v1.send(new GetStageCommand({restApiId: apiId, stageName: 'prod'}))).tags, {'apigw:api': 'pets'})
    assert.deepEqual((await t.v1.send(new GetTagsCommand({resourceArn: stageArn}))).tags, {'apigw:api': 'pets'})

    // When the plan is deleted while linked to the stage, Then AWS's refusal
    await assert.rejects(t.v1.send(new DeleteUsagePlanCommand({usagePlanId: plan.id!})), (e: SdkError) => {
      assert.equal(e.name, 'BadRequestException')
      assert.equal(
        e.message,
        `Cannot delete Usage Plan ${plan.id} because there are API Stages associated with it, including ${apiId}:prod`,
      )
      return true
    })
    // When the key is disabled, the stage removed and the plan deleted, Then each step succeeds
    await t.v1.send(new UpdateApiKeyCommand({apiKey: key.id!, patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]}))
    await t.v1.send(
      new UpdateUsagePlanCommand({usagePlanId: plan.id!, patchOperations: [{op: 'remove', path: '/apiStages', value: `${apiId}:prod`}]}),
    )
    const deleted = await t.v1.send(new DeleteUsagePlanCommand({usagePlanId: plan.id!}))
    assert.equal(deleted.$metadata.httpStatusCode, 202)
    assert.deepEqual((await t.v1.send(new GetUsagePlansCommand({keyId: key.id!}))).items, [])
  })
})
