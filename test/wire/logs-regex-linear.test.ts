// Issue 19 point 2: a filter pattern with a catastrophic-backtracking regex (`%(a|a)*$%`) froze the emulator for
// minutes. Regexes now run on RE2 (linear time): the filter answers promptly and the server keeps serving meanwhile.
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {CreateLogGroupCommand, CreateLogStreamCommand, FilterLogEventsCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {GetRestApisCommand} from '@aws-sdk/client-api-gateway'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

describe('CloudWatch Logs: regex filter patterns run in linear time', () => {
  let t: TestEmulator
  const group = '/apigw/regex-bomb'
  const EVENTS = 2000
  before(async () => {
    t = await startTestEmulator()
    await t.logs.send(new CreateLogGroupCommand({logGroupName: group}))
    await t.logs.send(new CreateLogStreamCommand({logGroupName: group, logStreamName: 's'}))
    // Given many events that make a backtracking engine explore 2^n paths: a run of `a`s that cannot end the text
    const now = Date.now()
    for (let batch = 0; batch < EVENTS / 500; batch++) {
      const logEvents = Array.from({length: 500}, (_, i) => ({
        timestamp: now - 60_000 + batch * 500 + i,
        message: `${'a'.repeat(40 + (i % 20))}!`,
      }))
      await t.logs.send(new PutLogEventsCommand({logGroupName: group, logStreamName: 's', logEvents}))
    }
  })
  after(async () => {
    await t.close()
  })

  for (const filterPattern of ['%(a|a)*$%', '%(a+)+$%', '{ $.x = %(a|a)*b% }', '[f=%(a|aa)*c%]', '[f=*a*a*a*a*a*a*a*a*a*a*b]']) {
    it(`answers ${filterPattern} over ${EVENTS} events promptly, and serves other requests meanwhile`, async () => {
      const started = performance.now()
      const filtered = (async () => {
        let matched = 0
        let nextToken: string | undefined
        do {
          const page = await t.logs.send(new FilterLogEventsCommand({logGroupName: group, filterPattern, nextToken}))
          matched += page.events?.length ?? 0
          nextToken = page.nextToken
        } while (nextToken)
        return matched
      })()
      // The control plane still answers while the filter runs
      const other = await t.v1.send(new GetRestApisCommand({}))
      assert.deepEqual(other.items ?? [], [])
      const matched = await filtered
      const ms = performance.now() - started
      // Generous for a loaded 2-core machine; a backtracking engine takes minutes on the first event alone
      assert.ok(ms < 20_000, `took ${Math.round(ms)} ms`)
      // `(a|a)*$` matches the empty string at the end of every message; the others never match
      assert.equal(matched, filterPattern === '%(a|a)*$%' ? EVENTS : 0)
    })
  }
})
