import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  type FilterLogEventsCommandInput,
  GetLogEventsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  paginateDescribeLogGroups,
  paginateFilterLogEvents,
  paginateGetLogEvents,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  UntagLogGroupCommand,
} from '@aws-sdk/client-cloudwatch-logs'
import {rmSync} from 'node:fs'
import {LOGS_NOT_IMPLEMENTED} from '../../src/local/control-plane/logs/index.ts'
import {SIGNED, startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {rejectsWith} from '../helpers/rejects.ts'
import {tempDir} from '../helpers/temp.ts'

const MIN = 60_000
const HOUR = 60 * MIN
const DAY = 24 * HOUR

describe('CloudWatch Logs through the SDK v3 client', () => {
  let t: TestEmulator
  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  async function groupWithStreams(group: string, ...streams: string[]): Promise<void> {
    await t.logs.send(new CreateLogGroupCommand({logGroupName: group}))
    for (const s of streams) await t.logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: s}))
  }

  describe('log groups', () => {
    it('creates, describes with both ARN forms, and refuses a duplicate', async () => {
      // Given a new group
      await t.logs.send(new CreateLogGroupCommand({logGroupName: '/aws/apigw/g1'}))
      // When it is described by prefix
      const out = await t.logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: '/aws/apigw/g1'}))
      // Then it has AWS's shape: arn with :*, logGroupArn without
      assert.equal(out.logGroups?.length, 1)
      const g = out.logGroups![0]!
      assert.equal(g.logGroupName, '/aws/apigw/g1')
      assert.equal(g.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigw/g1:*')
      assert.equal(g.logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/aws/apigw/g1')
      assert.equal(g.storedBytes, 0)
      assert.equal(g.metricFilterCount, 0)
      assert.equal(g.logGroupClass, 'STANDARD')
      assert.ok(typeof g.creationTime === 'number' && Math.abs(g.creationTime - Date.now()) < MIN)
      assert.equal(g.retentionInDays, undefined)
      await rejectsWith(t.logs.send(new CreateLogGroupCommand({logGroupName: '/aws/apigw/g1'})), {
        name: 'ResourceAlreadyExistsException',
        status: 400,
        message: 'The specified log group already exists',
      })
    })

    const invalidNames: Array<{name: string; code: string; message: string | RegExp}> = [
      {
        name: 'a'.repeat(513),
        code: 'InvalidParameterException',
        message: 'Invalid LogGroup or LogStream, both must have length less than or equal to 512.',
      },
      {
        name: 'bad name!',
        code: 'InvalidParameterException',
        message:
          /^1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern/,
      },
    ]
    for (const c of invalidNames) {
      it(`refuses the group name ${c.name.slice(0, 12)}…`, async () => {
        // Given an invalid name, When a group is created with it, Then AWS's error answers
        await rejectsWith(t.logs.send(new CreateLogGroupCommand({logGroupName: c.name})), {name: c.code, status: 400, message: c.message})
      })
    }

    it('filters by prefix or case-insensitive pattern, and refuses both', async () => {
      // Given three groups
      for (const n of ['pfx-alpha', 'pfx-Beta', 'other-beta']) await t.logs.send(new CreateLogGroupCommand({logGroupName: n}))
      // When described by prefix and by pattern
      const byPrefix = await t.logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: 'pfx-'}))
      const byPattern = await t.logs.send(new DescribeLogGroupsCommand({logGroupNamePattern: 'beta'}))
      // Then the lists are sorted by name, and a pattern search leaves storedBytes out as AWS does
      assert.deepEqual(
        byPrefix.logGroups?.map((g) => g.logGroupName),
        ['pfx-Beta', 'pfx-alpha'],
      )
      assert.deepEqual(
        byPattern.logGroups?.map((g) => g.logGroupName),
        ['other-beta', 'pfx-Beta'],
      )
      assert.equal(byPattern.logGroups![0]!.storedBytes, undefined)
      await rejectsWith(t.logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: 'a', logGroupNamePattern: 'a'})), {
        name: 'InvalidParameterException',
        status: 400,
        message: 'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
      })
    })

    it('pages with limit and nextToken, and validates the limit', async () => {
      // Given 7 groups under one prefix
      for (let i = 0; i < 7; i++) await t.logs.send(new CreateLogGroupCommand({logGroupName: `page-${i}`}))
      // When paged 3 at a time
      const names: string[] = []
      let pages = 0
      for await (const page of paginateDescribeLogGroups({client: t.logs, pageSize: 3}, {logGroupNamePrefix: 'page-'})) {
        pages++
        names.push(...(page.logGroups ?? []).map((g) => g.logGroupName!))
      }
      // Then every group comes once, in order, over 3 pages
      assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4', 'page-5', 'page-6'])
      assert.equal(pages, 3)
      await rejectsWith(t.logs.send(new DescribeLogGroupsCommand({limit: 51})), {
        name: 'InvalidParameterException',
        status: 400,
        message:
          "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50",
      })
      await rejectsWith(t.logs.send(new DescribeLogGroupsCommand({nextToken: 'garbage'})), {
        name: 'InvalidParameterException',
        status: 400,
        message: 'The specified nextToken is invalid.',
      })
    })

    it('puts and deletes a retention policy, refusing values AWS refuses', async () => {
      // Given a group
      await t.logs.send(new CreateLogGroupCommand({logGroupName: 'retained'}))
      // When a retention of 7 days is set
      await t.logs.send(new PutRetentionPolicyCommand({logGroupName: 'retained', retentionInDays: 7}))
      const set = await t.logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: 'retained'}))
      // Then it shows, and goes away when deleted
      assert.equal(set.logGroups![0]!.retentionInDays, 7)
      await t.logs.send(new DeleteRetentionPolicyCommand({logGroupName: 'retained'}))
      const unset = await t.logs.send(new DescribeLogGroupsCommand({logGroupNamePrefix: 'retained'}))
      assert.equal(unset.logGroups![0]!.retentionInDays, undefined)
      await rejectsWith(t.logs.send(new PutRetentionPolicyCommand({logGroupName: 'retained', retentionInDays: 2})), {
        name: 'InvalidParameterException',
        status: 400,
        message:
          /^1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: \[1, 3, 5, 7, 14/,
      })
      await rejectsWith(t.logs.send(new PutRetentionPolicyCommand({logGroupName: 'nope', retentionInDays: 7})), {
        name: 'ResourceNotFoundException',
        status: 400,
        message: 'The specified log group does not exist.',
      })
    })

    it('tags a group by name and by ARN', async () => {
      // Given a group created with a tag
      await t.logs.send(new CreateLogGroupCommand({logGroupName: 'tagged', tags: {'apigw:api': 'pets'}}))
      const arn = 'arn:aws:logs:us-east-1:000000000000:log-group:tagged'
      // When a tag is added by ARN and one removed by name
      await t.logs.send(new TagResourceCommand({resourceArn: arn, tags: {env: 'dev'}}))
      await t.logs.send(new UntagLogGroupCommand({logGroupName: 'tagged', tags: ['apigw:api']}))
      // Then both listings agree
      assert.deepEqual((await t.logs.send(new ListTagsLogGroupCommand({logGroupName: 'tagged'}))).tags, {env: 'dev'})
      assert.deepEqual((await t.logs.send(new ListTagsForResourceCommand({resourceArn: arn}))).tags, {env: 'dev'})
    })

    it('deletes a group with its streams and events', async () => {
      // Given a group with an event
      await groupWithStreams('doomed', 's')
      await t.logs.send(
        new PutLogEventsCommand({logGroupName: 'doomed', logStreamName: 's', logEvents: [{timestamp: Date.now(), message: 'x'}]}),
      )
      // When it is deleted and created again
      await t.logs.send(new DeleteLogGroupCommand({logGroupName: 'doomed'}))
      await rejectsWith(t.logs.send(new DeleteLogGroupCommand({logGroupName: 'doomed'})), {
        name: 'ResourceNotFoundException',
        status: 400,
        message: 'The specified log group does not exist.',
      })
      await groupWithStreams('doomed')
      // Then nothing of the old one is left
      assert.deepEqual((await t.logs.send(new DescribeLogStreamsCommand({logGroupName: 'doomed'}))).logStreams, [])
      assert.deepEqual((await t.logs.send(new FilterLogEventsCommand({logGroupName: 'doomed'}))).events, [])
    })
  })

  describe('log streams', () => {
    it('creates, refuses a duplicate, describes by name or ARN identifier', async () => {
      // Given a group with a stream
      await groupWithStreams('streams-a', 'one')
      await rejectsWith(t.logs.send(new CreateLogStreamCommand({logGroupName: 'streams-a', logStreamName: 'one'})), {
        name: 'ResourceAlreadyExistsException',
        status: 400,
        message: 'The specified log stream already exists',
      })
      // When it is described by name and by the group's ARN
      const byName = await t.logs.send(new DescribeLogStreamsCommand({logGroupName: 'streams-a'}))
      const byArn = await t.logs.send(
        new DescribeLogStreamsCommand({logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:streams-a:*'}),
      )
      // Then both give the stream in AWS's shape
      assert.deepEqual(byName.logStreams, byArn.logStreams)
      const s = byName.logStreams![0]!
      assert.equal(s.logStreamName, 'one')
      assert.equal(s.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:streams-a:log-stream:one')
      assert.equal(s.storedBytes, 0)
      assert.equal(s.firstEventTimestamp, undefined)
      await rejectsWith(t.logs.send(new DescribeLogStreamsCommand({logGroupName: 'streams-a', logGroupIdentifier: 'streams-a'})), {
        name: 'ValidationException',
        status: 400,
        message: 'LogGroup name and LogGroup ARN are mutually exclusive parameters.',
      })
      await rejectsWith(t.logs.send(new CreateLogStreamCommand({logGroupName: 'no-such-group', logStreamName: 'x'})), {
        name: 'ResourceNotFoundException',
        status: 400,
        message: 'The specified log group does not exist.',
      })
    })

    it('orders by LastEventTime descending, pages, and reports event times', async () => {
      // Given three streams whose last events are in the order b, c, a
      await groupWithStreams('streams-b', 'a', 'b', 'c')
      const now = Date.now()
      for (const [name, ts] of [
        ['b', now - 3000],
        ['c', now - 2000],
        ['a', now - 1000],
      ] as const) {
        await t.logs.send(
          new PutLogEventsCommand({logGroupName: 'streams-b', logStreamName: name, logEvents: [{timestamp: ts, message: name}]}),
        )
      }
      // When described newest first, two per page
      const first = await t.logs.send(
        new DescribeLogStreamsCommand({logGroupName: 'streams-b', orderBy: 'LastEventTime', descending: true, limit: 2}),
      )
      const second = await t.logs.send(
        new DescribeLogStreamsCommand({
          logGroupName: 'streams-b',
          orderBy: 'LastEventTime',
          descending: true,
          limit: 2,
          nextToken: first.nextToken,
        }),
      )
      // Then the order is a, c | b, and the event times are those written
      assert.deepEqual(
        first.logStreams?.map((s) => s.logStreamName),
        ['a', 'c'],
      )
      assert.deepEqual(
        second.logStreams?.map((s) => s.logStreamName),
        ['b'],
      )
      assert.equal(second.nextToken, undefined)
      const a = first.logStreams![0]!
      assert.equal(a.firstEventTimestamp, now - 1000)
      assert.equal(a.lastEventTimestamp, now - 1000)
      assert.ok(a.lastIngestionTime! >= now - MIN)
      await rejectsWith(
        t.logs.send(new DescribeLogStreamsCommand({logGroupName: 'streams-b', orderBy: 'LastEventTime', logStreamNamePrefix: 'a'})),
        {name: 'InvalidParameterException', status: 400, message: 'Cannot order by LastEventTime with a logStreamNamePrefix.'},
      )
      const prefixed = await t.logs.send(new DescribeLogStreamsCommand({logGroupName: 'streams-b', logStreamNamePrefix: 'b'}))
      assert.deepEqual(
        prefixed.logStreams?.map((s) => s.logStreamName),
        ['b'],
      )
    })

    it('deletes a stream and its events', async () => {
      // Given a stream with an event
      await groupWithStreams('streams-c', 'gone', 'kept')
      const now = Date.now()
      for (const s of ['gone', 'kept']) {
        await t.logs.send(new PutLogEventsCommand({logGroupName: 'streams-c', logStreamName: s, logEvents: [{timestamp: now, message: s}]}))
      }
      // When one stream is deleted
      await t.logs.send(new DeleteLogStreamCommand({logGroupName: 'streams-c', logStreamName: 'gone'}))
      // Then only the other's events remain, and a second delete is not found
      const left = await t.logs.send(new FilterLogEventsCommand({logGroupName: 'streams-c'}))
      assert.deepEqual(
        left.events?.map((e) => e.message),
        ['kept'],
      )
      await rejectsWith(t.logs.send(new DeleteLogStreamCommand({logGroupName: 'streams-c', logStreamName: 'gone'})), {
        name: 'ResourceNotFoundException',
        status: 400,
        message: 'The specified log stream does not exist.',
      })
    })
  })

  describe('PutLogEvents', () => {
    before(async () => {
      await groupWithStreams('put', 's')
    })

    it('accepts a batch and returns a nextSequenceToken, ignoring the one sent', async () => {
      // Given a batch sent with a stale sequence token
      const now = Date.now()
      const out = await t.logs.send(
        new PutLogEventsCommand({
          logGroupName: 'put',
          logStreamName: 's',
          sequenceToken: 'stale',
          logEvents: [
            {timestamp: now, message: 'a'},
            {timestamp: now, message: 'b'},
          ],
        }),
      )
      // Then it is accepted with no rejection info
      assert.match(out.nextSequenceToken ?? '', /^\d{56}$/)
      assert.equal(out.rejectedLogEventsInfo, undefined)
    })

    it('reports too-old and too-new events in rejectedLogEventsInfo and stores the rest', async () => {
      // Given a batch with an event 14 days and an hour old then one 13 days and 23 hours old, and a batch
      // with one event now and one 3 hours ahead
      await groupWithStreams('put-rejects', 's')
      const now = Date.now()
      const old = await t.logs.send(
        new PutLogEventsCommand({
          logGroupName: 'put-rejects',
          logStreamName: 's',
          logEvents: [
            {timestamp: now - 14 * DAY - HOUR, message: 'too old'},
            {timestamp: now - 14 * DAY + HOUR, message: 'old but kept'},
          ],
        }),
      )
      const ahead = await t.logs.send(
        new PutLogEventsCommand({
          logGroupName: 'put-rejects',
          logStreamName: 's',
          logEvents: [
            {timestamp: now, message: 'ok'},
            {timestamp: now + 3 * HOUR, message: 'too new'},
          ],
        }),
      )
      // Then AWS's indexes say which were dropped (end exclusive, start inclusive), and the rest is stored
      assert.deepEqual(old.rejectedLogEventsInfo, {tooOldLogEventEndIndex: 1})
      assert.deepEqual(ahead.rejectedLogEventsInfo, {tooNewLogEventStartIndex: 1})
      const stored = await t.logs.send(new FilterLogEventsCommand({logGroupName: 'put-rejects'}))
      assert.deepEqual(
        stored.events?.map((e) => e.message),
        ['old but kept', 'ok'],
      )
    })

    it('reports events older than the retention as expired', async () => {
      // Given a group with 1-day retention
      await groupWithStreams('put-expired', 's')
      await t.logs.send(new PutRetentionPolicyCommand({logGroupName: 'put-expired', retentionInDays: 1}))
      const now = Date.now()
      // When an event two days old is sent
      const out = await t.logs.send(
        new PutLogEventsCommand({logGroupName: 'put-expired', logStreamName: 's', logEvents: [{timestamp: now - 2 * DAY, message: 'x'}]}),
      )
      // Then it is expired
      assert.deepEqual(out.rejectedLogEventsInfo, {expiredLogEventEndIndex: 1})
    })

    const now = Date.now()
    const bad: Array<{what: string; events: Array<{timestamp: number; message: string}>; code: string; message: string | RegExp}> = [
      {
        what: 'out of order',
        events: [
          {timestamp: now, message: 'b'},
          {timestamp: now - 1, message: 'a'},
        ],
        code: 'InvalidParameterException',
        message: 'Log events in a single PutLogEvents request must be in chronological order.',
      },
      {
        what: 'over 1 MB counting 26 bytes per event',
        events: Array.from({length: 4}, () => ({timestamp: now, message: 'x'.repeat(262_144 - 20)})),
        code: 'InvalidParameterException',
        message: `Upload too large: ${4 * (262_144 - 20 + 26)} bytes exceeds limit of 1048576`,
      },
      {
        what: 'over 10,000 events',
        events: Array.from({length: 10_001}, () => ({timestamp: now, message: 'x'})),
        code: 'InvalidParameterException',
        message: /at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000$/,
      },
      {
        what: 'spanning more than 24 hours',
        events: [
          {timestamp: now - 25 * HOUR, message: 'a'},
          {timestamp: now, message: 'b'},
        ],
        code: 'InvalidParameterException',
        message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
      },
    ]
    for (const c of bad) {
      it(`refuses a batch ${c.what}`, async () => {
        // Given a bad batch, When it is put, Then AWS's error answers and nothing is stored
        await rejectsWith(t.logs.send(new PutLogEventsCommand({logGroupName: 'put', logStreamName: 's', logEvents: c.events})), {
          name: c.code,
          status: 400,
          message: c.message,
        })
      })
    }

    it('refuses a missing stream', async () => {
      await rejectsWith(
        t.logs.send(
          new PutLogEventsCommand({logGroupName: 'put', logStreamName: 'none', logEvents: [{timestamp: Date.now(), message: 'x'}]}),
        ),
        {name: 'ResourceNotFoundException', status: 400, message: 'The specified log stream does not exist.'},
      )
    })
  })

  describe('GetLogEvents', () => {
    const base = Date.now() - HOUR
    before(async () => {
      // Given 25 events e0..e24 in one stream, one millisecond apart (two share a timestamp)
      await groupWithStreams('get', 's')
      const events = Array.from({length: 25}, (_, i) => ({timestamp: base + (i === 24 ? 23 : i), message: `e${i}`}))
      await t.logs.send(new PutLogEventsCommand({logGroupName: 'get', logStreamName: 's', logEvents: events}))
    })

    it('returns the newest events by default and the oldest with startFromHead', async () => {
      const tail = await t.logs.send(new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', limit: 3}))
      const head = await t.logs.send(new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', limit: 3, startFromHead: true}))
      assert.deepEqual(
        tail.events?.map((e) => e.message),
        ['e22', 'e23', 'e24'],
      )
      assert.deepEqual(
        head.events?.map((e) => e.message),
        ['e0', 'e1', 'e2'],
      )
      assert.equal(head.events![0]!.timestamp, base)
      assert.ok(typeof head.events![0]!.ingestionTime === 'number')
    })

    it('walks forward with nextForwardToken and gets the same token back at the end', async () => {
      // Given the head page
      let page = await t.logs.send(new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', limit: 10, startFromHead: true}))
      const seen = page.events!.map((e) => e.message)
      // When following nextForwardToken until it comes back unchanged
      for (let i = 0; i < 10; i++) {
        const token = page.nextForwardToken
        page = await t.logs.send(new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', limit: 10, nextToken: token}))
        seen.push(...page.events!.map((e) => e.message))
        if (page.nextForwardToken === token) break
      }
      // Then every event came once in order, and the last page was empty with the same token
      assert.deepEqual(
        seen,
        Array.from({length: 25}, (_, i) => `e${i}`),
      )
      assert.deepEqual(page.events, [])
    })

    it('walks backward with nextBackwardToken', async () => {
      const last = await t.logs.send(new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', limit: 5}))
      const before = await t.logs.send(
        new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', limit: 5, nextToken: last.nextBackwardToken}),
      )
      assert.deepEqual(
        before.events?.map((e) => e.message),
        ['e15', 'e16', 'e17', 'e18', 'e19'],
      )
    })

    it('ends the SDK paginator (stopOnSameToken) with every event once', async () => {
      const seen: string[] = []
      for await (const page of paginateGetLogEvents(
        {client: t.logs, pageSize: 7, stopOnSameToken: true},
        {logGroupName: 'get', logStreamName: 's', startFromHead: true},
      )) {
        seen.push(...(page.events ?? []).map((e) => e.message!))
      }
      assert.deepEqual(
        seen,
        Array.from({length: 25}, (_, i) => `e${i}`),
      )
    })

    it('honours startTime (inclusive) and endTime (exclusive)', async () => {
      const out = await t.logs.send(
        new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', startTime: base + 5, endTime: base + 8, startFromHead: true}),
      )
      assert.deepEqual(
        out.events?.map((e) => e.message),
        ['e5', 'e6', 'e7'],
      )
    })

    const errors: Array<{what: string; input: Record<string, unknown>; code: string; message: string}> = [
      {
        what: 'an invalid token',
        input: {nextToken: 'invalid-token'},
        code: 'InvalidParameterException',
        message: 'The specified nextToken is invalid.',
      },
      {
        what: 'limit 10001',
        input: {limit: 10001},
        code: 'InvalidParameterException',
        message:
          "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
      },
      {
        what: 'a missing stream',
        input: {logStreamName: 'nope'},
        code: 'ResourceNotFoundException',
        message: 'The specified log stream does not exist.',
      },
      {
        what: 'a missing group',
        input: {logGroupName: 'nope'},
        code: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
      },
    ]
    for (const c of errors) {
      it(`refuses ${c.what}`, async () => {
        await rejectsWith(t.logs.send(new GetLogEventsCommand({logGroupName: 'get', logStreamName: 's', ...c.input})), {
          name: c.code,
          status: 400,
          message: c.message,
        })
      })
    }
  })

  describe('FilterLogEvents', () => {
    const base = Date.now() - 30 * MIN
    before(async () => {
      // Given two streams whose events interleave in time; access-log JSON with statuses 200/404/500
      await groupWithStreams('filter', 'web-1', 'web-2', 'worker')
      const statuses = [200, 404, 500]
      for (const [k, stream] of ['web-1', 'web-2'].entries()) {
        const events = Array.from({length: 30}, (_, i) => ({
          timestamp: base + i * 2 + k,
          message: JSON.stringify({requestId: `${stream}-${i}`, status: statuses[i % 3], path: i % 2 ? '/pets' : '/users'}),
        }))
        await t.logs.send(new PutLogEventsCommand({logGroupName: 'filter', logStreamName: stream, logEvents: events}))
      }
      await t.logs.send(
        new PutLogEventsCommand({
          logGroupName: 'filter',
          logStreamName: 'worker',
          logEvents: [
            {timestamp: base + 100, message: 'ERROR job failed'},
            {timestamp: base + 101, message: 'INFO job done'},
          ],
        }),
      )
    })

    async function all(
      input: Omit<FilterLogEventsCommandInput, 'nextToken'>,
      pageSize?: number,
    ): Promise<Array<{message: string; eventId: string; timestamp: number; logStreamName: string}>> {
      const out = []
      for await (const page of paginateFilterLogEvents({client: t.logs, ...(pageSize ? {pageSize} : {})}, input)) {
        assert.deepEqual(page.searchedLogStreams, [])
        for (const e of page.events ?? [])
          out.push({message: e.message!, eventId: e.eventId!, timestamp: e.timestamp!, logStreamName: e.logStreamName!})
      }
      return out
    }

    it('returns every event of the group sorted by timestamp across streams', async () => {
      const events = await all({logGroupName: 'filter'})
      assert.equal(events.length, 62)
      const times = events.map((e) => e.timestamp)
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
      )
      assert.equal(events[0]!.logStreamName, 'web-1')
      assert.equal(events[1]!.logStreamName, 'web-2')
    })

    const patterns: Array<{pattern: string; count: number}> = [
      {pattern: '{ $.status = 5* }', count: 20},
      {pattern: '{ $.status = 404 && $.path = "/pets" }', count: 10},
      {pattern: '{ $.status >= 404 }', count: 40},
      {pattern: 'ERROR', count: 1},
      {pattern: '?ERROR ?INFO', count: 2},
      {pattern: 'job -ERROR', count: 1},
      {pattern: '"web-1-1"', count: 11},
    ]
    for (const c of patterns) {
      it(`filters with ${c.pattern}`, async () => {
        const events = await all({logGroupName: 'filter', filterPattern: c.pattern})
        assert.equal(events.length, c.count)
      })
    }

    it('restricts by stream names or prefix, and refuses both', async () => {
      assert.equal((await all({logGroupName: 'filter', logStreamNames: ['worker']})).length, 2)
      assert.equal((await all({logGroupName: 'filter', logStreamNamePrefix: 'web-'})).length, 60)
      await rejectsWith(
        t.logs.send(new FilterLogEventsCommand({logGroupName: 'filter', logStreamNames: ['worker'], logStreamNamePrefix: 'w'})),
        {name: 'InvalidParameterException', status: 400, message: 'Cannot specify both logStreamNames and logStreamNamePrefix.'},
      )
    })

    it('honours startTime and endTime (both inclusive)', async () => {
      const events = await all({logGroupName: 'filter', startTime: base + 10, endTime: base + 13})
      assert.deepEqual(
        events.map((e) => e.timestamp),
        [base + 10, base + 11, base + 12, base + 13],
      )
    })

    it('pages with nextToken; the eventIds are unique and stable between reads', async () => {
      // Given the group read in pages of 7 and again in one page
      const paged = await all({logGroupName: 'filter'}, 7)
      const whole = await all({logGroupName: 'filter'})
      // Then both reads agree event for event, and no eventId repeats
      assert.deepEqual(paged, whole)
      assert.equal(new Set(whole.map((e) => e.eventId)).size, whole.length)
      for (const e of whole) assert.match(e.eventId, /^\d{56}$/)
    })

    it('accepts logGroupIdentifier as an ARN', async () => {
      const out = await t.logs.send(
        new FilterLogEventsCommand({logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:filter', filterPattern: 'ERROR'}),
      )
      assert.equal(out.events?.length, 1)
    })

    const errors: Array<{what: string; input: Record<string, unknown>; code: string; message: string}> = [
      {
        what: 'an invalid token',
        input: {nextToken: 'invalid-token', limit: 20},
        code: 'InvalidParameterException',
        message: 'The specified nextToken is invalid.',
      },
      {
        what: 'limit 10001',
        input: {limit: 10001},
        code: 'InvalidParameterException',
        message:
          "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000",
      },
      {
        what: 'an unparseable pattern',
        input: {filterPattern: '{ $.status = }'},
        code: 'InvalidParameterException',
        message: 'Invalid filter pattern',
      },
      {
        what: 'an unclosed JSON pattern',
        input: {filterPattern: '{ $.status = 5'},
        code: 'InvalidParameterException',
        message: "If a filter pattern starts with '{' it must end with '}'",
      },
      {
        what: 'a missing group',
        input: {logGroupName: 'nope'},
        code: 'ResourceNotFoundException',
        message: 'The specified log group does not exist.',
      },
    ]
    for (const c of errors) {
      it(`refuses ${c.what}`, async () => {
        await rejectsWith(t.logs.send(new FilterLogEventsCommand({logGroupName: 'filter', ...c.input})), {
          name: c.code,
          status: 400,
          message: c.message,
        })
      })
    }

    it('refuses a token from another query', async () => {
      const first = await t.logs.send(new FilterLogEventsCommand({logGroupName: 'filter', limit: 5}))
      assert.ok(first.nextToken)
      await rejectsWith(
        t.logs.send(new FilterLogEventsCommand({logGroupName: 'filter', limit: 5, filterPattern: 'ERROR', nextToken: first.nextToken})),
        {name: 'InvalidParameterException', status: 400, message: 'The specified nextToken is invalid.'},
      )
    })
  })

  it('answers every known but unimplemented Logs operation with 501 naming it', async () => {
    // Given the operations not emulated (StartLiveTail, StartQuery…), When each is called on the wire, Then 501 names it
    assert.ok(LOGS_NOT_IMPLEMENTED.includes('StartLiveTail'))
    for (const op of LOGS_NOT_IMPLEMENTED) {
      const res = await fetch(t.url, {
        method: 'POST',
        headers: {...SIGNED, 'x-amz-target': `Logs_20140328.${op}`, 'content-type': 'application/x-amz-json-1.1'},
        body: '{}',
      })
      assert.equal(res.status, 501, op)
      const body = (await res.json()) as {__type: string; message: string}
      assert.equal(body.__type, 'NotImplementedException')
      assert.ok(body.message.includes(op), body.message)
    }
  })

  it('answers a wrongly typed member with SerializationException', async () => {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: {...SIGNED, 'x-amz-target': 'Logs_20140328.CreateLogGroup', 'content-type': 'application/x-amz-json-1.1'},
      body: JSON.stringify({logGroupName: 42}),
    })
    assert.equal(res.status, 400)
    assert.equal(((await res.json()) as {__type: string}).__type, 'SerializationException')
  })

  it('filters 100,000 events with a pattern well under a second', async () => {
    // Given 100,000 JSON events in one group (10 batches of 10,000)
    await groupWithStreams('perf', 'a', 'b')
    const start = Date.now() - 2 * HOUR
    for (let b = 0; b < 10; b++) {
      const logEvents = Array.from({length: 10_000}, (_, i) => {
        const n = b * 10_000 + i
        return {timestamp: start + n * 10, message: `{"requestId":"req-${n}","status":${n % 97 === 0 ? 500 : 200},"latency":${n % 1000}}`}
      })
      await t.logs.send(new PutLogEventsCommand({logGroupName: 'perf', logStreamName: b % 2 ? 'a' : 'b', logEvents}))
    }
    // When filtered for server errors (CPU time is measured: other test files share these 2 cores)
    const cpu = process.cpuUsage()
    const started = performance.now()
    const out = await t.logs.send(new FilterLogEventsCommand({logGroupName: 'perf', filterPattern: '{ $.status = 5* && $.latency >= 0 }'}))
    const ms = performance.now() - started
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000
    // Then every match comes in one answer, well under a second
    assert.equal(out.events?.length, Math.ceil(100_000 / 97))
    assert.equal(out.nextToken, undefined)
    assert.ok(cpuMs < 750, `FilterLogEvents used ${cpuMs.toFixed(0)} ms of CPU (${ms.toFixed(0)} ms wall)`)
    assert.ok(ms < 5000, `FilterLogEvents took ${ms.toFixed(0)} ms`)
    // And a time range read goes through the index too
    const t2 = performance.now()
    const ranged = await t.logs.send(
      new FilterLogEventsCommand({logGroupName: 'perf', startTime: start + 500_000, endTime: start + 509_990, filterPattern: 'req'}),
    )
    assert.equal(ranged.events?.length, 1000)
    assert.ok(performance.now() - t2 < 2000)
  })
})

describe('CloudWatch Logs state across a restart', () => {
  it('keeps groups, streams and events, with the same eventIds', async () => {
    // Given events written by one server on a state directory
    const dataDir = tempDir('apigw-logs-restart-')
    try {
      const first = await startTestEmulator({dataDir})
      await first.logs.send(new CreateLogGroupCommand({logGroupName: 'kept'}))
      await first.logs.send(new CreateLogStreamCommand({logGroupName: 'kept', logStreamName: 's'}))
      const now = Date.now()
      await first.logs.send(
        new PutLogEventsCommand({
          logGroupName: 'kept',
          logStreamName: 's',
          logEvents: [
            {timestamp: now, message: 'a'},
            {timestamp: now + 1, message: 'b'},
          ],
        }),
      )
      const before = await first.logs.send(new FilterLogEventsCommand({logGroupName: 'kept'}))
      await first.close()
      // When a new server opens the same directory
      const second = await startTestEmulator({dataDir})
      try {
        const after = await second.logs.send(new FilterLogEventsCommand({logGroupName: 'kept'}))
        const streams = await second.logs.send(new DescribeLogStreamsCommand({logGroupName: 'kept'}))
        // Then the events and their ids are the same, and new ids do not collide with old ones
        assert.deepEqual(after.events, before.events)
        assert.equal(streams.logStreams![0]!.lastEventTimestamp, now + 1)
        await second.logs.send(
          new PutLogEventsCommand({logGroupName: 'kept', logStreamName: 's', logEvents: [{timestamp: now + 2, message: 'c'}]}),
        )
        const ids = (await second.logs.send(new FilterLogEventsCommand({logGroupName: 'kept'}))).events!.map((e) => e.eventId)
        assert.equal(new Set(ids).size, 3)
      } finally {
        await second.close()
      }
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
