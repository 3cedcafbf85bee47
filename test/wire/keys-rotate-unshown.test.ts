/**
 * Issue 19.1: `keys rotate` cut after the rotation finished but before the value was shown. The rerun must
 * not make a third generation: it says the value was never shown and points at `keys list NAME
 * --show-values`, which delivers it and lets a later rotate go on.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {GetApiKeysCommand} from '@aws-sdk/client-api-gateway'
import {isCliError} from '../../src/errors.ts'
import {createKey} from '../../src/services/keys/create.ts'
import {listKeys} from '../../src/services/keys/list.ts'
import {markValueShown, rotateKey} from '../../src/services/keys/rotate.ts'
import {keysWorld, type KeysWorld} from './keys-setup.ts'

describe('keys rotate: a finished rotation whose value was never shown', () => {
  let w: KeysWorld
  before(async () => {
    w = await keysWorld()
  })
  after(async () => {
    await w.close()
  })
  const count = async (name: string) =>
    ((await w.t.v1.send(new GetApiKeysCommand({limit: 500}))).items ?? []).filter((k) => k.tags?.['apigw:key'] === name).length
  const opts = (name: string) => ({cwd: w.dir, name, confirmDelivery: true})

  it('a rerun refuses with KEY_VALUE_NOT_SHOWN and makes no third key; list --show-values delivers it', async () => {
    // Given a key rotated once by a run that was cut before printing the value (no markValueShown)
    await createKey({cwd: w.dir, name: 'cut', plans: ['basic']}, w.deps())
    const first = await rotateKey(opts('cut'), w.deps())
    assert.ok(first.value)
    assert.equal(await count('cut'), 2)
    // When rotate runs again
    const again = await rotateKey(opts('cut'), w.deps()).then(
      () => undefined,
      (e: unknown) => e,
    )
    // Then it refuses, names the generation and the command that shows the value, and made nothing
    assert.ok(isCliError(again), String(again))
    assert.equal(again.code, 'KEY_VALUE_NOT_SHOWN')
    assert.equal(again.exitCode, 2)
    assert.match(again.message, /cut\/g2/)
    assert.match(again.hint ?? '', /apigw keys list cut --show-values/)
    assert.ok(!again.message.includes(first.value!), 'the value is not in the error')
    assert.equal(await count('cut'), 2, 'no third generation')
    // And once the value was shown by keys list --show-values, a rotate goes on to g3
    const listed = await listKeys({cwd: w.dir, name: 'cut', showValues: true}, w.deps())
    assert.equal(listed.keys[0]?.generations.find((g) => g.generation === 2)?.value, first.value)
    const third = await rotateKey(opts('cut'), w.deps())
    assert.equal(third.new.generation, 3)
  })

  it('a value the caller showed (markValueShown) lets the next rotate go on', async () => {
    await createKey({cwd: w.dir, name: 'shown', plans: ['basic']}, w.deps())
    const r = await rotateKey(opts('shown'), w.deps())
    await markValueShown(r.new.id, w.deps())
    assert.equal((await rotateKey(opts('shown'), w.deps())).new.generation, 3)
  })

  it('a value given with --value or written to --output-file needs no confirmation', async () => {
    await createKey({cwd: w.dir, name: 'given', plans: ['basic']}, w.deps())
    await rotateKey({...opts('given'), value: 'A-value-the-user-chose-0001'}, w.deps())
    await rotateKey({...opts('given'), outputFile: 'given.key'}, w.deps())
    assert.equal((await rotateKey(opts('given'), w.deps())).new.generation, 4)
  })
})
