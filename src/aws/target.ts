/**
 * Where AWS calls go. Default: AWS with the SDK's own credential chain. `--endpoint-url` (or
 * AWS_ENDPOINT_URL): that endpoint, as the AWS CLI does. `--local`: the embedded emulator serving this
 * project's state directory, attached to when `apigw local start` runs on it, else started in-process on
 * an ephemeral loopback port for the command's duration. Either way the calls go through the same SDK
 * clients over HTTP.
 */
import {type AwsClients, createAwsClients} from './clients.ts'
import {startEmulator, StoreError} from '../local/index.ts'
import {findLocalServer, localStateDir, localStoreError} from './local-state.ts'

export type AwsTargetOptions = {
  local: boolean
  endpointUrl?: string | undefined
  region?: string | undefined
  profile?: string | undefined
  configPath?: string | undefined
  cwd: string
  /** State directory override (`--data-dir`). */
  dataDir?: string | undefined
}

export type AwsTarget = {clients: AwsClients; close(): Promise<void>}

/** Credentials the emulator accepts; it never checks signatures. */
export const LOCAL_CREDENTIALS = {accessKeyId: 'apigwlocal', secretAccessKey: 'apigwlocal'}

export async function resolveAwsTarget(options: AwsTargetOptions): Promise<AwsTarget> {
  const region = options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION
  if (!options.local) {
    const endpoint = options.endpointUrl ?? process.env.AWS_ENDPOINT_URL
    const clients = createAwsClients({
      ...(region ? {region} : {}),
      ...(options.profile ? {profile: options.profile} : {}),
      ...(endpoint ? {endpoint} : {}),
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
    // lazyState: a command that fails before its first AWS call (no apigw.yaml, an invalid one) leaves nothing behind.
    const server = await startEmulator({port: 0, host: '127.0.0.1', dataDir, advertise: false, lazyState: true}).catch((error: unknown) => {
      if (!(error instanceof StoreError)) throw error
      const flags = options.configPath ? ` --config ${options.configPath}` : ''
      throw localStoreError(error, dataDir, {resetCommand: `apigw local reset --yes${flags}`})
    })
    endpoint = server.url
    stop = () => server.close()
  }
  const clients = createAwsClients(
    {region: region ?? 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS, maxAttempts: 1},
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
