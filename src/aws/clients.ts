/**
 * The only place AWS SDK clients are built. Clients are created lazily on first use, so a command that
 * never calls AWS never loads the SDK. Narrow ports over them live next to this file.
 */
import type {APIGatewayClient} from '@aws-sdk/client-api-gateway'
import type {ApiGatewayV2Client} from '@aws-sdk/client-apigatewayv2'
import type {CloudWatchLogsClient} from '@aws-sdk/client-cloudwatch-logs'

export type AwsClientOptions = {
  region?: string
  profile?: string
  /** Send every call here instead of AWS (the emulator, or --endpoint-url). */
  endpoint?: string
  /** Static credentials (the emulator needs any; AWS uses the SDK's own chain when absent). */
  credentials?: {accessKeyId: string; secretAccessKey: string; sessionToken?: string}
  maxAttempts?: number
}

export type AwsClients = {
  readonly options: AwsClientOptions
  /** True when the calls go to the embedded emulator. */
  readonly local: boolean
  apiGateway(): Promise<APIGatewayClient>
  apiGatewayV2(): Promise<ApiGatewayV2Client>
  logs(): Promise<CloudWatchLogsClient>
  /** Close every client made so far (sockets), so the process can exit. */
  destroy(): void
}

export function createAwsClients(options: AwsClientOptions, local = false): AwsClients {
  const made: Array<{destroy(): void}> = []
  const config = () => ({
    ...(options.region ? {region: options.region} : {}),
    ...(options.profile ? {profile: options.profile} : {}),
    ...(options.endpoint ? {endpoint: options.endpoint} : {}),
    ...(options.credentials ? {credentials: options.credentials} : {}),
    maxAttempts: options.maxAttempts ?? 3,
  })
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
    apiGateway: once(async () => new (await import('@aws-sdk/client-api-gateway')).APIGatewayClient(config())),
    apiGatewayV2: once(async () => new (await import('@aws-sdk/client-apigatewayv2')).ApiGatewayV2Client(config())),
    logs: once(async () => new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(config())),
    destroy: () => {
      for (const c of made.splice(0)) c.destroy()
    },
  }
}
