/**
 * X-Ray trace ids on a REST stage: with tracingEnabled the integration gets `X-Amzn-Trace-Id:
 * Root=1-{epoch hex}-{24 hex};Parent={16 hex};Sampled=1` (a client's Root kept, its Sampled=0 honoured), the Lambda
 * proxy event carries the header, the client's answer from a Lambda integration too, and the access log's
 * `$context.xrayTraceId` is the Root; with tracing off only `Root=` goes on and xrayTraceId is empty.
 */
import assert from 'node:assert/strict'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, CreateStageCommand, ImportRestApiCommand, UpdateStageCommand} from '@aws-sdk/client-api-gateway'
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import type {FunctionHost} from '../../src/local/data-plane/context.ts'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const FULL = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24});Parent=[0-9a-f]{16};Sampled=([01])$/
const ROOT_ONLY = /^Root=(1-[0-9a-f]{8}-[0-9a-f]{24})$/

describe('X-Ray trace ids (REST data plane)', () => {
  let t: TestEmulator
  let backend: Server
  let apiId: string
  const seen: IncomingHttpHeaders[] = []
  const events: Array<Record<string, unknown>> = []
  const host: FunctionHost = {
    async invoke(_ref, payload) {
      events.push(JSON.parse(payload.toString('utf8')) as Record<string, unknown>)
      return {statusCode: 200, payload: Buffer.from(JSON.stringify({statusCode: 200, body: 'ok'}))}
    },
    async close() {},
  }

  before(async () => {
    backend = createServer((req, res) => {
      seen.push(req.headers)
      res.writeHead(200, {'content-type': 'application/json'}).end('{}')
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`
    t = await startTestEmulator({emulator: {functionHost: host}})
    const spec = {
      openapi: '3.0.1',
      info: {title: 'traced', version: '1'},
      paths: {
        '/proxy': {
          get: {
            responses: {'200': {description: 'ok'}},
            'x-amazon-apigateway-integration': {type: 'http_proxy', httpMethod: 'GET', uri: `${url}/p`},
          },
        },
        '/fn': {
          get: {
            responses: {'200': {description: 'ok'}},
            'x-amazon-apigateway-integration': {
              type: 'aws_proxy',
              httpMethod: 'POST',
              uri:
                'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/' +
                'arn:aws:lambda:us-east-1:000000000000:function:fn/invocations',
            },
          },
        },
      },
    }
    apiId = (await t.v1.send(new ImportRestApiCommand({body: Buffer.from(JSON.stringify(spec))}))).id!
    const deploymentId = (await t.v1.send(new CreateDeploymentCommand({restApiId: apiId}))).id!
    for (const [stageName, tracingEnabled] of [
      ['traced', true],
      ['plain', false],
    ] as const) {
      await t.v1.send(new CreateStageCommand({restApiId: apiId, stageName, deploymentId, tracingEnabled}))
      await t.v1.send(
        new UpdateStageCommand({
          restApiId: apiId,
          stageName,
          patchOperations: [
            {
              op: 'replace',
              path: '/accessLogSettings/destinationArn',
              value: `arn:aws:logs:us-east-1:000000000000:log-group:/xray/${stageName}`,
            },
            {op: 'replace', path: '/accessLogSettings/format', value: '{"id":"$context.requestId","trace":"$context.xrayTraceId"}'},
          ],
        }),
      )
    }
  })
  after(async () => {
    await t.close()
    await new Promise((resolve) => backend.close(resolve))
  })

  const call = (stage: string, path: string, headers: Record<string, string> = {}) =>
    fetch(`${t.url}/_aws/execute-api/${apiId}/${stage}${path}`, {headers})

  it('tracing on: a new trace reaches the backend with Parent and Sampled=1, and the access log names its Root', async () => {
    const before = Math.floor(Date.now() / 1000)
    const res = await call('traced', '/proxy')
    assert.equal(res.status, 200)
    const header = String(seen.at(-1)!['x-amzn-trace-id'])
    const m = FULL.exec(header)
    assert.ok(m, header)
    assert.equal(m[2], '1')
    const epoch = Number.parseInt(m[1]!.slice(2, 10), 16)
    assert.ok(epoch >= before && epoch <= Math.floor(Date.now() / 1000), `epoch ${epoch}`)
    await t.emulator.dataPlane.flushLogs()
    const logged = await t.logs.send(new FilterLogEventsCommand({logGroupName: '/xray/traced'}))
    const line = JSON.parse(logged.events!.at(-1)!.message!) as {id: string; trace: string}
    assert.equal(line.id, res.headers.get('x-amzn-requestid'))
    assert.equal(line.trace, m[1])
  })

  it("keeps a client's Root and Sampled=0; Lambda gets it in the event's headers and the answer carries it", async () => {
    const root = '1-5759e988-bd862e3fe1be46a994272793'
    await call('traced', '/proxy', {'X-Amzn-Trace-Id': `Root=${root};Sampled=0`})
    const m = FULL.exec(String(seen.at(-1)!['x-amzn-trace-id']))
    assert.ok(m)
    assert.deepEqual([m[1], m[2]], [root, '0'])
    const res = await call('traced', '/fn', {'X-Amzn-Trace-Id': `Root=${root}`})
    assert.equal(res.status, 200)
    const headers = events.at(-1)!.headers as Record<string, string>
    const inEvent = FULL.exec(headers['X-Amzn-Trace-Id'] ?? '')
    assert.ok(inEvent, JSON.stringify(headers))
    assert.deepEqual([inEvent[1], inEvent[2]], [root, '1'])
    assert.equal(res.headers.get('x-amzn-trace-id'), headers['X-Amzn-Trace-Id'])
  })

  it('tracing off: only the Root goes to the integration and $context.xrayTraceId is empty', async () => {
    await call('plain', '/proxy')
    assert.match(String(seen.at(-1)!['x-amzn-trace-id']), ROOT_ONLY)
    await t.emulator.dataPlane.flushLogs()
    const logged = await t.logs.send(new FilterLogEventsCommand({logGroupName: '/xray/plain'}))
    assert.equal((JSON.parse(logged.events!.at(-1)!.message!) as {trace: string}).trace, '-')
  })
})
