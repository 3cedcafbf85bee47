/**
 * Replays recording 20 (CloudWatch Logs against real AWS) on the wire and compares the answers after
 * normalising names, region, account and timestamps the way the recording did.
 */
import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {after, before, describe, it} from 'node:test'
import {startTestEmulator, type TestEmulator} from '../helpers/emulator.ts'

const FILE = '20-cloudwatch-logs-groups-streams-filter.json'
// The fixture copy (test/fixtures/ground-truth), else the shared corpus beside the checkout.
const candidates = [
  fileURLToPath(new URL(`../fixtures/ground-truth/${FILE}`, import.meta.url)),
  fileURLToPath(new URL(`../../../shared/corpus/aws-ground-truth/${FILE}`, import.meta.url)),
]
const recordingPath = candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1]!

type RecordedCall = {
  test_id: string
  key: string
  operation: string
  request: {body?: Record<string, unknown>}
  response: Record<string, unknown>
}

/** What botocore shows: a parsed body plus ResponseMetadata, or Error {Code, Message}. */
type Parsed = Record<string, unknown>

describe('CloudWatch Logs: recording 20 replayed', () => {
  let t: TestEmulator
  let uid = 0
  const recording = JSON.parse(readFileSync(recordingPath, 'utf8')) as {calls: RecordedCall[]}

  before(async () => {
    t = await startTestEmulator()
  })
  after(async () => {
    await t.close()
  })

  async function call(operation: string, body: Record<string, unknown>): Promise<Parsed> {
    const res = await fetch(t.url, {
      method: 'POST',
      headers: {
        'x-amz-target': `Logs_20140328.${operation}`,
        'content-type': 'application/x-amz-json-1.1',
        authorization: 'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/logs/aws4_request, SignedHeaders=host, Signature=x',
      },
      body: JSON.stringify(body),
    })
    const json = (await res.json()) as Record<string, unknown>
    const meta = {ResponseMetadata: {HTTPHeaders: {}, HTTPStatusCode: res.status}}
    if (res.status >= 400) {
      assert.equal(res.headers.get('x-amzn-errortype'), json.__type)
      return {Error: {Code: json.__type, Message: json.message}, ...meta}
    }
    return {...json, ...meta}
  }

  /** Map emulator values to the recording's placeholders. */
  function normalise(value: unknown, names: Array<[string, string]>): unknown {
    if (Array.isArray(value)) return value.map((v) => normalise(v, names))
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {}
      for (const [k, v] of Object.entries(value)) out[k] = k === 'creationTime' && typeof v === 'number' ? 'timestamp' : normalise(v, names)
      return out
    }
    if (typeof value !== 'string') return value
    let s = value
      .replace(/^arn:aws:/, 'arn:<partition>:')
      .replace(':us-east-1:', ':<region>:')
      .replace(':000000000000:', ':111111111111:')
    for (const [real, placeholder] of [...names].sort((a, b) => b[0].length - a[0].length)) s = s.split(real).join(placeholder)
    return s
  }

  const fresh = (stem: string): string => `${stem}-${++uid}-${Date.now().toString(36)}`

  /** How to reproduce each recorded call: setup, the call, and the placeholder of each name used. */
  const scenarios: Record<string, () => Promise<{actual: Parsed; names: Array<[string, string]>}>> = {
    'TestLogsGroups::test_create_log_group_duplicate_error/error-duplicate-log-group': async () => {
      const g = fresh('test-log-group')
      await call('CreateLogGroup', {logGroupName: g})
      return {actual: await call('CreateLogGroup', {logGroupName: g}), names: []}
    },
    'TestLogsGroups::test_create_log_group_invalid_name_length/error-invalid-name-length': async () => ({
      actual: await call('CreateLogGroup', {logGroupName: 'a'.repeat(513)}),
      names: [],
    }),
    'TestLogsGroups::test_describe_log_groups_with_prefix/describe-log-groups-prefix': async () => {
      const prefix = fresh('test-prefix')
      const groups = [0, 1, 2].map((i) => `${prefix}-group-${i}`)
      for (const g of groups) await call('CreateLogGroup', {logGroupName: g})
      return {
        actual: await call('DescribeLogGroups', {logGroupNamePrefix: prefix}),
        names: groups.map((g, i) => [g, `<log-group-name:${i + 1}>`] as [string, string]),
      }
    },
    'TestLogsGroups::test_describe_log_groups_prefix_and_pattern_error/error-prefix-and-pattern': async () => ({
      actual: await call('DescribeLogGroups', {logGroupNamePattern: 'x', logGroupNamePrefix: 'x'}),
      names: [],
    }),
    'TestLogsStreams::test_create_and_delete_log_stream/describe-log-streams-after-create': async () => {
      const g = fresh('group')
      const s = fresh('stream')
      await call('CreateLogGroup', {logGroupName: g})
      await call('CreateLogStream', {logGroupName: g, logStreamName: s})
      return {
        actual: await call('DescribeLogStreams', {logGroupName: g}),
        names: [
          [g, '<log-group>'],
          [s, '<log-stream-name:1>'],
        ],
      }
    },
    'TestLogsStreams::test_create_log_stream_duplicate_error/error-duplicate-log-stream': async () => {
      const g = fresh('group')
      await call('CreateLogGroup', {logGroupName: g})
      await call('CreateLogStream', {logGroupName: g, logStreamName: 's'})
      return {actual: await call('CreateLogStream', {logGroupName: g, logStreamName: 's'}), names: []}
    },
    'TestLogsStreams::test_describe_log_streams_with_log_group_identifier/describe-streams-identifier-name': async () => {
      const g = fresh('group')
      const s = fresh('stream')
      await call('CreateLogGroup', {logGroupName: g})
      await call('CreateLogStream', {logGroupName: g, logStreamName: s})
      return {
        actual: await call('DescribeLogStreams', {logGroupIdentifier: g}),
        names: [
          [g, '<log-group>'],
          [s, '<log-stream-name:1>'],
        ],
      }
    },
    'TestLogsStreams::test_describe_log_streams_with_log_group_identifier/describe-streams-identifier-arn': async () => {
      const g = fresh('group')
      const s = fresh('stream')
      await call('CreateLogGroup', {logGroupName: g})
      await call('CreateLogStream', {logGroupName: g, logStreamName: s})
      const described = (await call('DescribeLogGroups', {logGroupNamePrefix: g})) as {logGroups: Array<{logGroupArn: string}>}
      const arn = described.logGroups[0]!.logGroupArn
      return {
        actual: await call('DescribeLogStreams', {logGroupIdentifier: arn}),
        names: [
          [g, '<log-group>'],
          [s, '<log-stream-name:1>'],
        ],
      }
    },
    'TestLogsStreams::test_describe_log_streams_with_log_group_identifier/error-both-name-and-identifier': async () => {
      const g = fresh('group')
      await call('CreateLogGroup', {logGroupName: g})
      return {actual: await call('DescribeLogStreams', {logGroupName: g, logGroupIdentifier: g}), names: []}
    },
    'TestFilterLogEvents::test_filter_log_events_unknown_token/invalid-token': async () => {
      const g = fresh('group')
      await call('CreateLogGroup', {logGroupName: g})
      await call('CreateLogStream', {logGroupName: g, logStreamName: 's'})
      return {
        actual: await call('FilterLogEvents', {logGroupName: g, logStreamNames: ['s'], limit: 20, nextToken: 'invalid-token'}),
        names: [],
      }
    },
    'TestFilterLogEvents::test_filter_log_events_limit_validation/error-limit-exceeded': async () => {
      const g = fresh('group')
      await call('CreateLogGroup', {logGroupName: g})
      return {actual: await call('FilterLogEvents', {logGroupName: g, limit: 10001}), names: []}
    },
    'TestLogsEvents::test_get_log_events_invalid_token/error-invalid-token': async () => {
      const g = fresh('group')
      await call('CreateLogGroup', {logGroupName: g})
      await call('CreateLogStream', {logGroupName: g, logStreamName: 's'})
      return {actual: await call('GetLogEvents', {logGroupName: g, logStreamName: 's', nextToken: 'invalid-token'}), names: []}
    },
    'TestLogsEvents::test_get_log_events_limit_validation/error-limit-exceeded': async () => {
      const g = fresh('group')
      await call('CreateLogGroup', {logGroupName: g})
      await call('CreateLogStream', {logGroupName: g, logStreamName: 's'})
      return {actual: await call('GetLogEvents', {logGroupName: g, logStreamName: 's', limit: 10001}), names: []}
    },
  }

  it('has a scenario for every recorded call', () => {
    // Given the recording, Then every call is replayed below (a new recorded call fails this test)
    const keys = recording.calls.map((c) => `${c.test_id}/${c.key}`)
    assert.deepEqual([...new Set(keys)].sort(), Object.keys(scenarios).sort())
  })

  for (const recorded of recording.calls) {
    const id = `${recorded.test_id}/${recorded.key}`
    it(`${recorded.operation}: ${id}`, async () => {
      const scenario = scenarios[id]
      assert.ok(scenario, `no scenario for ${id}`)
      // Given the recorded set-up, When the call is replayed, Then the normalised answer equals AWS's
      const {actual, names} = await scenario()
      assert.deepEqual(normalise(actual, names), recorded.response)
    })
  }
})
