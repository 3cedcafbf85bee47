// `apigw logs --follow` with real timers against the emulator: events written through the SDK and the AWS
// CLI v2 after the follow starts are printed once each, and Ctrl-C (SIGINT) ends it cleanly with exit 0.
import assert from 'node:assert/strict'
import {execFile} from 'node:child_process'
import {existsSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {promisify} from 'node:util'
import {after, before, describe, it} from 'node:test'
import {CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {deployRest, petsRestSpec, setAccessLogs, startApigw, writeProject} from './export-logs-support.ts'

const AWS_CLI = process.env.APIGW_AWS_CLI ?? '/usr/bin/aws'
const GROUP = '/apigw/pets/dev/access'
let emu: TestEmulator
let cwd: string

const access = (requestId: string, status: number) =>
  JSON.stringify({requestId, httpMethod: 'GET', resourcePath: '/pets', status: String(status), integrationLatency: '3'})

before(async () => {
  emu = await startTestEmulator()
  const id = await deployRest(emu, petsRestSpec('pets'), 'dev')
  await setAccessLogs(emu, id, 'dev', GROUP)
  cwd = writeProject({pets: {type: 'rest', stages: ['dev']}})
  await emu.logs.send(new CreateLogGroupCommand({logGroupName: GROUP}))
  await emu.logs.send(new CreateLogStreamCommand({logGroupName: GROUP, logStreamName: 'sdk'}))
  await emu.logs.send(
    new PutLogEventsCommand({
      logGroupName: GROUP,
      logStreamName: 'sdk',
      logEvents: [{timestamp: Date.now() - 30_000, message: access('before', 200)}],
    }),
  )
})

after(async () => {
  await emu.close()
})

// Conditions, not sleeps: the ceilings only bound a hang, and are generous for a loaded machine.
const CEILING = 60_000
async function waitFor(check: () => boolean, what: string, ms = CEILING): Promise<number> {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return Date.now() - start
}

const put = (id: string, status: number) =>
  emu.logs.send(
    new PutLogEventsCommand({logGroupName: GROUP, logStreamName: 'sdk', logEvents: [{timestamp: Date.now(), message: access(id, status)}]}),
  )

describe('apigw logs --follow (emulator, real timers)', () => {
  it('prints new events from the SDK and the AWS CLI once each, then ends on SIGINT with exit 0', async (t) => {
    // Given a follow started on the stage, with --json (NDJSON then the envelope)
    const run = startApigw('logs', ['pets', '--stage', 'dev', '--follow', '--since', '5m', '--json'], {cwd, endpoint: emu.url})
    const seen = (id: string) => run.stdout().includes(`\\"requestId\\":\\"${id}\\"`)
    await waitFor(() => seen('before'), 'the event written before the follow')
    // When events are written through the SDK while it follows
    await emu.logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 'sdk',
        logEvents: [
          {timestamp: Date.now(), message: access('sdk-live-1', 500)},
          {timestamp: Date.now(), message: access('sdk-live-2', 200)},
        ],
      }),
    )
    const latency = await waitFor(() => seen('sdk-live-1') && seen('sdk-live-2'), 'the SDK events')
    // And through the AWS CLI v2
    let cli = false
    if (existsSync(AWS_CLI)) {
      const env = {
        ...process.env,
        AWS_ACCESS_KEY_ID: 'AKIDTEST',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_EC2_METADATA_DISABLED: 'true',
      }
      const file = join(cwd, 'live.json')
      writeFileSync(file, JSON.stringify([{timestamp: Date.now(), message: access('cli-live', 404)}]))
      await promisify(execFile)(
        AWS_CLI,
        [
          'logs',
          'put-log-events',
          '--log-group-name',
          GROUP,
          '--log-stream-name',
          'sdk',
          '--log-events',
          `file://${file}`,
          '--endpoint-url',
          emu.url,
          '--no-cli-pager',
        ],
        {env},
      )
      await waitFor(() => seen('cli-live'), 'the AWS CLI event')
      cli = true
    } else if (process.env.CI) {
      assert.fail(`AWS CLI v2 missing at ${AWS_CLI} in CI`)
    }
    // And a last event: once it shows, later polls have re-read the window of the earlier ones (no event twice)
    await put('sentinel', 200)
    await waitFor(() => seen('sentinel'), 'the last event')
    run.child.kill('SIGINT')
    const done = await run.done
    // Then it exits 0, each event once, and the envelope closes the stream
    assert.equal(done.code, 0, done.stderr)
    const lines = done.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as {eventId?: string; message?: string; status?: number; result?: {events: number; followed: boolean}})
    const envelope = lines.pop()!
    assert.equal(envelope.status, 0)
    assert.equal(envelope.result?.followed, true)
    assert.equal(envelope.result?.events, lines.length)
    const ids = lines.map((l) => (JSON.parse(l.message!) as {requestId: string}).requestId)
    assert.deepEqual(ids, ['before', 'sdk-live-1', 'sdk-live-2', ...(cli ? ['cli-live'] : []), 'sentinel'])
    assert.equal(new Set(lines.map((l) => l.eventId)).size, lines.length)
    t.diagnostic(`the SDK events printed ${latency} ms after the write (polls every 250 ms)`)
    if (!cli) t.diagnostic(`AWS CLI v2 not found at ${AWS_CLI}: its part was skipped`)
  })

  it('with --status, follows only the matching events', async () => {
    const run = startApigw('logs', ['pets', '--stage', 'dev', '--follow', '--since', new Date().toISOString(), '--status', '5xx'], {
      cwd,
      endpoint: emu.url,
    })
    // When it says it follows (history read, polls next)
    await waitFor(() => run.stderr().includes('for new events (Ctrl-C to stop)'), 'the follow to start')
    await emu.logs.send(
      new PutLogEventsCommand({
        logGroupName: GROUP,
        logStreamName: 'sdk',
        logEvents: [
          {timestamp: Date.now(), message: access('ok-1', 200)},
          {timestamp: Date.now(), message: access('bad-1', 502)},
        ],
      }),
    )
    await waitFor(() => run.stdout().includes('\\"requestId\\":\\"bad-1\\"'), 'the 502 event')
    // And a later 5xx event: once it shows, the polls that read ok-1 are done
    await put('bad-2', 503)
    await waitFor(() => run.stdout().includes('\\"requestId\\":\\"bad-2\\"'), 'the 503 event')
    run.child.kill('SIGINT')
    const done = await run.done
    assert.equal(done.code, 0, done.stderr)
    assert.doesNotMatch(done.stdout, /ok-1/)
    assert.match(done.stderr, /2 events from/)
  })
})
