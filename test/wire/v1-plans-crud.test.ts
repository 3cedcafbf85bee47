/** Usage plans, usage plan keys and GetUsage through the SDK v3 client, beyond the recorded cases (v1-keys-replay). */
import assert from 'node:assert/strict'
import {randomUUID} from 'node:crypto'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetUsageCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeyCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  type PatchOperation,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {childId, KIND} from '../../src/local/control-plane/model.ts'
import {type UsageDoc, usageId} from '../../src/local/control-plane/v1/usage-plans.ts'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'

describe('usage plans (wire)', () => {
  let t: TestEmulator
  let apiId: string
  before(async () => {
    t = await startTestEmulator()
    // A REST API with stages dev and prod, seeded straight into the store (CreateStage is another module's work)
    apiId = `pl${randomUUID().slice(0, 8)}`
    t.emulator.store.put(KIND.restApi, apiId, {
      id: apiId,
      name: 'plans',
      createdDate: 0,
      endpointConfiguration: {types: ['EDGE']},
      disableExecuteApiEndpoint: false,
      rootResourceId: 'r',
    })
    for (const stageName of ['dev', 'prod'])
      t.emulator.store.put(KIND.stage, childId(apiId, stageName), {stageName, deploymentId: 'd'}, apiId)
  })
  after(async () => {
    await t.close()
  })

  const patch = (usagePlanId: string, patchOperations: PatchOperation[]) =>
    t.v1.send(new UpdateUsagePlanCommand({usagePlanId, patchOperations}))

  it('refuses unknown API stages on CreateUsagePlan the way AWS does', async () => {
    // An unknown API: NotFoundException; a missing stage or empty member: AWS's unformatted %s message
    await rejectsWith(t.v1.send(new CreateUsagePlanCommand({name: 'x', apiStages: [{apiId: 'nosuchapi0', stage: 'dev'}]})), {
      name: 'NotFoundException',
      status: 404,
      message: /^Invalid API identifier specified/,
    })
    for (const apiStages of [[{apiId, stage: 'nope'}], [{apiId: '', stage: 'dev'}], [{apiId, stage: ''}]]) {
      await rejectsWith(t.v1.send(new CreateUsagePlanCommand({name: 'x', apiStages})), {
        name: 'BadRequestException',
        status: 400,
        message: 'Invalid API Stage {api: %s, stage: %s} specified for usageplan %s',
      })
    }
  })

  it('refuses a quota period outside DAY, WEEK, MONTH with a Coral validation message', async () => {
    await rejectsWith(t.v1.send(new CreateUsagePlanCommand({name: 'q', quota: {limit: 1, period: 'YEAR' as 'DAY'}})), {
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value 'YEAR' at 'createUsagePlanInput.quota.period' failed to satisfy constraint: Member must satisfy enum value set: [WEEK, DAY, MONTH]",
    })
  })

  it('adds and removes API stages, and sets and removes per-method throttles', async () => {
    // Given a plan on dev
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'stages', apiStages: [{apiId, stage: 'dev'}]}))
    // When prod is added and GET /pets/{id} on dev gets a throttle
    await patch(plan.id!, [{op: 'add', path: '/apiStages', value: `${apiId}:prod`}])
    const throttled = await patch(plan.id!, [
      {op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1pets~1{id}/GET/rateLimit`, value: '5.5'},
      {op: 'replace', path: `/apiStages/${apiId}:dev/throttle/~1pets~1{id}/GET/burstLimit`, value: '10'},
      {op: 'add', path: `/apiStages/${apiId}:dev/throttle/~1pets/POST/burstLimit`, value: '3'},
    ])
    // Then both stages are listed and the throttle map is keyed by resource path and method
    assert.deepEqual(throttled.apiStages, [
      {apiId, stage: 'dev', throttle: {'/pets/{id}/GET': {rateLimit: 5.5, burstLimit: 10}, '/pets/POST': {burstLimit: 3}}},
      {apiId, stage: 'prod'},
    ])
    // When one method throttle, then all of dev's, then the prod stage are removed
    await patch(plan.id!, [{op: 'remove', path: `/apiStages/${apiId}:dev/throttle/~1pets/POST`}])
    const one = await t.v1.send(new GetUsagePlanCommand({usagePlanId: plan.id!}))
    assert.deepEqual(Object.keys(one.apiStages?.[0]?.throttle ?? {}), ['/pets/{id}/GET'])
    await patch(plan.id!, [{op: 'remove', path: `/apiStages/${apiId}:dev/throttle`}])
    const final = await patch(plan.id!, [{op: 'remove', path: '/apiStages', value: `${apiId}:prod`}])
    assert.deepEqual(final.apiStages, [{apiId, stage: 'dev'}])
    // And a throttle on a stage outside the plan is the recorded NotFound
    await rejectsWith(patch(plan.id!, [{op: 'replace', path: `/apiStages/${apiId}:prod/throttle/~1pets/GET/rateLimit`, value: '1'}]), {
      name: 'NotFoundException',
      status: 404,
      message: `Invalid API Stage {api: ${apiId}, stage: prod} specified for usageplan ${plan.id}`,
    })
  })

  it('replaces and removes name, description, throttle, quota and productCode', async () => {
    const plan = await t.v1.send(
      new CreateUsagePlanCommand({name: 'members', throttle: {rateLimit: 1, burstLimit: 2}, quota: {limit: 5, period: 'WEEK'}}),
    )
    assert.deepEqual(plan.quota, {limit: 5, offset: 0, period: 'WEEK'})
    const updated = await patch(plan.id!, [
      {op: 'replace', path: '/name', value: 'renamed'},
      {op: 'replace', path: '/description', value: 'described'},
      {op: 'replace', path: '/quota/offset', value: '2'},
      {op: 'replace', path: '/productCode', value: 'prod-code'},
    ])
    assert.equal(updated.name, 'renamed')
    assert.equal(updated.description, 'described')
    assert.equal(updated.quota?.offset, 2)
    assert.equal(updated.productCode, 'prod-code')
    const removed = await patch(plan.id!, [
      {op: 'remove', path: '/throttle'},
      {op: 'remove', path: '/quota'},
      {op: 'remove', path: '/productCode'},
    ])
    assert.equal(removed.throttle, undefined)
    assert.equal(removed.quota, undefined)
    assert.equal(removed.productCode, undefined)
  })

  const badPatches: Array<{why: string; op: PatchOperation; code: string; message: string | RegExp}> = [
    {
      why: 'remove of a member that cannot be removed',
      op: {op: 'remove', path: '/name'},
      code: 'BadRequestException',
      message:
        "Invalid patch path  '/name' specified for op 'remove'. Must be one of: [/apiStages, /quota, /throttle, /productCode, /apiStages/<apidId:stageName>/throttle/<resourcePath>/<httpMethod>, /apiStages/<apidId:stageName>/throttle]",
    },
    {
      why: 'replace of an unknown path',
      op: {op: 'replace', path: '/id', value: 'x'},
      code: 'BadRequestException',
      message: /^Invalid patch path {2}'\/id' specified for op 'replace'. Must be one of: \[\/name, /,
    },
    {
      why: 'a non-numeric limit',
      op: {op: 'replace', path: '/throttle/burstLimit', value: 'lots'},
      code: 'BadRequestException',
      message: /lots/,
    },
    {
      why: 'a copy operation',
      op: {op: 'copy', path: '/name', from: '/description'},
      code: 'BadRequestException',
      message: "Invalid patch operation specified. Must be 'add'|'remove'|'replace'",
    },
  ]
  for (const b of badPatches) {
    it(`refuses ${b.why} and leaves the plan unchanged`, async () => {
      const plan = await t.v1.send(new CreateUsagePlanCommand({name: `bad-${b.why}`}))
      await rejectsWith(patch(plan.id!, [{op: 'replace', path: '/description', value: 'first'}, b.op]), {
        name: b.code,
        status: 400,
        message: b.message,
      })
      assert.equal((await t.v1.send(new GetUsagePlanCommand({usagePlanId: plan.id!}))).description, undefined)
    })
  }

  it('refuses DeleteUsagePlan while API stages are attached, then deletes with 202', async () => {
    // Given a plan on dev with a key
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'to-delete', apiStages: [{apiId, stage: 'dev'}]}))
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'to-delete-key'}))
    await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    // When deleted with the stage attached, Then AWS's message
    await rejectsWith(t.v1.send(new DeleteUsagePlanCommand({usagePlanId: plan.id!})), {
      name: 'BadRequestException',
      status: 400,
      message: `Cannot delete Usage Plan ${plan.id} because there are API Stages associated with it, including ${apiId}:dev`,
    })
    // When the stage is removed first, Then 202 and the plan and its key links are gone
    await patch(plan.id!, [{op: 'remove', path: '/apiStages', value: `${apiId}:dev`}])
    const res = await t.v1.send(new DeleteUsagePlanCommand({usagePlanId: plan.id!}))
    assert.equal(res.$metadata.httpStatusCode, 202)
    await rejectsWith(t.v1.send(new GetUsagePlanCommand({usagePlanId: plan.id!})), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Usage Plan ID specified',
    })
    assert.equal(t.emulator.store.count(KIND.usagePlanKey, plan.id!), 0)
  })

  it('filters GetUsagePlans by keyId', async () => {
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'filter-key'}))
    const inPlan = await t.v1.send(new CreateUsagePlanCommand({name: 'with-key'}))
    await t.v1.send(new CreateUsagePlanCommand({name: 'without-key'}))
    await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: inPlan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    const plans = await t.v1.send(new GetUsagePlansCommand({keyId: key.id!}))
    assert.deepEqual(
      plans.items?.map((p) => p.name),
      ['with-key'],
    )
  })
})

describe('usage plan keys (wire)', () => {
  let t: TestEmulator
  let apiId: string
  before(async () => {
    t = await startTestEmulator()
    apiId = `pk${randomUUID().slice(0, 8)}`
    t.emulator.store.put(KIND.restApi, apiId, {
      id: apiId,
      name: 'keys',
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

  it('gets and deletes one usage plan key, then answers NotFound for it', async () => {
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'one'}))
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'one-key'}))
    await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    const got = await t.v1.send(new GetUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!}))
    assert.deepEqual(
      {id: got.id, type: got.type, name: got.name, value: got.value},
      {id: key.id, type: 'API_KEY', name: 'one-key', value: key.value},
    )
    const res = await t.v1.send(new DeleteUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!}))
    assert.equal(res.$metadata.httpStatusCode, 202)
    await rejectsWith(t.v1.send(new GetUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!})), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid API Key identifier specified',
    })
    await rejectsWith(t.v1.send(new GetUsagePlanKeyCommand({usagePlanId: 'nosuch', keyId: key.id!})), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Usage Plan ID specified',
    })
  })

  it('refuses unknown keys and plans, a wrong key type and a second link to the same plan', async () => {
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'refusals'}))
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'refusals-key'}))
    await rejectsWith(t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: 'nosuchkey0', keyType: 'API_KEY'})), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid API Key identifier specified',
    })
    await rejectsWith(t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: 'nosuch', keyId: key.id!, keyType: 'API_KEY'})), {
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid Usage Plan ID specified',
    })
    await rejectsWith(t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'OTHER'})), {
      name: 'BadRequestException',
      status: 400,
      message: /Invalid key type/,
    })
    await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    await rejectsWith(t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'})), {
      name: 'ConflictException',
      status: 409,
    })
  })

  it('refuses one key in two plans that share an API stage', async () => {
    const a = await t.v1.send(new CreateUsagePlanCommand({name: 'shared-a', apiStages: [{apiId, stage: 'dev'}]}))
    const b = await t.v1.send(new CreateUsagePlanCommand({name: 'shared-b', apiStages: [{apiId, stage: 'dev'}]}))
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'shared-key'}))
    await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: a.id!, keyId: key.id!, keyType: 'API_KEY'}))
    await rejectsWith(t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: b.id!, keyId: key.id!, keyType: 'API_KEY'})), {
      name: 'ConflictException',
      status: 409,
      message: `Usage Plan ${b.id} cannot be added because API Key ${key.id} cannot reference multiple Usage Plans with the same API Stage: ${apiId}:dev`,
    })
  })

  it('lets a key into at most 10 usage plans', async () => {
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'ten-plans'}))
    for (let i = 0; i < 10; i++) {
      const plan = await t.v1.send(new CreateUsagePlanCommand({name: `ten-${i}`}))
      await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    }
    const eleventh = await t.v1.send(new CreateUsagePlanCommand({name: 'ten-10'}))
    await rejectsWith(t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: eleventh.id!, keyId: key.id!, keyType: 'API_KEY'})), {
      name: 'LimitExceededException',
      status: 429,
      message: /10 usage plans/,
    })
    assert.equal((await t.v1.send(new GetUsagePlansCommand({keyId: key.id!}))).items?.length, 10)
  })

  it('pages usage plan keys with limit and position', async () => {
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'paged'}))
    for (let i = 0; i < 3; i++) {
      const key = await t.v1.send(new CreateApiKeyCommand({name: `paged-${i}`}))
      await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    }
    const first = await t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id!, limit: 2}))
    const second = await t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id!, limit: 2, position: first.position}))
    assert.deepEqual(
      [...(first.items ?? []), ...(second.items ?? [])].map((k) => k.name),
      ['paged-2', 'paged-1', 'paged-0'],
    )
    assert.equal(second.position, undefined)
  })
})

describe('GetUsage (wire)', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  it('answers one [used, remaining] pair per day and key: zeros until the data plane records usage', async () => {
    // Given a plan with a daily quota of 100 and two keys, and usage the data plane recorded for one key on one day
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'usage', quota: {limit: 100, period: 'DAY'}}))
    const keys = []
    for (const name of ['u1', 'u2']) {
      const key = await t.v1.send(new CreateApiKeyCommand({name}))
      await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
      keys.push(key.id!)
    }
    const doc: UsageDoc = {usagePlanId: plan.id!, keyId: keys[0]!, day: '2026-03-02', used: 7}
    t.emulator.store.put(KIND.usage, usageId(plan.id!, keys[0]!, '2026-03-02'), doc, plan.id!)
    // When usage is asked for three days
    const usage = await t.v1.send(new GetUsageCommand({usagePlanId: plan.id!, startDate: '2026-03-01', endDate: '2026-03-03'}))
    // Then the wire `values` map (SDK items) holds every key, one pair per day
    assert.equal(usage.usagePlanId, plan.id)
    assert.equal(usage.startDate, '2026-03-01')
    assert.equal(usage.endDate, '2026-03-03')
    assert.deepEqual(usage.items, {
      [keys[0]!]: [
        [0, 100],
        [7, 93],
        [0, 100],
      ],
      [keys[1]!]: [
        [0, 100],
        [0, 100],
        [0, 100],
      ],
    })
    // And keyId narrows it to one key
    const one = await t.v1.send(
      new GetUsageCommand({usagePlanId: plan.id!, keyId: keys[1]!, startDate: '2026-03-01', endDate: '2026-03-01'}),
    )
    assert.deepEqual(Object.keys(one.items ?? {}), [keys[1]])
    // And on the wire the member is `values`
    const raw = (await (
      await fetch(`${t.url}/usageplans/${plan.id}/usage?startDate=2026-03-01&endDate=2026-03-01`, {headers: SIGNED})
    ).json()) as Record<string, unknown>
    assert.ok('values' in raw && !('items' in raw))
  })

  it('refuses malformed or reversed dates and unknown plans', async () => {
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'dates'}))
    for (const [startDate, endDate] of [
      ['2026-13-01', '2026-13-02'],
      ['03/01/2026', '2026-03-02'],
      ['2026-03-05', '2026-03-01'],
    ]) {
      await rejectsWith(t.v1.send(new GetUsageCommand({usagePlanId: plan.id!, startDate, endDate})), {
        name: 'BadRequestException',
        status: 400,
      })
    }
    await rejectsWith(t.v1.send(new GetUsageCommand({usagePlanId: 'nosuch', startDate: '2026-03-01', endDate: '2026-03-01'})), {
      name: 'NotFoundException',
      status: 404,
    })
  })
})
