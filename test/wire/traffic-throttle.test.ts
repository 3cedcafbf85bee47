/**
 * Throttling on the data plane through real HTTP, on a clock the test moves (no sleeps): the usage plan's
 * per-method and plan limits for a key (shared across the plan's stages), the stage's method settings, the
 * account's limit; an empty bucket is 429 `Too Many Requests` (TooManyRequestsException, ministack #1746's
 * measurement), and the access log carries the outcome in `$context.error.*`.
 */
import assert from 'node:assert/strict'
import {afterEach, beforeEach, describe, it} from 'node:test'
import {UpdateAccountCommand, UpdateStageCommand, UpdateUsagePlanCommand} from '@aws-sdk/client-api-gateway'
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {burst, countOf, startTrafficWorld, type TrafficWorld} from './traffic-setup.ts'

const VALUE = 'throttle-0123456789abcdef'

describe('throttling on the data plane', () => {
  let w: TrafficWorld
  beforeEach(async () => {
    w = await startTrafficWorld()
  })
  afterEach(() => w.close())

  const statuses = async (n: number, send: () => Promise<Response>) => {
    const out: number[] = []
    for (let i = 0; i < n; i++) {
      const res = await send()
      await res.arrayBuffer()
      out.push(res.status)
    }
    return out
  }

  it("limits a key by its plan's rate and burst across the plan's stages, and refills with the clock", async () => {
    // Given a key in a plan on dev and prod with rate 2/s and burst 3
    const keyId = await w.createKey(VALUE)
    await w.createPlan({stages: ['dev', 'prod'], throttle: {rateLimit: 2, burstLimit: 3}, keys: [keyId]})
    // When four requests come at one instant, two on dev and two on prod
    const first = [
      ...(await statuses(2, () => w.call('dev', '/keyed', {key: VALUE}))),
      ...(await statuses(2, () => w.call('prod', '/keyed', {key: VALUE}))),
    ]
    // Then the burst of 3 is shared by both stages and the fourth is 429 Too Many Requests
    assert.deepEqual(first, [200, 200, 200, 429])
    const refused = await w.call('dev', '/keyed', {key: VALUE})
    assert.equal(refused.headers.get('x-amzn-errortype'), 'TooManyRequestsException')
    assert.deepEqual(await refused.json(), {message: 'Too Many Requests'})
    // When 499 ms pass no token is back; at 500 ms one is (rate 2/s)
    w.clock.ms += 499
    assert.deepEqual(await statuses(1, () => w.call('dev', '/keyed', {key: VALUE})), [429])
    w.clock.ms += 1
    assert.deepEqual(await statuses(2, () => w.call('dev', '/keyed', {key: VALUE})), [200, 429])
    // And keyless methods are not limited by the key's plan
    assert.deepEqual(await statuses(5, () => w.call('dev', '/open')), [200, 200, 200, 200, 200])
  })

  it("applies the plan's per-method limit for the key before the plan limit", async () => {
    const keyId = await w.createKey(VALUE)
    const planId = await w.createPlan({stages: ['dev'], throttle: {rateLimit: 100, burstLimit: 100}, keys: [keyId]})
    await w.t.v1.send(
      new UpdateUsagePlanCommand({
        usagePlanId: planId,
        patchOperations: [
          {op: 'replace', path: `/apiStages/${w.apiId}:dev/throttle/~1keyed/GET/burstLimit`, value: '1'},
          {op: 'replace', path: `/apiStages/${w.apiId}:dev/throttle/~1keyed/GET/rateLimit`, value: '1'},
        ],
      }),
    )
    assert.deepEqual(await statuses(2, () => w.call('dev', '/keyed', {key: VALUE})), [200, 429])
    // POST /keyed has no per-method limit: only the plan's
    assert.deepEqual(await statuses(3, () => w.call('dev', '/keyed', {key: VALUE, method: 'POST'})), [200, 200, 200])
  })

  it("applies the stage's method settings per method, the */* default and a method's own", async () => {
    // Given dev's default 0/0 (ministack's measurement: every call 429) and /open GET's own 1/2
    await w.t.v1.send(
      new UpdateStageCommand({
        restApiId: w.apiId,
        stageName: 'dev',
        patchOperations: [
          {op: 'replace', path: '/*/*/throttling/burstLimit', value: '0'},
          {op: 'replace', path: '/*/*/throttling/rateLimit', value: '0'},
          {op: 'replace', path: '/~1open/GET/throttling/burstLimit', value: '2'},
          {op: 'replace', path: '/~1open/GET/throttling/rateLimit', value: '1'},
        ],
      }),
    )
    // When the open method and a keyed one (with a valid key) are called
    const keyId = await w.createKey(VALUE)
    await w.createPlan({stages: ['dev'], keys: [keyId]})
    assert.deepEqual(await statuses(3, () => w.call('dev', '/open')), [200, 200, 429])
    assert.deepEqual(await statuses(1, () => w.call('dev', '/keyed', {key: VALUE})), [429])
    // Then prod, without settings, is not limited
    assert.deepEqual(await statuses(3, () => w.call('prod', '/open')), [200, 200, 200])
  })

  it("applies the account's limit to every stage (lowered with UpdateAccount), AWS's example scaled down", async () => {
    // Given an account limit of 100 rps and burst 50
    await w.t.v1.send(
      new UpdateAccountCommand({
        patchOperations: [
          {op: 'replace', path: '/throttle/rateLimit', value: '100'},
          {op: 'replace', path: '/throttle/burstLimit', value: '50'},
        ],
      }),
    )
    // When 50 requests come at t=0 and 50 more at t=100 ms (10 tokens refilled), across two stages
    const a = await burst(50, 10, () => w.call('dev', '/open'))
    w.clock.ms += 100
    const b = await burst(50, 10, () => w.call('prod', '/open'))
    // Then 60 are served, as AWS's 5,000 + 5,000 → 6,000 example
    assert.equal(countOf([...a, ...b], 200), 60)
    assert.equal(countOf([...a, ...b], 429), 40)
  })

  it('never serves more than a bucket holds under 1,000 concurrent requests', async () => {
    // Given a key whose plan allows a burst of 100 and no refill in the test's frozen instant
    const keyId = await w.createKey(VALUE)
    await w.createPlan({stages: ['dev'], throttle: {rateLimit: 1, burstLimit: 100}, keys: [keyId]})
    // When 1,000 requests run with 50 in flight
    const out = await burst(1000, 50, () => w.call('dev', '/keyed', {key: VALUE}))
    // Then exactly the burst is served
    assert.equal(countOf(out, 200), 100)
    assert.equal(countOf(out, 429), 900)
  })

  it('writes THROTTLED into the access log ($context.error.responseType and message) and the execution log', async () => {
    await w.t.v1.send(
      new UpdateStageCommand({
        restApiId: w.apiId,
        stageName: 'dev',
        patchOperations: [
          {
            op: 'replace',
            path: '/accessLogSettings/destinationArn',
            value: 'arn:aws:logs:us-east-1:000000000000:log-group:/traffic/access',
          },
          {
            op: 'replace',
            path: '/accessLogSettings/format',
            value: '{"status":"$context.status","type":"$context.error.responseType","message":"$context.error.message"}',
          },
          {op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO'},
          {op: 'replace', path: '/*/*/throttling/burstLimit', value: '1'},
          {op: 'replace', path: '/*/*/throttling/rateLimit', value: '1'},
        ],
      }),
    )
    await statuses(2, () => w.call('dev', '/open'))
    await w.t.emulator.dataPlane.flushLogs()
    const access = await w.t.logs.send(new FilterLogEventsCommand({logGroupName: '/traffic/access'}))
    assert.deepEqual(
      (access.events ?? []).map((e) => JSON.parse(e.message!)),
      [
        {status: '200', type: '-', message: '-'},
        {status: '429', type: 'THROTTLED', message: 'Too Many Requests'},
      ],
    )
    const exec = await w.t.logs.send(
      new FilterLogEventsCommand({logGroupName: `API-Gateway-Execution-Logs_${w.apiId}/dev`, filterPattern: '"throttle limit exceeded"'}),
    )
    assert.equal(exec.events?.length, 1)
    assert.match(exec.events![0]!.message!, /Method throttle limit exceeded for RestApi \w+, Stage dev, .* Limit: 1\.00 Burst: 1$/)
  })
})
