/**
 * Where AWS calls go. Default: AWS with the SDK's own credential chain. `--endpoint-url` (or
 * AWS_ENDPOINT_URL): that endpoint, as the AWS CLI does. `--local`: the embedded emulator serving this
 * project's state directory, attached to when `apigw local start` runs on it, else started in-process on
 * an ephemeral loopback port for the command's duration. Either way the calls go through the same SDK
 * clients over HTTP.
 */
import {type AwsClients, createAwsClients} from './clients.ts'
import {findLocalServer, localStateDir} from './local-state.ts'

export type AwsTargetOptions = {
  local: boolean
  endpointUrl?: string | undefined
  region?: string | undefined
  profile?: string | undefined
  configPath?: string | undefined
  cwd: string
  /** State directory override (`--data-dir`). */
  dataDir?: string | undefined
  /** --connect-timeout / --read-timeout, in ms (the clients' defaults when absent). */
  timeouts?: {connectTimeoutMs?: number | undefined; readTimeoutMs?: number | undefined} | undefined
}

export type AwsTarget = {clients: AwsClients; close(): Promise<void>}

/** Credentials the emulator accepts; it never checks signatures. */
export const LOCAL_CREDENTIALS = {accessKeyId: 'apigwlocal', secretAccessKey: 'apigwlocal'}

export async function resolveAwsTarget(options: AwsTargetOptions): Promise<AwsTarget> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  const timeouts = {
    ...(options.timeouts?.connectTimeoutMs ? {connectTimeoutMs: options.timeouts.connectTimeoutMs} : {}),
    ...(options.timeouts?.readTimeoutMs ? {readTimeoutMs: options.timeouts.readTimeoutMs} : {}),
  }
  if (!options.local) {
    const endpoint = options.endpointUrl ?? process.env.AWS_ENDPOINT_URL
    const clients = createAwsClients({
      ...(region ? {region} : {}),
      ...(options.profile ? {profile: options.profile} : {}),
      ...(endpoint ? {endpoint} : {}),
      ...timeouts,
    })
    return {clients, close: async () => clients.destroy()}
  }
  const dataDir = options.dataDir ?? localStateDir(options.cwd, options.configPath)
  const running = await findLocalServer(dataDir)
  let stop: (() => Promise<void>) | undefined
  let endpoint: string
  if (running) {
    endpoint = running.endpoint
  } else {
    const {startEmulator} = await import('../local/server.ts')
    const server = await startEmulator({port: 0, host: '127.0.0.1', dataDir, advertise: false})
    endpoint = server.url
    stop = () => server.close()
  }
  const clients = createAwsClients(
    {region: region ?? 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1, ...timeouts},
    true,
  )
  return {
    clients,
    close: async () => {
      clients.destroy()
      await stop?.()
    },
  }
}
