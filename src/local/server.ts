/**
 * The embedded emulator: one node:http server on loopback serving API Gateway v1 (restJson1), v2
 * (restJson1 under /v2) and CloudWatch Logs (awsJson1_1, `X-Amz-Target: Logs_20140328.*`), told apart as
 * AWS does. Every operation runs in one store transaction. Deployed REST stages (the data plane) are dispatched
 * first, by Host (`{apiId}.execute-api.localhost`) or by the `/_aws/execute-api/` prefix, so control-plane
 * routes never shadow them and the other way round.
 */
import {randomBytes, randomUUID} from 'node:crypto'
import {existsSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import type {Duplex} from 'node:stream'
import {join} from 'node:path'
import {createFunctionHost, createStoreLogSink, type FunctionDefinition, type LocalFunctionHost} from './data-plane/functions/index.ts'
import {AwsError} from './protocol/aws-error.ts'
import {checkControlPlaneRequest} from './protocol/boundary.ts'
import {MAX_BODY_BYTES, readBody} from './protocol/body.ts'
import {parseJson, type Protocol, writeError, writeJson, writeResult} from './protocol/json.ts'
import {checkV1MemberTypes} from './protocol/member-types.ts'
import {createDataPlane, type DataPlane, DEFAULT_DATA_PLANE_CREDENTIALS} from './data-plane/gateway.ts'
import {handlerCredentialEnvironment} from './data-plane/functions/credentials.ts'
import {isIdentityRequest, serveIdentity} from './identity/http.ts'
import {cloudWatchWire, serveCloudWatch} from './cloudwatch/protocol.ts'
import {serveSts, stsRequest} from './sts/sts.ts'
import {IdentityProvider} from './identity/provider.ts'
import type {KnownCredential} from './protocol/sigv4.ts'
import {dataPlaneTarget} from './data-plane/address.ts'
import {createDomainResolver} from './data-plane/custom-domains.ts'
import type {FunctionHost} from './data-plane/context.ts'
import {logsOperations, v1Router, v2Router} from './routes.ts'
import {canCreateStateDir, removeServerMarker, STATE_FILE, type ServerMarker, writeServerMarker} from './store/state-dir.ts'
import {openStore, type Store} from './store/store.ts'
import {DEFAULT_REGION, LOCAL_ACCOUNT_ID, type OperationContext, type OperationRequest} from './types.ts'

export {MAX_BODY_BYTES}

export type EmulatorOptions = {
  port?: number
  host?: string
  /** The state directory, or ':memory:'. */
  dataDir: string
  /** Write `server.json` into the state directory so CLI processes attach (apigw local start). */
  advertise?: boolean
  /**
   * Create the state only when the first operation needs it (the in-process emulator of a CLI command), so a
   * command that fails before calling AWS leaves nothing on disk. An existing state is still opened at once.
   */
  lazyState?: boolean
  region?: string
  now?: () => Date
  newId?: (length?: number) => string
  /** The canary draw for the data plane (0 ≤ n < 1); injected so tests can pin a side. */
  random?: () => number
  /** Runs the Lambda functions integrations name (functions/index.ts); without one they answer 501. */
  functionHost?: FunctionHost
  /** Cap on every data-plane integration's time in ms (AWS: 29 s). */
  maxIntegrationTimeoutMs?: number
  /** apigw.yaml's `functions:`: Lambda functions run locally (handler and command paths relative to `functionsDir`). */
  functions?: Record<string, FunctionDefinition> | undefined
  /** The directory of apigw.yaml (default: the working directory). */
  functionsDir?: string | undefined
  /** The Lambda Invoke API for functions not defined locally (--lambda-endpoint). */
  lambdaEndpoint?: string | undefined
  /** Access keys the data plane's AWS_IAM methods accept (`local start --credentials`; default `test`/`test`). */
  credentials?: readonly KnownCredential[] | undefined
  /** Cognito pools whose tokens verify against a real JWKS URL instead of a local key (pool id → URL). */
  remoteJwks?: Record<string, string> | undefined
  /** Called with every request handled (for `apigw local start` and `apigw dev` logs). */
  onRequest?: (event: RequestEvent) => void
}

/** One request the emulator answered; `stage` is set for the data plane (a deployed stage's traffic). */
export type RequestEvent = {
  method: string
  path: string
  operation: string
  status: number
  ms: number
  /** Data plane only: the API, the stage and the path after it (with the query string). */
  stage?: {apiId: string; stageName: string | undefined; path: string}
}

export type Emulator = {
  url: string
  port: number
  host: string
  store: Store
  server: Server
  /** The data plane serving deployed stages on the same port. */
  dataPlane: DataPlane
  /** Runs Lambda functions for the data plane's Lambda integrations and authorizers. */
  functions: LocalFunctionHost
  /** The local identity provider (src/local/identity): signing keys per pool and issuer, token verification. */
  identity: IdentityProvider
  close(): Promise<void>
}

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** Random ids from [a-z0-9], as AWS's API ids look. */
export function randomId(length = 10): string {
  const bytes = randomBytes(length)
  let id = ''
  for (let i = 0; i < length; i++) id += ID_ALPHABET[bytes[i]! % ID_ALPHABET.length]
  return id
}

/**
 * Start the emulator. Rejects with an Error whose `code` is EADDRINUSE when the port is taken, and with a
 * StoreError when the state directory cannot be used (nothing keeps running then).
 */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const onDisk = options.dataDir !== ':memory:'
  let opened: Store | undefined
  const store = (): Store => {
    opened ??= openStore(options.dataDir)
    return opened
  }
  if (options.lazyState && onDisk && !existsSync(join(options.dataDir, STATE_FILE))) canCreateStateDir(options.dataDir)
  else store()
  const host = options.host ?? '127.0.0.1'
  const now = options.now ?? (() => new Date())
  const newId = options.newId ?? randomId
  const defaultRegion = options.region ?? DEFAULT_REGION
  const base = {store, now, newId, defaultRegion}
  // Functions and the data plane open the state (and create it) on first use, as the control plane does.
  let functionsOpened: LocalFunctionHost | undefined
  let functionLogs: ReturnType<typeof createStoreLogSink> | undefined
  const functions = (): LocalFunctionHost => {
    functionLogs ??= createStoreLogSink({store: store(), region: defaultRegion, accountId: LOCAL_ACCOUNT_ID, now})
    functionsOpened ??= createFunctionHost({
      functions: options.functions,
      baseDir: options.functionsDir ?? process.cwd(),
      lambdaEndpoint: options.lambdaEndpoint,
      region: defaultRegion,
      accountId: LOCAL_ACCOUNT_ID,
      now,
      logs: functionLogs,
      // Handlers reach the @connections API of WebSocket APIs at this address (functions start after listen), signing
      // with the emulator's own key pair when its environment passes them none (websocket/plane.ts accepts both).
      environment: () => ({
        APIGW_LOCAL_ENDPOINT: url,
        ...handlerCredentialEnvironment(options.credentials ?? DEFAULT_DATA_PLANE_CREDENTIALS),
      }),
    })
    return functionsOpened
  }
  let identityOpened: IdentityProvider | undefined
  const identity = (): IdentityProvider => {
    identityOpened ??= new IdentityProvider({store: store(), now, region: defaultRegion, remoteJwks: options.remoteJwks})
    return identityOpened
  }
  let dataPlaneOpened: DataPlane | undefined
  const dataPlane = (): DataPlane => {
    dataPlaneOpened ??= createDataPlane({
      store: store(),
      now,
      region: defaultRegion,
      random: options.random ?? Math.random,
      functions: options.functionHost ?? functions(),
      credentials: options.credentials,
      identity: identity(),
      ...(options.maxIntegrationTimeoutMs ? {maxIntegrationTimeoutMs: options.maxIntegrationTimeoutMs} : {}),
    })
    return dataPlaneOpened
  }
  const withDataPlane: Base = {...base, dataPlane}
  // Custom domain names: a mapped Host or /_aws/domain/{name}/… reaches the mapped API and stage (address.ts).
  const domains = createDomainResolver(store)
  let url = ''
  const server = createServer({keepAliveTimeout: 5000}, (req, res) => {
    const started = performance.now()
    const target = dataPlaneTarget(req, domains)
    const served = target
      ? dataPlane().serve(req, res, target)
      : req.url === '/_apigw/websocket/connections' && req.method === 'GET'
        ? Promise.resolve(writeJson(res, 200, {connections: dataPlane().websocket.connections()}, randomUUID())).then(
            () => 'ListConnections',
          )
        : isIdentityRequest(req.url ?? '')
          ? serveIdentity(req, res, identity())
          : handle(req, res, withDataPlane)
    served
      .then((operation) =>
        options.onRequest?.({
          method: req.method ?? '',
          path: req.url ?? '',
          operation,
          status: res.statusCode,
          ms: performance.now() - started,
          ...(target
            ? {
                stage: {
                  apiId: target.apiId,
                  stageName: target.stageName,
                  path: target.path + (target.rawQuery ? `?${target.rawQuery}` : ''),
                },
              }
            : {}),
        }),
      )
      .catch((error) => {
        if (!res.headersSent)
          writeError(res, new AwsError('InternalFailure', `Internal error: ${(error as Error).message}`, 500), 'rest', randomUUID())
        else res.destroy()
      })
  })
  // WebSocket APIs: an upgrade to a data-plane address goes to the WebSocket plane; anything else is refused.
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = dataPlaneTarget(req, domains)
    if (!target || target.forbidden) {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')
      return
    }
    dataPlane()
      .websocket.upgrade(req, socket, head, target)
      .catch(() => socket.destroy())
  })
  server.headersTimeout = 30_000
  server.requestTimeout = 120_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => {
      opened?.close()
      reject(error)
    })
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  let advertised = false
  let closed: Promise<void> | undefined
  const close = (): Promise<void> => {
    closed ??= (async () => {
      if (advertised) removeServerMarker(options.dataDir)
      // Functions first: their last log lines are written to the store before it closes.
      await functionsOpened?.close().catch(() => undefined)
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await dataPlaneOpened?.close().catch(() => undefined)
      // The log writer thread's last transaction is committed before the store closes.
      await functionLogs?.close().catch(() => undefined)
      opened?.close()
    })()
    return closed
  }
  if (options.advertise && onDisk) {
    const marker: ServerMarker = {pid: process.pid, host, port, startedAt: new Date().toISOString()}
    try {
      writeServerMarker(options.dataDir, marker)
      advertised = true
    } catch (error) {
      // A server CLI processes cannot find must not keep serving: `local status` would call it "not running".
      await close()
      throw error
    }
  }
  return {
    url,
    port,
    host,
    get store() {
      return store()
    },
    get functions() {
      return functions()
    },
    get dataPlane() {
      return dataPlane()
    },
    get identity() {
      return identity()
    },
    server,
    close,
  }
}

type Base = {store: () => Store; now: () => Date; newId: (length?: number) => string; defaultRegion: string; dataPlane?: () => DataPlane}

async function handle(req: IncomingMessage, res: ServerResponse, base: Base): Promise<string> {
  const requestId = randomUUID()
  const target = header(req, 'x-amz-target')
  const protocol: Protocol = target ? 'json' : 'rest'
  let operation = 'Unknown'
  try {
    const url = requestUrl(req.url ?? '/')
    // The control plane's boundary: SigV4 material, a loopback Host, no CORS preflight (protocol/boundary.ts).
    const refused = checkControlPlaneRequest(req, url, protocol === 'json')
    if (refused) {
      operation = 'Refused'
      throw refused
    }
    const rawBody = await readBody(req)
    if (url.pathname === '/_apigw/health') {
      operation = 'Health'
      writeJson(res, 200, {ok: true, pid: process.pid}, requestId)
      return operation
    }
    // STS (GetCallerIdentity) by its SigV4 scope or its Version, before CloudWatch's awsQuery form (sts/sts.ts).
    const sts = stsRequest(req, url, rawBody)
    if (sts) return serveSts(sts, req, url, res, LOCAL_ACCOUNT_ID, requestId)
    const store = base.store()
    const ctx: OperationContext = {
      store,
      now: base.now,
      newId: base.newId,
      region: regionOf(req) ?? base.defaultRegion,
      accountId: LOCAL_ACCOUNT_ID,
      requestId,
    }
    // TestInvokeMethod finds the data plane by the store (data-plane/gateway.ts dataPlaneOf): open it with the state.
    const plane = base.dataPlane?.()
    // CloudWatch (metrics and alarms): JSON 1.0 by X-Amz-Target, or awsQuery by its form (cloudwatch/protocol.ts).
    const cloudWatch = plane ? cloudWatchWire(req, url.pathname) : undefined
    if (cloudWatch && plane) return await serveCloudWatch(cloudWatch, req, rawBody, res, {...ctx, metrics: plane.metrics}, requestId)
    if (target) {
      operation = target.replace(/^Logs_20140328\./, '')
      const op = target.startsWith('Logs_20140328.') && Object.hasOwn(logsOperations, operation) ? logsOperations[operation] : undefined
      if (!op) throw new AwsError('UnknownOperationException', `Unknown operation ${target}`, 400)
      const input = parseJson(rawBody)
      const readOnly = /^(Describe|Get|Filter|List)/.test(operation)
      const output = await (readOnly ? store.read(() => op(input, ctx)) : store.transaction(() => op(input, ctx)))
      writeJson(res, 200, output ?? {}, requestId, 'application/x-amz-json-1.1')
      return operation
    }
    const segments = url.pathname
      .split('/')
      .filter((s, i, all) => s !== '' || i === all.length - 1)
      .filter(Boolean)
    const isV2 = segments[0] === 'v2'
    const router = isV2 ? v2Router : v1Router
    const method = (req.method ?? 'GET').toUpperCase()
    const {match, methodMismatch} = router.match(method, segments, url.searchParams)
    if (!match) {
      throw new AwsError(
        'UnknownOperationException',
        methodMismatch ? `Method ${method} is not allowed on ${url.pathname}` : `No operation matches ${method} ${url.pathname}`,
        404,
      )
    }
    operation = match.def.operation
    const handler = match.def.handler
    if (!handler) {
      throw new AwsError(
        'NotImplementedException',
        `The operation ${operation} is not supported by the apigw local emulator yet (see LIMITATIONS.md).`,
        501,
      )
    }
    const query: Record<string, string> = {}
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v
    const headers: Record<string, string | undefined> = {}
    for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v
    let parsed: Record<string, unknown> | undefined
    const request: OperationRequest = {
      method,
      path: url.pathname,
      params: match.params,
      query,
      queryAll: url.searchParams,
      headers,
      rawBody,
      json: () => {
        if (parsed === undefined) {
          parsed = parseJson(rawBody)
          if (!isV2) checkV1MemberTypes(parsed)
        }
        return parsed
      },
    }
    const readOnly = method === 'GET' || method === 'HEAD'
    const result = await (match.def.outsideTransaction
      ? handler(request, ctx)
      : readOnly
        ? store.read(() => handler(request, ctx))
        : store.transaction(() => handler(request, ctx)))
    writeResult(res, result, requestId)
    return operation
  } catch (error) {
    const aws = error instanceof AwsError ? error : new AwsError('InternalFailure', `Internal error: ${(error as Error).message}`, 500)
    if (!(error instanceof AwsError) && process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`)
    writeError(res, aws, protocol, requestId)
    return operation
  }
}

/** The request target as a URL: origin-form (`//x` is a path, not a host), or absolute-form; anything else a 400. */
function requestUrl(target: string): URL {
  try {
    return new URL(target.startsWith('/') ? `http://localhost${target}` : target)
  } catch {
    throw new AwsError('BadRequestException', 'Invalid request target', 400)
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

/** The region from the SigV4 credential scope: `Credential=AKID/20240101/<region>/<service>/aws4_request`. */
function regionOf(req: IncomingMessage): string | undefined {
  const auth = header(req, 'authorization')
  const m = auth ? /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(auth) : null
  return m?.[1]
}
