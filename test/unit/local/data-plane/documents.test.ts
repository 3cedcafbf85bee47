/**
 * The data plane's document cache (data-plane/documents.ts) over the store's generation (store.ts): documents and
 * indexes are served from memory until a write of this process, a rolled-back transaction, or a commit of
 * another connection on the same state (a CLI process) changes the store; then the next read sees the change.
 */
import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {DocumentCache} from '../../../../src/local/data-plane/documents.ts'
import {openStore} from '../../../../src/local/store/store.ts'
import {tempDir} from '../../../helpers/temp.ts'

const nextTurn = () => new Promise((resolve) => setImmediate(resolve))

describe('DocumentCache', () => {
  it('serves a document from memory until this process writes, and sees the write at once', () => {
    // Given a stored stage read once through the cache
    const store = openStore(':memory:')
    const docs = new DocumentCache(store)
    store.put('stage', 'a/dev', {variables: {v: '1'}})
    const first = docs.get<{variables: {v: string}}>('stage', 'a/dev')
    // When it is read again, then written and read
    const again = docs.get('stage', 'a/dev')
    store.put('stage', 'a/dev', {variables: {v: '2'}})
    const after = docs.get<{variables: {v: string}}>('stage', 'a/dev')
    // Then the second read is the same object, and the read after the write sees the new document
    assert.equal(again, first)
    assert.equal(after?.variables.v, '2')
    // And a deleted or missing document is undefined, also from memory
    store.delete('stage', 'a/dev')
    assert.equal(docs.get('stage', 'a/dev'), undefined)
    assert.equal(docs.get('stage', 'a/dev'), undefined)
    store.close()
  })

  it('drops what a rolled-back transaction showed', async () => {
    const store = openStore(':memory:')
    const docs = new DocumentCache(store)
    // Given a transaction that writes, is read through the cache while open, then fails
    await assert.rejects(
      store.transaction(() => {
        store.put('apikey', 'k1', {value: 'v'})
        assert.deepEqual(docs.get('apikey', 'k1'), {value: 'v'})
        throw new Error('refused')
      }),
    )
    // Then the cache no longer has the rolled-back document
    assert.equal(docs.get('apikey', 'k1'), undefined)
    store.close()
  })

  it("rebuilds an index after another process's commit on the same state, by the next turn of the event loop", async () => {
    // Given two connections on one state directory (a server and a CLI process) and an index built by the first
    const dir = tempDir('apigw-docs-')
    const server = openStore(dir)
    const cli = openStore(dir)
    const docs = new DocumentCache(server)
    let builds = 0
    const keys = () =>
      docs.derive('keys', (s) => {
        builds++
        return s.list<{value: string}>('apikey').map((k) => k.value)
      })
    assert.deepEqual(keys(), [])
    await nextTurn()
    assert.deepEqual(keys(), [])
    assert.equal(builds, 1)
    // When the other connection commits a key
    await cli.transaction(() => cli.put('apikey', 'k1', {value: 'new-key'}))
    await nextTurn()
    // Then the index is rebuilt with it
    assert.deepEqual(keys(), ['new-key'])
    assert.equal(builds, 2)
    cli.close()
    server.close()
  })
})

describe('DocumentCache bounds', () => {
  it('keeps at most 10,000 documents between two changes of the store, and still answers every read', () => {
    // Given a store with one stage, and reads of 20,000 stages that do not exist (a client naming random stages)
    const store = openStore(':memory:')
    const docs = new DocumentCache(store)
    store.put('stage', 'a/dev', {stageName: 'dev'})
    for (let i = 0; i < 20_000; i++) assert.equal(docs.get('stage', `a/random-${i}`), undefined)
    // Then the cache holds no more than its bound, and the stored stage is still read right
    assert.ok((docs as unknown as {docs: Map<string, unknown>}).docs.size <= 10_000)
    assert.deepEqual(docs.get('stage', 'a/dev'), {stageName: 'dev'})
    store.close()
  })
})
