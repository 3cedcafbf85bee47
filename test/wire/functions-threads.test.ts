/**
 * Node handlers in worker threads (functions/node-environment.ts with `thread`), the function host's default when
 * the handlers' directory is the emulator's working directory, as with `apigw local start` or `apigw dev` run in
 * the project: warm reuse, Lambda's context and environment, a runaway loop stopped at the timeout, crashes and a
 * heap over memorySize answered as AWS does with the next invocation in a fresh thread, output in /aws/lambda/NAME,
 * reload on change, a fast function's burst queued in a thread yet run one invocation at a time (its START, END and
 * REPORT lines in order), a slow invocation
 * not holding up those queued behind it, and through the data plane a crash answering 502. The handlers are
 * test/fixtures/functions/threads.mjs, copied to a temp dir that the test process works in.
 */
import assert from 'node:assert/strict'
import {cpSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, ImportRestApiCommand} from '@aws-sdk/client-api-gateway'
import {CloudWatchLogsClient, FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {nodeInThreads} from '../../src/local/data-plane/functions/host.ts'
import {APIGatewayClient} from '@aws-sdk/client-api-gateway'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {tempDir} from '../helpers/temp.ts'
import {body, type Json, json, waitFor} from '../helpers/functions.ts'

const FIXTURES = new URL('../fixtures/functions/', import.meta.url).pathname

describe('Node handlers in worker threads', () => {
  const home = process.cwd()
  let dir: string
  let emulator: Emulator
  let logs: CloudWatchLogsClient
  before(async () => {
    // The project's directory is the emulator's working directory, as when `apigw local start` runs in it
    dir = tempDir('apigw-fn-threads-')
    cpSync(FIXTURES, dir, {recursive: true})
    process.chdir(dir)
    emulator = await startEmulator({
      port: 0,
      dataDir: join(dir, '.state'),
      functionsDir: dir,
      functions: {
        counter: {handler: 'threads.handler', timeout: 5, environment: {STAGE: 'dev'}},
        spinner: {handler: 'threads.spin', timeout: 1},
        crasher: {handler: 'threads.crash', timeout: 20},
        hog: {handler: 'threads.hog', memorySize: 128, timeout: 60},
        noisy: {handler: 'threads.noisy'},
        proxy: {handler: 'threads.proxy', timeout: 10},
        queued: {handler: 'threads.queued', timeout: 30},
      },
    })
    logs = new CloudWatchLogsClient({endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  })
  after(async () => {
    logs.destroy()
    await emulator.close()
    process.chdir(home)
  })

  async function logMessages(name: string, until: (messages: string[]) => boolean): Promise<string[]> {
    return waitFor(`logs of ${name}`, async () => {
      try {
        const out = await logs.send(new FilterLogEventsCommand({logGroupName: `/aws/lambda/${name}`}))
        const messages = (out.events ?? []).map((e) => e.message ?? '')
        return until(messages) ? messages : undefined
      } catch {
        return undefined
      }
    })
  }

  it("runs a handler warm in a thread of the emulator's process, with Lambda's context and environment", async () => {
    // When the function is invoked twice
    const trace = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1'
    const a = json(await emulator.functions.invoke('counter', body({n: 1}), {requestId: 'req-t1', traceId: trace}))
    const b = json(await emulator.functions.invoke('counter', body({n: 2})))
    // Then both ran in the same worker thread of this process, the second seeing the first's module state
    assert.equal(a.pid, process.pid)
    assert.notEqual(a.threadId, 0)
    assert.equal(b.threadId, a.threadId)
    assert.deepEqual([a.count, b.count], [1, 2])
    // And with the event, context and environment Lambda gives, the variables the thread's own
    assert.deepEqual(a.event, {n: 1})
    assert.equal(a.requestId, 'req-t1')
    assert.equal(a.functionName, 'counter')
    assert.ok((a.remaining as number) > 0 && (a.remaining as number) <= 5000)
    assert.deepEqual(a.env, {STAGE: 'dev', fn: 'counter'})
    // _X_AMZN_TRACE_ID is the invocation's trace header, as Lambda's runtime sets it, and not left for the next one
    assert.equal(a.trace, trace)
    assert.equal(b.trace, null)
    assert.equal(process.env._X_AMZN_TRACE_ID, undefined)
    assert.equal(process.env.STAGE, undefined)
    assert.equal(emulator.functions.pool('counter')?.environments()[0]?.pid, undefined)
  })

  it('stops a runaway loop at the timeout with AWS answer, and the next invocation runs in a fresh thread', async () => {
    const before = json(await emulator.functions.invoke('spinner', body({})))
    const started = Date.now()
    const timedOut = await emulator.functions.invoke('spinner', body({spin: true}), {requestId: 'req-spin'})
    assert.ok(Date.now() - started < 15_000)
    assert.equal(timedOut.functionError, 'Unhandled')
    assert.deepEqual(json(timedOut), {
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: req-spin Error: Task timed out after 1.00 seconds',
    })
    const after = json(await emulator.functions.invoke('spinner', body({})))
    assert.notEqual(after.threadId, before.threadId)
    assert.equal(after.count, 1)
  })

  it('answers a handler that exits or throws outside the invocation as AWS does, and serves on in a new thread', async () => {
    const first = json(await emulator.functions.invoke('crasher', body({})))
    // process.exit in a handler ends its thread, not the emulator
    const exited = await emulator.functions.invoke('crasher', body({exit: 3}), {requestId: 'req-exit'})
    assert.equal(exited.functionError, 'Unhandled')
    assert.deepEqual(json(exited), {
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: req-exit Error: Runtime exited with error: exit status 3',
    })
    const second = json(await emulator.functions.invoke('crasher', body({})))
    assert.notEqual(second.threadId, first.threadId)
    // An exception thrown from a timer fails the invocation with it and ends the environment
    const thrown = await emulator.functions.invoke('crasher', body({throwLater: true}))
    assert.equal(thrown.functionError, 'Unhandled')
    assert.equal(json(thrown).errorMessage, 'thrown from a timer')
    const third = json(await emulator.functions.invoke('crasher', body({})))
    assert.notEqual(third.threadId, second.threadId)
  })

  it('ends an environment whose heap outgrows memorySize, without harm to the emulator', async () => {
    const first = json(await emulator.functions.invoke('hog', body({})))
    const result = await emulator.functions.invoke('hog', body({hog: true}), {requestId: 'req-hog'})
    assert.equal(result.functionError, 'Unhandled')
    assert.equal(json(result).errorType, 'Runtime.ExitError')
    assert.match(json(result).errorMessage as string, /^RequestId: req-hog Error: Runtime exited with error: /)
    const next = json(await emulator.functions.invoke('hog', body({})))
    assert.notEqual(next.threadId, first.threadId)
  })

  it("writes the thread's output to /aws/lambda/NAME between START and END", async () => {
    await emulator.functions.invoke('noisy', body({}), {requestId: 'req-noisy'})
    const messages = await logMessages('noisy', (m) => m.some((x) => x.startsWith('REPORT RequestId: req-noisy')))
    const mine = messages.filter((m) => m.includes('req-noisy') || m === 'raw stdout')
    assert.equal(mine[0], 'START RequestId: req-noisy Version: $LATEST')
    assert.match(mine[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\treq-noisy\tINFO\tline one$/)
    assert.match(mine[2]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\treq-noisy\tERROR\tline two \{ n: 2 \}$/)
    assert.equal(mine[3], 'raw stdout')
    assert.equal(mine[4], 'END RequestId: req-noisy')
    assert.match(mine[5]!, /^REPORT RequestId: req-noisy\tDuration: [\d.]+ ms\t.*Max Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/)
  })

  it('loads a changed module in a new thread without a restart', async () => {
    const first = json(await emulator.functions.invoke('counter', body({})))
    writeFileSync(join(dir, 'lib', 'version.mjs'), 'export const version = () => 2\n')
    const reloaded = await waitFor('the new version', async () => {
      const result = json(await emulator.functions.invoke('counter', body({})))
      return result.version === 2 ? result : undefined
    })
    assert.notEqual(reloaded.threadId, first.threadId)
    assert.equal(reloaded.count, 1)
  })

  it("runs a fast function's burst one invocation at a time in each thread, and a slow one holds up no other", async () => {
    // Given a fast function, warm
    for (let i = 0; i < 5; i++) json(await emulator.functions.invoke('queued', body({})))
    // When 64 invocations arrive together
    const burst = await Promise.all(Array.from({length: 64}, (_, i) => emulator.functions.invoke('queued', body({}), {requestId: `b${i}`})))
    // Then each answered its own request, and none ran beside another in its thread
    const answers = burst.map(json)
    assert.deepEqual(
      answers.map((a) => a.requestId),
      Array.from({length: 64}, (_, i) => `b${i}`),
    )
    assert.ok(answers.every((a) => a.overlap === 1))
    // And each environment's log stream has every invocation's START, END and REPORT together, one after another
    const events = await waitFor('the burst in /aws/lambda/queued', async () => {
      // Written behind: the group may not exist yet
      const out = await logs.send(new FilterLogEventsCommand({logGroupName: '/aws/lambda/queued'})).catch(() => undefined)
      const all = out?.events ?? []
      return all.filter((e) => /^REPORT RequestId: b\d+\t/.test(e.message ?? '')).length === 64 ? all : undefined
    })
    const streams = new Map<string, string[]>()
    for (const e of events) streams.set(e.logStreamName!, [...(streams.get(e.logStreamName!) ?? []), e.message!])
    for (const [stream, lines] of streams) {
      assert.equal(lines.length % 3, 0, stream)
      for (let i = 0; i < lines.length; i += 3) {
        const id = /^START RequestId: (\S+) Version: \$LATEST$/.exec(lines[i]!)?.[1]
        assert.ok(id, `${stream}: ${lines.slice(i, i + 3).join(' | ')}`)
        assert.equal(lines[i + 1], `END RequestId: ${id}`, `${stream}: ${lines.slice(i, i + 3).join(' | ')}`)
        assert.ok(lines[i + 2]!.startsWith(`REPORT RequestId: ${id}\t`), lines[i + 2])
      }
    }
    // When one invocation holds its thread for 6 s and four more arrive right behind it
    const slow = emulator.functions.invoke('queued', body({holdMs: 6_000}), {requestId: 'slow'})
    const slowDone = slow.then(() => Date.now())
    const fast = await Promise.all(['f1', 'f2', 'f3', 'f4'].map((id) => emulator.functions.invoke('queued', body({}), {requestId: id})))
    const fastDone = Date.now()
    // Then they answered long before it, from other threads
    const slowThread = json(await slow).threadId
    assert.ok(fastDone < (await slowDone))
    for (const answer of fast.map(json)) {
      assert.equal(answer.overlap, 1)
      assert.notEqual(answer.threadId, slowThread)
    }
  })

  it('serves a deployed AWS_PROXY method from the thread, and a handler that exits mid-request is 502', async () => {
    const v1 = new APIGatewayClient({endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
    const uri =
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:proxy/invocations'
    const spec = {
      openapi: '3.0.1',
      info: {title: 'threads', version: '1'},
      paths: {
        '/p': {
          get: {responses: {'200': {description: 'ok'}}, 'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri}},
        },
      },
    }
    const apiId = (await v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))).id!
    await v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev'}))
    v1.destroy()
    const url = `${emulator.url}/_aws/execute-api/${apiId}/dev/p`
    const ok = await fetch(url)
    assert.equal(ok.status, 200)
    const served = (await ok.json()) as Json
    assert.equal(served.pid, process.pid)
    assert.equal(served.path, '/p')
    const crashed = await fetch(`${url}?exit=1`)
    assert.equal(crashed.status, 502)
    assert.deepEqual(await crashed.json(), {message: 'Internal server error'})
    const again = (await (await fetch(url)).json()) as Json
    assert.notEqual(again.threadId, served.threadId)
  })
})

describe('where Node handlers run', () => {
  it('in threads only when the handlers directory is the working directory, unless told process', () => {
    const cwd = process.cwd()
    const file = join(cwd, 'handler.mjs')
    assert.equal(nodeInThreads({baseDir: cwd}, file), true)
    assert.equal(nodeInThreads({baseDir: join(cwd, 'test')}, file), false)
    assert.equal(nodeInThreads({baseDir: cwd, nodeIsolation: 'process'}, file), false)
    process.env.APIGW_LOCAL_NODE_ISOLATION = 'process'
    try {
      assert.equal(nodeInThreads({baseDir: cwd}, file), false)
    } finally {
      delete process.env.APIGW_LOCAL_NODE_ISOLATION
    }
  })
})
