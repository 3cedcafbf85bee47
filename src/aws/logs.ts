/** The narrow port over CloudWatch Logs for deploy: find or create a stage's access-log group. */
import type {LogGroup} from '@aws-sdk/client-cloudwatch-logs'
import type {AwsClients} from './clients.ts'
import {type AwsErrorContext, mapAwsError} from './errors.ts'
import {passThrough, type Scheduler} from './scheduler.ts'

export type {LogGroup}

export type LogsPort = {
  /** The log group with exactly this name, or undefined. */
  findLogGroup(name: string): Promise<LogGroup | undefined>
  createLogGroup(name: string, tags: Record<string, string>): Promise<void>
  putRetentionPolicy(name: string, days: number): Promise<void>
}

type Sdk = typeof import('@aws-sdk/client-cloudwatch-logs')

export function createLogsPort(clients: AwsClients, scheduler: Scheduler = passThrough): LogsPort {
  let sdk: Promise<Sdk> | undefined
  const load = () => (sdk ??= import('@aws-sdk/client-cloudwatch-logs'))
  const call = async <T>(ctx: AwsErrorContext, make: (m: Sdk) => object): Promise<T> => {
    const [m, client] = await Promise.all([load(), clients.logs()])
    try {
      return (await scheduler.run(ctx.operation, () => client.send(make(m) as never))) as T
    } catch (error) {
      throw mapAwsError(error, ctx)
    }
  }
  return {
    async findLogGroup(name) {
      let nextToken: string | undefined
      do {
        const page = await call<{logGroups?: LogGroup[]; nextToken?: string}>(
          {operation: 'DescribeLogGroups'},
          (m) => new m.DescribeLogGroupsCommand({logGroupNamePrefix: name, nextToken}),
        )
        const hit = page.logGroups?.find((g) => g.logGroupName === name)
        if (hit) return hit
        nextToken = page.nextToken
      } while (nextToken)
      return undefined
    },
    async createLogGroup(logGroupName, tags) {
      await call(
        {operation: 'CreateLogGroup', resource: `log group ${logGroupName}`},
        (m) => new m.CreateLogGroupCommand({logGroupName, tags}),
      )
    },
    async putRetentionPolicy(logGroupName, retentionInDays) {
      await call(
        {operation: 'PutRetentionPolicy', resource: `log group ${logGroupName}`},
        (m) => new m.PutRetentionPolicyCommand({logGroupName, retentionInDays}),
      )
    },
  }
}
