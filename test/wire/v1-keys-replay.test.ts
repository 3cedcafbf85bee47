/**
 * Replays the AWS recordings of API keys and usage plans (corpus/aws-ground-truth 13, 14, 15) through the
 * SDK v3 client against the emulator, and compares every response with the recorded one after normalising
 * ids and dates: a recorded placeholder (`<id:1>`, `<name:2>`, `<position:1>`…) binds to the first value seen
 * and must then be the same everywhere, `datetime` matches any timestamp, and every other member, status code,
 * error code and message must be equal. (test/helpers/replay.ts did not exist yet; this file has its own.)
 */
import assert from 'node:assert/strict'
import {randomUUID} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {after, before, describe, it} from 'node:test'
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateApiKeyCommand,
  UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway'
import {childId, KIND} from '../../src/local/control-plane/model.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

// Copies of the recordings live in test/fixtures/ground-truth (see its SOURCE.md), so a fresh clone replays them.
const CORPUS = new URL('../fixtures/ground-truth', import.meta.url).pathname

type RecordedCall = {test_id: string; key: string; operation: string; response: Record<string, unknown>}

function recording(file: string): RecordedCall[] {
  return (JSON.parse(readFileSync(`${CORPUS}/${file}`, 'utf8')) as {calls: RecordedCall[]}).calls
}

/** Placeholder → the value the emulator answered with, per recorded test. */
class Bindings {
  readonly values = new Map<string, string>()
  get(placeholder: string): string {
    const v = this.values.get(placeholder)
    assert.ok(v !== undefined, `placeholder ${placeholder} is not bound yet`)
    return v
  }
  set(placeholder: string, value: string): void {
    this.values.set(placeholder, value)
  }
}

const PLACEHOLDER = /<[a-z-]+:\d+>/g

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** A recorded string with placeholders matched against an actual one, binding unbound placeholders. */
function matchString(expected: string, actual: unknown, b: Bindings, at: string): void {
  assert.equal(typeof actual, 'string', `${at}: expected a string, got ${JSON.stringify(actual)}`)
  const names = expected.match(PLACEHOLDER) ?? []
  if (names.length === 0) {
    assert.equal(actual, expected, at)
    return
  }
  const groups: string[] = []
  let pattern = ''
  let last = 0
  for (const m of expected.matchAll(PLACEHOLDER)) {
    pattern += escapeRegExp(expected.slice(last, m.index))
    const bound = b.values.get(m[0])
    if (bound !== undefined) pattern += escapeRegExp(bound)
    else {
      pattern += '(.+?)'
      groups.push(m[0])
    }
    last = m.index + m[0].length
  }
  pattern += escapeRegExp(expected.slice(last))
  const found = new RegExp(`^${pattern}$`, 's').exec(actual as string)
  assert.ok(
    found,
    `${at}: ${JSON.stringify(actual)} does not match recorded ${JSON.stringify(expected)} (bindings ${JSON.stringify([...b.values])})`,
  )
  groups.forEach((name, i) => {
    b.set(name, found[i + 1]!)
  })
}

/** Deep comparison of a recorded (boto3-parsed) value with the SDK v3 output. */
function matchValue(expected: unknown, actual: unknown, b: Bindings, at: string): void {
  if (expected === 'datetime') {
    assert.ok(actual instanceof Date && !Number.isNaN(actual.getTime()), `${at}: expected a timestamp, got ${JSON.stringify(actual)}`)
    return
  }
  if (typeof expected === 'string') {
    matchString(expected, actual, b, at)
    return
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${at}: expected a list, got ${JSON.stringify(actual)}`)
    assert.equal(actual.length, expected.length, `${at}: list length`)
    expected.forEach((e, i) => {
      matchValue(e, actual[i], b, `${at}[${i}]`)
    })
    return
  }
  if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${at}: expected an object, got ${JSON.stringify(actual)}`)
    const exp = expected as Record<string, unknown>
    const act = Object.fromEntries(
      Object.entries(actual as Record<string, unknown>).filter(([k, v]) => v !== undefined && k !== '$metadata'),
    )
    assert.deepEqual(Object.keys(act).sort(), Object.keys(exp).sort(), `${at}: members`)
    for (const k of Object.keys(exp)) matchValue(exp[k], act[k], b, `${at}.${k}`)
    return
  }
  assert.equal(actual, expected, at)
}

type SdkError = Error & {$metadata?: {httpStatusCode?: number}}

/** Run one recorded call: `send` returns the SDK output or throws the SDK error; compare with the recording. */
async function replay(calls: RecordedCall[], testId: string, key: string, b: Bindings, send: () => Promise<unknown>): Promise<unknown> {
  const call = calls.find((c) => c.test_id.endsWith(testId) && c.key === key)
  assert.ok(call, `no recorded call ${testId}/${key}`)
  const {
    ResponseMetadata,
    Error: recordedError,
    message: _message,
    ...expected
  } = call.response as Record<string, unknown> & {
    ResponseMetadata: {HTTPStatusCode: number}
    Error?: {Code: string; Message: string}
  }
  let output: unknown
  try {
    output = await send()
  } catch (error) {
    const e = error as SdkError
    assert.ok(recordedError, `${key}: AWS answered ${ResponseMetadata.HTTPStatusCode} but the emulator threw ${e.name}: ${e.message}`)
    assert.equal(e.name, recordedError.Code, `${key}: error code`)
    matchString(recordedError.Message, e.message, b, `${key}: message`)
    assert.equal(e.$metadata?.httpStatusCode, ResponseMetadata.HTTPStatusCode, `${key}: status`)
    return undefined
  }
  assert.ok(!recordedError, `${key}: AWS answered ${recordedError?.Code} but the emulator succeeded`)
  const status = (output as {$metadata?: {httpStatusCode?: number}}).$metadata?.httpStatusCode
  assert.equal(status, ResponseMetadata.HTTPStatusCode, `${key}: status`)
  matchValue(expected, output, b, key)
  return output
}

/** A REST API with a `dev` stage, written straight into the store (CreateStage is another module's work). */
function seedApiWithStage(t: TestEmulator, stageName = 'dev'): string {
  const apiId = `api${randomUUID().slice(0, 7)}`
  const now = Math.floor(Date.now() / 1000)
  t.emulator.store.put(KIND.restApi, apiId, {
    id: apiId,
    name: 'seeded',
    createdDate: now,
    endpointConfiguration: {types: ['EDGE']},
    disableExecuteApiEndpoint: false,
    rootResourceId: 'root000000',
  })
  t.emulator.store.put(
    KIND.stage,
    childId(apiId, stageName),
    {stageName, deploymentId: 'dep000', createdDate: now, lastUpdatedDate: now},
    apiId,
  )
  return apiId
}

const uid = (): string => randomUUID().replace(/-/g, '').slice(0, 8)

describe('replay of AWS recordings: API keys (13, 14) and usage plans (15)', () => {
  let t: TestEmulator
  // Each recorded test starts from an account with no keys, so each gets its own emulator.
  const fresh = async (): Promise<TestEmulator> => {
    await t?.close()
    t = await startTestEmulator()
    return t
  }
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  const r13 = recording('13-api-keys-crud-query-pagination.json')
  const r14 = recording('14-api-keys-validation-errors.json')
  const r15 = recording('15-usage-plans-and-keys.json')

  it('13 test_get_api_keys: create, name prefix query (case-sensitive), newest first, limit/position paging', async () => {
    // Given an account with no API keys
    const {v1} = await fresh()
    const b = new Bindings()
    const [uid1, uid2] = [uid(), uid()]
    const name1 = `test-key-${uid1}`
    const T = 'test_get_api_keys'
    // When the recorded calls are replayed, Then every answer matches AWS's
    await replay(r13, T, 'get-api-keys', b, () => v1.send(new GetApiKeysCommand({})))
    await replay(r13, T, 'create-api-key', b, () => v1.send(new CreateApiKeyCommand({name: name1})))
    await replay(r13, T, 'get-api-keys-after-create-1', b, () => v1.send(new GetApiKeysCommand({})))
    await replay(r13, T, 'get-api-keys-wrong-name-query', b, () => v1.send(new GetApiKeysCommand({nameQuery: `test-key-${uid2}`})))
    await replay(r13, T, 'get-api-keys-prefix-name-query', b, () => v1.send(new GetApiKeysCommand({nameQuery: name1.slice(0, 8)})))
    await replay(r13, T, 'get-api-keys-prefix-name-query-cased', b, () => v1.send(new GetApiKeysCommand({nameQuery: 'TEST-KEY'})))
    await replay(r13, T, 'get-api-keys-postfix-name-query', b, () => v1.send(new GetApiKeysCommand({nameQuery: name1.slice(2)})))
    await replay(r13, T, 'get-api-keys-infix-name-query', b, () => v1.send(new GetApiKeysCommand({nameQuery: name1.slice(2, 8)})))
    await replay(r13, T, 'create-api-key-2', b, () => v1.send(new CreateApiKeyCommand({name: `test-key-${uid2}`})))
    await replay(r13, T, 'get-api-keys-after-create-2', b, () => v1.send(new GetApiKeysCommand({})))
    await replay(r13, T, 'get-api-keys-name-query', b, () => v1.send(new GetApiKeysCommand({nameQuery: `test-key-${uid2}`})))
    await replay(r13, T, 'get-api-keys-prefix-name-query-2', b, () => v1.send(new GetApiKeysCommand({nameQuery: 'test-key'})))
    await replay(r13, T, 'get-apis-keys-pagination', b, () => v1.send(new GetApiKeysCommand({limit: 1})))
    await replay(r13, T, 'get-apis-keys-pagination-2', b, () => v1.send(new GetApiKeysCommand({limit: 1, position: b.get('<position:1>')})))
    assert.equal(b.get('<name:1>'), name1)
  })

  it('13 test_negative_get_usage_plan_api_keys: negative limit, enabled false, rename', async () => {
    const {v1} = await fresh()
    const b = new Bindings()
    const T = 'test_negative_get_usage_plan_api_keys'
    await replay(r13, T, 'get-api-keys-invalid-limit', b, () => v1.send(new GetApiKeysCommand({limit: -1})))
    await replay(r13, T, 'create-api-key', b, () => v1.send(new CreateApiKeyCommand({name: 'key-enabled-false', enabled: false})))
    await replay(r13, T, 'update-api-key-name', b, () =>
      v1.send(new UpdateApiKeyCommand({apiKey: b.get('<id:1>'), patchOperations: [{op: 'replace', path: '/name', value: 'new-name'}]})),
    )
    assert.equal(b.get('<name:2>'), 'new-name')
  })

  it('14 name, value and description validation on CreateApiKey', async () => {
    const {v1} = await fresh()
    const cases: Array<{test: string; key: string; input: Record<string, unknown>}> = [
      {test: 'test_create_api_key_with_invalid_name', key: 'create-api-key-name-too-long', input: {name: 'a'.repeat(1025)}},
      {test: 'test_create_api_key_with_invalid_name', key: 'create-api-key-empty-name', input: {name: ''}},
      {test: 'test_create_api_key_with_invalid_name', key: 'create-api-key-no-name', input: {}},
      {test: 'test_create_api_key_with_invalid_value', key: 'create-api-key-short-value', input: {value: 'short'}},
      {test: 'test_create_api_key_with_invalid_value', key: 'create-api-key-invalid-value-too-long', input: {value: 'a'.repeat(129)}},
      {test: 'test_create_api_key_with_invalid_value', key: 'create-api-key-empty-value', input: {value: ''}},
      {
        test: 'test_update_api_key_invalid_description_length',
        key: 'create-api-key-description-too-long',
        input: {description: 'a'.repeat(125001)},
      },
    ]
    for (const c of cases) {
      // Given a fresh binding table per case (placeholders restart at 1 in each recorded test)
      await replay(r14, c.test, c.key, new Bindings(), () => v1.send(new CreateApiKeyCommand(c.input)))
    }
  })

  it('14 UpdateApiKey: description too long, non-boolean enabled, immutable /id', async () => {
    const {v1} = await fresh()
    const cases: Array<{test: string; key: string; op: {op: 'replace'; path: string; value: string}}> = [
      {
        test: 'test_update_api_key_invalid_description_length',
        key: 'update-api-key-description-too-long',
        op: {op: 'replace', path: '/description', value: 'a'.repeat(125001)},
      },
      {
        test: 'test_update_api_key_invalid_enabled_type',
        key: 'update-api-key-invalid-enabled-type',
        op: {op: 'replace', path: '/enabled', value: 'not-a-boolean'},
      },
      {
        test: 'test_update_api_key_immutable_field',
        key: 'update-api-key-immutable-field',
        op: {op: 'replace', path: '/id', value: 'new-id'},
      },
    ]
    for (const c of cases) {
      // Given a key without a name (as the recorded tests created it)
      const key = await v1.send(new CreateApiKeyCommand({}))
      const b = new Bindings()
      b.set('<id:1>', key.id!)
      await replay(r14, c.test, c.key, b, () => v1.send(new UpdateApiKeyCommand({apiKey: key.id!, patchOperations: [c.op]})))
    }
  })

  it('15 test_usage_plan_crud: create, get, list, patch throttle and quota, apiStages errors', async () => {
    const tt = await fresh()
    const {v1} = tt
    // Given a REST API with a dev stage (seeded in the store)
    const apiId = seedApiWithStage(tt)
    const b = new Bindings()
    b.set('<api-id:1>', apiId)
    const T = 'test_usage_plan_crud'
    const id = (): string => b.get('<id:1>')
    const patch = (usagePlanId: string, ops: Array<{op: 'add' | 'remove' | 'replace'; path: string; value?: string}>) =>
      v1.send(new UpdateUsagePlanCommand({usagePlanId, patchOperations: ops}))
    await replay(r15, T, 'create-usage-plan', b, () =>
      v1.send(new CreateUsagePlanCommand({name: `plan-${uid()}`, description: `desc-${uid()}`, apiStages: [{apiId, stage: 'dev'}]})),
    )
    await replay(r15, T, 'get-usage-plan', b, () => v1.send(new GetUsagePlanCommand({usagePlanId: id()})))
    await replay(r15, T, 'get-usage-plans', b, () => v1.send(new GetUsagePlansCommand({})))
    const limits = [
      {op: 'replace' as const, path: '/throttle/burstLimit', value: '100'},
      {op: 'replace' as const, path: '/throttle/rateLimit', value: '200'},
    ]
    await replay(r15, T, 'update-usage-plan', b, () =>
      patch(id(), [
        ...limits,
        {op: 'replace', path: '/quota/period', value: 'MONTH'},
        {op: 'replace', path: '/quota/limit', value: '5000'},
      ]),
    )
    await replay(r15, T, 'update-wrong-id', b, () => patch(`${id()}1`, limits))
    await replay(r15, T, 'update-wrong-api-stages-no-value', b, () => patch(id(), [{op: 'remove', path: '/apiStages'}]))
    await replay(r15, T, 'update-wrong-api-stages-wrong-api', b, () =>
      patch(id(), [{op: 'remove', path: '/apiStages', value: `${apiId}b:dev`}]),
    )
    await replay(r15, T, 'update-wrong-api-stages-wrong-stage', b, () =>
      patch(id(), [{op: 'remove', path: '/apiStages', value: `${apiId}:fakestagename`}]),
    )
    await replay(r15, T, 'update-wrong-api-stages-wrong-value', b, () =>
      patch(id(), [{op: 'remove', path: '/apiStages', value: 'fakevalue'}]),
    )
    await replay(r15, T, 'get-usage-plan-after-update', b, () => v1.send(new GetUsagePlanCommand({usagePlanId: id()})))
    await replay(r15, T, 'get-usage-plans-after-update', b, () => v1.send(new GetUsagePlansCommand({})))
  })

  it('15 test_api_key_required_for_methods: plan with quota, throttle and tags; key in plan; disable key', async () => {
    const tt = await fresh()
    const {v1} = tt
    const apiId = seedApiWithStage(tt)
    const b = new Bindings()
    b.set('<api-id:1>', apiId)
    const T = 'test_api_key_required_for_methods'
    const u = uid()
    await replay(r15, T, 'create-usage-plan', b, () =>
      v1.send(
        new CreateUsagePlanCommand({
          name: `test-plan-${u}`,
          description: 'Test Usage Plan for API key',
          quota: {limit: 10, period: 'DAY', offset: 0},
          throttle: {rateLimit: 2, burstLimit: 1},
          apiStages: [{apiId, stage: 'dev'}],
          tags: {tag_key: 'tag_value'},
        }),
      ),
    )
    await replay(r15, T, 'create-api-key', b, () => v1.send(new CreateApiKeyCommand({name: `testApiKey-${u}`, enabled: true})))
    await replay(r15, T, 'create-usage-plan-key', b, () =>
      v1.send(new CreateUsagePlanKeyCommand({usagePlanId: b.get('<id:1>'), keyId: b.get('<id:2>'), keyType: 'API_KEY'})),
    )
    await replay(r15, T, 'update-api-key-disabled', b, () =>
      v1.send(new UpdateApiKeyCommand({apiKey: b.get('<id:2>'), patchOperations: [{op: 'replace', path: '/enabled', value: 'false'}]})),
    )
  })

  it('15 test_get_usage_plan_api_keys: plan keys, name prefix query, keys leave with DeleteApiKey, unknown plan is empty', async () => {
    const {v1} = await fresh()
    const b = new Bindings()
    const T = 'test_get_usage_plan_api_keys'
    // Given two keys whose names share the prefix test-key (created before the recorded calls)
    for (const n of [1, 2]) {
      const key = await v1.send(new CreateApiKeyCommand({name: `test-key-${uid()}`}))
      b.set(`<id:${n}>`, key.id!)
      b.set(`<name:${n}>`, key.name!)
      b.set(`<value:${n}>`, key.value!)
    }
    const planId = (): string => b.get('<id:3>')
    const keys = (nameQuery?: string) => v1.send(new GetUsagePlanKeysCommand({usagePlanId: planId(), nameQuery}))
    await replay(r15, T, 'create-usage-plan', b, () => v1.send(new CreateUsagePlanCommand({name: `usage-plan-${uid()}`})))
    await replay(r15, T, 'get-up-keys-before-create', b, () => keys())
    await replay(r15, T, 'create-up-key', b, () =>
      v1.send(new CreateUsagePlanKeyCommand({usagePlanId: planId(), keyId: b.get('<id:1>'), keyType: 'API_KEY'})),
    )
    await replay(r15, T, 'create-up-key-2', b, () =>
      v1.send(new CreateUsagePlanKeyCommand({usagePlanId: planId(), keyId: b.get('<id:2>'), keyType: 'API_KEY'})),
    )
    await replay(r15, T, 'get-up-keys', b, () => keys())
    await replay(r15, T, 'get-up-keys-name-query', b, () => keys('test-key'))
    await replay(r15, T, 'get-up-keys-name-query-cased', b, () => keys('TEST-key'))
    await replay(r15, T, 'get-up-keys-name-query-key-name', b, () => keys(b.get('<name:1>')))
    await replay(r15, T, 'get-up-keys-bad-query', b, () => keys('nothing'))
    await v1.send(new DeleteApiKeyCommand({apiKey: b.get('<id:1>')}))
    await v1.send(new DeleteApiKeyCommand({apiKey: b.get('<id:2>')}))
    await replay(r15, T, 'get-up-keys-after-delete', b, () => keys())
    await replay(r15, T, 'get-up-keys-bad-usage-plan', b, () => v1.send(new GetUsagePlanKeysCommand({usagePlanId: 'bad-id'})))
  })

  it('15 test_create_usage_plan_with_throttle: burst above rate is accepted, rateLimit is a double', async () => {
    const {v1} = await fresh()
    const b = new Bindings()
    await replay(r15, 'test_create_usage_plan_with_throttle', 'create-usage-plan-burst-gt-rate', b, () =>
      v1.send(new CreateUsagePlanCommand({name: `invalid-throttle-burst-gt-rate-${uid()}`, throttle: {rateLimit: 10, burstLimit: 20}})),
    )
  })

  it('the matcher itself fails on a wrong member, value or status (so the replays above can fail)', async () => {
    const {v1} = await fresh()
    const b = new Bindings()
    // Given a recorded call, When the emulator's answer differs from it, Then replay rejects
    await assert.rejects(
      replay(r13, 'test_get_api_keys', 'get-api-keys', b, () => v1.send(new CreateApiKeyCommand({name: 'x'}))),
      /status|members/,
    )
    assert.throws(() => matchValue({a: '<id:1>'}, {a: 'x', b: 1}, new Bindings(), 'v'), /members/)
    const bound = new Bindings()
    bound.set('<id:1>', 'abc')
    assert.throws(() => matchValue('Invalid {api: <id:1>b}', 'Invalid {api: abdb}', bound, 'v'), /does not match/)
  })
})
