import assert from 'node:assert/strict'
import {describe, it} from 'node:test'
import {parseConfig} from '../../../src/core/config/config.ts'
import {isInputProblem} from '../../../src/core/spec/problem.ts'
import {EXIT, exitCodeFor} from '../../../src/errors.ts'
import {parseFunctionRef, resolveHandler} from '../../../src/local/data-plane/functions/index.ts'

const parse = (text: string) => parseConfig('/p/apigw.yaml', Buffer.from(text))
const API = 'apis:\n  pets: {spec: openapi.yaml}\n'

describe('apigw.yaml functions:', () => {
  it('accepts Node handlers and commands with timeout, memorySize and environment', async () => {
    // Given both kinds of function
    const {config} = await parse(
      `${API}functions:\n  listPets:\n    handler: src/pets.list\n    timeout: 10\n    memorySize: 512\n    environment: {TABLE: pets, DEBUG: true, RETRIES: 3}\n  rusty:\n    command: ./target/bootstrap\n  argv:\n    command: [python3, -m, awslambdaric]\n    handler: app.handler\n`,
    )
    // Then they are read as written
    assert.deepEqual(config.functions?.listPets, {
      handler: 'src/pets.list',
      timeout: 10,
      memorySize: 512,
      environment: {TABLE: 'pets', DEBUG: true, RETRIES: 3},
    })
    assert.deepEqual(config.functions?.rusty, {command: './target/bootstrap'})
    assert.deepEqual(config.functions?.argv, {command: ['python3', '-m', 'awslambdaric'], handler: 'app.handler'})
  })

  const bad: Array<[string, string, RegExp]> = [
    [
      'a function with neither handler nor command',
      'functions:\n  f: {timeout: 3}\n',
      /"functions\.f" is missing the required key "(handler|command)"/,
    ],
    ['a handler without an export', 'functions:\n  f: {handler: src/pets}\n', /"functions\.f\.handler" does not match the allowed pattern/],
    [
      "a timeout over Lambda's 900 s",
      'functions:\n  f: {handler: a.b, timeout: 901}\n',
      /apigw\.yaml:4:\d+: "functions\.f\.timeout" must be <= 900/,
    ],
    ['memory under 128 MB', 'functions:\n  f: {handler: a.b, memorySize: 64}\n', /"functions\.f\.memorySize" must be >= 128/],
    ['a misspelt key', 'functions:\n  f: {handler: a.b, timout: 3}\n', /unknown key "timout" \(did you mean "timeout"\?\)/],
    [
      'a name Lambda refuses',
      'functions:\n  "my fn": {handler: a.b}\n',
      /apigw\.yaml:4:3: "my fn" is not allowed as a key of "functions" \(the pattern is/,
    ],
  ]
  for (const [name, text, message] of bad) {
    it(`refuses ${name} with file:line and exit 3`, async () => {
      await assert.rejects(parse(`${API}${text}`), (e: unknown) => {
        // core/config throws a typed problem; the CLI shows it with the same code, exit 3.
        assert.ok(isInputProblem(e))
        assert.equal(exitCodeFor(e.code), EXIT.INPUT)
        assert.match(e.message, message)
        return true
      })
    })
  }
})

describe('function references', () => {
  const cases: Array<[string, ReturnType<typeof parseFunctionRef>]> = [
    ['orders', {name: 'orders'}],
    ['orders:live', {name: 'orders', qualifier: 'live'}],
    ['123456789012:function:orders', {name: 'orders', accountId: '123456789012'}],
    ['arn:aws:lambda:eu-west-1:123456789012:function:orders', {name: 'orders', region: 'eu-west-1', accountId: '123456789012'}],
    [
      'arn:aws:lambda:eu-west-1:123456789012:function:orders:$LATEST',
      {name: 'orders', region: 'eu-west-1', accountId: '123456789012', qualifier: '$LATEST'},
    ],
    [
      'arn:aws-cn:lambda:cn-north-1:123456789012:function:orders:7',
      {name: 'orders', region: 'cn-north-1', accountId: '123456789012', qualifier: '7'},
    ],
    [
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:orders:prod/invocations',
      {name: 'orders', region: 'us-east-1', accountId: '123456789012', qualifier: 'prod'},
    ],
    [
      'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorders/invocations',
      {name: 'orders', region: 'us-east-1', accountId: '123456789012'},
    ],
  ]
  for (const [ref, expected] of cases) {
    it(`reads ${ref}`, () => assert.deepEqual(parseFunctionRef(ref), expected))
  }

  it('finds the handler file by extension, and keeps the export after the last dot', () => {
    const fixtures = new URL('../../fixtures/functions/', import.meta.url).pathname
    assert.deepEqual(resolveHandler(fixtures, 'typed.handler'), {file: `${fixtures}typed.ts`, exportName: 'handler'})
    assert.deepEqual(resolveHandler(fixtures, 'lib/greeting.greeting'), {file: `${fixtures}lib/greeting.mjs`, exportName: 'greeting'})
    assert.deepEqual(resolveHandler(fixtures, 'callback.noWait'), {file: `${fixtures}callback.cjs`, exportName: 'noWait'})
  })
})
