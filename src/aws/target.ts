/**
 * Where AWS calls go. Default: AWS with the SDK's own credential chain. `--endpoint-url` (or
 * AWS_ENDPOINT_URL): that endpoint, as the AWS CLI does. `--local`: the embedded emulator serving this
 * project's state directory, attached to when `apigw local start` runs on it, else started in-process on
 * an ephemeral loopback port for the command's duration. Either way the calls go through the same SDK
 * clients over HTTP.
 */
import {existsSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {CliError} from '../errors.ts'
import {readSourceBytes} from '../safe-files.ts'
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
  /** The Lambda Invoke API for functions apigw.yaml does not define (`--lambda-endpoint`). */
  lambdaEndpoint?: string | undefined
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
  const lambdaEndpoint = options.lambdaEndpoint === undefined ? undefined : checkLambdaEndpoint(options.lambdaEndpoint)
  if (running) {
    if (lambdaEndpoint) {
      throw new CliError(
        'USAGE',
        `--lambda-endpoint applies to an emulator this command starts, but the one at ` +
          `${running.endpoint} (pid ${running.marker.pid}) already serves ${dataDir} with its own settings.`,
        {
          hint: `Drop --lambda-endpoint, or restart that emulator with \`apigw local start --lambda-endpoint ${lambdaEndpoint}\`.`,
        },
      )
    }
    endpoint = running.endpoint
  } else {
    // lazyState: a command that fails before its first AWS call (no apigw.yaml, an invalid one) leaves nothing behind.
    const project = await projectFunctions(options.cwd, options.configPath)
    const server = await startEmulator({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      advertise: false,
      lazyState: true,
      ...project,
      lambdaEndpoint,
    }).catch((error: unknown) => {
      if (!(error instanceof StoreError)) throw error
      const flags = options.configPath ? ` --config ${options.configPath}` : ''
      throw localStoreError(error, dataDir, {resetCommand: `apigw local reset --yes${flags}`})
    })
    endpoint = server.url
    stop = () => server.close()
  }
  const clients = createAwsClients(
    // The profile rides along for `invoke --sign` only; the emulator's clients sign with LOCAL_CREDENTIALS.
    {
      region: region ?? 'us-east-1',
      endpoint,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
      ...timeouts,
      ...(options.profile ? {profile: options.profile} : {}),
    },
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

/** `--lambda-endpoint` must be an http(s) URL (the Lambda Invoke API, e.g. `sam local start-lambda`). */
export function checkLambdaEndpoint(value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new CliError('USAGE', `--lambda-endpoint ${JSON.stringify(value)} is not an http(s) URL.`, {
      hint: 'Pass the Lambda Invoke API endpoint, for example --lambda-endpoint http://127.0.0.1:3001 (`sam local start-lambda`).',
    })
  }
  return value.replace(/\/+$/, '')
}

/** apigw.yaml's `functions:` and its directory, for the emulator (none when there is no apigw.yaml). */
export async function projectFunctions(
  cwd: string,
  configPath?: string,
): Promise<{
  functions?: Record<string, import('../core/config/config.ts').FunctionConfig>
  functionsDir?: string
  remoteJwks?: Record<string, string>
}> {
  const path = configPath ? resolve(cwd, configPath) : findUp(cwd)
  if (!path || !existsSync(path)) return {}
  const {parseConfig} = await import('../core/config/config.ts')
  // The same guarded read as every other config read: regular files only, size-capped (a FIFO never hangs it).
  const loaded = await parseConfig(path, readSourceBytes(path))
  // identity.pools with a jwksUrl: the emulator verifies those pools' tokens against the real key set.
  const remoteJwks: Record<string, string> = {}
  for (const pool of Object.values(loaded.config.identity?.pools ?? {})) {
    const poolId = /userpool\/([^/]+)$/.exec(pool.arn)?.[1]
    if (poolId && pool.jwksUrl) remoteJwks[poolId] = pool.jwksUrl
  }
  return {
    ...(loaded.config.functions ? {functions: loaded.config.functions} : {}),
    functionsDir: loaded.dir,
    ...(Object.keys(remoteJwks).length > 0 ? {remoteJwks} : {}),
  }
}

function findUp(cwd: string): string | undefined {
  let dir = resolve(cwd)
  for (;;) {
    for (const name of ['apigw.yaml', 'apigw.yml']) if (existsSync(join(dir, name))) return join(dir, name)
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}
