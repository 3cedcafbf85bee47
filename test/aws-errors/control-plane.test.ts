/**
 * AWS failures the emulator cannot produce, faked with nock on the real SDK clients: a 429 storm
 * (TooManyRequestsException with Retry-After), LimitExceededException, 5xx (ServiceUnavailable,
 * InternalFailure), AccessDeniedException, an expired token (ExpiredTokenException,
 * UnrecognizedClientException), NotFoundException and a reset connection (ECONNRESET). Each ends in
 * success after retries or in a clear CliError. Net connect is off except 127.0.0.1.
 */
import assert from 'node:assert/strict'
import {createServer} from 'node:http'
import {after, afterEach, before, describe, test} from 'node:test'
import nock from 'nock'
import {createApiGatewayPort} from '../../src/aws/api-gateway.ts'
import {createAwsClients} from '../../src/aws/clients.ts'
import {createScheduler, type WaitInfo} from '../../src/aws/scheduler.ts'
import type {CliError} from '../../src/errors.ts'

const HOST = 'https://apigateway.us-east-1.amazonaws.com'
const ok = {item: [{id: 'abc123', name: 'pets', createdDate: 1700000000}]}
const err = (type: string, message: string, extra: Record<string, string> = {}) =>
  [{message}, {'x-amzn-ErrorType': type, 'content-type': 'application/json', ...extra}] as const

/** nock cannot reset a socket the SDK waits on, so a real loopback server drops the first `drops` requests. */
async function resetServer(drops: number): Promise<{url: string; requests(): number; close(): Promise<void>}> {
  let n = 0
  const server = createServer((req, res) => {
    n++
    if (n <= drops) {
      req.socket.destroy()
      return
    }
    res.writeHead(200, {'content-type': 'application/json'})
    res.end(JSON.stringify(ok))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const {port} = server.address() as {port: number}
  return {url: `http://127.0.0.1:${port}`, requests: () => n, close: () => new Promise((r) => server.close(() => r()))}
}

function setup(maxAttempts = 6, endpoint?: string) {
  const sleeps: number[] = []
  const waits: WaitInfo[] = []
  let t = 1_700_000_000_000
  const scheduler = createScheduler({
    rates: true,
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms)
      t += ms
    },
    random: () => 0.5,
    maxAttempts,
    onWait: (w) => waits.push(w),
  })
  const clients = createAwsClients({
    region: 'us-east-1',
    credentials: {accessKeyId: 'AKIDNOCK', secretAccessKey: 'nock'},
    maxAttempts: 1,
    ...(endpoint ? {endpoint} : {}),
  })
  return {port: createApiGatewayPort(clients, scheduler), clients, sleeps, waits, scheduler}
}

describe('AWS errors through the ports and the scheduler', () => {
  before(() => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
  })
  afterEach(() => nock.cleanAll())
  after(() => nock.enableNetConnect())

  test('429 storm (TooManyRequestsException, Retry-After: 3) ends in success, waits honour Retry-After and show an ETA', async () => {
    // Given GetRestApis throttled four times, then answered
    const scope = nock(HOST)
      .get('/restapis')
      .query(true)
      .times(4)
      .reply(429, ...err('TooManyRequestsException', 'Too Many Requests', {'Retry-After': '3'}))
      .get('/restapis')
      .query(true)
      .reply(200, ok)
    const {port, clients, sleeps, waits, scheduler} = setup()
    // When listing
    const apis = await port.listRestApis()
    // Then the answer arrives, each retry waited at least 3 s, and the waits were reported with an ETA
    assert.deepEqual(
      apis.map((a) => a.id),
      ['abc123'],
    )
    assert.ok(scope.isDone())
    assert.equal(sleeps.length, 4)
    assert.ok(
      sleeps.every((ms) => ms >= 3000),
      JSON.stringify(sleeps),
    )
    assert.equal(waits.length, 4)
    assert.ok(waits.every((w) => w.reason === 'retry' && w.eta instanceof Date))
    assert.equal(scheduler.stats.retries, 4)
    clients.destroy()
  })

  test('a 429 storm that never ends is AWS_THROTTLED after the retries', async () => {
    // Given throttling on every attempt
    nock(HOST)
      .get('/restapis')
      .query(true)
      .times(3)
      .reply(429, ...err('TooManyRequestsException', 'Too Many Requests'))
    const {port, clients} = setup(3)
    // When listing / Then AWS_THROTTLED, exit 4, with the SDK error as cause
    await assert.rejects(port.listRestApis(), (e: CliError) => {
      assert.equal(e.code, 'AWS_THROTTLED')
      assert.equal(e.exitCode, 4)
      assert.equal((e.cause as Error).name, 'TooManyRequestsException')
      assert.match(e.hint ?? '', /Wait/)
      return true
    })
    clients.destroy()
  })

  test('LimitExceededException is retried like throttling', async () => {
    nock(HOST)
      .post('/restapis/abc123/deployments')
      .reply(429, ...err('LimitExceededException', 'Rate exceeded'))
      .post('/restapis/abc123/deployments')
      .reply(201, {id: 'dep1', createdDate: 1700000000})
    const {port, clients, sleeps, scheduler} = setup()
    const d = await port.createDeployment({restApiId: 'abc123', description: 'x'})
    assert.equal(d.id, 'dep1')
    // One backoff, then the rate gate keeps CreateDeployment at 1 per 5 s.
    assert.equal(scheduler.stats.retries, 1)
    assert.equal(
      sleeps.reduce((a, b) => a + b, 0),
      5000,
    )
    clients.destroy()
  })

  const fiveXX = [
    ['ServiceUnavailableException', 503],
    ['InternalFailure', 500],
  ] as const
  for (const [name, status] of fiveXX) {
    test(`${status} ${name} twice, then success`, async () => {
      // Given two server errors then an answer
      nock(HOST)
        .get('/restapis')
        .query(true)
        .times(2)
        .reply(status, ...err(name, 'Internal server error'))
        .get('/restapis')
        .query(true)
        .reply(200, ok)
      const {port, clients, sleeps} = setup()
      // When listing / Then it succeeds after two backoffs
      assert.equal((await port.listRestApis()).length, 1)
      assert.equal(sleeps.length, 2)
      assert.ok((sleeps[1] ?? 0) >= (sleeps[0] ?? 0), 'backoff grows')
      clients.destroy()
    })
  }

  test('5xx forever is AWS_UNAVAILABLE', async () => {
    nock(HOST)
      .get('/restapis')
      .query(true)
      .times(3)
      .reply(503, ...err('ServiceUnavailableException', 'Service unavailable'))
    const {port, clients} = setup(3)
    await assert.rejects(port.listRestApis(), {code: 'AWS_UNAVAILABLE'})
    clients.destroy()
  })

  const clientErrors = [
    {
      fake: 'AccessDeniedException',
      status: 403,
      code: 'AWS_ACCESS_DENIED',
      message: 'User: arn:aws:iam::111111111111:user/ci is not authorized to perform: apigateway:GET',
    },
    {fake: 'ExpiredTokenException', status: 403, code: 'AWS_CREDENTIALS', message: 'The security token included in the request is expired'},
    {
      fake: 'UnrecognizedClientException',
      status: 403,
      code: 'AWS_CREDENTIALS',
      message: 'The security token included in the request is invalid.',
    },
    {fake: 'NotFoundException', status: 404, code: 'AWS_NOT_FOUND', message: 'Invalid API identifier specified 111111111111:abc123'},
    {fake: 'BadRequestException', status: 400, code: 'AWS_BAD_REQUEST', message: 'Invalid patch path /foo'},
    {fake: 'ConflictException', status: 409, code: 'AWS_CONFLICT', message: 'Stage already exists'},
  ] as const
  for (const c of clientErrors) {
    test(`${c.fake} is ${c.code} at once, without retries`, async () => {
      // Given one answer with that error
      const scope = nock(HOST)
        .get('/restapis/abc123/stages')
        .reply(c.status, ...err(c.fake, c.message))
      const {port, clients, sleeps} = setup()
      // When reading the stages / Then the mapped error, with a hint, the operation named, and no retry
      await assert.rejects(port.getStages('abc123'), (e: CliError) => {
        assert.equal(e.code, c.code)
        assert.equal(e.exitCode, 4)
        assert.match(e.message, /^GetStages/)
        assert.ok((e.hint ?? '').length > 10)
        assert.equal((e.cause as Error).name, c.fake)
        return true
      })
      assert.ok(scope.isDone())
      assert.equal(sleeps.length, 0)
      clients.destroy()
    })
  }

  test('GetStage NotFoundException reads as "no such stage"', async () => {
    nock(HOST)
      .get('/restapis/abc123/stages/prod')
      .reply(404, ...err('NotFoundException', 'Invalid stage identifier specified'))
    const {port, clients} = setup()
    assert.equal(await port.getStage('abc123', 'prod'), undefined)
    clients.destroy()
  })

  test('a reset connection (ECONNRESET, the socket destroyed mid-request) is retried, then succeeds', async () => {
    // Given a loopback server that drops the first connection and answers the second
    const server = await resetServer(1)
    const {port, clients, sleeps} = setup(6, server.url)
    try {
      // When listing / Then one retry, then the answer
      assert.equal((await port.listRestApis()).length, 1)
      assert.equal(sleeps.length, 1)
      assert.equal(server.requests(), 2)
    } finally {
      clients.destroy()
      await server.close()
    }
  })

  test('a connection that keeps resetting is AWS_UNAVAILABLE naming the network', async () => {
    const server = await resetServer(99)
    const {port, clients} = setup(3, server.url)
    try {
      await assert.rejects(port.listRestApis(), (e: CliError) => {
        assert.equal(e.code, 'AWS_UNAVAILABLE')
        assert.match(e.message, /ECONNRESET|socket hang up|connection/)
        return true
      })
      assert.equal(server.requests(), 3)
    } finally {
      clients.destroy()
      await server.close()
    }
  })
})
