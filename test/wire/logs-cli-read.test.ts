// `apigw logs` against the emulator: events written through the SDK and the AWS CLI v2, read back with
// --since, --status, --request-id and --type; logging off; the NDJSON stream and its closing envelope.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {promisify} from 'node:util'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {after, before, describe, it} from 'node:test'
import {CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {deployRest, petsRestSpec, runApigw, setAccessLogs, writeProject} from './export-logs-support.ts'

const AWS_CLI = process.env.APIGW_AWS_CLI ?? '/usr/bin/aws'
const GROUP = '/apigw/pets/dev/access'
const HOUR = 3_600_000

let emu: TestEmulator
let cwd: string
let cliWrote = false
const now = Date.now()

const access = (requestId: string, status: number, method = 'GET', path = '/pets') =>
  JSON.stringify({
    requestId,
    ip: '127.0.0.1',
    requestTime: '31/Jan/2026:12:00:00 +0000',
    httpMethod: method,
    resourcePath: path,
    status: String(status),
    protocol: 'HTTP/1.1',
    responseLength: '12',
    integrationLatency: '7',
  })

before(async () => {
  emu = await startTestEmulator()
  const id = await deployRest(emu, petsRestSpec('pets'), 'dev')
  await deployRest(emu, petsRestSpec('quiet'), 'dev')
  await setAccessLogs(emu, id, 'dev', GROUP)
  cwd = writeProject({pets: {type: 'rest', stages: ['dev']}, quiet: {type: 'rest', stages: ['dev']}})
  await emu.logs.send(new CreateLogGroupCommand({logGroupName: GROUP}))
  await emu.logs.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: 'sdk'}))
  // Given events written through the SDK: one two hours old, four in the last minutes
  await emu.logs.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: 'sdk',
      logEvents: [
        {timestamp: now - 2 * HOUR, message: access('old-1', 200)},
        {timestamp: now - 5 * 60_000, message: access('sdk-200', 200)},
        {timestamp: now - 4 * 60_000, message: access('sdk-404', 404, 'GET', '/pets/{petId}')},
        {timestamp: now - 3 * 60_000, message: access('sdk-500', 500, 'POST')},
      ],
    }),
  )
  // And events written through the AWS CLI v2, when it is installed
  if (existsSync(AWS_CLI)) {
    const env = {
      ...process.env,
      AWS_ACCESS_KEY_ID: 'AKIDTEST',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    }
    // Async: the emulator runs in this process, so a synchronous child would dead-lock it.
    const cli = (args: string[]) =>
      promisify(execFile)(AWS_CLI, [...args, '--endpoint-url', emu.url, '--no-cli-pager', '--output', 'json'], {env, encoding: 'utf8'})
    await cli(['logs', 'create-log-stream', '--log-group-name', GROUP, '--log-stream-name', 'cli'])
    const file = join(cwd, 'events.json')
    writeFileSync(
      file,
      JSON.stringify([
        {timestamp: now - 2 * 60_000, message: access('cli-503', 503)},
        {timestamp: now - 60_000, message: access('cli-201', 201, 'POST')},
      ]),
    )
    const put = await cli([
      'logs',
      'put-log-events',
      '--log-group-name',
      GROUP,
      '--log-stream-name',
      'cli',
      '--log-events',
      `file://${file}`,
    ])
    assert.doesNotMatch(put.stdout, /rejectedLogEventsInfo/)
    cliWrote = true
  }
})

after(async () => {
  await emu.close()
})

const ndjson = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown> & {message?: string})

const ids = (stdout: string) =>
  ndjson(stdout)
    .filter((o) => typeof o.message === 'string')
    .map((o) => String(JSON.parse(o.message!).requestId))

describe('apigw logs (emulator)', () => {
  const cases: Array<{title: string; args: string[] | (() => string[]); sdk: string[]; cli: string[]}> = [
    {
      title: '--since 1h: the recent events of both writers, in time order',
      args: ['--since', '1h'],
      sdk: ['sdk-200', 'sdk-404', 'sdk-500'],
      cli: ['cli-503', 'cli-201'],
    },
    {
      title: '--since 3h includes the old event',
      args: ['--since', '3h'],
      sdk: ['old-1', 'sdk-200', 'sdk-404', 'sdk-500'],
      cli: ['cli-503', 'cli-201'],
    },
    {title: '--status 5xx', args: ['--since', '1h', '--status', '5xx'], sdk: ['sdk-500'], cli: ['cli-503']},
    {title: '--status 404', args: ['--since', '1h', '--status', '404'], sdk: ['sdk-404'], cli: []},
    {
      title: '--status 2xx,404 --type access',
      args: ['--since', '1h', '--status', '2xx,404', '--type', 'access'],
      sdk: ['sdk-200', 'sdk-404'],
      cli: ['cli-201'],
    },
    {title: '--request-id', args: ['--since', '1h', '--request-id', 'sdk-500'], sdk: ['sdk-500'], cli: []},
    {
      title: '--filter with a JSON pattern and --status',
      args: ['--since', '1h', '--filter', '{ $.httpMethod = "POST" }', '--status', '5xx'],
      sdk: ['sdk-500'],
      cli: [],
    },
    // The events are 5, 4 and 3 minutes older than `now`: cut between the last two, 30 s from each, measured
    // from when the command starts (not from `now`: on a loaded machine the earlier cases take a while).
    {
      title: '--until cuts the window (a duration)',
      args: () => ['--since', '1h', '--until', `${Math.round((Date.now() - now) / 1000) + 210}s`],
      sdk: ['sdk-200', 'sdk-404'],
      cli: [],
    },
    {
      title: '--until cuts the window (an ISO time)',
      args: () => ['--since', '1h', '--until', new Date(now - 210_000).toISOString()],
      sdk: ['sdk-200', 'sdk-404'],
      cli: [],
    },
  ]
  for (const c of cases) {
    it(c.title, async () => {
      // When `apigw logs` runs with stdout not a terminal
      const run = await runApigw('logs', ['pets', '--stage', 'dev', ...(typeof c.args === 'function' ? c.args() : c.args)], {
        cwd,
        endpoint: emu.url,
      })
      // Then it exits 0 and prints NDJSON, one event per line, the expected ones in time order
      assert.equal(run.code, 0, run.stderr)
      const expected = [...c.sdk, ...(cliWrote ? c.cli : [])]
      const got = ids(run.stdout)
      assert.deepEqual([...got].sort(), [...expected].sort())
      const times = ndjson(run.stdout).map((o) => Number(o.timestamp))
      assert.deepEqual(
        times,
        [...times].sort((a, b) => a - b),
      )
      assert.match(run.stderr, new RegExp(`${expected.length} events? from ${GROUP} \\(access\\)`))
    })
  }

  it('--json: every event as a line, then the envelope on one line', async () => {
    const run = await runApigw('logs', ['pets', '--stage', 'dev', '--since', '1h', '--status', '5xx', '--json'], {cwd, endpoint: emu.url})
    assert.equal(run.code, 0, run.stderr)
    const lines = ndjson(run.stdout)
    const envelope = lines.pop() as {status: number; result: {events: number; groups: unknown; filterPatterns: Record<string, string>}}
    assert.equal(envelope.status, 0)
    assert.equal(envelope.result.events, lines.length)
    assert.deepEqual(envelope.result.groups, [{kind: 'access', name: GROUP}])
    assert.equal(envelope.result.filterPatterns[GROUP], '{ $.status = 5* }')
    assert.ok(lines.every((l) => l.type === 'access' && l.logGroup === GROUP && typeof l.eventId === 'string'))
  })

  it('logging off: a clear error with the apigw.yaml config and the account role', async () => {
    const run = await runApigw('logs', ['quiet', '--stage', 'dev', '--json'], {cwd, endpoint: emu.url})
    assert.equal(run.code, 3)
    const out = JSON.parse(run.stdout) as {error: {code: string; message: string; hint: string}}
    assert.equal(out.error.code, 'LOGGING_OFF')
    assert.match(out.error.message, /Access and execution logging are off for stage dev of quiet/)
    assert.match(out.error.hint, /quiet:\n {4}stages:\n {6}dev:\n {8}accessLogs: \{format: json\}\n {8}executionLogs: \{level: INFO\}/)
    assert.match(out.error.hint, /cloudwatchRoleArn/)
  })

  it('an unknown stage is AWS_NOT_FOUND, said to be undeclared in apigw.yaml', async () => {
    const run = await runApigw('logs', ['pets', '--stage', 'nope'], {cwd, endpoint: emu.url})
    assert.equal(run.code, 4)
    assert.match(run.stderr, /Stage nope is not declared for pets in apigw.yaml/)
    assert.doesNotMatch(run.stderr, /apigw deploy pets --stage nope/)
  })

  it('a bad --since is a usage error', async () => {
    const run = await runApigw('logs', ['pets', '--stage', 'dev', '--since', 'yesterday'], {cwd, endpoint: emu.url})
    assert.equal(run.code, 2)
    assert.match(run.stderr, /--since yesterday is not a time/)
  })

  it('says why the AWS CLI part was skipped', (t) => {
    if (!cliWrote) {
      if (process.env.CI) assert.fail(`AWS CLI v2 missing at ${AWS_CLI} in CI`)
      t.skip(`AWS CLI v2 not found at ${AWS_CLI}: the events it writes were left out`)
    }
  })
})

describe('apigw logs --local (attached to an advertised emulator, as `apigw local start` runs it)', () => {
  it('reads the stage of the emulator serving the project state directory', async () => {
    // Given an emulator advertised in the project's .apigw/local, with a stage logging to a group
    const {startEmulator} = await import('../../src/local/server.ts')
    const project = writeProject({pets: {type: 'rest', stages: ['dev']}})
    const local = await startEmulator({port: 0, dataDir: join(project, '.apigw', 'local'), advertise: true})
    const {APIGatewayClient} = await import('@aws-sdk/client-api-gateway')
    const {CloudWatchLogsClient} = await import('@aws-sdk/client-cloudwatch-logs')
    const config = {endpoint: local.url, region: 'us-east-1', credentials: {accessKeyId: 'a', secretAccessKey: 'b'}, maxAttempts: 1}
    const clients = {v1: new APIGatewayClient(config), logs: new CloudWatchLogsClient(config)}
    try {
      const id = await deployRest(clients as unknown as TestEmulator, petsRestSpec('pets'), 'dev')
      await setAccessLogs(clients as unknown as TestEmulator, id, 'dev', GROUP)
      await clients.logs.send(new CreateLogGroupCommand({logGroupName: GROUP}))
      await clients.logs.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: 'x'}))
      await clients.logs.send(
        new PutLogEventsCommand({
          logGroupName: GROUP,
          logStreamName: 'x',
          logEvents: [
            {timestamp: Date.now(), message: access('local-500', 500)},
            {timestamp: Date.now(), message: access('local-200', 200)},
          ],
        }),
      )
      // When `apigw logs --local --status 5xx` runs in the project (no --endpoint-url)
      const run = await runApigw('logs', ['pets', '--stage', 'dev', '--local', '--status', '5xx'], {cwd: project, endpoint: ''})
      // Then it attached to that emulator and read the matching event
      assert.equal(run.code, 0, run.stderr)
      assert.deepEqual(ids(run.stdout), ['local-500'])
    } finally {
      clients.v1.destroy()
      clients.logs.destroy()
      await local.close()
    }
  })
})
