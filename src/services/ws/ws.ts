/**
 * `apigw ws`: a terminal on a WebSocket API stage (lines in become text frames, frames out become lines),
 * `apigw ws post` (the @connections API) and `apigw ws connections` (the emulator's open connections).
 * The stage's address comes from the deployed API (found by its apigw tag): the emulator's path-style
 * address with --local, `wss://{apiId}.execute-api.{region}.amazonaws.com/{stage}` on AWS.
 */
import {createInterface} from 'node:readline'
import type {Readable} from 'node:stream'
import WebSocket from 'ws'
import {CliError} from '../../errors.ts'
import {findApi, type LifecycleDeps, portsFor, resolveRegion} from '../lifecycle/find-api.ts'
import {loadProject, selectAnyApi, selectStage} from '../project.ts'

/** How long the stage must stay silent after stdin ends before the session closes. */
const QUIET_MS = 1500

export type WsTargetOptions = {cwd: string; configPath?: string | undefined; api?: string | undefined; stage: string}

export type WsTarget = {
  api: string
  apiId: string
  stage: string
  /** The Region signing and AWS's URLs use (the emulator: its region, us-east-1 by default). */
  region: string
  url: string
  local: boolean
  /** The emulator's origin (--local). */
  endpoint?: string | undefined
  /** How apigw.yaml authorizes $connect: where a --token goes (the authorizer's first identity source), and AWS_IAM. */
  connect: {authorizationType: 'NONE' | 'CUSTOM' | 'AWS_IAM'; identitySource?: string | undefined}
}

/** The ws:// or wss:// address of a deployed WebSocket stage. */
export async function resolveWsTarget(options: WsTargetOptions, deps: LifecycleDeps): Promise<WsTarget> {
  const project = await loadProject({cwd: options.cwd, configPath: options.configPath})
  const selected = selectAnyApi(project!, options.api)
  if (selected.api.type !== 'websocket')
    throw new CliError(
      'USAGE',
      `API "${selected.name}" is ${selected.api.type === 'rest' ? 'a REST' : 'an HTTP'} API, not a WebSocket API.`,
      {
        hint: 'Name a `type: websocket` API of apigw.yaml; call REST and HTTP stages with `apigw invoke`.',
      },
    )
  selectStage(selected, options.stage)
  const connectRoute = selected.api.routes.$connect
  const authorizer = connectRoute?.authorizer ? selected.api.authorizers?.[connectRoute.authorizer] : undefined
  const connect: WsTarget['connect'] = {
    authorizationType: connectRoute?.authorizer ? 'CUSTOM' : (connectRoute?.authorizationType ?? 'NONE'),
    identitySource: authorizer?.identitySource?.[0],
  }
  const ports = portsFor(deps)
  const found = await findApi(ports, 'http', selected.name)
  const where = deps.aws.local ? ' --local' : ''
  if (!found)
    throw new CliError('AWS_NOT_FOUND', `The WebSocket API ${selected.name} is not deployed.`, {
      hint: `Deploy it first: \`apigw deploy ${selected.name} --stage ${options.stage}${where}\`.`,
    })
  const stage = await ports.v2.getStage(found.id, options.stage)
  if (!stage?.DeploymentId)
    throw new CliError('AWS_NOT_FOUND', `Stage ${options.stage} of the WebSocket API ${selected.name} is not deployed.`, {
      hint: `Deploy it first: \`apigw deploy ${selected.name} --stage ${options.stage}${where}\`.`,
    })
  if (deps.aws.local) {
    const endpoint = deps.aws.options.endpoint ?? 'http://127.0.0.1:4567'
    const u = new URL(endpoint)
    return {
      api: selected.name,
      apiId: found.id,
      stage: options.stage,
      region: deps.aws.options.region ?? 'us-east-1',
      local: true,
      endpoint: u.origin,
      connect,
      url: `ws://${u.host}/_aws/execute-api/${found.id}/${encodeURIComponent(options.stage)}`,
    }
  }
  const region = await resolveRegion(deps, ports)
  return {
    api: selected.name,
    apiId: found.id,
    stage: options.stage,
    region,
    local: false,
    connect,
    url: `wss://${found.id}.execute-api.${region}.amazonaws.com/${encodeURIComponent(options.stage)}`,
  }
}

export type WsSessionOptions = {
  url: string
  headers?: string[] | undefined
  query?: string[] | undefined
  /** Added to the handshake after -H and --query (a token, a SigV4 signature): never printed. */
  auth?: WsAuth | undefined
  input: Readable
  /** Called with each frame received (text, or base64 for binary) and each event. */
  onEvent: (event: WsEvent) => void
}

export type WsEvent =
  | {type: 'open'; url: string}
  | {type: 'message'; data: string; binary: boolean; at: string}
  | {type: 'sent'; data: string; at: string}
  | {type: 'close'; code: number; reason: string}

export type WsSessionResult = {url: string; sent: number; received: number; closeCode: number; closeReason: string}

/** Connect, send each input line as a text frame, report each frame; ends when the server closes or input ends. */
export async function runWsSession(options: WsSessionOptions): Promise<WsSessionResult> {
  const url = new URL(options.url)
  for (const q of options.query ?? []) {
    const eq = q.indexOf('=')
    if (eq <= 0) throw new CliError('USAGE', `--query ${q} is not NAME=VALUE.`, {hint: 'Pass --query token=abc (repeat for more).'})
    url.searchParams.append(q.slice(0, eq), q.slice(eq + 1))
  }
  const headers: Record<string, string> = {}
  for (const h of options.headers ?? []) {
    const colon = h.indexOf(':')
    if (colon <= 0)
      throw new CliError('USAGE', `-H ${h} is not "Name: value".`, {hint: 'Pass -H "Authorization: Bearer abc" (repeat for more).'})
    headers[h.slice(0, colon).trim()] = h.slice(colon + 1).trim()
  }
  if (options.auth?.token) {
    const t = options.auth.token
    if (t.in === 'header') headers[t.name] = t.value
    else url.searchParams.set(t.name, t.value)
  }
  if (options.auth?.sign) {
    const signed = await options.auth.sign(url.toString(), Object.entries(headers))
    for (const k of Object.keys(headers)) delete headers[k]
    for (const [k, v] of signed) headers[k] = v
  }
  const ws = new WebSocket(url, {headers})
  let sent = 0
  let received = 0
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('unexpected-response', (_req, res) => {
      res.resume()
      const status = res.statusCode ?? 0
      reject(
        new CliError(
          'WS_REFUSED',
          `The stage refused the connection: HTTP ${status}` +
            `${status === 401 || status === 403 ? ' (the $connect authorizer or route said no)' : ''}.`,
          {
            hint:
              status === 401
                ? 'Pass the identity source the authorizer reads: --query NAME=VALUE or -H "Name: value".'
                : 'Check the $connect route and its authorizer (`apigw logs`), then try again.',
          },
        ),
      )
    })
    ws.once('error', (error) =>
      reject(
        new CliError('WS_REFUSED', `Cannot connect to ${url.origin}${url.pathname}: ${error.message}.`, {
          hint: 'Start the emulator (`apigw local start`) or check --stage and --region.',
          cause: error,
        }),
      ),
    )
  })
  options.onEvent({type: 'open', url: `${url.origin}${url.pathname}`})
  ws.on('message', (data, binary) => {
    received++
    const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)
    options.onEvent({type: 'message', data: binary ? buf.toString('base64') : buf.toString('utf8'), binary, at: new Date().toISOString()})
  })
  const lines = createInterface({input: options.input, crlfDelay: Number.POSITIVE_INFINITY})
  const closed = new Promise<{code: number; reason: string}>((resolve) =>
    ws.on('close', (code, reason) => resolve({code, reason: reason.toString()})),
  )
  lines.on('line', (line) => {
    if (line === '' || ws.readyState !== WebSocket.OPEN) return
    ws.send(line)
    sent++
    options.onEvent({type: 'sent', data: line, at: new Date().toISOString()})
  })
  // Input ended: close normally once the stage has been quiet for a moment (answers to the last lines arrive).
  let quiet: NodeJS.Timeout | undefined
  let inputEnded = false
  const closeWhenQuiet = () => {
    if (!inputEnded) return
    if (quiet) clearTimeout(quiet)
    quiet = setTimeout(() => ws.close(1000, 'Bye'), QUIET_MS)
  }
  ws.on('message', closeWhenQuiet)
  lines.on('close', () => {
    inputEnded = true
    closeWhenQuiet()
  })
  const end = await closed
  if (quiet) clearTimeout(quiet)
  lines.close()
  options.onEvent({type: 'close', code: end.code, reason: end.reason})
  return {url: `${url.origin}${url.pathname}`, sent, received, closeCode: end.code, closeReason: end.reason}
}

/** What authorizes the handshake: a token where the $connect authorizer reads it, and/or a SigV4 signer. */
export type WsAuth = {
  token?: {in: 'header' | 'query'; name: string; value: string} | undefined
  sign?: ((url: string, headers: Array<[string, string]>) => Promise<Array<[string, string]>>) | undefined
}

/**
 * The handshake's credentials: `--token` goes where the $connect authorizer's identity source reads it
 * (`route.request.querystring.NAME` → ?NAME=token; `route.request.header.NAME` or none → that header, default
 * Authorization); SigV4 (execute-api) with `--sign`, or when apigw.yaml gives $connect `authorizationType: AWS_IAM`.
 */
export async function handshakeAuth(
  target: WsTarget,
  options: {token?: string | undefined; sign?: boolean | undefined; headers?: string[] | undefined},
  deps: LifecycleDeps,
): Promise<WsAuth | undefined> {
  const auth: WsAuth = {}
  if (options.token !== undefined) {
    const token = options.token.trim()
    if (token === '') throw new CliError('USAGE', '--token is empty.', {hint: 'Pass the token the $connect authorizer checks.'})
    if (/[\r\n\0]/.test(token))
      throw new CliError('USAGE', '--token holds more than one line (or a control character); a handshake cannot carry it.', {
        hint: 'Pass the token alone, e.g. --token "$(cat token.txt)".',
      })
    const m = /^route\.request\.(header|querystring)\.(.+)$/.exec(target.connect.identitySource ?? '')
    auth.token =
      m?.[1] === 'querystring' ? {in: 'query', name: m[2]!, value: token} : {in: 'header', name: m?.[2] ?? 'Authorization', value: token}
  }
  const sign = options.sign ?? target.connect.authorizationType === 'AWS_IAM'
  if (sign) {
    const authorization = (options.headers ?? []).some((h) => h.split(':')[0]!.trim().toLowerCase() === 'authorization')
    if (authorization || auth.token?.name.toLowerCase() === 'authorization')
      throw new CliError('USAGE', 'SigV4 writes the Authorization header itself; it cannot go with a token or -H Authorization there.', {
        hint: 'Drop --token (or -H Authorization), or pass --no-sign for a $connect that is not AWS_IAM.',
      })
    const {signExecuteApi, signingCredentials} = await import('../../aws/sigv4.ts')
    const credentials = await signingCredentials(deps.aws)
    const region = deps.aws.local ? (deps.aws.options.region ?? 'us-east-1') : await resolveRegion(deps, portsFor(deps))
    auth.sign = (url, headers) => signExecuteApi({method: 'GET', url, headers, region, credentials})
  }
  return auth.token || auth.sign ? auth : undefined
}

export type WsConnection = {
  connectionId: string
  apiId: string
  stage: string
  connectedAt: string
  lastActiveAt: string
  identity: {sourceIp: string; userAgent: string}
}

/** The emulator's open connections (local only: AWS has no list operation). */
export async function listConnections(endpoint: string | undefined, local: boolean): Promise<WsConnection[]> {
  if (!local || !endpoint)
    throw new CliError('NOT_SUPPORTED', 'Listing WebSocket connections works with --local only: AWS has no operation that lists them.', {
      hint: 'Pass --local (the emulator), or keep connection ids in your own table on AWS.',
    })
  const res = await fetch(`${endpoint}/_apigw/websocket/connections`)
  if (!res.ok)
    throw new CliError('LOCAL_NOT_RUNNING', `The emulator at ${endpoint} answered ${res.status} for its connection list.`, {
      hint: 'Restart `apigw local start`.',
    })
  return ((await res.json()) as {connections: WsConnection[]}).connections
}

/**
 * Send data to a connection through the stage's @connections API: PostToConnection of the management API's SDK
 * client, SigV4-signed, at AWS's stage URL or the emulator's (signed with the pair `invoke --sign --local` uses).
 */
export async function postToConnection(
  target: WsTarget,
  connectionId: string,
  data: string,
  deps: LifecycleDeps,
): Promise<{connectionId: string; bytes: number}> {
  if (connectionId === '')
    throw new CliError('USAGE', 'The connection id is empty.', {
      hint: target.local
        ? 'List open connections: `apigw ws connections --local`.'
        : 'Pass the id your $connect handler saw (requestContext.connectionId).',
    })
  const {createConnectionsPort, managementEndpoint} = await import('../../aws/connections.ts')
  const {signingCredentials} = await import('../../aws/sigv4.ts')
  const port = createConnectionsPort(deps.aws, {
    endpoint: managementEndpoint({apiId: target.apiId, stage: target.stage, region: target.region, localOrigin: target.endpoint}),
    apiId: target.apiId,
    stage: target.stage,
    region: target.region,
    local: target.local,
    credentials: target.local ? await signingCredentials(deps.aws) : undefined,
  })
  await port.postToConnection(connectionId, data)
  return {connectionId, bytes: Buffer.byteLength(data)}
}
