/** ImportApiKeys (`POST /apikeys?mode=import&format=csv`) through the SDK v3 client against the emulator. */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateUsagePlanCommand,
  GetApiKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  ImportApiKeysCommand,
} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

type SdkError = Error & {$metadata?: {httpStatusCode?: number}}

const VALUE_A = 'apikey1234abcdefghij0123456789'
const VALUE_B = 'apikey5678abcdefghij0123456789'

describe('ImportApiKeys (wire)', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  const importCsv = (csv: string, failOnWarnings?: boolean) =>
    t.v1.send(new ImportApiKeysCommand({format: 'csv', body: Buffer.from(csv), failOnWarnings}))

  it('imports the documented examples: any column order and case, Enabled defaulting to true', async () => {
    // Given AWS's first example (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-file-format.html)
    const res = await importCsv(`Key,name\n${VALUE_A},MyFirstApiKey\n`)
    // Then 201 with one id and no warnings, and the key is enabled with the given value
    assert.equal(res.$metadata.httpStatusCode, 201)
    assert.equal(res.ids?.length, 1)
    assert.deepEqual(res.warnings, [])
    const key = await t.v1.send(new GetApiKeyCommand({apiKey: res.ids![0]!, includeValue: true}))
    assert.equal(key.name, 'MyFirstApiKey')
    assert.equal(key.value, VALUE_A)
    assert.equal(key.enabled, true)
  })

  it('overwrites the key with the same value instead of creating a second one', async () => {
    // Given the key imported above, When the same value is imported with new columns
    const before = (await t.v1.send(new GetApiKeysCommand({}))).items?.length ?? 0
    const res = await importCsv(`Name,key,description,Enabled\nRenamedKey,${VALUE_A},An imported key,FALSE\n`)
    // Then the same id is answered and the key carries the new name, description and enabled
    const key = await t.v1.send(new GetApiKeyCommand({apiKey: res.ids![0]!}))
    assert.equal(key.name, 'RenamedKey')
    assert.equal(key.description, 'An imported key')
    assert.equal(key.enabled, false)
    assert.equal((await t.v1.send(new GetApiKeysCommand({}))).items?.length, before)
  })

  const planCases = [
    {quote: 'double', csv: (p: string, q: string) => `Enabled,Name,key,UsageplanIds\ntrue,Quoted,${VALUE_B},"${p},${q}"\n`},
    {quote: 'single', csv: (p: string, q: string) => `Enabled,Name,key,UsageplanIds\ntrue,SingleQuoted,${VALUE_B}x,'${p},${q}'\n`},
  ]
  for (const c of planCases) {
    it(`attaches keys to the usage plans of a ${c.quote}-quoted UsagePlanIds list`, async () => {
      // Given two usage plans
      const p = await t.v1.send(new CreateUsagePlanCommand({name: `p-${c.quote}`}))
      const q = await t.v1.send(new CreateUsagePlanCommand({name: `q-${c.quote}`}))
      // When a key names both
      const res = await importCsv(c.csv(p.id!, q.id!))
      // Then it is in both plans
      assert.deepEqual(res.warnings, [])
      for (const plan of [p, q]) {
        const keys = await t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: plan.id!}))
        assert.deepEqual(
          keys.items?.map((k) => k.id),
          res.ids,
        )
      }
      // And importing the same file again overwrites the key without a second link or an error
      const again = await importCsv(c.csv(p.id!, q.id!))
      assert.deepEqual(again.ids, res.ids)
      assert.equal((await t.v1.send(new GetUsagePlanKeysCommand({usagePlanId: p.id!}))).items?.length, 1)
    })
  }

  it('skips bad rows with warnings, or rejects the whole file with failonwarnings', async () => {
    // Given files with one good row and bad rows (a short value, an unknown plan)
    const csv = `name,key\nGood,${'g'.repeat(25)}\nShort,short\n`
    const withPlan = `name,key,usageplanids\nGood2,${'h'.repeat(25)},\nShort,short,\nNoPlan,${'n'.repeat(25)},noplan\n`
    // When imported without failonwarnings, Then good rows land and bad rows are warnings naming their line
    const lenient = await importCsv(withPlan)
    assert.equal(lenient.ids?.length, 1)
    assert.equal(lenient.warnings?.length, 2)
    assert.match(lenient.warnings![0]!, /^Line 3: API Key value should be at least 20 characters$/)
    assert.match(lenient.warnings![1]!, /^Line 4: Invalid Usage Plan ID specified: noplan$/)
    // When imported with failonwarnings, Then 400 and nothing of the file is written
    const count = (await t.v1.send(new GetApiKeysCommand({limit: 500}))).items?.length
    await assert.rejects(importCsv(csv, true), (e: SdkError) => {
      assert.equal(e.name, 'BadRequestException')
      assert.match(e.message, /Line 3: API Key value should be at least 20 characters/)
      return true
    })
    assert.equal((await t.v1.send(new GetApiKeysCommand({limit: 500}))).items?.length, count)
  })

  const refused: Array<{why: string; send: () => Promise<unknown>; message: RegExp}> = [
    {why: 'a file without a Key column', send: () => importCsv('Name,Description\nx,y\n'), message: /Key column is missing/},
    {why: 'a file without a Name column', send: () => importCsv(`Key\n${VALUE_A}\n`), message: /Name column is missing/},
    {why: 'an empty file', send: () => importCsv(''), message: /empty/},
    {
      why: 'a format other than csv',
      send: () => t.v1.send(new ImportApiKeysCommand({format: 'json' as 'csv', body: Buffer.from(`Key,Name\n${VALUE_A},x\n`)})),
      message: /Invalid format specified: json/,
    },
  ]
  for (const r of refused) {
    it(`refuses ${r.why} with BadRequestException`, async () => {
      await assert.rejects(r.send(), (e: SdkError) => {
        assert.equal(e.name, 'BadRequestException')
        assert.equal(e.$metadata?.httpStatusCode, 400)
        assert.match(e.message, r.message)
        return true
      })
    })
  }
})
