/**
 * End to end through real HTTP: a deployed stage whose AWS_PROXY methods name Lambda functions runs the local
 * handler of `functions:` (test/fixtures/functions/proxy.mjs); a function found nowhere answers 500 with an
 * execution-log line naming it and the hint; the handler's output is in /aws/lambda/NAME.
 */
import assert from 'node:assert/strict'
import {after, before, describe, it} from 'node:test'
import {CreateDeploymentCommand, ImportRestApiCommand, UpdateStageCommand} from '@aws-sdk/client-api-gateway'
import {FilterLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {waitFor} from '../helpers/functions.ts'

const FIXTURES = new URL('../fixtures/functions/', import.meta.url).pathname
const fnUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:${name}/invocations`

const spec = {
  openapi: '3.0.1',
  info: {title: 'fn-e2e', version: '1'},
  paths: {
    '/pets/{id}': {
      parameters: [{name: 'id', in: 'path', required: true, schema: {type: 'string'}}],
      get: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('petsFn')},
      },
    },
    '/ghost': {
      get: {
        responses: {'200': {description: 'ok'}},
        'x-amazon-apigateway-integration': {type: 'aws_proxy', httpMethod: 'POST', uri: fnUri('ghostFn')},
      },
    },
  },
}

describe('a deployed AWS_PROXY method runs the local handler of functions:', () => {
  let t: TestEmulator
  let apiId: string
  before(async () => {
    t = await startTestEmulator({emulator: {functionsDir: FIXTURES, functions: {petsFn: {handler: 'proxy.handler', timeout: 10}}}})
    apiId = (await t.v1.send(new ImportRestApiCommand({body: new TextEncoder().encode(JSON.stringify(spec))}))).id!
    await t.v1.send(new CreateDeploymentCommand({restApiId: apiId, stageName: 'dev'}))
    await t.v1.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [{op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO'}],
      }),
    )
  })
  after(() => t.close())

  it('answers what the handler returns, warm across requests', async () => {
    // When the stage is called twice over HTTP
    const first = await fetch(`${t.url}/_aws/execute-api/${apiId}/dev/pets/7?color=red`)
    const second = await fetch(`http://127.0.0.1:${t.emulator.port}/_aws/execute-api/${apiId}/dev/pets/8`)
    // Then the handler's status, headers and body come back, from one warm environment
    assert.equal(first.status, 200)
    assert.equal(first.headers.get('x-handler'), 'proxy')
    const a = (await first.json()) as Record<string, unknown>
    const b = (await second.json()) as Record<string, unknown>
    assert.equal(a.method, 'GET')
    assert.equal(a.path, '/pets/7')
    assert.equal(a.resource, '/pets/{id}')
    assert.deepEqual(a.pathParameters, {id: '7'})
    assert.deepEqual(a.query, {color: 'red'})
    assert.equal(a.stage, 'dev')
    assert.equal(a.functionName, 'petsFn')
    assert.equal(b.calls, (a.calls as number) + 1)
    // And its output is in /aws/lambda/petsFn
    await waitFor('the handler log', async () => {
      const out = await t.logs.send(new FilterLogEventsCommand({logGroupName: '/aws/lambda/petsFn'})).catch(() => undefined)
      const messages = (out?.events ?? []).map((e) => e.message ?? '')
      return messages.some((m) => m.endsWith('\tINFO\tproxy GET /pets/8')) && messages.some((m) => m.startsWith('REPORT RequestId:'))
        ? true
        : undefined
    })
  })

  it('answers 500 for a function found nowhere, and the execution log names it with the hint', async () => {
    const res = await fetch(`${t.url}/_aws/execute-api/${apiId}/dev/ghost`)
    assert.equal(res.status, 500)
    assert.deepEqual(await res.json(), {message: 'Internal server error'})
    const requestId = res.headers.get('x-amzn-requestid')!
    await t.emulator.dataPlane.flushLogs()
    const lines = await waitFor('the execution log', async () => {
      const out = await t.logs
        .send(new FilterLogEventsCommand({logGroupName: `API-Gateway-Execution-Logs_${apiId}/dev`, filterPattern: `"${requestId}"`}))
        .catch(() => undefined)
      const messages = (out?.events ?? []).map((e) => e.message ?? '')
      return messages.some((m) => m.includes('Execution failed')) ? messages : undefined
    })
    const line = lines.find((m) => m.includes('Execution failed'))!
    assert.match(
      line,
      /Execution failed due to configuration error: Lambda function ghostFn is not defined under functions: in apigw\.yaml/,
    )
    assert.match(line, /--lambda-endpoint URL/)
  })
})
