/**
 * CloudWatch Logs through the AWS CLI v2 (a client nobody here wrote): create-log-group, put-log-events,
 * filter-log-events with a pattern, `logs tail --since`, and `logs tail --follow` (which re-polls
 * FilterLogEvents from the newest timestamp and de-duplicates on eventId: no line may repeat).
 */
import assert from 'node:assert/strict'
import {execFile, spawn} from 'node:child_process'
import {rmSync} from 'node:fs'
import {after, before, describe, it, type TestContext} from 'node:test'
import {promisify} from 'node:util'
import {PutLogEventsCommand} from '@aws-sdk/client-cloudwatch-logs'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'
import {AWS_CLI, awsCliEnv, awsCliSkipReason} from '../helpers/aws-cli.ts'
import {tempDir} from '../helpers/temp.ts'

const run = promisify(execFile)
/** Skip with a visible reason when the AWS CLI is missing, except in CI where it must be there. */
function needCli(ctx: TestContext): boolean {
  const reason = awsCliSkipReason()
  if (reason) ctx.skip(reason)
  return reason === undefined
}

describe('CloudWatch Logs through the AWS CLI v2', () => {
  let t: TestEmulator
  let home: string
  before(async () => {
    t = await startTestEmulator()
    home = tempDir('apigw-awscli-logs-')
  })
  after(async () => {
    await t.close()
    rmSync(home, {recursive: true, force: true})
  })

  function cliEnv(): Record<string, string> {
    return awsCliEnv(home)
  }

  function cliArgs(args: string[]): string[] {
    return ['--endpoint-url', t.url, '--region', 'us-east-1', '--no-cli-pager', '--color', 'off', 'logs', ...args]
  }

  /** Run `aws logs …` against the emulator with dummy credentials and no user configuration. */
  async function aws(...args: string[]): Promise<string> {
    const {stdout} = await run(AWS_CLI, cliArgs(args), {env: cliEnv(), timeout: 60_000})
    return stdout
  }

  const now = Date.now()
  const access = (i: number, status: number): string => JSON.stringify({requestId: `req-${i}`, status, path: '/pets'})

  it('creates a group and a stream, puts events, and filters them with a JSON pattern', async (ctx) => {
    if (!needCli(ctx)) return
    // Given a group and a stream made by the CLI
    await aws('create-log-group', '--log-group-name', '/apigw/cli')
    await aws('create-log-stream', '--log-group-name', '/apigw/cli', '--log-stream-name', 'access')
    // When the CLI puts four access-log events
    const events = [200, 500, 404, 503].map((status, i) => ({timestamp: now - 60_000 + i, message: access(i, status)}))
    const put = JSON.parse(
      await aws(
        'put-log-events',
        '--output',
        'json',
        '--log-group-name',
        '/apigw/cli',
        '--log-stream-name',
        'access',
        '--log-events',
        JSON.stringify(events),
      ),
    ) as {
      nextSequenceToken: string
    }
    assert.match(put.nextSequenceToken, /^\d+$/)
    // Then filter-log-events with `{ $.status = 5* }` finds the two server errors
    const out = JSON.parse(
      await aws('filter-log-events', '--output', 'json', '--log-group-name', '/apigw/cli', '--filter-pattern', '{ $.status = 5* }'),
    ) as {events: Array<{message: string; eventId: string; logStreamName: string}>}
    assert.deepEqual(
      out.events.map((e) => (JSON.parse(e.message) as {requestId: string}).requestId),
      ['req-1', 'req-3'],
    )
    assert.equal(out.events[0]!.logStreamName, 'access')
    // And describe-log-groups shows the group's ARNs
    const groups = JSON.parse(await aws('describe-log-groups', '--output', 'json', '--log-group-name-prefix', '/apigw/')) as {
      logGroups: Array<{arn: string; logGroupArn: string}>
    }
    // (older CLI builds drop logGroupArn: their service model predates it)
    assert.equal(groups.logGroups[0]!.arn, 'arn:aws:logs:us-east-1:000000000000:log-group:/apigw/cli:*')
    const {logGroupArn} = groups.logGroups[0]!
    if (logGroupArn !== undefined) assert.equal(logGroupArn, 'arn:aws:logs:us-east-1:000000000000:log-group:/apigw/cli')
  })

  it('reports a CloudWatch error from the emulator as the CLI does for AWS', async (ctx) => {
    if (!needCli(ctx)) return
    // Given a group that exists, When the CLI creates it again, Then it fails with AWS's code and message
    await assert.rejects(aws('create-log-group', '--log-group-name', '/apigw/cli'), (e: Error & {stderr?: string}) => {
      assert.match(e.stderr ?? '', /ResourceAlreadyExistsException/)
      assert.match(e.stderr ?? '', /The specified log group already exists/)
      return true
    })
  })

  it('tails the last hour with `logs tail --since 1h`', async (ctx) => {
    if (!needCli(ctx)) return
    // Given a group with events from two hours ago and from the last minutes, over 2 streams
    await aws('create-log-group', '--log-group-name', 'tail-since')
    for (const s of ['a', 'b']) await aws('create-log-stream', '--log-group-name', 'tail-since', '--log-stream-name', s)
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: 'tail-since',
        logStreamName: 'a',
        logEvents: [{timestamp: now - 2 * 3_600_000, message: 'too early'}],
      }),
    )
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: 'tail-since',
        logStreamName: 'a',
        logEvents: [
          {timestamp: now - 120_000, message: 'first'},
          {timestamp: now - 60_000, message: 'third'},
        ],
      }),
    )
    await t.logs.send(
      new PutLogEventsCommand({logGroupName: 'tail-since', logStreamName: 'b', logEvents: [{timestamp: now - 90_000, message: 'second'}]}),
    )
    // When the CLI tails the last hour
    const out = await aws('tail', 'tail-since', '--since', '1h')
    // Then the recent events print in time order with their streams, and the old one does not
    const lines = out.trim().split('\n')
    assert.equal(lines.length, 3, out)
    assert.match(lines[0]!, /^\S+ a first$/)
    assert.match(lines[1]!, /^\S+ b second$/)
    assert.match(lines[2]!, /^\S+ a third$/)
  })

  it('follows with `logs tail --follow` and prints each event exactly once', async (ctx) => {
    if (!needCli(ctx)) return
    // Given a group with two events already there (one pair sharing a timestamp)
    await aws('create-log-group', '--log-group-name', 'tail-follow')
    await aws('create-log-stream', '--log-group-name', 'tail-follow', '--log-stream-name', 's')
    const t0 = Date.now() - 5_000
    await t.logs.send(
      new PutLogEventsCommand({
        logGroupName: 'tail-follow',
        logStreamName: 's',
        logEvents: [
          {timestamp: t0, message: 'before-1'},
          {timestamp: t0 + 1, message: 'before-2'},
        ],
      }),
    )
    // When the CLI follows the group, and more events arrive while it runs (one at the newest timestamp seen)
    // (PYTHONUNBUFFERED: the CLI is Python, and would hold its lines back while stdout is a pipe)
    const child = spawn(AWS_CLI, cliArgs(['tail', 'tail-follow', '--follow', '--since', '10m', '--format', 'short']), {
      env: {...cliEnv(), PYTHONUNBUFFERED: '1'},
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString()
    })
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const waitFor = async (text: string, ms: number): Promise<void> => {
      const until = Date.now() + ms
      while (!stdout.includes(text)) {
        if (Date.now() > until) assert.fail(`"${text}" did not appear within ${ms} ms; stdout: ${stdout} stderr: ${stderr}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    try {
      await waitFor('before-2', 60_000)
      await t.logs.send(
        new PutLogEventsCommand({
          logGroupName: 'tail-follow',
          logStreamName: 's',
          logEvents: [
            {timestamp: t0 + 1, message: 'same-ms'},
            {timestamp: Date.now(), message: 'after-1'},
          ],
        }),
      )
      // The CLI sleeps 5 s between polls
      await waitFor('after-1', 60_000)
      // And a last event: once it shows, a later poll has re-read the window of the earlier ones (no event twice)
      await t.logs.send(
        new PutLogEventsCommand({
          logGroupName: 'tail-follow',
          logStreamName: 's',
          logEvents: [{timestamp: Date.now(), message: 'sentinel'}],
        }),
      )
      await waitFor('sentinel', 60_000)
    } finally {
      child.kill('SIGINT')
      await new Promise((r) => child.once('exit', r))
    }
    // Then every event printed exactly once, in order of arrival
    const messages = stdout
      .trim()
      .split('\n')
      .map((l) => l.replace(/^\S+ /, ''))
    assert.deepEqual(messages, ['before-1', 'before-2', 'same-ms', 'after-1', 'sentinel'], stdout)
  })
})
