/**
 * The WebSocket API data plane: `ws://{apiId}.execute-api.localhost:{port}/{stage}` and
 * `ws://127.0.0.1:{port}/_aws/execute-api/{apiId}/{stage}`. The handshake runs $connect (its REQUEST
 * authorizer, then its integration: anything but 2xx refuses the upgrade); each message is routed by the API's
 * route selection expression (no match: $default, else AWS's `Forbidden` frame); `$disconnect` runs after the
 * close. The @connections management API (POST/GET/DELETE) and the 426 for plain HTTP are served here too.
 * The protocol itself is the `ws` library's. Limits (128 KB messages, 10 min idle, 2 h) run on the injected
 * clock: `sweep()` closes what is over them (a timer calls it; tests call it after moving the clock).
 */
import {randomUUID} from 'node:crypto'
import {createHash} from 'node:crypto'
import {isUtf8} from 'node:buffer'
import {type IncomingMessage, type ServerResponse, STATUS_CODES} from 'node:http'
import type {Duplex} from 'node:stream'
import {WebSocket, WebSocketServer} from 'ws'
import {childId, KIND} from '../../control-plane/model.ts'
import type {ApiDoc, AuthorizerDoc, DeploymentDoc, Snapshot, StageDoc} from '../../control-plane/v2/common.ts'
import {evaluateSelection, parseSelectionExpression, type ExpressionPart} from '../../../core/websocket/expressions.ts'
import {isTooLarge, readBody} from '../../protocol/body.ts'
import {type KnownCredential, type SigV4Outcome, verifyRepeat, verifySigV4} from '../../protocol/sigv4.ts'
import type {DataPlaneTarget} from '../address.ts'
import {evaluatePolicy} from '../auth/policy.ts'
import {parseAnswer} from '../auth/lambda-authorizer.ts'
import type {DataPlaneDeps} from '../context.ts'
import {logGroupOfArn, renderAccessLog} from '../handlers/access-log.ts'
import type {LogWriter} from '../log-writer.ts'
import {type ConnectionInfo, type EventInput, type EventType, newConnectionId, requestContextOf} from './events.ts'
import {type CompiledRoute, type IntegrationResponseDoc, IntegrationFailure, runIntegration} from './integration.ts'
import {recordWebSocketEvent} from '../metrics.ts'
import {handlerKeyPairs} from '../functions/credentials.ts'
import {withStageVariables} from '../stage-variables.ts'

/**
 * AWS's WebSocket limits (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html): a frame over
 * 32 KB or a message over 128 KB closes the connection with 1009.
 */
export const WEBSOCKET_LIMITS = {messageBytes: 128 * 1024, frameBytes: 32 * 1024, idleMs: 10 * 60_000, connectionMs: 2 * 3600_000}

export type ConnectionView = {
  connectionId: string
  apiId: string
  stage: string
  connectedAt: string
  lastActiveAt: string
  identity: {sourceIp: string; userAgent: string}
}

export type WebSocketPlane = {
  /** Whether an API id names a WebSocket API (served here). */
  handles(apiId: string): boolean
  /** Plain HTTP to a WebSocket API: the @connections API, else 426. */
  serve(req: IncomingMessage, res: ServerResponse, target: DataPlaneTarget): Promise<string>
  /** An upgrade request to a WebSocket API's stage. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: DataPlaneTarget): Promise<void>
  /** The open connections (`apigw ws connections`). */
  connections(): ConnectionView[]
  /** Close the connections over the idle or lifetime limit, by the injected clock. */
  sweep(): void
  /** Resolves when every $disconnect started so far has run. */
  settled(): Promise<void>
  close(): Promise<void>
}

type Compiled = {
  api: ApiDoc
  stage: StageDoc
  selection: ExpressionPart[] | undefined
  routes: Map<string, CompiledRoute>
  /**
   * Whether a message's route depends on its content: only with a route besides $connect, $disconnect and $default.
   * With $default and no such route every message goes to $default, so its body is not parsed to select one.
   */
  selects: boolean
}

type Connection = {
  info: ConnectionInfo
  ws: WebSocket
  compiled: Compiled
  lastActiveAt: number
  closing: boolean
}

export type WebSocketPlaneOptions = {deps: DataPlaneDeps; writer: LogWriter; sweepEveryMs?: number}

const processSalt = `${process.pid}-${Date.now()}`

export function createWebSocketPlane(options: WebSocketPlaneOptions): WebSocketPlane {
  const {deps, writer} = options
  const wss = new WebSocketServer({noServer: true, maxPayload: WEBSOCKET_LIMITS.messageBytes, perMessageDeflate: false})
  const open = new Map<string, Connection>()
  // Messages and $disconnects still running, and who waits for there to be none (settled, close).
  let running = 0
  let waiters: Array<() => void> = []
  const known = new Map<string, boolean>()
  const timer = setInterval(() => sweep(), options.sweepEveryMs ?? 5000)
  timer.unref()

  function handles(apiId: string): boolean {
    const cached = known.get(apiId)
    if (cached !== undefined) return cached
    const api = deps.store.get<ApiDoc>(KIND.v2Api, apiId)
    if (api) known.set(apiId, api.protocolType === 'WEBSOCKET')
    else if (deps.store.get(KIND.restApi, apiId)) known.set(apiId, false)
    return api?.protocolType === 'WEBSOCKET'
  }

  function compile(apiId: string, stageName: string | undefined): Compiled | undefined {
    if (!stageName) return undefined
    const api = deps.store.get<ApiDoc>(KIND.v2Api, apiId)
    const stage = deps.store.get<StageDoc>(KIND.v2Stage, childId(apiId, stageName))
    if (!api || !stage?.deploymentId) return undefined
    const deployment = deps.store.get<DeploymentDoc>(KIND.v2Deployment, childId(apiId, stage.deploymentId))
    if (!deployment) return undefined
    const snapshot: Snapshot = deployment._snapshot
    const parsed = parseSelectionExpression(api.routeSelectionExpression)
    const routes = new Map<string, CompiledRoute>()
    for (const route of snapshot.routes) {
      const integrationId = route.target?.replace(/^integrations\//, '')
      const integration = snapshot.integrations.find((i) => i.integrationId === integrationId)
      routes.set(route.routeKey, {
        route,
        integration,
        authorizer: snapshot.authorizers.find((a) => a.authorizerId === route.authorizerId),
        integrationResponses: (snapshot.integrationResponses ?? []).filter(
          (r) => r.integrationId === integrationId,
        ) as unknown as IntegrationResponseDoc[],
      })
    }
    const selects = !routes.has('$default') || [...routes.keys()].some((k) => !['$connect', '$disconnect', '$default'].includes(k))
    return {api, stage, selection: parsed.ok ? parsed.parts : undefined, routes, selects}
  }

  const accessLogStreams = new Map<string, string>()
  /** The access log stream of a stage: the same for the life of this process (hashed once, not per event). */
  function accessLogStream(apiId: string, stage: string): string {
    const key = `${apiId}/${stage}`
    let stream = accessLogStreams.get(key)
    if (stream === undefined) {
      stream = createHash('md5').update(`${key}/${processSalt}`).digest('hex')
      accessLogStreams.set(key, stream)
    }
    return stream
  }

  function accessLog(compiled: Compiled, input: EventInput, status: number, error?: string): void {
    const {conn, routeKey, eventType} = input
    const event = {apiId: conn.apiId, stageName: conn.stage, routeKey, eventType, stage: compiled.stage}
    const at = deps.now().getTime()
    recordWebSocketEvent(deps.metrics, event, status, error, at)
    const settings = compiled.stage.accessLogSettings
    if (!settings?.destinationArn || !settings.format) return
    const group = logGroupOfArn(settings.destinationArn)
    if (!group) return
    const stream = accessLogStream(input.conn.apiId, input.conn.stage)
    const vars = {...requestContextOf(input), status, error: {message: error ?? null}, stageVariables: input.conn.stageVariables}
    writer.append(group, stream, renderAccessLog(settings.format, vars), at)
  }

  async function authorize(
    compiled: Compiled,
    authorizer: AuthorizerDoc,
    info: ConnectionInfo,
  ): Promise<{ok: true; context: Record<string, unknown>} | {ok: false; status: number; message: string}> {
    for (const source of authorizer.identitySource ?? []) {
      const m = /^route\.request\.(header|querystring)\.(.+)$/.exec(source)
      if (!m) continue
      const value = m[1] === 'header' ? info.headers[m[2]!.toLowerCase()] : info.query[m[2]!]
      if (value === undefined || value === '') return {ok: false, status: 401, message: 'Unauthorized'}
    }
    const methodArn = `arn:aws:execute-api:${deps.region}:${deps.accountId}:${info.apiId}/${info.stage}/$connect`
    const event = {
      type: 'REQUEST',
      methodArn,
      headers: info.headers,
      multiValueHeaders: info.multiValueHeaders,
      queryStringParameters: info.query,
      multiValueQueryStringParameters: info.multiValueQuery,
      stageVariables: info.stageVariables,
      requestContext: requestContextOf({conn: info, routeKey: '$connect', eventType: 'CONNECT', now: deps.now()}),
    }
    if (!deps.functions || !authorizer.authorizerUri) return {ok: false, status: 500, message: 'Internal server error'}
    try {
      const result = await deps.functions.invoke(
        withStageVariables(authorizer.authorizerUri, compiled.stage.stageVariables),
        Buffer.from(JSON.stringify(event)),
        {},
      )
      if (result.functionError) return {ok: false, status: 500, message: 'Internal server error'}
      const answer = parseAnswer(result.payload.toString('utf8'))
      if (typeof answer === 'string') return {ok: false, status: 500, message: 'Internal server error'}
      const decision = evaluatePolicy(answer.policyDocument, {action: 'execute-api:Invoke', resource: methodArn})
      if (decision !== 'allow') return {ok: false, status: 403, message: 'Forbidden'}
      return {ok: true, context: {...answer.context, principalId: answer.principalId}}
    } catch {
      return {ok: false, status: 500, message: 'Internal server error'}
    }
  }

  function refuse(socket: Duplex, status: number, message: string): void {
    const body = JSON.stringify({message})
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        `x-amzn-RequestId: ${randomUUID()}\r\nConnection: close\r\n\r\n${body}`,
    )
  }

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: DataPlaneTarget): Promise<void> {
    socket.on('error', () => socket.destroy())
    const compiled = handles(target.apiId) ? compile(target.apiId, target.stageName) : undefined
    if (!compiled || target.path !== '/') return refuse(socket, 403, 'Forbidden')
    const headers: Record<string, string> = {}
    const multiValueHeaders: Record<string, string[]> = {}
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!
      const value = req.rawHeaders[i + 1]!
      headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`
      multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value]
    }
    const query: Record<string, string> = {}
    const multiValueQuery: Record<string, string[]> = {}
    for (const [k, v] of new URLSearchParams(target.rawQuery)) {
      query[k] = v
      multiValueQuery[k] = [...(multiValueQuery[k] ?? []), v]
    }
    const lowerHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]))
    const info: ConnectionInfo = {
      connectionId: newConnectionId(),
      apiId: target.apiId,
      stage: compiled.stage.stageName,
      domainName: target.domainName,
      connectedAt: deps.now().getTime(),
      sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: lowerHeaders['user-agent'] ?? '',
      headers,
      multiValueHeaders,
      query,
      multiValueQuery,
      stageVariables: {...compiled.stage.stageVariables},
    }
    const connect = compiled.routes.get('$connect')
    const input: EventInput = {conn: info, routeKey: '$connect', eventType: 'CONNECT', now: deps.now(), requestId: randomUUID()}
    if (connect) {
      if (connect.route.authorizationType === 'AWS_IAM') {
        // The handshake is SigV4-signed for execute-api, its target as sent (AWS: the request to the stage URL).
        const pairs: Array<[string, string]> = []
        for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) pairs.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!])
        const outcome = await verifySigV4(
          {method: req.method ?? 'GET', target: req.url ?? '/', headers: pairs, body: new Uint8Array()},
          deps.credentials,
          deps.now(),
        )
        if (!outcome.ok) {
          const message = outcome.problem === 'missing' ? 'Forbidden' : outcome.message
          accessLog(compiled, input, 403, message)
          return refuse(socket, 403, message)
        }
        const c = outcome.credential
        const accountId = c.accountId ?? deps.accountId
        info.iam = {accessKey: c.accessKeyId, accountId, user: c.profile, userArn: `arn:aws:iam::${accountId}:user/${c.profile}`}
      }
      if (connect.authorizer && connect.route.authorizationType === 'CUSTOM') {
        const authorized = await authorize(compiled, connect.authorizer, {...info, headers: lowerHeaders})
        if (!authorized.ok) {
          accessLog(compiled, input, authorized.status, authorized.message)
          return refuse(socket, authorized.status, authorized.message)
        }
        info.authorizer = authorized.context
      }
      try {
        const answer = await runIntegration(connect, input, {functions: deps.functions, stageVariables: info.stageVariables})
        if (answer.statusCode < 200 || answer.statusCode > 299) {
          accessLog(compiled, input, answer.statusCode)
          return refuse(socket, answer.statusCode, STATUS_CODES[answer.statusCode] ?? 'Forbidden')
        }
      } catch (error) {
        accessLog(compiled, input, 500, (error as Error).message)
        return refuse(socket, 500, 'Internal server error')
      }
    }
    if (socket.destroyed) return
    wss.handleUpgrade(req, socket, head, (ws) => {
      limitFrames(ws, WEBSOCKET_LIMITS.frameBytes)
      const conn: Connection = {info, ws, compiled, lastActiveAt: deps.now().getTime(), closing: false}
      open.set(info.connectionId, conn)
      accessLog(compiled, input, 200)
      ws.on('message', (data, isBinary) => {
        const now = deps.now()
        conn.lastActiveAt = now.getTime()
        track(onMessage(conn, toBuffer(data), isBinary, now))
      })
      ws.on('error', () => undefined)
      ws.on('close', (code, reason) => {
        open.delete(info.connectionId)
        track(onDisconnect(conn, code, reason.toString('utf8')))
      })
    })
  }

  function track(p: Promise<unknown>): void {
    running++
    p.then(untrack, untrack)
  }

  function untrack(): void {
    if (--running > 0) return
    const woken = waiters
    waiters = []
    for (const wake of woken) wake()
  }

  /** Resolves once nothing is running (work started meanwhile is waited for too). */
  function idle(): Promise<void> {
    return running === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))
  }

  async function onMessage(conn: Connection, data: Buffer, isBinary: boolean, now: Date): Promise<void> {
    const {compiled} = conn
    const requestId = randomUUID()
    const text = isBinary ? undefined : data.toString('utf8')
    let routeKey: string | undefined
    if (text !== undefined && compiled.selection && compiled.selects) {
      try {
        routeKey = evaluateSelection(compiled.selection, JSON.parse(text))
      } catch {
        routeKey = undefined
      }
    }
    let route = routeKey !== undefined ? compiled.routes.get(routeKey) : undefined
    if (!route || routeKey === '$connect' || routeKey === '$disconnect') route = compiled.routes.get('$default')
    const input: EventInput = {
      conn: conn.info,
      routeKey: route?.route.routeKey ?? routeKey ?? '$default',
      eventType: 'MESSAGE',
      now,
      requestId,
      body: text ?? data.toString('base64'),
      isBase64Encoded: isBinary,
    }
    if (!route) {
      // No route and no $default (the frame's wording is AWS's as users report it; not recorded here).
      send(conn, JSON.stringify({message: 'Forbidden', connectionId: conn.info.connectionId, requestId}))
      accessLog(compiled, input, 403, 'Forbidden')
      return
    }
    try {
      const answer = await runIntegration(route, input, {functions: deps.functions, stageVariables: conn.info.stageVariables})
      if (route.route.routeResponseSelectionExpression && answer.body !== undefined) send(conn, answer.body)
      accessLog(compiled, input, answer.statusCode)
    } catch (error) {
      if (!(error instanceof IntegrationFailure) && process.env.APIGW_LOCAL_DEBUG) process.stderr.write(`${(error as Error).stack}\n`)
      send(conn, JSON.stringify({message: 'Internal server error', connectionId: conn.info.connectionId, requestId}))
      accessLog(compiled, input, 500, (error as Error).message)
    }
  }

  async function onDisconnect(conn: Connection, code: number, reason: string): Promise<void> {
    const route = conn.compiled.routes.get('$disconnect')
    const input: EventInput = {
      conn: conn.info,
      routeKey: '$disconnect',
      eventType: 'DISCONNECT' satisfies EventType,
      now: deps.now(),
      requestId: randomUUID(),
      disconnect: {statusCode: code, reason},
    }
    if (!route) {
      accessLog(conn.compiled, input, 200)
      return
    }
    try {
      const answer = await runIntegration(route, input, {functions: deps.functions, stageVariables: conn.info.stageVariables})
      accessLog(conn.compiled, input, answer.statusCode)
    } catch (error) {
      accessLog(conn.compiled, input, 500, (error as Error).message)
    }
  }

  /**
   * The sockets holding back frames until the loop's check phase. Answers come back from the function host several
   * per turn of the event loop (a connection with messages in flight gets them together): each frame written at once
   * was one writev syscall, and on loopback that syscall (with the wake-up of the reader it does) cost the main
   * thread more than the rest of the message's route. Corked, a connection's frames of one turn go out in one write,
   * in the order they were sent.
   */
  const corked = new Set<Duplex>()
  const uncorkAll = (): void => {
    for (const socket of corked) socket.uncork()
    corked.clear()
  }

  function send(conn: Connection, data: string | Buffer): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return
    const socket = (conn.ws as unknown as {_socket?: Duplex})._socket
    if (socket && !corked.has(socket)) {
      if (corked.size === 0) setImmediate(uncorkAll)
      socket.cork()
      corked.add(socket)
    }
    conn.ws.send(data)
  }

  function sweep(): void {
    const now = deps.now().getTime()
    for (const conn of open.values()) {
      if (conn.closing) continue
      if (now - conn.info.connectedAt >= WEBSOCKET_LIMITS.connectionMs || now - conn.lastActiveAt >= WEBSOCKET_LIMITS.idleMs) {
        conn.closing = true
        conn.ws.close(1001, 'Going away')
      }
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse, target: DataPlaneTarget): Promise<string> {
    const requestId = randomUUID()
    const reply = (status: number, body?: unknown, errorType?: string) => {
      const headers: Record<string, string> = {'x-amzn-RequestId': requestId}
      if (errorType) headers['x-amzn-ErrorType'] = errorType
      if (body === undefined) {
        res.writeHead(status, headers).end()
        return
      }
      const text = JSON.stringify(body)
      res.writeHead(status, {...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(text))}).end(text)
    }
    const m = /^\/@connections\/([^/]+)$/.exec(target.path)
    if (!m) {
      await readBody(req).catch(() => undefined)
      reply(426, {message: 'Upgrade Required'})
      return 'WebSocketUpgradeRequired'
    }
    let connectionId: string
    try {
      connectionId = decodeURIComponent(m[1]!)
    } catch {
      connectionId = m[1]!
    }
    const method = (req.method ?? 'GET').toUpperCase()
    let body: Buffer | undefined
    try {
      body = await readBody(req, WEBSOCKET_LIMITS.messageBytes)
      if (body.length > WEBSOCKET_LIMITS.messageBytes) body = undefined
    } catch (error) {
      if (!isTooLarge(error)) throw error
    }
    // The @connections API takes IAM-signed requests only (SigV4 for execute-api): checked as REST AWS_IAM methods are.
    // A repeat of a request verified before is decided at once (no await): a hot sender's posts take no extra turn.
    let refusal = checkSignature(req, body)
    if (refusal instanceof Promise) refusal = await refusal
    if (refusal) {
      reply(refusal.status, {message: refusal.message}, refusal.errorType)
      return OPERATIONS[method] ?? 'Unknown'
    }
    const conn = open.get(connectionId)
    const live = conn && conn.info.apiId === target.apiId && conn.ws.readyState === WebSocket.OPEN ? conn : undefined
    // https://docs.aws.amazon.com/apigateway/latest/api/apigatewaymanagementapi (GoneException 410, PayloadTooLargeException 413)
    if (method === 'POST') {
      if (!body) {
        reply(413, {message: 'Request entity too large'}, 'PayloadTooLargeException')
        return 'PostToConnection'
      }
      if (!live) {
        reply(410, {message: null}, 'GoneException')
        return 'PostToConnection'
      }
      // Valid UTF-8 goes out as a text frame, anything else as a binary one; the bytes are sent as posted.
      live.ws.send(body, {binary: !isUtf8(body)})
      res.writeHead(200, ['x-amzn-RequestId', requestId]).end()
      return 'PostToConnection'
    }
    if (method === 'GET') {
      if (!live) reply(410, {message: null}, 'GoneException')
      else {
        const view = viewOf(live)
        reply(200, {connectedAt: view.connectedAt, identity: view.identity, lastActiveAt: view.lastActiveAt})
      }
      return 'GetConnection'
    }
    if (method === 'DELETE') {
      if (!live) reply(410, {message: null}, 'GoneException')
      else {
        live.closing = true
        live.ws.close(1000, 'Goodbye')
        reply(204)
      }
      return 'DeleteConnection'
    }
    reply(403, {message: 'Forbidden'}, 'ForbiddenException')
    return 'Unknown'
  }

  let handlerKeys: {env: string; credentials: Promise<ReadonlyMap<string, KnownCredential>>} | undefined
  /**
   * The keys @connections accepts: the data plane's, and those local handlers sign with (the emulator's environment
   * keys or the static keys of its profile: functions/credentials.ts); on AWS the function's role is what is granted
   * execute-api:ManageConnections. Read again when the environment's credential variables change.
   */
  function connectionsCredentials(): Promise<ReadonlyMap<string, KnownCredential>> {
    const env = `${process.env.AWS_ACCESS_KEY_ID}\n${process.env.AWS_SECRET_ACCESS_KEY}\n${process.env.AWS_PROFILE}`
    if (handlerKeys?.env !== env)
      handlerKeys = {
        env,
        credentials: handlerKeyPairs().then((pairs) => {
          // The data plane's own keys first: a handler's pair never replaces one of them.
          const map = new Map(deps.credentials)
          for (const pair of pairs) if (!map.has(pair.accessKeyId)) map.set(pair.accessKeyId, pair)
          return map
        }),
      }
    return handlerKeys.credentials
  }

  /**
   * AWS's answers to an unsigned or badly signed @connections call, those of its IAM-authorized REST methods (403
   * with x-amzn-ErrorType; src/local/LIMITATIONS.md): `body` undefined when over the limit (only "unsigned" is told).
   */
  function checkSignature(req: IncomingMessage, body: Buffer | undefined): Refusal | undefined | Promise<Refusal | undefined> {
    const raw = req.rawHeaders
    let signed = false
    for (let i = 0; i + 1 < raw.length && !signed; i += 2) signed = raw[i]!.length === 13 && raw[i]!.toLowerCase() === 'authorization'
    if (!signed && !/[?&]X-Amz-Signature=/.test(req.url ?? '')) {
      return {status: 403, errorType: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token'}
    }
    if (!body) return undefined
    const method = req.method ?? 'GET'
    const target = req.url ?? '/'
    // A repeat signed with one of the data plane's own keys is decided at once: those keys come first in
    // connectionsCredentials, whatever the environment says (so it is not read for them).
    const repeat = verifyRepeat({method, target, rawHeaders: raw, body}, deps.credentials, deps.now())
    if (repeat) return refusalOf(repeat)
    const pairs: Array<[string, string]> = []
    for (let i = 0; i + 1 < raw.length; i += 2) pairs.push([raw[i]!, raw[i + 1]!])
    return connectionsCredentials()
      .then((known) => verifySigV4({method, target, headers: pairs, body}, known, deps.now()))
      .then(refusalOf)
  }

  function refusalOf(outcome: SigV4Outcome): Refusal | undefined {
    if (outcome.ok) return undefined
    const errorType = {
      missing: 'MissingAuthenticationTokenException',
      incomplete: 'IncompleteSignatureException',
      'unknown-key': 'UnrecognizedClientException',
      skew: 'InvalidSignatureException',
      mismatch: 'InvalidSignatureException',
    }[outcome.problem]
    return {status: 403, errorType, message: outcome.message}
  }

  function viewOf(conn: Connection): ConnectionView & {identity: {sourceIp: string; userAgent: string}} {
    return {
      connectionId: conn.info.connectionId,
      apiId: conn.info.apiId,
      stage: conn.info.stage,
      connectedAt: new Date(conn.info.connectedAt).toISOString(),
      lastActiveAt: new Date(conn.lastActiveAt).toISOString(),
      identity: {sourceIp: conn.info.sourceIp, userAgent: conn.info.userAgent},
    }
  }

  return {
    handles,
    serve,
    upgrade,
    sweep,
    connections: () =>
      [...open.values()]
        .map(viewOf)
        .sort((a, b) => a.connectedAt.localeCompare(b.connectedAt) || a.connectionId.localeCompare(b.connectionId)),
    settled: idle,
    async close() {
      clearInterval(timer)
      for (const conn of open.values()) conn.ws.terminate()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
      await Promise.race([idle(), new Promise((r) => setTimeout(r, 1000).unref())])
    },
  }
}

/** AWS's refusal of an @connections call (its status, x-amzn-ErrorType and message). */
type Refusal = {status: number; errorType: string; message: string}

const OPERATIONS: Record<string, string> = {POST: 'PostToConnection', GET: 'GetConnection', DELETE: 'DeleteConnection'}

function toBuffer(data: Buffer | ArrayBuffer | Buffer[]): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (Array.isArray(data)) return Buffer.concat(data)
  return Buffer.from(data)
}

type FrameReceiver = {
  _payloadLength: number
  _opcode: number
  haveLength(cb: (error?: Error) => void): void
  createError(kind: typeof RangeError, message: string, prefix: boolean, statusCode: number, errorCode: string): Error
}

/**
 * AWS closes a connection that sends a data frame over 32 KB with 1009 (messages may be up to 128 KB, in frames of
 * at most 32 KB). `ws` caps whole messages only (maxPayload), so its receiver's length step is wrapped for this
 * connection: a longer data frame fails the way an oversized message does (close 1009, "Max frame size exceeded").
 */
function limitFrames(ws: WebSocket, maxFrameBytes: number): void {
  const receiver = (ws as unknown as {_receiver?: FrameReceiver})._receiver
  if (!receiver || typeof receiver.haveLength !== 'function') throw new Error('ws: no receiver to limit frames on (ws upgraded?)')
  const haveLength = receiver.haveLength
  receiver.haveLength = function (this: FrameReceiver, cb) {
    if (this._opcode < 0x08 && this._payloadLength > maxFrameBytes) {
      cb(this.createError(RangeError, 'Max frame size exceeded', false, 1009, 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'))
      return
    }
    haveLength.call(this, cb)
  }
}
