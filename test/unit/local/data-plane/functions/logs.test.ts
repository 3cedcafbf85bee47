import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, describe, it} from 'node:test'
import {filterLogEvents, getLogEvents, putLogEvents} from '../../../../../src/local/control-plane/logs/events.ts'
import {createLogGroup, createLogStream} from '../../../../../src/local/control-plane/logs/groups.ts'
import {createStoreLogSink} from '../../../../../src/local/data-plane/functions/logs.ts'
import {openStore, type Store} from '../../../../../src/local/store/store.ts'
import type {OperationContext} from '../../../../../src/local/types.ts'
import {tempDir} from '../../../../helpers/temp.ts'

const T0 = Date.UTC(2026, 11, 5, 20, 0, 0)
const GROUP = '/aws/lambda/echo'

type Out = {events: Array<{timestamp: number; message: string; ingestionTime: number}>}

describe('the function log sink', () => {
  const stores: Store[] = []
  after(() => {
    for (const s of stores) s.close()
  })
  const open = (where: 'disk' | 'memory'): Store => {
    const store = openStore(where === 'disk' ? join(tempDir('apigw-logsink-'), 'state') : ':memory:')
    stores.push(store)
    return store
  }
  const ctxOf = (store: Store, now: number): OperationContext => ({
    store,
    now: () => new Date(now),
    newId: () => 'x',
    region: 'us-east-1',
    accountId: '000000000000',
    requestId: 'r',
  })

  for (const where of ['disk', 'memory'] as const) {
    it(`writes what it is given into /aws/lambda/NAME in order, with its timestamps (${where} state)`, async () => {
      // Given a sink over a store (on disk its writes run on a thread of their own), and a clock at T0 + 5 s
      const store = open(where)
      let now = T0 + 5000
      const sink = createStoreLogSink({store, region: 'us-east-1', accountId: '000000000000', now: () => new Date(now)})
      // When two streams get lines (one out of order, one empty), 120 more lines follow, and the sink is flushed
      sink.write(GROUP, 's1', [
        {timestamp: T0 + 2, message: 'START RequestId: a'},
        {timestamp: T0 + 1, message: 'early'},
        {timestamp: T0 + 2, message: ''},
        {timestamp: T0 + 2, message: 'END RequestId: a'},
      ])
      sink.write(GROUP, 's2', [{timestamp: T0 + 3, message: 'other stream'}])
      const many = Array.from({length: 120}, (_, i) => ({timestamp: T0 + 10 + Math.floor(i / 7), message: `line ${i}`}))
      sink.write(GROUP, 's1', many)
      await sink.flush()
      now += 1000
      // Then each stream reads back sorted by timestamp, lines of one millisecond in the order written, none empty
      const s1 = (await store.read(() =>
        getLogEvents({logGroupName: GROUP, logStreamName: 's1', startFromHead: true}, ctxOf(store, now)),
      )) as Out
      assert.deepEqual(
        s1.events.map((e) => [e.timestamp, e.message]),
        [[T0 + 1, 'early'], [T0 + 2, 'START RequestId: a'], [T0 + 2, 'END RequestId: a'], ...many.map((e) => [e.timestamp, e.message])],
      )
      // And the ingestion time is the clock's at the flush
      assert.ok(s1.events.every((e) => e.ingestionTime === T0 + 5000))
      // And FilterLogEvents sees both streams, with distinct increasing eventIds in time order
      const all = (await store.read(() => filterLogEvents({logGroupName: GROUP}, ctxOf(store, now)))) as {
        events: Array<{logStreamName: string; message: string; eventId: string}>
      }
      assert.equal(all.events.length, 124)
      assert.deepEqual(
        all.events.slice(0, 4).map((e) => [e.logStreamName, e.message]),
        [
          ['s1', 'early'],
          ['s1', 'START RequestId: a'],
          ['s1', 'END RequestId: a'],
          ['s2', 'other stream'],
        ],
      )
      assert.equal(new Set(all.events.map((e) => e.eventId)).size, 124)
      // And lines written after a client's PutLogEvents come after its events (one order for both writers)
      await store.transaction(() =>
        putLogEvents({logGroupName: GROUP, logStreamName: 's2', logEvents: [{timestamp: T0 + 3, message: 'put'}]}, ctxOf(store, now)),
      )
      sink.write(GROUP, 's2', [{timestamp: T0 + 3, message: 'after put'}])
      await sink.close()
      const s2 = (await store.read(() =>
        getLogEvents({logGroupName: GROUP, logStreamName: 's2', startFromHead: true}, ctxOf(store, now)),
      )) as Out
      assert.deepEqual(
        s2.events.map((e) => e.message),
        ['other stream', 'put', 'after put'],
      )
      // And a sink closed still writes what it is given (on the calling thread)
      sink.write(GROUP, 's3', [{timestamp: T0 + 4, message: 'late'}])
      await sink.flush()
      const s3 = (await store.read(() =>
        getLogEvents({logGroupName: GROUP, logStreamName: 's3', startFromHead: true}, ctxOf(store, now)),
      )) as Out
      assert.deepEqual(
        s3.events.map((e) => e.message),
        ['late'],
      )
    })
  }

  it('answers PutLogEvents of many events with the sequence token of the last one', async () => {
    // Given 123 events put at once (rows inserted many per statement)
    const store = open('memory')
    const ctx = ctxOf(store, T0 + 5000)
    const logEvents = Array.from({length: 123}, (_, i) => ({timestamp: T0 + i, message: `m${i}`}))
    const token = (await store.transaction(() => {
      createLogGroup({logGroupName: GROUP}, ctx)
      createLogStream({logGroupName: GROUP, logStreamName: 's'}, ctx)
      return putLogEvents({logGroupName: GROUP, logStreamName: 's', logEvents}, ctx)
    })) as {nextSequenceToken: string}
    // Then the token names the 123rd row, and the events read back in order
    assert.equal(token.nextSequenceToken, `49${String(123).padStart(54, '0')}`)
    const read = (await store.read(() => getLogEvents({logGroupName: GROUP, logStreamName: 's', startFromHead: true}, ctx))) as Out
    assert.deepEqual(
      read.events.map((e) => e.message),
      logEvents.map((e) => e.message),
    )
  })
})
