/** Pure helpers of the v1 modules (common.ts: paging, patch operations) and of API keys (values, the CSV key file). */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import type {AwsError} from '../../../src/local/protocol/aws-error.ts'
import {parseApiKeyCsv} from '../../../src/local/control-plane/v1/api-key-import.ts'
import {valueProblem} from '../../../src/local/control-plane/v1/api-keys.ts'
import {invalidPatchPath, paginate, readPatchOperations} from '../../../src/local/control-plane/v1/common.ts'
import type {OperationRequest} from '../../../src/local/types.ts'

const items = Array.from({length: 7}, (_, i) => i)

describe('paginate', () => {
  const cases: Array<{name: string; query: Record<string, string>; items: number[]; more: boolean}> = [
    {name: 'default limit covers a short list', query: {}, items, more: false},
    {name: 'limit 3 gives the first page and a position', query: {limit: '3'}, items: [0, 1, 2], more: true},
    {name: 'negative limit is an empty page (AWS, recording 13)', query: {limit: '-1'}, items: [], more: false},
    {name: 'zero limit is an empty page', query: {limit: '0'}, items: [], more: false},
    {name: 'limit above the list gives everything', query: {limit: '500'}, items, more: false},
  ]
  for (const c of cases) {
    it(c.name, () => {
      // Given the query, When paged, Then the page and whether a position follows
      const page = paginate(items, c.query)
      assert.deepEqual(page.items, c.items)
      assert.equal(page.position !== undefined, c.more)
    })
  }

  it('walks the whole list through positions without gaps or repeats', () => {
    const seen: number[] = []
    let position: string | undefined
    do {
      const page = paginate(items, position ? {limit: '2', position} : {limit: '2'})
      seen.push(...page.items)
      position = page.position
    } while (position)
    assert.deepEqual(seen, items)
  })

  it('refuses a non-integer limit and a forged position', () => {
    assert.throws(
      () => paginate(items, {limit: 'abc'}),
      (e: AwsError) => e.code === 'SerializationException',
    )
    assert.throws(
      () => paginate(items, {position: 'bm9wZQ'}),
      (e: AwsError) => e.code === 'BadRequestException',
    )
  })
})

describe('valueProblem', () => {
  const cases: Array<[string, string | undefined]> = [
    ['a'.repeat(19), 'API Key value should be at least 20 characters'],
    ['a'.repeat(20), undefined],
    ['a'.repeat(128), undefined],
    ['a'.repeat(129), 'API Key value exceeds maximum size of 128 characters'],
  ]
  for (const [value, problem] of cases) {
    it(`${value.length} characters → ${problem ?? 'valid'}`, () => assert.equal(valueProblem(value), problem))
  }
})

function request(body: unknown): OperationRequest {
  return {
    method: 'PATCH',
    path: '/x',
    params: {},
    query: {},
    queryAll: new URLSearchParams(),
    headers: {},
    rawBody: Buffer.from(JSON.stringify(body)),
    json: () => body as Record<string, unknown>,
  }
}

describe('readPatchOperations', () => {
  it('reads ops with string values, and none from an empty body', () => {
    assert.deepEqual(readPatchOperations(request({patchOperations: [{op: 'replace', path: '/name', value: 'x'}]}), 'in'), [
      {op: 'replace', path: '/name', value: 'x'},
    ])
    assert.deepEqual(readPatchOperations(request({}), 'in'), [])
  })

  it('reports every unknown op at once in the Coral form', () => {
    const body = {
      patchOperations: [
        {op: 'bad', path: '/a'},
        {op: 'replace', path: '/b'},
        {op: 'worse', path: '/c'},
      ],
    }
    assert.throws(
      () => readPatchOperations(request(body), 'updateUsagePlanInput'),
      (e: AwsError) => {
        assert.equal(e.code, 'ValidationException')
        assert.equal(
          e.message,
          "2 validation errors detected: Value 'bad' at 'updateUsagePlanInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'worse' at 'updateUsagePlanInput.patchOperations.3.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
        )
        return true
      },
    )
  })

  it('formats invalid paths as AWS does, double space included', () => {
    assert.equal(
      invalidPatchPath('/id', 'replace', ['/a', '/b']).message,
      "Invalid patch path  '/id' specified for op 'replace'. Must be one of: [/a, /b]",
    )
    assert.equal(
      invalidPatchPath('/x', 'add').message,
      "Invalid patch path  '/x' specified for op 'add'. Please choose supported operations",
    )
  })
})

describe('parseApiKeyCsv', () => {
  const cases: Array<{name: string; csv: string; rows: Array<Record<string, string>>}> = [
    {name: 'headers in any case and order', csv: 'Key,name\nk1,n1\n', rows: [{key: 'k1', name: 'n1'}]},
    {name: 'double-quoted plan list', csv: 'Name,Key,UsagePlanIds\nn,k,"a,b"\n', rows: [{name: 'n', key: 'k', usageplanids: 'a,b'}]},
    {name: 'single-quoted plan list', csv: "Name,Key,UsagePlanIds\nn,k,'a,b'\n", rows: [{name: 'n', key: 'k', usageplanids: 'a,b'}]},
    {name: 'a BOM, blank lines and padding', csv: '\uFEFFName, Key\n\n n , k \n', rows: [{name: 'n', key: 'k'}]},
    {name: 'missing trailing cells are empty', csv: 'Name,Key,Description\nn,k\n', rows: [{name: 'n', key: 'k', description: ''}]},
  ]
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(
        parseApiKeyCsv(c.csv).map((r) => r.fields),
        c.rows,
      )
    })
  }

  it('numbers rows by their line in the file', () => {
    assert.deepEqual(
      parseApiKeyCsv('Name,Key\na,1\nb,2\n').map((r) => r.line),
      [2, 3],
    )
  })

  it('refuses a file without the Name or Key column', () => {
    assert.throws(() => parseApiKeyCsv('Key\nk\n'), /Name column is missing/)
    assert.throws(() => parseApiKeyCsv('Name\nn\n'), /Key column is missing/)
  })
})
