/** Pure parts of `apigw keys`: durations, the key file, quota errors, plan resolution, statuses, and retire's safety rules on a fake port. */
import assert from 'node:assert/strict'
import {rmSync} from 'node:fs'
import {after, describe, it} from 'node:test'
import type {ApiKey, ApiKeysPort, UsagePlan} from '../../../src/aws/api-keys.ts'
import {isQuotaError} from '../../../src/aws/api-keys.ts'
import {createAwsClients} from '../../../src/aws/clients.ts'
import {silentProgress} from '../../../src/deps.ts'
import type {CliError} from '../../../src/errors.ts'
import {
  checkKeyQuota,
  type KeyGeneration,
  type KeysDeps,
  type KeysState,
  parseDuration,
  methodLabel,
  type PlanInfo,
  readKeysState,
  resolvePlan,
} from '../../../src/services/keys/common.ts'
import {checkPlansCompatible} from '../../../src/services/keys/create.ts'
import {parseKeyFile} from '../../../src/services/keys/import.ts'
import {statusOf} from '../../../src/services/keys/list.ts'
import {retireKeys} from '../../../src/services/keys/retire.ts'
import {tempDir} from '../../helpers/temp.ts'

const code = (fn: () => unknown): string => {
  try {
    fn()
  } catch (e) {
    return (e as CliError).code
  }
  return 'no error'
}

describe('parseDuration', () => {
  const good: Array<[string, number]> = [
    ['7d', 7 * 86_400_000],
    ['24h', 86_400_000],
    ['30m', 1_800_000],
    ['2w', 14 * 86_400_000],
    ['90s', 90_000],
    ['0', 0],
  ]
  for (const [text, ms] of good) it(`reads ${text}`, () => assert.equal(parseDuration(text, '--overlap'), ms))
  for (const text of ['soon', '7', '-1d', '1.5h', '', '7 days']) {
    it(`refuses ${JSON.stringify(text)} with USAGE`, () =>
      assert.equal(
        code(() => parseDuration(text, '--overlap')),
        'USAGE',
      ))
  }
})

describe('parseKeyFile (AWS API key file format)', () => {
  const v = 'v'.repeat(24)
  it('reads the columns in any order and case, generations in names, quoted plan lists, Enabled defaulting to true', () => {
    // Given a header in another order and case, and a quoted list of plan ids
    const rows = parseKeyFile(`key,NAME,usageplanids,Enabled\n${v},a/g2,"p1,p2",false\n${v}x,b,,\n`, 'k.csv')
    // Then each row is read by column name
    assert.deepEqual(
      rows.map((r) => [r.name, r.generation, r.planRefs, r.enabled, r.line]),
      [
        ['a', 2, ['p1', 'p2'], false, 2],
        ['b', undefined, [], true, 3],
      ],
    )
  })
  it('reads single-quoted plan lists', () => {
    assert.deepEqual(parseKeyFile(`Name,Key,UsagePlanIds\na,${v},'p1,p2'\n`, 'k.csv')[0]!.planRefs, ['p1', 'p2'])
  })
  const bad: Array<[string, string, RegExp]> = [
    ['no Key column', 'Name\na\n', /Key column is missing/],
    ['no Name column', `Key\n${v}\n`, /Name column is missing/],
    ['a value too short', 'Name,Key\na,secretish\n', /k\.csv:2: the Key of a is 9 characters long/],
    ['a value too long', `Name,Key\na,${'x'.repeat(129)}\n`, /129 characters long/],
    ['a bad name', `Name,Key\nhas space,${v}\n`, /k\.csv:2: "has space" is not a valid key name/],
  ]
  for (const [what, text, message] of bad) {
    it(`refuses ${what}, never quoting the value`, () => {
      assert.throws(
        () => parseKeyFile(text, 'k.csv'),
        (e: CliError) =>
          e.code === 'KEYS_FILE_INVALID' &&
          message.test(e.message) &&
          !e.message.includes('secretish') &&
          !e.message.includes('x'.repeat(129)),
      )
    })
  }
})

describe('isQuotaError', () => {
  const cases: Array<[string, {name: string; message: string}, boolean]> = [
    [
      'the keys quota',
      {
        name: 'LimitExceededException',
        message: 'Cannot create more API keys: the limit of 10000 API keys per account and Region is reached.',
      },
      true,
    ],
    ['the plans-per-key quota', {name: 'LimitExceededException', message: 'API Key k cannot be added to more than 10 usage plans.'}, true],
    ['throttling said as LimitExceeded', {name: 'LimitExceededException', message: 'Too Many Requests'}, false],
    ['rate exceeded', {name: 'LimitExceededException', message: 'Rate exceeded for API keys'}, false],
    ['TooManyRequests', {name: 'TooManyRequestsException', message: 'Too Many Requests'}, false],
  ]
  for (const [what, error, expected] of cases)
    it(`${expected ? 'is' : 'is not'} a quota: ${what}`, () => assert.equal(isQuotaError(error), expected))
})

const plan = (over: Partial<PlanInfo>): PlanInfo => ({
  id: 'p1',
  awsName: 'pets-basic',
  display: 'basic',
  configKey: 'basic',
  apiStages: [{apiId: 'a', stage: 'dev'}],
  methodThrottles: [],
  throttle: null,
  quota: null,
  keyIds: [],
  ...over,
})
const state = (plans: PlanInfo[], totalKeys = 0): KeysState => ({keys: [], plans, unmanaged: [], totalKeys})

describe('checkKeyQuota', () => {
  it('allows up to 10,000 keys and refuses the next with AWS_LIMIT_EXCEEDED', () => {
    assert.equal(
      code(() => checkKeyQuota(state([], 9_999), 1)),
      'no error',
    )
    assert.equal(
      code(() => checkKeyQuota(state([], 10_000), 1)),
      'AWS_LIMIT_EXCEEDED',
    )
    assert.equal(
      code(() => checkKeyQuota(state([], 9_998), 3)),
      'AWS_LIMIT_EXCEEDED',
    )
  })
})

describe('resolvePlan', () => {
  const s = state([
    plan({}),
    plan({id: 'p2', awsName: 'other-plan', display: 'other-plan', configKey: null}),
    plan({id: 'p3', awsName: 'pets-idle', display: 'idle', configKey: 'idle', apiStages: []}),
  ])
  const ctx = {project: undefined, selected: undefined}
  const cases: Array<[string, string]> = [
    ['basic', 'p1'],
    ['pets-basic', 'p1'],
    ['other-plan', 'p2'],
    ['p2', 'p2'],
  ]
  for (const [ref, id] of cases) it(`finds ${ref}`, () => assert.equal(resolvePlan(ref, s, ctx).id, id))
  it('refuses an unknown plan, listing the known ones', () => {
    assert.throws(
      () => resolvePlan('gold', s, ctx),
      (e: CliError) => e.code === 'UNKNOWN_PLAN' && /basic, idle, other-plan/.test(e.hint ?? '') && e.exitCode === 2,
    )
  })
  it('refuses a plan linked to no stage', () => {
    assert.throws(
      () => resolvePlan('idle', s, ctx),
      (e: CliError) => e.code === 'PLAN_NOT_LINKED' && /linked to no API stage/.test(e.message),
    )
  })
})

describe('statusOf', () => {
  const base: KeyGeneration = {
    id: 'k',
    keyName: 'a/g1',
    name: 'a',
    generation: 1,
    enabled: true,
    createdDate: null,
    planIds: [],
    retireAfter: null,
    rotatedFrom: null,
    rotationPending: null,
    createPending: false,
    valueUnshown: false,
    tags: {},
  }
  const cases: Array<[string, Partial<KeyGeneration>, string]> = [
    ['enabled', {}, 'active'],
    ['enabled with retire-after', {retireAfter: '2026-01-01T00:00:00Z'}, 'retiring'],
    ['a rotation not finished', {rotationPending: '2026-01-01T00:00:00Z'}, 'pending'],
    ['revoked', {enabled: false, tags: {'apigw:revoked-at': 'x'}}, 'revoked'],
    ['retired', {enabled: false, tags: {'apigw:retired-at': 'x'}}, 'retired'],
    ['disabled by hand', {enabled: false}, 'disabled'],
  ]
  for (const [what, over, expected] of cases) it(`says ${expected} for ${what}`, () => assert.equal(statusOf({...base, ...over}), expected))
})

/** An in-memory port: keys with tags and plans; records every write. */
function fakePort(keys: ApiKey[], plans: UsagePlan[], links: Record<string, string[]>): ApiKeysPort & {writes: string[]} {
  const writes: string[] = []
  const port: ApiKeysPort & {writes: string[]} = {
    writes,
    apiKeyArn: (id) => `arn:aws:apigateway:us-east-1::/apikeys/${id}`,
    listApiKeys: async () => keys,
    getApiKeyTags: async (id) => keys.find((k) => k.id === id)?.tags ?? {},
    getApiKeyValue: async () => undefined,
    createApiKey: async () => {
      throw new Error('not in this test')
    },
    setApiKeyEnabled: async (id, enabled) => void writes.push(`enabled ${id} ${enabled}`),
    deleteApiKey: async (id) => void writes.push(`delete ${id}`),
    importApiKeys: async () => ({ids: [], warnings: []}),
    listUsagePlans: async () => plans,
    listUsagePlanKeyIds: async (planId) => links[planId] ?? [],
    createUsagePlanKey: async () => true,
    deleteUsagePlanKey: async (planId, id) => {
      writes.push(`detach ${id} ${planId}`)
      return true
    },
    getUsage: async () => [[0, 0]],
    tagApiKey: async (id) => void writes.push(`tag ${id}`),
    untagApiKey: async () => {},
  }
  return port
}

describe('retireKeys safety (fake port)', () => {
  const dir = tempDir('apigw-keys-unit-')
  after(() => rmSync(dir, {recursive: true, force: true}))
  const deps = (port: ApiKeysPort): KeysDeps => ({
    aws: createAwsClients({region: 'us-east-1'}),
    clock: () => new Date('2026-06-01T00:00:00Z'),
    progress: silentProgress,
    interactive: false,
    cwd: dir,
    keysPort: port,
  })
  const k = (id: string, gen: number, enabled: boolean, tags: Record<string, string> = {}): ApiKey => ({
    id,
    name: `a/g${gen}`,
    enabled,
    createdDate: new Date('2026-01-01T00:00:00Z'),
    tags: {'apigw:key': 'a', 'apigw:generation': String(gen), ...tags},
  })
  const plans: UsagePlan[] = [{id: 'p1', name: 'p', apiStages: [{apiId: 'x', stage: 'dev'}]}]
  const past = {'apigw:retire-after': '2026-05-01T00:00:00Z'}

  const cases: Array<[string, ApiKey[], Record<string, string[]>, string[], string]> = [
    [
      'retires a due old generation while the newest is enabled',
      [k('k1', 1, true, past), k('k2', 2, true)],
      {p1: ['k1', 'k2']},
      ['enabled k1 false', 'detach k1 p1', 'tag k1'],
      'disabled',
    ],
    [
      'leaves the only enabled generation alone when the newest is disabled',
      [k('k1', 1, true, past), k('k2', 2, false)],
      {p1: ['k1']},
      [],
      'skipped',
    ],
    [
      'leaves a name alone while its rotation is not finished',
      [k('k1', 1, true, past), k('k2', 2, true, {'apigw:rotation-pending': '2026-05-01T00:00:00Z'})],
      {p1: ['k1', 'k2']},
      [],
      'skipped',
    ],
  ]
  for (const [what, keys, links, writes, action] of cases) {
    it(what, async () => {
      // Given the keys; When retiring with --now
      const port = fakePort(keys, plans, links)
      const r = await retireKeys({cwd: dir, now: true}, deps(port))
      // Then exactly these writes happened, and the old key got this action
      assert.deepEqual(port.writes, writes)
      assert.equal([...r.retired, ...r.skipped][0]?.action, action)
    })
  }
})

describe('readKeysState', () => {
  it('asks for the tags of generation-named keys when GetApiKeys leaves them out', async () => {
    // Given GetApiKeys items without `tags`, one named like a generation and one not
    const tags: Record<string, Record<string, string>> = {k1: {'apigw:key': 'a', 'apigw:generation': '1'}, k2: {}}
    const asked: string[] = []
    const port = {
      ...fakePort(
        [
          {id: 'k1', name: 'a/g1', enabled: true},
          {id: 'k2', name: 'legacy', enabled: true},
        ],
        [],
        {},
      ),
      getApiKeyTags: async (id: string) => {
        asked.push(id)
        return tags[id] ?? {}
      },
    }
    // When reading the state
    const s = await readKeysState(port, {project: undefined, selected: undefined})
    // Then only the generation-named key was asked for, and it is managed
    assert.deepEqual(asked, ['k1'])
    assert.deepEqual(
      s.keys.map((k) => [k.name, k.generation]),
      [['a', 1]],
    )
    assert.deepEqual(
      s.unmanaged.map((k) => k.id),
      ['k2'],
    )
  })
})

describe('checkPlansCompatible', () => {
  it('refuses two plans on the same API stage, and allows plans on different stages', () => {
    const dev = plan({id: 'p1', display: 'basic'})
    const dev2 = plan({id: 'p2', display: 'gold'})
    const prod = plan({id: 'p3', display: 'premium', apiStages: [{apiId: 'a', stage: 'prod'}]})
    assert.equal(
      code(() => checkPlansCompatible([dev, prod])),
      'no error',
    )
    assert.throws(
      () => checkPlansCompatible([dev, prod, dev2]),
      (e: CliError) => e.code === 'PLANS_SHARE_STAGE' && /basic and gold both cover stage dev/.test(e.message) && e.exitCode === 2,
    )
  })
})

describe('methodLabel', () => {
  const cases: Array<[string, string]> = [
    ['/pets/GET', 'GET /pets'],
    ['/pets/{id}/DELETE', 'DELETE /pets/{id}'],
    ['/*/*', '* /*'],
  ]
  for (const [key, label] of cases) it(`writes ${key} as ${label}`, () => assert.equal(methodLabel(key), label))
})
