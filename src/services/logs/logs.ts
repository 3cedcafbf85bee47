/**
 * `apigw logs`: resolve a stage's log groups (the access-log group from its accessLogSettings, REST execution
 * logs `API-Gateway-Execution-Logs_{id}/{stage}`), read the window through FilterLogEvents (pages of every
 * group merged in time order, handed over a page at a time), then, with `follow`, poll for new events with
 * eventId de-duplication and backoff when throttled, or on AWS use StartLiveTail. Ends when `signal` aborts.
 */
import {createLogEventsPort, type LogEvent, type LogEventsPort} from '../../aws/log-events.ts'
import {CliError} from '../../errors.ts'
import {type LifecycleDeps, portsFor, requireApi} from '../lifecycle/find-api.ts'
import {
  executionLogGroupName,
  type GroupQuery,
  groupQuery,
  type LogGroupRef,
  type LogKind,
  logGroupNameFromArn,
  parseTime,
  statusFilter,
} from './query.ts'
import {loadProject, missingStageHint, selectApi} from '../project.ts'

export type LogsOptions = {
  cwd: string
  configPath?: string | undefined
  api?: string | undefined
  stage: string
  type: 'access' | 'execution' | 'all'
  since?: string | undefined
  until?: string | undefined
  filter?: string | undefined
  status?: string | undefined
  requestId?: string | undefined
  follow?: boolean | undefined
  /** On AWS, follow with StartLiveTail (default) instead of polling FilterLogEvents. */
  liveTail?: boolean | undefined
  /** Ends `follow` (Ctrl-C). */
  signal?: AbortSignal | undefined
  /** Receives events in time order, a batch at a time. */
  onEvents(events: StageLogEvent[]): void
}

export type StageLogEvent = {
  kind: LogKind
  logGroup: string
  logStream?: string | undefined
  eventId?: string | undefined
  timestamp: number
  /** The line as written; a JSON access-log line is parsed only by the human renderer (NDJSON keeps it as text). */
  message: string
}

export type LogsResult = {
  api: string
  apiId: string
  type: 'rest' | 'http'
  stage: string
  groups: LogGroupRef[]
  since: string
  until?: string | undefined
  filterPatterns: Record<string, string>
  events: number
  followed: boolean
  engine: 'FilterLogEvents' | 'StartLiveTail'
}

export type LogsDeps = LifecycleDeps & {
  logEvents?: LogEventsPort
  /** Wait between polls; resolves early when the signal aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  /** Poll interval of --follow (default 500 ms against the emulator, 1 s on AWS). */
  pollMs?: number
}

const DEFAULT_SINCE = '10m'
/** How far back each poll looks again, for events that arrive late with older timestamps. */
const LOOKBACK_MS = 10_000
const MAX_BACKOFF_MS = 15_000

export async function logs(options: LogsOptions, deps: LogsDeps): Promise<LogsResult> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectApi(project!, options.api)
  const ports = portsFor(deps)
  // Ctrl-C before anything was read cancels (exit 130); after that it ends the read with what was printed.
  const setup = <T>(call: Promise<T>): Promise<T> =>
    unlessStopped(call, options.signal).catch((error: unknown) => {
      throw error instanceof Stopped ? new CliError('CANCELLED', 'Cancelled before any log was read.', {cause: error}) : error
    })
  const found = await setup(requireApi(ports, selected.api.type, selected.name))
  const now = deps.clock()
  const since = parseTime(options.since ?? DEFAULT_SINCE, now, '--since')
  const until = options.until ? parseTime(options.until, now, '--until') : undefined
  if (until !== undefined && until < since)
    throw new CliError('USAGE', '--until is before --since.', {hint: 'Pass an --until later than --since.'})
  if (options.follow && until !== undefined)
    throw new CliError('USAGE', '--follow and --until cannot be used together.', {
      hint: 'Drop --until to follow new events, or --follow to read a closed window.',
    })
  const port = deps.logEvents ?? createLogEventsPort(deps.aws)

  const groups = await setup(
    resolveGroups(selected.name, selected.api.type, found.id, options, ports, port, deps, Object.keys(selected.api.stages)),
  )
  const status = options.status ? statusFilter(options.status) : undefined
  const queries = new Map<string, GroupQuery>()
  for (const g of groups) queries.set(g.name, groupQuery(g.kind, {filter: options.filter, status, requestId: options.requestId}))
  const filterPatterns: Record<string, string> = {}
  for (const [name, q] of queries) if (q.pattern) filterPatterns[name] = q.pattern

  let count = 0
  const emit = (batch: StageLogEvent[]) => {
    if (batch.length === 0) return
    count += batch.length
    options.onEvents(batch)
  }
  const reader = createReader(groups, queries, port, deps, options.signal)
  let engine: LogsResult['engine'] = 'FilterLogEvents'
  try {
    const last = await reader.history(since, until, Boolean(options.follow), emit)
    if (options.follow && !options.signal?.aborted) {
      // Live Tail only on AWS itself: the emulator has none, and the SDK would look up a `stream-` host prefix.
      const live = options.liveTail !== false && !deps.aws.local && !deps.aws.options.endpoint
      // Said once history is printed and before the first poll: a user (or a test) knows new events will show from here.
      deps.progress.info(`Following ${groups.map((g) => g.name).join(', ')} for new events (Ctrl-C to stop).`)
      if (live && (await reader.liveTail(options.signal, emit))) engine = 'StartLiveTail'
      else await reader.poll(since, Math.max(since, last), options.signal, emit)
    }
  } catch (error) {
    // Stopped (Ctrl-C, SIGTERM) while a call was in flight: what was printed so far is the result.
    if (!(error instanceof Stopped)) throw error
  }
  return {
    api: selected.name,
    apiId: found.id,
    type: selected.api.type,
    stage: options.stage,
    groups,
    since: new Date(since).toISOString(),
    ...(until === undefined ? {} : {until: new Date(until).toISOString()}),
    filterPatterns,
    events: count,
    followed: Boolean(options.follow),
    engine,
  }
}

type StageInfo = {accessArn?: string | undefined; executionLevel?: string | undefined}

async function resolveGroups(
  api: string,
  type: 'rest' | 'http',
  apiId: string,
  options: LogsOptions,
  ports: ReturnType<typeof portsFor>,
  port: LogEventsPort,
  deps: LogsDeps,
  declared: readonly string[],
): Promise<LogGroupRef[]> {
  const info = await stageInfo(api, type, apiId, options.stage, ports, declared)
  const groups: LogGroupRef[] = []
  const wantAccess = options.type !== 'execution'
  const wantExecution = options.type !== 'access' && !(options.type === 'all' && options.status)
  if (options.type === 'execution' && type === 'http') {
    throw new CliError('NOT_SUPPORTED', `HTTP APIs have no execution logs; ${api} is an HTTP API.`, {
      hint: `Read its access logs: \`apigw logs ${api} --stage ${options.stage} --type access\`.`,
    })
  }
  if (options.type === 'execution' && options.status) {
    throw new CliError('USAGE', '--status reads the status of access-log lines; execution logs have none.', {
      hint: 'Use --type access (or all) with --status, or --filter with a text pattern for execution logs.',
    })
  }
  if (wantAccess && info.accessArn) {
    const name = logGroupNameFromArn(info.accessArn)
    if (!name) {
      throw new CliError(
        'NOT_SUPPORTED',
        `Stage ${options.stage} of ${api} sends access logs to ${info.accessArn}, which is not a CloudWatch Logs group.`,
        {
          hint: 'Read them where they are delivered (Firehose), or set accessLogs in apigw.yaml to a log group and deploy again.',
        },
      )
    }
    groups.push({kind: 'access', name})
  }
  const executionOn = type === 'rest' && (info.executionLevel === 'ERROR' || info.executionLevel === 'INFO')
  if (wantExecution && executionOn) groups.push({kind: 'execution', name: executionLogGroupName(apiId, options.stage)})
  if (groups.length > 0) {
    if (options.type === 'all' && type === 'rest' && !executionOn && !options.status)
      deps.progress.info(`Execution logs are off for stage ${options.stage}; showing access logs only.`)
    if (options.type === 'all' && !info.accessArn)
      deps.progress.info(`Access logs are off for stage ${options.stage}; showing execution logs only.`)
    return groups
  }
  const needAccess = options.type !== 'execution'
  const needExecution = type === 'rest' && options.type !== 'access'
  const lines = [`apis:`, `  ${api}:`, `    stages:`, `      ${options.stage}:`]
  if (needAccess) lines.push('        accessLogs: {format: json}')
  if (needExecution) lines.push('        executionLogs: {level: INFO}')
  let roleNote = ''
  if (needExecution) {
    const role = await port.cloudwatchRoleArn().catch(() => undefined)
    if (!role) {
      roleNote =
        ' REST execution logs also need the account CloudWatch role, which is ' +
        'not set: create a role trusted by apigateway.amazonaws.com with the ' +
        'AmazonAPIGatewayPushToCloudWatchLogs policy, then `aws apigateway update-account ' +
        '--patch-operations op=replace,path=/cloudwatchRoleArn,value=<role ARN>`.'
    }
  }
  const what = needAccess && needExecution ? 'Access and execution logging are' : needAccess ? 'Access logging is' : 'Execution logging is'
  throw new CliError('LOGGING_OFF', `${what} off for stage ${options.stage} of ${api}.`, {
    hint:
      `Turn it on in apigw.yaml, then run \`apigw deploy ${api} --stage ` +
      `${options.stage}\`:\n${lines.join('\n')}${roleNote ? `\n${roleNote.trim()}` : ''}`,
    details: {config: lines.join('\n'), ...(roleNote ? {cloudwatchRoleArn: null} : {})},
  })
}

async function stageInfo(
  api: string,
  type: 'rest' | 'http',
  apiId: string,
  stage: string,
  ports: ReturnType<typeof portsFor>,
  declared: readonly string[],
): Promise<StageInfo> {
  const missing = () =>
    new CliError('AWS_NOT_FOUND', `${api} has no stage ${stage} on AWS.`, {
      hint: `${missingStageHint(api, declared, stage)} (or check --region, --profile, --local).`,
    })
  if (type === 'rest') {
    const s = await ports.v1.getStage(apiId, stage)
    if (!s) throw missing()
    const all = s.methodSettings?.['*/*']
    const anyLevel = Object.values(s.methodSettings ?? {}).find(
      (m) => m.loggingLevel === 'INFO' || m.loggingLevel === 'ERROR',
    )?.loggingLevel
    return {
      accessArn: s.accessLogSettings?.destinationArn,
      executionLevel: all?.loggingLevel === 'OFF' || !all?.loggingLevel ? anyLevel : all.loggingLevel,
    }
  }
  const s = await ports.v2.getStage(apiId, stage)
  if (!s) throw missing()
  return {accessArn: s.AccessLogSettings?.DestinationArn}
}

type Reader = {
  /** Read [since, until] of every group, merged by time; returns the last timestamp seen. */
  history(since: number, until: number | undefined, remember: boolean, emit: (batch: StageLogEvent[]) => void): Promise<number>
  poll(since: number, from: number, signal: AbortSignal | undefined, emit: (batch: StageLogEvent[]) => void): Promise<void>
  /** Live tail until aborted; false when it could not start (the caller polls instead). */
  liveTail(signal: AbortSignal | undefined, emit: (batch: StageLogEvent[]) => void): Promise<boolean>
}

/** Thrown inside the reader when the signal aborts during a call; logs() ends normally on it. */
class Stopped extends Error {}

/** The call's answer, or Stopped as soon as the signal aborts (a silent endpoint must not hold Ctrl-C). */
function unlessStopped<T>(call: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return call
  if (signal.aborted) return Promise.reject(new Stopped())
  let onAbort = () => {}
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Stopped())
    signal.addEventListener('abort', onAbort, {once: true})
  })
  return Promise.race([call, stopped]).finally(() => signal.removeEventListener('abort', onAbort))
}

function createReader(
  groups: LogGroupRef[],
  queries: Map<string, GroupQuery>,
  port: LogEventsPort,
  deps: LogsDeps,
  signal?: AbortSignal,
): Reader {
  const sleep = deps.sleep ?? abortableSleep
  const pollMs = deps.pollMs ?? (deps.aws.local ? 250 : 1000)
  const seen = new Map<string, number>()
  const missingWarned = new Set<string>()
  const toStage = (g: LogGroupRef, e: LogEvent): StageLogEvent => ({
    kind: g.kind,
    logGroup: g.name,
    logStream: e.logStreamName,
    eventId: e.eventId,
    timestamp: e.timestamp,
    message: e.message,
  })
  const keep = (g: LogGroupRef, e: LogEvent): boolean => {
    const test = queries.get(g.name)?.test
    return test ? test(e.message) : true
  }
  /** One page of one group; a group not created yet (no request logged) reads as empty. */
  const page = async (g: LogGroupRef, startTime: number, endTime: number | undefined, nextToken: string | undefined) => {
    try {
      return await unlessStopped(
        port.filterLogEvents({logGroupName: g.name, startTime, endTime, filterPattern: queries.get(g.name)?.pattern, nextToken}),
        signal,
      )
    } catch (error) {
      if (error instanceof CliError && error.code === 'AWS_NOT_FOUND') {
        if (!missingWarned.has(g.name)) {
          missingWarned.add(g.name)
          deps.progress.info(`Log group ${g.name} does not exist yet: no ${g.kind} log was written for this stage.`)
        }
        return {events: []}
      }
      throw error
    }
  }

  return {
    async history(since, until, remember, emit) {
      type Page = Awaited<ReturnType<typeof page>>
      type Cursor = {g: LogGroupRef; buffer: StageLogEvent[]; next: Promise<Page> | undefined; done: boolean}
      // A prefetched page may fail while nobody awaits it yet (another group failed, or Ctrl-C): the
      // error is seen when it is awaited, never as an unhandled rejection.
      const prefetch = (g: LogGroupRef, token: string | undefined): Promise<Page> => {
        const p = page(g, since, until, token)
        p.catch(() => {})
        return p
      }
      const cursors: Cursor[] = groups.map((g) => ({g, buffer: [], next: prefetch(g, undefined), done: false}))
      let last = since
      const fill = async (c: Cursor) => {
        while (c.buffer.length === 0 && !c.done) {
          const p = await c.next!
          // Ask for the next page before handling this one, so the service works while we print.
          c.next = p.nextToken ? prefetch(c.g, p.nextToken) : undefined
          if (!p.nextToken) c.done = true
          for (const e of p.events) {
            if (remember && e.eventId) seen.set(e.eventId, e.timestamp)
            if (keep(c.g, e)) c.buffer.push(toStage(c.g, e))
          }
        }
      }
      for (;;) {
        await Promise.all(cursors.map(fill))
        const live = cursors.filter((c) => c.buffer.length > 0)
        if (live.length === 0) break
        if (cursors.length === 1) {
          const c = cursors[0]!
          last = Math.max(last, c.buffer[c.buffer.length - 1]!.timestamp)
          emit(c.buffer.splice(0))
          continue
        }
        // Everything up to the earliest "last event" of a group that has more pages is safe to print.
        let horizon = Number.POSITIVE_INFINITY
        for (const c of cursors) if (!c.done && c.buffer.length > 0) horizon = Math.min(horizon, c.buffer[c.buffer.length - 1]!.timestamp)
        const batch: StageLogEvent[] = []
        for (const c of cursors) {
          let n = 0
          while (n < c.buffer.length && c.buffer[n]!.timestamp <= horizon) n++
          batch.push(...c.buffer.splice(0, n))
        }
        batch.sort((a, b) => a.timestamp - b.timestamp)
        if (batch.length > 0) last = Math.max(last, batch[batch.length - 1]!.timestamp)
        emit(batch)
      }
      return last
    },

    async poll(since, from, signal, emit) {
      const lastTs = new Map(groups.map((g) => [g.name, from]))
      let interval = pollMs
      let throttledNoted = false
      while (!signal?.aborted) {
        await sleep(interval, signal)
        if (signal?.aborted) break
        const fresh: StageLogEvent[] = []
        let throttled = false
        for (const g of groups) {
          const startTime = Math.max(since, lastTs.get(g.name)! - LOOKBACK_MS)
          let token: string | undefined
          try {
            do {
              const p = await page(g, startTime, undefined, token)
              for (const e of p.events) {
                const id = e.eventId ?? `${e.timestamp}:${e.logStreamName}:${e.message}`
                if (seen.has(id)) continue
                seen.set(id, e.timestamp)
                if (e.timestamp > lastTs.get(g.name)!) lastTs.set(g.name, e.timestamp)
                if (keep(g, e)) fresh.push(toStage(g, e))
              }
              token = p.nextToken
            } while (token && !signal?.aborted)
          } catch (error) {
            if (!(error instanceof CliError && error.code === 'AWS_THROTTLED')) throw error
            throttled = true
          }
        }
        fresh.sort((a, b) => a.timestamp - b.timestamp)
        emit(fresh)
        // Forget ids older than every window still read, so a long follow keeps a small set.
        const floor = Math.min(...lastTs.values()) - LOOKBACK_MS
        if (seen.size > 10_000) for (const [id, ts] of seen) if (ts < floor) seen.delete(id)
        if (throttled) {
          interval = Math.min(MAX_BACKOFF_MS, interval * 2)
          if (!throttledNoted)
            deps.progress.info(`CloudWatch Logs is throttling FilterLogEvents; polling every ${(interval / 1000).toFixed(1)} s.`)
          throttledNoted = true
        } else {
          interval = Math.max(pollMs, Math.floor(interval / 2))
        }
      }
    },

    async liveTail(signal, emit) {
      const arns: string[] = []
      for (const g of groups) {
        const found = await port.describeLogGroup(g.name)
        if (found?.arn) arns.push(found.arn)
      }
      if (arns.length === 0) return false
      // Live Tail takes one pattern for all groups: only use it when every group asks the same.
      const patterns = new Set(groups.map((g) => queries.get(g.name)?.pattern ?? ''))
      if (patterns.size > 1) return false
      const byName = new Map(groups.map((g) => [g.name, g]))
      const inner = new AbortController()
      const stop = () => inner.abort()
      signal?.addEventListener('abort', stop, {once: true})
      try {
        // A session ends after 3 hours at most: start another until the user stops.
        while (!signal?.aborted) {
          for await (const batch of port.startLiveTail({
            logGroupArns: arns,
            filterPattern: [...patterns][0] || undefined,
            signal: inner.signal,
          })) {
            const out: StageLogEvent[] = []
            for (const e of batch) {
              const g = byName.get(groupNameOf(e, groups)) ?? groups[0]!
              if (keep(g, e)) out.push(toStage(g, e))
            }
            emit(out)
          }
          if (!signal?.aborted) await sleep(1000, signal)
        }
        return true
      } catch (error) {
        if (signal?.aborted) return true
        deps.progress.warn(`Live Tail is unavailable (${(error as Error).message}); polling FilterLogEvents instead.`)
        return false
      } finally {
        signal?.removeEventListener('abort', stop)
      }
    },
  }
}

/** Live Tail events carry the group's identifier; map it back to our group name. */
function groupNameOf(e: LogEvent, groups: LogGroupRef[]): string {
  const id = e.logGroupIdentifier ?? ''
  return groups.find((g) => id.endsWith(`:log-group:${g.name}`) || id === g.name)?.name ?? groups[0]!.name
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, {once: true})
  })
}
