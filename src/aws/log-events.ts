/**
 * The narrow port over CloudWatch Logs for `apigw logs`: one FilterLogEvents page at a time (the service
 * pages and de-duplicates), a log group's existence, StartLiveTail's event stream (AWS only: the emulator
 * answers it 501) and the account's CloudWatch role (API Gateway GetAccount), which REST execution logs need.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_StartLiveTail.html
 */
import type {AwsClients} from './clients.ts'
import {mapAwsError} from './errors.ts'

export type LogEvent = {
  eventId?: string | undefined
  logStreamName?: string | undefined
  logGroupIdentifier?: string | undefined
  timestamp: number
  ingestionTime?: number | undefined
  message: string
}

export type FilterPageInput = {
  logGroupName: string
  startTime?: number | undefined
  endTime?: number | undefined
  filterPattern?: string | undefined
  nextToken?: string | undefined
  limit?: number | undefined
}

export type FilterPage = {events: LogEvent[]; nextToken?: string | undefined}

export type LiveTailInput = {logGroupArns: string[]; filterPattern?: string | undefined; signal: AbortSignal}

export type LogEventsPort = {
  filterLogEvents(input: FilterPageInput): Promise<FilterPage>
  /** The group's ARN (without the trailing `:*`), or undefined when it does not exist. */
  describeLogGroup(name: string): Promise<{arn: string} | undefined>
  /** Batches of events as they arrive, until `signal` aborts or the session ends (3 h at most). */
  startLiveTail(input: LiveTailInput): AsyncIterable<LogEvent[]>
  /** API Gateway's account-level CloudWatch role, needed before REST execution logs are written. */
  cloudwatchRoleArn(): Promise<string | undefined>
}

type Logs = typeof import('@aws-sdk/client-cloudwatch-logs')

export function createLogEventsPort(clients: AwsClients): LogEventsPort {
  let sdk: Promise<Logs> | undefined
  const load = () => (sdk ??= import('@aws-sdk/client-cloudwatch-logs'))
  const call = async <T>(operation: string, resource: string | undefined, make: (m: Logs) => object, signal?: AbortSignal): Promise<T> => {
    const [m, client] = await Promise.all([load(), clients.logs()])
    try {
      return (await client.send(make(m) as never, signal ? {abortSignal: signal} : {})) as T
    } catch (error) {
      throw mapAwsError(error, {operation, ...(resource ? {resource} : {})})
    }
  }
  return {
    async filterLogEvents(i) {
      const out = await call<{events?: Array<Partial<LogEvent>>; nextToken?: string}>(
        'FilterLogEvents',
        `log group ${i.logGroupName}`,
        (m) =>
          new m.FilterLogEventsCommand({
            logGroupName: i.logGroupName,
            ...(i.startTime === undefined ? {} : {startTime: i.startTime}),
            ...(i.endTime === undefined ? {} : {endTime: i.endTime}),
            ...(i.filterPattern ? {filterPattern: i.filterPattern} : {}),
            ...(i.nextToken ? {nextToken: i.nextToken} : {}),
            ...(i.limit ? {limit: i.limit} : {}),
          }),
      )
      const events = (out.events ?? []).map((e) => ({
        eventId: e.eventId,
        logStreamName: e.logStreamName,
        timestamp: e.timestamp ?? 0,
        ingestionTime: e.ingestionTime,
        message: e.message ?? '',
      }))
      return {events, nextToken: out.nextToken}
    },
    async describeLogGroup(name) {
      let nextToken: string | undefined
      do {
        const page = await call<{logGroups?: Array<{logGroupName?: string; arn?: string}>; nextToken?: string}>(
          'DescribeLogGroups',
          `log group ${name}`,
          (m) => new m.DescribeLogGroupsCommand({logGroupNamePrefix: name, nextToken}),
        )
        const hit = page.logGroups?.find((g) => g.logGroupName === name)
        if (hit) return {arn: (hit.arn ?? '').replace(/:\*$/, '')}
        nextToken = page.nextToken
      } while (nextToken)
      return undefined
    },
    async *startLiveTail(i) {
      type Update = {sessionUpdate?: {sessionResults?: Array<Partial<LogEvent>>}}
      const out = await call<{responseStream?: AsyncIterable<Update>}>(
        'StartLiveTail',
        undefined,
        (m) =>
          new m.StartLiveTailCommand({
            logGroupIdentifiers: i.logGroupArns,
            ...(i.filterPattern ? {logEventFilterPattern: i.filterPattern} : {}),
          }),
        i.signal,
      )
      try {
        for await (const update of out.responseStream ?? []) {
          const results = update.sessionUpdate?.sessionResults
          if (results?.length)
            yield results.map((e) => ({
              logGroupIdentifier: e.logGroupIdentifier,
              logStreamName: e.logStreamName,
              timestamp: e.timestamp ?? 0,
              ingestionTime: e.ingestionTime,
              message: e.message ?? '',
            }))
        }
      } catch (error) {
        if (i.signal.aborted) return
        throw mapAwsError(error, {operation: 'StartLiveTail'})
      }
    },
    async cloudwatchRoleArn() {
      const [m, client] = await Promise.all([import('@aws-sdk/client-api-gateway'), clients.apiGateway()])
      try {
        const account = await client.send(new m.GetAccountCommand({}))
        return account.cloudwatchRoleArn || undefined
      } catch (error) {
        throw mapAwsError(error, {operation: 'GetAccount'})
      }
    },
  }
}
