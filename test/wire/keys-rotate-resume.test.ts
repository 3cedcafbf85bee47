/**
 * A rotation interrupted between any two of its steps, then run again: the rerun finishes the same rotation
 * (same new key, same retire-after, no third key), and the name keeps an enabled key throughout.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GetApiKeyCommand, GetUsagePlanKeysCommand} from '@aws-sdk/client-api-gateway'
import {type ApiKeysPort, createApiKeysPort} from '../../src/aws/api-keys.ts'
import {createKey} from '../../src/services/keys/create.ts'
import {listKeys} from '../../src/services/keys/list.ts'
import {rotateKey} from '../../src/services/keys/rotate.ts'
import {keysWorld, type KeysWorld} from './keys-setup.ts'

type Method = keyof ApiKeysPort

/** The real port, except that the `nth` call of `method` fails: before the call, or after it succeeded (a lost answer). */
function interrupted(port: ApiKeysPort, method: Method, nth: number, when: 'before' | 'after'): ApiKeysPort {
  let calls = 0
  const original = port[method] as (...args: unknown[]) => Promise<unknown>
  return {
    ...port,
    [method]: async (...args: unknown[]) => {
      calls++
      if (calls === nth && when === 'before') throw new Error(`injected failure before ${method}`)
      const out = await original(...args)
      if (calls === nth && when === 'after') throw new Error(`injected failure after ${method}`)
      return out
    },
  }
}

describe('keys rotate: interrupted and resumed', () => {
  let w: KeysWorld
  before(async () => {
    w = await keysWorld()
  })
  after(async () => {
    await w.close()
  })

  const cases: Array<[string, Method, number, 'before' | 'after']> = [
    ['CreateApiKey succeeded but its answer was lost', 'createApiKey', 1, 'after'],
    ['after CreateApiKey, before any plan', 'createUsagePlanKey', 1, 'before'],
    ['between the two plans', 'createUsagePlanKey', 2, 'before'],
    ['after the plans, before tagging the old key', 'tagApiKey', 1, 'before'],
    ['after tagging the old key, before the last step', 'untagApiKey', 1, 'before'],
  ]
  cases.forEach(([what, method, nth, when], i) => {
    it(`finishes the same rotation when the first run stopped ${what}`, async () => {
      const name = `svc${i}`
      // Given NAME/g1 in basic and premium
      const created = await createKey({cwd: w.dir, name, plans: ['basic', 'premium']}, w.deps())
      const startedAt = w.now.value
      // When a rotation fails at that point
      const deps = w.deps()
      deps.keysPort = interrupted(createApiKeysPort(deps.aws), method, nth, when)
      await assert.rejects(rotateKey({cwd: w.dir, name, overlap: '7d'}, deps), /injected failure/)
      // Then the name still has an enabled key (g1 never stopped working)
      const mid = (await listKeys({cwd: w.dir, name}, w.deps())).keys[0]!
      assert.ok(mid.generations.some((g) => g.enabled && g.id === created.id))
      // When it runs again, an hour later
      w.now.value = new Date(startedAt.getTime() + 3_600_000)
      const r = await rotateKey({cwd: w.dir, name, overlap: '7d'}, w.deps())
      // Then it finished the same rotation: two generations, not three, and the first run's retire-after
      const keys = (await listKeys({cwd: w.dir, name}, w.deps())).keys[0]!.generations
      assert.deepEqual(
        keys.map((g) => [g.keyName, g.enabled, g.status]),
        [
          [`${name}/g1`, true, 'retiring'],
          [`${name}/g2`, true, 'active'],
        ],
      )
      assert.equal(r.resumed, true)
      assert.equal(r.old.retireAfter, new Date(startedAt.getTime() + 7 * 86_400_000).toISOString().replace('.000Z', 'Z'))
      assert.equal(r.new.id, keys[1]!.id)
      for (const plan of [w.plans.basic, w.plans.premium]) {
        const ids = ((await w.t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: plan}))).items ?? []).map((k) => k.id)
        assert.ok(ids.includes(r.new.id) && ids.includes(created.id))
      }
      // And the value shown is the new key's (the first run never showed it)
      assert.equal(r.value, (await w.t.v1.send(new GetApiKeyCommand({apiKey: r.new.id, includeValue: true}))).value)
      const tags = (await w.t.v1.send(new GetApiKeyCommand({apiKey: r.new.id}))).tags ?? {}
      assert.equal(tags['apigw:rotation-pending'], undefined)
      // And a third run is a new rotation (g3), not a repeat of this one
      const again = await rotateKey({cwd: w.dir, name, overlap: '7d'}, w.deps())
      assert.equal(again.resumed, false)
      assert.equal(again.new.keyName, `${name}/g3`)
    })
  })

  it('finishes an interrupted create on a rerun of the same create', async () => {
    // Given a create that stopped after the key was made, before its plan
    const deps = w.deps()
    deps.keysPort = interrupted(createApiKeysPort(deps.aws), 'createUsagePlanKey', 1, 'before')
    await assert.rejects(createKey({cwd: w.dir, name: 'half', plans: ['basic']}, deps), /injected failure/)
    // When it runs again; Then the same key is finished, in its plan
    const r = await createKey({cwd: w.dir, name: 'half', plans: ['basic']}, w.deps())
    assert.equal(r.resumed, true)
    const gens = (await listKeys({cwd: w.dir, name: 'half'}, w.deps())).keys[0]!.generations
    assert.deepEqual(
      gens.map((g) => [g.id, g.status, g.plans]),
      [[r.id, 'active', ['basic']]],
    )
  })
})
