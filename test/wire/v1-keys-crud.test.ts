/** API keys through the SDK v3 client against the emulator: beyond the recorded cases (v1-keys-replay). */
import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  UpdateApiKeyCommand,
} from '@aws-sdk/client-api-gateway'
import {childId, KIND} from '../../src/local/control-plane/model.ts'
import {MAX_API_KEYS} from '../../src/local/control-plane/v1/api-keys.ts'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'
import {tempDir} from '../helpers/temp.ts'

describe('API keys (wire)', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  it('keeps a given value, shows it only on request, and refuses a second key with the same value', async () => {
    // Given a key created with an explicit value, customer id and description
    const value = 'v'.repeat(20) + 'alue-given-1'
    const created = await t.v1.send(new CreateApiKeyCommand({name: 'given', value, customerId: 'cust-1', description: 'd', enabled: true}))
    assert.equal(created.value, value)
    assert.equal(created.enabled, true)
    // When it is read without and with includeValue
    const plain = await t.v1.send(new GetApiKeyCommand({apiKey: created.id!}))
    const withValue = await t.v1.send(new GetApiKeyCommand({apiKey: created.id!, includeValue: true}))
    // Then the value shows only when asked for, and tags are an empty map
    assert.equal(plain.value, undefined)
    assert.equal(withValue.value, value)
    assert.deepEqual(plain.tags, {})
    assert.equal(plain.customerId, 'cust-1')
    // And a second key with the same value is a 409
    await rejectsWith(t.v1.send(new CreateApiKeyCommand({name: 'dup', value})), {
      name: 'ConflictException',
      status: 409,
      message: 'API Key already exists',
    })
  })

  it('generates a 40-character alphanumeric value when none is given', async () => {
    const created = await t.v1.send(new CreateApiKeyCommand({name: 'generated'}))
    assert.match(created.value ?? '', /^[A-Za-z0-9]{40}$/)
    assert.match(created.id ?? '', /^[a-z0-9]{10}$/)
    assert.ok(created.createdDate instanceof Date)
  })

  it('filters GetApiKeys by customerId and shows values only with includeValues', async () => {
    // Given keys of two customers
    await t.v1.send(new CreateApiKeyCommand({name: 'c-a', customerId: 'alpha'}))
    await t.v1.send(new CreateApiKeyCommand({name: 'c-b', customerId: 'beta'}))
    // When listed by customer
    const alpha = await t.v1.send(new GetApiKeysCommand({customerId: 'alpha'}))
    const alphaValues = await t.v1.send(new GetApiKeysCommand({customerId: 'alpha', includeValues: true}))
    // Then only that customer's key, with its value only when asked for
    assert.deepEqual(
      alpha.items?.map((k) => k.name),
      ['c-a'],
    )
    assert.equal(alpha.items?.[0]?.value, undefined)
    assert.match(alphaValues.items?.[0]?.value ?? '', /^[A-Za-z0-9]{40}$/)
  })

  it('pages with the default limit of 25 and a position until the end', async () => {
    // Given 30 keys with a common prefix
    for (let i = 0; i < 30; i++) await t.v1.send(new CreateApiKeyCommand({name: `page-${String(i).padStart(2, '0')}`}))
    // When paged with the default limit
    const first = await t.v1.send(new GetApiKeysCommand({nameQuery: 'page-'}))
    const second = await t.v1.send(new GetApiKeysCommand({nameQuery: 'page-', position: first.position}))
    // Then 25 then 5, newest first, and no position on the last page
    assert.equal(first.items?.length, 25)
    assert.ok(first.position)
    assert.equal(second.items?.length, 5)
    assert.equal(second.position, undefined)
    assert.equal(first.items?.[0]?.name, 'page-29')
    assert.equal(second.items?.at(-1)?.name, 'page-00')
  })

  it('answers a malformed position with BadRequestException', async () => {
    await rejectsWith(t.v1.send(new GetApiKeysCommand({position: '!!not-a-position'})), {name: 'BadRequestException', status: 400})
  })

  const updates: Array<{what: string; path: string; value: string; check: (k: Record<string, unknown>) => void}> = [
    {what: 'description', path: '/description', value: 'new description', check: (k) => assert.equal(k.description, 'new description')},
    {what: 'enabled', path: '/enabled', value: 'true', check: (k) => assert.equal(k.enabled, true)},
    {what: 'name', path: '/name', value: 'renamed', check: (k) => assert.equal(k.name, 'renamed')},
    {what: 'customerId', path: '/customerId', value: 'cust-9', check: (k) => assert.equal(k.customerId, 'cust-9')},
  ]
  for (const u of updates) {
    it(`UpdateApiKey replaces ${u.what} and persists it`, async () => {
      // Given a key
      const key = await t.v1.send(new CreateApiKeyCommand({name: `upd-${u.what}`}))
      // When the member is replaced
      const updated = await t.v1.send(
        new UpdateApiKeyCommand({apiKey: key.id!, patchOperations: [{op: 'replace', path: u.path, value: u.value}]}),
      )
      // Then the answer and a later GetApiKey both carry it, without the value
      u.check(updated as unknown as Record<string, unknown>)
      assert.equal(updated.value, undefined)
      u.check((await t.v1.send(new GetApiKeyCommand({apiKey: key.id!}))) as unknown as Record<string, unknown>)
    })
  }

  it('refuses add and remove on key members, and unknown patch ops in Coral form', async () => {
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'ops'}))
    await rejectsWith(t.v1.send(new UpdateApiKeyCommand({apiKey: key.id!, patchOperations: [{op: 'add', path: '/name', value: 'x'}]})), {
      name: 'BadRequestException',
      status: 400,
      message: "Invalid patch path  '/name' specified for op 'add'. Please choose supported operations",
    })
    const res = await fetch(`${t.url}/apikeys/${key.id}`, {
      method: 'PATCH',
      headers: {...SIGNED, 'content-type': 'application/json'},
      body: JSON.stringify({patchOperations: [{op: 'wrong', path: '/name', value: 'x'}]}),
    })
    assert.equal(res.status, 400)
    assert.equal(res.headers.get('x-amzn-errortype'), 'ValidationException')
    assert.equal(
      ((await res.json()) as {message: string}).message,
      "1 validation error detected: Value 'wrong' at 'updateApiKeyInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    )
  })

  it('answers unknown keys with NotFoundException on get, update and delete', async () => {
    const calls = [
      () => t.v1.send(new GetApiKeyCommand({apiKey: 'nosuchkey0'})),
      () => t.v1.send(new UpdateApiKeyCommand({apiKey: 'nosuchkey0', patchOperations: [{op: 'replace', path: '/name', value: 'x'}]})),
      () => t.v1.send(new DeleteApiKeyCommand({apiKey: 'nosuchkey0'})),
    ]
    for (const call of calls)
      await rejectsWith(call(), {name: 'NotFoundException', status: 404, message: 'Invalid API Key identifier specified'})
  })

  it('DeleteApiKey answers 202 and takes the key out of its usage plans', async () => {
    // Given a key in a usage plan
    const key = await t.v1.send(new CreateApiKeyCommand({name: 'to-delete'}))
    const plan = await t.v1.send(new CreateUsagePlanCommand({name: 'del-plan'}))
    await t.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
    // When the key is deleted
    const res = await t.v1.send(new DeleteApiKeyCommand({apiKey: key.id!}))
    // Then 202, the key is gone and the plan no longer lists it
    assert.equal(res.$metadata.httpStatusCode, 202)
    await rejectsWith(t.v1.send(new GetApiKeyCommand({apiKey: key.id!})), {name: 'NotFoundException', status: 404})
    assert.deepEqual((await t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id!}))).items, [])
    assert.equal(t.emulator.store.get(KIND.usagePlanKey, childId(plan.id!, key.id!)), undefined)
  })

  it('records legacy stageKeys as restApiId/stageName and refuses unknown APIs or stages', async () => {
    // Given a REST API with a stage, seeded straight into the store (CreateStage belongs to another module)
    t.emulator.store.put(KIND.restApi, 'sk00000001', {
      id: 'sk00000001',
      name: 'sk',
      createdDate: 0,
      endpointConfiguration: {types: ['EDGE']},
      disableExecuteApiEndpoint: false,
      rootResourceId: 'r',
    })
    t.emulator.store.put(KIND.stage, childId('sk00000001', 'prod'), {stageName: 'prod', deploymentId: 'd'}, 'sk00000001')
    // When keys name that stage, an unknown stage, an unknown API
    const ok = await t.v1.send(new CreateApiKeyCommand({name: 'legacy', stageKeys: [{restApiId: 'sk00000001', stageName: 'prod'}]}))
    // Then the known stage is recorded, the others refused
    assert.deepEqual(ok.stageKeys, ['sk00000001/prod'])
    await rejectsWith(t.v1.send(new CreateApiKeyCommand({stageKeys: [{restApiId: 'sk00000001', stageName: 'nope'}]})), {
      name: 'BadRequestException',
      status: 400,
    })
    await rejectsWith(t.v1.send(new CreateApiKeyCommand({stageKeys: [{restApiId: 'nosuchapi0', stageName: 'prod'}]})), {
      name: 'NotFoundException',
      status: 404,
    })
    // And stages can be removed and added again by patch
    const removed = await t.v1.send(
      new UpdateApiKeyCommand({apiKey: ok.id!, patchOperations: [{op: 'remove', path: '/stages', value: 'sk00000001/prod'}]}),
    )
    assert.deepEqual(removed.stageKeys, [])
    const added = await t.v1.send(
      new UpdateApiKeyCommand({apiKey: ok.id!, patchOperations: [{op: 'add', path: '/stages', value: 'sk00000001/prod'}]}),
    )
    assert.deepEqual(added.stageKeys, ['sk00000001/prod'])
  })
})

describe('API keys: the 10,000-keys account limit', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  it('answers LimitExceededException once the account holds 10,000 keys', async () => {
    // Given an account already at the limit (documents written straight into the store, in one transaction)
    await t.emulator.store.transaction(() => {
      for (let i = 0; i < MAX_API_KEYS; i++) {
        const id = `lim${String(i).padStart(7, '0')}`
        t.emulator.store.put(KIND.apiKey, id, {
          id,
          value: `value-${id}-padding-xx`,
          enabled: false,
          createdDate: 0,
          lastUpdatedDate: 0,
          stageKeys: [],
        })
      }
    })
    // When one more key is created, Then it is refused with a 429 LimitExceededException naming the limit
    await rejectsWith(t.v1.send(new CreateApiKeyCommand({name: 'one-too-many'})), {
      name: 'LimitExceededException',
      status: 429,
      message: /10000 API keys/,
    })
    // And deleting one makes room again
    await t.v1.send(new DeleteApiKeyCommand({apiKey: 'lim0000000'}))
    const created = await t.v1.send(new CreateApiKeyCommand({name: 'fits'}))
    assert.equal(created.name, 'fits')
  })
})

describe('API keys and usage plans: persistence', () => {
  it('survive a restart of the emulator on the same state directory', async () => {
    // Given a key in a tagged usage plan, written by one emulator
    const dataDir = tempDir('apigw-keys-restart-')
    try {
      const first = await startTestEmulator({dataDir})
      const key = await first.v1.send(new CreateApiKeyCommand({name: 'durable', enabled: true}))
      const plan = await first.v1.send(new CreateUsagePlanCommand({name: 'durable-plan', tags: {k: 'v'}}))
      await first.v1.send(new CreateUsagePlanKeyCommand({usagePlanId: plan.id!, keyId: key.id!, keyType: 'API_KEY'}))
      await first.close()
      // When a second emulator opens the same directory
      const second = await startTestEmulator({dataDir})
      try {
        // Then the key, its value and its plan membership are all there
        const again = await second.v1.send(new GetApiKeyCommand({apiKey: key.id!, includeValue: true}))
        assert.equal(again.value, key.value)
        assert.equal(again.enabled, true)
        const keys = await second.v1.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id!}))
        assert.deepEqual(
          keys.items?.map((k) => k.id),
          [key.id],
        )
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
