/** TagResource, UntagResource and GetTags on v1 ARNs through the SDK v3 client against the emulator. */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  GetApiKeyCommand,
  GetTagsCommand,
  GetUsagePlanCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-api-gateway'
import {childId, KIND} from '../../src/local/control-plane/model.ts'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type SdkError = Error & {$metadata?: {httpStatusCode?: number}}
type Tagged = {tags?: Record<string, string>}

describe('tags on v1 resources (wire)', () => {
  let t: TestEmulator
  const apiId = 'tagapi0001'
  before(async () => {
    t = await startTestEmulator({region: 'eu-west-1'})
    // A REST API with a stage, seeded straight into the store (CreateRestApi/CreateStage are another module's work)
    t.emulator.store.put(KIND.restApi, apiId, {
      id: apiId,
      name: 'tags',
      createdDate: 0,
      endpointConfiguration: {types: ['EDGE']},
      disableExecuteApiEndpoint: false,
      rootResourceId: 'r',
    })
    t.emulator.store.put(KIND.stage, childId(apiId, 'dev'), {stageName: 'dev', deploymentId: 'd'}, apiId)
  })
  after(async () => {
    await t.close()
  })

  const arn = (path: string): string => `arn:aws:apigateway:eu-west-1::${path}`

  const targets: Array<{what: string; make: () => Promise<{path: string; read: () => Tagged | undefined | Promise<Tagged>}>}> = [
    {what: 'a REST API', make: async () => ({path: `/restapis/${apiId}`, read: () => t.emulator.store.get<Tagged>(KIND.restApi, apiId)})},
    {
      what: 'a stage',
      make: async () => ({
        path: `/restapis/${apiId}/stages/dev`,
        read: () => t.emulator.store.get<Tagged>(KIND.stage, childId(apiId, 'dev')),
      }),
    },
    {
      what: 'an API key',
      make: async () => {
        const key = await t.v1.send(new CreateApiKeyCommand({name: 'tagged', tags: {created: 'yes'}}))
        return {path: `/apikeys/${key.id}`, read: () => t.v1.send(new GetApiKeyCommand({apiKey: key.id!}))}
      },
    },
    {
      what: 'a usage plan',
      make: async () => {
        const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'tagged', tags: {created: 'yes'}}))
        return {path: `/usageplans/${plan.id}`, read: () => t.v1.send(new GetUsagePlanCommand({usagePlanId: plan.id!}))}
      },
    },
  ]
  for (const target of targets) {
    it(`tags, lists and untags ${target.what}, keeping the tags inside its document`, async () => {
      // Given the resource
      const {path, read} = await target.make()
      const before = (await read())?.tags ?? {}
      // When two tags are added and one removed
      const tagged = await t.v1.send(new TagResourceCommand({resourceArn: arn(path), tags: {'apigw:api': 'pets', team: 'core'}}))
      assert.equal(tagged.$metadata.httpStatusCode, 204)
      const untagged = await t.v1.send(new UntagResourceCommand({resourceArn: arn(path), tagKeys: ['team']}))
      assert.equal(untagged.$metadata.httpStatusCode, 204)
      // Then GetTags and the document itself carry the remaining tags next to the earlier ones
      const expected = {...before, 'apigw:api': 'pets'}
      assert.deepEqual((await t.v1.send(new GetTagsCommand({resourceArn: arn(path)}))).tags, expected)
      assert.deepEqual((await read())?.tags, expected)
    })
  }

  it('answers GetTags with an empty map for a resource without tags', async () => {
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'untagged'}))
    assert.deepEqual((await t.v1.send(new GetTagsCommand({resourceArn: arn(`/apikeys/${key.id}`)}))).tags, {})
  })

  const refused: Array<{why: string; resourceArn: string; code: string; status: number; message: RegExp}> = [
    {
      why: 'a malformed ARN',
      resourceArn: 'not-an-arn',
      code: 'BadRequestException',
      status: 400,
      message: /^Invalid ARN specified in the request$/,
    },
    {
      why: 'an unknown REST API',
      resourceArn: arn('/restapis/nosuchapi0'),
      code: 'NotFoundException',
      status: 404,
      message: /^Invalid API identifier specified/,
    },
    {
      why: 'an unknown stage',
      resourceArn: arn(`/restapis/${apiId}/stages/nope`),
      code: 'NotFoundException',
      status: 404,
      message: /Stage identifier/,
    },
    {
      why: 'an unknown API key',
      resourceArn: arn('/apikeys/nosuchkey0'),
      code: 'NotFoundException',
      status: 404,
      message: /^Invalid API Key identifier specified$/,
    },
    {
      why: 'an unknown usage plan',
      resourceArn: arn('/usageplans/nosuch'),
      code: 'NotFoundException',
      status: 404,
      message: /^Invalid Usage Plan ID specified$/,
    },
    {
      why: 'a resource type the emulator has not',
      resourceArn: arn('/domainnames/example.com'),
      code: 'NotFoundException',
      status: 404,
      message: /cannot be tagged/,
    },
  ]
  for (const r of refused) {
    it(`refuses ${r.why}`, async () => {
      await assert.rejects(t.v1.send(new GetTagsCommand({resourceArn: r.resourceArn})), (e: SdkError) => {
        assert.equal(e.name, r.code)
        assert.equal(e.$metadata?.httpStatusCode, r.status)
        assert.match(e.message, r.message)
        return true
      })
    })
  }

  it('refuses reserved aws: keys and more than 50 tags', async () => {
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'limits'}))
    const resourceArn = arn(`/apikeys/${key.id}`)
    await assert.rejects(t.v1.send(new TagResourceCommand({resourceArn, tags: {'aws:x': '1'}})), {name: 'BadRequestException'})
    const many = Object.fromEntries(Array.from({length: 51}, (_, i) => [`k${i}`, 'v']))
    await assert.rejects(t.v1.send(new TagResourceCommand({resourceArn, tags: many})), {name: 'BadRequestException'})
    assert.deepEqual((await t.v1.send(new GetTagsCommand({resourceArn}))).tags, {})
  })

  it('accepts an ARN whose slashes are not percent-encoded', async () => {
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'raw-arn', tags: {a: 'b'}}))
    const res = await fetch(`${t.url}/tags/arn:aws:apigateway:eu-west-1::/apikeys/${key.id}`, {headers: SIGNED})
    assert.equal(res.status, 200)
    assert.deepEqual(await res.json(), {tags: {a: 'b'}})
  })
})
