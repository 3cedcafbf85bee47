/** `apigw local start|status|reset`: the emulator as a long-running server on a state directory. */
import {resolve} from 'node:path'
import {findLocalServer, localStateDir, localStoreError} from '../aws/local-state.ts'
import {CliError} from '../errors.ts'
import {type RequestEvent, readStateSummary, resetState, StoreError, startEmulator} from '../local/index.ts'
import {loadProject} from './project.ts'

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
  /** Profiles of `--credentials` whose keys AWS_IAM methods accept (the default pair: `test`). */
  iamProfiles: string[]
  /** Read apigw.yaml's `functions:` again (apigw dev): changed or removed functions restart on their next call. */
  reloadFunctions(): Promise<string[]>
  close(): Promise<void>
}

/** The pair AWS_IAM methods accept without --credentials (README: access key `test`, secret `test`). */
export const DEFAULT_IAM_CREDENTIALS = [{accessKeyId: 'test', secretAccessKey: 'test', profile: 'test'}]

type IamCredential = {accessKeyId: string; secretAccessKey: string; sessionToken?: string; profile: string}

/**
 * The key pairs of an AWS credentials file (`[profile]` sections with aws_access_key_id and aws_secret_access_key),
 * read by the AWS SDK's own ini loader. Throws CREDENTIALS_FILE_INVALID when it cannot be read or holds no pair.
 */
export async function loadCredentialsFile(cwd: string, file: string): Promise<IamCredential[]> {
  const path = resolve(cwd, file)
  const {existsSync, statSync} = await import('node:fs')
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new CliError('CREDENTIALS_FILE_INVALID', `No credentials file at ${path}.`, {
      hint: 'Pass --credentials <file> in the AWS credentials format ([name] with aws_access_key_id and aws_secret_access_key).',
    })
  }
  const {loadSharedConfigFiles} = await import('@smithy/core/config')
  const {credentialsFile} = await loadSharedConfigFiles({filepath: path, configFilepath: path, ignoreCache: true})
  const out: IamCredential[] = []
  for (const [profile, values] of Object.entries(credentialsFile).sort(([a], [b]) => a.localeCompare(b))) {
    const accessKeyId = values.aws_access_key_id
    const secretAccessKey = values.aws_secret_access_key
    if (!accessKeyId || !secretAccessKey) continue
    out.push({accessKeyId, secretAccessKey, profile, ...(values.aws_session_token ? {sessionToken: values.aws_session_token} : {})})
  }
  if (out.length === 0) {
    throw new CliError('CREDENTIALS_FILE_INVALID', `The credentials file ${path} holds no key pair.`, {
      hint: 'Add a section such as [dev] with aws_access_key_id = ... and aws_secret_access_key = ..., then start again.',
    })
  }
  return out
}

export async function startLocalServer(
  options: LocalOptions & {
    port: number
    host: string
    lambdaEndpoint?: string | undefined
    /** An AWS credentials file whose key pairs AWS_IAM methods accept (default: the `test`/`test` pair). */
    credentialsFile?: string | undefined
    onRequest?: (e: RequestEvent) => void
  },
): Promise<StartedServer> {
  const dataDir = stateDirOf(options)
  const {checkLambdaEndpoint, projectFunctions} = await import('../aws/target.ts')
  const lambdaEndpoint = options.lambdaEndpoint === undefined ? undefined : checkLambdaEndpoint(options.lambdaEndpoint)
  const project = await projectFunctions(options.cwd, options.configPath)
  const credentials =
    options.credentialsFile === undefined ? DEFAULT_IAM_CREDENTIALS : await loadCredentialsFile(options.cwd, options.credentialsFile)
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
      credentials,
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
      iamProfiles: credentials.map((c) => c.profile),
      reloadFunctions: async () => {
        const next = await projectFunctions(options.cwd, options.configPath)
        await server.functions.update(next.functions)
        return Object.keys(next.functions ?? {}).sort()
      },
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

// `apigw local token`
/**
 * `apigw local token --pool NAME | --issuer NAME`: a JWT signed by the emulator's local identity provider,
 * for a Cognito user pool (NAME from apigw.yaml `identity.pools`, or a pool id such as `us-east-1_AbC123`) or a
 * plain OpenID issuer (HTTP API JWT authorizers). The token is minted over HTTP by the emulator serving this
 * project's state (`apigw local start`), or by one started for the command: the pool's key is kept in the
 * state, so a later `local start` verifies it. An issuer's `iss` carries the server's port, so issuer tokens
 * need the running server.
 */

export type LocalTokenOptions = {
  cwd: string
  configPath?: string | undefined
  dataDir?: string | undefined
  pool?: string | undefined
  issuer?: string | undefined
  claims?: string[] | undefined
  scopes?: string[] | undefined
  expires?: string | undefined
  tokenUse?: 'id' | 'access' | undefined
}

export type LocalTokenResult = {
  token: string
  /** `pool` or `issuer`, and the name the emulator keys it by (a pool id for pools). */
  kind: 'pool' | 'issuer'
  name: string
  issuer: string
  expiresAt: string
  tokenUse?: 'id' | 'access'
  jwksUrl: string
  endpoint: string
}

const NAME = /^[A-Za-z0-9_.-]{1,128}$/

/** `k=v` claims: `true`/`false` become booleans, `[...]`/`{...}` JSON, anything else a string. */
export function parseClaims(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const pair of pairs) {
    const eq = pair.indexOf('=')
    if (eq <= 0) {
      throw new CliError('USAGE', `--claim ${pair} is not name=value.`, {
        hint: 'For example: --claim email=ana@example.com --claim email_verified=true',
      })
    }
    const key = pair.slice(0, eq)
    const raw = pair.slice(eq + 1)
    let value: unknown = raw
    if (raw === 'true' || raw === 'false') value = raw === 'true'
    else if (/^[[{]/.test(raw)) {
      try {
        value = JSON.parse(raw)
      } catch {
        throw new CliError('USAGE', `--claim ${key}: ${raw} is not valid JSON.`, {
          hint: `Quote it for the shell: --claim '${key}=["admin","users"]'`,
        })
      }
    }
    out[key] = value
  }
  return out
}

/** The pool id for `--pool NAME`: apigw.yaml's `identity.pools.NAME.arn`, else NAME itself. */
async function poolIdOf(options: LocalTokenOptions, name: string): Promise<string> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath, required: false})
  const pools = project?.config.identity?.pools ?? {}
  const configured = pools[name]
  if (configured) {
    const id = /userpool\/([^/]+)$/.exec(configured.arn)?.[1]
    if (id) return id
  }
  if (!NAME.test(name)) {
    const known = Object.keys(pools).sort()
    throw new CliError('USAGE', `--pool ${name} is neither a pool of apigw.yaml nor a user pool id.`, {
      hint:
        `Name a pool of apigw.yaml's identity.pools${known.length ? ` (${known.join(', ')})` : ''}, ` +
        'or a pool id such as us-east-1_AbC123.',
    })
  }
  return name
}

export async function mintLocalToken(options: LocalTokenOptions): Promise<LocalTokenResult> {
  if ((options.pool === undefined) === (options.issuer === undefined)) {
    throw new CliError('USAGE', 'Say which identity provider signs the token: --pool NAME or --issuer NAME (one of them).', {
      hint: 'For example: apigw local token --pool users --claim email=ana@example.com',
    })
  }
  const kind = options.pool !== undefined ? 'pool' : 'issuer'
  if (kind === 'issuer' && !NAME.test(options.issuer!)) {
    throw new CliError('USAGE', `--issuer ${options.issuer} is not a valid issuer name.`, {
      hint: "Use letters, digits, '_', '-' and '.' (for example --issuer main).",
    })
  }
  if (options.tokenUse !== undefined && kind === 'issuer') {
    throw new CliError('USAGE', '--token-use applies to Cognito pools (--pool) only.', {hint: 'Leave --token-use out with --issuer.'})
  }
  const claims = parseClaims(options.claims ?? [])
  const expiresMs = options.expires === undefined ? 3_600_000 : tokenLifetime(options.expires)
  const name = kind === 'pool' ? await poolIdOf(options, options.pool!) : options.issuer!
  const dataDir = stateDirOf(options)
  const running = await findLocalServer(dataDir)
  const dirFlag = options.dataDir ? ` --data-dir ${options.dataDir}` : ''
  if (!running && kind === 'issuer') {
    throw new CliError('LOCAL_NOT_RUNNING', `No emulator serves ${dataDir}: an issuer's tokens name the server's address in iss.`, {
      hint: `Start it first: apigw local start${dirFlag}, then run this command again.`,
    })
  }
  let endpoint = running?.endpoint
  let stop: (() => Promise<void>) | undefined
  if (!endpoint) {
    const server = await startEmulator({port: 0, host: '127.0.0.1', dataDir, advertise: false}).catch((error: unknown) => {
      if (error instanceof StoreError)
        throw new CliError('LOCAL_STORE', error.message, {hint: `Run \`apigw local reset --yes${dirFlag}\` if the state is damaged.`})
      throw error
    })
    endpoint = server.url
    stop = () => server.close()
  }
  try {
    const res = await fetch(`${endpoint}/_aws/identity/${kind === 'pool' ? 'pools' : 'issuers'}/${encodeURIComponent(name)}/tokens`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: JSON.stringify({
        claims,
        ...(options.scopes?.length ? {scopes: options.scopes} : {}),
        expiresInSeconds: Math.floor(expiresMs / 1000),
        ...(options.tokenUse ? {tokenUse: options.tokenUse} : {}),
      }),
      signal: AbortSignal.timeout(30_000),
    })
    const body = (await res.json()) as Record<string, unknown>
    if (!res.ok) {
      throw new CliError('USAGE', `The emulator refused to mint the token: ${String(body.message)}`, {
        hint: 'Check --claim, --scope and --expires, then run the command again.',
      })
    }
    return {
      token: String(body.token),
      kind,
      name,
      issuer: String(body.issuer),
      expiresAt: String(body.expiresAt),
      ...(body.tokenUse ? {tokenUse: body.tokenUse as 'id' | 'access'} : {}),
      jwksUrl: String(body.jwksUrl),
      endpoint,
    }
  } finally {
    await stop?.()
  }
}

const UNITS: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000}

/** `30s`, `15m`, `1h`, `7d` (or `0`: already expired) as milliseconds. */
function tokenLifetime(text: string): number {
  const m = /^(\d+)([smhd])?$/.exec(text.trim())
  if (!m || (m[2] === undefined && m[1] !== '0')) {
    throw new CliError('USAGE', `--expires ${text} is not a duration.`, {
      hint: 'Write it as a number and a unit: 30s, 15m, 1h or 7d (0: already expired).',
    })
  }
  return Number(m[1]) * (m[2] ? UNITS[m[2]]! : 0)
}
