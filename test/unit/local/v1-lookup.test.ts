/** v1 wire helpers: position/limit paging, patch operation validation, private-member stripping, lookups. */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {childId, KIND} from '../../../src/local/control-plane/model.ts'
import {page, readPatchOperations as patchOperations, unescapePointer, wire} from '../../../src/local/control-plane/v1/common.ts'
import {requireStage} from '../../../src/local/control-plane/v1/lookup.ts'
import {AwsError} from '../../../src/local/protocol/aws-error.ts'
import {openStore} from '../../../src/local/store/store.ts'
import type {OperationRequest} from '../../../src/local/types.ts'

function request(query: Record<string, string>, body: unknown = {}): OperationRequest {
  return {
    method: 'GET',
    path: '/',
    params: {},
    query,
    queryAll: new URLSearchParams(query),
    headers: {},
    rawBody: Buffer.from(JSON.stringify(body)),
    json: () => body as Record<string, unknown>,
  }
}

const items = Array.from({length: 30}, (_, i) => i)

describe('page', () => {
  it('defaults to 25 items and names the next position', () => {
    const first = page(request({}), items)
    assert.deepEqual(first.item, items.slice(0, 25))
    assert.ok(first.position)
    const second = page(request({position: first.position!}), items)
    assert.deepEqual(second, {item: items.slice(25)})
  })

  it('answers an empty page for a zero or negative limit and caps a limit at 500, as AWS does (recording 13)', () => {
    assert.deepEqual(page(request({limit: '0'}), items), {item: []})
    assert.deepEqual(page(request({limit: '-1'}), items), {item: []})
    const many = Array.from({length: 600}, (_, i) => i)
    const capped = page(request({limit: '501'}), many)
    assert.equal(capped.item.length, 500)
    assert.deepEqual(page(request({limit: '501', position: capped.position!}), many).item, many.slice(500))
  })

  const bad: Array<{query: Record<string, string>; code: string}> = [
    {query: {limit: 'ten'}, code: 'SerializationException'},
    {query: {position: 'not-a-position'}, code: 'BadRequestException'},
  ]
  for (const c of bad) {
    it(`refuses ${JSON.stringify(c.query)} with ${c.code}`, () => {
      assert.throws(
        () => page(request(c.query), items),
        (e: AwsError) => e instanceof AwsError && e.code === c.code && e.status === 400,
      )
    })
  }
})

describe('patchOperations', () => {
  it('reads ops, stringifying values', () => {
    const ops = patchOperations(
      request(
        {},
        {
          patchOperations: [
            {op: 'replace', path: '/a', value: 5},
            {op: 'copy', path: '/b', from: '/c'},
          ],
        },
      ),
      'updateStageInput',
    )
    assert.deepEqual(ops, [
      {op: 'replace', path: '/a', value: '5'},
      {op: 'copy', path: '/b', from: '/c'},
    ])
  })

  it('refuses unknown ops with the Coral message AWS sends, counting every bad one', () => {
    const req = request(
      {},
      {
        patchOperations: [
          {op: 'wrong', path: '/a'},
          {op: 'add', path: '/b'},
          {op: 'nope', path: '/c'},
        ],
      },
    )
    assert.throws(
      () => patchOperations(req, 'updateRestApiInput'),
      (e: AwsError) =>
        e.code === 'ValidationException' &&
        e.message ===
          "2 validation errors detected: Value 'wrong' at 'updateRestApiInput.patchOperations.1.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]; Value 'nope' at 'updateRestApiInput.patchOperations.3.member.op' failed to satisfy constraint: Member must satisfy enum value set: [add, remove, move, test, replace, copy]",
    )
  })
})

describe('small helpers', () => {
  it('unescapes JSON pointer segments and strips private members', () => {
    assert.equal(unescapePointer('image~1png~0x'), 'image/png~x')
    assert.deepEqual(wire({id: 'a', _snapshot: {x: 1}}), {id: 'a'})
  })

  it('requireStage checks the API, then the stage', () => {
    const store = openStore(':memory:')
    try {
      assert.throws(() => requireStage(store, 'api1', 'dev'), /Invalid API identifier specified 000000000000:api1/)
      store.put(KIND.restApi, 'api1', {id: 'api1'})
      assert.throws(() => requireStage(store, 'api1', 'dev'), /Invalid Stage identifier specified/)
      store.put(KIND.stage, childId('api1', 'dev'), {stageName: 'dev'}, 'api1')
      assert.equal(requireStage(store, 'api1', 'dev').stageName, 'dev')
    } finally {
      store.close()
    }
  })
})
