/** `apigw local start|status|reset`: the emulator as a long-running server on a state directory. */
import {resolve} from 'node:path'
import {findLocalServer, localStateDir, localStoreError} from '../aws/local-state.ts'
import {CliError} from '../errors.ts'
import {readStateSummary, resetState, StoreError, startEmulator} from '../local/index.ts'

export type LocalOptions = {cwd: string; configPath?: string | undefined; dataDir?: string | undefined}

export function stateDirOf(options: LocalOptions): string {
  return options.dataDir ? resolve(options.cwd, options.dataDir) : localStateDir(options.cwd, options.configPath)
}

/** The flags that name this state directory again, for hints that work when copied. */
function dirFlags(options: LocalOptions): string {
  if (options.dataDir) return ` --data-dir ${options.dataDir}`
  return options.configPath ? ` --config ${options.configPath}` : ''
}

function storeError(error: unknown, options: LocalOptions, dataDir: string): unknown {
  if (!(error instanceof StoreError)) return error
  return localStoreError(error, dataDir, {
    resetCommand: `apigw local reset --yes${dirFlags(options)}`,
    elsewhere: 'pass --data-dir <dir> to use another directory',
  })
}

export type StartedServer = {
  endpoint: string
  port: number
  host: string
  dataDir: string
  /** Lambda functions apigw.yaml defines, run locally. */
  functions: string[]
  lambdaEndpoint: string | null
  close(): Promise<void>
}

export async function startLocalServer(
  options: LocalOptions & {
    port: number
    host: string
    lambdaEndpoint?: string | undefined
    onRequest?: (e: {method: string; path: string; operation: string; status: number; ms: number}) => void
  },
): Promise<StartedServer> {
  const dataDir = stateDirOf(options)
  const {checkLambdaEndpoint, projectFunctions} = await import('../aws/target.ts')
  const lambdaEndpoint = options.lambdaEndpoint === undefined ? undefined : checkLambdaEndpoint(options.lambdaEndpoint)
  const project = await projectFunctions(options.cwd, options.configPath)
  const running = await findLocalServer(dataDir)
  if (running) {
    throw new CliError(
      'LOCAL_ALREADY_RUNNING',
      `An emulator already serves ${dataDir} at ${running.endpoint} (pid ${running.marker.pid}).`,
      {
        hint: 'Use it (commands with --local attach to it), or stop it first; pass --data-dir to run another one.',
      },
    )
  }
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
    throw new CliError('USAGE', `The emulator binds to loopback only; ${options.host} is not a loopback address.`, {
      hint: 'Use --host 127.0.0.1 (the default) or ::1.',
    })
  }
  try {
    const server = await startEmulator({
      port: options.port,
      host: options.host,
      dataDir,
      advertise: true,
      ...project,
      lambdaEndpoint,
      ...(options.onRequest ? {onRequest: options.onRequest} : {}),
    })
    const functions = Object.keys(project.functions ?? {}).sort()
    return {
      endpoint: server.url,
      port: server.port,
      host: server.host,
      dataDir,
      functions,
      lambdaEndpoint: lambdaEndpoint ?? null,
      close: () => server.close(),
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError('LOCAL_PORT_IN_USE', `Port ${options.port} on ${options.host} is already in use.`, {
        hint: `Pass --port <another port>, or --port 0 for any free one; \`apigw local status\` tells whether it is an emulator.`,
        cause: error,
      })
    }
    throw storeError(error, options, dataDir)
  }
}

export type LocalStatus = {
  running: boolean
  endpoint: string | null
  pid: number | null
  dataDir: string
  stateExists: boolean
  restApis: number
  httpApis: number
}

export async function localStatus(options: LocalOptions): Promise<LocalStatus> {
  const dataDir = stateDirOf(options)
  const running = await findLocalServer(dataDir)
  let summary: {stateExists: boolean; restApis: number; httpApis: number}
  try {
    summary = await readStateSummary(dataDir)
  } catch (error) {
    throw storeError(error, options, dataDir)
  }
  return {running: Boolean(running), endpoint: running?.endpoint ?? null, pid: running?.marker.pid ?? null, dataDir, ...summary}
}

export async function localReset(options: LocalOptions): Promise<{dataDir: string; removed: boolean}> {
  const dataDir = stateDirOf(options)
  const running = await findLocalServer(dataDir)
  if (running) {
    throw new CliError(
      'LOCAL_RUNNING',
      `An emulator is serving ${dataDir} at ${running.endpoint} (pid ` +
        `${running.marker.pid}); resetting under it would lose its state mid-flight.`,
      {
        hint: `Stop it (Ctrl-C in its terminal) and run \`apigw local reset --yes${dirFlags(options)}\` again.`,
      },
    )
  }
  try {
    return {dataDir, removed: resetState(dataDir)}
  } catch (error) {
    throw storeError(error, options, dataDir)
  }
}
