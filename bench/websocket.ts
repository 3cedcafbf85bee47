/**
 * The WebSocket data plane, in one run against bare `ws` servers doing the same work (the ceiling):
 * - echo: messages per second answered through a two-way `$default` route by a warm local Node handler
 *   (AWS_PROXY), against a bare `ws` echo server; 16 clients, 8 messages in flight each (BENCH_WS_CLIENTS,
 *   BENCH_WS_IN_FLIGHT; until 2026-12-05 the code ran 4 x 1, which measured round-trip latency rather than the
 *   messages/s this line promises). The emulator works in the handler's directory, as `apigw local start` does in a
 *   project, so the handler runs where it runs for a user by default: in a worker thread (functions/host.ts
 *   nodeInThreads; before 2026-12-05 this bench ran it in a child process, APIGW_LOCAL_NODE_ISOLATION=process's way);
 * - broadcast: deliveries per second to 100 connected clients through the @connections API (POST per
 *   connection, as a backend does; 32 keep-alive HTTP clients), against a bare node:http + `ws` server whose
 *   POST /{i} sends the body to client i. Deliveries are counted where the clients receive them. Each broadcast runs
 *   1 s before it is measured (fresh clients and signatures then), so both are measured warm.
 * The servers run in a child process, the clients here. Loopback only; BENCH_SECONDS sets each measurement.
 */
import {fork} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import WebSocket, {WebSocketServer} from 'ws'
import {printTable, type Row} from './lib.ts'

type Ports = {emulator: number; apiId: string; bareEcho: number; bareBroadcast: number}

const CLIENTS = Number(process.env.BENCH_WS_CLIENTS ?? 16)
const IN_FLIGHT = Number(process.env.BENCH_WS_IN_FLIGHT ?? 8)
const AUDIENCE = 100
const POSTERS = 32

if (process.argv[2] === 'server') {
  const v2 = await import('@aws-sdk/client-apigatewayv2')
  const {startEmulator} = await import('../src/local/server.ts')
  const dir = mkdtempSync(join(tmpdir(), 'apigw-bench-ws-'))
  writeFileSync(join(dir, 'echo.mjs'), 'export const handler = async (event) => ({statusCode: 200, body: event.body})\n')
  // As `apigw local start` in a project: the handlers' directory is the working directory (worker threads).
  process.chdir(dir)
  const emulator = await startEmulator({
    port: 0,
    dataDir: join(dir, 'state'),
    functions: {echo: {handler: 'echo.handler'}},
    functionsDir: dir,
  })
  const client = new v2.ApiGatewayV2Client({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: {accessKeyId: 'b', secretAccessKey: 'b'},
    maxAttempts: 1,
  })
  const ApiId = (
    await client.send(new v2.CreateApiCommand({Name: 'bench', ProtocolType: 'WEBSOCKET', RouteSelectionExpression: '$request.body.action'}))
  ).ApiId!
  const uri =
    'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:000000000000:function:echo/invocations'
  const integration = await client.send(new v2.CreateIntegrationCommand({ApiId, IntegrationType: 'AWS_PROXY', IntegrationUri: uri}))
  const route = await client.send(
    new v2.CreateRouteCommand({
      ApiId,
      RouteKey: '$default',
      Target: `integrations/${integration.IntegrationId}`,
      RouteResponseSelectionExpression: '$default',
    }),
  )
  await client.send(new v2.CreateRouteResponseCommand({ApiId, RouteId: route.RouteId!, RouteResponseKey: '$default'}))
  const deployment = await client.send(new v2.CreateDeploymentCommand({ApiId}))
  await client.send(new v2.CreateStageCommand({ApiId, StageName: 'bench', DeploymentId: deployment.DeploymentId!}))
  client.destroy()

  // The ceilings: a bare ws echo server, and a bare broadcast server (POST /{i} → client i).
  const echo = new WebSocketServer({host: '127.0.0.1', port: 0, perMessageDeflate: false})
  echo.on('connection', (ws) => ws.on('message', (data, binary) => ws.send(data, {binary})))
  await new Promise<void>((r) => echo.once('listening', r))
  const audience: WebSocket[] = []
  const broadcast = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const target = audience[Number(req.url?.slice(1))]
      if (!target) {
        res.writeHead(410).end()
        return
      }
      target.send(Buffer.concat(chunks), {binary: false})
      res.writeHead(200, {'content-length': 0}).end()
    })
  })
  const bws = new WebSocketServer({server: broadcast, perMessageDeflate: false})
  bws.on('connection', (ws) => {
    audience.push(ws)
    ws.send(String(audience.length - 1))
  })
  await new Promise<void>((r) => broadcast.listen(0, '127.0.0.1', r))
  process.on('message', (m) => {
    if (m === 'stop') {
      echo.close()
      broadcast.close()
      for (const ws of audience) ws.terminate()
      void emulator.close().then(() => {
        rmSync(dir, {recursive: true, force: true})
        process.exit(0)
      })
    }
  })
  process.send!({
    emulator: emulator.port,
    apiId: ApiId,
    bareEcho: (echo.address() as AddressInfo).port,
    bareBroadcast: (broadcast.address() as AddressInfo).port,
  } satisfies Ports)
} else {
  const child = fork(new URL(import.meta.url).pathname, ['server'], {stdio: 'inherit'})
  const ports = await new Promise<Ports>((resolve) => child.once('message', (m) => resolve(m as Ports)))
  const stageUrl = `ws://127.0.0.1:${ports.emulator}/_aws/execute-api/${ports.apiId}/bench`
  // Each socket's first frame, caught from the start (the bare broadcast server sends a client its index at once).
  const firstFrame = new WeakMap<WebSocket, Promise<string>>()
  const connect = (url: string) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, {perMessageDeflate: false})
      firstFrame.set(ws, new Promise((r) => ws.once('message', (d) => r(String(d)))))
      ws.once('open', () => resolve(ws))
      ws.once('error', reject)
    })

  /** Echo load: each client keeps IN_FLIGHT messages outstanding; answers per second over `ms`. */
  async function echoLoad(url: string, ms: number): Promise<{rate: number; errors: number}> {
    const sockets = await Promise.all(Array.from({length: CLIENTS}, () => connect(url)))
    let answered = 0
    let errors = 0
    const message = JSON.stringify({action: 'echo', text: 'hello from the benchmark'})
    const started = performance.now()
    const until = started + ms
    await Promise.all(
      sockets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            let outstanding = 0
            const pump = () => {
              while (outstanding < IN_FLIGHT && performance.now() < until) {
                ws.send(message)
                outstanding++
              }
              if (outstanding === 0) resolve()
            }
            ws.on('message', (data) => {
              outstanding--
              if (String(data) === message) answered++
              else errors++
              pump()
            })
            ws.on('close', () => resolve())
            pump()
          }),
      ),
    )
    const seconds = (performance.now() - started) / 1000
    for (const ws of sockets) ws.terminate()
    return {rate: answered / seconds, errors}
  }

  /**
   * Broadcast load: AUDIENCE clients listen; POSTERS autocannon connections POST to `path(i)` round-robin (each with
   * its headers from `headersOf`, made before the run); deliveries/s where the clients receive them.
   */
  async function broadcastLoad(
    url: string,
    port: number,
    ids: (sockets: WebSocket[]) => Promise<string[]>,
    path: (id: string) => string,
    ms: number,
    headersOf?: (path: string, body: string) => Promise<Array<[string, string]>>,
  ): Promise<{rate: number; errors: number; posted: number}> {
    const sockets = await Promise.all(Array.from({length: AUDIENCE}, () => connect(url)))
    const targets = await ids(sockets)
    let delivered = 0
    for (const ws of sockets) ws.on('message', () => delivered++)
    const body = JSON.stringify({text: 'to everyone'})
    const prepared = await Promise.all(
      targets.map(async (id) => {
        const headers: Record<string, string> = {'content-type': 'application/json'}
        // autocannon writes Content-Length (and Host) itself, with the values signed.
        for (const [k, v] of (await headersOf?.(path(id), body)) ?? []) if (k.toLowerCase() !== 'content-length') headers[k] = v
        return {path: path(id), headers}
      }),
    )
    let next = 0
    const {default: autocannon} = await import('autocannon')
    const started = performance.now()
    const r = await autocannon({
      url: `http://127.0.0.1:${port}`,
      connections: POSTERS,
      duration: ms / 1000,
      requests: [
        {
          method: 'POST',
          body,
          setupRequest: (req) => {
            const p = prepared[next++ % prepared.length]!
            return {...req, path: p.path, headers: {...req.headers, ...p.headers}}
          },
        },
      ],
    })
    const posted = r['2xx']
    // Deliveries still in flight when posting stopped arrive within a moment: wait for them (bounded).
    const deadline = performance.now() + 2000
    while (delivered < posted && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
    const seconds = (performance.now() - started) / 1000
    for (const ws of sockets) ws.terminate()
    return {rate: delivered / seconds, errors: r.non2xx + r.errors + r.timeouts + (posted - Math.min(posted, delivered)), posted}
  }

  // The API's open connections: once the emulator has seen the previous run's clients go (bounded wait), these clients.
  const connectionIds = async (sockets: WebSocket[]): Promise<string[]> => {
    const deadline = performance.now() + 2000
    for (;;) {
      const res = await fetch(`http://127.0.0.1:${ports.emulator}/_apigw/websocket/connections`)
      const all = ((await res.json()) as {connections: Array<{connectionId: string; apiId: string}>}).connections
      const ids = all.filter((c) => c.apiId === ports.apiId).map((c) => c.connectionId)
      if (ids.length <= sockets.length || performance.now() > deadline) return ids
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }
  const bareIds = async (sockets: WebSocket[]): Promise<string[]> => Promise.all(sockets.map((ws) => firstFrame.get(ws)!))
  // @connections takes SigV4-signed calls only (as AWS): each POST carries a valid signature (the SDK's way, test/test),
  // which the emulator verifies in full. A signature holds for its path and body for 5 minutes (AWS's skew), so one
  // per connection is made before the run: the load generator shares the cores with the emulator.
  const {signExecuteApi} = await import('../src/aws/sigv4.ts')
  const signPost = (path: string, body: string) =>
    signExecuteApi({
      method: 'POST',
      url: `http://127.0.0.1:${ports.emulator}${path}`,
      headers: [
        ['content-length', String(Buffer.byteLength(body))],
        ['content-type', 'application/json'],
      ],
      body: Buffer.from(body),
      region: 'us-east-1',
      credentials: {accessKeyId: 'test', secretAccessKey: 'test'},
    })
  const emulatorPath = (id: string) => `/_aws/execute-api/${ports.apiId}/bench/@connections/${encodeURIComponent(id)}`

  const seconds = Number(process.env.BENCH_SECONDS ?? 5)
  const show = <T>(name: string, r: T): T => {
    console.log(`  ${name}: ${JSON.stringify(r)}`)
    return r
  }
  show('warm-up bare echo', await echoLoad(`ws://127.0.0.1:${ports.bareEcho}`, 1000))
  // Long enough for the function's environments (as many as the load keeps busy) to start: they are measured warm.
  show('warm-up $default echo', await echoLoad(stageUrl, 4000))
  console.log(`  measuring ${seconds} s each...`)
  const bareEcho = show('bare ws echo', await echoLoad(`ws://127.0.0.1:${ports.bareEcho}`, seconds * 1000))
  const stageEcho = show('$default echo (warm Node handler)', await echoLoad(stageUrl, seconds * 1000))
  // Both broadcasts warm up first (1 s each, as the bare echo does): measured, they run code V8 has compiled already, as
  // a server that has been up a while does (cold, the first second's compiling shares the 2 cores with the load).
  show(
    'warm-up bare broadcast',
    await broadcastLoad(`ws://127.0.0.1:${ports.bareBroadcast}`, ports.bareBroadcast, bareIds, (i) => `/${i}`, 1000),
  )
  show('warm-up @connections broadcast', await broadcastLoad(stageUrl, ports.emulator, connectionIds, emulatorPath, 1000, signPost))
  const bareCast = show(
    'bare broadcast',
    await broadcastLoad(`ws://127.0.0.1:${ports.bareBroadcast}`, ports.bareBroadcast, bareIds, (i) => `/${i}`, seconds * 1000),
  )
  const stageCast = show(
    '@connections broadcast',
    await broadcastLoad(stageUrl, ports.emulator, connectionIds, emulatorPath, seconds * 1000, signPost),
  )
  child.send('stop')
  const rate = (r: {rate: number; errors: number}, unit: string) =>
    `${r.rate.toFixed(0)} ${unit}/s${r.errors ? `, ${r.errors} errors` : ''}`
  const rows: Row[] = [
    {name: `bare ws echo server (${CLIENTS} clients x ${IN_FLIGHT} in flight)`, value: rate(bareEcho, 'msg')},
    {name: '$default route, AWS_PROXY to a warm Node handler, two-way', value: rate(stageEcho, 'msg')},
    {
      name: '$default echo / bare ws echo (messages/s)',
      value: `${(stageEcho.rate / bareEcho.rate).toFixed(2)}x`,
      target: '>= 0.3x',
      ok: stageEcho.rate / bareEcho.rate >= 0.3 && stageEcho.errors === 0,
    },
    {name: `bare node:http + ws broadcast (${AUDIENCE} clients, ${POSTERS} posters)`, value: rate(bareCast, 'deliveries')},
    {name: `@connections POST to ${AUDIENCE} clients`, value: rate(stageCast, 'deliveries')},
    {
      name: '@connections deliveries/s',
      value: `${stageCast.rate.toFixed(0)}/s`,
      target: '>= 10000/s',
      ok: stageCast.rate >= 10_000 && stageCast.errors === 0,
    },
    {name: '@connections / bare broadcast (deliveries/s)', value: `${(stageCast.rate / bareCast.rate).toFixed(2)}x`},
  ]
  printTable('WebSocket data plane (one run, loopback)', rows)
}
