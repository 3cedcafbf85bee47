/**
 * The function host through the emulator (startEmulator with `functions:`): real child processes running the
 * Node handlers and the shell custom runtime in test/fixtures/functions, the Runtime API on its own port, a
 * tiny Invoke API server standing in for `sam local start-lambda`, and function output read back from
 * `/aws/lambda/NAME` with the CloudWatch Logs SDK client.
 */
import assert from 'node:assert/strict'
import {cpSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type IncomingMessage} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {CloudWatchLogsClient, FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {FunctionEndpointError, FunctionNotFoundError} from '../../src/local/data-plane/functions/index.ts'
import {type Emulator, startEmulator} from '../../src/local/server.ts'
import {TEST_CREDENTIALS} from '../helpers/emulator.ts'
import {body, json, waitFor} from '../helpers/functions.ts'

const FIXTURES = new URL('../fixtures/functions/', import.meta.url).pathname

describe('local Lambda functions', () => {
  let emulator: Emulator
  let logs: CloudWatchLogsClient
  let dataDir: string
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'apigw-fn-'))
    emulator = await startEmulator({
      port: 0,
      dataDir,
      functionsDir: FIXTURES,
      functions: {
        counter: {handler: 'counter.handler', memorySize: 256, timeout: 5, environment: {STAGE: 'dev', TABLE: 'orders'}},
        sleepy: {handler: 'counter.sleep', timeout: 1},
        patient: {handler: 'counter.sleep', timeout: 30},
        failing: {handler: 'counter.fail'},
        noisy: {handler: 'counter.noisy'},
        callback: {handler: 'callback.handler'},
        callbackNoWait: {handler: 'callback.noWait', timeout: 5},
        typed: {handler: 'typed.handler'},
        missing: {handler: 'nowhere.handler'},
        notExported: {handler: 'counter.nothing'},
        shell: {command: './bootstrap', handler: 'function.handler'},
        shellInitError: {command: ['./init-error-bootstrap']},
      },
    })
    logs = new CloudWatchLogsClient({endpoint: emulator.url, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1})
  })
  after(async () => {
    logs.destroy()
    await emulator.close()
    rmSync(dataDir, {recursive: true, force: true})
  })

  /** Every message of /aws/lambda/NAME, once `until` holds for them. */
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

  it("runs a Node handler warm: module state survives between calls, with Lambda's context and environment", async () => {
    // Given a handler counting its calls in module state
    // When it is invoked twice, by name and by an ARN with another region, account and an alias
    const first = await emulator.functions.invoke('counter', body({n: 1}), {requestId: 'req-one'})
    const second = await emulator.functions.invoke('arn:aws:lambda:eu-west-1:123456789012:function:counter:live', body({n: 2}))
    // Then both answer 200 without a function error, from the same process, the second seeing the first's state
    assert.equal(first.statusCode, 200)
    assert.equal(first.functionError, undefined)
    const a = json(first)
    const b = json(second)
    assert.equal(a.count, 1)
    assert.equal(b.count, 2)
    assert.equal(a.pid, b.pid)
    // And the event, context and environment are Lambda's
    assert.deepEqual(a.event, {n: 1})
    assert.equal(a.greeting, 'hello')
    assert.equal(a.requestId, 'req-one')
    assert.equal(a.functionName, 'counter')
    assert.equal(a.memoryLimitInMB, '256')
    assert.equal(a.invokedFunctionArn, 'arn:aws:lambda:us-east-1:000000000000:function:counter')
    assert.equal(b.invokedFunctionArn, 'arn:aws:lambda:eu-west-1:123456789012:function:counter:live')
    assert.ok((a.remaining as number) > 0 && (a.remaining as number) <= 5000, `remaining ${a.remaining}`)
    assert.deepEqual(a.env, {STAGE: 'dev', TABLE: 'orders', fn: 'counter', handler: 'counter.handler'})
  })

  it('resolves the function from an API Gateway integration URI', async () => {
    const uri =
      'arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:us-west-2:111122223333:function:typed/invocations'
    const result = await emulator.functions.invoke(uri, body({name: 'uri'}))
    assert.deepEqual(json(result), {message: 'hello uri', typed: true})
  })

  it('runs TypeScript handlers by type stripping, and callback-style handlers (waiting for the event loop unless told not to)', async () => {
    const typed = await emulator.functions.invoke('typed', body({name: 'ts'}))
    assert.deepEqual(json(typed), {message: 'hello ts', typed: true})
    const callback = await emulator.functions.invoke('callback', body({}))
    assert.deepEqual(json(callback), {style: 'callback', waits: true, remainingOk: true})
    const failed = await emulator.functions.invoke('callback', body({fail: true}))
    assert.equal(failed.functionError, 'Unhandled')
    assert.equal(json(failed).errorMessage, 'callback failure')
    // A pending 10 s timer would hold the answer past the 5 s timeout if the runtime waited for it
    const noWait = await emulator.functions.invoke('callbackNoWait', body({}))
    assert.equal(noWait.functionError, undefined, noWait.payload.toString())
    assert.deepEqual(json(noWait), {style: 'callback', waits: false})
  })

  it("answers a thrown error as an Unhandled function error with AWS's errorType, errorMessage and trace", async () => {
    const result = await emulator.functions.invoke('failing', body({}))
    assert.equal(result.statusCode, 200)
    assert.equal(result.functionError, 'Unhandled')
    const error = json(result)
    assert.equal(error.errorType, 'TypeError')
    assert.equal(error.errorMessage, 'boom: the order has no items')
    assert.ok(Array.isArray(error.trace))
    assert.match((error.trace as string[])[0]!, /^TypeError: boom/)
  })

  it('answers init failures as AWS does: a missing module, a handler not exported', async () => {
    const missing = await emulator.functions.invoke('missing', body({}))
    assert.equal(missing.functionError, 'Unhandled')
    assert.equal(json(missing).errorType, 'Runtime.ImportModuleError')
    const notExported = await emulator.functions.invoke('notExported', body({}))
    assert.equal(notExported.functionError, 'Unhandled')
    assert.deepEqual(json(notExported), {
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'counter.nothing is undefined or not exported',
      trace: [],
    })
  })

  it("stops an invocation at its timeout with AWS's error, and the next invocation runs in a fresh environment", async () => {
    const started = Date.now()
    const timedOut = await emulator.functions.invoke('sleepy', body({ms: 20_000}), {requestId: 'req-timeout'})
    assert.ok(Date.now() - started < 15_000)
    assert.equal(timedOut.functionError, 'Unhandled')
    assert.deepEqual(json(timedOut), {
      errorType: 'Sandbox.Timedout',
      errorMessage: 'RequestId: req-timeout Error: Task timed out after 1.00 seconds',
    })
    const next = await emulator.functions.invoke('sleepy', body({ms: 1}))
    assert.equal(next.functionError, undefined, next.payload.toString())
    assert.equal(json(next).slept, 1)
    const messages = await logMessages(
      'sleepy',
      (m) =>
        m.some((x) => x.includes('Task timed out after 1.00 seconds')) &&
        m.some((x) => x.startsWith('REPORT') && x.includes('Status: timeout')),
    )
    assert.ok(messages.some((m) => /^\d{4}-\d\d-\d\dT[\d:.]+Z req-timeout Task timed out after 1\.00 seconds$/.test(m)))
  })

  it('answers an error when the handler process is killed with -9 mid-request, and the next invocation works', async () => {
    // Given an invocation in flight
    const inFlight = emulator.functions.invoke('patient', body({ms: 20_000}), {requestId: 'req-killed'})
    const pid = await waitFor('the handler process', async () => {
      const messages = await logMessages('patient', (m) => m.some((x) => x.startsWith('START RequestId: req-killed')))
      return messages.length > 0 ? emulator.functions.pool('patient')?.environments()[0]?.pid : undefined
    })
    // When its process is killed
    process.kill(pid, 'SIGKILL')
    // Then the invocation answers Runtime.ExitError, and the next one runs in a new process
    const killed = await inFlight
    assert.equal(killed.functionError, 'Unhandled')
    assert.deepEqual(json(killed), {
      errorType: 'Runtime.ExitError',
      errorMessage: 'RequestId: req-killed Error: Runtime exited with error: signal: killed',
    })
    const next = await emulator.functions.invoke('patient', body({ms: 1}))
    assert.equal(next.functionError, undefined)
    assert.notEqual(json(next).pid, pid)
  })

  it('runs concurrent invocations in separate environments', async () => {
    const results = await Promise.all([1, 2, 3].map(() => emulator.functions.invoke('patient', body({ms: 400}))))
    const pids = new Set(results.map((r) => json(r).pid))
    assert.equal(pids.size, 3, `pids ${[...pids].join(',')}`)
  })

  it("writes function output to /aws/lambda/NAME with START, END and REPORT lines in Lambda's formats", async () => {
    await emulator.functions.invoke('noisy', body({marker: 'm1'}), {requestId: 'req-noisy'})
    const messages = await logMessages('noisy', (m) => m.some((x) => x.startsWith('REPORT RequestId: req-noisy')))
    const mine = messages.filter((m) => m.includes('req-noisy') || m === 'raw stdout')
    assert.equal(mine[0], 'START RequestId: req-noisy Version: $LATEST')
    assert.match(mine[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\treq-noisy\tINFO\tline one$/)
    assert.match(mine[2]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z\treq-noisy\tERROR\tline two \{ n: 2 \}$/)
    assert.equal(mine[3], 'raw stdout')
    assert.equal(mine[4], 'END RequestId: req-noisy')
    assert.match(
      mine[5]!,
      /^REPORT RequestId: req-noisy\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms$/,
    )
  })

  it('runs an Event invocation in the background and answers 202 at once', async () => {
    const result = await emulator.functions.invoke('noisy', body({marker: 'async'}), {invocationType: 'Event', requestId: 'req-event'})
    assert.equal(result.statusCode, 202)
    assert.equal(result.payload.length, 0)
    await logMessages('noisy', (m) => m.some((x) => x.startsWith('REPORT RequestId: req-event')))
  })

  it('runs an AWS custom runtime (a shell bootstrap using curl) through the Runtime API, warm', async () => {
    const first = await emulator.functions.invoke('shell', body({hello: 'sh'}), {requestId: 'req-sh-1'})
    assert.equal(first.functionError, undefined, first.payload.toString())
    const a = json(first)
    assert.equal(a.shell, true)
    assert.equal(a.requestId, 'req-sh-1')
    assert.deepEqual(a.event, {hello: 'sh'})
    const second = await emulator.functions.invoke('shell', body({again: true}))
    assert.equal(json(second).pid, a.pid)
    // An event given as text (as the WebSocket data plane builds it) arrives whole, multi-byte characters included
    const text = await emulator.functions.invoke('shell', JSON.stringify({text: 'héllo ✓'}))
    assert.deepEqual(json(text).event, {text: 'héllo ✓'})
    // An error posted to /invocation/{id}/error is the payload of an Unhandled function error
    const failed = await emulator.functions.invoke('shell', body({fail: true}))
    assert.equal(failed.functionError, 'Unhandled')
    assert.deepEqual(json(failed), {errorMessage: 'shell says no', errorType: 'ShellError', stackTrace: []})
    // Its output (init and per event) is in the log group, with _HANDLER and the function name in its environment
    const messages = await logMessages(
      'shell',
      (m) => m.some((x) => x === 'got req-sh-1') && m.some((x) => x.startsWith('REPORT RequestId: req-sh-1')),
    )
    assert.ok(messages.includes('init shell handler=function.handler'))
    assert.ok(messages.indexOf('START RequestId: req-sh-1 Version: $LATEST') < messages.indexOf('got req-sh-1'))
    assert.ok(messages.indexOf('got req-sh-1') < messages.indexOf('END RequestId: req-sh-1'))
  })

  it("answers a runtime's /runtime/init/error as an Unhandled function error", async () => {
    const result = await emulator.functions.invoke('shellInitError', body({}))
    assert.equal(result.functionError, 'Unhandled')
    assert.deepEqual(json(result), {errorMessage: 'missing DB_URL', errorType: 'Runtime.ConfigError'})
  })

  it('rejects a function found nowhere with a typed error that names it and a hint', async () => {
    await assert.rejects(emulator.functions.invoke('arn:aws:lambda:us-east-1:123456789012:function:ghost', body({})), (error: Error) => {
      assert.ok(error instanceof FunctionNotFoundError)
      assert.equal(error.functionName, 'ghost')
      assert.match(error.message, /ghost is not defined under functions: in apigw\.yaml/)
      assert.match(error.hint, /--lambda-endpoint/)
      return true
    })
  })
})

describe('functions not defined locally go to --lambda-endpoint (the Lambda Invoke API)', () => {
  type Seen = {method: string; url: string; invocationType: string | undefined; body: string}
  const seen: Seen[] = []
  let endpoint: string
  let server: ReturnType<typeof createServer>
  let emulator: Emulator
  let dataDir: string
  before(async () => {
    // A tiny Invoke API: `remote` answers its event back, `broken` a function error, anything else 404.
    server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        const invocationType = req.headers['x-amz-invocation-type'] as string | undefined
        seen.push({method: req.method ?? '', url: req.url ?? '', invocationType, body: text})
        const name = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '')?.[1]
        if (name === 'remote') {
          if (invocationType === 'Event') res.writeHead(202).end()
          else
            res
              .writeHead(200, {'content-type': 'application/json', 'x-amz-executed-version': '$LATEST'})
              .end(JSON.stringify({remote: true, event: JSON.parse(text)}))
        } else if (name === 'broken') {
          res
            .writeHead(200, {'content-type': 'application/json', 'x-amz-function-error': 'Unhandled'})
            .end('{"errorMessage":"remote failure","errorType":"Error"}')
        } else {
          res.writeHead(404, {'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException'})
          res.end(JSON.stringify({Type: 'User', message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${name}`}))
        }
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    dataDir = mkdtempSync(join(tmpdir(), 'apigw-fn-remote-'))
    emulator = await startEmulator({
      port: 0,
      dataDir,
      functionsDir: FIXTURES,
      functions: {typed: {handler: 'typed.handler'}},
      lambdaEndpoint: endpoint,
    })
  })
  after(async () => {
    await emulator.close()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(dataDir, {recursive: true, force: true})
  })

  it('invokes through POST /2015-03-31/functions/{name}/invocations with the invocation type and qualifier', async () => {
    const result = await emulator.functions.invoke('arn:aws:lambda:us-east-1:123456789012:function:remote:prod', body({a: 1}))
    assert.equal(result.statusCode, 200)
    assert.equal(result.functionError, undefined)
    assert.deepEqual(json(result), {remote: true, event: {a: 1}})
    const last = seen.at(-1)!
    assert.equal(last.method, 'POST')
    assert.equal(last.url, '/2015-03-31/functions/remote/invocations?Qualifier=prod')
    assert.equal(last.invocationType, 'RequestResponse')
    // An event given as text goes out as its bytes
    assert.deepEqual(json(await emulator.functions.invoke('remote', JSON.stringify({text: 'héllo ✓'}))), {
      remote: true,
      event: {text: 'héllo ✓'},
    })
    const event = await emulator.functions.invoke('remote', body({b: 2}), {invocationType: 'Event'})
    assert.equal(event.statusCode, 202)
    assert.equal(seen.at(-1)!.invocationType, 'Event')
  })

  it('passes X-Amz-Function-Error on as functionError', async () => {
    const result = await emulator.functions.invoke('broken', body({}))
    assert.equal(result.functionError, 'Unhandled')
    assert.equal(json(result).errorMessage, 'remote failure')
  })

  it("keeps local functions local, and turns the endpoint's 404 into FunctionNotFoundError", async () => {
    const before = seen.length
    assert.deepEqual(json(await emulator.functions.invoke('typed', body({name: 'local'}))), {message: 'hello local', typed: true})
    assert.equal(seen.length, before)
    await assert.rejects(emulator.functions.invoke('ghost', body({})), (error: Error) => {
      assert.ok(error instanceof FunctionNotFoundError)
      assert.match(error.message, /does not know it either/)
      return true
    })
  })

  it('reports an endpoint that does not answer with FunctionEndpointError', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer()
      probe.listen(0, '127.0.0.1', () => {
        const port = (probe.address() as AddressInfo).port
        probe.close(() => resolve(port))
      })
    })
    const dir = mkdtempSync(join(tmpdir(), 'apigw-fn-closed-'))
    const other = await startEmulator({port: 0, dataDir: dir, lambdaEndpoint: `http://127.0.0.1:${closed}`})
    try {
      await assert.rejects(other.functions.invoke('anything', body({})), (error: Error) => {
        assert.ok(error instanceof FunctionEndpointError)
        assert.match(error.message, /did not answer \(ECONNREFUSED\)/)
        return true
      })
    } finally {
      await other.close()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('a changed handler is picked up without a restart', () => {
  it('reloads when the handler file or a file it imports changes, with fresh module state', async () => {
    // Given a copy of the fixtures (the test edits them)
    const dir = mkdtempSync(join(tmpdir(), 'apigw-fn-reload-'))
    cpSync(FIXTURES, dir, {recursive: true})
    const emulator = await startEmulator({
      port: 0,
      dataDir: ':memory:',
      functionsDir: dir,
      functions: {counter: {handler: 'counter.handler'}},
    })
    try {
      const first = json(await emulator.functions.invoke('counter', body({})))
      assert.equal(first.greeting, 'hello')
      assert.equal(json(await emulator.functions.invoke('counter', body({}))).count, 2)
      // When a module the handler imports changes
      writeFileSync(join(dir, 'lib', 'greeting.mjs'), "export const greeting = () => 'hello again'\n")
      // Then an invocation soon answers from the new code, in a new environment
      const reloaded = await waitFor('the new greeting', async () => {
        const result = json(await emulator.functions.invoke('counter', body({})))
        return result.greeting === 'hello again' ? result : undefined
      })
      assert.equal(reloaded.count, 1)
      assert.notEqual(reloaded.pid, first.pid)
      // And the same for the handler file itself
      writeFileSync(join(dir, 'counter.mjs'), 'export const handler = async () => ({version: 2})\n')
      await waitFor('the new handler', async () =>
        json(await emulator.functions.invoke('counter', body({}))).version === 2 ? true : undefined,
      )
    } finally {
      await emulator.close()
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
