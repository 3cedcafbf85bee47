import assert from 'node:assert/strict'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {describe, it} from 'node:test'
import type {AwsClients} from '../../../src/aws/clients.ts'
import type {FilterPageInput, LogEvent, LogEventsPort} from '../../../src/aws/log-events.ts'
import {CliError} from '../../../src/errors.ts'
import type {Ports} from '../../../src/services/lifecycle/find-api.ts'
import {type LogsDeps, logs, type StageLogEvent} from '../../../src/services/logs/logs.ts'
import {tempDir} from '../../helpers/temp.ts'

const NOW = new Date('2026-01-31T12:00:00.000Z')
const T = NOW.getTime()

function project(type: 'rest' | 'http' = 'rest'): string {
  const dir = tempDir('apigw-logs-unit-')
  writeFileSync(join(dir, 'apigw.yaml'), `apis:\n  pets:\n    type: ${type}\n    spec: openapi.json\n    stages:\n      dev: {}\n`)
  writeFileSync(join(dir, 'openapi.json'), '{"openapi":"3.0.1","info":{"title":"pets","version":"1"},"paths":{}}')
  return dir
}

type StageShape = {access?: string; level?: string}

function deps(stage: StageShape, port: Partial<LogEventsPort>, extra: Partial<LogsDeps> = {}, type: 'rest' | 'http' = 'rest') {
  const infos: string[] = []
  const warnings: string[] = []
  const sleeps: number[] = []
  const v1 = {
    listRestApis: async () => [{id: 'api1', name: 'pets'}],
    getStage: async () => ({
      stageName: 'dev',
      ...(stage.access ? {accessLogSettings: {destinationArn: `arn:aws:logs:us-east-1:1:log-group:${stage.access}`, format: '{}'}} : {}),
      ...(stage.level ? {methodSettings: {'*/*': {loggingLevel: stage.level}}} : {}),
    }),
  }
  const v2 = {
    listApis: async () => [{ApiId: 'api2', Name: 'pets'}],
    getStage: async () => ({
      StageName: 'dev',
      ...(stage.access ? {AccessLogSettings: {DestinationArn: `arn:aws:logs:us-east-1:1:log-group:${stage.access}`}} : {}),
    }),
  }
  const d: LogsDeps = {
    aws: {local: true, options: {}} as AwsClients,
    clock: () => NOW,
    progress: {step: (_t, fn) => fn(), info: (m) => infos.push(m), warn: (m) => warnings.push(m)},
    interactive: false,
    cwd: project(type),
    ports: {v1, v2, logs: {}, region: 'us-east-1'} as unknown as Ports,
    logEvents: {
      filterLogEvents: async () => ({events: []}),
      describeLogGroup: async () => undefined,
      startLiveTail: async function* () {},
      cloudwatchRoleArn: async () => undefined,
      ...port,
    },
    sleep: async (ms) => {
      sleeps.push(ms)
    },
    pollMs: 100,
    ...extra,
  }
  return {d, infos, warnings, sleeps}
}

const ev = (id: number, ts: number, message = `m${id}`): LogEvent => ({
  eventId: String(id).padStart(4, '0'),
  timestamp: ts,
  message,
  logStreamName: 's',
})

describe('logs: reading a window', () => {
  it('merges two groups in time order across pages, and passes times and patterns to FilterLogEvents', async () => {
    // Given an access group with two pages and an execution group with one
    const calls: FilterPageInput[] = []
    const pages: Record<string, Array<{events: LogEvent[]; nextToken?: string}>> = {
      '/access': [{events: [ev(1, T - 5000), ev(3, T - 3000)], nextToken: 'p2'}, {events: [ev(5, T - 1000)]}],
      'API-Gateway-Execution-Logs_api1/dev': [{events: [ev(2, T - 4000), ev(4, T - 2000), ev(6, T - 500)]}],
    }
    const {d} = deps(
      {access: '/access', level: 'INFO'},
      {
        filterLogEvents: async (i) => {
          calls.push(i)
          return pages[i.logGroupName]!.shift()!
        },
      },
    )
    const got: StageLogEvent[][] = []
    // When the last 10 minutes are read with a status filter
    const r = await logs({cwd: d.cwd, stage: 'dev', type: 'all', since: '10m', onEvents: (b) => got.push(b)}, d)
    // Then events come out in time order, batch by batch, and the result says what was read
    assert.deepEqual(
      got.flat().map((e) => e.message),
      ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'],
    )
    assert.equal(r.events, 6)
    assert.deepEqual(r.groups, [
      {kind: 'access', name: '/access'},
      {kind: 'execution', name: 'API-Gateway-Execution-Logs_api1/dev'},
    ])
    assert.ok(calls.every((c) => c.startTime === T - 600_000 && c.endTime === undefined))
    assert.deepEqual(
      calls.filter((c) => c.logGroupName === '/access').map((c) => c.nextToken),
      [undefined, 'p2'],
    )
  })

  it('reads a group that does not exist yet as empty, with a note', async () => {
    const {d, infos} = deps({level: 'ERROR'}, {filterLogEvents: async () => Promise.reject(new CliError('AWS_NOT_FOUND', 'gone'))})
    const r = await logs({cwd: d.cwd, stage: 'dev', type: 'execution', onEvents: () => assert.fail('no events expected')}, d)
    assert.equal(r.events, 0)
    assert.ok(infos.some((m) => /does not exist yet/.test(m)))
  })
})

describe('logs: logging off', () => {
  const cases: Array<{
    title: string
    type: 'access' | 'execution' | 'all'
    api?: 'rest' | 'http'
    role?: string
    code: string
    hint: RegExp
    notHint?: RegExp
  }> = [
    {title: 'access off', type: 'access', code: 'LOGGING_OFF', hint: /accessLogs: \{format: json\}/, notHint: /executionLogs/},
    {
      title: 'execution off, no account role',
      type: 'execution',
      code: 'LOGGING_OFF',
      hint: /executionLogs: \{level: INFO\}[\s\S]*cloudwatchRoleArn/,
    },
    {
      title: 'execution off, account role set',
      type: 'execution',
      role: 'arn:aws:iam::1:role/cw',
      code: 'LOGGING_OFF',
      hint: /executionLogs: \{level: INFO\}/,
      notHint: /cloudwatchRoleArn/,
    },
    {title: 'all off', type: 'all', code: 'LOGGING_OFF', hint: /accessLogs[\s\S]*executionLogs/},
    {title: 'HTTP API execution logs', type: 'execution', api: 'http', code: 'NOT_SUPPORTED', hint: /--type access/},
  ]
  for (const c of cases) {
    it(c.title, async () => {
      // Given a stage with no logging; When logs are asked for
      const {d} = deps({}, {cloudwatchRoleArn: async () => c.role}, {}, c.api)
      // Then a clear error tells the config that turns it on
      await assert.rejects(logs({cwd: d.cwd, stage: 'dev', type: c.type, onEvents: () => {}}, d), (e: CliError) => {
        assert.equal(e.code, c.code)
        assert.match(e.hint ?? '', c.hint)
        if (c.notHint) assert.doesNotMatch(e.hint ?? '', c.notHint)
        if (c.code === 'LOGGING_OFF') assert.match(e.hint ?? '', /apigw deploy pets --stage dev/)
        return true
      })
    })
  }
})

describe('logs --follow', () => {
  it('de-duplicates by eventId across overlapping polls and stops when aborted', async () => {
    // Given polls that see old events again (the look-back window) next to new ones
    const stop = new AbortController()
    const polls: Array<LogEvent[]> = [[ev(1, T - 100)], [ev(1, T - 100), ev(2, T + 10)], [ev(2, T + 10), ev(3, T + 20), ev(4, T + 5)], []]
    let n = 0
    const {d} = deps(
      {access: '/access'},
      {
        filterLogEvents: async () => {
          const events = polls[n++] ?? []
          if (n >= polls.length) stop.abort()
          return {events}
        },
      },
    )
    const got: string[] = []
    // When following
    const r = await logs(
      {cwd: d.cwd, stage: 'dev', type: 'access', follow: true, signal: stop.signal, onEvents: (b) => got.push(...b.map((e) => e.message))},
      d,
    )
    // Then each event is printed once, each poll's new ones in time order, and the command ends
    assert.deepEqual(got, ['m1', 'm2', 'm4', 'm3'])
    assert.equal(r.followed, true)
    assert.equal(r.engine, 'FilterLogEvents')
  })

  it('backs off while throttled, says so once, and speeds up again', async () => {
    // Given a group whose polls are throttled twice, then answer
    const stop = new AbortController()
    const script = ['ok', 'throttle', 'throttle', 'ok', 'ok', 'ok']
    let n = 0
    const {d, infos, sleeps} = deps(
      {access: '/access'},
      {
        filterLogEvents: async () => {
          const step = script[n++]
          if (n >= script.length) stop.abort()
          if (step === 'throttle') throw new CliError('AWS_THROTTLED', 'slow down')
          return {events: []}
        },
      },
    )
    // When following
    await logs({cwd: d.cwd, stage: 'dev', type: 'access', follow: true, signal: stop.signal, onEvents: () => {}}, d)
    // Then the waits double while throttled and halve back to the poll interval
    assert.deepEqual(sleeps, [100, 200, 400, 200, 100])
    assert.equal(infos.filter((m) => /throttling/.test(m)).length, 1)
  })

  it('refuses --until with --follow', async () => {
    const {d} = deps({access: '/access'}, {})
    await assert.rejects(
      logs({cwd: d.cwd, stage: 'dev', type: 'access', follow: true, until: '1m', onEvents: () => {}}, d),
      (e: CliError) => e.code === 'USAGE',
    )
  })

  it('uses Live Tail on AWS and maps events back to their group', async () => {
    // Given an AWS target (not local) whose Live Tail yields one batch
    const stop = new AbortController()
    const {d} = deps(
      {access: '/access'},
      {
        describeLogGroup: async (name) => ({arn: `arn:aws:logs:us-east-1:1:log-group:${name}`}),
        startLiveTail: async function* (i) {
          assert.deepEqual(i.logGroupArns, ['arn:aws:logs:us-east-1:1:log-group:/access'])
          yield [{logGroupIdentifier: 'arn:aws:logs:us-east-1:1:log-group:/access', timestamp: T + 1, message: line500}]
          stop.abort()
        },
      },
    )
    ;(d.aws as {local: boolean}).local = false
    const got: StageLogEvent[] = []
    // When following with a status filter
    const r = await logs(
      {cwd: d.cwd, stage: 'dev', type: 'access', follow: true, status: '5xx', signal: stop.signal, onEvents: (b) => got.push(...b)},
      d,
    )
    // Then the engine is Live Tail and the event is parsed as an access line
    assert.equal(r.engine, 'StartLiveTail')
    assert.equal(JSON.parse(got[0]!.message).status, '500')
  })
})

describe('logs --follow: Live Tail unavailable', () => {
  it('warns and polls FilterLogEvents instead', async () => {
    // Given an AWS target whose Live Tail fails at once
    const stop = new AbortController()
    let polls = 0
    const {d, warnings} = deps(
      {access: '/access'},
      {
        describeLogGroup: async (name) => ({arn: `arn:aws:logs:us-east-1:1:log-group:${name}`}),
        // biome-ignore lint/correctness/useYield: it fails before its first event, as a refused session does
        startLiveTail: async function* () {
          throw new CliError('AWS_ACCESS_DENIED', 'not allowed')
        },
        filterLogEvents: async () => {
          if (++polls >= 2) stop.abort()
          return {events: []}
        },
      },
    )
    ;(d.aws as {local: boolean}).local = false
    // When following
    const r = await logs({cwd: d.cwd, stage: 'dev', type: 'access', follow: true, signal: stop.signal, onEvents: () => {}}, d)
    // Then it said why and polled
    assert.equal(r.engine, 'FilterLogEvents')
    assert.match(warnings.join('\n'), /Live Tail is unavailable \(not allowed\); polling FilterLogEvents instead/)
    assert.equal(polls, 2)
  })
})

const line500 = JSON.stringify({requestId: 'x', status: '500'})
