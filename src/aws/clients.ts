/**
 * The only place AWS SDK clients are built. Clients are created lazily on first use, so a command that
 * never calls AWS never loads the SDK. Narrow ports over them live next to this file.
 */
import type {APIGatewayClient} from '@aws-sdk/client-api-gateway'
import type {ApiGatewayManagementApiClient} from '@aws-sdk/client-apigatewaymanagementapi'
import type {ApiGatewayV2Client} from '@aws-sdk/client-apigatewayv2'
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'
import type {CloudWatchClient} from '@aws-sdk/client-cloudwatch'
import {Agent as HttpAgent} from 'node:http'
import {Agent as HttpsAgent} from 'node:https'
import {CliError} from '../errors.ts'
import {isTimeout} from './errors.ts'

export type AwsClientOptions = {
  region?: string
  profile?: string
  /** Send every call here instead of AWS (the emulator, or --endpoint-url). */
  endpoint?: string
  /** Static credentials (the emulator needs any; AWS uses the SDK's own chain when absent). */
  credentials?: {accessKeyId: string; secretAccessKey: string; sessionToken?: string}
  maxAttempts?: number
  /** Give up on a connection not established within this many ms (default 10 s). */
  connectTimeoutMs?: number
  /** Give up on a call whose connection stays silent this long, waiting for an answer (default 60 s). */
  readTimeoutMs?: number
}

/** Defaults of --connect-timeout and --read-timeout, in seconds (the AWS CLI waits 60 s for both). */
export const DEFAULT_CONNECT_TIMEOUT_S = 10
export const DEFAULT_READ_TIMEOUT_S = 60

export type AwsClients = {
  readonly options: AwsClientOptions
  /** True when the calls go to the embedded emulator. */
  readonly local: boolean
  apiGateway(): Promise<APIGatewayClient>
  apiGatewayV2(): Promise<ApiGatewayV2Client>
  logs(): Promise<CloudWatchLogsClient>
  /** CloudWatch (metrics and alarms). */
  cloudWatch(): Promise<CloudWatchClient>
  /**
   * The @connections API of one WebSocket stage (`endpoint`: the stage's URL), signing with `credentials` when given
   * (the emulator's data plane checks them), else with the SDK's own chain.
   */
  managementApi(
    endpoint: string,
    credentials?: {accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined},
  ): Promise<ApiGatewayManagementApiClient>
  /** Close every client made so far (sockets), so the process can exit. */
  destroy(): void
}

export function createAwsClients(options: AwsClientOptions, local = false): AwsClients {
  const made: Array<{destroy(): void}> = []
  // Our own agents, so destroy() can close sockets still in use (a call hanging on a silent endpoint when
  // the user presses Ctrl-C): the handler's own lazily made agents are not reached by client.destroy().
  const agents = {
    httpAgent: new HttpAgent({keepAlive: true, maxSockets: 50}),
    httpsAgent: new HttpsAgent({keepAlive: true, maxSockets: 50}),
  }
  const config = () => ({
    ...(options.region ? {region: options.region} : {}),
    ...(options.profile ? {profile: options.profile} : {}),
    ...(options.endpoint ? {endpoint: options.endpoint} : {}),
    ...(options.credentials ? {credentials: options.credentials} : {}),
    maxAttempts: options.maxAttempts ?? 3,
    // socketTimeout is the read timeout: time without a byte on an open connection. (requestTimeout of this
    // handler only logs a warning.) Both reject with a TimeoutError, which mapAwsError names.
    requestHandler: {
      ...agents,
      connectionTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_S * 1000,
      socketTimeout: options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_S * 1000,
    },
  })
  let destroyed = false
  // A call that timed out is not sent again by the SDK: the server may have acted on it (a second
  // CreateRestApi makes a second API), and retrying a silent endpoint only multiplies the wait. Nor is a
  // call cut by destroy() (Ctrl-C): a retry would open a new socket and keep the process alive.
  const noRetryOnTimeout = <
    C extends {config: {retryStrategy: () => Promise<unknown>}; middlewareStack: {add(m: unknown, o: unknown): void}},
  >(
    client: C,
  ): C => {
    // Nor does anyone else (the scheduler's retries) start a call once the clients are destroyed.
    client.middlewareStack.add(
      (next: (args: unknown) => Promise<unknown>) => (args: unknown) => {
        if (destroyed) throw new CliError('CANCELLED', 'The command is ending: no further AWS call is made.')
        return next(args)
      },
      {step: 'initialize', name: 'apigwRefuseAfterDestroy'},
    )
    const inner = client.config.retryStrategy
    client.config.retryStrategy = async () => {
      const strategy = (await inner()) as {refreshRetryTokenForRetry?: (token: unknown, info: {error?: unknown}) => Promise<unknown>}
      const refresh = strategy.refreshRetryTokenForRetry
      if (typeof refresh !== 'function') return strategy
      return Object.assign(Object.create(strategy) as object, {
        refreshRetryTokenForRetry: (token: unknown, info: {error?: unknown}) =>
          destroyed || isTimeout(info.error) ? Promise.reject(info.error) : refresh.call(strategy, token, info),
      })
    }
    return client
  }
  const once = <T extends {destroy(): void}>(make: () => Promise<T>): (() => Promise<T>) => {
    let p: Promise<T> | undefined
    return () => {
      p ??= make().then((c) => {
        made.push(c)
        return c
      })
      return p
    }
  }
  return {
    options,
    local,
    apiGateway: once(async () => noRetryOnTimeout(new (await import('@aws-sdk/client-api-gateway')).APIGatewayClient(config()))),
    apiGatewayV2: once(async () => noRetryOnTimeout(new (await import('@aws-sdk/client-apigatewayv2')).ApiGatewayV2Client(config()))),
    logs: once(async () => noRetryOnTimeout(new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(config()))),
    cloudWatch: once(async () => noRetryOnTimeout(new (await import('@aws-sdk/client-cloudwatch')).CloudWatchClient(config()))),
    managementApi: async (endpoint, credentials) => {
      const {ApiGatewayManagementApiClient} = await import('@aws-sdk/client-apigatewaymanagementapi')
      const {sessionToken, ...keys} = credentials ?? {accessKeyId: '', secretAccessKey: ''}
      const client = new ApiGatewayManagementApiClient({
        ...config(),
        endpoint,
        ...(credentials ? {credentials: {...keys, ...(sessionToken ? {sessionToken} : {})}} : {}),
      })
      made.push(client)
      return noRetryOnTimeout(client)
    },
    destroy: () => {
      destroyed = true
      for (const c of made.splice(0)) c.destroy()
      agents.httpAgent.destroy()
      agents.httpsAgent.destroy()
    },
  }
}
