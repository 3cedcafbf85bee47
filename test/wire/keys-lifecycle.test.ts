/** `apigw keys` services with real SDK clients against the emulator: plans, create, list, rotate, retire, revoke. */
import assert from 'node:assert/strict'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {GetApiKeyCommand, GetUsagePlanKeysCommand} from '@aws-sdk/client-api-gateway'
import type {CliError} from '../../src/errors.ts'
import {createKey} from '../../src/services/keys/create.ts'
import {listKeys, listPlans} from '../../src/services/keys/list.ts'
import {retireKeys} from '../../src/services/keys/retire.ts'
import {revokeKey} from '../../src/services/keys/revoke.ts'
import {rotateKey} from '../../src/services/keys/rotate.ts'
import {keysWorld, type KeysWorld} from './keys-setup.ts'
import {rejectsWith} from '../helpers/rejects.ts'

describe('apigw keys against the emulator', () => {
  let w: KeysWorld
  const opts = () => ({cwd: w.dir})
  const planKeys = async (planId: string) =>
    ((await w.t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: planId}))).items ?? []).map((k) => k.id).sort()
  const key = (apiKey: string) => w.t.v1.send(new GetApiKeyCommand({apiKey}))

  before(async () => {
    w = await keysWorld()
  })
  after(async () => {
    await w.close()
  })

  it('lists the plans with stages and key counts, declared-only plans included', async () => {
    // Given the deployed plans basic, premium, unlinked and the declared-only plan later
    // When listing plans
    const r = await listPlans(opts(), w.deps())
    // Then each shows its stages and no keys yet
    assert.equal(r.api, 'pets')
    assert.deepEqual(
      r.plans.map((p) => [p.name, p.stages.join(','), p.keys, p.deployed]),
      [
        ['basic', 'dev', 0, true],
        ['later', 'dev', 0, false],
        ['premium', 'prod', 0, true],
        ['unlinked', '', 0, true],
      ],
    )
    assert.equal(r.plans[0]!.id, w.plans.basic)
    // And per-method throttles read back as apigw.yaml writes them
    assert.deepEqual(r.plans[2]!.methodThrottles, [{stage: 'prod', method: 'GET /pets', rateLimit: 5, burstLimit: 10}])
  })

  const planErrors: Array<[string, string, string, RegExp]> = [
    ['an unknown plan, listing the known ones', 'gold', 'UNKNOWN_PLAN', /Known plans: basic, later, premium, unlinked/],
    ['a typo, with a guess', 'basik', 'UNKNOWN_PLAN', /did you mean "basic"/],
    ['a plan linked to no stage', 'unlinked', 'PLAN_NOT_LINKED', /linked to no API stage/],
    ['a plan declared but not deployed', 'later', 'PLAN_NOT_DEPLOYED', /apigw deploy pets --stage dev/],
  ]
  for (const [what, plan, code, message] of planErrors) {
    it(`refuses to create a key in ${what}`, async () => {
      // When creating a key in that plan; Then a clear error with a hint, and no key was made
      await rejectsWith(createKey({...opts(), name: 'x', plans: [plan]}, w.deps()), {code, text: message, hint: true})
      assert.equal((await listKeys(opts(), w.deps())).keys.length, 0)
    })
  }

  let firstValue = ''
  let g1 = ''
  it('creates NAME/g1 tagged, enabled, in the plans, and returns its value once', async () => {
    // When creating ci in basic and premium
    const r = await createKey({...opts(), name: 'ci', plans: ['basic', 'premium']}, w.deps())
    // Then the key is ci/g1, enabled, tagged, in both plans, and the result carries its value
    assert.equal(r.keyName, 'ci/g1')
    assert.deepEqual(r.plans, ['basic', 'premium'])
    assert.ok(r.value && r.value.length >= 20)
    firstValue = r.value
    g1 = r.id
    const k = await key(r.id)
    assert.equal(k.name, 'ci/g1')
    assert.equal(k.enabled, true)
    assert.deepEqual(k.tags, {'apigw:key': 'ci', 'apigw:generation': '1'})
    assert.deepEqual(await planKeys(w.plans.basic), [r.id])
    assert.deepEqual(await planKeys(w.plans.premium), [r.id])
  })

  it('lists each enabled key with what it used today in each plan, and what is left of the quota', async () => {
    const ci = (await listKeys(opts(), w.deps())).keys.find((k) => k.name === 'ci')!.generations[0]!
    w.recordUsage(w.plans.basic!, ci.id, w.now.value.toISOString().slice(0, 10), 7)
    const listed = (await listKeys(opts(), w.deps())).keys.find((k) => k.name === 'ci')!.generations[0]!
    const byPlan = Object.fromEntries((listed.usage ?? []).map((u) => [u.plan, u]))
    assert.deepEqual(byPlan.basic, {plan: 'basic', usedToday: 7, remaining: 993, quota: {limit: 1000, period: 'MONTH'}})
    assert.deepEqual(byPlan.premium, {plan: 'premium', usedToday: 0, remaining: null, quota: null})
  })

  it('refuses a --value that another key has, without repeating it', async () => {
    await assert.rejects(createKey({...opts(), name: 'copy', plans: ['basic'], value: firstValue}, w.deps()), (e: CliError) => {
      assert.equal(e.code, 'KEY_VALUE_EXISTS')
      assert.ok(!`${e.message}${e.hint}${JSON.stringify(e.details ?? {})}`.includes(firstValue))
      return true
    })
  })

  it('refuses a second create of the same name, pointing at rotate', async () => {
    await rejectsWith(createKey({...opts(), name: 'ci', plans: ['basic']}, w.deps()), {
      code: 'KEY_EXISTS',
      text: /keys rotate ci/,
      hint: true,
    })
  })

  it('lists keys without values, and with them only when asked', async () => {
    // When listing; Then no value anywhere in the result
    const plain = await listKeys(opts(), w.deps())
    assert.equal(plain.keys.length, 1)
    const gen = plain.keys[0]!.generations[0]!
    assert.deepEqual([gen.keyName, gen.enabled, gen.status, gen.plans], ['ci/g1', true, 'active', ['basic', 'premium']])
    assert.ok(!JSON.stringify(plain).includes(firstValue))
    // When listing with --show-values; Then the value is there
    const shown = await listKeys({...opts(), showValues: true}, w.deps())
    assert.equal(shown.keys[0]!.generations[0]!.value, firstValue)
    // And --plan filters
    assert.equal((await listKeys({...opts(), plan: 'premium'}, w.deps())).keys.length, 1)
    await rejectsWith(listKeys({...opts(), plan: 'nope'}, w.deps()), {code: 'UNKNOWN_PLAN', hint: true})
  })

  it('refuses an unknown key name, listing the known ones', async () => {
    await rejectsWith(rotateKey({...opts(), name: 'cj'}, w.deps()), {
      code: 'UNKNOWN_KEY',
      text: /did you mean "ci".*Known keys: ci/s,
      hint: true,
    })
  })

  let g2 = ''
  let retireAfter = ''
  const today = () => w.now.value.toISOString().slice(0, 10)
  it('rotates: a new generation in every plan, the old one enabled and tagged to retire', async () => {
    // Given ci/g1 in basic and premium; When rotating with a 7-day overlap
    const r = await rotateKey({...opts(), name: 'ci', overlap: '7d'}, w.deps())
    // Then ci/g2 is in both plans, ci/g1 stays enabled with its retire-after time
    g2 = r.new.id
    assert.equal(r.new.keyName, 'ci/g2')
    assert.equal(r.resumed, false)
    assert.deepEqual(r.new.plans, ['basic', 'premium'])
    retireAfter = new Date(w.now.value.getTime() + 7 * 86_400_000).toISOString().replace('.000Z', 'Z')
    assert.equal(r.old.retireAfter, retireAfter)
    assert.ok(r.value && r.value !== firstValue)
    assert.deepEqual(await planKeys(w.plans.basic), [g1, g2].sort())
    const old = await key(g1)
    assert.equal(old.enabled, true)
    assert.equal(old.tags?.['apigw:retire-after'], retireAfter)
    const fresh = await key(g2)
    assert.deepEqual(fresh.tags, {'apigw:key': 'ci', 'apigw:generation': '2', 'apigw:rotated-from': g1})
    const listed = await listKeys(opts(), w.deps())
    assert.deepEqual(
      listed.keys[0]!.generations.map((g) => [g.keyName, g.status]),
      [
        ['ci/g1', 'retiring'],
        ['ci/g2', 'active'],
      ],
    )
    assert.equal(listed.keys[0]!.lastRotated, listed.keys[0]!.generations[1]!.createdDate)
  })

  it('asks for NAME only when someone can answer (the wizard), else NON_INTERACTIVE listing the names', async () => {
    // Without NAME and nobody to ask: a usage error that lists the names
    await rejectsWith(rotateKey(opts(), w.deps()), {code: 'NON_INTERACTIVE', text: /one of ci/, hint: true})
    // At a terminal: the known names are offered, and the answer is used (here declined at the confirmation)
    let offered: string[] = []
    const choose = async (names: string[]) => {
      offered = names
      return 'ci'
    }
    await assert.rejects(
      revokeKey({...opts(), choose, confirm: async () => false}, w.deps()),
      (e: CliError) => e.code === 'CANCELLED' && /ci is unchanged/.test(e.message),
    )
    assert.deepEqual(offered, ['ci'])
  })

  it("retires nothing before the retire-after time, and shows the old key's usage", async () => {
    // Given 5 requests by ci/g1 in basic since the rotation
    w.recordUsage(w.plans.basic, g1, today(), 5)
    // When retiring before the time; Then ci/g1 waits, with its usage
    const r = await retireKeys(opts(), w.deps())
    assert.equal(r.retired.length, 0)
    assert.equal(r.waiting.length, 1)
    assert.equal(r.waiting[0]!.usage?.total, 5)
    assert.equal((await key(g1)).enabled, true)
  })

  it('spares a due key still in use with --if-idle, and dry-run changes nothing', async () => {
    // Given the retire-after time has passed, and ci/g1 was used today
    w.now.value = new Date(w.now.value.getTime() + 8 * 86_400_000)
    w.recordUsage(w.plans.premium, g1, today(), 3)
    // When retiring with --if-idle 24h; Then it is spared, with the recent count
    const spared = await retireKeys({...opts(), ifIdle: '24h'}, w.deps())
    assert.equal(spared.spared.length, 1)
    assert.equal(spared.spared[0]!.recentUse, 3)
    assert.equal(spared.spared[0]!.usage?.total, 8)
    // When a dry run; Then it would be disabled, and is not
    const dry = await retireKeys({...opts(), dryRun: true}, w.deps())
    assert.deepEqual(
      dry.retired.map((e) => [e.keyName, e.action]),
      [['ci/g1', 'disabled']],
    )
    assert.equal((await key(g1)).enabled, true)
  })

  it('retires the old generation: disabled and out of its plans; the newest stays', async () => {
    const r = await retireKeys(opts(), w.deps())
    assert.deepEqual(
      r.retired.map((e) => e.keyName),
      ['ci/g1'],
    )
    assert.equal((await key(g1)).enabled, false)
    assert.deepEqual(await planKeys(w.plans.basic), [g2])
    assert.deepEqual(await planKeys(w.plans.premium), [g2])
    assert.equal((await key(g2)).enabled, true)
    // And --now never touches the only enabled generation
    const again = await retireKeys({...opts(), now: true}, w.deps())
    assert.equal(again.retired.length, 0)
    assert.equal((await key(g2)).enabled, true)
  })

  it('writes the value of a rotation to --output-file with mode 0600, and leaves it out of the result', async () => {
    const file = join(w.dir, 'ci.key')
    writeFileSync(file, 'old', {mode: 0o644})
    const r = await rotateKey({...opts(), name: 'ci', overlap: '1h', outputFile: 'ci.key'}, w.deps())
    assert.equal(r.value, undefined)
    assert.equal(r.valueFile, file)
    assert.equal(statSync(file).mode & 0o777, 0o600)
    const value = readFileSync(file, 'utf8').trim()
    assert.equal((await w.t.v1.send(new GetApiKeyCommand({apiKey: r.new.id, includeValue: true}))).value, value)
  })

  it('revokes only with a confirmation: --yes, or a yes at the prompt', async () => {
    // Without --yes and nobody to ask: NON_INTERACTIVE; a "no": CANCELLED and nothing changed
    await rejectsWith(revokeKey({...opts(), name: 'ci'}, w.deps()), {code: 'NON_INTERACTIVE', text: /--yes/, hint: true})
    await assert.rejects(revokeKey({...opts(), name: 'ci', confirm: async () => false}, w.deps()), (e: CliError) => e.code === 'CANCELLED')
    assert.equal((await listKeys(opts(), w.deps())).keys[0]!.generations.filter((g) => g.enabled).length, 2)
    // When confirmed; Then every generation is disabled and in no plan
    let asked = ''
    const r = await revokeKey(
      {
        ...opts(),
        name: 'ci',
        confirm: async (q) => {
          asked = q
          return true
        },
      },
      w.deps(),
    )
    assert.match(asked, /Revoke ci/)
    assert.equal(r.keys.length, 3)
    const after = await listKeys(opts(), w.deps())
    assert.ok(after.keys[0]!.generations.every((g) => !g.enabled && g.plans.length === 0))
    assert.deepEqual(await planKeys(w.plans.basic), [])
    // And a revoked key cannot be rotated
    await rejectsWith(rotateKey({...opts(), name: 'ci'}, w.deps()), {code: 'KEY_REVOKED', hint: true})
    // And the rotate picker does not offer it (issue 14.10): here no key is left to offer
    let offered: string[] | undefined
    const choose = async (names: string[]) => {
      offered = names
      return names[0]!
    }
    await rejectsWith(rotateKey({...opts(), choose}, w.deps()), {code: 'UNKNOWN_KEY', text: /revoked or retired \(ci\).*keys create/s})
    assert.equal(offered, undefined)
  })

  it('refuses HTTP APIs: API keys are REST only', async () => {
    const dir = join(w.dir, 'http')
    const {mkdirSync} = await import('node:fs')
    mkdirSync(dir)
    writeFileSync(join(dir, 'apigw.yaml'), 'apis:\n  web:\n    type: http\n    spec: openapi.yaml\n    stages: {dev: {}}\n')
    for (const run of [
      () => createKey({cwd: dir, name: 'x', plans: ['p']}, w.deps()),
      () => listKeys({cwd: dir}, w.deps()),
      () => rotateKey({cwd: dir, name: 'x'}, w.deps()),
    ]) {
      await rejectsWith(run(), {code: 'KEYS_REST_ONLY', text: /REST APIs.*authorizer/s, hint: true})
    }
  })
})
