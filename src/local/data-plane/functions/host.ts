/**
 * The function host: runs the Lambda functions apigw.yaml defines (`functions:`) on this machine, and sends
 * every other function to the Lambda Invoke API at --lambda-endpoint. Node handlers run warm in worker threads
 * (or child processes, see `nodeIsolation`; node-environment.ts), `command:` functions through the Runtime API
 * in child processes (command-environment.ts), each function in its own pool (pool.ts). Nothing starts until a
 * function is first invoked.
 */
import {randomUUID} from 'node:crypto'
import {existsSync, realpathSync, statSync} from 'node:fs'
import {isAbsolute, resolve} from 'node:path'
import {CommandEnvironment} from './command-environment.ts'
import {payloadBytes} from './environment.ts'
import {NodeEnvironment} from './node-environment.ts'
import {FunctionPool} from './pool.ts'
import {type FunctionRef, parseFunctionRef} from './ref.ts'
import {invokeRemote} from './remote.ts'
import {
  type FunctionDefinition,
  type FunctionHost,
  FunctionNotFoundError,
  type InvokeOptions,
  type InvokeResult,
  type LogSink,
} from './types.ts'

export type FunctionHostOptions = {
  /** apigw.yaml's `functions:`. */
  functions?: Record<string, FunctionDefinition> | undefined
  /** Where handler and command paths are relative to: the directory of apigw.yaml. */
  baseDir: string
  /** The Lambda Invoke API for functions not defined locally (--lambda-endpoint). */
  lambdaEndpoint?: string | undefined
  region: string
  accountId: string
  logs?: LogSink | undefined
  now?: () => Date
  /** Environments per function at most (concurrent invocations beyond it wait); default 10. */
  maxEnvironments?: number
  /** Variables every local function gets (APIGW_LOCAL_ENDPOINT: the emulator's URL, for @connections). */
  environment?: (() => Record<string, string>) | undefined
  /**
   * Where Node handlers run: `thread` (the default) in worker threads when that changes nothing a handler can see
   * (see nodeInThreads), else in child processes; `process` always in child processes. The environment variable
   * APIGW_LOCAL_NODE_ISOLATION=process does the same as `process`.
   */
  nodeIsolation?: 'thread' | 'process' | undefined
}

export const DEFAULT_TIMEOUT_SECONDS = 3
export const DEFAULT_MEMORY_MB = 128
const HANDLER_EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts']
/** Credentials and settings a local handler may need to call AWS, passed on as `sam local` does. */
const PASSED_ENV = [
  'PATH',
  'HOME',
  'TMPDIR',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
]

export type LocalFunctionHost = FunctionHost & {
  /** The pool of a local function once it has been invoked (tests reach its environments' pids). */
  pool(name: string): FunctionPool | undefined
  /**
   * Replace apigw.yaml's `functions:` (apigw dev, after the file changed): a function whose definition changed or
   * went away loses its environments (stopped at once); the others stay warm.
   */
  update(functions: Record<string, FunctionDefinition> | undefined): Promise<void>
}

export function createFunctionHost(options: FunctionHostOptions): LocalFunctionHost {
  let functions = options.functions ?? {}
  const now = options.now ?? (() => new Date())
  const pools = new Map<string, FunctionPool>()
  const background = new Set<Promise<unknown>>()
  let closed = false

  /** References parsed once each (a stage's integration URI names the same function on every request). */
  const refs = new Map<string, FunctionRef & {invokedArn?: string}>()
  const refOf = (functionRef: string): FunctionRef & {invokedArn?: string} => {
    let ref = refs.get(functionRef)
    if (!ref) {
      if (refs.size >= 1000) refs.clear()
      ref = parseFunctionRef(functionRef)
      refs.set(functionRef, ref)
    }
    return ref
  }

  const poolFor = (name: string, def: FunctionDefinition): FunctionPool => {
    let pool = pools.get(name)
    if (!pool) {
      pool = createPool(name, def, options, now)
      pools.set(name, pool)
    }
    return pool
  }

  return {
    isLocal: (ref) => Object.hasOwn(functions, refOf(ref).name),
    pool: (name) => pools.get(name),
    async update(next) {
      const updated = next ?? {}
      const stale: FunctionPool[] = []
      for (const [name, pool] of pools) {
        if (JSON.stringify(functions[name]) === JSON.stringify(updated[name])) continue
        pools.delete(name)
        stale.push(pool)
      }
      functions = updated
      await Promise.all(stale.map((pool) => pool.close()))
    },
    async invoke(functionRef: string, payload: Buffer | string, opts: InvokeOptions = {}): Promise<InvokeResult> {
      const ref = refOf(functionRef)
      const invocationType = opts.invocationType ?? 'RequestResponse'
      const def = Object.hasOwn(functions, ref.name) ? functions[ref.name] : undefined
      if (def && !closed) {
        const pool = poolFor(ref.name, def)
        ref.invokedArn ??=
          `arn:aws:lambda:${ref.region || options.region}:${ref.accountId || options.accountId}` +
          `:function:${ref.name}${ref.qualifier ? `:${ref.qualifier}` : ''}`
        const invokedArn = ref.invokedArn
        const run = pool.invoke({requestId: opts.requestId ?? randomUUID(), payload, invokedArn, traceId: opts.traceId})
        if (invocationType === 'Event') {
          const tracked = run.catch(() => undefined).finally(() => background.delete(tracked))
          background.add(tracked)
          return {statusCode: 202, payload: Buffer.alloc(0)}
        }
        const outcome = await run
        return outcome.error
          ? {statusCode: 200, payload: outcome.payload, functionError: 'Unhandled'}
          : {statusCode: 200, payload: outcome.payload}
      }
      if (options.lambdaEndpoint) return invokeRemote(options.lambdaEndpoint, ref, payloadBytes(payload), invocationType)
      throw new FunctionNotFoundError(
        ref.name,
        `Lambda function ${ref.name} is not defined under functions: in ` +
          `apigw.yaml, and no --lambda-endpoint is set to invoke it elsewhere.`,
        `Define it in apigw.yaml (functions: {${ref.name}: {handler: src/${ref.name}.handler}}), or pass --lambda-endpoint ` +
          `URL to invoke it through the Lambda Invoke API (for example \`sam local start-lambda\` at http://127.0.0.1:3001).`,
      )
    },
    async close() {
      closed = true
      await Promise.all([...pools.values()].map((pool) => pool.close()))
      await Promise.all([...background])
      await options.logs?.flush()
    },
  }
}

function createPool(name: string, def: FunctionDefinition, options: FunctionHostOptions, now: () => Date): FunctionPool {
  const timeoutSeconds = def.timeout ?? DEFAULT_TIMEOUT_SECONDS
  const memorySize = def.memorySize ?? DEFAULT_MEMORY_MB
  const baseDir = options.baseDir
  const envFor = (streamName: string): Record<string, string> => {
    const env: Record<string, string> = {}
    for (const key of PASSED_ENV) if (process.env[key] !== undefined) env[key] = process.env[key]!
    Object.assign(env, {
      LANG: 'en_US.UTF-8',
      TZ: 'UTC',
      LAMBDA_TASK_ROOT: baseDir,
      AWS_REGION: options.region,
      AWS_DEFAULT_REGION: options.region,
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: streamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    })
    if (def.handler !== undefined) env._HANDLER = def.handler
    if (def.command === undefined) env.AWS_EXECUTION_ENV = `AWS_Lambda_nodejs${process.versions.node.split('.')[0]}.x`
    Object.assign(env, options.environment?.())
    for (const [key, value] of Object.entries(def.environment ?? {})) env[key] = String(value)
    return env
  }
  const common = {
    functionName: name,
    timeoutSeconds,
    memorySize,
    maxEnvironments: options.maxEnvironments ?? 10,
    logs: options.logs,
    now,
  }
  if (def.command !== undefined) {
    const command = def.command
    const program = Array.isArray(command) ? command[0] : command.trim().split(/\s+/)[0]
    const programPath = program && /[\\/]/.test(program) ? resolve(baseDir, program) : undefined
    return new FunctionPool({
      ...common,
      watchFiles: programPath && existsSync(programPath) ? [programPath] : [],
      create: (streamName, log) => new CommandEnvironment({command, cwd: baseDir, env: envFor(streamName), streamName, log}),
    })
  }
  const {file} = resolveHandler(baseDir, def.handler ?? '')
  const thread = nodeInThreads(options, file)
  return new FunctionPool({
    ...common,
    watchFiles: [file],
    create: (streamName, log) => {
      // Resolved again for every new environment: a handler renamed from .js to .ts is still found.
      const current = resolveHandler(baseDir, def.handler ?? '')
      return new NodeEnvironment({
        file: current.file,
        exportName: current.exportName,
        cwd: baseDir,
        env: envFor(streamName),
        memorySize,
        streamName,
        log,
        thread,
      })
    },
  })
}

/**
 * Whether a function's Node handler runs in worker threads: unless told `process`, when the handler's directory
 * (Lambda's task root, a child's working directory) is this process's working directory, since a thread cannot
 * have a working directory of its own and relative paths must resolve as they would in the child; and when this
 * Node strips types, since a worker cannot be given the flag (.ts runtime or handler).
 */
export function nodeInThreads(options: Pick<FunctionHostOptions, 'nodeIsolation' | 'baseDir'>, handlerFile: string): boolean {
  if (options.nodeIsolation === 'process' || process.env.APIGW_LOCAL_NODE_ISOLATION === 'process') return false
  const stripsTypes = Boolean((process.features as {typescript?: unknown}).typescript)
  if (!stripsTypes && (/\.[cm]?ts$/.test(handlerFile) || import.meta.url.endsWith('.ts'))) return false
  const real = (path: string): string => {
    try {
      return realpathSync(path)
    } catch {
      return resolve(path)
    }
  }
  return real(options.baseDir) === real(process.cwd())
}

/** `src/pets.list` → the file `src/pets.{js,mjs,cjs,ts,mts,cts}` (the first that exists) and the export `list`. */
export function resolveHandler(baseDir: string, handler: string): {file: string; exportName: string} {
  const dot = handler.lastIndexOf('.')
  const modulePath = dot > 0 ? handler.slice(0, dot) : handler
  const exportName = dot > 0 ? handler.slice(dot + 1) : 'handler'
  const base = isAbsolute(modulePath) ? modulePath : resolve(baseDir, modulePath)
  for (const ext of HANDLER_EXTENSIONS) {
    const file = base + ext
    if (isFile(file)) return {file, exportName}
  }
  if (isFile(base)) return {file: base, exportName}
  return {file: `${base}.js`, exportName}
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile()
  } catch {
    return false
  }
}
