/** `apigw keys import` (AWS's CSV key format) and `apigw keys export` against the emulator. */
import assert from 'node:assert/strict'
import {readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {GetApiKeyCommand, GetUsagePlanKeysCommand} from '@aws-sdk/client-api-gateway'
import type {CliError} from '../../src/errors.ts'
import {importKeys} from '../../src/services/keys/import.ts'
import {exportKeys, listKeys} from '../../src/services/keys/list.ts'
import {keysWorld, type KeysWorld} from './keys-setup.ts'

const VALUE_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa01'
const VALUE_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb02'

describe('keys import and export', () => {
  let w: KeysWorld
  before(async () => {
    w = await keysWorld()
  })
  after(async () => {
    await w.close()
  })

  it("imports AWS's CSV format, with plan names or ids, as managed keys", async () => {
    // Given a key file with a plan by apigw.yaml name and one by AWS id
    writeFileSync(
      join(w.dir, 'keys.csv'),
      `Name,Key,Description,Enabled,UsagePlanIds\npartner,${VALUE_A},Partner A,TRUE,basic\nlegacy/g3,${VALUE_B},,false,"${w.plans.premium}"\n`,
    )
    // When importing
    const r = await importKeys({cwd: w.dir, file: 'keys.csv'}, w.deps())
    // Then both are managed keys, named with their generation, in their plans, and no value is in the result
    assert.deepEqual(
      r.imported.map((k) => [k.keyName, k.enabled, k.plans, k.created]),
      [
        ['partner/g1', true, ['basic'], true],
        ['legacy/g3', false, ['premium'], true],
      ],
    )
    assert.ok(!JSON.stringify(r).includes(VALUE_A) && !JSON.stringify(r).includes(VALUE_B))
    const partner = await w.t.v1.send(new GetApiKeyCommand({apiKey: r.imported[0]!.id, includeValue: true}))
    assert.equal(partner.value, VALUE_A)
    assert.deepEqual(partner.tags, {'apigw:key': 'partner', 'apigw:generation': '1'})
    const inBasic = ((await w.t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: w.plans.basic}))).items ?? []).map((k) => k.id)
    assert.deepEqual(inBasic, [r.imported[0]!.id])
  })

  it('imports the same file again without new keys', async () => {
    const r = await importKeys({cwd: w.dir, file: 'keys.csv'}, w.deps())
    assert.deepEqual(
      r.imported.map((k) => [k.keyName, k.created]),
      [
        ['partner/g1', false],
        ['legacy/g3', false],
      ],
    )
    assert.equal((await listKeys({cwd: w.dir}, w.deps())).totalKeys, 2)
  })

  const bad: Array<[string, string, string, RegExp]> = [
    [
      'a short value, without printing it',
      'Name,Key\nx,tooShortVal\n',
      'KEYS_FILE_INVALID',
      /keys-bad\.csv:2: the Key of x is 11 characters long/,
    ],
    ['a missing Key column', 'Name,Description\nx,y\n', 'KEYS_FILE_INVALID', /Key column is missing/],
    ['an unknown plan', `Name,Key,UsagePlanIds\nx,${'c'.repeat(30)},gold\n`, 'UNKNOWN_PLAN', /Known plans: basic/],
  ]
  for (const [what, csv, code, message] of bad) {
    it(`refuses ${what}, importing nothing`, async () => {
      writeFileSync(join(w.dir, 'keys-bad.csv'), csv)
      await assert.rejects(importKeys({cwd: w.dir, file: 'keys-bad.csv'}, w.deps()), (e: CliError) => {
        assert.equal(e.code, code)
        assert.match(e.message + e.hint, message)
        assert.ok(!`${e.message}${e.hint}`.includes('tooShortVal'), 'the value is not in the error')
        return true
      })
      assert.equal((await listKeys({cwd: w.dir}, w.deps())).totalKeys, 2)
    })
  }

  it('exports names and ids, with values only when asked, to a 0600 file', async () => {
    // When exporting without values; Then names, ids, plans, and no value
    const plain = await exportKeys({cwd: w.dir}, w.deps())
    assert.deepEqual(plain.columns, ['Name', 'Id', 'Enabled', 'UsagePlanIds', 'Plans'])
    assert.match(plain.csv ?? '', /^legacy\/g3,\w+,FALSE,\w+,premium$/m)
    assert.ok(!(plain.csv ?? '').includes(VALUE_A))
    // When exporting with values to a file; Then AWS's format, mode 0600, and it imports back unchanged
    const full = await exportKeys({cwd: w.dir, showValues: true, outputFile: 'out.csv'}, w.deps())
    assert.equal(full.csv, undefined)
    const file = join(w.dir, 'out.csv')
    assert.equal(statSync(file).mode & 0o777, 0o600)
    const text = readFileSync(file, 'utf8')
    assert.match(text, /^Name,Key,Description,Enabled,UsagePlanIds\n/)
    assert.ok(text.includes(`partner/g1,${VALUE_A},Partner A,TRUE,${w.plans.basic}`))
    const again = await importKeys({cwd: w.dir, file: 'out.csv'}, w.deps())
    assert.ok(again.imported.every((k) => !k.created))
  })
})
